"""Check my backprop: run a student's own ``backward`` on the seed network and on random networks
of growing size, compare every gradient with the core's, and say which quantity is wrong first,
which catalogued mistake explains it, and which step of the worked example shows it.

>>> def backward(weights, biases, x, y, activation="sigmoid", loss="mse"):
...     net = Network(weights, biases, activation, loss=loss)
...     t = net.trace(x, y)
...     return t.grad_W[1:], t.grad_b[1:]
>>> report = check_backprop(backward)
>>> report.passed, report.mistake
(True, None)

The student's function is the only code run; it gets copies of the arrays, so it cannot change
the networks it is checked on. The checker never raises: a wrong shape, a wrong type, a NaN or an
exception inside the student's function (named by its line) is a report with a message.
"""

from __future__ import annotations

import html
import inspect
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..core import Network, seed_example, sup
from .checker_mistakes import RECORDS, mistaken
from .checker_where import WrongNumber, step_of, symbol, traced_of, wrong_number
from .palette import text_colour

#: how closely a student's gradient must match: relative to the largest entry of the quantity
RTOL = 1e-6


@dataclass(frozen=True)
class Case:
    """One network the student's function is run on: its name in a message, the network, x, y."""

    name: str
    net: Network
    x: np.ndarray
    y: np.ndarray


@dataclass
class Report:
    """The verdict on a student's ``backward``.

    passed : every gradient matched on every network
    first_wrong : the first wrong quantity, with where, expected and got (``None`` if passed)
    mistake : the catalogue id of the mistake that explains every wrong number, or ``None``
    message : what to look at, in the page's words, and which step of the worked example shows it
    step : the id of that step (``"bp2-1"``), or ``None``
    failing : the first network it failed on (``None`` if passed)
    wrong : the first wrong number it returned, on whichever network (``None`` if it returned
        none: it passed, or only raised or gave wrong shapes); a report's view draws it
    """

    passed: bool
    first_wrong: str | None = None
    mistake: str | None = None
    message: str = ""
    step: str | None = None
    networks: int = 0
    details: dict[str, Any] = field(default_factory=dict, repr=False)
    failing: Case | None = field(default=None, repr=False)
    wrong: WrongNumber | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"<Report {'passed' if self.passed else 'failed'}: {self.message}>"

    def _repr_html_(self) -> str:
        role, colour = ("pass", text_colour("act")) if self.passed else ("fail", text_colour("err"))
        verdict = "✓ Your backprop is right" if self.passed else "✗ Not yet"
        parts = [f"<p class='bpw-{role}' style='color:{colour};font-weight:bold'>{verdict}</p>"]
        if self.first_wrong:
            parts.append(f"<p><b>First wrong:</b> <mark>{html.escape(self.first_wrong)}</mark></p>")
        parts.append(f"<p>{html.escape(self.message)}</p>")
        return "<div class='bpw-check'>" + "".join(parts) + "</div>"


def cases(activation: str, loss: str, count: int = 20, seed: int = 0) -> list[Case]:
    """The seed network and ``count`` random networks of growing size, with these functions;
    layer sizes differ, so that a W used for Wᵀ does not fit. A network with a z on a kink of σ
    (the seed's z₁⁽¹⁾ = 0 with ReLU) is left out: there the slope is a convention, which a
    correct student may choose otherwise."""
    net, x, y = seed_example()
    out = [Case("the seed network", Network(net.weights, net.biases, activation, loss=loss), x, y)]
    rng = np.random.default_rng(seed)
    for i in range(count):
        depth = 1 + (i % 3) + i // 10
        sizes = [int(n) for n in rng.integers(1, 3 + i // 3, size=depth + 1)]
        random = Network.random(sizes, seed=seed + i, activation=activation, loss=loss)
        xs, ys = rng.uniform(-1, 1, sizes[0]), rng.uniform(0.05, 0.95, sizes[-1]).round(2)
        out.append(Case(f"random network {i + 1} {sizes}", random, xs, ys))
    return [c for c in out if not _on_a_kink(c)]


def _on_a_kink(case: Case) -> bool:
    t = case.net.trace(case.x, case.y)
    return any(np.isin(t.z[l], case.net.sigma[l].kinks).any() for l in range(1, t.L + 1))


class Problem(Exception):
    """Why a student's return value cannot be compared (a message for the report)."""


def _arrays(value: Any, what: str, shapes: list[tuple[int, ...]], symbol: str) -> list[np.ndarray]:
    if isinstance(value, np.ndarray) and value.dtype == object:
        value = list(value)
    if not isinstance(value, (list, tuple)):
        raise Problem(f"{what} is a {type(value).__name__}: return a list with one array per layer (1 … L)")
    if len(value) != len(shapes):
        raise Problem(f"{what} has {len(value)} entries, but the network has {len(shapes)} layers (1 … L)")
    out = []
    for l, (v, shape) in enumerate(zip(value, shapes), start=1):
        try:
            arr = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            raise Problem(
                f"{what}[{l - 1}] ({symbol}{sup(l)}) is a {type(v).__name__}, not numbers: "
                f"return a numpy array of shape {shape}"
            ) from None
        if arr.shape != shape:
            hint = " (a transposed matrix?)" if arr.shape == shape[::-1] else ""
            raise Problem(f"{what}[{l - 1}] ({symbol}{sup(l)}) has shape {arr.shape}, but it must be {shape}{hint}")
        if not np.isfinite(arr).all():
            raise Problem(f"{what}[{l - 1}] ({symbol}{sup(l)}) holds NaN or infinity: {arr.tolist()}")
        out.append(arr)
    return out


def _read(result: Any, net: Network) -> dict[str, list[np.ndarray]]:
    """The student's return value as grad_W, grad_b (and delta, if given), checked."""
    if isinstance(result, dict):
        missing = [k for k in ("grad_W", "grad_b") if k not in result]
        if missing:
            raise Problem(f"the returned dict has no {' or '.join(missing)}: give grad_W and grad_b (and delta)")
        gW, gb, delta = result["grad_W"], result["grad_b"], result.get("delta")
    elif isinstance(result, (tuple, list)) and len(result) == 2:
        (gW, gb), delta = result, None
    else:
        raise Problem(f"the function returned a {type(result).__name__}: return (grad_W, grad_b), two lists by layer")
    b_shapes = [b.shape for b in net.biases]
    out = {
        "grad_W": _arrays(gW, "grad_W", [W.shape for W in net.weights], "∂L/∂W"),
        "grad_b": _arrays(gb, "grad_b", b_shapes, "∂L/∂b"),
    }
    if delta is not None:
        out["delta"] = _arrays(delta, "delta", b_shapes, "δ")
    return out


def _where(error: BaseException, fn: Callable) -> str:
    """The line of the student's code an exception came from: ``line 12 (delta = W @ delta)``."""
    frames = traceback.extract_tb(error.__traceback__)
    own = getattr(getattr(fn, "__code__", None), "co_filename", None)
    mine = [f for f in frames if f.filename == own] or frames[1:] or frames
    f = mine[-1]
    return f"line {f.lineno}" + (f" ({f.line.strip()})" if f.line else "")


def _takes_functions(fn: Callable) -> bool:
    """Whether ``fn`` takes ``activation=`` and ``loss=`` (a backward for one σ and loss may not)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return True
    return {"activation", "loss"} <= set(params) or any(p.kind == p.VAR_KEYWORD for p in params.values())


def _call(fn: Callable, case: Case, activation: str, loss: str) -> Any:
    W = [w.copy() for w in case.net.weights]
    b = [v.copy() for v in case.net.biases]
    if _takes_functions(fn):
        return fn(W, b, case.x.copy(), case.y.copy(), activation=activation, loss=loss)
    return fn(W, b, case.x.copy(), case.y.copy())


def _quantities(net: Network, grads: dict[str, list[np.ndarray]]) -> list[tuple[str, int, np.ndarray]]:
    """(key, layer, array) in backprop order: layer L down to 1, δ then b then W."""
    out: list[tuple[str, int, np.ndarray]] = []
    for l in range(net.L, 0, -1):
        if "delta" in grads:
            out.append((f"delta{l}", l, grads["delta"][l - 1]))
        out.append((f"grad_b{l}", l, grads["grad_b"][l - 1]))
        out.append((f"grad_W{l}", l, grads["grad_W"][l - 1]))
    return out


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    return got.shape == want.shape and bool(np.all(np.abs(got - want) <= RTOL * max(np.abs(want).max(), 1e-12)))


@dataclass
class Outcome:
    """What the student's function did on one case: ``ok``, ``wrong`` (its arrays, the first wrong
    quantity), ``raised`` or ``problem`` (a message)."""

    kind: str
    text: str = ""
    grads: dict[str, list[np.ndarray]] | None = None
    where: tuple[str, int, tuple[int, ...]] | None = None
    shapes: list[tuple[int, ...]] | None = None  # of a result that has the wrong shapes


def _shapes(result: Any) -> list[tuple[int, ...]] | None:
    """The shapes of a returned (grad_W, grad_b), as far as they have any."""
    try:
        gW, gb = (result["grad_W"], result["grad_b"]) if isinstance(result, dict) else result
        return [np.shape(g) for g in [*gW, *gb]]
    except Exception:
        return None


def _truth(case: Case) -> dict[str, list[np.ndarray]]:
    t = case.net.trace(case.x, case.y)
    return {"grad_W": t.grad_W[1:], "grad_b": t.grad_b[1:], "delta": t.delta[1:]}


def _run(fn: Callable, case: Case, activation: str, loss: str) -> Outcome:
    try:
        result = _call(fn, case, activation, loss)
    except (Exception, SystemExit) as e:
        return Outcome("raised", f"your function raised {type(e).__name__} at {_where(e, fn)}: {e}")
    try:
        grads = _read(result, case.net)
    except Problem as p:
        return Outcome("problem", str(p), shapes=_shapes(result))
    truth = _truth(case)
    for key, l, got in _quantities(case.net, grads):
        want = truth[key.rstrip("0123456789")][l - 1]
        if not _close(got, want):
            index = np.unravel_index(int(np.argmax(np.abs(got - want))), want.shape)
            i = tuple(int(k) for k in index)
            text = f"{symbol(key, l, i)}: expected {float(want[i]) + 0.0:.6g}, got {float(got[i]) + 0.0:.6g}"
            return Outcome("wrong", text, grads, (key, l, i))
    return Outcome("ok", grads=grads)


def _explains(record, cases_: list[Case], outcomes: list[Outcome]) -> bool:
    """Whether making ``record``'s mistake gives what the student's function gave on every case."""
    seen_wrong = False
    for case, out in zip(cases_, outcomes):
        try:
            gW, gb, delta = mistaken(case.net, case.x, case.y, record)
            made = {"grad_W": gW, "grad_b": gb, "delta": delta}
            fits = all(g.shape == W.shape for g, W in zip(gW, case.net.weights))
            fits = fits and all(g.shape == b.shape for g, b in zip(gb, case.net.biases))
        except ValueError:
            made, fits = None, False
        if out.kind == "raised":  # numpy could not make the mistake on these shapes either
            if made is not None:
                return False
            seen_wrong = True
        elif out.kind == "problem":  # the mistake gives the same wrong shapes
            if made is None or fits or out.shapes != [np.shape(g) for g in [*made["grad_W"], *made["grad_b"]]]:
                return False
            seen_wrong = True
        elif made is None or not fits or out.grads is None:
            return False
        else:
            same = all(_close(g, m) for key, arrays in out.grads.items() for g, m in zip(arrays, made[key]))
            if not same:
                return False
            seen_wrong = seen_wrong or out.kind == "wrong"
    return seen_wrong


def _step_title(case: Case, key: str, l: int, index: tuple[int, ...], step: str) -> str:
    from .walkthrough import worked_example

    traced = traced_of(key, l, index)
    try:
        title = worked_example(case.net, case.x, case.y, traced=traced).step(step).title
    except (KeyError, ValueError):
        return f"step {step}"
    return f"step “{title}” ({step}) of the worked example for {traced.unicode}"


def check_backprop(
    backward: Callable, activation: str = "sigmoid", loss: str = "mse", networks: int = 20, seed: int = 0
) -> Report:
    """Check a student's ``backward(weights, biases, x, y, activation=…, loss=…)``, which returns
    ``(grad_W, grad_b)`` (lists by layer, like ``Network.weights``) or a dict with ``grad_W``,
    ``grad_b`` and optionally ``delta``, on the seed network and ``networks`` random ones.

    Never raises: every problem is a :class:`Report` with a message."""
    try:
        return _check(backward, activation, loss, networks, seed)
    except Exception as e:  # a bug of ours must not look like the student's
        return Report(False, message=f"the checker could not finish ({type(e).__name__}: {e})")


def _check(backward: Callable, activation: str, loss: str, networks: int, seed: int) -> Report:
    if not callable(backward):
        return Report(False, message=f"check_backprop needs your backward function, got a {type(backward).__name__}")
    try:
        cases_ = cases(activation, loss, max(20, int(networks)), seed)
    except ValueError as e:
        return Report(False, message=f"cannot check with activation={activation!r}, loss={loss!r}: {e}")
    outcomes = [_run(backward, c, activation, loss) for c in cases_]
    bad = next((i for i, o in enumerate(outcomes) if o.kind != "ok"), None)
    if bad is None:
        return Report(True, message=f"Every gradient matches on all {len(cases_)} networks.", networks=len(cases_))
    case, out = cases_[bad], outcomes[bad]
    first = f"{out.text} on {case.name}"
    mistake = next((r for r in RECORDS if _explains(r, cases_, outcomes)), None)
    words = [(first[0].upper() + first[1:] if first[0].isascii() else first) + "."]
    step = None
    if out.where is not None:
        key, l, index = out.where
        step = step_of(key, l, case.net.L, "delta" in (out.grads or {}))
        words.append(f"Compare with {_step_title(case, key, l, index, step)}.")
    if mistake is not None:
        words.insert(1, f"It looks like {mistake.text} (the mistake {mistake.id!r}).")
    return Report(
        False,
        first,
        mistake.id if mistake else None,
        " ".join(words),
        step,
        len(cases_),
        {"case": case.name, "outcome": out.kind},
        case,
        next((_wrong_number(c, o) for c, o in zip(cases_, outcomes) if o.kind == "wrong"), None),
    )


def _wrong_number(case: Case, out: Outcome) -> WrongNumber:
    key, l, index = out.where or ("", 0, ())
    grads = out.grads or {}
    got = grads[key.rstrip("0123456789")][l - 1]
    return wrong_number(case.name, case.net, case.x, case.y, (key, l, index), got, "delta" in grads)
