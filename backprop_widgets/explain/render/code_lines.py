"""What the code twins (:mod:`.code_numpy`, :mod:`.code_torch`) share: the names of the printed
lines, the page's equations as Unicode comments, and a reader of the printed lines.

A script prints one line per quantity, ``<label> = <value>``, the value a Python float or a
nested list of floats in full precision (``repr``): ``z1 = [0.0, 0.25]``, ``loss = 0.061…``,
``grad_W1 = [[…], […]]``. The labels are the script's variable names, which are the notation's
(z⁽ˡ⁾ is ``z<l>``, δ⁽ˡ⁾ ``delta<l>``, ∂L/∂W⁽ˡ⁾ ``grad_W<l>``); the traced gradient's label is its
entry, 0-based as numpy indexes it (``grad_W1[0, 0]`` for ∂L/∂w₁,₁⁽¹⁾).

>>> read_printed("z1 = [0.5, -1.0]\\nloss = 0.25\\n")
{'z1': [0.5, -1.0], 'loss': 0.25}
>>> unicode_math(r"\\err{\\boldsymbol{\\delta}^{(l)}} = \\act{\\sigma'(\\mathbf{z}^{(l)})}", l=2)
'δ⁽²⁾ = σ′(z⁽²⁾)'
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Callable, Iterator

from ...core import LOSSES, Param, Trace, bp1_form, sub, sup
from ..notation import EQUATIONS

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample
    from .blocks import Document

#: the printed quantities of layer l, in the order a script prints them
FORWARD = ("z", "a")
BACKWARD = ("delta",)
GRADIENTS = ("grad_W", "grad_b")


def label(quantity: str, l: int) -> str:
    """The printed label (and variable name) of a layer's quantity: ``label("delta", 2) == "delta2"``."""
    return f"{quantity}{l}"


def traced_label(p: Param) -> str:
    """The traced gradient's label: its entry of ``grad_W<l>`` or ``grad_b<l>``, 0-based."""
    return f"grad_W{p.l}[{p.j - 1}, {p.k - 1}]" if p.is_weight else f"grad_b{p.l}[{p.j - 1}]"


def expected(t: Trace, p: Param) -> dict[str, object]:
    """Every printed label with the core's value: what a script must print (tests compare)."""
    out: dict[str, object] = {}
    for l in range(1, t.L + 1):
        out[label("z", l)] = t.z[l].tolist()
        out[label("a", l)] = t.a[l].tolist()
    out["loss"] = t.loss
    for l in range(t.L, 0, -1):
        out[label("delta", l)] = t.delta[l].tolist()
    for l in range(t.L, 0, -1):
        out[label("grad_W", l)] = t.grad_W[l].tolist()
        out[label("grad_b", l)] = t.grad_b[l].tolist()
    out[traced_label(p)] = t.grad(p)
    return out


def read_printed(text: str) -> dict[str, object]:
    """The ``label = value`` lines a script printed, values read as Python literals (never
    evaluated); other lines are skipped."""
    out: dict[str, object] = {}
    for line in text.splitlines():
        name, sep, value = line.partition(" = ")
        if sep:
            try:
                out[name.strip()] = ast.literal_eval(value.strip())
            except (ValueError, SyntaxError):
                continue
    return out


# --- the page's equations, as comments ---------------------------------------------------------

_MACROS = re.compile(r"\\(?:err|act|wt|inp|boldsymbol|mathbf|mathrm|text)\{")
_REPLACE = [
    (r"\left", ""),
    (r"\right", ""),
    (r"\odot", "⊙"),
    (r"\sigma'", "σ′"),
    (r"\sigma", "σ"),
    (r"\delta", "δ"),
    (r"\nabla_a", "∇ₐ"),
    (r"\mathcal{L}", "L"),
    (r"\partial ", "∂"),
    (r"\partial", "∂"),
    (r"\tfrac{1}{2}", "½"),
    (r"\sum_j", "Σⱼ"),
    (r"\sum_k", "Σₖ"),
    (r"\sum_i", "Σᵢ"),
    (r"\ln", "ln"),
    (r"\tanh", "tanh"),
    (r"\max", "max"),
    ("^2", "²"),
    (r"\begin{cases}", ""),
    (r"\end{cases}", ""),
    (" & ", " if "),
    (r" \\ ", ", "),
    (r"\le", "≤"),
    (r"\qquad", "  "),
    (r"\quad", " "),
    (r"\,", " "),
    (r"\;", " "),
    ("^T", "ᵀ"),
]
_SUPER = str.maketrans("0123456789lL+-", "⁰¹²³⁴⁵⁶⁷⁸⁹ˡᴸ⁺⁻")
_SUB = {"j": "ⱼ", "k": "ₖ", "i": "ᵢ", "a": "ₐ", "j,k": "ⱼ,ₖ"}


def _subscript(m: re.Match) -> str:
    index = m.group(1) or m.group(2)
    return _SUB.get(index) or sub(index)


def _unwrap(latex: str) -> str:
    # \err{…}, \mathbf{…} and the like → their content (the braces may nest)
    while m := _MACROS.search(latex):
        depth, i = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(latex[i], 0)
            i += 1
        latex = latex[: m.start()] + latex[m.end() : i - 1] + latex[i:]
    return latex


def _fracs(latex: str) -> str:
    # \frac{A}{B} → A/B (innermost first)
    pattern = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
    while m := pattern.search(latex):
        num, den = m.group(1), m.group(2)
        den = den if re.fullmatch(r"[^ +−-]*", den) else f"({den})"
        latex = latex[: m.start()] + f"{num}/{den}" + latex[m.end() :]
    return latex


def unicode_math(latex: str, l: int | None = None, L: int | None = None) -> str:
    """An equation of the page (LaTeX with the colour macros) in plain Unicode for a comment,
    with layer ``l`` (and the output layer ``L``) put in for the symbols."""
    if l is not None:
        for symbolic, n in (("(l+1)", l + 1), ("(l-1)", l - 1), ("(l)", l)):
            latex = latex.replace(symbolic, f"({n})")
    if L is not None:
        latex = latex.replace("(L)", f"({L})")
    text = _unwrap(latex)
    for tex, uni in _REPLACE:
        text = text.replace(tex, uni)
    text = re.sub(r"\^\{\(([^(){}]+)\)\}", lambda m: "⁽" + m.group(1).translate(_SUPER) + "⁾", text)
    text = re.sub(r"\^\{([^{}]*)\}", r"^(\1)", text)
    text = re.sub(r"_\{(j,k|[jkia]|\d+)\}|_(j,k|[jkia]|\d)", _subscript, text)
    text = _fracs(text).replace("-", "−")
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


def law(tag: str, l: int | None = None) -> str:
    """BP2, BP3 or BP4 for layer ``l`` (``None``: symbolic) as a comment's text:
    ``BP2 · error propagation: δ⁽²⁾ = …``."""
    found = next(e for e in EQUATIONS if e.tag == tag)
    return f"{found.tag} · {found.name}: {unicode_math(found.latex, l=l)}"


def bp1(t: Trace) -> str:
    """BP1 in the form that applies to this output and loss, as a comment's text."""
    form = bp1_form(t.activations[t.L], t.loss_name)
    return f"BP1 · output error: {unicode_math(form.latex, L=t.L)}"


def loss_equation(t: Trace, coupled: bool) -> str:
    """The loss's formula for the output layer, as a comment's text."""
    latex = LOSSES[t.loss_name].coupled_latex if coupled and LOSSES[t.loss_name].coupled_latex else None
    return unicode_math(latex or LOSSES[t.loss_name].latex, L=t.L)


def forward(l: int) -> str:
    """The forward step of layer ``l`` as a comment's text (the page's z and a of the layer)."""
    return f"Forward pass · layer {l}: z{sup(l)} = W{sup(l)} a{sup(l - 1)} + b{sup(l)}, a{sup(l)} = σ(z{sup(l)})"


def traced(p: Param) -> str:
    """The traced gradient's comment: ∂L/∂w₁,₁⁽¹⁾ is ``grad_W1[0, 0]`` (numpy counts from 0)."""
    index = f"{sub(p.j)},{sub(p.k)}" if p.is_weight else sub(p.j)
    return f"the traced gradient ∂L/∂{p.kind}{index}{sup(p.l)} ({'BP3' if p.is_weight else 'BP4'}); numpy counts from 0"


def layers(t: Trace) -> Iterator[int]:
    """1 … L."""
    return iter(range(1, t.L + 1))


# --- a document as code --------------------------------------------------------------------------

#: what a code format writes for a document without a worked example (an exercise sheet)
NO_CODE = (
    "# An exercise sheet has no code twin: its numbers are the student's to work out.\n"
    "# Export the sheet as md, html or tex; the answer key in this format holds each network's script.\n"
)


def code_for(doc: "Document", script: "Callable[[WorkedExample], str]") -> str:
    """A document as code: a handout's worked example as one script; an answer key's worked
    examples as their scripts one after another (each runs on its own); a sheet as
    :data:`NO_CODE`."""
    if doc.example is not None:
        return script(doc.example)
    examples = [part.example for part in doc.parts() if part.example is not None]
    if not examples:
        return NO_CODE
    return "\n\n".join(
        f"# --- {we.param.unicode} in network {list(we.trace.sizes)} ---\n" + script(we) for we in examples
    )
