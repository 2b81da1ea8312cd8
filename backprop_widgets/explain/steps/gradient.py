"""The traced gradient: BP3 for a weight, ∂L/∂w_{j,k}⁽ˡ⁾ = a_k⁽ˡ⁻¹⁾ δ_j⁽ˡ⁾, or BP4 for a bias,
∂L/∂b_j⁽ˡ⁾ = δ_j⁽ˡ⁾; and its questions, the gradient and the traced parameter after one descent step.
"""

from __future__ import annotations

import numpy as np

from ...core import Param, PathSum, Trace, fmt, paren, sub, sup
from ..highlight import Highlight
from ..practice.question import Draft, a_num, a_tex, delta_tex, draft, grad_tex, line, on_page, unicode_sym
from . import Context, Part, Step, StepKind, a_sym, dL_d, role


def traced_gradient_step(c: Context) -> Step:
    """BP3 (weight) or BP4 (bias): the traced gradient with numbers."""
    P, p = c.printed, c.param
    t = P.t
    d = P.delta(p.l)[p.j - 1]
    g = fmt(t.grad(p))
    if p.is_weight:
        src = role(p.l - 1)
        a = P.a(p.l - 1)[p.k - 1]
        chain = (
            rf"\err{{{dL_d(p)}}} = {src}{{{a_sym(p.l - 1, p.k)}}}\,\err{{\delta_{{{p.j}}}^{{({p.l})}}}}"
            rf" = {src}{{{paren(a)}}} \times \err{{{paren(d)}}} = \err{{{g}}}"
        )
        eq = Part(
            None, r"\err{\frac{\partial \mathcal{L}}{\partial w_{j,k}^{(l)}}} = \act{a_k^{(l-1)}}\,\err{\delta_j^{(l)}}"
        )
        a_u = f"x{sub(p.k)}" if p.l == 1 else f"a{sub(p.k)}{sup(p.l - 1)}"
        text = (
            f"BP3: a weight's gradient is the activation it multiplies, {a_u}, "
            f"times the error δ{sub(p.j)}{sup(p.l)} at the neuron it feeds."
        )
        touches = Highlight(neurons=frozenset({(p.l - 1, p.k), (p.l, p.j)}), edges=frozenset({(p.l, p.j, p.k)}))
    else:
        chain = rf"\err{{{dL_d(p)}}} = \err{{\delta_{{{p.j}}}^{{({p.l})}}}} = \err{{{g}}}"
        eq = Part(None, r"\err{\frac{\partial \mathcal{L}}{\partial b_j^{(l)}}} = \err{\delta_j^{(l)}}")
        text = (
            f"BP4: a bias adds straight into z{sub(p.j)}{sup(p.l)}, so its gradient is the "
            f"error δ{sub(p.j)}{sup(p.l)} itself."
        )
        touches = Highlight(neurons=frozenset({(p.l, p.j)}), biases=frozenset({(p.l, p.j)}))
    tag = "BP3" if p.is_weight else "BP4"
    return Step(
        id=tag.lower(),
        title=f"{tag} · the traced gradient",
        tag=tag,
        text=text,
        parts=(eq, Part(None, chain)),
        touches=touches,
        heading=f"The Target Gradient · {tag}",
        result=rf"\err{{{dL_d(p)}}} = \err{{{g}}}",
    )


def build(c: Context) -> list[Step]:
    return [traced_gradient_step(c)]


# --- the questions: the gradient, then one step of gradient descent --------------------------


def _path_value(t: Trace, p: Param, neurons: tuple[int, ...], o: dict) -> float:
    """One path's product of local factors (see :mod:`backprop_widgets.core.paths`) from the operands."""
    L, l0 = t.L, p.l
    v = o["c"][p.k - 1] if p.is_weight else 1.0
    for i, m in enumerate(range(l0, L + 1)):
        j = neurons[i] - 1
        if m > l0:
            v *= t.weights[m - 1][j, neurons[i - 1] - 1]
        v *= o[f"sp{m}"][j] if m < L else o["dL"][j]
    return v


def _gradient(t: Trace, p: Param, step: Step, paths: PathSum) -> Draft:
    """BP3 ∂L/∂w_{j,k}⁽ˡ⁾ = a_k⁽ˡ⁻¹⁾ δ_j⁽ˡ⁾, or BP4 ∂L/∂b_j⁽ˡ⁾ = δ_j⁽ˡ⁾."""
    l, j = p.l, p.j - 1
    L = t.L
    lhs = grad_tex(p)
    delta_s = delta_tex(t, l, p.j)
    delta_n = rf"\err{{{paren(fmt(t.delta[l][j]))}}}"
    ops = {
        "d": t.delta[l],
        "c": t.a[l - 1],  # a⁽⁰⁾ is x
        "a": t.a[l],
        "dL": t.delta[L],
        **{f"sp{m}": t.sigma_prime[m] for m in range(l, L)},
    }
    if p.is_weight:
        k = p.k - 1
        general = rf"{a_tex(t, l - 1, p.k)}\,{delta_s}"
        latex = line(lhs, general, rf"{a_num(t, l - 1, p.k)} \times {delta_n}")
        # the sheet's line: x_k is given, a_k⁽ˡ⁻¹⁾ is an earlier answer
        formula = line(lhs, general, rf"{a_num(t, 0, p.k)}\,{delta_s}") if l == 1 else line(lhs, general)

        def f(o: dict) -> float:
            return o["c"][k] * o["d"][j]
    else:
        latex, formula = line(lhs, delta_s, delta_n), line(lhs, delta_s)

        def f(o: dict) -> float:
            return o["d"][j]

    printed = on_page([part.latex for part in step.parts], rf"\err{{{dL_d(p)}}} =")
    d = draft(step.id, "grad", f"∂L/∂{p.unicode}", latex, formula, t.grad(p), f, ops, printed)
    d.mistakes.append(
        (
            "sign",
            lambda o: -f(o),
            "The sign is flipped: the gradient is " + ("a·δ (BP3)." if p.is_weight else "δ itself (BP4)."),
        )
    )
    if p.is_weight:
        a_u = unicode_sym("a", l, p.j, t.sizes[l])
        prev_u = f"x{sub(p.k) if t.sizes[0] > 1 else ''}" if l == 1 else unicode_sym("a", l - 1, p.k, t.sizes[l - 1])
        d.mistakes.append(
            (
                "wrong_activation",
                lambda o: o["a"][j] * o["d"][j],
                f"That multiplies by {a_u}, the activation the weight feeds; BP3 uses {prev_u}, the "
                "activation it multiplies.",
            )
        )
    if l < L and (p.j <= t.sizes[l + 1] or t.sizes[l + 1] == 1):  # δ⁽ˡ⁺¹⁾, one step back on the page
        i = min(j, t.sizes[l + 1] - 1)
        ops["dn"] = t.delta[l + 1]
        above = unicode_sym("δ", l + 1, i + 1, t.sizes[l + 1])
        here = unicode_sym("δ", l, p.j, t.sizes[l])
        feeds = "the weight feeds" if p.is_weight else "the bias adds into"
        d.mistakes.append(
            (
                "wrong_layer_delta",
                (lambda o: o["c"][k] * o["dn"][i]) if p.is_weight else (lambda o: o["dn"][i]),
                f"That takes {above} = {fmt(t.delta[l + 1][i], unicode=True)}, the error of layer {l + 1}; "
                f"{'BP3' if p.is_weight else 'BP4'} uses {here}, the error of the neuron {feeds} in layer {l}.",
            )
        )
    if paths.count > 1:
        top = max(paths.top, key=lambda path: abs(path.value))
        d.mistakes.append(
            (
                "one_path",
                lambda o: _path_value(t, p, top.neurons, o),
                f"That is only the largest of the {paths.count} paths from {p.unicode} to the loss; "
                "the gradient is the sum over all of them, which BP2 adds up.",
            )
        )
    return d


def _update(t: Trace, p: Param, step: str, eta: float) -> Draft:
    """The parameter after one step of gradient descent, θ − η ∂L/∂θ."""
    theta = t.value(p)
    g = t.grad(p)
    lhs = rf"{p.latex} - \eta\,{grad_tex(p)}"
    eta_s = fmt(eta)
    latex = line(lhs, rf"\wt{{{paren(fmt(theta))}}} - {eta_s} \times \err{{{paren(fmt(g))}}}")
    formula = line(lhs, rf"\wt{{{paren(fmt(theta))}}} - {eta_s}\,{grad_tex(p)}")
    d = draft(
        step,
        "update",
        f"{p.unicode} − η·∂L/∂{p.unicode}",
        latex,
        formula,
        theta - eta * g,
        lambda o: o["theta"][0] - eta * o["g"][0],
        {"g": np.array([g]), "theta": np.array([theta])},
    )
    d.mistakes.append(
        (
            "ascent",
            lambda o: o["theta"][0] + eta * o["g"][0],
            "That steps uphill: descent subtracts η·∂L/∂θ, so that the loss goes down.",
        )
    )
    return d


def ask(c: Context, step: Step, eta: float) -> list[Draft]:
    """The traced parameter's gradient, then its value after one descent step with learning rate η."""
    return [_gradient(c.trace, c.param, step, c.paths), _update(c.trace, c.param, step.id, eta)]


KIND = StepKind("gradient", build, ask)
