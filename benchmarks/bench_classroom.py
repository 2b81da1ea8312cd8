"""A class at once: N students open the dashboard within 10 s, then each types a weight every 2 s.

    python benchmarks/bench_classroom.py                         # 20 students, 60 s of editing
    python benchmarks/bench_classroom.py --students 5 --duration 20

Starts ``backprop-widgets serve --class N`` on a free port, waits until its preheated pool is
full and idle (the teacher starts the server before the lesson), then drives one headless Debian chromium
(Playwright) with one browser context per student. The server and its kernels are pinned to
CPU 0 with ``taskset``, this script and the browser to CPU 1, so the two do not share a core
(where the machine has 2 or more). Prints JSON:

- **time to interactive** (s): from the student's ``goto`` to the diagram drawn, the panel
  drawn (MathML) and the loss shown; median and max over the students who got there.
- **edit latency** (ms): from the Enter keydown (captured in the page) to the loss text changing
  (a MutationObserver in the page); median and p95 over all edits.
- **failures**: pages that got the "server full" page (503), pages that never became
  interactive (within ``--page-timeout``), edits whose loss never changed (within 10 s).
- **server CPU-seconds and RSS**: read from /proc for ``serve``, Voila and every kernel (not the
  browser): CPU while the pool fills, and during the class; RSS summed over the processes,
  sampled every 0.5 s, at the peak. And how busy each CPU was during the class (/proc/stat):
  with pinning, CPU 1 is the client, one CPU playing every student's computer.

Goal on the 2-core machine: 20 students all interactive within 30 s, edit p95 ≤ 300 ms, no failures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, chromium_missing
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
PARAM = "w1-1-1"
VALUES = ["0.5", "-0.3", "0.8", "0.25", "-0.6", "0.1", "0.9", "-0.15", "0.45", "0.2", "-0.8"]
EDIT_TIMEOUT_S = 10.0
POLL_MS = 200  # how often a page is asked whether it is ready (adds up to this to a TTI)
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# In the page: is the dashboard interactive; time from the next Enter keydown to the loss change.
HELPERS = r"""
() => {
  const q = (s) => document.querySelector(s);
  // textContent, not innerText, and the layout last: 20 pages poll this on one CPU
  window.__ready = () => {
    const d = q('.bpw-diagram svg') || q('.bpw-diagram img'), p = q('.bpw-panel'), l = q('.bpw-loss-value');
    if (!d || !p || !l || !p.querySelector('math') || l.textContent.trim() === '') return false;
    const r = d.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  window.__arm = () => {
    const l = q('.bpw-loss-value'), before = l.textContent;
    let t0 = null;
    window.__lat = null;
    document.addEventListener('keydown', (e) => { if (e.key === 'Enter') t0 = performance.now(); },
                              {capture: true, once: true});
    const obs = new MutationObserver(() => {
      if (t0 !== null && l.textContent !== before) { window.__lat = performance.now() - t0; obs.disconnect(); }
    });
    obs.observe(l, {subtree: true, childList: true, characterData: true});
  };
}
"""


# --- the server, seen from /proc ------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float, int] | None:
    """(parent pid, CPU seconds of it and its reaped children, RSS bytes), or None if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        rss_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    # fields[0] is field 3 (state): ppid 4, utime 14, stime 15, cutime 16, cstime 17
    ticks = sum(int(x) for x in fields[11:15])
    return int(fields[1]), ticks / CLK_TCK, rss_pages * PAGE_SIZE


def tree_usage(root: int) -> tuple[float, int, int]:
    """CPU seconds, RSS bytes and process count of ``root`` and all its descendants.

    A kernel that exited is counted through its parent's cutime/cstime (Voila reaps it)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (s := _stat(int(entry.name))):
            stats[int(entry.name)] = s
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    cpu = rss = n = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            cpu += stats[pid][1]
            rss += stats[pid][2]
            n += 1
            todo.extend(children.get(pid, []))
    return cpu, rss, n


def cpu_busy() -> dict[str, float]:
    """Busy seconds of each CPU since boot (/proc/stat: all but idle and iowait)."""
    busy = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *ticks = line.split()
        if re.fullmatch(r"cpu\d+", name):
            t = [int(x) for x in ticks]
            busy[name] = (sum(t) - t[3] - t[4]) / CLK_TCK
    return busy


class Sampler(threading.Thread):
    """Peak RSS (and process count) of a process tree, sampled every ``every`` seconds."""

    def __init__(self, root: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.root, self.every = root, every
        self.peak_rss = self.peak_procs = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            _, rss, n = tree_usage(self.root)
            self.peak_rss, self.peak_procs = max(self.peak_rss, rss), max(self.peak_procs, n)
            self.stop.wait(self.every)


def start_server(students: int, log, pin: bool, max_kernels: int | None = None) -> tuple[subprocess.Popen, str]:
    cmd = [sys.executable, "-m", "backprop_widgets", "serve", "--class", str(students), "--port", "0", "--no-browser"]
    if max_kernels:
        cmd += ["--max-kernels", str(max_kernels)]
    if pin:
        cmd = ["taskset", "-c", "0", *cmd]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            raise RuntimeError(f"serve exited with {proc.returncode}")
        if m := re.search(r"(http://127\.0\.0\.1:\d+/)", line):
            # keep reading what serve and Voila print, so that a full pipe never blocks them
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, m.group(1)
    raise TimeoutError("serve printed no URL")


def wait_pool_filled(log_path: Path, proc: subprocess.Popen, timeout: float) -> None:
    """Until Voila logs "Kernel pool of app.ipynb is filled with N kernel(s)"."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "is filled with" in log_path.read_text():
            return
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with {proc.returncode}")
        time.sleep(0.2)
    raise TimeoutError(f"the pool was not filled within {timeout:.0f} s")


def wait_idle(root: int, timeout: float, window: float = 2.0, busy: float = 0.05) -> None:
    """Until the server's processes use less than ``busy`` of a CPU over ``window`` seconds.

    Voila logs the pool as filled once its kernels are started; they then still run the
    notebook, which is what makes a preheated page fast."""
    deadline = time.monotonic() + timeout
    cpu = tree_usage(root)[0]
    while time.monotonic() < deadline:
        time.sleep(window)
        now = tree_usage(root)[0]
        if now - cpu < busy * window:
            return
        cpu = now
    raise TimeoutError(f"the server was still busy after {timeout:.0f} s")


# --- the students ---------------------------------------------------------------------------


async def student(i: int, browser, url: str, arrive_s: float, args, out: dict) -> None:
    await asyncio.sleep(arrive_s)
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        page = await context.new_page()
        t = time.perf_counter()
        response = await page.goto(url, wait_until="commit", timeout=args.page_timeout * 1000)
        if response is None or response.status == 503:
            out["full"].append(i)
            return
        try:
            await page.wait_for_function(
                "() => !!document.querySelector('.bpw-dashboard')", timeout=args.page_timeout * 1000, polling=POLL_MS
            )
            await page.evaluate(HELPERS)
            left = args.page_timeout - (time.perf_counter() - t)
            await page.wait_for_function("() => window.__ready()", timeout=max(left, 1) * 1000, polling=POLL_MS)
        except Exception:
            out["never_interactive"].append(i)
            return
        out["tti_s"].append(time.perf_counter() - t)
        row = page.locator(f".bpw-param-{PARAM}").first
        if not await row.is_visible():  # its accordion section is folded: open it
            await page.locator("[class*='Collapse']", has=row).locator("[class*='Collapse-header']").last.click()
        field = row.locator(".bpw-text input")
        end = time.perf_counter() + args.duration
        k = i  # students type different values
        while time.perf_counter() < end:
            tick = time.perf_counter()
            await page.evaluate("window.__arm()")
            shown = await field.input_value()
            while float(VALUES[k % len(VALUES)]) == float(shown or "nan"):  # a real change
                k += 1
            await field.fill(VALUES[k % len(VALUES)])
            await field.press("Enter")
            k += 1
            try:
                # the page timed the change itself; polling only fetches the figure
                lat = await page.wait_for_function("() => window.__lat", timeout=EDIT_TIMEOUT_S * 1000, polling=POLL_MS)
                out["edit_ms"].append(await lat.json_value())
            except Exception:
                out["lost_edits"] += 1
            await asyncio.sleep(max(0.0, args.edit_every - (time.perf_counter() - tick)))
    finally:
        await context.close()


async def classroom(url: str, args) -> dict:
    out = {"tti_s": [], "edit_ms": [], "full": [], "never_interactive": [], "lost_edits": 0}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        out["browser"] = f"chromium {browser.version}"
        n = args.students
        arrivals = [args.arrival * i / max(n - 1, 1) for i in range(n)]  # evenly over 10 s
        await asyncio.gather(*(student(i, browser, url, a, args, out) for i, a in enumerate(arrivals)))
        await browser.close()
    return out


def pct(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, default=20)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds each student edits")
    ap.add_argument("--arrival", type=float, default=10.0, help="students arrive within this (s)")
    ap.add_argument("--edit-every", type=float, default=2.0, help="seconds between a student's edits")
    ap.add_argument(
        "--page-timeout", type=float, default=120.0, help="a page not interactive after this (s) counts as a failure"
    )
    ap.add_argument("--no-pin", action="store_true", help="do not pin server and browser to CPUs")
    ap.add_argument("--server-log", type=Path, help="save what serve and Voila logged here")
    ap.add_argument("--max-kernels", type=int, help="passed on to serve (default: serve's)")
    args = ap.parse_args(argv)
    if chromium_missing():
        return 1
    pin = not args.no_pin and shutil.which("taskset") and len(os.sched_getaffinity(0)) >= 2
    res: dict = {
        "students": args.students,
        "max_kernels": args.max_kernels or "serve's default",
        "duration_s": args.duration,
        "arrival_s": args.arrival,
        "cpus": os.cpu_count(),
        "pinned": "server on CPU 0 (taskset -c 0), browser on CPU 1" if pin else False,
    }
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        proc = None
        try:
            t = time.perf_counter()
            proc, url = start_server(args.students, log, bool(pin), args.max_kernels)
            if pin:
                os.sched_setaffinity(0, {1})  # this script, Playwright's driver and chromium
            wait_pool_filled(Path(log.name), proc, timeout=600)
            wait_idle(proc.pid, timeout=600)  # the pool's kernels have run the notebook
            res["server_ready_s"] = round(time.perf_counter() - t, 1)
            cpu0, rss0, n0 = tree_usage(proc.pid)
            busy0 = cpu_busy()
            res["server_before_class"] = {"cpu_s": round(cpu0, 1), "rss_mb": round(rss0 / 2**20), "processes": n0}
            sampler = Sampler(proc.pid)
            sampler.start()
            t = time.perf_counter()
            out = asyncio.run(classroom(url, args))
            res["class_wall_s"] = round(time.perf_counter() - t, 1)
            cpu1, rss1, n1 = tree_usage(proc.pid)
            busy1 = cpu_busy()
            sampler.stop.set()
            sampler.join()
        except Exception:
            log.seek(0)
            print(log.read()[-3000:], file=sys.stderr)
            raise
        finally:
            if proc is not None and proc.poll() is None:
                proc.terminate()  # serve stops Voila, which shuts its kernels down
                proc.wait(timeout=60)
        log.seek(0)
        text = log.read()
    if args.server_log:
        args.server_log.write_text(text)
    tti, edits = out["tti_s"], out["edit_ms"]
    res["browser"] = out["browser"]
    res["time_to_interactive_s"] = {
        "median": round(statistics.median(tti), 2) if tti else None,
        "max": round(max(tti), 2) if tti else None,
        "interactive": len(tti),
    }
    res["edit_latency_ms"] = {
        "median": round(statistics.median(edits), 1) if edits else None,
        "p95": round(pct(edits, 0.95), 1) if edits else None,
        "max": round(max(edits), 1) if edits else None,
        "edits": len(edits),
    }
    res["failures"] = {
        "full_page": len(out["full"]),
        "never_interactive": len(out["never_interactive"]),
        "edits_without_update": out["lost_edits"],
    }
    res["server_during_class"] = {
        "cpu_s": round(cpu1 - cpu0, 1),
        "peak_rss_mb": round(sampler.peak_rss / 2**20),
        "end_rss_mb": round(rss1 / 2**20),
        "peak_processes": sampler.peak_procs,
    }
    # what each CPU did during the class, whoever ran there (with pinning: 0 server, 1 browser)
    res["cpu_busy_during_class"] = {
        k: f"{busy1[k] - busy0[k]:.1f} s ({(busy1[k] - busy0[k]) / res['class_wall_s']:.0%})" for k in busy1
    }
    res["server_log"] = {
        "refused_kernels": text.count("Refusing to start a kernel"),
        "kernels_started": text.count("Kernel started:"),
    }
    print(json.dumps(res, indent=1))
    goal = (
        len(tti) == args.students
        and max(tti) <= 30
        and edits
        and pct(edits, 0.95) <= 300
        and not out["full"]
        and not out["never_interactive"]
        and not out["lost_edits"]
    )
    print(f"goal (all interactive ≤ 30 s, edit p95 ≤ 300 ms, no failures): {'met' if goal else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
