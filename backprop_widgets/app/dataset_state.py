"""The dataset the page trains on, and its runs of mini-batch training: ``state.dataset``.

A :class:`DatasetState` belongs to one :class:`~backprop_widgets.app.state.State`. Its
``choice`` (:class:`~backprop_widgets.core.DataChoice`: dataset, noise, n, test split, seed,
batch size) is what a lesson link carries; ``data`` holds the points it makes, split for
testing, or those of an uploaded CSV file (``source``). A file that cannot be used leaves the
last good data and says why in ``message``.

Training steps are the core's (``core.training_steps``: each batch one gradient step with the
batch's mean gradient), one generator kept while the settings stay, so any mix of Step and Run
of E epochs in all gives exactly ``Network.train(..., epochs=E)``. A run from the page goes on in
the kernel's event loop as :class:`~.training.Training`'s does: it computes for at most
:data:`CHUNK_S`, gives the loop back (Stop is handled there), and bumps ``frame`` at most every
:data:`FRAME_S` (the tab redraws its pictures); the page's network (diagram, panels) follows at
most every :data:`STATE_S`, and at the end. Anything else that changes the network ends the run.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Iterator

import numpy as np
from traitlets import Bool, HasTraits, Instance, Int, Unicode

from ..core import (
    DataChoice,
    Network,
    Split,
    TrainStep,
    check_choice,
    make_dataset,
    mean_loss,
    read_csv,
    split_dataset,
    training_steps,
)
from .markup import msg, note

if TYPE_CHECKING:
    from .state import State

#: a run computes for at most this long before the kernel handles messages again (seconds)
CHUNK_S = 0.03
#: the pictures follow a run at most this often (seconds): 16 a second in the kernel; in chromium on
#: 2 shared cores 8.8–12.8 (0.08 s gave 6.6–10.1: the browser's decoding shares the cores)
FRAME_S = 0.06
#: the page's network (diagram, header) follows a run at most this often, and spends at most a
#: third of the time on it; the steps and the value rows follow at most once a second (run_pace)
STATE_S = FRAME_S
#: how long a run waits between chunks, for the kernel to handle messages
YIELD_S = 0.003
#: the most epochs one Run offers
MAX_EPOCHS = 10_000


class DatasetState(HasTraits):
    """The page's dataset and the curves of training on it (see the module docstring)."""

    choice = Instance(DataChoice, (), help="dataset, noise, n, test split, seed, batch size (a link's fields)")
    data = Instance(Split, allow_none=True, help="the points: X_train, X_test, Y_train, Y_test")
    source = Unicode("", help="the uploaded file the data came from ('': the dataset menu)")
    message = Unicode("", help="why the last dataset or file could not be used, or how a run ended (HTML)")
    running = Bool(False, help="a run of epochs is in progress")
    frame = Int(0, help="bumped when the curves or the network in training change")

    def __init__(self, state: "State"):
        super().__init__()
        self.state = state
        self.net: Network | None = None  # the network being trained (None: the page's)
        self.epochs = 0  # epochs trained since the curves began
        self.loss_history: list[float] = []  # train loss before training and after each epoch
        self.test_loss_history: list[float] = []
        self.grad_norms: list[list[float]] = []  # ‖∂L/∂W⁽ˡ⁾‖ per step, one column per layer
        self.started_from: Network | None = None
        self._steps: Iterator[TrainStep] | None = None
        self._key: tuple = ()
        self._task: asyncio.Task | None = None
        self._shown: Network | None = None  # the network this object last put on the page
        self.choose(DataChoice())
        state.observe(self._on_network, names="network")

    # -- the data -------------------------------------------------------------------------------

    def choose(self, choice: DataChoice) -> None:
        """Draw the dataset ``choice`` names (``ValueError`` if a value is out of range; the
        data stay)."""
        check_choice(choice)
        X, Y = make_dataset(choice.name, n=choice.n, noise=choice.noise, seed=choice.seed)
        self._set_data(choice, split_dataset(X, Y, test=choice.test, seed=choice.seed), "")

    def set(self, **changes) -> None:
        """Change settings of the choice (``name``, ``noise``, ``n``, ``test``, ``seed``,
        ``batch``); a refused value leaves everything as it was and ``message`` says why."""
        choice = replace(self.choice, **changes)
        if choice == self.choice and not self.source:
            return
        if set(changes) <= {"view", "threshold"}:  # how the page shows a batch: data and curves stay
            try:
                self.choice = check_choice(choice)
            except ValueError as exc:
                self.message = msg(str(exc))
            return
        if self.source and set(changes) == {"batch"}:  # a file's points stay; only the batch size changes
            check_choice(choice)
            self._stop("the batch size changed")
            self.choice = choice
            self._restart()
            return
        try:
            self.choose(choice)
        except ValueError as exc:
            self.message = msg(str(exc))

    def upload(self, name: str, content: "bytes | str") -> bool:
        """An uploaded CSV file as the data (its last n_L columns are y). A file that does not
        fit the network, or is no CSV of numbers, keeps the last good data; ``message`` says why."""
        sizes = self.state.network.sizes
        try:
            X, Y = read_csv(content, k=sizes[-1])
            if X.shape[1] != sizes[0]:
                raise ValueError(
                    f"its rows have {X.shape[1]} input column{'s' * (X.shape[1] != 1)} and {sizes[-1]} target "
                    f"column{'s' * (sizes[-1] != 1)}, but this network takes {sizes[0]} inputs: a row must have "
                    f"{sizes[0]} inputs, then {sizes[-1]} target{'s' * (sizes[-1] != 1)}"
                )
            if len(X) < 2:
                raise ValueError("it has one row: training needs at least two samples")
            mean_loss(self.state.network, X, Y)  # targets the loss takes (0..1 for cross-entropy…)
        except ValueError as exc:
            self.message = msg(f"{name} was not used: {exc}. The data shown are still the last good ones.")
            return False
        self._set_data(self.choice, split_dataset(X, Y, test=self.choice.test, seed=self.choice.seed), name)
        return True

    def _set_data(self, choice: DataChoice, data: Split, source: str) -> None:
        self._stop("the data changed")
        with self.hold_trait_notifications():
            self.choice, self.data, self.source, self.message = choice, data, source, ""
            self._restart()

    def fits(self) -> str:
        """'' if the data fit the page's network; else why not (in words)."""
        d, sizes = self.data, self.state.network.sizes
        if d is None:
            return "no data"
        if d.X_train.shape[1] != sizes[0] or d.Y_train.shape[1] != sizes[-1]:
            return (
                f"the data have {d.X_train.shape[1]} inputs and {d.Y_train.shape[1]} target"
                f"{'s' * (d.Y_train.shape[1] != 1)} per sample; the network takes {sizes[0]} and gives "
                f"{sizes[-1]} (set the architecture to {d.X_train.shape[1]},…,{d.Y_train.shape[1]})"
            )
        try:
            mean_loss(self.state.network, d.X_train[:1], d.Y_train[:1])
        except ValueError as exc:
            return str(exc)
        return ""

    # -- the curves -----------------------------------------------------------------------------

    @property
    def network(self) -> Network:
        """The network trained (the page's until training starts)."""
        return self.net if self.net is not None else self.state.network

    def _restart(self) -> None:
        """The curves begin again at the page's network."""
        self._steps, self._key, self.net, self.started_from = None, (), None, None
        self.epochs, self.grad_norms = 0, []
        self.loss_history, self.test_loss_history = self._losses(self.state.network)
        self.frame += 1

    def _losses(self, net: Network) -> tuple[list[float], list[float]]:
        d = self.data
        if d is None or self.fits():
            return [], []
        return [mean_loss(net, d.X_train, d.Y_train)], ([mean_loss(net, d.X_test, d.Y_test)] if len(d.X_test) else [])

    def _on_network(self, change) -> None:
        if change["new"] is not self._shown and change["new"] is not self.net:
            self._stop("the network was changed")
            self._restart()

    # -- training -------------------------------------------------------------------------------

    def train(self, epochs: int, eta: float) -> str:
        """``epochs`` epochs now (for scripts and Step); returns '' or why not."""
        why = self._begin(eta)
        if why:
            return why
        self._advance(epochs)
        self._show(final=True)
        return ""

    def start(self, epochs: int, eta: float) -> None:
        """Like :meth:`train`, chunk by chunk in the kernel's event loop (none running: now)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.train(epochs, eta)
            return
        if self._begin(eta):
            return
        self.running = True
        self._task = loop.create_task(self._drive(self.epochs + int(epochs)))

    def stop(self, reason: str = "you pressed Stop") -> bool:
        """Stop a run at the epoch shown; ``False`` if none was running."""
        return self._stop(reason)

    def reset(self) -> bool:
        """Back to the network training started from, and the curves begin again."""
        self._stop("you pressed Reset")
        start = self.started_from
        if start is None:
            return False
        self.state.replace_network(start)
        self._restart()
        return True

    def _stop(self, reason: str) -> bool:
        if not self.running:
            return False
        self._show(final=True)  # still running: the views paced by RunPace catch up once, at its end
        with self.hold_trait_notifications():
            self.running, self._task = False, None
            self.message = note(f"Training stopped after epoch {self.epochs}: {reason}.")
        return True

    def _begin(self, eta: float) -> str:
        self._stop("you started another run")
        why = self.fits()
        if why:
            self.message = msg(f"cannot train: {why}")
            return self.message
        self.state.training.stop("training on the dataset started")
        key = (float(eta), self.choice.batch)  # new data begin the curves again (_restart)
        if self._steps is None or key != self._key or self.net is None:
            net = self.network
            if self.started_from is None:
                self.started_from = self.state.network
            d = self.data
            assert d is not None
            self._steps = training_steps(
                net, d.X_train, d.Y_train, 10**9, self.choice.batch, float(eta), self.choice.seed
            )
            self._key, self.net = key, net
        self.message = ""
        return ""

    def _advance(self, epochs: int, seconds: float = np.inf) -> None:
        """Up to ``epochs`` more epochs, for about ``seconds`` at most (whole epochs)."""
        d, steps = self.data, self._steps
        assert d is not None and steps is not None
        deadline = time.perf_counter() + seconds
        per_epoch = -(-len(d.X_train) // self.choice.batch)
        for _ in range(epochs):
            for _ in range(per_epoch):
                step = next(steps)
                self.grad_norms.append([float(np.sqrt(np.vdot(g, g))) for g in step.batch.grad_W[1:]])
            self.net = step.network
            self.epochs += 1
            train, test = self._losses(self.net)
            self.loss_history += train
            self.test_loss_history += test
            if time.perf_counter() >= deadline:
                return

    def _show(self, final: bool = False) -> float:
        """The pictures follow (``frame``); at the end, or every :data:`STATE_S`, so does the page.
        Returns the seconds the page took to follow (0 if it did not)."""
        self.frame += 1  # first: the Dataset tab draws the frame once, and the page follows it
        if not (final and self.net is not None and self.net is not self.state.network):
            return 0.0
        self._shown = self.net
        t0 = time.perf_counter()
        self.state.replace_network(self.net)
        return time.perf_counter() - t0

    async def _drive(self, target: int) -> None:
        """Compute until the next frame is due (at most :data:`CHUNK_S`), let the kernel handle
        its messages, show the frame; the page's network follows every :data:`STATE_S` at most,
        and spends at most a third of the time on it (it writes a worked example)."""
        start = time.perf_counter()
        next_frame, next_state = start + FRAME_S, start + STATE_S
        try:
            while self.running and self.epochs < target:
                await asyncio.sleep(YIELD_S)  # Stop and edits are handled here
                if not self.running:
                    return
                now = time.perf_counter()
                if now >= next_frame:
                    final = now >= next_state
                    cost = self._show(final=final)
                    next_frame = now + FRAME_S
                    if final:
                        next_state = now + max(STATE_S, 3 * cost)  # from the frame's start, as next_frame
                    continue  # messages that came while showing go first
                self._advance(target - self.epochs, min(CHUNK_S, next_frame - now))
            if self.running:
                self._show(final=True)  # still running (as in _stop)
                with self.hold_trait_notifications():
                    self.running, self._task = False, None
        except Exception as exc:  # the page must not stay busy after a failure
            with self.hold_trait_notifications():
                self.running = False
                self.message = msg(f"training stopped after epoch {self.epochs}: {exc}")
            raise
