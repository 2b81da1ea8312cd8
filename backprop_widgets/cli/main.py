"""The ``backprop-widgets`` command: ``serve`` (the default) starts the dashboard in Voila,
``export`` writes a worked example as a handout, ``exercise`` one practice sheet per student
and an answer key.

Each command is a module of this package with ``add_arguments(parser)`` and ``run(args)``; a
new command is one module plus one line in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = {  # name → (module, help: {formats} is the registered formats); the first is the default
    "serve": ("serve", "start the dashboard in Voila (default)"),
    "export": ("export", "write a worked example as {formats}"),
    "exercise": ("exercise", "write one practice sheet per student and an answer key"),
    "assignment": ("assignment", "write an nbgrader source notebook: students implement backprop in numpy"),
    "class": ("live_cli", "create a live class on a store (JupyterHub): print its id and the teacher's secret"),
}
DEFAULT = next(iter(COMMANDS))


def command(name: str):
    return importlib.import_module(f".{COMMANDS[name][0]}", __package__)


def build_parser() -> argparse.ArgumentParser:
    from ..explain.render.formats import names

    parser = argparse.ArgumentParser(
        prog="backprop-widgets",
        description="See backpropagation: the dashboard (serve), a worked-example handout (export) "
        "or practice sheets for a class (exercise).",
    )
    sub = parser.add_subparsers(dest="command")
    for name, (_, help_) in COMMANDS.items():
        command(name).add_arguments(sub.add_parser(name, help=help_.format(formats=names())))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = [DEFAULT, *argv]
    args = build_parser().parse_args(argv)
    return command(args.command or DEFAULT).run(args)
