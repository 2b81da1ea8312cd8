"""The forward pass through layer l: the weighted sums z⁽ˡ⁾ term by term, then a⁽ˡ⁾ = σ(z⁽ˡ⁾);
and the questions it asks, z then a of every neuron.

How σ looks with numbers, in the panel and in a question (a_j = σ(z_j)), comes from its registry
entry in the core.
"""

from __future__ import annotations

from ...core import ACTIVATIONS, fmt, fmt_all, paren, signed_terms, sup
from ..highlight import Highlight
from ..practice.question import Draft, a_num, a_tex, draft, line, on_page, sub_if_many, tex_sym, unicode_sym
from . import Context, Part, Step, StepKind, layer_of, result_vector, role


def forward_step(c: Context, l: int) -> Step:
    """Forward pass through layer l: z_j⁽ˡ⁾ = Σ_k w_{j,k}⁽ˡ⁾ a_k⁽ˡ⁻¹⁾ + b_j⁽ˡ⁾ term by term, a⁽ˡ⁾ = σ(z⁽ˡ⁾)."""
    P = c.printed
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
        sums = signed_terms(products[j * n_in : (j + 1) * n_in] + [b[j]])
        parts.append(Part(None, rf"z_{{{j + 1}}}^{{({l})}} = {terms} + \wt{{{paren(b[j])}}} = {sums} = {z[j]}"))
    written = act.written(t.z[l])
    parts += [Part(caption, latex) for caption, latex in written.shared]
    for j in range(n_out):
        parts.append(
            Part(None, " = ".join([rf"\act{{a_{{{j + 1}}}^{{({l})}}}}"] + written.each[j] + [rf"\act{{{a[j]}}}"]))
        )
    layer_name = "Output Layer" if l == L else f"Hidden Layer {l}"
    prev = "the inputs x" if l == 1 else f"a{sup(l - 1)}"
    touches = Highlight(
        neurons=frozenset([(l - 1, k) for k in range(1, n_in + 1)] + [(l, j) for j in range(1, n_out + 1)]),
        edges=frozenset((l, j, k) for j in range(1, n_out + 1) for k in range(1, n_in + 1)),
        biases=frozenset((l, j) for j in range(1, n_out + 1)),
    )
    lhs, rhs = result_vector("a", l, a)
    return Step(
        id=f"forward-{l}",
        title=f"Forward pass · layer {l}",
        tag=None,
        text=f"Layer {l} weighs {prev} with W{sup(l)}, adds the bias b{sup(l)} and applies "
        f"{act.label} to get a{sup(l)}, which the next {'step' if l == L else 'layer'} uses.",
        parts=tuple(parts),
        touches=touches,
        heading=f"Layer {l}: {layer_name}",
        result=rf"\act{{{lhs}}} = \act{{{rhs}}}",
    )


def build(c: Context) -> list[Step]:
    return [forward_step(c, l) for l in range(1, c.trace.L + 1)]


# --- the questions: z_j⁽ˡ⁾, then a_j⁽ˡ⁾ --------------------------------------------------------


def ask(c: Context, step: Step, eta: float) -> list[Draft]:
    """z_j⁽ˡ⁾ = Σ_k w_{j,k}⁽ˡ⁾ a_k⁽ˡ⁻¹⁾ + b_j⁽ˡ⁾ for every j, then a_j⁽ˡ⁾ = σ(z_j⁽ˡ⁾)."""
    t, l = c.trace, layer_of(step)
    W, b = t.weights[l - 1], t.biases[l - 1]
    n_out, n_in = W.shape
    page = [p.latex for p in step.parts]

    # one function call per neuron j: each formula's lambda closes over its own j
    def z_question(j: int) -> Draft:
        w_fac = [rf"\wt{{{paren(fmt(W[j, k]))}}}" for k in range(n_in)]
        bias = rf"\wt{{{paren(fmt(b[j]))}}}"
        numbers = " + ".join(rf"{w_fac[k]}\cdot{a_num(t, l - 1, k + 1)}" for k in range(n_in)) + f" + {bias}"
        symbols = " + ".join(rf"{w_fac[k]}\,{a_tex(t, l - 1, k + 1)}" for k in range(n_in)) + f" + {bias}"
        lhs = tex_sym("z", l, j + 1, n_out)
        d = draft(
            step.id,
            f"z{l},{j + 1}",
            unicode_sym("z", l, j + 1, n_out),
            line(lhs, numbers),
            line(lhs, symbols if l > 1 else numbers),
            float(t.z[l][j]),
            lambda o: o["w"] @ o["a"] + o["b"][0],
            {"w": W[j], "a": t.a[l - 1], "b": b[j : j + 1]},  # a⁽⁰⁾ is x
            on_page(page, f"z_{{{j + 1}}}^{{({l})}} ="),
        )
        d.mistakes.append(
            (
                "missing_bias",
                lambda o: o["w"] @ o["a"],
                f"That leaves out the bias b{sub_if_many(j, n_out)}{sup(l)} = "
                f"{fmt(b[j], unicode=True)}: z adds it to the weighted sum.",
            )
        )
        return d

    act = ACTIVATIONS[t.activations[l]]
    z_printed = fmt_all(t.z[l])
    z_syms = [tex_sym("z", l, i + 1, n_out) for i in range(n_out)]

    def a_question(j: int) -> Draft:
        lhs = rf"\act{{{tex_sym('a', l, j + 1, n_out)}}}"
        numbers, symbols = act.applied(j, z_printed, None), act.applied(j, z_syms, f"z_i^{{({l})}}")
        # an elementwise σ reads z_j alone; a coupled one (softmax) every z of the layer
        i, z = (j, t.z[l]) if act.coupled else (0, t.z[l][j : j + 1])
        d = draft(
            step.id,
            f"a{l},{j + 1}",
            unicode_sym("a", l, j + 1, n_out),
            line(lhs, symbols, numbers),
            line(lhs, symbols),
            float(t.a[l][j]),
            lambda o: act.f(o["z"])[i],
            {"z": z},
            on_page(page, rf"\act{{a_{{{j + 1}}}^{{({l})}}}} ="),
        )
        if act.sign_mistake:
            d.mistakes.append(("sign", lambda o: act.f(-o["z"])[i], act.sign_mistake))
        return d

    return [z_question(j) for j in range(n_out)] + [a_question(j) for j in range(n_out)]


KIND = StepKind("forward", build, ask)
