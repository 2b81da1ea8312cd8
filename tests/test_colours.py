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

The simulations are coloraide's (a maintained package with CIEDE2000 and CVD filters):
Viénot/Brettel for protan/deutan/tritan at full severity, and Machado et al. 2009 as a second
model; every colour is simulated, clipped to sRGB, then compared in CIELAB (D65).
"""

from __future__ import annotations

import itertools

import coloraide
import pytest

from backprop_widgets.draw.colours import COLORS, edge_colormap, node_colormap
from backprop_widgets.explain.palette import NEUTRAL, NODE_LIGHT

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
    d = distances(meanings())
    for dist, vision, a, b in d[:8]:
        print(f"{dist:5.1f}  {vision:24}  {a}  /  {b}")
