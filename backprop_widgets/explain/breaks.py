"""Places to break inside a piece of a formula: a vector, a tuple, a bracket and a wide matrix.

:mod:`.flow` cuts a formula before its top-level ``=``, ``+``, ``−`` and products. What is left
inside one piece can still be wider than the panel: a vector of eight activations
``\\act{\\left(0.7171,\\; 0.5200,\\; …\\right)}``, a loss ``0.5 × ((a₁ − y₁)² + … )``, a path
``P_A (w → a → … → ℒ)``, or the 8 × 8 matrix of BP2. :func:`breaks` turns such a piece into a
tree whose leaves are valid LaTeX on their own, each set as one piece:

- a bracket group ``( … )``, ``[ … ]``, ``\\left( … \\right)`` breaks after its commas and
  before its binary signs, arrows and products; the opening bracket goes with the first leaf,
  the closing one (and any script after it) with the last;
- a colour group ``\\act{ … }`` is given to every leaf of its content (the colour code holds on
  every line);
- a matrix of four or more columns breaks between its columns: the first column carries the
  opening bracket, the last the closing one, so a matrix too wide for a line continues on the
  next line, as a printed table does.

A group with nothing to break at stays whole. Brackets of a broken group are plain (they do not
stretch): they hold numbers, whose height is the text's.
"""

from __future__ import annotations

import re
from typing import Union

Tree = Union[str, list["Tree"]]

_TOKEN = re.compile(r"\\[a-zA-Z]+|\\.|.", re.S)
COLOURS = frozenset({"\\inp", "\\wt", "\\act", "\\err"})
#: a group's content breaks before these (binary, not a sign after another operator) …
BEFORE = frozenset({"=", "+", "-", "\\to", "\\cdot", "\\times", "\\odot", "\\approx"})
#: … and after its commas (with the space that follows them)
SPACES = frozenset({"\\;", "\\,", "\\:", "\\ ", "\\quad", "\\enspace", "\\!"})
_CLOSE = {"(": ")", "[": "]"}
_MATRICES = {"pmatrix": ("(", ")"), "bmatrix": ("[", "]")}
#: a matrix this wide (in columns) may break between its columns
MIN_COLUMNS = 4


def _tokens(latex: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(latex)]


def _match(toks: list, i: int, opens: frozenset, closes: frozenset) -> int | None:
    """Index of the token that closes the one at ``i`` (nesting counted), or None."""
    depth = 0
    for j in range(i, len(toks)):
        t = toks[j][2]
        if t in opens:
            depth += 1
        elif t in closes:
            depth -= 1
            if depth == 0:
                return j
    return None


_ALL_OPEN = frozenset({"{", "(", "["})
_ALL_CLOSE = frozenset({"}", ")", "]"})


_BRACES = (frozenset("{"), frozenset("}"))


def _group_end(toks: list, i: int, nxt: int) -> int | None:
    """The last token of the group that starts at ``i`` (``{…}``, ``^x``, ``_{…}``,
    ``\\left| … \\right|``), or None if none starts there."""
    t = toks[i][2]
    if t == "{":
        return _match(toks, i, *_BRACES)
    if t in ("^", "_") and nxt < len(toks):
        return _match(toks, nxt, *_BRACES) if toks[nxt][2] == "{" else nxt
    if t == "\\left":
        j = _match(toks, i, frozenset({"\\left"}), frozenset({"\\right"}))
        return None if j is None or j + 1 >= len(toks) else j + 1
    return None


def _items(latex: str):
    """The top-level items of ``latex``: ``(kind, text, parts)`` with kind ``colour``
    (parts: macro, content), ``bracket`` (open, content, close), ``matrix`` (open, rows, close),
    ``op``, ``comma`` or ``x`` (anything else, kept whole)."""
    toks, i = _tokens(latex), 0
    while i < len(toks):
        a, b, t = toks[i]
        nxt = i + 1
        while nxt < len(toks) and toks[nxt][2].isspace():
            nxt += 1
        if t in COLOURS and nxt < len(toks) and toks[nxt][2] == "{":
            j = _match(toks, nxt, *_BRACES)
            if j is not None:
                yield "colour", latex[a : toks[j][1]], (t, latex[toks[nxt][1] : toks[j][0]])
                i = j + 1
                continue
        if t in _CLOSE or (t == "\\left" and nxt < len(toks) and toks[nxt][2] in _CLOSE):
            pair = (_ALL_OPEN, _ALL_CLOSE) if t in _CLOSE else (frozenset({"\\left"}), frozenset({"\\right"}))
            j = _match(toks, i, *pair)
            opener = t if t in _CLOSE else toks[nxt][2]
            body = toks[i][1] if t in _CLOSE else toks[nxt][1]
            if j is not None:
                if t in _CLOSE and toks[j][2] == _CLOSE[t]:
                    yield "bracket", latex[a : toks[j][1]], (t, latex[body : toks[j][0]], _CLOSE[t])
                    i = j + 1
                    continue
                if t == "\\left" and toks[j][2] == "\\right" and j + 1 < len(toks):
                    if toks[j + 1][2] == _CLOSE[opener]:
                        yield "bracket", latex[a : toks[j + 1][1]], (opener, latex[body : toks[j][0]], _CLOSE[opener])
                        i = j + 2
                        continue
        if t == "\\begin":
            m = re.match(r"\\begin\{(\w+)\}", latex[a:])
            end = _match(toks, i, frozenset({"\\begin"}), frozenset({"\\end"}))
            if m and end is not None:
                stop = latex.index("}", toks[end][1]) + 1
                text = latex[a:stop]
                inside = latex[a + m.end() : toks[end][0]]
                if m.group(1) in _MATRICES and "\\begin" not in inside:  # no table inside
                    rows = [r.split("&") for r in re.split(r"\\\\", inside) if r.strip()]
                    yield "matrix", text, (*_MATRICES[m.group(1)], rows)
                else:
                    yield "x", text, ()
                i = next(k for k in range(end, len(toks)) if toks[k][1] >= stop) + 1
                continue
        end = _group_end(toks, i, nxt)
        if end is not None:  # a brace group, a script with its argument, a \left … \right
            yield "x", latex[a : toks[end][1]], ()
            i = end + 1
            continue
        if t in BEFORE:
            yield "op", t, ()
        elif t == ",":
            yield "comma", t, ()
        else:
            yield "x", t, ()
        i += 1


def _first(tree: Tree, f) -> Tree:
    """``tree`` with ``f`` applied to its first leaf."""
    if isinstance(tree, str):
        return f(tree)
    return [_first(tree[0], f), *tree[1:]]


def _last(tree: Tree, f) -> Tree:
    if isinstance(tree, str):
        return f(tree)
    return [*tree[:-1], _last(tree[-1], f)]


def _leaves(tree: Tree, f) -> Tree:
    return f(tree) if isinstance(tree, str) else [_leaves(t, f) for t in tree]


def _group(kind: str, parts: tuple) -> Tree | None:
    """A group as a tree of its leaves, or None when it has no place to break."""
    if kind == "colour":
        macro, content = parts
        inner = breaks(content)
        return None if isinstance(inner, str) else _leaves(inner, lambda s: f"{macro}{{{s}}}")
    if kind == "bracket":
        opener, content, closer = parts
        inner = breaks(content)
        if isinstance(inner, str):
            return None
        return _last(_first(inner, lambda s: opener + s), lambda s: s + closer)
    opener, closer, rows = parts  # a matrix: one leaf a column
    ncols = max(len(r) for r in rows)
    if ncols < MIN_COLUMNS:
        return None
    columns = [
        "\\begin{matrix} " + " \\\\ ".join((r[c] if c < len(r) else "").strip() for r in rows) + " \\end{matrix}"
        for c in range(ncols)
    ]
    columns[0] = f"\\left{opener} {columns[0]} \\right."
    columns[-1] = f"\\left. {columns[-1]} \\right{closer}"
    return list(columns)


def _append(tree: Tree, text: str) -> Tree:
    return _last(tree, lambda s: s + text)


def _elements(latex: str) -> list[str]:
    """``latex`` cut after its top-level commas (each keeps its comma and the space after it)."""
    out, after_comma = [""], False
    for kind, text, _ in _items(latex):
        if after_comma and (text.isspace() or text in SPACES):
            out[-2] += text
            continue
        after_comma = kind == "comma"
        out[-1] += text
        if after_comma:
            out.append("")
    return [e for e in out if e.strip()]


def breaks(latex: str) -> Tree:
    """``latex`` as a string (nothing to break) or a list of trees, each leaf valid LaTeX: see
    the module's docstring. Joined in order, the leaves are the formula. A list's items are
    its elements (after commas), else its terms (before signs, arrows and products); an item
    that is a list is a group that breaks only if it must."""
    elements = _elements(latex)
    if len(elements) > 1:
        return [breaks(e) for e in elements]
    frags: list[Tree] = [""]
    prev = "op"  # a sign at the start is unary
    for kind, text, parts in _items(latex):
        if text.isspace():
            frags[-1] = _append(frags[-1], text)
            continue
        if kind == "op" and (text not in "+-" or prev == "x"):
            if frags[-1] != "":
                frags.append("")
            frags[-1] = "{}" + text + " "  # keeps a binary operator's spacing at a line start
            prev = "op"
            continue
        group = _group(kind, parts) if kind in ("colour", "bracket", "matrix") else None
        if group is None:
            frags[-1] = _append(frags[-1], text)
        elif isinstance(frags[-1], str):
            head = frags[-1]
            frags[-1] = _first(group, lambda s, head=head: head + s) if head.strip() else group
        else:
            frags[-1] = [frags[-1], group]
        prev = "op" if kind == "op" else "x"
    frags = [f for f in frags if f != ""]
    if len(frags) == 1:
        return latex if isinstance(frags[0], str) else frags[0]
    return frags
