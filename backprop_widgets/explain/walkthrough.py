"""The worked example for any network: the seed page's walk with this network's numbers.

>>> from backprop_widgets import seed_example, worked_example
>>> net, x, y = seed_example()
>>> we = worked_example(net, x, y, traced="w1,1,1")
>>> [s.id for s in we.steps]   # doctest: +NORMALIZE_WHITESPACE
['forward-1', 'forward-2', 'forward-3', 'loss', 'bp1', 'bp2-2', 'bp2-1', 'bp3', 'check',
 'paths', 'table', 'reference']

Everything is computed from one :meth:`Network.trace` (plus the centred difference of the
traced parameter); the steps only format it. The steps come from the registered step kinds
(:mod:`.steps.kinds`), kind by kind. numpy and the standard library only.
"""

from __future__ import annotations

import numpy as np

from ..core import EPS, Network, Param, Trace, check_gradient, path_sum
from .palette import check_palette
from .steps import Context, Printed, Step
from .steps.kinds import build_steps

__all__ = ["Step", "WorkedExample", "worked_example"]


class WorkedExample:
    """The steps of one worked example and its renderings.

    Attributes
    ----------
    net, x, y : the network and the sample
    param : the traced parameter (:class:`~backprop_widgets.core.Param`)
    trace : the :class:`~backprop_widgets.core.Trace` every number comes from
    steps : the ordered steps (:class:`~backprop_widgets.explain.steps.Step`), the registered
        kinds' steps in walk order (:mod:`~backprop_widgets.explain.steps.kinds`)
    context : what the steps were built from (:class:`~backprop_widgets.explain.steps.Context`)
    numerical : the centred difference of ``param`` (``Network.numerical_gradient_of``)
    check : the verdict (:class:`~backprop_widgets.core.GradientCheck`); ``relative_error`` and
        ``passed`` are its relative error and whether it passed
    paths : the path decomposition (:class:`~backprop_widgets.core.paths.PathSum`)
    palette : ``"okabe-ito"`` or ``"page"``
    """

    def __init__(self, net: Network, palette: str, context: Context, steps: tuple[Step, ...]) -> None:
        self.net = net
        self.context = context
        self.x, self.y = context.trace.x, context.trace.y
        self.param = context.param
        self.palette = palette
        self.trace = context.trace
        self.steps = steps
        self.numerical = context.numerical
        self.check = context.check
        self.relative_error = self.check.relative_error
        self.passed = self.check.passed
        self.paths = context.paths

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

    def to_code(self, lib: str = "numpy") -> str:
        """A self-contained script that computes every number of the page and prints it:
        ``"numpy"`` (BP1–BP4 written out) or ``"torch"`` (``torch.nn`` layers and autograd)."""
        from .render import handout

        if lib not in ("numpy", "torch"):
            raise ValueError(f'lib must be "numpy" or "torch", got {lib!r}')
        return handout(self, lib)

    def questions(self, eta: float = 0.5) -> list:
        """Every number the steps compute, in walkthrough order, as questions to answer and
        check (:func:`backprop_widgets.explain.practice.questions`); the last is the traced parameter's value
        after one descent step with learning rate ``eta``."""
        from .practice import questions

        return list(self._once(("questions", float(eta)), lambda: questions(self, eta)))

    def fading(self, eta: float = 0.5) -> list:
        """The faded worked example: stage k blanks the last k step groups (update, BP3/BP4,
        BP2, BP1, loss, forward), the last stage blanks them all
        (:func:`backprop_widgets.explain.practice.fading.fading`)."""
        from .practice.fading import fading

        return list(self._once(("fading", float(eta)), lambda: fading(self, eta)))

    def predictions(self, eta: float = 0.5) -> list:
        """What a student can predict before a step's result is revealed, each item with one
        right answer (:func:`backprop_widgets.explain.predict.predictions`)."""
        from .predict import predictions

        return list(self._once(("predictions", float(eta)), lambda: predictions(self, eta)))

    def _once(self, key: tuple, make):
        """What ``make()`` returns, computed once per worked example (its numbers never change):
        a page that switches mode or stage asks for the same questions again."""
        memo = self.__dict__.setdefault("_memo", {})
        if key not in memo:
            memo[key] = tuple(make())
        return memo[key]

    def __len__(self) -> int:
        return len(self.steps)

    def __repr__(self) -> str:
        return f"<WorkedExample {self.param} in {self.net!r}: {len(self.steps)} steps>"


def worked_example(
    net: Network,
    x,
    y,
    traced: "str | Param" = "w1,1,1",
    palette: str = "okabe-ito",
    max_paths: int = 6,
    eps: float = EPS,
    trace: Trace | None = None,
    target: "str | Param | None" = None,
) -> WorkedExample:
    """Build every step of the worked example for ``traced`` in ``net`` on the sample (x, y).

    Parameters
    ----------
    net : the network
    x : input, shape (n_0,)
    y : target, shape (n_L,) (a number if n_L = 1)
    traced : the parameter whose gradient is traced: ``"w<l>,<j>,<k>"`` or ``"b<l>,<j>"``
        (1-based, as in the notation) or a :class:`~backprop_widgets.core.Param`
    palette : ``"okabe-ito"`` (colour-blind safe, default) or ``"page"``
    max_paths : how many paths the summary lists; the others are summed in one term
    eps : ε of the centred difference
    trace : ``net.trace(x, y)`` if the caller already has it (the dashboard's state does); it
        must come from this very network and sample
    target : the old name of ``traced``, still accepted

    Returns
    -------
    WorkedExample
        with ``steps``, kind by kind as registered (:mod:`.steps.kinds`): ``forward-1`` …
        ``forward-L``, ``loss``, ``bp1``, ``bp2-(L−1)`` … ``bp2-l`` (down to the traced parameter's layer
        l), ``bp3`` (weight) or ``bp4`` (bias), ``check``, ``paths``, ``table``, ``reference``.
    """
    check_palette(palette)
    p = net.check_param(traced if target is None else target)
    if int(max_paths) < 1:
        raise ValueError(f"max_paths must be at least 1, got {max_paths}")
    if trace is None:
        t = net.trace(x, y)
    elif (
        any(a is not b for a, b in zip(trace.weights, net.weights))
        or not np.array_equal(trace.x, np.asarray(x, float).reshape(-1))
        or not np.array_equal(trace.y, np.asarray(y, float).reshape(-1))
    ):
        raise ValueError("trace must be net.trace(x, y) for this network and sample")
    else:
        t = trace
    numerical = net.numerical_gradient_of(p, t.x, t.y, eps)
    check = check_gradient(t, p, numerical["numerical"], numerical["eps"])
    context = Context(Printed(t), p, numerical, check, path_sum(t, p, int(max_paths)))
    return WorkedExample(net, palette, context, build_steps(context))
