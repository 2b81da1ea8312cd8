"""A user's dataset from a CSV file: numeric columns, the inputs first and the last k the targets.

:func:`read_csv` reads it by parsing, never by evaluating: each cell must be a decimal number
such as ``1``, ``-0.5``, ``.25`` or ``3e-2`` (a pair of double quotes around it is allowed). The
separator is the first of ``,`` ``;`` or a tab found on the first line, else runs of spaces.
Blank lines and lines that start with ``#`` are skipped. The first line is a header (column
names, ignored) when none of its cells is a number, unless ``header`` says otherwise. Anything
else raises ``ValueError`` naming the line and column (both from 1, as an editor counts them).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from .datasets import MAX_CLASSES, MAX_SAMPLES
from .floats import Array, readonly

#: the largest file read: 10,000 rows of 32 numbers of ~6 characters fit
MAX_BYTES = 2_000_000
#: the most rows of data (the most samples a dataset may have)
MAX_ROWS = MAX_SAMPLES
#: the most columns: inputs and targets of a net of at most 16 neurons a layer
MAX_COLUMNS = 32

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark dropped), or ``ValueError`` naming where it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        start = data.rfind(b"\n", 0, e.start) + 1
        line = data.count(b"\n", 0, e.start) + 1
        column = data[start : e.start].count(b",") + 1
        raise ValueError(
            f"line {line}, column {column}: byte 0x{data[e.start]:02x} is not UTF-8 text; "
            "save the file as CSV (UTF-8), not as a spreadsheet"
        ) from None


def _text(source: "str | bytes | os.PathLike[str]") -> str:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, str) and (not source.strip() or any(c in source for c in ",;\t\n\r")):
        if len(source) > MAX_BYTES:
            raise ValueError(f"the text is {_size(len(source))}; at most {_size(MAX_BYTES)} is read")
        return source
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise ValueError(f"the file is {_size(size)}; at most {_size(MAX_BYTES)} is read")
            data = path.read_bytes()
        except OSError as e:
            raise ValueError(f"cannot read {str(source)!r}: {e.strerror or e}") from None
    else:
        raise ValueError(f"read_csv takes CSV text, its bytes or a path, not {type(source).__name__}")
    if len(data) > MAX_BYTES:
        raise ValueError(f"the file is {_size(len(data))}; at most {_size(MAX_BYTES)} is read")
    return _decode(data)


def _cells(line: str, sep: str | None) -> list[str]:
    cells = [c.strip() for c in (line.split(sep) if sep else line.split())]
    return [c[1:-1].strip() if len(c) >= 2 and c[0] == c[-1] == '"' else c for c in cells]


def _number(cell: str, where: str) -> float:
    if not cell:
        raise ValueError(f"{where} is empty: every cell must be a number")
    if _NOT_FINITE.fullmatch(cell):
        raise ValueError(f"{where}: {cell} is not a finite number; every cell must be one")
    if not _NUMBER.fullmatch(cell):
        shown = cell if len(cell) <= 30 else cell[:30] + "…"
        raise ValueError(f"{where}: {shown!r} is not a number (write numbers such as 0.5, -2 or 1e-3)")
    value = float(cell)
    if not np.isfinite(value):
        raise ValueError(f"{where}: {cell} is too large for a float (beyond ±1.8e308)")
    return value


def read_csv(source: "str | bytes | os.PathLike[str]", k: int = 1, header: bool | None = None) -> tuple[Array, Array]:
    """X (n, c − k) and Y (n, k) from a CSV file of c numeric columns (see the module docstring).

    source : the CSV text (a ``str`` that is blank or has a comma, semicolon, tab or line break),
        its bytes (as a file upload gives them), or a path (any other ``str``, or a
        ``pathlib.Path``)
    k : how many of the last columns are targets: 1 for a 0/1 class or one output, k for k
        outputs (one-hot classes)
    header : whether the first line names the columns; ``None`` decides from the line itself

    >>> X, Y = read_csv("x1,x2,y\\n0.5,-1,1\\n0,2e-1,0\\n")
    >>> X.tolist(), Y.tolist()
    ([[0.5, -1.0], [0.0, 0.2]], [[1.0], [0.0]])
    >>> read_csv("1,2,3\\n4,5\\n")
    Traceback (most recent call last):
    ...
    ValueError: line 2 has 2 columns, but line 1 has 3: every row needs the same columns
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= MAX_CLASSES:
        raise ValueError(f"k, the number of target columns, must be a whole number from 1 to {MAX_CLASSES}")
    lines = [
        (i, line)
        for i, line in enumerate(_text(source).split("\n"), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise ValueError("the file is empty: it needs rows of numbers, the targets in the last column")
    first = lines[0][1]
    sep = next((s for s in (",", ";", "\t") if s in first), None)
    if header is None:
        header = not any(_NUMBER.fullmatch(c) for c in _cells(first, sep))
    rows = lines[1:] if header else lines
    if not rows:
        raise ValueError("the file has a header but no rows of numbers under it")
    if len(rows) > MAX_ROWS:
        raise ValueError(f"the file has {len(rows):,} rows of data; at most {MAX_ROWS:,} are read")
    width_line, width = rows[0][0], len(_cells(rows[0][1], sep))
    if width > MAX_COLUMNS:
        raise ValueError(f"line {width_line} has {width} columns; at most {MAX_COLUMNS} are read")
    if width < k + 1:
        raise ValueError(
            f"line {width_line} has {width} column{'s' * (width != 1)}: each row needs at least one input "
            f"and then {k} target column{'s' * (k != 1)}, {k + 1} columns in all"
        )
    values = np.empty((len(rows), width))
    for r, (i, line) in enumerate(rows):
        cells = _cells(line, sep)
        if len(cells) != width:
            raise ValueError(
                f"line {i} has {len(cells)} columns, but line {width_line} has {width}: every row needs the same columns"
            )
        for c, cell in enumerate(cells):
            values[r, c] = _number(cell, f"line {i}, column {c + 1}")
    return readonly(values[:, :-k].copy()), readonly(values[:, -k:].copy())
