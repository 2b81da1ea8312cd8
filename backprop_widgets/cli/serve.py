"""``backprop-widgets serve``: the dashboard as a local web app (Voila on 127.0.0.1).

Voila's own application (``voila.app.Voila``) runs in this process on the notebook shipped
inside this package (``app.ipynb``), so the command works after a plain ``pip install``. Every
setting is in one ``traitlets`` configuration (:func:`voila_config`); Voila binds the port
itself, trying the next ones if it is taken, and we print the URL it listens on. Ctrl-C or
SIGTERM stop Voila, which shuts its kernels down before exiting.

For a class on one server (see the README, "Serving a class"):

- a closed or reloaded page frees its kernel: Voila's shutdown request needs the ``_xsrf``
  cookie, which standalone Voila never sets; :mod:`backprop_widgets.voila` sets it;
- idle-kernel culling catches the pages whose shutdown request never arrived (a crashed tab);
- nothing is fetched from another host: the ``backprop`` template drops the CDN stylesheets;
- no "Notebook … is not trusted" for every kernel: the notebook is signed in a notary of this run;
- a busy server is slow, not blank: Voila's executor waits a minute for the notebook's output;
- ``--class N``: a pool of preheated kernels for N students and a hard cap on kernels, past
  which a page request gets a small "server full, try again" page (HTTP 503) at once
  (:mod:`backprop_widgets.voila.capacity`);
- ``--live``: a live class; its store, its class and the links it prints (:mod:`.live_class`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import webbrowser
from pathlib import Path
from typing import Callable, NamedTuple

from traitlets.config import Config

from ..live import SchemaError, StoreUnavailable
from . import live_class

# in a folder of its own: the kernel runs in the notebook's folder, where a module beside it
# would shadow an installed one (our voila/ shadowed Voila's own, which the page imports)
APP_NOTEBOOK = Path(__file__).parent.parent / "served" / "app.ipynb"
HOST = "127.0.0.1"
DEFAULT_PORT = 8866  # Voila's own default
PORT_TRIES = 20  # --port busy → Voila tries the next ones (Voila.port_retries); we print the real one
EPHEMERAL_PORTS = (49152, 65535)  # --port 0: Voila starts at a random port of this range

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
# had it). 60 s: 20 of 20, measured by loading 20 pages at once on 2 cores. The per-cell
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
# and the students already in keep a server that answers. The pool is refilled after each
# student takes a kernel, and as soon as one goes, but only as far as the cap has room
# (backprop_widgets.voila.capacity), which matters: measured with 6 students on 2 cores
# (benchmarks/bench_classroom.py), refilling the whole pool made page → interactive 18.8 s
# (median), stopping at the cap 8.6 s.
CLASS_SPARE = 2


class ClassPlan(NamedTuple):
    pool_size: int  # preheated kernels
    max_kernels: int  # cap on kernels alive, preheated ones included; 0: no cap


def class_plan(students: int | None, max_kernels: int | None = None) -> ClassPlan:
    """Pool size and kernel cap for ``serve`` (``students=None``) or ``serve --class N``.

    ``max_kernels`` (``--max-kernels``) overrides the cap; the pool then shrinks to leave at
    least one kernel of the cap to a page that is not preheated.
    """
    if students is None:  # a laptop: one preheated kernel, no cap unless asked for
        pool, cap = POOL_SIZE, max_kernels or 0
    else:
        pool, cap = min(students, CLASS_POOL_MAX), max_kernels or students + CLASS_SPARE
    if cap:
        pool = min(pool, cap - 1)
    return ClassPlan(pool_size=pool, max_kernels=cap)


def positive_int(text: str) -> int:
    """argparse type: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, 1 or more, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number, 1 or more, not {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``backprop-widgets serve``."""
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port on {HOST} (default {DEFAULT_PORT}; the next free one if taken; 0 = any free port)",
    )
    parser.add_argument("--no-browser", action="store_true", help="print the URL but do not open a web browser")
    parser.add_argument(
        "--class",
        dest="students",
        type=positive_int,
        metavar="N",
        help=f"serve a class of N students: N kernels preheated (at most {CLASS_POOL_MAX}) and "
        f"at most N + {CLASS_SPARE} kernels; past that, a page says the server is full "
        "(HTTP 503)",
    )
    parser.add_argument(
        "--max-kernels",
        type=positive_int,
        metavar="M",
        help="at most M kernels at once, preheated ones included (one per open page); past "
        "that, a page says the server is full (default: none; with --class, as above)",
    )
    live_class.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Serve the dashboard until Ctrl-C / SIGTERM; return the exit status."""
    if not APP_NOTEBOOK.is_file():
        print(f"error: the app notebook is missing from the installation: {APP_NOTEBOOK}", file=sys.stderr)
        return 1
    try:
        port = first_port(args.port)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not template_installed():
        print(
            f"error: Voila's template {TEMPLATE!r} is missing from share/jupyter/voila/templates;"
            " reinstall the package (pip install .)",
            file=sys.stderr,
        )
        return 1
    announce = None
    if getattr(args, "live", False):
        try:
            live = live_class.open_class(args.store, new=args.new_class)
        except (StoreUnavailable, SchemaError, ValueError, OSError) as exc:
            print(f"error: the live class's store: {exc}", file=sys.stderr)
            return 1
        os.environ.update(live.kernel_env())  # the kernels inherit it (never the secret)
        announce = live.announce
    elif getattr(args, "store", None) or getattr(args, "new_class", False):
        print("error: --store and --new-class are options of a live class: add --live", file=sys.stderr)
        return 1
    plan = class_plan(getattr(args, "students", None), getattr(args, "max_kernels", None))
    if plan.max_kernels:
        print(
            f"{plan.pool_size} preheated kernel(s), at most {plan.max_kernels} kernels "
            f"(~{plan.max_kernels * KERNEL_MB / 1000:.1f} GB)",
            flush=True,
        )
    with tempfile.TemporaryDirectory(prefix="backprop-widgets-") as notary_dir:
        trust_notebook(APP_NOTEBOOK, Path(notary_dir))
        config = voila_config(
            port,
            notary_dir=Path(notary_dir),
            pool_size=plan.pool_size,
            max_kernels=plan.max_kernels,
            port_retries=PORT_TRIES,
        )
        if announce is None:
            return start_voila(config, APP_NOTEBOOK, open_page=not args.no_browser)
        return start_voila(config, APP_NOTEBOOK, open_page=not args.no_browser, announce=announce)


def start_voila(
    config: Config, notebook: Path, *, open_page: bool, announce: Callable[[str], str] | None = None
) -> int:
    """Run Voila's application with ``config`` on ``notebook`` until Ctrl-C or SIGTERM (Voila
    handles both: it stops its loop and shuts its kernels down). ``announce(url)``: more lines
    to print once it listens (a live class's links)."""
    from voila.app import Voila

    class App(Voila):
        def launch_browser(self) -> None:
            """Voila calls this once it listens: print the URL it listens on, open it if asked."""
            more = announce(self.connection_url) if announce else ""
            print(f"\n    backprop-widgets dashboard: {self.connection_url}\n{more}    (Ctrl-C to stop)\n", flush=True)
            if open_page:
                open_browser(self.connection_url)

    app = App(config=config)
    try:
        app.initialize([str(notebook)])
        app.start()
    except SystemExit as exc:  # Voila's own exit, e.g. no free port: it logged why
        return exc.code if isinstance(exc.code, int) else 1
    return 0


def template_installed() -> bool:
    """Whether Voila finds our template (in one of Jupyter's data directories)."""
    from jupyter_core.paths import jupyter_path

    return any(Path(d, "index.html.j2").is_file() for d in jupyter_path("voila", "templates", TEMPLATE))


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


#: JupyterLab's own front-end extensions that a Voila page must not load: built for JupyterLab's
#: shell, they fail in a page (notebook 7's comes with nbgrader, for instance)
NOT_FOR_PAGES = ("@jupyter-notebook/lab-extension", "@jupyter/nbgrader")


def voila_config(
    port: int,
    *,
    notary_dir: Path,
    cull_idle_timeout: int = CULL_IDLE_TIMEOUT,
    cull_interval: int = CULL_INTERVAL,
    pool_size: int = POOL_SIZE,
    max_kernels: int = 0,
    iopub_timeout: int = EXECUTOR_IOPUB_TIMEOUT,
    port_retries: int = 0,
) -> Config:
    """Voila's configuration for the app on ``HOST:port`` (tried up to ``port_retries`` more).

    ``notary_dir`` holds the notebook notary in which :func:`trust_notebook` signed it.
    ``pool_size`` kernels are kept preheated; at most ``max_kernels`` run (0: no cap).
    """
    c = Config()
    c.Voila.ip = HOST
    c.Voila.port = port
    c.Voila.port_retries = port_retries
    c.Voila.open_browser = True  # Voila then calls launch_browser once it listens (start_voila)
    # the _xsrf cookie on page loads: the page's shutdown request on close is then accepted
    c.Voila.identity_provider_class = IDENTITY_PROVIDER
    c.VoilaConfiguration.template = TEMPLATE
    c.VoilaConfiguration.show_tracebacks = True  # loopback only: a student should see what went wrong
    c.VoilaConfiguration.preheat_kernel = True
    c.VoilaConfiguration.default_pool_size = pool_size
    c.VoilaConfiguration.multi_kernel_manager_class = KERNEL_MANAGER
    # a JupyterLab extension installed beside the app (notebook 7's, nbgrader's) breaks in a page
    c.VoilaConfiguration.extension_denylist = list(NOT_FOR_PAGES)
    c.CappedKernelManager.max_kernels = max_kernels
    c.VoilaExecutor.iopub_timeout = iopub_timeout
    c.VoilaExecutor.startup_timeout = EXECUTOR_STARTUP_TIMEOUT
    c.MappingKernelManager.cull_idle_timeout = cull_idle_timeout
    c.MappingKernelManager.cull_interval = cull_interval
    c.MappingKernelManager.cull_connected = False
    c.NotebookNotary.data_dir = str(notary_dir)
    return c


def voila_command(port: int, notebook: Path = APP_NOTEBOOK, *, config_dir: Path, **options) -> list[str]:
    """The same Voila as ``serve`` as a command line of its own (for the tests and benchmarks,
    which run it in a child process): :func:`voila_config` written to ``config_dir/voila.json``,
    where Voila's application reads its configuration from. ``options``: as :func:`voila_config`."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "voila.json").write_text(json.dumps(voila_config(port, **options), indent=1))
    return [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--Voila.config_file_paths={config_dir}"]


def first_port(port: int) -> int:
    """The port Voila tries first: ``port``, or for ``0`` a random one of the ephemeral range
    (Voila then tries the next ones while they are taken, binding each for real)."""
    if not 0 <= port <= 65535:
        raise ValueError(f"--port must be between 0 and 65535, not {port}")
    return port or random.randint(EPHEMERAL_PORTS[0], EPHEMERAL_PORTS[1] - PORT_TRIES)


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
