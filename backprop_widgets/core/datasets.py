"""Two-dimensional toy datasets, as in TensorFlow Playground, reproducible from a seed.

:func:`make` returns X of shape (n, 2) and Y of shape (n, 1) (targets 0 or 1) for two classes,
or one-hot rows of shape (n, k) for k > 2 classes. Each dataset is one :class:`Dataset` entry of
:data:`DATASETS`: a function that draws n clean points and their classes. ``noise`` then adds
Gaussian noise of that standard deviation to every coordinate (the class stays the one the
clean point was drawn with). The samples are shuffled, so any slice ``X[:m]`` mixes the
classes. Everything comes from one ``numpy.random.default_rng(seed)``: the clean points, their
order, then the noise, so the same seed with ``noise=0`` gives the same points without noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from .floats import Array, readonly

#: the most samples a dataset (made or read from a file) may have: an epoch of it in batches of
#: 10 takes ~0.2 s in the core (``benchmarks/bench_batch.py``)
MAX_SAMPLES = 10_000
#: the most classes: the page's output layer has at most 16 neurons
MAX_CLASSES = 16

#: (rng, n, k) → clean points (n, 2) and their classes (n,), integers 0..k−1
Draw = Callable[[np.random.Generator, int, int], tuple[Array, Array]]


@dataclass(frozen=True)
class Dataset:
    """A dataset of the menu.

    draw : (rng, n, k) → clean points (n, 2) and their classes 0..k−1 (:data:`Draw`)
    label : its name in a menu
    text : one sentence: what it looks like and which class is which
    k : its number of classes by default
    any_k : whether ``make(..., k=…)`` may choose another number of classes
    """

    name: str
    draw: Draw
    label: str
    text: str
    k: int = 2
    any_k: bool = False


def class_sizes(n: int, k: int) -> Array:
    """n samples shared among k classes as evenly as possible (the first classes get the rest)."""
    return np.array([n // k + (j < n % k) for j in range(k)])


def _classes(n: int, k: int) -> Array:
    return np.repeat(np.arange(k), class_sizes(n, k))


def _linear(rng: np.random.Generator, n: int, k: int) -> tuple[Array, Array]:
    # uniform in the square [−1, 1]², class 1 above the line x₂ = −x₁
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


def _xor(rng: np.random.Generator, n: int, k: int) -> tuple[Array, Array]:
    # uniform in [−1, 1]², class 1 in the quadrants where x₁ and x₂ have the same sign
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def _polar(r: Array, theta: Array) -> Array:
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)])


def _circles(rng: np.random.Generator, n: int, k: int) -> tuple[Array, Array]:
    # class 0: a ring 0.7 ≤ r ≤ 1; class 1: the disc r ≤ 0.5 inside it
    c = _classes(n, 2)
    r = np.where(c == 1, rng.uniform(0.0, 0.5, n), rng.uniform(0.7, 1.0, n))
    return _polar(r, rng.uniform(0.0, 2 * np.pi, n)), c


def _moons(rng: np.random.Generator, n: int, k: int) -> tuple[Array, Array]:
    # scikit-learn's two moons, centred on 0: class 0 the upper arc (cos t − ½, sin t − ¼),
    # class 1 the lower one (½ − cos t, ¼ − sin t), t uniform in [0, π]
    c = _classes(n, 2)
    t = rng.uniform(0.0, np.pi, n)
    arc = np.column_stack([np.cos(t) - 0.5, np.sin(t) - 0.25])
    return np.where(c[:, None] == 1, -arc, arc), c


def _spiral(rng: np.random.Generator, n: int, k: int) -> tuple[Array, Array]:
    # k arms: arm j at radius r turns to the angle 2πj/k + 1.75πr, r uniform in [0.05, 1]
    c = _classes(n, k)
    r = rng.uniform(0.05, 1.0, n)
    return _polar(r, 2 * np.pi * c / k + 1.75 * np.pi * r), c


def _blobs(rng: np.random.Generator, n: int, k: int) -> tuple[Array, Array]:
    # k round clusters of spread 0.2 about centres on the circle r = 0.6, class j at angle 90° + 360°j/k
    c = _classes(n, k)
    centres = _polar(np.full(k, 0.6), np.pi / 2 + 2 * np.pi * np.arange(k) / k)
    return centres[c] + rng.normal(0.0, 0.2, size=(n, 2)), c


#: the datasets by name, in menu order (each entry says its name once: a new one is one line)
DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset("xor", _xor, "XOR", "Uniform in [−1, 1]²; y = 1 where x₁ and x₂ have the same sign."),
        Dataset("circles", _circles, "circles", "A disc of radius 0.5 (y = 1) inside a ring 0.7–1 (y = 0)."),
        Dataset("moons", _moons, "moons", "Two interleaving half circles (scikit-learn's moons), y = 0 upper."),
        Dataset("spiral", _spiral, "spiral", "k arms of a spiral (3 by default: one-hot y), one class each.", 3, True),
        Dataset("blobs", _blobs, "blobs", "k round clusters (3 by default: one-hot y), one class each.", 3, True),
        Dataset("linear", _linear, "linear", "Uniform in [−1, 1]²; y = 1 above the line x₂ = −x₁."),
    )
}

#: the datasets' names, as registered when the core was imported (the menu's options)
NAMES = tuple(DATASETS)


def _whole(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high:,}, got {value!r}")
    return int(value)


def one_hot(classes: Array, k: int) -> Array:
    """Targets for classes 0..k−1: a column of 0/1 for k = 2, one-hot rows for k > 2."""
    if k == 2:
        return classes[:, None].astype(float)
    return np.eye(k)[classes]


def make(name: str, n: int = 200, noise: float = 0.1, seed: int = 0, k: int | None = None) -> tuple[Array, Array]:
    """X (n, 2) and Y: (n, 1) for two classes, one-hot (n, k) for more. See the module docstring.

    ``k`` chooses the number of classes of a dataset that allows it (spiral, blobs); ``None``
    takes the dataset's own (:attr:`Dataset.k`).

    >>> X, Y = make("xor", n=4, noise=0.0, seed=1)
    >>> X.shape, Y.shape, bool(((X[:, 0] * X[:, 1] > 0) == (Y[:, 0] == 1)).all())
    ((4, 2), (4, 1), True)
    >>> make("spiral", n=6)[1].sum(axis=0)   # 3 classes by default, 2 samples each
    array([2., 2., 2.])
    """
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    data = DATASETS[name]
    n = _whole(n, "n", 1, MAX_SAMPLES)
    seed = _whole(seed, "seed", 0, 2**63 - 1)
    if k is None:
        k = data.k
    elif not data.any_k and k != data.k:
        raise ValueError(f"the {name} dataset has {data.k} classes, not {k!r}")
    k = _whole(k, "the number of classes k", 2, MAX_CLASSES)
    noise = float(noise)
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a number ≥ 0 (a standard deviation), got {noise}")
    rng = np.random.default_rng(seed)
    X, classes = data.draw(rng, n, k)
    order = rng.permutation(n)
    X, classes = np.array(X[order], dtype=float), classes[order]
    if noise:  # drawn last: the same seed with noise 0 gives the same points without it
        X += rng.normal(0.0, noise, size=X.shape)
    return readonly(X), readonly(one_hot(classes, k))


class Split(NamedTuple):
    """A train/test split, in scikit-learn's order."""

    X_train: Array
    X_test: Array
    Y_train: Array
    Y_test: Array


def split(X: Array, Y: Array, test: float = 0.2, seed: int = 0) -> Split:
    """Shuffle the samples by ``seed`` and keep ⌈test·n⌉ of them for testing (at least one for
    training): ``X_train, X_test, Y_train, Y_test = split(X, Y)``.

    >>> X, Y = make("moons", n=10)
    >>> [len(part) for part in split(X, Y, test=0.25)]
    [7, 3, 7, 3]
    """
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    if len(X) != len(Y):
        raise ValueError(f"X has {len(X)} samples but Y has {len(Y)}")
    test = float(test)
    if not 0 <= test < 1:
        raise ValueError(f"the test fraction must be at least 0 and below 1, got {test}")
    n = len(X)
    if n == 0:
        raise ValueError("there are no samples to split")
    n_test = min(int(np.ceil(test * n)), n - 1)
    order = np.random.default_rng(_whole(seed, "seed", 0, 2**63 - 1)).permutation(n)
    tr, te = order[n_test:], order[:n_test]
    return Split(*(readonly(part) for part in (X[tr], X[te], Y[tr], Y[te])))
