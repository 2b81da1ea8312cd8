"""The live class under load: N student pages answer every 2 s while the teacher's page polls.

    python benchmarks/bench_live.py --students 300 --duration 60 --store sqlite
    python benchmarks/bench_live.py --students 300 --duration 60 --store postgresql   # a throwaway server
    python benchmarks/bench_live.py --store postgresql://user@host/db                # an existing one

Each simulated page is what a kernel runs for a page of the class (``app/live_client.py``,
``join_class``): a :class:`~backprop_widgets.live.sender.Sender` of its own, started when the
page starts, whose thread opens its own store (``open_store(url, timeout=CONNECT_TIMEOUT_S)``:
a SQLite connection, or a PostgreSQL pool that holds one connection), polls ``student_view``
every ``POLL_S`` and submits what the page queued. The pages are shared among ``--workers``
processes (kernels of one server); each process's main thread calls ``sender.send(record)``
for each of its pages every ``--every`` s (a results row's fields, as the widget callback
sends them; staggered, the class does not answer in step), and once the answering is over lets
each Sender's queue drain and stops it (both within a bounded wait). ``--store postgresql``
starts Debian's PostgreSQL in a temporary directory (tests/pg.py), with ``max_connections``
raised to the class size plus a margin (one connection a page). The teacher's page polls
``teacher_view`` every ``--poll`` s, and moves the class to a fresh round every ``--round`` s.
The store each Sender opens is wrapped in a timing proxy (``TimedStore``); nothing of the
package is changed. Prints JSON:

- **store CPU per answer** (ms): the CPU time (``time.thread_time``, per Sender thread) spent
  inside ``submit``, over the answers stored (and, apart, inside ``student_view``: the look
  before each submit and the polls); for PostgreSQL also the server's CPU (its processes, from
  /proc: reads and writes) over them. Goal ≤ 5 ms.
- **submit latency** (ms): from ``send()`` on the page's side to ``submit`` returning "stored"
  in the Sender's thread (matched by page and question id), median and p95.
- **teacher view** (ms): the time of one ``teacher_view`` call, median and p95; its refresh
  latency is at most the poll interval plus that. Goal: poll + p95 ≤ 2 s.
- **lost answers**: the answers the Senders report as sent (``Status.sent``, summed) minus the
  rows of the class's CSV. Goal 0. Also the Senders' own ``lost`` counts (an answer the store
  refused counts there: mostly one for a round the teacher had just left, queued before the
  page's next look at the class), what is still queued at the end, and the store's refusals
  (by reason) and errors as the proxy saw them.
"""

from __future__ import annotations

import argparse
import heapq
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLK_TCK = os.sysconf("SC_CLK_TCK")
READY_S = 60.0  # how long the pages may take to connect
DRAIN_S = 10.0  # how long the queues may take to drain once the answering is over, and the Senders to stop


def page_id(i: int) -> str:
    return f"page-{i:06d}"


class Tally:
    """What one page's store did, as the proxy saw it (written by that page's Sender thread only)."""

    def __init__(self) -> None:
        self.opens = self.stored = self.duplicates = self.views = self.errors = 0
        self.submit_cpu = self.view_cpu = 0.0
        self.refused: Counter[str] = Counter()
        self.stored_at: dict[str, float] = {}  # question id → when submit returned "stored"


class TimedStore:
    """The store a Sender opened, timing its ``submit`` and ``student_view`` in the calling thread."""

    def __init__(self, store, tally: Tally):
        self._store, self._tally = store, tally

    def student_view(self, class_id):
        from backprop_widgets.live import StoreUnavailable

        t, c0 = self._tally, time.thread_time()
        try:
            return self._store.student_view(class_id)
        except (StoreUnavailable, OSError):
            t.errors += 1
            raise
        finally:
            t.view_cpu += time.thread_time() - c0
            t.views += 1

    def submit(self, class_id, page, record):
        from backprop_widgets.live import Refused, StoreUnavailable

        t, c0 = self._tally, time.thread_time()
        try:
            ok = self._store.submit(class_id, page, record)
        except Refused as exc:
            t.refused[exc.reason] += 1
            raise
        except (StoreUnavailable, OSError):
            t.errors += 1
            raise
        finally:
            t.submit_cpu += time.thread_time() - c0
        if ok:
            t.stored += 1
            t.stored_at[record["id"]] = time.perf_counter()
        else:
            t.duplicates += 1
        return ok

    def __getattr__(self, name):  # close() and anything else: the store's own
        return getattr(self._store, name)


def worker(
    url: str, class_id: str, pages: list[int], students: int, duration: float, every: float, ready, go, start_at, out
):
    """A kernel process: a Sender for each of its pages; its main thread sends their answers."""
    from backprop_widgets.app.live_client import CONNECT_TIMEOUT_S
    from backprop_widgets.live import open_store
    from backprop_widgets.live.sender import Sender

    tallies = {i: Tally() for i in pages}

    def opener(tally: Tally):
        def open_one():  # as join_class's opener, in the Sender's thread
            tally.opens += 1
            return TimedStore(open_store(url, timeout=CONNECT_TIMEOUT_S), tally)

        return open_one

    senders = {i: Sender(opener(tallies[i]), class_id, page_id=page_id(i)).start() for i in pages}
    deadline = time.time() + READY_S
    while time.time() < deadline and not all(s.status().connected for s in senders.values()):
        time.sleep(0.1)
    ready.put(sum(s.status().connected for s in senders.values()))
    go.wait()
    start = start_at.value

    due = [(start + every * i / students, i, 0) for i in pages]  # staggered: the class does not answer in step
    heapq.heapify(due)
    sent_at: dict[tuple[int, str], float] = {}
    sends = 0
    while due:
        t, i, k = heapq.heappop(due)
        if t >= start + duration:
            continue
        time.sleep(max(0.0, t - time.time()))
        qid = f"q{k}"
        record = {  # a results row (app/results.py, Row), as the widget callback sends it
            "round": 0,  # the page's own exercise round; the Sender stamps the class's round
            "id": qid,
            "kind": "nudge",
            "first_answer": f"{(i * 7 + k) % 50 / 10 - 2.5:.1f}",
            "right": (i + k) % 3 == 0,
            "mistake": "",
            "seconds": 4.0,
        }
        sent_at[(i, qid)] = time.perf_counter()
        senders[i].send(record)
        sends += 1
        heapq.heappush(due, (t + every, i, k + 1))

    end = time.time() + DRAIN_S
    while time.time() < end and any(s.status().waiting for s in senders.values()):
        time.sleep(0.05)
    for s in senders.values():  # all told to stop, then each waited for
        s.stop(timeout=0)
    for s in senders.values():
        s.stop(timeout=max(0.0, end + DRAIN_S - time.time()))
    alive = sum(t.name == "backprop-live-sender" and t.is_alive() for t in threading.enumerate())

    statuses = [s.status() for s in senders.values()]
    latencies = [tallies[i].stored_at[q] - t0 for (i, q), t0 in sent_at.items() if q in tallies[i].stored_at]
    tl = tallies.values()
    out.put(
        {
            "sends": sends,
            "sent": sum(st.sent for st in statuses),
            "lost": sum(st.lost for st in statuses),
            "waiting": sum(st.waiting for st in statuses),
            "not_stopped": alive,
            "stored": sum(t.stored for t in tl),
            "duplicates": sum(t.duplicates for t in tl),
            "views": sum(t.views for t in tl),
            "opens": sum(t.opens for t in tl),
            "errors": sum(t.errors for t in tl),
            "refused": dict(sum((t.refused for t in tl), Counter())),
            "cpu": sum(t.submit_cpu for t in tl),
            "view_cpu": sum(t.view_cpu for t in tl),
            "latencies": latencies,
        }
    )


def server_cpu(pids: list[int]) -> float:
    """CPU-seconds of these processes and their children, running or ended (PostgreSQL's backends)."""
    total = 0.0
    for pid in pids:
        for p in Path("/proc").iterdir():
            if not p.name.isdigit():
                continue
            try:
                fields = (p / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(p.name) == pid:  # utime + stime, and cutime + cstime: the backends that ended
                total += sum(int(f) for f in fields[11:15]) / CLK_TCK
            elif int(fields[1]) == pid:  # fields[1]: the parent's pid; a backend still running
                total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) >= 2 else (xs[0] if xs else float("nan"))


def pg_connections(store) -> int:
    """Client connections the server holds now (the pages' and the teacher's)."""
    with store.backend.transaction(write=False) as cur:
        return cur.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'").fetchall()[0][
            0
        ]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, default=300)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of answering")
    ap.add_argument("--store", default="sqlite", help="sqlite, postgresql, or a sqlite:///… / postgresql://… URL")
    ap.add_argument("--workers", type=int, default=4, help="kernel processes (the pages are shared among them)")
    ap.add_argument("--every", type=float, default=2.0, help="seconds between a page's answers")
    ap.add_argument("--poll", type=float, default=1.0, help="seconds between the teacher page's refreshes")
    ap.add_argument("--round", type=float, default=20.0, help="seconds between the teacher's new rounds")
    args = ap.parse_args(argv)

    from backprop_widgets.live import open_store

    pg = None
    max_connections = None
    tmp = tempfile.TemporaryDirectory(prefix="bench-live-")
    url = args.store
    if url == "sqlite":
        url = f"sqlite:///{tmp.name}/class.sqlite3"
    elif url == "postgresql":
        sys.path.insert(0, str(ROOT / "tests"))
        from pg import Postgres

        pg = Postgres()
        # one connection a page (each Sender's pool holds min_size=1), the teacher's, and a margin;
        # a later -c wins, so the tests' own setting is left as it is
        max_connections = max(200, args.students + 100)
        pg.options += f" -c max_connections={max_connections}"
        pg.start()
        url = pg.new_database("bench")
    store = open_store(url)
    if pg:  # the server's own word
        with store.backend.transaction(write=False) as cur:
            max_connections = int(cur.execute("SHOW max_connections").fetchall()[0][0])
    class_id, secret = store.create_class()
    pg_pid = [int((pg.data / "postmaster.pid").read_text().split()[0])] if pg else []

    ctx = multiprocessing.get_context("spawn")
    out, ready, go, start_at = ctx.Queue(), ctx.Queue(), ctx.Event(), ctx.Value("d", 0.0)
    shares = [list(range(w, args.students, args.workers)) for w in range(args.workers)]
    procs = [
        ctx.Process(
            target=worker,
            args=(url, class_id, s, args.students, args.duration, args.every, ready, go, start_at, out),
        )
        for s in shares
    ]
    t_ready = time.perf_counter()
    for p in procs:
        p.start()
    connected = sum(ready.get(timeout=READY_S + 60) for _ in procs)
    ready_s = time.perf_counter() - t_ready
    start = start_at.value = time.time() + 0.5
    go.set()
    time.sleep(max(0.0, start - time.time()))
    server0 = server_cpu(pg_pid)
    views, next_round, connections = [], start + args.round, 0
    while time.time() < start + args.duration + 0.5:
        t0 = time.perf_counter()
        view = store.teacher_view(class_id, secret)
        views.append(time.perf_counter() - t0)
        if time.time() >= next_round:
            store.clear(class_id, secret)
            next_round += args.round
        if pg:
            connections = max(connections, pg_connections(store))
        time.sleep(max(0.0, args.poll - (time.perf_counter() - t0)))
    results = [out.get(timeout=READY_S + 3 * DRAIN_S) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    server = server_cpu(pg_pid) - server0
    rows = len(store.results_csv(class_id, secret).splitlines()) - 1

    def total(key: str) -> int:
        return sum(r[key] for r in results)

    stored, sent = total("stored"), total("sent")
    refused = sum((Counter(r["refused"]) for r in results), Counter())
    latencies = [x for r in results for x in r["latencies"]]
    report = {
        "store": url.split(":", 1)[0],
        "students": args.students,
        "duration_s": args.duration,
        "workers": args.workers,
        "senders_connected_at_start": connected,
        "senders_ready_s": round(ready_s, 1),
        "pg_max_connections": max_connections,
        "pg_client_connections_max": connections if pg else None,
        "answers_sent_by_pages": total("sends"),
        "answers_stored": stored,
        "answers_per_s": round(stored / args.duration, 1),
        "senders_sent": sent,
        "rows_counted": rows,
        "lost_answers": sent - rows,
        "senders_lost": total("lost"),
        "senders_waiting_at_end": total("waiting"),
        "senders_not_stopped": total("not_stopped"),
        "refused_round_moved_on": refused.pop("round", 0),
        "refused_other": dict(refused),
        "duplicates": total("duplicates"),
        "errors": total("errors"),
        "store_opens": total("opens"),
        "client_cpu_ms_per_answer": round(1e3 * total("cpu") / max(stored, 1), 3),
        "student_view_cpu_ms_per_answer": round(1e3 * total("view_cpu") / max(stored, 1), 3),
        "student_views_per_answer": round(total("views") / max(stored, 1), 2),
        "server_cpu_ms_per_answer": round(1e3 * server / max(stored, 1), 3) if pg else None,
        "submit_ms_median": round(1e3 * statistics.median(latencies), 2) if latencies else None,
        "submit_ms_p95": round(1e3 * p95(latencies), 2) if latencies else None,
        "teacher_view_ms_median": round(1e3 * statistics.median(views), 2),
        "teacher_view_ms_p95": round(1e3 * p95(views), 2),
        "teacher_refresh_s_p95": round(args.poll + p95(views), 3),
        "last_round": view.round,
    }
    print(json.dumps(report, indent=2))
    store.close()
    if pg:
        pg.stop()
    tmp.cleanup()
    ok = report["lost_answers"] == 0 and report["errors"] == 0 and report["senders_waiting_at_end"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
