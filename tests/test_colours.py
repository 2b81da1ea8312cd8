"""One meaning per colour, for every eye: the colour code and the diagram's colour maps, checked
in normal vision and in simulated protanopia, deuteranopia and tritanopia (severity 100 %).

The meanings on one screen:

- the four code colours (palette.py): inputs, weights/biases, activations, errors/gradients.
  They are also the strong ends of the diagram's maps: the node map ends at the activations
  green, the edge map at the errors crimson (∂L/∂w) or the weights blue (w);
- the edge map's centre (an edge whose value is ≈ 0) and the node map's pale end (a low a).

Every pair must be at least :data:`THRESHOLD` apart in CIEDE2000 (ΔE00), except the two pale
"nothing here" ends with each other: one is a thin line, the other a filled node, and both say
"about zero". Why 15: ΔE00 ≈ 1 is a just-noticeable difference for large patches seen side by
side; the diagram shows thin lines (1–6 px) and 11 px text, seen apart, where the difference
needed grows several-fold (Stone, Szafir & Setlur 2014, "An engineering model for color
difference as a function of size"), so a categorical palette should keep a wide margin. The
smallest distance today is printed by ``python tests/test_colours.py`` (for the README).

Text has its own shades (palette.py): the fills' hues, dark enough for WCAG AA (contrast ≥ 4.5:1
on white and on every background the panels put behind coloured text). The four text shades
pass the same check among themselves: text is read beside text, fills beside fills.

The simulations are coloraide's (a maintained package with CIEDE2000 and CVD filters):
Viénot/Brettel for protan/deutan/tritan at full severity, and Machado et al. 2009 as a second
model; every colour is simulated, clipped to sRGB, then compared in CIELAB (D65).
"""

from __future__ import annotations

import itertools
import re

import coloraide
import pytest

from backprop_widgets.app.style import CSS
from backprop_widgets.draw.colours import COLORS, TEXT_COLORS, edge_colormap, node_colormap
from backprop_widgets.explain.flow import CSS as PANEL_CSS
from backprop_widgets.explain.palette import (
    NEUTRAL,
    NODE_LIGHT,
    PALETTES,
    TEXT_PALETTES,
    expand,
    hex_colour,
    preamble,
    text_colour,
)

Color = coloraide.Color

THRESHOLD = 15.0
VISIONS = {
    "normal": None,
    "protanopia": ("protan", None),
    "deuteranopia": ("deutan", None),
    "tritanopia": ("tritan", None),
    "protanopia (Machado)": ("protan", "machado"),
    "deuteranopia (Machado)": ("deutan", "machado"),
    "tritanopia (Machado)": ("tritan", "machado"),
}
EXEMPT = {frozenset({"edge ≈ 0", "node a low"})}


def hex_of(rgba) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgba[:3])


def meanings() -> dict[str, str]:
    """Each meaning and its colour, read from what the diagram draws."""
    grad, weight, node = edge_colormap("gradient"), edge_colormap("weight"), node_colormap()
    return {
        "inputs x": COLORS["input"],
        "weights w, b (and edges by w)": COLORS["weight"],
        "activations a (and node fill)": COLORS["activation"],
        "errors δ, ∂L/∂w (and edges by ∂L/∂w)": COLORS["error"],
        "edge ≈ 0": hex_of(grad(0.5)),
        "node a low": hex_of(node(0.0)),
        # the strong ends of the maps are the code colours themselves
        "_edge map end (∂L/∂w)": hex_of(grad(1.0)),
        "_edge map end (w)": hex_of(weight(0.0)),
        "_node map end": hex_of(node(1.0)),
    }


def text_meanings() -> dict[str, str]:
    """Each meaning and the colour of its text, as the page writes it (the colour macros'
    expansion) and the diagram writes its numbers."""
    return {
        "inputs x": "#966500",
        "weights w, b": "#004174",
        "activations a": "#277D5E",
        "errors δ, ∂L/∂w": "#871F26",
    }


def seen(colour: str, vision) -> Color:
    c = Color(colour)
    if vision is None:
        return c
    kind, method = vision
    return c.filter(kind, 1.0, **({"method": method} if method else {})).convert("srgb").clip()


def distances(colours: dict[str, str]) -> list[tuple[float, str, str, str]]:
    """(ΔE00, vision, meaning, meaning) for every pair of meanings and vision, smallest first."""
    out = []
    names = [n for n in colours if not n.startswith("_")]
    for vision, how in VISIONS.items():
        sim = {n: seen(colours[n], how) for n in names}
        for a, b in itertools.combinations(names, 2):
            if frozenset({a, b}) not in EXEMPT:
                out.append((sim[a].delta_e(sim[b], method="2000"), vision, a, b))
    return sorted(out)


def test_the_maps_end_in_the_code_colours():
    m = meanings()
    assert m["_edge map end (∂L/∂w)"] == COLORS["error"].lower()
    assert m["_edge map end (w)"] == COLORS["weight"].lower()
    assert m["_node map end"] == COLORS["activation"].lower()
    assert m["edge ≈ 0"] == NEUTRAL.lower() and m["node a low"] == NODE_LIGHT.lower()


def test_no_two_meanings_look_alike_for_any_eye():
    d = distances(meanings())
    smallest = d[0]
    print(
        f"smallest CIEDE2000 distance between two meanings: {smallest[0]:.1f} "
        f"({smallest[1]}: {smallest[2]} / {smallest[3]})"
    )
    assert smallest[0] >= THRESHOLD, d[:5]


def test_the_old_colours_fail_the_same_check():
    """Okabe–Ito's vermillion next to its orange, and the PuOr edge map's orange end: the
    check has teeth (the issue: "a colour means two things")."""
    old = {
        "inputs x": "#E69F00",
        "weights w, b": "#0072B2",
        "activations a": "#009E73",
        "errors δ": "#D55E00",
        "PuOr negative": "#b35806",
        "PuOr positive": "#542788",
    }
    d = distances(old)
    assert d[0][0] < 8  # vermillion vs PuOr's orange
    worst_code = [x for x in d if "PuOr" not in x[2] + x[3]]
    assert worst_code[0][0] < THRESHOLD  # even the four alone: blue vs green for a tritanope


def test_text_shades_are_what_the_page_and_the_diagram_write():
    shades = list(text_meanings().values())
    assert [text_colour(r) for r in ("inp", "wt", "act", "err")] == shades
    assert list(TEXT_COLORS.values()) == shades
    assert (
        expand(r"\inp{x} \wt{w} \act{a} \err{\delta}")
        == "".join("{\\color{%s}%s} " % (c, v) for c, v in zip(shades, ("x", "w", "a", "\\delta"))).rstrip()
    )
    assert r"\definecolor{bpact}{HTML}{277D5E}" in preamble()  # the LaTeX handout's macros


def test_no_two_text_shades_look_alike_for_any_eye():
    d = distances(text_meanings())
    print(f"smallest CIEDE2000 distance between two text shades: {d[0][0]:.1f} ({d[0][1]}: {d[0][2]} / {d[0][3]})")
    assert d[0][0] >= THRESHOLD, d[:5]


def contrast(fg: str, bg: str) -> float:
    return Color(fg).contrast(Color(bg), method="wcag21")


#: what coloured text sits on: the page, and every background of the step panel's CSS (the
#: result box)
TEXT_BACKGROUNDS = ["#ffffff", *re.findall(r"(?<![-\w])background:\s*(#[0-9a-fA-F]{3,6})\b", PANEL_CSS)]


def test_wcag_contrast_matches_published_values():
    """WCAG 2.1's contrast ratio: black on white 21:1, #767676 the lightest grey with 4.5:1."""
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#777777", "#ffffff") < 4.5


@pytest.mark.parametrize("palette", list(PALETTES))
def test_text_shades_meet_wcag_aa_and_keep_the_hues(palette):
    assert "#f6f6f6" in TEXT_BACKGROUNDS  # the result box
    for role in ("inp", "wt", "act", "err"):
        text, fill = text_colour(role, palette), hex_colour(role, palette)
        for bg in TEXT_BACKGROUNDS:
            assert contrast(text, bg) >= 4.5, (palette, role, text, bg, contrast(text, bg))
        hue = Color(text).convert("oklch")["hue"] - Color(fill).convert("oklch")["hue"]
        assert abs(hue) <= 1.5, (palette, role, text, fill, hue)  # the same hue, darker
        assert Color(text).convert("oklch")["lightness"] <= Color(fill).convert("oklch")["lightness"]
    assert TEXT_PALETTES[palette].keys() == PALETTES[palette].keys()


def test_the_fills_alone_fail_as_text():
    """The check has teeth: Okabe–Ito's orange and bluish green, the diagram's fills, are below
    4.5:1 on white (the reason for the text shades)."""
    assert contrast(COLORS["input"], "#ffffff") == pytest.approx(2.25, abs=0.01)
    assert contrast(COLORS["activation"], "#ffffff") == pytest.approx(3.42, abs=0.01)


def test_every_text_colour_of_the_dashboard_css_meets_wcag_aa():
    """Every ``color:`` of the dashboard's CSS, on its rule's own background or on white: the
    gradient check's and practice's ✓ (green), a kink's warning (amber) and the messages."""
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", CSS)
    checked = 0
    for selector, body in rules:
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})\b", body)
        if colour:
            background = re.search(r"(?<![-\w])background:\s*(#[0-9a-fA-F]{3,6})\b", body)
            bg = background.group(1) if background else "#ffffff"
            assert contrast(colour.group(1), bg) >= 4.5, (selector.strip(), colour.group(1), bg)
            checked += 1
    assert checked >= 8 and ".bpw-pass" in CSS


@pytest.mark.parametrize(
    "lab1, lab2, expected",
    [
        # Sharma, Wu & Dalal 2005, "The CIEDE2000 color-difference formula", Table 1 (pairs 1, 7,
        # 17, 34): coloraide's CIEDE2000 is the published one
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
    ],
)
def test_ciede2000_matches_the_published_pairs(lab1, lab2, expected):
    got = Color("lab-d65", list(lab1)).delta_e(Color("lab-d65", list(lab2)), method="2000")
    assert got == pytest.approx(expected, abs=5e-5)


if __name__ == "__main__":
    for title, colours in (("fills", meanings()), ("text shades", text_meanings())):
        print(title)
        for dist, vision, a, b in distances(colours)[:8]:
            print(f"{dist:5.1f}  {vision:24}  {a}  /  {b}")
