"""The "Dataset" tab: train the page's network on a dataset by mini-batch gradient descent.

The data and the runs are ``state.dataset`` (:mod:`..dataset_state`): the controls write the
dataset's settings and the training settings into it, and the tab draws from it. For a network
with two inputs the tab shows the decision boundary (the output over the input plane, with the
training points white-rimmed, the test points black-rimmed), updated in place during a run; always the
train and test loss per epoch and ‖∂L/∂W⁽ˡ⁾‖ of every layer at every step (log scale), where a
deep sigmoid net shows its lower layers' gradients vanish.
"""

from __future__ import annotations

import html
from functools import cached_property

import ipywidgets as W

from ...core import DATASETS, fmt
from ...core.datachoice import MAX_N, MAX_NOISE, MAX_TEST
from ...draw.boundary import BoundaryPicture
from ...draw.curves import LineChart, grad_chart, grad_series, loss_chart, loss_series
from ..dataset_state import MAX_EPOCHS
from ..markup import msg, picture_html
from ..run_pace import RUN_VIEW_S
from . import Tab, register

#: the dataset state's traits the tab draws from
FOLLOWED = ["choice", "data", "source", "message", "running", "frame"]


def _small(w: W.Widget, width: str, css: str, label_width: str = "60px") -> W.Widget:
    w.layout = W.Layout(width=width)
    w.style.description_width = label_width
    w.add_class(css)
    return w


@register
class DatasetTab(Tab, name="dataset", title="Dataset"):
    follows = ("example", "error")

    def build(self) -> None:
        d = self.state.dataset
        c = d.choice
        self.menu = _small(
            W.Dropdown(options=[(ds.label, n) for n, ds in DATASETS.items()], value=c.name, description="dataset"),
            "200px",
            "bpw-data-menu",
        )
        self.noise = _small(
            W.BoundedFloatText(value=c.noise, min=0, max=MAX_NOISE, step=0.05, description="noise"),
            "140px",
            "bpw-data-noise",
            "45px",
        )
        self.n = _small(W.BoundedIntText(value=c.n, min=10, max=MAX_N, description="n"), "120px", "bpw-data-n", "20px")
        self.split = _small(
            W.BoundedFloatText(value=c.test, min=0, max=MAX_TEST, step=0.05, description="test"),
            "130px",
            "bpw-data-split",
            "35px",
        )
        self.seed = _small(
            W.BoundedIntText(value=c.seed, min=0, max=2**31 - 1, description="seed"), "140px", "bpw-data-seed", "35px"
        )
        self.upload = W.FileUpload(accept=".csv,text/csv", multiple=False, description="Upload CSV")
        self.upload.add_class("bpw-data-upload")
        self.upload_msg = W.HTML()
        self.upload_msg.add_class("bpw-data-msg")
        self.epochs = _small(
            W.BoundedIntText(value=50, min=1, max=MAX_EPOCHS, description="epochs"), "150px", "bpw-data-epochs", "50px"
        )
        self.batch = _small(
            W.BoundedIntText(value=c.batch, min=1, max=MAX_N, description="batch"), "140px", "bpw-data-batch", "40px"
        )
        self.eta = _small(
            W.BoundedFloatText(value=0.5, min=1e-4, max=100.0, step=0.1, description="η"),
            "120px",
            "bpw-data-eta",
            "20px",
        )
        self.run_btn, self.step_btn, self.stop_btn, self.reset_btn = (
            _small(W.Button(description=text), "100px", f"bpw-data-{css}")
            for text, css in (("Run", "run"), ("Step (1 epoch)", "step"), ("Stop", "stop"), ("Reset", "reset"))
        )
        self.step_btn.layout.width = "120px"
        self.status = W.HTML()
        self.status.add_class("bpw-data-status")
        self.plane_note = W.HTML()
        self.plane_note.add_class("bpw-data-plane-note")
        self.boundary_image = W.Image(format="jpeg", layout=W.Layout(width="324px", height="324px"))
        self.boundary_image.add_class("bpw-boundary")
        self.loss_image = W.HTML()
        self.loss_image.add_class("bpw-data-loss")
        self.grad_image = W.HTML()
        self.grad_image.add_class("bpw-data-grads")
        # the controls write into the state; render() shows what it holds
        self.menu.observe(lambda ch: self._set(name=ch["new"]), names="value")
        self.noise.observe(lambda ch: self._set(noise=float(ch["new"])), names="value")
        self.n.observe(lambda ch: self._set(n=int(ch["new"])), names="value")
        self.split.observe(lambda ch: self._set(test=float(ch["new"])), names="value")
        self.seed.observe(lambda ch: self._set(seed=int(ch["new"])), names="value")
        self.batch.observe(lambda ch: self._set(batch=int(ch["new"])), names="value")
        self.upload.observe(self._on_upload, names="value")
        self.run_btn.on_click(lambda _: d.start(self.epochs.value, self.eta.value))
        self.step_btn.on_click(lambda _: d.train(1, self.eta.value))
        self.stop_btn.on_click(lambda _: d.stop())
        self.reset_btn.on_click(lambda _: d.reset())
        self.widget = W.VBox(
            [
                W.HTML(
                    "Train this network on a dataset: each step moves every weight by −η times the "
                    "<i>mean</i> gradient of a batch of samples; an epoch is one pass over the training "
                    "points. Dots with a white rim train, dots with a black rim test."
                ),
                W.HBox([self.menu, self.noise, self.n, self.split, self.seed]),
                W.HBox([self.upload, self.upload_msg]),
                W.HBox([self.epochs, self.batch, self.eta, self.run_btn, self.step_btn, self.stop_btn, self.reset_btn]),
                self.status,
                W.HBox([W.VBox([self.plane_note, self.boundary_image]), W.VBox([self.loss_image, self.grad_image])]),
            ]
        )
        self._drawn = None  # the data the boundary picture holds
        self._pictured: tuple = ()  # what its pictures last showed
        d.observe(lambda _: self._follow(), names=FOLLOWED)

    def _set(self, **changes) -> None:
        self.state.dataset.set(**changes)

    def _on_upload(self, change) -> None:
        files = change["new"]
        if files:
            self.upload.value = ()  # the same file can be uploaded again
            self.state.dataset.upload(str(files[0]["name"]), bytes(files[0]["content"]))

    def _follow(self) -> None:
        if self.state.tab == self.name:
            self.rendered = True
            self.render()

    @cached_property
    def boundary(self) -> BoundaryPicture:
        """The decision boundary's figure, made when first shown."""
        return BoundaryPicture()

    @cached_property
    def charts(self) -> tuple[LineChart, LineChart]:
        return loss_chart(), grad_chart()

    def render(self) -> None:
        d = self.state.dataset
        c = d.choice
        for w, v in (
            (self.menu, c.name),
            (self.noise, c.noise),
            (self.n, c.n),
            (self.split, c.test),
            (self.seed, c.seed),
            (self.batch, c.batch),
        ):
            w.value = v  # the same value notifies nothing
        for w in (self.noise, self.n, self.split, self.seed):
            w.disabled = bool(d.source)  # a file's points are the file's; the menu goes back to a dataset
        self.upload_msg.value = d.message or (
            f"points from <b>{html.escape(d.source)}</b> (choose a dataset in the menu to go back)" if d.source else ""
        )
        running = d.running
        locked = bool(self.state.lesson.lock)
        self.run_btn.description = "Running…" if running else "Run"
        self.run_btn.disabled = self.step_btn.disabled = running or locked
        self.stop_btn.disabled = not running
        self.reset_btn.disabled = running or locked or d.started_from is None
        why = d.fits()
        self.status.value = msg(f"This network cannot train on these data: {why}.") if why else self._status()
        # the pictures depend on these only: a label of Run or Stop, or the page following the
        # frame just drawn during a Run, is not a redrawing (a second drawing of the same boundary
        # was a third of a frame's time); the objects are held with their ids so no id is reused
        pictured = (id(d.network), id(d.data), why, d.epochs, len(d.grad_norms), len(d.loss_history))
        if self._pictured and pictured == self._pictured[0]:
            return
        self._pictured = (pictured, (d.network, d.data))
        self._draw_boundary(why)
        loss, grads = self.charts
        loss.update(loss_series(d.loss_history, d.test_loss_history), self._status_text())
        grads.update(grad_series(d.grad_norms, d.network.L), "gradient norm of each layer at each step")
        self.loss_image.value = picture_html(loss.render(), f"Loss per epoch: {self._status_text()}")
        self.grad_image.value = picture_html(grads.render(), grad_alt(d.grad_norms))

    def _status_text(self) -> str:
        d = self.state.dataset
        if not d.loss_history:
            return ""
        text = f"epoch {d.epochs}: train L = {fmt(d.loss_history[-1], unicode=True)}"
        if d.test_loss_history:
            text += f", test L = {fmt(d.test_loss_history[-1], unicode=True)}"
        return text

    def _status(self) -> str:
        d = self.state.dataset
        data = d.data
        sizes = "" if data is None else f" ({len(data.X_train)} training points, {len(data.X_test)} test points)"
        text = html.escape(self._status_text() + sizes)
        if d.running:  # what does not follow every frame (run_pace) says so while it lags
            text += f"<br><small>While it runs, the steps and the value sliders follow every {RUN_VIEW_S:g} s.</small>"
        return text

    def _draw_boundary(self, why: str) -> None:
        d, data = self.state.dataset, self.state.dataset.data
        n0 = self.state.network.sizes[0]
        if data is None or why or n0 != 2:
            self.plane_note.value = (
                f"<i>The decision boundary is drawn for networks with 2 inputs (the plane x₁, x₂); "
                f"this one has {n0}.</i>"
                if n0 != 2
                else ""
            )
            self.boundary_image.layout.display = "none"
            return
        self.plane_note.value = ""
        self.boundary_image.layout.display = ""
        b = self.boundary
        if self._drawn is not data:  # a new dataset: new points and plane; else only the image changes
            b.set_points(data.X_train, data.Y_train, data.X_test, data.Y_test)
            self._drawn = data
        b.update(d.network)
        self.boundary_image.value = b.render()


def grad_alt(norms: list[list[float]]) -> str:
    """The gradient chart's text alternative, with the last step's norm of every layer (what
    a screen reader, and a test, can read off the chart)."""
    alt = "‖∂L/∂W‖ of each layer at each step, log scale"
    if not norms:
        return alt
    last = ", ".join(f"layer {l} {fmt(v, unicode=True)}" for l, v in enumerate(norms[-1], start=1))
    return f"{alt}; at step {len(norms)}: {last}"
