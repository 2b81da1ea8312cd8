"""One prediction on the page: its prompt, the student's answer (a choice or a number), Commit,
and the verdict, which a screen reader hears.

A small anywidget, so that the keyboard works as a student expects: the choices are one radio
group (Tab reaches it, ← / → and ↑ / ↓ move the choice, Space chooses, Enter commits), a number is a text field
(Enter commits). The kernel learns the answer from ``value`` and the commit from a message; it
sends nothing about the right answer until the student has committed (``verdict``). Clicking an
edge or a node of the diagram sets ``value`` from the kernel (:mod:`.predict_view`).
"""

from __future__ import annotations

from typing import Callable

import anywidget
from traitlets import Bool, List, Unicode

_ESM = """
function render({ model, el }) {
  el.classList.add("bpw-card");
  const prompt = document.createElement("p");
  prompt.className = "bpw-card-prompt";
  prompt.id = "bpw-card-" + Math.random().toString(36).slice(2);
  const body = document.createElement("div");
  const commit = document.createElement("button");
  commit.className = "bpw-commit jupyter-button";
  commit.textContent = "Commit";
  const verdict = document.createElement("div");  // kept: a live region must stay in the page
  verdict.className = "bpw-card-verdict";
  verdict.setAttribute("role", "status");
  verdict.setAttribute("aria-live", "polite");
  el.append(prompt, body, commit, verdict);
  let buttons = [];
  const send = () => { if (!model.get("committed")) model.send({ commit: true }); };
  const pick = (i) => {
    if (model.get("committed") || i < 0 || i >= buttons.length) return;
    model.set("value", model.get("choices")[i]);
    model.save_changes();
    buttons[i].focus();
  };
  const keys = (event) => {  // a radio group's keys: arrows move and choose, Space chooses, Enter commits
    const focused = buttons.indexOf(document.activeElement);
    const i = focused >= 0 ? focused : model.get("choices").indexOf(model.get("value"));
    const move = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[event.key];
    if (move) {
      const n = buttons.length;
      pick(i < 0 ? (move > 0 ? 0 : n - 1) : (i + move + n) % n);
    } else if (event.key === " ") {
      pick(i);
    } else if (event.key === "Enter") {
      if (!model.get("value") && i >= 0) pick(i);
      send();
    } else return;
    event.preventDefault();
    event.stopPropagation();
  };
  const build = () => {
    body.replaceChildren();
    buttons = [];
    const choices = model.get("choices");
    if (choices.length) {
      const group = document.createElement("div");
      group.className = "bpw-card-choices";
      group.setAttribute("role", "radiogroup");
      group.setAttribute("aria-labelledby", prompt.id);
      group.addEventListener("keydown", keys);
      choices.forEach((c, i) => {
        const b = document.createElement("button");
        b.className = "bpw-choice";
        b.setAttribute("role", "radio");
        b.textContent = c;
        b.addEventListener("click", () => pick(i));
        buttons.push(b);
        group.append(b);
      });
      body.append(group);
    } else {
      const field = document.createElement("input");
      field.type = "text";
      field.className = "bpw-card-number";
      field.setAttribute("aria-labelledby", prompt.id);
      field.placeholder = model.get("placeholder");
      field.value = model.get("value");
      field.addEventListener("input", () => { model.set("value", field.value); model.save_changes(); });
      field.addEventListener("keydown", (event) => {
        if (event.key === "Enter") { event.preventDefault(); event.stopPropagation(); send(); }
      });
      body.append(field);
    }
  };
  const update = () => {
    const done = model.get("committed");
    prompt.textContent = model.get("prompt");
    const value = model.get("value");
    const i = model.get("choices").indexOf(value);
    buttons.forEach((b, k) => {
      b.setAttribute("aria-checked", String(k === i));
      b.tabIndex = k === (i < 0 ? 0 : i) ? 0 : -1;  // one tab stop: the group
      b.disabled = done;
    });
    const field = body.querySelector("input");
    if (field) { field.disabled = done; if (field.value !== value) field.value = value; }
    commit.disabled = done;
    commit.style.display = done ? "none" : "";
    verdict.innerHTML = model.get("verdict");
  };
  commit.addEventListener("click", send);
  build();
  update();
  model.on("change:choices", () => { build(); update(); });
  model.on("change:value change:committed change:verdict change:prompt", update);
}
export default { render };
"""

_CSS = """
.bpw-card { border-left: 4px solid #0072B2; padding: 4px 10px; margin: 6px 0; }
.bpw-card-prompt { margin: 4px 0 6px; font-weight: 600; }
.bpw-card-choices { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 6px; }
.bpw-choice { font: inherit; padding: 3px 10px; border: 1px solid #767676; border-radius: 4px;
  background: #fff; color: #111; cursor: pointer; min-width: 2.5em; }
.bpw-choice[aria-checked="true"] { background: #0072B2; color: #fff; border-color: #0072B2; }
.bpw-choice:focus-visible, .bpw-commit:focus-visible, .bpw-card-number:focus-visible {
  outline: 3px solid #E69F00; outline-offset: 2px; }
.bpw-card-number { font: inherit; width: 10em; margin-bottom: 6px; }
.bpw-commit { display: block; }
.bpw-card-verdict:not(:empty) { margin-top: 4px; }
"""


class PredictCard(anywidget.AnyWidget):
    """``prompt``; ``choices`` (empty for a number); ``value``, the student's answer so far;
    ``committed``; ``verdict`` (HTML, empty until committed). ``on_commit()`` is called when the
    student commits (Commit, or Enter)."""

    _esm = _ESM
    _css = _CSS
    prompt = Unicode("").tag(sync=True)
    choices = List(Unicode()).tag(sync=True)
    placeholder = Unicode("").tag(sync=True)
    value = Unicode("").tag(sync=True)
    committed = Bool(False).tag(sync=True)
    verdict = Unicode("").tag(sync=True)

    def __init__(self, on_commit: Callable[[], None], **kwargs):
        super().__init__(**kwargs)
        self.on_msg(lambda _, content, buffers: on_commit() if content.get("commit") else None)
