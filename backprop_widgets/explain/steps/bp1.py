"""BP1, the output error δ⁽ᴸ⁾, in the form that applies (the core's ``bp1_form``); and its
questions, δ_j⁽ᴸ⁾ of every output.

Each form of BP1 in the core's registry says how it is written out (``Bp1Form.written``, the
shape of its lines); :data:`WRITE_OUTS` has one write-out per shape (the panel's lines and the
question), for any σ and loss: what they need of a function they ask of its registry entry.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ...core import A_MINUS_Y, ACTIVATIONS, LOSSES, Trace, bp1_form, fmt, fmt_all, paren, signed_terms, sup
from ..highlight import Highlight
from ..practice.mistakes import sigma_prime_at_a, sigma_prime_of_a
from ..practice.question import Draft, Formula, a_tex, delta_tex, draft, line, on_page, tex_sym, unicode_sym
from . import Context, Part, Printed, Step, StepKind, kink_note, result_vector, with_note

ID = "bp1"  # the step's id
#: targets whose sum is this close to 1 sum to 1 (softmax with cross-entropy: δ = a − y)
SUMS_TO_ONE = 1e-12


def targets_sum_to_one(y: np.ndarray) -> bool:
    return abs(float(y.sum()) - 1.0) <= SUMS_TO_ONE


def at_layer(latex: str, l: int) -> str:
    """A formula written for layer L (``^{(L)}``) written for layer ``l``."""
    return latex.replace("^{(L)}", f"^{{({l})}}")


def _delta(L: int, j: int) -> str:
    return rf"\err{{\delta_{{{j + 1}}}^{{({L})}}}}"


# --- the panel's lines, form by form: (why, lines) from the form's sentence -------------------


def _grad_a_lines(P: Printed) -> list[Part]:
    """[∇ₐL]_j = … = its value, for every output, as the loss's registry entry writes it."""
    loss = LOSSES[P.t.loss_name]
    a, y, g = P.a(P.t.L), P.y(), P.grad_a()
    return [
        Part(None, rf"[\nabla_a \mathcal{{L}}]_{{{j + 1}}} = {loss.grad_written(a[j], y[j])} = {g[j]}")
        for j in range(len(g))
    ]


def _sigma_prime_lines(P: Printed, l: int) -> list[str]:
    """σ′(z_j⁽ˡ⁾) = … = σ′ for every neuron, written out as σ's registry entry writes it."""
    written = ACTIVATIONS[P.t.activations[l]].prime_written(P.t.z[l])
    z, sp = P.z(l), P.sp(l)
    return [
        rf"\act{{\sigma'(z_{{{j + 1}}}^{{({l})}})}} = "
        + " = ".join((written.each[j] or [rf"\sigma'({z[j]})"]) + [rf"\act{{{sp[j]}}}"])
        for j in range(len(sp))
    ]


def _hadamard_lines(P: Printed, why: str) -> tuple[str, list[Part]]:
    t = P.t
    L = t.L
    loss, act = LOSSES[t.loss_name], ACTIVATIONS[t.activations[L]]
    a, y, g, sp, d = P.a(L), P.y(), P.grad_a(), P.sp(L), P.delta(L)
    parts = [
        Part(f"For this loss, {loss.label}:", loss.grad_latex),
        *_grad_a_lines(P),
        Part(with_note(f"The derivative of {act.label}", kink_note(t, L)), act.prime_latex),
    ]
    parts += [Part(None, chain) for chain in _sigma_prime_lines(P, L)]
    for j in range(len(d)):
        parts.append(
            Part(
                None,
                rf"{_delta(L, j)} = ({loss.grad_written(a[j], y[j])}) \cdot \act{{{sp[j]}}} = "
                rf"{paren(g[j])} \cdot \act{{{sp[j]}}} = \err{{{d[j]}}}",
            )
        )
    return why, parts


def _jacobian_lines(P: Printed, why: str) -> tuple[str, list[Part]]:
    t = P.t
    L = t.L
    a, g, d = P.a(L), P.grad_a(), P.delta(L)
    n = len(a)
    parts = [
        Part(
            None,
            r"\err{\delta_j} = \act{a_j}\left([\nabla_a \mathcal{L}]_j - \sum_i \act{a_i} [\nabla_a \mathcal{L}]_i\right)",
        ),
        *_grad_a_lines(P),
    ]
    s = float(t.a[L] @ t.grad_a)
    S = fmt(s)
    terms = " + ".join(rf"\act{{{a[j]}}} \times {paren(g[j])}" for j in range(n))
    parts.append(
        Part(
            None, rf"\sum_i a_i [\nabla_a \mathcal{{L}}]_i = {terms} = {signed_terms(fmt_all(t.a[L] * t.grad_a))} = {S}"
        )
    )
    diff = fmt_all(t.grad_a - s)
    for j in range(n):
        parts.append(
            Part(
                None,
                rf"{_delta(L, j)} = \act{{{a[j]}}} \times ({g[j]} - {paren(S)}) = \act{{{a[j]}}} \times {paren(diff[j])} = \err{{{d[j]}}}",
            )
        )
    return why, parts


def _output_minus_target_lines(P: Printed, why: str) -> tuple[str, list[Part]]:
    L = P.t.L
    a, y, d = P.a(L), P.y(), P.delta(L)
    return why, [
        Part(None, rf"{_delta(L, j)} = \act{{{a[j]}}} - {paren(y[j])} = \err{{{d[j]}}}") for j in range(len(d))
    ]


def _softmax_cross_entropy_lines(P: Printed, why: str) -> tuple[str, list[Part]]:
    t = P.t
    if targets_sum_to_one(t.y):  # δ = a·Σy − y is a − y
        why = why[:-1] + ", which is aⱼ − yⱼ because the targets sum to 1."
        return why, [
            Part(None, at_layer(A_MINUS_Y, t.L)),
            *_output_minus_target_lines(P, why)[1],
        ]
    a, y, d, Sy = P.a(t.L), P.y(), P.delta(t.L), fmt(float(t.y.sum()))
    why = why[:-1] + ", and these targets do not sum to 1, so the factor Σₖyₖ stays."
    return why, [
        Part(None, rf"{_delta(t.L, j)} = \act{{{a[j]}}} \times {Sy} - {paren(y[j])} = \err{{{d[j]}}}")
        for j in range(len(d))
    ]


# --- the questions, form by form: δ_j⁽ᴸ⁾ for output j (0-based) --------------------------------


class _Output(NamedTuple):
    """Output j as BP1's questions write it: δ_j, a_j as a symbol and printed, y_j printed."""

    delta: str
    a: str
    a_printed: str
    y: str


def _output(t: Trace, j: int) -> _Output:
    L = t.L
    return _Output(delta_tex(t, L, j + 1), a_tex(t, L, j + 1), rf"\act{{{fmt(t.a[L][j])}}}", paren(fmt(t.y[j])))


def _delta_draft(t: Trace, j: int, latex: str, formula: str, f: Formula, ops: dict, page: list[str]) -> Draft:
    L = t.L
    symbol = unicode_sym("δ", L, j + 1, t.sizes[L])
    printed = on_page(page, _delta(L, j) + " =")
    return draft(ID, f"delta{L},{j + 1}", symbol, latex, formula, float(t.delta[L][j]), f, ops, printed)


def _hadamard_question(t: Trace, j: int, page: list[str]) -> Draft:
    L, n = t.L, t.sizes[t.L]
    act, loss = ACTIVATIONS[t.activations[L]], LOSSES[t.loss_name]
    o_j = _output(t, j)
    y = fmt(t.y[j])
    grad, grad_printed = loss.grad_written(tex_sym("a", L, j + 1, n), y), loss.grad_written(fmt(t.a[L][j]), y)
    general = rf"({grad})\,\act{{\sigma'({tex_sym('z', L, j + 1, n)})}}"
    latex = line(o_j.delta, general, rf"({grad_printed})\,\act{{\sigma'({fmt(t.z[L][j])})}}")

    def g(o: dict) -> np.ndarray:  # ∇ₐL from the printed a and y
        return loss.grad_by_hand(o["a"], o["y"])

    def sp(o: dict) -> np.ndarray:
        return act.prime(o["z"], o["a"])

    ops = {"a": t.a[L], "z": t.z[L], "y": t.y}
    d = _delta_draft(t, j, latex, line(o_j.delta, general), lambda o: g(o)[j] * sp(o)[j], ops, page)
    z_u, a_u = unicode_sym("z", L, j + 1, n), unicode_sym("a", L, j + 1, n)
    d.mistakes += [
        ("sigma_prime_of_a", lambda o: g(o)[j] * sigma_prime_at_a(act, o["a"])[j], sigma_prime_of_a(a_u, z_u)),
        (
            "missing_sigma_prime",
            lambda o: g(o)[j],
            f"That leaves out the factor σ′({z_u}): δ is ∂L/∂z, so ∂L/∂a is multiplied by how a changes with z.",
        ),
    ]

    def times(k: float) -> Formula:  # a mistake in ∇ₐL that carries into δ as the factor k
        return lambda o: k * g(o)[j] * sp(o)[j]

    d.mistakes += [(m.id, times(m.factor), m.message) for m in loss.grad_mistakes]
    return d


def _jacobian_question(t: Trace, j: int, page: list[str]) -> Draft:
    L, n, y = t.L, t.sizes[t.L], t.y
    act, loss = ACTIVATIONS[t.activations[L]], LOSSES[t.loss_name]
    o_j = _output(t, j)
    a_all, y_all = fmt_all(t.a[L]), fmt_all(y)
    grad = loss.grad_written(tex_sym("a", L, j + 1, n), fmt(y[j]))
    general = (
        rf"{o_j.a}\left(({grad}) - \sum_i \act{{a_i^{{({L})}}}}({loss.grad_written(f'a_i^{{({L})}}', 'y_i')})\right)"
    )
    inner = " + ".join(rf"\act{{{a_all[i]}}}({loss.grad_written(a_all[i], y_all[i])})" for i in range(n))
    numbers = loss.grad_written(a_all[j], y_all[j])
    latex = line(o_j.delta, general, rf"{o_j.a_printed}\left(({numbers}) - \left({inner}\right)\right)")

    def g(o: dict) -> np.ndarray:  # ∇ₐL from the printed a and y
        return loss.grad_by_hand(o["a"], o["y"])

    def jac(o: dict) -> float:  # [Jᵀ∇ₐL]_j = a_j([∇ₐL]_j − Σ_i a_i[∇ₐL]_i)
        return o["a"][j] * (g(o)[j] - o["a"] @ g(o))

    d = _delta_draft(t, j, latex, line(o_j.delta, general), jac, {"a": t.a[L], "y": y}, page)
    d.mistakes.append(
        (
            "missing_sigma_prime",
            lambda o: g(o)[j],
            f"That is ∂L/∂a alone: δ is ∂L/∂z, so it goes through the {act.label} Jacobian.",
        )
    )

    def times(k: float) -> Formula:  # a mistake in ∇ₐL that carries into δ as the factor k
        return lambda o: k * jac(o)

    d.mistakes += [(m.id, times(m.factor), m.message) for m in loss.grad_mistakes]
    return d


def _minus_target_question(t: Trace, j: int, page: list[str], sum_y: float | None = None) -> Draft:
    """δ_j = a_j − y_j, or a_j·Σy − y_j (softmax targets that do not sum to 1: ``sum_y``)."""
    o_j = _output(t, j)
    if sum_y is None:
        general, numbers = f"{o_j.a} - {o_j.y}", f"{o_j.a_printed} - {o_j.y}"
        ops = {"a": t.a[t.L][j : j + 1], "y": t.y[j : j + 1], "s": np.ones(1)}
    else:
        general, numbers = rf"{o_j.a} \sum_i y_i - {o_j.y}", rf"{o_j.a_printed} \times {fmt(sum_y)} - {o_j.y}"
        ops = {"a": t.a[t.L][j : j + 1], "y": t.y[j : j + 1], "s": np.array([sum_y])}
    d = _delta_draft(
        t,
        j,
        line(o_j.delta, general, numbers),
        line(o_j.delta, general),
        lambda o: o["a"][0] * o["s"][0] - o["y"][0],
        ops,
        page,
    )
    d.mistakes.append(
        ("sign", lambda o: o["y"][0] - o["a"][0] * o["s"][0], "The sign is flipped: δ is a − y, not y − a.")
    )
    return d


def _softmax_cross_entropy_question(t: Trace, j: int, page: list[str]) -> Draft:
    return _minus_target_question(t, j, page, None if targets_sum_to_one(t.y) else float(np.sum(t.y)))


class Bp1Writing(NamedTuple):
    """How the page writes one form of BP1.

    lines : (printed numbers, the form's sentence) → the sentence as the panel says it, and the
        panel's lines after the form itself
    question : (trace, j, the step's lines) → the question for δ_j⁽ᴸ⁾ (j 0-based)
    """

    lines: Callable[[Printed, str], tuple[str, list[Part]]]
    question: Callable[[Trace, int, list[str]], Draft]


#: the shape of a form's lines (``Bp1Form.written``) → how the page writes it
WRITE_OUTS: dict[str, Bp1Writing] = {
    "hadamard": Bp1Writing(_hadamard_lines, _hadamard_question),
    "jacobian": Bp1Writing(_jacobian_lines, _jacobian_question),
    "a_minus_y": Bp1Writing(_output_minus_target_lines, _minus_target_question),
    "a_sum_y_minus_y": Bp1Writing(_softmax_cross_entropy_lines, _softmax_cross_entropy_question),
}


def build(c: Context) -> list[Step]:
    """BP1: the output error δ⁽ᴸ⁾ in the form that applies (``trace.bp1_form``)."""
    P = c.printed
    t = P.t
    L = t.L
    form = bp1_form(t.activations[L], t.loss_name)
    why, lines = WRITE_OUTS[form.written].lines(P, form.why)
    touches = Highlight(neurons=frozenset((L, j) for j in range(1, t.sizes[L] + 1)), loss=True)
    lhs, rhs = result_vector(r"\delta", L, P.delta(L), bold=r"\boldsymbol")
    return [
        Step(
            id=ID,
            title=f"BP1 · output error δ{sup(L)}",
            tag="BP1",
            text=why,
            parts=(Part(None, at_layer(form.latex, L)), *lines),
            touches=touches,
            heading=f"Output Error δ{sup(L)} · BP1",
            result=rf"\err{{{lhs}}} = \err{{{rhs}}}",
        )
    ]


def ask(c: Context, step: Step, eta: float) -> list[Draft]:
    """δ_j⁽ᴸ⁾ in the form BP1 takes for this output and loss."""
    t = c.trace
    question = WRITE_OUTS[bp1_form(t.activations[t.L], t.loss_name).written].question
    page = [p.latex for p in step.parts]
    return [question(t, j, page) for j in range(t.sizes[t.L])]


KIND = StepKind("bp1", build, ask)
