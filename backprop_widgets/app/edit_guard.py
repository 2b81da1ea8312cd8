"""Stop a run of training the moment a student starts to edit a value, before a key is typed.

While a run is in progress the page shows a new step a few times a second, and each would
replace whatever the student is typing into a value's field with the newest trained value. A
small anywidget (no visible element) therefore watches the dashboard's value rows while
``running``: the first focus, key or pointer press in a row's field sends ``{"editing":
"w1-1-1"}`` (the row's CSS name), and the kernel stops the run at the step on the screen
(``Training.stop_for_edit``), so the field keeps what the student types and the edit applies to
the network the student sees. The kernel also stops a run when an edit arrives without this
(``State.set_value``); the guard only makes it happen before the typing starts.
"""

from __future__ import annotations

import anywidget
from traitlets import Bool

_ESM = """
const FIELD = ".bpw-params input, .bpw-params textarea, .bpw-params [role=slider]";

function render({ model, el }) {
  el.style.display = "none";
  let sent = false;  // once per run
  model.on("change:running", () => { sent = false; });
  const onEdit = (event) => {
    if (!model.get("running") || sent) return;
    const dash = el.closest(".bpw-dashboard");
    const target = event.target;
    if (!dash || !target || !target.closest || !dash.contains(target)) return;
    if (!target.closest(FIELD)) return;
    const row = target.closest("[class*='bpw-param-']");
    const name = row && [...row.classList].find((c) => c.startsWith("bpw-param-"));
    if (!name) return;
    sent = true;
    model.send({ editing: name.slice("bpw-param-".length) });
  };
  const types = ["focusin", "pointerdown", "keydown"];
  for (const type of types) document.addEventListener(type, onEdit, true);
  return () => { for (const type of types) document.removeEventListener(type, onEdit, true); };
}
export default { render };
"""


class EditGuard(anywidget.AnyWidget):
    """Calls ``on_edit(name)`` (a value's name, ``w1,1,1``) when a student starts to edit a
    value while ``running`` is true."""

    _esm = _ESM
    running = Bool(False).tag(sync=True)

    def __init__(self, on_edit, **kwargs):
        super().__init__(**kwargs)
        self.on_edit = on_edit
        self.on_msg(lambda _, content, buffers: self.edited(str(content.get("editing", ""))))

    def edited(self, css_name: str) -> None:
        """The page says a value's row (``w1-1-1``, its CSS name) is being edited."""
        self.on_edit(css_name.replace("-", ","))
