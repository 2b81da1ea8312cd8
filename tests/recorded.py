"""Comparing a page with its recording, up to the machine's rounding.

The recordings in ``tests/data`` hold what the code wrote, digits and all. Two machines can
differ in the last bit of a sum: OpenBLAS picks its kernels by CPU (an AVX-512 machine adds a
matrix-vector product's terms in another order than an AVX2 one), and so does numpy for some
ufuncs. The page's numbers then differ in the 16th digit (0.5827399999999999 against 0.58274),
and the finite-difference check's relative error, which *is* rounding noise at that size,
can read 3.4×10⁻¹² on one machine and 2.0×10⁻¹¹ on another.

``differences(now, was)`` walks both (dicts, lists, strings, numbers) and returns what differs
beyond that: the text around the numbers must be the same character for character, the same
numbers must stand in the same places, and each pair must agree to :data:`REL` (relative), or
both be below :data:`NOISE` in size (the check's noise-level quantities).
"""

from __future__ import annotations

import math
import re

REL = 1e-9  # far below any printed digit (the page prints at most 6 significant digits)
NOISE = 1e-9  # |x| below this: a difference quotient's rounding noise, not a page's number

_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
#: a number as the page writes it: 0.0794, −0.0794, 1e-05, 3.43 \times 10^{-12}, 1.5×10⁻¹¹
NUMBER = re.compile(
    r"[−-]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
    r"(?:\s*(?:×|\\times)\s*10(?:\^\{[−-]?\d+\}|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))?"
)


def value(token: str) -> float:
    """The float a token of :data:`NUMBER` writes."""
    token = token.replace("−", "-")
    m = re.fullmatch(r"(\S+?)\s*(?:×|\\times)\s*10(?:\^\{(\S+)\}|(\S+))", token)
    if m is None:
        return float(token)
    exponent = m.group(2) if m.group(2) is not None else m.group(3).translate(_SUP)
    return float(m.group(1)) * 10.0 ** int(exponent)


def close(a: float, b: float) -> bool:
    if a == b or (abs(a) < NOISE and abs(b) < NOISE):
        return True
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= REL * max(abs(a), abs(b))


def _text(now: str, was: str, where: str) -> list[str]:
    if now == was:
        return []
    if NUMBER.split(now) != NUMBER.split(was):
        return [f"{where}: the text differs:\n  now: {now[:400]}\n  was: {was[:400]}"]
    pairs = zip(NUMBER.findall(now), NUMBER.findall(was))
    return [f"{where}: {a} is not {b}" for a, b in pairs if not close(value(a), value(b))]


def differences(now, was, where: str = "") -> list[str]:
    """What differs between ``now`` and its recording ``was`` beyond the machine's rounding."""
    if isinstance(now, dict) and isinstance(was, dict):
        if set(now) != set(was):
            return [f"{where}: keys {sorted(set(now) ^ set(was))} differ"]
        return [d for k in now for d in differences(now[k], was[k], f"{where}.{k}")]
    if isinstance(now, (list, tuple)) and isinstance(was, (list, tuple)):
        if len(now) != len(was):
            return [f"{where}: {len(now)} items, recorded {len(was)}"]
        return [d for i, (a, b) in enumerate(zip(now, was)) for d in differences(a, b, f"{where}[{i}]")]
    if isinstance(now, str) and isinstance(was, str):
        return _text(now, was, where)
    if isinstance(now, float) and isinstance(was, (int, float)) and not isinstance(was, bool):
        return [] if close(now, float(was)) else [f"{where}: {now!r} is not {was!r}"]
    return [] if now == was else [f"{where}: {now!r} is not {was!r}"]
