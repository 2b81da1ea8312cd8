"""The one state of the dashboard: everything the page shows, each value validated on the way in.

Network, sample (x, y), traced parameter, the trace and its worked example, the step shown, the
edge mode, Practice, the lesson the page follows and the one the Share tab writes into links, the
tab shown, what a link could not set; its runs of training are ``state.training``
(:mod:`.training`). Snapshots of it for links and files: :mod:`.sharing`. Widgets write user
edits into a :class:`State` (its methods, or a ``link``); views observe its traits and only read
from here. Every accepted change of the numbers recomputes exactly one
:class:`~backprop_widgets.core.Trace` and one worked example: ``example`` (or, when it cannot be
written, ``None``, and ``error`` holds why) changes once per change, and views observe both
traits. A change the core refuses raises ``ValueError`` and leaves the state exactly as it was.
A write that changes nothing notifies nothing, so views may write what they show back without
echo loops.
"""

from __future__ import annotations

import numpy as np
from traitlets import (
    Bool,
    Enum,
    HasTraits,
    Instance,
    Int,
    TraitError,
    Unicode,
    validate,
)

from ..core import (
    EDGE_MODES,
    MODES,
    Lesson,
    Network,
    Param,
    Trace,
    default_sample,
    fmt,
    parse_sample_name,
    parse_sizes,
    seed_example,
)
from ..core.validation import check_page_sizes
from ..explain.walkthrough import WorkedExample, worked_example
from .tabs import TABS, hideable
from .training import Training
from .values import MAX_ABS_VALUE, check_value, parse_number

__all__ = ["State", "parse_number", "check_value", "MAX_ABS_VALUE"]


class State(HasTraits):
    """Everything the page shows — the dashboard's single source.

    ``trace`` always equals ``network.trace(x, y)``; ``traced`` is always a parameter of
    ``network``; ``example`` is the worked example of both, or ``None`` and ``error`` says why.
    ``training`` runs gradient descent on it (:class:`~backprop_widgets.app.training.Training`).
    """

    network = Instance(Network)
    x = Instance(np.ndarray)
    y = Instance(np.ndarray)
    traced = Unicode("w1,1,1", help="the weight or bias whose gradient the walkthrough traces")
    trace = Instance(Trace)
    palette = Unicode("okabe-ito", help="colour code of the equations")
    example = Instance(WorkedExample, allow_none=True, help="the worked example of the trace and the traced parameter")
    error = Instance(Exception, allow_none=True, help="why the worked example could not be written (None: it was)")
    step = Int(0, help="the step shown: an index into the worked example's steps")
    edge_mode = Enum(EDGE_MODES, "gradient", help="edges coloured by ∂L/∂w or by w")
    mode = Enum(tuple(MODES), "explore", help="explore, predict, fade or practice (core.MODES)")
    stage = Int(0, help="Fade's stage: how many step groups, from the end, the student completes")
    hides = Bool(False, help="answers not yet given are held back: no numbers on the diagram, header or table")
    holds_tabs = Bool(False, help="answers not yet given are held back: the tabs that print numbers leave")
    lesson = Instance(Lesson, (), help="the lesson the page follows: hidden parts, locked values")
    link_lesson = Instance(Lesson, (), help="the lesson the Share tab puts into links and files")
    tab = Unicode("", help="the name of the tab shown (see app.tabs.TABS)")
    notice = Unicode(
        "", help="what a link or a file held that could not be used (HTML); any change that goes through clears it"
    )
    #: (seed, sizes) of the weights on screen when the Random weights button drew them
    drawn_seed: tuple[int, tuple[int, ...]] | None = None

    def __init__(
        self, network: Network | None = None, x=None, y=None, traced: str = "w1,1,1", palette: str = "okabe-ito"
    ):
        if network is None:
            network, x, y = seed_example()
        super().__init__(palette=palette)
        self.training = Training(self)
        self.set(network=network, x=x, y=y, traced=traced)
        from .dataset_state import DatasetState  # the Dataset tab's data and its training

        self.dataset = DatasetState(self)

    @property
    def worked(self) -> WorkedExample | None:
        """The worked example, or ``None`` when it could not be written (``error`` says why)."""
        return self.example

    # -- validation -----------------------------------------------------------------------

    @validate("x", "y")
    def _finite(self, proposal):
        value = np.asarray(proposal["value"], dtype=float)
        if not np.isfinite(value).all():
            raise TraitError(f"{proposal['trait'].name} must hold finite numbers")
        return value

    @validate("step")
    def _step_of_the_example(self, proposal):
        """Clamped to the first and last step (kept as it is while there is no example)."""
        worked = self.worked
        n = len(worked.steps) if worked is not None else proposal["value"] + 1
        return max(0, min(proposal["value"], n - 1))

    @validate("lesson", "link_lesson")
    def _known_parts(self, proposal):
        lesson = proposal["value"]
        names = hideable()
        unknown = [h for h in lesson.hide if h not in names]
        if unknown:
            raise TraitError(f"hide: unknown {', '.join(map(repr, unknown))}; one of {', '.join(names)}")
        return lesson

    @validate("tab")
    def _registered_tab(self, proposal):
        if proposal["value"] and proposal["value"] not in TABS:
            raise TraitError(f"tab: unknown {proposal['value']!r}; one of {', '.join(TABS)}")
        return proposal["value"]

    # -- the numbers: the only ways in -------------------------------------------------------

    def set(self, *, network: Network | None = None, x=None, y=None, traced: "str | Param | None" = None) -> Trace:
        """Replace any of network, x, y, traced at once: one recompute, all or nothing."""
        self.training.stop("the network was changed")  # first: the change is to what is shown
        network = self.network if network is None else network
        x = self.x if x is None else x
        y = self.y if y is None else y
        trace = network.trace(x, y)  # ValueError here leaves everything unchanged
        traced = self._valid_traced(network, self.traced if traced is None else traced)
        self._commit(network, trace, traced)
        return trace

    def show_step(self, network: Network, trace: Trace) -> None:
        """Show a step of training: ``trace`` is the core's ``network.trace(x, y)`` (with the
        state's x and y), so nothing is recomputed."""
        self._commit(network, trace, self.traced)

    def _commit(self, network: Network, trace: Trace, traced: str) -> None:
        """Show a new trace: its worked example is written here, once, for every view."""
        with self.hold_trait_notifications():
            self.network, self.x, self.y = network, trace.x, trace.y
            self.traced = traced
            self.trace = trace
            self._write(network, trace, traced)
            self.notice = ""

    def _write(self, network: Network, trace: Trace, traced: str) -> None:
        """``example`` and ``error`` for this trace and traced parameter (call it holding notifications)."""
        try:
            example = worked_example(network, trace.x, trace.y, traced=traced, palette=self.palette, trace=trace)
        except Exception as exc:  # the page says so rather than show an older network's numbers
            self.example, self.error = None, exc
        else:
            self.example, self.error = example, None

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

    def set_traced(self, traced: "str | Param", step: str = "") -> None:
        """Choose which weight or bias the walkthrough traces (no recompute of the trace), and
        optionally the step to show, by id (a clicked edge shows ``"bp3"``)."""
        traced = str(self.network.check_param(traced))
        with self.hold_trait_notifications():
            if traced != self.traced:
                self.traced = traced
                self._write(self.network, self.trace, traced)
                self.notice = ""
            if step and self.worked is not None:
                self.step = self.worked.index(step)

    @staticmethod
    def _valid_traced(network: Network, traced) -> str:
        """``traced`` if the network has it, else the closest valid parameter (w1,1,1 first)."""
        try:
            return str(network.check_param(traced))
        except ValueError:
            return str(network.parameters()[0])

    def is_locked(self, name: str) -> bool:
        """Whether the lesson locks the value ``name`` (``x1``, ``w1,1,1``…)."""
        return "all" in self.lesson.lock or name in self.lesson.lock

    def value(self, name: str) -> float:
        """Current value of ``w…``/``b…`` parameters, ``x<k>`` inputs and ``y<j>`` targets."""
        kind, index = self._sample_index(name)
        if kind == "x":
            return float(self.x[index - 1])
        if kind == "y":
            return float(self.y[index - 1])
        return self.network.get(name)

    def set_value(self, name: str, value) -> Trace:
        """Set the value a control is named after: ``x<k>``, ``y<j>``, or a parameter. A value
        the lesson locks is refused (a disabled field sends nothing; a script or a stale page
        might)."""
        self.training.stop_for_edit(name)  # a run in progress stops first, at the step on the screen
        if self.is_locked(name):
            raise ValueError("this value is locked by the lesson")
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

    # -- whole networks ----------------------------------------------------------------------

    def replace_network(self, net: Network, x=None, y=None, traced=None) -> Trace:
        """A new network (maybe a new architecture): a sample of its shape, and the end of a run
        of training."""
        if x is None or y is None:
            same = list(net.sizes) == list(self.network.sizes)
            x, y = (self.x, self.y) if same else default_sample(net)
        self.training.forget()
        self.drawn_seed = None
        return self.set(network=net, x=x, y=y, traced=traced)

    def set_functions(
        self, *, activation: str | None = None, output_activation: str | None = None, loss: str | None = None
    ) -> str:
        """Other activations or loss (``None``: keep). A target y the new functions cannot reach
        is replaced by a valid one, and the returned note says so; ``ValueError`` if refused."""
        net = self.network
        old = (net.activation, net.output_activation, net.loss_name)
        new_functions = tuple(n or o for n, o in zip((activation, output_activation, loss), old))
        if new_functions == old:
            return ""
        new = Network(net.weights, net.biases, *new_functions)
        x, y, note = self.x, self.y, ""
        try:
            new.check_xy(x, y)
        except ValueError as exc:  # e.g. y outside [0, 1] for cross-entropy: a valid target
            y = default_sample(new)[1]
            note = f"{exc}, so y is now ({', '.join(fmt(v, unicode=True) for v in y)})"
        if new.sigma[new.L].coupled and not net.sigma[net.L].coupled and abs(float(sum(y)) - 1.0) > 1e-9:
            y = default_sample(new)[1]  # coupled outputs (softmax) are probabilities: a one-hot target
            note = (
                f"{new.output_activation} outputs sum to 1, so y is now ({', '.join(fmt(v, unicode=True) for v in y)})"
            )
        self.replace_network(new, x, y)
        return note

    def set_architecture(self, text: str, seed: int = 0) -> None:
        """Parse and apply an architecture like ``3,2,2,1`` with random weights from ``seed``
        (``ValueError`` if refused; the same architecture keeps the network)."""
        sizes = check_page_sizes(parse_sizes(text))  # the one limit links and files have too
        if sizes != list(self.network.sizes):
            self.randomize(seed, sizes)

    def random_weights(self, seed: int) -> int:
        """The Random weights button: weights from ``seed``, or from the next seed when the
        weights on screen were drawn from ``seed`` already (a second click must change them).
        Returns the seed drawn from, for the seed field, so the weights stay reproducible."""
        if self.drawn_seed == (seed, tuple(self.network.sizes)):
            seed = seed + 1 if seed < 2**31 - 1 else 0
        self.randomize(seed)
        return seed

    def randomize(self, seed: int = 0, sizes=None) -> None:
        """Random weights (reproducible from ``seed``), the same functions and architecture."""
        net = self.network
        self.replace_network(
            Network.random(
                net.sizes if sizes is None else sizes,
                seed=seed,
                activation=net.activation,
                output_activation=net.output_activation,
                loss=net.loss_name,
            )
        )
        self.drawn_seed = (seed, tuple(self.network.sizes))

    def reset(self) -> None:
        """Back to the seed page: [3,2,2,1], sigmoid, MSE, x = (1, 0.5, −1), y = 1, w₁,₁⁽¹⁾,
        its first step."""
        net, x, y = seed_example()
        with self.hold_trait_notifications():
            self.step = 0
            self.replace_network(net, x, y, traced="w1,1,1")

    # -- the page around the numbers --------------------------------------------------------

    @property
    def practice(self) -> bool:
        """Practice mode (``set_practice``)."""
        return self.mode == "practice"

    @practice.setter
    def practice(self, on: bool) -> None:
        self.set_practice(on)

    def set_practice(self, on: bool) -> None:
        """Practice on (or back to Explore); in practice the edges show the given weights."""
        self.set_mode("practice" if on else "explore")

    def stages(self) -> int:
        """How many stages Fade has for the worked example (1 when there is none)."""
        return len(self.example.fading()) if self.example is not None else 1

    def set_mode(self, mode: str, stage: int | None = None) -> None:
        """Another mode (``core.MODES``), and for Fade its stage (clamped to the stages there are).
        Every mode but Explore starts by holding back what the student is to give; Predict and
        Fade then show what has been given (:meth:`set_hides`)."""
        if mode not in MODES:
            raise ValueError(f"mode {mode!r} is not one of {', '.join(MODES)}")
        stage = self.stage if stage is None else int(stage)
        stage = max(0, min(stage, self.stages() - 1)) if mode == "fade" else 0
        holds = mode != "explore" and not (mode == "fade" and stage == 0)
        with self.hold_trait_notifications():
            self.mode, self.stage = mode, stage
            if mode == "practice":  # as Practice always did (and links imply)
                self.edge_mode = "weight"
            self.set_hides(holds, holds)

    def set_hides(self, hides: bool, holds_tabs: bool) -> None:
        """What the page holds back (the mode's view says, as the student gives answers); while
        it hides, the diagram shows the given weights whatever the edge mode."""
        with self.hold_trait_notifications():
            self.hides, self.holds_tabs = bool(hides), bool(holds_tabs)
