"""The one schema of the live class, for SQLite and PostgreSQL alike, and its migrations.

The SQL here is the common subset of both dialects, with ``?`` placeholders (the PostgreSQL
backend turns them into ``%s``). ``meta`` holds ``schema_version``. A database is created at
:data:`VERSION` on first use; an older one is migrated step by step (:data:`MIGRATIONS`), in the
same transaction that checks its version; a newer one is refused with :class:`SchemaError`.
"""

from __future__ import annotations

from .records import SchemaError

VERSION = 2

# Version 1: the first schema, kept so that its migration is tested (no nicknames, and the
# per-round total was counted from the answers on every submit).
SCHEMA_V1 = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE classes (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, created DOUBLE PRECISION NOT NULL)",
    """CREATE TABLE rounds (
        class_id TEXT NOT NULL REFERENCES classes(id),
        round_no INTEGER NOT NULL,
        question_id TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'frozen', 'revealed')),
        step INTEGER,
        stage TEXT NOT NULL DEFAULT '',
        prediction TEXT NOT NULL DEFAULT '',
        created DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (class_id, round_no))""",
    """CREATE TABLE answers (
        class_id TEXT NOT NULL,
        round_no INTEGER NOT NULL,
        page_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT '',
        answer TEXT NOT NULL,
        right_first INTEGER NOT NULL,
        mistake TEXT NOT NULL DEFAULT '',
        seconds DOUBLE PRECISION NOT NULL,
        created DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (class_id, round_no, page_id, question_id),
        FOREIGN KEY (class_id, round_no) REFERENCES rounds(class_id, round_no))""",
    "CREATE INDEX answers_by_page ON answers (class_id, page_id, created)",
    "INSERT INTO meta (key, value) VALUES ('schema_version', '1')",
)

V1_TO_V2 = (
    "ALTER TABLE answers ADD COLUMN nickname TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE rounds ADD COLUMN answers_count INTEGER NOT NULL DEFAULT 0",
    """UPDATE rounds SET answers_count = (SELECT COUNT(*) FROM answers
        WHERE answers.class_id = rounds.class_id AND answers.round_no = rounds.round_no)""",
    "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
)

MIGRATIONS = {1: V1_TO_V2}  # from version v to v + 1


def version_of(cur, has_meta: bool) -> int | None:
    """The schema version the database holds (``None``: no schema yet)."""
    if not has_meta:
        return None
    rows = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    if not rows or not str(rows[0][0]).isdigit():
        raise SchemaError("the live-class database has a meta table but no schema version: not ours?")
    return int(rows[0][0])


def ensure(cur, has_meta: bool) -> int:
    """Create, migrate or refuse, inside the caller's (locked) transaction; the version found."""
    found = version_of(cur, has_meta)
    if found is None:
        for sql in SCHEMA_V1:
            cur.execute(sql)
        found_now = 1
    else:
        found_now = found
    if found_now > VERSION:
        raise SchemaError(
            f"the live-class database has schema version {found_now}, newer than this "
            f"backprop-widgets understands ({VERSION}); upgrade backprop-widgets, or use another --store"
        )
    for v in range(found_now, VERSION):
        for sql in MIGRATIONS[v]:
            cur.execute(sql)
    return found if found is not None else 0
