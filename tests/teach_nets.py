"""The random nets of the teaching sweeps (issue 23): every activation × output × loss the core
accepts in turn, 1–6 layers of 1–8 units, weights and biases times 1 to 4, a random traced
parameter and sample; and the seed network's loss written out again in numpy (an oracle that
does not use the core's forward pass)."""

import itertools

import numpy as np
from combos import allowed

from backprop_widgets import Network
from backprop_widgets.core import ACTIVATIONS, HIDDEN_ACTIVATIONS, LOSSES

COMBOS = [c for c in itertools.product(HIDDEN_ACTIVATIONS, ACTIVATIONS, LOSSES) if allowed(*c)]
NETS = 1000
MAX_LAYERS, MAX_UNITS, MAX_SCALE = 6, 8, 4.0


def random_net(i: int):
    """Net i of the sweep: (net, x, y, traced parameter)."""
    hidden, out, loss = COMBOS[i % len(COMBOS)]
    rng = np.random.default_rng([23, i])
    L = int(rng.integers(1, MAX_LAYERS + 1))
    sizes = [int(n) for n in rng.integers(1, MAX_UNITS + 1, size=L + 1)]
    if out == "softmax":
        sizes[-1] = max(2, sizes[-1])
    base = Network.random(sizes, int(rng.integers(1 << 16)), hidden, out, loss)
    scale = float(rng.choice([1.0, 2.0, MAX_SCALE, rng.uniform(1, MAX_SCALE)]))
    net = Network(
        [np.round(W * scale, 4) for W in base.weights], [np.round(b * scale, 4) for b in base.biases], hidden, out, loss
    )
    x = np.round(rng.uniform(-1, 1, sizes[0]), 2)
    n = sizes[-1]
    if loss == "cross_entropy" and out == "softmax":
        y = [np.eye(n)[rng.integers(n)], np.round(rng.dirichlet(np.ones(n)), 2)][i % 2]
    elif loss == "cross_entropy":
        y = rng.choice([0.0, 1.0, 0.3], size=n)
    else:
        y = np.round(rng.uniform(-1, 1, n), 2)
    params = net.parameters()
    return net, x, y, params[int(rng.integers(len(params)))]


def seed_loss(weights, biases, x, y) -> float:
    """The seed page's L = ½(a⁽³⁾ − y)² of a sigmoid net, by hand."""
    a = np.asarray(x, float)
    for W, b in zip(weights, biases):
        a = 1 / (1 + np.exp(-(np.asarray(W) @ a + np.asarray(b))))
    return float(0.5 * np.sum((a - np.asarray(y, float)) ** 2))
