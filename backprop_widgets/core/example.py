"""The worked example the product grew from, and a readable sample for any other network."""

from __future__ import annotations

import numpy as np

from .floats import Array
from .network import Network


def default_sample(net: Network) -> tuple[Array, Array]:
    """A readable input and a valid target for a network with no sample of its own:
    x evenly from 1 to −1 (two decimals), y one-hot on class 1 for coupled outputs (softmax,
    whose outputs sum to 1), else all 1 (valid for every loss, as cross-entropy needs y in [0, 1])."""
    x = np.round(np.linspace(1.0, -1.0, net.sizes[0]), 2)
    n_L = net.sizes[-1]
    y = np.eye(n_L)[0] if net.sigma[net.L].coupled else np.ones(n_L)
    return x, y


def seed_example() -> tuple[Network, Array, Array]:
    """The worked example the product grew from: [3,2,2,1], sigmoid, MSE, x = (1, 0.5, −1), y = 1."""
    net = Network(
        weights=[
            [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]],
            [[0.7, 0.8], [0.9, 1.0]],
            [[0.3, 0.4]],
        ],
        biases=[[0.1, 0.2], [0.1, 0.2], [0.1]],
        activation="sigmoid",
        loss="mse",
    )
    return net, np.array([1.0, 0.5, -1.0]), np.array([1.0])
