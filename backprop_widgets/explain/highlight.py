"""What a walkthrough step touches, in the notation's indices — shared by the steps and the diagram.

No drawing here: a step says *what* it uses; the diagram decides how to emphasise it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..core import Param, check_sizes


@dataclass(frozen=True)
class Highlight:
    """Neurons, weights and biases one step of the walkthrough uses.

    neurons : ``(l, j)`` — neuron j (1-based) of layer l; l = 0 are the inputs x_j
    edges : ``(l, j, k)`` — the weight w_{j,k}⁽ˡ⁾, i.e. the edge from (l−1, k) to (l, j)
    biases : ``(l, j)`` — the bias b_j⁽ˡ⁾
    loss : whether the step uses the loss node
    """

    neurons: frozenset = field(default_factory=frozenset)
    edges: frozenset = field(default_factory=frozenset)
    biases: frozenset = field(default_factory=frozenset)
    loss: bool = False

    @property
    def empty(self) -> bool:
        return not (self.neurons or self.edges or self.biases or self.loss)


def paths_highlight(sizes: Sequence[int], param: "str | Param") -> Highlight:
    """Everything on the paths from ``param`` to the loss (the page's Path A / Path B …).

    For w_{j,k}⁽ˡ⁾: its edge, its source (l−1, k) and destination (l, j), and every edge and
    neuron downstream of (l, j) up to the loss. For b_j⁽ˡ⁾: the bias, (l, j) and downstream.
    """
    sizes = check_sizes(sizes)
    p = Param.parse(param)
    L = len(sizes) - 1
    if not 1 <= p.l <= L or not 1 <= p.j <= sizes[p.l] or (p.is_weight and not 1 <= p.k <= sizes[p.l - 1]):
        raise ValueError(f"{p.unicode} is not a parameter of a {list(sizes)} network")
    neurons = {(p.l, p.j)}
    edges: set = set()
    if p.is_weight:
        neurons.add((p.l - 1, p.k))
        edges.add((p.l, p.j, p.k))
    sources = [p.j]  # neurons of layer m − 1 that lie on a path
    for m in range(p.l + 1, L + 1):
        edges.update((m, j, k) for j in range(1, sizes[m] + 1) for k in sources)
        sources = list(range(1, sizes[m] + 1))
        neurons.update((m, j) for j in sources)
    biases = frozenset() if p.is_weight else frozenset({(p.l, p.j)})
    return Highlight(frozenset(neurons), frozenset(edges), biases, loss=True)
