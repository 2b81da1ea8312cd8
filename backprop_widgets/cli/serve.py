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
- no "Notebook … is not trusted" for every kernel: the notebook is signed in a notary of this run;
- a busy server is slow, not blank: Voila's executor waits a minute for the notebook's output;
- ``--class N``: a pool of preheated kernels for N students and a hard cap on kernels, past
  which a page request gets a small "server full, try again" page (HTTP 503) at once
  (:mod:`backprop_widgets.voila.capacity`).
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
from typing import NamedTuple

APP_NOTEBOOK = Path(__file__).parent.parent / "app.ipynb"
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
KERNEL_MB = 117  # resident memory of one kernel running the app (measured)
# Idle culling, for kernels whose page went without a shutdown request (a crashed tab, a lost
# network). Only kernels without a connected page are culled (cull_connected=False): an open
# page is never culled, however long the student thinks; the preheated kernel neither (Voila).
CULL_IDLE_TIMEOUT = 900  # seconds without kernel activity and without a connected page
CULL_INTERVAL = 60  # seconds between checks
IDENTITY_PROVIDER = "backprop_widgets.voila.XsrfCookieIdentityProvider"
# Every kernel start goes through it; it refuses starts past --max-kernels (0: no cap) and
# Voila then serves templates/backprop/503.html, "The class server is full — try again"
KERNEL_MANAGER = "backprop_widgets.voila.CappedKernelManager"
# Voila's executor (nbclient). While the notebook runs, it waits `iopub_timeout` seconds for
# the output after each cell's reply; at the default 4 s a saturated CPU made it give up and
# serve the page without the dashboard, blank and with nothing logged (9 of 20 pages at once
# had it). 60 s: 20 of 20 (MEASUREMENTS.md, "Many pages at once"). The per-cell
# VoilaExecutor.timeout stays None (no limit): the app notebook has no long cell.
EXECUTOR_IOPUB_TIMEOUT = 60
# ...and waits `startup_timeout` for a new kernel to answer (Voila's default 60 s). A class
# server starts its whole pool at once (`--class 20`: 20 kernels on 2 cores), so more room.
EXECUTOR_STARTUP_TIMEOUT = 120

# --- serve --class N ------------------------------------------------------------------------
# Pool: a preheated kernel has already run the notebook, so a student who gets one has the
# dashboard in seconds; without one, the page waits for a kernel to start and run the notebook
# (~2.3 CPU-seconds each: on a 2-core server, 20 students arriving together wait for all the
# others). A class arrives together, so the pool has one kernel per student, started with the
# server before the lesson: ~117 MB each, the memory the class needs anyway. All of it starts
# at once, so it is capped: past CLASS_POOL_MAX the startup takes minutes, and the students
# past it get a kernel started on demand, as without a pool.
CLASS_POOL_MAX = 20
# Cap: the class plus a few kernels of slack (pages still closing after a reload, a crashed
# tab until idle culling frees its kernel). Past it, a student gets the "full" page at once,
# and the students already in keep a server that answers. Voila refills its pool after each
# student takes a kernel; the cap stops that once the class is in, which matters: measured
# with 6 students on 2 cores (benchmarks/bench_classroom.py), refilling the whole pool made
# page → interactive 18.8 s (median), stopping at the cap 8.6 s.
CLASS_SPARE = 2
# A refill refused at the cap stays in Voila's pool as a failed start, which Voila would hand
# to the next student as a "full" page even once there is room again; Voila's idle culler drops
# those every cull_interval, so a class server checks more often (a cheap check).
CLASS_CULL_INTERVAL = 10


class ClassPlan(NamedTuple):
    pool_size: int  # preheated kernels
    max_kernels: int  # cap on kernels alive, preheated ones included; 0: no cap
    cull_interval: int  # seconds between idle-culling checks


def class_plan(students: int | None, max_kernels: int | None = None) -> ClassPlan:
    """Pool size and kernel cap for ``serve`` (``students=None``) or ``serve --class N``.

    ``max_kernels`` (``--max-kernels``) overrides the cap; the pool then shrinks to leave at
    least one kernel of the cap to a page that is not preheated.
    """
    if students is None:  # a laptop: one preheated kernel, no cap unless asked for
        pool, cap, cull_interval = POOL_SIZE, max_kernels or 0, CULL_INTERVAL
    else:
        pool = min(students, CLASS_POOL_MAX)
        cap, cull_interval = max_kernels or students + CLASS_SPARE, CLASS_CULL_INTERVAL
    if cap:
        pool = min(pool, cap - 1)
    return ClassPlan(pool_size=pool, max_kernels=cap, cull_interval=cull_interval)


def positive_int(text: str) -> int:
    """argparse type: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number, 1 or more, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number, 1 or more, not {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``backprop-widgets serve``."""
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT,
        help=f"port on {HOST} (default {DEFAULT_PORT}; the next free one if taken; 0 = any free port)",
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="print the URL but do not open a web browser"
    )
    parser.add_argument(
        "--class", dest="students", type=positive_int, metavar="N",
        help=f"serve a class of N students: N kernels preheated (at most {CLASS_POOL_MAX}) and "
             f"at most N + {CLASS_SPARE} kernels; past that, a page says the server is full "
             "(HTTP 503)",
    )
    parser.add_argument(
        "--max-kernels", type=positive_int, metavar="M",
        help="at most M kernels at once, preheated ones included (one per open page); past "
             "that, a page says the server is full (default: none; with --class, as above)",
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
    plan = class_plan(getattr(args, "students", None), getattr(args, "max_kernels", None))
    if plan.max_kernels:
        print(f"{plan.pool_size} preheated kernel(s), at most {plan.max_kernels} kernels "
              f"(~{plan.max_kernels * KERNEL_MB / 1000:.1f} GB)", flush=True)
    with tempfile.TemporaryDirectory(prefix="backprop-widgets-") as notary_dir:
        trust_notebook(APP_NOTEBOOK, Path(notary_dir))
        cmd = voila_command(port, notary_dir=Path(notary_dir), pool_size=plan.pool_size,
                            max_kernels=plan.max_kernels, cull_interval=plan.cull_interval)
        return _serve(url, cmd, port, args)


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
                  cull_interval: int = CULL_INTERVAL,
                  pool_size: int = POOL_SIZE, max_kernels: int = 0,
                  iopub_timeout: int = EXECUTOR_IOPUB_TIMEOUT) -> list[str]:
    """The Voila command line for ``notebook`` (the packaged app) on ``HOST:port``.

    ``notary_dir`` holds the notebook notary in which :func:`trust_notebook` signed it.
    ``pool_size`` kernels are kept preheated; at most ``max_kernels`` run (0: no cap).
    """
    return [
        sys.executable, "-m", "voila", str(notebook),
        "--no-browser",  # we open it ourselves once Voila listens
        f"--Voila.ip={HOST}", f"--port={port}", "--Voila.port_retries=0",
        "--show_tracebacks=True",  # loopback only: a student should see what went wrong
        "--preheat_kernel=True", f"--pool_size={pool_size}",
        f"--template={TEMPLATE}",
        f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}",
        f"--CappedKernelManager.max_kernels={max_kernels}",
        f"--VoilaExecutor.iopub_timeout={iopub_timeout}",
        f"--VoilaExecutor.startup_timeout={EXECUTOR_STARTUP_TIMEOUT}",
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
