"""``backprop-widgets serve --live``: the server's live class.

The store is ``--store URL``, else ``$BACKPROP_WIDGETS_STORE``, else the SQLite file
``backprop-live.sqlite3`` in the current directory (created with mode 600 by the store). The
class is made once and kept: its id and teacher secret are written beside the database
(``backprop-live.class``, mode 600), and a restarted server takes the same class again, so the
answers already committed stay in it (``--new-class``: a fresh one). The kernels learn the
store's URL and the class id from their environment (``BACKPROP_WIDGETS_STORE``,
``BACKPROP_WIDGETS_CLASS``), never the secret: a kernel's environment is the students'. The
teacher link carries the secret in its fragment, which no browser sends to the server.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..live import Forbidden, Refused, open_store
from ..live.backends import redact
from ..live.links import CLASS_ENV, student_link, teacher_link
from ..live.store import DEFAULT_FILE
from ..live.store import ENV as STORE_ENV

CLASS_FILE = "backprop-live.class"  # the class id and its secret, beside the database


@dataclass(frozen=True)
class LiveClass:
    url: str  # the store, as the kernels open it (a SQLite path is absolute: kernels run elsewhere)
    class_id: str
    secret: str
    kept_in: Path  # the class file
    reused: bool  # the class of an earlier run of the server

    def kernel_env(self) -> dict[str, str]:
        """What the kernels are told: where the store is and which class; not the secret."""
        return {STORE_ENV: self.url, CLASS_ENV: self.class_id}

    def announce(self, base: str) -> str:
        """The lines ``serve`` prints once it listens: where answers go, and the two links."""
        how = f"the class of {self.kept_in.name}" if self.reused else f"a new class, kept in {self.kept_in}"
        return (
            f"    Live class: {how}; answers go to {redact(self.url)}\n"
            f"    Students open:  {student_link(base)}\n"
            f"    Teacher opens (keep it to yourself): {teacher_link(base, self.secret)}\n"
        )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``serve`` for a live class."""
    parser.add_argument(
        "--live",
        action="store_true",
        help="run a live class: students' answers go to a store and the teacher's page sees them "
        "(prints a student link and a teacher link)",
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        help=f"with --live: sqlite:///file or postgresql://… (default ${STORE_ENV}, else {DEFAULT_FILE} here)",
    )
    parser.add_argument(
        "--new-class", action="store_true", help=f"with --live: start a new class instead of the one in {CLASS_FILE}"
    )


def store_url(given: str | None, env: Mapping[str, str], cwd: Path) -> str:
    """The store's URL; a SQLite path made absolute against ``cwd``."""
    url = given or env.get(STORE_ENV) or f"sqlite:///{DEFAULT_FILE}"
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = "sqlite:///" + str((cwd / url[len("sqlite:///") :]).resolve())
    return url


def class_file(url: str, cwd: Path) -> Path:
    """Beside a SQLite database; in ``cwd`` for a PostgreSQL one."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :]).parent / CLASS_FILE
    return cwd / CLASS_FILE


def open_class(given: str | None, *, new: bool = False, env: Mapping[str, str] = os.environ, cwd=None) -> LiveClass:
    """The live class of this server: the one kept in the class file if its store still holds
    it (and ``new`` is false), else a new one, then kept there (mode 600)."""
    cwd = Path(cwd or os.getcwd())
    url = store_url(given, env, cwd)
    kept_in = class_file(url, cwd)
    store = open_store(url)
    try:
        if not new and kept_in.is_file():
            try:
                kept = json.loads(kept_in.read_text())
                store.teacher_view(kept["class"], kept["secret"])  # Forbidden: not this store's class
                os.chmod(kept_in, 0o600)
                return LiveClass(url, kept["class"], kept["secret"], kept_in, reused=True)
            except (ValueError, KeyError, TypeError, Forbidden, Refused):
                pass  # another store's class, or a damaged file: a new class
        class_id, secret = store.create_class()
    finally:
        store.close()
    write_private(kept_in, json.dumps({"class": class_id, "secret": secret}) + "\n")
    return LiveClass(url, class_id, secret, kept_in, reused=False)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable by its owner only, from the first byte on."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        os.fchmod(f.fileno(), 0o600)
        f.write(text)
    os.replace(tmp, path)
