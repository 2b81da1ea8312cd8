"""Breaking a long chain of equalities ``a = b = c`` into one ``= …`` a line, so that it fits a
narrow panel or a printed page: the dashboard's panels and the HTML documents use it."""

from __future__ import annotations

import re

_WORD = re.compile(r"\\[a-zA-Z]+|\\.")


def visible_length(latex: str) -> int:
    """A rough count of the characters a formula shows (commands count as one, colours as none)."""
    s = re.sub(r"\\(?:color|begin|end)\{[^}]*\}|\\(?:left|right)|\\(?:inp|wt|act|err)(?=\{)", "", latex)
    return len(re.sub(r"[{}\s^_&]", "", _WORD.sub("x", s)))


def top_level_equals(latex: str) -> list[int]:
    """Positions of ``=`` outside every brace group, environment and ``\\left … \\right``."""
    depth, out, i = 0, [], 0
    while i < len(latex):
        c = latex[i]
        if c == "\\":
            m = _WORD.match(latex, i)
            if m is None:  # a backslash at the very end, or before a line break, starts no command
                i += 1
                continue
            word = m.group(0)
            if word in ("\\begin", "\\left"):
                depth += 1
            elif word in ("\\end", "\\right"):
                depth -= 1
            i = m.end()
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "=" and depth == 0:
            out.append(i)
        i += 1
    return out


def break_equals(latex: str, max_chars: int) -> str:
    """A chain ``a = b = c`` wider than ``max_chars`` as an ``aligned`` block, one ``= …`` a line,
    so that it fits a narrow panel; shorter formulas are returned unchanged."""
    eqs = top_level_equals(latex)
    if len(eqs) < 2 or visible_length(latex) <= max_chars:
        return latex
    cuts = [0] + eqs + [len(latex)]
    pieces = [latex[a:b].strip() for a, b in zip(cuts, cuts[1:])]  # lhs, "= b", "= c", …
    if visible_length(pieces[0] + pieces[1]) <= max_chars:
        lines = [pieces[0] + " &" + pieces[1]] + ["&" + piece for piece in pieces[2:]]
    else:  # a long left side (a path's name) gets a line of its own
        lines = [pieces[0] + " &"] + ["&" + piece for piece in pieces[1:]]
    # "{}" first: a line starting with "[" would be read as \begin{aligned}'s optional argument
    return "\\begin{aligned} {}" + " \\\\ ".join(lines) + " \\end{aligned}"
