"""``backprop-widgets serve``: Voila on the packaged notebook, configured for a class (our
template, the xsrf cookie, culling, a signed notebook), the printed URL is real, and SIGTERM
stops Voila together with its kernels; `serve --class N` sizes the pool and the kernel cap, and a
full server answers with a page saying so. The browser side is in test_browser_server.py and
test_browser_class.py."""

from __future__ import annotations

import concurrent.futures
import importlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_core.paths import jupyter_path
from jupyter_server.auth import PasswordIdentityProvider
from nbformat.sign import NotebookNotary
from tornado.httputil import HTTPHeaders

from backprop_widgets.cli import serve
from backprop_widgets.voila.xsrf import is_page_load


def test_first_port_is_the_asked_one_or_a_random_ephemeral_one():
    # Voila binds it (and the next ones while taken) itself: no port is chosen by binding and
    # releasing it first, which would race with any other program
    assert serve.first_port(8866) == 8866
    lo, hi = serve.EPHEMERAL_PORTS
    assert all(lo <= serve.first_port(0) <= hi - serve.PORT_TRIES for _ in range(50))
    with pytest.raises(ValueError, match="between 0 and 65535"):
        serve.first_port(70000)


def test_app_notebook_is_packaged(tmp_path):
    assert serve.APP_NOTEBOOK.is_file()
    config = serve.voila_config(8866, notary_dir=tmp_path)
    assert (config.Voila.ip, config.Voila.port, config.Voila.port_retries) == ("127.0.0.1", 8866, 0)
    cmd = serve.voila_command(8866, config_dir=tmp_path / "cfg", notary_dir=tmp_path)
    assert str(serve.APP_NOTEBOOK) in cmd and "--no-browser" in cmd
    # the child process reads the very same configuration
    assert json.loads((tmp_path / "cfg" / "voila.json").read_text()) == json.loads(json.dumps(config))


def test_voila_is_configured_for_a_class(tmp_path):
    c = serve.voila_config(8866, notary_dir=tmp_path)
    assert c.VoilaConfiguration.template == serve.TEMPLATE
    assert c.Voila.identity_provider_class == serve.IDENTITY_PROVIDER
    assert c.MappingKernelManager.cull_idle_timeout == serve.CULL_IDLE_TIMEOUT
    assert c.MappingKernelManager.cull_connected is False  # open pages are never culled
    assert c.NotebookNotary.data_dir == str(tmp_path)
    assert "disable_check_xsrf" not in json.dumps(c), "XSRF protection stays on"
    # the identity provider it names exists, and is jupyter_server's default plus the cookie
    module, name = serve.IDENTITY_PROVIDER.rsplit(".", 1)
    provider = getattr(importlib.import_module(module), name)
    assert issubclass(provider, PasswordIdentityProvider)


def test_template_is_installed_without_cdn_links():
    assert serve.template_installed(), "pip install -e . puts it into share/jupyter/voila/templates"
    [found] = [
        Path(d) for d in jupyter_path("voila", "templates", serve.TEMPLATE) if Path(d, "index.html.j2").is_file()
    ][:1]
    text = (found / "index.html.j2").read_text()
    assert "extends 'voila/templates/lab/index.html.j2'" in text
    assert not re.search(r"(href|src)=\"https?://", text)
    packaged = Path(serve.__file__).parents[1] / "voila" / "templates" / serve.TEMPLATE
    assert text == (packaged / "index.html.j2").read_text(), "installed copy is stale: pip install -e ."


def test_trust_notebook_signs_it_in_the_given_notary(tmp_path):
    nb = nbformat.read(serve.APP_NOTEBOOK, as_version=4)
    with NotebookNotary(data_dir=str(tmp_path)) as notary:
        assert not notary.check_signature(nb)
    serve.trust_notebook(serve.APP_NOTEBOOK, tmp_path)
    with NotebookNotary(data_dir=str(tmp_path)) as notary:
        assert notary.check_signature(nb)


@pytest.mark.parametrize(
    ("method", "fetch_mode", "page_load"),
    [
        ("GET", "navigate", True),
        ("GET", None, True),  # no header: an old browser, curl
        ("GET", "websocket", False),
        ("GET", "cors", False),
        ("GET", "no-cors", False),
        ("POST", "navigate", False),
    ],
)
def test_the_xsrf_cookie_is_given_on_page_loads_only(method, fetch_mode, page_load):
    headers = HTTPHeaders({"Sec-Fetch-Mode": fetch_mode} if fetch_mode else {})
    handler = SimpleNamespace(request=SimpleNamespace(method=method, headers=headers))
    assert is_page_load(handler) is page_load


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_prints_the_url_and_stops_cleanly_on_sigterm(tmp_path):
    # port 0: a random port; the URL printed must be the one Voila listens on
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # where serve keeps its notary
    proc = subprocess.Popen(
        [sys.executable, "-m", "backprop_widgets", "serve", "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        url = None
        deadline = time.monotonic() + 90
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                pytest.fail(f"serve exited with {proc.returncode} before printing a URL")
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            url = m and m.group(1)
        assert url, "no URL printed"
        with urllib.request.urlopen(url, timeout=90) as resp:  # executes the app notebook
            page = resp.read().decode()
        assert resp.status == 200
        assert "application/vnd.jupyter.widget-view+json" in page, "no widget in the page"
        kernels = _children(proc.pid)  # Voila runs in serve's own process
        assert kernels, "expected a kernel for the page"
        [notary] = tmp_path.glob("backprop-widgets-*")
        assert notary.is_dir()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while (left := [p for p in kernels if _alive(p)]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not left, "a kernel outlived serve"
        assert not notary.exists(), "serve leaves its temporary notary behind"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


# --- serve --class N: pool, cap, executor timeouts -------------------------------------------


def test_plain_serve_keeps_the_laptop_defaults(tmp_path):
    # one preheated kernel, no cap, culling checked every minute
    assert serve.class_plan(None) == (serve.POOL_SIZE, 0)
    c = serve.voila_config(8866, notary_dir=tmp_path)
    assert c.VoilaConfiguration.default_pool_size == serve.POOL_SIZE
    assert c.CappedKernelManager.max_kernels == 0
    # a busy laptop is slow, not blank: the executor waits a minute for each cell's output
    assert c.VoilaExecutor.iopub_timeout == serve.EXECUTOR_IOPUB_TIMEOUT
    assert serve.EXECUTOR_IOPUB_TIMEOUT >= 60
    assert c.VoilaExecutor.startup_timeout == serve.EXECUTOR_STARTUP_TIMEOUT
    assert c.MappingKernelManager.cull_interval == serve.CULL_INTERVAL


@pytest.mark.parametrize(
    ("students", "max_kernels", "pool", "cap"),
    [
        (1, None, 1, 1 + serve.CLASS_SPARE),
        (20, None, 20, 20 + serve.CLASS_SPARE),  # a kernel preheated for every student
        (100, None, serve.CLASS_POOL_MAX, 100 + serve.CLASS_SPARE),
        (20, 10, 9, 10),  # --max-kernels wins; the pool leaves one kernel for a page
        (1, 1, 0, 1),
    ],
)
def test_class_plan(students, max_kernels, pool, cap):
    assert serve.class_plan(students, max_kernels) == (pool, cap)
    # plain serve: the laptop's values, and a cap only when asked for one
    assert serve.class_plan(None, 5) == (serve.POOL_SIZE, 5)


def _config_of(argv, monkeypatch):
    """The Voila configuration ``backprop-widgets <argv>`` would run with (Voila is not started)."""
    from backprop_widgets.__main__ import main

    seen = []
    monkeypatch.setattr(serve, "start_voila", lambda config, notebook, open_page: seen.append(config) or 0)
    assert main(argv) == 0
    [config] = seen
    return config


def test_serve_class_configures_voila_for_n_students(monkeypatch):
    c = _config_of(["serve", "--class", "20", "--port", "0", "--no-browser"], monkeypatch)
    assert c.VoilaConfiguration.default_pool_size == 20
    assert c.CappedKernelManager.max_kernels == 20 + serve.CLASS_SPARE
    assert c.VoilaConfiguration.multi_kernel_manager_class == serve.KERNEL_MANAGER
    assert c.VoilaExecutor.iopub_timeout == serve.EXECUTOR_IOPUB_TIMEOUT
    # idle culling: only kernels without a connected page
    assert c.MappingKernelManager.cull_idle_timeout == serve.CULL_IDLE_TIMEOUT
    assert c.MappingKernelManager.cull_interval == serve.CULL_INTERVAL
    assert c.MappingKernelManager.cull_connected is False
    assert c.Voila.port_retries == serve.PORT_TRIES and c.Voila.port >= serve.EPHEMERAL_PORTS[0]
    c = _config_of(["serve", "--class", "5", "--max-kernels", "4", "--port", "0", "--no-browser"], monkeypatch)
    assert (c.VoilaConfiguration.default_pool_size, c.CappedKernelManager.max_kernels) == (3, 4)
    c = _config_of(["--port", "8123", "--no-browser"], monkeypatch)  # plain serve
    assert (c.VoilaConfiguration.default_pool_size, c.CappedKernelManager.max_kernels) == (serve.POOL_SIZE, 0)
    assert c.MappingKernelManager.cull_interval == serve.CULL_INTERVAL and c.Voila.port == 8123


@pytest.mark.parametrize(
    "argv", [["--class", "0"], ["--class", "-3"], ["--class", "abc"], ["--class", "2.5"], ["--max-kernels", "0"]]
)
def test_class_size_must_be_a_positive_whole_number(argv, capsys):
    from backprop_widgets.__main__ import main

    with pytest.raises(SystemExit) as exc:
        main(["serve", *argv])
    assert exc.value.code == 2  # argparse's usage error, before anything starts
    err = capsys.readouterr().err
    assert f"argument {argv[0]}" in err and "expected a whole number, 1 or more" in err, err


def test_the_config_names_serve_sets_exist():
    """Voila and traitlets ignore a misspelt Class.name: check each against its class."""
    from nbformat.sign import NotebookNotary
    from voila.app import Voila
    from voila.configuration import VoilaConfiguration
    from voila.execute import VoilaExecutor

    from backprop_widgets.voila import CappedKernelManager

    names = {
        "VoilaExecutor": VoilaExecutor,
        "VoilaConfiguration": VoilaConfiguration,
        "CappedKernelManager": CappedKernelManager,
        "Voila": Voila,
        "MappingKernelManager": CappedKernelManager,
        "NotebookNotary": NotebookNotary,
    }
    config = serve.voila_config(8866, notary_dir=Path("/tmp"))
    assert set(config) == set(names)
    for section, values in config.items():
        for name in values:
            assert name in names[section].class_trait_names(config=True), f"{section}.{name}"
    module, name = serve.KERNEL_MANAGER.rsplit(".", 1)
    assert getattr(importlib.import_module(module), name) is CappedKernelManager


def test_the_cap_holds_for_kernels_started_together(tmp_path):
    """Three pages at once against a cap of 2: two kernels, one refusal (503), never three."""
    import asyncio

    from backprop_widgets.voila import CappedKernelManager, ServerFull

    async def start_three():
        km = CappedKernelManager(max_kernels=2, connection_dir=str(tmp_path))
        try:
            got = await asyncio.gather(
                *(km.start_kernel(kernel_name="python3") for _ in range(3)), return_exceptions=True
            )
            return got, len(km)
        finally:
            await km.shutdown_all()

    # in a thread of its own: a browser test before this one (Playwright's sync API) may have
    # left an event loop running in this thread, where asyncio.run() refuses to start
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        got, alive = pool.submit(asyncio.run, start_three()).result()
    refused = [g for g in got if isinstance(g, ServerFull)]
    assert len(refused) == 1 and alive == 2, got
    assert refused[0].status_code == 503 and refused[0].retry_after > 0


def test_a_preheated_start_at_the_cap_waits_for_room_and_is_never_refused(tmp_path):
    """Voila keeps a refused pool refill in its pool, and its shutdown_kernel re-raised it at
    every closing page (issue 21): a preheated start (VOILA_PREHEAT=True) at the cap must wait
    for room instead, and count against the cap while it waits; a page's start is refused."""
    import asyncio

    from backprop_widgets.voila import CappedKernelManager, ServerFull

    async def scenario():
        km = CappedKernelManager(max_kernels=1, connection_dir=str(tmp_path))
        try:
            page = await km.start_kernel(kernel_name="python3")
            env = {**os.environ, "VOILA_PREHEAT": "True"}  # as Voila starts a pool's kernel
            preheat = asyncio.ensure_future(km.start_kernel(kernel_name="python3", env=env))
            while not km.waiting:  # it has reached the cap and waits
                await asyncio.sleep(0.05)
            refused = await asyncio.gather(km.start_kernel(kernel_name="python3"), return_exceptions=True)
            waited = not preheat.done()
            await km.shutdown_kernel(page)  # the page closes: room for the preheated kernel
            started = await asyncio.wait_for(preheat, timeout=300)
            return refused, waited, started, km.list_kernel_ids()
        finally:
            await km.shutdown_all()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        refused, waited, started, alive = pool.submit(asyncio.run, scenario()).result()
    assert isinstance(refused[0], ServerFull), refused
    assert waited and alive == [started]


@pytest.mark.parametrize(
    ("missing", "cap", "committed", "more"),
    [(3, 0, 7, 3), (3, 5, 3, 2), (3, 5, 5, 0), (3, 5, 6, 0), (0, 5, 1, 0), (2, 5, 1, 2)],
)
def test_the_pool_is_refilled_as_far_as_the_cap_has_room(missing, cap, committed, more):
    from backprop_widgets.voila.capacity import pool_refill

    assert pool_refill(missing, cap, committed) == more


@pytest.fixture(scope="module")
def full_voila(start_voila):
    """As ``serve`` starts it, with a cap of one kernel and no pool: the second page is refused."""
    with start_voila(pool_size=0, max_kernels=1) as server:
        yield server


def test_a_full_server_answers_503_with_a_page_saying_so(full_voila):
    with urllib.request.urlopen(full_voila.url, timeout=90) as resp:  # takes the one kernel
        assert resp.status == 200 and "application/vnd.jupyter.widget-view+json" in resp.read().decode()
    [kernel] = _children(full_voila.pid)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(full_voila.url, timeout=30)
    assert refused.value.code == 503
    assert refused.value.headers["Content-Type"].startswith("text/html")
    page = refused.value.read().decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split("<body>")[1]))
    assert "The class server is full — try again in a minute." in text
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', page)  # tries again itself
    assert not re.search(r"(href|src)=\"https?://", page) and "<script" not in page
    assert _children(full_voila.pid) == [kernel], "the refused page started a kernel"
    assert "Refusing to start a kernel" in full_voila.log.read_text()


def test_the_binder_route_gets_the_same_timeouts_and_culling():
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(
        "jupyter_server_config.py", path=str(Path(__file__).parents[1] / "binder")
    ).load_config()
    assert config.VoilaExecutor.iopub_timeout == serve.EXECUTOR_IOPUB_TIMEOUT
    assert config.VoilaExecutor.startup_timeout == serve.EXECUTOR_STARTUP_TIMEOUT
    assert config.MappingKernelManager.cull_idle_timeout == serve.CULL_IDLE_TIMEOUT
    assert config.MappingKernelManager.cull_interval == serve.CULL_INTERVAL
    assert config.MappingKernelManager.cull_connected is False


def test_the_app_kernel_imports_the_real_voila():
    """A kernel runs in its notebook's folder, with that folder first on sys.path: nothing there
    may shadow an installed package. (The app notebook once sat beside our ``voila/``, and every
    preheated page failed on ``from voila.utils import get_query_string``.)"""
    folder = serve.APP_NOTEBOOK.parent
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["app.ipynb"]
    code = "import voila.utils, sys; print(voila.utils.__file__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, check=True)
    assert "site-packages" in out.stdout, out.stdout
