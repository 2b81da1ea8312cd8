"""Benchmark training on the page, kernel side: how long Run N steps takes, and how long the
kernel can be kept from a message (Stop, an edit) while a run goes on.

    .venv/bin/python benchmarks/bench_training.py [--runs 9] [--stops 20] [--browser 10]

**Run N steps** (the Train tab shown, as on the page): from the click to the page showing the
run's end. Ours: the run computes its steps and shows the state once at its end (and, in the
kernel, at most every ``FRAME_S`` s on the way). Naive baseline, in the same process: the run
shows the state after every step up to 20 steps, and every N/20 steps beyond (what the page did
before: each showing writes a worked example and redraws the diagram, the panel, every field and
the loss curve). Medians (ms) and the ratio naive / ours.

**A message during a run**: a thread stands for the kernel's shell channel. At a random moment
of a run of 100 000 steps it hands the loop a Stop (``call_soon_threadsafe``, as ipykernel hands
the main loop a message), and we time how long the loop takes to run it. Ours: the run in the
loop, in chunks. Naive: the run as one call (the page's old callback), which holds the loop until
its end, measured on a run of 500 steps (the old page's longest). Median and worst (ms).

**In the browser** (``--browser K``, headless Debian chromium against a Voila of its own): K
times, a run of 100 000 steps is started from the page and, at a random moment once it shows
progress, Stop is clicked; from the click to the page saying "Training stopped" (polled every
2 ms in the page). And Run 20 steps: from the click to the curve's caption saying "after 20
steps". Medians and worst (ms).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import threading
import time
from pathlib import Path

from backprop_widgets import Dashboard

ROOT = Path(__file__).resolve().parents[1]


def dashboard() -> Dashboard:
    app = Dashboard()
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Train")  # the tab a run is started from
    return app


def naive_run(app: Dashboard, n: int, eta: float = 0.5) -> None:
    """The page's old Run N steps: the state shown after every step (every n/20 steps)."""
    s = app.state
    net, trace = s.network, s.trace
    every = max(1, n // 20)
    for i in range(1, n + 1):
        net = net.gradient_step(s.x, s.y, eta=eta, trace=trace)
        trace = net.trace(s.x, s.y)
        if i % every == 0 or i == n:
            s.set(network=net)  # one more trace, then every view follows


def median_from_start_ms(app: Dashboard, fn, runs: int) -> float:
    """Median ms of ``fn()`` over ``runs`` calls, each from the seed network (set untimed)."""
    start, times = app.state.network, []
    for _ in range(runs + 1):  # the first is a warm-up
        app.state.set(network=start)
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    app.state.set(network=start)
    return 1e3 * statistics.median(times[1:])


def run_steps(app: Dashboard, n: int, runs: int) -> tuple[float, float]:
    app.tab_bar.views["train"].n_steps.value = n

    def ours():
        app.tab_bar.views["train"].run_btn.click()  # outside an event loop the click returns at the run's end
        assert len(app.state.training.loss_history) == n + 1

    return median_from_start_ms(app, ours, runs), median_from_start_ms(app, lambda: naive_run(app, n), runs)


def stop_waits(stops: int) -> list[float]:
    """ms from a Stop handed to the loop (by another thread) to the loop running it, one per run."""

    async def one(app: Dashboard) -> float:
        loop = asyncio.get_running_loop()
        app.tab_bar.views["train"].n_steps.value = 100_000
        app.tab_bar.views["train"].run_btn.click()
        handed, ran = [], asyncio.Event()

        def stop():
            app.tab_bar.views["train"].stop_btn.click()
            handed.append(time.perf_counter() - handed[0])
            ran.set()

        def shell_channel():
            time.sleep(random.uniform(0.3, 1.5))
            handed.append(time.perf_counter())
            loop.call_soon_threadsafe(stop)

        threading.Thread(target=shell_channel).start()
        await ran.wait()
        assert app.state.training.run is None
        app.state.training.reset()
        return 1e3 * handed[1]

    app = dashboard()
    return [asyncio.run(one(app)) for _ in range(stops)]


def naive_stop_waits(stops: int) -> list[float]:
    """The same, while the old callback runs 500 steps as one call in the loop."""

    async def one(app: Dashboard) -> float:
        loop = asyncio.get_running_loop()
        handed, waits = [], []
        start = app.state.network

        def stop():
            waits.append(time.perf_counter() - handed[0])

        def shell_channel():
            time.sleep(random.uniform(0.05, 0.5))
            handed.append(time.perf_counter())
            loop.call_soon_threadsafe(stop)

        threading.Thread(target=shell_channel).start()
        naive_run(app, 500)  # the callback: the loop waits for it
        while not waits:
            await asyncio.sleep(0.001)
        app.state.set(network=start)
        return 1e3 * waits[0]

    app = dashboard()
    return [asyncio.run(one(app)) for _ in range(stops)]


UNTIL = """async ([selector, text]) => {
  const t0 = performance.now();
  document.querySelector(selector).click();
  return await new Promise((done) => {
    const poll = setInterval(() => {
      if ([...document.querySelectorAll('.bpw-train-msg, .bpw-train-summary')]
          .some((e) => e.textContent.includes(text))) {
        clearInterval(poll);
        done(performance.now() - t0);
      }
    }, 2);
  });
}"""


def in_the_browser(times: int) -> dict[str, list[float]]:
    """ms from a click on Stop (Run) to the page saying the run stopped (ended), ``times`` each."""
    import tempfile

    from bench_browser import start_voila
    from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
    from playwright.sync_api import expect, sync_playwright

    out: dict[str, list[float]] = {"Stop → stopped": [], "Run 20 → done": []}
    with tempfile.TemporaryFile("w+") as log:
        proc, url = start_voila(ROOT / "notebooks" / "dashboard.ipynb", log, [])
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport=VIEWPORT)
                page.set_default_timeout(120_000)
                page.goto(url)
                page.get_by_role("tab", name="Train").click()
                n = page.locator(".bpw-train-n input").first
                progress = page.locator(".bpw-train-progress").first
                for _ in range(times):
                    n.fill("100000")
                    n.press("Enter")
                    page.locator("button.bpw-train-run").click()
                    expect(progress).to_contain_text("of 100000")
                    page.wait_for_timeout(random.uniform(500, 1500))
                    out["Stop → stopped"].append(page.evaluate(UNTIL, ["button.bpw-train-stop", "Training stopped"]))
                    page.locator("button.bpw-train-reset").click()
                    n.fill("20")
                    n.press("Enter")
                    page.wait_for_timeout(500)
                    out["Run 20 → done"].append(page.evaluate(UNTIL, ["button.bpw-train-run", "after 20 steps"]))
                    page.locator("button.bpw-train-reset").click()
                    page.wait_for_timeout(500)
                browser.close()
        finally:
            proc.terminate()  # Voila shuts its kernels down on SIGTERM
            proc.wait(timeout=30)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--stops", type=int, default=20)
    parser.add_argument("--browser", type=int, default=0, metavar="K", help="also measure K times in chromium")
    args = parser.parse_args()
    if args.browser:
        for label, ms in in_the_browser(args.browser).items():
            print(f"browser: {label:<16} median {statistics.median(ms):8.1f}   worst {max(ms):8.1f}  (ms)")
    app = dashboard()
    print(f"Run N steps, click → the run's end shown, median of {args.runs} runs (ms)")
    print(f"{'N':>6}{'ours':>10}{'naive':>10}{'ratio':>8}")
    for n in (20, 500):
        ours, naive = run_steps(app, n, args.runs)
        print(f"{n:>6}{ours:10.1f}{naive:10.1f}{naive / ours:8.1f}")
    print(f"a Stop handed to the kernel's loop during a run → run (ms), {args.stops} stops")
    for label, waits in (("ours", stop_waits(args.stops)), ("naive", naive_stop_waits(max(3, args.stops // 4)))):
        print(f"{label:<8} median {statistics.median(waits):8.1f}   worst {max(waits):8.1f}")


if __name__ == "__main__":
    main()
