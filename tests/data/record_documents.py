"""Record the documents the export and exercise commands and the Export tab's sheets write, as
``documents.json.gz``: the outputs that ``tests/test_documents_recorded.py`` holds every later
version to, byte for byte. Run once, from the code whose output is the reference:

    .venv/bin/python tests/data/record_documents.py
"""

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
ROSTER = "Anna Lee\nZoë O'Neil\nAnn $x^2$ Lee\n"

#: the handouts: the seed page (a weight and a bias), a ReLU/softmax/cross-entropy net, a random [4,3,3,2]
EXPORTS = [
    [],
    ["--target", "b2,1", "--palette", "page"],
    [
        "--sizes",
        "3,4,3",
        "--random",
        "1",
        "--activation",
        "relu",
        "--output-activation",
        "softmax",
        "--loss",
        "cross_entropy",
        "--target",
        "w2,1,1",
    ],
    ["--sizes", "4,3,3,2", "--random", "7", "--target", "b2,1"],
]
#: the sheets and keys: the default [2,2,1] sigmoid/MSE, a ReLU/softmax/cross-entropy net, a [3,3,2] tanh net
EXERCISES = [
    ["--seed", "7"],
    [
        "--sizes",
        "2,3,3",
        "--seed",
        "3",
        "--activation",
        "relu",
        "--output-activation",
        "softmax",
        "--loss",
        "cross_entropy",
        "--target",
        "w2,1,1",
        "--eta",
        "0.1",
    ],
    ["--sizes", "3,3,2", "--seed", "5", "--activation", "tanh", "--output-activation", "linear", "--target", "b1,2"],
]
FORMATS = ["md", "html", "tex"]
#: the Export tab's sheet and key: (sizes, Network.random's seed (None: the seed page), activation,
#: output activation, loss, target)
NETWORKS = [
    (None, None, "sigmoid", "sigmoid", "mse", "w1,1,1"),
    ([3, 4, 3], 1, "relu", "softmax", "cross_entropy", "w2,1,1"),
    ([4, 3, 3, 2], 7, "sigmoid", "sigmoid", "mse", "b2,1"),
]


def run(module, argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    return module.run(parser.parse_args(argv))


def export_case(argv: list[str], fmt: str) -> str:
    from backprop_widgets.cli import export

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"handout.{fmt}"
        assert run(export, [*argv, "-o", str(out)]) == 0
        return out.read_text(encoding="utf-8")


def exercise_case(argv: list[str], fmt: str) -> dict[str, str]:
    from backprop_widgets.cli import exercise

    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "roster.txt"
        roster.write_text(ROSTER, encoding="utf-8")
        out = Path(tmp) / "sheets"
        assert run(exercise, [*argv, "--students", str(roster), "--format", fmt, "-o", str(out)]) == 0
        return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}


def network_case(sizes, seed, activation, output, loss, target) -> dict[str, str]:
    from backprop_widgets.core import Network, default_sample, seed_example
    from backprop_widgets.explain.exercise import for_network
    from backprop_widgets.explain.walkthrough import worked_example

    if sizes is None:
        net, x, y = seed_example()
    else:
        net = Network.random(sizes, seed=seed, activation=activation, output_activation=output, loss=loss)
        x, y = default_sample(net)
    sheet, key = for_network(worked_example(net, x, y, target=target))
    return {"sheet": sheet, "key": key}


def record() -> dict:
    return {
        "export": {" ".join(a) + f" | {f}": export_case(a, f) for a in EXPORTS for f in FORMATS},
        "exercise": {" ".join(a) + f" | {f}": exercise_case(a, f) for a in EXERCISES for f in FORMATS},
        "network": {repr(n): network_case(*n) for n in NETWORKS},
    }


if __name__ == "__main__":
    data = record()
    with gzip.open(HERE / "documents.json.gz", "wt", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=0, sort_keys=True)
    sys.stderr.write(f"recorded {sum(len(v) for v in data.values())} cases\n")
