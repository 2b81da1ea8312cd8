"""Keyboard stepping: ← / → and PageUp / PageDown move through the walkthrough.

A small anywidget (no visible element) listens on the page for those keys while the focus is not
in a text field, a slider, a list or a tab bar, and, in JupyterLab, only while the focus is in or
around its own dashboard. It sends ``{"step": -1 | 1}`` to the kernel; the dashboard moves on. The kernel can also ask
it to scroll an element into view (:meth:`StepKeys.reveal`).
"""

from __future__ import annotations

import anywidget

_ESM = """
const KEYS = {ArrowLeft: -1, PageUp: -1, ArrowRight: 1, PageDown: 1};
const BUSY = 'input, textarea, select, [contenteditable=""], [contenteditable="true"], '
  + '[role="slider"], [role="tab"], [role="listbox"], [role="combobox"], [role="radiogroup"], .cm-editor';

function render({ model, el }) {
  el.style.display = "none";
  const onKey = (event) => {
    const step = KEYS[event.key];
    if (!step || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const focus = document.activeElement;
    if (focus && focus.closest && focus.closest(BUSY)) return;  // the key is the field's
    const dash = el.closest(".bpw-dashboard");
    const ours = !focus || focus === document.body || !dash
      || dash.contains(focus) || focus.contains(dash);
    if (!ours) return;
    event.preventDefault();
    event.stopPropagation();
    model.send({ step });
  };
  document.addEventListener("keydown", onKey, true);
  // the kernel asks to bring an element of this dashboard into view (a clicked edge's row)
  model.on("msg:custom", (msg) => {
    const dash = el.closest(".bpw-dashboard") || document;
    const target = msg.reveal && dash.querySelector(msg.reveal);
    if (target) setTimeout(() => target.scrollIntoView({block: "nearest"}), 50);
  });
  return () => document.removeEventListener("keydown", onKey, true);
}
export default { render };
"""


class StepKeys(anywidget.AnyWidget):
    """Calls ``on_step(+1 | -1)`` when a student presses → / ← (or PageDown / PageUp)."""

    _esm = _ESM

    def __init__(self, on_step, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(lambda _, content, buffers: on_step(int(content.get("step", 0))))

    def reveal(self, selector: str) -> None:
        """Scroll the dashboard's element matching ``selector`` into view (if it is shown)."""
        self.send({"reveal": selector})
