"""The batch view in the dashboard (issue 24), in the kernel: the control, the batch's steps and
their term buttons, opening a sample, the diagram's rings, the link fields ``view`` and ``sat``.

Expected numbers come from the core run independently of the page: the dataset drawn again from
its seed, each sample's own ``Network.trace``, ``mean_loss`` and ``batch_trace`` of the batch.
"""

from __future__ import annotations

import re

import numpy as np

from backprop_widgets import Dashboard, Network
from backprop_widgets.core import fmt, make_dataset, mean_loss, split_dataset, unit_marks

TANH_241 = dict(sizes=[2, 4, 1], seed=0, activation="tanh")


def circles():
    X, Y = make_dataset("circles", n=200, noise=0.1, seed=0)
    return split_dataset(X, Y, test=0.2, seed=0)


def app_on(net: Network, query: str = "") -> Dashboard:
    app = Dashboard.from_query(query) if query else Dashboard()
    app.state.replace_network(net)
    return app


def panel_text(app: Dashboard) -> str:
    return app.step_panel.panel.value


def test_a_batch_of_10_shows_bp3_as_the_mean_of_each_samples_term_and_a_term_opens_its_sample():
    net = Network.random(**TANH_241)
    app = app_on(net)
    s, view = app.state, app.step_panel.batch_view
    assert [label for label, _ in view.toggle.options] == ["one sample", "a batch of 10"]
    view.toggle.value = "batch"
    s.set_traced("w1,2,1", step="bp3")
    d = circles()
    X, Y = d.X_train[:10], d.Y_train[:10]  # the first 10 training points, as the note says
    assert "The batch: the first 10 training points." in view.note.value
    mean = net.batch_trace(X, Y).grad("w1,2,1")
    own = [net.trace(X[i], Y[i]) for i in range(10)]
    assert np.isclose(mean, np.mean([t.grad("w1,2,1") for t in own]), rtol=1e-12, atol=0)
    assert "BP3 · the batch" in app.step_panel.step_title.value
    assert fmt(mean) in panel_text(app) or fmt(mean).replace("-", "−") in panel_text(app)
    buttons = view.terms.children[1:-1]  # a heading, 8 terms, "+ 2 more samples"
    assert len(buttons) == 8 and "+ 2 more samples: Σ = " in view.terms.children[-1].value
    for b in buttons:
        i = int(re.match(r"sample (\d+): ", b.description).group(1)) - 1
        t = own[i]
        d = fmt(t.delta[1][1], unicode=True)
        d = d if t.delta[1][1] >= 0 else f"({d})"
        x, g = fmt(t.a[0][0], unicode=True), fmt(t.grad("w1,2,1"), unicode=True)
        assert b.description == f"sample {i + 1}: x₁·δ₂⁽¹⁾ = {x} × {d} = {g}"
    # a click opens that sample's own worked example: x and y become its, one sample again
    i = int(re.match(r"sample (\d+): ", buttons[3].description).group(1)) - 1
    buttons[3].click()
    assert np.array_equal(s.x, X[i]) and np.array_equal(s.y, Y[i])
    assert s.dataset.choice.view == "sample" and view.toggle.value == "sample"
    assert "BP3 · the traced gradient" in app.step_panel.step_title.value
    assert s.trace.grad("w1,2,1") == own[i].grad("w1,2,1")
    assert view.terms.children == ()


def test_the_loss_step_of_a_batch_shows_the_mean_loss():
    net = Network.random(**TANH_241)
    app = app_on(net)
    app.state.dataset.set(batch=5)
    app.step_panel.batch_view.toggle.value = "batch"
    assert app.step_panel.batch_view.toggle.options[1][0] == "a batch of 5"
    app.state.step = app.state.worked.index("loss")
    d = circles()
    L = mean_loss(net, d.X_train[:5], d.Y_train[:5])
    assert "Loss · the batch" in app.step_panel.step_title.value and fmt(L) in panel_text(app)
    terms = [b.description for b in app.step_panel.batch_view.terms.children[1:]]
    assert terms == [
        f"sample {i + 1}: L{'₁₂₃₄₅'[i]} = {fmt(net.trace(d.X_train[i], d.Y_train[i]).loss, unicode=True)}"
        for i in range(5)
    ]
    app.state.step = 0  # other steps stay the sample's
    assert "batch" not in app.step_panel.step_title.value and app.step_panel.batch_view.terms.children == ()


def test_without_data_that_fit_the_control_says_why_and_stays_on_one_sample():
    app = Dashboard()  # the seed page: 3 inputs, the circles have 2
    view = app.step_panel.batch_view
    assert view.toggle.disabled
    app.state.dataset.set(view="batch")  # as a link would
    assert "Only one sample" in view.note.value and "3" in view.note.value
    app.state.set_traced("w1,1,1", step="bp3")
    assert "the traced gradient" in app.step_panel.step_title.value and view.terms.children == ()
    # outside Explore too
    app2 = app_on(Network.random(**TANH_241))
    app2.step_panel.batch_view.toggle.value = "batch"
    app2.state.set_mode("practice")
    assert app2.step_panel.batch_view.toggle.disabled and "Explore" in app2.step_panel.batch_view.note.value


def test_links_carry_the_view_and_a_threshold_that_is_not_the_default():
    app = app_on(Network.random(**TANH_241))
    assert "view=" not in app.to_query() and "sat=" not in app.to_query()
    app.step_panel.batch_view.toggle.value = "batch"
    app.step_panel.batch_view.threshold.value = 0.05
    q = app.to_query()
    assert "view=batch" in q and "sat=0.05" in q
    again = Dashboard.from_query(q)
    assert again.state.dataset.choice.view == "batch" and again.state.dataset.choice.threshold == 0.05
    assert again.step_panel.batch_view.threshold.value == 0.05 and again.step_panel.batch_view.toggle.value == "batch"
    assert '"view": "batch"' in again.to_json() and '"saturation": 0.05' in again.to_json()
    bad = Dashboard.from_query("net=2,4,1&view=all&sat=0")
    assert "view &#x27;all&#x27; is not one of sample, batch" in bad.state.notice
    assert bad.state.dataset.choice.view == "sample" and bad.state.dataset.choice.threshold == 0.01


def test_the_diagram_rings_a_dead_relu_over_the_batch_and_a_saturated_sigmoid_at_a_threshold():
    # unit 1: z = x₁ + x₂ − 5 < 0 on every point of the circles (|x| ≤ 1.5); unit 2: z = x₁ + 5 > 0
    net = Network([[[1.0, 1.0], [1.0, 0.0]], [[1.0, 1.0]]], [[-5.0, 5.0], [0.0]], "relu", "sigmoid")
    app = app_on(net)
    dv = app.diagram_view

    def title(l: int, j: int) -> str:
        return re.search(rf'<g id="node-{l}-{j}"><title>([^<]*)</title>', dv.diagram.svg().text).group(1)

    assert "saturated" not in title(1, 1) + title(1, 2) and "dead" not in title(1, 1)  # one sample: off, not dead
    assert "a unit whose σ′ &lt; 0.01 passes on less than 1% of the error" in app.step_panel.batch_view.legend.value
    app.step_panel.batch_view.toggle.value = "batch"
    d = circles()
    assert unit_marks(net.batch_trace(d.X_train[:10], d.Y_train[:10])).dead == ((1, 1),)  # the oracle agrees
    assert "dead: zero on all 10 samples of the batch" in title(1, 1)
    assert "dotted ring: dead (zero on all 10 samples of the batch)" in app.step_panel.batch_view.legend.value
    assert "stroke-dasharray" in re.search(r'<g id="node-1-1">.*?/>', dv.diagram.svg().text).group(0)
    # the threshold: a sigmoid net's unit with σ′ = 0.105 is saturated below 0.2, not at 0.01
    sig = Network([[[1.0, 1.0]], [[1.0]]], [[2.0], [0.0]])  # z = x₁ + x₂ + 2
    app2 = app_on(sig)
    app2.state.set(x=[0.0, 0.0], y=[1.0])  # z = 2: σ′ = σ(2)(1 − σ(2)) = 0.1050
    assert "saturated" not in re.search(r'<g id="node-1-1"><title>([^<]*)', app2.diagram_view.diagram.svg().text).group(
        1
    )
    assert (
        "a unit whose σ′ &lt; 0.01 passes on less than 1% of the error reaching it"
        in app2.step_panel.batch_view.legend.value
    )
    app2.step_panel.batch_view.threshold.value = 0.2
    assert app2.state.dataset.choice.threshold == 0.2
    assert "saturated: σ′ &lt; 0.2 (σ′ = 0.1050)" in app2.diagram_view.diagram.svg().text
    assert (
        "dashed ring: saturated (σ′ &lt; 0.2: passes on less than 20% of the error"
        in app2.step_panel.batch_view.legend.value
    )


def test_the_gradient_charts_text_gives_each_layers_last_norm():
    deep = Network.random([2, 8, 8, 8, 8, 8, 1], seed=0, activation="sigmoid")
    app = app_on(deep)
    app.state.tab = "dataset"
    t = app.tab_bar.views["dataset"]
    t.step_btn.click()  # one epoch: 16 steps of 10
    norms = app.state.dataset.grad_norms[-1]
    said = ", ".join(f"layer {l} {fmt(v, unicode=True)}" for l, v in enumerate(norms, start=1))
    assert f"log scale; at step 16: {said}" in t.grad_image.value
    assert norms[-1] >= 100 * norms[0]  # layer 1's gradient 100× below the last layer's
