"""Training never freezes the page (issue 21, A5), kernel side.

A kernel handles the browser's messages one at a time from its asyncio event loop. Each test
runs in such a loop (``asyncio.run``) and does what the kernel does with a message while a run
of Run N steps is in progress: a click, an edit. Expected numbers come from the core's own
loop (``Network.gradient_step``) for the step count the page reports; no wall time is asserted.
"""

from __future__ import annotations

import asyncio
import re

import numpy as np
import pytest
from kernel_loop import in_a_thread, in_the_kernels_loop

from backprop_widgets import Dashboard, Network, seed_example
from backprop_widgets.core import fmt

LONG_RUN = 100_000


@pytest.fixture
def app():
    app = Dashboard()
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Train")
    return app


def trained(k: int, net: Network | None = None, eta: float = 0.5) -> Network:
    """``k`` steps of the core's gradient descent from ``net`` (the seed network)."""
    start, x, y = seed_example()
    net = net or start
    for _ in range(k):
        net = net.gradient_step(x, y, eta=eta)
    return net


def same(a: Network, b: Network) -> bool:
    return all(a.get(p) == b.get(p) for p in a.parameters())


async def until(condition, seconds: float = 120) -> None:
    """Let the loop run until ``condition()`` (the deadline only guards against a hang)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not condition():
        assert loop.time() < end, "the condition never held"
        await asyncio.sleep(0.01)


async def start_long_run(app: Dashboard) -> None:
    """Run N steps with N = 100 000, as the page's button does; returns once a step is shown
    and more are computed than shown."""
    app.tab_bar.views["train"].n_steps.value = LONG_RUN
    app.tab_bar.views["train"].run_btn.click()
    run = app.state.training.run
    assert run is not None and run.n == LONG_RUN  # the click returned, the run goes on
    await until(lambda: run.shown > 0 and run.done > run.shown)


def stopped_at(app: Dashboard, reason: str) -> int:
    text = app.tab_bar.views["train"].train_msg.value
    m = re.search(rf"Training stopped at step (\d+) of {LONG_RUN}: {re.escape(reason)}\.", text)
    assert m, text
    return int(m[1])


def test_a_run_from_the_page_shows_progress_and_stops_at_stop(app):
    async def scenario():
        await start_long_run(app)
        run = app.state.training.run
        assert (
            app.tab_bar.views["train"].run_btn.disabled
            and app.tab_bar.views["train"].step_btn.disabled
            and not app.tab_bar.views["train"].stop_btn.disabled
        )
        assert app.tab_bar.views["train"].run_btn.description == "Running…"
        # progress: the step on the screen and its loss, the core's numbers
        k = run.shown
        assert f"step {k} of {LONG_RUN}" in app.tab_bar.views["train"].train_progress.value
        assert same(app.state.network, trained(k))
        _, x, y = seed_example()
        assert (
            f"L = {fmt(trained(k).loss_value(x, y), unicode=True)}" in app.tab_bar.views["train"].train_progress.value
        )
        await until(lambda: run.shown > k)  # it moves on

        app.tab_bar.views["train"].stop_btn.click()
        k = stopped_at(app, "you pressed Stop")
        assert app.state.training.run is None and 0 < k < LONG_RUN
        assert k == run.shown  # the step the page showed when Stop came
        assert same(app.state.network, trained(k)) and len(app.state.training.loss_history) == k + 1
        assert (
            app.tab_bar.views["train"].train_progress.value == ""
            and app.tab_bar.views["train"].stop_btn.disabled
            and not app.tab_bar.views["train"].run_btn.disabled
        )
        shown = app.state.network
        await asyncio.sleep(0.5)
        assert run.task.done() and app.state.network is shown  # nothing moves on after Stop

    in_the_kernels_loop(scenario)


def test_an_edit_during_a_run_stops_it_first_and_applies_to_the_network_shown(app):
    """The repro: a weight typed during a run was overwritten, then applied to the network at
    the run's end."""

    async def scenario():
        await start_long_run(app)
        run = app.state.training.run
        shown_step = run.shown
        app.params.rows["w1,1,1"].text.value = "0.7"  # the field's message reaches the kernel
        k = stopped_at(app, "you edited w₁,₁⁽¹⁾")
        assert k == shown_step and run.done > k  # steps computed but never shown are dropped
        assert f"The edit applies to the network shown, of step {k}." in app.tab_bar.views["train"].train_msg.value
        expected = trained(k).with_param("w1,1,1", 0.7)
        assert same(app.state.network, expected)
        _, x, y = seed_example()
        assert app.state.trace.loss == expected.loss_value(x, y)
        await asyncio.sleep(0.5)
        assert same(app.state.network, expected) and app.params.rows["w1,1,1"].text.value == "0.7"
        assert f"Training stopped at step {k}" in app.tab_bar.views["train"].train_msg.value  # the message stays

    in_the_kernels_loop(scenario)


def test_starting_to_edit_stops_the_run_before_anything_is_typed(app):
    """The page's guard reports focus in a value's field; the browser's text is checked."""

    async def scenario():
        await start_long_run(app)
        guard = app.tab_bar.views["train"].guard
        assert guard.running
        guard.edited("<img src=x onerror=alert(1)>")  # not a value of this network: ignored
        assert app.state.training.run is not None
        guard.edited("b2-1")
        k = stopped_at(app, "you edited b₁⁽²⁾")
        assert not guard.running and same(app.state.network, trained(k))
        app.params.rows["b2,1"].text.value = "-0.25"
        assert same(app.state.network, trained(k).with_param("b2,1", -0.25))

    in_the_kernels_loop(scenario)


@pytest.mark.parametrize("change", ["reset", "random", "architecture", "reset to the example"])
def test_buttons_during_a_run_stop_it_first(app, change):
    async def scenario():
        await start_long_run(app)
        run = app.state.training.run
        if change == "reset":
            app.tab_bar.views["train"].train_reset_btn.click()
            stopped_at(app, "you pressed Reset")
            assert same(app.state.network, seed_example()[0])  # back exactly to the start
        elif change == "random":
            app.header.seed.value = 4
            app.header.random_btn.click()
            stopped_at(app, "the network was changed")
            assert same(app.state.network, Network.random([3, 2, 2, 1], seed=4))
        elif change == "architecture":
            app.header.arch.value = "2,3,1"
            stopped_at(app, "the network was changed")
            assert list(app.state.network.sizes) == [2, 3, 1]
        else:
            app.header.reset_btn.click()
            stopped_at(app, "the network was changed")
            assert same(app.state.network, seed_example()[0])
        shown = app.state.network
        await asyncio.sleep(0.5)
        assert run.task.done() and app.state.network is shown  # the old run never writes again

    in_the_kernels_loop(scenario)


def test_a_short_run_shows_the_page_once(app):
    """Run 20 steps redrew the whole page after every step (4.2 s): now the run shows its end."""
    examples = []
    app.state.observe(lambda c: examples.append(c["new"]), names="example")
    in_a_thread(
        app.tab_bar.views["train"].run_btn.click
    )  # no event loop (a script): the run is done when the click returns
    assert len(examples) == 1 and len(app.state.training.loss_history) == 21
    assert same(app.state.network, trained(20))


def test_a_run_in_the_loop_ends_by_itself_exactly_as_the_cores_loop(app):
    async def scenario():
        app.tab_bar.views["train"].n_steps.value = 300
        app.tab_bar.views["train"].run_btn.click()
        run = app.state.training.run
        await until(lambda: app.state.training.run is None)
        assert (
            run.shown == 300
            and app.tab_bar.views["train"].train_msg.value == ""
            and app.tab_bar.views["train"].train_progress.value == ""
        )
        assert same(app.state.network, trained(300)) and len(app.state.training.loss_history) == 301
        assert app.tab_bar.views["train"].train_summary.value.endswith("after 300 steps")

    in_the_kernels_loop(scenario)


def test_a_run_that_overflows_in_the_loop_stops_at_the_last_good_step(app):
    async def scenario():
        app.header.hidden.value = "linear"
        app.header.output.value = "linear"
        app.tab_bar.views["train"].eta.value = 100.0
        app.tab_bar.views["train"].n_steps.value = 500
        app.tab_bar.views["train"].run_btn.click()
        await until(lambda: app.state.training.run is None)
        assert (
            "training stopped after" in app.tab_bar.views["train"].train_msg.value
            and "smaller η" in app.tab_bar.views["train"].train_msg.value
        )
        assert all(np.isfinite(W).all() for W in app.state.network.weights)
        assert (
            1 < len(app.state.training.loss_history) < 501
            and app.state.trace.loss == app.state.training.loss_history[-1]
        )
        assert not app.tab_bar.views["train"].run_btn.disabled and app.tab_bar.views["train"].stop_btn.disabled

    in_the_kernels_loop(scenario)


def test_the_loss_curve_draws_each_loss_where_it_belongs():
    from backprop_widgets.draw.losscurve import LossCurve, plotted

    curve = LossCurve()
    curve.update([3.0, 2.0, 0.5])
    (x0, y0), (x1, y1), (x2, y2) = curve.points()
    assert x0 < x1 < x2 and x1 - x0 == pytest.approx(x2 - x1)  # steps evenly spaced
    assert y0 < y1 < y2 and (y1 - y0) / (y2 - y1) == pytest.approx(1.0 / 1.5)  # 3 → 2 → 0.5
    svg = curve.render()
    assert svg.count("<circle") == 3 and "L = 0.5 after 2 steps" in svg
    steps, values = plotted([float(i) for i in range(100_001)])  # a long run: at most 1000
    assert len(steps) == 1000 and steps[0] == 0 and steps[-1] == 100_000 and values == steps
    curve.update([float(i) for i in range(100_001)])
    assert "<circle" not in curve.render() and len(curve.points()) == 1000


def test_training_and_sharing_are_objects_over_the_state_alone():
    """No dashboard needed: a State trains (``state.training``) and is shared (``sharing``'s
    functions) on its own; the numbers are the core's loop and the link opens the trained page."""
    from backprop_widgets.app.sharing import load_query, to_query
    from backprop_widgets.app.state import State

    state = State()
    assert state.training.train(3, 0.5) == ""
    assert same(state.network, trained(3)) and state.training.loss_history[0] == pytest.approx(0.0611, abs=5e-5)
    assert len(state.training.loss_history) == 4 and state.training.reset() and same(state.network, trained(0))
    state.training.train(2, 0.5)
    other = State()
    assert load_query(other, to_query(state)) == [] and same(other.network, trained(2))
    assert other.training.loss_history == [other.trace.loss]  # a link holds the network, not the run
