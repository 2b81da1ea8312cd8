"""Benchmark the core: ``trace`` and ``numerical_gradient`` against naive baselines in the same run.

    .venv/bin/python benchmarks/bench_core.py [--runs 300]

Baselines:
- trace: a bare numpy forward + backward pass for sigmoid/MSE (no validation, no Trace object);
- numerical gradient: a Python loop of two full forward passes per parameter (copy the weights,
  set θ ± ε, run the net) — what a first implementation would do.
Reports medians (ms) of many runs and the ratio of each to its baseline.
"""

from __future__ import annotations

import argparse

import numpy as np

from backprop_widgets import Network, seed_example

from timing import median_ms  # benchmarks/timing.py (scripts run from this folder)


def bare_trace(Ws, bs, x, y):
    sig = lambda z: 1.0 / (1.0 + np.exp(-z))  # noqa: E731
    a, zs = [x], []
    for W, b in zip(Ws, bs):
        zs.append(W @ a[-1] + b)
        a.append(sig(zs[-1]))
    delta = (a[-1] - y) * a[-1] * (1 - a[-1])
    grads = []
    for l in range(len(Ws) - 1, -1, -1):
        grads.append(np.outer(delta, a[l]))
        if l:
            delta = (Ws[l].T @ delta) * a[l] * (1 - a[l])
    return grads


def looped_numerical_gradient(Ws, bs, x, y, eps=1e-5):
    sig = lambda z: 1.0 / (1.0 + np.exp(-z))  # noqa: E731

    def loss(Ws, bs):
        a = x
        for W, b in zip(Ws, bs):
            a = sig(W @ a + b)
        return 0.5 * np.sum((a - y) ** 2)

    grads = []
    for l in range(len(Ws)):
        for arrs in (Ws, bs):
            g = np.empty_like(arrs[l])
            for idx in np.ndindex(arrs[l].shape):
                plus = [A.copy() for A in arrs]
                minus = [A.copy() for A in arrs]
                plus[l][idx] += eps
                minus[l][idx] -= eps
                if arrs is Ws:
                    g[idx] = (loss(plus, bs) - loss(minus, bs)) / (2 * eps)
                else:
                    g[idx] = (loss(Ws, plus) - loss(Ws, minus)) / (2 * eps)
            grads.append(g)
    return grads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    runs = parser.parse_args().runs
    seed_net, seed_x, seed_y = seed_example()
    cases = [("[3,2,2,1] seed", seed_net, seed_x, seed_y)]
    for sizes in ([8, 16, 16, 8, 4], [64, 32, 16, 10]):
        rng = np.random.default_rng(0)
        net = Network.random(sizes, seed=0)
        cases.append((str(sizes).replace(" ", ""), net, rng.uniform(-1, 1, sizes[0]), rng.uniform(0, 1, sizes[-1])))
    print(f"median of {runs} runs (ms); ratio = baseline / ours")
    print(f"{'network':<20}{'trace':>9}{'bare':>9}{'ratio':>7}   {'num.grad':>9}{'looped':>9}{'ratio':>7}")
    for name, net, x, y in cases:
        Ws, bs = [np.array(W) for W in net.weights], [np.array(b) for b in net.biases]
        t_trace = median_ms(lambda: net.trace(x, y), runs)
        t_bare = median_ms(lambda: bare_trace(Ws, bs, x, y), runs)
        t_num = median_ms(lambda: net.numerical_gradient(x, y), runs)
        loop_runs = max(5, runs // 20) if sum(W.size for W in Ws) > 1000 else runs
        t_loop = median_ms(lambda: looped_numerical_gradient(Ws, bs, x, y), loop_runs)
        print(
            f"{name:<20}{t_trace:9.4f}{t_bare:9.4f}{t_bare / t_trace:7.2f}   "
            f"{t_num:9.3f}{t_loop:9.2f}{t_loop / t_num:7.1f}"
        )


if __name__ == "__main__":
    main()
