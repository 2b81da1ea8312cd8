"""The numpy backprop core: forward pass, BP1–BP4, finite differences, for any MLP.

numpy only — no widgets, no plotting. Layers are indexed as in the notation: layer ``l`` in
the code is layer ⁽ˡ⁾ on the page. ``weights[l-1]`` is W⁽ˡ⁾ with shape ``(n_l, n_{l-1})``
(row j = destination neuron, column k = source neuron) and ``biases[l-1]`` is b⁽ˡ⁾ with
shape ``(n_l,)``. In a :class:`Trace`, ``a[0]`` is the input x and ``z[l]``, ``a[l]``,
``sigma_prime[l]``, ``delta[l]``, ``grad_W[l]``, ``grad_b[l]`` hold layer ``l = 1..L``
(index 0 of those lists is ``None``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .functions import (
    ACTIVATIONS,
    BP1_FORMS,
    HIDDEN_ACTIVATIONS,
    LOSSES,
    UNIT_ROUNDOFF,
    Activation,
    Output,
    bp1_form,
    rounding_of,
)
from .numfmt import SUBSCRIPT, SUPERSCRIPT, fmt, sci

Array = np.ndarray

#: a pre-activation within this fraction of the size of its terms is rounding noise: exactly 0
ZERO_RTOL = 1e-12
#: the worked example's threshold for the relative error of a gradient check
CHECK_THRESHOLD = 1e-5
#: the step ε of the centred differences (θ ± ε)
EPS = 1e-5
#: a gradient check's status → its mark and verdict (the one copy: messages, header, table)
CHECK_MARKS = {"agree": ("✓", "pass"), "rounding": ("≈", "too small to check"),
               "kink": ("⚠", "kink"), "disagree": ("✗", "fail")}
#: what a loss can lose to values that underflow (2.5e-324 each, however steeply L depends on them)
UNDERFLOW = 1e-290


def sup(l: int) -> str:
    """``⁽ˡ⁾`` in Unicode superscripts, for messages: ``sup(2) == '⁽²⁾'``."""
    return "⁽" + str(l).translate(SUPERSCRIPT) + "⁾"


def sub(i: "int | str") -> str:
    """Digits (and commas) as Unicode subscripts: ``sub(12) == '₁₂'``, ``sub('1,2') == '₁,₂'``."""
    return str(i).translate(SUBSCRIPT)


# --- parsing ---------------------------------------------------------------------------------

_SIZES_BRACKETS = re.compile(r"^\s*[\[(]?(.*?)[\])]?\s*$")


_SAMPLE_NAME = re.compile(r"([xy])([1-9][0-9]{0,5})")


def parse_sample_name(name: str) -> tuple[str, int] | None:
    """``"x2"`` → ``("x", 2)`` (an input), ``"y1"`` → ``("y", 1)`` (a target); ``None`` for any
    other name (a parameter such as ``w1,1,1``, or nothing). The range is the caller's to check."""
    m = _SAMPLE_NAME.fullmatch(str(name).strip())
    return (m.group(1), int(m.group(2))) if m else None


def parse_sizes(text: str) -> list[int]:
    """Parse an architecture such as ``"3,2,2,1"``, ``"3-2-2-1"`` or ``"[3, 2, 2, 1]"``.

    Raises ``ValueError`` with a message a student can act on for anything else.
    """
    if not isinstance(text, str):
        raise ValueError(f"architecture must be text like 3,2,2,1, got {type(text).__name__}")
    m = _SIZES_BRACKETS.match(text)
    if m is None:  # only a line break inside the text fails to match: "." stops there
        raise ValueError("architecture must be one line of layer sizes, e.g. 3,2,2,1")
    inner = m.group(1).strip()
    if not inner:
        raise ValueError("architecture is empty: write the layer sizes, e.g. 3,2,2,1")
    sep = "," if "," in inner else "-" if "-" in inner else None
    tokens = [t.strip() for t in (inner.split(sep) if sep else inner.split())]
    sizes = []
    for i, token in enumerate(tokens, start=1):
        if not token.isdigit() or not token.isascii():
            raise ValueError(
                f"architecture entry {i} is {token!r}: each layer size must be a whole number ≥ 1, "
                "e.g. 3,2,2,1"
            )
        sizes.append(int(token))
    check_sizes(sizes)
    return sizes


def check_sizes(sizes: Sequence[int]) -> list[int]:
    """Validate layer sizes ``[n_0, …, n_L]``: at least two layers, each ≥ 1."""
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"architecture needs at least two layers (input and output), got {len(sizes)}"
        )
    for l, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"layer {l} must have at least 1 neuron, got {n!r}")
    return [int(n) for n in sizes]


@dataclass(frozen=True, order=True)
class Param:
    """One weight w_{j,k}⁽ˡ⁾ (``kind="w"``) or bias b_j⁽ˡ⁾ (``kind="b"``), 1-based as in the notation.

    ``Param.parse("w1,1,1")`` is w_{1,1}⁽¹⁾; ``Param.parse("b2,1")`` is b_1⁽²⁾.
    """

    kind: str
    l: int
    j: int
    k: int = 0  # source neuron for a weight; 0 for a bias

    _PATTERN = re.compile(r"^\s*([wWbB])\s*_?\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*(\d+)\s*)?$")

    @classmethod
    def parse(cls, text: "str | Param") -> "Param":
        if isinstance(text, Param):
            return text
        m = cls._PATTERN.match(str(text))
        if not m:
            raise ValueError(
                f"parameter {text!r} not understood: write w<l>,<j>,<k> for a weight "
                "(e.g. w1,1,1) or b<l>,<j> for a bias (e.g. b2,1)"
            )
        kind, l, j, k = m.group(1).lower(), int(m.group(2)), int(m.group(3)), m.group(4)
        if kind == "w" and k is None:
            raise ValueError(f"weight {text!r} needs three indices: w<l>,<j>,<k>, e.g. w1,1,1")
        if kind == "b" and k is not None:
            raise ValueError(f"bias {text!r} takes two indices: b<l>,<j>, e.g. b2,1")
        return cls(kind, l, j, int(k) if k is not None else 0)

    @property
    def is_weight(self) -> bool:
        return self.kind == "w"

    @property
    def index(self) -> tuple[int, ...]:
        """0-based index into ``weights[l-1]`` / ``biases[l-1]`` (and ``grad_W[l]`` / ``grad_b[l]``)."""
        return (self.j - 1, self.k - 1) if self.is_weight else (self.j - 1,)

    def __str__(self) -> str:
        return f"w{self.l},{self.j},{self.k}" if self.is_weight else f"b{self.l},{self.j}"

    @property
    def latex(self) -> str:
        if self.is_weight:
            return rf"w_{{{self.j},{self.k}}}^{{({self.l})}}"
        return rf"b_{{{self.j}}}^{{({self.l})}}"

    @property
    def unicode(self) -> str:
        if self.is_weight:
            return f"w{sub(f'{self.j},{self.k}')}{sup(self.l)}"
        return f"b{sub(self.j)}{sup(self.l)}"


# --- the trace -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Trace:
    """Everything one forward + backward pass computes, indexed as in the notation.

    Arrays are read-only. ``bp1_form`` says which form of BP1 applied:

    - ``"hadamard"``: δᴸ = ∇ₐL ⊙ σ′(zᴸ), σ′ elementwise;
    - ``"sigmoid_cross_entropy"``: sigmoid outputs with cross-entropy, where ∇ₐL ⊙ σ′(zᴸ)
      simplifies to δᴸ = aᴸ − y (computed in that form, exact even when a saturates);
    - ``"softmax_cross_entropy"``: δⱼᴸ = aⱼᴸ·Σₖyₖ − yⱼ, which is aᴸ − y for targets that sum to 1;
    - ``"softmax_jacobian"``: softmax with MSE, δᴸ = Jᵀ ∇ₐL with J = diag(a) − a aᵀ.

    (:data:`~backprop_widgets.core.functions.BP1_FORMS` holds them.)
    """

    x: Array
    y: Array
    sizes: tuple[int, ...]
    weights: tuple[Array, ...]
    biases: tuple[Array, ...]
    activations: tuple[str, ...]  # activations[l] is layer l's σ for l = 1..L; [0] is "input"
    loss_name: str
    z: list
    a: list
    sigma_prime: list
    delta: list
    grad_W: list
    grad_b: list
    grad_a: Array  # ∇ₐL at the output layer
    loss: float
    bp1_form: str

    @property
    def L(self) -> int:
        """Index of the output layer."""
        return len(self.sizes) - 1

    def grad(self, param: "str | Param") -> float:
        """∂L/∂(param) from BP3 (weights) or BP4 (biases)."""
        p = Param.parse(param)
        g = self.grad_W[p.l] if p.is_weight else self.grad_b[p.l]
        return float(g[p.index])

    def value(self, param: "str | Param") -> float:
        """The current value of a weight or bias."""
        p = Param.parse(param)
        v = self.weights[p.l - 1] if p.is_weight else self.biases[p.l - 1]
        return float(v[p.index])


def _readonly(arr: Array) -> Array:
    arr.setflags(write=False)
    return arr


# --- the network -----------------------------------------------------------------------------


class Network:
    """A fully connected network with one activation for hidden layers and one for the output.

    Parameters
    ----------
    weights : list of arrays (or nested lists), ``weights[l-1]`` = W⁽ˡ⁾ with shape ``(n_l, n_{l-1})``
    biases : list of arrays (or lists), ``biases[l-1]`` = b⁽ˡ⁾ with shape ``(n_l,)``
    activation : hidden layers' σ, one of ``sigmoid``, ``tanh``, ``relu``, ``linear``
    output_activation : the output layer's σ (also ``softmax``); ``None`` means ``activation``
    loss : ``mse`` (½ Σ (a − y)²) or ``cross_entropy``

    A Network is never changed in place: :meth:`with_param` and :meth:`gradient_step` return
    new networks, so a trace always describes the parameters it was computed from.
    """

    def __init__(
        self,
        weights: Sequence[ArrayLike],
        biases: Sequence[ArrayLike],
        activation: str = "sigmoid",
        output_activation: str | None = None,
        loss: str = "mse",
    ) -> None:
        output_activation = activation if output_activation is None else output_activation
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"unknown activation {activation!r}; choose one of {', '.join(HIDDEN_ACTIVATIONS)}"
            )
        if ACTIVATIONS[activation].output_only:
            raise ValueError(
                f"{activation} can only be the output activation, not a hidden layer's; "
                f"choose one of {', '.join(HIDDEN_ACTIVATIONS)} for hidden layers"
            )
        if output_activation not in ACTIVATIONS:
            raise ValueError(
                f"unknown output activation {output_activation!r}; "
                f"choose one of {', '.join(ACTIVATIONS)}"
            )
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
        out, loss_fn = ACTIVATIONS[output_activation], LOSSES[loss]
        if loss_fn.outputs is not None and not loss_fn.accepts(out):
            lo, hi = loss_fn.outputs
            allowed = " or ".join(n for n, a in ACTIVATIONS.items() if loss_fn.accepts(a))
            raise ValueError(
                f"{loss_fn.text} needs outputs in ({lo:g}, {hi:g}): use a {allowed} output "
                f"activation, not {output_activation}"
            )
        if out.coupled and (output_activation, loss) not in BP1_FORMS:
            raise ValueError(f"no form of BP1 is registered for {output_activation} outputs "
                             f"with {loss_fn.text}")
        self.activation = activation
        self.output_activation = output_activation
        self.loss = loss
        self.weights, self.biases, self.sizes = _check_parameters(weights, biases)
        if out.coupled and self.sizes[-1] < 2:
            raise ValueError(
                f"{output_activation} needs at least 2 output neurons: with one, a = 1 whatever "
                "z is, and every gradient is 0"
            )
        # layer_names[l] is layer l's σ (l = 1..L); _acts[l] its registry entry, looked up once
        self.layer_names = ("input",) + tuple(
            output_activation if l == self.L else activation for l in range(1, self.L + 1)
        )
        self._acts: dict[int, Activation] = {
            l: ACTIVATIONS[n] for l, n in enumerate(self.layer_names[1:], start=1)
        }

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def random(
        cls,
        sizes: Sequence[int],
        seed: int = 0,
        activation: str = "sigmoid",
        output_activation: str | None = None,
        loss: str = "mse",
    ) -> "Network":
        """A reproducible random network: the same ``seed`` always gives the same numbers.

        Weights are Glorot-uniform, biases uniform in [−0.5, 0.5], both rounded to two decimals
        so that a worked example built from them stays readable.
        """
        sizes = check_sizes(sizes)
        rng = np.random.default_rng(seed)
        weights, biases = [], []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            limit = np.sqrt(6.0 / (n_in + n_out))
            weights.append(np.round(rng.uniform(-limit, limit, size=(n_out, n_in)), 2))
            biases.append(np.round(rng.uniform(-0.5, 0.5, size=n_out), 2))
        return cls(weights, biases, activation, output_activation, loss)

    def _replace(self, weights, biases) -> "Network":
        return Network(weights, biases, self.activation, self.output_activation, self.loss)

    def with_param(self, param: "str | Param", value: float) -> "Network":
        """A copy of this network with one weight or bias set to ``value``."""
        p = self.check_param(param)
        weights = [W.copy() for W in self.weights]
        biases = [b.copy() for b in self.biases]
        (weights if p.is_weight else biases)[p.l - 1][p.index] = value
        return self._replace(weights, biases)

    def gradient_step(self, x, y, eta: float = 0.5, trace: "Trace | None" = None) -> "Network":
        """One step of gradient descent, W⁽ˡ⁾ ← W⁽ˡ⁾ − η ∂L/∂W⁽ˡ⁾ and b⁽ˡ⁾ ← b⁽ˡ⁾ − η ∂L/∂b⁽ˡ⁾.

        Returns a new network; pass ``trace`` to reuse gradients already computed for (x, y).
        """
        eta = float(eta)
        if not np.isfinite(eta) or eta <= 0:
            raise ValueError(f"learning rate η must be a positive number, got {eta}")
        t = trace if trace is not None else self.trace(x, y)
        weights = [W - eta * t.grad_W[l] for l, W in enumerate(self.weights, start=1)]
        biases = [b - eta * t.grad_b[l] for l, b in enumerate(self.biases, start=1)]
        return self._replace(weights, biases)

    # -- parameters -----------------------------------------------------------------------

    @property
    def L(self) -> int:
        return len(self.sizes) - 1

    def parameters(self) -> list[Param]:
        """Every weight and bias, layer by layer: W⁽ˡ⁾ row by row, then b⁽ˡ⁾."""
        out = []
        for l in range(1, self.L + 1):
            n_out, n_in = self.sizes[l], self.sizes[l - 1]
            out += [Param("w", l, j, k) for j in range(1, n_out + 1) for k in range(1, n_in + 1)]
            out += [Param("b", l, j) for j in range(1, n_out + 1)]
        return out

    def check_param(self, param: "str | Param") -> Param:
        """Parse ``param`` and check that this network has it; ``ValueError`` naming it if not."""
        p = Param.parse(param)
        name = "w" if p.is_weight else "b"
        if not 1 <= p.l <= self.L:
            raise ValueError(
                f"{p.unicode} does not exist: layers with {name} are 1..{self.L} in {self.sizes}"
            )
        if not 1 <= p.j <= self.sizes[p.l]:
            raise ValueError(
                f"{p.unicode} does not exist: layer {p.l} has neurons j = 1..{self.sizes[p.l]}"
            )
        if p.is_weight and not 1 <= p.k <= self.sizes[p.l - 1]:
            raise ValueError(
                f"{p.unicode} does not exist: layer {p.l - 1} has neurons k = "
                f"1..{self.sizes[p.l - 1]}"
            )
        return p

    def get(self, param: "str | Param") -> float:
        p = self.check_param(param)
        v = self.weights[p.l - 1] if p.is_weight else self.biases[p.l - 1]
        return float(v[p.index])

    # -- inputs ---------------------------------------------------------------------------

    def check_xy(self, x, y) -> tuple[Array, Array]:
        """Validate and convert a sample: x of shape (n_0,), y of shape (n_L,) (a number if n_L = 1)."""
        x = _finite_vector(x, "x", self.sizes[0])
        y = _finite_vector(y, "y", self.sizes[-1])
        loss = LOSSES[self.loss]
        if loss.targets is not None:
            lo, hi = loss.targets
            outside = np.flatnonzero((y < lo) | (y > hi))
            if outside.size:
                bad = int(outside[0])
                raise ValueError(f"{loss.text} needs targets in [{lo:g}, {hi:g}]; "
                                 f"y{sub(bad + 1)} = {y[bad]:g}")
        return x, y

    # -- forward and backward -------------------------------------------------------------

    def trace(self, x, y) -> Trace:
        """Forward pass and BP1–BP4 for one sample; every intermediate quantity, by layer."""
        x, y = self.check_xy(x, y)
        L = self.L
        z: list = [None]
        a: list = [x]
        sp: list = [None]
        with np.errstate(over="ignore", invalid="ignore"):
            for l in range(1, L + 1):
                act = self._acts[l]
                z_l = self.weights[l - 1] @ a[l - 1] + self.biases[l - 1]  # z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾
                # a sum that cancels to rounding noise (0.1 + 0.1 − 0.3 + 0.1 = 2.8e-17) is 0: the
                # page prints 0.0, and ReLU′ must see the same 0 the student sees
                scale = np.abs(self.weights[l - 1]) @ np.abs(a[l - 1]) + np.abs(self.biases[l - 1])
                z_l[(np.abs(z_l) <= ZERO_RTOL * scale) & np.isfinite(scale)] = 0.0
                a_l = act.f(z_l)  # a⁽ˡ⁾ = σ(z⁽ˡ⁾)
                z.append(z_l)
                a.append(a_l)
                sp.append(act.prime(z_l, a_l))  # σ′(z⁽ˡ⁾)
            loss_fn = LOSSES[self.loss]
            loss = float(loss_fn.value(z[L], a[L], y, self._acts[L]))
            grad_a = loss_fn.grad_a(z[L], a[L], y, self._acts[L])  # ∇ₐL
            # BP1: δᴸ = ∇ₐL ⊙ σ′(zᴸ), or the form that applies
            form = bp1_form(self.output_activation, self.loss)
            delta: list = [None] * (L + 1)
            delta[L] = form.delta(Output(self._acts[L], z[L], a[L], y, grad_a))
            # BP2: δ⁽ˡ⁾ = ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ σ′(z⁽ˡ⁾)
            for l in range(L - 1, 0, -1):
                delta[l] = (self.weights[l].T @ delta[l + 1]) * sp[l]
            # BP3: ∂L/∂w_{j,k}⁽ˡ⁾ = a_k⁽ˡ⁻¹⁾ δ_j⁽ˡ⁾;  BP4: ∂L/∂b_j⁽ˡ⁾ = δ_j⁽ˡ⁾
            grad_W: list = [None] + [delta[l][:, None] * a[l - 1] for l in range(1, L + 1)]
            grad_b: list = [None] + [delta[l].copy() for l in range(1, L + 1)]
        if not np.isfinite(loss) or not all(np.isfinite(g).all() for g in grad_W[1:]):
            raise ValueError(
                "the numbers overflowed (a value reached ±infinity): use smaller weights, "
                "biases or inputs"
            )
        for seq in (z, a, sp, delta, grad_W, grad_b):
            for arr in seq:
                if arr is not None:
                    _readonly(arr)
        return Trace(
            x=x, y=y, sizes=tuple(self.sizes), weights=tuple(self.weights),
            biases=tuple(self.biases),
            activations=self.layer_names,
            loss_name=self.loss, z=z, a=a, sigma_prime=sp, delta=delta, grad_W=grad_W,
            grad_b=grad_b, grad_a=_readonly(grad_a), loss=loss, bp1_form=form.name,
        )

    def forward(self, x) -> list[Array]:
        """Activations ``[a⁽⁰⁾, …, a⁽ᴸ⁾]`` for one input."""
        a = [_finite_vector(x, "x", self.sizes[0])]
        for l in range(1, self.L + 1):
            a.append(self._acts[l].f(self.weights[l - 1] @ a[-1] + self.biases[l - 1]))
        return a

    def loss_value(self, x, y) -> float:
        """L(x, y) from a forward pass only."""
        x, y = self.check_xy(x, y)
        a = self.forward(x)
        z_L = self.weights[-1] @ a[-2] + self.biases[-1]
        return float(self._losses_from(self.L, z_L[None, :], y)[0])

    # -- finite differences ---------------------------------------------------------------

    def _losses_from(self, l: int, z_l: Array, y: Array) -> Array:
        """Losses for a batch of pre-activations ``z_l`` (shape (P, n_l)) of layer ``l``,
        each run forward to the loss."""
        for m in range(l, self.L + 1):
            a_m = self._acts[m].f(z_l)
            if m == self.L:
                return LOSSES[self.loss].value(z_l, a_m, y, self._acts[m])
            z_l = a_m @ self.weights[m].T + self.biases[m]
        raise AssertionError("unreachable")

    def _perturbed_losses(self, l: int, a_prev: Array, y: Array, eps: float,
                          rows: Array, cols: Array) -> tuple[Array, Array]:
        """L⁺ and L⁻ for parameters of layer ``l``, in one batch.

        ``rows[i]`` is j − 1 and ``cols[i]`` is k − 1 of the i-th parameter (``cols[i] = -1``
        for the bias b_j). Each parameter really is set to value ± ε and z⁽ˡ⁾ recomputed from it:
        only row j of W⁽ˡ⁾ (or b_j⁽ˡ⁾) differs, so only z_j⁽ˡ⁾ is recomputed, as the dot product
        of the perturbed row with a⁽ˡ⁻¹⁾. The layers above run once for the whole batch.
        """
        W, b = self.weights[l - 1], self.biases[l - 1]
        n = len(rows)
        rows2 = np.concatenate([rows, rows])
        cols2 = np.concatenate([cols, cols])
        sign = np.repeat([eps, -eps], n)
        W_rows = W[rows2]  # fancy indexing copies: the network's own W is untouched
        b_rows = b[rows2]
        is_w = cols2 >= 0
        w_at = np.flatnonzero(is_w)
        W_rows[w_at, cols2[w_at]] += sign[w_at]
        b_rows[~is_w] += sign[~is_w]
        Z = np.broadcast_to(W @ a_prev + b, (2 * n, len(b))).copy()
        Z[np.arange(2 * n), rows2] = W_rows @ a_prev + b_rows
        losses = self._losses_from(l, Z, y)
        return losses[:n], losses[n:]

    def numerical_gradient(self, x, y, eps: float = EPS) -> tuple[list[Array], list[Array]]:
        """Centred differences (L(θ + ε) − L(θ − ε)) / 2ε for every weight and bias.

        Returns ``(gW, gb)`` indexed like ``Trace.grad_W`` / ``grad_b``: ``gW[l]`` has W⁽ˡ⁾'s
        shape, ``gW[0]`` is ``None``. Vectorised: one batched forward pass per layer, reusing
        the unchanged activations below that layer.
        """
        x, y = self.check_xy(x, y)
        eps = _check_eps(eps)
        a = self.forward(x)
        gW: list = [None]
        gb: list = [None]
        for l in range(1, self.L + 1):
            n_out, n_in = self.sizes[l], self.sizes[l - 1]
            # every w_{j,k}⁽ˡ⁾ row by row (matching W⁽ˡ⁾.ravel()), then every b_j⁽ˡ⁾
            rows = np.concatenate([np.repeat(np.arange(n_out), n_in), np.arange(n_out)])
            cols = np.concatenate([np.tile(np.arange(n_in), n_out), np.full(n_out, -1)])
            plus, minus = self._perturbed_losses(l, a[l - 1], y, eps, rows, cols)
            g = (plus - minus) / (2 * eps)
            n_w = self.sizes[l] * self.sizes[l - 1]
            gW.append(g[:n_w].reshape(self.sizes[l], self.sizes[l - 1]))
            gb.append(g[n_w:])
        return gW, gb

    def numerical_gradient_of(self, param: "str | Param", x, y, eps: float = EPS) -> dict:
        """The centred difference for one parameter, with everything a panel shows.

        Returns ``{"value", "eps", "loss_plus", "loss_minus", "numerical"}``.
        """
        p = self.check_param(param)
        x, y = self.check_xy(x, y)
        eps = _check_eps(eps)
        a = self.forward(x)
        rows, cols = np.array([p.j - 1]), np.array([p.k - 1 if p.is_weight else -1])
        plus, minus = self._perturbed_losses(p.l, a[p.l - 1], y, eps, rows, cols)
        return {
            "value": self.get(p), "eps": eps, "loss_plus": float(plus[0]),
            "loss_minus": float(minus[0]), "numerical": float((plus[0] - minus[0]) / (2 * eps)),
        }

    def gradient_of(self, param: "str | Param", x, y) -> float:
        """∂L/∂(param) by backprop (BP3 for a weight, BP4 for a bias)."""
        p = self.check_param(param)
        return self.trace(x, y).grad(p)

    def __repr__(self) -> str:
        out = "" if self.output_activation == self.activation else f", output={self.output_activation}"
        return f"Network({list(self.sizes)}, {self.activation}{out}, loss={self.loss})"


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
        return (f"z{sub(self.j)}{sup(self.l)} = {f(self.z)} of a {self.label} unit is within ±ε's "
                f"reach (about {f(self.reach)}) of its kink at {f(self.at)}: the centred "
                f"difference mixes the slopes {f(self.slopes[0])} and {f(self.slopes[1])} on its "
                f"two sides, while backprop used {used}"
                + (", the convention at the kink" if self.z == self.at else ", the slope at z"))


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
    def passed(self) -> bool:
        return self.status in ("agree", "rounding")

    @property
    def mark(self) -> str:
        """✓, ≈, ⚠ or ✗."""
        return CHECK_MARKS[self.status][0]

    @property
    def verdict(self) -> str:
        """pass, too small to check, kink or fail."""
        return CHECK_MARKS[self.status][1]

    @property
    def message(self) -> str:
        gap = sci(abs(self.analytic - self.numerical), unicode=True)
        tol = sci(self.tolerance, unicode=True)
        return self.mark + " " + {
            "agree": "analytical and numerical gradients agree",
            "rounding": f"too small to check at this ε: the two differ by {gap}, within the "
                        f"centred difference's own error at this ε (up to {tol}, from rounding in "
                        "L⁺ and L⁻ and from truncation)",
            "kink": f"{self.kink}",
            "disagree": f"analytical and numerical gradients disagree: they differ by {gap}, "
                        f"more than the centred difference's own error at this ε (up to {tol})",
        }[self.status]


def check_gradient(trace: "Trace", param: "str | Param", numerical: float, eps: float = EPS,
                   threshold: float = CHECK_THRESHOLD) -> GradientCheck:
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


def loss_rounding_error(t: "Trace") -> float:
    """A bound on the floating-point error of the computed loss, from the magnitudes summed.

    To first order an error η in z_j⁽ˡ⁾ moves L by δ_j⁽ˡ⁾η, and one in a_k⁽ˡ⁾ by
    [(W⁽ˡ⁺¹⁾)ᵀδ⁽ˡ⁺¹⁾]_k η (bounded with |W| and |δ|). Each z = Wa + b of n terms is off by at
    most γ_{n+1}(|W||a| + |b|) with γ_n = nu/(1 − nu); each a = σ(z) by ``rounding_of``; the loss
    adds its own (``Loss.rounding``), and :data:`UNDERFLOW` what underflows.
    """
    L = t.L
    err = 0.0
    for l in range(1, L + 1):
        W = t.weights[l - 1]
        nu = (W.shape[1] + 1) * UNIT_ROUNDOFF
        err += np.abs(t.delta[l]) @ (nu / (1 - nu) * (np.abs(W) @ np.abs(t.a[l - 1])
                                                      + np.abs(t.biases[l - 1])))
        if l < L:
            err += (np.abs(t.weights[l]).T @ np.abs(t.delta[l + 1])) @ rounding_of(t.z[l], t.a[l])
    out = ACTIVATIONS[t.activations[L]]
    # values below the smallest double (e^{−800}, 10^{−400}) flush to 0: UNDERFLOW covers them
    return float(err + LOSSES[t.loss_name].rounding(t.z[L], t.a[L], t.y, out, t.loss) + UNDERFLOW)


def centred_difference_error(t: "Trace", p: Param, eps: float) -> float:
    """How far (L⁺ − L⁻)/2ε can be from ∂L/∂θ at this ε, for a smooth loss.

    Rounding: L⁺ and L⁻ are each off by up to :func:`loss_rounding_error` (doubled: it is a
    first-order bound, taken at θ), and θ ± ε is itself rounded. Truncation: the centred
    difference is off by ε²L‴/6 + O(ε⁴); |D(2ε) − D(ε)| is three times that, and is used whole.
    """
    net = _network(t)
    d1, d2 = (net.numerical_gradient_of(p, t.x, t.y, e)["numerical"] for e in (eps, 2 * eps))
    rounding = 2 * loss_rounding_error(t) / eps
    step = 2 * UNIT_ROUNDOFF * (abs(t.value(p)) + eps) / eps * abs(d1)
    return float(rounding + step + abs(d2 - d1))


def kink_within_reach(t: "Trace", p: Param, eps: float) -> Kink | None:
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
                    found, nearest = Kink(m, int(j) + 1, float(t.z[m][j]), at, float(reach[j]),
                                          slopes, float(t.sigma_prime[m][j]), act.label), closeness
        if m < t.L:
            s = np.abs(t.weights[m]) @ (steepest * s)
    return found


def _network(t: "Trace") -> Network:
    """The network a trace was computed from (with one layer there is no hidden σ: any will do)."""
    return Network(t.weights, t.biases, t.activations[1] if t.L > 1 else "linear",
                   t.activations[t.L], t.loss_name)


def relative_error(analytic, numerical) -> Array:
    """|g − ĝ| / max(|g| + |ĝ|, 1e-12), elementwise (0 when both are 0)."""
    analytic, numerical = np.asarray(analytic, float), np.asarray(numerical, float)
    return np.abs(analytic - numerical) / np.maximum(np.abs(analytic) + np.abs(numerical), 1e-12)


# --- validation helpers ----------------------------------------------------------------------


def _check_eps(eps) -> float:
    eps = float(eps)
    if not np.isfinite(eps) or eps <= 0:
        raise ValueError(f"ε must be a small positive number, got {eps}")
    return eps


def _as_float_array(value, what: str) -> Array:
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers, got {value!r}") from None
    return arr


def _finite_vector(value, what: str, n: int) -> Array:
    arr = _as_float_array(value, what)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.shape != (n,):
        raise ValueError(f"{what} must have {n} entr{'y' if n == 1 else 'ies'}, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        i = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise ValueError(f"{what}{sub(i + 1)} must be a finite number, got {arr[i]}")
    return _readonly(arr)


def _check_parameters(weights, biases) -> tuple[list[Array], list[Array], list[int]]:
    weights, biases = list(weights), list(biases)
    if not weights:
        raise ValueError("a network needs at least one layer of weights")
    if len(biases) != len(weights):
        raise ValueError(f"got {len(weights)} weight matrices but {len(biases)} bias vectors")
    Ws, bs = [], []
    for l, W in enumerate(weights, start=1):
        W = _as_float_array(W, f"W{sup(l)}")
        if W.ndim != 2:
            raise ValueError(f"W{sup(l)} must be a matrix (n_{l}, n_{l - 1}), got shape {W.shape}")
        Ws.append(W)
    sizes = [Ws[0].shape[1]] + [W.shape[0] for W in Ws]
    for l, W in enumerate(Ws, start=1):
        expected = (sizes[l], sizes[l - 1])
        if W.shape != expected or min(W.shape) < 1:
            raise ValueError(f"W{sup(l)} must have shape {expected}, got {W.shape}")
        _check_finite(W, f"W{sup(l)}")
        _readonly(W)
    for l, b in enumerate(biases, start=1):
        b = _as_float_array(b, f"b{sup(l)}")
        if b.shape != (sizes[l],):
            raise ValueError(f"b{sup(l)} must have shape ({sizes[l]},), got {b.shape}")
        _check_finite(b, f"b{sup(l)}")
        bs.append(_readonly(b))
    check_sizes(sizes)
    return Ws, bs, sizes


def _check_finite(arr: Array, what: str) -> None:
    if not np.isfinite(arr).all():
        idx = tuple(int(i) + 1 for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{what} has a non-finite entry at {idx}: {arr[tuple(i - 1 for i in idx)]}")


# --- the page --------------------------------------------------------------------------------


def default_sample(net: Network) -> tuple[Array, Array]:
    """A readable input and a valid target for a network with no sample of its own:
    x evenly from 1 to −1 (two decimals), y one-hot on class 1 for coupled outputs (softmax,
    whose outputs sum to 1), else all 1 (valid for every loss, as cross-entropy needs y in [0, 1])."""
    x = np.round(np.linspace(1.0, -1.0, net.sizes[0]), 2)
    n_L = net.sizes[-1]
    y = np.eye(n_L)[0] if ACTIVATIONS[net.output_activation].coupled else np.ones(n_L)
    return x, y



def seed_example() -> tuple[Network, Array, Array]:
    """The worked example the product grew from: [3,2,2,1], sigmoid, MSE, x = (1, 0.5, −1), y = 1."""
    net = Network(
        weights=[
            [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]],
            [[0.7, 0.8], [0.9, 1.0]],
            [[0.3, 0.4]],
        ],
        biases=[[0.1, 0.2], [0.1, 0.2], [0.1]],
        activation="sigmoid",
        loss="mse",
    )
    return net, np.array([1.0, 0.5, -1.0]), np.array([1.0])
