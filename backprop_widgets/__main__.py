"""The ``backprop-widgets`` command: ``serve`` (the default) starts the dashboard in Voila,
``export`` writes a worked example as a handout, ``exercise`` one practice sheet per student
and an answer key."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-widgets",
        description="See backpropagation: the dashboard (serve), a worked-example handout (export) "
                    "or practice sheets for a class (exercise).",
    )
    sub = parser.add_subparsers(dest="command")
    from . import exercise, export, serve

    serve.add_arguments(sub.add_parser("serve", help="start the dashboard in Voila (default)"))
    export.add_arguments(sub.add_parser("export", help="write a worked example as md, html or tex"))
    exercise.add_arguments(sub.add_parser("exercise", help="write one practice sheet per student "
                                                           "and an answer key"))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["serve", *argv]
    args = build_parser().parse_args(argv)
    if args.command == "export":
        from . import export

        return export.run(args)
    if args.command == "exercise":
        from . import exercise

        return exercise.run(args)
    from . import serve

    return serve.run(args)


if __name__ == "__main__":
    sys.exit(main())
