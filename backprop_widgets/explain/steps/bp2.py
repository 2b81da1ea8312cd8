"""BP2, the error of a hidden layer l, δ⁽ˡ⁾ = ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ σ′(z⁽ˡ⁾), from layer L − 1 down
to the traced parameter's layer; and its questions, δ_k⁽ˡ⁾ of every neuron.
"""

from __future__ import annotations

from ...core import ACTIVATIONS, fmt, fmt_all, paren, signed_terms, sup
from ..highlight import Highlight
from ..practice.mistakes import sigma_prime_at_a, sigma_prime_of_a
from ..practice.question import Draft, delta_tex, draft, line, on_page, tex_sym, unicode_sym
from . import Context, Part, Step, StepKind, kink_note, layer_of, pmatrix, pmatrix2, result_vector, with_note


def bp2_step(c: Context, l: int) -> Step:
    """BP2: δ⁽ˡ⁾ = ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ σ′(z⁽ˡ⁾), the product row by row and the Hadamard product."""
    P = c.printed
    t = P.t
    n, n_next = t.sizes[l], t.sizes[l + 1]
    W = P.W(l + 1)
    WT = [[W[i][k] for i in range(n_next)] for k in range(n)]
    d_next = [paren(s) for s in P.delta(l + 1)]
    e = t.weights[l].T @ t.delta[l + 1]  # (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾
    E = fmt_all(e)
    prods = fmt_all(t.weights[l] * t.delta[l + 1][:, None])  # w_{i,k} δ_i, row i
    parts = [
        Part(
            None,
            r"\err{\boldsymbol{\delta}^{(%d)}} = \left(\wt{(\mathbf{W}^{(%d)})^T}\,\err{\boldsymbol{\delta}^{(%d)}}\right) \odot \act{\sigma'(\mathbf{z}^{(%d)})}"
            % (l, l + 1, l + 1, l),
        ),
        Part("Matrix transpose:", rf"\wt{{(\mathbf{{W}}^{{({l + 1})}})^T}} = \wt{{{pmatrix2(WT)}}}"),
    ]
    for k in range(n):
        terms = " + ".join(rf"\wt{{{paren(W[i][k])}}} \times \err{{{d_next[i]}}}" for i in range(n_next))
        mid = "" if n_next == 1 else " = " + signed_terms([prods[i * n + k] for i in range(n_next)])
        parts.append(
            Part(
                "Matrix-vector product, row by row:" if k == 0 else None,
                rf"[(\mathbf{{W}}^{{({l + 1})}})^T \boldsymbol{{\delta}}^{{({l + 1})}}]_{{{k + 1}}} = {terms}{mid} = {E[k]}",
            )
        )
    act = ACTIVATIONS[t.activations[l]]
    written = act.prime_written(t.z[l]).each
    sp = P.sp(l)
    segs = [rf"\act{{\sigma'(\mathbf{{z}}^{{({l})}})}}", pmatrix([rf"\sigma'({s})" for s in P.z(l)])]
    if all(written):  # the last, most numeric, expression of each neuron's σ′
        segs.append(pmatrix([w[-1] for w in written]))
    segs.append(rf"\act{{{pmatrix(sp)}}}")
    parts.append(Part(with_note(f"Derivatives of {act.label}", kink_note(t, l)), " = ".join(segs)))
    d = P.delta(l)
    parts.append(
        Part(
            "Hadamard product:",
            (
                rf"\err{{\boldsymbol{{\delta}}^{{({l})}}}} = {pmatrix(E)} \odot \act{{{pmatrix(sp)}}} = "
                + pmatrix([rf"{E[j]} \times {sp[j]}" for j in range(n)])
                + rf" = \err{{{pmatrix(d)}}}"
            ),
        )
    )
    touches = Highlight(
        neurons=frozenset([(l, j) for j in range(1, n + 1)] + [(l + 1, i) for i in range(1, n_next + 1)]),
        edges=frozenset((l + 1, i, k) for i in range(1, n_next + 1) for k in range(1, n + 1)),
    )
    lhs, rhs = result_vector(r"\delta", l, d, bold=r"\boldsymbol")
    return Step(
        id=f"bp2-{l}",
        title=f"BP2 · error in layer {l}",
        tag="BP2",
        text=f"BP2 sends the error δ{sup(l + 1)} back through the weights (W{sup(l + 1)})ᵀ and "
        f"scales it by σ′(z{sup(l)}), how much each neuron of layer {l} passes on.",
        parts=tuple(parts),
        touches=touches,
        heading=f"Hidden Error δ{sup(l)} · BP2",
        result=rf"\err{{{lhs}}} = \err{{{rhs}}}",
    )


def build(c: Context) -> list[Step]:
    """BP2 from layer L − 1 down to the traced parameter's layer."""
    return [bp2_step(c, l) for l in range(c.trace.L - 1, c.param.l - 1, -1)]


def ask(c: Context, step: Step, eta: float) -> list[Draft]:
    """δ_k⁽ˡ⁾ = [(W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾]_k σ′(z_k⁽ˡ⁾) for every k."""
    t, l = c.trace, layer_of(step)
    W = t.weights[l]  # W⁽ˡ⁺¹⁾, shape (n_{l+1}, n_l)
    n_next, n = W.shape
    act = ACTIVATIONS[t.activations[l]]
    W_tex = rf"\wt{{{pmatrix2([fmt_all(row) for row in W])}}}^T"
    d_next = fmt_all(t.delta[l + 1])
    d_num = rf"\err{{{pmatrix(d_next) if n_next > 1 else paren(d_next[0])}}}"
    d_sym = rf"\err{{\boldsymbol{{\delta}}^{{({l + 1})}}}}"
    page = [p.latex for p in step.parts]
    sp_printed = fmt_all(t.sigma_prime[l])

    # σ′ of one neuron (a hidden layer's σ is elementwise), at z and at a; remembered, because
    # practice evaluates each formula again with every operand moved within its printed digits
    slopes: dict[tuple[float, float], float] = {}
    slopes_at_a: dict[float, float] = {}

    def sp(o: dict) -> float:
        key = (float(o["z"][0]), float(o["a"][0]))
        if key not in slopes:
            slopes[key] = float(act.prime(o["z"], o["a"])[0])
        return slopes[key]

    def sp_at_a(o: dict) -> float:
        key = float(o["a"][0])
        if key not in slopes_at_a:
            slopes_at_a[key] = float(sigma_prime_at_a(act, o["a"])[0])
        return slopes_at_a[key]

    def question(k: int) -> Draft:
        lhs = delta_tex(t, l, k + 1)
        z_s = tex_sym("z", l, k + 1, n)
        general = (
            rf"\left[\wt{{(\mathbf{{W}}^{{({l + 1})}})^T}}\,{d_sym}\right]_{{{k + 1}}}"
            rf"\,\act{{\sigma'({z_s})}}"
        )
        numbers = rf"\left[{W_tex}\,{d_num}\right]_{{{k + 1}}}\,\act{{\sigma'({fmt(t.z[l][k])})}}"
        formula = rf"\left[{W_tex}\,{d_sym}\right]_{{{k + 1}}}\,\act{{\sigma'({z_s})}}"
        ops = {"w": W[:, k], "d": t.delta[l + 1], "z": t.z[l][k : k + 1], "a": t.a[l][k : k + 1]}
        if n_next == n:
            ops["row"] = W[k, :]
        # the Hadamard product's row k, and each side of row k of the matrix-vector product
        # times the printed σ′ (a reader may skip rounding [(W)ᵀδ]_k)
        row = rf"[(\mathbf{{W}}^{{({l + 1})}})^T \boldsymbol{{\delta}}^{{({l + 1})}}]_{{{k + 1}}} ="
        printed = on_page(page, rf"\err{{\boldsymbol{{\delta}}^{{({l})}}}}", row=k)
        printed += [rf"\left({side}\right) \times {sp_printed[k]}" for side in on_page(page, row)]
        d = draft(
            step.id,
            f"delta{l},{k + 1}",
            unicode_sym("δ", l, k + 1, n),
            line(lhs, general, numbers),
            line(lhs, formula),
            float(t.delta[l][k]),
            lambda o: (o["w"] @ o["d"]) * sp(o),
            ops,
            printed,
        )
        z_u, a_u = unicode_sym("z", l, k + 1, n), unicode_sym("a", l, k + 1, n)
        d.mistakes += [
            (
                "sigma_prime_of_a",
                lambda o: (o["w"] @ o["d"]) * sp_at_a(o),
                sigma_prime_of_a(a_u, z_u),
            ),
            (
                "missing_sigma_prime",
                lambda o: o["w"] @ o["d"],
                f"That leaves out the factor σ′({z_u}): BP2 multiplies the error sent back by how "
                "much the neuron passes on.",
            ),
            ("sign", lambda o: -(o["w"] @ o["d"]) * sp(o), "The sign is flipped."),
        ]
        if n_next == n:  # W δ has the shape of δ⁽ˡ⁾ only for a square W
            d.mistakes.append(
                (
                    "no_transpose",
                    lambda o: (o["row"] @ o["d"]) * sp(o),
                    f"That uses row {k + 1} of W{sup(l + 1)} instead of its transpose: the error "
                    f"comes back along the weights leaving neuron {k + 1}, column {k + 1} of W{sup(l + 1)}.",
                )
            )
        return d

    return [question(k) for k in range(n)]


KIND = StepKind("bp2", build, ask)
