"""The benchmarks' baselines must compute what the product computes, or their ratios mean
nothing; and a benchmark script that no longer runs must fail here, not in `make bench` later.
(Speed itself is measured by the benchmarks, never here.)"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def bench_walkthrough():
    sys.path.insert(0, str(BENCHMARKS))  # the scripts import their timing helper as `timing`
    try:
        yield importlib.import_module("bench_walkthrough")
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.mark.parametrize("sizes", [[3, 2, 2, 1], [8, 16, 16, 8, 4]])
def test_the_naive_worked_example_prints_the_same_latex(bench_walkthrough, sizes):
    from backprop_widgets import Network

    net = Network.random(sizes, seed=1)
    x = np.round(np.linspace(1.0, -1.0, sizes[0]), 2)
    y = np.eye(sizes[-1])[0] if sizes[-1] > 1 else np.array([1.0])
    fast, naive = bench_walkthrough.build(net, x, y), bench_walkthrough.naive_build(net, x, y)
    assert len(fast) > 8 and fast == naive


@pytest.mark.parametrize("script", sorted(p.name for p in BENCHMARKS.glob("bench_*.py")))
def test_every_benchmark_starts(script):
    """Each script imports what it needs (the shared browser settings, one another's helpers) and
    answers --help; `make bench` would otherwise fail only when it reaches it."""
    out = subprocess.run([sys.executable, str(BENCHMARKS / script), "--help"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "usage:" in out.stdout
