"""A mini-batch's trace: every row is its sample's own trace, the gradients are the means of the
samples' gradients (oracle: a loop of ``Network.trace``) and agree with centred differences of
the mean loss (oracle: the loss alone, no backprop)."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from combos import allowed

from backprop_widgets import ACTIVATIONS, LOSSES, Network, Param, datasets

COMBOS = [
    c
    for c in itertools.product([n for n, a in ACTIVATIONS.items() if not a.output_only], ACTIVATIONS, LOSSES)
    if allowed(*c)
]


def batch_for(net: Network, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """m inputs of spread ~1.5 and targets the network's loss accepts (one-hot for coupled outputs)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.5, size=(m, net.sizes[0]))
    k = net.sizes[-1]
    Y = np.eye(k)[rng.integers(0, k, m)] if net.sigma[net.L].coupled else rng.uniform(0.0, 1.0, size=(m, k))
    return X, Y


def close(got: np.ndarray, want: np.ndarray, rtol: float) -> bool:
    """Equal to ``rtol`` relative to the largest entry of ``want`` (exact when it is all zero)."""
    return float(np.max(np.abs(got - want), initial=0.0)) <= rtol * float(np.max(np.abs(want), initial=0.0))


def test_every_combination_is_walked():
    """The walk covers the registries (not silently none): softmax outputs and every loss are in it."""
    assert len(COMBOS) >= 10
    assert {o for _, o, _ in COMBOS} == set(ACTIVATIONS) and {lo for *_, lo in COMBOS} == set(LOSSES)


@pytest.mark.parametrize("hidden,out,loss", COMBOS)
@pytest.mark.parametrize("sizes", [[3, 4, 3, 2], [2, 5, 4, 3, 3]])
def test_the_batch_gradient_is_the_mean_of_the_samples_gradients(hidden, out, loss, sizes):
    for seed in range(3):
        net = Network.random(sizes, seed, hidden, out, loss)
        X, Y = batch_for(net, 9, seed)
        bt = net.batch_trace(X, Y)
        traces = [net.trace(X[i], Y[i]) for i in range(len(X))]
        assert bt.m == 9 and bt.L == net.L and bt.bp1_form == traces[0].bp1_form
        np.testing.assert_allclose(bt.losses, [t.loss for t in traces], rtol=1e-12)
        assert bt.loss == pytest.approx(np.mean([t.loss for t in traces]), rel=1e-12)
        for l in range(1, net.L + 1):
            assert bt.grad_W[l].shape == net.weights[l - 1].shape and bt.grad_b[l].shape == (sizes[l],)
            assert close(bt.grad_W[l], np.mean([t.grad_W[l] for t in traces], axis=0), 1e-12), (l, seed)
            assert close(bt.grad_b[l], np.mean([t.grad_b[l] for t in traces], axis=0), 1e-12), (l, seed)
            for name in ("z", "a", "sigma_prime", "delta"):
                rows = np.array([getattr(t, name)[l] for t in traces])
                assert getattr(bt, name)[l].shape == (9, sizes[l])
                assert close(getattr(bt, name)[l], rows, 1e-12), (name, l, seed)
        assert bt.a[0] is bt.X and bt.z[0] is None and bt.grad_W[0] is None and bt.delta[0] is None


@pytest.mark.parametrize(
    "hidden,out,loss,sizes",
    [
        ("sigmoid", "sigmoid", "mse", [3, 2, 2, 1]),
        ("tanh", "softmax", "cross_entropy", [2, 4, 3]),
        ("relu", "linear", "mse", [2, 5, 2]),
        ("tanh", "sigmoid", "cross_entropy", [2, 3, 3, 1]),
        ("sigmoid", "softmax", "mse", [3, 3, 2]),
    ],
)
def test_the_batch_gradient_agrees_with_centred_differences_of_the_mean_loss(hidden, out, loss, sizes):
    net = Network.random(sizes, 3, hidden, out, loss)
    X, Y = batch_for(net, 12, 5)
    bt = net.batch_trace(X, Y)
    eps = 1e-6
    for p in net.parameters():
        value = net.get(p)
        plus = net.with_param(p, value + eps).batch_trace(X, Y).loss
        minus = net.with_param(p, value - eps).batch_trace(X, Y).loss
        assert bt.grad(p) == pytest.approx((plus - minus) / (2 * eps), rel=1e-5, abs=1e-9), p.name


def test_a_sample_is_its_own_trace_exactly():
    net = Network.random([2, 4, 3], 1, "tanh", "softmax", "cross_entropy")
    X, Y = datasets.make("blobs", n=20, seed=2)
    bt = net.batch_trace(X, Y)
    for i in (0, 7, 19, -1):
        t, want = bt.sample(i), net.trace(X[i], Y[i])
        assert np.array_equal(t.x, X[i]) and np.array_equal(t.y, Y[i]) and t.loss == want.loss
        for l in range(1, net.L + 1):
            assert np.array_equal(t.grad_W[l], want.grad_W[l]) and np.array_equal(t.delta[l], want.delta[l])
    assert (bt.sizes, bt.activations, bt.loss_name) == (t.sizes, t.activations, t.loss_name)
    assert bt.value("w2,3,1") == t.value("w2,3,1") and all(map(np.array_equal, bt.weights, t.weights))
    with pytest.raises(IndexError, match="sample 20 is not in a batch of 20"):
        bt.sample(20)


@pytest.mark.parametrize("param", ["w1,2,1", "w2,1,3", "b1,3", "b2,1", Param("w", 3, 1, 2)])
def test_contributions_are_the_samples_own_gradients_and_average_to_the_batch_gradient(param):
    net = Network.random([2, 3, 2, 1], 4, "relu", "sigmoid", "cross_entropy")
    X, Y = datasets.make("moons", n=30, seed=4)
    bt = net.batch_trace(X, Y)
    c = bt.contributions(param)
    assert c.shape == (30,) and not c.flags.writeable
    assert np.array_equal(c != 0, np.array([net.trace(X[i], Y[i]).grad(param) != 0 for i in range(30)]))
    np.testing.assert_allclose(c, [net.trace(X[i], Y[i]).grad(param) for i in range(30)], rtol=1e-12, atol=1e-300)
    p = Param.parse(param)
    assert bt.grad(param) == float((bt.grad_W if p.is_weight else bt.grad_b)[p.l][p.index])
    assert bt.grad(param) == pytest.approx(np.mean(c), rel=1e-13, abs=1e-16 * np.abs(c).sum())
    with pytest.raises(ValueError, match="does not exist"):
        bt.contributions("w4,1,1")


def test_the_batch_is_one_pass_of_matrices_not_a_loop_of_traces(monkeypatch):
    """batch_trace never calls the one-sample trace (sample() does, on request)."""
    net = Network.random([2, 8, 8, 1], 0)
    X, Y = datasets.make("xor", n=50)

    def refuse(*args):
        raise AssertionError("batch_trace looped over samples")

    monkeypatch.setattr(Network, "trace", refuse)
    bt = net.batch_trace(X, Y)
    assert bt.z[1].shape == (50, 8)
    with pytest.raises(AssertionError, match="looped"):
        bt.sample(0)


@pytest.mark.parametrize("name", [n for n, act in ACTIVATIONS.items() if act.unguarded is not None])
def test_an_unguarded_sigma_is_its_guarded_sigma_bit_for_bit(name):
    """The batch path calls σ and σ′ without their own np.errstate (it sets one): the same numbers,
    out to where e^{±z} overflows, and no warning escapes the batch."""
    act = ACTIVATIONS[name]
    z = np.concatenate([np.linspace(-800.0, 800.0, 100_001), [-710.0, -709.0, 0.0, -0.0, 709.0, 710.0, 1e300, -1e300]])
    with np.errstate(over="ignore"):
        a = act.f_unguarded(z)
        sp = act.prime_unguarded(z, a)
    assert np.array_equal(a, act.f(z)) and np.array_equal(sp, act.prime(z, a))
    net = Network([[[1000.0, -1000.0]], [[1.0]]], [[0.0], [0.0]], name, "linear")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bt = net.batch_trace([[1.0, 0.0], [0.0, 1.0]], [[1.0], [0.0]])
    assert list(bt.a[1][:, 0]) == [float(act.f(np.float64(1000.0))), float(act.f(np.float64(-1000.0)))]


def test_a_sum_that_cancels_to_rounding_noise_is_zero_as_in_the_trace():
    """0.1 + 0.1 − 0.3 + 0.1 = 2.8e-17 in floats: the trace takes it as 0, so ReLU′ = 0 and the
    gradients below it are 0. Sample 0 of the batch does the same; sample 1 (z = 0.2) does not."""
    net = Network([[[1.0, 1.0, 1.0, 1.0]], [[2.0]]], [[0.0], [0.5]], "relu", "linear")
    X = np.array([[0.1, 0.1, -0.3, 0.1], [0.1, 0.1, -0.1, 0.1]])
    bt = net.batch_trace(X, [[1.0], [1.0]])
    assert bt.z[1][0, 0] == 0.0 and bt.sigma_prime[1][0, 0] == 0.0
    assert list(bt.contributions("w1,1,1")) == [0.0, net.trace(X[1], [1.0]).grad("w1,1,1")] != [0.0, 0.0]
    assert np.array_equal(bt.contributions("b1,1"), [net.trace(x, [1.0]).grad("b1,1") for x in X])


def test_a_single_output_takes_y_as_a_vector_and_arrays_are_read_only():
    net = Network.random([2, 3, 1], 0)
    X, Y = (np.array(v) for v in datasets.make("linear", n=6))  # writable copies
    bt = net.batch_trace(X, Y[:, 0])
    assert bt.Y.shape == (6, 1) and bt.loss == net.batch_trace(X, Y).loss
    for arr in (bt.X, bt.Y, bt.z[1], bt.a[2], bt.delta[1], bt.grad_W[1], bt.grad_b[2], bt.losses):
        assert not arr.flags.writeable
    X[0, 0] = 99.0  # the caller's array is copied, not kept
    assert bt.X[0, 0] != 99.0


@pytest.mark.parametrize(
    "X,Y,message",
    [
        (np.zeros((3, 3)), np.zeros((3, 1)), r"X must have shape \(m, 2\)"),
        (np.zeros(2), np.zeros(1), r"X must have shape \(m, 2\)"),
        (np.zeros((3, 2)), np.zeros((3, 2)), r"Y must have shape \(m, 1\)"),
        (np.zeros((3, 2)), np.zeros((4, 1)), "X has 3 samples but Y has 4"),
        (np.zeros((0, 2)), np.zeros((0, 1)), "at least one sample"),
        ([[0, 1], [2, np.nan]], [[0], [1]], r"X\[1, 1\] = nan"),
        ([[0, 1], [2, 3]], [[0], [np.inf]], r"Y\[1, 0\] = inf"),
        ([[0, 1], [2, 3]], [[0], [1.5]], r"cross-entropy needs targets in \[0, 1\]; Y\[1, 0\] = 1.5"),
        ("abc", [[0]], "X must be numbers"),
    ],
)
def test_a_bad_batch_is_refused_naming_the_entry(X, Y, message):
    net = Network.random([2, 3, 1], 0, "tanh", "sigmoid", "cross_entropy")
    with pytest.raises(ValueError, match=message):
        net.batch_trace(X, Y)


def test_overflow_is_refused_as_the_trace_refuses_it():
    net = Network([[[1e300, 1e300]], [[1e300]]], [[0.0], [0.0]], "linear")
    with pytest.raises(ValueError, match="overflowed"):
        net.batch_trace([[1e10, 1e10]], [[0.0]])
