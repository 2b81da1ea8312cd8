"""Benchmark the worked example: every step of [8,16,16,8,4], LaTeX included, against a naive build.

    .venv/bin/python benchmarks/bench_walkthrough.py [--runs 300]

Measured: ``worked_example(net, x, y, "w1,1,1")`` (trace, centred difference, paths and every
step) plus ``step.latex`` of every step — what the dashboard does on each slider move. Budget:
5 ms median.

Baseline, same process, same output: the same step builders as a first implementation would run
them — every kind of step recomputes ``net.trace(x, y)`` (the forward and BP2 steps share one
per kind), nothing is formatted once and reused (W⁽ˡ⁾ is formatted again in BP2), and each
number goes through numpy scalar operations
(``np.float64``, ``np.log10``, ``np.format_float_positional``) instead of Python floats.
Reports the medians (ms) and the ratio.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from backprop_widgets import Network
from backprop_widgets.core import check_gradient, numfmt
from backprop_widgets.explain import steps, walkthrough
from backprop_widgets.explain.steps import kinds as step_kinds

from timing import median_ms  # benchmarks/timing.py (scripts run from this folder)

SIZES = [8, 16, 16, 8, 4]


def build(net, x, y) -> list[str]:
    we = walkthrough.worked_example(net, x, y, traced="w1,1,1")
    return [s.latex for s in we.steps]


# --- the naive baseline ----------------------------------------------------------------------


def naive_fmt(x, unicode: bool = False) -> str:
    v = np.float64(x)
    a = np.abs(v)
    if a < numfmt.ZERO:
        return "0.0"
    if a < numfmt.SMALL or a >= numfmt.LARGE or not np.isfinite(v):
        return numfmt.sci(float(v), unicode)
    d = int(max(4, 2 - np.floor(np.log10(a))))
    s = np.format_float_positional(v, precision=d, unique=False, fractional=True)
    if np.abs(v - np.float64(s)) <= 1e-12 * max(1.0, float(a)):
        s = s.rstrip("0")
        if s.endswith("."):
            s += "0"
    return "−" + s[1:] if unicode and s[0] == "-" else s


def naive_fmt_all(values, unicode: bool = False) -> list[str]:
    return [naive_fmt(v, unicode) for v in np.asarray(values, dtype=float).ravel()]


class NaivePrinted(steps.Printed):
    """Recomputes the trace for every step and formats every number again on every use."""

    def __init__(self, net, x, y) -> None:
        super().__init__(net.trace(x, y))

    def _get(self, key, make):
        return make()


#: every module that prints numbers for the steps (each imported fmt and fmt_all by name)
STEP_MODULES = [steps, *(sys.modules[kind.build.__module__] for kind in step_kinds.STEP_KINDS.values())]


def naive_build(net, x, y) -> list[str]:
    saved = [(m, m.__dict__.get("fmt"), m.__dict__.get("fmt_all")) for m in STEP_MODULES]
    for m, fmt, fmt_all in saved:
        if fmt is not None:
            m.fmt = naive_fmt
        if fmt_all is not None:
            m.fmt_all = naive_fmt_all
    try:
        p = net.check_param("w1,1,1")
        numerical = net.numerical_gradient_of(p, x, y)
        check = check_gradient(net.trace(x, y), p, numerical["numerical"], numerical["eps"])
        paths = walkthrough.path_sum(net.trace(x, y), p, 6)
        out = []
        for kind in step_kinds.STEP_KINDS.values():  # a new trace for each kind of step
            out += kind.build(steps.Context(NaivePrinted(net, x, y), p, numerical, check, paths))
        return [s.latex for s in out]
    finally:
        for m, fmt, fmt_all in saved:
            if fmt is not None:
                m.fmt = fmt
            if fmt_all is not None:
                m.fmt_all = fmt_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    runs = max(200, args.runs)
    net = Network.random(SIZES, seed=0)
    x = np.round(np.linspace(1.0, -1.0, SIZES[0]), 2)
    y = np.eye(SIZES[-1])[0]
    fast, naive = build(net, x, y), naive_build(net, x, y)
    n_chars = sum(map(len, fast))
    print(
        f"worked example {SIZES}, target w1,1,1: {len(fast)} steps, {n_chars} characters of LaTeX;"
        f" naive output identical: {fast == naive}"
    )
    t_fast = median_ms(lambda: build(net, x, y), runs)
    t_naive = median_ms(lambda: naive_build(net, x, y), runs)
    print(f"worked_example + every step's latex: {t_fast:.2f} ms median of {runs} (budget 5 ms)")
    print(f"naive baseline (trace per step, numpy scalar formatting): {t_naive:.2f} ms median")
    print(f"ratio naive / ours: {t_naive / t_fast:.1f}×")


if __name__ == "__main__":
    main()
