"""``backprop-widgets serve``: the dashboard as a local web app (Voila on 127.0.0.1).

Voila runs in a child process (``python -m voila``) on the notebook shipped inside this
package (``app.ipynb``), so the command works after a plain ``pip install``. We choose the port
ourselves and start Voila with ``port_retries=0``: the URL we print is the one it listens on.
Ctrl-C or SIGTERM stop Voila, which shuts its kernels down before exiting.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import webbrowser
from pathlib import Path

APP_NOTEBOOK = Path(__file__).with_name("app.ipynb")
HOST = "127.0.0.1"
DEFAULT_PORT = 8866  # Voila's own default
PORT_TRIES = 20  # --port busy → try the next ports, as Voila/Jupyter do, but print the real one
STARTUP_TIMEOUT = 120.0  # seconds until Voila listens (first import of jupyter_server is slow)
SHUTDOWN_TIMEOUT = 15.0  # seconds Voila gets to shut its kernels down before SIGKILL


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
    url = f"http://{HOST}:{port}/"
    proc = subprocess.Popen(voila_command(port))
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


def voila_command(port: int) -> list[str]:
    """The Voila command line for the packaged app notebook on ``HOST:port``."""
    return [
        sys.executable, "-m", "voila", str(APP_NOTEBOOK),
        "--no-browser",  # we open it ourselves once Voila listens
        f"--Voila.ip={HOST}", f"--port={port}", "--Voila.port_retries=0",
        "--show_tracebacks=True",  # loopback only: a student should see what went wrong
        # one kernel runs the notebook before anyone asks: page → interactive ~2.3 s, not ~3.5 s
        "--preheat_kernel=True", "--pool_size=1",
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
