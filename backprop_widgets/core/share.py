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
  whole network (and x, y, target) is the seed page's, never a mix.

No widgets here: the dashboard turns a snapshot into a page (``Dashboard.from_query``).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, quote

import numpy as np

from .functions import ACTIVATIONS, LOSSES
from .network import Network, Param, check_sizes, default_sample, parse_sample_name, seed_example

#: longest query read (a URL beyond ~64 kB is refused by servers anyway: use the JSON file)
MAX_QUERY = 64_000
#: longest JSON read (the largest network the app draws, 9 × 64 × 64 weights, is ~1 MB)
MAX_JSON = 2_000_000
#: most weights and biases a shared network may have (the diagram's own limit is 37 440)
MAX_PARAMS = 40_000
#: what a lesson can hide: the tabs under the panels, and parts of the page
HIDEABLE = {
    "quantities": "the “All quantities” tab",
    "check": "the “Gradient check” tab",
    "train": "the “Train” tab",
    "notation": "the “Notation & colours” tab",
    "export": "the “Export handout” tab",
    "share": "the “Share” tab",
    "network": "the network row (architecture, functions, random weights, reset)",
    "practice": "the Practice button",
    "table": "the diagram's table",
}
EDGE_MODES = ("gradient", "weight")
VERSION = 1


@dataclass(frozen=True)
class Lesson:
    """Teacher settings. ``hide``: names from :data:`HIDEABLE`; ``lock``: ``("all",)`` or value
    names (``w1,1,1``, ``b2,1``, ``x1``, ``y1``) whose fields are read-only; ``projector``:
    larger type and a bigger diagram."""

    hide: tuple[str, ...] = ()
    lock: tuple[str, ...] = ()
    projector: bool = False


@dataclass(frozen=True)
class Snapshot:
    """Everything a page shows. ``step`` is a step id (``forward-1`` … ``bp4``, ``check``…);
    ``""`` is the first step. Practice shows the edges by weight (``edge_mode="weight"``)."""

    network: Network
    x: np.ndarray
    y: np.ndarray
    target: str = "w1,1,1"
    step: str = ""
    edge_mode: str = "gradient"
    practice: bool = False
    lesson: Lesson = field(default_factory=Lesson)

    @classmethod
    def seed(cls) -> "Snapshot":
        net, x, y = seed_example()
        return cls(net, x, y)

    def same_as(self, other: "Snapshot") -> bool:
        """Equal in every field, floats bit for bit."""
        return to_dict(self) == to_dict(other)


# --- numbers and lists as text ----------------------------------------------------------------

def number_text(v: float) -> str:
    """The shortest text that reads back as ``v`` (``0.1``, ``-2``, ``1e-05``; no ``+``)."""
    text = repr(float(v)).replace("e+", "e")
    return text.removesuffix(".0") if "e" not in text else text


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)


def read_number(text: str, what: str) -> float:
    """A finite float from plain decimal text (no ``nan``, ``inf``, ``0x…``, ``1_0``)."""
    if not _NUMBER.match(text.strip()):
        raise ValueError(f"{what}: {text[:20]!r} is not a number")
    v = float(text)
    if not math.isfinite(v):
        raise ValueError(f"{what}: {text[:20]!r} is too large")
    return v


def read_numbers(text: str, what: str) -> list[float]:
    return [read_number(t, what) for t in text.split(",")] if text else []


def lock_names(text: str) -> tuple[str, ...]:
    """``"w1,1,1,b2,1,x1"`` → ``("w1,1,1", "b2,1", "x1")``: an item that starts with a letter
    starts a name, the items after it that are numbers continue it."""
    names: list[str] = []
    for item in text.split(","):
        if item[:1].isalpha() or not names:
            names.append(item)
        else:
            names[-1] += "," + item
    return tuple(n for n in names if n)


# --- the network part: all or nothing ---------------------------------------------------------

def _flat(arrays) -> list[float]:
    return [float(v) for a in arrays for v in np.asarray(a).ravel()]


def _network(fields: dict, problems: list[str]) -> tuple[Network, np.ndarray, np.ndarray] | None:
    """Network, x and y from ``fields`` (text values, as in a query); ``None`` after
    appending the reasons to ``problems``."""
    seed_net, seed_x, seed_y = seed_example()
    try:
        sizes = check_sizes([_int(t) for t in fields["net"].split(",")]) if "net" in fields \
            else list(seed_net.sizes)
        n_w = sum(a * b for a, b in zip(sizes[1:], sizes))
        n_b = sum(sizes[1:])
        if n_w + n_b > MAX_PARAMS:
            raise ValueError(f"network {','.join(map(str, sizes))} has {n_w + n_b} weights and "
                             f"biases, more than the {MAX_PARAMS} a link may hold")
        h = fields.get("h", seed_net.activation)
        o = fields.get("o", h if "h" in fields else seed_net.output_activation)
        loss = fields.get("loss", seed_net.loss)
        for name, value, known in (("h", h, ACTIVATIONS), ("o", o, ACTIVATIONS),
                                   ("loss", loss, LOSSES)):
            if value not in known:
                raise ValueError(f"{name}: unknown {'loss' if name == 'loss' else 'activation'} "
                                 f"{value[:20]!r}; one of {', '.join(known)}")
        same_shape = sizes == list(seed_net.sizes)
        if "w" in fields or "b" in fields or not same_shape:
            if ("w" in fields) != ("b" in fields):
                raise ValueError("w and b come together: the link has only one of them")
            if "w" not in fields:
                start = Network.random(sizes, seed=0, activation=h, output_activation=o,
                                       loss=loss)
                weights, biases = start.weights, start.biases
            else:
                weights, biases = _shaped(sizes, read_numbers(fields["w"], "w"),
                                          read_numbers(fields["b"], "b"))
        else:
            weights, biases = seed_net.weights, seed_net.biases
        net = Network(weights, biases, activation=h, output_activation=o, loss=loss)
        default_x, default_y = (seed_x, seed_y) if same_shape and "o" not in fields \
            else default_sample(net)
        x = np.array(read_numbers(fields["x"], "x")) if "x" in fields else default_x
        y = np.array(read_numbers(fields["y"], "y")) if "y" in fields else default_y
        net.trace(x, y)  # sizes of x and y, targets the loss accepts: ValueError names it
        return net, x, y
    except ValueError as exc:
        problems.append(f"the network ({exc}); showing the worked example instead")
        return None


def _int(text: str) -> int:
    if not text.strip().isdigit() or not text.isascii():
        raise ValueError(f"net: layer size {text[:20]!r} is not a whole number ≥ 1")
    if len(text) > 6:
        raise ValueError(f"net: layer size {text[:20]} is far too large")
    return int(text)


def _shaped(sizes: list[int], w: list[float], b: list[float]):
    n_w = sum(a * c for a, c in zip(sizes[1:], sizes))
    if len(w) != n_w or len(b) != sum(sizes[1:]):
        raise ValueError(f"network {','.join(map(str, sizes))} needs {n_w} weights and "
                         f"{sum(sizes[1:])} biases; the link has {len(w)} and {len(b)}")
    weights, biases, i, j = [], [], 0, 0
    for n_in, n_out in zip(sizes, sizes[1:]):
        weights.append(np.array(w[i:i + n_in * n_out]).reshape(n_out, n_in))
        biases.append(np.array(b[j:j + n_out]))
        i, j = i + n_in * n_out, j + n_out
    return weights, biases


# --- snapshot ⇄ flat text fields --------------------------------------------------------------

def to_fields(s: Snapshot) -> dict[str, str]:
    """The snapshot as text fields, leaving out every value equal to the seed page's."""
    seed, net = Snapshot.seed(), s.network
    out: dict[str, str] = {}
    if list(net.sizes) != list(seed.network.sizes):
        out["net"] = ",".join(map(str, net.sizes))
    if net.activation != seed.network.activation:
        out["h"] = net.activation
    if net.output_activation != net.activation:
        out["o"] = net.output_activation
    if net.loss != seed.network.loss:
        out["loss"] = net.loss
    w, b = _flat(net.weights), _flat(net.biases)
    if "net" in out or w != _flat(seed.network.weights) or b != _flat(seed.network.biases):
        out["w"], out["b"] = ",".join(map(number_text, w)), ",".join(map(number_text, b))
    default_x, default_y = (seed.x, seed.y) if "net" not in out and "o" not in out \
        else default_sample(net)
    for name, v, default in (("x", s.x, default_x), ("y", s.y, default_y)):
        if _flat([v]) != _flat([default]):
            out[name] = ",".join(map(number_text, _flat([v])))
    if s.target != seed.target:
        out["t"] = s.target
    if s.step:
        out["step"] = s.step
    if s.edge_mode != seed.edge_mode and not s.practice:  # practice shows weights: implied
        out["edge"] = s.edge_mode
    if s.practice:
        out["practice"] = "1"
    if s.lesson.hide:
        out["hide"] = ",".join(s.lesson.hide)
    if s.lesson.lock:
        out["lock"] = ",".join(s.lesson.lock)
    if s.lesson.projector:
        out["projector"] = "1"
    return out


_STEP = re.compile(r"^[a-z]+\d*(-\d+)?$")
_FLAG = {"1": True, "0": False, "true": True, "false": False, "yes": True, "no": False}


def from_fields(fields: dict[str, str]) -> tuple[Snapshot, list[str]]:
    """A snapshot from text fields, and what was ignored (empty when everything was used)."""
    problems: list[str] = []
    known = {"net", "h", "o", "loss", "w", "b", "x", "y", "t", "step", "edge", "practice",
             "hide", "lock", "projector", "v"}
    unknown = sorted(k for k in fields if k not in known)
    if unknown:
        problems.append("unknown fields " + ", ".join(repr(k[:20]) for k in unknown[:5])
                        + (" …" if len(unknown) > 5 else ""))
    s = Snapshot.seed()
    got = _network(fields, problems)
    if got is not None:
        net, x, y = got
        s = replace(s, network=net, x=x, y=y)
        if "t" in fields:
            try:
                s = replace(s, target=str(net.check_param(Param.parse(fields["t"]))))
            except ValueError as exc:
                problems.append(f"t ({exc})")
        elif not _has(net, s.target):
            s = replace(s, target=str(net.parameters()[0]))
    step = fields.get("step", "")
    if step and not _STEP.match(step):
        problems.append(f"step {step[:20]!r} is not a step name such as bp1 or forward-2")
    elif step:
        s = replace(s, step=step)
    edge = fields.get("edge", s.edge_mode)
    if edge in EDGE_MODES:
        s = replace(s, edge_mode=edge)
    else:
        problems.append(f"edge {edge[:20]!r} is not one of {', '.join(EDGE_MODES)}")
    lesson = s.lesson
    for name in ("practice", "projector"):
        if name in fields:
            flag = _FLAG.get(fields[name].lower())
            if flag is None:
                problems.append(f"{name} {fields[name][:20]!r} is not 1 or 0")
            elif name == "practice":
                s = replace(s, practice=flag, edge_mode="weight" if flag else s.edge_mode)
            else:
                lesson = replace(lesson, projector=flag)
    if "hide" in fields:
        names = [n for n in fields["hide"].split(",") if n]
        bad = [n for n in names if n not in HIDEABLE]
        if bad:
            problems.append(f"hide: unknown {', '.join(repr(n[:20]) for n in bad[:5])} "
                            f"(one of {', '.join(HIDEABLE)})")
        lesson = replace(lesson, hide=tuple(dict.fromkeys(n for n in names if n in HIDEABLE)))
    if "lock" in fields:
        locks, bad = check_locks(lock_names(fields["lock"]), s.network)
        lesson = replace(lesson, lock=locks)
        problems.extend(bad)
    return replace(s, lesson=lesson), problems


def _has(net: Network, target: str) -> bool:
    try:
        net.check_param(Param.parse(target))
        return True
    except ValueError:
        return False


def check_locks(names, net: Network) -> tuple[tuple[str, ...], list[str]]:
    """The names ``net`` has (``("all",)`` if "all" is among them), and what was wrong."""
    if "all" in names:
        return ("all",), []
    ok: list[str] = []
    bad: list[str] = []
    for name in names:
        sample = parse_sample_name(name)
        if sample:
            kind, index = sample
            (ok if index <= (net.sizes[0] if kind == "x" else net.sizes[-1]) else bad).append(name)
        elif _has(net, name):
            ok.append(str(Param.parse(name)))
        else:
            bad.append(name)
    problems = [f"lock: no value {', '.join(repr(n[:20]) for n in bad[:5])} in this network"
                ] if bad else []
    return tuple(dict.fromkeys(ok)), problems


# --- the two formats ----------------------------------------------------------------------

_SAFE = ",-._"  # kept as they are in a query: numbers and lists stay readable


def write_query(s: Snapshot) -> str:
    """A URL query (no leading ``?``); ``""`` for the seed page."""
    return "&".join(f"{k}={quote(v, safe=_SAFE)}" for k, v in to_fields(s).items())


def read_query(text: str) -> tuple[Snapshot, list[str]]:
    """Read :func:`write_query`'s text (a leading ``?`` is fine); never raises on bad text."""
    if not isinstance(text, str):
        return Snapshot.seed(), [f"the link is {type(text).__name__}, not text"]
    if len(text) > MAX_QUERY:
        return Snapshot.seed(), [f"the link is {len(text)} characters long, more than "
                                 f"{MAX_QUERY}; share a large network as a JSON file"]
    fields: dict[str, str] = {}
    try:
        pairs = parse_qsl(text.removeprefix("?"), keep_blank_values=True, max_num_fields=40)
    except ValueError:
        return Snapshot.seed(), ["the link has more than 40 fields"]
    for k, v in pairs:
        if k:  # "&&" or "=1" name nothing
            fields[k] = v  # the last of a repeated field counts
    return from_fields(fields)


def to_dict(s: Snapshot) -> dict:
    """The snapshot as JSON-ready data (every field, defaults included)."""
    net = s.network
    return {
        "version": VERSION,
        "sizes": list(net.sizes),
        "activation": net.activation,
        "output_activation": net.output_activation,
        "loss": net.loss,
        "weights": [np.asarray(W).tolist() for W in net.weights],
        "biases": [np.asarray(b).tolist() for b in net.biases],
        "x": _flat([s.x]), "y": _flat([s.y]),
        "target": s.target, "step": s.step, "edge_mode": s.edge_mode, "practice": s.practice,
        "lesson": {"hide": list(s.lesson.hide), "lock": list(s.lesson.lock),
                   "projector": s.lesson.projector},
    }


def write_json(s: Snapshot) -> str:
    """JSON text; its ``weights``/``biases`` also suit ``backprop-widgets export --weights``."""
    return json.dumps(to_dict(s), indent=1)


def read_json(text: "str | bytes") -> tuple[Snapshot, list[str]]:
    """Read :func:`write_json`'s text (or a plain ``{"weights", "biases"}`` file); never raises
    on bad text."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        return Snapshot.seed(), [f"the file is {type(text).__name__}, not text"]
    if len(text) > MAX_JSON:
        return Snapshot.seed(), [f"the file is {len(text)} characters long, more than {MAX_JSON}"]
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        return Snapshot.seed(), [f"the file is not JSON ({str(exc)[:80]})"]
    if not isinstance(data, dict):
        return Snapshot.seed(), [f"the file holds a {type(data).__name__}, not an object"]
    try:
        fields = _json_fields(data)
    except ValueError as exc:
        return Snapshot.seed(), [f"{exc}; showing the worked example instead"]
    return from_fields(fields)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


def _json_fields(data: dict) -> dict[str, str]:
    """JSON data as the text fields of a query, checking every type on the way."""
    f: dict[str, str] = {}
    names = {"sizes": "net", "activation": "h", "output_activation": "o", "loss": "loss",
             "target": "t", "step": "step", "edge_mode": "edge"}
    for key, value in data.items():
        if key in names:
            if key == "sizes":
                f["net"] = ",".join(str(_json_int(v)) for v in _json_list(value, key))
            else:
                f[names[key]] = _json_str(value, key)
        elif key in ("weights", "biases"):
            f[key[0]] = ",".join(number_text(v) for v in _json_floats(value, key))
        elif key in ("x", "y"):
            f[key] = ",".join(number_text(v) for v in _json_floats(value, key))
        elif key == "practice":
            f["practice"] = "1" if _json_bool(value, key) else "0"
        elif key == "lesson":
            if not isinstance(value, dict):
                raise ValueError("lesson must be an object")
            for k, v in value.items():
                if k in ("hide", "lock"):
                    f[k] = ",".join(_json_str(n, k) for n in _json_list(v, k))
                elif k == "projector":
                    f[k] = "1" if _json_bool(v, k) else "0"
                else:
                    f[f"lesson.{k}"[:40]] = ""
        elif key != "version":
            f[str(key)[:40]] = ""
    if "w" in f:  # matrices of the right shapes (a plain --weights file: they give the sizes)
        sizes = ",".join(map(str, _sizes_of(data["weights"])))
        if f.setdefault("net", sizes) != sizes:
            raise ValueError(f"sizes {f['net']} do not match the weights' shapes ({sizes})")
    return f


def _json_list(value, key: str) -> list:
    if not isinstance(value, list):
        raise ValueError(f"{key} must be a list")
    return value


def _json_str(value, key: str) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise ValueError(f"{key} must be a short text")
    return value


def _json_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10**6:
        raise ValueError(f"sizes must be whole numbers ≥ 1, got {str(value)[:20]}")
    return value


def _json_bool(value, key: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
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
