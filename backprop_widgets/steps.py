"""The steps of a worked example: pure functions of a trace → coloured LaTeX.

Every number printed here comes from :class:`~backprop_widgets.core.Trace` (or, for the
numerical check, from :meth:`Network.numerical_gradient_of`); the only arithmetic done here
splits a printed result into the terms a reader re-adds (the products w·a of a weighted sum,
the products of BP2's matrix-vector product, the factors of a path). Formulas are written
with the colour macros ``\\inp``, ``\\wt``, ``\\act``, ``\\err`` (see :mod:`.palette`).

Arithmetic lines are chains ``lhs = terms = … = result`` in which every number is printed
by :func:`.numfmt.fmt`; each chain holds within display rounding (tests parse them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple

import numpy as np

from .core import SUPERSCRIPT, Param, Trace, check_gradient, sub, sup
from .functions import ACTIVATIONS, LOSSES, SOFTMAX_CROSS_ENTROPY_LATEX
from .highlight import Highlight, paths_highlight
from .numfmt import fmt, fmt_all, paren, sci, signed_terms
from .paths import PathSum

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

    def one_minus_a(self, l: int) -> list[str]:
        return self._get(("1-a", l), lambda: fmt_all(1.0 - self.t.a[l]))

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


# --- σ′ written out for one neuron -----------------------------------------------------------


def sigma_prime_expansion(P: Printed, l: int, j: int) -> list[str]:
    """The segments of σ′(z_j⁽ˡ⁾) written out, ending with its printed value (0-based ``j``).

    Sigmoid: σ(z)(1 − σ(z)) = a·(1 − a); tanh: 1 − a²; ReLU: 1 or 0 by the sign of z;
    linear: 1; softmax: the Jacobian's diagonal a(1 − a).
    """
    name = P.t.activations[l]
    z, a, sp = P.z(l)[j], P.a(l)[j], P.sp(l)[j]
    if name in ("sigmoid", "softmax"):
        return [rf"\sigma({z})\,(1 - \sigma({z}))", rf"{a} \cdot {P.one_minus_a(l)[j]}", sp]
    if name == "tanh":
        return [rf"1 - \tanh^2({z})", rf"1 - {paren(a)}^2", sp]
    if name == "relu":
        cond = ">" if P.t.z[l][j] > 0 else r"\le"
        return [rf"{sp} \quad (z = {z} {cond} 0)"]
    return [sp]  # linear: σ′ = 1


# --- the steps -------------------------------------------------------------------------------


def forward_step(P: Printed, l: int) -> Step:
    """Forward pass through layer l: z_j⁽ˡ⁾ = Σ_k w_{j,k}⁽ˡ⁾ a_k⁽ˡ⁻¹⁾ + b_j⁽ˡ⁾ term by term, a⁽ˡ⁾ = σ(z⁽ˡ⁾)."""
    t = P.t
    L = t.L
    n_out, n_in = t.sizes[l], t.sizes[l - 1]
    name = t.activations[l]
    act = ACTIVATIONS[name]
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
    lhs = lambda j: rf"\act{{a_{{{j + 1}}}^{{({l})}}}}"  # noqa: E731
    if name == "sigmoid":
        for j in range(n_out):
            parts.append(Part(None, rf"{lhs(j)} = \sigma({z[j]}) = \frac{{1}}{{1 + e^{{{fmt(-t.z[l][j])}}}}} = \act{{{a[j]}}}"))
    elif name == "tanh":
        for j in range(n_out):
            parts.append(Part(None, rf"{lhs(j)} = \tanh({z[j]}) = \act{{{a[j]}}}"))
    elif name == "relu":
        for j in range(n_out):
            parts.append(Part(None, rf"{lhs(j)} = \max(0, {z[j]}) = \act{{{a[j]}}}"))
    elif name == "softmax":
        with np.errstate(over="ignore"):
            e = np.exp(t.z[l])
        if np.isfinite(e.sum()):
            E = fmt_all(e)
            S = fmt(e.sum())
            exps = " + ".join(rf"e^{{{s}}}" for s in z)
            parts.append(Part("Softmax divides each exponential by their sum:",
                              rf"\sum_i e^{{z_i^{{({l})}}}} = {exps} = {signed_terms(E)} = {S}"))
            for j in range(n_out):
                parts.append(Part(None, rf"{lhs(j)} = \frac{{e^{{{z[j]}}}}}{{{S}}} = \frac{{{E[j]}}}{{{S}}} = \act{{{a[j]}}}"))
        else:
            for j in range(n_out):
                parts.append(Part(None, rf"{lhs(j)} = \act{{{a[j]}}}"))
    else:  # linear
        for j in range(n_out):
            parts.append(Part(None, rf"{lhs(j)} = z_{{{j + 1}}}^{{({l})}} = \act{{{a[j]}}}"))
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
    """The loss with numbers."""
    t = P.t
    L = t.L
    a, y = P.a(L), P.y()
    n = t.sizes[L]
    if t.loss_name == "mse":
        latex = LOSSES["mse"].latex
        diffs = " + ".join(rf"(\act{{{a[j]}}} - {paren(y[j])})^2" for j in range(n))
        squares = signed_terms(fmt_all((t.a[L] - t.y) ** 2))
        line = rf"\mathcal{{L}} = 0.5 \times \left({diffs}\right) = 0.5 \times \left({squares}\right) = {fmt(t.loss)}"
    else:
        softmax = t.activations[L] == "softmax"
        latex = SOFTMAX_CROSS_ENTROPY_LATEX if softmax else LOSSES["cross_entropy"].latex
        one_minus = P.one_minus_a(L)
        z = t.z[L]
        # ln a and ln(1 − a) from z, stably; where the printed a or 1 − a would be 0.0 (a
        # saturated output) the term shows its logarithm's value instead of "ln 0.0"
        if softmax:
            m = z.max()
            log_a = z - (m + np.log(np.exp(z - m).sum()))
        else:
            log_a = -np.logaddexp(0.0, -z)
        log_1ma = -np.logaddexp(0.0, z)

        def ln(printed: str, shown: str, label: str, value: float) -> str:
            if float(printed) >= 1e-4:
                return rf"\ln {shown}"
            return rf"\underbrace{{\ln {label}}}_{{{fmt(value)}}}"

        terms = []
        for j in range(n):
            yj = float(t.y[j])
            a_lbl = rf"a_{{{j + 1}}}^{{({L})}}"
            if yj != 0.0:
                terms.append(("" if yj == 1.0 else rf"{y[j]} \times ")
                             + ln(a[j], rf"\act{{{a[j]}}}", rf"\act{{{a_lbl}}}", log_a[j]))
            if not softmax and yj != 1.0:
                coef = fmt(1.0 - yj)
                terms.append(("" if yj == 0.0 else rf"{coef} \times ")
                             + ln(one_minus[j], one_minus[j], rf"(1 - \act{{{a_lbl}}})", log_1ma[j]))
        inner = " + ".join(terms) if terms else "0"
        line = rf"\mathcal{{L}} = -\left({inner}\right) = {fmt(t.loss)}"
    touches = Highlight(neurons=frozenset((L, j) for j in range(1, n + 1)), loss=True)
    return Step(
        "loss", "Loss", None,
        f"The loss compares the output a{usup(L)} with the target y; backpropagation finds how "
        "it changes with every weight.",
        (Part(f"{LOSSES[t.loss_name].label}:", latex), Part(None, line)), touches, "Loss Computation",
    )


def bp1_step(P: Printed) -> Step:
    """BP1: the output error δ⁽ᴸ⁾ in the form that applies (``trace.bp1_form``)."""
    t = P.t
    L = t.L
    n = t.sizes[L]
    a, y, d, g = P.a(L), P.y(), P.delta(L), P.grad_a()
    delta = lambda j: rf"\err{{\delta_{{{j + 1}}}^{{({L})}}}}"  # noqa: E731
    form = t.bp1_form
    parts: list[Part] = []
    if form == "hadamard":
        why = "BP1: how the loss changes with each output, times how each output changes with its z."
        parts.append(Part(None, r"\err{\boldsymbol{\delta}^{(%d)}} = \nabla_a \mathcal{L} \odot \act{\sigma'(\mathbf{z}^{(%d)})}" % (L, L)))
        parts.append(Part(f"For this loss, {LOSSES[t.loss_name].label}:", LOSSES[t.loss_name].grad_latex))
        mse = t.loss_name == "mse"
        for j in range(n):
            if mse:
                parts.append(Part(None, rf"[\nabla_a \mathcal{{L}}]_{{{j + 1}}} = \act{{{a[j]}}} - {paren(y[j])} = {g[j]}"))
        parts.append(Part(f"The derivative of {ACTIVATIONS[t.activations[L]].label}:",
                          ACTIVATIONS[t.activations[L]].prime_latex))
        for j in range(n):
            segs = sigma_prime_expansion(P, L, j)
            segs[-1] = rf"\act{{{segs[-1]}}}"
            parts.append(Part(None, rf"\act{{\sigma'(z_{{{j + 1}}}^{{({L})}})}} = " + " = ".join(segs)))
        for j in range(n):
            first = rf"(\act{{{a[j]}}} - {paren(y[j])}) \cdot \act{{{P.sp(L)[j]}}} = " if mse else ""
            parts.append(Part(None, rf"{delta(j)} = {first}{paren(g[j])} \cdot \act{{{P.sp(L)[j]}}} = \err{{{d[j]}}}"))
    elif form == "softmax_jacobian":
        why = ("Softmax couples the outputs, so BP1 multiplies ∇ₐL by the softmax Jacobian "
               "J = diag(a) − a aᵀ instead of an elementwise σ′.")
        parts.append(Part(None, r"\err{\boldsymbol{\delta}^{(%d)}} = J^T \nabla_a \mathcal{L}, \quad \err{\delta_j} = \act{a_j}\left([\nabla_a \mathcal{L}]_j - \sum_i \act{a_i} [\nabla_a \mathcal{L}]_i\right)" % L))
        for j in range(n):
            parts.append(Part(None, rf"[\nabla_a \mathcal{{L}}]_{{{j + 1}}} = \act{{{a[j]}}} - {paren(y[j])} = {g[j]}"))
        s = float(t.a[L] @ t.grad_a)
        S = fmt(s)
        prods = fmt_all(t.a[L] * t.grad_a)
        terms = " + ".join(rf"\act{{{a[j]}}} \times {paren(g[j])}" for j in range(n))
        parts.append(Part(None, rf"\sum_i a_i [\nabla_a \mathcal{{L}}]_i = {terms} = {signed_terms(prods)} = {S}"))
        diff = fmt_all(t.grad_a - s)
        for j in range(n):
            parts.append(Part(None, rf"{delta(j)} = \act{{{a[j]}}} \times ({g[j]} - {paren(S)}) = \act{{{a[j]}}} \times {paren(diff[j])} = \err{{{d[j]}}}"))
    else:
        softmax = form == "softmax_cross_entropy"
        if softmax:
            why = ("With softmax and cross-entropy the Jacobian sum collapses: δⱼ = aⱼ·Σᵢyᵢ − yⱼ, "
                   + ("which is aⱼ − yⱼ because the targets sum to 1." if abs(float(t.y.sum()) - 1.0) <= 1e-12
                      else "and these targets do not sum to 1, so the factor Σᵢyᵢ stays."))
        else:
            why = ("With a sigmoid output, cross-entropy's ∂L/∂a = (a − y)/(a(1 − a)) and "
                   "σ′(z) = a(1 − a) cancel, so δᴸ = aᴸ − y.")
        sum_y = float(t.y.sum())
        if softmax and abs(sum_y - 1.0) > 1e-12:
            parts.append(Part(None, r"\err{\delta_j^{(%d)}} = \act{a_j} \sum_i y_i - y_j" % L))
            Sy = fmt(sum_y)
            for j in range(n):
                parts.append(Part(None, rf"{delta(j)} = \act{{{a[j]}}} \times {Sy} - {paren(y[j])} = \err{{{d[j]}}}"))
        else:
            parts.append(Part(None, r"\err{\boldsymbol{\delta}^{(%d)}} = \act{\mathbf{a}^{(%d)}} - \mathbf{y}" % (L, L)))
            for j in range(n):
                parts.append(Part(None, rf"{delta(j)} = \act{{{a[j]}}} - {paren(y[j])} = \err{{{d[j]}}}"))
    touches = Highlight(neurons=frozenset((L, j) for j in range(1, n + 1)), loss=True)
    return Step("bp1", f"BP1 · output error δ{usup(L)}", "BP1", why, tuple(parts), touches,
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
    name = t.activations[l]
    exp = [sigma_prime_expansion(P, l, j) for j in range(n)]
    sp = P.sp(l)
    segs = [rf"\act{{\sigma'(\mathbf{{z}}^{{({l})}})}}"]
    if name in ("sigmoid", "tanh"):
        segs.append(pmatrix([rf"\sigma'({s})" for s in P.z(l)]))
        segs.append(pmatrix([x[1] for x in exp]))
    segs.append(rf"\act{{{pmatrix(sp)}}}")
    parts.append(Part(f"Derivatives of {ACTIVATIONS[name].label}:", " = ".join(segs)))
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


def gradient_step(P: Printed, p: Param) -> Step:
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


def _power_of_ten(eps: float) -> str:
    e = np.log10(eps)
    return f"10^{{{int(round(e))}}}" if abs(e - round(e)) < 1e-9 else fmt(eps)


def _power_of_ten_unicode(eps: float) -> str:
    e = np.log10(eps)
    if abs(e - round(e)) < 1e-9:
        return "10" + str(int(round(e))).translate(SUPERSCRIPT)
    return fmt(eps, unicode=True)


def check_step(P: Printed, p: Param, numerical: dict, threshold: float = 1e-5) -> Step:
    """Numerical verification: θ ± ε, L⁺, L⁻, the centred difference, the relative error."""
    t = P.t
    g = t.grad(p)
    num = numerical["numerical"]
    eps = numerical["eps"]
    check = check_gradient(t, p, num, eps, threshold)
    rel = check.relative_error
    E = _power_of_ten(eps)
    value = P.W(p.l)[p.j - 1][p.k - 1] if p.is_weight else P.b(p.l)[p.j - 1]
    v = numerical["value"]
    num_s = fmt(num)
    # print L± with enough decimals that their difference divided by 2ε shows num's digits
    if "times" in num_s:
        dec_num = 2 - int(np.floor(np.log10(abs(num))))
    else:
        dec_num = len(num_s.split(".")[1])
    dec = int(min(16, dec_num + np.ceil(-np.log10(2 * eps)) + 1))
    Lp, Lm = "%.*f" % (dec, numerical["loss_plus"]), "%.*f" % (dec, numerical["loss_minus"])
    sym = p.latex
    parts = [
        Part(f"Centred difference with ε = {_power_of_ten_unicode(eps)}:",
             rf"{dL_d(p)} \approx \frac{{\mathcal{{L}}({sym} + \varepsilon) - \mathcal{{L}}({sym} - \varepsilon)}}{{2\varepsilon}}"),
        Part("Nudge the parameter up and run the full forward pass:",
             rf"{sym} + \varepsilon = \wt{{{value}}} + {E} = {'%.15g' % (v + eps)}"),
        Part(None, rf"\mathcal{{L}}^+ = \mathcal{{L}}({sym} + \varepsilon) = {Lp}"),
        Part("Nudge it down:",
             rf"{sym} - \varepsilon = \wt{{{value}}} - {E} = {'%.15g' % (v - eps)}"),
        Part(None, rf"\mathcal{{L}}^- = \mathcal{{L}}({sym} - \varepsilon) = {Lm}"),
        Part("The centred difference:",
             rf"\frac{{\mathcal{{L}}^+ - \mathcal{{L}}^-}}{{2\varepsilon}} = \frac{{{Lp} - {Lm}}}{{2 \times {E}}} = {num_s}"),
        Part(f"Backpropagation gave {fmt(g, unicode=True)}; the relative error is",
             rf"\frac{{|g_{{\text{{BP}}}} - g_{{\text{{num}}}}|}}{{|g_{{\text{{BP}}}}| + |g_{{\text{{num}}}}|}} = {sci(rel) if rel > 0 else '0.0'} "
             + (r"< 10^{-5} \quad \checkmark" if rel < threshold else r"\ge 10^{-5}")),
    ]
    verdict = check.message
    touches = Highlight(
        edges=frozenset({(p.l, p.j, p.k)}) if p.is_weight else frozenset(),
        biases=frozenset() if p.is_weight else frozenset({(p.l, p.j)}),
        loss=True,
    )
    return Step(
        "check", "Numerical check", None,
        f"Nudging {p.unicode} by ±ε and re-running the network estimates the gradient without "
        f"backpropagation: {verdict} (threshold 10⁻⁵).",
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
    parts = [Part(
        "Every path from the parameter to the loss multiplies the local factors along it:",
        rf"\err{{{dL_d(p)}}} = {sum_over}" + r" \cdot ".join(sym),
    )]
    if not split:
        parts[0] = parts[0]._replace(caption=parts[0].caption.replace(
            "along it:",
            f"along it (the last factor is δ{usup(L)} = ∂L/∂z{usup(L)}, which already accounts "
            "for the coupling of the outputs):" if t.activations[L] == "softmax" else "along it:"))
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
    """All computed quantities: z, a, σ′ and δ per layer."""
    t = P.t
    L = t.L
    rows = [("Layer", "z⁽ˡ⁾", "a⁽ˡ⁾", "σ′(z⁽ˡ⁾)", "δ⁽ˡ⁾")]
    tex = [r"l & \mathbf{z}^{(l)} & \act{\mathbf{a}^{(l)}} & \act{\sigma'(\mathbf{z}^{(l)})} & \err{\boldsymbol{\delta}^{(l)}} \\ \hline"]
    u = lambda arr: _cell(fmt_all(arr, unicode=True))  # noqa: E731
    rows.append(("l = 0", "—", u(t.a[0]), "—", "—"))
    tex.append(rf"0 & \text{{--}} & \inp{{{_cell(P.a(0))}}} & \text{{--}} & \text{{--}} \\")
    for l in range(1, L + 1):
        rows.append((f"l = {l}", u(t.z[l]), u(t.a[l]), u(t.sigma_prime[l]), u(t.delta[l])))
        tex.append(rf"{l} & {_cell(P.z(l))} & \act{{{_cell(P.a(l))}}} & \act{{{_cell(P.sp(l))}}} & \err{{{_cell(P.delta(l))}}} \\")
    latex = r"\begin{array}{c|c|c|c|c} " + " ".join(tex) + r" \end{array}"
    neurons = frozenset((l, j) for l in range(L + 1) for j in range(1, t.sizes[l] + 1))
    return Step(
        "table", "All quantities", None,
        "Every number of the forward and backward pass, layer by layer, for looking things up.",
        (Part(None, latex),), Highlight(neurons=neurons), "All Computed Quantities", tuple(rows),
    )


REFERENCE = (
    Part("BP1 · output error: the error at the output layer.",
         r"\err{\boldsymbol{\delta}^{(L)}} = \nabla_a \mathcal{L} \odot \act{\sigma'(\mathbf{z}^{(L)})}"),
    Part("BP2 · error propagation: backpropagate through layers.",
         r"\err{\boldsymbol{\delta}^{(l)}} = \left((\wt{\mathbf{W}^{(l+1)}})^T \err{\boldsymbol{\delta}^{(l+1)}}\right) \odot \act{\sigma'(\mathbf{z}^{(l)})}"),
    Part("BP3 · weight gradient: gradient with respect to any weight.",
         r"\err{\frac{\partial \mathcal{L}}{\partial w_{j,k}^{(l)}}} = \act{a_k^{(l-1)}}\,\err{\delta_j^{(l)}}"),
    Part("BP4 · bias gradient: gradient with respect to any bias.",
         r"\err{\frac{\partial \mathcal{L}}{\partial b_j^{(l)}}} = \err{\delta_j^{(l)}}"),
)


def reference_step() -> Step:
    """The quick reference: forward pass, backward pass, then BP3 (or BP4)."""
    return Step(
        "reference", "Quick reference", None,
        "To get any gradient: run the forward pass, then BP1 and BP2 back to the parameter's "
        "layer, then BP3 for a weight or BP4 for a bias.",
        REFERENCE, Highlight(), "Quick Reference",
    )
