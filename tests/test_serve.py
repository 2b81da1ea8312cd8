"""``backprop-widgets serve``: Voila on the packaged notebook, configured for a class (our
template, the xsrf cookie, culling, a signed notebook), the printed URL is real, and SIGTERM
stops Voila together with its kernels. The browser side is in test_browser_server.py."""

from __future__ import annotations

import importlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_core.paths import jupyter_path
from jupyter_server.auth import PasswordIdentityProvider
from nbformat.sign import NotebookNotary
from tornado.httputil import HTTPHeaders

from backprop_widgets import serve
from backprop_widgets.voila.xsrf import is_page_load


def test_free_port_skips_a_busy_port():
    with socket.socket() as busy:
        busy.bind((serve.HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        got = serve.free_port(port)
        assert got != port and port < got <= port + serve.PORT_TRIES
    assert serve.free_port(0) > 0
    with pytest.raises(ValueError):
        serve.free_port(70000)


def test_app_notebook_is_packaged(tmp_path):
    assert serve.APP_NOTEBOOK.is_file()
    cmd = serve.voila_command(8866, notary_dir=tmp_path)
    assert str(serve.APP_NOTEBOOK) in cmd and "--Voila.port_retries=0" in cmd
    assert "--Voila.ip=127.0.0.1" in cmd and "--no-browser" in cmd


def test_voila_is_configured_for_a_class(tmp_path):
    cmd = serve.voila_command(8866, notary_dir=tmp_path)
    assert f"--template={serve.TEMPLATE}" in cmd
    assert f"--Voila.identity_provider_class={serve.IDENTITY_PROVIDER}" in cmd
    assert f"--MappingKernelManager.cull_idle_timeout={serve.CULL_IDLE_TIMEOUT}" in cmd
    assert "--MappingKernelManager.cull_connected=False" in cmd  # open pages are never culled
    assert f"--NotebookNotary.data_dir={tmp_path}" in cmd
    assert not any("disable_check_xsrf" in arg for arg in cmd), "XSRF protection stays on"
    # the identity provider the command names exists, and is jupyter_server's default plus the cookie
    module, name = serve.IDENTITY_PROVIDER.rsplit(".", 1)
    provider = getattr(importlib.import_module(module), name)
    assert issubclass(provider, PasswordIdentityProvider)


def test_template_is_installed_without_cdn_links():
    assert serve.template_installed(), "pip install -e . puts it into share/jupyter/voila/templates"
    [found] = [Path(d) for d in jupyter_path("voila", "templates", serve.TEMPLATE)
               if Path(d, "index.html.j2").is_file()][:1]
    text = (found / "index.html.j2").read_text()
    assert "extends 'voila/templates/lab/index.html.j2'" in text
    assert not re.search(r"(href|src)=\"https?://", text)
    packaged = Path(serve.__file__).with_name("voila") / "templates" / serve.TEMPLATE
    assert text == (packaged / "index.html.j2").read_text(), "installed copy is stale: pip install -e ."


def test_trust_notebook_signs_it_in_the_given_notary(tmp_path):
    nb = nbformat.read(serve.APP_NOTEBOOK, as_version=4)
    with NotebookNotary(data_dir=str(tmp_path)) as notary:
        assert not notary.check_signature(nb)
    serve.trust_notebook(serve.APP_NOTEBOOK, tmp_path)
    with NotebookNotary(data_dir=str(tmp_path)) as notary:
        assert notary.check_signature(nb)


@pytest.mark.parametrize(("method", "fetch_mode", "page_load"), [
    ("GET", "navigate", True), ("GET", None, True),  # no header: an old browser, curl
    ("GET", "websocket", False), ("GET", "cors", False), ("GET", "no-cors", False),
    ("POST", "navigate", False),
])
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


def test_serve_prints_the_url_and_stops_cleanly_on_sigterm():
    # port 0: any free port; the URL printed must be the one Voila listens on
    proc = subprocess.Popen([sys.executable, "-m", "backprop_widgets", "serve", "--no-browser",
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
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
        voila = _children(proc.pid)
        kernels = [k for v in voila for k in _children(v)]
        assert voila and kernels, "expected Voila and one kernel for the page"
        [notary] = re.findall(r"--NotebookNotary\.data_dir=([^\0]+)",
                              Path(f"/proc/{voila[0]}/cmdline").read_text())
        assert Path(notary).is_dir()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while (left := [p for p in voila + kernels if _alive(p)]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not left, "Voila or its kernel outlived serve"
        assert not Path(notary).exists(), "serve leaves its temporary notary behind"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
