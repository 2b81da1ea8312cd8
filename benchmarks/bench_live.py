"""The live class under load: N student pages answer every 2 s while the teacher's page polls.

    python benchmarks/bench_live.py --students 300 --duration 60 --store sqlite
    python benchmarks/bench_live.py --students 300 --duration 60 --store postgresql   # a throwaway server
    python benchmarks/bench_live.py --store postgresql://user@host/db                # an existing one

Each simulated page goes through the kernels' code path (``backprop_widgets.live.open_store``,
``student_view`` then ``submit``), from ``--workers`` processes (each holding its share of the
pages, like kernels of one server). ``--store postgresql`` starts Debian's PostgreSQL in a
temporary directory (tests/pg.py). The teacher's page polls ``teacher_view`` every
``--poll`` s, and moves the class to a fresh round every ``--round`` s. Prints JSON:

- **store CPU per answer** (ms): CPU-seconds of the writing processes inside ``submit``, over
  the answers stored (and, apart, inside the ``student_view`` read before each answer); for
  PostgreSQL also the server's CPU (its processes, from /proc: reads and writes) over them.
  Goal ≤ 5 ms.
- **teacher view** (ms): the time of one ``teacher_view`` call, median and p95; its refresh
  latency is at most the poll interval plus that. Goal: poll + p95 ≤ 2 s.
- **lost answers**: answers ``submit`` said it stored, minus the rows of the class's CSV. Goal 0.
  And the refusals (an answer for a round the teacher had just left) and errors, which are not lost.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLK_TCK = os.sysconf("SC_CLK_TCK")


def page_id(i: int) -> str:
    return f"page-{i:06d}"


def worker(url: str, class_id: str, pages: list[int], students: int, start: float, duration: float, every: float, out):
    """A kernel process: its pages, each answering every ``every`` seconds, through the store."""
    from backprop_widgets.live import Answer, Refused, StoreUnavailable, open_store

    store = open_store(url)
    due = [(start + every * i / students, i, 0) for i in pages]  # staggered: the class does not answer in step
    heapq.heapify(due)
    stored = refused = errors = 0
    cpu = view_cpu = 0.0
    latencies = []
    while due:
        t, i, k = heapq.heappop(due)
        if t >= start + duration:
            continue
        time.sleep(max(0.0, t - time.time()))
        try:
            c0 = time.process_time()
            round_no = store.student_view(class_id).round
            view_cpu += time.process_time() - c0
            c0, w0 = time.process_time(), time.perf_counter()
            answer = Answer(round_no, f"q{k}", "nudge", f"{(i * 7 + k) % 50 / 10 - 2.5:.1f}", (i + k) % 3 == 0, "", 4.0)
            ok = store.submit(class_id, page_id(i), answer)
            cpu += time.process_time() - c0
            latencies.append(time.perf_counter() - w0)
            stored += ok
        except Refused:
            refused += 1
        except StoreUnavailable:
            errors += 1
        heapq.heappush(due, (t + every, i, k + 1))
    store.close()
    out.put(
        {
            "stored": stored,
            "refused": refused,
            "errors": errors,
            "cpu": cpu,
            "view_cpu": view_cpu,
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, default=300)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of answering")
    ap.add_argument("--store", default="sqlite", help="sqlite, postgresql, or a sqlite:///… / postgresql://… URL")
    ap.add_argument("--workers", type=int, default=4, help="writing processes (the pages are shared among them)")
    ap.add_argument("--every", type=float, default=2.0, help="seconds between a page's answers")
    ap.add_argument("--poll", type=float, default=1.0, help="seconds between the teacher page's refreshes")
    ap.add_argument("--round", type=float, default=20.0, help="seconds between the teacher's new rounds")
    args = ap.parse_args(argv)

    from backprop_widgets.live import open_store

    pg = None
    tmp = tempfile.TemporaryDirectory(prefix="bench-live-")
    url = args.store
    if url == "sqlite":
        url = f"sqlite:///{tmp.name}/class.sqlite3"
    elif url == "postgresql":
        sys.path.insert(0, str(ROOT / "tests"))
        from pg import Postgres

        pg = Postgres().start()
        url = pg.new_database("bench")
    store = open_store(url, per_round=10 * args.students * int(args.round / args.every + 1))
    class_id, secret = store.create_class()
    pg_pid = [int((pg.data / "postmaster.pid").read_text().split()[0])] if pg else []

    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    start = time.time() + 3.0  # the workers are up by then
    shares = [list(range(w, args.students, args.workers)) for w in range(args.workers)]
    procs = [
        ctx.Process(target=worker, args=(url, class_id, s, args.students, start, args.duration, args.every, out))
        for s in shares
    ]
    for p in procs:
        p.start()
    time.sleep(max(0.0, start - time.time()))
    server0 = server_cpu(pg_pid)
    views, next_round = [], start + args.round
    while time.time() < start + args.duration + 0.5:
        t0 = time.perf_counter()
        view = store.teacher_view(class_id, secret)
        views.append(time.perf_counter() - t0)
        if time.time() >= next_round:
            store.clear(class_id, secret)
            next_round += args.round
        time.sleep(max(0.0, args.poll - (time.perf_counter() - t0)))
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    server = server_cpu(pg_pid) - server0
    rows = len(store.results_csv(class_id, secret).splitlines()) - 1
    stored = sum(r["stored"] for r in results)
    latencies = [x for r in results for x in r["latencies"]]
    report = {
        "store": url.split(":", 1)[0],
        "students": args.students,
        "duration_s": args.duration,
        "workers": args.workers,
        "answers_stored": stored,
        "answers_per_s": round(stored / args.duration, 1),
        "refused_round_moved_on": sum(r["refused"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "rows_counted": rows,
        "lost_answers": stored - rows,
        "client_cpu_ms_per_answer": round(1e3 * sum(r["cpu"] for r in results) / max(stored, 1), 3),
        "student_view_cpu_ms_per_answer": round(1e3 * sum(r["view_cpu"] for r in results) / max(stored, 1), 3),
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
    return 0 if report["lost_answers"] == 0 and report["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
