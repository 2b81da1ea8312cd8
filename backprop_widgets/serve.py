"""``backprop-widgets serve``: the dashboard as a local web app (Voila on 127.0.0.1).

Voila runs in a child process (``python -m voila``) on the notebook shipped inside this
package (``app.ipynb``), so the command works after a plain ``pip install``. We choose the port
ourselves and start Voila with ``port_retries=0``: the URL we print is the one it listens on.
Ctrl-C or SIGTERM stop Voila, which shuts its kernels down before exiting.

For a class on one server (see the README, "Serving a class"):

- a closed or reloaded page frees its kernel: Voila's shutdown request needs the ``_xsrf``
  cookie, which standalone Voila never sets; :mod:`backprop_widgets.voila` sets it;
- idle-kernel culling catches the pages whose shutdown request never arrived (a crashed tab);
- nothing is fetched from another host: the ``backprop`` template drops the CDN stylesheets;
- no "Notebook … is not trusted" for every kernel: the notebook is signed in a notary of this run.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from pathlib import Path

APP_NOTEBOOK = Path(__file__).with_name("app.ipynb")
HOST = "127.0.0.1"
DEFAULT_PORT = 8866  # Voila's own default
PORT_TRIES = 20  # --port busy → try the next ports, as Voila/Jupyter do, but print the real one
STARTUP_TIMEOUT = 120.0  # seconds until Voila listens (first import of jupyter_server is slow)
SHUTDOWN_TIMEOUT = 15.0  # seconds Voila gets to shut its kernels down before SIGKILL

# Voila's lab template without its CDN links: backprop_widgets/voila/templates/backprop,
# installed into share/jupyter/voila/templates/ (pyproject.toml, shared-data)
TEMPLATE = "backprop"
# kernels that run the notebook before anyone asks: page → interactive ~2.3 s, not ~3.5 s
POOL_SIZE = 1
# Idle culling, for kernels whose page went without a shutdown request (a crashed tab, a lost
# network). Only kernels without a connected page are culled (cull_connected=False): an open
# page is never culled, however long the student thinks; the preheated kernel neither (Voila).
CULL_IDLE_TIMEOUT = 900  # seconds without kernel activity and without a connected page
CULL_INTERVAL = 60  # seconds between checks
IDENTITY_PROVIDER = "backprop_widgets.voila.XsrfCookieIdentityProvider"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``backprop-widgets serve``."""
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT,
        help=f"port on {HOST} (default {DEFAULT_PORT}; the next free one if taken; 0 = any free port)",
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="print the URL but do not open a web browser"
    )


def run(args: argparse.Namespace) -> int:
    """Serve the dashboard until Ctrl-C / SIGTERM; return the exit status."""
    if not APP_NOTEBOOK.is_file():
        print(f"error: the app notebook is missing from the installation: {APP_NOTEBOOK}",
              file=sys.stderr)
        return 1
    try:
        port = free_port(args.port)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not template_installed():
        print(f"error: Voila's template {TEMPLATE!r} is missing from share/jupyter/voila/templates;"
              " reinstall the package (pip install .)", file=sys.stderr)
        return 1
    url = f"http://{HOST}:{port}/"
    with tempfile.TemporaryDirectory(prefix="backprop-widgets-") as notary_dir:
        trust_notebook(APP_NOTEBOOK, Path(notary_dir))
        return _serve(url, voila_command(port, notary_dir=Path(notary_dir)), port, args)


def _serve(url: str, cmd: list[str], port: int, args: argparse.Namespace) -> int:
    proc = subprocess.Popen(cmd)
    stop = _Stopper(proc)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if not _wait_listening(port, proc, STARTUP_TIMEOUT):
            if proc.poll() is None:
                print(f"error: Voila did not start listening on {url} within "
                      f"{STARTUP_TIMEOUT:.0f} s", file=sys.stderr)
                stop.terminate()
                return 1
            return proc.returncode or 1  # Voila already printed why
        print(f"\n    backprop-widgets dashboard: {url}\n    (Ctrl-C to stop)\n", flush=True)
        if not args.no_browser:
            open_browser(url)
        proc.wait()
    except KeyboardInterrupt:
        # Ctrl-C in a terminal also reached Voila (same process group); SIGTERM makes sure
        # when only we got it. Voila then shuts its kernels down.
        stop.terminate()
    finally:
        signal.signal(signal.SIGTERM, previous)
        stop.terminate()
    return 0 if stop.requested or proc.returncode in (0, -signal.SIGTERM) else proc.returncode


def template_installed() -> bool:
    """Whether Voila finds our template (in one of Jupyter's data directories)."""
    from jupyter_core.paths import jupyter_path

    return any(Path(d, "index.html.j2").is_file()
               for d in jupyter_path("voila", "templates", TEMPLATE))


def trust_notebook(notebook: Path, notary_dir: Path) -> None:
    """Sign ``notebook`` in a notebook notary kept in ``notary_dir`` (what ``jupyter trust``
    does in the user's own notary), for a Voila started with ``notary_dir=``.

    Voila loads the notebook through jupyter_server, which checks its signature and logs
    "Notebook … is not trusted" for every kernel otherwise. The notebook is ours and has no
    outputs; the notary of this run keeps the user's own (~/.local/share/jupyter) untouched.
    """
    import nbformat
    from nbformat.sign import NotebookNotary

    nb = nbformat.read(notebook, as_version=4)  # as jupyter_server's contents manager reads it
    with NotebookNotary(data_dir=str(notary_dir)) as notary:
        notary.sign(nb)


def voila_command(port: int, notebook: Path = APP_NOTEBOOK, *, notary_dir: Path,
                  cull_idle_timeout: int = CULL_IDLE_TIMEOUT,
                  cull_interval: int = CULL_INTERVAL) -> list[str]:
    """The Voila command line for ``notebook`` (the packaged app) on ``HOST:port``.

    ``notary_dir`` holds the notebook notary in which :func:`trust_notebook` signed it.
    """
    return [
        sys.executable, "-m", "voila", str(notebook),
        "--no-browser",  # we open it ourselves once Voila listens
        f"--Voila.ip={HOST}", f"--port={port}", "--Voila.port_retries=0",
        "--show_tracebacks=True",  # loopback only: a student should see what went wrong
        "--preheat_kernel=True", f"--pool_size={POOL_SIZE}",
        f"--template={TEMPLATE}",
        # the _xsrf cookie on page loads: the page's shutdown request on close is then accepted
        f"--Voila.identity_provider_class={IDENTITY_PROVIDER}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=False",
        f"--NotebookNotary.data_dir={notary_dir}",
    ]


def free_port(start: int, tries: int = PORT_TRIES) -> int:
    """``start`` if free on ``HOST``, else the next free port; ``0`` asks the OS for any."""
    if not 0 <= start <= 65535:
        raise ValueError(f"--port must be between 0 and 65535, not {start}")
    candidates = [0] if start == 0 else range(start, min(start + tries, 65536))
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise OSError(f"ports {start}–{start + tries - 1} on {HOST} are all in use; try --port 0")


def open_browser(url: str) -> None:
    """Open ``url`` in a graphical browser, if the session has one.

    Without a display (ssh, containers) Python's ``webbrowser`` falls back to text browsers
    such as lynx, which would take over this terminal; there we only print the URL.
    """
    headless_linux = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless_linux:
        return
    try:
        webbrowser.open(url)
    except webbrowser.Error:
        pass


class _Stopper:
    """SIGTERM handler for the parent: pass the signal on to Voila, at most once."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.requested = False

    def __call__(self, signum, frame) -> None:
        self.requested = True
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def terminate(self) -> None:
        """SIGTERM Voila and wait for its clean shutdown; SIGKILL if it hangs."""
        if self.proc.poll() is not None:
            return
        self.requested = True
        self.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + SHUTDOWN_TIMEOUT
        while time.monotonic() < deadline:
            try:
                self.proc.wait(timeout=0.2)
                return
            except subprocess.TimeoutExpired:
                continue
            except KeyboardInterrupt:  # a second Ctrl-C: keep waiting for the kernels
                continue
        self.proc.kill()
        self.proc.wait()


def _wait_listening(port: int, proc: subprocess.Popen, timeout: float) -> bool:
    """True once something accepts TCP connections on ``HOST:port``; False if Voila exits.

    A TCP connect, not an HTTP GET: every GET of the page starts a kernel.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False
