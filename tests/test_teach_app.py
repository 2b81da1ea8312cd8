"""Predict, Fade and the modes in the kernel: what the page holds back, when it shows it, the
lesson fields and the student's own results (the browser side: tests/test_browser_teach.py)."""

from __future__ import annotations

import csv
import io

import pytest

from backprop_widgets import Dashboard, seed_example, worked_example
from backprop_widgets.app.results import Results
from backprop_widgets.app.tabs import TABS
from backprop_widgets.core import read_query


@pytest.fixture
def predict():
    return Dashboard(mode="predict")


def test_predict_holds_back_until_each_prediction_is_committed(predict):
    app, s = predict, predict.state
    pv = app.step_panel.predict_view
    we = s.example
    assert [p.id for p in pv.predictions] == [p.id for p in we.predictions()]
    # nothing that prints a gradient is on the page, not even in a hidden widget's value
    assert s.hides and s.holds_tabs
    assert app.header.loss_value.value == "" and app.header.check_value.value == ""
    assert app.tab_bar.names == ["share"] and app.diagram_view.diagram.numbers is False
    # the step of the first prediction asks it; the steps after it wait, with no panel
    first = pv.predictions[0]
    app.go(we.index("bp3"))
    assert app.step_panel.panel.value == "" and "waits on step 6" in pv.ahead.value
    app.go(we.index(first.step_id))
    assert app.step_panel.panel.value == "" and [c.prompt for c in pv.cards.children] == [first.prompt]
    card = pv.cards.children[0]
    assert card.verdict == "" and card.value == ""  # nothing said before the commit
    # empty and unknown answers keep the card open, with what to do
    pv.commit(0)
    assert "Choose one of the options" in card.verdict and not card.committed
    card.value = first.answer
    pv.commit(0)
    assert card.committed and "✓" in card.verdict and "0.00562" in app.step_panel.panel.value  # |δ₂⁽²⁾|
    # the diagram stays without numbers while a prediction it could answer waits
    assert s.hides
    for i, p in enumerate(pv.predictions):
        if i in pv.guesses:
            continue
        app.go(we.index(p.step_id))
        pv._card(i).value = p.answer if p.choices else "0.06"
        pv.commit(i)
        if p.kind == "largest_edge" and not any(q.kind in ("sign", "largest_edge") for q in pv.predictions[i + 1 :]):
            assert not s.hides and s.holds_tabs  # the diagram may show: the step's check still waits
    assert not s.hides and not s.holds_tabs and app.tab_bar.names == list(TABS)
    assert app.header.loss_value.value == "<b>L = 0.0611</b>"


def test_a_numeric_prediction_refuses_text_that_is_not_a_number(predict):
    app, pv = predict, predict.step_panel.predict_view
    i = next(i for i, p in enumerate(pv.predictions) if p.kind == "nudge")
    for k in range(i):  # commit the earlier ones
        app.go(app.state.example.index(pv.predictions[k].step_id))
        pv._card(k).value = pv.predictions[k].answer
        pv.commit(k)
    app.go(app.state.example.index("check"))
    card = pv._card(i)
    for text in ("abc", "nan", "1e999", ""):
        card.value = text
        pv.commit(i)
        assert not card.committed and card.verdict, text
    card.value = "0.0600"
    pv.commit(i)
    assert card.committed
    assert "You predicted</b> 0.0600 · <b>the page</b>: 0.0600. Right: to first order" in card.verdict


def test_the_tabs_that_leave_take_their_numbers_with_them():
    app = Dashboard()
    app.state.tab = "quantities"  # rendered: its widgets hold every number
    old = app.tab_bar.views["quantities"]
    assert old.rendered
    app.state.set_mode("practice")
    assert app.tab_bar.views["quantities"] is not old and old.widget.comm is None  # closed in the browser
    assert not app.tab_bar.views["quantities"].rendered


def test_fade_asks_the_equation_before_the_number_and_offers_the_next_stage():
    app = Dashboard(mode="fade", stage=1, step="bp3")
    s, view = app.state, app.step_panel.practice_view
    assert s.stage == 1 and [q.name for q in view.questions] == ["update"]
    row = view.rows.children[0]
    prompt, number = row.children[1].children[0], row.children[2]
    assert number.layout.display == "none"
    prompt.value = "BP3"
    assert "✗" in row.children[1].children[1].value and number.layout.display == "none"
    prompt.value = "update"
    assert number.layout.display == ""
    number.children[1].value = "0.101"  # w₁,₁⁽¹⁾ − η ∂L/∂w = 0.1 − 0.5 × (−0.00212)
    assert "✓" in row.children[3].value and not s.hides
    assert app.step_panel.next_stage.layout.display == ""
    app.step_panel.next_stage.click()
    assert s.stage == 2 and s.hides and len(view.questions) == 2


def test_a_stage_beyond_the_last_is_clamped_and_said():
    app = Dashboard.from_query("mode=fade&stage=15")
    assert app.state.stage == app.state.stages() - 1 == 6
    assert "stage 15 (this example&#x27;s last stage is 6, shown instead)" in app.header.share_msg.value


@pytest.mark.parametrize(
    "query, problem",
    [("mode=zzz", "mode 'zzz' is not one of explore, predict, fade, practice"), ("stage=abc", "stage 'abc'")],
)
def test_bad_mode_fields_are_named_and_the_rest_is_used(query, problem):
    snap, problems = read_query(f"traced=b2,1&{query}")
    assert snap.traced == "b2,1" and snap.mode == "explore" and any(problem in p for p in problems)


def test_older_links_and_the_mode_lock():
    snap, problems = read_query("practice=1&hide=practice,train")
    assert not problems and snap.mode == "practice" and snap.lesson.hide == ("mode", "train")
    app = Dashboard.from_query("mode=predict&lock=mode")
    assert app.state.mode == "predict" and app.header.mode.disabled
    assert Dashboard.from_query("mode=fade&stage=3").to_query() == "mode=fade&stage=3"


def test_results_keep_the_first_answer_per_round_and_never_a_formula():
    t = iter(range(100))
    r = Results(clock=lambda: float(next(t)))
    r.show("bp1:delta3,1")
    r.answer("bp1:delta3,1", "BP1", "=HYPERLINK(1)", False, "sign")
    r.answer("bp1:delta3,1", "BP1", "-0.0794", True)  # a second answer: the first counts
    r.answer("sign", "sign", "+", True)
    r.new_round()
    r.show("sign")
    r.answer("sign", "sign", "−", False)
    rows = list(csv.DictReader(io.StringIO(r.csv())))
    assert [(x["round"], x["id"], x["first_answer"], x["right_on_first_try"], x["mistake"]) for x in rows] == [
        ("0", "bp1:delta3,1", "'=HYPERLINK(1)", "no", "sign"),
        ("0", "sign", "+", "yes", ""),
        ("1", "sign", "−", "no", ""),
    ]
    assert rows[0]["seconds"] == "1.0"


def test_the_library_and_the_page_ask_the_same():
    net, x, y = seed_example()
    we = worked_example(net, x, y)
    app = Dashboard(mode="fade", stage=6)
    assert [q.name for q in app.step_panel.practice_view.questions] == [q.name for q in we.questions()]
