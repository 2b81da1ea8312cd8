"""The network: parameters, the forward pass and BP1–BP4, for any fully connected net.

Layers are indexed as in the notation: layer ``l`` in the code is layer ⁽ˡ⁾ on the page.
``weights[l-1]`` is W⁽ˡ⁾ with shape ``(n_l, n_{l-1})`` (row j = destination neuron, column k =
source neuron) and ``biases[l-1]`` is b⁽ˡ⁾ with shape ``(n_l,)``. :meth:`Network.trace` returns
a :class:`~.trace.Trace`. What a σ or a loss does comes from its registry entry
(:data:`ACTIVATIONS`, :data:`LOSSES`, :data:`BP1_FORMS`): nothing here branches on a name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .activations import ACTIVATIONS, DEFAULT_ACTIVATION, Activation, hidden_activations
from .bp1 import BP1_FORMS, Output, bp1_form
from .differences import EPS, losses_from, numerical_gradient, numerical_gradient_of
from .floats import Array, readonly
from .losses import DEFAULT_LOSS, LOSSES
from .params import Param, check_sizes, sub
from .trace import Trace
from .validation import check_parameters, finite_vector

if TYPE_CHECKING:
    from .batch import BatchTrace
    from .train import TrainRun

#: a pre-activation within this fraction of the size of its terms is rounding noise: exactly 0
ZERO_RTOL = 1e-12


class Network:
    """A fully connected network with one activation for hidden layers and one for the output.

    Parameters
    ----------
    weights : list of arrays (or nested lists), ``weights[l-1]`` = W⁽ˡ⁾ with shape ``(n_l, n_{l-1})``
    biases : list of arrays (or lists), ``biases[l-1]`` = b⁽ˡ⁾ with shape ``(n_l,)``
    activation : hidden layers' σ, a name in :data:`ACTIVATIONS` that is not ``output_only``
    output_activation : the output layer's σ, any name in :data:`ACTIVATIONS`; ``None`` means
        ``activation``
    loss : a name in :data:`LOSSES`

    A Network is never changed in place: :meth:`with_param` and :meth:`gradient_step` return
    new networks, so a trace always describes the parameters it was computed from.
    """

    def __init__(
        self,
        weights: Sequence[ArrayLike],
        biases: Sequence[ArrayLike],
        activation: str = DEFAULT_ACTIVATION,
        output_activation: str | None = None,
        loss: str = DEFAULT_LOSS,
    ) -> None:
        output_activation = activation if output_activation is None else output_activation
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(hidden_activations())}")
        if ACTIVATIONS[activation].output_only:
            raise ValueError(
                f"{activation} can only be the output activation, not a hidden layer's; "
                f"choose one of {', '.join(hidden_activations())} for hidden layers"
            )
        if output_activation not in ACTIVATIONS:
            raise ValueError(f"unknown output activation {output_activation!r}; choose one of {', '.join(ACTIVATIONS)}")
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
            raise ValueError(f"no form of BP1 is registered for {output_activation} outputs with {loss_fn.text}")
        self.activation = activation
        self.output_activation = output_activation
        self.loss_name = loss
        self.weights, self.biases, self.sizes = check_parameters(weights, biases)
        if out.coupled and self.sizes[-1] < 2:
            raise ValueError(
                f"{output_activation} needs at least 2 output neurons: with one, a = 1 whatever "
                "z is, and every gradient is 0"
            )
        # layer_names[l] is layer l's σ (l = 1..L); sigma[l] its registry entry, looked up once
        self.layer_names = ("input",) + tuple(
            output_activation if l == self.L else activation for l in range(1, self.L + 1)
        )
        self.sigma: dict[int, Activation] = {l: ACTIVATIONS[n] for l, n in enumerate(self.layer_names[1:], start=1)}

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def random(
        cls,
        sizes: Sequence[int],
        seed: int = 0,
        activation: str = DEFAULT_ACTIVATION,
        output_activation: str | None = None,
        loss: str = DEFAULT_LOSS,
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

    @classmethod
    def from_trace(cls, t: Trace) -> "Network":
        """The network a trace was computed from (with one layer there is no hidden σ: the
        default stands in, unused)."""
        return cls(
            t.weights, t.biases, t.activations[1] if t.L > 1 else DEFAULT_ACTIVATION, t.activations[t.L], t.loss_name
        )

    def _replace(self, weights: Sequence[ArrayLike], biases: Sequence[ArrayLike]) -> "Network":
        return Network(weights, biases, self.activation, self.output_activation, self.loss_name)

    def stepped(self, weights: Sequence[Array], biases: Sequence[Array]) -> "Network":
        """This network with new float arrays of the same shapes (a gradient step's): the names
        and shapes were checked when this network was made, so only finiteness is checked again
        (a step can overflow). Training makes one network per batch; the full checks of
        ``Network(...)`` were most of an epoch's time (benchmarks/bench_batch.py)."""
        if not np.isfinite(sum(float(p.sum()) for p in (*weights, *biases))):  # rare: say which
            return self._replace(weights, biases)
        new = object.__new__(Network)
        new.activation, new.output_activation, new.loss_name = self.activation, self.output_activation, self.loss_name
        new.weights = [readonly(np.array(W, dtype=float)) for W in weights]
        new.biases = [readonly(np.array(b, dtype=float)) for b in biases]
        new.sizes, new.layer_names, new.sigma = self.sizes[:], self.layer_names, dict(self.sigma)
        if [W.shape for W in new.weights] != [W.shape for W in self.weights] or [b.shape for b in new.biases] != [
            b.shape for b in self.biases
        ]:
            return self._replace(weights, biases)  # not a step of this network: check it all
        return new

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
        return self.stepped(weights, biases)

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
            raise ValueError(f"{p.unicode} does not exist: layers with {name} are 1..{self.L} in {self.sizes}")
        if not 1 <= p.j <= self.sizes[p.l]:
            raise ValueError(f"{p.unicode} does not exist: layer {p.l} has neurons j = 1..{self.sizes[p.l]}")
        if p.is_weight and not 1 <= p.k <= self.sizes[p.l - 1]:
            raise ValueError(f"{p.unicode} does not exist: layer {p.l - 1} has neurons k = 1..{self.sizes[p.l - 1]}")
        return p

    def get(self, param: "str | Param") -> float:
        p = self.check_param(param)
        v = self.weights[p.l - 1] if p.is_weight else self.biases[p.l - 1]
        return float(v[p.index])

    # -- inputs ---------------------------------------------------------------------------

    def check_xy(self, x: ArrayLike, y: ArrayLike) -> tuple[Array, Array]:
        """Validate and convert a sample: x of shape (n_0,), y of shape (n_L,) (a number if n_L = 1)."""
        x = finite_vector(x, "x", self.sizes[0])
        y = finite_vector(y, "y", self.sizes[-1])
        loss_fn = LOSSES[self.loss_name]
        if loss_fn.targets is not None:
            lo, hi = loss_fn.targets
            outside = np.flatnonzero((y < lo) | (y > hi))
            if outside.size:
                bad = int(outside[0])
                raise ValueError(f"{loss_fn.text} needs targets in [{lo:g}, {hi:g}]; y{sub(bad + 1)} = {y[bad]:g}")
        return x, y

    # -- forward and backward -------------------------------------------------------------

    def trace(self, x: ArrayLike, y: ArrayLike) -> Trace:
        """Forward pass and BP1–BP4 for one sample; every intermediate quantity, by layer."""
        x, y = self.check_xy(x, y)
        L = self.L
        z: list = [None]
        a: list = [x]
        sp: list = [None]
        with np.errstate(over="ignore", invalid="ignore"):
            for l in range(1, L + 1):
                act = self.sigma[l]
                z_l = self.weights[l - 1] @ a[l - 1] + self.biases[l - 1]  # z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾
                # a sum that cancels to rounding noise (0.1 + 0.1 − 0.3 + 0.1 = 2.8e-17) is 0: the
                # page prints 0.0, and ReLU′ must see the same 0 the student sees
                scale = np.abs(self.weights[l - 1]) @ np.abs(a[l - 1]) + np.abs(self.biases[l - 1])
                z_l[(np.abs(z_l) <= ZERO_RTOL * scale) & np.isfinite(scale)] = 0.0
                a_l = act.f(z_l)  # a⁽ˡ⁾ = σ(z⁽ˡ⁾)
                z.append(z_l)
                a.append(a_l)
                sp.append(act.prime(z_l, a_l))  # σ′(z⁽ˡ⁾)
            loss_fn = LOSSES[self.loss_name]
            loss = float(loss_fn.value(z[L], a[L], y, self.sigma[L]))
            grad_a = loss_fn.grad_a(z[L], a[L], y, self.sigma[L])  # ∇ₐL
            # BP1: δᴸ = ∇ₐL ⊙ σ′(zᴸ), or the form that applies
            form = bp1_form(self.output_activation, self.loss_name)
            delta: list = [None] * (L + 1)
            delta[L] = form.delta(Output(self.sigma[L], z[L], a[L], y, grad_a))
            # BP2: δ⁽ˡ⁾ = ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ σ′(z⁽ˡ⁾)
            for l in range(L - 1, 0, -1):
                delta[l] = (self.weights[l].T @ delta[l + 1]) * sp[l]
            # BP3: ∂L/∂w_{j,k}⁽ˡ⁾ = a_k⁽ˡ⁻¹⁾ δ_j⁽ˡ⁾;  BP4: ∂L/∂b_j⁽ˡ⁾ = δ_j⁽ˡ⁾
            grad_W: list = [None] + [delta[l][:, None] * a[l - 1] for l in range(1, L + 1)]
            grad_b: list = [None] + [delta[l].copy() for l in range(1, L + 1)]
        if not np.isfinite(loss) or not all(np.isfinite(g).all() for g in grad_W[1:]):
            raise ValueError(
                "the numbers overflowed (a value reached ±infinity): use smaller weights, biases or inputs"
            )
        for seq in (z, a, sp, delta, grad_W, grad_b):
            for arr in seq:
                if arr is not None:
                    readonly(arr)
        return Trace(
            x=x,
            y=y,
            sizes=tuple(self.sizes),
            weights=tuple(self.weights),
            biases=tuple(self.biases),
            activations=self.layer_names,
            loss_name=self.loss_name,
            z=z,
            a=a,
            sigma_prime=sp,
            delta=delta,
            grad_W=grad_W,
            grad_b=grad_b,
            grad_a=readonly(grad_a),
            loss=loss,
            bp1_form=form.name,
        )

    def batch_trace(self, X: ArrayLike, Y: ArrayLike) -> "BatchTrace":
        """Forward pass and BP1–BP4 for a mini-batch at once (rows of X, Y): :func:`.batch.batch_trace`."""
        from .batch import batch_trace

        return batch_trace(self, X, Y)

    def train(
        self,
        X: ArrayLike,
        Y: ArrayLike,
        epochs: int = 20,
        batch_size: int = 10,
        eta: float = 0.5,
        seed: int = 0,
        X_test: ArrayLike | None = None,
        Y_test: ArrayLike | None = None,
    ) -> "TrainRun":
        """Mini-batch gradient descent, shuffled by ``seed`` each epoch: :func:`.train.train`."""
        from .train import train

        return train(self, X, Y, epochs, batch_size, eta, seed, X_test, Y_test)

    def forward(self, x: ArrayLike) -> list[Array]:
        """Activations ``[a⁽⁰⁾, …, a⁽ᴸ⁾]`` for one input."""
        a = [finite_vector(x, "x", self.sizes[0])]
        for l in range(1, self.L + 1):
            a.append(self.sigma[l].f(self.weights[l - 1] @ a[-1] + self.biases[l - 1]))
        return a

    def loss_value(self, x: ArrayLike, y: ArrayLike) -> float:
        """L(x, y) from a forward pass only."""
        x, y = self.check_xy(x, y)
        a = self.forward(x)
        z_L = self.weights[-1] @ a[-2] + self.biases[-1]
        return float(losses_from(self, self.L, z_L[None, :], y)[0])

    # -- finite differences (:mod:`.differences`) ----------------------------------------

    def numerical_gradient(self, x: ArrayLike, y: ArrayLike, eps: float = EPS) -> tuple[list[Array], list[Array]]:
        """Centred differences for every weight and bias: :func:`.differences.numerical_gradient`."""
        return numerical_gradient(self, x, y, eps)

    def numerical_gradient_of(self, param: "str | Param", x: ArrayLike, y: ArrayLike, eps: float = EPS) -> dict:
        """The centred difference for one parameter: :func:`.differences.numerical_gradient_of`."""
        return numerical_gradient_of(self, param, x, y, eps)

    def gradient_of(self, param: "str | Param", x: ArrayLike, y: ArrayLike) -> float:
        """∂L/∂(param) by backprop (BP3 for a weight, BP4 for a bias)."""
        p = self.check_param(param)
        return self.trace(x, y).grad(p)

    def __repr__(self) -> str:
        out = "" if self.output_activation == self.activation else f", output={self.output_activation}"
        return f"Network({list(self.sizes)}, {self.activation}{out}, loss={self.loss_name})"
