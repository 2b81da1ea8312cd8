"""A mini-batch: the forward pass and BP1–BP4 for m samples at once, as matrices.

Row i of every array is sample i (0-based, as in ``X[i]``): ``X`` has shape (m, n₀),
``z[l]``, ``a[l]``, ``delta[l]`` have shape (m, n_l), and ``a[0]`` is ``X``. The batch's loss
is the mean of the samples' losses, L = (1/m) Σᵢ Lᵢ, so its gradient is the mean of theirs:
∂L/∂w = (1/m) Σᵢ ∂Lᵢ/∂w. :func:`batch_trace` computes all samples with one matrix product per
layer (no Python loop over samples), from the same registry entries as :meth:`Network.trace`
(σ, σ′, the loss, ∇ₐL and the form of BP1), so each row is that sample's own trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from .bp1 import Output, bp1_form
from .floats import Array, readonly
from .losses import LOSSES
from .network import ZERO_RTOL
from .params import Param
from .trace import Trace
from .validation import as_float_array

if TYPE_CHECKING:
    from .network import Network


@dataclass(frozen=True, eq=False)
class BatchTrace:
    """Everything one forward + backward pass of a mini-batch computes, indexed as in the notation.

    ``z[l]``, ``a[l]``, ``sigma_prime[l]``, ``delta[l]`` : (m, n_l), row i = sample i's own
    (σ′ of the output layer is computed on first use: BP1 does not need it)
    ``grad_W[l]`` : (n_l, n_{l−1}) and ``grad_b[l]`` : (n_l,), the batch means (1/m) Σᵢ ∂Lᵢ/∂θ
    ``losses`` : (m,), each sample's Lᵢ; ``loss`` their mean

    Index 0 of the per-layer lists is ``None`` (``a[0]`` is X), as in :class:`Trace`. Arrays are
    read-only.
    """

    network: "Network"
    X: Array
    Y: Array
    z: list
    a: list
    _sigma_prime: list  # [L] is None until :attr:`sigma_prime` is read
    delta: list
    grad_W: list
    grad_b: list
    losses: Array
    loss: float
    bp1_form: str

    @property
    def sigma_prime(self) -> list:
        """σ′(z⁽ˡ⁾) of every layer, (m, n_l), indexed by l."""
        sp, L = self._sigma_prime, self.L
        if sp[L] is None:
            with np.errstate(over="ignore", invalid="ignore"):
                sp[L] = readonly(self.network.sigma[L].prime(self.z[L], self.a[L]))
        return sp

    @property
    def m(self) -> int:
        """The number of samples in the batch."""
        return len(self.X)

    @property
    def L(self) -> int:
        """Index of the output layer."""
        return self.network.L

    @property
    def sizes(self) -> tuple[int, ...]:
        """The layer sizes [n₀, …, n_L], as :attr:`Trace.sizes`."""
        return tuple(self.network.sizes)

    @property
    def weights(self) -> tuple[Array, ...]:
        """W⁽ˡ⁾ at ``weights[l-1]``, as :attr:`Trace.weights`."""
        return tuple(self.network.weights)

    @property
    def biases(self) -> tuple[Array, ...]:
        """b⁽ˡ⁾ at ``biases[l-1]``, as :attr:`Trace.biases`."""
        return tuple(self.network.biases)

    @property
    def activations(self) -> tuple[str, ...]:
        """Layer l's σ at ``activations[l]`` (``[0]`` is "input"), as :attr:`Trace.activations`."""
        return self.network.layer_names

    @property
    def loss_name(self) -> str:
        return self.network.loss_name

    def value(self, param: "str | Param") -> float:
        """The current value of a weight or bias."""
        return self.network.get(param)

    def sample(self, i: int) -> Trace:
        """Sample i's own trace: exactly ``network.trace(X[i], Y[i])``."""
        if not -self.m <= i < self.m:
            raise IndexError(f"sample {i} is not in a batch of {self.m} (samples 0..{self.m - 1})")
        return self.network.trace(self.X[i], self.Y[i])

    def contributions(self, param: "str | Param") -> Array:
        """Each sample's ∂Lᵢ/∂θ, shape (m,): a_k⁽ˡ⁻¹⁾δ_j⁽ˡ⁾ (BP3) or δ_j⁽ˡ⁾ (BP4) of row i.

        Their mean is :meth:`grad` (to rounding: ``grad`` comes from one matrix product).
        """
        p = self.network.check_param(param)
        d = self.delta[p.l][:, p.j - 1]
        return readonly(d * self.a[p.l - 1][:, p.k - 1] if p.is_weight else d.copy())

    def grad(self, param: "str | Param") -> float:
        """∂L/∂θ of the batch, (1/m) Σᵢ ∂Lᵢ/∂θ, from ``grad_W`` / ``grad_b``."""
        p = self.network.check_param(param)
        g = self.grad_W[p.l] if p.is_weight else self.grad_b[p.l]
        return float(g[p.index])


def check_batch(net: "Network", X: ArrayLike, Y: ArrayLike) -> tuple[Array, Array]:
    """X as (m, n₀) and Y as (m, n_L) read-only floats (Y may be (m,) when n_L = 1), every value
    finite and every target where the loss needs it; ``ValueError`` naming the entry if not."""
    X = as_float_array(X, "X")
    Y = as_float_array(Y, "Y")
    n0, nL = net.sizes[0], net.sizes[-1]
    if Y.ndim == 1 and nL == 1:
        Y = Y[:, None]
    if X.ndim != 2 or X.shape[1] != n0:
        raise ValueError(f"X must have shape (m, {n0}): one row of {n0} inputs per sample, got shape {X.shape}")
    if Y.ndim != 2 or Y.shape[1] != nL:
        raise ValueError(f"Y must have shape (m, {nL}): one row of {nL} targets per sample, got shape {Y.shape}")
    if len(X) != len(Y):
        raise ValueError(f"X has {len(X)} samples but Y has {len(Y)}")
    if len(X) == 0:
        raise ValueError("a batch needs at least one sample")
    for name, arr in (("X", X), ("Y", Y)):
        if not np.isfinite(arr).all():
            i, j = np.argwhere(~np.isfinite(arr))[0]
            raise ValueError(f"{name}[{i}, {j}] = {arr[i, j]}: every value must be a finite number")
    loss_fn = LOSSES[net.loss_name]
    if loss_fn.targets is not None:
        lo, hi = loss_fn.targets
        outside = np.argwhere((Y < lo) | (Y > hi))
        if outside.size:
            i, j = outside[0]
            raise ValueError(f"{loss_fn.text} needs targets in [{lo:g}, {hi:g}]; Y[{i}, {j}] = {Y[i, j]:g}")
    return readonly(X), readonly(Y)


def forward(net: "Network", X: Array) -> tuple[list, list]:
    """z⁽ˡ⁾ and a⁽ˡ⁾ of every layer for the rows of X, exactly as :meth:`Network.trace` computes
    them (a pre-activation that cancels to rounding noise is 0). Lists indexed by l."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _forward(net, X)


def _forward(net: "Network", X: Array) -> tuple[list, list]:
    # :func:`forward` without its np.errstate, for callers inside their own
    z: list = [None]
    a: list = [X]
    for l in range(1, net.L + 1):
        W, b = net.weights[l - 1], net.biases[l - 1]
        z_l = a[l - 1] @ W.T + b  # z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾, one row per sample
        # a sum that cancels to rounding noise is 0, as in the trace (ReLU′ sees the page's 0)
        a_abs = a[l - 1] if l > 1 and net.sigma[l - 1].range[0] >= 0 else np.abs(a[l - 1])  # |a| = a for σ ≥ 0
        scale = a_abs @ np.abs(W).T + np.abs(b)
        noise = np.abs(z_l) <= ZERO_RTOL * scale
        if noise.any():  # rare: only then look closer
            z_l[noise & np.isfinite(scale)] = 0.0
        z.append(z_l)
        a.append(net.sigma[l].f_unguarded(z_l))  # a⁽ˡ⁾ = σ(z⁽ˡ⁾)
    return z, a


def mean_loss(net: "Network", X: ArrayLike, Y: ArrayLike) -> float:
    """The mean loss (1/m) Σᵢ Lᵢ over the rows of X and Y, from a forward pass only."""
    return checked_mean_loss(net, *check_batch(net, X, Y))


def checked_mean_loss(net: "Network", X: Array, Y: Array) -> float:
    """:func:`mean_loss` of an X and Y that :func:`check_batch` has checked."""
    with np.errstate(over="ignore", invalid="ignore"):
        z, a = _forward(net, X)
        losses = LOSSES[net.loss_name].value(z[net.L], a[net.L], Y, net.sigma[net.L])
    return float(losses.sum() / len(losses))


def batch_trace(net: "Network", X: ArrayLike, Y: ArrayLike) -> BatchTrace:
    """Forward pass and BP1–BP4 for every row of X, Y at once; the gradients are the means."""
    return checked_batch_trace(net, *check_batch(net, X, Y))


def checked_batch_trace(net: "Network", X: Array, Y: Array) -> BatchTrace:
    """:func:`batch_trace` of an X and Y that :func:`check_batch` has checked (rows of them too:
    training checks its data once, not every batch)."""
    L, m = net.L, len(X)
    with np.errstate(over="ignore", invalid="ignore"):
        z, a = _forward(net, X)
        # σ′(z⁽ˡ⁾) of the hidden layers, for BP2 (the output layer's when asked: BatchTrace.sigma_prime)
        sp: list = [None] + [net.sigma[l].prime_unguarded(z[l], a[l]) for l in range(1, L)] + [None]
        loss_fn = LOSSES[net.loss_name]
        losses = loss_fn.value(z[L], a[L], Y, net.sigma[L])
        grad_a = loss_fn.grad_a(z[L], a[L], Y, net.sigma[L])  # ∇ₐLᵢ, one row per sample
        form = bp1_form(net.output_activation, net.loss_name)
        delta: list = [None] * (L + 1)
        delta[L] = form.delta(Output(net.sigma[L], z[L], a[L], Y, grad_a))  # BP1
        for l in range(L - 1, 0, -1):
            delta[l] = (delta[l + 1] @ net.weights[l]) * sp[l]  # BP2: δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾)ᵀδ⁽ˡ⁺¹⁾ ⊙ σ′(z⁽ˡ⁾)
        # BP3 and BP4, averaged: ∂L/∂W⁽ˡ⁾ = (1/m) Σᵢ δᵢ⁽ˡ⁾ (aᵢ⁽ˡ⁻¹⁾)ᵀ, ∂L/∂b⁽ˡ⁾ = (1/m) Σᵢ δᵢ⁽ˡ⁾
        mean_delta = [None] + [delta[l] / m for l in range(1, L + 1)]  # δᵢ⁽ˡ⁾/m: the means' weights
        grad_W: list = [None] + [mean_delta[l].T @ a[l - 1] for l in range(1, L + 1)]
        grad_b: list = [None] + [mean_delta[l].sum(axis=0) for l in range(1, L + 1)]
        loss = float(losses.sum() / m)
    if not np.isfinite(loss) or not all(np.isfinite(g).all() for g in grad_W[1:]):
        raise ValueError("the numbers overflowed (a value reached ±infinity): use smaller weights, biases or inputs")
    for seq in (z, a, sp, delta, grad_W, grad_b):
        for arr in seq:
            if arr is not None:
                readonly(arr)
    return BatchTrace(net, X, Y, z, a, sp, delta, grad_W, grad_b, readonly(losses), loss, form.name)
