"""``backprop-widgets serve``: Voila on the packaged notebook, the printed URL is real, and
SIGTERM stops Voila together with its kernels."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from backprop_widgets import serve


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


def test_app_notebook_is_packaged():
    assert serve.APP_NOTEBOOK.is_file()
    cmd = serve.voila_command(8866)
    assert str(serve.APP_NOTEBOOK) in cmd and "--Voila.port_retries=0" in cmd
    assert "--Voila.ip=127.0.0.1" in cmd and "--no-browser" in cmd


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
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        time.sleep(0.5)
        assert not [p for p in voila + kernels if _alive(p)], "Voila or its kernel outlived serve"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
