"""Where everything goes, in figure px, and which nets are drawn at all.

The figure is :data:`WIDTH` × :data:`HEIGHT` px by default, the diagram column of the dashboard
at a 1366 px window. Nodes are pills (circles when they carry no number) in columns; every edge
runs from the right side of its source to the left side of its destination, so the strip of a
column is free of edges and the labels stacked in it (z above a node, b and δ below) never touch
one. A kind of label is shown only if the whole net fits with it: rows tall enough for the stack
and at least :data:`EDGE_GAP_MIN` px between columns for the edges; otherwise kinds are left out
in :data:`DROP_ORDER`.

Sizes (:func:`check_drawable`): up to :data:`MAX_UNITS` units a layer and :data:`MAX_LAYERS`
layers are drawn; anything larger raises :class:`DiagramTooLarge` (a ``ValueError``) with a
message a student can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..core import check_sizes
from .text import LABEL_PX, LEGEND_PX, SLOTS, TITLE_PX, node_name, text_width

MAX_LAYERS = 10  #: more layers (counting the input) than this: no figure
MAX_UNITS = 64  #: more neurons in one layer than this: no figure

WIDTH, HEIGHT = 560, 500  #: default figure size in px: the dashboard's diagram column at 1366 px
EDGE_GAP_MIN = 40.0  #: px between two columns, at least: narrower, a full layer pair is a smear
PAD = 6.0  #: px of margin around everything
SEP = 2.0  #: px between a node and a label, and between labels
DROP_ORDER = ("delta", "z", "b", "a")  #: what goes first when labels do not fit


class DiagramTooLarge(ValueError):
    """The network has too many layers or neurons to draw legibly."""


def check_drawable(sizes: Sequence[int]) -> list[int]:
    """Validate ``sizes`` for drawing; raise :class:`DiagramTooLarge` beyond the limits.

    At most :data:`MAX_LAYERS` layers (input included) and :data:`MAX_UNITS` neurons in a layer.
    """
    sizes = check_sizes(sizes)
    if len(sizes) > MAX_LAYERS:
        raise DiagramTooLarge(
            f"the diagram shows at most {MAX_LAYERS} layers (input included); this network "
            f"{list(sizes)} has {len(sizes)}: remove some hidden layers."
        )
    big = [(l, n) for l, n in enumerate(sizes) if n > MAX_UNITS]
    if big:
        l, n = big[0]
        raise DiagramTooLarge(
            f"the diagram shows at most {MAX_UNITS} neurons in a layer; layer {l} of "
            f"{list(sizes)} has {n}: use a smaller layer."
        )
    return sizes


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in figure px (origin bottom-left), for one architecture.

    kinds : the label kinds shown, of ``"a"`` (the number in a node), ``"b"``, ``"z"``, ``"delta"``
    box : node width and height (equal: a circle, when nodes carry no number)
    prefix : whether the number in a node fits with its name ("a = 0.5622", "x₁ = 1.0")
    pitch, gap : px from one node to the next in a layer, and between two columns' strips
    xs, x_loss, ys : column centres, the loss column, and each layer's node centres (top first)
    loss_box : side of the loss box
    index : whether inputs get an "x₁" label left of their node (numbers without a prefix)
    title_y, short_titles : the two title lines' tops, and whether titles are "h1" not "hidden 1"
    line : a label's line height
    """

    kinds: tuple
    box: tuple
    prefix: bool
    pitch: float
    xs: tuple
    x_loss: float
    loss_box: float
    ys: tuple
    index: bool
    title_y: tuple
    short_titles: bool
    line: float
    gap: float

    def centre(self, l: int, j: int) -> tuple[float, float]:
        """Where node ``(l, j)`` sits: layers left → right, neuron 1 on top."""
        return self.xs[l], self.ys[l][j - 1]


def title_height() -> float:
    """The two title lines on top ("hidden 1", "l = 1")."""
    return 2 * 1.25 * TITLE_PX + 4


def legend_height() -> float:
    """The legend at the bottom: bar titles, bars, sign line, ticks, colour-code row."""
    row = 1.3 * LEGEND_PX
    return row + 3 + 9 + 5 + row + 6 + row + 2


def labels_fit(sizes: Sequence[int], width: int = WIDTH, height: int = HEIGHT) -> bool:
    """Whether the numbers in the nodes fit a ``width`` × ``height`` px figure."""
    return "a" in plan_layout(check_drawable(sizes), width, height, ("a",)).kinds


def plan_layout(
    sizes: Sequence[int], width: float, height: float, want: Sequence[str], min_gap: float = EDGE_GAP_MIN
) -> Layout:
    """The layout with as many of the ``want`` label kinds as fit, leaving at least ``min_gap``
    px between columns for the edges."""
    kinds = [k for k in ("a", "b", "z", "delta") if k in want]
    while True:
        plan = _try_layout(sizes, width, height, tuple(kinds), min_gap)
        if plan is not None:
            return plan
        kinds.remove(next(k for k in DROP_ORDER if k in kinds))


def _try_layout(sizes, width, height, kinds, min_gap) -> "Layout | None":
    L, n_max = len(sizes) - 1, max(sizes)
    font = LABEL_PX
    line = 1.25 * font  # a label's line height
    sep = SEP
    x0, x1 = PAD, width - PAD
    y1 = height - PAD - title_height()
    y0 = PAD + legend_height() + 4
    pitch = (y1 - y0) / n_max

    loss_title = text_width("L = 0.00000", TITLE_PX)  # a loss below 10⁻⁴ is set smaller
    input_title = text_width("input", TITLE_PX)
    share = 0.6  # the gap before the loss, as a share of the gap between layers
    if "a" in kinds:
        pad_h = 4.0
        value_w = text_width(SLOTS["a"], font) + 2 * pad_h
        h = line + 4
        w = max([value_w] + [text_width(SLOTS[k], font) for k in kinds if k != "a"])
        prefix = w - 2 * pad_h >= text_width("a = " + SLOTS["a"], font)
    else:  # circles: as large as rows allow, but leaving the edges most of a column's width
        column = (x1 - x0 - input_title / 2 - loss_title / 2) / (L + 1 + share)
        h = w = float(np.clip(min(0.6 * pitch, 0.4 * column), 3.0, 28.0))
        prefix = False
    above = (sep + line) if "z" in kinds else 0.0
    below = (sep + line) * sum(k in kinds for k in ("b", "delta"))
    fits_rows = pitch >= h + above + below + 2 * sep

    # input names ("x₁") left of the inputs when the numbers in the nodes carry none
    index = not prefix and pitch >= line + sep
    idx_w = text_width(node_name(0, sizes[0], L), font) + 4 if index else 0.0
    loss_box = max(20.0, min(h, 28.0))
    right = max(loss_box / 2, loss_title / 2)  # right of the loss column's centre
    first = max(idx_w + w / 2, input_title / 2)  # left of the input column's centre
    # x0 + first + L (w + gap) + w/2 + loss_gap + loss_box/2 + right = x1
    free = (x1 - x0) - first - L * w - w / 2 - loss_box / 2 - right
    gap = free / (L + share)
    # the output's titles and the loss's titles must not meet
    out_title = max(text_width("output", TITLE_PX), text_width(f"l = {L}", TITLE_PX))
    loss_gap = max(share * gap, (out_title + loss_title) / 2 + 6 - w / 2 - loss_box / 2)
    gap = (free - loss_gap) / L
    if kinds and (gap < min_gap or not fits_rows):
        return None

    xs = tuple(x0 + first + l * (w + gap) for l in range(L + 1))
    x_loss = xs[-1] + w / 2 + loss_gap + loss_box / 2
    mid = (y0 + y1) / 2 + (below - above) / 2  # centre of a node's stack on the mid line
    ys = tuple(tuple(mid + ((n + 1) / 2 - j) * pitch for j in range(1, n + 1)) for n in sizes)
    widest = max(text_width(f"hidden {max(L - 1, 1)}", TITLE_PX), out_title)
    short = widest + 6 > w + gap
    title_y = (height - PAD - 0.1 * TITLE_PX, height - PAD - 1.35 * TITLE_PX)
    return Layout(tuple(kinds), (w, h), prefix, pitch, xs, x_loss, loss_box, ys, index, title_y, short, line, gap)
