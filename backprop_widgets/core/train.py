"""Mini-batch gradient descent on a dataset, exact and reproducible from its seed.

Each epoch takes the next permutation of the samples from ``numpy.random.default_rng(seed)``
and cuts it into batches of ``batch_size`` (the last one smaller when the sizes do not divide).
Each batch is one step, θ ← θ − η ∂L/∂θ with ∂L/∂θ the batch's mean gradient from
:func:`.batch.batch_trace`. :func:`steps` yields the steps one by one (a page can show each);
:func:`train` runs them all and keeps the curves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .batch import BatchTrace, check_batch, checked_batch_trace, checked_mean_loss
from .floats import Array, readonly

if TYPE_CHECKING:
    from .network import Network


class TrainStep(NamedTuple):
    """One gradient step: epoch e (from 1), its step within the epoch (from 1), the sample
    indices of its batch (rows of X), the batch's trace on the network before the step, and the
    network after it."""

    epoch: int
    number: int
    rows: Array
    batch: BatchTrace
    network: "Network"


@dataclass(frozen=True, eq=False)
class TrainRun:
    """What :func:`train` did.

    network : the network after the last step
    loss_history : (epochs + 1,), the mean loss over the whole training set before training
        ([0]) and after each epoch ([e])
    test_loss_history : the same over the test set, or ``None`` without one (or with an empty one)
    step_losses : (steps,), each batch's mean loss, on the network before its step
    grad_norms : (steps, L), column l − 1 is ‖∂L/∂W⁽ˡ⁾‖ (Frobenius norm of the batch's mean
        gradient of layer l) at each step
    steps_per_epoch : ⌈n / batch_size⌉
    """

    network: "Network"
    loss_history: Array
    test_loss_history: Array | None
    step_losses: Array
    grad_norms: Array
    steps_per_epoch: int


def check_settings(epochs: int, batch_size: int, eta: float, seed: int) -> tuple[int, int, float, int]:
    """The training settings as numbers, or ``ValueError`` saying which one is wrong."""
    for name, value, low in (("epochs", epochs, 0), ("batch size", batch_size, 1), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be a whole number ≥ {low}, got {value!r}")
    eta = float(eta)
    if not np.isfinite(eta) or eta <= 0:
        raise ValueError(f"learning rate η must be a positive number, got {eta}")
    return int(epochs), int(batch_size), eta, int(seed)


def gradient_step(net: "Network", bt: BatchTrace, eta: float) -> "Network":
    """W⁽ˡ⁾ ← W⁽ˡ⁾ − η ∂L/∂W⁽ˡ⁾ and b⁽ˡ⁾ ← b⁽ˡ⁾ − η ∂L/∂b⁽ˡ⁾ with the batch's mean gradients."""
    weights = [W - eta * bt.grad_W[l] for l, W in enumerate(net.weights, start=1)]
    biases = [b - eta * bt.grad_b[l] for l, b in enumerate(net.biases, start=1)]
    return net.stepped(weights, biases)


def steps(
    net: "Network", X: ArrayLike, Y: ArrayLike, epochs: int = 20, batch_size: int = 10, eta: float = 0.5, seed: int = 0
) -> Iterator[TrainStep]:
    """The steps of mini-batch gradient descent, one at a time (see the module's docstring)."""
    epochs, batch_size, eta, seed = check_settings(epochs, batch_size, eta, seed)
    X, Y = check_batch(net, X, Y)
    rng = np.random.default_rng(seed)
    n = len(X)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)
        for number, start in enumerate(range(0, n, batch_size), start=1):
            rows = readonly(order[start : start + batch_size])
            bt = checked_batch_trace(net, X[rows], Y[rows])
            net = gradient_step(net, bt, eta)
            yield TrainStep(epoch, number, rows, bt, net)


def train(
    net: "Network",
    X: ArrayLike,
    Y: ArrayLike,
    epochs: int = 20,
    batch_size: int = 10,
    eta: float = 0.5,
    seed: int = 0,
    X_test: ArrayLike | None = None,
    Y_test: ArrayLike | None = None,
) -> TrainRun:
    """Train ``net`` on (X, Y) by mini-batch gradient descent; the network given is not changed.

    >>> from backprop_widgets.core import Network, make_dataset
    >>> X, Y = make_dataset("circles", n=100, seed=0)
    >>> run = train(Network.random([2, 4, 1], seed=0, activation="tanh"), X, Y, epochs=5)
    >>> run.loss_history.shape, run.grad_norms.shape   # 5 epochs of 10 batches, 2 layers
    ((6,), (50, 2))
    """
    epochs, batch_size, eta, seed = check_settings(epochs, batch_size, eta, seed)
    X, Y = check_batch(net, X, Y)
    if (X_test is None) != (Y_test is None):
        raise ValueError("give both X_test and Y_test, or neither")
    if X_test is not None and Y_test is not None and np.shape(X_test)[:1] == np.shape(Y_test)[:1] == (0,):
        X_test = Y_test = None  # a split that keeps nothing for testing: no test set
    test = None if X_test is None or Y_test is None else check_batch(net, X_test, Y_test)
    losses, test_losses = [checked_mean_loss(net, X, Y)], [] if test is None else [checked_mean_loss(net, *test)]
    step_losses, norms = [], []
    done = 0
    for step in steps(net, X, Y, epochs, batch_size, eta, seed):
        net = step.network
        step_losses.append(step.batch.loss)
        norms.append([np.vdot(g, g) for g in step.batch.grad_W[1:]])  # ‖∂L/∂W⁽ˡ⁾‖², rooted below
        done += 1
        if step.number * batch_size >= len(X):  # the epoch's last batch
            losses.append(checked_mean_loss(net, X, Y))
            if test is not None:
                test_losses.append(checked_mean_loss(net, *test))
    return TrainRun(
        network=net,
        loss_history=readonly(np.array(losses)),
        test_loss_history=None if test is None else readonly(np.array(test_losses)),
        step_losses=readonly(np.array(step_losses)),
        grad_norms=readonly(np.sqrt(np.array(norms, dtype=float).reshape(done, net.L))),
        steps_per_epoch=-(-len(X) // batch_size),
    )
