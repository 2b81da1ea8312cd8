"""The edge modes as the page shows them, over recorded cases: what ``test_edge_modes.py``
compares with ``data/edge_mode_views.json`` (written from the code before the edge modes
became one record: ``python tests/edge_mode_cases.py > tests/data/edge_mode_views.json``).

For three networks (the seed page, a tanh/softmax/cross-entropy net, a random [4,3,3,2] ReLU
net) and each mode: the edges' values, the colour bar's title and the colour map (all the
diagram takes from a mode), and what the dashboard says of the mode (its button, the picture's
label, the Share tab's summary of a link).
"""

from __future__ import annotations

import json

import numpy as np

from backprop_widgets.app.diagram_view import DiagramView
from backprop_widgets.app.state import State
from backprop_widgets.app.tabs.share import opens
from backprop_widgets.core import Network, Snapshot, seed_example
from backprop_widgets.draw.colours import check_edge_mode, edge_colormap

MODES = ("gradient", "weight")


def nets() -> dict:
    net, x, y = seed_example()
    ce = Network.random([3, 4, 3], activation="tanh", output_activation="softmax", loss="cross_entropy", seed=5)
    relu = Network.random([4, 3, 3, 2], activation="relu", output_activation="sigmoid", seed=3)
    return {
        "seed": (net, x, y),
        "softmax-ce": (ce, [0.3, -0.7, 1.2], [0.0, 1.0, 0.0]),
        "random-relu": (relu, [0.5, -1.2, 0.3, 2.0], [1.0, 0.0]),
    }


def drawn(net, x, y, mode: str) -> dict:
    """What the draw layer makes of ``mode`` on this network."""
    trace = net.trace(x, y)
    return {
        "values": check_edge_mode(mode).values(trace).tolist(),
        "legend": check_edge_mode(mode).legend,
        "colours": np.round(edge_colormap(mode)(np.linspace(0, 1, 9)), 6).tolist(),
    }


def said(mode: str) -> dict:
    """What the dashboard says of ``mode``."""
    state = State()
    state.edge_mode = mode
    view = DiagramView(state, on_edge=lambda _: None)
    net, x, y = seed_example()
    return {
        "buttons": [list(o) for o in view.edge_mode.options],
        "label": view.picture.value[view.picture.value.index("aria-label=") :].split('"')[1],
        "opens": opens(Snapshot(net, x, y, edge_mode=mode), ""),
    }


def record() -> dict:
    return {
        "drawn": {f"{name} {mode}": drawn(*net, mode) for name, net in nets().items() for mode in MODES},
        "said": {mode: said(mode) for mode in MODES},
    }


if __name__ == "__main__":
    print(json.dumps(record(), ensure_ascii=False, indent=1))
