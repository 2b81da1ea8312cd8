"""Check my backprop (issue 25): a student's own ``backward`` is run on the seed network and 20
random ones; a correct one passes, and each catalogued mistake, made in a buggy one written here
as a student writes it, is named with the first quantity it gets wrong. Crashes, wrong shapes,
wrong types and NaNs get a clear message; the checker never raises."""

import numpy as np
import pytest

from backprop_widgets import Network, check_backprop
from backprop_widgets.explain.checker import cases
from backprop_widgets.explain.practice.mistakes import CATALOGUE


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def make_backward(mistake=None):
    """A student's numpy backward for sigmoid layers and MSE, making ``mistake`` (or none)."""

    def backward(weights, biases, x, y, activation="sigmoid", loss="mse"):
        def slope(l):  # σ′(z) = σ(z)(1 − σ(z))
            at = a[l] if mistake == "sigma_prime_of_a" else z[l]
            return 1.0 if mistake == "missing_sigma_prime" else sigmoid(at) * (1 - sigmoid(at))

        a, z = [x], [None]
        for W, b in zip(weights, biases):
            z.append(W @ a[-1] + (0.0 if mistake == "missing_bias" else b))
            a.append(sigmoid(z[-1]))
        L = len(weights)
        grad_a = {"sign": y - a[L], "factor_two": 2 * (a[L] - y)}.get(mistake, a[L] - y)
        delta = [None] * (L + 2)
        delta[L] = grad_a * slope(L)
        for l in range(L - 1, 0, -1):
            back = weights[l] if mistake == "no_transpose" else weights[l].T
            delta[l] = (back @ delta[l + 1]) * slope(l)
        grad_W, grad_b = [], []
        for l in range(1, L + 1):
            d = delta[l + 1] if mistake == "wrong_layer_delta" and l < L else delta[l]
            grad_W.append(np.outer(d, a[l] if mistake == "wrong_activation" else a[l - 1]))
            grad_b.append(d)
        return grad_W, grad_b

    return backward


def test_a_correct_backward_passes():
    report = check_backprop(make_backward())
    assert report.passed and report.mistake is None and report.first_wrong is None
    assert report.networks == 21 and "21 networks" in report.message
    assert "✓" in report._repr_html_()


def test_the_networks_grow_and_their_layers_are_not_square():
    nets = [c.net for c in cases("sigmoid", "mse")]
    assert len(nets) == 21 and nets[0].sizes == [3, 2, 2, 1]
    assert max(sum(n.sizes) for n in nets[-5:]) > max(sum(n.sizes) for n in nets[1:6])
    assert sum(W.shape[0] != W.shape[1] for n in nets for W in n.weights) > 20


@pytest.mark.parametrize(
    "activation,loss", [("sigmoid", "cross_entropy"), ("tanh", "mse"), ("relu", "mse"), ("linear", "mse")]
)
def test_every_activation_and_loss_a_backward_can_take(activation, loss):
    def backward(weights, biases, x, y, activation, loss):
        # a student's generic backward: σ and σ′ from the registry, BP1 from the core's trace
        net = Network(weights, biases, activation, loss=loss)
        t = net.trace(x, y)
        return t.grad_W[1:], t.grad_b[1:]

    def flipped(*args, **kwargs):
        grad_W, grad_b = backward(*args, **kwargs)
        return [-g for g in grad_W], [-g for g in grad_b]

    report = check_backprop(backward, activation, loss)
    assert report.passed and report.networks >= 20
    wrong = check_backprop(flipped, activation, loss)
    assert wrong.mistake == "sign" and wrong.step == "bp1"
    if activation == "relu":  # the seed's z₁⁽¹⁾ = 0.1 + 0.1 − 0.3 + 0.1 = 0 is ReLU's kink: left out
        assert report.networks == 20 and "seed" not in wrong.first_wrong


# seed page: a⁽³⁾ = 0.650569, y = 1, σ′(z⁽³⁾) = a(1 − a) = 0.227329, δ⁽³⁾ = −0.0794357
A3, Y = 0.6505692680926374, 1.0
VALUE_MISTAKES = {
    # first wrong: ∂L/∂b⁽³⁾[0] on the seed network (BP1), with the value the mistake gives
    "sigma_prime_of_a": (A3 - Y) * sigmoid(A3) * (1 - sigmoid(A3)),
    "missing_sigma_prime": A3 - Y,
    "sign": (Y - A3) * A3 * (1 - A3),
    "factor_two": 2 * (A3 - Y) * A3 * (1 - A3),
}


@pytest.mark.parametrize("mistake", VALUE_MISTAKES)
def test_a_mistake_in_bp1_is_named_at_the_output_error(mistake):
    report = check_backprop(make_backward(mistake))
    assert not report.passed and report.mistake == mistake
    assert report.first_wrong == (
        f"∂L/∂b⁽³⁾[0]: expected -0.0794357, got {VALUE_MISTAKES[mistake]:.6g} on the seed network"
    )
    assert report.step == "bp1" and "BP1 · output error δ⁽³⁾" in report.message
    assert CATALOGUE[mistake] in report.message


def test_missing_bias_is_named():
    report = check_backprop(make_backward("missing_bias"))
    assert report.mistake == "missing_bias" and report.first_wrong.startswith("∂L/∂b⁽³⁾[0]: expected -0.0794357")


def test_w_for_w_transposed_crashes_on_the_seed_and_is_named():
    report = check_backprop(make_backward("no_transpose"))
    assert report.mistake == "no_transpose" and CATALOGUE["no_transpose"] in report.message
    # W⁽³⁾ is 1×2: W⁽³⁾ δ⁽³⁾ cannot be computed; the line is named
    assert report.first_wrong.startswith("your function raised ValueError at line ")
    assert "(delta[l] = (back @ delta[l + 1]) * slope(l))" in report.first_wrong
    assert report.first_wrong.endswith("on the seed network")


def test_bp3_with_the_wrong_activation_gives_the_wrong_shape_and_is_named():
    report = check_backprop(make_backward("wrong_activation"))
    assert report.mistake == "wrong_activation"
    assert report.first_wrong == ("grad_W[0] (∂L/∂W⁽¹⁾) has shape (2, 2), but it must be (2, 3) on the seed network")


def test_bp3_with_the_error_of_the_layer_above_is_named():
    report = check_backprop(make_backward("wrong_layer_delta"))
    assert report.mistake == "wrong_layer_delta"
    # ∂L/∂W⁽²⁾ = δ⁽³⁾ (a⁽¹⁾)ᵀ is 1×2 where W⁽²⁾ is 2×2
    assert report.first_wrong == "grad_W[1] (∂L/∂W⁽²⁾) has shape (1, 2), but it must be (2, 2) on the seed network"


def test_an_unknown_mistake_is_not_named():
    def backward(weights, biases, x, y, activation="sigmoid", loss="mse"):
        grad_W, grad_b = make_backward()(weights, biases, x, y)
        return [g * 1.1 for g in grad_W], grad_b  # no catalogued mistake does this

    report = check_backprop(backward)
    assert not report.passed and report.mistake is None
    assert report.first_wrong.startswith("∂L/∂W⁽³⁾[0, ") and report.step == "bp3"


def test_clear_messages_for_crashes_types_shapes_and_nans():
    def crashes(weights, biases, x, y, activation="sigmoid", loss="mse"):
        raise KeyError("oops")

    report = check_backprop(crashes)
    assert report.first_wrong.startswith("your function raised KeyError at line ") and "raise KeyError" in (
        report.first_wrong
    )

    def strings(weights, biases, x, y, activation="sigmoid", loss="mse"):
        grad_W, grad_b = make_backward()(weights, biases, x, y)
        return ["no"] + grad_W[1:], grad_b

    assert check_backprop(strings).first_wrong.startswith("grad_W[0] (∂L/∂W⁽¹⁾) is a str, not numbers")

    def transposed(weights, biases, x, y, activation="sigmoid", loss="mse"):
        grad_W, grad_b = make_backward()(weights, biases, x, y)
        return [g.T for g in grad_W], grad_b

    assert check_backprop(transposed).first_wrong == (
        "grad_W[0] (∂L/∂W⁽¹⁾) has shape (3, 2), but it must be (2, 3) (a transposed matrix?) on the seed network"
    )

    def nans(weights, biases, x, y, activation="sigmoid", loss="mse"):
        grad_W, grad_b = make_backward()(weights, biases, x, y)
        return grad_W, [b * np.nan for b in grad_b]

    assert "(∂L/∂b⁽¹⁾) holds NaN or infinity" in check_backprop(nans).first_wrong

    assert "returned a NoneType" in check_backprop(lambda *a, **k: None).message
    assert "needs your backward function" in check_backprop("backward").message
    assert "cannot check with activation='softmax'" in check_backprop(make_backward(), activation="softmax").message


def test_deltas_are_checked_when_given():
    def with_deltas(weights, biases, x, y, activation="sigmoid", loss="mse"):
        grad_W, grad_b = make_backward()(weights, biases, x, y)
        return {"grad_W": grad_W, "grad_b": grad_b, "delta": [d * 0 for d in grad_b]}

    report = check_backprop(with_deltas)
    assert report.first_wrong.startswith("δ⁽³⁾[0]: expected -0.0794357, got 0")


def test_the_student_cannot_change_the_networks():
    def mutates(weights, biases, x, y, activation="sigmoid", loss="mse"):
        out = make_backward()(weights, biases, x, y)
        for W in weights:
            W[...] = 0.0
        return out

    assert check_backprop(mutates).passed


def test_a_backward_without_the_function_arguments_is_called_without_them():
    def backward(weights, biases, x, y):  # sigmoid and MSE only
        return make_backward()(weights, biases, x, y)

    assert check_backprop(backward).passed
