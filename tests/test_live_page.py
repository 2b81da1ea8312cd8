"""A student page in a live class (lesson field ``live=1``), driven in the kernel against a real
SQLite store in tmp_path: what it sends, what it says, how it follows the teacher, and what it
does while the store is down. The browser side: tests/test_browser_live.py."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import time

import pytest
from kernel_loop import in_the_kernels_loop

from backprop_widgets import Dashboard, seed_example, worked_example
from backprop_widgets.app.live_client import join_class, status_text
from backprop_widgets.core import read_query
from backprop_widgets.live import open_store
from backprop_widgets.live.links import CLASS_ENV
from backprop_widgets.live.sender import MAX_BACKOFF_S
from backprop_widgets.live.store import ENV as STORE_ENV

PREDICTIONS = worked_example(*seed_example()).predictions()  # the seed page's, in walk order


def page(url, class_id, *, mode="predict", nick=False, stage=None, **opener_options):
    """A dashboard that joined the class; its line is stepped by the test (no thread)."""
    app = Dashboard(mode=mode) if stage is None else Dashboard(mode=mode, stage=stage)
    opener = (lambda: open_store(url, **opener_options)) if opener_options else None
    env = {STORE_ENV: url, CLASS_ENV: class_id}
    app.live = join_class(app.state, app.step_panel, nick=nick, env=env, opener=opener, start=False)
    return app


def sync(app):
    """One pass of the page's line, then the redraw the kernel's loop would do."""
    app.live.sender.step()
    app.live.apply()


def commit(app, i, text=None):
    pv = app.step_panel.predict_view
    p = pv.predictions[i]
    app.go(app.state.example.index(p.step_id))
    pv._card(i).value = p.answer if text is None else text
    pv.commit(i)


def rows(store, class_id, secret):
    return list(csv.DictReader(io.StringIO(store.results_csv(class_id, secret))))


def line(app):
    return re.sub(r"<[^>]+>", "", app.live.status.value)


def test_the_lesson_field_live_and_nick_are_read_and_written():
    snap, problems = read_query("live=1&nick=1&mode=predict")
    assert problems == [] and snap.lesson.live and snap.lesson.nick
    assert not read_query("mode=predict")[0].lesson.live
    assert read_query("live=maybe")[1] == ["live 'maybe' is not 1 or 0"]


def test_each_committed_prediction_lands_in_the_class_with_what_the_results_keep(room):
    url, store, class_id, secret = room
    app = page(url, class_id)
    sync(app)
    assert line(app) == "Connected to the class · 0 answers sent"
    commit(app, 0)  # right: the page's own answer
    commit(app, 1, PREDICTIONS[1].choices[0])  # δ₁⁽¹⁾: wrong (the page's answer is δ₂⁽¹⁾)
    assert PREDICTIONS[1].answer != PREDICTIONS[1].choices[0]
    app.live.apply()
    assert line(app) == "Connected to the class · 0 answers sent · 2 waiting"  # queued: nothing waited
    sync(app)
    assert line(app) == "Connected to the class · 2 answers sent"
    got = rows(store, class_id, secret)
    assert [(r["round"], r["question"], r["kind"], r["answer"], r["right_on_first_try"]) for r in got] == [
        ("1", "largest_delta-2", "largest_delta", PREDICTIONS[0].answer, "yes"),
        ("1", "largest_delta-1", "largest_delta", PREDICTIONS[1].choices[0], "no"),
    ]
    kept = list(app.step_panel.results.rows.values())
    assert [float(r["seconds"]) for r in got] == [r.seconds for r in kept]
    # the page is one anonymous student: a random id, no nickname unless the lesson asks
    with store.backend.transaction(write=False) as cur:
        pages = cur.execute("SELECT DISTINCT page_id, nickname FROM answers").fetchall()
    assert pages == [(app.live.sender.page_id, "")] and re.fullmatch(r"[0-9a-f]{24}", pages[0][0])
    assert page(url, class_id).live.sender.page_id != app.live.sender.page_id
    assert app.live.nickname.layout.display == "none"


def test_a_practice_answer_goes_to_the_class_with_its_named_mistake(room):
    url, store, class_id, secret = room
    app = page(url, class_id, mode="practice")
    sync(app)
    app.go(4)  # BP1: δ⁽³⁾ = (a − y)·σ′(z) = −0.0794 on the seed page
    (row,) = app.step_panel.practice_view.rows.children
    row.children[1].children[1].value = "-0.0787"  # σ′ taken at a, a named mistake
    sync(app)
    [got] = rows(store, class_id, secret)
    [kept] = app.step_panel.results.rows.values()
    assert (got["question"], got["kind"], got["answer"], got["right_on_first_try"]) == (
        kept.id,
        kept.kind,
        "-0.0787",
        "no",
    )
    assert got["mistake"] == kept.mistake != ""
    summary = store.teacher_view(class_id, secret).questions[0]
    assert summary.question_id == kept.id and summary.top_mistakes[0][0] == kept.mistake


def test_a_faded_blank_goes_to_the_class_its_equation_then_its_number(room):
    """Fade at stage 1 blanks the update (seed: w₁,₁⁽¹⁾ − η ∂L/∂w = 0.1 − 0.5 × (−0.00212) = 0.101):
    the student's first choice of equation and the number each reach the class as the page keeps them."""
    url, store, class_id, secret = room
    app = page(url, class_id, mode="fade", stage=1)
    sync(app)
    app.go(app.state.example.index("bp3"))
    (row,) = app.step_panel.practice_view.rows.children
    prompt, number = row.children[1].children[0], row.children[2]
    prompt.value = "BP3"  # the wrong equation first
    prompt.value = "update"
    number.children[1].value = "0.101"
    sync(app)
    got = {r["question"]: (r["kind"], r["answer"], r["right_on_first_try"]) for r in rows(store, class_id, secret)}
    assert got == {"bp3:update:principle": ("principle", "BP3", "no"), "bp3:update": ("update", "0.101", "yes")}
    kept = {r.id: (r.kind, r.first_answer, "yes" if r.right else "no") for r in app.step_panel.results.rows.values()}
    assert got == kept
    view = store.teacher_view(class_id, secret)
    assert {q.question_id: (q.answered, q.right_first) for q in view.questions} == {
        "bp3:update": (1, 1),
        "bp3:update:principle": (1, 0),
    }


def test_a_nickname_only_when_the_lesson_asks_and_at_most_24_characters(room):
    url, store, class_id, secret = room
    app = page(url, class_id, nick=True)
    assert app.live.nickname.layout.display == ""
    app.live.nickname.value = "  <b>Ada</b> Lovelace-Byron-King-Noel  "
    sync(app)
    commit(app, 0)
    sync(app)
    assert store.teacher_view(class_id, secret).nicknames == ("<b>Ada</b> Lovelace-Byron-"[:24],)


def test_the_page_follows_the_teacher_stage_step_prediction_reveal_freeze_clear(room):
    url, store, class_id, secret = room
    app, s = page(url, class_id, mode="explore"), None
    s, pv = app.state, app.step_panel.predict_view
    sync(app)
    store.move(class_id, secret, stage="fade:1")
    sync(app)
    assert (s.mode, s.stage) == ("fade", 1)
    store.move(class_id, secret, step=3)
    sync(app)
    assert s.step == 3
    target = PREDICTIONS[3]  # largest_edge-3, on bp3: two earlier predictions are not committed
    store.move(class_id, secret, prediction=target.id)
    sync(app)
    assert s.mode == "predict" and s.step == s.example.index(target.step_id)
    assert target.prompt in [c.prompt for c in pv.cards.children]  # asked here, though earlier ones wait
    store.reveal(class_id, secret)
    sync(app)
    card = pv._card(3)
    assert card.committed and f"the page: {target.answer}" in card.verdict
    assert line(app) == "The teacher revealed the answer · 0 answers sent"
    assert app.step_panel.results.rows == {}  # a reveal is no answer of the student's
    # a new question, then frozen: Commit says so and sends nothing
    store.move(class_id, secret, prediction=PREDICTIONS[2].id)
    store.freeze(class_id, secret)
    sync(app)
    assert line(app) == "Answers are frozen by the teacher"
    commit(app, 2)
    assert not pv._card(2).committed and "frozen by the teacher" in pv._card(2).verdict
    store.freeze(class_id, secret, frozen=False)
    sync(app)
    commit(app, 2)
    sync(app)
    assert pv._card(2).committed and line(app) == "Connected to the class · 1 answer sent"
    # cleared: the same question afresh, in a new round of the student's results too
    before = app.step_panel.results.round
    round_before = store.student_view(class_id).round
    store.clear(class_id, secret)
    sync(app)
    assert 2 not in pv.guesses and app.step_panel.results.round == before + 1
    commit(app, 2)
    sync(app)
    assert [r["round"] for r in rows(store, class_id, secret)] == [str(round_before), str(round_before + 1)]


def test_store_down_the_page_says_so_queues_and_sends_when_back(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    url = f"sqlite:///{tmp_path}/link/class.sqlite3"  # through a symlink that the test breaks
    (tmp_path / "link").symlink_to(real)
    store = open_store(url)
    class_id, secret = store.create_class()
    store.close()
    (tmp_path / "link").unlink()
    (tmp_path / "link").write_text("not a directory: the store cannot be opened")
    app = page(url, class_id)
    sender = app.live.sender
    delays = [sender.step() for _ in range(5)]
    assert delays == [0.5, 1.0, 2.0, 4.0, MAX_BACKOFF_S]  # backoff, at most 5 s
    app.live.apply()
    commit(app, 0)
    app.live.apply()
    assert line(app) == "Not connected to the class — retrying; 1 answer waiting"
    assert app.step_panel.predict_view._card(0).committed  # the page itself goes on
    (tmp_path / "link").unlink()
    (tmp_path / "link").symlink_to(real)
    sync(app)
    assert line(app) == "Connected to the class · 1 answer sent"
    store = open_store(url)
    assert [r["question"] for r in rows(store, class_id, secret)] == [PREDICTIONS[0].id]
    store.close()


def test_answers_that_cannot_be_kept_are_counted_never_dropped_silently(tmp_path, room):
    url, store, class_id, secret = room
    app = page(f"sqlite:///{tmp_path}/file/x.sqlite3", class_id)  # down: a file where a folder should be
    (tmp_path / "file").write_text("")
    app.live.sender.queue_max = 1
    sync(app)
    commit(app, 0)
    commit(app, 1)
    app.live.apply()
    assert line(app) == (
        "Not connected to the class — retrying; 1 answer waiting · 1 answer could not be sent "
        "(The queue of answers waiting was full)"
    )
    # refused by the store: the class is on another question
    app = page(url, class_id)
    store.move(class_id, secret, prediction=PREDICTIONS[1].id)
    sync(app)
    commit(app, 0)
    sync(app)
    assert line(app) == (
        "Connected to the class · 0 answers sent · 1 answer could not be sent (The class is on another question now)"
    )


def test_a_second_answer_to_a_question_is_neither_sent_nor_lost_the_first_counts(room):
    """The store keeps a page's first answer to a question in a round; the line counts what it kept."""
    url, store, class_id, secret = room
    app = page(url, class_id)
    sync(app)
    record = {"id": "largest_delta-2", "kind": "largest_delta", "first_answer": "x", "right": True, "mistake": ""}
    app.live.sender.send({**record, "seconds": 3.0})
    app.live.sender.send({**record, "first_answer": "y", "right": False, "seconds": 5.0})
    sync(app)
    st = app.live.sender.status()
    assert (st.sent, st.lost, st.waiting) == (1, 0, 0) and line(app) == "Connected to the class · 1 answer sent"
    assert [(r["answer"], r["right_on_first_try"]) for r in rows(store, class_id, secret)] == [("x", "yes")]


def test_a_page_that_answers_too_fast_is_told_it_is_throttled_then_sends(room):
    url, store, class_id, secret = room
    app = page(url, class_id, rate=1)
    sync(app)
    commit(app, 0)
    commit(app, 1)
    sync(app)
    assert line(app) == "Throttled: Too many answers at once (at most 1 a second): wait, then send again."
    time.sleep(1.05)
    sync(app)
    assert line(app) == "Connected to the class · 2 answers sent"


def test_an_unreachable_postgresql_is_not_connected_and_the_page_goes_on():
    pytest.importorskip("psycopg_pool")
    app = page("postgresql://nobody@127.0.0.1:9/none", "abcdefgh", timeout=1.0)
    start = time.monotonic()
    sync(app)
    assert time.monotonic() - start < 10
    commit(app, 0)
    app.live.apply()
    assert line(app) == "Not connected to the class — retrying; 1 answer waiting"


def test_in_the_kernels_loop_the_page_joins_by_its_link_sends_and_follows_within_2_s(room, monkeypatch):
    url, store, class_id, secret = room
    monkeypatch.setenv(STORE_ENV, url)
    monkeypatch.setenv(CLASS_ENV, class_id)

    async def scenario():
        app = Dashboard.from_query("live=1&mode=predict")
        try:
            assert app.live is not None and app.live.loop is not None
            assert "bpw-live" in app.widget.children[2]._dom_classes
            commit(app, 0)
            await until(lambda: store.teacher_view(class_id, secret).answered == 1)
            await until(lambda: line(app) == "Connected to the class · 1 answer sent")
            store.move(class_id, secret, prediction=PREDICTIONS[5].id)
            t0 = time.monotonic()
            await until(lambda: app.state.step == app.state.example.index(PREDICTIONS[5].step_id))
            assert time.monotonic() - t0 < 2.0
        finally:
            app.live.sender.stop()

    in_the_kernels_loop(scenario)


async def until(condition, timeout=5.0):
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "not within the time"
        await asyncio.sleep(0.05)


def test_status_text_says_each_state():
    from backprop_widgets.live.sender import Status

    assert status_text(Status(False, 0, 0, 0, "", False, None)) == "Joining the class…"
    assert status_text(Status(False, 3, 2, 0, "x", False, None)) == (
        "Not connected to the class — retrying; 2 answers waiting"
    )
    assert os.environ.get(CLASS_ENV) is None  # the tests' own environment names no class
