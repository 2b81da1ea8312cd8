"""The dashboard: every value editable, the diagram beside the step-through panel, one screen.

Data flows one way: widgets → :class:`~backprop_widgets.app.state.State` → one trace and one
worked example → the views (header, parameters, diagram, step panel, tabs), each of which
observes the state and draws what it holds. The Dashboard is a plain class that owns the views
and lays them out (``.widget``); it computes no maths and holds no state of its own.
"""

from __future__ import annotations

import ipywidgets as W

from ..core import Lesson, Network, Snapshot
from .controls import ParameterPanel, css_name
from .diagram_view import DiagramView
from .header import ARCH_HELP, Header
from .markup import download_link, picture_html
from .sharing import Sharing, lesson_of, show
from .state import State
from .step_panel import StepPanel
from .style import STYLE
from .tabs import TabBar
from .tabs.check import gradient_check_html
from .tabs.export import handout

__all__ = ["Dashboard", "dashboard", "ARCH_HELP", "download_link", "picture_html", "gradient_check_html"]


#: the views' widgets that scripts and tests reach for as ``app.<name>``: view → names
WIDGETS = {
    "header": (
        "arch",
        "arch_error",
        "hidden",
        "output",
        "loss",
        "seed",
        "random_btn",
        "reset_btn",
        "practice",
        "traced",
        "loss_value",
        "check_value",
        "network_row",
        "share_msg",
    ),
    "diagram_view": ("picture", "edge_mode", "node_info", "diagram_text", "diagram_table"),
    "step_panel": ("prev", "next", "steps", "step_title", "panel", "practice_view", "keys"),
}
#: the same for the tabs' widgets: tab name → names
TAB_WIDGETS = {
    "quantities": ("quantities",),
    "check": ("gradcheck",),
    "notation": ("notation",),
    "train": (
        "eta",
        "n_steps",
        "step_btn",
        "run_btn",
        "train_reset_btn",
        "stop_btn",
        "train_progress",
        "train_msg",
        "curve_image",
        "train_lock_note",
    ),
    "export": ("download",),
}


class Dashboard(Sharing):
    """The backprop dashboard; opens on the seed worked example.

    Parameters
    ----------
    network, x, y : what to show first (default: the seed page's [3,2,2,1] network)
    traced : the weight or bias whose gradient the walkthrough traces (``target``, its old
        name, is still accepted)
    palette : colour code for the equations (``"okabe-ito"`` or ``"page"``)
    step : the step to open on, by id (``"bp1"``, ``"bp2-1"``, ``"check"``…)
    edge_mode : ``"gradient"`` (edges coloured by ∂L/∂w) or ``"weight"``
    practice : open in Practice mode
    hide, lock, projector : a lesson's settings (see ``app.tabs.hideable()``; ``lock=["all"]`` or
        value names such as ``"w1,1,1"``, ``"x1"``; larger type and diagram)
    """

    def __init__(
        self,
        network: Network | None = None,
        x=None,
        y=None,
        traced: str = "w1,1,1",
        palette: str = "okabe-ito",
        *,
        step: str = "",
        edge_mode: str = "gradient",
        practice: bool = False,
        hide=(),
        lock=(),
        projector: bool = False,
        target: str | None = None,
    ):
        if target is not None:  # the old name of traced
            traced = target
        self.state = s = State(network, x, y, traced, palette=palette)
        lesson = lesson_of(s.network, hide, lock, projector)  # ValueError: what is wrong
        self.palette = palette
        self.params = ParameterPanel(s)
        self.header = Header(s, on_traced=self.params.select)
        self.diagram_view = DiagramView(s, on_edge=self._on_edge)
        self.step_panel = StepPanel(s)
        self.tab_bar = TabBar(s)
        params_col = W.VBox([W.HTML("<b>Parameters</b>"), self.params.widget])
        params_col.add_class("bpw-col-params")
        main = W.Box([params_col, self.diagram_view.widget, self.step_panel.widget])
        main.add_class("bpw-main")
        self.widget = W.VBox([W.HTML(STYLE), self.header.widget, main, self.tab_bar.widget])
        self.widget.add_class("bpw-dashboard")
        s.observe(lambda _: self._follow_lesson(), names="lesson")
        if step or edge_mode != "gradient" or practice or lesson != Lesson():
            problems = show(s, Snapshot(s.network, s.x, s.y, s.traced, step, edge_mode, practice, lesson))
            if problems:
                raise ValueError("; ".join(problems))

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _follow_lesson(self) -> None:
        if self.state.lesson.projector:
            self.widget.add_class("bpw-projector")
        else:
            self.widget.remove_class("bpw-projector")

    # -- what the student does, for scripts -------------------------------------------------

    def go(self, index: int) -> None:
        """Show step ``index`` (clamped to the first/last step)."""
        self.step_panel.go(index)

    def randomize(self, seed: int = 0) -> None:
        """Random weights for the current architecture (reproducible from ``seed``)."""
        self.state.randomize(seed)

    def reset(self) -> None:
        """Back to the seed page: [3,2,2,1], sigmoid, MSE, x = (1, 0.5, −1), y = 1, w₁,₁⁽¹⁾."""
        self.state.reset()

    def set_architecture(self, text: str) -> None:
        """Parse and apply an architecture like ``3,2,2,1`` (``ValueError`` if refused)."""
        self.state.set_architecture(text, self.header.seed.value)

    def train(self, n: int) -> None:
        """``n`` gradient-descent steps on (x, y) with the current η (see ``State.train``)."""
        self.tab_bar.views["train"].train(n)

    def reset_training(self) -> None:
        """Back to the parameters from before the first training step."""
        self.tab_bar.views["train"].reset_training()

    def handout(self) -> tuple[str, str]:
        """The current worked example as a standalone HTML page: ``(file name, content)``."""
        return handout(self.state)

    def _on_edge(self, p: str) -> None:
        """A clicked edge: its weight becomes the traced parameter, the panel shows its gradient (BP3)
        and its row comes into view."""
        self.state.set_traced(p, step="bp3")
        self.params.select(p)
        self.step_panel.keys.reveal(f".bpw-param-{css_name(p)}")

    def _on_diagram_click(self, event: dict) -> None:
        self.diagram_view.on_click(event)

    def _replace_network(self, net: Network, x=None, y=None, traced=None) -> None:
        self.state.replace_network(net, x, y, traced)

    # -- what the page shows -----------------------------------------------------------------

    @property
    def example(self):
        """The worked example on the page (``None`` if it could not be written)."""
        return self.state.worked

    @property
    def step_index(self) -> int:
        return self.state.step

    @property
    def loss_history(self) -> list[float]:
        return self.state.loss_history

    @property
    def diagram(self):
        return self.diagram_view.diagram

    @property
    def tabs(self) -> W.Tab:
        return self.tab_bar.widget

    @property
    def share(self):
        """The Share tab (its link, file and lesson fields)."""
        return self.tab_bar.views["share"]


for _view, _names in WIDGETS.items():
    for _name in _names:
        setattr(
            Dashboard,
            _name,
            property(lambda self, v=_view, n=_name: getattr(getattr(self, v), n), doc=f"``{_view}.{_name}``"),
        )
for _tab, _names in TAB_WIDGETS.items():
    for _name in _names:
        setattr(
            Dashboard,
            _name,
            property(
                lambda self, t=_tab, n=_name: getattr(self.tab_bar.views[t], n),
                doc=f"``tab_bar.views[{_tab!r}].{_name}``",
            ),
        )


def dashboard(**kwargs) -> None:
    """Build a :class:`Dashboard` and display it (for notebooks and the Voila app).

    Returns nothing, so that ``dashboard()`` as a cell's last line shows the app once; keep a
    handle with ``app = Dashboard(); app`` instead when you want to script it.
    """
    from IPython.display import display

    display(Dashboard(**kwargs).widget)
