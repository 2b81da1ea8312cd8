"""A slider that never sends a value the student did not choose, and never floods the kernel.

ipywidgets' FloatSlider answers a value the kernel sets with its own rounding of it (0.123 came
back as 0.12, after the kernel had moved on). This one is a native ``<input type="range">``:

- **The kernel's value is kept exactly.** Setting ``value`` only moves the handle (the browser
  shows it at the nearest step); the browser sends a value only when the student moves it.
- **Coalesced drags.** While a sent value is being processed the browser keeps only the newest
  position, and sends it when the kernel acknowledges the last one (``ack``): a drag never
  builds a backlog, and the position where the drag stops is always the last value sent.
- **Accessible.** The handle's accessible name is ``label`` and screen readers hear the real
  value (``aria-valuetext``), not a position.
"""

from __future__ import annotations

import anywidget
from traitlets import Bool, Float, Int, Unicode

_ESM = """
function render({ model, el }) {
  const input = document.createElement("input");
  input.type = "range";
  input.className = "bpw-range";
  const show = () => {
    input.min = model.get("min");
    input.max = model.get("max");
    input.step = model.get("step");
    input.value = model.get("value");
    input.setAttribute("aria-label", model.get("label"));
    input.setAttribute("aria-valuetext", model.get("text") || String(model.get("value")));
    input.disabled = model.get("disabled");
  };
  // one value in flight at a time; the newest position waits for the kernel's acknowledgement
  let inflight = false, pending = null, timer = null;
  const send = () => {
    if (inflight || pending === null) return;
    const v = pending;
    pending = null;
    if (v === model.get("value")) return;
    inflight = true;
    timer = setTimeout(() => { inflight = false; send(); }, 2000);  // a lost answer
    model.set("value", v);
    model.save_changes();
  };
  const moved = () => { pending = parseFloat(input.value); send(); };
  input.addEventListener("input", moved);
  input.addEventListener("change", moved);
  model.on("change:ack", () => { clearTimeout(timer); inflight = false; send(); });
  // the slider now stands for another number (a large net's editor reuses it): a position
  // dragged for the old one must not be sent as the new one's value
  model.on("change:label", () => { pending = null; });
  for (const name of ["value", "min", "max", "step", "label", "text", "disabled"]) {
    model.on(`change:${name}`, show);
  }
  show();
  el.appendChild(input);
}
export default { render };
"""

_CSS = """
.bpw-range { width: 100%; margin: 0; accent-color: #005A9C; }
"""


class ValueSlider(anywidget.AnyWidget):
    """``value`` exactly as the kernel sets it; moved by the student in steps of ``step``.

    Call :meth:`acknowledge` after handling a value the browser sent, so that it sends the next.
    """

    _esm = _ESM
    _css = _CSS
    value = Float(0.0).tag(sync=True)
    min = Float(-2.0).tag(sync=True)
    max = Float(2.0).tag(sync=True)
    step = Float(0.01).tag(sync=True)
    label = Unicode("").tag(sync=True)  # the accessible name
    disabled = Bool(False).tag(sync=True)  # read-only (a lesson locked the value)
    text = Unicode("").tag(sync=True)  # the value as screen readers say it
    ack = Int(0).tag(sync=True)

    def acknowledge(self) -> None:
        self.ack += 1
