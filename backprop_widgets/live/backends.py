"""The two databases behind the live class, each as a ``transaction()`` that yields a cursor.

``SqliteBackend``: one file, WAL mode (readers never wait for the writer), a busy timeout, and
each thread of each kernel process its own connection; a write transaction starts with
``BEGIN IMMEDIATE`` so that two writers queue instead of failing. The file is created with
mode 600. ``PostgresBackend``: psycopg 3 with a ``psycopg_pool.ConnectionPool`` (imported only
when a ``postgresql://`` store is opened: ``pip install 'backprop-widgets[live]'``).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

from . import schema
from .records import StoreUnavailable

BUSY_TIMEOUT_MS = 15_000  # how long a writer waits for another kernel's write to finish


class SqliteBackend:
    dialect = "sqlite"

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # the file exists, readable by its owner only, before SQLite opens it (its -wal and -shm
        # files copy the database file's permissions)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():  # a forked process opens its own
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL: a commit survives a killed process
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    @contextlib.contextmanager
    def transaction(self, write: bool = True) -> Iterator[sqlite3.Cursor]:
        try:
            conn = self._connection()
            cur = conn.cursor()
            cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.OperationalError as e:
            raise StoreUnavailable(f"the class database cannot be opened: {e}") from e
        try:
            yield cur
        except sqlite3.OperationalError as e:
            conn.rollback()
            raise StoreUnavailable(f"the class database did not take the write: {e}") from e
        except BaseException:
            conn.rollback()
            raise
        try:
            conn.commit()
        except sqlite3.OperationalError as e:
            conn.rollback()
            raise StoreUnavailable(f"the class database did not take the write: {e}") from e

    def setup(self) -> int:
        with self.transaction() as cur:
            found = cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchall()
            return schema.ensure(cur, bool(found))

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def __repr__(self) -> str:
        return f"SqliteBackend({str(self.path)!r})"


LOCK_KEY = 26_2026  # pg_advisory_xact_lock: one kernel at a time creates or migrates the schema


class PostgresBackend:
    dialect = "postgresql"

    def __init__(self, url: str, max_size: int = 4, timeout: float = 5.0):
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError as e:  # pragma: no cover - the [live] extra is missing
            raise StoreUnavailable(
                "a postgresql:// store needs psycopg 3 and psycopg-pool: pip install 'backprop-widgets[live]'"
            ) from e
        self._errors: tuple[type[BaseException], ...] = (psycopg.OperationalError, psycopg.errors.AdminShutdown)
        self.url = url
        # timeout: how long a page waits for a connection before it is told "not connected"
        self.pool = ConnectionPool(url, min_size=1, max_size=max_size, timeout=timeout, open=False)
        try:
            self.pool.open(wait=True, timeout=timeout)
        except Exception as e:
            self.pool.close()
            raise StoreUnavailable(f"PostgreSQL at {redact(url)} cannot be reached: {type(e).__name__}") from None

    @contextlib.contextmanager
    def transaction(self, write: bool = True) -> Iterator["_PgCursor"]:
        from psycopg_pool import PoolTimeout

        try:
            with self.pool.connection() as conn:
                with conn.transaction():
                    with conn.cursor() as cur:
                        yield _PgCursor(cur)
        except (PoolTimeout, *self._errors) as e:  # type: ignore[misc]
            raise StoreUnavailable(f"PostgreSQL at {redact(self.url)} is not reachable: {type(e).__name__}") from e

    def setup(self) -> int:
        with self.transaction() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(?)", (LOCK_KEY,))
            found = cur.execute("SELECT to_regclass('meta') IS NOT NULL").fetchall()
            return schema.ensure(cur, bool(found[0][0]))

    def close(self) -> None:
        self.pool.close()

    def __repr__(self) -> str:
        return f"PostgresBackend({redact(self.url)!r})"


class _PgCursor:
    """A psycopg cursor that takes the schema's ``?`` placeholders."""

    def __init__(self, cur):
        self.cur = cur

    def execute(self, sql: str, params: tuple = ()) -> "_PgCursor":
        self.cur.execute(sql.replace("?", "%s"), params)
        return self

    def fetchall(self) -> list[tuple]:
        return self.cur.fetchall()

    @property
    def rowcount(self) -> int:
        return self.cur.rowcount


def redact(url: str) -> str:
    """A database URL without its password (for messages and reprs)."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)
