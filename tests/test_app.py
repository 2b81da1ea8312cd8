"""The dashboard without a browser: set widget values, assert on the state, panels and diagram."""

import base64
import html
import re

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from traitlets import TraitError

from backprop_widgets import Dashboard, Network, seed_example
from backprop_widgets.app.state import State, parse_number

SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

BAD_TEXT = ["abc", "", "   ", "nan", "NaN", "inf", "-inf", "1e999", "0x10", "1,5", "2*3", "__import__('os')"]


@pytest.fixture
def app():
    return Dashboard()


def numbers_in(text: str) -> list[str]:
    return re.findall(r"-?\d+\.\d+", text)


def test_opens_on_the_seed_example(app):
    net, x, y = seed_example()
    s = app.state
    assert s.network.sizes == [3, 2, 2, 1] and s.traced == "w1,1,1"
    np.testing.assert_array_equal(s.x, x)
    assert s.trace.loss == pytest.approx(net.trace(x, y).loss, rel=0, abs=0)
    assert "0.0611" in app.header.loss_value.value
    assert "-0.00212" in app.header.check_value.value.replace("−", "-") and "✓" in app.header.check_value.value
    assert app.step_panel.step_title.value.startswith("Step 1 of")
    assert "0.25" in app.step_panel.panel.value  # z₂⁽¹⁾ = 0.4 + 0.25 − 0.6 + 0.2 = 0.25
    assert app.diagram_view.picture.value.startswith('<svg role="img" aria-label="Network diagram')
    assert set(app.params.rows) == {"x1", "x2", "x3", "y1"} | {str(p) for p in s.network.parameters()}


def test_typing_a_weight_updates_state_panel_and_diagram(app):
    before_panel, before_image = app.step_panel.panel.value, app.diagram_view.picture.value
    row = app.params.rows["w1,1,1"]
    row.text.value = "0.3"
    expected = seed_example()[0].with_param("w1,1,1", 0.3).trace(*seed_example()[1:])
    assert app.state.network.get("w1,1,1") == 0.3
    np.testing.assert_array_equal(app.state.trace.a[1], expected.a[1])
    assert row.slider.value == 0.3 and row.error.value == ""
    # step 1 writes z₁⁽¹⁾ = 0.3·1.0 + … : the new number is on the panel
    assert app.step_panel.panel.value != before_panel and "0.3" in app.step_panel.panel.value
    assert app.diagram_view.picture.value != before_image
    # the diagram's node colours follow the new activations (nodes in the diagram's order)
    d = app.diagram_view.diagram
    acts = np.array([expected.a[l][j - 1] for (l, j) in d.nodelist])  # nodes (l, j), j 1-based
    np.testing.assert_allclose(d.drawing.node_collection.get_array(), acts)
    # edge colours follow the new gradients: grey at 0 → crimson at ± max, strength |g/max|^0.8
    # (the scale written out here, not read from the diagram)
    grads = np.concatenate([expected.grad_W[l].ravel() for l in range(1, 4)])
    grey, crimson = np.array(to_rgba("#BDBDBD")[:3]), np.array(to_rgba("#B2182B")[:3])
    strength = (np.abs(grads) / np.abs(grads).max()) ** 0.8
    want = grey * (1 - strength[:, None]) + crimson * strength[:, None]
    np.testing.assert_allclose(d.drawing.edge_collection.get_colors()[:, :3], want, atol=0.03)


def test_slider_writes_the_state_and_the_text_follows(app):
    row = app.params.rows["x2"]
    row.slider.value = 1.25  # a drag
    assert app.state.x[1] == 1.25
    assert row.text.value == "1.25"
    assert app.state.trace.a[0][1] == 1.25


def test_typing_beyond_the_slider_range_widens_it(app):
    row = app.params.rows["b2,1"]
    row.text.value = "5.5"
    assert app.state.network.get("b2,1") == 5.5
    assert row.slider.max >= 5.5 and row.slider.min <= -5.5 and row.slider.value == 5.5
    row.text.value = "−0.5"  # the page's minus sign
    assert app.state.network.get("b2,1") == -0.5


@pytest.mark.parametrize("text", BAD_TEXT)
def test_bad_text_shows_a_message_and_keeps_the_last_good_value(app, text):
    row = app.params.rows["w2,1,2"]
    trace = app.state.trace
    row.text.value = text
    assert row.error.value and "⚠" in row.error.value
    assert row.message and html.escape(row.message) in row.error.value  # shown, as text
    assert app.state.trace is trace  # nothing recomputed, nothing changed
    assert app.state.network.get("w2,1,2") == 0.8
    assert row.text.value == "0.8" and row.slider.value == 0.8
    row.text.value = "0.81"  # a good value clears the message
    assert row.error.value == "" and app.state.network.get("w2,1,2") == 0.81


def test_messages_say_what_is_wrong():
    for text, words in [
        ("abc", "not a number"),
        ("", "enter a number"),
        ("nan", "finite"),
        ("1e999", "finite"),
        ("1e7", "±1,000,000"),
    ]:
        with pytest.raises(ValueError, match=words):
            parse_number(text)


def test_non_finite_values_set_programmatically_are_refused(app):
    trace = app.state.trace
    row = app.params.rows["w1,1,1"]
    row.slider.value = float("nan")
    assert "finite" in row.error.value and app.state.trace is trace
    assert row.slider.value == 0.1
    with pytest.raises(ValueError):
        app.state.set_param("w1,1,1", float("inf"))
    with pytest.raises(TraitError, match="finite"):
        app.state.x = np.array([np.nan, 0.0, 0.0])
    with pytest.raises(ValueError):
        app.state.set(x=[1.0, np.inf, 0.0])
    assert app.state.trace is trace
    assert all(np.isfinite(W).all() for W in app.state.network.weights)
    assert np.isfinite(app.state.x).all() and np.isfinite(app.state.y).all()


@pytest.mark.parametrize("text", ["3,0,1", "a,b", "100,100,100", "", "3", "3,2,2,1,2,2,2,2,2,2,2"])
def test_bad_architecture_keeps_the_network(app, text):
    net = app.state.network
    app.header.arch.value = text
    assert "⚠" in app.header.arch_error.value and "not used" in app.header.arch_error.value
    assert app.state.network is net
    assert app.header.arch.value == "3,2,2,1"  # the field shows the architecture in use
    assert set(app.params.rows) >= {"w3,1,2", "x3"}


def test_architecture_change_rebuilds_controls_and_diagram(app):
    app.state.set_traced("w3,1,2")
    app.header.arch.value = "2-3-1"
    s = app.state
    assert s.network.sizes == [2, 3, 1] and app.header.arch_error.value == ""
    assert s.traced == "w1,1,1"  # w₁,₂⁽³⁾ no longer exists: falls back to a valid parameter
    assert set(app.params.rows) == {"x1", "x2", "y1"} | {str(p) for p in s.network.parameters()}
    assert app.diagram_view.diagram.sizes == (2, 3, 1)
    assert [o[1] for o in app.header.traced.options] == [str(p) for p in s.network.parameters()]
    # editing still works in the new controls
    app.params.rows["w2,1,3"].text.value = "0.5"
    assert s.network.get("w2,1,3") == 0.5


def test_large_network_edits_the_selected_value(app):
    app.header.arch.value = "8,16,16,8,4"
    assert app.params.selector is not None and len(app.params.rows) == 1
    app.params.selector.value = "w2,3,4"
    row = app.params.rows["w2,3,4"]
    row.text.value = "1.5"
    assert app.state.network.get("w2,3,4") == 1.5


def test_next_and_prev_walk_every_step(app):
    n = len(app.state.worked.steps)
    titles, highlights = [app.step_panel.step_title.value], [app.diagram_view.diagram.highlight]
    assert app.step_panel.prev.disabled
    while not app.step_panel.next.disabled:
        app.step_panel.next.click()
        titles.append(app.step_panel.step_title.value)
        highlights.append(app.diagram_view.diagram.highlight)
    assert len(titles) == n and app.state.step == n - 1
    assert len(set(titles)) == n
    assert titles[-1].startswith(f"Step {n} of {n}")
    ids = [st.id for st in app.state.worked.steps]
    assert "bp1" in ids and "bp3" in ids
    assert highlights[ids.index("bp1")] != highlights[0]  # the highlight follows the step
    for _ in range(n):
        app.step_panel.prev.click()
    assert app.state.step == 0 and app.step_panel.prev.disabled
    app.step_panel.steps.value = 4  # the step list
    assert app.state.step == 4 and app.step_panel.step_title.value.startswith(f"Step 5 of {n}")


def test_one_change_one_recompute_one_render(app, monkeypatch):
    import backprop_widgets.app.state as app_module  # the state writes the worked example

    calls = {"trace": 0, "example": 0, "update": 0}
    real_trace, real_example = Network.trace, app_module.worked_example
    real_update = type(app.diagram_view.diagram).update

    def count(name, fn):
        def wrapped(*a, **k):
            calls[name] += 1
            return fn(*a, **k)

        return wrapped

    monkeypatch.setattr(Network, "trace", count("trace", real_trace))
    monkeypatch.setattr(app_module, "worked_example", count("example", real_example))
    monkeypatch.setattr(type(app.diagram_view.diagram), "update", count("update", real_update))
    app.params.rows["w1,2,1"].text.value = "0.45"
    assert calls["example"] == 1 and calls["update"] == 1
    assert calls["trace"] == 1  # the worked example reuses the state's trace


def test_activation_and_loss_changes(app):
    app.header.hidden.value = "tanh"
    assert app.state.network.activation == "tanh" and app.state.network.output_activation == "sigmoid"
    app.header.loss.value = "cross_entropy"
    assert app.state.trace.bp1_form == "sigmoid_cross_entropy"
    app.header.output.value = "softmax"  # one output neuron: softmax would be constant, refused
    assert "at least 2 output neurons" in app.header.arch_error.value and app.header.output.value == "sigmoid"
    app.header.arch.value = "3,2,2"
    app.header.output.value = "softmax"
    assert app.state.trace.bp1_form == "softmax_cross_entropy" and list(app.state.y) == [1.0, 0.0]
    app.header.output.value = "tanh"  # tanh outputs cannot feed cross-entropy: refused, message shown
    assert "cross-entropy" in app.header.arch_error.value and app.header.output.value == "softmax"
    assert app.state.network.output_activation == "softmax"


def test_training_lowers_the_seed_loss(app):
    start = app.state.trace.loss
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Train")
    app.tab_bar.views["train"].step_btn.click()
    assert app.state.trace.loss < start and len(app.state.training.loss_history) == 2
    app.tab_bar.views["train"].n_steps.value = 30
    app.tab_bar.views["train"].run_btn.click()
    assert len(app.state.training.loss_history) == 32
    assert all(b < a for a, b in zip(app.state.training.loss_history, app.state.training.loss_history[1:]))
    assert app.state.trace.loss == app.state.training.loss_history[-1]
    assert app.tab_bar.views["train"].curve_image.value.startswith('<svg role="img" aria-label="Loss curve: L = ')
    assert app.tab_bar.views["train"].curve_image.value.count("<circle") == 32  # every step of the curve marked
    # the sliders follow the trained weights
    assert app.params.rows["w3,1,1"].slider.value == app.state.network.get("w3,1,1")
    assert float(app.params.rows["w3,1,1"].text.value) == app.state.network.get("w3,1,1")
    app.tab_bar.views["train"].train_reset_btn.click()
    assert app.state.network.get("w3,1,1") == 0.3 and app.state.training.loss_history == [start]


def test_random_and_reset(app):
    app.header.seed.value = 3
    app.header.random_btn.click()
    expected = Network.random([3, 2, 2, 1], seed=3)
    np.testing.assert_array_equal(app.state.network.weights[0], expected.weights[0])
    assert app.params.rows["w1,1,1"].slider.value == expected.get("w1,1,1")
    app.header.arch.value = "2,2"
    app.header.reset_btn.click()
    assert app.state.network.sizes == [3, 2, 2, 1] and app.state.network.get("w1,1,1") == 0.1
    assert "0.0611" in app.header.loss_value.value and app.state.step == 0


def test_gradient_check_tab(app):
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Gradient check")
    html = app.tab_bar.views["check"].gradcheck.value
    assert html.count("✓ pass") == 17 and "✗" not in html
    assert "All 17 gradients agree" in html


def test_quantities_tab_shows_the_table(app):
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("All quantities")
    for printed in ["0.8997", "1.2122", "0.6506", "0.2273", "0.0794"]:
        assert printed in app.tab_bar.views["quantities"].quantities.value


def test_the_notation_tab_is_mathml_of_the_networks_functions(app):
    """The tab's formulas are MathML (no MathJax pass on the page), every one of them, with the
    colour code, and they follow the network's functions: the same text as notation.py's."""
    from backprop_widgets.explain.notation import notation_html

    tab = app.tab_bar.views["notation"].notation
    assert tab.value == ""  # made when first shown
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Notation & colours")
    net = app.state.network
    expected = notation_html("okabe-ito", net.output_activation, net.loss_name, net.sizes)
    assert tab.value.count("<math") == expected.count("\\(") > 40
    assert "\\(" not in tab.value and len(set(re.findall(r'mathcolor="([^"]+)"', tab.value))) == 4
    app.header.arch.value = "3,4,2"
    app.header.loss.value = "cross_entropy"
    app.header.output.value = "softmax"
    assert "For <math" in tab.value and "The loss (cross-entropy)." in tab.value
    assert "\\(" not in tab.value


def test_the_rows_share_their_layouts_and_styles(app):
    """A page creates one model per widget, layout and style: the rows share theirs (15 models a
    row before, 6 now), so a page has fewer models to create when it opens."""
    rows = list(app.params.rows.values())
    assert len(rows) == 21
    for part in ("label", "slider", "text", "error"):
        assert len({id(getattr(r, part).layout) for r in rows}) == 1, part
    assert len({id(r.label.style) for r in rows}) == len({id(r.text.style) for r in rows}) == 1


def test_target_choice_and_export(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may be written on the server
    app.header.traced.value = "b2,1"
    assert app.state.traced == "b2,1"
    ids = [st.id for st in app.state.worked.steps]
    assert "bp4" in ids
    assert app.tab_bar.views["export"].download.value == ""  # rendered when its tab is shown
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Export handout")
    link = re.search(
        r"<a download='([^']+)' href='data:text/html;base64,([^']+)'", app.tab_bar.views["export"].download.value
    )
    assert link and link.group(1) == "backprop-handout-b2-1.html"
    text = base64.b64decode(link.group(2)).decode("utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<title>Worked example: ∂L/∂b₁⁽²⁾</title>" in text
    # the seed page's numbers (worked-example.txt): a⁽³⁾, L and ∂L/∂b₁⁽²⁾ = δ₁⁽²⁾
    assert all(number in text for number in ("0.6506", "0.0611", "-0.00490"))
    assert "∂L/∂b" in app.header.check_value.value
    assert list(tmp_path.iterdir()) == []


def test_state_is_all_or_nothing():
    s = State()
    t = s.trace
    with pytest.raises(ValueError, match="overflow|finite|±"):
        s.set_param("w1,1,1", 1e300)
    assert s.trace is t and s.network.get("w1,1,1") == 0.1


def test_training_starts_from_the_students_own_edits(app):
    app.params.rows["w1,1,1"].text.value = "1.5"
    edited_loss = app.state.trace.loss
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Train")
    app.tab_bar.views["train"].step_btn.click()
    assert app.state.training.loss_history[0] == edited_loss and len(app.state.training.loss_history) == 2
    app.tab_bar.views["train"].train_reset_btn.click()
    assert app.state.network.get("w1,1,1") == 1.5  # the edit survives a training reset
    assert app.state.training.loss_history == [edited_loss]


@pytest.mark.parametrize("change", ["architecture", "random", "reset", "edit"])
def test_training_reset_after_another_change_keeps_that_change(app, change):
    """A run of training ends with any other change; Reset then has nothing to undo and says so
    (it used to go back to the run's start, of another architecture: a crash)."""
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Train")
    app.tab_bar.views["train"].step_btn.click()
    trained = app.state.network
    if change == "architecture":
        app.header.arch.value = "2,3,1"
    elif change == "random":
        app.header.random_btn.click()
    elif change == "reset":
        app.header.reset_btn.click()
    else:
        app.params.rows["w1,1,1"].text.value = "0.7"
    after = app.state.network
    assert after is not trained
    app.tab_bar.views["train"].train_reset_btn.click()
    assert app.state.network is after and "Nothing to reset" in app.tab_bar.views["train"].train_msg.value
    assert app.state.training.loss_history == [app.state.trace.loss]
    app.tab_bar.views["train"].step_btn.click()  # a new run starts from there, and Reset returns to it
    app.tab_bar.views["train"].train_reset_btn.click()
    assert app.state.network is after and app.tab_bar.views["train"].train_msg.value == ""


def test_training_that_overflows_stops_at_the_last_good_step(app):
    app.header.hidden.value = "linear"
    app.header.output.value = "linear"
    app.tab_bar.views["train"].eta.value = 100.0
    app.tab_bar.views["train"].n_steps.value = 500
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Train")
    app.tab_bar.views["train"].run_btn.click()
    assert (
        "training stopped after" in app.tab_bar.views["train"].train_msg.value
        and "smaller η" in app.tab_bar.views["train"].train_msg.value
    )
    assert app.state.trace.loss == app.state.training.loss_history[-1]
    assert 1 < len(app.state.training.loss_history) < 501
    assert all(np.isfinite(W).all() for W in app.state.network.weights)
    assert app.tab_bar.views["train"].curve_image.value.startswith('<svg role="img" aria-label="Loss curve: L = ')


def test_messages_go_away_once_a_change_goes_through(app):
    row = app.params.rows["w1,1,1"]
    row.text.value = "abc"
    app.header.arch.value = "3,0,1"
    assert row.error.value and app.header.arch_error.value
    app.params.rows["b1,1"].slider.value = 0.5  # another, valid change
    assert row.error.value == "" and row.message == ""
    assert app.header.arch_error.value == ""
    row.text.value = "xyz"
    app.header.reset_btn.click()
    assert row.error.value == ""


def test_export_link_follows_the_numbers(app):
    """The download link never holds the numbers of an earlier network."""
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Export handout")
    before = app.tab_bar.views["export"].download.value
    app.params.rows["w1,1,1"].text.value = "0.2"
    assert app.tab_bar.views["export"].download.value != before
    data = re.search(r"base64,([^']+)'", app.tab_bar.views["export"].download.value).group(1)
    text = base64.b64decode(data).decode("utf-8")
    # w₁,₁⁽¹⁾ = 0.2, worked by hand: z₁⁽¹⁾ = 0.2 + 0.1 − 0.3 + 0.1 = 0.1, then forward to L
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    a1 = sigmoid(np.array([[0.2, 0.2, 0.3], [0.4, 0.5, 0.6]]) @ [1.0, 0.5, -1.0] + [0.1, 0.2])
    a2 = sigmoid(np.array([[0.7, 0.8], [0.9, 1.0]]) @ a1 + [0.1, 0.2])
    a3 = sigmoid(np.array([0.3, 0.4]) @ a2 + 0.1)
    for number in (a1[0], a3, 0.5 * (a3 - 1.0) ** 2):  # 0.5250, 0.6512, 0.0608
        assert f"{number:.4f}" in text
    assert "0.6506" not in text and "0.0611" not in text  # the seed page's a⁽³⁾ and L


def test_same_architecture_in_another_spelling_is_normalised(app):
    net = app.state.network
    app.header.arch.value = "3-2-2-1"
    assert app.state.network is net and app.header.arch.value == "3,2,2,1" and app.header.arch_error.value == ""


def test_choosing_a_target_on_a_large_net_opens_it_in_the_editor(app):
    app.header.arch.value = "8,16,16,8,4"
    app.header.traced.value = "w3,2,5"
    assert list(app.params.rows) == ["w3,2,5"] and app.params.selector.value == "w3,2,5"


def test_switching_to_cross_entropy_says_why_y_changed(app):
    app.params.rows["y1"].text.value = "5"
    app.header.loss.value = "cross_entropy"
    assert app.state.network.loss_name == "cross_entropy" and list(app.state.y) == [1.0]
    assert "targets in [0, 1]" in app.header.arch_error.value and "y is now (1.0)" in app.header.arch_error.value
    assert "ℹ" in app.header.arch_error.value and "⚠" not in app.header.arch_error.value  # news, not an error
    assert app.params.rows["y1"].text.value == "1"


def _click_event(d, param, width=580.0):
    """The ipyevents payload of a click at the middle of ``param``'s edge on a ``width``-px image."""
    (u, v) = next(e for e, p in zip(d.edgelist, d.params) if str(p) == param)
    mid = (np.array(d.drawing.pos[u]) + np.array(d.drawing.pos[v])) / 2
    x, y = d.drawing.ax.transData.transform(mid)
    W_, H_ = d.drawing.figure.bbox.width, d.drawing.figure.bbox.height
    height = width * H_ / W_
    return {
        "type": "click",
        "relativeX": x / W_ * width,
        "relativeY": (1 - y / H_) * height,
        "boundingRectWidth": width,
        "boundingRectHeight": height,
    }


def test_clicking_an_edge_traces_its_weight(app):
    app.diagram_view.on_click(_click_event(app.diagram_view.diagram, "w2,2,1"))
    assert app.state.traced == "w2,2,1" and app.header.traced.value == "w2,2,1"
    assert app.state.worked.steps[app.state.step].id == "bp3"
    assert "w₂,₁⁽²⁾" in app.header.check_value.value
    # the weight's layer opens in the parameters (layer 2 is section 2, after x and y)
    assert app.params.accordion.selected_index == 2
    # far from every edge: nothing changes
    app.diagram_view.on_click(
        {"relativeX": 2.0, "relativeY": 2.0, "boundingRectWidth": 580.0, "boundingRectHeight": 362.5}
    )
    assert app.state.traced == "w2,2,1"


def test_the_slider_holds_the_typed_value_exactly(app):
    """Typed 0.123 stays 0.123 in the slider too (the browser only shows it at the nearest
    step); a drag is acknowledged, so that the browser sends the newest position next."""
    row = app.params.rows["w1,1,1"]
    row.text.value = "0.123"
    assert row.slider.value == 0.123 and row.slider.text == "0.123"
    assert row.slider.label == "w₁,₁⁽¹⁾" and row.slider.ack == 0  # no edit came from it
    row.slider.value = 0.13  # a drag
    assert app.state.network.get("w1,1,1") == 0.13 and row.text.value == "0.13"
    assert row.slider.text == "0.13"  # what a screen reader says for the handle
    assert row.slider.ack == 1


def test_training_equals_the_cores_own_loop(app):
    """Run N steps = N times Network.gradient_step from the same start, exactly; Reset returns
    to that start exactly, and every field shows the network the state holds."""
    net, x, y = seed_example()
    app.params.rows["w2,1,2"].text.value = "0.123"  # start from an edit
    start = app.state.network
    expected = start
    for _ in range(25):
        expected = expected.gradient_step(x, y, eta=0.5)
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Train")
    app.tab_bar.views["train"].n_steps.value = 20
    app.tab_bar.views["train"].run_btn.click()
    app.tab_bar.views["train"].step_btn.click()
    for _ in range(4):
        app.tab_bar.views["train"].step_btn.click()
    for p in expected.parameters():
        assert app.state.network.get(p) == expected.get(p), p  # exactly, not to 1e-12
        assert float(app.params.rows[str(p)].text.value) == expected.get(p), p  # all digits
    assert len(app.state.training.loss_history) == 26 and app.state.training.loss_history[-1] == app.state.trace.loss
    assert fmt_loss(expected.loss_value(x, y)) in app.header.loss_value.value
    app.tab_bar.views["train"].train_reset_btn.click()
    assert app.state.network is start and app.params.rows["w2,1,2"].text.value == "0.123"


def fmt_loss(v: float) -> str:
    return f"{v:.4f}" if v >= 1e-3 else f"{v:.3g}"


def test_a_step_that_cannot_be_rendered_says_so(app, monkeypatch):
    """If the worked example fails for some state, the panel says so instead of keeping the
    numbers of the previous state; the header's loss and the diagram follow the new state."""
    import backprop_widgets.app.state as app_module  # the state writes the worked example

    def broken(*args, **kwargs):
        raise ValueError("could not convert string to float: '1.67 \\\\times 10^{-5}'")

    monkeypatch.setattr(app_module, "worked_example", broken)
    before = app.diagram_view.picture.value
    app.params.rows["w1,1,1"].text.value = "2"
    net, x, y = seed_example()
    assert f"{net.with_param('w1,1,1', 2.0).loss_value(x, y):.4f}" in app.header.loss_value.value
    assert "cannot be shown" in app.step_panel.panel.value and "ValueError" in app.step_panel.panel.value
    assert "0.0611" not in app.step_panel.panel.value and app.step_panel.step_title.value == "Step not available"
    assert app.diagram_view.picture.value != before and app.header.check_value.value == ""
    assert app.state.example is None and isinstance(app.state.error, ValueError)  # never an exception
    app.step_panel.next.click()  # stepping does nothing rather than crash
    second = app.diagram_view.picture.value
    app.params.rows["w1,1,1"].text.value = "3"  # a second failure: every view follows it too
    assert f"{net.with_param('w1,1,1', 3.0).loss_value(x, y):.4f}" in app.header.loss_value.value
    assert app.diagram_view.picture.value != second and "ValueError" in app.step_panel.panel.value
    monkeypatch.undo()
    app.params.rows["w1,1,1"].text.value = "0.1"  # a state that renders again
    assert app.step_panel.step_title.value.startswith("Step 1 of") and "0.0611" in app.header.loss_value.value
    assert app.state.error is None and app.state.example is app.state.worked is not None


def test_the_diagram_has_a_text_alternative(app):
    assert "Diagram as a table" in app.diagram_view.picture.value and app.diagram_view.diagram_table.value == ""
    app.diagram_view.diagram_text.selected_index = 0
    table = app.diagram_view.diagram_table.value
    # seed: z₂⁽²⁾ = 1.2122, a₁⁽³⁾ = 0.6506, δ₁⁽¹⁾ = −0.00212, ∂L/∂w₁,₁⁽¹⁾ = −0.00212 (the page's)
    for printed in ["1.2122", "0.6506", "<td>w₁,₁⁽¹⁾</td><td>0.1</td><td>−0.00212</td>"]:
        assert printed in table
    app.params.rows["w1,1,1"].text.value = "0.5"  # kept current while open
    assert "<td>w₁,₁⁽¹⁾</td><td>0.5</td>" in app.diagram_view.diagram_table.value


def test_clicking_a_node_shows_its_numbers_and_selects_nothing(app):
    d = app.diagram_view.diagram
    fx, fy = d.drawing.ax.transData.transform(d.drawing.pos[(1, 1)])  # the centre of h1₁ (layer 1, neuron 1)
    W_, H_ = d.drawing.figure.bbox.width, d.drawing.figure.bbox.height
    app.diagram_view.on_click(
        {
            "relativeX": fx / W_ * 580,
            "relativeY": (1 - fy / H_) * 580 * H_ / W_,
            "boundingRectWidth": 580.0,
            "boundingRectHeight": 580 * H_ / W_,
        }
    )
    assert app.state.traced == "w1,1,1" and app.state.step == 0
    # seed page: z₁⁽¹⁾ = 0.0, a₁⁽¹⁾ = 0.5, δ₁⁽¹⁾ = −0.00212, b₁⁽¹⁾ = 0.1
    assert app.diagram_view.node_info.value == "neuron 1 of layer 1: z = 0.0, a = 0.5, δ = −0.00212, b = 0.1"


def test_export_tab_offers_the_exercise_sheet_and_key(app):
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Export handout")
    links = dict(
        re.findall(
            r"<a download='([^']+)' href='data:text/html;base64,([^']+)'", app.tab_bar.views["export"].download.value
        )
    )
    assert set(links) == {
        "backprop-handout-w1-1-1.html",
        "backprop-exercise-sheet-w1-1-1.html",
        "backprop-answer-key-w1-1-1.html",
    }
    sheet = base64.b64decode(links["backprop-exercise-sheet-w1-1-1.html"]).decode()
    key = base64.b64decode(links["backprop-answer-key-w1-1-1.html"]).decode()
    assert "−0.0794" not in sheet and "0.0611" not in sheet  # blanks, not answers
    assert "−0.0794" in key and "0.0611" in key and "Seed" not in key  # the seed page's numbers


def test_practice_mode_hides_the_answers_and_restarts_on_an_edit(app):
    app.header.mode.value = "practice"
    assert app.header.loss_value.layout.display == "none" and app.header.check_value.layout.display == "none"
    assert (
        app.tab_bar.widget.titles == ("Share",) and app.diagram_view.edge_mode.value == "weight"
    )  # the rest gives answers away
    assert "0.0611" not in app.diagram_view.picture.value and "<title>" not in app.diagram_view.picture.value
    view = app.step_panel.practice_view
    app.go(4)  # BP1: δ⁽³⁾ = (a − y)·σ′(z) = −0.3494 · 0.2273 = −0.0794 on the seed page
    (row,) = view.rows.children
    field, feedback = row.children[1].children[1], row.children[2]
    field.value = "-0.0787"  # σ′ taken at a: σ(0.6506)(1 − σ(0.6506)) = 0.2253 → −0.0787
    assert "✗" in feedback.value and "σ′ at a⁽³⁾" in feedback.value
    field.value = "-0.0794"
    assert "✓" in feedback.value and "0 of 18 right on the first try · 1 of 18 done" in view.progress.value
    app.params.rows["w1,1,1"].text.value = "0.2"  # an edit: a new exercise on the new numbers
    assert "0 of 18 right on the first try · 0 of 18 done" in view.progress.value
    app.header.mode.value = "explore"
    assert app.header.loss_value.layout.display == "" and "L = " in app.diagram_view.picture.value


def answer(view, i: int, text: str) -> str:
    """Type ``text`` into question ``i``'s field (on the step shown); its feedback."""
    (row,) = [r for r in view.rows.children if f"bpw-answer-{i}" in r.children[1].children[1]._dom_classes]
    row.children[1].children[1].value = text
    return row.children[2].value


def test_practice_steps_that_ask_nothing_show_no_numbers():
    # a ReLU unit 2.01e-6 from its kink: the check step's text names z (as in test_corners)
    net = Network([[[2.01e-6]], [[1.0]]], [[0.0], [0.0]], "relu", "linear")
    app = Dashboard(net, [1.0], [1.0])
    assert "2.01" in app.state.worked.step("check").text
    app.header.mode.value = "practice"
    for k, step in enumerate(app.state.worked.steps):
        if not app.step_panel.practice_view.asks(step.id):
            app.go(k)
            assert not numbers_in(app.step_panel.panel.value.replace("−", "-")), (step.id, app.step_panel.panel.value)


def test_practice_reveal_of_a_later_step_gives_no_credit_for_earlier_ones(app):
    app.header.mode.value = "practice"
    view, questions = app.step_panel.practice_view, app.step_panel.practice_view.questions
    bp3 = app.state.worked.index("bp3")
    app.go(bp3)
    assert "0.0611" not in app.step_panel.panel.value
    app.step_panel.practice_view.reveal.click()  # the worked BP3: ∂L/∂w₁,₁⁽¹⁾ = x₁ δ₁⁽¹⁾ = 1.0 × (−0.00212)
    assert "bpw-result" in app.step_panel.panel.value and "-0.00212" in app.step_panel.panel.value.replace("−", "-")
    # it shows δ₁⁽¹⁾ and the gradient, not θ − η∂L/∂θ = 0.1011 nor anything of earlier steps
    assert "0.1011" not in app.step_panel.panel.value
    assert f"0 of {len(questions)} right on the first try · 2 of {len(questions)} done" in view.progress.value
    assert [questions[k].symbol for k in sorted(view.done)] == ["δ₁⁽¹⁾", "∂L/∂w₁,₁⁽¹⁾"]
    assert "✓" in answer(view, 17, "0.1011")  # 0.1 − 0.5 × (−0.00212), still to answer
    app.go(0)  # the forward pass still asks its numbers
    assert app.step_panel.panel.value == "" and not any(r.children[1].children[1].disabled for r in view.rows.children)


def test_practice_reveal_counts_what_the_worked_step_shows(app):
    app.header.mode.value = "practice"
    view = app.step_panel.practice_view
    app.go(app.state.worked.index("bp1"))
    view.reveal.click()  # δ⁽³⁾ = (0.6506 − 1.0)·σ′(0.6215) = −0.0794: a⁽³⁾, z⁽³⁾ and δ⁽³⁾
    assert "0 of 18 right on the first try · 3 of 18 done" in view.progress.value
    assert sorted(view.questions[k].symbol for k in view.done) == ["a⁽³⁾", "z⁽³⁾", "δ⁽³⁾"]
    app.go(app.state.worked.index("forward-3"))  # both are filled in there, as shown by the reveal
    assert [r.children[1].children[1].value for r in view.rows.children] == ["0.6215", "0.6506"]
    assert "shown by Reveal" in view.rows.children[0].children[2].value


def test_practice_says_what_to_do_before_the_questions_and_fills_a_right_answer_in(app):
    app.header.mode.value = "practice"
    view = app.step_panel.practice_view
    children = list(view.widget.children)
    assert children.index(view.intro) < children.index(view.rows)
    assert "Compute each number below" in view.intro.value and app.step_panel.panel.layout.display == "none"
    line = view.rows.children[1].children[0]  # z₂⁽¹⁾ = 0.4·1.0 + 0.5·0.5 + 0.6·(−1.0) + 0.2
    assert "mphantom" in line.value and "0.25" not in line.value
    assert "✓" in answer(view, 1, "0.25")
    assert "mphantom" not in line.value and "<mn>0.25</mn>" in line.value


def test_practice_shows_the_earlier_results_a_step_uses(app):
    app.header.mode.value = "practice"
    view = app.step_panel.practice_view
    app.go(app.state.worked.index("forward-2"))
    assert view.found.value == "<b>Still to find</b> (on their steps, or Reveal): a₁⁽¹⁾, a₂⁽¹⁾"
    app.go(0)
    assert "✓" in answer(view, 2, "0.5")  # a₁⁽¹⁾ = σ(0.0)
    app.go(app.state.worked.index("forward-2"))
    assert "<b>You found:</b> a₁⁽¹⁾ = 0.5" in view.found.value and "Still to find" in view.found.value
    app.go(app.state.worked.index("bp2-1"))  # δ⁽¹⁾ = ((W⁽²⁾)ᵀ δ⁽²⁾) ⊙ σ′(z⁽¹⁾)
    assert view.found.value.endswith("z₁⁽¹⁾, z₂⁽¹⁾, δ₁⁽²⁾, δ₂⁽²⁾")
    app.go(app.state.worked.index("bp2-2"))
    view.reveal.click()
    app.go(app.state.worked.index("bp2-1"))
    assert "You found:</b> δ₁⁽²⁾ = −0.00490, δ₂⁽²⁾ = −0.00562" in view.found.value  # the seed page


def test_practice_answers_to_a_later_step_do_not_open_earlier_ones(app):
    app.header.mode.value = "practice"
    view = app.step_panel.practice_view
    app.go(app.state.worked.index("bp1"))
    assert "✓" in answer(view, 11, "-0.0794")
    # δ⁽³⁾ is right, but its worked step restates a⁽³⁾ and L, not yet answered
    assert not view.shows_worked("bp1") and "0.6506" not in app.step_panel.panel.value


def test_practice_progress_survives_what_is_not_an_edit(app):
    app.header.mode.value = "practice"
    view = app.step_panel.practice_view
    assert "✓" in answer(view, 1, "0.25")  # z₂⁽¹⁾ = 0.4 + 0.25 − 0.6 + 0.2 (seed page)
    before = view.progress.value
    assert "1 of 18 done" in before
    app.params.rows["w1,1,1"].text.value = "0.1"  # the same value, retyped
    app.go(3)
    app.go(0)
    app.header.traced.value = "w1,1,1"
    assert view.progress.value == before and view.rows.children[1].children[1].children[1].disabled
    app.header.mode.value = "explore"  # leaving practice shows every number: coming back starts afresh
    app.header.mode.value = "practice"
    assert "0 of 18 done" in view.progress.value


def test_practice_a_step_answered_in_full_shows_its_worked_form(app):
    app.header.mode.value = "practice"
    view = app.step_panel.practice_view
    for i, q in enumerate(view.questions[:4]):  # the forward pass, layer 1
        assert not view.shows_worked("forward-1")
        assert "✓" in answer(view, i, q.printed)
    assert (
        "bpw-result" in app.step_panel.panel.value and "0.5622" in app.step_panel.panel.value
    )  # a₂⁽¹⁾ on the seed page
    assert view.reveal.layout.display == "none"
    assert "4 of 18 right on the first try · 4 of 18 done" in view.progress.value


def test_practice_after_a_failed_render_asks_nothing_and_stays_alive(app, monkeypatch):
    app.header.mode.value = "practice"
    import backprop_widgets.app.state as app_module  # the state writes the worked example

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(app_module, "worked_example", broken)
    app.params.rows["w1,1,1"].text.value = "0.3"
    assert "boom" in app.step_panel.panel.value and view_rows(app) == ()
    app.diagram_view.edge_mode.value = "gradient"  # (disabled in practice, but a script may set it)
    app.step_panel.practice_view.reveal.click()
    app.go(2)
    assert "boom" in app.step_panel.panel.value and "0.3" in app.params.rows["w1,1,1"].text.value


def view_rows(app):
    return app.step_panel.practice_view.rows.children


def test_check_header_and_table_print_numbers_in_the_house_format():
    """Tiny gradients (a saturated softmax) and tiny relative errors: ×10ⁿ, never Python's
    e-notation, with the true values to 6 significant digits in the table."""
    net = Network([[[1.0]], [[12.0], [-12.0]]], [[0.0], [0.0, 0.0]], "sigmoid", "softmax", "cross_entropy")
    app = Dashboard()
    app.state.replace_network(net, np.array([1.0]), np.array([1.0, 0.0]))
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Gradient check")
    for text in (app.header.check_value.value, app.tab_bar.views["check"].gradcheck.value):
        assert not re.search(r"\de[-+]?\d", text), text
    g = app.state.trace.grad("w2,1,1")  # −1.7542e-08 on this net
    mantissa, exponent = f"{g:.5e}".split("e")
    shown = f"{mantissa}×10{str(int(exponent)).translate(SUP)}"  # 6 digits: −1.75420×10⁻⁸
    assert shown.replace("-", "−") in app.tab_bar.views["check"].gradcheck.value
    assert "×10⁻" in app.header.check_value.value and "relative error" in app.header.check_value.value


def test_state_reads_and_writes_values_by_name_and_names_a_bad_one():
    s = State()
    assert (s.value("x2"), s.value("y1"), s.value("w2,1,2")) == (0.5, 1.0, 0.8)
    s.set_value("x3", 0.25)
    assert s.value("x3") == 0.25 and s.trace.x[2] == 0.25
    with pytest.raises(ValueError, match=r"x9: this network has x1 … x3"):
        s.value("x9")
    with pytest.raises(ValueError, match="not understood"):
        s.set_value("x0", 1.0)
    assert s.value("x3") == 0.25  # nothing changed


def test_a_tab_is_one_registered_class_found_by_name(monkeypatch):
    """Adding a tab = one Tab class registered by name; here for this test only."""
    import ipywidgets as W

    from backprop_widgets.app.sharing import snapshot
    from backprop_widgets.app.tabs import TABS, Tab
    from backprop_widgets.core import write_json, write_query

    class LossTab(Tab, name="loss-now", title="Loss now"):
        def build(self) -> None:
            self.widget = W.HTML()

        def render(self) -> None:
            self.widget.value = f"L = {self.state.trace.loss:.4f}"

    monkeypatch.setitem(TABS, LossTab.name, LossTab)
    app = Dashboard()
    assert app.tab_bar.widget.titles[-1] == "Loss now" and app.tab_bar.views["loss-now"].widget.value == ""
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Loss now")  # rendered once shown
    assert app.state.tab == "loss-now" and app.tab_bar.views["loss-now"].widget.value == "L = 0.0611"
    app.params.rows["w1,1,1"].text.value = "0.5"  # and kept current while shown
    assert app.tab_bar.views["loss-now"].widget.value == f"L = {app.state.trace.loss:.4f}"
    app.state.tab = "train"  # the state says which tab is shown; the bar follows
    assert app.tab_bar.widget.titles[app.tab_bar.widget.selected_index] == "Train"
    # a lesson hides it by its name, with no other edit: by keyword, in a link and in a file
    assert "Loss now" not in Dashboard(hide=["loss-now"]).tab_bar.widget.titles
    share = app.tab_bar.views["share"]
    assert list(share.hide.options)[-4] == ("the “Loss now” tab", "loss-now")  # before the page's parts
    app.state.tab = "share"
    share.hide.value = ("loss-now", "train")
    assert share.link.query.endswith("&hide=loss-now,train")
    opened = Dashboard.from_query(share.link.query)
    assert opened.tab_bar.widget.titles == (
        "All quantities",
        "Gradient check",
        "Dataset",
        "Notation & colours",
        "Export handout",
        "Share",
    )
    assert opened.header.share_msg.value == "" and opened.state.lesson.hide == ("loss-now", "train")
    assert write_query(snapshot(opened.state)) == share.link.query  # and the link goes round
    loaded = Dashboard.from_json(write_json(snapshot(app.state)))  # a file's lesson: for the Share tab
    assert loaded.header.share_msg.value == ""  # nothing refused
    assert loaded.state.link_lesson.hide == ("loss-now", "train")
    loaded.state.tab = "share"
    assert loaded.tab_bar.views["share"].hide.value == ("loss-now", "train")


def test_the_page_follows_the_state():
    """Every part of the page is a trait of the state: set the trait, the widgets follow; a
    write that changes nothing notifies nothing."""
    app = Dashboard()
    s = app.state
    s.step = 4
    assert app.step_panel.step_title.value.startswith("Step 5 of") and app.step_panel.steps.value == 4
    s.step = 99  # clamped to the last step
    assert s.step == len(app.state.worked.steps) - 1 and app.step_panel.next.disabled
    s.edge_mode = "weight"
    assert app.diagram_view.edge_mode.value == "weight" and "edges by weight" in app.diagram_view.picture.value
    s.set_practice(True)
    assert app.header.mode.value == "practice" and app.header.loss_value.layout.display == "none"
    s.lesson = s.lesson.__class__(hide=("train",), lock=("x1",))
    assert "Train" not in app.tab_bar.widget.titles and app.params.rows["x1"].text.disabled
    with pytest.raises(TraitError, match="hide: unknown 'trian'"):
        s.lesson = s.lesson.__class__(hide=("trian",))
    with pytest.raises(TraitError, match="tab: unknown"):
        s.tab = "nonsense"
    seen = []
    s.observe(seen.append)
    s.set_traced(s.traced)  # what every widget writes back when it shows the state
    s.set_functions(activation=s.network.activation)
    s.set_architecture("3-2-2-1")
    s.set_practice(True)
    assert seen == []


def test_the_dashboard_owns_views_and_forwards_none_of_their_widgets(app):
    """Scripts and tests reach a widget through the view that owns it (``app.header.arch``):
    the dashboard has its state, its views and what a student does, nothing generated."""
    from backprop_widgets.draw.diagram import NetworkDiagram

    assert {n for n in vars(app) if not n.startswith("_")} == {
        "state",
        "palette",
        "params",
        "header",
        "diagram_view",
        "step_panel",
        "tab_bar",
        "widget",
        "live",  # the live class the page joined (lesson field live=1), or None
    }
    actions = {"go", "randomize", "reset", "set_architecture", "train", "reset_training", "handout"}
    links = {"to_query", "to_json", "load_query", "from_query", "from_json"}
    assert {n for n in dir(Dashboard) if not n.startswith("_")} == actions | links
    diagram = NetworkDiagram([3, 2, 2, 1])
    assert diagram.drawing.edge_collection is not None
    with pytest.raises(AttributeError):
        diagram.edge_collection  # noqa: B018 (no forwarding to the drawing)
