"""The one state object of the dashboard: parameters in, one trace out.

Widgets write into a :class:`State` (``set_param``, ``set_input``, ``set``); every accepted change
recomputes exactly one :class:`~backprop_widgets.core.Trace`. A change the core refuses
(non-finite, wrong shape, overflow, an unknown parameter) raises ``ValueError`` and leaves the
state exactly as it was. Views observe ``trace`` (and ``target``) and only read from here.
"""

from __future__ import annotations

import math

import numpy as np
from traitlets import HasTraits, Instance, List, TraitError, Unicode, validate

from ..core import Network, Param, Trace, parse_sample_name, seed_example

#: a typed value larger than this is refused (the net would only saturate or overflow)
MAX_ABS_VALUE = 1e6


def parse_number(text: str) -> float:
    """Parse what a student typed into a number field, or raise ``ValueError`` saying why.

    Accepts ordinary decimals and scientific notation, the page's minus sign (−0.5) and
    surrounding spaces. Refuses empty text, words, ``nan``, ``inf`` and anything beyond ±10⁶.
    Never evaluates the text.
    """
    s = str(text).strip().replace("\u2212", "-").replace("\u2013", "-")
    if not s:
        raise ValueError("enter a number")
    try:
        value = float(s)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not math.isfinite(value) or s.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return check_value(value)


def check_value(value) -> float:
    """A finite float within ±``MAX_ABS_VALUE``, or ``ValueError``."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    if abs(value) > MAX_ABS_VALUE:
        raise ValueError(f"keep values within ±{MAX_ABS_VALUE:,.0f}")
    return value


class State(HasTraits):
    """Network, sample, traced parameter and the current trace — the dashboard's single source.

    ``trace`` always equals ``network.trace(x, y)``; ``target`` is always a parameter of
    ``network``.
    """

    network = Instance(Network)
    x = Instance(np.ndarray)
    y = Instance(np.ndarray)
    target = Unicode("w1,1,1")
    trace = Instance(Trace)
    #: training: the network the current run of gradient descent started from, the network it
    #: produced last, and the loss after every step since the start (the start's loss first)
    train_start = Instance(Network, allow_none=True)
    trained = Instance(Network, allow_none=True)
    train_losses = List()

    def __init__(self, network: Network | None = None, x=None, y=None, target: str = "w1,1,1"):
        if network is None:
            network, x, y = seed_example()
        super().__init__()
        self.set(network=network, x=x, y=y, target=target)

    @validate("x", "y")
    def _finite(self, proposal):
        value = np.asarray(proposal["value"], dtype=float)
        if not np.isfinite(value).all():
            raise TraitError(f"{proposal['trait'].name} must hold finite numbers")
        return value

    # -- the only ways in -------------------------------------------------------------------

    def set(self, *, network: Network | None = None, x=None, y=None,
            target: "str | Param | None" = None) -> Trace:
        """Replace any of network, x, y, target at once: one recompute, all or nothing."""
        network = self.network if network is None else network
        x = self.x if x is None else x
        y = self.y if y is None else y
        trace = network.trace(x, y)  # ValueError here leaves everything unchanged
        target = self._valid_target(network, self.target if target is None else target)
        with self.hold_trait_notifications():
            self.network, self.x, self.y = network, trace.x, trace.y
            self.target = target
            self.trace = trace
        return trace

    # -- training ----------------------------------------------------------------------------

    @property
    def loss_history(self) -> list[float]:
        """Losses since training started; just the current loss once anything else changed."""
        if self.trained is not None and self.network is self.trained:
            return list(self.train_losses)
        return [self.trace.loss]

    def train(self, n: int, eta: float, views: int = 20) -> str:
        """``n`` gradient-descent steps on (x, y) with rate ``eta`` (the core's
        ``Network.gradient_step``), continuing the current run unless something was edited
        since. About ``views`` evenly spaced steps and the last one become the state, so the
        views follow the run. Returns ``""``, or why training stopped early; the state then
        holds the last good step."""
        if self.trained is None or self.network is not self.trained:  # start a new run
            self.train_start, self.train_losses = self.network, [self.trace.loss]
        every = max(1, n // views)
        net, trace, losses = self.network, self.trace, list(self.train_losses)
        error = ""
        for i in range(1, n + 1):
            try:
                new = net.gradient_step(self.x, self.y, eta=eta, trace=trace)
                new_trace = new.trace(self.x, self.y)
            except ValueError as exc:  # e.g. η so large that the weights overflow
                error = f"training stopped after {i - 1} of {n} steps: {exc}; try a smaller η"
                break
            net, trace = new, new_trace
            losses.append(trace.loss)
            if i % every == 0 or i == n:
                self._commit_training(net, trace, losses)
        if self.network is not net:  # the last good step, shown even when training stopped
            self._commit_training(net, trace, losses)
        return error

    def _commit_training(self, net: Network, trace: Trace, losses: list[float]) -> None:
        with self.hold_trait_notifications():
            self.trained, self.train_losses = net, list(losses)
            self.network, self.trace = net, trace

    def reset_training(self) -> bool:
        """Back exactly to the network the current run of training started from. A run ends
        when anything else changes the network (an edit, Random, a new architecture): then
        there is nothing to reset, and ``False`` is returned."""
        start, running = self.train_start, self.trained is not None and self.network is self.trained
        self.trained = self.train_start = None
        if start is None or not running:
            return False
        self.set(network=start)
        return True

    def set_param(self, param: "str | Param", value) -> Trace:
        """Set one weight or bias (e.g. ``"w1,1,1"``, ``"b2,1"``)."""
        return self.set(network=self.network.with_param(param, check_value(value)))

    def set_input(self, k: int, value) -> Trace:
        """Set x_k (1-based)."""
        x = np.array(self.x)
        x[k - 1] = check_value(value)
        return self.set(x=x)

    def set_target_value(self, j: int, value) -> Trace:
        """Set y_j (1-based)."""
        y = np.array(self.y)
        y[j - 1] = check_value(value)
        return self.set(y=y)

    def set_target(self, target: "str | Param") -> None:
        """Choose which weight or bias the walkthrough traces (no recompute needed)."""
        self.target = str(self.network.check_param(target))

    @staticmethod
    def _valid_target(network: Network, target) -> str:
        """``target`` if the network has it, else the closest valid parameter (w1,1,1 first)."""
        try:
            return str(network.check_param(target))
        except ValueError:
            return str(network.parameters()[0])

    def value(self, name: str) -> float:
        """Current value of ``w…``/``b…`` parameters, ``x<k>`` inputs and ``y<j>`` targets."""
        kind, index = self._sample_index(name)
        if kind == "x":
            return float(self.x[index - 1])
        if kind == "y":
            return float(self.y[index - 1])
        return self.network.get(name)

    def set_value(self, name: str, value) -> Trace:
        """Set the value a control is named after: ``x<k>``, ``y<j>``, or a parameter."""
        kind, index = self._sample_index(name)
        if kind == "x":
            return self.set_input(index, value)
        if kind == "y":
            return self.set_target_value(index, value)
        return self.set_param(name, value)

    def _sample_index(self, name: str) -> tuple[str, int]:
        """``("x", k)`` or ``("y", j)`` for an input or target name within range, else
        ``("param", 0)`` (the network checks a parameter's name itself)."""
        sample = parse_sample_name(name)
        if sample is None:
            return "param", 0
        kind, index = sample
        n = len(self.x if kind == "x" else self.y)
        if index > n:
            raise ValueError(f"{name}: this network has {kind}1 … {kind}{n}")
        return kind, index
