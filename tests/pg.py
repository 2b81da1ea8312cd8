"""A throwaway PostgreSQL server for the tests and the benchmark: Debian's ``postgresql``
(initdb and pg_ctl from /usr/lib/postgresql/*/bin), in a temporary directory, as an
unprivileged user (``nobody`` through ``runuser`` when we are root), on a unix socket only.

``.ci/run`` installs the package; without it the tests skip, except under ``CI=true``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "bpw"  # the cluster's superuser (trust on the socket; nothing listens on TCP)


def bindir() -> Path | None:
    """The newest installed PostgreSQL's bin directory, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


class Postgres:
    """``with Postgres() as pg: pg.new_database("t1")`` → a ``postgresql://`` URL."""

    def __init__(self) -> None:
        self.bin = bindir()
        if self.bin is None:
            raise FileNotFoundError("PostgreSQL is not installed: apt-get install -y postgresql")
        self.dir = Path(tempfile.mkdtemp(prefix="bpw-pg-"))
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: the server runs as nobody
            shutil.chown(self.dir, "nobody", "nogroup")
            self.prefix = ["runuser", "-u", "nobody", "--"]
        self.data = self.dir / "data"
        self.options = f"-k {self.dir} -c listen_addresses='' -c fsync=off -c max_connections=200"
        self.count = 0

    def _run(self, *args: str) -> None:
        subprocess.run([*self.prefix, *args], check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> "Postgres":
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8")
        self.start_again()
        return self

    def halt(self) -> None:
        """Stop the server, keeping its data (``start_again`` brings it back)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")

    def start_again(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            self.options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.dir}"

    def new_database(self, name: str | None = None) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        self.count += 1
        name = name or f"t{self.count}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Postgres":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
