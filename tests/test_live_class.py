"""The teacher's page and five student pages of one live class, in the kernel, on a real SQLite
store: the teacher's own controls (not the store's calls) move, reveal and clear, and every
student page follows; what the students commit is what the teacher's page counts. The two pages
are tested on their own in tests/test_teacher_page.py and tests/test_live_page.py, and together
in a browser in tests/test_browser_live.py."""

from __future__ import annotations

import re

from test_live_page import PREDICTIONS, commit, line, page, sync
from test_teacher_page import bars

from backprop_widgets import Dashboard
from backprop_widgets.app.teacher_page import TeacherPage


def test_the_teachers_controls_move_five_pages_which_answer_and_follow(room):
    url, store, class_id, secret = room
    students = [page(url, class_id, mode="explore") for _ in range(5)]
    teacher = TeacherPage(Dashboard().state, store, class_id, secret)
    for app in students:
        sync(app)
    # Fade's stage 1, from the teacher's menu: every page goes there
    teacher.stage.value = "fade:1"
    teacher.move_button.click()
    for app in students:
        sync(app)
        assert (app.state.mode, app.state.stage) == ("fade", 1)
    # a prediction, from the teacher's menu: every page asks it, on its step
    i, p = next((i, p) for i, p in enumerate(PREDICTIONS) if p.kind == "sign")
    teacher.stage.value = None
    teacher.prediction.value = p.id
    teacher.move_button.click()
    for app in students:
        sync(app)
        assert app.state.mode == "predict" and app.state.step == app.state.example.index(p.step_id)
    wrong = next(c for c in p.choices if c != p.answer)
    answers = [p.answer, p.answer, p.answer, wrong, wrong]
    for app, answer in zip(students, answers):
        commit(app, i, answer)
        sync(app)
        assert line(app) == "Connected to the class · 1 answer sent"
    teacher.refresh()
    assert re.search(r"data-answered='5'>5</span> answers this round, from 5 pages", teacher.status.value)
    assert sorted(bars(teacher.summary.value)) == sorted([(p.answer, 3), (wrong, 2)])
    assert "60 % right on the first try (3 of 5)" in teacher.summary.value
    # a step, from the teacher's menu: pages number steps from 1, the menu too
    steps = [s.id for s in students[0].state.example.steps]
    teacher.prediction.value = None
    teacher.step.value = steps.index("bp2-1")
    assert teacher.step.label.startswith(f"{steps.index('bp2-1') + 1}. ")
    teacher.move_button.click()
    for app in students:
        sync(app)
        assert app.state.step == steps.index("bp2-1")
    # the reveal: a page that had not committed the next question sees its answer
    j, q = next((j, q) for j, q in enumerate(PREDICTIONS) if q.kind == "loss_after_step")
    teacher.step.value = None
    teacher.prediction.value = q.id
    teacher.move_button.click()
    teacher.reveal_button.click()
    for app in students:
        sync(app)
        card = app.step_panel.predict_view._card(j)
        assert card.committed and f"the page: {q.answer}" in card.verdict
        assert line(app).startswith("The teacher revealed the answer")
    assert "revealed" in teacher.status.value
