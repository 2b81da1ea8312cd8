"""The grading of ``backprop-widgets assignment``'s notebook: a student's own ``forward`` and
``backward`` (numpy, sigmoid, MSE), one quantity at a time, for nbgrader's partial credit.

``forward(weights, biases, x)`` returns ``(zs, activations)``: ``zs[l - 1]`` is z⁽ˡ⁾ and
``activations[l]`` is a⁽ˡ⁾, with ``activations[0]`` = x. ``backward(weights, biases, x, y)``
returns a dict of lists by layer 1 … L: ``delta``, ``grad_W``, ``grad_b``
(:func:`.checker.check_backprop`'s form). Each law is checked on the student's own inputs, so a
mistake is marked once: BP2 against (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾ ⊙ σ′(z⁽ˡ⁾) with the student's δ⁽ˡ⁺¹⁾,
BP3/BP4 against δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ and δ⁽ˡ⁾ with the student's δ⁽ˡ⁾. A failed check's message
says where, expected and got, and what :func:`.checker.check_backprop` makes of the whole pass
(the catalogued mistake, the step of the worked example).

>>> def forward(weights, biases, x):
...     t = Network(weights, biases).trace(x, np.zeros(len(biases[-1])))
...     return t.z[1:], t.a
>>> grade("forward", forward).passed
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..core import Network, sup
from .checker import RTOL, Case, Problem, cases, check_backprop
from .checker import _read as read_result

#: the graded quantities, in the notebook's order
QUANTITIES = ("forward", "BP1", "BP2", "BP3/BP4")


@dataclass(frozen=True)
class Grade:
    """One quantity's verdict: ``passed`` and what to look at (empty when passed)."""

    passed: bool
    message: str = ""


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    return bool(np.all(np.abs(got - want) <= RTOL * max(float(np.abs(want).max()), 1e-12)))


def _first_wrong(name: str, l: int, got: Any, want: np.ndarray) -> str | None:
    """``None`` if ``got`` matches ``want``, else what is wrong with it, in the page's symbols."""
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"{name}{sup(l)} is a {type(got).__name__}, not numbers"
    if arr.shape != want.shape:
        return f"{name}{sup(l)} has shape {arr.shape}, but it must be {want.shape}"
    if not np.isfinite(arr).all():
        return f"{name}{sup(l)} holds NaN or infinity: {arr.tolist()}"
    if _close(arr, want):
        return None
    i = tuple(int(k) for k in np.unravel_index(int(np.argmax(np.abs(arr - want))), want.shape))
    where = ", ".join(str(k) for k in i)
    return f"{name}{sup(l)}[{where}]: expected {float(want[i]) + 0.0:.6g}, got {float(arr[i]) + 0.0:.6g}"


def _forward_problem(forward: Callable, case: Case) -> str | None:
    t = case.net.trace(case.x, case.y)
    try:
        zs, activations = forward([w.copy() for w in case.net.weights], [b.copy() for b in case.net.biases], case.x)
    except Exception as e:
        return f"forward raised {type(e).__name__}: {e}"
    if len(zs) != t.L or len(activations) != t.L + 1:
        return f"forward returned {len(zs)} z's and {len(activations)} a's: give L = {t.L} z's and x plus {t.L} a's"
    for l in range(1, t.L + 1):
        wrong = _first_wrong("z", l, zs[l - 1], t.z[l]) or _first_wrong("a", l, activations[l], t.a[l])
        if wrong:
            return wrong
    return None


def _backward_problem(quantity: str, backward: Callable, case: Case) -> str | None:
    net = case.net
    t = net.trace(case.x, case.y)
    try:
        result = backward([w.copy() for w in net.weights], [b.copy() for b in net.biases], case.x.copy(), case.y.copy())
        got = read_result(result, net)
    except Problem as p:
        return str(p)
    except Exception as e:
        return f"backward raised {type(e).__name__}: {e}"
    if "delta" not in got:
        return 'backward returned no deltas: return {"delta": …, "grad_W": …, "grad_b": …}'
    delta, L = got["delta"], net.L
    if quantity == "BP1":
        return _first_wrong("δ", L, delta[L - 1], t.delta[L])
    if quantity == "BP2":  # with the student's own δ⁽ˡ⁺¹⁾
        for l in range(L - 1, 0, -1):
            want = (net.weights[l].T @ delta[l]) * t.sigma_prime[l]
            if wrong := _first_wrong("δ", l, delta[l - 1], want):
                return wrong
        return None
    for l in range(L, 0, -1):  # BP3/BP4 with the student's own δ⁽ˡ⁾
        want_W = np.outer(delta[l - 1], t.a[l - 1])
        wrong = _first_wrong("∂L/∂b", l, got["grad_b"][l - 1], delta[l - 1])
        if wrong := wrong or _first_wrong("∂L/∂W", l, got["grad_W"][l - 1], want_W):
            return wrong
    return None


def grade(
    quantity: str,
    function: Callable,
    network: tuple[Any, Any, Any, Any] | None = None,
    networks: int = 20,
    seed: int = 0,
) -> Grade:
    """Grade one of :data:`QUANTITIES` of a student's ``forward`` (for ``"forward"``) or
    ``backward`` (the laws), on ``network`` = (weights, biases, x, y) alone if given, else on the
    seed network and ``networks`` random ones (:func:`.checker.cases`, sigmoid and MSE)."""
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity must be one of {', '.join(QUANTITIES)}, got {quantity!r}")
    if network is not None:
        W, b, x, y = network
        own = Case("your network", Network(W, b), np.asarray(x, float), np.asarray(y, float))
        tried = [own]
    else:
        tried = cases("sigmoid", "mse", max(networks, 1), seed)
    for case in tried:
        if quantity == "forward":
            problem = _forward_problem(function, case)
        else:
            problem = _backward_problem(quantity, function, case)
        if problem is not None:
            words = f"{quantity}: {problem} on {case.name}."
            if quantity != "forward":
                words += f" check_backprop says: {check_backprop(function, networks=networks, seed=seed).message}"
            return Grade(False, words)
    return Grade(True)
