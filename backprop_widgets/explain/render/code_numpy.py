"""The worked example as a plain numpy script: the forward pass, the loss and BP1–BP4, one block
per step, named as the page names them, printing the page's numbers in full precision.

The script needs numpy only and runs on its own (``python seed.py``). Its variables are the
notation's (``z1``, ``a1``, ``delta2``, ``grad_W1``); its printed lines are
``label = value`` (:mod:`.code_lines`), which the tests read back and compare with the core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core import ACTIVATIONS, HADAMARD, LOSSES, bp1_form, sup
from . import code_lines as lines
from .code_functions import activation_code, loss_code

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample


def literal(values) -> str:
    """An array's numbers as a Python literal, in full precision (``repr`` of each float)."""
    return repr(values.tolist())


def header(we: "WorkedExample", lib: str) -> list[str]:
    """The script's docstring: which network, which functions, which gradient it traces."""
    t = we.trace
    out_act = t.activations[t.L]
    hidden = f"{t.activations[1]} hidden layers, " if t.L > 1 else ""
    return [
        f'"""The worked example of ∂L/∂{we.param.unicode} as {lib}: network {list(t.sizes)}, '
        f"{hidden}{out_act} output, {LOSSES[t.loss_name].text} loss.",
        "",
        "Written by backprop-widgets; it runs on its own. Layer l here is layer (l) on the page,",
        'and each printed line is a number of the page in full precision."""',
    ]


def _functions(we: "WorkedExample") -> list[str]:
    t = we.trace
    out: list[str] = []
    for name in dict.fromkeys(t.activations[1:]):  # each σ once, hidden first
        code, act = activation_code(name), ACTIVATIONS[name]
        needs_prime = name in t.activations[1 : t.L] or t.bp1_form == HADAMARD.name
        out += [f"# {act.label}: {lines.unicode_math(act.latex)}", f"def {name}(z):", f"    return {code.numpy}", ""]
        if needs_prime and code.numpy_prime is not None:
            out += [
                f"# {lines.unicode_math(act.prime_latex)}",
                f"def {name}_prime(z):",
                f"    return {code.numpy_prime}",
                "",
            ]
    return out


def _bp1(we: "WorkedExample") -> list[str]:
    t = we.trace
    L, out_name = t.L, t.activations[t.L]
    a = f"a{L}"
    grad_a = f"grad_a = {loss_code(t.loss_name).grad_a.format(a=a)}  # ∇ₐL"
    # one block per shape of the page's write-out of BP1 (``Bp1Form.written``)
    forms = {
        "hadamard": [grad_a, f"delta{L} = grad_a * {out_name}_prime(z{L})"],
        "a_minus_y": [f"delta{L} = {a} - y"],
        "a_sum_y_minus_y": [f"delta{L} = {a} * np.sum(y) - y"],
        "jacobian": [grad_a, f"delta{L} = {a} * (grad_a - np.sum({a} * grad_a))  # δⱼ = aⱼ([∇ₐL]ⱼ − Σᵢ aᵢ[∇ₐL]ᵢ)"],
    }
    return [f"# {lines.bp1(t)}", *forms[bp1_form(out_name, t.loss_name).written]]


#: per script: the module's name in the code, the registry's log forms, and how the loss prints
_LOSS_LIB = {
    "numpy": ("np", "numpy_log", "numpy_log1m", 'print("loss =", float(loss))'),
    "torch": ("torch", "torch_log", "torch_log1m", 'print("loss =", loss.item())'),
}


def loss_block(we: "WorkedExample", lib: str = "numpy") -> list[str]:
    """The loss's block, in numpy or torch (``lib``): ln a and ln(1 − a) from z where the
    output's code form says so (a saturated sigmoid), with its note."""
    t = we.trace
    L, act = t.L, ACTIVATIONS[t.activations[t.L]]
    module, log_field, log1m_field, printed = _LOSS_LIB[lib]
    code, z, a = activation_code(act.name), f"z{L}", f"a{L}"
    log_form, log1m_form = getattr(code, log_field), getattr(code, log1m_field)
    log_a = log_form.format(z=z) if log_form else f"{module}.log({a})"
    log1m_a = log1m_form.format(z=z) if log1m_form else f"{module}.log(1 - {a})"
    form = loss_code(t.loss_name)
    value = (form.value_coupled if act.coupled else form.value).format(lib=module, a=a)
    logs = [f"log_a = {log_a}  # ln a{sup(L)}"] if "log_a" in value else []
    logs += [f"log1m_a = {log1m_a}  # ln(1 − a{sup(L)})"] if "log1m_a" in value else []
    note = [f"# {code.note}"] if code.note and logs else []
    return [
        f"# Loss: {lines.loss_equation(t, act.coupled)}",
        *note,
        *logs,
        f"loss = {value}",
        printed,
    ]


def numpy_script(we: "WorkedExample") -> str:
    """The worked example ``we`` as a self-contained numpy script."""
    t, p = we.trace, we.param
    out = [*header(we, "numpy"), "import numpy as np", "", *_functions(we), "# Network parameters"]
    for l in lines.layers(t):
        out += [f"W{l} = np.array({literal(t.weights[l - 1])})", f"b{l} = np.array({literal(t.biases[l - 1])})"]
    out += [f"x = np.array({literal(t.x)})", f"y = np.array({literal(t.y)})", ""]
    for l in lines.layers(t):
        prev = "x" if l == 1 else f"a{l - 1}"
        out += [
            f"# {lines.forward(l)}",
            f"z{l} = W{l} @ {prev} + b{l}",
            f"a{l} = {t.activations[l]}(z{l})",
            *(f'print("{lines.label(q, l)} =", {lines.label(q, l)}.tolist())' for q in lines.FORWARD),
            "",
        ]
    out += [*loss_block(we), "", *_bp1(we), f'print("delta{t.L} =", delta{t.L}.tolist())', ""]
    for l in range(t.L - 1, 0, -1):
        out += [
            f"# {lines.law('BP2', l)}",
            f"delta{l} = (W{l + 1}.T @ delta{l + 1}) * {t.activations[l]}_prime(z{l})",
            f'print("delta{l} =", delta{l}.tolist())',
            "",
        ]
    out += [f"# {lines.law('BP3')}: the outer product δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ", f"# {lines.law('BP4')}"]
    for l in range(t.L, 0, -1):
        prev = "x" if l == 1 else f"a{l - 1}"
        out += [f"grad_W{l} = np.outer(delta{l}, {prev})", f"grad_b{l} = delta{l}"]
        out += [f'print("{lines.label(q, l)} =", {lines.label(q, l)}.tolist())' for q in lines.GRADIENTS]
    name = lines.traced_label(p)
    out += ["", f"# {lines.traced(p)}", f'print("{name} =", float({name}))']
    return "\n".join(out) + "\n"
