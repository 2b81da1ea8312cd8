"""Benchmark mini-batches in the core: ``batch_trace`` and one epoch of ``train``, against loops of
one-sample traces in the same run.

    .venv/bin/python benchmarks/bench_batch.py [--runs 200]

Baselines, both on the same samples and network:
- batch: a Python loop of ``net.trace(X[i], Y[i])`` over the batch, then the mean of the
  samples' gradients (what a batch gradient is by definition, one sample at a time);
- epoch: the same loop for each batch of the epoch, then ``Network`` with θ − η·mean.

The issue asks for ``batch_trace`` of 200 samples of [2,8,8,1] at least 20× faster than the loop
and within 2 ms, and one epoch of 200 samples in batches of 10 within 5 ms. Reports medians
(ms) of many runs and the ratios, and the epoch's median process time (CPU): on a shared
machine the wall time also counts the waits for a free core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from backprop_widgets import Network, datasets

from timing import median_ms  # benchmarks/timing.py (scripts run from this folder)


def median_cpu_ms(fn, runs: int) -> float:
    """Median process time of ``fn()`` in ms, after a warm-up call: on a shared machine, the time
    the process itself ran (the wall time also counts the waits for a free core)."""
    fn()
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return 1e3 * statistics.median(times)


def looped_batch(net: Network, X: np.ndarray, Y: np.ndarray) -> tuple[list, list]:
    """The batch's mean gradients from one trace per sample."""
    traces = [net.trace(X[i], Y[i]) for i in range(len(X))]
    grad_W = [np.mean([t.grad_W[l] for t in traces], axis=0) for l in range(1, net.L + 1)]
    grad_b = [np.mean([t.grad_b[l] for t in traces], axis=0) for l in range(1, net.L + 1)]
    return grad_W, grad_b


def looped_epoch(net: Network, X: np.ndarray, Y: np.ndarray, batch_size: int, eta: float, seed: int) -> Network:
    """One epoch of mini-batch steps, each batch's gradient from a loop of traces."""
    order = np.random.default_rng(seed).permutation(len(X))
    for start in range(0, len(X), batch_size):
        rows = order[start : start + batch_size]
        grad_W, grad_b = looped_batch(net, X[rows], Y[rows])
        net = Network(
            [W - eta * g for W, g in zip(net.weights, grad_W)],
            [b - eta * g for b, g in zip(net.biases, grad_b)],
            net.activation,
            net.output_activation,
            net.loss_name,
        )
    return net


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    X, Y = datasets.make("circles", n=200, noise=0.1, seed=0)
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    print(f"median of {runs} runs (ms); ratio = loop / ours; epoch CPU = its process time; {load}")
    print(f"{'network':<26}{'batch 200':>10}{'loop':>9}{'ratio':>7}   {'epoch':>8}{'CPU':>8}{'loop':>9}{'ratio':>7}")
    for sizes, hidden, out, loss in (
        ([2, 8, 8, 1], "sigmoid", "sigmoid", "mse"),
        ([2, 8, 8, 1], "relu", "sigmoid", "cross_entropy"),
        ([2, 8, 8, 8, 8, 1], "sigmoid", "sigmoid", "mse"),
    ):
        net = Network.random(sizes, 0, hidden, out, loss)
        slow = max(10, runs // 10)  # the loops take ~100× longer
        t_batch = median_ms(lambda: net.batch_trace(X, Y), runs)
        t_loop = median_ms(lambda: looped_batch(net, X, Y), slow)
        t_epoch = median_ms(lambda: net.train(X, Y, epochs=1, batch_size=10, eta=0.5, seed=0), slow)
        cpu_epoch = median_cpu_ms(lambda: net.train(X, Y, epochs=1, batch_size=10, eta=0.5, seed=0), slow)
        t_loop_epoch = median_ms(lambda: looped_epoch(net, X, Y, 10, 0.5, 0), slow)
        name = f"{str(sizes).replace(' ', '')} {hidden}/{loss}"
        print(
            f"{name:<26}{t_batch:10.3f}{t_loop:9.2f}{t_loop / t_batch:7.1f}   "
            f"{t_epoch:8.3f}{cpu_epoch:8.3f}{t_loop_epoch:9.2f}{t_loop_epoch / t_epoch:7.1f}"
        )


if __name__ == "__main__":
    main()
