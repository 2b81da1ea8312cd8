"""What a page shows, as data: :class:`Snapshot` (network, sample, step, view) and :class:`Lesson`.

A snapshot is plain and frozen; :mod:`.fields` writes it as the text fields of a link and
:mod:`.share` as a URL query or a JSON file. :func:`to_dict` is its JSON-ready form, every field
written, defaults included: two snapshots are the same when their dicts are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
from numpy.typing import ArrayLike

from .example import seed_example
from .network import Network

#: what a lesson can hide: the tabs under the panels, and parts of the page
HIDEABLE = {
    "quantities": "the “All quantities” tab",
    "check": "the “Gradient check” tab",
    "train": "the “Train” tab",
    "notation": "the “Notation & colours” tab",
    "export": "the “Export handout” tab",
    "share": "the “Share” tab",
    "network": "the network row (architecture, functions, random weights, reset)",
    "practice": "the Practice button",
    "table": "the diagram's table",
}
EDGE_MODES = ("gradient", "weight")
#: the version of :func:`to_dict`'s layout
VERSION = 1


@dataclass(frozen=True)
class Lesson:
    """Teacher settings. ``hide``: names from :data:`HIDEABLE`; ``lock``: ``("all",)`` or value
    names (``w1,1,1``, ``b2,1``, ``x1``, ``y1``) whose fields are read-only; ``projector``:
    larger type and a bigger diagram."""

    hide: tuple[str, ...] = ()
    lock: tuple[str, ...] = ()
    projector: bool = False


@dataclass(frozen=True)
class Snapshot:
    """Everything a page shows. ``step`` is a step id (``forward-1`` … ``bp4``, ``check``…);
    ``""`` is the first step. Practice shows the edges by weight (``edge_mode="weight"``)."""

    network: Network
    x: np.ndarray
    y: np.ndarray
    traced: str = "w1,1,1"  # the weight or bias whose gradient the page traces
    step: str = ""
    edge_mode: str = EDGE_MODES[0]
    practice: bool = False
    lesson: Lesson = field(default_factory=Lesson)

    @classmethod
    def seed(cls) -> "Snapshot":
        net, x, y = seed_example()
        return cls(net, x, y)

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
        "lesson": {"hide": list(s.lesson.hide), "lock": list(s.lesson.lock), "projector": s.lesson.projector},
    }
