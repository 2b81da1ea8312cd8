"""The diagram's update contract: the writer returns its changing elements by id, an edit sends
only the elements whose content changed, and a broken id contract fails loudly (not as a silent
resend of the whole picture). The pictures are the ones recorded before the writer went by id."""

from __future__ import annotations

import json

import pytest
from diagram_cases import CASES, recorded

from backprop_widgets import Dashboard
from backprop_widgets.core.example import seed_example
from backprop_widgets.draw.diagram import NetworkDiagram
from backprop_widgets.draw.svg import SvgDrawing, SvgWriter


@pytest.mark.parametrize("name", list(CASES))
def test_the_recorded_pictures_are_unchanged(name):
    assert CASES[name]() == recorded()[name]


def seed_diagram() -> NetworkDiagram:
    net, x, y = seed_example()
    d = NetworkDiagram(net.sizes)
    d.update(net.trace(x, y))
    return d


def test_the_writer_returns_every_changing_element_by_its_id():
    d = seed_diagram()
    drawing = d.svg()
    assert drawing.text == d.render()
    edges = {f"edge-{p}".replace(",", "-") for p in d.params}
    nodes = {f"node-{l}-{j}" for l, j in d.nodelist}
    assert edges | nodes | {"loss", "tick-lo", "tick-hi"} <= set(drawing.parts)
    assert drawing.parts["edge-w2-1-2"].startswith('<path id="edge-w2-1-2" ')
    assert drawing.parts["loss"].endswith(">L = 0.0611</text>")
    assert all(f'id="{ident}"' not in drawing.static for ident in drawing.parts)
    # without hover titles: the same elements, none with a <title>
    bare = d.svg(titles=False)
    assert list(bare.parts) == list(drawing.parts) and "<title>" not in bare.text


@pytest.mark.parametrize(
    "element",
    [
        '<path d="M 0 0 L 1 1" style="stroke:#000"/>',  # no id
        '<path id="edge-w1-1-2" d="M 0 0 L 1 1"/>',  # another element's id
        '<path id="edge-w1-1-1" d="M 0 0"/><path d="M 1 1"/>junk',  # not one element
    ],
)
def test_an_element_without_its_id_is_refused(element):
    with pytest.raises(ValueError, match="edge-w1-1-1"):
        SvgDrawing("<svg>", ("", "</svg>"), {"edge-w1-1-1": element})


def test_a_writer_that_drops_the_ids_fails_instead_of_resending(monkeypatch):
    text = SvgWriter._text
    monkeypatch.setattr(SvgWriter, "_text", lambda self, t, ident="": text(self, t))  # labels lose their ids
    with pytest.raises(ValueError, match="not one SVG element with id='loss'"):
        seed_diagram().svg()


class Wire:
    """The picture widget's messages to the page, as the comm carries them (UTF-8 JSON)."""

    def __init__(self, picture):
        self.sent: list[dict] = []
        picture._send = lambda msg, buffers=None: self.sent.append(json.loads(json.dumps(msg)))

    def bytes(self) -> int:
        return sum(len(json.dumps(m, ensure_ascii=False).encode()) for m in self.sent)


def test_an_edit_sends_only_the_elements_it_changed():
    app = Dashboard()
    picture = app.diagram_view.picture
    whole = len(picture.value.encode())
    wire = Wire(picture)
    app.params.rows["w2,1,2"].text.value = "0.7"
    (msg,) = wire.sent
    patch = msg["state"]["patch"]
    assert set(msg["state"]) == {"patch"}  # no new picture
    # w₂,₁⁽²⁾ moves h2₁ and ŷ; every ∂L/∂w (the edges' colours and titles), h1's δ (titles), L
    net, x, y = seed_example()
    nodes = {f"node-{l}-{j}" for l in (1, 2, 3) for j in range(1, net.sizes[l] + 1)}
    edges = {f"edge-{p}".replace(",", "-") for p in NetworkDiagram(net.sizes).params}
    # and the ends of the edges' colour scale, ±max |∂L/∂w|, which moved
    largest = [max(abs(n.trace(x, y).grad_W[l]).max() for l in (1, 2, 3)) for n in (net, net.with_param("w2,1,2", 0.7))]
    assert f"{largest[0]:.3g}" != f"{largest[1]:.3g}"
    assert set(patch) == nodes | edges | {"loss", "tick-lo", "tick-hi"}  # not the inputs', which stay
    assert wire.bytes() < whole / 3  # each changed element whole: ~26 %


def test_in_practice_an_edit_sends_the_edge_and_the_nodes_it_moves():
    """Practice: edges by w and no numbers, so one weight's edit changes its edge and the
    nodes downstream of it, nothing else."""
    app = Dashboard()
    app.diagram_view.state.practice = True
    picture = app.diagram_view.picture
    whole = len(picture.value.encode())
    wire = Wire(picture)
    app.params.rows["w2,1,2"].text.value = "0.3"
    (msg,) = wire.sent
    assert set(msg["state"]["patch"]) == {"edge-w2-1-2", "node-2-1", "node-3-1"}
    assert wire.bytes() < whole / 20
    wire.sent.clear()
    app.params.rows["w3,1,1"].text.value = "0.9"  # the last patch stays (its page may render later)
    (msg,) = wire.sent
    assert set(msg["state"]["patch"]) == {"edge-w2-1-2", "node-2-1", "node-3-1", "edge-w3-1-1"}
