"""The worked example for any network: the seed page's walk with this network's numbers.

>>> from backprop_widgets import seed_example, worked_example
>>> net, x, y = seed_example()
>>> we = worked_example(net, x, y, target="w1,1,1")
>>> [s.id for s in we.steps]   # doctest: +NORMALIZE_WHITESPACE
['forward-1', 'forward-2', 'forward-3', 'loss', 'bp1', 'bp2-2', 'bp2-1', 'bp3', 'check',
 'paths', 'table', 'reference']

Everything is computed from one :meth:`Network.trace` (plus the centred difference of the
target parameter); the steps only format it. numpy and the standard library only.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..core import CHECK_THRESHOLD, EPS, GradientCheck, Network, Param, PathSum, Trace, check_gradient, path_sum
from .palette import check_palette
from .steps import (
    Printed,
    Step,
    bp1_step,
    bp2_step,
    check_step,
    forward_step,
    loss_step,
    paths_step,
    reference_step,
    result_line,
    table_step,
    target_gradient_step,
)

__all__ = ["Step", "WorkedExample", "worked_example"]

THRESHOLD = CHECK_THRESHOLD  # the page's threshold for the relative error of the gradient check


class WorkedExample:
    """The steps of one worked example and its renderings.

    Attributes
    ----------
    net, x, y : the network and the sample
    param : the target parameter (:class:`~backprop_widgets.core.Param`)
    trace : the :class:`~backprop_widgets.core.Trace` every number comes from
    steps : the ordered steps (:class:`~backprop_widgets.explain.steps.Step`)
    numerical : the centred difference of ``param`` (``Network.numerical_gradient_of``)
    check : the verdict (:class:`~backprop_widgets.core.GradientCheck`); ``relative_error`` and
        ``passed`` are its relative error and whether it passed
    paths : the path decomposition (:class:`~backprop_widgets.core.paths.PathSum`)
    palette : ``"okabe-ito"`` or ``"page"``
    """

    def __init__(self, net: Network, x, y, param: Param, palette: str, trace: Trace,
                 steps: tuple[Step, ...], numerical: dict, paths: PathSum,
                 check: GradientCheck) -> None:
        self.net, self.x, self.y = net, trace.x, trace.y
        self.param = param
        self.palette = palette
        self.trace = trace
        self.steps = steps
        self.numerical = numerical
        self.check = check
        self.relative_error = self.check.relative_error
        self.passed = self.check.passed
        self.paths = paths

    @property
    def gradient(self) -> float:
        """∂L/∂(param) from BP3 or BP4."""
        return self.trace.grad(self.param)

    def index(self, step_id: str) -> int:
        """Position of the step with this id; ``KeyError`` if there is none."""
        for i, s in enumerate(self.steps):
            if s.id == step_id:
                return i
        raise KeyError(f"no step {step_id!r}; steps are {', '.join(s.id for s in self.steps)}")

    def step(self, key: "int | str") -> Step:
        """A step by position or by id."""
        return self.steps[self.index(key) if isinstance(key, str) else key]

    def step_html(self, key: "int | str", wrap: int | None = None) -> str:
        """One step as an HTML fragment for an ipywidgets ``HTMLMath`` panel (colours inline);
        ``wrap`` breaks chains of equalities wider than about that many characters."""
        from .render import step_html

        return step_html(self.step(key), self.palette, wrap)

    def to_markdown(self) -> str:
        """The whole worked example as Markdown with ``$$`` math (colours inline)."""
        from .render import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        """One self-contained HTML page: the formulas are MathML, drawn by the browser, offline."""
        from .render import to_html

        return to_html(self)

    def to_latex(self) -> str:
        """A LaTeX document (article, amsmath, xcolor) with the four colour macros defined."""
        from .render import to_latex

        return to_latex(self)

    def questions(self, eta: float = 0.5) -> list:
        """Every number the steps compute, in walkthrough order, as questions to answer and
        check (:func:`backprop_widgets.explain.practice.questions`); the last is the target's value
        after one descent step with learning rate ``eta``."""
        from .practice import questions

        return questions(self, eta)

    def __len__(self) -> int:
        return len(self.steps)

    def __repr__(self) -> str:
        return f"<WorkedExample {self.param} in {self.net!r}: {len(self.steps)} steps>"


def worked_example(net: Network, x, y, target: "str | Param" = "w1,1,1",
                   palette: str = "okabe-ito", max_paths: int = 6,
                   eps: float = EPS, trace: Trace | None = None) -> WorkedExample:
    """Build every step of the worked example for ``target`` in ``net`` on the sample (x, y).

    Parameters
    ----------
    net : the network
    x : input, shape (n_0,)
    y : target, shape (n_L,) (a number if n_L = 1)
    target : the parameter whose gradient is traced: ``"w<l>,<j>,<k>"`` or ``"b<l>,<j>"``
        (1-based, as in the notation) or a :class:`~backprop_widgets.core.Param`
    palette : ``"okabe-ito"`` (colour-blind safe, default) or ``"page"``
    max_paths : how many paths the summary lists; the others are summed in one term
    eps : ε of the centred difference
    trace : ``net.trace(x, y)`` if the caller already has it (the dashboard's state does); it
        must come from this very network and sample

    Returns
    -------
    WorkedExample
        with ``steps``: ``forward-1`` … ``forward-L``, ``loss``, ``bp1``, ``bp2-(L−1)`` …
        ``bp2-l`` (down to the target's layer l), ``bp3`` (weight) or ``bp4`` (bias),
        ``check``, ``paths``, ``table``, ``reference``.
    """
    check_palette(palette)
    p = net.check_param(target)
    if int(max_paths) < 1:
        raise ValueError(f"max_paths must be at least 1, got {max_paths}")
    if trace is None:
        t = net.trace(x, y)
    elif (any(a is not b for a, b in zip(trace.weights, net.weights))
          or not np.array_equal(trace.x, np.asarray(x, float).reshape(-1))
          or not np.array_equal(trace.y, np.asarray(y, float).reshape(-1))):
        raise ValueError("trace must be net.trace(x, y) for this network and sample")
    else:
        t = trace
    P = Printed(t)
    L = t.L
    numerical = net.numerical_gradient_of(p, t.x, t.y, eps)
    ps = path_sum(t, p, int(max_paths))
    steps = [forward_step(P, l) for l in range(1, L + 1)]
    steps.append(loss_step(P))
    steps.append(bp1_step(P))
    steps += [bp2_step(P, l) for l in range(L - 1, p.l - 1, -1)]
    steps.append(target_gradient_step(P, p))
    check = check_gradient(t, p, numerical["numerical"], numerical["eps"], THRESHOLD)
    steps.append(check_step(P, p, numerical, check, THRESHOLD))
    steps.append(paths_step(P, p, ps))
    steps.append(table_step(P))
    steps.append(reference_step(t))
    steps = [replace(st, result=result_line(st.id, P, p, check)) for st in steps]
    return WorkedExample(net, x, y, p, palette, t, tuple(steps), numerical, ps, check)
