"""The diagram as a table: the same numbers for a screen reader or a student who prefers text.

Every neuron (z, a, δ, and its bias b with ∂L/∂b) and every weight (w and ∂L/∂w), layer by layer,
in the page's number format.
"""

from __future__ import annotations

import html

from ..core import Param, Trace, fmt, sub, sup


def _cells(values, tag: str = "td") -> str:
    return "".join(f"<{tag}>{html.escape(v)}</{tag}>" for v in values)


def diagram_table_html(trace: Trace) -> str:
    """One table of neurons and one of weights per layer ``l = 1..L``, after the inputs."""
    u = lambda v: fmt(v, unicode=True)  # noqa: E731
    x = ", ".join(f"x{sub(k + 1)} = {u(v)}" for k, v in enumerate(trace.x))
    out = [f"<p>Inputs (layer 0): {html.escape(x)}.</p>"]
    for l in range(1, len(trace.sizes)):
        neurons = [_cells(["neuron", "z", "a", "δ", "b", "∂L/∂b"], "th")] + [
            _cells(
                [
                    f"{j + 1}",
                    u(trace.z[l][j]),
                    u(trace.a[l][j]),
                    u(trace.delta[l][j]),
                    u(trace.biases[l - 1][j]),
                    u(trace.grad_b[l][j]),
                ]
            )
            for j in range(trace.sizes[l])
        ]
        weights = [_cells(["weight", "w", "∂L/∂w"], "th")] + [
            _cells([Param("w", l, j + 1, k + 1).unicode, u(trace.weights[l - 1][j, k]), u(trace.grad_W[l][j, k])])
            for j in range(trace.sizes[l])
            for k in range(trace.sizes[l - 1])
        ]
        out.append(
            f"<h5>Layer {l}</h5>"
            f"<table aria-label='neurons of layer {l}'><tr>" + "</tr><tr>".join(neurons) + "</tr></table>"
            f"<table aria-label='weights W{sup(l)}'><tr>" + "</tr><tr>".join(weights) + "</tr></table>"
        )
    return "".join(out)


def node_text(trace: Trace, l: int, j: int) -> str:
    """One neuron's numbers, as a click on its node shows them: ``x₂ = 0.5`` for an input,
    ``neuron 1 of layer 2: z = …, a = …, δ = …, b = …`` otherwise."""
    u = lambda v: fmt(v, unicode=True)  # noqa: E731
    if l == 0:
        return f"input x{sub(j)} = {u(trace.x[j - 1])}"
    return (
        f"neuron {j} of layer {l}: z = {u(trace.z[l][j - 1])}, a = {u(trace.a[l][j - 1])}, "
        f"δ = {u(trace.delta[l][j - 1])}, b = {u(trace.biases[l - 1][j - 1])}"
    )
