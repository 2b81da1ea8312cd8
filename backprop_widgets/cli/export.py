"""``backprop-widgets export``: write a worked example as a handout in a registered format.

    backprop-widgets export -o seed.html                      # the seed page
    backprop-widgets export --sizes 4,3,3,2 --random 7 --traced b2,1 -o deep.md
    backprop-widgets export --weights net.json --x "1,0.5,-1" --y 1 --format tex -o net.tex
    backprop-widgets export --weights backprop-state.json -o shared.html  # the app's Share file

With no network options it exports the seed page ([3,2,2,1], sigmoid, MSE). The formats (md,
html and tex, and any other registered), their extensions and renderers come from
:mod:`backprop_widgets.explain.render.formats`, as ``backprop-widgets exercise``'s do. Bad options
print one line on stderr and exit with code 2, without a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..core import ACTIVATIONS, HIDDEN_ACTIVATIONS, LOSSES, Network, default_sample, parse_sizes, seed_example
from ..explain.palette import PALETTES
from ..explain.render.formats import FORMATS, extensions, format_for, names

if TYPE_CHECKING:
    from ..core import Snapshot


class ExportError(ValueError):
    """A bad option: reported as one line on stderr, exit code 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The export command's options."""
    net = parser.add_argument_group("network (default: the seed page's [3,2,2,1] network)")
    net.add_argument("--sizes", metavar="N0,N1,...", help="layer sizes, e.g. 3,2,2,1")
    net.add_argument("--random", metavar="SEED", type=int, help="random weights from this seed (Network.random)")
    net.add_argument(
        "--weights",
        metavar="FILE.json",
        help='weights and biases: {"weights": [W1, W2, ...], "biases": [b1, b2, ...]}, '
        "or a state saved from the app's Share tab (its functions, x, y and "
        "traced parameter are used unless given here)",
    )
    net.add_argument("--activation", choices=HIDDEN_ACTIVATIONS, help="hidden layers' activation")
    net.add_argument(
        "--output-activation", choices=tuple(ACTIVATIONS), help="output layer's activation (default: the hidden one)"
    )
    net.add_argument("--loss", choices=tuple(LOSSES), help="loss function")
    net.add_argument("--x", metavar='"1,0.5,-1"', help="input x, comma-separated")
    net.add_argument("--y", metavar='"1"', help="target y, comma-separated")
    parser.add_argument(
        "--traced",
        "--target",  # its old name
        dest="traced",
        help="parameter to trace: w<l>,<j>,<k> or b<l>,<j> (default w1,1,1, or the --weights state's)",
    )
    parser.add_argument("--format", choices=tuple(FORMATS), help=f"{names()} (default: from -o's extension, else md)")
    parser.add_argument(
        "--palette", choices=tuple(PALETTES), default="okabe-ito", help="colours (default okabe-ito, colour-blind safe)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")


def _numbers(text: str, what: str) -> np.ndarray:
    try:
        values = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        raise ExportError(f'--{what} must be comma-separated numbers, e.g. "1,0.5,-1"; got {text!r}') from None
    if not values:
        raise ExportError(f'--{what} is empty: give comma-separated numbers, e.g. "1,0.5,-1"')
    return np.array(values)


#: keys only a state file from the app's Share tab holds (share.write_json)
_STATE_KEYS = {"sizes", "activation", "output_activation", "loss", "x", "y", "traced", "target"}


def _load_state(path: str) -> "Snapshot | None":
    """A Share-tab state file as a snapshot; ``None`` for a plain weights file."""
    from ..core import read_json

    text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text)
    if not isinstance(data, dict) or not _STATE_KEYS & set(data):
        return None
    snap, problems = read_json(text)
    if problems:
        raise ExportError(f"--weights {path}: " + "; ".join(problems))
    return snap


def _load_weights(path: str) -> tuple[list, list]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise ExportError(f"cannot read --weights {path}: {e.strerror or e}") from None
    except json.JSONDecodeError as e:
        raise ExportError(f"--weights {path} is not valid JSON: {e.msg} (line {e.lineno})") from None
    if not isinstance(data, dict) or "weights" not in data or "biases" not in data:
        raise ExportError(f'--weights {path} must hold {{"weights": [...], "biases": [...]}}')
    return data["weights"], data["biases"]


def build(args: argparse.Namespace) -> tuple[Network, np.ndarray, np.ndarray]:
    """The network and sample the options describe; ``ExportError``/``ValueError`` if they don't fit."""
    net_options = (
        args.sizes,
        args.random,
        args.weights,
        args.activation,
        args.output_activation,
        args.loss,
        args.x,
        args.y,
    )
    if all(v is None for v in net_options):
        return seed_example()
    seed_net, seed_x, _ = seed_example()
    kw = dict(
        activation=args.activation or "sigmoid",
        output_activation=args.output_activation,
        loss=args.loss or "mse",
    )
    state = None
    if args.weights is not None:
        if args.random is not None:
            raise ExportError("give either --weights or --random, not both")
        weights, biases = _load_weights(args.weights)  # errors about the file come from here
        state = _load_state(args.weights)
        if state is not None:  # the app's state file: its functions unless options say else
            kw = dict(
                activation=args.activation or state.network.activation,
                output_activation=args.output_activation
                or (None if args.activation else state.network.output_activation),
                loss=args.loss or state.network.loss_name,
            )
            if args.traced is None:
                args.traced = state.traced
        net = Network(weights, biases, **kw)
        if args.sizes is not None and parse_sizes(args.sizes) != list(net.sizes):
            raise ExportError(f"--sizes {args.sizes} does not match the weights' sizes {list(net.sizes)}")
    elif args.sizes is not None or args.random is not None:
        sizes = parse_sizes(args.sizes) if args.sizes is not None else list(seed_net.sizes)
        net = Network.random(sizes, seed=args.random if args.random is not None else 0, **kw)
    else:
        net = Network(seed_net.weights, seed_net.biases, **kw)
    n0, nL = net.sizes[0], net.sizes[-1]
    if args.x is not None:
        x = _numbers(args.x, "x")
    elif state is not None:
        x = state.x
    elif n0 == len(seed_x):
        x = seed_x
    else:
        x = default_sample(net)[0]
    if args.y is not None:
        y = _numbers(args.y, "y")
    elif state is not None:
        y = state.y
    else:
        y = default_sample(net)[1]
    for name, v, n, layer in (("x", x, n0, "input"), ("y", y, nL, "output")):
        if len(v) != n:
            raise ExportError(
                f"--{name} has {_count(len(v), 'number')} but the {layer} layer has {_count(n, 'neuron')}"
            )
    return net, x, y


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def output_format(args: argparse.Namespace) -> str:
    """The format's name: ``--format``, else the one ``-o``'s extension picks, else ``md``."""
    if args.format:
        return args.format
    if args.output:
        chosen = format_for(args.output)
        if chosen is not None:
            return chosen.name
        raise ExportError(f"cannot tell the format from {args.output!r}: use a {extensions()} name or --format")
    return "md"


def run(args: argparse.Namespace) -> int:
    """Write the handout; 0 on success, 2 (one line on stderr) for bad options."""
    from ..explain.render.document import document
    from ..explain.walkthrough import worked_example

    try:
        form = output_format(args)
        net, x, y = build(args)
        we = worked_example(net, x, y, traced=args.traced or "w1,1,1", palette=args.palette)
        text = FORMATS[form].render(document(we), we.palette)
    except ValueError as e:  # ExportError and the core's messages for bad sizes, params, x, y
        print(f"backprop-widgets export: error: {e}", file=sys.stderr)
        return 2
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as e:
            print(f"backprop-widgets export: error: cannot write {args.output}: {e.strerror or e}", file=sys.stderr)
            return 2
        print(
            f"wrote {args.output} ({form}, {len(we.steps)} steps, ∂L/∂{we.param.unicode} = {we.gradient:.6g})",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m backprop_widgets.cli.export``: the export command on its own."""
    parser = argparse.ArgumentParser(prog="backprop-widgets export", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
