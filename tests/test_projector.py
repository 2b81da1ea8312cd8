"""The projector view's diagram (issue 21, A4): a landscape figure, drawn again at the normal
size when a loaded lesson turns the projector off. What the page shows at each screen size is
in test_browser_projector.py."""

from __future__ import annotations

from backprop_widgets import Dashboard, Network
from backprop_widgets.app.projector import FIGURE
from backprop_widgets.core import Lesson
from backprop_widgets.draw.layout import HEIGHT, WIDTH


def test_the_projector_view_draws_a_landscape_figure_with_the_seed_numbers():
    app = Dashboard(projector=True)
    d = app.diagram_view.diagram
    assert (d.width, d.height) == FIGURE == (560, 360)
    assert d.width / d.height > 16 / 11  # wider than tall, as the screen beside the step panel
    # the seed's numbers still fit in the nodes: a⁽¹⁾ = (0.5, 0.5622), as the worked example prints it
    assert {"a", "b"} <= set(d.layout.kinds)
    assert d.drawing.value_texts[(1, 2)].get_text() == "0.5622"
    assert d.drawing.bias_texts[(1, 1)].get_text() == "b = 0.1"
    app.state.lesson = Lesson()  # a link or file without the projector
    assert (app.diagram_view.diagram.width, app.diagram_view.diagram.height) == (WIDTH, HEIGHT) == (560, 500)
    assert "bpw-projector" not in app.widget._dom_classes


def test_a_new_network_in_the_projector_view_keeps_the_landscape_figure():
    app = Dashboard(projector=True)
    app.state.replace_network(Network.random([4, 3, 2], seed=1))
    assert (
        app.diagram_view.diagram.sizes == (4, 3, 2)
        and (app.diagram_view.diagram.width, app.diagram_view.diagram.height) == FIGURE
    )
