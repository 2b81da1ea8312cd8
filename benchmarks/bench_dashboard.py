"""Benchmark the dashboard, kernel side: one weight's widget value → diagram data and panel text.

    .venv/bin/python benchmarks/bench_dashboard.py [--runs 200] [--largest] [--runs-per-step 5]

Ours: set ``row.text.value`` of one weight (the path a typed value takes; a slider drag takes
the same path) and wait for nothing: the observers run synchronously, so when the assignment
returns the state, the worked example, the panel's HTML and the diagram image are updated.

Naive baseline, in the same process: the same change handled by redrawing everything — a new
trace, a new worked example, and a new diagram figure built from scratch and rendered
(``NetworkDiagram(sizes)`` each time, as a callback that calls ``draw_networkx`` on a fresh
figure would). Reports medians (ms) and the ratio naive / ours, and the diagram's bytes per edit:
the median size of what the picture widget sends to the page (its state messages, as JSON) against
the whole picture's.

``--largest``: the largest networks the page takes (``core.validation``: 10 layers, 16 neurons a
layer, 1,000 weights and biases, in each shape that reaches a limit) and two it refuses. For
each: kernel CPU (``time.process_time``, so that other processes on the machine count less) to
open the page, and per edit of w₁,₁⁽¹⁾ at every step of the walk, the worst step's median. The
page's promise: every edit of a network it takes within 100 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

from backprop_widgets import Dashboard, Network, worked_example
from backprop_widgets.core import default_sample
from backprop_widgets.core.validation import check_page_sizes, n_params
from backprop_widgets.draw.diagram import NetworkDiagram

from timing import median_ms  # benchmarks/timing.py (scripts run from this folder)


def bench(app: Dashboard, name: str, runs: int) -> tuple[float, float]:
    row = app.params.rows.get(name)
    if row is None:  # large nets: the selected-value editor
        app.params.selector.value = name
        row = app.params.rows[name]
    values = iter(np.tile(np.linspace(-1.0, 1.0, 41), runs))

    def ours():
        row.text.value = f"{next(values):.3f}"
        assert app.step_panel.panel.value and app.diagram_view.picture.value

    def naive():
        s = app.state
        net = s.network.with_param(name, next(values))
        trace = net.trace(s.x, s.y)
        we = worked_example(net, s.x, s.y, traced=s.traced)
        d = NetworkDiagram(net.sizes)
        d.update(trace, highlight=we.steps[0].touches)
        html, data = we.step_html(0), d.render()
        assert html and data

    return median_ms(ours, runs), median_ms(naive, max(20, runs // 5))


def bytes_per_edit(app: Dashboard, name: str, runs: int) -> tuple[float, int]:
    """The median bytes the picture widget sends per edit of ``name`` (its state messages as
    JSON, what the comm carries), and the whole picture's bytes."""
    picture = app.diagram_view.picture
    sent: list[int] = []
    picture._send = lambda msg, buffers=None: sent.append(len(json.dumps(msg, ensure_ascii=False).encode()))
    row = app.params.rows[name]
    per_edit = []
    for v in np.tile(np.linspace(-1.0, 1.0, 41), runs // 41 + 1)[:runs]:
        sent.clear()
        row.text.value = f"{v:.3f}"
        per_edit.append(sum(sent))
    del picture._send
    return statistics.median(per_edit), len(picture.value.encode())


#: at the page's limits: deepest (10 layers), widest (16 a layer) with the most weights (1,000),
#: the README's [8,16,16,8,4]; then one the page refuses, for scale
LARGEST = ([10] * 10, [2, 16, 16, 16, 16, 8], [4, 16, 16, 16, 16, 4], [16, 16, 16, 16], [8, 16, 16, 8, 4])
REFUSED = ([16] * 10,)  # [64] * 10: 3.4 CPU-s to open, 1.0 per edit (issue 21)


def cpu_ms(fn) -> float:
    start = time.process_time()
    fn()
    return 1e3 * (time.process_time() - start)


def largest(sizes: list[int], runs_per_step: int) -> tuple[float, float, str]:
    """CPU ms to open a page of ``sizes``; the worst step's median CPU ms per edit, and its id."""
    net = Network.random(sizes, seed=0)
    x, y = default_sample(net)
    box: list[Dashboard] = []
    open_ms = cpu_ms(lambda: box.append(Dashboard(net, x, y)))
    app = box[0]
    row = app.params.rows.get("w1,1,1")
    if row is None:  # large nets: the selected-value editor
        app.params.selector.value = "w1,1,1"
        row = app.params.rows["w1,1,1"]
    values = iter(np.linspace(-1.0, 1.0, 10_000))
    worst = (0.0, "")
    for i, step in enumerate(app.state.worked.steps):
        app.go(i)
        times = [cpu_ms(lambda: setattr(row.text, "value", f"{next(values):.6f}")) for _ in range(runs_per_step)]
        worst = max(worst, (statistics.median(times), step.id))
    return open_ms, *worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--largest", action="store_true", help="the largest networks the page takes, every step")
    parser.add_argument("--runs-per-step", type=int, default=5)
    args = parser.parse_args()
    if args.largest:
        print("the largest networks the page takes: kernel CPU ms to open, and per edit at the worst step")
        print(f"{'network':<34}{'params':>7}{'open':>8}{'edit':>8}  worst step")
        for sizes in LARGEST + REFUSED:
            try:
                check_page_sizes(sizes)
                taken = ""
            except ValueError:
                taken = "  (refused by the page)"
            label = ",".join(map(str, sizes))
            open_ms, edit_ms, step = largest(sizes, args.runs_per_step)
            print(f"{label:<34}{n_params(sizes):7d}{open_ms:8.0f}{edit_ms:8.1f}  {step}{taken}", flush=True)
        return
    runs = args.runs
    rng = np.random.default_rng(0)
    big = Network.random([8, 16, 16, 8, 4], seed=0)
    cases = [
        ("[3,2,2,1] seed", Dashboard(), "w2,1,2"),
        ("[8,16,16,8,4]", Dashboard(big, rng.uniform(-1, 1, 8), rng.uniform(0, 1, 4)), "w2,3,4"),
    ]
    print(f"widget value → panel + diagram updated, median of {runs} runs (ms)")
    print(f"{'network':<18}{'ours':>9}{'naive':>9}{'ratio':>8}{'sent B':>9}{'picture B':>11}")
    for label, app, name in cases:
        ours, naive = bench(app, name, runs)
        sent, whole = bytes_per_edit(app, name, runs)
        print(f"{label:<18}{ours:9.2f}{naive:9.2f}{naive / ours:8.1f}{sent:9.0f}{whole:11d}")


if __name__ == "__main__":
    main()
