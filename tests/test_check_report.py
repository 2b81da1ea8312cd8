"""check_backprop's report as a notebook widget (issue 25): the verdict, the first wrong number
with expected and got, the diagram of its network with that quantity marked in the error colour
and the rest faded (read from the draw layer's artists, not pixels), and "Show this step", which
opens the worked example's step in a Dashboard below. The values are checked against the seed
page, central differences and the student's own function called here."""

import nbformat
import numpy as np
from matplotlib.colors import same_color, to_rgba
from nbconvert import HTMLExporter
from test_check_backprop import make_backward

from backprop_widgets import Network, Param, check_backprop
from backprop_widgets.explain.checker import Report

ERROR_RED = "#B2182B"  # the colour code's errors and gradients (palette.py's "err" fill)
FADE = 0.15  # what a highlight does not touch: edges at this alpha, neurons at FADE + 0.1


def central_difference(net: Network, x, y, param: Param, eps: float = 1e-6) -> float:
    """∂L/∂param by (L(p + ε) − L(p − ε)) / 2ε, on copies of the network's arrays."""
    losses = []
    for sign in (1, -1):
        W = [w.copy() for w in net.weights]
        b = [v.copy() for v in net.biases]
        target = W[param.l - 1] if param.is_weight else b[param.l - 1]
        target[param.index] += sign * eps
        losses.append(Network(W, b, net.activation, net.output_activation, net.loss_name).trace(x, y).loss)
    return (losses[0] - losses[1]) / (2 * eps)


def student(mistake, net: Network, x, y):
    """The buggy backward's (grad_W, grad_b) on ``net``, called here directly."""
    return make_backward(mistake)([w.copy() for w in net.weights], [b.copy() for b in net.biases], x, y)


def test_a_correct_backward_shows_the_verdict_and_the_count_and_no_diagram():
    report = check_backprop(make_backward())
    assert isinstance(report, Report) and report.passed and report.networks == 21
    [summary] = report.outputs()  # no widget: nothing to draw
    assert "✓ Your backprop is right" in summary["text/html"] and "all 21 networks" in summary["text/html"]
    assert "color:#277D5E" in summary["text/html"]  # the colour code's text shade of green
    assert report.view.widget is None and report.view.diagram is None
    assert report.wrong is None and report.failing is None


def test_missing_sigma_prime_marks_the_output_neuron_and_opens_bp1():
    report = check_backprop(make_backward("missing_sigma_prime"))
    summary, widget = report.outputs()
    view = report.view
    assert widget is view.widget and {view.picture, view.show_step, view.step_box} <= set(widget.children)
    page = summary["text/html"]
    assert "✗ Not yet" in page and "color:#871F26" in page  # the colour code's text shade of red
    # the seed page: δ⁽³⁾ = −0.0794357; without σ′ the student gets a⁽³⁾ − y = 0.650569 − 1
    assert "∂L/∂b⁽³⁾[0]: expected -0.0794357, got -0.349431 on the seed network" in page
    assert "missing_sigma_prime" in page
    assert view.caption.value == "∂L/∂b⁽³⁾[0] is marked in red on the seed network (the rest is faded)."
    d = view.diagram
    assert d.sizes == (3, 2, 2, 1) and d.highlight.neurons == {(3, 1)} and not d.highlight.edges
    fig = d.drawing
    out = d.nodelist.index((3, 1))
    assert same_color(fig.node_collection.get_edgecolor()[out][:3], to_rgba(ERROR_RED)[:3])
    alpha = np.asarray(fig.node_collection.get_alpha())
    assert alpha[out] == 1.0 and np.allclose(np.delete(alpha, out), FADE + 0.1)
    assert np.allclose(fig.edge_collection.get_colors()[:, 3], FADE)  # no edge is the wrong one
    assert len(fig.halo_collection.get_segments()) == 0
    assert ERROR_RED.lower() in view.picture.value.lower()  # the SVG the page gets has the red rim
    view.show_step.click()
    app = view.dashboard
    assert view.step_box.children == (app.widget,) and app.state.traced == "b3,1"
    assert app.step_panel.step_title.value.endswith("BP1 · output error δ⁽³⁾")


def test_w_for_w_transposed_crashes_on_the_seed_and_shows_its_first_wrong_number():
    report = check_backprop(make_backward("no_transpose"))
    assert report.first_wrong.startswith("your function raised ValueError")
    assert report.failing.name == "the seed network"
    wrong, view = report.wrong, report.view
    # its first wrong number is on the first network where W⁽ˡ⁺¹⁾ δ⁽ˡ⁺¹⁾ can be computed and differs
    assert wrong.name == "random network 2 [2, 2, 2]" and list(wrong.net.sizes) == [2, 2, 2]
    b11 = Param("b", 1, 1)
    expected = central_difference(wrong.net, wrong.x, wrong.y, b11)
    got = student("no_transpose", wrong.net, wrong.x, wrong.y)[1][0][0]
    assert abs(wrong.expected - expected) < 1e-8 and wrong.got == got and abs(got - expected) > 1e-3
    assert f"expected {expected:.6g}, got {got:.6g}" in view.caption.value
    assert "on random network 2 [2, 2, 2]" in view.caption.value
    assert view.diagram.sizes == (2, 2, 2) and view.diagram.highlight.neurons == {(1, 1)}
    view.show_step.click()
    assert view.dashboard.state.traced == "b1,1" and view.show_step.disabled
    assert view.dashboard.step_panel.step_title.value.endswith("BP2 · error in layer 1")


def test_a_wrong_weight_gradient_marks_its_edge():
    report = check_backprop(make_backward("wrong_activation"))  # BP3 with a⁽ˡ⁾ for a⁽ˡ⁻¹⁾
    wrong, view = report.wrong, report.view
    assert wrong.name == "random network 1 [2, 2]"
    w112 = Param("w", 1, 1, 2)
    assert abs(wrong.expected - central_difference(wrong.net, wrong.x, wrong.y, w112)) < 1e-8
    assert wrong.got == student("wrong_activation", wrong.net, wrong.x, wrong.y)[0][0][0, 1]
    d = view.diagram
    assert d.highlight.edges == {(1, 1, 2)}
    edge = d.params.index(w112)
    fig = d.drawing
    halo = fig.halo_collection
    # the halo: the edge's outline in red, then its white inside, along the edge's own segment
    assert len(halo.get_segments()) == 2 and np.allclose(halo.get_segments()[0], fig.segments[edge])
    assert same_color(halo.get_colors()[0], ERROR_RED) and same_color(halo.get_colors()[1], "white")
    alpha = fig.edge_collection.get_colors()[:, 3]
    assert alpha[edge] == 1.0 and np.allclose(np.delete(alpha, edge), FADE)
    view.show_step.click()
    assert view.dashboard.state.traced == "w1,1,2"
    assert "BP3" in view.dashboard.step_panel.step_title.value


def test_a_notebook_gets_the_verdict_as_html_then_the_widget():
    report = check_backprop(make_backward("no_transpose"))
    summary, widget = report.outputs()
    assert summary == {"text/plain": repr(report), "text/html": report._repr_html_()}
    assert "✗ Not yet" in summary["text/html"] and "(the mistake &#x27;no_transpose&#x27;)" in summary["text/html"]
    bundle = widget._repr_mimebundle_()
    # nbconvert (nbgrader's feedback) prefers a widget's view to HTML, and without a kernel the
    # widget is blank: the verdict is an output of its own, which it renders as HTML
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("check_backprop(backward)")
    cell.outputs = [nbformat.v4.new_output("display_data", data=d) for d in (summary, bundle)]
    nb.cells.append(cell)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {widget.model_id: {}}}}
    body, _ = HTMLExporter().from_notebook_node(nb)
    assert "✗ Not yet" in body and "no_transpose" in body


def test_a_network_too_large_to_draw_or_to_open_gets_a_message_not_an_exception():
    def wrong_when_deep(weights, biases, x, y, activation="sigmoid", loss="mse"):
        grad_W, grad_b = make_backward()(weights, biases, x, y)
        return ([2 * g for g in grad_W] if len(weights) >= 12 else grad_W), grad_b

    report = check_backprop(wrong_when_deep, networks=130)  # the last networks have 12 layers and more
    view = report.view
    assert report.wrong.net.L >= 12 and view.diagram is None and view.picture.value == ""
    assert "is too large to draw: the diagram shows at most 10 layers" in view.caption.value
    view.show_step.click()
    assert view.dashboard is None and "This step cannot be opened" in view.step_box.children[0].value
