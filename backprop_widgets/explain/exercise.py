"""Practice sheets for a class: each student's network and numbers (drawn from a seed and the
student's name), the sheet of blanks and the answer key, as documents (:mod:`.render.blocks`) that every
registered format writes (:mod:`.render.formats`). The command is
:mod:`backprop_widgets.cli.exercise`.

- **Deterministic.** A student's numbers come from the seed and the student's name alone
  (SHA-256 of the name into a ``numpy.random.SeedSequence``): the same roster and seed give
  byte-identical files, and adding, removing or reordering names changes nobody else's numbers.
- **Fit for hand calculation.** Weights have 1–2 decimals (±0.05 … ±1.00), biases too
  (±0.05 … ±0.50), inputs one decimal; the numbers are drawn again until no unit saturates
  (|z| ≤ 3), no ReLU on the traced path is dead or at its kink, the traced gradient is at least
  10⁻³ in size, the descent step shows at the precision asked, and every answer's tolerance is
  under 2 % of it — at most :data:`MAX_TRIES` draws a student.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..core import Network, Param, fmt, fmt_all
from .practice import CATALOGUE, Question
from .render import blocks as doc
from .render.blocks import Block, Document
from .render.document import document
from .render.formats import FORMATS
from .steps import pmatrix, pmatrix2

if TYPE_CHECKING:
    from .walkthrough import WorkedExample

MAX_TRIES = 1000  # draws of a student's numbers before giving up
MAX_Z = 3.0  # no saturated unit: |z| ≤ 3
MIN_GRADIENT = 1e-3  # the traced gradient is at least this in size
RELU_MARGIN = 0.05  # a ReLU's z is at least this far from its kink at 0
MAX_RELATIVE_TOLERANCE = 0.02  # every answer's tolerance is under 2 % of it
KEY = "answer-key"


class ExerciseError(ValueError):
    """A bad option or roster: one line on stderr, exit code 2."""


def slug(name: str) -> str:
    """A file-name-safe form of a name: ``"Zoë O'Neil"`` → ``zoe-o-neil``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-") or "student"


def student_rng(seed: int, name: str) -> np.random.Generator:
    """The generator of one student's numbers: from the seed and the name, nothing else."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    return np.random.default_rng(np.random.SeedSequence([seed, *words]))


# --- numbers fit for hand calculation ----------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """What every student's network shares."""

    sizes: tuple[int, ...]
    activation: str
    output_activation: str
    loss: str
    traced: Param
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
    p = spec.traced
    for l in range(1, t.L + 1):
        z = t.z[l]
        if np.any(np.abs(z) > MAX_Z):
            return "a saturated unit"
        if t.activations[l] == "relu":
            if np.any(np.abs(z) < RELU_MARGIN):
                return "a ReLU at its kink"
            on_path = z[p.j - 1 : p.j] if l == p.l else (z if l > p.l else z[:0])
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
    if questions[-1].name != "update":  # practice does not ask a number its line cannot determine
        return "a descent step lost in rounding"
    if questions[-1].check(repr(theta)).correct:
        return "a descent step too small to show"
    return None


def make_student(index: int, width: int, name: str, seed: int, spec: Spec, ext: str, palette: str) -> Student:
    """Draw one student's numbers until they are fit for hand calculation; ``ext``: their sheet's
    file name extension (without the dot)."""
    from .walkthrough import worked_example

    rng = student_rng(seed, name)
    reasons: Counter = Counter()
    for _ in range(MAX_TRIES):
        net, x, y = draw(rng, spec)
        reason = unfit(net, x, y, spec)
        if reason is None:
            we = worked_example(net, x, y, traced=spec.traced, palette=palette)
            qs = we.questions(spec.eta)
            reason = unfit_questions(qs, net.get(spec.traced))
            if reason is None:
                return Student(name, f"{index + 1:0{width}d}-{slug(name)}.{ext}", net, x, y, we, qs)
        reasons[reason] += 1
    why = reasons.most_common(1)[0][0]
    raise ExerciseError(
        f"found no numbers fit for hand calculation for {name!r} in {MAX_TRIES} "
        f"draws (most often: {why}): try smaller --sizes, another --activation or --seed"
    )


# --- documents: a few kinds of block, rendered in each format -----------------------------------


def _network_blocks(s: Student, spec: Spec) -> list[Block]:
    net, L = s.net, s.net.L
    out = net.output_activation
    hidden = (
        f"{net.activation} hidden layers and a{'n' if out[0] in 'aeiou' else ''} {out} output layer"
        if L > 1
        else f"one {out} layer"
    )
    loss = {"mse": "MSE ½Σ(a − y)²", "cross_entropy": "cross-entropy"}.get(net.loss_name, net.loss_name)
    blocks: list[Block] = [
        doc.Paragraph(
            f"Network {list(net.sizes)}: {hidden}; loss {loss}. You trace ∂L/∂{spec.traced.unicode} "
            f"and take one step of gradient descent with η = {fmt(spec.eta, unicode=True)}."
        )
    ]
    for l in range(1, L + 1):
        W = pmatrix2([fmt_all(row) for row in net.weights[l - 1]])
        b = pmatrix(fmt_all(net.biases[l - 1]))
        blocks.append(doc.Math(rf"\wt{{\mathbf{{W}}^{{({l})}} = {W}}}, \quad \wt{{\mathbf{{b}}^{{({l})}} = {b}}}"))
    y = pmatrix(fmt_all(s.y)) if len(s.y) > 1 else fmt(s.y[0])
    blocks.append(doc.Math(rf"\inp{{\mathbf{{x}} = {pmatrix(fmt_all(s.x))}}}, \quad \mathbf{{y}} = {y}"))
    return blocks


def sheet(s: Student, spec: Spec) -> Document:
    """A student's sheet: the network, x and y, and every question as a blank."""
    blocks: list[Block] = [doc.Heading(f"Backpropagation exercise: {s.name}")]
    blocks += _network_blocks(s, spec)
    blocks.append(
        doc.Paragraph(
            "Fill in every box, in order: later lines use your earlier results. "
            "Give each answer to 3 or more significant digits, and carry 4 "
            "significant digits through intermediate results."
        )
    )
    step = None
    for n, q in enumerate(s.questions, start=1):
        if q.step_id != step:
            step = q.step_id
            blocks.append(doc.Heading(s.we.step(step).title, 2))
        if q.name == "update":
            blocks.append(doc.Paragraph(f"After one step of gradient descent with η = {fmt(spec.eta, unicode=True)}:"))
        blocks.append(doc.Question(n, q.symbol, q.formula))
    return Document(tuple(blocks), "sheet")


def _accept(q: Question) -> str:
    return "exactly" if q.tolerance < 1e-9 else "± " + fmt(q.tolerance, unicode=True)


def key(students: list[Student], spec: Spec, seed: int | None) -> Document:
    """The answer key: each student's answers and the worked example (``seed=None``: numbers
    that were not drawn from a seed, such as the dashboard's current network)."""
    drawn = f"Seed {seed}, s" if seed is not None else "S"
    blocks: list[Block] = [
        doc.Heading("Backpropagation exercise: answer key"),
        doc.Paragraph(
            f"{drawn}izes {list(spec.sizes)}, traced {spec.traced.unicode}, "
            f"η = {fmt(spec.eta, unicode=True)}. An answer is right when it is within "
            "the margin shown: a rounding to 3 or more significant digits, or the "
            "value computed from numbers rounded as the worked example prints them. "
            "The last column lists the values that the common mistakes give."
        ),
    ]
    for s in students:
        blocks.append(doc.Heading(s.name, 2, new_page=True))  # in print, each student from a new page
        blocks.append(doc.Paragraph(f"Sheet {s.file}."))
        blocks += _network_blocks(s, spec)
        rows = [("#", "Step", "Quantity", "Answer", "Accept", "Common mistakes")]
        for n, q in enumerate(s.questions, start=1):
            wrong = "; ".join(f"{CATALOGUE[m.id]}: {fmt(m.value, unicode=True)}" for m in q.mistakes)
            rows.append(
                (str(n), s.we.step(q.step_id).title, q.symbol, fmt(q.answer, unicode=True), _accept(q), wrong or "—")
            )
        blocks.append(doc.Table(rows))
        blocks.append(doc.Part(document(s.we)))  # the worked example, under the student's heading
    return Document(tuple(blocks), "sheet")


def for_network(we: "WorkedExample", eta: float = 0.5, format_name: str = "html") -> tuple[str, str]:
    """The sheet and the answer key for one worked example in a registered format, as the
    dashboard's export tab offers them for the network on screen."""
    net = we.net
    spec = Spec(tuple(net.sizes), net.activation, net.output_activation, net.loss_name, we.param, eta)
    file = "exercise-sheet" + FORMATS[format_name].extensions[0]
    s = Student("this network", file, net, we.trace.x, we.trace.y, we, we.questions(eta))
    render = FORMATS[format_name].render
    return render(sheet(s, spec), we.palette), render(key([s], spec, None), we.palette)
