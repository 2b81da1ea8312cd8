"""Recorded diagram pictures: the SVG of a few nets, drawn and edited, as the page shows them.

``tests/data/diagram_svg.json.gz`` holds what the code wrote when it was recorded (before the
diagram's writer returned its elements by id); ``test_svg_parts.py`` checks that every case
still gives exactly that text. Re-record (only for an intended change of the picture)::

    .venv/bin/python tests/diagram_cases.py
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Callable

import numpy as np

from backprop_widgets import Dashboard, Network, worked_example
from backprop_widgets.core import default_sample
from backprop_widgets.core.example import seed_example
from backprop_widgets.draw.diagram import NetworkDiagram

FIXTURE = Path(__file__).parent / "data" / "diagram_svg.json.gz"


def _nets() -> dict[str, tuple[Network, np.ndarray, np.ndarray]]:
    relu = Network.random([3, 4, 3], seed=1, activation="relu", output_activation="softmax", loss="cross_entropy")
    wide = Network.random([4, 3, 3, 2], seed=3)
    return {"seed": seed_example(), "relu": (relu, *default_sample(relu)), "random4332": (wide, *default_sample(wide))}


def _diagram(name: str, step: int | None, edge_mode: str, **kw) -> str:
    net, x, y = _nets()[name]
    d = NetworkDiagram(net.sizes, edge_mode=edge_mode, **kw)
    trace = net.trace(x, y)
    hl = None if step is None else worked_example(net, x, y).steps[step].touches
    d.update(trace, highlight=hl)
    return d.render()


def _page(name: str, edits: Callable[[Dashboard], None]) -> str:
    net, x, y = _nets()[name]
    app = Dashboard(net, x, y)
    edits(app)
    return app.diagram_view.picture.value


def _edit(app: Dashboard, param: str, value: str) -> None:
    app.params.rows[param].text.value = value


#: name → what draws it
CASES: dict[str, Callable[[], str]] = {
    "seed": lambda: _diagram("seed", None, "gradient"),
    "seed-step-bp1-weight": lambda: _diagram("seed", 4, "weight"),
    "seed-step-bp3": lambda: _diagram("seed", 7, "gradient"),
    "relu-z-delta": lambda: _diagram("relu", None, "gradient", show_z=True, show_delta=True),
    "relu-step-forward-2": lambda: _diagram("relu", 1, "weight"),
    "random4332": lambda: _diagram("random4332", None, "gradient"),
    "random4332-step-bp2": lambda: _diagram("random4332", 5, "gradient"),
    "random4332-no-labels": lambda: _diagram("random4332", 2, "gradient", labels=False),
    "page-seed": lambda: _page("seed", lambda app: None),
    "page-seed-edited": lambda: _page("seed", lambda app: _edit(app, "w2,1,2", "0.3")),
    "page-seed-step-edited": lambda: _page("seed", lambda app: (app.go(7), _edit(app, "w1,1,1", "-0.25"))),
    "page-relu-edited": lambda: _page("relu", lambda app: (app.go(3), _edit(app, "b2,1", "0.5"))),
    "page-random4332-practice": lambda: _page(
        "random4332", lambda app: (setattr(app.diagram_view.state, "practice", True), _edit(app, "w1,2,1", "0.7"))
    ),
}


def recorded() -> dict[str, str]:
    return json.loads(gzip.decompress(FIXTURE.read_bytes()))


if __name__ == "__main__":
    FIXTURE.write_bytes(gzip.compress(json.dumps({k: draw() for k, draw in CASES.items()}, indent=0).encode(), mtime=0))
    print(f"{FIXTURE}: {len(CASES)} pictures")
