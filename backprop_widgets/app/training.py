"""A run of gradient descent on the page's one sample, as methods of the state.

:class:`Training` is mixed into :class:`~backprop_widgets.app.state.State` (which declares the
traits ``train_start``, ``trained`` and ``train_losses``); each step is the core's
``Network.gradient_step``, so the page trains exactly as the core's own loop does.
"""

from __future__ import annotations

from ..core import Network, Trace


class Training:
    """``train``, ``reset_training`` and the loss history of the current run."""

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
            self._commit(net, trace, self.target)

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
