"""The seven principles a step of the worked example applies, in one table, and the
"which equation gives this?" verdict.

>>> from backprop_widgets import seed_example, worked_example
>>> net, x, y = seed_example()
>>> q = next(q for q in worked_example(net, x, y).questions() if q.name == "delta2,1")
>>> q.principle, q.check_principle("bp2").correct
('BP2', True)
>>> print(q.check_principle("BP3").message)
BP3 gives a weight's gradient ∂L/∂w from δ and a; this number is an error δ₁⁽²⁾, which BP2 carries down from δ⁽³⁾.

Each :class:`Principle` names the step ids it covers (``steps``, a regular expression on the
question's ``step_id``; the descent step's question is told apart by its name ``update``), what
it gives and its equation in Unicode, written as :mod:`..notation` writes it. A question of a
step no principle covers (a kind of step added later) has ``principle`` ``None``: there is no
"which equation?" prompt for it, and :func:`check_principle` refuses every choice. Standard
library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...core import sup
from .question import Feedback, Question

__all__ = ["NAMES", "PRINCIPLES", "Principle", "check_principle", "principle_of"]


@dataclass(frozen=True)
class Principle:
    """One principle: its name, its title in a sentence, what it gives, its equation (Unicode),
    the step ids it covers and how it describes a number it computes (``this``, with the
    fields ``{symbol}`` and ``{above}``, the error δ⁽ˡ⁺¹⁾ of the layer above)."""

    name: str
    title: str
    gives: str
    equation: str
    steps: str
    this: str


#: the principles in page order: the fading groups come in this order
PRINCIPLES: tuple[Principle, ...] = (
    Principle(
        "forward",
        "The forward pass",
        "z = W a + b and a = σ(z), layer by layer from the input",
        "zⱼ⁽ˡ⁾ = Σₖ wⱼ,ₖ⁽ˡ⁾ aₖ⁽ˡ⁻¹⁾ + bⱼ⁽ˡ⁾,  aⱼ⁽ˡ⁾ = σ(zⱼ⁽ˡ⁾)",
        r"forward-\d+",
        "{symbol}, which the forward pass computes from the layer below",
    ),
    Principle(
        "loss",
        "The loss",
        "the loss L from the output a⁽ᴸ⁾ and the target y",
        "L = ℒ(a⁽ᴸ⁾, y)",
        r"loss",
        "the loss L, which compares the output a⁽ᴸ⁾ with the target y",
    ),
    Principle(
        "BP1",
        "BP1",
        "the output layer's error δ⁽ᴸ⁾ from the loss's gradient at the output",
        "δ⁽ᴸ⁾ = ∇ₐL ⊙ σ′(z⁽ᴸ⁾)",
        r"bp1",
        "the output error {symbol}, which BP1 gives from the loss's gradient at the output",
    ),
    Principle(
        "BP2",
        "BP2",
        "a hidden layer's error δ⁽ˡ⁾ from the error δ⁽ˡ⁺¹⁾ of the layer above",
        "δ⁽ˡ⁾ = ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ σ′(z⁽ˡ⁾)",
        r"bp2-\d+",
        "an error {symbol}, which BP2 carries down from {above}",
    ),
    Principle(
        "BP3",
        "BP3",
        "a weight's gradient ∂L/∂w from δ and a",
        "∂L/∂wⱼ,ₖ⁽ˡ⁾ = aₖ⁽ˡ⁻¹⁾ δⱼ⁽ˡ⁾",
        r"bp3",
        "the weight's gradient {symbol}, which BP3 gives as a·δ",
    ),
    Principle(
        "BP4",
        "BP4",
        "a bias's gradient ∂L/∂b, which equals δ",
        "∂L/∂bⱼ⁽ˡ⁾ = δⱼ⁽ˡ⁾",
        r"bp4",
        "the bias's gradient {symbol}, which BP4 gives as δ",
    ),
    Principle(
        "update",
        "The descent step",
        "a parameter's new value after one step of gradient descent",
        "w ← w − η ∂L/∂w",
        r"bp[34]",
        "the new value {symbol}, which the descent step (update) gives",
    ),
)

#: the principles' names, in page order
NAMES: tuple[str, ...] = tuple(p.name for p in PRINCIPLES)
_BY_KEY = {p.name.lower(): p for p in PRINCIPLES}
_LAYER = re.compile(r"[a-z]+(\d+),\d+")
_UPDATE = "update"  # the name of the descent step's question (steps/gradient.py)


def principle_of(step_id: str, name: str) -> str | None:
    """The principle a question applies, from its step id and name; ``None`` for a step no
    principle covers."""
    if name == _UPDATE:
        return _UPDATE
    for p in PRINCIPLES:
        if p.name != _UPDATE and re.fullmatch(p.steps, step_id):
            return p.name
    return None


def _this(p: Principle, q: Question) -> str:
    m = _LAYER.fullmatch(q.name)
    above = f"δ{sup(int(m.group(1)) + 1)}" if m else "the layer above"
    return p.this.format(symbol=q.symbol, above=above)


def check_principle(q: Question, choice: object) -> Feedback:
    """Whether ``choice`` names the principle that gives ``q``'s number; never raises.

    Accepts the seven names of :data:`NAMES` in any case; a wrong one is told what it gives
    and what this number is, text that names none is told the names.
    """
    try:
        key = (choice if isinstance(choice, str) else str(choice)).strip().lower()
    except Exception:  # an object whose str() fails names no principle
        key = ""
    chosen = _BY_KEY.get(key)
    if chosen is None:
        return Feedback(False, None, f"Choose one of {', '.join(NAMES)}.")
    right = _BY_KEY.get((q.principle or "").lower())
    if right is None:
        return Feedback(False, None, f"{q.symbol} is not computed by one of the seven principles.")
    if chosen is right:
        return Feedback(True, None, f"Right: {right.title} gives {right.gives}: {right.equation}.")
    return Feedback(False, None, f"{chosen.title} gives {chosen.gives}; this number is {_this(right, q)}.")
