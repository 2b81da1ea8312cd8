"""What one student costs the server: CPU-seconds from a page request to interactive, and the
memory of the student's kernel.

    python benchmarks/bench_student.py              # 5 pages of each kind
    python benchmarks/bench_student.py --pages 9

Starts the app's Voila (the configuration ``serve`` uses, ``serve.voila_command``) twice:

- **cold**: no preheated kernel. A page request starts a kernel, which runs the notebook.
- **preheated**: a pool of one, as plain ``serve``. A page gets the kernel that already ran the
  notebook, and Voila at once starts the next one for the next student (the refill). The cost
  of a student is the page plus that refill, so both are counted.

And a one-field Voila app (``bench_browser``'s floor) on the same server, preheated: what any
Voila widget page costs.

For each page: the server's CPU-seconds (Voila and all its kernels, read from /proc, the browser
not counted) from the ``goto`` until the page is interactive and the server is idle again; the
page's kernel's RSS (and USS, its own pages) then; and the browser's CPU-seconds over the same
time (chromium, Playwright's driver and this script: one student's computer). The server is
pinned to CPU 0 and the browser to CPU 1 (where there are two). Prints JSON with medians.

Goals (issue 15): ≤ 1.5 CPU-s per page, ≤ 100 MB per kernel.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_browser import floor_notebook
from bench_classroom import HELPERS, tree_usage, wait_idle
from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, chromium_missing
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from backprop_widgets.cli import serve  # noqa: E402


def kernels(root: int) -> list[int]:
    """Pids of the kernels under the server ``root`` (``ipykernel_launcher`` command lines)."""
    parent = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue

    def under(pid: int) -> bool:
        while pid > 1:
            if pid == root:
                return True
            pid = parent.get(pid, 0)
        return False

    found = []
    for pid in parent:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel_launcher" in cmd and under(pid):
            found.append(pid)
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, USS) of a process in MB, from /proc/<pid>/smaps_rollup. RSS counts the pages it
    shares with the other kernels (Python, numpy's libraries …) in full; USS (its private pages)
    is what one more kernel adds."""
    rss = uss = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key == "Rss":
            rss = int(rest.split()[0])
        elif key in ("Private_Clean", "Private_Dirty"):
            uss += int(rest.split()[0])
    return rss / 1024, uss / 1024


def start(folder: Path, pool_size: int, pin: bool, notebook: Path = serve.APP_NOTEBOOK) -> tuple[subprocess.Popen, str]:
    """``serve``'s Voila (its configuration: culling, the shutdown on close …) on ``notebook``."""
    port = serve.first_port(0)
    serve.trust_notebook(notebook, folder)
    cmd = serve.voila_command(
        port, notebook, config_dir=folder, notary_dir=folder, pool_size=pool_size, port_retries=50
    )
    if pin:
        cmd = ["taskset", "-c", "0", *cmd]
    log = open(folder / "voila.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        text = (folder / "voila.log").read_text()
        if "is running at:" in text:  # "Voilà is running at:\nhttp://127.0.0.1:PORT/"
            url = text.split("is running at:")[1].split()[0]
            return proc, url if url.endswith("/") else url + "/"
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with {proc.returncode}:\n{text[-2000:]}")
        time.sleep(0.2)
    raise TimeoutError("voila did not start")


DASHBOARD_READY = "() => !!document.querySelector('.bpw-dashboard') && (window.__ready ? window.__ready() : false)"
FLOOR_READY = "() => !!document.querySelector('.floor-field input')"


def pages(url: str, root: int, n: int, pool: int, ready: str = DASHBOARD_READY) -> list[dict]:
    """Open ``n`` pages one after the other, each in a fresh browser context (an empty cache, as
    a student's first visit), and measure each until interactive and the server idle again.

    The page's kernel: with no pool, the one started for it; with a pool, the preheated one it
    was given (the other new one is the refill). Each page is closed as a tab is (its
    ``beforeunload`` asks Voila to shut its kernel down), so only the pool's kernels are left
    before the next page."""
    rows = []
    me = os.getpid()  # this script, Playwright's driver and chromium — and the servers it started
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(n):
            wait_kernels(root, pool)
            wait_idle(root, timeout=180)
            before = set(kernels(root))
            cpu0, all0 = tree_usage(root)[0], tree_usage(me)[0]
            ctx = browser.new_context(viewport=VIEWPORT)
            ctx.add_init_script(HELPERS_INIT)
            page = ctx.new_page()
            t = time.perf_counter()
            page.goto(url, wait_until="commit", timeout=120_000)
            page.wait_for_function(ready, timeout=120_000, polling=50)
            tti = time.perf_counter() - t
            wait_idle(root, timeout=180)
            cpu, everything = tree_usage(root)[0] - cpu0, tree_usage(me)[0] - all0
            after = set(kernels(root))
            mine = (after & before) if pool else (after - before)
            rows.append(
                {
                    "tti_s": tti,
                    "cpu_s": cpu,
                    "client_cpu_s": everything - cpu,  # the server is a child of this script too
                    "kernels": [memory_mb(pid) for pid in mine],
                }
            )
            page.close(run_before_unload=True)
            ctx.close()
        browser.close()
    return rows


def wait_kernels(root: int, count: int, timeout: float = 60.0) -> None:
    """Until the server runs ``count`` kernels (a closed page's kernel has been shut down)."""
    deadline = time.monotonic() + timeout
    while len(kernels(root)) != count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(kernels(root))} kernels, not {count}, after {timeout:.0f} s")
        time.sleep(0.2)


# bench_classroom's page helpers, installed once the page has a document
HELPERS_INIT = f"document.addEventListener('DOMContentLoaded', () => ({HELPERS})());"


def summary(rows: list[dict]) -> dict:
    med = lambda xs: round(statistics.median(xs), 2)  # noqa: E731
    return {
        "pages": len(rows),
        "server_cpu_s_median": med([r["cpu_s"] for r in rows]),
        "server_cpu_s_all": [round(r["cpu_s"], 2) for r in rows],
        "browser_cpu_s_median": med([r["client_cpu_s"] for r in rows]),
        "page_to_interactive_s_median": med([r["tti_s"] for r in rows]),
        "kernel_rss_mb_median": round(statistics.median(m[0] for r in rows for m in r["kernels"])),
        "kernel_uss_mb_median": round(statistics.median(m[1] for r in rows for m in r["kernels"])),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=5)
    ap.add_argument("--no-pin", action="store_true")
    args = ap.parse_args(argv)
    if chromium_missing():
        return 1
    pin = not args.no_pin and shutil.which("taskset") and len(os.sched_getaffinity(0)) >= 2
    res: dict = {"pinned": "server on CPU 0, browser on CPU 1" if pin else False}
    if pin:
        os.sched_setaffinity(0, {1})
    for name, pool in (("cold", 0), ("preheated", 1)):
        with tempfile.TemporaryDirectory() as tmp:
            proc, url = start(Path(tmp), pool, bool(pin))
            try:
                res[name] = summary(pages(url, proc.pid, args.pages, pool))
            finally:
                proc.terminate()
                proc.wait(timeout=60)
    # the floor: a one-field Voila app (bench_browser's), on the same server, measured the same way
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start(Path(tmp), 1, bool(pin), floor_notebook(Path(tmp)))
        try:
            res["floor_preheated"] = summary(pages(url, proc.pid, args.pages, 1, FLOOR_READY))
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
