"""The one document model: every document we write (a worked-example handout, an exercise sheet,
an answer key) is a :class:`Document`, a list of blocks; each export format is one renderer of
blocks (:mod:`.markdown`, :mod:`.html_page`, :mod:`.latex`, registered in :mod:`.formats`).

Text is plain Unicode that every renderer escapes for its format, so that a name a teacher typed
reads as typed. A block with ``prose=True`` holds prose of ours instead: Markdown writes it as it
is, and in a paragraph or a table its inline maths is marked with ``\\( … \\)`` (:mod:`..inline`).
A caption or a step is always ours. Displayed maths is LaTeX with the colour macros. No renderer reads
another's output: a document inside a document (an answer key's worked example) is a :class:`Part`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Sequence

from ..steps import Step

if TYPE_CHECKING:
    from ..walkthrough import WorkedExample


@dataclass(frozen=True)
class Heading:
    """The document's title (level 1) or a section's heading (2, 3); ``new_page``: in print, a
    section that starts a new page (each student's part of an answer key); ``prose``: ours."""

    text: str
    level: int = 1
    new_page: bool = False
    prose: bool = False


@dataclass(frozen=True)
class Paragraph:
    """Plain text; ``prose``: ours, with inline maths marked ``\\( … \\)``."""

    text: str
    prose: bool = False


@dataclass(frozen=True)
class Math:
    """A displayed formula (LaTeX with the colour macros), with a caption of ours above it."""

    latex: str
    caption: str | None = None


@dataclass(frozen=True)
class Table:
    """Rows of cells, the header first; ``prose``: cells of ours with ``\\( … \\)`` maths."""

    rows: Sequence[tuple[str, ...]]
    prose: bool = False


@dataclass(frozen=True)
class StepBlock:
    """A step of the worked example: its sentence, then its table or its equations."""

    step: Step


@dataclass(frozen=True)
class Question:
    """Question ``number``: the quantity ``symbol`` (plain text) and a formula with a blank."""

    number: int
    symbol: str
    latex: str


@dataclass(frozen=True)
class Part:
    """A document inside this one (an answer key's worked example): its headings one level down."""

    document: "Document"


#: one block of a document
Block = Heading | Paragraph | Math | Table | StepBlock | Question | Part

#: how a document looks in print: a handout, or an exercise sheet or answer key
Look = Literal["handout", "sheet"]


@dataclass(frozen=True)
class Document:
    """A document: its blocks in order, and its look (page style, table layout); a handout also
    keeps the worked example it was written from (``example``), which the code formats write."""

    blocks: tuple[Block, ...]
    look: Look = "handout"
    example: "WorkedExample | None" = field(default=None, compare=False, repr=False)

    @property
    def title(self) -> str:
        """The text of its (last) level-1 heading; ``""`` if it has none."""
        return ([b.text for b in self.blocks if isinstance(b, Heading) and b.level == 1] or [""])[-1]

    def parts(self) -> list["Document"]:
        """The documents inside this one, in order."""
        return [b.document for b in self.blocks if isinstance(b, Part)]
