"""Benchmark the dashboard, kernel side: one weight's widget value → diagram data and panel text.

    .venv/bin/python benchmarks/bench_dashboard.py [--runs 200]

Ours: set ``row.text.value`` of one weight (the path a typed value takes; a slider drag takes
the same path) and wait for nothing: the observers run synchronously, so when the assignment
returns the state, the worked example, the panel's HTML and the diagram image are updated.

Naive baseline, in the same process: the same change handled by redrawing everything — a new
trace, a new worked example, and a new diagram figure built from scratch and rendered
(``NetworkDiagram(sizes)`` each time, as a callback that calls ``draw_networkx`` on a fresh
figure would). Reports medians (ms) and the ratio naive / ours.
"""

from __future__ import annotations

import argparse

import numpy as np

from backprop_widgets import Dashboard, Network, worked_example
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
        assert app.panel.value and app.picture.value

    def naive():
        s = app.state
        net = s.network.with_param(name, next(values))
        trace = net.trace(s.x, s.y)
        we = worked_example(net, s.x, s.y, target=s.target)
        d = NetworkDiagram(net.sizes)
        d.update(trace, highlight=we.steps[0].touches)
        html, data = we.step_html(0), d.render()
        assert html and data

    return median_ms(ours, runs), median_ms(naive, max(20, runs // 5))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    rng = np.random.default_rng(0)
    big = Network.random([8, 16, 16, 8, 4], seed=0)
    cases = [
        ("[3,2,2,1] seed", Dashboard(), "w2,1,2"),
        ("[8,16,16,8,4]", Dashboard(big, rng.uniform(-1, 1, 8), rng.uniform(0, 1, 4)), "w2,3,4"),
    ]
    print(f"widget value → panel + diagram updated, median of {runs} runs (ms)")
    print(f"{'network':<18}{'ours':>9}{'naive':>9}{'ratio':>8}")
    for label, app, name in cases:
        ours, naive = bench(app, name, runs)
        print(f"{label:<18}{ours:9.2f}{naive:9.2f}{naive / ours:8.1f}")


if __name__ == "__main__":
    main()
