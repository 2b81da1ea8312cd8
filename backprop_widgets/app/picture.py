"""The diagram on the page: inline SVG that an edit patches in place instead of re-sending.

The diagram's writer (``draw/svg.py``) returns an :class:`~backprop_widgets.draw.svg.SvgDrawing`:
the static part, and the changing elements by id (``edge-w1-1-1``, ``node-1-2``, ``loss``, …)
with the fixed text around them. :class:`Picture` sends the whole picture once (``html``, the
*base*); after that :meth:`Picture.show` of a drawing with the same layout (the same static part,
frame and ids) sends only ``patch``: the elements, by id, that differ from the base. The page
replaces exactly those elements, by id. Any other change (the shape, the edge mode, a label that
appears or goes) sends a new base.

``patch`` always holds every id that differs from the base, not only those that changed last, so
a page that renders the widget later (JupyterLab re-opening an output) draws base + patch and is
right; a patch that grows past half the picture is sent as a new base instead.

A PNG (``<img>``) or any other HTML (a ``str``) is always sent whole.
"""

from __future__ import annotations

import anywidget
from traitlets import Dict, Unicode

from ..draw.svg import SvgDrawing

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
      const old = el.querySelector(`[id="${CSS.escape(id)}"]`);
      const holder = document.createElementNS(SVG_NS, "svg");
      holder.innerHTML = text;
      const fresh = holder.firstElementChild;
      if (!old || !fresh || fresh.id !== id) {  // the kernel's writer broke the contract
        console.error(`bpw picture: cannot patch element ${id}`);
        continue;
      }
      old.replaceWith(fresh);
      applied[id] = text;
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
    """An HTML picture; ``value`` is what it shows (set it like ``W.HTML.value``, or
    :meth:`show` an :class:`SvgDrawing`, which later drawings patch)."""

    _esm = _ESM
    html = Unicode("").tag(sync=True)  # the base
    patch = Dict().tag(sync=True)  # id → its element, for every id that differs from the base

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._value: str | None = ""  # None: the text of self._shown, not written yet
        self._shown: SvgDrawing | None = None
        self._base: SvgDrawing | None = None

    @property
    def value(self) -> str:
        """The picture shown now (base with the patch applied)."""
        if self._value is None:
            self._value = self._shown.text if self._shown is not None else ""
        return self._value

    @value.setter
    def value(self, text: str) -> None:
        self.show(text)

    def show(self, picture: "str | SvgDrawing") -> None:
        """Show ``picture``: a drawing with the base's layout as a patch, anything else whole."""
        if isinstance(picture, str):
            if picture != self.value or self._shown is not None:
                self._send_base(picture, None)
            return
        base = self._base
        if base is not None and picture.layout() == base.layout():
            patch = picture.changed(base)
            for ident in self.patch:  # changed back to the base: the page has the patched one
                patch.setdefault(ident, picture.parts[ident])
            if sum(map(len, patch.values())) <= MAX_PATCH * picture.size:
                self.patch = patch
                self._shown, self._value = picture, None
                return
        self._send_base(picture.text, picture)

    def _send_base(self, text: str, drawing: SvgDrawing | None) -> None:
        with self.hold_sync():
            self.html = text
            self.patch = {}
        self._base = self._shown = drawing
        self._value = text
