"""The quick reference: the four equations, BP1 in the form that applies to this output and
loss (the equations themselves live once, in :mod:`.notation`)."""

from __future__ import annotations

from ..highlight import Highlight
from ..notation import reference_parts
from . import Context, Part, Step, StepKind


def reference_step(c: Context) -> Step:
    """The quick reference: forward pass, backward pass, then BP3 (or BP4)."""
    t = c.trace
    return Step(
        id="reference",
        title="Quick reference",
        tag=None,
        text="To get any gradient: run the forward pass, then BP1 and BP2 back to the parameter's "
        "layer, then BP3 for a weight or BP4 for a bias.",
        parts=tuple(Part(*e) for e in reference_parts(t.activations[t.L], t.loss_name)),
        touches=Highlight(),
        heading="Quick Reference",
    )


def build(c: Context) -> list[Step]:
    return [reference_step(c)]


KIND = StepKind("reference", build)
