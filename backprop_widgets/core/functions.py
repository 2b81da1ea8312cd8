"""Registries of activations and losses: each function beside its derivative and its page text.

numpy only (and :mod:`.numfmt`, the page's number format). Every function works on a single
vector (shape ``(n,)``) or on a batch (shape ``(P, n)``): the last axis is always the neuron
index ``j``.

A registry entry carries everything the page says about its name: an :class:`Activation` brings
σ and σ′, their formulas, both written out with this network's numbers, its kinks and its output
range; a :class:`Loss` brings L, ∇ₐL, their formulas, the outputs and targets it accepts and a
bound on its own rounding error. Where an output and a loss simplify BP1 together, the form is
one entry of :data:`BP1_FORMS`. Nothing else branches on these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence, TypeVar

import numpy as np

from .numfmt import exponent, fmt, fmt_all, paren, signed_terms

Array = np.ndarray
#: a number or an array: an elementwise function returns the kind it is given
FloatOrArray = TypeVar("FloatOrArray", float, Array)
#: unit roundoff of float64: each rounded operation is off by at most this fraction
UNIT_ROUNDOFF = np.finfo(float).eps / 2


class Written(NamedTuple):
    """A function of one layer written out with its numbers.

    shared : (caption, LaTeX) lines shown once for the layer (softmax's sum of exponentials)
    each : for neuron j, the expressions shown between ``a_j =`` (or ``σ′(z_j) =``) and the
        printed value; every one is equal to it at the precision shown
    """

    shared: Sequence[tuple[str | None, str]]
    each: list[list[str]]


def elementwise(write: Callable[[float], list[str]]) -> Callable[[Array], Written]:
    """A layer's write-out from one neuron's: ``write(z_j)`` gives that neuron's expressions."""
    return lambda z: Written([], [write(float(v)) for v in z])


NOTHING_WRITTEN = elementwise(lambda z: [])


# --- activations -----------------------------------------------------------------------------


def _sigmoid(z: FloatOrArray) -> FloatOrArray:
    # σ(z) = 1 / (1 + e^{-z}). For z < −709, e^{-z} overflows to inf and σ = 1/inf = 0 exactly,
    # which is the right value (relative accuracy holds everywhere); only the warning is silenced.
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def _sigmoid_prime(z: Array, a: Array) -> Array:
    # σ′(z) = σ(z)(1 − σ(z)) = σ(z)σ(−z): from z, so that a saturated unit keeps its digits
    return _sigmoid(z) * _sigmoid(-z)


def _tanh_complement(z: FloatOrArray) -> FloatOrArray:
    # 1 − tanh|z| = 2e^{−2|z|} / (1 + e^{−2|z|}), without cancellation
    t = np.exp(-2.0 * np.abs(z))
    return 2.0 * t / (1.0 + t)


def _tanh_one_minus(z: Array) -> Array:
    # 1 − tanh z: 1 − tanh|z| for z > 0, 1 + tanh|z| for z ≤ 0
    c = _tanh_complement(z)
    return np.where(np.asarray(z) > 0, c, 2.0 - c)


def _tanh_prime(z: Array, a: Array) -> Array:
    # tanh′(z) = 1 − tanh²(z) = (1 − tanh|z|)(1 + tanh|z|), from z
    c = _tanh_complement(z)
    return c * (2.0 - c)


def _relu_prime(z: Array, a: Array) -> Array:
    # ReLU′(z) = 1 for z > 0, else 0 (the usual convention at the kink z = 0)
    return (np.asarray(z) > 0).astype(float)


def _softmax(z: Array) -> Array:
    # softmax(z)_j = e^{z_j} / Σ_i e^{z_i}, shifted by max(z) so that nothing overflows
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _others(v: Array) -> Array:
    # Σ_{k≠j} v_k for every j, summed rather than subtracted from the total: no cancellation
    return v @ (1.0 - np.eye(v.shape[-1]))


def _softmax_prime(z: Array, a: Array) -> Array:
    # the diagonal of the Jacobian ∂a_j/∂z_j = a_j(1 − a_j), 1 − a_j = Σ_{k≠j} a_k; the full
    # Jacobian is diag(a) − a aᵀ
    a = _softmax(z)
    return a * _others(a)


def _log_softmax(z: Array) -> Array:
    # ln a_j = (z_j − m) − ln Σ_i e^{z_i − m} with m = max z. The largest term of the sum is 1
    # exactly, so ln Σ = log1p(the others): a confident output's loss keeps all its digits
    k = np.argmax(z, axis=-1)[..., None]
    m = np.take_along_axis(z, k, axis=-1)
    e = np.exp(z - m)
    np.put_along_axis(e, k, 0.0, axis=-1)
    return (z - m) - np.log1p(np.sum(e, axis=-1, keepdims=True))


def _write_sigmoid(z: float) -> list[str]:
    return [rf"\sigma({fmt(z)})", rf"\frac{{1}}{{1 + e^{{{exponent(-z)}}}}}"]


def _write_sigmoid_prime(z: float) -> list[str]:
    a, one_minus_a = _sigmoid(np.float64(z)), _sigmoid(np.float64(-z))
    s = fmt(z)
    return [rf"\sigma({s})\,(1 - \sigma({s}))", rf"{paren(fmt(a))} \cdot {paren(fmt(one_minus_a))}"]


def _write_tanh_prime(z: float) -> list[str]:
    s = fmt(z)
    c = float(_tanh_complement(np.float64(z)))
    if c >= 1e-3:  # 1 − a² from the printed a keeps its digits
        return [rf"1 - \tanh^2({s})", rf"1 - {paren(fmt(np.tanh(z)))}^2"]
    # a saturated unit: 1 − a² = (1 − |a|)(1 + |a|), with 1 − |a| from z
    r = fmt(abs(z))
    return [rf"1 - \tanh^2({s})", rf"(1 - \tanh {r})\,(1 + \tanh {r})",
            rf"{paren(fmt(c))} \times {fmt(2.0 - c)}"]


def _write_softmax(z: Array) -> Written:
    with np.errstate(over="ignore"):
        e = np.exp(z)
    if not np.isfinite(e.sum()):  # e^z overflows: give the values only
        return Written([], [[] for _ in z])
    E, S = fmt_all(e), fmt(e.sum())
    exps = " + ".join(rf"e^{{{exponent(v)}}}" for v in z)
    shared = [("Softmax divides each exponential by their sum:",
               rf"\sum_i e^{{z_i}} = {exps} = {signed_terms(E)} = {S}")]
    return Written(shared, [[rf"\frac{{e^{{{exponent(v)}}}}}{{{S}}}", rf"\frac{{{E[j]}}}{{{S}}}"]
                            for j, v in enumerate(z)])


@dataclass(frozen=True)
class Activation:
    """An activation σ with everything the page says about it.

    f : a = σ(z)
    prime : σ′(z, a), elementwise, computed from z so that tiny slopes keep their digits (for a
        coupled σ: the Jacobian's diagonal)
    latex, prime_latex : the formulas σ(z) = … and σ′(z) = …
    written, prime_written : σ and σ′ of a layer written out with its numbers (:class:`Written`)
    kinks : the z where σ′ jumps; there backprop uses ``prime(kink)``, by convention
    range : (lo, hi), the interval the outputs lie in (a loss may need it inside its own)
    coupled : every output depends on every z (softmax): σ′ is a Jacobian, not elementwise, and
        the outputs sum to 1
    complement : 1 − σ(z) computed from z, for outputs that approach 1 (``None``: 1 − a)
    log, log1m : for outputs in (0, 1), ln σ(z) and ln(1 − σ(z)) computed from z (``None``:
        from a)
    """

    name: str
    label: str
    f: Callable[[Array], Array]
    prime: Callable[[Array, Array], Array]
    latex: str
    prime_latex: str
    written: Callable[[Array], Written]
    prime_written: Callable[[Array], Written] = NOTHING_WRITTEN
    kinks: tuple[float, ...] = ()
    range: tuple[float, float] = (-np.inf, np.inf)
    coupled: bool = False
    output_only: bool = False
    complement: Callable[[Array], Array] | None = None
    log: Callable[[Array], Array] | None = None
    log1m: Callable[[Array], Array] | None = None

    def slopes_at(self, kink: float) -> tuple[float, float]:
        """σ′ just left and just right of a kink."""
        h = 1e-9 * max(1.0, abs(kink))
        z = np.array([kink - h, kink + h])
        left, right = self.prime(z, self.f(z))
        return float(left), float(right)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid", "sigmoid σ", _sigmoid, _sigmoid_prime,
        r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
        elementwise(_write_sigmoid), elementwise(_write_sigmoid_prime), range=(0.0, 1.0),
        complement=lambda z: _sigmoid(-z),
        log=lambda z: -np.logaddexp(0.0, -z), log1m=lambda z: -np.logaddexp(0.0, z),
    ),
    "tanh": Activation(
        "tanh", "tanh", np.tanh, _tanh_prime,
        r"\sigma(z) = \tanh z", r"\sigma'(z) = 1 - \tanh^2 z",
        elementwise(lambda z: [rf"\tanh({fmt(z)})"]), elementwise(_write_tanh_prime),
        range=(-1.0, 1.0), complement=_tanh_one_minus,
    ),
    "relu": Activation(
        "relu", "ReLU", lambda z: np.maximum(z, 0.0), _relu_prime,
        r"\sigma(z) = \max(0, z)", r"\sigma'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
        elementwise(lambda z: [rf"\max(0, {fmt(z)})"]), kinks=(0.0,), range=(0.0, np.inf),
    ),
    "linear": Activation(
        "linear", "linear (identity)", lambda z: np.array(z, dtype=float, copy=True),
        lambda z, a: np.ones_like(z, dtype=float),
        r"\sigma(z) = z", r"\sigma'(z) = 1", NOTHING_WRITTEN,
    ),
    "softmax": Activation(
        "softmax", "softmax", _softmax, _softmax_prime,
        r"\sigma(\mathbf{z})_j = \frac{e^{z_j}}{\sum_i e^{z_i}}",
        r"\frac{\partial a_j}{\partial z_i} = a_j\,([i = j] - a_i)",
        _write_softmax, range=(0.0, 1.0), coupled=True, output_only=True,
        complement=lambda z: _others(_softmax(z)), log=_log_softmax,
    ),
}

HIDDEN_ACTIVATIONS = tuple(name for name, act in ACTIVATIONS.items() if not act.output_only)


# --- losses ----------------------------------------------------------------------------------


def rounding_of(z: Array, a: Array) -> Array:
    """A bound on the floating-point error of a = σ(z): a few units of roundoff of |a| (for
    softmax also its sum of n terms and e^{z − max z}, whose argument is off by |z − max z| units)."""
    return UNIT_ROUNDOFF * np.abs(a) * (4 + a.shape[-1] + 2 * np.abs(z).max())


def residual(z: Array, a: Array, y: Array, act: Activation) -> Array:
    """a − y, as (1 − y) − (1 − a) with 1 − a from z where a is near 1, so that a saturated
    output that meets its target keeps its digits."""
    if act.complement is None:
        return a - y
    return np.where(a > 0.5, (1.0 - y) - act.complement(z), a - y)


def _mse(z: Array, a: Array, y: Array, act: Activation) -> Array:
    # L = ½ Σ_j (a_j − y_j)²
    d = residual(z, a, y, act)
    return 0.5 * np.sum(d * d, axis=-1)


def _write_mse(z: Array, a: Array, y: Array, act: Activation, l: int) -> str:
    A, Y = fmt_all(a), fmt_all(y)
    diffs = " + ".join(rf"(\act{{{A[j]}}} - {paren(Y[j])})^2" for j in range(len(A)))
    squares = signed_terms(fmt_all(residual(z, a, y, act) ** 2))
    return (rf"0.5 \times \left({diffs}\right) = 0.5 \times \left({squares}\right) = "
            + fmt(float(_mse(z, a, y, act))))


def _mse_rounding(z: Array, a: Array, y: Array, act: Activation, loss: float) -> float:
    # the residual's error (from a, or from 1 − a and 1 − y where it is near 1, as ``residual``
    # computes it) times |∂L/∂a| = |a − y|, then the squares and their sum
    n = a.shape[-1]
    held = np.where(a > 0.5, 1.0 - a, a) if act.complement else a
    err = rounding_of(z, held) + UNIT_ROUNDOFF * (np.abs(a - y) + np.abs(1.0 - y) * (held != a))
    return float(np.abs(a - y) @ err + UNIT_ROUNDOFF * 2 * (n + 2) * loss)


def log_terms(z: Array, a: Array, act: Activation) -> tuple[Array, Array | None]:
    """ln a and ln(1 − a) (``None`` for coupled outputs, whose loss does not use it), from z
    where the activation can."""
    with np.errstate(divide="ignore"):
        ln_a = act.log(z) if act.log else np.log(a)
        if act.coupled:
            return ln_a, None
        return ln_a, act.log1m(z) if act.log1m else np.log1p(-a)


def _cross_entropy(z: Array, a: Array, y: Array, act: Activation) -> Array:
    # coupled outputs (softmax): L = −Σ_j y_j ln a_j; else L = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)].
    # Every term is ≥ 0, and a term with a zero weight is 0 even where its logarithm is −∞.
    ln_a, ln_1ma = log_terms(z, a, act)
    with np.errstate(invalid="ignore"):
        loss = np.sum(np.where(y != 0, y * -ln_a, 0.0), axis=-1)
        if ln_1ma is not None:
            loss = loss + np.sum(np.where(y != 1, (1.0 - y) * -ln_1ma, 0.0), axis=-1)
    return loss + 0.0  # never −0.0


def _write_cross_entropy(z: Array, a: Array, y: Array, act: Activation, l: int) -> str:
    ln_a, ln_1ma = log_terms(z, a, act)

    def ln(value: float, label: str, log: float, colour: str = "") -> str:
        # a value printed as 0.0 would read "ln 0.0": name it and show its logarithm instead
        shown = fmt(value)
        if shown == "0.0":
            return rf"\underbrace{{\ln {label}}}_{{{fmt(log)}}}"
        return rf"\ln {colour}{{{paren(shown)}}}"

    terms = []
    for j, yj in enumerate(y.tolist()):
        a_j = rf"\act{{a_{{{j + 1}}}^{{({l})}}}}"
        if yj != 0.0:
            terms.append(("" if yj == 1.0 else rf"{fmt(yj)} \times ")
                         + ln(a[j], a_j, ln_a[j], r"\act"))
        if ln_1ma is not None and yj != 1.0:
            terms.append(("" if yj == 0.0 else rf"{fmt(1.0 - yj)} \times ")
                         + ln(np.exp(ln_1ma[j]), rf"(1 - {a_j})", ln_1ma[j]))
    inner = " + ".join(terms) if terms else "0"
    return rf"-\left({inner}\right) = {fmt(float(_cross_entropy(z, a, y, act)))}"


def _cross_entropy_rounding(z: Array, a: Array, y: Array, act: Activation, loss: float) -> float:
    # The terms are ≥ 0 and sum to L, which their sum adds (n + 2)·u·L to. Each term's own error:
    n = z.shape[-1]
    err = (n + 2) * loss
    if act.log is None:  # ln a and ln(1 − a) from a: a's error divided by a and by 1 − a
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(y != 0, y / a, 0.0) + np.where(y != 1, (1.0 - y) / (1.0 - a), 0.0)
        err += float(slope @ rounding_of(z, a)) / UNIT_ROUNDOFF
    elif not act.coupled:  # softplus(∓z), a few roundings of itself
        err += 4 * loss
    else:
        # −ln a_j = (m − z_j) + log1p(r) with m = max z and r = Σ e^{z_k − m} over k ≠ argmax:
        # one rounding of m − z_j, and log1p(r) off by r's relative error (n terms, each e^x with
        # x off by |x| units), times (1 + r) ≥ r / log1p(r)
        spread = z.max() - z
        lp = -float(act.log(z)[np.argmax(z)])
        err += 2 * float(y @ spread) + y.sum() * lp * (1 + np.expm1(lp)) * (n + 2 + spread.max())
    return float(UNIT_ROUNDOFF * err)


def _cross_entropy_grad(z: Array, a: Array, y: Array, act: Activation) -> Array:
    # ∇ₐL = −y/a + (1 − y)/(1 − a) = (a − y) / (a(1 − a)); the denominator is kept ≥ the smallest
    # normal float so that a saturated output gives a huge but finite slope instead of a division by zero
    one_minus_a = act.complement(z) if act.complement else 1.0 - a
    return residual(z, a, y, act) / np.maximum(a * one_minus_a, np.finfo(float).tiny)


@dataclass(frozen=True)
class Loss:
    """A loss L(a, y) summed over the output neurons, with its gradient ∇ₐL.

    value : (z, a, y, output activation) → L
    grad_a : (z, a, y, output activation) → ∇ₐL
    written : (z, a, y, output activation, layer L) → L written out with these numbers: the chain
        after ``L =``
    rounding : (z, a, y, output activation, L) → a bound on the floating-point error of
        ``value`` given exact z
    text : its name in a sentence
    outputs : the interval the output activation's range must lie in (``None``: any)
    targets : the interval every y_j must lie in (``None``: any)
    coupled_latex : the formula for coupled outputs, if it differs
    """

    name: str
    label: str
    value: Callable[[Array, Array, Array, Activation], Array]
    grad_a: Callable[[Array, Array, Array, Activation], Array]
    latex: str
    grad_latex: str
    written: Callable[[Array, Array, Array, Activation, int], str]
    grad_written: Callable[[str, str], str]  # (a_j, y_j) printed → [∇ₐL]_j with them
    rounding: Callable[[Array, Array, Array, Activation, float], float]
    text: str
    outputs: tuple[float, float] | None = None
    targets: tuple[float, float] | None = None
    coupled_latex: str | None = None

    def accepts(self, act: Activation) -> bool:
        """Whether σ's outputs lie where this loss needs them."""
        return self.outputs is None or (
            self.outputs[0] <= act.range[0] and act.range[1] <= self.outputs[1])

    def formula(self, act: Activation) -> str:
        """L's formula for outputs of ``act``."""
        return self.coupled_latex if act.coupled and self.coupled_latex else self.latex


LOSSES: dict[str, Loss] = {
    "mse": Loss(
        "mse", "MSE ½Σ(a−y)²", _mse, residual,
        r"\mathcal{L} = \tfrac{1}{2}\sum_j \left(a_j^{(L)} - y_j\right)^2",
        r"\nabla_a \mathcal{L} = \mathbf{a}^{(L)} - \mathbf{y}", _write_mse,
        lambda a, y: rf"\act{{{a}}} - {paren(y)}", _mse_rounding, "MSE",
    ),
    "cross_entropy": Loss(
        "cross_entropy", "cross-entropy", _cross_entropy, _cross_entropy_grad,
        r"\mathcal{L} = -\sum_j \left[y_j \ln a_j^{(L)} + (1 - y_j)\ln\left(1 - a_j^{(L)}\right)\right]",
        r"\frac{\partial \mathcal{L}}{\partial a_j} = \frac{a_j - y_j}{a_j\,(1 - a_j)}",
        _write_cross_entropy,
        lambda a, y: rf"\frac{{\act{{{a}}} - {paren(y)}}}{{\act{{{paren(a)}}}\,(1 - \act{{{a}}})}}",
        _cross_entropy_rounding, "cross-entropy", outputs=(0.0, 1.0), targets=(0.0, 1.0),
        coupled_latex=r"\mathcal{L} = -\sum_j y_j \ln a_j^{(L)}",
    ),
}


# --- BP1: the output error, in the form that applies -----------------------------------------


class Output(NamedTuple):
    """What BP1 starts from: the output layer's σ, z, a, the target y and ∇ₐL."""

    act: Activation
    z: Array
    a: Array
    y: Array
    grad_a: Array


def _one_minus_a(o: Output) -> Array:
    # 1 − a from z: the forms below keep their digits only with it, so an output σ without
    # ``complement`` cannot take them
    if o.act.complement is None:
        raise ValueError(f"this form of BP1 needs 1 − σ(z) computed from z, which the {o.act.name} "
                         "activation does not provide (its registry entry has no complement)")
    return o.act.complement(o.z)


def _output_minus_target(o: Output) -> Array:
    # δ = a − y = (1 − y)a − y(1 − a): two terms ≥ 0 for y in [0, 1], 1 − a from z
    return (1.0 - o.y) * o.a - o.y * _one_minus_a(o)


def _softmax_cross_entropy(o: Output) -> Array:
    # δ_j = a_jΣ_k y_k − y_j = a_j Σ_{k≠j} y_k − y_j(1 − a_j): two terms ≥ 0, no cancellation
    return o.a * _others(o.y) - o.y * _one_minus_a(o)


def _softmax_jacobian(o: Output) -> Array:
    # δ = Jᵀ∇ₐL with J = diag(a) − aaᵀ: δ_j = a_j(g_j − Σ_i a_i g_i) = a_j(g_j(1 − a_j) − Σ_{i≠j} a_i g_i)
    return o.a * (o.grad_a * _one_minus_a(o) - _others(o.a * o.grad_a))


@dataclass(frozen=True)
class Bp1Form:
    """One form of BP1, δᴸ = ∂L/∂zᴸ.

    delta : :class:`Output` → δᴸ, of shape (…, n_L)
    latex : the form, symbolic in layer L, with the colour macros
    general : the general form it simplifies (shown beside it), ``""`` if it is general itself
    why : one sentence: why this form
    """

    name: str
    delta: Callable[[Output], Array]
    latex: str
    general: str
    why: str


_DELTA_L = r"\err{\boldsymbol{\delta}^{(L)}}"
_JACOBIAN = rf"{_DELTA_L} = J^T \nabla_a \mathcal{{L}}, \quad J = \frac{{\partial \act{{\mathbf{{a}}^{{(L)}}}}}}{{\partial \mathbf{{z}}^{{(L)}}}}"

#: an elementwise σ: J = diag(σ′(z)), so Jᵀ∇ₐL = ∇ₐL ⊙ σ′(z)
HADAMARD = Bp1Form(
    "hadamard", lambda o: o.grad_a * o.act.prime(o.z, o.a),
    rf"{_DELTA_L} = \nabla_a \mathcal{{L}} \odot \act{{\sigma'(\mathbf{{z}}^{{(L)}})}}", "",
    "BP1: how the loss changes with each output, times how each output changes with its z.",
)

#: (output activation, loss) → the form BP1 takes; any other pair of an elementwise σ and a
#: loss takes :data:`HADAMARD`
BP1_FORMS: dict[tuple[str, str], Bp1Form] = {
    ("sigmoid", "cross_entropy"): Bp1Form(
        "sigmoid_cross_entropy", _output_minus_target,
        rf"{_DELTA_L} = \act{{\mathbf{{a}}^{{(L)}}}} - \mathbf{{y}}", HADAMARD.latex,
        "With a sigmoid output, cross-entropy's ∂L/∂a = (a − y)/(a(1 − a)) and "
        "σ′(z) = a(1 − a) cancel, so δᴸ = aᴸ − y.",
    ),
    ("softmax", "cross_entropy"): Bp1Form(
        "softmax_cross_entropy", _softmax_cross_entropy,
        r"\err{\delta_j^{(L)}} = \act{a_j^{(L)}} \sum_k y_k - y_j", _JACOBIAN,
        "With softmax and cross-entropy the Jacobian sum collapses: δⱼ = aⱼ·Σₖyₖ − yⱼ.",
    ),
    ("softmax", "mse"): Bp1Form(
        "softmax_jacobian", _softmax_jacobian,
        rf"{_JACOBIAN} = \mathrm{{diag}}(\act{{\mathbf{{a}}}}) - \act{{\mathbf{{a}}}}\act{{\mathbf{{a}}}}^T", "",
        "Softmax couples the outputs, so BP1 multiplies ∇ₐL by the softmax Jacobian "
        "J = diag(a) − a aᵀ instead of an elementwise σ′.",
    ),
}


def bp1_form(output: str, loss: str) -> Bp1Form:
    """The form of BP1 for an output activation and a loss (:data:`BP1_FORMS`, else Hadamard)."""
    return BP1_FORMS.get((output, loss), HADAMARD)
