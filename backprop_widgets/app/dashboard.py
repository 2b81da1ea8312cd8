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
from .live_client import LiveClient, join_class
from .markup import download_link, picture_html
from .sharing import lesson_of, load_json, load_query, show, to_json, to_query
from .state import State
from .step_panel import StepPanel
from .style import STYLE
from .tabs import TabBar
from .tabs.check import gradient_check_html
from .tabs.export import handout

__all__ = ["Dashboard", "dashboard", "ARCH_HELP", "download_link", "picture_html", "gradient_check_html"]


class Dashboard:
    """The backprop dashboard; opens on the seed worked example.

    Parameters
    ----------
    network, x, y : what to show first (default: the seed page's [3,2,2,1] network)
    traced : the weight or bias whose gradient the walkthrough traces (``target``, its old
        name, is still accepted)
    palette : colour code for the equations (``"okabe-ito"`` or ``"page"``)
    step : the step to open on, by id (``"bp1"``, ``"bp2-1"``, ``"check"``…)
    edge_mode : ``"gradient"`` (edges coloured by ∂L/∂w) or ``"weight"``
    mode : the mode to open in: ``"explore"``, ``"predict"``, ``"fade"`` or ``"practice"``
        (``core.MODES``); ``stage`` is Fade's stage; ``practice=True`` is ``mode="practice"``
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
        mode: str = "explore",
        stage: int = 0,
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
        self.diagram_view = DiagramView(s, on_edge=self._on_edge, on_node=self._on_node)
        self.step_panel = StepPanel(s)
        self.tab_bar = TabBar(s)
        self.diagram_view.toolbar.children = (self.header.mode, *self.diagram_view.toolbar.children)
        params_col = W.VBox([W.HTML("<b>Parameters</b>"), self.params.widget])
        params_col.add_class("bpw-col-params")
        main = W.Box([params_col, self.diagram_view.widget, self.step_panel.widget])
        main.add_class("bpw-main")
        self.widget = W.VBox([W.HTML(STYLE), self.header.widget, main, self.tab_bar.widget])
        self.widget.add_class("bpw-dashboard")
        self.live: LiveClient | None = None  # the live class the page joined (lesson field live=1)
        s.observe(lambda _: self._follow_lesson(), names="lesson")
        mode = "practice" if practice else mode
        if step or edge_mode != "gradient" or mode != "explore" or lesson != Lesson():
            problems = show(s, Snapshot(s.network, s.x, s.y, s.traced, step, edge_mode, mode, stage, lesson))
            if problems:
                raise ValueError("; ".join(problems))

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _follow_lesson(self) -> None:
        if self.state.lesson.projector:
            self.widget.add_class("bpw-projector")
        else:
            self.widget.remove_class("bpw-projector")
        if self.state.lesson.live and self.live is None:  # once per page: it keeps its random id
            self.live = join_class(self.state, self.step_panel, nick=self.state.lesson.nick)
            self.widget.children = (*self.widget.children[:2], self.live.widget, *self.widget.children[2:])

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
        """``n`` gradient-descent steps on (x, y) with the current η (see ``Training.train``)."""
        self.tab_bar.views["train"].train(n)

    def reset_training(self) -> None:
        """Back to the parameters from before the first training step."""
        self.tab_bar.views["train"].reset_training()

    def handout(self) -> tuple[str, str]:
        """The current worked example as a standalone HTML page: ``(file name, content)``."""
        return handout(self.state)

    def _on_node(self, l: int, j: int) -> bool:
        """A clicked neuron: in Predict, the answer to a waiting "which neuron?" (whether taken)."""
        return self.state.mode == "predict" and self.step_panel.predict_view.pick((l, j))

    def _on_edge(self, p: str) -> None:
        """A clicked edge: in Predict, the answer to a waiting "which edge?"; else its weight
        becomes the traced parameter, the panel shows its gradient (BP3) and its row comes into view."""
        if self.state.mode == "predict" and self.step_panel.predict_view.pick(p):
            return
        self.state.set_traced(p, step="bp3")
        self.params.select(p)
        self.step_panel.keys.reveal(f".bpw-param-{css_name(p)}")

    # -- links and files (see :mod:`.sharing`) ---------------------------------------------

    def to_query(self) -> str:
        """A URL query (no leading ``?``) that opens exactly this page (``from_query``)."""
        return to_query(self.state)

    def to_json(self) -> str:
        """The same as JSON; ``backprop-widgets export --weights`` reads it too."""
        return to_json(self.state)

    def load_query(self, text: str) -> list[str]:
        """Show the state of a query (what :meth:`to_query` wrote); returns what was ignored,
        which the page lists too."""
        return load_query(self.state, text)

    @classmethod
    def from_query(cls, text: str, **kwargs) -> "Dashboard":
        """A dashboard showing the state of a query; bad fields are ignored and listed on the page."""
        app = cls(**kwargs)
        load_query(app.state, text)
        return app

    @classmethod
    def from_json(cls, text: "str | bytes", **kwargs) -> "Dashboard":
        """A dashboard showing the state of a JSON file (what :meth:`to_json` wrote)."""
        app = cls(**kwargs)
        load_json(app.state, text)
        return app


def dashboard(**kwargs) -> None:
    """Build a :class:`Dashboard` and display it (for notebooks and the Voila app).

    Returns nothing, so that ``dashboard()`` as a cell's last line shows the app once; keep a
    handle with ``app = Dashboard(); app`` instead when you want to script it.
    """
    from IPython.display import display

    display(Dashboard(**kwargs).widget)
