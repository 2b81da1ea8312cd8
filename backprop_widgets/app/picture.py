"""The diagram on the page: inline SVG that an edit patches in place instead of re-sending.

The diagram's SVG (``diagram.py``) is a static part, indented as matplotlib writes it, and the
changing elements, one per line at column 0, each with an ``id`` (``edge-w1-1-1``,
``node-1-2``, ``loss``, …). :class:`Picture` sends the whole picture once (``html``, the
*base*); after that an edit sends only ``patch``: the lines (by id) that differ from the base.
The page replaces exactly those elements. Any other change (the shape, the edge mode, a label
that appears or goes) sends a new base.

``patch`` always holds every id that differs from the base, not only those that changed last, so
a page that renders the widget later (JupyterLab re-opening an output) draws base + patch and is
right; a patch that grows past half the picture is sent as a new base instead.

A PNG (``<img>``) or any other HTML is always sent whole.
"""

from __future__ import annotations

import re

import anywidget
from traitlets import Dict, Unicode

#: a changing element: one line, at column 0, with an id, closed on the same line
_PART = re.compile(r'<(path|g|text) id="([^"]+)"[^\n]*(?:</\1>|/>)')
#: a patch larger than this share of the picture is sent as a new base
MAX_PATCH = 0.5

_ESM = """
const SVG_NS = "http://www.w3.org/2000/svg";
function render({ model, el }) {
  let applied = {};
  const patch = () => {
    const parts = model.get("patch") || {};
    for (const id in parts) {
      const text = parts[id];
      if (applied[id] === text) continue;
      const old = el.querySelector(`[id="${id}"]`);
      if (!old) continue;
      const holder = document.createElementNS(SVG_NS, "svg");
      holder.innerHTML = text;
      const fresh = holder.firstElementChild;
      if (fresh) { old.replaceWith(fresh); applied[id] = text; }
    }
  };
  const full = () => { el.innerHTML = model.get("html"); applied = {}; patch(); };
  model.on("change:html", full);
  model.on("change:patch", patch);
  full();
}
export default { render };
"""


class Picture(anywidget.AnyWidget):
    """An HTML picture; ``value`` is what it shows (set it like ``W.HTML.value``)."""

    _esm = _ESM
    html = Unicode("").tag(sync=True)  # the base
    patch = Dict().tag(sync=True)  # id → its line, for every id that differs from the base

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._value = ""
        self._base: tuple[list[str], list[str | None]] | None = None

    @property
    def value(self) -> str:
        """The picture shown now (base with the patch applied)."""
        return self._value

    @value.setter
    def value(self, text: str) -> None:
        self.show(text)

    def show(self, text: str) -> None:
        if text == self._value:
            return
        lines = text.split("\n")
        ids = [m.group(2) if (m := _PART.fullmatch(line)) else None for line in lines]
        patch = self._patch(lines, ids)
        if patch is None or sum(map(len, patch.values())) > MAX_PATCH * len(text):
            with self.hold_sync():
                self.html = text
                self.patch = {}
            self._base = (lines, ids)
        else:
            self.patch = patch
        self._value = text

    def _patch(self, lines: list[str], ids: list[str | None]) -> dict | None:
        """The lines that differ from the base, by id; ``None`` if a patch cannot say it."""
        if self._base is None or not any(ids):
            return None
        base_lines, base_ids = self._base
        if ids != base_ids:
            return None
        patch = {}
        for part, line, old in zip(ids, lines, base_lines):
            if part is None:
                if line != old:
                    return None
            elif line != old or part in self.patch:  # changed, or changed back to the base
                patch[part] = line
        return patch
