"""Benchmark the Dataset tab's pictures in the kernel, against drawing them from scratch.

    .venv/bin/python benchmarks/bench_boundary.py [--runs 60]

Each picture is timed as a frame of a run costs it: the network changed, so update (the grid's
outputs, or the curves' data) and render (JPEG / SVG text), on circles (160 training and 40
test points) with [2,4,1] tanh after 50 epochs (800 steps of gradient norms).

- boundary: ``BoundaryPicture.update`` + ``render`` (image ``set_data``, axes' pixels kept) against
  ``naive_boundary_png`` (a new figure, ``imshow``, ``scatter``, ``savefig``) with the same outputs;
- loss and gradient-norm charts: ``LineChart`` SVG text against a new matplotlib figure
  (``plot``/``semilogy``, ``savefig`` SVG);
- the whole tab's ``render()`` (boundary, both charts, the status line), as during a run;
- how many frames a Run shows per second in an asyncio loop (as in the kernel; the page's
  network, diagram and header follow the frames while that takes at most a third of the time,
  the steps and the value rows once a second: ``app/run_pace.py``).

The issue asks for ≤ 30 ms a picture in the kernel. Reports medians (ms) of many runs and the
ratios, and the boundary's median process time (CPU): on a shared machine the wall time also
counts the waits for a free core.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from backprop_widgets import Dashboard, Network
from backprop_widgets.draw.boundary import BoundaryPicture, naive_boundary_png
from backprop_widgets.draw.curves import grad_chart, grad_series, loss_chart, loss_series

from timing import median_ms  # benchmarks/timing.py (scripts run from this folder)


def median_cpu_ms(fn, runs: int) -> float:
    """Median process time of ``fn()`` in ms after a warm-up call: the time the process itself
    ran (on a shared machine the wall time also counts the waits for a free core)."""
    fn()
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return 1e3 * statistics.median(times)


def naive_chart(series: dict, log: bool) -> str:
    """A chart drawn from scratch by matplotlib: new figure, one line per series, SVG text."""
    fig = Figure(figsize=(4.2, 2.3), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for label, (values, colour, dashed) in series.items():
        (ax.semilogy if log else ax.plot)(np.asarray(values), color=colour, ls="--" if dashed else "-", label=label)
    ax.legend()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


def run_rate(app: Dashboard, seconds: float = 3.0) -> float:
    """Frames per second a Run shows in an asyncio loop, as in the kernel (no browser: the
    pictures are made, not sent)."""
    ds = app.state.dataset
    frames = []
    ds.observe(lambda _: frames.append(time.perf_counter()), names="frame")

    async def go() -> None:
        ds.start(10_000, 0.5)
        await asyncio.sleep(seconds)
        ds.stop()

    asyncio.run(go())
    return (len(frames) - 2) / (frames[-2] - frames[0]) if len(frames) > 2 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    runs = parser.parse_args().runs
    app = Dashboard()
    app.state.replace_network(Network.random([2, 4, 1], seed=0, activation="tanh"))
    app.state.tab = "dataset"
    ds = app.state.dataset
    ds.train(50, 0.5)
    d, nets = ds.data, [Network.random([2, 4, 1], seed=s, activation="tanh") for s in range(4)]
    picture = BoundaryPicture()
    picture.set_points(d.X_train, d.Y_train, d.X_test, d.Y_test)
    i = iter(range(10**9))

    def boundary() -> bytes:
        picture.update(nets[next(i) % 4])  # a new network each frame, as in a run
        return picture.render()

    def naive_boundary() -> bytes:
        return naive_boundary_png(nets[next(i) % 4], d.X_train, d.Y_train, d.X_test, d.Y_test)

    losses = loss_series(ds.loss_history, ds.test_loss_history)
    grads = grad_series(ds.grad_norms, 2)
    charts = {"loss": (loss_chart(), losses, False), "gradient norms": (grad_chart(), grads, True)}
    rows = [("boundary (100×100, 200 points)", median_ms(boundary, runs), median_ms(naive_boundary, max(runs // 3, 5)))]
    cpu = median_cpu_ms(boundary, runs), median_cpu_ms(naive_boundary, max(runs // 3, 5))
    for name, (chart, series, log) in charts.items():

        def fast(chart=chart, series=series) -> str:
            chart.update(series)
            return chart.render()

        rows.append(
            (f"{name} chart", median_ms(fast, runs), median_ms(lambda s=series, lg=log: naive_chart(s, lg), runs // 3))
        )
    print(f"{'picture: update + render':38} {'in place':>10} {'naive':>10} {'ratio':>7}")
    for name, ms, naive in rows:
        print(f"{name:38} {ms:8.2f} ms {naive:7.1f} ms {naive / ms:6.1f}×")
    print(f"{'boundary, process time (CPU)':38} {cpu[0]:8.2f} ms {cpu[1]:7.1f} ms {cpu[1] / cpu[0]:6.1f}×")

    def frame() -> None:
        ds.frame += 1  # what a run does each frame: the tab renders every picture
        ds.net = nets[next(i) % 4]

    print(f"{'the whole tab render() a frame':38} {median_ms(frame, runs):8.2f} ms")
    print(f"{'a Run in the event loop (kernel side)':38} {run_rate(app):8.1f} frames/s")
    ds.net = None
    step = median_ms(lambda: ds.train(1, 0.5), runs // 3)
    print(f"{'Step: 1 epoch, the page and tab follow':38} {step:8.2f} ms")


if __name__ == "__main__":
    main()
