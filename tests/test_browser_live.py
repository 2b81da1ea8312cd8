"""``serve --live`` in a real browser (external hosts blocked): one student page commits a
prediction, the answer lands in the store, the teacher moves the class and reveals (the test
calls the store with the secret, as the teacher's page will) and the page follows within 2 s,
read from the page. Neither the server's log nor the student's page holds the secret."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets import seed_example, worked_example
from backprop_widgets.live import open_store

from conftest import free_port, stop, wait_listening
from pages import FIRST_RENDER_MS, PATIENCE, UPDATE_MS, loopback_only, screenshot

pytestmark = pytest.mark.browser

FOLLOW_MS = round(2_000 * PATIENCE)  # pages follow the teacher within 2 s (more on a loaded machine)
WORKED = worked_example(*seed_example())


@contextlib.contextmanager
def served_live(home: Path, log_name: str = "serve.log"):
    """``backprop-widgets serve --live`` in ``home``: its printed links, its log, the kept class."""
    port, log = free_port(), home / log_name
    cmd = [sys.executable, "-m", "backprop_widgets", "serve", "--live", "--no-browser", "--port", str(port)]
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            cmd, cwd=home, stdout=fh, stderr=subprocess.STDOUT, env={**os.environ, "TMPDIR": str(home)}
        )
    try:
        wait_listening(port, proc, log)
        deadline = time.monotonic() + 60
        while "Teacher opens" not in log.read_text():
            assert time.monotonic() < deadline and proc.poll() is None, log.read_text()
            time.sleep(0.1)
        text = log.read_text()
        student = re.search(r"Students open:\s+(\S+)", text).group(1)
        teacher = re.search(r"Teacher opens \(keep it to yourself\): (\S+)", text).group(1)
        kept = json.loads((home / "backprop-live.class").read_text())
        yield {"student": student, "teacher": teacher, "log": log, "home": home, **kept}
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    with served_live(tmp_path_factory.mktemp("live")) as served:
        yield served


def commit_first_prediction(page: Page, served: dict) -> None:
    """The class moved to the page's first prediction (by the store, with the secret, as the
    teacher's page does); the page commits the right answer and says it was sent."""
    status = page.locator(".bpw-live-status")
    expect(status).to_have_text("Connected to the class · 0 answers sent", timeout=FIRST_RENDER_MS)
    store = open_store(f"sqlite:///{Path(served['home']) / 'backprop-live.sqlite3'}")
    try:
        first = WORKED.predictions()[0]  # which δ⁽²⁾ is largest?
        store.move(served["class"], served["secret"], prediction=first.id)
    finally:
        store.close()
    title = page.locator(".bpw-step-title")
    expect(title).to_contain_text(f"Step {WORKED.index(first.step_id) + 1} of", timeout=FOLLOW_MS)
    card = page.locator(f".bpw-card-{first.kind}").first
    card.locator(".bpw-choice", has_text=first.answer).click()
    card.locator(".bpw-commit").click()
    expect(card.locator(".bpw-card-verdict")).to_contain_text("You predicted", timeout=UPDATE_MS)
    expect(status).to_have_text("Connected to the class · 1 answer sent", timeout=UPDATE_MS)


def test_a_student_page_sends_its_prediction_and_follows_the_teacher(page: Page, live_server):
    blocked = loopback_only(page.context)
    class_id, secret = live_server["class"], live_server["secret"]
    assert live_server["student"].endswith("/?live=1") and live_server["teacher"].endswith(f"#secret={secret}")
    page.goto(live_server["student"] + "&mode=predict", timeout=FIRST_RENDER_MS)
    commit_first_prediction(page, live_server)
    status, title = page.locator(".bpw-live-status"), page.locator(".bpw-step-title")
    first = WORKED.predictions()[0]
    store = open_store(f"sqlite:///{Path(live_server['home']) / 'backprop-live.sqlite3'}")
    try:
        csv_rows = store.results_csv(class_id, secret).splitlines()
        assert csv_rows[1].split(",")[2:6] == [first.id, first.kind, first.answer, "yes"]
        # the teacher moves the class on and reveals: the page follows, read from the page
        later = next(p for p in WORKED.predictions() if p.step_id == "check")
        store.move(class_id, secret, prediction=later.id)
        expect(title).to_contain_text(f"Step {WORKED.index('check') + 1} of", timeout=FOLLOW_MS)
        store.reveal(class_id, secret)
        verdict = page.locator(f".bpw-card-{later.kind} .bpw-card-verdict").first
        expect(verdict).to_contain_text(f"Revealed by the teacher: the page: {later.answer}", timeout=FOLLOW_MS)
        expect(status).to_contain_text("The teacher revealed the answer", timeout=FOLLOW_MS)
    finally:
        store.close()
    assert secret not in page.content()
    # the teacher's link: its secret stays in the browser (the fragment is never sent)
    page.goto(live_server["teacher"], timeout=FIRST_RENDER_MS)
    expect(page.locator(".bpw-teacher-status")).to_contain_text("Round", timeout=FIRST_RENDER_MS)
    # a request the server logs at the default level (a refused one is a warning): the fragment,
    # and the secret in it, is not in the line
    missing = live_server["teacher"].replace("/?teacher=1", "/no-such-page?teacher=1")
    assert page.goto(missing, timeout=FIRST_RENDER_MS).status >= 400
    assert not blocked
    log = Path(live_server["log"]).read_text()
    served = log.split("Teacher opens")[1].split("\n", 1)[1]  # what the server logged after printing it
    deadline = time.monotonic() + 10
    while "no-such-page" not in served and time.monotonic() < deadline:
        time.sleep(0.2)
        served = Path(live_server["log"]).read_text().split("Teacher opens")[1].split("\n", 1)[1]
    assert "Using pre-heated kernel" in served and "no-such-page" in served, served[-2000:]
    assert secret not in served


def test_five_students_and_the_teachers_page_one_class(browser, live_server):
    """Five student pages and the teacher's page, all in chromium: the teacher moves the class
    to a question from the page, the students commit, the teacher's page shows five answers
    with their distribution, and its Reveal reaches every student page."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    blocked = loopback_only(context)
    try:
        teacher = context.new_page()
        teacher.goto(live_server["teacher"], timeout=FIRST_RENDER_MS)
        expect(teacher.locator(".bpw-teacher-status")).to_contain_text("Round", timeout=FIRST_RENDER_MS)
        q = next(p for p in WORKED.predictions() if p.id == "largest_edge-2")
        teacher.locator(".bpw-teacher-question select").select_option(label=f"{q.id}: {q.prompt}")
        teacher.locator("button.bpw-teacher-move").click()
        students = []
        for _ in range(5):
            student = context.new_page()
            student.goto(live_server["student"] + "&mode=predict", timeout=FIRST_RENDER_MS)
            students.append(student)
        step = f"Step {WORKED.index(q.step_id) + 1} of"
        wrong = next(c for c in q.choices if c != q.answer)
        answers = [q.answer, q.answer, q.answer, wrong, wrong]
        for student, answer in zip(students, answers):
            expect(student.locator(".bpw-live-status")).to_contain_text("Connected", timeout=FIRST_RENDER_MS)
            expect(student.locator(".bpw-step-title")).to_contain_text(step, timeout=FOLLOW_MS)
            card = student.locator(f".bpw-card-{q.kind}", has_text=q.prompt)  # bp3 asks two largest_edge
            card.locator(".bpw-choice", has_text=answer).click()
            card.locator(".bpw-commit").click()
            expect(student.locator(".bpw-live-status")).to_contain_text("1 answer sent", timeout=FOLLOW_MS)
        # the teacher's page: five answers, three right, by itself (it polls the class)
        expect(teacher.locator(".bpw-teacher .bpw-class-count")).to_have_text("5", timeout=FOLLOW_MS)
        labels = teacher.locator(".bpw-teacher .bpw-bar-label").all_inner_texts()
        shown = dict(zip(labels, map(int, teacher.locator(".bpw-teacher .bpw-bar-count").all_inner_texts())))
        assert shown == {q.answer: 3, wrong: 2}, shown
        expect(teacher.locator(".bpw-teacher .bpw-class-right")).to_have_text("60 % right on the first try (3 of 5)")
        expect(teacher.locator('.bpw-teacher svg [id="chosen-w2-2-2"]')).to_have_attribute("data-count", "3")
        screenshot(teacher, "teacher-page-1366.png")
        # moved on and revealed, from the teacher's page: every student page shows the answer
        later = next(p for p in WORKED.predictions() if p.id == "loss_after_step")
        teacher.locator(".bpw-teacher-question select").select_option(label=f"{later.id}: {later.prompt}")
        teacher.locator("button.bpw-teacher-move").click()
        teacher.locator("button.bpw-teacher-reveal").click()
        for student in students:
            verdict = student.locator(f".bpw-card-{later.kind} .bpw-card-verdict").first
            expect(verdict).to_contain_text(f"Revealed by the teacher: the page: {later.answer}", timeout=FOLLOW_MS)
            expect(student.locator(".bpw-step-title")).to_contain_text(
                f"Step {WORKED.index(later.step_id) + 1} of", timeout=FOLLOW_MS
            )
        for p in [teacher, *students]:
            assert live_server["secret"] not in p.content()
        # the teacher's page without the secret, or with a wrong one: nothing of the class
        for fragment in ("", "#secret=not-the-teachers-secret"):
            other = context.new_page()
            other.goto(live_server["teacher"].split("#")[0] + fragment, timeout=FIRST_RENDER_MS)
            expect(other.locator(".bpw-teacher-locked")).to_contain_text(
                "This is the teacher's page", timeout=FIRST_RENDER_MS
            )
            other.wait_for_timeout(FOLLOW_MS)  # a poll later, still nothing
            assert other.locator(".bpw-class-count, .bpw-bar, .bpw-class-question, .bpw-class-chosen").count() == 0
            assert not re.search(r"Round \d|right on the first try|answers? this round", other.inner_text("body"))
            assert "data-count" not in other.content() and q.answer not in other.content()
            other.close()
        assert not blocked, blocked
    finally:
        context.close()


def test_a_restarted_server_keeps_the_rounds_answers(page: Page, tmp_path):
    """A server stopped during a round and started again in its directory keeps the class, its
    secret and the answers already committed: the teacher's page of the new server counts them."""
    blocked = loopback_only(page.context)
    with served_live(tmp_path, "first.log") as first:
        page.goto(first["student"] + "&mode=predict", timeout=FIRST_RENDER_MS)
        commit_first_prediction(page, first)
    with served_live(tmp_path, "second.log") as second:
        assert (second["class"], second["secret"]) == (first["class"], first["secret"])
        assert "Live class: a new class, kept in" in first["log"].read_text()
        assert "Live class: the class of backprop-live.class;" in second["log"].read_text()
        page.goto(second["teacher"], timeout=FIRST_RENDER_MS)
        expect(page.locator(".bpw-teacher .bpw-class-count")).to_have_text("1", timeout=FOLLOW_MS)
        labels = page.locator(".bpw-teacher .bpw-bar-label").all_inner_texts()
        assert labels == [WORKED.predictions()[0].answer], labels
    assert not blocked, blocked
