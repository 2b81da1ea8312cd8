"""A :class:`~.snapshot.Snapshot` as flat text fields (``net=3,2,1&h=tanh…``) and back.

Numbers are written as the shortest text that reads back as the same float; nothing equal to
the seed page's value is written. Reading never evaluates anything: a field that cannot be used
is ignored and named in the problems that come back, and if anything about the network is wrong
the whole network (and x, y and the traced parameter) is the seed page's, never a mix.

The traced parameter's field is ``traced``; ``t``, its name before, is still read.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Collection

import numpy as np

from .activations import ACTIVATIONS
from .datachoice import DATA_FIELDS, DATA_JSON, data_fields, read_data_fields
from .example import default_sample, seed_example
from .losses import LOSSES
from .network import Network
from .params import Param, parse_sample_name
from .snapshot import EDGE_MODES, MAX_STAGE, MODES, Snapshot, flat
from .validation import MAX_LAYERS, MAX_PARAMS, MAX_UNITS, PAGE_LIMIT, check_page_sizes  # noqa: F401 (MAX_PARAMS: core's)

# --- numbers and lists as text ----------------------------------------------------------------


def number_text(v: float) -> str:
    """The shortest text that reads back as ``v`` (``0.1``, ``-2``, ``1e-05``; no ``+``)."""
    text = repr(float(v)).replace("e+", "e")
    return text.removesuffix(".0") if "e" not in text else text


def texts(arrays) -> list[str]:
    """The numbers of arrays as :func:`number_text` writes them: equal lists are equal bit for
    bit (``0.0 == -0.0``, but ``"0" != "-0"``)."""
    return [number_text(v) for v in flat(arrays)]


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

#: what a JSON file calls the fields of a link: its messages name them so
FILE_NAMES = {
    "net": "sizes",
    "h": "activation",
    "o": "output_activation",
    "w": "weights",
    "b": "biases",
    "traced": "traced",
    "edge": "edge_mode",
    "hide": "lesson hide",
    "lock": "lesson lock",
    "projector": "lesson projector",
    **{k: f"data.{v}" for k, v in DATA_JSON.items()},
}


class _Names:
    """How messages name the fields and the text they came in: a link's own, or a file's."""

    def __init__(self, source: str):
        self.source = source
        self.names = FILE_NAMES if source == "file" else {}

    def __call__(self, field: str) -> str:
        return self.names.get(field, field)


def _read_network(fields: dict, problems: list[str], name: _Names) -> tuple[Network, np.ndarray, np.ndarray] | None:
    """Network, x and y from ``fields`` (text values, as in a query); ``None`` after
    appending the reasons to ``problems``. Every size is checked against the page's limit
    (:func:`~.validation.check_page_sizes`) before any number is read or anything is built."""
    seed_net, seed_x, seed_y = seed_example()
    try:
        sizes = _sizes(fields["net"], name("net")) if "net" in fields else list(seed_net.sizes)
        h = fields.get("h", seed_net.activation)
        o = fields.get("o", h if "h" in fields else seed_net.output_activation)
        loss = fields.get("loss", seed_net.loss_name)
        for field, value, known in (("h", h, ACTIVATIONS), ("o", o, ACTIVATIONS), ("loss", loss, LOSSES)):
            if value not in known:
                raise ValueError(
                    f"{name(field)}: unknown {'loss' if field == 'loss' else 'activation'} "
                    f"{value[:20]!r}; one of {', '.join(known)}"
                )
        if ("w" in fields) != ("b" in fields):
            raise ValueError(f"{name('w')} and {name('b')} come together: the {name.source} has only one of them")
        n_w = sum(a * b for a, b in zip(sizes[1:], sizes))
        counts = {"w": n_w, "b": sum(sizes[1:]), "x": sizes[0], "y": sizes[-1]}
        for field, n in counts.items():  # counted before any is read: a long list costs nothing
            if field in fields and fields[field].count(",") + 1 != n:
                raise ValueError(
                    f"network {','.join(map(str, sizes))} takes {n} {_WHAT[field]}; the {name.source} "
                    f"has {fields[field].count(',') + 1} in {name(field)}"
                )
        same_shape = sizes == list(seed_net.sizes)
        if "w" in fields or "b" in fields or not same_shape:
            if "w" not in fields:
                start = Network.random(sizes, seed=0, activation=h, output_activation=o, loss=loss)
                weights, biases = start.weights, start.biases
            else:
                w, b = read_numbers(fields["w"], name("w")), read_numbers(fields["b"], name("b"))
                weights, biases = _shaped(sizes, w, b, name.source)
        else:
            weights, biases = seed_net.weights, seed_net.biases
        net = Network(weights, biases, activation=h, output_activation=o, loss=loss)
        default_x, default_y = (seed_x, seed_y) if same_shape and "o" not in fields else default_sample(net)
        x = np.array(read_numbers(fields["x"], "x")) if "x" in fields else default_x
        y = np.array(read_numbers(fields["y"], "y")) if "y" in fields else default_y
        net.trace(x, y)  # targets the loss accepts: ValueError names it
        return net, x, y
    except ValueError as exc:
        problems.append(f"the network ({exc}); showing the worked example instead")
        return None


_WHAT = {"w": "weights", "b": "biases", "x": "inputs", "y": "targets"}


def _sizes(text: str, what: str) -> list[int]:
    """Layer sizes from ``"3,2,2,1"``, within the page's limit; a list longer than the page
    takes is refused before its entries are read."""
    n = text.count(",") + 1
    if n > MAX_LAYERS:
        raise ValueError(f"{what} lists {n} layers: {PAGE_LIMIT}")
    return check_page_sizes([_int(t, what) for t in text.split(",")])


def _int(text: str, what: str) -> int:
    if not text.strip().isdigit() or not text.isascii():
        raise ValueError(f"{what}: layer size {text[:20]!r} is not a whole number ≥ 1")
    if len(text) > 6:
        raise ValueError(f"{what}: layer size {text[:20]} is far too large")
    return int(text)


def _shaped(sizes: list[int], w: list[float], b: list[float], source: str = "link"):
    n_w = sum(a * c for a, c in zip(sizes[1:], sizes))
    if len(w) != n_w or len(b) != sum(sizes[1:]):
        raise ValueError(
            f"network {','.join(map(str, sizes))} needs {n_w} weights and "
            f"{sum(sizes[1:])} biases; the {source} has {len(w)} and {len(b)}"
        )
    weights, biases, i, j = [], [], 0, 0
    for n_in, n_out in zip(sizes, sizes[1:]):
        weights.append(np.array(w[i : i + n_in * n_out]).reshape(n_out, n_in))
        biases.append(np.array(b[j : j + n_out]))
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
    if net.loss_name != seed.network.loss_name:
        out["loss"] = net.loss_name
    w, b = texts(net.weights), texts(net.biases)
    if "net" in out or w != texts(seed.network.weights) or b != texts(seed.network.biases):
        out["w"], out["b"] = ",".join(w), ",".join(b)
    default_x, default_y = (seed.x, seed.y) if "net" not in out and "o" not in out else default_sample(net)
    for name, v, default in (("x", s.x, default_x), ("y", s.y, default_y)):
        if texts([v]) != texts([default]):  # as text: −0.0 is not the default's 0.0
            out[name] = ",".join(texts([v]))
    if s.traced != seed.traced:
        out["traced"] = s.traced
    if s.step:
        out["step"] = s.step
    if s.edge_mode != seed.edge_mode and not s.practice:  # practice shows weights: implied
        out["edge"] = s.edge_mode
    if s.mode != seed.mode:
        out["mode"] = s.mode
    if s.mode == "fade" and s.stage:
        out["stage"] = str(s.stage)
    out.update(data_fields(s.data))  # the dataset: data, noise, n, split, dseed, batch
    if s.lesson.hide:
        out["hide"] = ",".join(s.lesson.hide)
    if s.lesson.lock:
        out["lock"] = ",".join(s.lesson.lock)
    if s.lesson.projector:
        out["projector"] = "1"
    out.update({f: "1" for f in ("live", "nick") if getattr(s.lesson, f)})  # a live class's page
    return out


#: every field a link may hold (``v``: a version, ignored)
FIELDS = (
    "net",
    "h",
    "o",
    "loss",
    "w",
    "b",
    "x",
    "y",
    "traced",
    "t",  # the traced parameter, as links wrote it before it was called traced
    "step",
    "edge",
    "practice",  # mode=practice, as links wrote it before there were modes
    "mode",
    "stage",
    "hide",
    "lock",
    "projector",
    "live",  # the page joins the server's live class
    "nick",  # ...and asks for a nickname
    "v",
    *DATA_FIELDS,
)
#: the most names a lock list may hold: every weight, bias, x and y of the largest network, and "all"
MAX_LOCKS = MAX_PARAMS + 2 * MAX_UNITS + 1
_STEP = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")  # bp1, forward-2, a new kind's mean-output
_FLAG = {"1": True, "0": False, "true": True, "false": False, "yes": True, "no": False}


def from_fields(
    fields: dict[str, str], source: str = "link", hideable: Collection[str] | None = None
) -> tuple[Snapshot, list[str]]:
    """A snapshot from text fields, and what was ignored (empty when everything was used).
    ``source``: ``"link"``, or ``"file"`` for a JSON file's fields (messages then name the
    file's keys: ``weights``, not ``w``). ``hideable``: the names a lesson may hide (the page's
    tabs and parts, which the app knows); ``None`` takes every name (a handout hides nothing)."""
    name = _Names(source)
    problems: list[str] = []
    unknown = sorted(k for k in fields if k not in FIELDS)
    if unknown:
        problems.append(
            "unknown fields " + ", ".join(repr(k[:20]) for k in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        )
    s = Snapshot.seed()
    got = _read_network(fields, problems, name)
    if got is not None:
        net, x, y = got
        s = replace(s, network=net, x=x, y=y)
        key = "traced" if "traced" in fields else "t"
        if key in fields:
            try:
                if len(fields[key]) > 20:  # w10,16,16 is the longest name of a network the page takes
                    raise ValueError(f"{fields[key][:20]!r}… is not the name of a weight or bias")
                s = replace(s, traced=str(net.check_param(Param.parse(fields[key]))))
            except ValueError as exc:
                problems.append(f"{name(key)} ({exc})")
        elif not _has(net, s.traced):
            s = replace(s, traced=str(net.parameters()[0]))
    step = fields.get("step", "")
    if step and (len(step) > 20 or not _STEP.match(step)):
        problems.append(f"step {step[:20]!r} is not a step name such as bp1 or forward-2")
    elif step:
        s = replace(s, step=step)
    edge = fields.get("edge", s.edge_mode)
    if edge in EDGE_MODES:
        s = replace(s, edge_mode=edge)
    else:
        problems.append(f"{name('edge')} {edge[:20]!r} is not one of {', '.join(EDGE_MODES)}")
    lesson = s.lesson
    for field in ("practice", "projector", "live", "nick"):
        if field in fields:
            flag = _FLAG.get(fields[field].lower())
            if flag is None:
                problems.append(f"{name(field)} {fields[field][:20]!r} is not 1 or 0")
            elif field == "practice":
                s = replace(s, mode="practice" if flag else "explore", edge_mode="weight" if flag else s.edge_mode)
            else:
                flags = {"projector": lesson.projector, "live": lesson.live, "nick": lesson.nick, field: flag}
                lesson = replace(lesson, projector=flags["projector"], live=flags["live"], nick=flags["nick"])
    if "mode" in fields:
        if fields["mode"] in MODES:
            mode = fields["mode"]
            s = replace(s, mode=mode, edge_mode="weight" if mode == "practice" else s.edge_mode)
        else:
            problems.append(f"{name('mode')} {fields['mode'][:20]!r} is not one of {', '.join(MODES)}")
    if "stage" in fields:
        text = fields["stage"]
        if text.isdigit() and len(text) <= 2 and int(text) <= MAX_STAGE:
            s = replace(s, stage=int(text))
        else:
            problems.append(f"{name('stage')} {text[:20]!r} is not a stage number such as 0, 1 or 2")
    if "hide" in fields:
        # "practice" hid the Practice button before there were modes: now the mode control
        hidden = ["mode" if n == "practice" else n for n in fields["hide"].split(",") if n]
        known = hidden if hideable is None else [n for n in hidden if n in hideable]
        bad = [n for n in hidden if n not in known]
        if bad:
            problems.append(
                f"{name('hide')}: unknown {', '.join(repr(n[:20]) for n in bad[:5])} (one of {', '.join(hideable or ())})"
            )
        lesson = replace(lesson, hide=tuple(dict.fromkeys(known)))
    if "lock" in fields:
        names = lock_names(fields["lock"])
        if len(names) > MAX_LOCKS:  # more names than any network the page takes has values
            problems.append(f"{name('lock')}: {len(names):,} names, more than any network of the page has values")
        else:
            locks, bad = check_locks(names, s.network)
            lesson = replace(lesson, lock=locks)
            problems.extend(bad)
    return replace(s, lesson=lesson, data=read_data_fields(fields, problems, name)), problems


def _has(net: Network, param: str) -> bool:
    try:
        net.check_param(Param.parse(param))
        return True
    except ValueError:
        return False


def check_locks(names, net: Network) -> tuple[tuple[str, ...], list[str]]:
    """The names ``net`` has (``("all",)`` if "all" is among them), and what was wrong."""
    if "all" in names:
        return ("all",), []
    locks_mode = "mode" in names  # the mode control: a lesson that keeps the class in one mode
    names = [n for n in names if n != "mode"]
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
    problems = [f"lock: no value {', '.join(repr(n[:20]) for n in bad[:5])} in this network"] if bad else []
    return tuple(dict.fromkeys(ok + ["mode"] * locks_mode)), problems
