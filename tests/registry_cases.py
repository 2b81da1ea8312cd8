"""The worked examples, questions and sheets of every registered activation × loss, as text:
recorded from the code before the registries took over the explain layer's tables keyed by
function names (issue 22), and compared with it after (``tests/test_registry_outputs.py``).

``python tests/registry_cases.py`` writes ``tests/data/registry_outputs.json.gz`` again (1.4 MB of
JSON: gzipped, deterministically).
"""

import gzip
import itertools
import json
from pathlib import Path

import numpy as np
from combos import allowed

from backprop_widgets import Network, seed_example, worked_example
from backprop_widgets.core import Param
from backprop_widgets.explain.exercise import Spec, key, make_student, sheet
from backprop_widgets.explain.render.formats import FORMATS

FIXTURE = Path(__file__).parent / "data" / "registry_outputs.json.gz"
BUILT_IN = ("sigmoid", "tanh", "relu", "linear", "softmax")  # the registry as recorded
LOSSES = ("mse", "cross_entropy")
HIDDEN = ("sigmoid", "tanh", "relu", "linear")


def nets() -> dict[str, tuple]:
    """name → (net, x, y, target): the seed page and two random nets of every combination."""
    cases = {}
    net, x, y = seed_example()
    cases["seed"] = (net, x, y, "w1,1,1")
    for hidden, out, loss in itertools.product(HIDDEN, BUILT_IN, LOSSES):
        if not allowed(hidden, out, loss):
            continue
        for seed, sizes in ((1, [3, 2, 2, 1]), (2, [4, 3, 3, 2])):
            if out == "softmax" and sizes[-1] < 2:
                sizes = [3, 2, 2]
            rng = np.random.default_rng(seed)
            net = Network.random(sizes, seed, hidden, out, loss)
            x = np.round(rng.uniform(-1, 1, sizes[0]), 2)
            n = sizes[-1]
            if out == "softmax":
                y = np.eye(n)[seed % n] if seed == 1 else np.full(n, 0.3)
            elif loss == "cross_entropy":
                y = np.array([1.0, 0.0, 0.3])[:n] if n > 1 else np.array([1.0])
            else:
                y = np.round(rng.uniform(-1, 1, n), 2)
            cases[f"{hidden}-{out}-{loss}-{seed}"] = (net, x, y, "w2,1,1" if seed == 1 else "b1,2")
    return cases


def markdown(document, palette: str = "okabe-ito") -> str:
    """A sheet or key in Markdown, by the ``md`` export format (the recording was made with the
    sheets' own renderer before the document model; the output is byte-identical)."""
    return FORMATS["md"].render(document, palette)


def record_one(net, x, y, target) -> dict:
    we = worked_example(net, x, y, traced=target)
    steps = [
        {"id": s.id, "title": s.title, "text": s.text, "parts": [[p.caption, p.latex] for p in s.parts]}
        for s in we.steps
    ]
    qs = [
        {
            "name": q.name,
            "symbol": q.symbol,
            "latex": q.latex,
            "formula": q.formula,
            "answer": repr(q.answer),
            "tolerance": repr(q.tolerance),
            "mistakes": [[m.id, repr(m.value)] for m in q.mistakes],
        }
        for q in we.questions(0.5)
    ]
    return {"steps": steps, "questions": qs}


SHEETS = [
    ((3, 2, 2, 1), "sigmoid", "sigmoid", "mse", "w1,1,1"),
    ((3, 3, 2), "relu", "softmax", "cross_entropy", "w1,2,1"),
    ((2, 2, 2), "tanh", "linear", "mse", "b1,1"),
    ((2, 3, 2), "relu", "sigmoid", "cross_entropy", "w2,1,3"),
    ((2, 2, 1), "relu", "relu", "mse", "w1,1,2"),
]


def record_sheets() -> dict:
    out = {}
    for sizes, hidden, output, loss, target in SHEETS:
        spec = Spec(sizes, hidden, output, loss, Param.parse(target), 0.5)
        students = [make_student(i, 1, name, 7, spec, "md", "okabe-ito") for i, name in enumerate(["Ada", "Zoë"])]
        name = f"{hidden}-{output}-{loss}"
        out[name] = {
            "sheets": [markdown(sheet(s, spec)) for s in students],
            "key": markdown(key(students, spec, 7)),
        }
    return out


def recorded() -> dict:
    """The recording in the fixture file."""
    return json.loads(gzip.decompress(FIXTURE.read_bytes()).decode("utf-8"))


def record() -> dict:
    return {"examples": {k: record_one(*v) for k, v in nets().items()}, "sheets": record_sheets()}


if __name__ == "__main__":
    text = json.dumps(record(), ensure_ascii=False, indent=0, sort_keys=True)
    FIXTURE.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
