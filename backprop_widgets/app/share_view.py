"""The Share tab: the link of the page's state, its JSON file, Load, and a lesson's settings.

The link is built in the browser (:class:`ShareLink`): only the page knows its own address.
In a Voila page it is the page's address with the state's query; in JupyterLab, where the page
is not the app, the query alone is shown (append it to the app's address). The lesson settings
here go into the link and the file only: they do not change this page (a teacher hiding the
Share tab would lock themselves out).
"""

from __future__ import annotations

import html
from typing import Callable

import anywidget
import ipywidgets as W
from traitlets import Bool, Unicode

from ..core import HIDEABLE, Lesson, lock_names

_ESM = """
function render({ model, el }) {
  const voila = document.body.dataset.voila === "voila";
  const field = document.createElement("input");
  field.type = "text";
  field.readOnly = true;
  field.className = "bpw-share-url";
  field.setAttribute("aria-label", voila ? "Link to this state" : "Query of this state");
  const copy = document.createElement("button");
  copy.className = "bpw-share-copy jupyter-button";
  copy.textContent = "Copy";
  const said = document.createElement("span");
  said.className = "bpw-share-said";
  said.setAttribute("role", "status");
  const show = () => {
    const q = model.get("query");
    const ready = model.get("ready");
    field.value = !ready ? "" : voila
      ? location.origin + location.pathname + (q ? "?" + q : "")
      : (q ? "?" + q : "(the worked example: no query needed)");
    field.placeholder = ready ? "" : "preparing the link…";
    copy.disabled = !ready;
    said.textContent = "";
  };
  copy.addEventListener("click", async () => {
    field.select();
    try { await navigator.clipboard.writeText(field.value); said.textContent = "copied"; }
    catch (e) { said.textContent = "selected: press Ctrl+C to copy"; }
  });
  model.on("change:query", show);
  model.on("change:ready", show);
  show();
  el.append(field, copy, said);
}
export default { render };
"""

_CSS = """
.bpw-share-url { width: min(680px, 70vw); font-family: monospace; font-size: 12px; }
.bpw-share-copy { margin-left: 6px; }
.bpw-share-said { margin-left: 8px; color: #333; }
"""


class ShareLink(anywidget.AnyWidget):
    """A read-only field with the page's address and ``query``, and a Copy button (off until
    the kernel has sent the current ``query``)."""

    _esm = _ESM
    _css = _CSS
    query = Unicode("").tag(sync=True)
    #: False while the tab is hidden: ``query`` may be stale, so the field shows nothing
    ready = Bool(False).tag(sync=True)


class ShareTab:
    """Link, JSON download, Load (a JSON file) and the lesson settings for the link.

    ``on_lesson()`` is called when a lesson setting changes (the link changes with it);
    ``on_load(text)`` when a file was chosen.
    """

    def __init__(self, on_lesson: Callable[[], None], on_load: Callable[[bytes], None]):
        self.link = ShareLink()
        self.link.add_class("bpw-share-link")
        self.download = W.HTML()
        self.download.add_class("bpw-share-json")
        self.upload = W.FileUpload(accept=".json,application/json", multiple=False,
                                   description="Load a JSON file",
                                   layout=W.Layout(width="auto"))
        self.upload.add_class("bpw-share-load")
        self.upload.observe(self._on_upload, names="value")
        self._on_load = on_load
        self.hide = W.SelectMultiple(options=[(text, name) for name, text in HIDEABLE.items()],
                                     rows=5, description="hide", layout=W.Layout(width="440px"))
        self.lock = W.Text(placeholder="all, or e.g. w1,1,1, b2,1, x1", description="lock",
                           continuous_update=False, layout=W.Layout(width="440px"))
        self.lock_msg = W.HTML()
        self.projector = W.Checkbox(description="projector: larger type and diagram", indent=False)
        for w in (self.hide, self.lock):
            w.style.description_width = "40px"
        for w in (self.hide, self.lock, self.projector):
            w.observe(lambda _: on_lesson(), names="value")
        self.hide.add_class("bpw-lesson-hide")
        self.lock.add_class("bpw-lesson-lock")
        self.widget = W.VBox([
            W.HTML("<b>Link to exactly this page</b> — network, numbers, traced parameter, step "
                   "and the lesson settings below. Anyone who opens it sees the same page."),
            self.link,
            W.HBox([self.download, self.upload], layout=W.Layout(align_items="center",
                                                                 grid_gap="12px")),
            W.HTML("<b>Lesson settings</b> for the link and the file (this page stays as it "
                   "is). The link opens on the step shown now, and in Practice mode if Practice "
                   "is on."),
            self.hide, self.lock, self.lock_msg, self.projector,
        ])

    def set_lesson(self, lesson: Lesson) -> None:
        self.hide.value = tuple(n for n in lesson.hide if n in HIDEABLE)
        self.lock.value = ", ".join(lesson.lock)
        self.projector.value = lesson.projector

    def lesson(self) -> Lesson:
        names = tuple(n.strip() for n in lock_names(self.lock.value.replace(" ", "")) if n.strip())
        return Lesson(hide=tuple(self.hide.value), lock=names, projector=self.projector.value)

    def show_lock_problems(self, problems: list[str]) -> None:
        self.lock_msg.value = (f"<span class='bpw-msg'>⚠ {html.escape('; '.join(problems))}"
                               "</span>") if problems else ""

    def _on_upload(self, change) -> None:
        files = change["new"]
        if files:
            content = files[0]["content"]
            self.upload.value = ()  # the same file can be loaded again
            self._on_load(bytes(content))
