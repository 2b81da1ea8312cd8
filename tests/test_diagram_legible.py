"""The diagram is legible at its nominal size: measured on the drawn figure, no label overlaps
another, no edge crosses a label, and every label is at least 11 CSS px (1 figure px = 1 CSS px).

Geometry comes from matplotlib itself: text boxes from ``Text.get_window_extent(renderer)``,
edges as their segments in display coordinates (``ax.transData``), widened by half their drawn
line width. Everything is converted to figure px of the nominal size (``d.drawing.figure.bbox`` may be
at 72 dpi for SVG).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.text import Text

from backprop_widgets import Network, seed_example
from backprop_widgets.draw.diagram import NetworkDiagram
from backprop_widgets.draw.readme import seed_picture
from backprop_widgets.explain.highlight import paths_highlight

NETS = {
    "seed": [3, 2, 2, 1],
    "4,3,3,2": [4, 3, 3, 2],
    "2,8,8,8,1": [2, 8, 8, 8, 1],
    "6 layers x 8": [8] * 6,
}
MIN_PX = 11.0  # CSS px at the nominal size


def example(sizes):
    if sizes == [3, 2, 2, 1]:
        return seed_example()
    net = Network.random(sizes, seed=sum(sizes))
    rng = np.random.default_rng(len(sizes))
    return net, rng.uniform(-1, 1, sizes[0]).round(2), rng.uniform(0, 1, sizes[-1]).round(2)


def drawn(sizes, highlight=True, **kw):
    net, x, y = example(sizes)
    d = NetworkDiagram(sizes, **kw)
    d.update(net.trace(x, y), paths_highlight(sizes, "w1,1,1") if highlight else None)
    d.render()
    return d


def text_boxes(d) -> list[tuple[Text, np.ndarray]]:
    """Every visible, non-empty text of the figure, as (text, [x0, y0, x1, y1]) in nominal px."""
    renderer = d.drawing.figure.canvas.get_renderer()
    scale = d.width / d.drawing.figure.bbox.width
    out = []
    for t in d.drawing.figure.findobj(Text):
        if t.get_visible() and t.get_text().strip():
            e = t.get_window_extent(renderer)
            out.append((t, np.array([e.x0, e.y0, e.x1, e.y1]) * scale))
    return out


def segments(d) -> list[tuple[np.ndarray, float, str]]:
    """Every drawn line segment of the diagram's axes (edges, their halo, the loss links, the
    legend's line samples) as ((2, 2) array, half its width, name), in nominal px."""
    scale = d.width / d.drawing.figure.bbox.width
    px_per_pt = d.drawing.figure.dpi / 72 * scale
    out = []
    for c in d.drawing.ax.collections:
        if not isinstance(c, LineCollection):
            continue
        widths = np.broadcast_to(c.get_linewidth(), len(c.get_segments()))
        for seg, w in zip(c.get_segments(), widths):
            if len(seg):
                xy = d.drawing.ax.transData.transform(seg) * scale
                out.extend((xy[i : i + 2], w * px_per_pt / 2, c.get_label() or "edge") for i in range(len(xy) - 1))
    for line in d.drawing.ax.lines:
        xy = d.drawing.ax.transData.transform(line.get_xydata()) * scale
        out.extend((xy[i : i + 2], line.get_linewidth() * px_per_pt / 2, "line") for i in range(len(xy) - 1))
    return out


def crosses(seg: np.ndarray, box: np.ndarray) -> bool:
    """Whether the segment meets the box (Liang–Barsky clipping)."""
    (x0, y0), (x1, y1) = seg
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
        else:
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return False
    return True


def overlap(a: np.ndarray, b: np.ndarray, tol: float = 0.5) -> bool:
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


def overlapping(d) -> list[tuple[str, str]]:
    """The pairs of labels that overlap."""
    return [
        (describe(a), describe(b)) for (a, ba), (b, bb) in itertools.combinations(text_boxes(d), 2) if overlap(ba, bb)
    ]


def crossings(d) -> list[tuple[str, str, list]]:
    """(line, label, segment) for every drawn line that crosses a label (widened by half the
    line's width)."""
    boxes = text_boxes(d)
    return [
        (name, describe(t), seg.round(1).tolist())
        for seg, half, name in segments(d)
        for t, box in boxes
        if crosses(seg, box + np.array([-half, -half, half, half]))
    ]


@pytest.fixture(scope="module", params=list(NETS), ids=list(NETS))
def diagram(request):
    return drawn(NETS[request.param])


def describe(t: Text) -> str:
    return repr(t.get_text())


def test_no_label_overlaps_another(diagram):
    assert len(text_boxes(diagram)) > 10
    bad = overlapping(diagram)
    assert not bad, bad[:10]


def test_no_edge_crosses_a_label(diagram):
    bad = crossings(diagram)
    assert not bad, bad[:10]


def test_every_label_is_inside_the_figure(diagram):
    for t, (x0, y0, x1, y1) in text_boxes(diagram):
        assert x0 >= 0 and y0 >= 0 and x1 <= diagram.width and y1 <= diagram.height, describe(t)


def test_labels_are_at_least_11_css_px(diagram):
    scale = diagram.width / diagram.drawing.figure.bbox.width
    for t, _ in text_boxes(diagram):
        px = t.get_fontsize() * diagram.drawing.figure.dpi / 72 * scale
        assert px >= MIN_PX - 1e-9, (describe(t), px)


@pytest.mark.parametrize("name", list(NETS))
def test_the_same_without_a_highlight_and_as_svg(name):
    d = drawn(NETS[name], highlight=False, format="svg")
    assert not overlapping(d) and not crossings(d)


def test_default_size_is_the_dashboard_column():
    d = NetworkDiagram([3, 2, 2, 1])
    assert (d.width, d.height) == (560, 500)
    d.format = "png"
    assert d.drawing.figure.bbox.width == 560 and d.drawing.figure.bbox.height == 500


def test_what_is_shown_and_the_caption():
    seed = drawn([3, 2, 2, 1])
    assert seed.labels and seed.drawing.bias_texts and seed.caption == ""
    assert seed.drawing.value_texts[(1, 2)].get_text() == "0.5622"
    dense = drawn([2, 8, 8, 8, 1])
    assert dense.drawing.value_texts and not dense.drawing.bias_texts  # numbers in the nodes, no b
    assert dense.caption == "b labels hidden: too many units to fit; hover a node for its numbers"
    six = drawn([8] * 6)
    assert not six.drawing.value_texts and not six.drawing.bias_texts
    assert six.caption.startswith("a and b labels hidden: too many units to fit")
    # nodes are not tiny: at least 20 px across where they carry numbers or where rows allow
    for d in (seed, dense, six):
        assert min(d.layout.box) >= 17, d.layout.box
    assert NetworkDiagram([3, 2, 1], labels=False).caption == ""  # asked for none: nothing hidden


def test_z_and_delta_where_they_fit():
    d = drawn([3, 2, 2, 1], show_z=True, show_delta=True)
    assert d.drawing.z_texts and d.drawing.delta_texts and d.caption == ""
    assert not overlapping(d) and not crossings(d)
    d = NetworkDiagram([2, 8, 8, 8, 1], show_z=True, show_delta=True)
    assert not d.drawing.z_texts and not d.drawing.delta_texts
    assert d.caption.startswith("b, z and δ labels hidden")


def test_the_readme_picture_is_legible_too():
    d = seed_picture()
    d.render()
    assert any(t.get_text().startswith("highlighted: every path from w₁,₁⁽¹⁾") for t, _ in text_boxes(d))
    assert not overlapping(d) and not crossings(d)
