"""``backprop-widgets class new``: a class on a live-class store, for a deployment where no
``serve --live`` creates one (JupyterHub: every student's server reads the same store).

    backprop-widgets class new --store postgresql://backprop@db.school.example/live

creates the schema if the database has none, and a class in its first round, then prints its
id (``BACKPROP_WIDGETS_CLASS`` for every single-user server: binder/jupyterhub_config.py,
binder/z2jh-values.yaml) and its teacher secret, once: only its hash is stored. The store is
``--store`` or ``$BACKPROP_WIDGETS_STORE``; its password is never printed.

Errors (no store reachable, a newer schema, a URL that is no store) print one line on stderr
and exit with code 1.
"""

from __future__ import annotations

import argparse
import sys

from ..live import SchemaError, StoreUnavailable, open_store
from ..live.backends import redact
from ..live.store import ENV

PROG = "backprop-widgets class"
CLASS_ENV = "BACKPROP_WIDGETS_CLASS"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The class command's actions and options."""
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    new = sub.add_parser("new", help="create a class; print its id and the teacher's secret")
    new.add_argument(
        "--store",
        metavar="URL",
        default=None,
        help=f"postgresql://user@host/db or sqlite:///file (default ${ENV}, else the SQLite file beside the server)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        store = open_store(args.store)
    except (StoreUnavailable, SchemaError, ValueError, OSError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    try:
        class_id, secret = store.create_class()
    except (StoreUnavailable, SchemaError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"store:          {redact(args.store) if args.store else f'${ENV}'}")
    print(f"class id:       {class_id}")
    print(f"teacher secret: {secret}")
    print(f"Set {CLASS_ENV}={class_id} for every single-user server (binder/jupyterhub_config.py).")
    print(f"The teacher's page: the app's address + ?teacher=1#secret={secret}")
    print("The secret is shown this once (only its hash is stored): keep it, share it with no student.")
    return 0
