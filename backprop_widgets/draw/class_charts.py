"""What a class chose, drawn on the network: the edges or neurons of a "which edge / which
neuron?" prediction, each as thick as the number of students who chose it.

The teacher's page of the live class (``app/teacher_page.py``) shows it for the prediction
kinds ``largest_edge-l`` and ``largest_delta-l``. It is drawn from the diagram's own layout
(:func:`~.layout.plan_layout`: the same columns and rows as the students' diagram) but shows
no value of the network: no colour by gradient or weight, no sign, no number but the counts.
The page may be on the projector before the reveal, and the thickest gradient edge would give
the answer away.

>>> svg = chosen_svg([3, 2, 2, 1], edges={(2, 1, 2): 3, (2, 2, 1): 1})
>>> svg.count("<line"), 'data-count="3"' in svg, 'data-count="1"' in svg
(12, True, True)
"""

from __future__ import annotations

import html
from typing import Mapping, Sequence

from .colours import COLORS
from .layout import WIDTH, check_drawable, plan_layout

__all__ = ["chosen_svg", "chosen_width", "HEIGHT"]

HEIGHT = 320  #: px: the picture is a strip under the counts, as wide as the diagram
THIN, THICK = 1.0, 10.0  #: px: an edge nobody chose, and the edge most chose
NODE_R = 11.0  #: px: a neuron's radius


def chosen_width(count: int, most: int) -> float:
    """The stroke width (px) of an edge or a neuron's rim chosen ``count`` times when the most
    chosen one was chosen ``most`` times: 0 → :data:`THIN`, ``most`` → :data:`THICK`, linear.

    >>> chosen_width(0, 4), chosen_width(2, 4), chosen_width(4, 4)
    (1.0, 5.5, 10.0)
    """
    if count <= 0 or most <= 0:
        return THIN
    return THIN + (THICK - THIN) * min(count, most) / most


def chosen_svg(
    sizes: Sequence[int],
    edges: Mapping[tuple[int, int, int], int] | None = None,
    neurons: Mapping[tuple[int, int], int] | None = None,
    title: str = "What the class chose",
) -> str:
    """The network ``sizes`` as SVG with the chosen edges ``(l, j, k)`` (the weight w_{j,k}⁽ˡ⁾,
    from neuron k of layer l−1 to neuron j of layer l) and neurons ``(l, j)`` drawn by count.

    Each chosen element carries ``data-count`` and its count as text beside it; ``title`` is the
    picture's accessible name. ``DiagramTooLarge`` for a net the diagram does not draw.
    """
    sizes = check_drawable(sizes)
    edges, neurons = dict(edges or {}), dict(neurons or {})
    most = max([*edges.values(), *neurons.values(), 0])
    lay = plan_layout(sizes, WIDTH, HEIGHT, ())
    H = float(HEIGHT)

    def at(l: int, j: int) -> tuple[float, float]:
        x, y = lay.centre(l, j)
        return x, H - y  # figure px (origin bottom-left) → SVG (origin top-left)

    chosen_colour, muted, text = COLORS["error"], COLORS["muted"], COLORS["text"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-label="{html.escape(title)}" class="bpw-class-chosen">'
    ]
    labels = []
    for l in range(1, len(sizes)):
        for j in range(1, sizes[l] + 1):
            for k in range(1, sizes[l - 1] + 1):
                (x0, y0), (x1, y1) = at(l - 1, k), at(l, j)
                x0, x1 = x0 + NODE_R, x1 - NODE_R
                n = edges.get((l, j, k), 0)
                style = (
                    f"stroke:{chosen_colour};stroke-width:{chosen_width(n, most):.3g}"
                    if n
                    else f"stroke:{muted};stroke-opacity:0.45;stroke-width:{THIN:.3g}"
                )
                count = f' data-count="{n}"' if n else ""
                out.append(
                    f'<line id="chosen-w{l}-{j}-{k}"{count} x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" '
                    f'y2="{y1:.1f}" style="{style}"/>'
                )
                if n:  # the count at 70 % of the way, nearer its own neuron than the others'
                    tx, ty = x0 + 0.7 * (x1 - x0), y0 + 0.7 * (y1 - y0)
                    labels.append(_count_text(tx, ty - 4, n, text))
    for l, size in enumerate(sizes):
        for j in range(1, size + 1):
            x, y = at(l, j)
            n = neurons.get((l, j), 0)
            rim = f"stroke:{chosen_colour};stroke-width:{chosen_width(n, most):.3g}" if n else f"stroke:{muted}"
            count = f' data-count="{n}"' if n else ""
            out.append(
                f'<circle id="chosen-n{l}-{j}"{count} cx="{x:.1f}" cy="{y:.1f}" r="{NODE_R}" style="fill:white;{rim}"/>'
            )
            if n:
                labels.append(_count_text(x + NODE_R + 8, y + 5, n, text, anchor="start"))
    out += labels
    out.append("</svg>")
    return "\n".join(out)


def _count_text(x: float, y: float, n: int, colour: str, anchor: str = "middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" style="font:bold 14px sans-serif;fill:{colour};text-anchor:{anchor};'
        f'paint-order:stroke;stroke:white;stroke-width:3px">×{n}</text>'
    )
