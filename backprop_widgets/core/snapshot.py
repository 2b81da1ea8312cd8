"""What a page shows, as data: :class:`Snapshot` (network, sample, step, view) and :class:`Lesson`,
and :data:`EDGE_MODES`, what the diagram's edges can show.

A snapshot is plain and frozen; :mod:`.fields` writes it as the text fields of a link and
:mod:`.share` as a URL query or a JSON file. :func:`to_dict` is its JSON-ready form, every field
written, defaults included: two snapshots are the same when their dicts are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .datachoice import DataChoice, data_json
from .example import seed_example
from .network import Network
from .trace import Trace


@dataclass(frozen=True)
class EdgeMode:
    """What the diagram's edges can show (the one copy: link, state, diagram, buttons).

    quantity, symbol : the value in words and as written (``gradient``, ``∂L/∂w``)
    said : what the picture's text alternative calls it
    role : the colour of its strong end, a role of the colour code (``error``: crimson, as δ and
    ∂L/∂w are; ``weight``: blue); draw's ``COLORS`` holds the colours
    of : its values, one matrix of W⁽ˡ⁾'s shape for each layer l = 1..L
    """

    quantity: str
    symbol: str
    said: str
    role: str
    of: Callable[[Trace], Sequence[np.ndarray]]

    def values(self, trace: Trace) -> np.ndarray:
        """Every edge's value, layer by layer, each matrix row by row: the diagram's ``edgelist`` order."""
        return np.concatenate([np.ravel(m) for m in self.of(trace)])

    @property
    def legend(self) -> str:
        """The title of the diagram's colour bar for the edges."""
        return f"edges: {self.quantity} {self.symbol} (dashed < 0)"

    @property
    def button(self) -> str:
        """The mode's button above the diagram."""
        return f"edges: {self.symbol}"


#: what the edges can show, by name (links write ``edge=<name>``); the first is the default
EDGE_MODES = {
    "gradient": EdgeMode("gradient", "∂L/∂w", "∂L/∂w", "error", lambda t: t.grad_W[1:]),
    "weight": EdgeMode("weight", "w", "weight", "weight", lambda t: t.weights),  # as TF Playground
}
#: the version of :func:`to_dict`'s layout
VERSION = 1


@dataclass(frozen=True)
class Lesson:
    """Teacher settings. ``hide``: names of what the page can hide (its tabs and parts: the app
    knows them, ``app.tabs.hideable``); ``lock``: ``("all",)`` or value
    names (``w1,1,1``, ``b2,1``, ``x1``, ``y1``) whose fields are read-only; ``projector``:
    larger type and a bigger diagram."""

    hide: tuple[str, ...] = ()
    lock: tuple[str, ...] = ()
    projector: bool = False
    live: bool = False  # ``live=1``: the page joins the server's live class (app/live_client.py)
    nick: bool = False  # ``nick=1``: a live page asks for an optional nickname


@dataclass(frozen=True)
class Mode:
    """A way of working through the page. ``button``: its label on the mode control;
    ``said``: what the student does in it, in one sentence (its tooltip)."""

    name: str
    button: str
    said: str


#: the page's modes, in the order of the mode control: a new mode is one entry here and its view
MODES: dict[str, Mode] = {
    m.name: m
    for m in (
        Mode("explore", "Explore", "every number worked: change a value and watch them all change"),
        Mode("predict", "Predict", "predict each result first (on the diagram or in a field), then see it"),
        Mode("fade", "Fade", "a worked example whose last steps you complete, one more stage at a time"),
        Mode("practice", "Practice", "compute every number yourself; the page checks each one"),
    )
}
#: the most stages a link may ask for (a network of the page has at most 6 layers: 8 groups)
MAX_STAGE = 20


@dataclass(frozen=True)
class Snapshot:
    """Everything a page shows. ``step`` is a step id (``forward-1`` … ``bp4``, ``check``…);
    ``""`` is the first step. ``mode`` is one of :data:`MODES`, ``stage`` the Fade stage.
    Practice shows the edges by weight (``edge_mode="weight"``)."""

    network: Network
    x: np.ndarray
    y: np.ndarray
    traced: str = "w1,1,1"  # the weight or bias whose gradient the page traces
    step: str = ""
    edge_mode: str = next(iter(EDGE_MODES))
    mode: str = "explore"
    stage: int = 0
    lesson: Lesson = field(default_factory=Lesson)
    data: DataChoice = field(default_factory=DataChoice)  # the dataset the Dataset tab trains on

    @classmethod
    def seed(cls) -> "Snapshot":
        net, x, y = seed_example()
        return cls(net, x, y)

    @property
    def practice(self) -> bool:
        """Practice mode (what links and files wrote before there were modes)."""
        return self.mode == "practice"

    def same_as(self, other: "Snapshot") -> bool:
        """Equal in every field, floats bit for bit."""
        return to_dict(self) == to_dict(other)


def flat(arrays: Iterable[ArrayLike]) -> list[float]:
    """The numbers of arrays (or nested lists), each row by row, as floats."""
    return [float(v) for a in arrays for v in np.asarray(a).ravel()]


def to_dict(s: Snapshot) -> dict:
    """The snapshot as JSON-ready data (every field, defaults included)."""
    net = s.network
    return {
        "version": VERSION,
        "sizes": list(net.sizes),
        "activation": net.activation,
        "output_activation": net.output_activation,
        "loss": net.loss_name,
        "weights": [np.asarray(W).tolist() for W in net.weights],
        "biases": [np.asarray(b).tolist() for b in net.biases],
        "x": flat([s.x]),
        "y": flat([s.y]),
        "traced": s.traced,
        "step": s.step,
        "edge_mode": s.edge_mode,
        "practice": s.practice,
        "mode": s.mode,
        "stage": s.stage,
        "lesson": {"hide": list(s.lesson.hide), "lock": list(s.lesson.lock), "projector": s.lesson.projector},
        "data": data_json(s.data),
    }
