"""Where a wrong number of :func:`.checker.check_backprop` sits: its symbol, the parameter a
worked example traces to show it, and the step of that worked example that computes it.

A quantity is named as the checker's outcomes name it: ``key`` is ``"delta"``, ``"grad_b"`` or
``"grad_W"`` (a layer's digits after it are ignored: ``"grad_W3"``), ``l`` its layer (1 … L) and
``index`` the entry, 0-based as numpy indexes it.

>>> symbol("grad_W", 1, (0, 1)), step_of("grad_W", 1, 3), str(traced_of("grad_W", 1, (0, 1)))
('∂L/∂W⁽¹⁾[0, 1]', 'bp3', 'w1,1,2')
>>> symbol("delta3", 3, (0,)), step_of("delta", 3, 3), step_of("grad_b", 2, 3), str(traced_of("delta", 2, (1,)))
('δ⁽³⁾[0]', 'bp1', 'bp2-2', 'b2,2')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import Network, Param, sup
from .highlight import Highlight

#: the symbol of each kind of quantity a student's backward returns
SYMBOLS = {"delta": "δ", "grad_b": "∂L/∂b", "grad_W": "∂L/∂W"}


def kind(key: str) -> str:
    """``"grad_W3"`` → ``"grad_W"``."""
    return key.rstrip("0123456789")


def symbol(key: str, l: int, index: tuple[int, ...]) -> str:
    """The quantity as the report writes it: ``∂L/∂W⁽¹⁾[0, 1]``."""
    return f"{SYMBOLS[kind(key)]}{sup(l)}[{', '.join(str(i) for i in index)}]"


def step_of(key: str, l: int, L: int, with_delta: bool = False) -> str:
    """The worked example's step that computes the quantity: BP3 for a weight's gradient, BP4 for
    a bias's when the student's δ was right (``with_delta``: the student returned δ too), else
    the step of its layer's δ (BP1 for the output layer, BP2 below it)."""
    if kind(key) == "grad_W":
        return "bp3"
    if kind(key) == "grad_b" and with_delta:
        return "bp4"
    return "bp1" if l == L else f"bp2-{l}"


def traced_of(key: str, l: int, index: tuple[int, ...]) -> Param:
    """The parameter whose worked example shows the quantity: w_{j,k}⁽ˡ⁾ for ∂L/∂W⁽ˡ⁾[j−1, k−1],
    else b_j⁽ˡ⁾ (whose gradient is δ_j⁽ˡ⁾)."""
    if kind(key) == "grad_W":
        return Param("w", l, index[0] + 1, index[1] + 1)
    return Param("b", l, index[0] + 1)


def highlight_of(key: str, l: int, index: tuple[int, ...]) -> Highlight:
    """What the diagram emphasises for the quantity: the edge of w_{j,k}⁽ˡ⁾ (and the two neurons
    it joins) for ∂L/∂W⁽ˡ⁾[j−1, k−1]; neuron j of layer l (and its bias) for δ⁽ˡ⁾ or ∂L/∂b⁽ˡ⁾."""
    j = index[0] + 1
    if kind(key) == "grad_W":
        k = index[1] + 1
        return Highlight(frozenset({(l, j), (l - 1, k)}), frozenset({(l, j, k)}))
    return Highlight(frozenset({(l, j)}), biases=frozenset({(l, j)}))


@dataclass(frozen=True)
class WrongNumber:
    """A wrong number a student's backward returned on one network: which network (its name in
    the report, the network, x, y), which quantity, the right value and the student's, and the
    step of the worked example that computes it."""

    name: str
    net: Network
    x: np.ndarray
    y: np.ndarray
    key: str
    l: int
    index: tuple[int, ...]
    expected: float
    got: float
    step: str

    @property
    def symbol(self) -> str:
        return symbol(self.key, self.l, self.index)

    @property
    def traced(self) -> Param:
        return traced_of(self.key, self.l, self.index)

    @property
    def highlight(self) -> Highlight:
        return highlight_of(self.key, self.l, self.index)

    @property
    def text(self) -> str:
        """``∂L/∂b⁽³⁾[0]: expected -0.0794357, got -0.349431`` (as the report's first_wrong)."""
        return f"{self.symbol}: expected {self.expected + 0.0:.6g}, got {self.got + 0.0:.6g}"


def wrong_number(
    name: str,
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    where: tuple[str, int, tuple[int, ...]],
    got: np.ndarray,
    with_delta: bool = False,
) -> WrongNumber:
    """The :class:`WrongNumber` at ``where`` = (key, l, index) of a student's array ``got`` (the
    quantity of layer l), with the right value from the core's trace (``with_delta``: see
    :func:`step_of`)."""
    key, l, index = where
    t = net.trace(x, y)
    right = {"delta": t.delta, "grad_b": t.grad_b, "grad_W": t.grad_W}[kind(key)][l]
    step = step_of(key, l, net.L, with_delta)
    return WrongNumber(name, net, x, y, kind(key), l, index, float(right[index]), float(got[index]), step)
