"""The registry of step kinds, in walk order: the worked example is their steps, kind by kind.

To add a kind of step, write a module ``steps/<name>.py`` whose ``KIND`` is a
:class:`~.StepKind` (how it builds its steps from a :class:`~.Context`, what each
step asks) and register it below with one line; nothing else names it. :func:`register` also
takes ``before=`` to place a kind ahead of another one.
"""

from __future__ import annotations

from dataclasses import replace

from . import Context, Step, StepKind, bp1, bp2, check, forward, gradient, loss, paths, reference, table

__all__ = ["STEP_KINDS", "build_steps", "register", "unregister"]

#: name → kind, in walk order
STEP_KINDS: dict[str, StepKind] = {}


def register(kind: StepKind, before: str | None = None) -> StepKind:
    """Add ``kind`` at the end of the walk, or just ahead of the kind named ``before``."""
    if kind.name in STEP_KINDS:
        raise ValueError(f"a step kind named {kind.name!r} is registered already")
    entries = list(STEP_KINDS.items())
    at = len(entries) if before is None else list(STEP_KINDS).index(before)
    entries.insert(at, (kind.name, kind))
    STEP_KINDS.clear()
    STEP_KINDS.update(entries)
    return kind


def unregister(name: str) -> StepKind:
    """Remove the kind named ``name`` and return it."""
    return STEP_KINDS.pop(name)


def build_steps(c: Context) -> tuple[Step, ...]:
    """Every registered kind's steps, in walk order, each marked with its kind."""
    return tuple(replace(s, kind=kind.name) for kind in STEP_KINDS.values() for s in kind.build(c))


register(forward.KIND)  # forward-1 … forward-L
register(loss.KIND)  # loss
register(bp1.KIND)  # bp1
register(bp2.KIND)  # bp2-(L−1) … bp2-l, down to the traced parameter's layer
register(gradient.KIND)  # bp3 (a weight) or bp4 (a bias)
register(check.KIND)  # check
register(paths.KIND)  # paths
register(table.KIND)  # table
register(reference.KIND)  # reference
