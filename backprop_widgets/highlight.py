"""What a walkthrough step touches, in the notation's indices — shared by the steps and the diagram.

Pure Python (no numpy): a step says *what* it uses; the diagram decides how to emphasise it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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

    def __or__(self, other: "Highlight") -> "Highlight":
        return Highlight(
            self.neurons | other.neurons, self.edges | other.edges,
            self.biases | other.biases, self.loss or other.loss,
        )

    @property
    def empty(self) -> bool:
        return not (self.neurons or self.edges or self.biases or self.loss)
