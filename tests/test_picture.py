"""The diagram widget sends the picture once and then only the elements an edit changed; what
base + patch draws is always the current picture."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from backprop_widgets import Dashboard
from backprop_widgets.app.picture import Picture

SVG = "{http://www.w3.org/2000/svg}"


def drawn(p: Picture) -> str:
    """What a page draws from the synced state: the base parsed as XML, each element whose id is
    in the patch replaced by the patch's element (what the page's script does), as canonical XML."""
    root = ET.fromstring(p.html)
    parents = {child: parent for parent in root.iter() for child in parent}
    for ident, text in p.patch.items():
        (old,) = [e for e in root.iter() if e.get("id") == ident]
        fresh = ET.fromstring(f'<svg xmlns="{SVG[1:-1]}">{text}</svg>')[0]
        parent = parents[old]
        k = list(parent).index(old)
        fresh.tail = old.tail
        parent.remove(old)
        parent.insert(k, fresh)
    return ET.canonicalize(ET.tostring(root, encoding="unicode"))


def canonical(text: str) -> str:
    return ET.canonicalize(ET.tostring(ET.fromstring(text), encoding="unicode"))


def test_an_edit_sends_only_the_changed_elements():
    app = Dashboard()
    p = app.diagram_view.picture
    base = p.html
    assert base == p.value and p.patch == {}
    app.params.rows["w2,1,2"].text.value = "0.3"  # changes numbers downstream of h1₁, not x
    assert p.html == base  # no new base
    assert p.patch and drawn(p) == canonical(p.value) != canonical(base)
    assert "node-0-1" not in p.patch  # x₁'s node did not change
    assert any(k.startswith("edge-") for k in p.patch) and "loss" in p.patch
    assert sum(map(len, p.patch.values())) < len(base) / 2
    app.params.rows["w2,1,2"].text.value = "0.8"  # back to the seed: every line as in the base
    assert p.value == base and drawn(p) == canonical(base)
    app.params.rows["w2,1,2"].text.value = "-0.4"
    assert drawn(p) == canonical(p.value)


def test_a_change_of_shape_or_edge_mode_sends_a_new_base():
    app = Dashboard()
    p = app.diagram_view.picture
    base = p.html
    app.diagram_view.edge_mode.value = "weight"  # the legend (static part) changes
    assert p.html != base and p.patch == {} and p.html == p.value
    app.header.arch.value = "2,3,1"
    assert "Network diagram of the 2,3,1 network" in p.html and p.patch == {}


def test_any_other_html_is_sent_whole():
    p = Picture()
    p.value = "<img src='data:image/png;base64,AAAA' alt='x'>"
    assert p.html == p.value and p.patch == {}
    p.value = "<img src='data:image/png;base64,BBBB' alt='x'>"
    assert p.html == p.value and p.patch == {}
