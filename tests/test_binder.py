"""binder/ is what mybinder.org builds: validated without Docker.

- ``repo2docker --no-build`` (from PyPI, in the test extra) reads ``binder/`` and generates the
  Dockerfile: bad config fails here, and we check it picked Python 3.11, our requirements and postBuild.
- ``binder_env`` (conftest) installs Binder's base versions, then binder/requirements.txt, then runs
  the real binder/postBuild in a separate venv: ``pip check`` must be clean there, the package must
  import from that venv, and Voila must be enabled as a jupyter_server extension.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPO2DOCKER = Path(sys.executable).with_name("repo2docker")


def test_binder_folder_is_complete():
    binder = ROOT / "binder"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    post = binder / "postBuild"
    assert os.access(post, os.X_OK), "postBuild must be executable"
    text = post.read_text()
    assert text.startswith("#!/bin/bash") and "set -euo pipefail" in text
    assert "pip install" in text and "jupyter_server_config.py" in text
    # binder/ exists, so repo2docker ignores config files in the repository root
    assert not (ROOT / ".binder").exists()


def test_repo2docker_accepts_the_config(tmp_path):
    proc = subprocess.run(
        [str(REPO2DOCKER), "--no-build", "--no-run", "--user-id", "1000", "--user-name", "jovyan", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    dockerfile = proc.stdout
    assert "python=3.11" in proc.stderr + dockerfile
    assert "binder/requirements.txt" in dockerfile
    assert "./binder/postBuild" in dockerfile


def test_binder_requirements_pip_check(binder_env):
    proc = subprocess.run(
        [str(binder_env.python), "-m", "pip", "check"], capture_output=True, text=True, env=binder_env.env
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_postbuild_installed_the_package_and_mathjax_config(binder_env, tmp_path):
    assert (binder_env.home / ".jupyter" / "jupyter_server_config.py").is_file()
    proc = subprocess.run(  # from a neutral directory: the repository must not shadow the install
        [str(binder_env.python), "-c", "import backprop_widgets, sys; print(backprop_widgets.__file__)"],
        capture_output=True,
        text=True,
        env=binder_env.env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert str(binder_env.python.parents[1]) in proc.stdout
    app = Path(proc.stdout.strip()).parent / "served" / "app.ipynb"
    assert app.is_file(), "the app notebook must be shipped inside the package"


def test_voila_is_a_server_extension(binder_env):
    proc = subprocess.run(
        [str(binder_env.python), "-m", "jupyter", "server", "extension", "list"],
        capture_output=True,
        text=True,
        env=binder_env.env,
    )
    out = proc.stdout + proc.stderr
    assert "voila.server_extension" in out and "enabled" in out, out


def test_the_hub_image_opens_a_class_on_postgresql(binder_env, postgres, tmp_path):
    """JupyterHub and z2jh serve the image built from binder/ (README): a class on PostgreSQL
    needs psycopg and its pool in it. Binder's Python creates a class on a real server, and
    reads it back with the secret."""
    code = (
        "import sys; from backprop_widgets.live import open_store; s = open_store(sys.argv[1]); "
        "c, k = s.create_class(); print(s.backend.dialect, s.teacher_view(c, k).round); s.close()"
    )
    proc = subprocess.run(
        [str(binder_env.python), "-c", code, postgres.new_database()],
        capture_output=True,
        text=True,
        env=binder_env.env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["postgresql", "1"]
