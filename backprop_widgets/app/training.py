"""Runs of gradient descent on the page's one sample — runs that never freeze the page.

A :class:`Training` belongs to one :class:`~backprop_widgets.app.state.State` (``state.training``)
and works on it from outside: it reads the network and its trace, and shows each step through
``State.show_step``. Each step is the core's ``Network.gradient_step``, so the page trains
exactly as the core's own loop does.

A kernel handles the browser's messages one at a time, so a loop inside a button's callback
would hold back every other message (Stop, an edit, Reset) until it ends. A run started from the
page (:meth:`Training.start`, inside the kernel's event loop) is therefore an asyncio
task: it computes for at most :data:`CHUNK_S` seconds, then gives the loop back, and the kernel
handles whatever the browser sent meanwhile before the next chunk. Showing a step (a worked
example, the diagram, the panel, the loss curve) costs far more than computing one, so the
state shows the run at a bounded rate: every :data:`FRAME_S` seconds at most, and never for
more than a third of the time.

What is on the screen is the state. Steps computed but not shown yet are dropped when a run
stops, so a run stops at the step the page shows, and an edit during a run (which stops it
first: ``State.set`` and ``State.set_value`` call :meth:`Training.stop`) applies to
the network that was on the screen when it was typed.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from traitlets import HasTraits, Instance, List, Unicode

from ..core import Network, Trace
from .controls import label_of
from .markup import msg, note

if TYPE_CHECKING:
    from .state import State

#: a run computes for at most this long before the kernel handles messages again (seconds)
CHUNK_S = 0.03
#: a run shows its newest step at most this often (seconds)
FRAME_S = 0.25
#: how long a run waits between chunks, for the kernel to receive and handle messages: a
#: zero-length wait lets one message through only every few chunks (measured in a kernel)
YIELD_S = 0.003


@dataclass(eq=False)
class Run:
    """One run of ``n`` steps at rate ``eta`` on (x, y), as far as it is computed.

    ``losses`` holds the loss after every step since training started (the start's first), the
    newest computed step last; ``done`` steps of this run are computed and ``shown`` of them are
    on the screen (the state holds step ``shown``).
    """

    n: int
    eta: float
    x: np.ndarray
    y: np.ndarray
    net: Network
    trace: Trace
    losses: list[float]
    done: int = 0
    shown: int = 0
    error: str = ""
    task: "asyncio.Task | None" = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        """All ``n`` steps computed, or a step failed (``error`` says why)."""
        return self.done == self.n or bool(self.error)

    def advance(self, seconds: float = math.inf) -> None:
        """Compute the next steps, for about ``seconds`` at most (at least one step)."""
        deadline = time.perf_counter() + seconds
        while not self.finished:
            try:
                net = self.net.gradient_step(self.x, self.y, eta=self.eta, trace=self.trace)
                trace = net.trace(self.x, self.y)
            except ValueError as exc:  # e.g. η so large that the weights overflow
                self.error = f"training stopped after {self.done} of {self.n} steps: {exc}; try a smaller η"
                return
            self.net, self.trace = net, trace
            self.losses.append(trace.loss)
            self.done += 1
            if time.perf_counter() >= deadline:
                return


class Training(HasTraits):
    """The state's runs of training: ``train``, ``start``, ``stop``, ``reset`` and the loss history.

    ``started_from`` is the network the current run of gradient descent started from,
    ``trained`` the network it produced last, ``losses`` the loss after every step since the
    start (the start's loss first). A run of training ends when anything else changes the
    network (:meth:`forget`).
    """

    run = Instance(Run, allow_none=True, help="the run of training in progress (None: none)")
    note = Unicode("", help="how the last run ended when it did not simply finish (HTML)")
    started_from = Instance(Network, allow_none=True)
    trained = Instance(Network, allow_none=True)
    losses = List()

    def __init__(self, state: "State"):
        super().__init__()
        self.state = state

    @property
    def on_screen(self) -> bool:
        """Whether the page shows the network the last step of training produced."""
        return self.trained is not None and self.state.network is self.trained

    @property
    def loss_history(self) -> list[float]:
        """Losses since training started; just the current loss once anything else changed."""
        return list(self.losses) if self.on_screen else [self.state.trace.loss]

    # -- starting and ending a run ----------------------------------------------------------

    def train(self, n: int, eta: float) -> str:
        """``n`` gradient-descent steps on (x, y) with rate ``eta``, now (for scripts: the call
        returns when they are done), continuing the current run of training unless something was
        edited since. Returns ``""``, or why training stopped early; the state then holds the
        last good step."""
        run = self._begin(n, eta)
        run.advance()
        return self._finish(run)

    def start(self, n: int, eta: float) -> None:
        """Like :meth:`train`, for the page: inside an event loop (a kernel's) the run goes on in
        the background, chunk by chunk, and ``run`` shows its progress until it finishes or
        :meth:`stop` stops it. Without a running loop (a script, a test) the run is done when
        this returns."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.train(n, eta)
            return
        run = self._begin(n, eta)
        run.task = loop.create_task(self._drive(run))

    def stop(self, reason: str, edit: bool = False) -> bool:
        """Stop the run in progress at the step the page shows, saying why (``"you pressed
        Stop"``; ``edit``: and that an edit applies to that step); steps computed beyond it are
        dropped. ``False`` if no run was in progress."""
        run = self.run
        if run is None:
            return False
        text = f"Training stopped at step {run.shown} of {run.n}: {reason}."
        if edit:
            text += f" The edit applies to the network shown, of step {run.shown}."
        with self.hold_trait_notifications():
            self.run = None
            self.note = note(text)
        return True

    def stop_for_edit(self, name: str) -> bool:
        """A student edits the value ``name`` (``w1,1,1``, ``x2``…): the run in progress stops
        at the step on the screen, which the edit then applies to."""
        try:
            label = label_of(name)
        except ValueError:
            label = name
        return self.stop(f"you edited {label}", edit=True)

    def reset(self) -> bool:
        """Back exactly to the network the current run of training started from (a run in
        progress stops first). A run ends when anything else changes the network (an edit,
        Random, a new architecture): then there is nothing to reset, and ``False`` is returned."""
        self.stop("you pressed Reset")
        start, running = self.started_from, self.on_screen
        self.forget()
        if start is None or not running:
            return False
        self.state.set(network=start)
        return True

    def forget(self) -> None:
        """The end of a run of training: a new network is not where it left off."""
        self.trained = self.started_from = None

    # -- the run's steps on the page --------------------------------------------------------

    def _begin(self, n: int, eta: float) -> Run:
        self.stop("you started another run")
        state = self.state
        if not self.on_screen:  # start a new run
            self.started_from, self.losses = state.network, [state.trace.loss]
        run = Run(int(n), float(eta), state.x, state.y, state.network, state.trace, list(self.losses))
        with self.hold_trait_notifications():
            self.note = ""
            self.run = run
        return run

    def _show(self, run: Run) -> None:
        """The run's newest step becomes the state: every view follows."""
        with self.hold_trait_notifications():
            run.shown = run.done
            self.trained, self.losses = run.net, list(run.losses)
            self.state.show_step(run.net, run.trace)

    def _finish(self, run: Run) -> str:
        if run.done > run.shown:  # the last good step, shown even when training stopped
            self._show(run)
        with self.hold_trait_notifications():
            self.run = None
            self.note = msg(run.error)
        return run.error

    async def _drive(self, run: Run) -> None:
        """A run in the kernel's event loop: compute a chunk, let the kernel handle the messages
        that came meanwhile (one may stop the run), show the newest step when one is due."""
        next_frame = time.perf_counter() + FRAME_S
        try:
            while True:
                await asyncio.sleep(YIELD_S)  # Stop, edits and Reset are handled here
                if self.run is not run:
                    return  # stopped meanwhile, and the state said why
                if run.finished:
                    self._finish(run)
                    return
                if time.perf_counter() >= next_frame and run.done > run.shown:
                    start = time.perf_counter()
                    self._show(run)
                    cost = time.perf_counter() - start
                    next_frame = time.perf_counter() + max(FRAME_S, 2 * cost)
                    continue  # messages that came while showing go first
                run.advance(CHUNK_S)
        except Exception as exc:  # the page must not stay busy after a failure it cannot show
            if self.run is run:
                with self.hold_trait_notifications():
                    self.run = None
                    self.note = msg(f"training stopped after {run.shown} of {run.n} steps: {exc}")
            raise
