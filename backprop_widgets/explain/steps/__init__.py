"""The types of the worked example's steps, and the LaTeX helpers every kind of step shares.

A :class:`Step` is one panel: a sentence, coloured LaTeX and what it touches. Each kind of step
(forward pass, loss, BP1 …) is one ``step_*`` module that builds its steps from a
:class:`Context` and says what it asks (:class:`StepKind`); :mod:`.kinds` registers the
kinds in walk order.

Every number printed comes from :class:`~backprop_widgets.core.Trace` (or, for the numerical
check, from :meth:`Network.numerical_gradient_of`); the only arithmetic done in the steps splits
a printed result into the terms a reader re-adds (the products w·a of a weighted sum, the
products of BP2's matrix-vector product, the factors of a path). What σ, σ′ and the loss look
like with numbers comes from their registry entries in the core, and BP1 from its form there;
no step branches on a function's name. Formulas are written with the colour macros ``\\inp``,
``\\wt``, ``\\act``, ``\\err`` (see :mod:`.palette`).

Arithmetic lines are chains ``lhs = terms = … = result`` in which every number is printed
by :func:`~backprop_widgets.core.fmt`; each chain holds within display rounding (tests parse them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Hashable, NamedTuple, TypeVar

import numpy as np

from ...core import ACTIVATIONS, GradientCheck, Param, PathSum, Trace, fmt, fmt_all, sub, sup
from ..highlight import Highlight
from ..notation import EQUATIONS, bp1_reference, reference_parts  # noqa: F401 — importers find them here

if TYPE_CHECKING:
    from ..practice.question import Draft

__all__ = ["Context", "Part", "Printed", "Step", "StepKind", "pmatrix", "pmatrix2"]


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
    result : what the step computes, as one line (LaTeX), shown first in the dashboard's panel
    kind : the name of the :class:`StepKind` that built it
    """

    id: str
    title: str
    tag: str | None
    text: str
    parts: tuple[Part, ...]
    touches: Highlight
    heading: str
    table: tuple[tuple[str, ...], ...] | None = field(default=None, compare=False)
    result: str | None = field(default=None, compare=False)
    kind: str = field(default="", compare=False)

    @property
    def latex(self) -> str:
        """The step's equations: one ``\\[ … \\]`` display per line, with the colour macros."""
        return "\n".join(rf"\[ {p.latex} \]" for p in self.parts)


# --- printed numbers, each formatted once per worked example ---------------------------------

_T = TypeVar("_T")


class Printed:
    """Every quantity of a trace as printed strings, formatted on first use and cached.

    ``W(l)[j][k]`` is w_{j+1,k+1}⁽ˡ⁾ printed; ``a(l)``, ``z(l)``, ``sp(l)`` (σ′), ``delta(l)`` and
    ``b(l)`` are lists indexed like the arrays.
    """

    def __init__(self, t: Trace) -> None:
        self.t = t
        self._cache: dict[Hashable, Any] = {}

    def _get(self, key: Hashable, make: Callable[[], _T]) -> _T:
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = make()
            return value

    def W(self, l: int) -> list[list[str]]:
        def make() -> list[list[str]]:
            W = self.t.weights[l - 1]
            flat = fmt_all(W)
            n = W.shape[1]
            return [flat[i : i + n] for i in range(0, len(flat), n)]

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


# --- what a kind of step is built from, and what it is ---------------------------------------


@dataclass(frozen=True)
class Context:
    """What every step of one worked example is built from.

    printed : the trace's numbers, printed once (``printed.t`` is the trace)
    param : the traced parameter
    numerical : its centred difference (``Network.numerical_gradient_of``)
    check : the verdict on backprop against it
    paths : the gradient as a sum over paths
    """

    printed: Printed
    param: Param
    numerical: dict
    check: GradientCheck
    paths: PathSum

    @property
    def trace(self) -> Trace:
        return self.printed.t


def asks_nothing(c: Context, step: Step, eta: float) -> list[Draft]:
    """What a step asks that computes no new number for the student (the check, the table …)."""
    return []


@dataclass(frozen=True)
class StepKind:
    """One kind of step: the steps it adds to a worked example and the questions each asks.

    name : the kind's registry name (``"forward"``, ``"bp2"`` …), stored in each step's ``kind``
    build : the steps of this kind, in walk order (none if the example has none)
    ask : (context, one of its steps, learning rate η) → the numbers the step computes, as
        question drafts (:class:`~..practice.question.Draft`), in the order the step computes them
    """

    name: str
    build: Callable[[Context], list[Step]]
    ask: Callable[[Context, Step, float], list[Draft]] = asks_nothing


def layer_of(step: Step) -> int:
    """The layer l in the id of a step about one layer (``forward-2``, ``bp2-1``)."""
    return int(step.id.rpartition("-")[2])


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


def dL_d(p: Param) -> str:
    """∂L/∂θ for the parameter θ, uncoloured."""
    return rf"\frac{{\partial \mathcal{{L}}}}{{\partial {p.latex}}}"


def with_note(text: str, note: str) -> str:
    """A caption ending in ":", with a note in parentheses before the colon."""
    return f"{text} ({note}):" if note else f"{text}:"


def result_vector(symbol: str, l: int, values: list[str], bold: str = r"\mathbf") -> tuple[str, str]:
    """A layer's vector for a step's result line: ``a_1^{(l)}`` and its value for one neuron,
    ``\\mathbf{a}^{(l)}`` (``bold``) and the values in parentheses for several."""
    if len(values) == 1:
        return f"{symbol}_1^{{({l})}}", values[0]
    return rf"{bold}{{{symbol}}}^{{({l})}}", r"\left(" + r",\; ".join(values) + r"\right)"


def kink_note(t: Trace, l: int) -> str:
    """A clause naming the units of layer l that sit exactly on a kink of σ, and the slope
    backprop takes there by convention ("" if none does)."""
    act = ACTIVATIONS[t.activations[l]]
    notes = []
    for at in act.kinks:
        on = [j for j in range(t.sizes[l]) if t.z[l][j] == at]
        if on:
            names = ", ".join(f"z{sub(j + 1)}{sup(l)}" for j in on)
            z_at = np.array([at])
            used = fmt(float(act.prime(z_at, act.f(z_at))[0]), unicode=True)
            notes.append(
                f"{names} = {fmt(at, unicode=True)} sits on the kink, where the slope "
                f"jumps: backprop takes {act.label}′({fmt(at, unicode=True)}) = {used}, "
                "the usual convention"
            )
    return "; ".join(notes)
