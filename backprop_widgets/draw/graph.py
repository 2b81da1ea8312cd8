"""The diagram's graph and its fixed order: which node and edge is entry i of every array.

Node ``(l, j)`` for every neuron, inputs included (``l = 0``), ``j`` **1-based** as in the
notation. Weight w_{j,k}⁽ˡ⁾ is the edge ``(l-1, k) → (l, j)``. Edges run ``l = 1..L``, then row
``j``, then column ``k``: the order of ``np.concatenate([W.ravel() for W in …])``, so that
:func:`edge_grads` and :func:`edge_weights` line up with ``edgelist`` without a lookup.
"""

from __future__ import annotations

from typing import Sequence

import networkx as nx
import numpy as np

from ..core import Param, Trace


def edge_grads(trace: Trace) -> np.ndarray:
    """∂L/∂w of every edge, in ``edgelist`` order."""
    return np.concatenate([trace.grad_W[l].ravel() for l in range(1, len(trace.sizes))])


def edge_weights(trace: Trace) -> np.ndarray:
    """w of every edge, in ``edgelist`` order."""
    return np.concatenate([W.ravel() for W in trace.weights])


def node_values(trace: Trace) -> np.ndarray:
    """Activations a (inputs x for l = 0), in ``nodelist`` order."""
    return np.concatenate([np.asarray(a, float) for a in trace.a])


class DiagramGraph:
    """A :class:`networkx.DiGraph` of one architecture and its drawing order.

    ``graph`` (node attributes ``layer, j, a``; edge attributes ``l, j, k, w, grad``),
    ``nodelist`` (layer by layer, j = 1..n_l), ``edgelist`` and ``params`` (the :class:`Param`
    of each edge), and ``node_index`` / ``edge_index`` (node → i, ``(l, j, k)`` → i).
    """

    def __init__(self, sizes: Sequence[int]) -> None:
        self.sizes = tuple(sizes)
        G = nx.DiGraph()
        for l, n in enumerate(self.sizes):
            for j in range(1, n + 1):
                G.add_node((l, j), layer=l, j=j, a=np.nan)
        edgelist = []
        for l in range(1, len(self.sizes)):
            for j in range(1, self.sizes[l] + 1):
                for k in range(1, self.sizes[l - 1] + 1):
                    e = ((l - 1, k), (l, j))
                    G.add_edge(*e, l=l, j=j, k=k, w=np.nan, grad=np.nan)
                    edgelist.append(e)
        self.graph = G
        self.nodelist: list[tuple[int, int]] = list(G.nodes)
        self.edgelist = edgelist
        self.params = [Param("w", v[0], v[1], u[1]) for u, v in edgelist]
        self.node_index = {node: i for i, node in enumerate(self.nodelist)}
        self.edge_index = {(p.l, p.j, p.k): i for i, p in enumerate(self.params)}
        self._filled: Trace | None = None  # the trace whose numbers the attributes hold

    def filled(self, trace: Trace | None) -> nx.DiGraph:
        """The graph with ``a``, ``w`` and ``grad`` of ``trace`` (filled in once per trace)."""
        if trace is not None and self._filled is not trace:
            G = self.graph
            for e, w, dw in zip(self.edgelist, edge_weights(trace).tolist(), edge_grads(trace).tolist()):
                attrs = G.edges[e]
                attrs["w"], attrs["grad"] = w, dw
            for node, v in zip(self.nodelist, node_values(trace).tolist()):
                G.nodes[node]["a"] = v
            self._filled = trace
        return self.graph
