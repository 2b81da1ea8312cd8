"""``backprop-widgets serve --live`` without a browser: the store and the class it opens, kept
across restarts in files of mode 600, what the kernels are told (never the secret), and the
links it prints. The browser side: tests/test_browser_live.py."""

from __future__ import annotations

import json
import os
import stat
from urllib.parse import urlsplit

from backprop_widgets.cli import live_class, serve
from backprop_widgets.live import open_store
from backprop_widgets.live.links import CLASS_ENV, secret_from_fragment
from backprop_widgets.live.store import ENV as STORE_ENV


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_default_store_and_class_file_are_private_and_a_restart_keeps_the_class(tmp_path):
    first = live_class.open_class(None, env={}, cwd=tmp_path)
    db = tmp_path / "backprop-live.sqlite3"
    assert first.url == f"sqlite:///{db}" and not first.reused  # absolute: kernels run elsewhere
    assert first.kept_in == tmp_path / "backprop-live.class"
    assert mode_of(db) == 0o600 and mode_of(first.kept_in) == 0o600
    assert json.loads(first.kept_in.read_text()) == {"class": first.class_id, "secret": first.secret}
    store = open_store(first.url)
    view = store.student_view(first.class_id)
    assert store.submit(first.class_id, "page-0001", {"round": view.round, "id": "q1", "kind": "sign", "answer": "+"})
    store.close()
    again = live_class.open_class(None, env={}, cwd=tmp_path)  # the server restarted
    assert (again.class_id, again.secret, again.reused) == (first.class_id, first.secret, True)
    store = open_store(again.url)
    assert store.teacher_view(again.class_id, again.secret).answered == 1  # still there
    store.close()
    fresh = live_class.open_class(None, new=True, env={}, cwd=tmp_path)
    assert fresh.class_id != first.class_id and not fresh.reused
    assert json.loads(fresh.kept_in.read_text())["class"] == fresh.class_id


def test_store_option_then_environment_then_default(tmp_path):
    other = tmp_path / "elsewhere" / "db.sqlite3"
    env = {STORE_ENV: f"sqlite:///{other}"}
    by_env = live_class.open_class(None, env=env, cwd=tmp_path)
    assert by_env.url == f"sqlite:///{other}" and by_env.kept_in == other.parent / "backprop-live.class"
    by_option = live_class.open_class("sqlite:///rel/x.sqlite3", env=env, cwd=tmp_path)
    assert by_option.url == f"sqlite:///{tmp_path / 'rel' / 'x.sqlite3'}"
    # a class file whose class this store does not hold (another database): a new class
    (tmp_path / "rel" / "backprop-live.class").write_text(by_env.kept_in.read_text())
    moved = live_class.open_class("sqlite:///rel/x.sqlite3", env=env, cwd=tmp_path)
    assert moved.class_id != by_env.class_id and not moved.reused


def test_the_kernels_get_the_store_and_class_never_the_secret(tmp_path):
    lc = live_class.open_class(None, env={}, cwd=tmp_path)
    assert lc.kernel_env() == {STORE_ENV: lc.url, CLASS_ENV: lc.class_id}
    assert lc.secret not in json.dumps(lc.kernel_env())


def test_serve_live_tells_the_kernels_and_prints_both_links(tmp_path, monkeypatch):
    from backprop_widgets.__main__ import main

    monkeypatch.chdir(tmp_path)
    for name in (STORE_ENV, CLASS_ENV):  # restored after the test (serve sets them for its kernels)
        monkeypatch.setenv(name, "")
    seen = []

    def fake_voila(config, notebook, open_page, announce=None):
        seen.append((dict(os.environ), announce("http://127.0.0.1:8899/")))
        return 0

    monkeypatch.setattr(serve, "start_voila", fake_voila)
    assert main(["serve", "--live", "--port", "0", "--no-browser"]) == 0
    [(env, text)] = seen
    kept = json.loads((tmp_path / "backprop-live.class").read_text())
    assert env[STORE_ENV] == f"sqlite:///{tmp_path / 'backprop-live.sqlite3'}" and env[CLASS_ENV] == kept["class"]
    assert not any(kept["secret"] in v for v in env.values())
    assert "Students open:  http://127.0.0.1:8899/?live=1\n" in text
    teacher = text.split("Teacher opens (keep it to yourself): ")[1].split()[0]
    parts = urlsplit(teacher)
    assert (parts.path, parts.query) == ("/", "teacher=1") and kept["secret"] not in parts.path + parts.query
    assert secret_from_fragment(parts.fragment) == kept["secret"]
    # plain serve: no live class, nothing told
    seen.clear()
    monkeypatch.setattr(serve, "start_voila", lambda config, notebook, open_page: seen.append(1) or 0)
    monkeypatch.setenv(CLASS_ENV, "")
    assert main(["serve", "--port", "0", "--no-browser"]) == 0 and os.environ[CLASS_ENV] == ""


def test_store_options_need_live_and_a_bad_store_is_an_error(tmp_path, monkeypatch, capsys):
    from backprop_widgets.__main__ import main

    monkeypatch.chdir(tmp_path)
    assert main(["serve", "--store", "sqlite:///x.sqlite3", "--no-browser"]) == 1
    assert "add --live" in capsys.readouterr().err
    assert main(["serve", "--live", "--store", "mysql://x", "--no-browser"]) == 1
    assert "sqlite:///… or postgresql://…" in capsys.readouterr().err
    assert not (tmp_path / "x.sqlite3").exists()
