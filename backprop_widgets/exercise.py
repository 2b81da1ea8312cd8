"""``backprop-widgets exercise``: one practice sheet per student and one answer key.

    backprop-widgets exercise --students roster.txt --sizes 2,2,1 --seed 7 --target w1,1,1 -o sheets/
    backprop-widgets exercise --students roster.txt --activation tanh --format tex -o sheets/ --force

The roster has one name a line; blank lines and lines starting with ``#`` are skipped. Each
student gets a network of the given sizes with numbers of their own, and a sheet with the
network, x, y and every question of the worked example as a blank (:mod:`.practice`), in
walkthrough order. ``answer-key.<ext>`` gives each student's answers, how far off an answer may
be and still be right, the values the catalogue's mistakes give, and the worked example.

- **Deterministic.** A student's numbers come from ``--seed`` and the student's name alone
  (SHA-256 of the name into a ``numpy.random.SeedSequence``): the same roster and seed give
  byte-identical files, and adding, removing or reordering names changes nobody else's numbers.
- **Fit for hand calculation.** Weights have 1–2 decimals (±0.05 … ±1.00), biases too
  (±0.05 … ±0.50), inputs one decimal; the numbers are drawn again until no unit saturates
  (|z| ≤ 3), no ReLU on the traced path is dead or at its kink, the traced gradient is at least
  10⁻³ in size, the descent step shows at the precision asked, and every answer's tolerance is
  under 2 % of it — at most :data:`MAX_TRIES` draws a student.
- **All or nothing.** Bad options or a bad roster (empty, duplicate names, unreadable) print one
  line on stderr and exit with code 2, writing nothing: the files are made in memory, written to
  a temporary folder beside ``-o`` and moved into place last.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .core import Network, Param, parse_sizes
from .functions import ACTIVATIONS, HIDDEN_ACTIVATIONS, LOSSES
from .numfmt import fmt, fmt_all
from .palette import PALETTES, expand, preamble
from .practice import CATALOGUE, Question
from .steps import pmatrix, pmatrix2

if TYPE_CHECKING:
    from .walkthrough import WorkedExample

FORMATS = ("html", "md", "tex")
MAX_TRIES = 1000  # draws of a student's numbers before giving up
MAX_Z = 3.0  # no saturated unit: |z| ≤ 3
MIN_GRADIENT = 1e-3  # the traced gradient is at least this in size
RELU_MARGIN = 0.05  # a ReLU's z is at least this far from its kink at 0
MAX_RELATIVE_TOLERANCE = 0.02  # every answer's tolerance is under 2 % of it
KEY = "answer-key"
PROG = "backprop-widgets exercise"


class ExerciseError(ValueError):
    """A bad option or roster: one line on stderr, exit code 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The exercise command's options."""
    parser.add_argument("--students", metavar="ROSTER.txt", required=True,
                        help="the class: one name a line (# comments and blank lines are skipped)")
    parser.add_argument("-o", "--output", metavar="FOLDER", required=True,
                        help="folder for the sheets and the answer key (created; see --force)")
    parser.add_argument("--sizes", metavar="N0,N1,...", default="2,2,1",
                        help="layer sizes (default 2,2,1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the class's numbers (default 0)")
    parser.add_argument("--target", default="w1,1,1",
                        help="parameter to trace: w<l>,<j>,<k> or b<l>,<j> (default w1,1,1)")
    parser.add_argument("--activation", choices=HIDDEN_ACTIVATIONS, default="sigmoid",
                        help="hidden layers' activation (default sigmoid)")
    parser.add_argument("--output-activation", choices=tuple(ACTIVATIONS),
                        help="output layer's activation (default: the hidden one)")
    parser.add_argument("--loss", choices=tuple(LOSSES), default="mse", help="loss (default mse)")
    parser.add_argument("--eta", type=float, default=0.5,
                        help="learning rate η of the descent-step question (default 0.5)")
    parser.add_argument("--format", choices=FORMATS, default="html",
                        help="html (self-contained, default), md or tex")
    parser.add_argument("--palette", choices=tuple(PALETTES), default="okabe-ito",
                        help="colours (default okabe-ito, colour-blind safe)")
    parser.add_argument("--force", action="store_true",
                        help="replace the output folder if it exists and is not empty")

    def one_line_error(message: str) -> None:  # argparse's usage + error would be two lines
        print(f"{PROG}: error: {message}", file=sys.stderr)
        raise SystemExit(2)

    parser.error = one_line_error


# --- the roster ----------------------------------------------------------------------------------


def read_roster(path: str) -> list[str]:
    """The names of a roster file, in order; ``ExerciseError`` if it is unreadable, empty or
    names someone twice (compared without regard to case and spacing)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ExerciseError(f"cannot read --students {path}: it is not UTF-8 text") from None
    except OSError as e:
        raise ExerciseError(f"cannot read --students {path}: {e.strerror or e}") from None
    names: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        name = unicodedata.normalize("NFC", " ".join(line.split()))
        if not name or name.startswith("#"):
            continue
        if not name.isprintable():
            raise ExerciseError(f"--students {path} line {number}: a name cannot hold control characters")
        key = name.casefold()
        if key in first_line:
            raise ExerciseError(f"--students {path} names {name!r} twice (lines {first_line[key]} "
                                f"and {number}): each student needs a name of their own")
        first_line[key] = number
        names.append(name)
    if not names:
        raise ExerciseError(f"--students {path} has no names: write one student's name a line")
    return names


def slug(name: str) -> str:
    """A file-name-safe form of a name: ``"Zoë O'Neil"`` → ``zoe-o-neil``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-") or "student"


def student_rng(seed: int, name: str) -> np.random.Generator:
    """The generator of one student's numbers: from the seed and the name, nothing else."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.default_rng(np.random.SeedSequence([seed, *words]))


# --- numbers fit for hand calculation ----------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """What every student's network shares."""

    sizes: tuple[int, ...]
    activation: str
    output_activation: str
    loss: str
    target: Param
    eta: float


@dataclass
class Student:
    name: str
    file: str
    net: Network
    x: np.ndarray
    y: np.ndarray
    we: "WorkedExample"
    questions: list[Question]


def _signed(rng: np.random.Generator, lo: int, hi: int, shape, scale: float) -> np.ndarray:
    """±k·scale with k uniform in lo..hi, rounded to the decimals of ``scale``."""
    k = rng.integers(lo, hi + 1, size=shape) * rng.choice([-1, 1], size=shape)
    return np.round(k * scale, 2)


def draw(rng: np.random.Generator, spec: Spec) -> tuple[Network, np.ndarray, np.ndarray]:
    """One draw of a network and a sample with short decimals."""
    sizes = spec.sizes
    weights = [_signed(rng, 5, 100, (n_out, n_in), 0.01) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [_signed(rng, 5, 50, n_out, 0.01) for n_out in sizes[1:]]
    x = _signed(rng, 1, 10, sizes[0], 0.1)
    n_L = sizes[-1]
    out = spec.output_activation
    if out == "softmax":
        y = np.eye(n_L)[rng.integers(n_L)]
    elif out == "sigmoid" or spec.loss == "cross_entropy":
        y = rng.integers(0, 2, size=n_L).astype(float)
    elif out == "relu":
        y = rng.integers(0, 11, size=n_L) / 10
    else:
        y = rng.integers(-9, 10, size=n_L) / 10
    net = Network(weights, biases, spec.activation, spec.output_activation, spec.loss)
    return net, x, y


def unfit(net: Network, x, y, spec: Spec) -> str | None:
    """Why this draw is not fit for hand calculation (cheap tests on the trace), or None."""
    t = net.trace(x, y)
    p = spec.target
    for l in range(1, t.L + 1):
        z = t.z[l]
        if np.any(np.abs(z) > MAX_Z):
            return "a saturated unit"
        if t.activations[l] == "relu":
            if np.any(np.abs(z) < RELU_MARGIN):
                return "a ReLU at its kink"
            on_path = z[p.j - 1:p.j] if l == p.l else (z if l > p.l else z[:0])
            if np.any(on_path <= 0):
                return "a dead ReLU on the traced path"
    if abs(t.grad(p)) < MIN_GRADIENT:
        return "a traced gradient under 1e-3"
    return None


def unfit_questions(questions: list[Question], theta: float) -> str | None:
    """Why these questions would not check well, or None."""
    for q in questions:
        if abs(q.answer) >= 1e-12 and q.tolerance > MAX_RELATIVE_TOLERANCE * abs(q.answer):
            return "an answer lost in rounding"
    if questions[-1].check(repr(theta)).correct:
        return "a descent step too small to show"
    return None


def make_student(index: int, width: int, name: str, seed: int, spec: Spec, ext: str,
                 palette: str) -> Student:
    """Draw one student's numbers until they are fit for hand calculation."""
    from .walkthrough import worked_example

    rng = student_rng(seed, name)
    reasons: Counter = Counter()
    for _ in range(MAX_TRIES):
        net, x, y = draw(rng, spec)
        reason = unfit(net, x, y, spec)
        if reason is None:
            we = worked_example(net, x, y, target=spec.target, palette=palette)
            qs = we.questions(spec.eta)
            reason = unfit_questions(qs, net.get(spec.target))
            if reason is None:
                return Student(name, f"{index + 1:0{width}d}-{slug(name)}.{ext}", net, x, y, we, qs)
        reasons[reason] += 1
    why = reasons.most_common(1)[0][0]
    raise ExerciseError(f"found no numbers fit for hand calculation for {name!r} in {MAX_TRIES} "
                        f"draws (most often: {why}): try smaller --sizes, another --activation or --seed")


# --- documents: a few kinds of block, rendered in each format -----------------------------------


@dataclass(frozen=True)
class Block:
    kind: str  # "h1" | "h2" | "student" (a key's h2) | "p" | "math" | "question" | "table" | "worked"
    content: object


def _network_blocks(s: Student, spec: Spec) -> list[Block]:
    net, L = s.net, s.net.L
    out = net.output_activation
    hidden = (f"{net.activation} hidden layers and a{'n' if out[0] in 'aeiou' else ''} {out} output layer"
              if L > 1 else f"one {out} layer")
    loss = {"mse": "MSE ½Σ(a − y)²", "cross_entropy": "cross-entropy"}.get(net.loss, net.loss)
    blocks = [Block("p", f"Network {list(net.sizes)}: {hidden}; loss {loss}. You trace "
                         f"∂L/∂{spec.target.unicode} and take one step of gradient descent with "
                         f"η = {fmt(spec.eta, unicode=True)}.")]
    for l in range(1, L + 1):
        W = pmatrix2([fmt_all(row) for row in net.weights[l - 1]])
        b = pmatrix(fmt_all(net.biases[l - 1]))
        blocks.append(Block("math", rf"\wt{{\mathbf{{W}}^{{({l})}} = {W}}}, \quad \wt{{\mathbf{{b}}^{{({l})}} = {b}}}"))
    y = pmatrix(fmt_all(s.y)) if len(s.y) > 1 else fmt(s.y[0])
    blocks.append(Block("math", rf"\inp{{\mathbf{{x}} = {pmatrix(fmt_all(s.x))}}}, \quad \mathbf{{y}} = {y}"))
    return blocks


def sheet(s: Student, spec: Spec) -> list[Block]:
    """A student's sheet: the network, x and y, and every question as a blank."""
    blocks = [Block("h1", f"Backpropagation exercise: {s.name}")]
    blocks += _network_blocks(s, spec)
    blocks.append(Block("p", "Fill in every box, in order: later lines use your earlier results. "
                             "Give each answer to 3 or more significant digits, and carry 4 "
                             "significant digits through intermediate results."))
    step = None
    for n, q in enumerate(s.questions, start=1):
        if q.step_id != step:
            step = q.step_id
            blocks.append(Block("h2", s.we.step(step).title))
        if q.name == "update":
            blocks.append(Block("p", f"After one step of gradient descent with η = "
                                     f"{fmt(spec.eta, unicode=True)}:"))
        blocks.append(Block("question", (n, q.symbol, q.formula)))
    return blocks


def _accept(q: Question) -> str:
    return "exactly" if q.tolerance < 1e-9 else "± " + fmt(q.tolerance, unicode=True)


def key(students: list[Student], spec: Spec, seed: int | None) -> list[Block]:
    """The answer key: each student's answers and the worked example (``seed=None``: numbers
    that were not drawn from a seed, such as the dashboard's current network)."""
    drawn = f"Seed {seed}, s" if seed is not None else "S"
    blocks = [Block("h1", "Backpropagation exercise: answer key"),
              Block("p", f"{drawn}izes {list(spec.sizes)}, target {spec.target.unicode}, "
                         f"η = {fmt(spec.eta, unicode=True)}. An answer is right when it is within "
                         "the margin shown: a rounding to 3 or more significant digits, or the "
                         "value computed from numbers rounded as the worked example prints them. "
                         "The last column lists the values that the common mistakes give.")]
    for s in students:
        blocks.append(Block("student", s.name))
        blocks.append(Block("p", f"Sheet {s.file}."))
        blocks += _network_blocks(s, spec)
        rows = [("#", "Step", "Quantity", "Answer", "Accept", "Common mistakes")]
        for n, q in enumerate(s.questions, start=1):
            wrong = "; ".join(f"{CATALOGUE[m.id]}: {fmt(m.value, unicode=True)}" for m in q.mistakes)
            rows.append((str(n), s.we.step(q.step_id).title, q.symbol, fmt(q.answer, unicode=True),
                         _accept(q), wrong or "—"))
        blocks.append(Block("table", rows))
        blocks.append(Block("worked", s.we))
    return blocks


# --- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _demote(markdown: str, levels: int = 2) -> str:
    """Every heading ``levels`` levels down."""
    return re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) + levels) + " ", markdown, flags=re.M)


def to_markdown(blocks: list[Block], palette: str) -> str:
    out = []
    for b in blocks:
        if b.kind in ("h1", "h2", "student"):
            out.append(("# " if b.kind == "h1" else "## ") + _md_text(b.content))
        elif b.kind == "p":
            out.append(_md_text(b.content))
        elif b.kind == "math":
            out.append(f"$$\n{expand(b.content, palette)}\n$$")
        elif b.kind == "question":
            n, symbol, latex = b.content
            out.append(f"**{n}.** {_md_text(symbol)}\n\n$$\n{expand(latex, palette)}\n$$")
        elif b.kind == "table":
            head, *rows = [[_md_text(c) for c in row] for row in b.content]
            out.append("\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
                                 + ["| " + " | ".join(r) + " |" for r in rows]))
        elif b.kind == "worked":  # the worked example's headings two levels down, under the name
            out.append(_demote(b.content.to_markdown().rstrip("\n")))
    return "\n\n".join(out) + "\n"


# --- HTML ----------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
.bp-math { overflow-x: auto; overflow-y: hidden; margin: 0.6rem 0; }
.bp-question { display: flex; gap: 0.8rem; align-items: baseline; break-inside: avoid; }
.bp-question .bp-n { font-weight: bold; min-width: 2.5em; }
.bp-blank { border: 1.5px solid currentColor; padding: 0.3em 0.5em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } .bp-student ~ .bp-student { break-before: page; } }
"""

_BODY = re.compile(r"<body>\n(.*)\n</body>", re.S)
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _html_math(latex: str, palette: str) -> str:
    """A display formula as MathML; the blank's box (``menclose``, which MathML Core leaves
    out) becomes a row with a CSS border, which every browser draws."""
    from .mathml import to_mathml
    from .render import break_equals

    mathml = to_mathml(break_equals(latex, 80), True, palette)
    mathml = mathml.replace('<menclose notation="box">', '<mrow class="bp-blank">').replace("</menclose>", "</mrow>")
    return f'<div class="bp-math">{mathml}</div>'


def _html_worked(we) -> tuple[str, str]:
    """The worked example's page (render.to_html) as (its CSS, its body with headings two levels down)."""
    page = we.to_html()
    body, style = _BODY.search(page), _STYLE.search(page)
    if body is None or style is None:  # pragma: no cover - render.to_html's page changed shape
        raise RuntimeError("render.to_html no longer writes <style> and <body> as expected")
    inner = re.sub(r"<(/?)h([1-4])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}>", body.group(1))
    return style.group(1), inner


def _cells(row, tag: str) -> str:
    return "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row)


def to_html(blocks: list[Block], palette: str) -> str:
    from .mathml import MATH_CSS

    title, body, styles = "", [], [_CSS, MATH_CSS]
    for b in blocks:
        if b.kind in ("h1", "h2"):
            title = b.content if b.kind == "h1" else title
            body.append(f"<{b.kind}>{html.escape(b.content)}</{b.kind}>")
        elif b.kind == "student":  # in print, each student from a new page
            body.append(f'<h2 class="bp-student">{html.escape(b.content)}</h2>')
        elif b.kind == "p":
            body.append(f"<p>{html.escape(b.content)}</p>")
        elif b.kind == "math":
            body.append(_html_math(b.content, palette))
        elif b.kind == "question":
            n, _, latex = b.content
            body.append(f'<div class="bp-question"><span class="bp-n">{n}.</span>'
                        f"{_html_math(latex, palette)}</div>")
        elif b.kind == "table":
            head, *rows = b.content
            body.append("\n".join(['<table class="bp-table">', f"<thead><tr>{_cells(head, 'th')}</tr></thead>",
                                   "<tbody>", *(f"<tr>{_cells(r, 'td')}</tr>" for r in rows), "</tbody></table>"]))
        elif b.kind == "worked":
            style, inner = _html_worked(b.content)
            if style not in styles:
                styles.append(style)
            body.append(inner)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{''.join(styles)}\n</style>\n</head>\n"
            "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


# --- LaTeX ---------------------------------------------------------------------------------------

def _tex_text(text: str) -> str:
    """Plain text as LaTeX: :func:`render.tex_text`, but with the Greek letters it does not know
    (η) as maths and other letters (ë, ø, ł …) kept as UTF-8, so that names keep their spelling."""
    from .render import tex_text

    def char(c: str) -> str:
        out = tex_text(c) if c != "±" else r"\ensuremath{\pm}"
        if out != "?" or c.isascii():
            return out
        name = unicodedata.name(c, "")
        if name.startswith("GREEK SMALL LETTER ") and " " not in name[19:]:
            return rf"\ensuremath{{\{name[19:].lower().replace('lamda', 'lambda')}}}"
        return c if unicodedata.category(c)[0] in "LM" else out

    return "".join(char(c) for c in text)


def _tex_body(latex_document: str) -> str:
    start = latex_document.index(r"\begin{document}") + len(r"\begin{document}")
    body = latex_document[start:latex_document.rindex(r"\end{document}")].strip("\n")
    body = body.replace(r"\subsection*{", r"\subsubsection*{").replace(r"\section*{", r"\subsection*{")
    return body.replace(r"{\LARGE\bfseries ", r"{\large\bfseries ")


def to_latex(blocks: list[Block], palette: str) -> str:
    text = _tex_text
    students = 0
    # leqno: a question's number (\tag) stands left of its line
    out = [r"\documentclass[11pt,leqno]{article}", r"\usepackage[margin=2cm]{geometry}",
           r"\usepackage[T1]{fontenc}", r"\usepackage{amsmath,amssymb,array}", r"\usepackage{xcolor}",
           preamble(palette), r"\allowdisplaybreaks", r"\setlength{\parindent}{0pt}", r"\begin{document}"]
    for b in blocks:
        if b.kind == "h1":
            out.append(r"{\LARGE\bfseries " + text(b.content) + r"}\par\medskip")
        elif b.kind == "h2":
            out.append(rf"\section*{{{text(b.content)}}}")
        elif b.kind == "student":  # each student from a new page
            out.append((r"\clearpage" + "\n" if students else "") + rf"\section*{{{text(b.content)}}}")
            students += 1
        elif b.kind == "p":
            out.append(text(b.content) + "\n")
        elif b.kind == "math":
            out.append(r"\[ " + b.content + r" \]")
        elif b.kind == "question":
            n, _, latex = b.content
            out.append(r"\[ " + latex + rf" \tag*{{\textbf{{{n}.}}}} \]")
        elif b.kind == "table":
            head, *rows = b.content
            wrap = r">{\raggedright\arraybackslash}p"
            lines = [r"{\small\setlength{\tabcolsep}{3pt}",
                     rf"\begin{{tabular}}{{r{wrap}{{0.15\textwidth}}lll{wrap}{{0.3\textwidth}}}}", r"\hline",
                     " & ".join(r"\textbf{" + text(c) + "}" for c in head) + r" \\ \hline"]
            lines += [" & ".join(text(c) for c in r) + r" \\" for r in rows]
            out.append("\n".join(lines + [r"\hline", r"\end{tabular}}", r"\medskip", ""]))
        elif b.kind == "worked":
            out.append(_tex_body(b.content.to_latex()))
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def render(blocks: list[Block], fmt_: str, palette: str) -> str:
    if fmt_ == "html":
        return to_html(blocks, palette)
    if fmt_ == "md":
        return to_markdown(blocks, palette)
    return to_latex(blocks, palette)


# --- the command ---------------------------------------------------------------------------------


def build_spec(args: argparse.Namespace) -> Spec:
    """The shared network description; ``ExerciseError``/``ValueError`` for bad options."""
    sizes = parse_sizes(args.sizes)
    eta = float(args.eta)
    if not np.isfinite(eta) or eta <= 0:
        raise ExerciseError(f"--eta must be a positive number, got {args.eta}")
    if args.seed < 0:
        raise ExerciseError(f"--seed must be 0 or more, got {args.seed}")
    output = args.output_activation or args.activation
    probe = Network([np.zeros((n, m)) for m, n in zip(sizes, sizes[1:])], [np.zeros(n) for n in sizes[1:]],
                    args.activation, output, args.loss)  # checks the activation and loss choices
    return Spec(tuple(sizes), args.activation, output, args.loss, probe.check_param(args.target), eta)


def build(args: argparse.Namespace) -> dict[str, str]:
    """Every file's name and text, in memory."""
    spec = build_spec(args)
    names = read_roster(args.students)
    width = max(2, len(str(len(names))))
    students = [make_student(i, width, name, args.seed, spec, args.format, args.palette)
                for i, name in enumerate(names)]
    files = {s.file: render(sheet(s, spec), args.format, args.palette) for s in students}
    files[f"{KEY}.{args.format}"] = render(key(students, spec, args.seed), args.format, args.palette)
    return files


def _check_destination(out: Path, force: bool) -> None:
    if not out.parent.is_dir():
        raise ExerciseError(f"cannot write {out}: the folder {out.parent} does not exist")
    if out.exists() and not out.is_dir():
        raise ExerciseError(f"cannot write {out}: it exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ExerciseError(f"{out} exists and is not empty: choose another -o or pass --force to replace it")


def write_all(files: dict[str, str], out: Path) -> None:
    """Write every file into a temporary folder beside ``out``, then move it into place."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp's folder is private; the sheets' folder is not
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
            os.replace(out, old / out.name)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def run(args: argparse.Namespace) -> int:
    """Write the sheets and the key; 0 on success, 2 (one line on stderr, nothing written) for
    bad options or a bad roster."""
    out = Path(args.output)
    try:
        _check_destination(out, args.force)
        files = build(args)
        write_all(files, out)
    except ValueError as e:  # ExerciseError and the core's messages for bad sizes, targets, choices
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{PROG}: error: cannot write {out}: {e.strerror or e}", file=sys.stderr)
        return 2
    print(f"wrote {len(files) - 1} sheets and {KEY}.{args.format} to {out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m backprop_widgets.exercise``: the exercise command on its own."""
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())


def for_network(we: "WorkedExample", eta: float = 0.5) -> tuple[str, str]:
    """The sheet and the answer key (HTML) for one worked example, as the dashboard's export
    tab offers them for the network on screen."""
    net = we.net
    spec = Spec(tuple(net.sizes), net.activation, net.output_activation, net.loss, we.param, eta)
    s = Student("this network", "exercise-sheet.html", net, we.trace.x, we.trace.y, we,
                we.questions(eta))
    return (render(sheet(s, spec), "html", we.palette), render(key([s], spec, None), "html", we.palette))
