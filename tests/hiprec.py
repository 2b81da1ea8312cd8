"""A reference forward pass in decimal arithmetic (200 significant digits), for the test suite.

It takes the network's float64 weights, biases and sample as exact decimals and evaluates the loss
with nothing but ``decimal`` — no numpy, nothing shared with the code under test — so it tells
what the float64 computation should have produced: ``loss`` to about 180 correct digits,
``centred`` the centred difference (L(θ + ε) − L(θ − ε)) / 2ε with θ ± ε rounded to doubles as
the package rounds them, and ``sigma_prime`` each activation's slope.
"""

from __future__ import annotations

from decimal import Decimal as D
from decimal import localcontext

PREC = 200
TINY = D("1e-40")  # below this, ln(1 + r) is r − r²/2 + r³/3 to far more than PREC digits


def log1p(r: D) -> D:
    return r - r * r / 2 + r**3 / 3 if r < TINY else (1 + r).ln()


def sigmoid(z: D) -> D:
    return 1 / (1 + (-z).exp())


def tanh(z: D) -> D:
    if z < 0:
        return -tanh(-z)
    e = (-2 * z).exp()
    return (1 - e) / (1 + e)


def softplus(z: D) -> D:
    """ln(1 + e^z), without losing e^z when it is tiny."""
    return log1p(z.exp()) if z < 0 else z + log1p((-z).exp())


ACTIVATIONS = {
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": lambda z: max(z, D(0)),
    "linear": lambda z: z,
    "softplus": softplus,
    "leaky_relu": lambda z: z if z > 0 else z / 100,
}

SLOPES = {
    "sigmoid": lambda z: sigmoid(z) * sigmoid(-z),
    "tanh": lambda z: 4 / ((z.exp() + (-z).exp()) ** 2),
}


def _d(v) -> D:
    return D(float(v))


def loss(net, x, y) -> D:
    """L(x, y) for ``net``; softmax outputs through log-softmax, cross-entropy through softplus."""
    with localcontext() as ctx:
        ctx.prec = PREC
        a = [_d(v) for v in x]
        z: list = []
        for l, (W, b) in enumerate(zip(net.weights, net.biases), start=1):
            z = [sum((_d(w) * ak for w, ak in zip(row, a)), D(0)) + _d(bj) for row, bj in zip(W, b)]
            if net.layer_names[l] == "softmax":
                m = max(z)
                e = [(zi - m).exp() for zi in z]
                k = z.index(m)
                rest = sum(e[:k] + e[k + 1 :], D(0))
                log_a = [(zi - m) - log1p(rest) for zi in z]
                a = [ei / (1 + rest) for ei in e]
            else:
                a = [ACTIVATIONS[net.layer_names[l]](zi) for zi in z]
        Y = [_d(v) for v in y]
        if net.loss_name == "mse":
            return sum(((ai - yi) ** 2 for ai, yi in zip(a, Y)), D(0)) / 2
        if net.output_activation == "softmax":
            return -sum((yi * li for yi, li in zip(Y, log_a) if yi != 0), D(0))
        # −ln σ(z) = softplus(−z) and −ln(1 − σ(z)) = softplus(z)
        return sum((yi * softplus(-zi) + (1 - yi) * softplus(zi) for zi, yi in zip(z, Y)), D(0))


def centred(net, param, x, y, eps: float = 1e-5) -> D:
    """The exact centred difference at the doubles θ + ε and θ − ε."""
    v = net.get(param)
    up, down = v + eps, v - eps
    with localcontext() as ctx:
        ctx.prec = PREC
        return (loss(net.with_param(param, up), x, y) - loss(net.with_param(param, down), x, y)) / (D(up) - D(down))


def sigma_prime(name: str, z: float) -> D:
    with localcontext() as ctx:
        ctx.prec = PREC
        return SLOPES[name](_d(z))
