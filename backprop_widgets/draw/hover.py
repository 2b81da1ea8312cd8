"""Hover text: a ``<title>`` for every edge and node of the SVG, rewritten on every render.

Edge: "w₁,₁⁽²⁾ = 0.4, ∂L/∂w = −0.0123". Node: "h1₂: z = …, a = …, δ = …, b = …" ("x₂ = 0.5" for
an input, "out₁: …" for the output layer). Numbers as the page prints them. A browser shows
them on hover when the SVG is inline; they carry every number the labels may have to leave out.
"""

from __future__ import annotations

from typing import Iterable

from ..core import Trace
from .graph import DiagramGraph, edge_grads, edge_weights
from .text import label_number, node_name


class HoverTitles:
    """The hover titles of one architecture; the fixed names are made once, and the numbers
    formatted are remembered (on a slider drag most weights repeat)."""

    def __init__(self, topology: DiagramGraph) -> None:
        L = len(topology.sizes) - 1
        self.nodelist = topology.nodelist
        self.edge_names = [p.unicode for p in topology.params]
        self.node_names = [node_name(l, j, L) for l, j in self.nodelist]
        self._fmt_cache: dict = {}

    def _fmt_all(self, values: Iterable[float]) -> list[str]:
        """:func:`label_number` of many numbers, remembered."""
        cache = self._fmt_cache
        if len(cache) > 50_000:
            cache.clear()
        out = []
        for v in values:
            s = cache.get(v)
            if s is None:
                s = cache[v] = label_number(v)
            out.append(s)
        return out

    def edges(self, trace: Trace) -> list[str]:
        """Hover text of every edge, in ``edgelist`` order."""
        w = self._fmt_all(edge_weights(trace).tolist())
        g = self._fmt_all(edge_grads(trace).tolist())
        return [f"{name} = {wi}, ∂L/∂w = {gi}" for name, wi, gi in zip(self.edge_names, w, g)]

    def nodes(self, trace: Trace) -> list[str]:
        """Hover text of every node, in ``nodelist`` order."""
        f = label_number
        out = []
        for (l, j), name in zip(self.nodelist, self.node_names):
            if l == 0:
                out.append(f"{name} = {f(trace.a[0][j - 1])}")
            else:
                i = j - 1
                out.append(
                    f"{name}: z = {f(trace.z[l][i])}, a = {f(trace.a[l][i])}, "
                    f"δ = {f(trace.delta[l][i])}, b = {f(trace.biases[l - 1][i])}"
                )
        return out
