"""Names as the notation writes them: layer superscripts, index subscripts, parameters, sizes.

``sup(2)`` is ⁽²⁾, ``sub(12)`` is ₁₂; :class:`Param` is one weight w_{j,k}⁽ˡ⁾ or bias b_j⁽ˡ⁾,
1-based as on the page; :func:`parse_sizes` and :func:`check_sizes` read and check an
architecture [n₀, …, n_L]; :func:`parse_sample_name` reads x_k and y_j.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .numfmt import SUBSCRIPT, SUPERSCRIPT


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
                f"architecture entry {i} is {token!r}: each layer size must be a whole number ≥ 1, e.g. 3,2,2,1"
            )
        sizes.append(int(token))
    check_sizes(sizes)
    return sizes


def check_sizes(sizes: Sequence[int]) -> list[int]:
    """Validate layer sizes ``[n_0, …, n_L]``: at least two layers, each ≥ 1."""
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"architecture needs at least two layers (input and output), got {len(sizes)}")
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
