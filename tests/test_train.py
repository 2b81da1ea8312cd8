"""Training on a dataset: ``train`` is exactly the loop of batch gradient steps it stands for (the
oracle is that loop, written out here with numpy's Generator and the Network constructor),
reproducible from its seed, and it shows vanishing gradients where the textbooks say."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_widgets import Network, datasets
from backprop_widgets.core import mean_loss, training_steps


def manual_loop(net, X, Y, epochs, batch_size, eta, seed):
    """Mini-batch gradient descent written out: each epoch the next permutation of
    default_rng(seed), batches in its order, W ← W − η·(mean gradient) through the constructor."""
    rng = np.random.default_rng(seed)
    batches, after_epoch = [], []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            rows = order[start : start + batch_size]
            bt = net.batch_trace(X[rows], Y[rows])
            net = Network(
                [W - eta * bt.grad_W[l] for l, W in enumerate(net.weights, start=1)],
                [b - eta * bt.grad_b[l] for l, b in enumerate(net.biases, start=1)],
                net.activation,
                net.output_activation,
                net.loss_name,
            )
            batches.append(bt)
        after_epoch.append(net)
    return net, batches, after_epoch


@pytest.mark.parametrize(
    "sizes,hidden,out,loss,data,n,batch_size",
    [
        ([2, 8, 8, 1], "sigmoid", "sigmoid", "mse", "xor", 200, 10),
        ([2, 4, 1], "tanh", "sigmoid", "cross_entropy", "circles", 53, 10),  # a last batch of 3
        ([2, 5, 3], "relu", "softmax", "cross_entropy", "spiral", 90, 16),
        ([2, 3, 3], "tanh", "softmax", "mse", "blobs", 30, 7),
    ],
)
def test_train_is_the_loop_of_batch_steps_bit_for_bit(sizes, hidden, out, loss, data, n, batch_size):
    net = Network.random(sizes, 1, hidden, out, loss)
    X, Y = datasets.make(data, n=n, seed=3)
    run = net.train(X, Y, epochs=4, batch_size=batch_size, eta=0.3, seed=7)
    want, batches, after_epoch = manual_loop(net, X, Y, 4, batch_size, 0.3, 7)
    for l in range(net.L):
        assert np.array_equal(run.network.weights[l], want.weights[l])
        assert np.array_equal(run.network.biases[l], want.biases[l])
    steps = len(batches)
    assert steps == 4 * -(-n // batch_size) == 4 * run.steps_per_epoch
    assert np.array_equal(run.step_losses, [bt.loss for bt in batches])
    norms = [[np.linalg.norm(g) for g in bt.grad_W[1:]] for bt in batches]
    assert run.grad_norms.shape == (steps, net.L)
    np.testing.assert_allclose(run.grad_norms, norms, rtol=1e-14)
    # the curve: the whole set's mean loss, before training and after each epoch (oracle: traces)
    nets = [net] + after_epoch
    want_curve = [np.mean([m.trace(X[i], Y[i]).loss for i in range(n)]) for m in nets]
    np.testing.assert_allclose(run.loss_history, want_curve, rtol=1e-12)
    assert run.test_loss_history is None
    assert run.network.activation == hidden and run.network.loss_name == loss


def test_the_steps_are_the_steps_train_takes():
    net = Network.random([2, 4, 1], 0, "tanh")
    X, Y = datasets.make("circles", n=40)
    steps = list(training_steps(net, X, Y, epochs=2, batch_size=15, eta=0.5, seed=1))
    assert [(s.epoch, s.number, len(s.rows)) for s in steps] == [
        (e, i, (15, 15, 10)[i - 1]) for e in (1, 2) for i in (1, 2, 3)
    ]
    for epoch in (1, 2):  # each epoch visits every sample once
        assert sorted(np.concatenate([s.rows for s in steps if s.epoch == epoch])) == list(range(40))
    assert np.array_equal(steps[0].batch.X, X[steps[0].rows])
    run = net.train(X, Y, epochs=2, batch_size=15, eta=0.5, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(steps[-1].network.weights, run.network.weights))


def test_training_is_reproducible_from_its_seed_and_leaves_the_network_alone():
    net = Network.random([2, 6, 1], 2, "relu", "sigmoid", "cross_entropy")
    before = [W.copy() for W in net.weights]
    X, Y = datasets.make("moons", n=100, noise=0.2, seed=1)
    a, b = net.train(X, Y, epochs=3, seed=5), net.train(X, Y, epochs=3, seed=5)
    c = net.train(X, Y, epochs=3, seed=6)
    assert all(np.array_equal(u, v) for u, v in zip(a.network.weights, b.network.weights))
    assert np.array_equal(a.grad_norms, b.grad_norms) and np.array_equal(a.loss_history, b.loss_history)
    assert not np.array_equal(a.network.weights[0], c.network.weights[0])  # another order of batches
    assert all(np.array_equal(W, B) for W, B in zip(net.weights, before))


def test_the_loss_falls_and_the_test_curve_is_the_test_sets_mean_loss():
    net = Network.random([2, 4, 1], 0, "tanh", "sigmoid", "cross_entropy")
    X_train, X_test, Y_train, Y_test = datasets.split(*datasets.make("circles", n=200, noise=0.05, seed=0), seed=0)
    run = net.train(X_train, Y_train, epochs=50, batch_size=10, eta=0.5, seed=0, X_test=X_test, Y_test=Y_test)
    assert run.loss_history.shape == run.test_loss_history.shape == (51,)
    assert run.loss_history[-1] < 0.25 * run.loss_history[0]  # measured: 0.731 → 0.076 (test 0.717 → 0.114)
    assert run.test_loss_history[-1] < 0.25 * run.test_loss_history[0]
    assert run.test_loss_history[-1] == pytest.approx(
        np.mean([run.network.trace(X_test[i], Y_test[i]).loss for i in range(len(X_test))]), rel=1e-12
    )
    assert run.loss_history[-1] == pytest.approx(mean_loss(run.network, X_train, Y_train), rel=1e-15)


def test_a_deep_sigmoid_net_starves_its_first_layer_and_a_relu_net_does_not():
    """[2,8,8,8,8,1] on circles, 5 epochs of batches of 10: ‖∂L/∂W⁽¹⁾‖ / ‖∂L/∂W⁽⁵⁾‖ per step. Measured
    medians over the 100 steps for net seeds 0, 1, 2: sigmoid 1.55e-3, 4.8e-4, 1.84e-3 (σ′ ≤ ¼ at
    each of 4 layers); ReLU 1.09, 0.84, 0.68."""
    X, Y = datasets.make("circles", n=200, seed=0)
    for seed in range(3):
        ratios = {}
        for hidden in ("sigmoid", "relu"):
            run = Network.random([2, 8, 8, 8, 8, 1], seed, hidden, "sigmoid").train(X, Y, epochs=5, seed=0)
            ratios[hidden] = np.median(run.grad_norms[:, 0] / run.grad_norms[:, -1])
        assert ratios["sigmoid"] < 5e-3 and ratios["relu"] > 0.3, ratios


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"eta": 0}, "learning rate η must be a positive number"),
        ({"eta": float("nan")}, "learning rate η must be a positive number"),
        ({"epochs": -1}, "epochs must be a whole number ≥ 0"),
        ({"epochs": 2.5}, "epochs must be a whole number"),
        ({"batch_size": 0}, "batch size must be a whole number ≥ 1"),
        ({"seed": -3}, "seed must be a whole number ≥ 0"),
        ({"X_test": np.zeros((2, 2))}, "give both X_test and Y_test"),
        ({"X_test": np.zeros((2, 3)), "Y_test": np.zeros((2, 1))}, r"X must have shape \(m, 2\)"),
    ],
)
def test_bad_settings_are_refused_before_anything_runs(kwargs, message):
    X, Y = datasets.make("xor", n=20)
    with pytest.raises(ValueError, match=message):
        Network.random([2, 3, 1]).train(X, Y, **kwargs)


def test_an_empty_test_set_is_no_test_set():
    X_train, X_test, Y_train, Y_test = datasets.split(*datasets.make("xor", n=20), test=0.0)
    assert X_test.shape == (0, 2)
    run = Network.random([2, 3, 1]).train(X_train, Y_train, epochs=1, X_test=X_test, Y_test=Y_test)
    assert run.test_loss_history is None and len(run.loss_history) == 2


def test_zero_epochs_is_the_network_and_its_loss():
    net = Network.random([2, 3, 1])
    X, Y = datasets.make("xor", n=20)
    run = net.train(X, Y, epochs=0)
    assert run.network is net and run.grad_norms.shape == (0, 2) and len(run.step_losses) == 0
    assert run.loss_history.tolist() == [mean_loss(net, X, Y)]


def test_a_stepped_network_is_the_constructors_and_is_checked_where_a_step_can_go_wrong():
    net = Network.random([2, 3, 2], 4, "tanh", "softmax", "cross_entropy")
    weights = [W - 0.1 for W in net.weights]
    biases = [b + 0.2 for b in net.biases]
    fast, full = net.stepped(weights, biases), Network(weights, biases, "tanh", "softmax", "cross_entropy")
    assert vars(fast).keys() == vars(full).keys()
    for name, value in vars(full).items():
        got = vars(fast)[name]
        if name in ("weights", "biases"):
            assert all(np.array_equal(g, w) and not g.flags.writeable for g, w in zip(got, value))
        else:
            assert got == value, name
    weights[0][0, 0] = 5.0  # the caller's arrays are copied, as the constructor does
    assert fast.weights[0][0, 0] != 5.0
    # a step that overflowed, or arrays that are not this network's shapes: the constructor's message
    with pytest.raises(ValueError, match=r"W⁽²⁾ has a non-finite entry at \(1, 2\): inf"):
        net.stepped([net.weights[0], np.array([[1.0, np.inf, 0.0], [0.0, 0.0, 0.0]])], net.biases)
    with pytest.raises(ValueError, match=r"b⁽¹⁾ must have shape \(3,\)"):
        net.stepped(net.weights, [np.zeros(4), net.biases[1]])
