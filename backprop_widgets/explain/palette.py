"""The colour code: four LaTeX macros, defined once, and the two palettes they can take.

Each colour comes in two shades of one hue: a **fill**, which the diagram paints (node fill, edge
colour, the inputs' rims, the colour bars, the legend's swatches), and a **text** shade, darker,
for every coloured character (the panels' MathML, the notation tab, the handouts, the diagram's
coloured numbers):

=========  ==========================  ==========  =======================  ===================
macro      role                        ``page``    ``okabe-ito`` fill       text
=========  ==========================  ==========  =======================  ===================
``\\inp``   inputs x                    orange      ``#E69F00`` Okabe–Ito    ``#966500`` 5.1:1
``\\wt``    weights w, W, biases b      blue        ``#005A9C`` darker O–I   ``#004174`` 10.5:1
``\\act``   activations a and σ′        green       ``#009E73`` Okabe–Ito    ``#277D5E`` 5.0:1
``\\err``   errors δ and gradients      red         ``#B2182B`` crimson      ``#871F26`` 9.3:1
=========  ==========================  ==========  =======================  ===================

The fills keep Okabe–Ito's orange and bluish green and change two colours, chosen together with
the diagram's colour maps (``draw/colours.py``) so that no two meanings look alike, in normal
vision or in simulated protanopia, deuteranopia or tritanopia (``tests/test_colours.py``: the
smallest CIEDE2000 distance between two meanings is 17.7, protanopia, orange against green):

- errors are crimson, not Okabe–Ito's vermillion ``#D55E00``, which reads as a dark orange
  next to the orange inputs (ΔE00 12.7 for a deuteranope);
- weights are a darker blue than Okabe–Ito's ``#0072B2``, which a tritanope barely tells from
  the bluish green (ΔE00 10.6).

The text shades are the fills' hues (OKLCh hue within 1.5°), dark enough for WCAG AA: at least
4.5:1 on white and on the panel's result box (``#f6f6f6``; the ratios above are on white),
where the orange and the green fills are 2.2:1 and 3.4:1. AA leaves text only CIELAB L* ≤ 50,
so the four shades are told apart by lightness as much as by hue: the orange and the green are
about as light as AA allows (L* 47), the blue and the crimson darker (L* 27, 30). Darkening the
orange and the green alone is not enough (the green then meets the blue for a tritanope,
ΔE00 7.6). The four were chosen together, by a search over lightness and chroma at each fill's
hue, as the set nearest the fills whose smallest CIEDE2000 distance under the same
simulations is at least 15.5 (it is 15.5: Machado deuteranopia, green against crimson).

Formulas are written with the macros; :func:`expand` rewrites them inline as
``{\\color{#966500} …}`` (the text shades) for MathML and MathJax (every panel renders its
colours without relying on a macro defined elsewhere), and :func:`preamble` defines them for
LaTeX. :func:`hex_colour` is a role's fill, :func:`text_colour` its text shade.
"""

from __future__ import annotations

import re

MACROS: dict[str, str] = {"inp": "inputs", "wt": "weights", "act": "activations", "err": "errors"}

#: the fills: what the diagram paints
PALETTES: dict[str, dict[str, str]] = {
    "okabe-ito": {"inp": "#E69F00", "wt": "#005A9C", "act": "#009E73", "err": "#B2182B"},
    "page": {"inp": "orange", "wt": "blue", "act": "green", "err": "red"},
}
#: the text shades: each fill's hue, ≥ 4.5:1 on white and on ``#f6f6f6`` (the page palette's
#: blue and green already are; its orange and red are darkened as the Okabe–Ito ones are)
TEXT_PALETTES: dict[str, dict[str, str]] = {
    "okabe-ito": {"inp": "#966500", "wt": "#004174", "act": "#277D5E", "err": "#871F26"},
    "page": {"inp": "#9C6300", "wt": "#0000FF", "act": "#008000", "err": "#E10000"},
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
    """Rewrite ``\\inp{…}`` as ``{\\color{#966500} …}`` (and so on, the text shades): the
    argument's closing brace closes the group, so no macro definition is needed where the
    formula is rendered."""
    check_palette(palette)
    colours = TEXT_PALETTES[palette]
    return _MACRO.sub(lambda m: "{\\color{" + colours[m.group(1)] + "}", latex)


def hex_colour(role: str, palette: str = "okabe-ito") -> str:
    """``#RRGGBB``, the fill of a role (``inp``, ``wt``, ``act``, ``err``): the diagram's."""
    c = check_palette(palette)[role]
    return c if c.startswith("#") else "#" + _CSS_NAMED[c]


def text_colour(role: str, palette: str = "okabe-ito") -> str:
    """``#RRGGBB``, the text shade of a role: for coloured characters on a light background."""
    check_palette(palette)
    return TEXT_PALETTES[palette][role]


def preamble(palette: str = "okabe-ito") -> str:
    """xcolor colour definitions (the text shades) and the four macros, for a LaTeX preamble."""
    lines = []
    for role in MACROS:
        rgb = text_colour(role, palette)[1:].upper()
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
