"""Text on the diagram: font sizes, numbers as the page prints them, and widths measured fast.

Sizes are figure px, which are CSS px at the diagram's nominal size. :func:`text_width` is what
the layout plans with and what shrinks a number too wide for its slot, on every update.
"""

from __future__ import annotations

import matplotlib as mpl
from matplotlib.font_manager import FontProperties

from ..core import fmt, sub

LABEL_PX = 11.0  #: number labels, in figure px (= CSS px at the nominal size)
TITLE_PX = 12.0  #: layer titles and the loss
LEGEND_PX = 11.0  #: legend text and colour-bar ticks
MIN_PX = 6.0  #: a number too wide for its slot is set smaller, down to this

#: the label kinds (a: the number in a node), their names in a caption, and the widest numbers
#: each one's slot is sized for; wider ones are set smaller to fit
KIND_NAMES = {"a": "a", "b": "b", "z": "z", "delta": "δ"}
SLOTS = {"a": "−0.0000", "b": "b = −0.0000", "z": "z = −0.0000", "delta": "δ = −0.00000"}

_FONT = FontProperties(family=mpl.rcParams["font.family"])
_ADVANCE: dict[str, float] = {}  # a character's advance width in em (DejaVu Sans by default)


def text_width(s: str, px: float) -> float:
    """Width in px of ``s`` at font size ``px``, from cached per-character advances (kerning
    ignored: within ~2 %); fast enough to call on every update."""
    missing = [c for c in set(s) if c not in _ADVANCE]
    if missing:
        from matplotlib.textpath import TextToPath

        ttp = TextToPath()
        prop = _FONT.copy()
        prop.set_size(100.0)
        for c in missing:
            _ADVANCE[c] = ttp.get_text_width_height_descent(c, prop, ismath=False)[0] / 100.0
    return px * sum(_ADVANCE[c] for c in s) * 1.02


def fitting_px(text: str, slot: float, px: float) -> float:
    """The font size for ``text`` in a ``slot`` px wide: ``px``, or smaller only when it must."""
    need = text_width(text, px)
    return px if need <= slot else max(px * slot / need, MIN_PX)


def node_name(l: int, j: int, L: int) -> str:
    """A neuron's short name: "x₂" (input), "h1₂" (hidden layer 1), "out₁" (output)."""
    return f"x{sub(j)}" if l == 0 else f"{'out' if l == L else f'h{l}'}{sub(j)}"


def label_number(v: float) -> str:
    """A number as the page prints it (``numfmt.fmt`` in text form: 0.8997, −0.00212, 1.0)."""
    return fmt(float(v), unicode=True)
