"""The gradient check: backprop against a centred difference, with a verdict a student can read.

A correct gradient is never called wrong: a difference counts against backprop only if the
centred difference cannot explain it, by a kink of an activation within ±ε's reach
(:func:`kink_within_reach`) or by its own rounding and truncation error
(:func:`centred_difference_error`, from :func:`loss_rounding_error`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .activations import ACTIVATIONS
from .differences import EPS
from .floats import UNIT_ROUNDOFF, Array
from .losses import LOSSES
from .network import Network
from .numfmt import fmt, sci
from .params import Param, sub, sup
from .trace import Trace

#: the worked example's threshold for the relative error of a gradient check
CHECK_THRESHOLD = 1e-5


@dataclass(frozen=True)
class Verdict:
    """What a gradient check's status means, and how every view says it (the one copy).

    mark : ✓, ≈, ⚠ or ✗; words : the verdict in the Gradient check tab's column
    passed : backprop is taken as right; role : the colour of the mark, by meaning (``pass``,
    ``kink`` or ``fail``: the page's style colours each)
    why : why the check could not check, as the header notes it ("" when it could)
    explains : the message after the mark (``{gap}`` = |g − ĝ|, ``{tol}`` = the centred
    difference's own error, ``{kink}`` = the kink in words)
    tally : how the Gradient check tab sums up ``{n}`` such checks ("" for one that passed)
    """

    status: str
    mark: str
    words: str
    passed: bool
    role: str
    why: str
    explains: str
    tally: str = ""


#: a gradient check's status → its verdict, in the order the Gradient check tab sums them up
VERDICTS = {
    v.status: v
    for v in (
        Verdict("agree", "✓", "pass", True, "pass", "", "analytical and numerical gradients agree"),
        Verdict(
            "rounding",
            "≈",
            "too small to check",
            True,
            "pass",
            "too small to check at this ε",
            "too small to check at this ε: the two differ by {gap}, within the centred difference's own "
            "error at this ε (up to {tol}, from rounding in L⁺ and L⁻ and from truncation)",
        ),
        Verdict(
            "kink",
            "⚠",
            "kink",
            False,
            "kink",
            "a unit within ε of a kink",
            "{kink}",
            "{n} sit behind a unit within ε of its kink: the centred difference mixes the slopes on both "
            "sides, so it cannot check backprop there (the check step says what backprop used).",
        ),
        Verdict(
            "disagree",
            "✗",
            "fail",
            False,
            "fail",
            "",
            "analytical and numerical gradients disagree: they differ by {gap}, more than the centred "
            "difference's own error at this ε (up to {tol})",
            "{n} disagree.",
        ),
    )
}

#: what a loss can lose to values that underflow (2.5e-324 each, however steeply L depends on them)
UNDERFLOW = 1e-290


@dataclass(frozen=True)
class Kink:
    """A unit that θ ± ε can push across a kink of its activation.

    l, j : its layer and neuron (1-based); z : its pre-activation; at : the kink's z
    reach : about how far the nudges move z; slopes : σ′ just left and right of the kink
    used : the σ′ backprop used, σ′(z) (at the kink itself: the convention); label : σ's label
    """

    l: int
    j: int
    z: float
    at: float
    reach: float
    slopes: tuple[float, float]
    used: float
    label: str

    def __str__(self) -> str:
        f = lambda v: fmt(v, unicode=True)  # noqa: E731
        used = f"{self.label}′({f(self.z)}) = {f(self.used)}"
        return (
            f"z{sub(self.j)}{sup(self.l)} = {f(self.z)} of a {self.label} unit is within ±ε's "
            f"reach (about {f(self.reach)}) of its kink at {f(self.at)}: the centred "
            f"difference mixes the slopes {f(self.slopes[0])} and {f(self.slopes[1])} on its "
            f"two sides, while backprop used {used}"
            + (", the convention at the kink" if self.z == self.at else ", the slope at z")
        )


@dataclass(frozen=True)
class GradientCheck:
    """Backprop against a centred difference for one parameter, with a verdict a student can read.

    ``status`` is ``"agree"`` (relative error below the threshold), ``"kink"`` (±ε can push a
    unit on the way to the loss across a kink of its activation, so the centred difference mixes
    the slopes on both sides: ``kink`` says which), ``"rounding"`` (too small to check at this
    ε: backprop and the centred difference differ by less than the centred difference's own
    error, ``tolerance``) or ``"disagree"``.
    """

    analytic: float
    numerical: float
    relative_error: float
    status: str
    tolerance: float = 0.0
    kink: Kink | None = None

    @property
    def verdict(self) -> Verdict:
        """What ``status`` means: its mark, words, colour role and message (:data:`VERDICTS`)."""
        return VERDICTS[self.status]

    @property
    def passed(self) -> bool:
        return self.verdict.passed

    @property
    def mark(self) -> str:
        """✓, ≈, ⚠ or ✗."""
        return self.verdict.mark

    @property
    def message(self) -> str:
        gap = sci(abs(self.analytic - self.numerical), unicode=True)
        tol = sci(self.tolerance, unicode=True)
        return f"{self.mark} " + self.verdict.explains.format(gap=gap, tol=tol, kink=self.kink)


def check_gradient(
    trace: Trace, param: "str | Param", numerical: float, eps: float = EPS, threshold: float = CHECK_THRESHOLD
) -> GradientCheck:
    """The verdict on ∂L/∂(param) from backprop against its centred difference ``numerical``.

    In order: "agree" if the relative error is below ``threshold``; "kink" if ±ε reaches a kink
    (:func:`kink_within_reach`); "rounding" if |g − ĝ| is within the centred difference's own
    error (:func:`centred_difference_error`); else "disagree". A correct gradient is never
    called wrong: only a difference the centred difference cannot explain is.
    """
    p = Param.parse(param)
    g, num = trace.grad(p), float(numerical)
    rel = float(relative_error(g, num))
    if rel < threshold:
        return GradientCheck(g, num, rel, "agree")
    kink = kink_within_reach(trace, p, eps)
    tol = centred_difference_error(trace, p, eps)
    status = "kink" if kink else "rounding" if abs(g - num) <= tol else "disagree"
    return GradientCheck(g, num, rel, status, tol, kink)


def loss_rounding_error(t: Trace) -> float:
    """A bound on the floating-point error of the computed loss, from the magnitudes summed.

    To first order an error η in z_j⁽ˡ⁾ moves L by δ_j⁽ˡ⁾η, and one in a_k⁽ˡ⁾ by
    [(W⁽ˡ⁺¹⁾)ᵀδ⁽ˡ⁺¹⁾]_k η (bounded with |W| and |δ|). Each z = Wa + b of n terms is off by at
    most γ_{n+1}(|W||a| + |b|) with γ_n = nu/(1 − nu); each a = σ(z) by its activation's
    ``rounding``; the loss adds its own (``Loss.rounding``), and :data:`UNDERFLOW` what underflows.
    """
    L = t.L
    err = 0.0
    for l in range(1, L + 1):
        W = t.weights[l - 1]
        nu = (W.shape[1] + 1) * UNIT_ROUNDOFF
        err += np.abs(t.delta[l]) @ (nu / (1 - nu) * (np.abs(W) @ np.abs(t.a[l - 1]) + np.abs(t.biases[l - 1])))
        if l < L:
            act = ACTIVATIONS[t.activations[l]]
            err += (np.abs(t.weights[l]).T @ np.abs(t.delta[l + 1])) @ act.rounding(t.z[l], t.a[l])
    out = ACTIVATIONS[t.activations[L]]
    # values below the smallest double (e^{−800}, 10^{−400}) flush to 0: UNDERFLOW covers them
    return float(err + LOSSES[t.loss_name].rounding(t.z[L], t.a[L], t.y, out, t.loss) + UNDERFLOW)


def centred_difference_error(t: Trace, p: Param, eps: float) -> float:
    """How far (L⁺ − L⁻)/2ε can be from ∂L/∂θ at this ε, for a smooth loss.

    Rounding: L⁺ and L⁻ are each off by up to :func:`loss_rounding_error` (doubled: it is a
    first-order bound, taken at θ), and θ ± ε is itself rounded. Truncation: the centred
    difference is off by ε²L‴/6 + O(ε⁴); |D(2ε) − D(ε)| is three times that, and is used whole.
    """
    net = Network.from_trace(t)
    d1, d2 = (net.numerical_gradient_of(p, t.x, t.y, e)["numerical"] for e in (eps, 2 * eps))
    rounding = 2 * loss_rounding_error(t) / eps
    step = 2 * UNIT_ROUNDOFF * (abs(t.value(p)) + eps) / eps * abs(d1)
    return float(rounding + step + abs(d2 - d1))


def kink_within_reach(t: Trace, p: Param, eps: float) -> Kink | None:
    """The unit on the way from ``p`` to the loss that θ ± ε pushes furthest across a kink.

    A nudge of θ by ε moves z⁽ᵐ⁾ by about ε|∂z⁽ᵐ⁾/∂θ|, bounded by a forward pass of slopes:
    a_k⁽ˡ⁻¹⁾ (1 for a bias) at neuron j of layer l, then |W⁽ᵐ⁾| times |σ′| of the layer below
    (near a kink, the steeper side's). A unit within twice that reach of a kink counts.
    """
    s = np.zeros(t.sizes[p.l])
    s[p.j - 1] = abs(t.a[p.l - 1][p.k - 1]) if p.is_weight else 1.0
    found, nearest = None, 1.0
    for m in range(p.l, t.L + 1):  # s = |∂z⁽ᵐ⁾/∂θ|, bounded
        act = ACTIVATIONS[t.activations[m]]
        steepest = np.abs(t.sigma_prime[m])
        reach = eps * s
        for at in act.kinks:
            slopes = act.slopes_at(at)
            steepest = np.maximum(steepest, max(map(abs, slopes)))
            for j in np.flatnonzero((reach > 0) & (np.abs(t.z[m] - at) <= 2 * reach)):
                closeness = abs(t.z[m][j] - at) / (2 * reach[j])
                if closeness <= nearest:
                    found, nearest = (
                        Kink(
                            m,
                            int(j) + 1,
                            float(t.z[m][j]),
                            at,
                            float(reach[j]),
                            slopes,
                            float(t.sigma_prime[m][j]),
                            act.label,
                        ),
                        closeness,
                    )
        if m < t.L:
            s = np.abs(t.weights[m]) @ (steepest * s)
    return found


def relative_error(analytic: ArrayLike, numerical: ArrayLike) -> Array:
    """|g − ĝ| / max(|g| + |ĝ|, 1e-12), elementwise (0 when both are 0)."""
    analytic, numerical = np.asarray(analytic, float), np.asarray(numerical, float)
    return np.abs(analytic - numerical) / np.maximum(np.abs(analytic) + np.abs(numerical), 1e-12)
