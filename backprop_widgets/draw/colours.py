"""The diagram's colours: the page's colour code, the two colour maps, and the edge modes.

One meaning per colour (``explain/palette.py``; tests/test_colours.py checks them for
colour-blind eyes). Node fill: the activation a, pale → **green**; input rims **orange**; bias
numbers **blue**, δ numbers **crimson**, in the darker text shades (:data:`TEXT_COLORS`).
Edges: ∂L/∂w grey → **crimson**, or w grey → **blue**; the sign is the line style (solid ≥ 0,
dashed < 0), the magnitude the width.

What the edges can show is the core's :data:`~backprop_widgets.core.EDGE_MODES` (a new mode is
one entry there: its values, the role of its strong end's colour, its words);
:func:`check_edge_mode` finds one by name.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from ..core import EDGE_MODES, EdgeMode
from ..explain.palette import NEUTRAL, NODE_LIGHT, hex_colour, text_colour

#: The colour code of the page (palette.py), one meaning per colour.
COLORS = {
    "input": hex_colour("inp"),  # inputs x: orange
    "weight": hex_colour("wt"),  # weights w, biases b: blue
    "activation": hex_colour("act"),  # activations a, σ′: bluish green
    "error": hex_colour("err"),  # errors δ, gradients ∂L/∂w: crimson
    "neutral": NEUTRAL,  # an edge whose value is ≈ 0
    "text": "#222222",
    "muted": "#6e6e6e",  # the layer titles and the colour bars' frames: 5.1:1 on white
}
#: The same roles as coloured text (the numbers on the diagram): darker shades of each hue,
#: ≥ 4.5:1 on white (palette.py)
TEXT_COLORS = {
    "input": text_colour("inp"),
    "weight": text_colour("wt"),
    "activation": text_colour("act"),
    "error": text_colour("err"),
}
FADE = 0.15  #: alpha of what a highlight does not touch
EDGE_WIDTH = (1.0, 6.0)  #: line width in px for |value| = 0 and for the largest |value|
DASH = (3.0, 1.8)  #: negative values: dash and gap, in line widths
HALO = "#3a3a3a"  #: dark outline around highlighted edges (white inside, for the dashes' gaps) …
HALO_EXTRA = 3.5  #: … this many px wider than the edge …
HALO_MAX_EDGES = 40  #: … when a highlight has at most this many (more turn into a dark mass)

NODE_LABEL = "nodes: activation a (inputs: x)"
#: the legend's last row: every colour of the code and what it means
CODE_ROW = (
    ("input", "input x"),
    ("weight", "weight w, bias b"),
    ("activation", "activation a"),
    ("error", "error δ, gradient ∂L/∂w"),
)


def check_edge_mode(mode: str) -> EdgeMode:
    """The entry of ``mode`` in ``EDGE_MODES``; ``ValueError`` naming the choices if there is none."""
    if mode not in EDGE_MODES:
        choices = " or ".join(repr(m) for m in EDGE_MODES)
        raise ValueError(f"edge_mode must be {choices}, got {mode!r}")
    return EDGE_MODES[mode]


def node_colormap() -> mpl.colors.Colormap:
    """Node fill: pale (a at the low end of the scale) to the activations green."""
    return LinearSegmentedColormap.from_list("activation", [NODE_LIGHT, COLORS["activation"]])


def edge_colormap(mode: str = "gradient") -> mpl.colors.Colormap:
    """Edges on a symmetric norm: grey at 0, the role's colour at ±max (the sign is the line
    style): crimson for ∂L/∂w, blue for w."""
    end = np.array(mpl.colors.to_rgba(COLORS[check_edge_mode(mode).role]))
    grey = np.array(mpl.colors.to_rgba(NEUTRAL))
    s = np.abs(np.linspace(-1, 1, 255))[:, None] ** 0.8  # 0 at the centre, 1 at both ends
    return mpl.colors.ListedColormap(grey * (1 - s) + end * s, name=f"{mode}_grey")


def nice(v: float) -> float:
    """``v`` to 3 significant digits: a colour bar's limit, short in the page's format
    (175198.59 → 175000.0, 0.061224 → 0.0612)."""
    return float(f"{v:.3g}")
