"""The teacher's page of the live class (``?teacher=1#secret=…``): the class's current round
live, and the buttons that move the class on.

The class is the served notebook's kernel environment's: ``BACKPROP_WIDGETS_STORE`` (the store's
URL, :func:`~backprop_widgets.live.open_store`) and ``BACKPROP_WIDGETS_CLASS`` (its id). The
secret never is: the teacher link carries it in the URL fragment, which no server sees, and
:class:`FragmentSecret` hands it to the kernel once (a "Teacher's secret" field is the
fallback). Without the right secret the page shows one sentence and nothing of the class.

What it shows comes from ``store.teacher_view``, read again every :data:`POLL_S` seconds: a
task in the kernel's event loop reads the store in a worker thread (a slow database holds no
message of the page back) and updates the widgets back in the loop, where the page's own
messages are handled (the kernel's one thread for widgets; ``tests/kernel_loop.py``). Each
button acts through the store only (``move``, ``reveal``, ``freeze``, ``clear``,
``results_csv``); the student pages follow from the store.
"""

from __future__ import annotations

import asyncio
import html
import os
from urllib.parse import parse_qsl

import anywidget
import ipywidgets as W
from traitlets import Unicode

from ..draw.class_charts import chosen_svg
from ..draw.layout import DiagramTooLarge
from ..live import Forbidden, Refused, SchemaError, StoreUnavailable, TeacherView, open_store
from .markup import download_link, msg, note
from .teacher_view import CSS, shown_questions, stage_choices, status_html, summary_html

CLASS_ENV = "BACKPROP_WIDGETS_CLASS"  #: the class's id in the kernel's environment (serve --live)
POLL_S = 1.0  #: seconds between two reads of the class (the page follows within 2 s)
LOCKED = "This is the teacher's page: open the teacher link that `serve --live` printed."
CHOSEN_KINDS = ("largest_edge", "largest_delta")  #: predictions whose choices are drawn on the net

_ESM = """
function render({ model, el }) {
  // the teacher link's fragment: #secret=…; sent to the kernel once, never to a server
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  const secret = params.get("secret") || "";
  if (secret && !model.get("secret")) {
    model.set("secret", secret);
    model.save_changes();
  }
  el.style.display = "none";
}
export default { render };
"""


class FragmentSecret(anywidget.AnyWidget):
    """Reads ``secret=`` from the page's URL fragment in the browser and sends it to the kernel."""

    _esm = _ESM
    secret = Unicode("").tag(sync=True)


def is_teacher(query: str) -> bool:
    """Whether a page's query asks for the teacher's page (``teacher=1``)."""
    return ("teacher", "1") in parse_qsl(query.lstrip("?"))


def without_teacher(query: str) -> str:
    """The query without its ``teacher`` field: the lesson's link (its network, its mode), each
    other field as the link wrote it.

    >>> without_teacher("net=2,2,1&teacher=1&h=tanh")
    'net=2,2,1&h=tanh'
    """
    return "&".join(part for part in query.lstrip("?").split("&") if part.split("=", 1)[0] != "teacher")


def page(app, query: str):
    """What the served notebook shows for ``query``: the dashboard ``app`` (built before the query
    arrived, in a preheated kernel) showing the query's link, or, for ``teacher=1``, the
    teacher's page of the class on the lesson's network."""
    if not is_teacher(query):
        app.load_query(query)
        return app
    app.load_query(without_teacher(query))
    teacher = TeacherPage(app.state)
    teacher.start()
    return teacher


class TeacherPage:
    """The teacher's page for the class ``class_id`` (default ``$BACKPROP_WIDGETS_CLASS``) in
    ``store`` (default: :func:`open_store` of ``$BACKPROP_WIDGETS_STORE``), on the lesson of
    ``state`` (a dashboard's :class:`~backprop_widgets.app.state.State`: the prompts of its
    predictions, its steps and its diagram). ``secret``: for scripts and tests; a page gets it
    from the link (:class:`FragmentSecret`) or the field."""

    def __init__(self, state, store=None, class_id: str | None = None, secret: str = ""):
        self.state = state
        self.class_id = class_id if class_id is not None else os.environ.get(CLASS_ENV, "")
        self._store = store
        self.authorised = False
        self.view: TeacherView | None = None
        self._task: asyncio.Task | None = None
        self._disconnected = False
        self.fragment = FragmentSecret()
        self.password = W.Password(description="Teacher's secret", layout=W.Layout(width="420px"))
        self.password.style.description_width = "120px"
        self.password.add_class("bpw-teacher-secret")
        self.gate = W.HTML()
        self.gate.add_class("bpw-teacher-gate")
        self.status = W.HTML()
        self.status.add_class("bpw-teacher-status")
        self.summary = W.HTML()
        self.summary.add_class("bpw-teacher-summary")
        self.picture = W.HTML()
        self.picture.add_class("bpw-teacher-picture")
        self.message = W.HTML()
        self.message.add_class("bpw-teacher-message")
        self.results = W.HTML()
        self.results.add_class("bpw-teacher-results")
        self._build_buttons()
        self.body = W.VBox()  # empty until the secret is right: nothing of the class before
        head = W.HTML(f"<style>{CSS}</style><h3>The class, live</h3>")
        self.widget = W.VBox([head, self.fragment, self.gate, self.password, self.body])
        self.widget.add_class("bpw-teacher")
        self.fragment.observe(lambda c: self.set_secret(c["new"]), names="secret")
        self.password.observe(lambda c: self.set_secret(c["new"]), names="value")
        self.secret = ""
        self.set_secret(secret)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _build_buttons(self) -> None:
        worked = self.state.worked
        steps = [(f"{i + 1}. {s.title}", i) for i, s in enumerate(worked.steps)] if worked is not None else []
        self.steps = {i: s.id for i, s in enumerate(worked.steps)} if worked is not None else {}
        preds = worked.predictions() if worked is not None else []
        self.predictions = {p.id: p for p in preds}
        self.prompts = {p.id: p.prompt for p in preds}
        self.kinds = {p.id: p.kind for p in preds}
        self.step = W.Dropdown(options=[("(keep)", None), *steps], description="step")
        self.stage = W.Dropdown(
            options=[("(keep)", None), *stage_choices(self.state.stages())],
            description="mode",
        )
        self.prediction = W.Dropdown(
            options=[("(keep)", None), ("own pace", ""), *[(f"{p.id}: {p.prompt}", p.id) for p in preds]],
            description="question",
            layout=W.Layout(width="520px"),
        )
        self.move_button = W.Button(description="Move the class", button_style="primary")
        self.reveal_button = W.Button(description="Reveal")
        self.freeze_button = W.Button(description="Freeze answers")
        self.clear_button = W.Button(description="Clear the round")
        self.download_button = W.Button(description="Download the class results", layout=W.Layout(width="auto"))
        for b, name in (
            (self.move_button, "move"),
            (self.reveal_button, "reveal"),
            (self.freeze_button, "freeze"),
            (self.clear_button, "clear"),
            (self.download_button, "download"),
            (self.step, "step"),
            (self.stage, "mode"),
            (self.prediction, "question"),
        ):
            b.add_class(f"bpw-teacher-{name}")
        self.move_button.on_click(lambda _: self.act(self.move_class))
        self.reveal_button.on_click(lambda _: self.act(lambda s, c, k: s.reveal(c, k)))
        self.freeze_button.on_click(lambda _: self.act(self.toggle_freeze))
        self.clear_button.on_click(lambda _: self.act(lambda s, c, k: s.clear(c, k)))
        self.download_button.on_click(lambda _: self.act(self.make_download))
        self.controls = W.VBox(
            [
                W.HBox([self.reveal_button, self.freeze_button, self.clear_button]),
                W.HBox([self.step, self.stage]),
                W.HBox([self.prediction, self.move_button]),
                W.HBox([self.download_button, self.results]),
            ]
        )

    # --- the class -------------------------------------------------------------------------

    @property
    def store(self):
        """The class's store, opened on first use (``StoreUnavailable`` when it cannot be)."""
        if self._store is None:
            self._store = open_store()
        return self._store

    def set_secret(self, secret: str) -> None:
        """Try ``secret`` (from the link or the field): the class shows only when it is right."""
        self.secret = secret or ""
        self.refresh()

    def read(self) -> "TeacherView | Exception":
        """The class as the store has it now, or why not (``Forbidden``, ``StoreUnavailable``)."""
        if not self.secret or not self.class_id:
            return Forbidden("no secret")
        try:
            return self.store.teacher_view(self.class_id, self.secret)
        except (Forbidden, StoreUnavailable, Refused) as e:
            return e
        except (SchemaError, OSError, ValueError) as e:  # the store cannot be opened at all
            return StoreUnavailable(str(e))

    def refresh(self) -> None:
        """Read the class and show it (in the caller's thread: a button, a test)."""
        self.show(self.read())

    def show(self, got: "TeacherView | Exception") -> None:
        """Show what :meth:`read` returned: the round, or the locked page, or "not connected"."""
        if isinstance(got, Forbidden):
            self.lock()
            return
        if isinstance(got, Exception):  # the store is unreachable: keep what was shown, say so
            self.message.value = msg(f"Not connected to the class: {got}. Trying again.")
            self._disconnected = True
            if not self.authorised:
                self.gate.value = self.message.value
            return
        self.view, self.authorised = got, True
        self.gate.value = ""
        self.password.layout.display = "none"
        if self._disconnected:
            self.message.value, self._disconnected = "", False
        with self.widget.hold_sync():
            self.status.value = status_html(got, self.steps)
            self.summary.value = summary_html(got, self.prompts, self.choice_label)
            self.picture.value = self.chosen_picture(got)
            self.freeze_button.description = "Unfreeze answers" if got.state == "frozen" else "Freeze answers"
            if not self.body.children:
                self.body.children = (self.status, self.summary, self.picture, self.controls, self.message)

    def lock(self) -> None:
        """Nothing of the class on the page: one sentence, and the field for the secret."""
        self.view, self.authorised = None, False
        self.body.children = ()
        for w in (self.status, self.summary, self.picture, self.results, self.message):
            w.value = ""
        wrong = " That secret is not this class's." if self.secret else ""
        sentence = html.escape(LOCKED).replace("`serve --live`", "<code>serve --live</code>")
        self.gate.value = f"<p class='bpw-teacher-locked'>{sentence}{html.escape(wrong)}</p>"
        self.password.layout.display = None

    def chosen_picture(self, view: TeacherView) -> str:
        """The chosen edges or neurons on the net, for a "which edge / neuron?" question shown."""
        parts = []
        sizes = self.state.network.sizes
        for q in shown_questions(view):
            kind = self.kinds.get(q.question_id, q.kind)
            if kind not in CHOSEN_KINDS:
                continue
            edges: dict = {}
            neurons: dict = {}
            for text, n in q.choices:  # two spellings of one choice add up
                where = self.choice_place(q.question_id, text)
                if where is not None:
                    chosen = edges if len(where) == 3 else neurons
                    chosen[where] = chosen.get(where, 0) + n
            try:
                parts.append(chosen_svg(sizes, edges, neurons, f"What the class chose for {q.question_id}"))
            except DiagramTooLarge:
                continue
        return "".join(f"<div class='bpw-class-picture'>{p}</div>" for p in parts)

    def choice_label(self, question_id: str, text: str) -> str:
        """An answer as the page writes the choice it names (``w2,1,2`` → ``w₁,₂⁽²⁾``); other
        text as it was sent."""
        p = self.predictions.get(question_id)
        if p is None or not p.choices or text in p.choices:
            return text
        return p.aliases.get(text, {"-": "−"}.get(text, text))

    def choice_place(self, question_id: str, text: str) -> tuple | None:
        """The edge ``(l, j, k)`` or the neuron ``(l, j)`` an answer to a prediction names."""
        p = self.predictions.get(question_id)
        choice = self.choice_label(question_id, text)
        if p is None or not p.choices or choice not in p.choices:
            return None
        i = p.choices.index(choice)
        l = int(question_id.rsplit("-", 1)[1])
        if p.kind == "largest_edge":  # choices in grad_W[l].ravel() order: row j, column k
            cols = self.state.network.sizes[l - 1]
            return (l, i // cols + 1, i % cols + 1)
        return (l, i + 1)

    # --- the buttons -------------------------------------------------------------------------

    def act(self, action) -> None:
        """Run ``action(store, class_id, secret)`` and show the class as it then is."""
        if not self.authorised:
            return
        try:
            said = action(self.store, self.class_id, self.secret)
        except Forbidden:
            self.lock()
            return
        except (StoreUnavailable, Refused, ValueError) as e:
            self.message.value = msg(f"Not done: {e}")
            return
        self.message.value = note(said) if isinstance(said, str) else ""
        self.refresh()

    def move_class(self, store, class_id: str, secret: str) -> str:
        store.move(class_id, secret, step=self.step.value, stage=self.stage.value, prediction=self.prediction.value)
        return "The class was moved."

    def toggle_freeze(self, store, class_id: str, secret: str) -> str:
        frozen = self.view is None or self.view.state != "frozen"
        store.freeze(class_id, secret, frozen)
        return "Answers are frozen." if frozen else "Answers are open again."

    def make_download(self, store, class_id: str, secret: str) -> str:
        """The CSV of every round as a data: link made here (nothing saved on the server)."""
        csv = store.results_csv(class_id, secret)
        answers = csv.count("\n") - 1
        self.results.value = download_link(
            "class-results.csv", csv, f"class results, {answers} answers", kind="CSV", media_type="text/csv"
        )
        return ""

    # --- the poll ----------------------------------------------------------------------------

    def start(self) -> None:
        """Follow the class every :data:`POLL_S` seconds, in the running event loop (a kernel's);
        without one (a script), show it once."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.refresh()
            return
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._poll())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _poll(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if self.secret:
                got = await loop.run_in_executor(None, self.read)  # the database, off the loop
                self.show(got)
            await asyncio.sleep(POLL_S)
