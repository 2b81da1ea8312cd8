"""The colour code: four LaTeX macros, defined once, and the two palettes they can take.

=========  ==========================  ==========  ===============================
macro      role                        ``page``    ``okabe-ito`` (the default)
=========  ==========================  ==========  ===============================
``\\inp``   inputs x                    orange      ``#E69F00`` Okabe–Ito orange
``\\wt``    weights w, W, biases b      blue        ``#005A9C`` a darker Okabe–Ito blue
``\\act``   activations a and σ′        green       ``#009E73`` Okabe–Ito bluish green
``\\err``   errors δ and gradients      red         ``#B2182B`` crimson
=========  ==========================  ==========  ===============================

The default keeps Okabe–Ito's orange and bluish green and changes two colours, chosen together
with the diagram's colour maps (``diagram.py``) so that no two meanings look alike, in normal
vision or in simulated protanopia, deuteranopia or tritanopia (``tests/test_colours.py``: the
smallest CIEDE2000 distance between two meanings is 17.7, protanopia, orange against green):

- errors are crimson, not Okabe–Ito's vermillion ``#D55E00``, which reads as a dark orange
  next to the orange inputs (ΔE00 12.7 for a deuteranope);
- weights are a darker blue than Okabe–Ito's ``#0072B2``, which a tritanope barely tells from
  the bluish green (ΔE00 10.6); the darker blue also reads better as text (contrast 7.1:1).

Formulas are written with the macros; :func:`expand` rewrites them inline as
``{\\color{#E69F00} …}`` for MathJax panels (every HTMLMath widget renders its colours without
relying on a macro defined in another widget), and :func:`preamble` defines them for LaTeX.
"""

from __future__ import annotations

import re

MACROS: dict[str, str] = {"inp": "inputs", "wt": "weights", "act": "activations", "err": "errors"}

PALETTES: dict[str, dict[str, str]] = {
    "okabe-ito": {"inp": "#E69F00", "wt": "#005A9C", "act": "#009E73", "err": "#B2182B"},
    "page": {"inp": "orange", "wt": "blue", "act": "green", "err": "red"},
}

# LaTeX (xcolor) definitions of the page palette's named colours, as MathJax/CSS draws them
_CSS_NAMED = {"orange": "FFA500", "blue": "0000FF", "green": "008000", "red": "FF0000"}

_MACRO = re.compile(r"\\(inp|wt|act|err)\{")


def check_palette(palette: str) -> dict[str, str]:
    """The colours of ``palette``; ``ValueError`` naming the choices if it is unknown."""
    try:
        return PALETTES[palette]
    except (KeyError, TypeError):
        raise ValueError(f"unknown palette {palette!r}; choose one of {', '.join(PALETTES)}") from None


def expand(latex: str, palette: str = "okabe-ito") -> str:
    """Rewrite ``\\inp{…}`` as ``{\\color{#E69F00} …}`` (and so on): the argument's closing
    brace closes the group, so no macro definition is needed where the formula is rendered."""
    colours = check_palette(palette)
    return _MACRO.sub(lambda m: "{\\color{" + colours[m.group(1)] + "}", latex)


def hex_colour(role: str, palette: str = "okabe-ito") -> str:
    """``#RRGGBB`` for a role (``inp``, ``wt``, ``act``, ``err``), for HTML and the diagram."""
    c = check_palette(palette)[role]
    return c if c.startswith("#") else "#" + _CSS_NAMED[c]


def preamble(palette: str = "okabe-ito") -> str:
    """xcolor colour definitions and the four macros, for a LaTeX document's preamble."""
    lines = []
    for role in MACROS:
        rgb = hex_colour(role, palette)[1:].upper()
        lines.append(rf"\definecolor{{bp{role}}}{{HTML}}{{{rgb}}}")
    for role, what in MACROS.items():
        lines.append(rf"\newcommand{{\{role}}}[1]{{{{\color{{bp{role}}}#1}}}}  % {what}")
    return "\n".join(lines)


#: The diagram's colour maps are made of the code colours, so that a colour keeps one meaning
#: (``diagram.py``): a node's fill runs from :data:`NODE_LIGHT` (a = 0 or below) to the
#: activations green; an edge's colour from :data:`NEUTRAL` (value ≈ 0) to the errors colour
#: (∂L/∂w) or the weights colour (w). The sign of an edge's value is its line style.
NEUTRAL = "#BDBDBD"
NODE_LIGHT = "#F2FAF6"
