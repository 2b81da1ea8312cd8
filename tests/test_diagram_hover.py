"""The inline SVG explains itself on hover, and a click finds what it hit.

Every edge is ``<path id="edge-w2-1-1">`` with a ``<title>`` giving w and ∂L/∂w; every node is
``<g id="node-1-2">`` with a ``<title>`` giving z, a, δ and b (x for inputs), in the page's number
format, rewritten on every render. ``hit`` returns a node when the point is on its disc, else
the nearest edge's Param within the tolerance, else None.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from backprop_widgets import Network, Param, seed_example
from backprop_widgets.core import fmt
from backprop_widgets.draw.diagram import NetworkDiagram
from backprop_widgets.explain.highlight import paths_highlight

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def seed():
    net, x, y = seed_example()
    d = NetworkDiagram(net.sizes, format="svg")
    d.update(net.trace(x, y), paths_highlight(net.sizes, "w1,1,1"))
    return net, x, y, d


def titles(svg: str) -> dict[str, str]:
    """id → the text of the element's <title> child."""
    out = {}
    for el in ET.fromstring(svg).iter():
        title = el.find(SVG + "title")
        if el.get("id") and title is not None:
            out[el.get("id")] = title.text
    return out


def test_every_edge_and_node_has_an_id_and_a_hover_title(seed):
    net, x, y, d = seed
    t = titles(d.render())
    edges = {k: v for k, v in t.items() if k.startswith("edge-")}
    nodes = {k: v for k, v in t.items() if k.startswith("node-")}
    assert len(edges) == len(d.edgelist) == 12 and len(nodes) == len(d.nodelist) == 8
    trace = net.trace(x, y)
    assert net.get("w2,1,1") == 0.7
    assert edges["edge-w2-1-1"] == f"w₁,₁⁽²⁾ = 0.7, ∂L/∂w = {fmt(trace.grad('w2,1,1'), True)}"
    assert edges["edge-w1-2-3"] == "w₂,₃⁽¹⁾ = 0.6, ∂L/∂w = 0.00235"
    assert nodes["node-0-2"] == "x₂ = 0.5"
    assert nodes["node-1-1"] == "h1₁: z = 0.0, a = 0.5, δ = −0.00212, b = 0.1"
    assert nodes["node-2-1"] == "h2₁: z = 0.8997, a = 0.7109, δ = −0.00490, b = 0.1"
    assert nodes["node-3-1"].startswith("out₁: z = 0.6215, a = 0.6506, δ = −0.0794")


def test_titles_follow_every_update_and_ids_stay(seed):
    net, x, y, d = seed
    before = titles(d.render())
    d.update(net.with_param("w2,1,1", -0.25).trace(x, y))
    after = titles(d.render())
    assert after.keys() == before.keys()  # stable ids
    assert after["edge-w2-1-1"].startswith("w₁,₁⁽²⁾ = −0.25, ∂L/∂w = ")
    assert after["node-2-1"] != before["node-2-1"]
    ids = [el.get("id") for el in ET.fromstring(d.render()).iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def test_numbers_in_titles_print_as_the_page(seed):
    net, x, _, d = seed
    trace = net.trace(x, [1e6])  # huge gradients: printed as the page prints them
    d.update(trace)
    t = titles(d.render())
    assert t["edge-w3-1-2"] == f"w₁,₂⁽³⁾ = 0.4, ∂L/∂w = {fmt(trace.grad('w3,1,2'), True)}"
    assert t["edge-w3-1-2"].endswith("−175198.5897")
    for text in t.values():
        assert "e+" not in text and "e-" not in text and "-" not in text  # − is U+2212


def test_nodes_carry_their_colour_and_number_in_the_svg(seed):
    _, _, _, d = seed
    root = ET.fromstring(d.render())
    g = root.find(f".//{SVG}g[@id='node-2-2']")
    rect, text = g.find(SVG + "rect"), g.find(SVG + "text")
    style = dict(kv.split(":", 1) for kv in rect.get("style").split(";"))
    expected = d.drawing.node_cmap(d.drawing.node_norm(d.trace.a[2][1]))
    got = np.array([int(style["fill"][i : i + 2], 16) for i in (1, 3, 5)]) / 255
    np.testing.assert_allclose(got, expected[:3], atol=0.5 / 255)
    assert text.text == "0.7707"
    # the pill is where the node is
    cx = float(rect.get("x")) + float(rect.get("width")) / 2
    x, _ = d.drawing.ax.transData.transform(d.drawing.pos[(2, 2)])
    assert cx == pytest.approx(x, abs=0.01)


def test_hover_titles_cost_little_on_a_large_net():
    net = Network.random([8, 16, 16, 8, 4], seed=0)
    d = NetworkDiagram(net.sizes, format="svg")
    d.update(net.trace(np.zeros(8), np.zeros(4)))
    t = titles(d.render())
    assert sum(k.startswith("edge-") for k in t) == 544
    assert sum(k.startswith("node-") for k in t) == 52


# --- hit testing -----------------------------------------------------------------------------


def frac(d, xy):
    """Figure fractions of a point given in data coordinates, as a click reports them."""
    x, y = d.drawing.ax.transData.transform(xy)
    return x / d.drawing.figure.bbox.width, y / d.drawing.figure.bbox.height


@pytest.mark.parametrize("sizes", [[3, 2, 2, 1], [2, 8, 8, 8, 1], [8] * 6])
def test_a_click_on_a_node_finds_the_node_not_an_edge(sizes):
    d = NetworkDiagram(sizes)
    w, h = d.layout.box
    for node in d.nodelist:
        x, y = d.drawing.pos[node]
        assert d.hit(*frac(d, (x, y))) == node
        # near its rim, where its edges end (node h1₁ used to give w₁,₂⁽¹⁾)
        assert d.hit(*frac(d, (x - w / 2 + 1.5, y))) == node
        assert d.hit(*frac(d, (x + w / 2 - 1.5, y + 0.2 * h))) == node
        assert d.edge_at(*frac(d, (x, y))) is None


@pytest.mark.parametrize("sizes", [[3, 2, 2, 1], [2, 8, 8, 8, 1]])
def test_a_click_on_an_edge_finds_its_weight(sizes):
    d = NetworkDiagram(sizes)
    for p in (Param("w", 1, 1, 1), Param("w", 2, 2, 1), Param("w", len(sizes) - 1, 1, 2)):
        i = d.params.index(p)
        a, b = d.drawing.segments[i]
        point = frac(d, a + 0.2 * (b - a))  # near its source: not where edges cross
        assert d.hit(*point) == p
        assert d.edge_at(*point) == p


def test_where_edges_cross_the_click_finds_the_one_on_top():
    d = NetworkDiagram([3, 2, 2, 1])
    # w₂,₁⁽²⁾ and w₁,₂⁽²⁾ cross half-way between hidden layers 1 and 2; w₂,₁⁽²⁾ is drawn later
    (u, v) = d.edgelist[d.params.index(Param("w", 2, 2, 1))]
    mid = (np.array(d.drawing.pos[u]) + np.array(d.drawing.pos[v])) / 2
    assert d.params.index(Param("w", 2, 1, 2)) < d.params.index(Param("w", 2, 2, 1))
    assert d.hit(*frac(d, mid)) == Param("w", 2, 2, 1)


def test_a_click_on_nothing_finds_nothing():
    d = NetworkDiagram([3, 2, 2, 1])
    assert d.hit(0.99, 0.99) is None  # top-right corner: the loss title, no node or edge
    assert d.hit(0.5, 0.02) is None  # the legend
    x, y = d.drawing.loss_xy
    assert d.hit(*frac(d, (x, y))) is None  # the loss box is not a neuron
