"""The live class behind JupyterHub: the shipped configurations hand every single-user server
the store and the class (binder/jupyterhub_config.py, binder/z2jh-values.yaml), and
``backprop-widgets class new`` creates a class on a store (SQLite, and a real PostgreSQL that
the test starts, as tests/test_live_store.py does)."""

from __future__ import annotations

import re

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

from backprop_widgets.__main__ import main
from backprop_widgets.live import Forbidden, open_store

from conftest import BINDER

LIVE = ("BACKPROP_WIDGETS_STORE", "BACKPROP_WIDGETS_CLASS")


def hub_config():
    return PyFileConfigLoader("jupyterhub_config.py", path=str(BINDER)).load_config()


def test_jupyterhub_config_hands_the_store_and_the_class_to_every_server(monkeypatch):
    monkeypatch.setenv("BACKPROP_HUB_PASSWORD", "class-password-for-tests")
    for name in LIVE:
        monkeypatch.delenv(name, raising=False)
    assert not set(LIVE) & set(hub_config().Spawner.environment)  # unset: no live class
    monkeypatch.setenv("BACKPROP_WIDGETS_STORE", "postgresql://backprop:pw@db-host/backprop_live")
    monkeypatch.setenv("BACKPROP_WIDGETS_CLASS", "class-id-0001")
    env = hub_config().Spawner.environment
    assert env["BACKPROP_WIDGETS_STORE"] == "postgresql://backprop:pw@db-host/backprop_live"
    assert env["BACKPROP_WIDGETS_CLASS"] == "class-id-0001"
    assert env["JUPYTER_CONFIG_PATH"] == str(BINDER)  # what was there stays


def test_z2jh_values_name_the_store_from_a_secret_and_the_class():
    values = yaml.safe_load((BINDER / "z2jh-values.yaml").read_text())
    env = values["singleuser"]["extraEnv"]
    assert set(env) == set(LIVE)
    ref = env["BACKPROP_WIDGETS_STORE"]["valueFrom"]["secretKeyRef"]  # no password in the values file
    assert ref == {"name": "backprop-live", "key": "url"}
    assert isinstance(env["BACKPROP_WIDGETS_CLASS"], str) and env["BACKPROP_WIDGETS_CLASS"]
    text = (BINDER / "z2jh-values.yaml").read_text()
    assert "kubectl create secret generic backprop-live" in text and "class new" in text


def created(capsys, argv) -> tuple[str, str]:
    assert main(argv) == 0
    out = capsys.readouterr().out
    class_id = re.search(r"^class id: +(\S+)$", out, re.M).group(1)
    secret = re.search(r"^teacher secret: +(\S+)$", out, re.M).group(1)
    assert f"#secret={secret}" in out and f"BACKPROP_WIDGETS_CLASS={class_id}" in out
    return class_id, secret


def check_class(url: str, class_id: str, secret: str) -> None:
    store = open_store(url)
    try:
        view = store.teacher_view(class_id, secret)  # the printed secret is the class's
        assert (view.round, view.answered) == (1, 0)
        with pytest.raises(Forbidden):
            store.teacher_view(class_id, secret[:-1] + ("A" if secret[-1] != "A" else "B"))
    finally:
        store.close()


def test_class_new_on_sqlite(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path}/class.sqlite3"
    check_class(url, *created(capsys, ["class", "new", "--store", url]))
    monkeypatch.setenv("BACKPROP_WIDGETS_STORE", url)  # the hub's variable is the default
    check_class(url, *created(capsys, ["class", "new"]))


def test_class_new_on_postgresql_prints_no_password(capsys, postgres):
    url = postgres.new_database()
    class_id, secret = created(capsys, ["class", "new", "--store", url])
    check_class(url, class_id, secret)
    with_password = url.replace("://bpw@", "://bpw:hunter2-pw@", 1)  # trust auth: taken and ignored
    assert with_password != url
    assert main(["class", "new", "--store", with_password]) == 0
    out = capsys.readouterr().out
    assert "hunter2-pw" not in out and "bpw:***@" in out


def test_class_new_refuses_a_url_that_is_no_store(capsys):
    assert main(["class", "new", "--store", "mysql://somewhere/db"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("backprop-widgets class: error:") and err.count("\n") == 1
