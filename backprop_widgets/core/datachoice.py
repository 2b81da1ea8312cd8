"""The dataset a page trains on, as a lesson link carries it: :class:`DataChoice`.

A teacher's link says "train this net on circles, noise 0.1, 200 points, a fifth for testing,
seed 3, batches of 10", and how the page shows a batch (``view``, ``sat``): eight short fields
(:data:`DATA_FIELDS`), each written only when it differs
from :class:`DataChoice`'s default and each checked on the way in with a message that says what
was wrong (:func:`read_data_fields`). The points themselves are never in a link: the seed makes
them again (:func:`.datasets.make`). :func:`outputs` is the network's output over many inputs at
once, for pictures of the input plane.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Callable

from .batch import forward
from .datasets import NAMES
from .floats import Array
from .validation import as_float_array

#: the most samples the page draws (an epoch of them takes a few ms in the core)
MAX_N = 2000
#: the most noise a link asks for (a standard deviation; the datasets span about [−1, 1])
MAX_NOISE = 2.0
#: the largest test fraction (at least a tenth stays for training)
MAX_TEST = 0.9


@dataclass(frozen=True)
class DataChoice:
    """A dataset of the menu, drawn by ``seed``, split for testing, and the batch size."""

    name: str = "circles"
    noise: float = 0.1  # as datasets.make
    n: int = 200
    test: float = 0.2
    seed: int = 0
    batch: int = 10
    view: str = "sample"  # the steps of one sample, or "batch": of the first batch of training points
    threshold: float = 0.01  # σ′ below it marks a hidden unit saturated (core.units)


def _whole(low: int, high: int) -> Callable[[str], int]:
    def read(text: str) -> int:
        if not text.isdigit() or len(text) > 10 or not low <= int(text) <= high:
            raise ValueError(f"is not a whole number from {low} to {high:,}")
        return int(text)

    return read


def _fraction(high: float) -> Callable[[str], float]:
    def read(text: str) -> float:
        try:
            v = float(text) if len(text) <= 20 and text.strip().lower() not in ("nan", "inf", "-inf") else math.nan
        except ValueError:
            v = math.nan
        if not 0 <= v <= high:
            raise ValueError(f"is not a number from 0 to {high:g}")
        return v

    return read


def _view(text: str) -> str:
    if text not in VIEWS:
        raise ValueError(f"is not one of {', '.join(VIEWS)}")
    return text


def _threshold(text: str) -> float:
    v = _fraction(1.0)(text)
    if v == 0:
        raise ValueError("is not a number above 0 and at most 1")
    return v


#: how the steps are shown: one sample's, or the mean over the first batch of training points
VIEWS = ("sample", "batch")


def _name(text: str) -> str:
    if text not in NAMES:
        raise ValueError(f"is not one of {', '.join(NAMES)}")
    return text


#: link field → (DataChoice attribute, reader of its text)
DATA_FIELDS: dict[str, tuple[str, Callable[[str], object]]] = {
    "data": ("name", _name),
    "noise": ("noise", _fraction(MAX_NOISE)),
    "n": ("n", _whole(10, MAX_N)),
    "split": ("test", _fraction(MAX_TEST)),
    "dseed": ("seed", _whole(0, 2**31 - 1)),
    "batch": ("batch", _whole(1, MAX_N)),
    "view": ("view", _view),
    "sat": ("threshold", _threshold),
}
#: what a JSON file's ``data`` object calls each link field
DATA_JSON = {
    "data": "name",
    "noise": "noise",
    "n": "n",
    "split": "split",
    "dseed": "seed",
    "batch": "batch",
    "view": "view",
    "sat": "saturation",
}


def check_choice(choice: DataChoice) -> DataChoice:
    """``choice`` if each of its values is one a link may hold; else ``ValueError`` naming it."""
    for attr, read in DATA_FIELDS.values():
        text = _text(getattr(choice, attr))
        try:
            read(text)  # the same check as a link's
        except ValueError as exc:
            raise ValueError(f"{'the test fraction' if attr == 'test' else attr} {text[:20]} {exc}") from None
    return choice


def _text(v: object) -> str:
    return repr(float(v)).removesuffix(".0") if isinstance(v, float) else str(v)


def data_fields(choice: DataChoice) -> dict[str, str]:
    """The link fields of ``choice``: those that differ from the default."""
    default = DataChoice()
    return {
        key: _text(getattr(choice, attr))
        for key, (attr, _) in DATA_FIELDS.items()
        if getattr(choice, attr) != getattr(default, attr)
    }


def read_data_fields(fields_: dict[str, str], problems: list[str], name: Callable[[str], str] = str) -> DataChoice:
    """The :class:`DataChoice` of a link's fields; a value that cannot be used keeps the default
    and is named in ``problems`` ("n '5' is not a whole number from 10 to 2,000")."""
    choice = DataChoice()
    for key, (attr, read) in DATA_FIELDS.items():
        if key in fields_:
            try:
                value: Any = read(fields_[key])
                choice = replace(choice, **{attr: value})
            except ValueError as exc:
                problems.append(f"{name(key)} {fields_[key][:20]!r} {exc}")
    return choice


def data_json(choice: DataChoice) -> dict:
    """``choice`` as a JSON file's ``data`` object (every value)."""
    return {DATA_JSON[key]: getattr(choice, attr) for key, (attr, _) in DATA_FIELDS.items()}


def json_data_fields(value: object) -> dict[str, str]:
    """A JSON file's ``data`` object as link fields (``ValueError`` if it is not an object of
    numbers and a name)."""
    if not isinstance(value, dict):
        raise ValueError("data must be an object")
    keys = {v: k for k, v in DATA_JSON.items()}
    out = {}
    for k, v in value.items():
        if k not in keys or isinstance(v, (bool, dict, list)) or not isinstance(v, (str, int, float)):
            raise ValueError(f"data.{str(k)[:20]} is not a dataset setting ({', '.join(keys)}) of a name or number")
        out[keys[k]] = _text(v)
    return out


def outputs(net, X) -> Array:
    """a⁽ᴸ⁾ for every row of X (m, n₀): the network's outputs, (m, n_L), in one pass per layer
    (as :meth:`Network.batch_trace` computes them, without a target or the backward pass).

    >>> from backprop_widgets.core import Network
    >>> net = Network.random([2, 3, 1], seed=0)
    >>> outputs(net, [[0.5, -1.0], [0.0, 0.0]]).shape
    (2, 1)
    >>> float(outputs(net, [[0.5, -1.0]])[0, 0]) == float(net.forward([0.5, -1.0])[-1][0])
    True
    """
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != net.sizes[0]:
        raise ValueError(f"X must have shape (m, {net.sizes[0]}), got {X.shape}")
    return forward(net, X)[1][net.L]
