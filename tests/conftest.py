"""Shared fixtures: servers on free loopback ports (Voila, jupyter server for the Binder route,
JupyterLab), a Binder-like environment built from ``binder/``, and Playwright on Debian chromium.

Every server is a subprocess started from
this venv (or the Binder venv), waited for by a TCP connect (an HTTP GET of a Voila page starts a
kernel), and stopped with SIGTERM, on which Voila/jupyter shut their kernels down.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import psutil
import pytest

from backprop_widgets.cli import serve as serve_cli

from pages import DEFAULT_MS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BINDER = ROOT / "binder"

# Playwright's own browser download cannot work here (no general internet): Debian's chromium,
# with the flags and screen size the benchmarks use (benchmarks/browser.py, loaded by its path:
# benchmarks/ is not a package, and its folder stays off sys.path).
_spec = importlib.util.spec_from_file_location("bpw_bench_browser", ROOT / "benchmarks" / "browser.py")
_browser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_browser)
CHROMIUM, CHROMIUM_ARGS, VIEWPORT = _browser.CHROMIUM, _browser.CHROMIUM_ARGS, _browser.VIEWPORT

# The Binder-like venv is cached here, keyed on what it was built from (postBuild runs every session).
BINDER_VENV = ROOT / ".venv-binder"
# Packages Binder's base environment holds before binder/requirements.txt is installed on top.
BINDER_BASE = ("jupyterlab", "notebook", "jupyter_server", "ipywidgets", "ipykernel")


# --- markers: fast, browser, binder, hub ----------------------------------------------------------


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``binder``: the test needs the Binder-like venv (built from PyPI on first use);
    ``fast``: everything that needs neither a browser, Binder's venv nor JupyterHub
    (``pytest -m fast`` is the quick loop)."""
    for item in items:
        if "binder_env" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.binder)
        if not any(item.get_closest_marker(m) for m in ("browser", "binder", "hub")):
            item.add_marker(pytest.mark.fast)


# --- a missing browser is an error, never a skip -------------------------------------------------


def pytest_collection_finish(session: pytest.Session) -> None:
    """``make test`` must fail loudly when the browser tests cannot run."""
    wants_browser = any(item.get_closest_marker("browser") for item in session.items)
    if wants_browser and not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        raise pytest.UsageError(
            f"chromium not found at {CHROMIUM!r}, and the browser tests need it: "
            "apt-get install -y chromium (as .ci/run does), or set CHROMIUM=/path/to/chromium. "
            "To run only the other tests: pytest -m 'not browser'."
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch args (the fixture name is its API), pointed at Debian chromium."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture
def context(context):
    """pytest-playwright's context, with its default wait scaled to the machine's load."""
    context.set_default_timeout(DEFAULT_MS)
    return context


# --- servers -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(proc: subprocess.Popen) -> float:
    """CPU used so far by ``proc`` and its children (0 once it is gone)."""
    try:
        family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for p in family:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:  # exited meanwhile
            pass
    return total


def wait_listening(port: int, proc: subprocess.Popen, log: Path, stall: float = 60, cap: float = 900) -> None:
    """Until ``proc`` listens on ``port``: however long a loaded machine makes its start, as
    long as it keeps using CPU (a fixed 90 s failed at load ~20); stuck for ``stall`` s, or
    ``cap`` s in all, is a failure."""
    start = last_change = time.monotonic()
    used = cpu_seconds(proc)
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[:4]} exited with {proc.returncode}:\n{log.read_text()}")
        try:
            # a TCP connect: an HTTP GET of a Voila page would start (and keep) a kernel
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
        now, now_used = time.monotonic(), cpu_seconds(proc)
        if now_used > used + 0.01:
            used, last_change = now_used, now
        if now - last_change > stall or now - start > cap:
            break
    raise TimeoutError(
        f"nothing listening on {port} after {now - start:.0f} s ({now - last_change:.0f} s without CPU):\n"
        + log.read_text()
    )


def stop(proc: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM (Voila and jupyter shut their kernels down), SIGKILL if that hangs."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:  # kernels have their own process groups: orphaned now
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def running(cmd: list[str], port: int, log: Path, env: dict | None = None, cwd=ROOT) -> Iterator[subprocess.Popen]:
    """Start a server logging to ``log``, wait until it listens, yield the process, stop it."""
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT, env=env)
    try:
        wait_listening(port, proc, log)
        yield proc
    finally:
        stop(proc)


def serve(cmd: list[str], port: int, url: str, log: Path, env: dict | None = None, cwd=ROOT):
    """Start a server, wait until it listens, yield ``url``, stop it."""
    with running(cmd, port, log, env=env, cwd=cwd):
        yield url


def _jupyter_server_args(port: int) -> list[str]:
    args = [
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        f"--ServerApp.root_dir={ROOT}",
    ]
    if os.geteuid() == 0:
        args.append("--allow-root")  # jupyter server/lab refuse to run as root otherwise
    return args


class VoilaServer(NamedTuple):
    url: str
    pid: int  # the Voila process; its kernels are its children
    log: Path  # what Voila printed (stdout and stderr)


@contextlib.contextmanager
def voila(state: Path, **options) -> Iterator[VoilaServer]:
    """Standalone Voila on notebooks/dashboard.ipynb, started exactly as ``backprop-widgets
    serve`` starts it (serve's own configuration); ``options`` are keyword arguments of
    ``serve.voila_config`` (e.g. shorter culling timeouts). ``state`` (a directory) holds the
    notebook notary and the log."""
    port = free_port()
    notebook = NOTEBOOKS / "dashboard.ipynb"
    serve_cli.trust_notebook(notebook, state)
    cmd = serve_cli.voila_command(port, notebook, config_dir=state, notary_dir=state, **options)
    with running(cmd, port, state / "voila.log") as proc:
        yield VoilaServer(f"http://127.0.0.1:{port}/", proc.pid, state / "voila.log")


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory) -> Iterator[VoilaServer]:
    """The Voila server most browser tests share."""
    with voila(tmp_path_factory.mktemp("voila")) as server:
        yield server


@pytest.fixture(scope="session")
def voila_url(voila_server: VoilaServer) -> str:
    return voila_server.url


@pytest.fixture(scope="session")
def start_voila(tmp_path_factory):
    """For a module that needs a Voila of its own (to count its kernels, or with other culling
    timeouts): ``with start_voila(**options) as server:`` in a module-scoped fixture."""
    return lambda **options: voila(tmp_path_factory.mktemp("voila"), **options)


class BinderEnv(NamedTuple):
    python: Path  # the venv's interpreter
    home: Path  # HOME that binder/postBuild ran with (holds ~/.jupyter)
    env: dict  # environment for commands "inside" the Binder image


def binder_base_pins(python_version: str) -> list[str]:
    """Binder's preinstalled versions, read from repo2docker's own conda lock file."""
    spec = importlib.util.find_spec("repo2docker")  # locate only: importing it warns (json logger)
    assert spec and spec.submodule_search_locations, "jupyter-repo2docker is not installed"
    conda = Path(spec.submodule_search_locations[0]) / "buildpacks" / "conda"
    lock = conda / f"environment.py-{python_version}-linux-64.lock"
    text = lock.read_text()
    pins = []
    for name in BINDER_BASE:
        conda_name = name.replace("_", "[-_]")
        m = re.search(rf"/{conda_name}-(\d[^-/]*)-[^/-]+\.conda", text)
        assert m, f"{name} not found in {lock}"
        pins.append(f"{name}=={m.group(1)}")
    return pins


@pytest.fixture(scope="session")
def binder_env(tmp_path_factory) -> BinderEnv:
    """What Binder builds from ``binder/``, without Docker: a Python venv with Binder's base
    versions, then ``pip install -r binder/requirements.txt``, then the real ``binder/postBuild``
    (its ``pip install .`` goes into this venv, not the dev one) with a throw-away HOME.

    The venv (not the postBuild) is cached in ``.venv-binder`` while its inputs are unchanged:
    ~35 s to build with a warm pip cache, ~4 s for postBuild."""
    runtime = (BINDER / "runtime.txt").read_text().strip()
    python_version = runtime.removeprefix("python-")
    pins = binder_base_pins(python_version)
    key = hashlib.sha256("\n".join([runtime, *pins, (BINDER / "requirements.txt").read_text()]).encode()).hexdigest()
    python = BINDER_VENV / "bin" / "python"
    stamp = BINDER_VENV / ".built-from"
    if not (python.exists() and stamp.exists() and stamp.read_text() == key):
        if sys.version_info[:2] != tuple(map(int, python_version.split("."))):
            pytest.fail(f"binder/runtime.txt says {runtime}; run the tests with that Python")
        shutil.rmtree(BINDER_VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", BINDER_VENV], check=True)
        pip = [str(python), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, *pins], check=True)
        subprocess.run([*pip, "-r", BINDER / "requirements.txt"], check=True)
        stamp.write_text(key)
    home = tmp_path_factory.mktemp("binder_home")
    env = {**os.environ, "HOME": str(home), "PATH": f"{python.parent}{os.pathsep}{os.environ['PATH']}"}
    for var in ("VIRTUAL_ENV", "PYTHONPATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_PATH"):
        env.pop(var, None)
    env["VIRTUAL_ENV"] = str(BINDER_VENV)
    subprocess.run(["bash", "binder/postBuild"], cwd=ROOT, check=True, env=env)
    return BinderEnv(python=python, home=home, env=env)


@pytest.fixture(scope="session")
def binder_voila_url(binder_env: BinderEnv, tmp_path_factory) -> str:
    """The Binder "Launch the app" route: Voila as a jupyter_server extension, served from the
    Binder venv with the ~/.jupyter that postBuild wrote, at /voila/render/notebooks/dashboard.ipynb."""
    port = free_port()
    cmd = [str(binder_env.python), "-m", "jupyter", "server", *_jupyter_server_args(port)]
    yield from serve(
        cmd,
        port,
        f"http://127.0.0.1:{port}/voila/render/notebooks/dashboard.ipynb",
        tmp_path_factory.mktemp("binder_server") / "server.log",
        env=binder_env.env,
        cwd=binder_env.home,
    )


@pytest.fixture(scope="session")
def lab_url(tmp_path_factory) -> Iterator[str]:
    """JupyterLab (this venv) rooted at the repository, with ``window.jupyterapp`` exposed so a
    test can run commands; settings and workspaces go to a temporary directory."""
    yield from jupyterlab(tmp_path_factory)


@pytest.fixture(scope="module")
def own_lab_url(tmp_path_factory) -> Iterator[str]:
    """A JupyterLab of the module's own, for tests that leave notebooks open or kernels running
    (JupyterLab reopens a workspace's documents in front of the next test's)."""
    yield from jupyterlab(tmp_path_factory)


def jupyterlab(tmp_path_factory) -> Iterator[str]:
    port = free_port()
    state = tmp_path_factory.mktemp("lab_state")
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(state / "config"),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
    }
    cmd = [sys.executable, "-m", "jupyter", "lab", *_jupyter_server_args(port), "--LabApp.expose_app_in_browser=True"]
    yield from serve(cmd, port, f"http://127.0.0.1:{port}/lab", tmp_path_factory.mktemp("lab") / "lab.log", env=env)


@pytest.fixture
def room(tmp_path):
    """A live class on a real SQLite store: ``(url, store, class_id, secret)``."""
    from backprop_widgets.live import open_store

    url = f"sqlite:///{tmp_path}/class.sqlite3"
    store = open_store(url)
    class_id, secret = store.create_class()
    yield url, store, class_id, secret
    store.close()


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server (tests/pg.py) for the session; ``postgres.new_database()``
    gives a fresh ``postgresql://`` URL. Without Debian's postgresql: a skip, a failure under CI."""
    from pg import Postgres, bindir

    if bindir() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not installed, and CI must run these tests: apt-get install -y postgresql")
        pytest.skip("PostgreSQL is not installed (apt-get install -y postgresql)")
    with Postgres() as pg:
        yield pg
