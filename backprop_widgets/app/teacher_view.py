"""The teacher's page of the live class, as HTML: pure functions of a round's
:class:`~backprop_widgets.live.TeacherView` (no widgets, no database).

Everything a student sent (answers, question ids, kinds, mistake ids, nicknames) is shown as
text: :func:`html.escape` on every one, as ``markup.py`` does. Every count, percentage and bin
edge is the store's, printed as the page prints numbers (:func:`~backprop_widgets.core.fmt`).

>>> from backprop_widgets.live import QuestionSummary
>>> q = QuestionSummary("sign", "sign", 5, 3, (), (("−", 3), ("+", 2)), (("sign", 2),))
>>> print(right_html(q))
<span class='bpw-class-right'>60 % right on the first try (3 of 5)</span>
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Callable, Mapping

from ..core import fmt
from ..explain.practice.mistakes import CATALOGUE
from ..live import QuestionSummary, TeacherView
from ..live.links import STAGE_MODES, place_of_stage

STATES = {
    "open": "open: taking answers",
    "frozen": "frozen: no more answers",
    "revealed": "revealed: the answer is on every page",
}

CSS = """
.bpw-teacher { font-size: 15px; max-width: 1000px; }
.bpw-teacher .bpw-class-count { font-size: 28px; font-weight: bold; }
.bpw-teacher .bpw-bars { display: grid; grid-template-columns: max-content minmax(40px, 1fr) max-content;
  gap: 4px 8px; align-items: center; max-width: 640px; margin: 6px 0; }
.bpw-teacher .bpw-bar { display: block; height: 18px; background: #0072B2; min-width: 2px; }
.bpw-teacher .bpw-bar-count { font-variant-numeric: tabular-nums; font-weight: bold; }
.bpw-teacher .bpw-class-question { border-left: 3px solid #0072B2; padding-left: 8px; margin: 8px 0; }
.bpw-teacher .bpw-class-right { font-size: 20px; }
.bpw-teacher .bpw-class-chosen { max-width: 100%; height: auto; }
"""


def stage_choices(stages: int) -> list[tuple[str, str]]:
    """Where ``Store.move(stage=…)`` may send the class, as the pages read it (``live.links``):
    a mode, or one of Fade's ``stages`` (``"fade:k"``).

    >>> [value for _, value in stage_choices(2)]
    ['explore', 'predict', 'fade:0', 'fade:1', 'practice']
    """
    out = []
    for mode in STAGE_MODES:
        if mode == "fade":
            out += [(f"Fade, stage {k}", f"fade:{k}") for k in range(stages)]
        else:
            out.append((mode.capitalize(), mode))
    return out


def place_text(view: TeacherView, step_names: Mapping[int, str] | None = None) -> str:
    """Where the teacher moved the class, in words (plain text); steps numbered from 1, as the
    pages number them."""
    parts = []
    if view.step is not None:
        name = (step_names or {}).get(view.step)
        parts.append(f"step {view.step + 1}" + (f" ({name})" if name else ""))
    place = place_of_stage(view.stage) if view.stage else None
    if place is not None:
        mode, k = place
        parts.append(mode.capitalize() + ("" if k is None else f", stage {k}"))
    parts.append(f"question {view.question_id}" if view.question_id else "each student at their own pace")
    return ", ".join(parts)


def status_html(view: TeacherView, step_names: Mapping[int, str] | None = None) -> str:
    """The round, its state, where the class is, how many answered, and the nicknames."""
    nick = ""
    if view.nicknames:
        shown = ", ".join(html.escape(n) for n in view.nicknames)
        nick = f"<div class='bpw-class-nicknames'><b>Nicknames:</b> {shown}</div>"
    pages = "page" if view.pages == 1 else "pages"
    return (
        f"<div class='bpw-class-status'><b>Round {view.round}</b> · {html.escape(STATES.get(view.state, view.state))}"
        f" · {html.escape(place_text(view, step_names))}</div>"
        f"<div><span class='bpw-class-count' data-answered='{view.answered}'>{view.answered}</span> "
        f"answer{'' if view.answered == 1 else 's'} this round, from {view.pages} {pages}</div>{nick}"
    )


def bars_html(rows: list[tuple[str, int]], label: str) -> str:
    """Horizontal bars, one per ``(text, count)``, each as long as its share of the largest."""
    if not rows:
        return ""
    most = max(n for _, n in rows) or 1
    cells = []
    for text, n in rows:
        width = 100.0 * n / most
        cells.append(
            f"<span class='bpw-bar-label'>{html.escape(text)}</span>"
            f"<span class='bpw-bar-track'><span class='bpw-bar' style='width: {width:.1f}%'></span></span>"
            f"<span class='bpw-bar-count' data-count='{n}'>{n}</span>"
        )
    return f"<div class='bpw-bars' role='list' aria-label='{html.escape(label)}'>{''.join(cells)}</div>"


def histogram_rows(q: QuestionSummary) -> list[tuple[str, int]]:
    """A numeric question's bins as bar rows: ``"0.1 to 0.2"`` (the last bin holds its high end)."""
    rows = []
    for i, (lo, hi, n) in enumerate(q.histogram):
        if lo == hi:
            rows.append((fmt(lo, unicode=True), n))
        else:
            close = "]" if i == len(q.histogram) - 1 else ")"
            rows.append((f"[{fmt(lo, unicode=True)}, {fmt(hi, unicode=True)}{close}", n))
    return rows


def right_html(q: QuestionSummary) -> str:
    return (
        f"<span class='bpw-class-right'>{q.percent_right:.0f} % right on the first try "
        f"({q.right_first} of {q.answered})</span>"
    )


def mistake_name(mistake_id: str) -> str:
    """A mistake's words from the practice checker's catalogue (its id when it has none there)."""
    return CATALOGUE.get(mistake_id, mistake_id)


def mistakes_html(q: QuestionSummary) -> str:
    if not q.top_mistakes:
        return "<div class='bpw-class-mistakes'>No named mistake.</div>"
    items = "".join(
        f"<li><span class='bpw-mistake'>{html.escape(mistake_name(m))}</span>: <b data-count='{n}'>{n}</b></li>"
        for m, n in q.top_mistakes
    )
    return f"<div class='bpw-class-mistakes'><b>Most common mistakes</b><ol>{items}</ol></div>"


Label = Callable[[str, str], str]  # (question id, answer as sent) → the choice as the page writes it


def merged_choices(q: QuestionSummary, label: Label | None = None) -> list[tuple[str, int]]:
    """A question's choices with the spellings of one choice counted together (``w2,1,2`` and
    ``w₁,₂⁽²⁾``, ``-`` and ``−``), most chosen first.

    >>> from backprop_widgets.live import QuestionSummary
    >>> q = QuestionSummary("sign", "sign", 4, 3, (), (("−", 2), ("+", 1), ("-", 1)), ())
    >>> merged_choices(q, lambda qid, text: {"-": "−"}.get(text, text))
    [('−', 3), ('+', 1)]
    """
    if label is None:
        return list(q.choices)
    counts: Counter[str] = Counter()
    for text, n in q.choices:
        counts[label(q.question_id, text)] += n
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def question_html(q: QuestionSummary, prompt: str = "", label: Label | None = None) -> str:
    """One question of the round: its id, kind and prompt, the distribution, % right, mistakes."""
    head = f"<b>{html.escape(q.question_id)}</b> <small>({html.escape(q.kind or 'answer')})</small>"
    if prompt:
        head += f"<div class='bpw-class-prompt'>{html.escape(prompt)}</div>"
    if q.histogram:
        dist = bars_html(histogram_rows(q), f"histogram of the answers to {q.question_id}")
    else:
        dist = bars_html(merged_choices(q, label), f"answers to {q.question_id}")
    return (
        f"<div class='bpw-class-question' data-question='{html.escape(q.question_id)}'>{head}"
        f"<div>{q.answered} answered · {right_html(q)}</div>{dist}{mistakes_html(q)}</div>"
    )


def shown_questions(view: TeacherView) -> tuple[QuestionSummary, ...]:
    """The round's current question, or, when the class goes at its own pace, every question
    answered in the round."""
    if view.question_id:
        return tuple(q for q in view.questions if q.question_id == view.question_id)
    return view.questions


def summary_html(view: TeacherView, prompts: Mapping[str, str] | None = None, label: Label | None = None) -> str:
    """Every question to show (:func:`shown_questions`), or a line saying none is answered yet."""
    shown = shown_questions(view)
    if not shown:
        waiting = f"question {view.question_id}" if view.question_id else "any question"
        prompt = (prompts or {}).get(view.question_id, "")
        ask = f"<div class='bpw-class-prompt'>{html.escape(prompt)}</div>" if prompt else ""
        return f"<div class='bpw-class-question'>No answer yet to {html.escape(waiting)}.{ask}</div>"
    return "".join(question_html(q, (prompts or {}).get(q.question_id, ""), label) for q in shown)
