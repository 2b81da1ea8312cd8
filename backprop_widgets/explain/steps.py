"""The steps of a worked example: pure functions of a trace → coloured LaTeX.

Every number printed here comes from :class:`~backprop_widgets.core.Trace` (or, for the
numerical check, from :meth:`Network.numerical_gradient_of`); the only arithmetic done here
splits a printed result into the terms a reader re-adds (the products w·a of a weighted sum,
the products of BP2's matrix-vector product, the factors of a path). What σ, σ′ and the loss
look like with numbers comes from their registry entries (:mod:`.functions`), and BP1 from its
form there; nothing here branches on a function's name. Formulas are written with the colour
macros ``\\inp``, ``\\wt``, ``\\act``, ``\\err`` (see :mod:`.palette`).

Arithmetic lines are chains ``lhs = terms = … = result`` in which every number is printed
by :func:`.numfmt.fmt`; each chain holds within display rounding (tests parse them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple

import numpy as np

from ..core import (
    ACTIVATIONS,
    BP1_FORMS,
    CHECK_THRESHOLD,
    HADAMARD,
    LOSSES,
    GradientCheck,
    Param,
    PathSum,
    Trace,
    bp1_form,
    fixed,
    fmt,
    fmt_all,
    paren,
    power_of_ten,
    sci,
    shifted,
    signed_terms,
    sub,
    sup,
)
from .highlight import Highlight, paths_highlight

usup, usub = sup, sub  # ⁽ˡ⁾ and ₗ in Unicode, for titles and sentences


class Part(NamedTuple):
    """One displayed equation of a step, with an optional plain-text caption above it."""

    caption: str | None
    latex: str


@dataclass(frozen=True)
class Step:
    """One step of the worked example.

    id : stable identifier (``forward-1``, ``loss``, ``bp1``, ``bp2-2``, ``bp3``, ``check``, …)
    title : short title for a panel, e.g. ``"BP2 · error in layer 1"``
    tag : ``"BP1"`` … ``"BP4"`` or ``None``
    text : one plain sentence: what the step computes and why
    parts : the displayed equations, each with an optional caption
    touches : the neurons, weights, biases (and loss) the step's equations use
    heading : the section heading in a handout (the seed page's wording)
    table : for the all-quantities step, the table's rows (header first) as plain text
    """

    id: str
    title: str
    tag: str | None
    text: str
    parts: tuple[Part, ...]
    touches: Highlight
    heading: str
    table: tuple[tuple[str, ...], ...] | None = field(default=None, compare=False)
    #: what the step computes, as one line (LaTeX), shown first in the dashboard's panel
    result: str | None = field(default=None, compare=False)

    @property
    def latex(self) -> str:
        """The step's equations: one ``\\[ … \\]`` display per line, with the colour macros."""
        return "\n".join(rf"\[ {p.latex} \]" for p in self.parts)


# --- printed numbers, each formatted once per worked example ---------------------------------


class Printed:
    """Every quantity of a trace as printed strings, formatted on first use and cached.

    ``W[l][j][k]`` is w_{j+1,k+1}⁽ˡ⁾ printed; ``a[l]``, ``z[l]``, ``sp[l]`` (σ′), ``delta[l]`` and
    ``b[l]`` are lists indexed like the arrays.
    """

    def __init__(self, t: Trace) -> None:
        self.t = t
        self._cache: dict = {}

    def _get(self, key, make: Callable):
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = make()
            return value

    def W(self, l: int) -> list[list[str]]:
        def make():
            W = self.t.weights[l - 1]
            flat = fmt_all(W)
            n = W.shape[1]
            return [flat[i:i + n] for i in range(0, len(flat), n)]
        return self._get(("W", l), make)

    def b(self, l: int) -> list[str]:
        return self._get(("b", l), lambda: fmt_all(self.t.biases[l - 1]))

    def a(self, l: int) -> list[str]:
        return self._get(("a", l), lambda: fmt_all(self.t.a[l]))

    def z(self, l: int) -> list[str]:
        return self._get(("z", l), lambda: fmt_all(self.t.z[l]))

    def sp(self, l: int) -> list[str]:
        return self._get(("sp", l), lambda: fmt_all(self.t.sigma_prime[l]))

    def delta(self, l: int) -> list[str]:
        return self._get(("delta", l), lambda: fmt_all(self.t.delta[l]))

    def grad_a(self) -> list[str]:
        return self._get("grad_a", lambda: fmt_all(self.t.grad_a))

    def y(self) -> list[str]:
        return self._get("y", lambda: fmt_all(self.t.y))


# --- LaTeX helpers ---------------------------------------------------------------------------


def pmatrix(rows: list[str]) -> str:
    """A column vector."""
    return r"\begin{pmatrix} " + r" \\ ".join(rows) + r" \end{pmatrix}"


def pmatrix2(rows: list[list[str]]) -> str:
    """A matrix, row by row."""
    return r"\begin{pmatrix} " + r" \\ ".join(" & ".join(r) for r in rows) + r" \end{pmatrix}"


def role(l: int) -> str:
    """Colour macro of a⁽ˡ⁾: inputs for l = 0, activations above."""
    return r"\inp" if l == 0 else r"\act"


def a_sym(l: int, k: int | str) -> str:
    """a_k⁽ˡ⁾, written x_k for the inputs."""
    return f"x_{{{k}}}" if l == 0 else f"a_{{{k}}}^{{({l})}}"


def param_sym(p: Param) -> str:
    return rf"\wt{{{p.latex}}}"


def dL_d(p: Param) -> str:
    return rf"\frac{{\partial \mathcal{{L}}}}{{\partial {p.latex}}}"


# --- the registry's write-outs ---------------------------------------------------------------


def kink_note(t: Trace, l: int) -> str:
    """A clause naming the units of layer l that sit exactly on a kink of σ, and the slope
    backprop takes there by convention ("" if none does)."""
    act = ACTIVATIONS[t.activations[l]]
    notes = []
    for at in act.kinks:
        on = [j for j in range(t.sizes[l]) if t.z[l][j] == at]
        if on:
            names = ", ".join(f"z{usub(j + 1)}{usup(l)}" for j in on)
            z_at = np.array([at])
            used = fmt(float(act.prime(z_at, act.f(z_at))[0]), unicode=True)
            notes.append(f"{names} = {fmt(at, unicode=True)} sits on the kink, where the slope "
                         f"jumps: backprop takes {act.label}′({fmt(at, unicode=True)}) = {used}, "
                         "the usual convention")
    return "; ".join(notes)


def _caption(text: str, note: str) -> str:
    """A caption ending in ":", with a note in parentheses before the colon."""
    return f"{text} ({note}):" if note else f"{text}:"


def sigma_prime_lines(P: Printed, l: int) -> list[str]:
    """σ′(z_j⁽ˡ⁾) = … = σ′ for every neuron, written out as σ's registry entry writes it."""
    written = ACTIVATIONS[P.t.activations[l]].prime_written(P.t.z[l])
    z, sp = P.z(l), P.sp(l)
    return [rf"\act{{\sigma'(z_{{{j + 1}}}^{{({l})}})}} = "
            + " = ".join((written.each[j] or [rf"\sigma'({z[j]})"]) + [rf"\act{{{sp[j]}}}"])
            for j in range(len(sp))]


# --- the steps -------------------------------------------------------------------------------


def forward_step(P: Printed, l: int) -> Step:
    """Forward pass through layer l: z_j⁽ˡ⁾ = Σ_k w_{j,k}⁽ˡ⁾ a_k⁽ˡ⁻¹⁾ + b_j⁽ˡ⁾ term by term, a⁽ˡ⁾ = σ(z⁽ˡ⁾)."""
    t = P.t
    L = t.L
    n_out, n_in = t.sizes[l], t.sizes[l - 1]
    act = ACTIVATIONS[t.activations[l]]
    W, b, A, z, a = P.W(l), P.b(l), P.a(l - 1), P.z(l), P.a(l)
    src = role(l - 1)
    products = fmt_all(t.weights[l - 1] * t.a[l - 1])  # w_{j,k} a_k, row by row
    A_fac = [paren(s) for s in A]
    parts = [Part(f"Weighted sums, then the {act.label} activation:", act.latex)]
    for j in range(n_out):
        # negative weights and biases in parentheses: "+ (−0.23)·(−0.5)", never "+ −0.23"
        terms = " + ".join(rf"\wt{{{paren(W[j][k])}}}\cdot{src}{{{A_fac[k]}}}" for k in range(n_in))
        sums = signed_terms(products[j * n_in:(j + 1) * n_in] + [b[j]])
        parts.append(Part(None, rf"z_{{{j + 1}}}^{{({l})}} = {terms} + \wt{{{paren(b[j])}}} = {sums} = {z[j]}"))
    written = act.written(t.z[l])
    parts += [Part(caption, latex) for caption, latex in written.shared]
    for j in range(n_out):
        parts.append(Part(None, " = ".join([rf"\act{{a_{{{j + 1}}}^{{({l})}}}}"] + written.each[j]
                                           + [rf"\act{{{a[j]}}}"])))
    kind = "Output Layer" if l == L else f"Hidden Layer {l}"
    prev = "the inputs x" if l == 1 else f"a{usup(l - 1)}"
    touches = Highlight(
        neurons=frozenset([(l - 1, k) for k in range(1, n_in + 1)] + [(l, j) for j in range(1, n_out + 1)]),
        edges=frozenset((l, j, k) for j in range(1, n_out + 1) for k in range(1, n_in + 1)),
        biases=frozenset((l, j) for j in range(1, n_out + 1)),
    )
    return Step(
        f"forward-{l}", f"Forward pass · layer {l}", None,
        f"Layer {l} weighs {prev} with W{usup(l)}, adds the bias b{usup(l)} and applies "
        f"{act.label} to get a{usup(l)}, which the next {'step' if l == L else 'layer'} uses.",
        tuple(parts), touches, f"Layer {l}: {kind}",
    )


def loss_step(P: Printed) -> Step:
    """The loss with numbers, as the loss's registry entry writes it."""
    t = P.t
    L = t.L
    act, loss = ACTIVATIONS[t.activations[L]], LOSSES[t.loss_name]
    line = r"\mathcal{L} = " + loss.written(t.z[L], t.a[L], t.y, act, L)
    touches = Highlight(neurons=frozenset((L, j) for j in range(1, t.sizes[L] + 1)), loss=True)
    return Step(
        "loss", "Loss", None,
        f"The loss compares the output a{usup(L)} with the target y; backpropagation finds how "
        "it changes with every weight.",
        (Part(f"{loss.label}:", loss.formula(act)), Part(None, line)), touches, "Loss Computation",
    )


def at_layer(latex: str, l: int) -> str:
    """A formula written for layer L (``^{(L)}``) written for layer ``l``."""
    return latex.replace("^{(L)}", f"^{{({l})}}")


def _grad_a_lines(P: Printed) -> list[Part]:
    """[∇ₐL]_j = … = its value, for every output, as the loss's registry entry writes it."""
    L = P.t.L
    loss = LOSSES[P.t.loss_name]
    a, y, g = P.a(L), P.y(), P.grad_a()
    return [Part(None, rf"[\nabla_a \mathcal{{L}}]_{{{j + 1}}} = {loss.grad_written(a[j], y[j])} = {g[j]}")
            for j in range(len(g))]


def _delta(L: int, j: int) -> str:
    return rf"\err{{\delta_{{{j + 1}}}^{{({L})}}}}"


def _bp1_hadamard(P: Printed, why: str) -> tuple[str, list[Part]]:
    t = P.t
    L = t.L
    loss, act = LOSSES[t.loss_name], ACTIVATIONS[t.activations[L]]
    a, y, g, sp, d = P.a(L), P.y(), P.grad_a(), P.sp(L), P.delta(L)
    parts = [Part(f"For this loss, {loss.label}:", loss.grad_latex), *_grad_a_lines(P),
             Part(_caption(f"The derivative of {act.label}", kink_note(t, L)), act.prime_latex)]
    parts += [Part(None, line) for line in sigma_prime_lines(P, L)]
    for j in range(len(d)):
        parts.append(Part(None, rf"{_delta(L, j)} = ({loss.grad_written(a[j], y[j])}) \cdot \act{{{sp[j]}}} = "
                                rf"{paren(g[j])} \cdot \act{{{sp[j]}}} = \err{{{d[j]}}}"))
    return why, parts


def _bp1_jacobian(P: Printed, why: str) -> tuple[str, list[Part]]:
    t = P.t
    L = t.L
    a, g, d = P.a(L), P.grad_a(), P.delta(L)
    n = len(a)
    parts = [Part(None, r"\err{\delta_j} = \act{a_j}\left([\nabla_a \mathcal{L}]_j - \sum_i \act{a_i} [\nabla_a \mathcal{L}]_i\right)"),
             *_grad_a_lines(P)]
    s = float(t.a[L] @ t.grad_a)
    S = fmt(s)
    terms = " + ".join(rf"\act{{{a[j]}}} \times {paren(g[j])}" for j in range(n))
    parts.append(Part(None, rf"\sum_i a_i [\nabla_a \mathcal{{L}}]_i = {terms} = {signed_terms(fmt_all(t.a[L] * t.grad_a))} = {S}"))
    diff = fmt_all(t.grad_a - s)
    for j in range(n):
        parts.append(Part(None, rf"{_delta(L, j)} = \act{{{a[j]}}} \times ({g[j]} - {paren(S)}) = \act{{{a[j]}}} \times {paren(diff[j])} = \err{{{d[j]}}}"))
    return why, parts


def _bp1_output_minus_target(P: Printed, why: str) -> tuple[str, list[Part]]:
    L = P.t.L
    a, y, d = P.a(L), P.y(), P.delta(L)
    return why, [Part(None, rf"{_delta(L, j)} = \act{{{a[j]}}} - {paren(y[j])} = \err{{{d[j]}}}")
                 for j in range(len(d))]


def _bp1_softmax_cross_entropy(P: Printed, why: str) -> tuple[str, list[Part]]:
    t = P.t
    sum_y = float(t.y.sum())
    if abs(sum_y - 1.0) <= 1e-12:  # δ = a·Σy − y is a − y
        why = why[:-1] + ", which is aⱼ − yⱼ because the targets sum to 1."
        return why, [Part(None, at_layer(BP1_FORMS["sigmoid", "cross_entropy"].latex, t.L)),
                     *_bp1_output_minus_target(P, why)[1]]
    a, y, d, Sy = P.a(t.L), P.y(), P.delta(t.L), fmt(sum_y)
    why = why[:-1] + ", and these targets do not sum to 1, so the factor Σₖyₖ stays."
    return why, [Part(None, rf"{_delta(t.L, j)} = \act{{{a[j]}}} \times {Sy} - {paren(y[j])} = \err{{{d[j]}}}")
                 for j in range(len(d))]


#: BP1's sentence and worked lines for each form of :data:`~backprop_widgets.core.functions.BP1_FORMS`
_BP1_LINES: dict[str, Callable[[Printed, str], tuple[str, list[Part]]]] = {
    "hadamard": _bp1_hadamard,
    "softmax_jacobian": _bp1_jacobian,
    "sigmoid_cross_entropy": _bp1_output_minus_target,
    "softmax_cross_entropy": _bp1_softmax_cross_entropy,
}


def bp1_step(P: Printed) -> Step:
    """BP1: the output error δ⁽ᴸ⁾ in the form that applies (``trace.bp1_form``)."""
    t = P.t
    L = t.L
    form = bp1_form(t.activations[L], t.loss_name)
    why, lines = _BP1_LINES[form.name](P, form.why)
    touches = Highlight(neurons=frozenset((L, j) for j in range(1, t.sizes[L] + 1)), loss=True)
    return Step("bp1", f"BP1 · output error δ{usup(L)}", "BP1", why,
                (Part(None, at_layer(form.latex, L)), *lines), touches,
                f"Output Error δ{usup(L)} · BP1")


def bp2_step(P: Printed, l: int) -> Step:
    """BP2: δ⁽ˡ⁾ = ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ σ′(z⁽ˡ⁾), the product row by row and the Hadamard product."""
    t = P.t
    n, n_next = t.sizes[l], t.sizes[l + 1]
    W = P.W(l + 1)
    WT = [[W[i][k] for i in range(n_next)] for k in range(n)]
    d_next = [paren(s) for s in P.delta(l + 1)]
    e = t.weights[l].T @ t.delta[l + 1]  # (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾
    E = fmt_all(e)
    prods = fmt_all(t.weights[l] * t.delta[l + 1][:, None])  # w_{i,k} δ_i, row i
    parts = [
        Part(None, r"\err{\boldsymbol{\delta}^{(%d)}} = \left(\wt{(\mathbf{W}^{(%d)})^T}\,\err{\boldsymbol{\delta}^{(%d)}}\right) \odot \act{\sigma'(\mathbf{z}^{(%d)})}" % (l, l + 1, l + 1, l)),
        Part("Matrix transpose:", rf"\wt{{(\mathbf{{W}}^{{({l + 1})}})^T}} = \wt{{{pmatrix2(WT)}}}"),
    ]
    for k in range(n):
        terms = " + ".join(rf"\wt{{{paren(W[i][k])}}} \times \err{{{d_next[i]}}}" for i in range(n_next))
        mid = "" if n_next == 1 else " = " + signed_terms([prods[i * n + k] for i in range(n_next)])
        parts.append(Part("Matrix-vector product, row by row:" if k == 0 else None,
                          rf"[(\mathbf{{W}}^{{({l + 1})}})^T \boldsymbol{{\delta}}^{{({l + 1})}}]_{{{k + 1}}} = {terms}{mid} = {E[k]}"))
    act = ACTIVATIONS[t.activations[l]]
    written = act.prime_written(t.z[l]).each
    sp = P.sp(l)
    segs = [rf"\act{{\sigma'(\mathbf{{z}}^{{({l})}})}}", pmatrix([rf"\sigma'({s})" for s in P.z(l)])]
    if all(written):  # the last, most numeric, expression of each neuron's σ′
        segs.append(pmatrix([w[-1] for w in written]))
    segs.append(rf"\act{{{pmatrix(sp)}}}")
    parts.append(Part(_caption(f"Derivatives of {act.label}", kink_note(t, l)), " = ".join(segs)))
    d = P.delta(l)
    parts.append(Part("Hadamard product:", (
        rf"\err{{\boldsymbol{{\delta}}^{{({l})}}}} = {pmatrix(E)} \odot \act{{{pmatrix(sp)}}} = "
        + pmatrix([rf"{E[j]} \times {sp[j]}" for j in range(n)]) + rf" = \err{{{pmatrix(d)}}}"
    )))
    touches = Highlight(
        neurons=frozenset([(l, j) for j in range(1, n + 1)] + [(l + 1, i) for i in range(1, n_next + 1)]),
        edges=frozenset((l + 1, i, k) for i in range(1, n_next + 1) for k in range(1, n + 1)),
    )
    return Step(
        f"bp2-{l}", f"BP2 · error in layer {l}", "BP2",
        f"BP2 sends the error δ{usup(l + 1)} back through the weights (W{usup(l + 1)})ᵀ and "
        f"scales it by σ′(z{usup(l)}), how much each neuron of layer {l} passes on.",
        tuple(parts), touches, f"Hidden Error δ{usup(l)} · BP2",
    )


def target_gradient_step(P: Printed, p: Param) -> Step:
    """BP3 (weight) or BP4 (bias): the target gradient with numbers."""
    t = P.t
    d = P.delta(p.l)[p.j - 1]
    g = fmt(t.grad(p))
    if p.is_weight:
        src = role(p.l - 1)
        a = P.a(p.l - 1)[p.k - 1]
        line = (rf"\err{{{dL_d(p)}}} = {src}{{{a_sym(p.l - 1, p.k)}}}\,\err{{\delta_{{{p.j}}}^{{({p.l})}}}}"
                rf" = {src}{{{paren(a)}}} \times \err{{{paren(d)}}} = \err{{{g}}}")
        eq = Part(None, r"\err{\frac{\partial \mathcal{L}}{\partial w_{j,k}^{(l)}}} = \act{a_k^{(l-1)}}\,\err{\delta_j^{(l)}}")
        a_u = f"x{usub(p.k)}" if p.l == 1 else f"a{usub(p.k)}{usup(p.l - 1)}"
        text = (f"BP3: a weight's gradient is the activation it multiplies, {a_u}, "
                f"times the error δ{usub(p.j)}{usup(p.l)} at the neuron it feeds.")
        touches = Highlight(neurons=frozenset({(p.l - 1, p.k), (p.l, p.j)}), edges=frozenset({(p.l, p.j, p.k)}))
    else:
        line = rf"\err{{{dL_d(p)}}} = \err{{\delta_{{{p.j}}}^{{({p.l})}}}} = \err{{{g}}}"
        eq = Part(None, r"\err{\frac{\partial \mathcal{L}}{\partial b_j^{(l)}}} = \err{\delta_j^{(l)}}")
        text = (f"BP4: a bias adds straight into z{usub(p.j)}{usup(p.l)}, so its gradient is the "
                f"error δ{usub(p.j)}{usup(p.l)} itself.")
        touches = Highlight(neurons=frozenset({(p.l, p.j)}), biases=frozenset({(p.l, p.j)}))
    tag = "BP3" if p.is_weight else "BP4"
    return Step(tag.lower(), f"{tag} · the target gradient", tag, text, (eq, Part(None, line)),
                touches, f"The Target Gradient · {tag}")


def difference_decimals(num: float, eps: float, losses: tuple[float, float]) -> int:
    """How many decimals L⁺ and L⁻ need for (L⁺ − L⁻)/2ε to show ``num`` as printed (one to
    spare), within the 17 significant digits a double holds (and at most 20 decimals)."""
    shown = fmt(num)
    decimals = (2 - int(np.floor(np.log10(abs(num)))) if "times" in shown
                else len(shown.split(".")[1]))
    decimals += int(np.ceil(-np.log10(2 * eps))) + 1
    top = max(abs(v) for v in losses)
    if top > 0:
        decimals = min(decimals, 16 - int(np.floor(np.log10(top))))
    return int(min(max(decimals, 1), 20))


def check_step(P: Printed, p: Param, numerical: dict, check: GradientCheck,
               threshold: float = CHECK_THRESHOLD) -> Step:
    """Numerical verification: θ ± ε, L⁺, L⁻, the centred difference, the relative error."""
    num, eps = numerical["numerical"], numerical["eps"]
    rel = check.relative_error
    E, T = power_of_ten(eps), power_of_ten(threshold)
    value = P.W(p.l)[p.j - 1][p.k - 1] if p.is_weight else P.b(p.l)[p.j - 1]
    v = numerical["value"]
    num_s = fmt(num)
    losses = numerical["loss_plus"], numerical["loss_minus"]
    dec = difference_decimals(num, eps, losses)
    Lp, Lm = (fixed(L, dec) for L in losses)
    sym = p.latex
    parts = [
        Part(f"Centred difference with ε = {power_of_ten(eps, unicode=True)}:",
             rf"{dL_d(p)} \approx \frac{{\mathcal{{L}}({sym} + \varepsilon) - \mathcal{{L}}({sym} - \varepsilon)}}{{2\varepsilon}}"),
        Part("Nudge the parameter up and run the full forward pass:",
             rf"{sym} + \varepsilon = \wt{{{value}}} + {E} = {shifted(v, eps)}"),
        Part(None, rf"\mathcal{{L}}^+ = \mathcal{{L}}({sym} + \varepsilon) = {Lp}"),
        Part("Nudge it down:",
             rf"{sym} - \varepsilon = \wt{{{value}}} - {E} = {shifted(v, -eps)}"),
        Part(None, rf"\mathcal{{L}}^- = \mathcal{{L}}({sym} - \varepsilon) = {Lm}"),
        Part("The centred difference:",
             rf"\frac{{\mathcal{{L}}^+ - \mathcal{{L}}^-}}{{2\varepsilon}} = \frac{{{Lp} - {paren(Lm)}}}{{2 \times {E}}} = {num_s}"),
        Part(f"Backpropagation gave {fmt(check.analytic, unicode=True)}; the relative error is",
             rf"\frac{{|g_{{\text{{BP}}}} - g_{{\text{{num}}}}|}}{{|g_{{\text{{BP}}}}| + |g_{{\text{{num}}}}|}} = {sci(rel) if rel > 0 else '0.0'} "
             + (rf"< {T} \quad \checkmark" if rel < threshold else rf"\ge {T}")),
    ]
    touches = Highlight(
        edges=frozenset({(p.l, p.j, p.k)}) if p.is_weight else frozenset(),
        biases=frozenset() if p.is_weight else frozenset({(p.l, p.j)}),
        loss=True,
    )
    return Step(
        "check", "Numerical check", None,
        f"Nudging {p.unicode} by ±ε and re-running the network estimates the gradient without "
        f"backpropagation: {check.message} (threshold {power_of_ten(threshold, unicode=True)}).",
        tuple(parts), touches, "Numerical Verification",
    )


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def path_label(i: int) -> str:
    return _LETTERS[i] if i < 26 else str(i + 1)


def paths_step(P: Printed, p: Param, ps: PathSum) -> Step:
    """The gradient as a sum over paths from the parameter to the loss."""
    t = P.t
    L = t.L
    l0 = p.l
    split = t.bp1_form == "hadamard"
    idx = [f"j_{{{m}}}" for m in range(l0 + 1, L + 1)]
    # the general product, with the page's colours
    sym = []
    if p.is_weight:
        sym.append(rf"{role(l0 - 1)}{{{a_sym(l0 - 1, p.k)}}}")
    node = lambda m, j: (rf"\act{{\sigma'(z_{{{j}}}^{{({m})}})}}" if m < L or split  # noqa: E731
                         else rf"\err{{\delta_{{{j}}}^{{({L})}}}}")
    prev = str(p.j)
    sym.append(node(l0, prev))
    for m, jm in zip(range(l0 + 1, L + 1), idx):
        sym.append(rf"\wt{{w_{{{jm},{prev}}}^{{({m})}}}}")
        sym.append(node(m, jm))
        prev = jm
    last = idx[-1] if idx else str(p.j)
    if split:
        sym.append(rf"[\nabla_a \mathcal{{L}}]_{{{last}}}")
    sum_over = rf"\sum_{{{', '.join(idx)}}} " if idx else ""
    caption = "Every path from the parameter to the loss multiplies the local factors along it:"
    if ACTIVATIONS[t.activations[L]].coupled:
        caption = caption.replace(
            "along it:",
            f"along it (the last factor is δ{usup(L)} = ∂L/∂z{usup(L)}, which already accounts "
            "for the coupling of the outputs):")
    parts = [Part(caption, rf"\err{{{dL_d(p)}}} = {sum_over}" + r" \cdot ".join(sym))]
    # printed factors of each shown path
    fac_src = [rf"{role(l0 - 1)}{{{paren(P.a(l0 - 1)[p.k - 1])}}}"] if p.is_weight else []
    values = fmt_all([path.value for path in ps.top])
    for i, path in enumerate(ps.top):
        js = path.neurons
        f = list(fac_src)
        for step_i, m in enumerate(range(l0, L + 1)):
            j = js[step_i] - 1
            if m > l0:
                f.append(rf"\wt{{{paren(P.W(m)[j][js[step_i - 1] - 1])}}}")
            if m < L:
                f.append(rf"\act{{{P.sp(m)[j]}}}")
            elif split:
                f.append(rf"\act{{{P.sp(L)[j]}}}")
                f.append(paren(P.grad_a()[j]))
            else:
                f.append(rf"\err{{{paren(P.delta(L)[j])}}}")
        route = r" \to ".join([p.latex, a_sym(l0, js[0])] + [a_sym(m, js[m - l0]) for m in range(l0 + 1, L + 1)] + [r"\mathcal{L}"])
        parts.append(Part(
            ("Paths:" if ps.count <= len(ps.top) else
             f"The {len(ps.top)} largest of the {ps.count} paths by |contribution|:") if i == 0 else None,
            rf"P_{{\mathrm{{{path_label(i)}}}}} \;({route}) = " + r" \cdot ".join(f) + rf" = \err{{{values[i]}}}",
        ))
    total = fmt(ps.total)
    names = " + ".join(rf"P_{{\mathrm{{{path_label(i)}}}}}" for i in range(len(ps.top)))
    more = ps.count - len(ps.top)
    if more:
        names += rf" + (\text{{{more} more paths}})"
        caption = f"The other {more} paths sum to {fmt(ps.rest, unicode=True)}; all {ps.count} sum to the gradient:"
        terms = values + [fmt(ps.rest)]
    else:
        caption = f"The {ps.count} path{'s sum to' if ps.count > 1 else ' is'} the gradient:"
        terms = values
    parts.append(Part(caption, rf"\err{{{dL_d(p)}}} = {names} = {signed_terms(terms)} = \err{{{total}}}"))
    # touches: every edge on some path, the neurons they join, the parameter and the loss
    touches = paths_highlight(t.sizes, p)
    plural = "one path" if ps.count == 1 else f"{ps.count} paths"
    return Step(
        "paths", "Gradient as a sum over paths", None,
        f"The chain rule adds one product of local factors for each route from {p.unicode} to the "
        f"loss ({plural}); the products sum to the gradient.",
        tuple(parts), touches, "Complete Gradient Chain",
    )


def _cell(values: list[str]) -> str:
    return values[0] if len(values) == 1 else "(" + ", ".join(values) + ")"


def table_step(P: Printed) -> Step:
    """All computed quantities: z, a, σ′ and δ per layer (σ′ blank for a coupled layer, whose BP1
    uses its Jacobian)."""
    t = P.t
    L = t.L
    rows = [("Layer", "z⁽ˡ⁾", "a⁽ˡ⁾", "σ′(z⁽ˡ⁾)", "δ⁽ˡ⁾")]
    tex = [r"l & \mathbf{z}^{(l)} & \act{\mathbf{a}^{(l)}} & \act{\sigma'(\mathbf{z}^{(l)})} & \err{\boldsymbol{\delta}^{(l)}} \\ \hline"]
    u = lambda arr: _cell(fmt_all(arr, unicode=True))  # noqa: E731
    rows.append(("l = 0", "—", u(t.a[0]), "—", "—"))
    tex.append(rf"0 & \text{{--}} & \inp{{{_cell(P.a(0))}}} & \text{{--}} & \text{{--}} \\")
    coupled = []
    for l in range(1, L + 1):
        act = ACTIVATIONS[t.activations[l]]
        if act.coupled:
            coupled.append(act.label)
        sp, sp_tex = ("—", r"\text{--}") if act.coupled else (u(t.sigma_prime[l]), rf"\act{{{_cell(P.sp(l))}}}")
        rows.append((f"l = {l}", u(t.z[l]), u(t.a[l]), sp, u(t.delta[l])))
        tex.append(rf"{l} & {_cell(P.z(l))} & \act{{{_cell(P.a(l))}}} & {sp_tex} & \err{{{_cell(P.delta(l))}}} \\")
    latex = r"\begin{array}{c|c|c|c|c} " + " ".join(tex) + r" \end{array}"
    neurons = frozenset((l, j) for l in range(L + 1) for j in range(1, t.sizes[l] + 1))
    note = "".join(f"; the {label} layer has no elementwise σ′, as BP1 uses its Jacobian" for label in coupled)
    return Step(
        "table", "All quantities", None,
        f"Every number of the forward and backward pass, layer by layer, for looking things up{note}.",
        (Part(None, latex),), Highlight(neurons=neurons), "All Computed Quantities", tuple(rows),
    )


#: BP2–BP4 (tag, name, what it does, formula): one form for every network
EQUATIONS = (
    ("BP2", "error propagation", "backpropagate through layers",
     r"\err{\boldsymbol{\delta}^{(l)}} = \left((\wt{\mathbf{W}^{(l+1)}})^T \err{\boldsymbol{\delta}^{(l+1)}}\right) \odot \act{\sigma'(\mathbf{z}^{(l)})}"),
    ("BP3", "weight gradient", "gradient with respect to any weight",
     r"\err{\frac{\partial \mathcal{L}}{\partial w_{j,k}^{(l)}}} = \act{a_k^{(l-1)}}\,\err{\delta_j^{(l)}}"),
    ("BP4", "bias gradient", "gradient with respect to any bias",
     r"\err{\frac{\partial \mathcal{L}}{\partial b_j^{(l)}}} = \err{\delta_j^{(l)}}"),
)


def bp1_reference(output: str, loss: str) -> Part:
    """BP1 as it applies to this output and loss, with the general form beside a special one."""
    form = bp1_form(output, loss)
    caption = "BP1 · output error: the error at the output layer"
    if form is HADAMARD:
        return Part(caption + ".", form.latex)
    pair = f"{output} outputs with {LOSSES[loss].text}"
    if form.general:
        return Part(f"{caption}, in the form it takes for {pair}, beside the general form it "
                    "simplifies.", rf"{form.latex} \qquad \text{{from}} \qquad {form.general}")
    return Part(f"{caption}, as it is for {pair}: the elementwise ∇ₐL ⊙ σ′(zᴸ) holds only when "
                "each output depends on its own z alone.", form.latex)


def reference_parts(output: str, loss: str) -> tuple[Part, ...]:
    """The four equations, BP1 in the form that applies to this output and loss."""
    return (bp1_reference(output, loss),
            *(Part(f"{tag} · {name}: {what}.", latex) for tag, name, what, latex in EQUATIONS))


def reference_step(t: Trace) -> Step:
    """The quick reference: forward pass, backward pass, then BP3 (or BP4)."""
    return Step(
        "reference", "Quick reference", None,
        "To get any gradient: run the forward pass, then BP1 and BP2 back to the parameter's "
        "layer, then BP3 for a weight or BP4 for a bias.",
        reference_parts(t.activations[t.L], t.loss_name), Highlight(), "Quick Reference",
    )


# --- each step's result, in one line -------------------------------------------------------


def _vector(values: list[str]) -> str:
    return values[0] if len(values) == 1 else pmatrix(values)


def result_line(step_id: str, P: Printed, p: Param, check: GradientCheck) -> str | None:
    """The value a step computes, as one line for the top of its panel: a⁽ˡ⁾ for a forward
    step, L, δ⁽ˡ⁾ for BP1 and BP2, the target's gradient for BP3/BP4, the check and the path
    sum; ``None`` for the table and the reference."""
    t = P.t
    kind, _, arg = step_id.partition("-")
    l = int(arg) if arg else t.L

    def vector(symbol: str, values: list[str]) -> tuple[str, str]:
        if len(values) == 1:
            return f"{symbol}_1^{{({l})}}", values[0]
        return rf"\mathbf{{{symbol}}}^{{({l})}}", r"\left(" + r",\; ".join(values) + r"\right)"

    if kind == "forward":
        lhs, rhs = vector("a", P.a(l))
        return rf"\act{{{lhs}}} = \act{{{rhs}}}"
    if kind in ("bp1", "bp2"):
        lhs, rhs = vector(r"\delta", P.delta(l))
        return rf"\err{{{lhs}}} = \err{{{rhs}}}".replace(r"\mathbf{\delta}", r"\boldsymbol{\delta}")
    if kind == "loss":
        return rf"\mathcal{{L}} = {fmt(t.loss)}"
    if kind in ("bp3", "bp4", "paths"):
        return rf"\err{{{dL_d(p)}}} = \err{{{fmt(t.grad(p))}}}"
    if kind == "check":
        mark = r" \quad \checkmark" if check.passed else ""
        return rf"\frac{{\mathcal{{L}}^+ - \mathcal{{L}}^-}}{{2\varepsilon}} = {fmt(check.numerical)}{mark}"
    return None
