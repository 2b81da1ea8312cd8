"""A page's state as text: a URL query and a JSON file, both exact, both safe to read.

:class:`Snapshot` is everything the dashboard shows — network (architecture, functions, every
weight and bias), x, y, the traced parameter, the step, the edge mode, Practice — and a
:class:`Lesson` (what a teacher hides, locks, and whether the page is set for a projector).

- **Exact.** Numbers are written as the shortest text that reads back as the same float
  (``repr``), so ``read_query(write_query(s))`` gives ``s`` back bit for bit; the same for JSON.
- **Short.** Nothing equal to the seed page's value is written: the seed page is ``""``.
- **Safe.** Text is parsed, never evaluated, and refused beyond :data:`MAX_QUERY` /
  :data:`MAX_JSON` characters. A field that cannot be used is ignored and named in the list of
  problems that comes back with the snapshot; if anything about the network is wrong, the
  whole network (and x, y and the traced parameter) is the seed page's, never a mix.

No widgets here: the dashboard turns a snapshot into a page (``Dashboard.from_query``).
"""

from __future__ import annotations

import json
import math
import re
from typing import Collection
from urllib.parse import parse_qsl, quote

import numpy as np

from .datachoice import json_data_fields
from .fields import from_fields, number_text, to_fields
from .snapshot import VERSION, Snapshot, to_dict
from .validation import MAX_PARAMS

#: longest query read: the largest network the page takes (1,000 weights and biases, each with
#: all its 17 digits) is ~25 kB as a link; Voila's server refuses a longer address itself
#: (``backprop_widgets.voila.links``), before any kernel starts
MAX_QUERY = 64_000
#: longest JSON read (the same network is ~30 kB as a file; room for any indentation)
MAX_JSON = 2_000_000
#: deepest nesting of lists and objects in a JSON file: weights are an object's list of
#: matrices of rows (4); deeper is refused before it is parsed
MAX_JSON_DEPTH = 4


# --- the two formats ----------------------------------------------------------------------

_SAFE = ",-._"  # kept as they are in a query: numbers and lists stay readable


def write_query(s: Snapshot) -> str:
    """A URL query (no leading ``?``); ``""`` for the seed page."""
    return "&".join(f"{k}={quote(v, safe=_SAFE)}" for k, v in to_fields(s).items())


def read_query(text: str, hideable: Collection[str] | None = None) -> tuple[Snapshot, list[str]]:
    """Read :func:`write_query`'s text (a leading ``?`` is fine); never raises on bad text.
    ``hideable``: the names a lesson may hide (:func:`~.fields.from_fields`)."""
    if not isinstance(text, str):
        return Snapshot.seed(), [f"the link is {type(text).__name__}, not text"]
    if len(text) > MAX_QUERY:
        return Snapshot.seed(), [
            f"the link is {len(text):,} characters long, more than the {MAX_QUERY:,} of any page; was it changed?"
        ]
    fields: dict[str, str] = {}
    try:
        pairs = parse_qsl(text.removeprefix("?"), keep_blank_values=True, max_num_fields=40)
    except ValueError:
        return Snapshot.seed(), ["the link has more than 40 fields"]
    for k, v in pairs:
        if k:  # "&&" or "=1" name nothing
            fields[k] = v  # the last of a repeated field counts
    return from_fields(fields, hideable=hideable)


def write_json(s: Snapshot) -> str:
    """JSON text; its ``weights``/``biases`` also suit ``backprop-widgets export --weights``."""
    return json.dumps(to_dict(s), indent=1)


def read_json(text: "str | bytes", hideable: Collection[str] | None = None) -> tuple[Snapshot, list[str]]:
    """Read :func:`write_json`'s text (or a plain ``{"weights", "biases"}`` file); never raises
    on bad text. ``hideable``: the names a lesson may hide (:func:`~.fields.from_fields`)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        return Snapshot.seed(), [f"the file is {type(text).__name__}, not text"]
    if len(text) > MAX_JSON:
        return Snapshot.seed(), [f"the file is {len(text):,} characters long, more than {MAX_JSON:,}"]
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:  # json.loads would recurse that deep (RecursionError)
        return Snapshot.seed(), [
            f"the file nests lists or objects {depth} deep; a state file nests them at most {MAX_JSON_DEPTH} deep"
        ]
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        return Snapshot.seed(), [f"the file is not JSON: {exc.msg.lower()} at line {exc.lineno}, column {exc.colno}"]
    except ValueError as exc:  # NaN, or an integer of thousands of digits
        return Snapshot.seed(), [f"the file is not JSON this app reads: {str(exc)[:60]}"]
    if not isinstance(data, dict):
        return Snapshot.seed(), [f"the file holds a {type(data).__name__}, not an object"]
    version = data.get("version", VERSION)
    if isinstance(version, bool) or version != VERSION:
        return Snapshot.seed(), [
            f"the file is written in version {_short(version)} of the state format; this app reads "
            f"version {VERSION} (showing the worked example instead)"
        ]
    try:
        fields, unknown = _json_fields(data)
    except ValueError as exc:
        return Snapshot.seed(), [f"{exc}; showing the worked example instead"]
    snap, problems = from_fields(fields, "file", hideable)
    if unknown:
        problems.insert(
            0, "unknown fields " + ", ".join(repr(k) for k in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        )
    return snap, problems


def json_depth(text: str) -> int:
    """How deep the lists and objects of JSON text nest (strings skipped), without parsing it:
    a few milliseconds for :data:`MAX_JSON` characters."""
    bare = _STRING.sub("", text).encode("utf-8", errors="replace")
    b = np.frombuffer(bare, dtype=np.uint8)
    steps = np.isin(b, (ord("["), ord("{"))).astype(np.int64) - np.isin(b, (ord("]"), ord("}")))
    return int(np.cumsum(steps).max(initial=0))


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def _short(value) -> str:
    """A JSON value for a message: numbers and short text as they are, else its kind."""
    if isinstance(value, (int, float, str)) and len(str(value)) <= 20:
        return json.dumps(value)
    return f"(a {type(value).__name__})"


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


def _json_fields(data: dict) -> tuple[dict[str, str], list[str]]:
    """JSON data as the text fields of a query, checking every type on the way, and the keys it
    does not know."""
    f: dict[str, str] = {}
    unknown: list[str] = []
    names = {
        "sizes": "net",
        "activation": "h",
        "output_activation": "o",
        "loss": "loss",
        "traced": "traced",
        "target": "traced",  # what files called the traced parameter before
        "step": "step",
        "edge_mode": "edge",
        "mode": "mode",
    }
    for key, value in data.items():
        if key in names:
            if key == "sizes":
                f["net"] = ",".join(str(_json_int(v)) for v in _json_of(value, key, list, "a list"))
            else:
                f[names[key]] = _json_str(value, key)
        elif key in ("weights", "biases"):
            f[key[0]] = ",".join(number_text(v) for v in _json_floats(value, key))
        elif key in ("x", "y"):
            f[key] = ",".join(number_text(v) for v in _json_floats(value, key))
        elif key == "practice":
            f["practice"] = "1" if _json_of(value, key, bool, "true or false") else "0"
        elif key == "stage":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError("stage must be a whole number")
            f["stage"] = str(value)
        elif key == "data":  # the dataset a Dataset tab trains on
            f.update(json_data_fields(value))
        elif key == "lesson":
            if not isinstance(value, dict):
                raise ValueError("lesson must be an object")
            for k, v in value.items():
                if k in ("hide", "lock"):
                    f[k] = ",".join(_json_str(n, k) for n in _json_of(v, k, list, "a list"))
                elif k == "projector":
                    f[k] = "1" if _json_of(v, k, bool, "true or false") else "0"
                else:
                    unknown.append(f"lesson.{k}"[:20])
        elif key != "version":
            unknown.append(str(key)[:20])
    if "w" in f:  # matrices of the right shapes (a plain --weights file: they give the sizes)
        sizes = ",".join(map(str, _sizes_of(data["weights"])))
        if f.setdefault("net", sizes) != sizes:
            raise ValueError(f"sizes {f['net'][:40]} do not match the weights' shapes ({sizes[:40]})")
    return f, sorted(unknown)


def _json_of(value, key: str, kind: type, what: str):
    """``value`` if it is a ``kind``; else ``ValueError``: "<key> must be <what>"."""
    if not isinstance(value, kind):
        raise ValueError(f"{key} must be {what}")
    return value


def _json_str(value, key: str) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise ValueError(f"{key} must be a short text")
    return value


def _json_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10**6:
        raise ValueError(f"sizes must be whole numbers ≥ 1, got {str(value)[:20]}")
    return value


def _json_floats(value, key: str) -> list[float]:
    """Numbers of a (nested) list, row by row; at most :data:`MAX_PARAMS` of them."""
    out: list[float] = []

    def walk(v, depth: int) -> None:
        if depth > 3:
            raise ValueError(f"{key} is nested too deeply")
        if isinstance(v, list):
            for item in v:
                walk(item, depth + 1)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            if len(out) >= MAX_PARAMS:
                raise ValueError(f"{key} holds more than {MAX_PARAMS} numbers")
            if not math.isfinite(v):
                raise ValueError(f"{key} holds {v}")
            out.append(float(v))
        else:
            raise ValueError(f"{key} must hold numbers, not {type(v).__name__}")

    walk(value, 0)
    return out


def _sizes_of(weights: list) -> list[int]:
    """Layer sizes from weight matrices W⁽ˡ⁾ (n_l rows of n_{l−1}), checking every shape."""
    sizes: list[int] = []
    for l, W in enumerate(weights, start=1):
        if not isinstance(W, list) or not W or not all(isinstance(r, list) for r in W):
            raise ValueError(f"weights: W({l}) must be a matrix (a list of rows)")
        n_in = len(W[0])
        if any(len(r) != n_in for r in W) or (sizes and n_in != sizes[-1]):
            raise ValueError(f"weights: W({l}) has rows of the wrong length")
        sizes = sizes or [n_in]
        sizes.append(len(W))
    if not sizes:
        raise ValueError("weights: no matrices")
    return sizes
