"""The activation registry: each σ beside its derivative σ′, their LaTeX, kinks and range.

numpy only (and :mod:`.numfmt`, the page's number format). Every function works on a single
vector (shape ``(n,)``) or on a batch (shape ``(P, n)``): the last axis is always the neuron
index ``j``.

An :class:`Activation` carries everything the core and the page know about its name: σ and σ′,
their formulas, both written out with a layer's numbers, its kinks, its output range, whether its
outputs are coupled, the forms of 1 − σ(z) and ln σ(z) that keep their digits, bounds on its
own rounding error, and how a practice question writes a_j = σ(z_j). To add one, add an entry to :data:`ACTIVATIONS` (or, for a test, set one
with ``monkeypatch.setitem``): nothing else branches on its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

import numpy as np

from .code_forms import ActivationCode
from .floats import UNIT_ROUNDOFF, Array, FloatOrArray
from .numfmt import exponent, fmt, fmt_all, paren, signed_terms

#: the hidden layers' σ of a network that names none
DEFAULT_ACTIVATION = "sigmoid"


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

#: σ applied to z_j of a layer, in a question: (j, the layer's z as written, the symbol z_i of a
#: line written with symbols or ``None`` for a line of printed numbers) → LaTeX, j 0-based
Applied = Callable[[int, Sequence[str], "str | None"], str]


def applied_as(template: str) -> Applied:
    """An elementwise σ applied to z_j, by a template in which ``#`` stands for z_j as written."""
    return lambda j, z, z_i: template.replace("#", z[j])


def sum_of_others(v: Array) -> Array:
    """Σ_{k≠j} v_k for every j (last axis), summed rather than subtracted from the total: no
    cancellation."""
    return v @ (1.0 - np.eye(v.shape[-1]))


def rounding_of(z: Array, a: Array) -> Array:
    """A bound on the floating-point error of a = σ(z): a few units of roundoff of |a| (for
    softmax also its sum of n terms and e^{z − max z}, whose argument is off by |z − max z| units).
    Every registered σ uses it unless its entry brings its own (``Activation.rounding``)."""
    return UNIT_ROUNDOFF * np.abs(a) * (4 + a.shape[-1] + 2 * np.abs(z).max())


# --- the functions -----------------------------------------------------------------------------


def _sigmoid(z: FloatOrArray) -> FloatOrArray:
    # σ(z) = 1 / (1 + e^{-z}). For z < −709, e^{-z} overflows to inf and σ = 1/inf = 0 exactly,
    # which is the right value (relative accuracy holds everywhere); only the warning is silenced.
    with np.errstate(over="ignore"):
        return _sigmoid_unguarded(z)


def _sigmoid_unguarded(z: FloatOrArray) -> FloatOrArray:
    # _sigmoid for a caller already inside np.errstate(over="ignore")
    return 1.0 / (1.0 + np.exp(-z))


def _sigmoid_prime(z: Array, a: Array) -> Array:
    # σ′(z) = σ(z)(1 − σ(z)) = σ(z)σ(−z): from z, so that a saturated unit keeps its digits
    with np.errstate(over="ignore"):
        return _sigmoid_prime_unguarded(z, a)


def _sigmoid_prime_unguarded(z: Array, a: Array) -> Array:
    # _sigmoid_prime for a caller already inside np.errstate(over="ignore"): σ(z)σ(−z)
    return _sigmoid_unguarded(z) * _sigmoid_unguarded(-z)


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


def _softmax_prime(z: Array, a: Array) -> Array:
    # the diagonal of the Jacobian ∂a_j/∂z_j = a_j(1 − a_j), 1 − a_j = Σ_{k≠j} a_k; the full
    # Jacobian is diag(a) − a aᵀ
    a = _softmax(z)
    return a * sum_of_others(a)


def _log_softmax(z: Array) -> Array:
    # ln a_j = (z_j − m) − ln Σ_i e^{z_i − m} with m = max z. The largest term of the sum is 1
    # exactly, so ln Σ = log1p(the others): a confident output's loss keeps all its digits
    k = np.argmax(z, axis=-1)[..., None]
    m = np.take_along_axis(z, k, axis=-1)
    e = np.exp(z - m)
    np.put_along_axis(e, k, 0.0, axis=-1)
    return (z - m) - np.log1p(np.sum(e, axis=-1, keepdims=True))


def _log_sigmoid_rounding(z: Array, y: Array, loss: float) -> float:
    # ln σ(z) = −softplus(−z) and ln(1 − σ(z)) = −softplus(z): a few roundings of itself
    return 4 * loss


def _log_softmax_rounding(z: Array, y: Array, loss: float) -> float:
    # −ln a_j = (m − z_j) + log1p(r) with m = max z and r = Σ e^{z_k − m} over k ≠ argmax:
    # one rounding of m − z_j, and log1p(r) off by r's relative error (n terms, each e^x with
    # x off by |x| units), times (1 + r) ≥ r / log1p(r)
    n = z.shape[-1]
    spread = z.max() - z
    lp = -float(_log_softmax(z)[np.argmax(z)])
    return 2 * float(y @ spread) + y.sum() * lp * (1 + np.expm1(lp)) * (n + 2 + spread.max())


# --- the functions written out with their numbers ------------------------------------------------


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
    return [rf"1 - \tanh^2({s})", rf"(1 - \tanh {r})\,(1 + \tanh {r})", rf"{paren(fmt(c))} \times {fmt(2.0 - c)}"]


def _write_softmax(z: Array) -> Written:
    with np.errstate(over="ignore"):
        e = np.exp(z)
    if not np.isfinite(e.sum()):  # e^z overflows: give the values only
        return Written([], [[] for _ in z])
    E, S = fmt_all(e), fmt(e.sum())
    exps = " + ".join(rf"e^{{{exponent(v)}}}" for v in z)
    shared = [
        ("Softmax divides each exponential by their sum:", rf"\sum_i e^{{z_i}} = {exps} = {signed_terms(E)} = {S}")
    ]
    return Written(
        shared, [[rf"\frac{{e^{{{exponent(v)}}}}}{{{S}}}", rf"\frac{{{E[j]}}}{{{S}}}"] for j, v in enumerate(z)]
    )


def _applied_softmax(j: int, z: Sequence[str], z_i: str | None) -> str:
    # e^{z_j} over the sum of the layer's exponentials: written out with the printed z's, or Σ_i
    total = " + ".join(f"e^{{{v}}}" for v in z) if z_i is None else rf"\sum_i e^{{{z_i}}}"
    return rf"\frac{{e^{{{z[j]}}}}}{{{total}}}"


# --- the registry --------------------------------------------------------------------------------


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
    output_only : σ can be the output layer's only, never a hidden layer's
    complement : 1 − σ(z) computed from z, for outputs that approach 1 (``None``: 1 − a)
    log, log1m : for outputs in (0, 1), ln σ(z) and ln(1 − σ(z)) computed from z (``None``:
        from a)
    log_rounding : with ``log``, (z, y, L) → a bound, in units of roundoff, on the error that
        ``log`` and ``log1m`` bring into L = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]
        (−Σ_j y_j ln a_j for coupled outputs)
    rounding : (z, a) → a bound on the floating-point error of a = σ(z), elementwise
    applied : how a question writes a_j = σ(z_j) (:data:`Applied`; default σ(z_j))
    sign_mistake : the message for σ(−z) taken for σ(z), where that is a mistake worth naming
        (a question then names it), else ``None``
    code : how a numpy or torch script writes σ (:class:`.code_forms.ActivationCode`; ``None``:
        the code exports refuse it)
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
    log_rounding: Callable[[Array, Array, float], float] | None = None
    rounding: Callable[[Array, Array], Array] = rounding_of
    applied: Applied = applied_as(r"\sigma(#)")
    sign_mistake: str | None = None
    code: ActivationCode | None = None
    #: σ and σ′ without the np.errstate that ``f`` and ``prime`` set around themselves, for a
    #: caller already inside ``np.errstate(over="ignore")`` (training calls them for every layer
    #: of every batch, and the context was a tenth of an epoch's time); ``None``: f and prime
    #: set none, call them
    unguarded: tuple[Callable[[Array], Array], Callable[[Array, Array], Array]] | None = None

    def __post_init__(self) -> None:
        if self.log is not None and self.log_rounding is None:
            raise ValueError(
                f"activation {self.name!r} computes ln σ(z) from z (log): it needs "
                "log_rounding, a bound on that computation's error"
            )

    @property
    def f_unguarded(self) -> Callable[[Array], Array]:
        """σ for a caller inside ``np.errstate(over="ignore")`` (see ``unguarded``)."""
        return self.f if self.unguarded is None else self.unguarded[0]

    @property
    def prime_unguarded(self) -> Callable[[Array, Array], Array]:
        """σ′ for a caller inside ``np.errstate(over="ignore")`` (see ``unguarded``)."""
        return self.prime if self.unguarded is None else self.unguarded[1]

    def slopes_at(self, kink: float) -> tuple[float, float]:
        """σ′ just left and just right of a kink."""
        h = 1e-9 * max(1.0, abs(kink))
        z = np.array([kink - h, kink + h])
        left, right = self.prime(z, self.f(z))
        return float(left), float(right)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid",
        "sigmoid σ",
        _sigmoid,
        _sigmoid_prime,
        r"\sigma(z) = \frac{1}{1 + e^{-z}}",
        r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
        elementwise(_write_sigmoid),
        elementwise(_write_sigmoid_prime),
        range=(0.0, 1.0),
        complement=lambda z: _sigmoid(-z),
        log=lambda z: -np.logaddexp(0.0, -z),
        log1m=lambda z: -np.logaddexp(0.0, z),
        log_rounding=_log_sigmoid_rounding,
        sign_mistake="That is σ(−z) = 1/(1 + e^z): the sigmoid is 1/(1 + e^(−z)).",
        code=ActivationCode(
            "1 / (1 + np.exp(-z))",
            "sigmoid(z) * sigmoid(-z)  # σ(z)(1 − σ(z)), with 1 − σ(z) = σ(−z)",
            "torch.sigmoid({z})",
            "-np.logaddexp(0, -{z})",
            "-np.logaddexp(0, {z})",
            "torch.nn.functional.logsigmoid({z})",
            "torch.nn.functional.logsigmoid(-{z})",
            "ln a and ln(1 − a) are computed from z, as the page does: ln(1 − a) would be ln 0 = −inf once a rounds to 1.0",
        ),
        unguarded=(_sigmoid_unguarded, _sigmoid_prime_unguarded),
    ),
    "tanh": Activation(
        "tanh",
        "tanh",
        np.tanh,
        _tanh_prime,
        r"\sigma(z) = \tanh z",
        r"\sigma'(z) = 1 - \tanh^2 z",
        elementwise(lambda z: [rf"\tanh({fmt(z)})"]),
        elementwise(_write_tanh_prime),
        range=(-1.0, 1.0),
        complement=_tanh_one_minus,
        applied=applied_as(r"\tanh(#)"),
        code=ActivationCode(
            "np.tanh(z)",
            "1 / np.cosh(z) ** 2  # 1 − tanh²(z) as sech²(z): a saturated unit keeps its digits",
            "torch.tanh({z})",
        ),
    ),
    "relu": Activation(
        "relu",
        "ReLU",
        lambda z: np.maximum(z, 0.0),
        _relu_prime,
        r"\sigma(z) = \max(0, z)",
        r"\sigma'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
        elementwise(lambda z: [rf"\max(0, {fmt(z)})"]),
        kinks=(0.0,),
        range=(0.0, np.inf),
        applied=applied_as(r"\max(0, #)"),
        code=ActivationCode(
            "np.maximum(z, 0.0)",
            "(z > 0).astype(float)  # 0 at the kink z = 0, the usual convention",
            "torch.relu({z})",
        ),
    ),
    "linear": Activation(
        "linear",
        "linear (identity)",
        lambda z: np.array(z, dtype=float, copy=True),
        lambda z, a: np.ones_like(z, dtype=float),
        r"\sigma(z) = z",
        r"\sigma'(z) = 1",
        NOTHING_WRITTEN,
        applied=applied_as("#"),
        code=ActivationCode("z", "np.ones_like(z)", "{z}"),
    ),
    "softmax": Activation(
        "softmax",
        "softmax",
        _softmax,
        _softmax_prime,
        r"\sigma(\mathbf{z})_j = \frac{e^{z_j}}{\sum_i e^{z_i}}",
        r"\frac{\partial a_j}{\partial z_i} = a_j\,([i = j] - a_i)",
        _write_softmax,
        range=(0.0, 1.0),
        coupled=True,
        output_only=True,
        complement=lambda z: sum_of_others(_softmax(z)),
        log=_log_softmax,
        log_rounding=_log_softmax_rounding,
        applied=_applied_softmax,
        code=ActivationCode(
            "np.exp(z - np.max(z)) / np.sum(np.exp(z - np.max(z)))",
            None,
            "torch.softmax({z}, dim=0)",
            "({z} - np.max({z})) - np.log(np.sum(np.exp(({z} - np.max({z})))))",
            None,
            "torch.log_softmax({z}, dim=0)",
            None,
            "softmax subtracts max z first, so that no exponential overflows",
        ),
    ),
}


def hidden_activations() -> list[str]:
    """The names a hidden layer can take now, entries registered since import included."""
    return [name for name, act in ACTIVATIONS.items() if not act.output_only]


#: the activations a hidden layer can take, as registered when the core was imported (the
#: dropdowns' options)
HIDDEN_ACTIVATIONS = tuple(hidden_activations())
