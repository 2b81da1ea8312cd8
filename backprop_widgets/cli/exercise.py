"""``backprop-widgets exercise``: one practice sheet per student and one answer key.

    backprop-widgets exercise --students roster.txt --sizes 2,2,1 --seed 7 --traced w1,1,1 -o sheets/
    backprop-widgets exercise --students roster.txt --activation tanh --format tex -o sheets/ --force

The formats are the registered export formats (:mod:`backprop_widgets.explain.render.formats`),
the same as ``backprop-widgets export``'s.

The roster has one name a line; blank lines and lines starting with ``#`` are skipped. Each
student gets a network of the given sizes with numbers of their own, and a sheet with the
network, x, y and every question of the worked example as a blank, in walkthrough order.
``answer-key.<ext>`` gives each student's answers, how far off an answer may be and still be
right, the values the catalogue's mistakes give, and the worked example
(:mod:`backprop_widgets.explain.exercise`).

**All or nothing.** Bad options or a bad roster (empty, duplicate names, unreadable) print one
line on stderr and exit with code 2, writing nothing: the files are made in memory, written to
a temporary folder beside ``-o`` and moved into place last.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path

import numpy as np

from ..core import ACTIVATIONS, HIDDEN_ACTIVATIONS, LOSSES, Network, parse_sizes
from ..explain.exercise import KEY, ExerciseError, Spec, key, make_student, sheet
from ..explain.palette import PALETTES
from ..explain.render.formats import FORMATS, names

PROG = "backprop-widgets exercise"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The exercise command's options."""
    parser.add_argument(
        "--students",
        metavar="ROSTER.txt",
        required=True,
        help="the class: one name a line (# comments and blank lines are skipped)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FOLDER",
        required=True,
        help="folder for the sheets and the answer key (created; see --force)",
    )
    parser.add_argument("--sizes", metavar="N0,N1,...", default="2,2,1", help="layer sizes (default 2,2,1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the class's numbers (default 0)")
    parser.add_argument(
        "--traced",
        "--target",  # its old name
        dest="traced",
        default="w1,1,1",
        help="parameter to trace: w<l>,<j>,<k> or b<l>,<j> (default w1,1,1)",
    )
    parser.add_argument(
        "--activation",
        choices=HIDDEN_ACTIVATIONS,
        default="sigmoid",
        help="hidden layers' activation (default sigmoid)",
    )
    parser.add_argument(
        "--output-activation", choices=tuple(ACTIVATIONS), help="output layer's activation (default: the hidden one)"
    )
    parser.add_argument("--loss", choices=tuple(LOSSES), default="mse", help="loss (default mse)")
    parser.add_argument(
        "--eta", type=float, default=0.5, help="learning rate η of the descent-step question (default 0.5)"
    )
    parser.add_argument("--format", choices=tuple(FORMATS), default="html", help=f"{names()} (default html)")
    parser.add_argument(
        "--palette", choices=tuple(PALETTES), default="okabe-ito", help="colours (default okabe-ito, colour-blind safe)"
    )
    parser.add_argument("--force", action="store_true", help="replace the output folder if it exists and is not empty")

    def one_line_error(message: str) -> None:  # argparse's usage + error would be two lines
        print(f"{PROG}: error: {message}", file=sys.stderr)
        raise SystemExit(2)

    parser.error = one_line_error


# --- the roster ----------------------------------------------------------------------------------


def read_roster(path: str) -> list[str]:
    """The names of a roster file, in order; ``ExerciseError`` if it is unreadable, empty or
    names someone twice (compared without regard to case and spacing)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ExerciseError(f"cannot read --students {path}: it is not UTF-8 text") from None
    except OSError as e:
        raise ExerciseError(f"cannot read --students {path}: {e.strerror or e}") from None
    names: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        name = unicodedata.normalize("NFC", " ".join(line.split()))
        if not name or name.startswith("#"):
            continue
        if not name.isprintable():
            raise ExerciseError(f"--students {path} line {number}: a name cannot hold control characters")
        key = name.casefold()
        if key in first_line:
            raise ExerciseError(
                f"--students {path} names {name!r} twice (lines {first_line[key]} "
                f"and {number}): each student needs a name of their own"
            )
        first_line[key] = number
        names.append(name)
    if not names:
        raise ExerciseError(f"--students {path} has no names: write one student's name a line")
    return names


# --- the command ---------------------------------------------------------------------------------


def build_spec(args: argparse.Namespace) -> Spec:
    """The shared network description; ``ExerciseError``/``ValueError`` for bad options."""
    sizes = parse_sizes(args.sizes)
    eta = float(args.eta)
    if not np.isfinite(eta) or eta <= 0:
        raise ExerciseError(f"--eta must be a positive number, got {args.eta}")
    if args.seed < 0:
        raise ExerciseError(f"--seed must be 0 or more, got {args.seed}")
    output = args.output_activation or args.activation
    probe = Network(
        [np.zeros((n, m)) for m, n in zip(sizes, sizes[1:])],
        [np.zeros(n) for n in sizes[1:]],
        args.activation,
        output,
        args.loss,
    )  # checks the activation and loss choices
    return Spec(tuple(sizes), args.activation, output, args.loss, probe.check_param(args.traced), eta)


def build(args: argparse.Namespace) -> dict[str, str]:
    """Every file's name and text, in memory."""
    spec = build_spec(args)
    names = read_roster(args.students)
    width = max(2, len(str(len(names))))
    form = FORMATS[args.format]
    ext = form.extensions[0].removeprefix(".")
    students = [make_student(i, width, name, args.seed, spec, ext, args.palette) for i, name in enumerate(names)]
    files = {s.file: form.render(sheet(s, spec), args.palette) for s in students}
    files[f"{KEY}.{ext}"] = form.render(key(students, spec, args.seed), args.palette)
    return files


def _check_destination(out: Path, force: bool) -> None:
    if not out.parent.is_dir():
        raise ExerciseError(f"cannot write {out}: the folder {out.parent} does not exist")
    if out.exists() and not out.is_dir():
        raise ExerciseError(f"cannot write {out}: it exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ExerciseError(f"{out} exists and is not empty: choose another -o or pass --force to replace it")


def write_all(files: dict[str, str], out: Path) -> None:
    """Write every file into a temporary folder beside ``out``, then move it into place."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp's folder is private; the sheets' folder is not
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
            os.replace(out, old / out.name)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def run(args: argparse.Namespace) -> int:
    """Write the sheets and the key; 0 on success, 2 (one line on stderr, nothing written) for
    bad options or a bad roster."""
    out = Path(args.output)
    try:
        _check_destination(out, args.force)
        files = build(args)
        write_all(files, out)
    except ValueError as e:  # ExerciseError and the core's messages for bad sizes, targets, choices
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{PROG}: error: cannot write {out}: {e.strerror or e}", file=sys.stderr)
        return 2
    key_file = list(files)[-1]  # written last
    print(f"wrote {len(files) - 1} sheets and {key_file} to {out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m backprop_widgets.cli.exercise``: the exercise command on its own."""
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
