"""What an edit costs on the wire, read off the page's kernel websocket in a real browser.

An edit must send one update per view that changed, and nothing for a view that did not. The
diagram (22 kB of SVG on the seed) is sent once; an edit sends only the elements it changed
(``picture.py``), and the page shows them. A kernel that starts re-sending unchanged views, or echoing a value back and
forth, fails here. Counts, not times (times belong in benchmarks/).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import Page, WebSocket, expect

from backprop_widgets import seed_example, worked_example
from backprop_widgets.core import fmt
from backprop_widgets.draw.diagram import NetworkDiagram

from pages import UPDATE_MS, open_dashboard, param_row

pytestmark = pytest.mark.browser

SETTLE_MS = 1_500  # after the last visible change: stragglers (echoes) would arrive by then
#: widget updates one edit of a weight may send: the field's echo of the submitted text, its
#: row (slider + text), loss, check line, step panel, diagram, the open tab (All quantities)
MAX_UPDATES_PER_EDIT = 7


def decode(payload: "str | bytes") -> dict:
    """A kernel message as the page receives it: JSON text (Jupyter's legacy websocket
    protocol) or ``v1.kernel.websocket.jupyter.org`` binary frames (offsets, then channel,
    header, parent header, metadata, content, buffers)."""
    if isinstance(payload, str):
        return json.loads(payload)
    n = int.from_bytes(payload[:8], "little")
    offsets = [int.from_bytes(payload[8 * (k + 1) : 8 * (k + 2)], "little") for k in range(n)]
    parts = [payload[a:b] for a, b in zip(offsets, [*offsets[1:], len(payload)])]
    names = ("channel", "header", "parent_header", "metadata", "content")
    return {name: (part.decode() if name == "channel" else json.loads(part)) for name, part in zip(names, parts)}


class Wire:
    """Every comm message the kernel sends to the page, decoded."""

    def __init__(self, page: Page):
        self.received: list[dict] = []
        page.on("websocket", self._watch)

    def _watch(self, ws: WebSocket) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        msg = decode(payload)
        if msg.get("header", {}).get("msg_type") == "comm_msg":
            self.received.append(msg["content"].get("data", {}).get("state", {}))

    def clear(self) -> None:
        self.received.clear()

    def diagrams(self) -> list[dict]:
        """Updates that carry a diagram: a whole picture (``html``) or a patch of it."""
        return [
            s
            for s in self.received
            if "patch" in s or any(isinstance(v, str) and ("<svg" in v or "data:image/png" in v) for v in s.values())
        ]


def kernel_edges(value: float) -> dict[str, ET.Element]:
    """The edges of the seed net's diagram with w₁,₁⁽¹⁾ = ``value``, at the first step, by id,
    as the kernel draws them."""
    net, x, y = seed_example()
    net = net.with_param("w1,1,1", value)
    d = NetworkDiagram(net.sizes)
    d.update(net.trace(x, y), highlight=worked_example(net, x, y).steps[0].touches)
    return {k: ET.fromstring(v) for k, v in d.svg().parts.items() if k.startswith("edge-")}


def enter(page: Page, name: str, text: str) -> None:
    field = param_row(page, name).locator(".bpw-text input")
    field.fill(text)
    field.press("Enter")


def test_an_edit_sends_one_update_per_changed_view(page: Page, voila_url: str):
    wire = Wire(page)
    open_dashboard(page, voila_url)
    page.wait_for_timeout(SETTLE_MS)
    picture = page.locator(".bpw-diagram").first.inner_html()
    edges = page.locator(".bpw-diagram svg #edges > path")
    seed_styles = edges.evaluate_all("es => Object.fromEntries(es.map(e => [e.id, e.getAttribute('style')]))")
    net, x, y = seed_example()
    loss = page.locator(".bpw-loss-value")
    for value in ("0.5", "-0.25"):
        wire.clear()
        enter(page, "w1-1-1", value)
        expected = fmt(net.with_param("w1,1,1", float(value)).loss_value(x, y), unicode=True)
        expect(loss).to_have_text(f"L = {expected}", timeout=UPDATE_MS)
        page.wait_for_timeout(SETTLE_MS)
        assert 0 < len(wire.received) <= MAX_UPDATES_PER_EDIT, wire.received
        (diagram,) = wire.diagrams()  # the new numbers, once, as a patch of the changed parts
        assert set(diagram) == {"patch"} and "loss" in diagram["patch"]
        assert sum(map(len, diagram["patch"].values())) < len(picture) / 2
        # and the page drew them: the patched picture has the loss and the edit's numbers
        expect(page.locator(".bpw-diagram svg #loss")).to_have_text(f"L = {expected}")
        a_out = net.with_param("w1,1,1", float(value)).trace(x, y).a[3][0]
        expect(page.locator(".bpw-diagram svg #node-3-1 text")).to_have_text(fmt(a_out, unicode=True))
        # every edge replaced by its id: colours and widths (some moved) and hover titles
        want = kernel_edges(float(value))
        assert sorted(want) == sorted(seed_styles)
        assert any(e.get("style") != seed_styles[k] for k, e in want.items())
        for ident, e in want.items():
            expect(page.locator(f".bpw-diagram svg #{ident}")).to_have_attribute("style", e.get("style"))
        title = want["edge-w1-1-1"].find("title").text
        assert title.startswith("w₁,₁⁽¹⁾ = " + value.replace("-", "−") + ",")
        expect(page.locator(".bpw-diagram svg #edge-w1-1-1 title")).to_have_text(title)

    # the same value again: nothing changed, so nothing is sent back
    wire.clear()
    enter(page, "w1-1-1", "-0.25")
    page.wait_for_timeout(SETTLE_MS)
    assert [s for s in wire.received if set(s) != {"value"} or s["value"] != "-0.25"] == []

    # another tab: its content comes, the unchanged diagram does not
    wire.clear()
    page.locator(".bpw-tabs .lm-TabBar-tab", has_text="Gradient check").click()
    expect(page.locator(".bpw-gradcheck")).to_contain_text("w₁,₁⁽¹⁾", timeout=UPDATE_MS)
    page.wait_for_timeout(SETTLE_MS)
    assert wire.diagrams() == []
