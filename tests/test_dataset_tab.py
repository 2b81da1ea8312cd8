"""The Dataset tab (issue 24), in the kernel: data, training on it, its pictures, its links.

Expected numbers come from the core's own functions run independently of the tab:
``Network.train`` (bit for bit), ``mean_loss``, ``Network.forward`` one point at a time,
``batch_trace`` of a batch; no wall time is asserted (speed is ``benchmarks/bench_boundary.py``).
"""

from __future__ import annotations

import asyncio
import datetime
import time

import numpy as np
import pytest
from kernel_loop import own_thread

from backprop_widgets import Dashboard, Network
from backprop_widgets.app.controls import fmt_exact
from backprop_widgets.app.run_pace import RUN_VIEW_S
from backprop_widgets.core import (
    DataChoice,
    Snapshot,
    batch_trace,
    fmt,
    make_dataset,
    mean_loss,
    read_json,
    read_query,
    split_dataset,
    write_json,
    write_query,
)
from backprop_widgets.draw.boundary import GRID

TANH_241 = dict(sizes=[2, 4, 1], seed=0, activation="tanh")


def dashboard(net: Network | None = None, query: str = "") -> Dashboard:
    app = Dashboard.from_query(query) if query else Dashboard()
    if net is not None:
        app.state.replace_network(net)
    app.state.tab = "dataset"
    return app


def tab(app: Dashboard):
    return app.tab_bar.views["dataset"]


def upload(app: Dashboard, content: bytes, name: str) -> None:
    """Choose a file in the tab's Upload CSV, as the browser sends it."""
    tab(app).upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime.now(datetime.timezone.utc),
        },
    )


def same_network(a: Network, b: Network) -> bool:
    return all(np.array_equal(p, q) for p, q in zip([*a.weights, *a.biases], [*b.weights, *b.biases]))


def circles():
    X, Y = make_dataset("circles", n=200, noise=0.1, seed=0)
    return split_dataset(X, Y, test=0.2, seed=0)


@own_thread  # Run trains in "the kernel's loop": none here (see kernel_loop)
def test_circles_on_a_tanh_net_trains_exactly_as_the_core_and_the_loss_falls():
    app = dashboard(Network.random(**TANH_241))
    t = tab(app)
    t.menu.value = "xor"
    t.menu.value = "circles"  # picked from the menu
    start = app.state.network
    t.epochs.value = 47
    t.step_btn.click()  # one epoch, then a run of 47, then two more steps: 50 epochs
    t.run_btn.click()
    t.step_btn.click()
    t.step_btn.click()
    d = circles()
    run = start.train(d.X_train, d.Y_train, epochs=50, batch_size=10, eta=0.5, seed=0, X_test=d.X_test, Y_test=d.Y_test)
    assert same_network(app.state.network, run.network)  # the page shows the trained network
    ds = app.state.dataset
    assert np.array_equal(ds.loss_history, run.loss_history)
    assert np.array_equal(ds.test_loss_history, run.test_loss_history)
    assert np.array_equal(np.array(ds.grad_norms), run.grad_norms)
    assert run.loss_history[-1] < 0.25 * run.loss_history[0]  # the loss falls
    train_L = fmt(mean_loss(run.network, d.X_train, d.Y_train), unicode=True)
    test_L = fmt(mean_loss(run.network, d.X_test, d.Y_test), unicode=True)
    assert f"epoch 50: train L = {train_L}, test L = {test_L}" in t.status.value
    assert "(160 training points, 40 test points)" in t.status.value


@own_thread  # Run trains in "the kernel's loop": none here (see kernel_loop)
def test_the_boundary_image_is_the_networks_output_and_changes_in_place():
    app = dashboard(Network.random(**TANH_241))
    t = tab(app)
    picture = t.boundary
    image, before, jpeg = picture.image, picture.values.copy(), t.boundary_image.value
    net0 = app.state.network
    # pixel (r, c) is the output at the r-th x₂ and c-th x₁ of the grid, one point at a time
    for r, c in ((0, 0), (37, 81), (GRID - 1, GRID - 1)):
        point = picture.grid[r * GRID + c]
        assert picture.values[r, c] == pytest.approx(net0.forward(point)[-1][0], rel=1e-12)
    t.epochs.value = 20
    t.run_btn.click()
    after = picture.values
    assert picture.image is image  # the same artist, new data
    assert np.abs(after - before).max() > 0.3
    assert after[0, 0] == pytest.approx(app.state.network.forward(picture.grid[0])[-1][0], rel=1e-12)
    assert t.boundary_image.value != jpeg and t.boundary_image.value[:2] == b"\xff\xd8"  # a new JPEG


def test_a_bad_csv_keeps_the_last_good_data_and_says_why():
    app = dashboard(Network.random(**TANH_241))
    ds = app.state.dataset
    good = ds.data
    for content, name, says in (
        (b"x1,x2,y\n0.5,-1,1\n0.2,oops,0\n", "text.csv", "line 3, column 2"),
        (b"", "empty.csv", "the file is empty"),
        (b"1,2,3,1\n4,5,6,0\n", "three.csv", "this network takes 2 inputs"),
        (b"1,2,1\n3,4\n", "ragged.csv", "line 2 has 2 columns"),
    ):
        upload(app, content, name)
        assert ds.data is good
        assert f"{name} was not used" in tab(app).upload_msg.value and says in tab(app).upload_msg.value
    upload(app, b"x1,x2,y\n" + b"".join(b"%d,%d,%d\n" % (i, -i, i % 2) for i in range(10)), "mine.csv")
    assert ds.source == "mine.csv" and len(ds.data.X_train) + len(ds.data.X_test) == 10
    assert "mine.csv" in tab(app).upload_msg.value
    assert tab(app).n.disabled and tab(app).noise.disabled  # the file's points, until a dataset is chosen
    tab(app).menu.value = "xor"
    assert ds.source == "" and ds.choice.name == "xor" and len(ds.data.X_train) == 160 and not tab(app).n.disabled


def test_a_deep_sigmoid_nets_lower_layers_get_gradients_100_times_smaller():
    deep = Network.random([2, 8, 8, 8, 8, 8, 1], seed=0, activation="sigmoid")
    app = dashboard(deep)
    t = tab(app)
    t.step_btn.click()  # training starts: one epoch of 16 steps
    chart = t.charts[1]
    first, last = chart.series["layer 1"][0], chart.series["layer 6"][0]
    assert len(first) == 16
    assert (last >= 100 * first).all()
    # the chart's first value is ‖∂L/∂W⁽¹⁾‖ of the first batch, from the core's batch trace
    rows = np.random.default_rng(0).permutation(160)[:10]
    d = circles()
    bt = batch_trace(deep, d.X_train[rows], d.Y_train[rows])
    assert first[0] == pytest.approx(np.linalg.norm(bt.grad_W[1]), rel=1e-12)
    assert "layer 1" in t.grad_image.value
    relu = dashboard(Network.random([2, 8, 8, 8, 8, 8, 1], seed=0, activation="relu", output_activation="sigmoid"))
    tab(relu).step_btn.click()
    norms = tab(relu).charts[1].series
    assert np.median(norms["layer 6"][0] / norms["layer 1"][0]) < 10  # a ReLU net's do not vanish


def test_a_network_without_two_inputs_says_why_there_is_no_picture():
    app = dashboard()  # the seed page: 3 inputs
    t = tab(app)
    assert "2 inputs" in t.plane_note.value and "this one has 3" in t.plane_note.value
    assert "cannot train on these data" in t.status.value
    t.step_btn.click()
    assert "cannot train" in app.state.dataset.message
    assert app.state.dataset.epochs == 0


@own_thread  # Run trains in "the kernel's loop": none here (see kernel_loop)
def test_a_run_in_the_event_loop_stops_when_asked():
    app = dashboard(Network.random(**TANH_241))
    t, ds = tab(app), app.state.dataset

    async def go():
        t.epochs.value = 10_000
        t.run_btn.click()
        assert ds.running and t.stop_btn.disabled is False
        while ds.epochs < 3:
            await asyncio.sleep(0.01)
        t.stop_btn.click()
        stopped = ds.epochs
        await asyncio.sleep(0.1)
        return stopped

    stopped = asyncio.run(go())
    assert not ds.running and ds.epochs == stopped < 10_000
    assert f"Training stopped after epoch {stopped}: you pressed Stop" in ds.message
    assert same_network(app.state.network, ds.net)  # the page shows where it stopped
    t.reset_btn.click()
    assert same_network(app.state.network, Network.random(**TANH_241)) and ds.epochs == 0


@own_thread  # Run trains in "the kernel's loop": none here (see kernel_loop)
def test_during_a_run_the_steps_and_the_sliders_follow_once_a_second_and_show_its_end(monkeypatch):
    """The diagram and header follow the network of (nearly) every frame; the steps and the value
    rows, the page's costliest updates, at most every RUN_VIEW_S, and the tab says so; when the
    run stops, both show the network it stopped at."""
    app = dashboard(Network.random(**TANH_241))
    t, ds, s = tab(app), app.state.dataset, app.state
    row = app.params.rows["w1,1,1"]
    shown_network, shown_row, shown_steps = [], [], []
    s.observe(lambda c: shown_network.append(time.perf_counter()), names="network")
    row.text.observe(lambda c: shown_row.append(time.perf_counter()), names="value")
    show_step = app.step_panel.show_step
    monkeypatch.setattr(app.step_panel, "show_step", lambda: (shown_steps.append(time.perf_counter()), show_step()))

    async def go():
        t.epochs.value = 100_000
        t.run_btn.click()
        await asyncio.sleep(0.05)
        assert "the steps and the value sliders follow every 1 s" in t.status.value
        await asyncio.sleep(3.0)
        t.stop_btn.click()

    asyncio.run(go())
    assert not ds.running and "follow every" not in t.status.value
    for times in shown_row, shown_steps:
        gaps = np.diff(times[:-1])  # the last: the run's end, shown at once
        assert len(times) >= 2 and (gaps >= RUN_VIEW_S * 0.99).all(), gaps
    assert len(shown_network) > len(shown_row) + 3  # the diagram followed far more often
    w = float(ds.net.weights[0][0, 0])
    assert same_network(s.network, ds.net) and row.text.value == fmt_exact(w) and row.slider.value == w
    assert app.step_panel._shown[0] is s.example  # the steps of the network it stopped at


def test_an_edit_of_the_network_starts_the_curves_again():
    app = dashboard(Network.random(**TANH_241))
    tab(app).step_btn.click()
    app.state.set_value("w1,1,1", 0.25)
    assert app.state.dataset.epochs == 0 and len(app.state.dataset.loss_history) == 1


def test_the_dataset_settings_go_into_the_link_and_come_back():
    app = dashboard(Network.random(**TANH_241))
    t = tab(app)
    t.menu.value, t.noise.value, t.n.value, t.split.value, t.seed.value, t.batch.value = "moons", 0.15, 300, 0.3, 7, 25
    from backprop_widgets.app.sharing import to_query

    query = to_query(app.state)
    assert "data=moons&noise=0.15&n=300&split=0.3&dseed=7&batch=25" in query
    again = dashboard(query=query)
    assert again.state.dataset.choice == DataChoice("moons", 0.15, 300, 0.3, 7, 25)
    assert tab(again).menu.value == "moons" and tab(again).batch.value == 25
    X, Y = make_dataset("moons", n=300, noise=0.15, seed=7)
    assert np.array_equal(again.state.dataset.data.X_test, split_dataset(X, Y, test=0.3, seed=7).X_test)


def test_dataset_fields_round_trip_and_bad_values_say_what_is_wrong():
    from dataclasses import replace

    s = replace(Snapshot.seed(), data=DataChoice("spiral", 0.05, 1000, 0.25, 3, 32))
    for text, read in ((write_query(s), read_query), (write_json(s), read_json)):
        back, problems = read(text)
        assert problems == [] and back.data == s.data and back.same_as(s)
    assert write_query(Snapshot.seed()) == ""  # the default dataset writes nothing
    back, problems = read_query("data=spirals&n=5&noise=-1&split=0.95&dseed=x&batch=0")
    assert back.data == DataChoice()
    assert problems == [
        "data 'spirals' is not one of xor, circles, moons, spiral, blobs, linear",
        "noise '-1' is not a number from 0 to 2",
        "n '5' is not a whole number from 10 to 2,000",
        "split '0.95' is not a number from 0 to 0.9",
        "dseed 'x' is not a whole number from 0 to 2,147,483,647",
        "batch '0' is not a whole number from 1 to 2,000",
    ]
    back, problems = read_json('{"data": {"name": "xor", "n": 3}}')
    assert back.data == DataChoice("xor") and problems == ["data.n '3' is not a whole number from 10 to 2,000"]
