"""The network diagram: colours follow the trace, highlights fade the rest, sizes are limited."""

import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.colors import same_color, to_rgba
from PIL import Image

from backprop_widgets import Network, Param, seed_example
from backprop_widgets.draw.colours import COLORS, FADE, nice
from backprop_widgets.draw.diagram import DiagramTooLarge, NetworkDiagram, check_drawable
from backprop_widgets.draw.layout import labels_fit
from backprop_widgets.draw.text import label_number
from backprop_widgets.explain.highlight import Highlight, paths_highlight

SEED_SIZES = (3, 2, 2, 1)


@pytest.fixture
def seed():
    net, x, y = seed_example()
    return net, x, y, net.trace(x, y)


@pytest.fixture
def diagram(seed):
    net, _, _, trace = seed
    d = NetworkDiagram(net.sizes)
    d.update(trace)
    return d


# The colour scales as the README and palette.py state them, written out here (not read from
# the code under test): nodes pale → green, linear in a; edges grey at 0 → crimson at ± max,
# with strength |g / max|^0.8 (so small gradients still show).
PALE, GREEN, GREY, CRIMSON = (np.array(to_rgba(c)[:3]) for c in ("#F2FAF6", "#009E73", "#BDBDBD", "#B2182B"))
QUANTUM = 0.03  # the colour maps are tables (256 and 255 entries): one step's worth


def node_colour(a: float, lo: float, hi: float) -> np.ndarray:
    t = (a - lo) / (hi - lo)
    return PALE + (GREEN - PALE) * t


def edge_colour(g: float, m: float) -> np.ndarray:
    s = abs(g / m) ** 0.8
    return GREY * (1 - s) + CRIMSON * s


def face_rgba(collection) -> np.ndarray:
    collection.update_scalarmappable()  # what a draw does: array → facecolours
    return collection.get_facecolor()


# --- the graph -------------------------------------------------------------------------------


def test_graph_has_a_node_per_neuron_and_an_edge_per_weight(diagram, seed):
    G = diagram.graph
    assert diagram.sizes == SEED_SIZES
    assert sorted(G.nodes) == [(0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]
    assert G.number_of_edges() == 3 * 2 + 2 * 2 + 2 * 1
    # w_{2,3}^{(1)} = 0.6 runs from input 3 to hidden neuron 2 and knows its gradient
    e = G.edges[(0, 3), (1, 2)]
    assert (e["l"], e["j"], e["k"]) == (1, 2, 3)
    assert e["w"] == 0.6
    assert e["grad"] == pytest.approx(0.00234656, abs=1e-8)  # a_3^(0) δ_2^(1) = −1 · −0.00235
    assert G.nodes[(1, 2)]["a"] == pytest.approx(0.5622, abs=5e-5)


def test_edge_order_matches_grad_W_ravel(diagram, seed):
    trace = seed[3]
    flat = np.concatenate([trace.grad_W[l].ravel() for l in range(1, 4)])
    for i, ((src, dst), p) in enumerate(zip(diagram.edgelist, diagram.params)):
        assert src == (p.l - 1, p.k) and dst == (p.l, p.j)
        assert trace.grad(p) == flat[i]
    assert diagram.params[:3] == [Param("w", 1, 1, 1), Param("w", 1, 1, 2), Param("w", 1, 1, 3)]
    assert diagram.params[-1] == Param("w", 3, 1, 2)


def test_layout_is_layered_left_to_right_with_neuron_1_on_top(diagram):
    pos = diagram.drawing.pos
    xs = [pos[(l, 1)][0] for l in range(4)]
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert pos[(0, 1)][1] > pos[(0, 2)][1] > pos[(0, 3)][1]
    assert pos[(2, 1)][1] > pos[(2, 2)][1]
    assert diagram.drawing.loss_xy[0] > xs[-1]


# --- colours ---------------------------------------------------------------------------------


def test_node_colours_follow_activations(diagram, seed):
    trace = seed[3]
    a = np.concatenate(trace.a)
    np.testing.assert_array_equal(diagram.drawing.node_collection.get_array(), a)
    # x₃ = −1 widens the scale below 0; sigmoid outputs keep 1 as the top
    assert (diagram.drawing.node_norm.vmin, diagram.drawing.node_norm.vmax) == (-1.0, 1.0)
    faces = face_rgba(diagram.drawing.node_collection)
    for i, node in enumerate(diagram.nodelist):
        l, j = node
        expected = node_colour(trace.a[l][j - 1], -1.0, 1.0)
        np.testing.assert_allclose(faces[i][:3], expected, atol=QUANTUM, err_msg=str(node))
    assert same_color(faces[diagram.nodelist.index((0, 3))], "#F2FAF6")  # x₃ = −1: the palest
    # a brighter neuron is darker green: a_2^(2) = 0.7707 > a_1^(1) = 0.5
    i_hi, i_lo = diagram.nodelist.index((2, 2)), diagram.nodelist.index((1, 1))
    assert faces[i_hi][:3].sum() < faces[i_lo][:3].sum()


def test_edge_colours_and_widths_follow_gradients(diagram, seed):
    trace = seed[3]
    g = np.concatenate([trace.grad_W[l].ravel() for l in range(1, 4)])
    m = np.abs(g).max()
    assert m == pytest.approx(0.06122, abs=5e-6)  # ∂L/∂w_{1,2}^(3) is the largest
    # symmetric about 0, at ± m to 3 significant digits (a short colour-bar label)
    norm = (diagram.drawing.edge_norm.vmin, diagram.drawing.edge_norm.vmax)
    assert norm == (-nice(m), nice(m)) == (-0.0612, 0.0612)
    colours = diagram.drawing.edge_collection.get_color()
    assert len(colours) == len(g)
    for i, gi in enumerate(g):
        np.testing.assert_allclose(colours[i][:3], edge_colour(gi, 0.0612), atol=QUANTUM)
    assert same_color(colours[-1][:3], "#B2182B")  # the largest |∂L/∂w| is the full crimson
    widths = diagram.drawing.edge_collection.get_linewidth()
    assert widths[-1] == max(widths) > widths[0]  # |∂L/∂w_{1,2}^(3)| ≫ |∂L/∂w_{1,1}^(1)|
    assert diagram.drawing.edge_ticks[0].get_text() == "−0.0612"
    assert diagram.drawing.edge_ticks[2].get_text() == "0.0612"


def test_the_sign_of_a_gradient_shows_in_its_line_style(seed):
    """One colour per meaning: an edge's colour is the gradients' crimson, its sign the dashes."""
    net, x, _, _ = seed
    d = NetworkDiagram(net.sizes)
    i = d.params.index(Param("w", 3, 1, 1))
    d.update(net.trace(x, [1.0]))  # a⁽³⁾ = 0.65 < y: the output should grow, ∂L/∂w < 0
    assert d.trace.grad("w3,1,1") < 0
    neg, neg_style = d.drawing.edge_collection.get_color()[i], d.drawing.edge_collection.get_linestyle()[i]
    d.update(net.trace(x, [0.0]))  # a⁽³⁾ > y: ∂L/∂w > 0
    assert d.trace.grad("w3,1,1") > 0
    pos, pos_style = d.drawing.edge_collection.get_color()[i], d.drawing.edge_collection.get_linestyle()[i]
    assert neg_style[1] is not None and pos_style[1] is None  # dashed below 0, solid above
    np.testing.assert_allclose(neg, pos, atol=0.05)  # the same crimson for the same |∂L/∂w|
    # the largest |∂L/∂w| is the errors' crimson itself, 0 is the neutral grey
    assert same_color(d.drawing.edge_cmap(1.0), COLORS["error"])
    assert same_color(d.drawing.edge_cmap(0.0), COLORS["error"])
    assert same_color(d.drawing.edge_cmap(0.5), COLORS["neutral"])
    svg = NetworkDiagram(net.sizes, format="svg")
    svg.update(d.trace)
    root = ET.fromstring(svg.render())
    dashed = {
        el.get("id"): "stroke-dasharray" in el.get("style")
        for el in root.iter("{http://www.w3.org/2000/svg}path")
        if el.get("id", "").startswith("edge-")
    }
    assert dashed == {"edge-" + p.replace(",", "-"): d.trace.grad(p) < 0 for p in map(str, d.params)}


def test_edge_mode_weight_colours_edges_by_w(diagram, seed):
    trace = seed[3]
    diagram.edge_mode = "weight"  # recolours the current trace at once
    w = np.concatenate([W.ravel() for W in trace.weights])
    assert diagram.drawing.edge_norm.vmax == 1.0  # the largest |w| is w_{2,2}^(2) = 1.0
    blue = np.array(to_rgba("#005A9C")[:3])
    for i, wi in enumerate(w):
        strength = abs(wi / 1.0) ** 0.8  # grey at 0 → the weights' blue at ± max |w|
        np.testing.assert_allclose(
            diagram.drawing.edge_collection.get_color()[i][:3], GREY * (1 - strength) + blue * strength, atol=QUANTUM
        )
    assert same_color(diagram.drawing.edge_cmap(1.0), COLORS["weight"])  # weights: the weights' blue
    assert "weight w" in diagram.drawing.edge_bar_label.get_text()
    assert "edges: weight w" in diagram.render()  # the legend is in the cached static part
    diagram.edge_mode = "gradient"
    assert "edges: weight w" not in diagram.render()
    assert "∂L/∂w" in diagram.drawing.edge_bar_label.get_text()
    with pytest.raises(ValueError, match="edge_mode"):
        diagram.edge_mode = "bias"
    assert NetworkDiagram(SEED_SIZES, edge_mode="weight").edge_mode == "weight"


def test_labels_show_the_page_numbers(diagram):
    text = {n: t.get_text() for n, t in diagram.drawing.value_texts.items()}  # a (x) inside the node
    assert text[(0, 3)] == "−1.0" and diagram.drawing.index_texts[(0, 3)].get_text() == "x₃"
    assert text[(1, 2)] == "0.5622"
    assert text[(3, 1)] == "0.6506"
    assert diagram.drawing.bias_texts[(2, 2)].get_text() == "b = 0.2"
    assert diagram.drawing.loss_text.get_text() == "L = 0.0611"


def test_a_number_wider_than_its_slot_is_set_smaller(seed):
    net, x, y, _ = seed
    d = NetworkDiagram(net.sizes)
    d.update(net.with_param("b2,2", -123.4567).trace(x, y))
    t = d.drawing.bias_texts[(2, 2)]
    assert t.get_text() == "b = −123.4567"
    assert t.get_fontsize() < d.drawing.bias_texts[(2, 1)].get_fontsize()
    d.update(net.trace(x, y))  # back to a short number: back to the full size
    assert t.get_fontsize() == d.drawing.bias_texts[(2, 1)].get_fontsize()


def test_z_and_delta_lines_on_request(seed):
    net, _, _, trace = seed
    d = NetworkDiagram(net.sizes, show_z=True, show_delta=True)
    d.update(trace)
    assert d.drawing.z_texts[(2, 1)].get_text() == "z = 0.8997"
    assert d.drawing.delta_texts[(1, 1)].get_text() == "δ = −0.00212"
    assert d.drawing.delta_texts[(2, 1)].get_text() == "δ = −0.00490"
    # they need rows tall enough for the stack z, a, b
    d = NetworkDiagram([3, 8, 1], show_z=True)
    assert d.drawing.z_texts == {} and d.caption.startswith("z labels hidden: too many units to fit")


@pytest.mark.parametrize(
    "value, printed",
    [
        (0.5, "0.5"),
        (1.0, "1.0"),
        (-1.0, "−1.0"),
        (0.061050918, "0.0611"),
        (0.89974, "0.8997"),
        (-0.0021206, "−0.00212"),
        (-0.00489775, "−0.00490"),
        (2.8e-17, "0.0"),
        (-3e-13, "0.0"),
        (1.21224, "1.2122"),
        (-0.07942, "−0.0794"),
    ],
)
def test_numbers_print_as_the_page(value, printed):
    assert label_number(value) == printed


# --- highlight -------------------------------------------------------------------------------


def test_paths_highlight_of_w111_is_path_a_and_path_b():
    hl = paths_highlight(SEED_SIZES, "w1,1,1")
    assert hl.edges == {(1, 1, 1), (2, 1, 1), (2, 2, 1), (3, 1, 1), (3, 1, 2)}
    assert hl.neurons == {(0, 1), (1, 1), (2, 1), (2, 2), (3, 1)}
    assert hl.loss and not hl.biases


def test_paths_highlight_of_a_bias():
    hl = paths_highlight(SEED_SIZES, Param.parse("b2,1"))
    assert hl.biases == {(2, 1)} and hl.edges == {(3, 1, 1)}
    assert hl.neurons == {(2, 1), (3, 1)}
    with pytest.raises(ValueError, match="not a parameter"):
        paths_highlight(SEED_SIZES, "w1,3,1")


def test_highlight_fades_only_what_it_does_not_touch(diagram, seed):
    trace = seed[3]
    plain_edges = diagram.drawing.edge_collection.get_color().copy()
    plain_nodes = face_rgba(diagram.drawing.node_collection).copy()
    hl = paths_highlight(SEED_SIZES, "w1,1,1")
    diagram.update(trace, hl)

    edges = diagram.drawing.edge_collection.get_color()
    for i, p in enumerate(diagram.params):
        on = (p.l, p.j, p.k) in hl.edges
        assert edges[i][3] == (1.0 if on else FADE), p
        np.testing.assert_allclose(edges[i][:3], plain_edges[i][:3])  # colour itself unchanged
    # a dark halo (and white inside it, for the gaps of dashes) under exactly the highlighted edges
    halo = diagram.drawing.halo_collection.get_segments()
    assert len(halo) == 2 * len(hl.edges)
    assert {tuple(np.round(s, 6).ravel()) for s in halo} == {
        tuple(np.round(diagram.drawing.segments[diagram.params.index(Param("w", *e))], 6).ravel()) for e in hl.edges
    }

    nodes = face_rgba(diagram.drawing.node_collection)
    for i, node in enumerate(diagram.nodelist):
        assert (nodes[i][3] == 1.0) == (node in hl.neurons), node
        np.testing.assert_allclose(nodes[i][:3], plain_nodes[i][:3])
    assert diagram.drawing.value_texts[(1, 1)].get_alpha() == 1.0
    assert diagram.drawing.value_texts[(1, 2)].get_alpha() < 1.0  # a_2^(1) is not on a path of w_{1,1}^(1)
    assert diagram.drawing.loss_marker.get_linewidth()[0] > 2

    diagram.update(trace, None)  # clears
    assert (diagram.drawing.edge_collection.get_color()[:, 3] == 1.0).all()
    assert (face_rgba(diagram.drawing.node_collection)[:, 3] == 1.0).all()
    assert len(diagram.drawing.halo_collection.get_segments()) == 0
    assert diagram.highlight is None


def test_highlight_of_a_bias_emboldens_its_label(diagram, seed):
    diagram.update(seed[3], Highlight(biases=frozenset({(2, 1)})))
    assert diagram.drawing.bias_texts[(2, 1)].get_fontweight() == "bold"
    assert diagram.drawing.bias_texts[(2, 2)].get_fontweight() == "normal"
    assert diagram.drawing.bias_texts[(2, 2)].get_alpha() < 1.0
    # nothing but the bias: every edge fades
    assert (diagram.drawing.edge_collection.get_color()[:, 3] == FADE).all()


# --- architectures and sizes -----------------------------------------------------------------


def test_a_new_architecture_needs_a_new_diagram(diagram):
    net = Network.random([2, 3, 1], seed=1)
    trace = net.trace([0.5, -0.5], [1.0])
    with pytest.raises(ValueError, match=r"new NetworkDiagram"):
        diagram.update(trace)
    d = NetworkDiagram(net.sizes)
    d.update(trace)
    assert d.sizes == (2, 3, 1) != diagram.sizes
    assert len(d.drawing.edge_collection.get_segments()) == 2 * 3 + 3 * 1


def test_size_limits_refuse_cleanly():
    with pytest.raises(DiagramTooLarge, match="at most 10 layers"):
        check_drawable([2] * 11)
    with pytest.raises(DiagramTooLarge, match="layer 1 of .* has 65") as info:
        NetworkDiagram([3, 65, 1])
    assert isinstance(info.value, ValueError)
    assert check_drawable([8, 64, 64, 64, 64, 64, 64, 64, 64, 1]) == [8] + [64] * 8 + [1]
    with pytest.raises(ValueError, match="at least two layers"):
        check_drawable([3])


def test_labels_where_they_fit():
    assert labels_fit([3, 2, 2, 1]) and labels_fit([2, 8, 8, 8, 1]) and labels_fit([3, 16, 1])
    assert not labels_fit([8] * 6) and not labels_fit([3, 24, 1])
    assert labels_fit([8] * 6, width=900)  # a wider figure has room for them
    big = NetworkDiagram([8, 64, 64, 4])
    assert not big.labels and big.drawing.value_texts == {} and "a and b labels hidden" in big.caption
    assert NetworkDiagram([3, 2, 1], labels=False).drawing.value_texts == {}
    forced = NetworkDiagram([8] * 6, labels=True)  # asked for: drawn where edges get ≥ 10 px
    assert forced.drawing.value_texts and 10 <= forced.layout.gap < 40
    assert forced.caption.startswith("b labels hidden")


def test_largest_net_updates_and_renders():
    net = Network.random([4] + [64] * 8 + [2], seed=3)
    d = NetworkDiagram(net.sizes)
    d.update(net.trace(np.ones(4), [0.0, 1.0]), paths_highlight(net.sizes, "w9,1,1"))
    assert d.format == "png"
    assert Image.open(io.BytesIO(d.render())).size == (560, 500)


# --- rendering -------------------------------------------------------------------------------


def test_render_svg_is_valid_and_shows_the_numbers(seed):
    net, x, _, trace = seed
    d = NetworkDiagram(net.sizes, format="svg")
    d.update(trace, paths_highlight(net.sizes, "w1,1,1"))
    svg = d.render()
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = "".join(root.itertext())
    for s in ("L = 0.0611", "0.5622", "−1.0", "x₃", "b = 0.2", "hidden 2", "activation a"):
        assert s in texts, s
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))  # static part and fragment share no id
    # the next update changes the numbers, not the static part
    d.update(net.with_param("w1,1,1", 0.9).trace(x, [1.0]))
    svg2 = d.render()

    def number_in(svg, node):
        g = ET.fromstring(svg).find(f".//{{http://www.w3.org/2000/svg}}g[@id='node-{node}']")
        return g.find("{http://www.w3.org/2000/svg}text").text

    assert number_in(svg, "1-1") == "0.5" and number_in(svg2, "1-1") != "0.5"
    assert number_in(svg2, "1-2") == "0.5622"  # a₂⁽¹⁾ does not depend on w₁,₁⁽¹⁾
    assert svg2 != svg


def test_svg_edges_carry_the_edge_colours_in_edgelist_order(seed):
    net, _, _, trace = seed
    d = NetworkDiagram(net.sizes, format="svg")
    d.update(trace, paths_highlight(net.sizes, "w1,1,1"))
    root = ET.fromstring(d.render())
    ns = {"svg": "http://www.w3.org/2000/svg"}
    paths = root.find(".//svg:g[@id='edges']", ns).findall("svg:path", ns)
    assert len(paths) == len(d.edgelist) == 12
    colours, widths = d.drawing.edge_collection.get_color(), d.drawing.edge_collection.get_linewidth()
    h = d.drawing.figure.bbox.height
    for i, el in enumerate(paths):
        style = dict(kv.split(":") for kv in el.get("style").split(";"))
        rgba = to_rgba(style["stroke"], float(style.get("stroke-opacity", 1)))
        np.testing.assert_allclose(rgba[:3], colours[i][:3], atol=0.5 / 255)  # 8-bit hex
        assert rgba[3] == pytest.approx(colours[i][3], abs=1e-3)
        assert float(style["stroke-width"]) == pytest.approx(widths[i], rel=1e-2)
        # the path starts at the right side of the edge's source node
        x0, y0 = map(float, el.get("d").split()[1:3])
        right = np.array([d.layout.box[0] / 2, 0])
        sx, sy = d.drawing.ax.transData.transform(d.drawing.pos[d.edgelist[i][0]] + right)
        assert (x0, y0) == pytest.approx((sx, h - sy), abs=0.01)


def test_svg_labels_keep_colour_code_and_fading(seed):
    net, _, _, trace = seed
    d = NetworkDiagram(net.sizes, format="svg")
    d.update(trace, paths_highlight(net.sizes, "w1,1,1"))
    root = ET.fromstring(d.render())
    styles = {
        el.text: dict(kv.split(":", 1) for kv in el.get("style").split(";"))
        for el in root.iter("{http://www.w3.org/2000/svg}text")
        if el.get("style")
    }
    assert styles["0.5"]["fill"] == "#222222" and "opacity" not in styles["0.5"]  # a, in its node
    assert float(styles["0.5622"]["opacity"]) < 1  # a₂⁽¹⁾ is on no path of w₁,₁⁽¹⁾
    assert styles["b = 0.2"]["fill"] == "#004174"  # the weights' text shade (≥ 4.5:1)
    assert float(styles["b = 0.2"]["font-size"].rstrip("px")) == pytest.approx(11 * 0.72)  # 11 px
    assert styles["L = 0.0611"]["fill"] == "#222222"
    # a sits in its neuron, b below it (SVG y grows downwards)
    svg = "{http://www.w3.org/2000/svg}"
    el = root.find(f".//{svg}g[@id='node-1-1']/{svg}text")
    b = next(e for e in root.iter("{http://www.w3.org/2000/svg}text") if e.text == "b = 0.1")
    x, y = d.drawing.ax.transData.transform(d.drawing.pos[(1, 1)])
    assert float(el.get("x")) == pytest.approx(x, abs=0.01)
    assert float(el.get("y")) == pytest.approx(d.drawing.figure.bbox.height - y, abs=0.01)
    assert float(b.get("y")) > d.drawing.figure.bbox.height - y


def test_render_png_is_valid_and_blitting_matches_a_full_draw(seed):
    net, _, _, trace = seed
    d = NetworkDiagram(net.sizes, format="png")
    d.update(trace, paths_highlight(net.sizes, "w1,1,1"))
    png = d.render()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    fast = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), float)
    assert fast.shape == (500, 560, 3)
    # savefig draws animated artists too: the whole figure in one pass
    buf = io.BytesIO()
    d.drawing.figure.savefig(buf, format="png")
    full = np.asarray(Image.open(buf).convert("RGB"), float)
    assert np.abs(fast - full).mean() < 0.5
    # a node's pixel has the colour of its activation (right of the number inside it)
    x, y = d.drawing.ax.transData.transform(d.drawing.pos[(2, 2)] + np.array([d.layout.box[0] / 2 - 6, 0]))
    pixel = fast[int(round(500 - y)), int(round(x))] / 255
    expected = d.drawing.node_cmap(d.drawing.node_norm(trace.a[2][1]))
    np.testing.assert_allclose(pixel, expected[:3], atol=0.02)


def test_format_auto_and_the_mimebundle(seed):
    assert NetworkDiagram(SEED_SIZES).format == "svg"
    assert NetworkDiagram([8, 16, 16, 8, 4]).format == "svg"  # 544 edges
    assert NetworkDiagram([8, 64, 64, 8]).format == "svg"  # 4608 edges
    assert NetworkDiagram([8] + [64] * 4 + [8]).format == "png"  # 12 800 edges
    with pytest.raises(ValueError, match="format"):
        NetworkDiagram(SEED_SIZES, format="jpg")
    d = NetworkDiagram(SEED_SIZES)
    d.update(seed[3])
    assert list(d._repr_mimebundle_()) == ["image/svg+xml"]
    svg = d.render()
    d.format = "png"  # switching formats keeps the pixel size
    assert Image.open(io.BytesIO(d.render())).size == (560, 500)
    d.format = "svg"
    assert d.render() == svg
    with pytest.raises(ValueError, match="format"):
        d.format = "auto"


def test_svg_shows_what_a_full_savefig_shows_with_an_id_on_every_changing_part(diagram):
    """The fast SVG (static part from savefig + the changing parts written directly) has the
    texts a plain savefig of the whole figure has, and an id on each part that changes."""
    hl = paths_highlight(SEED_SIZES, "w1,1,1")
    diagram.update(diagram.trace, highlight=hl)
    fast = ET.fromstring(diagram.render())
    buf = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none"}):
        diagram.drawing.figure.savefig(buf, format="svg", metadata={"Date": None})
    full = ET.fromstring(buf.getvalue())
    words = lambda root: Counter(t.strip() for t in root.itertext() if t.strip())  # noqa: E731
    titles = Counter(t.text for t in fast.iter("{http://www.w3.org/2000/svg}title"))
    assert len(titles) == 12 + 8  # a hover text per edge and per node
    assert words(fast) - titles == words(full)
    ids = {el.get("id") for el in fast.iter() if el.get("id")}
    assert {"loss", "tick-lo", "tick-hi", "halo", "edge-w1-1-1", "node-3-1", "b-2-2"} <= ids
    assert fast.find(".//*[@id='loss']").text == "L = 0.0611"


def test_the_diagram_uses_no_private_matplotlib_names():
    import backprop_widgets.draw as package

    for path in sorted(Path(package.__file__).parent.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert "backend_svg" not in source and not re.search(r"\bsvg\._|_XMLWriter", source), path


def test_render_before_update_says_what_to_do():
    with pytest.raises(RuntimeError, match=r"update\(trace\)"):
        NetworkDiagram(SEED_SIZES).render()


def test_edge_at_finds_the_clicked_edge(diagram):
    fig = diagram.drawing.figure
    for p in (Param("w", 1, 1, 1), Param("w", 2, 2, 1), Param("w", 3, 1, 2)):
        i = diagram.params.index(p)
        a, b = diagram.drawing.segments[i]
        x, y = diagram.drawing.ax.transData.transform(a + 0.3 * (b - a))  # not where edges cross
        assert diagram.edge_at(x / fig.bbox.width, y / fig.bbox.height) == p
    assert diagram.edge_at(0.99, 0.99) is None  # the top-right corner: no edge there


def test_no_pyplot_in_library_code():
    code = (
        "import sys, backprop_widgets.draw.diagram as d; from backprop_widgets import seed_example;"
        "n, x, y = seed_example(); g = d.NetworkDiagram(n.sizes); g.update(n.trace(x, y));"
        "g.render(); assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_colour_code(diagram):
    """Inputs orange (rim), weights and biases blue, activations green (fill), errors crimson;
    the numbers in the text shades of blue and crimson."""
    i0, i1 = diagram.nodelist.index((0, 1)), diagram.nodelist.index((1, 1))
    rims = diagram.drawing.node_collection.get_edgecolor()
    assert same_color(rims[i0], COLORS["input"]) and not same_color(rims[i1], COLORS["input"])
    assert same_color(diagram.drawing.node_cmap(1.0), COLORS["activation"])
    # the numbers are text: the darker text shades of the same hues (≥ 4.5:1 on white)
    assert same_color(diagram.drawing.bias_texts[(1, 1)].get_color(), "#004174")
    d = NetworkDiagram(SEED_SIZES, show_delta=True)
    assert same_color(d.drawing.delta_texts[(1, 1)].get_color(), "#871F26")
    assert same_color(diagram.drawing.edge_cmap(0.0), COLORS["error"])
    assert COLORS["input"] == "#E69F00" and COLORS["activation"] == "#009E73"
    assert COLORS["weight"] == "#005A9C" and COLORS["error"] == "#B2182B"
    # the legend names each colour
    legend = [t.get_text() for t in diagram.drawing.code_texts]
    assert legend == ["input x", "weight w, bias b", "activation a", "error δ, gradient ∂L/∂w"]


def test_colour_bar_limits_print_short_in_the_page_format(seed):
    """y = 1e6: the gradients reach 175198.5897; the bar's ends read ±175000.0 (3 significant
    digits, in numfmt's format), not ±170895.2687-like long numbers."""
    net, x, _, _ = seed
    d = NetworkDiagram(net.sizes)
    d.update(net.trace(x, [1e6]))
    assert [t.get_text() for t in d.drawing.edge_ticks] == ["−175000.0", "0.0", "175000.0"]
    d.update(net.with_param("b1,1", 0.0).trace([1234.5678, 0.5, -1.0], [1e6]))
    assert d.drawing.node_ticks[2].get_text() == "1230.0"  # x₁ = 1234.5678 tops the node scale
    d.update(net.trace(x, [1e-9]))
    for t in d.drawing.edge_ticks + d.drawing.node_ticks:
        assert "e" not in t.get_text() and "-" not in t.get_text()  # no e-notation, − signs


def test_an_edit_does_not_draw_the_static_picture_again(monkeypatch):
    """The static part (frame, legend, colour bars) is savefig'd once; an edit, or setting the
    edge mode it already has (the dashboard does on every render), only rewrites the changing
    parts. A new edge mode changes the legend: one savefig."""
    from matplotlib.figure import Figure

    net, x, y = seed_example()
    d = NetworkDiagram(net.sizes, format="svg")
    d.update(net.trace(x, y))
    d.render()
    calls = []
    savefig = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: calls.append(1) or savefig(self, *a, **k))
    d.edge_mode = "gradient"
    d.update(net.with_param("w1,1,1", 0.5).trace(x, y))
    d.render()
    assert calls == []
    d.edge_mode = "weight"
    d.render()
    assert calls == [1]
