"""The README picture: the seed net with z and δ and the paths of one weight highlighted.

Regenerate it with ``python -m backprop_widgets.draw.diagram notebooks/images/seed-diagram.png``
(or ``python -m backprop_widgets.draw.readme …``).
"""

from __future__ import annotations

import sys
from typing import Iterable

from ..core import Param, seed_example
from ..explain.highlight import paths_highlight
from .diagram import NetworkDiagram
from .layout import PAD
from .text import LEGEND_PX


def seed_picture(param: str = "w1,1,1") -> NetworkDiagram:
    """The README picture: the seed net with z and δ, the paths of ``param`` to the loss
    highlighted and said in a caption."""
    net, x, y = seed_example()
    d = NetworkDiagram(net.sizes, format="png", show_z=True, show_delta=True)
    p = Param.parse(param)
    d.update(net.trace(x, y), paths_highlight(net.sizes, p))
    # below the inputs, above the legend: empty in the seed net's layout
    d.add_text(
        PAD,
        d.layout.ys[0][-1] - d.layout.box[1] / 2 - 24,
        f"highlighted: every path from {p.unicode} to the loss L",
        LEGEND_PX,
        ha="left",
        va="top",
        zorder=5,
    )
    return d


def save_seed_picture(path: str, param: str = "w1,1,1") -> None:
    """Save :func:`seed_picture` as a PNG."""
    with open(path, "wb") as f:
        f.write(seed_picture(param).render())


def main(argv: Iterable[str]) -> int:
    args = list(argv)
    if len(args) not in (1, 2):
        print("usage: python -m backprop_widgets.draw.diagram OUT.png [w1,1,1]", file=sys.stderr)
        return 2
    save_seed_picture(*args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
