"""Sharing: a page's state as a link and a JSON file, exactly; lessons; bad links and files.

The property tests draw random states (every activation × loss, random sizes, weights of every
magnitude, steps and lesson settings) and require the query and the JSON to give them back bit
for bit; the dashboard tests require a page opened from a link to write the same link again.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import socket
import subprocess
import sys
import threading
import time
import zlib

import numpy as np
import pytest
from drive import upload

from backprop_widgets import Dashboard, Network, seed_example, worked_example
from backprop_widgets.app.sharing import load_json
from backprop_widgets.app.tabs import hideable
from backprop_widgets.cli import export
from backprop_widgets.core import (
    ACTIVATIONS,
    HIDDEN_ACTIVATIONS,
    LOSSES,
    MAX_QUERY,
    MODES,
    Lesson,
    Snapshot,
    default_sample,
    number_text,
    read_json,
    read_query,
    to_dict,
    write_json,
    write_query,
)
from backprop_widgets.core.validation import check_page_sizes

SEED_LOSS = "0.0611"  # the seed page's L, as the header prints it


def bits(s: Snapshot) -> list[bytes]:
    """Every float of a snapshot as its 8 bytes (so 0.0 and −0.0 differ)."""
    net = s.network
    return [np.asarray(a, dtype=float).tobytes() for a in (*net.weights, *net.biases, s.x, s.y)]


def same(a: Snapshot, b: Snapshot) -> bool:
    return to_dict(a) == to_dict(b) and bits(a) == bits(b)


def combos() -> list[tuple[str, str, str]]:
    """Every (hidden, output, loss) the core accepts."""
    out = []
    for h in HIDDEN_ACTIVATIONS:
        for o in ACTIVATIONS:
            for loss in LOSSES:
                try:
                    Network.random([2, 2], activation=h, output_activation=o, loss=loss)
                except ValueError:
                    continue
                out.append((h, o, loss))
    return out


def random_state(rng: np.random.Generator, h: str, o: str, loss: str) -> Snapshot:
    sizes = [int(n) for n in rng.integers(1, 5, size=rng.integers(2, 5))]
    if ACTIVATIONS[o].coupled and sizes[-1] == 1:
        sizes[-1] = 2
    scale = lambda shape: rng.normal(size=shape) * 10.0 ** rng.uniform(-9, 1, size=shape)  # noqa: E731
    net = Network(
        [scale((m, n)) for n, m in zip(sizes, sizes[1:])],
        [scale(m) for m in sizes[1:]],
        activation=h,
        output_activation=o,
        loss=loss,
    )
    x = scale(sizes[0]) * 3
    y = default_sample(net)[1] * rng.uniform(0, 1) if not ACTIVATIONS[o].coupled else default_sample(net)[1]
    if rng.random() < 0.2:
        x[0] = -0.0  # the sign of zero survives too
    params = [str(p) for p in net.parameters()]
    target = params[rng.integers(len(params))]
    steps = [""] + [st.id for st in worked_example(net, x, y, traced=target).steps][1:]  # the first: ""
    names = [f"x{k}" for k in range(1, sizes[0] + 1)] + params
    lock = ("all",) if rng.random() < 0.2 else tuple(rng.choice(names, size=rng.integers(0, 3), replace=False).tolist())
    mode = str(rng.choice(list(MODES)))  # Practice shows the weights: implied in links
    practice = mode == "practice"
    return Snapshot(
        net,
        x,
        y,
        traced=target,
        step=steps[rng.integers(len(steps))],
        edge_mode="weight" if practice or rng.random() < 0.5 else "gradient",
        mode=mode,
        stage=int(rng.integers(1, 4)) if mode == "fade" else 0,
        lesson=Lesson(
            hide=tuple(rng.choice(list(hideable()), size=rng.integers(0, 4), replace=False).tolist()),
            lock=lock,
            projector=bool(rng.random() < 0.3),
        ),
    )


@pytest.mark.parametrize("h, o, loss", combos())
def test_random_states_survive_query_and_json_bit_for_bit(h, o, loss):
    rng = np.random.default_rng(zlib.crc32(f"{h} {o} {loss}".encode()))
    for _ in range(40):
        s = random_state(rng, h, o, loss)
        q = write_query(s)
        back, problems = read_query(q, hideable())
        assert problems == [] and same(back, s), q
        assert write_query(back) == q
        back, problems = read_json(write_json(s), hideable())
        assert problems == [] and same(back, s)


def test_numbers_are_written_shortest_and_read_exactly():
    for v in [0.1, -0.3, 1.0, 0.0, -0.0, 1e-5, 2.5e-300, 1.7976931348623157e308, 1 / 3, 123456789.0]:
        text = number_text(v)
        assert float(text) == v and np.float64(float(text)).tobytes() == np.float64(v).tobytes()
        assert "+" not in text and len(text) <= len(repr(v))
    assert number_text(0.1) == "0.1" and number_text(-2.0) == "-2" and number_text(1e-5) == "1e-05"


def test_minus_zero_survives_a_link_where_the_default_holds_zero():
    """The repro: y₂ = −0.0 where the default target is (1, 0) came back +0.0 (the link left it
    out as equal to the default); the same for x and for a weight of the seed's shape."""
    net = Network.random([3, 2], seed=0, output_activation="softmax", loss="cross_entropy")
    app = Dashboard(net, [1, 0, -1], [1.0, -0.0])
    assert math.copysign(1, Dashboard.from_query(app.to_query()).state.y[1]) == -1.0
    for s in (
        Snapshot(net, np.array([1, -0.0, -1]), np.array([1.0, 0.0])),
        Snapshot(net, np.array([1, 0.0, -1]), np.array([1.0, -0.0])),
    ):
        assert same(read_query(write_query(s))[0], s)
    # a +0.0 equal to the default is still left out: links stay short
    q = write_query(Snapshot(net, *default_sample(net)))
    assert q.startswith("net=3,2&") and "x=" not in q and "y=" not in q


def test_the_seed_page_is_the_empty_link_and_a_weight_edit_is_short():
    assert write_query(Snapshot.seed()) == ""
    net, x, y = seed_example()
    q = write_query(Snapshot(net.with_param("w1,1,1", 0.123), x, y, step="bp1"))
    assert q == ("w=0.123,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1,0.3,0.4&b=0.1,0.2,0.1,0.2,0.1&step=bp1")


def test_a_teacher_can_write_a_short_link_by_hand():
    s, problems = read_query("net=4,3,2&h=tanh&traced=b2,1&step=bp4&lock=all&hide=train,check")
    assert problems == []
    assert s.network.sizes == [4, 3, 2] and s.network.activation == "tanh"
    expected = Network.random([4, 3, 2], seed=0, activation="tanh")
    assert all(np.array_equal(a, b) for a, b in zip(s.network.weights, expected.weights))
    np.testing.assert_array_equal(s.x, default_sample(expected)[0])
    assert (s.traced, s.step, s.lesson.lock, s.lesson.hide) == ("b2,1", "bp4", ("all",), ("train", "check"))


def test_the_traced_parameter_is_written_traced_and_its_old_name_target_is_still_read(capsys):
    """Links and files write ``traced`` (``target`` also meant y); ``t=`` links, ``"target"``
    files, ``Dashboard(target=…)``, ``worked_example(target=…)`` and ``--target`` still work."""
    net, x, y = seed_example()
    snap = Snapshot(net, x, y, traced="b2,1")
    assert write_query(snap) == "traced=b2,1" and to_dict(snap)["traced"] == "b2,1" and "target" not in to_dict(snap)
    assert read_query("t=b2,1")[0].traced == "b2,1" and read_query("traced=b2,1")[0].traced == "b2,1"
    old_file = json.dumps({"version": 1, "sizes": [3, 2, 2, 1], "target": "w2,1,2"})
    got, problems = read_json(old_file)
    assert problems == [] and got.traced == "w2,1,2"
    assert Dashboard(net, x, y, target="b3,1").state.traced == "b3,1"
    old, new = worked_example(net, x, y, target="b1,2"), worked_example(net, x, y, traced="b1,2")
    assert str(old.param) == "b1,2" and old.to_markdown() == new.to_markdown()
    assert export.main(["--target", "b1,2"]) == 0
    assert capsys.readouterr().out == new.to_markdown()


def test_a_link_or_file_hides_only_what_the_page_can_hide():
    """The core knows no tab: it checks a lesson's names against the ones it is given (the app's
    tabs and parts), and without them keeps every name (a handout hides nothing)."""
    query, text = "hide=train,nonsense,train", '{"lesson": {"hide": ["train", "nonsense"]}}'
    s, problems = read_query(query, ("train", "check"))
    assert s.lesson.hide == ("train",) and problems == ["hide: unknown 'nonsense' (one of train, check)"]
    s, problems = read_json(text, ("train", "check"))
    assert s.lesson.hide == ("train",) and problems == ["lesson hide: unknown 'nonsense' (one of train, check)"]
    for s, problems in (read_query(query), read_json(text)):
        assert s.lesson.hide == ("train", "nonsense") and problems == []


# --- bad links and files: the seed page, one message, nothing raised ---------------------------

BAD_QUERIES = {
    "architecture 3,0,1": ("net=3,0,1", "at least 1 neuron"),
    "wrong type of size": ("net=3,two,1", "'two' is not a whole number"),
    "10⁶ weights": ("net=1000,1000,1", "1000 neurons in layer 0: the page takes"),
    "1 MB string": ("h=" + "a" * 1_000_000, "characters long"),
    "NaN": ("x=nan,0,0", "'nan' is not a number"),
    "overflow": ("x=1e999,0,0", "too large"),
    "weight count": ("w=1,2,3&b=1", "takes 12 weights; the link has 3 in w"),
    "only w": ("w=1,2,3", "w and b come together"),
    "unknown activation": ("h=__import__('os')", "unknown activation"),
    "unknown fields": ("foo=1&bar=2", "unknown fields 'bar', 'foo'"),
    "x of the wrong size": ("x=1,2", "x"),
    "y outside cross-entropy's range": ("loss=cross_entropy&y=3", "y"),
    "many fields": ("&".join(f"f{i}=1" for i in range(100)), "more than 40 fields"),
}


@pytest.mark.parametrize("query, says", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_a_bad_link_opens_the_seed_page_and_says_what_was_ignored(query, says):
    s, problems = read_query(query)
    assert same(s, Snapshot.seed()) and problems and says in "; ".join(problems), problems
    app = Dashboard.from_query(query)
    assert SEED_LOSS in app.header.loss_value.value and app.state.network.sizes == [3, 2, 2, 1]
    assert "could not be used in full; ignored" in app.header.share_msg.value
    assert says.replace("'", "&#x27;") in app.header.share_msg.value
    app.params.rows["w1,1,1"].text.value = "0.5"  # the page works on
    assert app.state.network.get("w1,1,1") == 0.5 and app.header.share_msg.value == ""


def test_good_fields_of_a_partly_bad_link_are_kept():
    app = Dashboard.from_query("step=bp1&edge=weight&hide=train,nonsense&t=w9,9,9")
    assert app.state.worked.steps[app.state.step].id == "bp1" and app.diagram_view.edge_mode.value == "weight"
    assert "Train" not in app.tab_bar.widget.titles and "nonsense" in app.header.share_msg.value
    assert app.state.traced == "w1,1,1" and "w₉,₉⁽⁹⁾ does not exist" in app.header.share_msg.value


def test_a_step_the_example_does_not_have_is_named():
    app = Dashboard.from_query("step=bp4")  # BP4 is the bias step; w1,1,1 is traced
    assert app.state.step == 0 and "step &#x27;bp4&#x27; is not a step" in app.header.share_msg.value


def test_a_network_the_diagram_cannot_draw_is_refused():
    app = Dashboard.from_query("net=" + ",".join(["2"] * 12))
    assert app.state.network.sizes == [3, 2, 2, 1] and "at most 10 layers" in app.header.share_msg.value


# --- the one limit: whatever the page takes stays interactive --------------------------------

HOSTILE_LINKS = {
    "19,999 layers (the repro)": "net=" + ",".join(["1"] * 19999),
    "10 layers of 64 (the repro)": "net=" + ",".join(["64"] * 10),
    "10 layers of 16": "net=" + ",".join(["16"] * 10),
    "15,000 weights": "net=2,2&w=" + ",".join(["0.5"] * 15000) + "&b=1,1",
    "30,000 inputs": "x=" + ",".join(["1"] * 30000),
    "20,000 locks": "lock=" + ",".join(["x1"] * 20000),
    "9,000 weight locks": "lock=" + ",".join(["w9,9,9"] * 9000),
    "10,000 hidden tabs": "hide=" + ",".join(["zzzzz"] * 10000),
    "a 60 kB target": "t=w1," + "1" * 60000,
    "a 60 kB step": "step=" + "a" * 60000,
    "a 60 kB activation": "h=" + "%41" * 20000,
    "40 long fields": "&".join(f"f{i}=" + "a" * 1500 for i in range(40)),
    "longer than any page": "a" * (MAX_QUERY + 1),
}


@pytest.fixture
def built(monkeypatch) -> list[list[int]]:
    """The layer sizes of every network built from now on."""
    sizes: list[list[int]] = []
    init = Network.__init__

    def spy(self, *args, **kwargs):
        init(self, *args, **kwargs)
        sizes.append(list(self.sizes))

    monkeypatch.setattr(Network, "__init__", spy)
    return sizes


@pytest.mark.parametrize("query", HOSTILE_LINKS.values(), ids=HOSTILE_LINKS.keys())
def test_a_hostile_link_is_refused_before_anything_is_built(query, built):
    """Refusing costs the parse, never the network a link asks for: `net=1,1,…` (19,999
    layers) built and traced them all (1.2–1.4 CPU-s) before the drawing limit refused it."""
    cpu = []
    for _ in range(3):
        start = time.process_time()
        s, problems = read_query(query, hideable())  # as the page reads it
        cpu.append(time.process_time() - start)
    assert problems and len("; ".join(problems)) < 400  # one short message, not the link again
    assert [sizes for sizes in built if sizes != [3, 2, 2, 1]] == []  # nothing but the seed page
    assert min(cpu) < 0.050, f"{min(cpu) * 1e3:.1f} ms of CPU to refuse {problems}"


def test_a_page_refuses_a_link_of_19999_layers_without_building_them(built):
    app = Dashboard.from_query(HOSTILE_LINKS["19,999 layers (the repro)"])
    assert [sizes for sizes in built if sizes != [3, 2, 2, 1]] == []
    assert app.state.network.sizes == [3, 2, 2, 1] and "at most 10 layers" in app.header.share_msg.value


@pytest.mark.parametrize("sizes", [[64] * 10, [16] * 10, [2] * 11, [17, 2], [2, 16, 16, 16, 16, 9]])
def test_links_files_and_the_architecture_field_share_one_limit(sizes):
    """Over the limit in each of its parts (layers, neurons in a layer, weights and biases): the
    link, the JSON file and the architecture field refuse it with the same reason, which says
    what the page takes and why."""
    text = ",".join(map(str, sizes))
    with pytest.raises(ValueError, match="the page takes networks it updates within 0.1 s") as info:
        check_page_sizes(sizes)
    reason = str(info.value).split(": ", 1)[1]  # after "network …  has …"
    app = Dashboard()
    assert reason in read_query(f"net={text}")[1][0] and reason in read_json(json.dumps({"sizes": sizes}))[1][0]
    app.load_query(f"net={text}")
    assert html.escape(reason) in app.header.share_msg.value and app.state.network.sizes == [3, 2, 2, 1]
    app.header.arch.value = text
    assert html.escape(reason) in app.header.arch_error.value and app.state.network.sizes == [3, 2, 2, 1]


@pytest.mark.parametrize("sizes", [[2, 16, 16, 16, 16, 8], [10] * 10])
def test_the_largest_networks_the_page_takes_open_from_all_three(sizes):
    """At the limit (1,000 weights and biases; 10 layers): a link, a file and the architecture
    field take them (benchmarks/bench_dashboard.py --largest: each edit within 0.1 s)."""
    text = ",".join(map(str, sizes))
    assert check_page_sizes(sizes) == sizes
    app = Dashboard.from_query(f"net={text}")
    assert app.header.share_msg.value == "" and app.state.network.sizes == sizes
    app.reset()
    app.header.arch.value = text
    assert app.header.arch_error.value == "" and app.state.network.sizes == sizes
    app.reset()
    load_json(app.state, json.dumps({"sizes": sizes}))
    assert app.state.network.sizes == sizes


BAD_FILES = {
    "not JSON": ("{oops", "not JSON"),
    "a list": ("[1, 2]", "holds a list"),
    "NaN": ('{"x": [NaN, 0, 0]}', "NaN is not a number"),
    "wrong type": ('{"sizes": "3,2,1"}', "sizes must be a list"),
    "string weights": ('{"weights": "abc", "biases": []}', "weights must hold numbers"),
    "ragged matrix": ('{"weights": [[[1, 2], [3]]], "biases": [[0, 0]]}', "wrong length"),
    "sizes vs shapes": ('{"sizes": [3, 1], "weights": [[[1, 2]]], "biases": [[0]]}', "do not match"),
    "10⁶ weights": (json.dumps({"weights": [[[0.0] * 1000] * 1000], "biases": [[0.0] * 1000]}), "more than"),
    "deeply nested": ('{"weights": ' + "[" * 100_000 + "]" * 100_000 + "}", "nests lists or objects 100001 deep"),
    "unknown version": ('{"version": 2, "sizes": [3, 1]}', "version 2 of the state format; this app reads version 1"),
    "version of the wrong type": ('{"version": [1]}', "version (a list) of the state format"),
    "bias count": ('{"weights": [[[1, 2]]], "biases": [[0, 0]]}', "takes 1 biases; the file has 2 in biases"),
    "only weights": ('{"weights": [[[1, 2]]]}', "weights and biases come together: the file has only one"),
    "a link's field name": ('{"hide": ["train"], "w": 1}', "unknown fields 'hide', 'w'"),
    "1 MB string": (json.dumps({"activation": "a" * 3_000_000}), "characters long"),
    "practice not a flag": ('{"practice": "yes"}', "practice must be true or false"),
    "unknown fields": ('{"colour": "red", "lesson": {"mood": 1}}', "unknown fields"),
}


@pytest.mark.parametrize("text, says", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_loads_the_seed_page_and_says_why(text, says):
    s, problems = read_json(text)
    assert same(s, Snapshot.seed()) and says in "; ".join(problems), problems
    app = Dashboard()
    app.params.rows["w1,1,1"].text.value = "0.7"
    upload(app, text.encode())  # what the Load button sends
    assert "This file could not be used in full" in app.header.share_msg.value
    assert "link" not in app.header.share_msg.value  # an error about a file says "file"
    assert SEED_LOSS in app.header.loss_value.value


# --- the dashboard: link → page → the same link --------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_a_page_opened_from_a_link_writes_the_same_link(seed):
    rng = np.random.default_rng(seed)
    h, o, loss = combos()[seed * 3 % len(combos())]
    s = random_state(rng, h, o, loss)
    q = write_query(s)
    app = Dashboard.from_query(q)
    assert app.header.share_msg.value == "" and app.to_query() == q
    assert same(read_query(app.to_query())[0], s)
    assert app.state.worked.steps[app.state.step].id == (s.step or app.state.worked.steps[0].id)
    assert app.state.trace.loss == s.network.trace(s.x, s.y).loss  # bit for bit
    app2 = Dashboard.from_json(app.to_json())
    assert app2.to_query() == q


def test_edits_steps_and_edge_mode_go_into_the_link():
    app = Dashboard()
    app.params.rows["w2,1,2"].text.value = "0.123"
    app.go(app.state.worked.index("bp1"))
    app.diagram_view.edge_mode.value = "weight"
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Share")
    q = app.tab_bar.views["share"].link.query
    assert q == app.to_query() and "w=0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.123," in q
    assert q.endswith("&step=bp1&edge=weight")
    app.go(0)  # the link follows the page while the tab is open
    assert "step=" not in app.tab_bar.views["share"].link.query and app.tab_bar.views["share"].link.ready
    app.tab_bar.widget.selected_index = 0  # hidden, it is marked stale (the page shows no old link)
    assert not app.tab_bar.views["share"].link.ready and app.tab_bar.views["share"].download.value == ""
    app.go(1)
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Share")
    assert (
        app.tab_bar.views["share"].link.ready
        and app.tab_bar.views["share"].link.query.endswith("&edge=weight")
        and "step=forward-2" in app.tab_bar.views["share"].link.query
    )
    link = app.tab_bar.views["share"].download.value
    assert "download='backprop-state.json'" in link and "data:application/json;base64," in link


# --- lessons ----------------------------------------------------------------------------------


def test_a_lesson_hides_locks_and_enlarges():
    app = Dashboard(hide=["train", "table", "network"], lock=["w1,1,1", "x2"], step="bp1", projector=True)
    assert "Train" not in app.tab_bar.widget.titles and "Share" in app.tab_bar.widget.titles
    assert app.diagram_view.diagram_text.layout.display == "none" and app.header.network_row.layout.display == "none"
    app.header.mode.value = "practice"  # practice on and off: the lesson's hidden table stays hidden
    app.header.mode.value = "explore"
    assert app.diagram_view.diagram_text.layout.display == "none" and app.tab_bar.widget.layout.display == ""
    assert "bpw-projector" in app.widget._dom_classes
    assert app.state.worked.steps[app.state.step].id == "bp1"
    row = app.params.rows["w1,1,1"]
    assert row.text.disabled and row.slider.disabled and "bpw-locked" in row.widget._dom_classes
    row.text.value = "0.9"  # a stale page or a script: refused by the kernel too
    assert app.state.network.get("w1,1,1") == 0.1 and "locked" in row.error.value
    assert row.text.value == "0.1"
    assert not app.params.rows["w1,1,2"].text.disabled
    app.params.rows["w1,1,2"].text.value = "0.25"
    assert app.state.network.get("w1,1,2") == 0.25
    assert (
        app.tab_bar.views["train"].step_btn.disabled and app.tab_bar.views["train"].run_btn.disabled
    )  # training would move locked values
    assert "Training is off in this lesson" in app.tab_bar.views["train"].train_lock_note.value


def test_lock_all_locks_every_value_and_the_network_controls():
    app = Dashboard(lock=["all"])
    assert all(r.text.disabled and r.slider.disabled for r in app.params.rows.values())
    assert app.header.arch.disabled and app.header.random_btn.disabled and app.header.hidden.disabled


def test_lesson_keywords_are_checked():
    with pytest.raises(ValueError, match="hide: unknown 'trian'"):
        Dashboard(hide=["trian"])
    with pytest.raises(ValueError, match="lock: no value 'w9,9,9'"):
        Dashboard(lock=["w9,9,9"])
    with pytest.raises(ValueError, match="step 'bp9' is not a step"):
        Dashboard(step="bp9")


def test_the_share_tab_lesson_goes_into_the_link_not_into_the_page():
    app = Dashboard()
    app.tab_bar.widget.selected_index = app.tab_bar.widget.titles.index("Share")
    app.tab_bar.views["share"].hide.value = ("train",)
    app.tab_bar.views["share"].lock.value = "w1,1,1, x1"
    app.tab_bar.views["share"].projector.value = True
    assert app.tab_bar.views["share"].link.query == "hide=train&lock=w1,1,1,x1&projector=1"
    assert "Train" in app.tab_bar.widget.titles and not app.params.rows["w1,1,1"].text.disabled
    app.tab_bar.views["share"].lock.value = "w7,7,7"
    assert (
        "no value" in app.tab_bar.views["share"].lock_msg.value and "lock=" not in app.tab_bar.views["share"].link.query
    )


# --- one file for the app and the export command ---------------------------------------------


def test_the_share_file_works_with_export_weights(tmp_path, capsys):
    net = Network.random([2, 3, 2], seed=5, activation="tanh", output_activation="softmax", loss="cross_entropy")
    x, y = np.array([0.3, -1.25]), np.array([0.0, 1.0])
    app = Dashboard(net, x, y, traced="b2,2")
    path = tmp_path / "backprop-state.json"
    path.write_text(app.to_json(), encoding="utf-8")
    parser = argparse.ArgumentParser()
    export.add_arguments(parser)
    assert export.run(parser.parse_args(["--weights", str(path), "--format", "md"])) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Worked example: ∂L/∂b₂⁽²⁾\n") and "sizes [2, 3, 2]" in out
    # the file's network, worked by hand: h = tanh(W¹x + b¹), a = softmax(W²h + b²),
    # L = −Σ y log a, and for softmax with cross-entropy ∂L/∂b₂⁽²⁾ = δ₂⁽²⁾ = a₂ − y₂
    (W1, W2), (b1, b2) = net.weights, net.biases
    h = np.tanh(W1 @ x + b1)
    a = np.exp(W2 @ h + b2) / np.exp(W2 @ h + b2).sum()
    for number in (*h, *a, -np.sum(y * np.log(a)), a[1] - y[1]):  # …, 0.7749, −0.5392
        assert f"{number:.4g}" in out, number


def test_page_query_reads_the_kernels_environment_without_importing_voila():
    """A kernel Voila starts for a page has the page's query in QUERY_STRING; reading it must
    not import voila (jupyter_server: 1.3 s of a cold page). Outside Voila: ""."""
    code = (
        "import sys; from backprop_widgets import page_query; q = page_query(); print(repr(q), 'voila' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("VOILA_PREHEAT", "QUERY_STRING")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "QUERY_STRING": "net=4,3,2&t=b2,1"},
    ).stdout.split()
    assert out == ["'net=4,3,2&t=b2,1'", "False"]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    assert out == ["''", "False"]


def test_a_preheated_kernel_takes_its_page_request_without_importing_voila():
    """A preheated kernel waits for its page on Voila's request-info websocket
    (``/voila/query/<kernel id>``, one JSON message: the request's environment), as
    ``voila.utils.get_query_string`` does, but without importing voila or jupyter_server (1.3 CPU-s
    and ~40 MB per kernel). Here a stand-in for Voila's end sends the request."""
    from websockets.sync.server import serve as ws_serve

    asked = []

    def handler(ws):
        asked.append(ws.request.path)
        ws.send(json.dumps({"QUERY_STRING": "net=4,3,2&t=b2,1", "SCRIPT_NAME": "/"}))

    with ws_serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        code = (
            "import sys; from backprop_widgets import page_query; q = page_query(); "
            "print(repr(q), 'voila' in sys.modules, 'jupyter_server' in sys.modules)"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("VOILA_") and k != "QUERY_STRING"}
        env.update(VOILA_PREHEAT="True", VOILA_APP_PORT=str(port), VOILA_KERNEL_ID="k-42", VOILA_SERVER_URL="/base/")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        server.shutdown()
    assert out.stdout.split() == ["'net=4,3,2&t=b2,1'", "False", "False"]
    assert asked == ["/base/voila/query/k-42"]


def test_a_preheated_kernel_nobody_answers_shows_the_plain_app():
    """No request info (Voila gone): a warning, and the page query is empty, as with Voila's own."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there
    code = "from backprop_widgets import page_query; print(repr(page_query()))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOILA_") and k != "QUERY_STRING"}
    env.update(VOILA_PREHEAT="True", VOILA_APP_PORT=str(port), VOILA_KERNEL_ID="k-1")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "''"
    assert "no page request from ws://127.0.0.1:" in out.stderr


def test_a_request_info_that_is_not_an_object_of_strings_is_refused():
    """Whatever the other end sends, the kernel's first cell goes on: a warning, no query."""
    from websockets.sync.server import serve as ws_serve

    with ws_serve(lambda ws: ws.send('["QUERY_STRING", "net=4,3,2"]'), "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        code = "from backprop_widgets import page_query; print(repr(page_query()))"
        env = {k: v for k, v in os.environ.items() if not k.startswith("VOILA_") and k != "QUERY_STRING"}
        env.update(VOILA_PREHEAT="True", VOILA_APP_PORT=str(port), VOILA_KERNEL_ID="k-7")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        server.shutdown()
    assert out.stdout.strip() == "''"
    assert "not an object of strings" in out.stderr
