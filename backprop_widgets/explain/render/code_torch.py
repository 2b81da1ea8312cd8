"""The worked example as a PyTorch script: the same network as ``torch.nn.Linear`` layers in
float64 with the page's weights, the loss, ``loss.backward()``, and the page's numbers printed
from autograd's ``.grad`` (δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾ from ``z.grad``, kept with ``retain_grad``).

It prints the same ``label = value`` lines as the numpy twin (:mod:`.code_lines`). Where the
direct form is unsound in float64 (the cross-entropy of a saturated sigmoid output, ln(1 − a) =
ln 0), it writes the stable form from z, as the core does, and says so in a comment
(:mod:`.code_functions`, from the registry entries).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core import sup
from . import code_lines as lines
from .code_functions import activation_code
from .code_numpy import header, literal, loss_block

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample

_F64 = "dtype=torch.float64"


def torch_script(we: "WorkedExample") -> str:
    """The worked example ``we`` as a self-contained PyTorch script (float64, autograd)."""
    t, p = we.trace, we.param
    out = [*header(we, "PyTorch (autograd)"), "import torch", "", "# Network parameters: torch.nn layers, float64"]
    for l in lines.layers(t):
        out.append(f"layer{l} = torch.nn.Linear({t.sizes[l - 1]}, {t.sizes[l]}, {_F64})")
    out.append("with torch.no_grad():")
    for l in lines.layers(t):
        out += [
            f"    layer{l}.weight.copy_(torch.tensor({literal(t.weights[l - 1])}, {_F64}))  # W{l}",
            f"    layer{l}.bias.copy_(torch.tensor({literal(t.biases[l - 1])}, {_F64}))  # b{l}",
        ]
    out += [f"x = torch.tensor({literal(t.x)}, {_F64})", f"y = torch.tensor({literal(t.y)}, {_F64})", ""]
    for l in lines.layers(t):
        prev = "x" if l == 1 else f"a{l - 1}"
        out += [
            f"# {lines.forward(l)}",
            f"z{l} = layer{l}({prev})",
            f"z{l}.retain_grad()  # keep δ{sup(l)} = ∂L/∂z{sup(l)} after backward",
            f"a{l} = {activation_code(t.activations[l]).torch.format(z=f'z{l}')}",
            *(f'print("{lines.label(q, l)} =", {lines.label(q, l)}.tolist())' for q in lines.FORWARD),
            "",
        ]
    out += [*loss_block(we, "torch"), "", "# Backward pass: autograd applies BP1–BP4", "loss.backward()", ""]
    out += [f"# {lines.bp1(t)}", f'print("delta{t.L} =", z{t.L}.grad.tolist())']
    for l in range(t.L - 1, 0, -1):
        out += [f"# {lines.law('BP2', l)}", f'print("delta{l} =", z{l}.grad.tolist())']
    out += [f"# {lines.law('BP3')}", f"# {lines.law('BP4')}"]
    for l in range(t.L, 0, -1):
        out += [
            f'print("grad_W{l} =", layer{l}.weight.grad.tolist())',
            f'print("grad_b{l} =", layer{l}.bias.grad.tolist())',
        ]
    name = lines.traced_label(p)
    grad = f"layer{p.l}.{'weight' if p.is_weight else 'bias'}.grad"
    index = f"[{p.j - 1}, {p.k - 1}]" if p.is_weight else f"[{p.j - 1}]"
    out += ["", f"# {lines.traced(p)}", f'print("{name} =", {grad}{index}.item())']
    return "\n".join(out) + "\n"
