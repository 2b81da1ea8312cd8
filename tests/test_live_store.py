"""The live class's store (backprop_widgets.live): one suite, run against SQLite and against a
real PostgreSQL that the tests start themselves (tests/pg.py). No mock of either database."""

from __future__ import annotations

import contextlib
import hmac
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import fields

import pytest
from pg import Postgres

from backprop_widgets.live import (
    VERSION,
    Answer,
    Forbidden,
    Refused,
    SchemaError,
    StoreUnavailable,
    StudentView,
    open_store,
    schema,
)
from backprop_widgets.live import store as store_module

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/class.sqlite3"
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture
def store(url):
    s = open_store(url)
    yield s
    s.close()


@contextlib.contextmanager
def raw(url):
    """A plain connection to the store's database (not through the store), autocommitting."""
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url[len("sqlite:///") :], isolation_level=None)
        try:
            yield lambda sql, p=(): conn.execute(sql, p).fetchall()
        finally:
            conn.close()
    else:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:

            def run(sql, p=()):
                cur = conn.execute(sql.replace("?", "%s"), p)
                return cur.fetchall() if cur.description else []

            yield run


def answer(round_no=1, q="q1", text="0.5", right=True, mistake="", nickname="", kind="nudge"):
    return Answer(round_no, q, kind, text, right, mistake, 3.0, nickname)


PAGE, OTHER = "page-aaaaaaaa", "page-bbbbbbbb"


# --- the schema ---------------------------------------------------------------------------------


def test_schema_is_created_on_first_use_and_kept(url):
    first = open_store(url)
    assert first.schema_found == 0
    first.close()
    again = open_store(url)
    assert again.schema_found == VERSION
    again.close()
    with raw(url) as run:
        assert run("SELECT value FROM meta WHERE key = 'schema_version'") == [(str(VERSION),)]


def test_a_version_1_database_is_migrated_with_its_answers(url):
    with raw(url) as run:
        for sql in schema.SCHEMA_V1:
            run(sql)
        run("INSERT INTO classes VALUES ('old', 'x', 0)")
        run("INSERT INTO rounds (class_id, round_no, created) VALUES ('old', 1, 0)")
        columns = "class_id, round_no, page_id, question_id, kind, answer, right_first, mistake, seconds, created"
        run(f"INSERT INTO answers ({columns}) VALUES ('old', 1, 'page-00000001', 'q1', 'sign', '+', 1, '', 2.0, 0)")
    s = open_store(url, per_round=2)
    assert s.schema_found == 1
    # the round's count was filled from its answers: one more answer fills a round of two
    assert s.submit("old", PAGE, answer(q="q2", nickname="Ada")) is True
    with pytest.raises(Refused) as e:
        s.submit("old", OTHER, answer(q="q3"))
    assert e.value.reason == "cap"
    s.close()
    with raw(url) as run:
        assert run("SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]
        rows = run("SELECT page_id, nickname, answer FROM answers ORDER BY question_id")
    assert rows == [("page-00000001", "", "+"), (PAGE, "Ada", "0.5")]


def test_a_newer_database_is_refused_with_a_clear_message(url):
    open_store(url).close()
    with raw(url) as run:
        run("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(VERSION + 1),))
    with pytest.raises(SchemaError, match=rf"schema version {VERSION + 1}, newer .* upgrade backprop-widgets"):
        open_store(url)


# --- who may read and change what ----------------------------------------------------------------


def teacher_calls(s, class_id, secret):
    return [
        lambda: s.teacher_view(class_id, secret),
        lambda: s.results_csv(class_id, secret),
        lambda: s.move(class_id, secret, step=4, prediction="p9"),
        lambda: s.reveal(class_id, secret),
        lambda: s.freeze(class_id, secret),
        lambda: s.clear(class_id, secret),
    ]


def test_every_teacher_read_and_action_needs_the_secret(store):
    class_id, secret = store.create_class()
    other_id, other_secret = store.create_class()
    store.submit(class_id, PAGE, answer())
    before = store.student_view(class_id)
    for wrong in ("", None, secret[:-1], secret + "x", secret.upper(), other_secret, 12345):
        for call in teacher_calls(store, class_id, wrong):
            with pytest.raises(Forbidden, match="secret"):
                call()
    for call in teacher_calls(store, "no-such-class", secret):  # an unknown class: the same refusal
        with pytest.raises(Forbidden):
            call()
    assert store.student_view(class_id) == before  # nothing moved, froze, revealed or cleared
    assert store.teacher_view(class_id, secret).answered == 1


def test_the_secret_is_compared_in_constant_time(store, monkeypatch):
    class_id, secret = store.create_class()
    calls, compare = [], hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(store_module.hmac, "compare_digest", spy)
    store.teacher_view(class_id, secret)
    with pytest.raises(Forbidden):
        store.results_csv(class_id, "guess")
    assert len(calls) == 2 and calls[0][0] == calls[0][1] and calls[1][0] != calls[1][1]


def test_the_secret_is_random_and_only_its_hash_is_stored(store, url):
    class_id, secret = store.create_class()
    _, secret2 = store.create_class()
    assert secret != secret2 and len(secret) * 6 >= 128  # url-safe base64: 6 bits a character
    with raw(url) as run:
        stored = run("SELECT * FROM classes")
    assert stored and not any(secret in str(cell) for row in stored for cell in row)
    assert secret not in repr(store)


def test_the_secret_never_reaches_a_log_line(store, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, at the most talkative level
    class_id, secret = store.create_class()
    store.submit(class_id, PAGE, answer())
    for call in teacher_calls(store, class_id, secret):
        call()
    with pytest.raises(Forbidden) as e:
        store.teacher_view(class_id, secret + "x")
    assert secret not in caplog.text and secret not in str(e.value)


def test_a_student_writes_only_to_the_current_open_round(store):
    class_id, secret = store.create_class()
    assert store.submit(class_id, PAGE, answer(1)) is True
    assert store.clear(class_id, secret).round == 2
    with pytest.raises(Refused, match="moved on") as e:
        store.submit(class_id, OTHER, answer(1))
    assert e.value.reason == "round"
    assert store.submit(class_id, OTHER, answer(2)) is True
    view = store.move(class_id, secret, prediction="p1")
    assert (view.round, view.question_id, view.state) == (3, "p1", "open")
    with pytest.raises(Refused, match="another question"):
        store.submit(class_id, PAGE, answer(3, q="q1"))
    store.freeze(class_id, secret)
    with pytest.raises(Refused, match="frozen") as e:
        store.submit(class_id, PAGE, answer(3, q="p1"))
    assert e.value.reason == "closed"
    store.freeze(class_id, secret, frozen=False)
    assert store.submit(class_id, PAGE, answer(3, q="p1")) is True
    store.reveal(class_id, secret)
    with pytest.raises(Refused, match="revealed"):
        store.submit(class_id, OTHER, answer(3, q="p1"))
    with pytest.raises(Refused) as e:
        store.submit("no-such-class", PAGE, answer(1))
    assert e.value.reason == "class"
    # the CSV keeps every round: 1, 2 and 3 (a cleared round is not deleted)
    rounds = [line.split(",")[0] for line in store.results_csv(class_id, secret).splitlines()[1:]]
    assert rounds == ["1", "2", "3"]


def test_only_a_pages_first_answer_to_a_question_counts(store):
    class_id, secret = store.create_class()
    assert store.submit(class_id, PAGE, answer(text="1")) is True
    assert store.submit(class_id, PAGE, answer(text="2")) is False
    view = store.teacher_view(class_id, secret)
    assert view.answered == 1 and view.questions[0].histogram == ((1.0, 1.0, 1),)


@pytest.mark.parametrize(
    "bad, reason",
    [
        (answer(text="x" * 65), "answer is too long"),
        (answer(nickname="n" * 25), "nickname is too long"),
        (answer(q="q" * 65), "question id is too long"),
        (answer(mistake="m" * 65), "mistake id is too long"),
        (answer(q=""), "no question id"),
        (Answer(1, "q1", "nudge", "1", True, "", float("nan")), "seconds"),
        (Answer(1, "q1", "nudge", 1.5, True), "answer must be text"),  # type: ignore[arg-type]
    ],
)
def test_sizes_are_bounded(store, bad, reason):
    class_id, secret = store.create_class()
    with pytest.raises(Refused, match=reason):
        store.submit(class_id, PAGE, bad)
    assert store.submit(class_id, PAGE, answer(text="x" * 64, nickname="n" * 24)) is True
    for page in ("short", "page id with spaces", "p" * 65, 42):
        with pytest.raises(Refused, match="page id"):
            store.submit(class_id, page, answer(q="q2"))
    assert store.teacher_view(class_id, secret).answered == 1


def test_a_page_that_floods_is_throttled_and_told(url):
    now = [1000.0]
    s = open_store(url, clock=lambda: now[0])
    class_id, secret = s.create_class()
    for i in range(5):
        assert s.submit(class_id, PAGE, answer(q=f"q{i}")) is True
    with pytest.raises(Refused, match=r"Too many answers at once \(at most 5 a second\)") as e:
        s.submit(class_id, PAGE, answer(q="q5"))
    assert e.value.reason == "rate"
    assert s.submit(class_id, OTHER, answer(q="q5")) is True  # another page is not throttled
    now[0] += 1.01
    assert s.submit(class_id, PAGE, answer(q="q5")) is True
    assert s.teacher_view(class_id, secret).answered == 7  # the class view stays up
    s.close()


def test_a_round_takes_a_bounded_number_of_answers(url):
    s = open_store(url, per_round=3)
    class_id, secret = s.create_class()
    for i in range(3):
        assert s.submit(class_id, f"page-{i:08d}", answer()) is True
    with pytest.raises(Refused, match="all the answers it can take"):
        s.submit(class_id, PAGE, answer())
    s.clear(class_id, secret)
    assert s.submit(class_id, PAGE, answer(2)) is True
    s.close()


def test_a_script_nickname_and_answer_are_kept_verbatim_as_text(store):
    class_id, secret = store.create_class()
    nick, text = "<script>x()</script>", "<b onclick=x>&amp;"
    store.submit(class_id, PAGE, answer(text=text, nickname=nick, kind="largest_edge"))
    view = store.teacher_view(class_id, secret)
    assert view.nicknames == (nick,) and view.questions[0].choices == ((text, 1),)


def test_the_student_view_shows_where_the_class_is_and_nothing_of_the_answers(store):
    class_id, secret = store.create_class()
    store.submit(class_id, PAGE, answer())
    assert {f.name for f in fields(StudentView)} == {"round", "question_id", "state", "step", "stage", "prediction"}
    store.move(class_id, secret, step=7, stage="backward")
    assert store.student_view(class_id) == StudentView(1, "", "open", 7, "backward", "")
    store.move(class_id, secret, prediction="sign-dW2")
    assert store.student_view(class_id) == StudentView(2, "sign-dW2", "open", 7, "backward", "sign-dW2")
    assert store.reveal(class_id, secret).state == "revealed"


def test_the_teacher_view_counts_bins_and_names_the_top_mistakes(store):
    class_id, secret = store.create_class()
    given = [("0.1", True, ""), ("0.2", False, "sign"), ("0.25", False, "sign"), ("0.9", False, "sign")]
    given += [("0.3", False, "chain"), ("0.3", False, "chain"), ("0.5", False, "transpose"), ("0.6", True, "")]
    given += [("0.7", False, "activation")]
    for i, (text, right, mistake) in enumerate(given):
        store.submit(class_id, f"page-{i:08d}", answer(text=text, right=right, mistake=mistake))
    store.submit(class_id, PAGE, answer(q="q2", text="+", kind="sign"))
    store.submit(class_id, OTHER, answer(q="q2", text="-", kind="sign", right=False, mistake="sign"))
    view = store.teacher_view(class_id, secret)
    assert (view.answered, view.pages) == (11, 11)
    q1, q2 = view.questions
    assert (q1.question_id, q1.answered, q1.right_first) == ("q1", 9, 2)
    assert q1.percent_right == pytest.approx(200 / 9)
    # 9 numbers from 0.1 to 0.9: 3 bins of width 0.8/3 (by hand: [.1,.367) 5, [.367,.633) 2, [.633,.9] 2)
    assert [(round(lo, 4), round(hi, 4), n) for lo, hi, n in q1.histogram] == [
        (0.1, 0.3667, 5),
        (0.3667, 0.6333, 2),
        (0.6333, 0.9, 2),
    ]
    assert q1.top_mistakes == (("sign", 3), ("chain", 2), ("activation", 1))
    assert q2.choices == (("+", 1), ("-", 1)) and q2.histogram == () and q2.percent_right == 50.0


def test_the_results_csv_has_every_round_and_no_identities(store):
    class_id, secret = store.create_class()
    store.submit(class_id, PAGE, answer(text="=1+1", nickname="Ada", mistake="chain", right=False))
    store.submit(class_id, OTHER, answer(text="-0.5"))
    store.clear(class_id, secret)
    store.submit(class_id, OTHER, answer(2, text="0.25"))
    csv = store.results_csv(class_id, secret)
    assert csv.splitlines() == [
        "round,student,question,kind,answer,right_on_first_try,mistake,seconds",
        "1,1,q1,nudge,'=1+1,no,chain,3.0",
        "1,2,q1,nudge,-0.5,yes,,3.0",
        "2,2,q1,nudge,0.25,yes,,3.0",
    ]
    assert PAGE not in csv and OTHER not in csv and "Ada" not in csv


# --- many kernels, faults ----------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    import time
    from backprop_widgets.live import Answer, open_store
    url, class_id, me, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    s = open_store(url)
    i = 0
    while n < 0 or i < n:
        s.submit(class_id, f"page-{me:04d}-{i:06d}", Answer(1, "q1", "nudge", str(i), i % 2 == 0, "", 1.0))
        i += 1
        if i == 1:
            print("writing", flush=True)
        if n < 0:  # until killed: a class's pace, far below a round's cap however fast the machine
            time.sleep(0.002)
    """
)


def writer(url, class_id, me, n):
    cmd = [sys.executable, "-c", WRITER, url, class_id, str(me), str(n)]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_eight_kernel_processes_write_at_once_and_lose_nothing(store, url):
    class_id, secret = store.create_class()
    procs = [writer(url, class_id, me, 50) for me in range(8)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, [err for _, err in results]
    assert not any("locked" in err for _, err in results)
    view = store.teacher_view(class_id, secret)
    assert (view.answered, view.pages) == (400, 400)
    assert len(store.results_csv(class_id, secret).splitlines()) == 1 + 400


def test_a_kernel_killed_mid_write_leaves_a_usable_database(store, url):
    """One of two kernels writing is killed: the other goes on writing, and the database is whole."""
    class_id, secret = store.create_class()
    p, other = writer(url, class_id, 1, -1), writer(url, class_id, 2, -1)  # write until killed
    assert p.stdout.readline() == "writing\n" and other.stdout.readline() == "writing\n"
    time.sleep(0.5)
    os.kill(p.pid, signal.SIGKILL)
    p.communicate(timeout=30)  # reaps it and closes its pipes
    assert p.returncode == -signal.SIGKILL
    at_kill = store.teacher_view(class_id, secret).answered
    deadline = time.monotonic() + 30
    while store.teacher_view(class_id, secret).answered < at_kill + 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert other.poll() is None and store.teacher_view(class_id, secret).answered >= at_kill + 20  # it went on
    os.kill(other.pid, signal.SIGKILL)
    assert other.communicate(timeout=30)[1] == ""  # it never saw an error
    after = open_store(url)  # a restarted server: the committed answers are there
    n = after.teacher_view(class_id, secret).answered
    assert n >= 1
    assert after.submit(class_id, PAGE, answer()) is True
    assert after.teacher_view(class_id, secret).answered == n + 1
    assert len(after.results_csv(class_id, secret).splitlines()) == 1 + n + 1
    after.close()
    if url.startswith("sqlite:///"):
        with raw(url) as run:
            assert run("PRAGMA integrity_check") == [("ok",)]


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "class.sqlite3"
    s = open_store(f"sqlite:///{path}")
    class_id, _ = s.create_class()
    s.submit(class_id, PAGE, answer())
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()}
    s.close()
    assert modes["class.sqlite3"] == 0o600 and set(modes.values()) == {0o600}, modes
    with raw(f"sqlite:///{path}") as run:
        assert run("PRAGMA journal_mode") == [("wal",)]


def test_postgresql_going_away_is_told_and_the_store_recovers(postgres):
    """The page is told "not connected" (StoreUnavailable) while the server is down; the answers
    committed before are there after it restarts, and the same store writes again."""
    pg = Postgres().start()  # a server of its own: this test stops it
    try:
        s = open_store(pg.new_database(), timeout=1.0)
        class_id, secret = s.create_class()
        assert s.submit(class_id, PAGE, answer()) is True
        pg.halt()
        with pytest.raises(StoreUnavailable, match="not reachable"):
            s.submit(class_id, OTHER, answer())
        with pytest.raises(StoreUnavailable):
            s.teacher_view(class_id, secret)
        pg.start_again()
        for _ in range(20):  # the pool replaces its broken connections
            try:
                assert s.submit(class_id, OTHER, answer()) is True
                break
            except StoreUnavailable:
                time.sleep(0.25)
        assert s.teacher_view(class_id, secret).answered == 2
        s.close()
        with pytest.raises(StoreUnavailable, match=r"cannot be reached"):
            open_store("postgresql://bpw@/nothing?host=/nonexistent", timeout=0.5)
    finally:
        pg.stop()
