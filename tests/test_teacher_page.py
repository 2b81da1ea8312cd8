"""The teacher's page of the live class (app/teacher_page.py) on a real SQLite store: five fake
pages answer through the store, and the page's widgets show what they sent, counted by hand
here; its buttons change what the store tells the student pages; without the secret the widget
tree holds nothing of the class."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import re
import time

import pytest
from kernel_loop import in_the_kernels_loop
from test_escape import PAYLOADS, Elements, widgets_html

from backprop_widgets import Dashboard
from backprop_widgets.app.teacher_page import LOCKED, TeacherPage, is_teacher, page, without_teacher
from backprop_widgets.live import open_store

PAGES = [f"page-{i:04d}" for i in range(5)]


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path}/class.sqlite3")
    yield s
    s.close()


@pytest.fixture
def klass(store):
    return store.create_class()


def send(store, class_id, page_id, qid, kind, answer, right, mistake="", nickname=""):
    round_no = store.student_view(class_id).round
    record = {"round": round_no, "id": qid, "kind": kind, "first_answer": answer, "right_on_first_try": right}
    return store.submit(class_id, page_id, record | {"mistake": mistake, "nickname": nickname})


def bars(html_text: str) -> list[tuple[str, int]]:
    """The (label, count) rows of the page's bars, read back from its HTML."""
    rows = re.findall(r"bpw-bar-label'>([^<]*)</span>.*?data-count='(\d+)'", html_text)
    return [(label, int(n)) for label, n in rows]


def edge_answers(store, class_id, secret):
    """Five pages on "which edge into layer 2?" of the seed net (its answer: w₁,₂⁽²⁾ … whatever
    the page says is right; here the rightness is what each page sent): 3 say w₁,₂⁽²⁾ (one in
    the typed spelling w2,1,2), 2 say w₂,₁⁽²⁾; 3 right, 2 with the mistake "one_path"."""
    store.move(class_id, secret, prediction="largest_edge-2")
    sent = [
        ("w₁,₂⁽²⁾", True, ""),
        ("w2,1,2", True, ""),
        ("w₂,₁⁽²⁾", False, "one_path"),
        ("w₁,₂⁽²⁾", True, ""),
        ("w₂,₁⁽²⁾", False, "one_path"),
    ]
    for page_id, (answer, right, mistake) in zip(PAGES, sent):
        assert send(store, class_id, page_id, "largest_edge-2", "largest_edge", answer, right, mistake)


@pytest.fixture
def teacher(store, klass):
    class_id, secret = klass
    return TeacherPage(Dashboard().state, store, class_id, secret)


def test_five_answers_show_with_their_distribution_right_share_and_mistakes(store, klass, teacher):
    class_id, secret = klass
    edge_answers(store, class_id, secret)
    teacher.refresh()
    assert re.search(r"data-answered='5'>5</span> answers this round, from 5 pages", teacher.status.value)
    assert "question largest_edge-2" in teacher.status.value
    summary = teacher.summary.value
    assert "Which edge into layer 2 has the largest |∂L/∂w|?" in summary
    # both spellings of w₁,₂⁽²⁾ are one bar
    assert bars(summary) == [("w₁,₂⁽²⁾", 3), ("w₂,₁⁽²⁾", 2)]
    assert "60 % right on the first try (3 of 5)" in summary
    assert re.search(r"the gradient as only the largest path of the sum</span>: <b data-count='2'>2</b>", summary)
    # the chosen edges on the net: w₁,₂⁽²⁾ runs from neuron 2 of layer 1 to neuron 1 of layer 2
    picture = teacher.picture.value
    chosen = dict(re.findall(r'id="chosen-(w[\d-]+)" data-count="(\d+)"', picture))
    assert chosen == {"w2-1-2": "3", "w2-2-1": "2"}
    widths = dict(re.findall(r'id="chosen-(w2-\d-\d)"[^>]*stroke-width:([\d.]+)', picture))
    assert float(widths["w2-1-2"]) > float(widths["w2-2-1"]) > float(widths["w2-1-1"])


def test_chosen_neurons_and_a_histogram_of_numbers(store, klass, teacher):
    class_id, secret = klass
    store.move(class_id, secret, prediction="largest_delta-1")
    for page_id, answer in zip(PAGES, ["δ₂⁽¹⁾", "δ₂⁽¹⁾", "δ₁⁽¹⁾", "δ₂⁽¹⁾", "δ₂⁽¹⁾"]):
        send(store, class_id, page_id, "largest_delta-1", "largest_delta", answer, answer == "δ₂⁽¹⁾")
    teacher.refresh()
    assert dict(re.findall(r'id="chosen-(n[\d-]+)" data-count="(\d+)"', teacher.picture.value)) == {
        "n1-2": "4",
        "n1-1": "1",
    }
    assert "80 % right on the first try (4 of 5)" in teacher.summary.value
    # numbers: 1, 1, 2, 4, 4 → ⌈√5⌉ = 3 bins of width 1 over [1, 4]: 2, 1, 2 (the last holds 4)
    store.move(class_id, secret, prediction="nudge")
    for page_id, answer in zip(PAGES, ["1", "1.0", "2", "4", "4"]):
        send(store, class_id, page_id, "nudge", "nudge", answer, answer == "2", "" if answer == "2" else "sign")
    teacher.refresh()
    assert bars(teacher.summary.value) == [("[1.0, 2.0)", 2), ("[2.0, 3.0)", 1), ("[3.0, 4.0]", 2)]
    assert "20 % right on the first try (1 of 5)" in teacher.summary.value
    assert teacher.picture.value == ""  # a number is not drawn on the net


def test_the_buttons_act_through_the_store(store, klass, teacher):
    class_id, secret = klass
    edge_answers(store, class_id, secret)
    teacher.refresh()
    teacher.reveal_button.click()
    assert store.student_view(class_id).state == "revealed"
    assert "revealed" in teacher.status.value
    teacher.freeze_button.click()
    assert store.student_view(class_id).state == "frozen"
    assert teacher.freeze_button.description == "Unfreeze answers"
    teacher.freeze_button.click()
    assert store.student_view(class_id).state == "open"
    before = store.student_view(class_id).round
    teacher.clear_button.click()
    after = store.student_view(class_id)
    assert (after.round, after.question_id) == (before + 1, "largest_edge-2")
    assert "data-answered='0'" in teacher.status.value
    steps = [s.id for s in Dashboard().state.worked.steps]
    teacher.step.value = steps.index("bp1")
    teacher.prediction.value = "sign"
    teacher.move_button.click()
    moved = store.student_view(class_id)
    assert (moved.step, moved.question_id, moved.round) == (steps.index("bp1"), "sign", before + 2)
    teacher.prediction.value = ""  # back to the class's own pace
    teacher.move_button.click()
    assert store.student_view(class_id).question_id == ""


def test_the_class_results_download_as_csv_from_the_kernel(store, klass, teacher):
    class_id, secret = klass
    edge_answers(store, class_id, secret)
    teacher.refresh()
    teacher.download_button.click()
    link = teacher.results.value
    assert "download='class-results.csv'" in link and "class results, 5 answers" in link
    data = re.search(r"href='data:text/csv;base64,([^']+)'", link).group(1)
    rows = list(csv.reader(io.StringIO(base64.b64decode(data).decode("utf-8"))))
    assert rows[0][:3] == ["round", "student", "question"] and len(rows) == 6
    assert sorted(r[4] for r in rows[1:]) == sorted(["w₁,₂⁽²⁾", "w2,1,2", "w₂,₁⁽²⁾", "w₁,₂⁽²⁾", "w₂,₁⁽²⁾"])
    assert not any(p in link for p in PAGES)  # no page ids


@pytest.mark.parametrize("secret", ["", "not-the-secret", None])
def test_without_the_secret_nothing_of_the_class_is_in_the_widgets(store, klass, secret):
    class_id, real = klass
    edge_answers(store, class_id, real)
    send(store, class_id, "page-nick", "largest_edge-2", "largest_edge", "w₂,₂⁽²⁾", False, "sign", "Zoë-nick")
    _, other_secret = store.create_class()  # the secret of another class is no better
    teacher = TeacherPage(Dashboard().state, store, class_id, other_secret if secret is None else secret)
    shown = widgets_html(teacher.widget)
    for leak in ("w₁,₂⁽²⁾", "w₂,₁⁽²⁾", "w2,1,2", "Zoë-nick", "60 %", "data-answered", "one_path", "path of the sum"):
        assert leak not in shown
    assert teacher.body.children == ()
    assert LOCKED.split(":")[0].replace("'", "&#x27;") in teacher.gate.value
    assert "serve --live" in teacher.gate.value
    teacher.reveal_button.click()  # a button of a locked page does nothing
    assert store.student_view(class_id).state == "open"
    # the secret from the link's fragment (the page's FragmentSecret) opens it
    teacher.fragment.secret = real
    assert "data-answered='6'" in teacher.status.value
    assert teacher.body.children


def test_nicknames_and_answers_are_shown_as_text(store, klass, teacher):
    class_id, secret = klass
    for page_id, payload in zip(PAGES, PAYLOADS):
        send(store, class_id, page_id, payload[:60], payload[:60], payload[:60], False, payload[:60], payload[:24])
    teacher.refresh()
    html_text = widgets_html(teacher.widget)
    assert not Elements(html_text).injected()
    assert "&lt;img src=x data-bpw-xss=1" in html_text  # the nickname, as text


def test_the_page_follows_the_class_by_itself(store, klass, teacher):
    """In a kernel's event loop the page reads the class again every POLL_S seconds."""
    class_id, secret = klass
    edge_answers(store, class_id, secret)

    async def scenario():
        teacher.start()
        await asyncio.sleep(0)
        send(store, class_id, "page-late1", "largest_edge-2", "largest_edge", "w₂,₂⁽²⁾", False)
        deadline = time.monotonic() + 10  # a ceiling: the poll is every second
        while "data-answered='6'" not in teacher.status.value:
            assert time.monotonic() < deadline, teacher.status.value
            await asyncio.sleep(0.05)
        teacher.stop()

    in_the_kernels_loop(scenario)


def test_page_shows_the_dashboard_or_for_teacher_1_the_teacher_page(store, klass, monkeypatch, tmp_path):
    class_id, secret = klass
    monkeypatch.setenv("BACKPROP_WIDGETS_STORE", f"sqlite:///{tmp_path}/class.sqlite3")
    monkeypatch.setenv("BACKPROP_WIDGETS_CLASS", class_id)
    app = Dashboard()
    assert page(app, "net=3,3,1") is app and app.state.network.sizes == [3, 3, 1]
    assert is_teacher("teacher=1&net=2,2,1") and not is_teacher("teacher=0") and not is_teacher("")
    assert without_teacher("?teacher=1&net=2,2,1") == "net=2,2,1"
    teacher = page(Dashboard(), "net=2,3,1&teacher=1")
    assert isinstance(teacher, TeacherPage)
    assert teacher.state.network.sizes == [2, 3, 1]  # the lesson's network, for prompts and the picture
    assert teacher.class_id == class_id and not teacher.authorised
    teacher.password.value = secret  # the fallback field
    assert teacher.authorised and "Round 1" in teacher.status.value


def test_an_unreachable_store_says_so_and_keeps_the_page(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")  # a file where the store's directory should be: it cannot be opened
    monkeypatch.setenv("BACKPROP_WIDGETS_STORE", f"sqlite:///{blocker}/under-a-file/class.sqlite3")
    teacher = TeacherPage(Dashboard().state, None, "some-class", "some-secret")
    assert "Not connected to the class" in teacher.gate.value
    assert teacher.body.children == ()
