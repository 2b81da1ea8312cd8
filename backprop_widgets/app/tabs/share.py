"""The "Share" tab: the link of the page's state, its JSON file, Load, and a lesson's settings.

The link is built in the browser (:class:`ShareLink`): only the page knows its own address.
In a Voila page it is the page's address with the state's query; in JupyterLab, where the page
is not the app, the query alone is shown (append it to the app's address). The lesson settings
here go into the link and the file only: they do not change this page (a teacher hiding the
Share tab would lock themselves out).
"""

from __future__ import annotations

import base64
import html
from dataclasses import replace

import anywidget
import ipywidgets as W
from traitlets import Bool, Unicode

from ...core import EDGE_MODES, MODES, Snapshot, check_locks, lock_names, write_json, write_query
from ..controls import label_of
from ..sharing import load_file, snapshot
from . import Tab, hideable, register

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


@register
class ShareTab(Tab, name="share", title="Share"):
    """Link, JSON download, Load (a JSON file) and the lesson settings for the link, which the
    fields write into ``state.link_lesson``. A loaded file becomes the page's state."""

    follows = ("example", "error", "step", "edge_mode", "mode", "stage", "link_lesson")
    in_practice = True  # a teacher makes a Predict, Fade or Practice lesson's link in that mode

    def build(self) -> None:
        self.link = ShareLink()
        self.link.add_class("bpw-share-link")
        self.download = W.HTML()
        self.download.add_class("bpw-share-json")
        self.upload = W.FileUpload(
            accept=".json,application/json",
            multiple=False,
            description="Load a JSON file",
            layout=W.Layout(width="auto"),
        )
        self.upload.add_class("bpw-share-load")
        self.upload.observe(self._on_upload, names="value")
        self.hide = W.SelectMultiple(
            options=[(text, name) for name, text in hideable().items()],
            rows=5,
            description="hide",
            layout=W.Layout(width="440px"),
        )
        self.lock = W.Text(
            placeholder="all, mode, or e.g. w1,1,1, b2,1, x1",
            description="lock",
            continuous_update=False,
            layout=W.Layout(width="440px"),
        )
        self.lock_msg = W.HTML()
        self.summary = W.HTML()  # what the link opens, in words
        self.summary.add_class("bpw-share-summary")
        self.projector = W.Checkbox(description="projector: larger type and diagram", indent=False)
        for w in (self.hide, self.lock):
            w.style.description_width = "40px"
        self.hide.observe(lambda c: self._edit(hide=tuple(c["new"])), names="value")
        self.lock.observe(lambda c: self._edit(lock=typed_locks(c["new"])), names="value")
        self.projector.observe(lambda c: self._edit(projector=c["new"]), names="value")
        self.hide.add_class("bpw-lesson-hide")
        self.lock.add_class("bpw-lesson-lock")
        self.projector.add_class("bpw-lesson-projector")
        self.widget = W.VBox(
            [
                W.HTML(
                    "<b>Link to exactly this page</b> — network, numbers, traced parameter, step "
                    "and the lesson settings below. Anyone who opens it sees the same page."
                ),
                self.link,
                W.HBox([self.download, self.upload], layout=W.Layout(align_items="center", grid_gap="12px")),
                self.summary,
                W.HTML(
                    "<b>Lesson settings</b> for the link and the file (this page stays as it "
                    "is). The link opens on the step shown now, tracing the parameter chosen "
                    "above, and in the mode chosen (Predict, Fade at its stage, Practice)."
                ),
                self.hide,
                self.lock,
                self.lock_msg,
                self.projector,
            ]
        )
        self.state.observe(lambda _: self._follow_lesson(), names="link_lesson")

    def _edit(self, **fields) -> None:
        self.state.link_lesson = replace(self.state.link_lesson, **fields)

    def _follow_lesson(self) -> None:
        """The fields show ``state.link_lesson`` (a typed lock list keeps its spelling)."""
        lesson = self.state.link_lesson
        names = hideable()
        self.hide.value = tuple(n for n in lesson.hide if n in names)
        if typed_locks(self.lock.value) != lesson.lock:
            self.lock.value = ", ".join(lesson.lock)
        self.projector.value = lesson.projector

    def render(self) -> None:
        """Link and file of the current state."""
        s = self.state
        snap = snapshot(s)
        with self.link.hold_sync():
            self.link.query = write_query(snap)
            self.link.ready = True
        worked = s.worked
        self.summary.value = opens(snap, f"{s.step + 1}. {worked.steps[s.step].title}" if worked is not None else "")
        problems = check_locks(s.link_lesson.lock, s.network)[1]
        self.lock_msg.value = (f"<span class='bpw-msg'>⚠ {html.escape('; '.join(problems))}</span>") if problems else ""
        data = base64.b64encode(write_json(snap).encode("utf-8")).decode("ascii")
        self.download.value = (
            f"<a download='backprop-state.json' href='data:application/json;base64,{data}'>"
            "⬇ Download this state as JSON</a>"
        )

    def leave(self) -> None:
        """Hidden: never show (or copy) a stale link."""
        if self.link.ready:
            self.link.ready = False
            self.download.value = ""

    def _on_upload(self, change) -> None:
        files = change["new"]
        if files:
            content = files[0]["content"]
            self.upload.value = ()  # the same file can be loaded again
            load_file(self.state, bytes(content))


def opens(snap: Snapshot, step_title: str) -> str:
    """What a link to ``snap`` opens, in words (HTML): the step, the traced parameter, the mode
    and the lesson's settings."""
    lesson = snap.lesson
    parts = [
        f"step {step_title}" if step_title else "the first step",
        f"tracing ∂L/∂{label_of(snap.traced)}",
        f"edges by {EDGE_MODES[snap.edge_mode].symbol}"
        if snap.mode == "explore"
        else f"{MODES[snap.mode].button} mode",
    ]
    if snap.mode == "fade":
        parts.append(f"stage {snap.stage}")
    if lesson.hide:
        parts.append("hidden: " + ", ".join(lesson.hide))
    if lesson.lock:
        parts.append("locked: " + ", ".join(lesson.lock))
    if lesson.projector:
        parts.append("projector")
    return "<b>It opens on</b> " + html.escape(" · ".join(parts))


def typed_locks(text: str) -> tuple[str, ...]:
    """The value names typed into the lock field (``"w1,1,1, x1"`` → ``("w1,1,1", "x1")``)."""
    return tuple(n.strip() for n in lock_names(text.replace(" ", "")) if n.strip())
