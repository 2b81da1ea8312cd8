"""backprop-widgets: see every number of backpropagation, live.

The numpy core (:mod:`backprop_widgets.core`) is imported eagerly; everything that needs
widgets or matplotlib is imported on first use, so ``import backprop_widgets.core`` stays
numpy-only.
"""

from .core import (
    ACTIVATIONS,
    LOSSES,
    GradientCheck,
    Network,
    Param,
    Trace,
    check_gradient,
    parse_sizes,
    relative_error,
    seed_example,
)

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "GradientCheck",
    "Network",
    "check_gradient",
    "Param",
    "Trace",
    "parse_sizes",
    "relative_error",
    "seed_example",
    "worked_example",
    "Dashboard",
    "dashboard",
    "Feedback",
    "Question",
    "questions",
    "page_query",
    "check_backprop",
]
__version__ = "0.1.0"

_LAZY = {
    "worked_example": ("explain.walkthrough", "worked_example"),
    "questions": ("explain.practice", "questions"),
    "Question": ("explain.practice", "Question"),
    "Feedback": ("explain.practice", "Feedback"),
    "Dashboard": ("app.dashboard", "Dashboard"),
    "dashboard": ("app.dashboard", "dashboard"),
    "page_query": ("app.sharing", "page_query"),
    "check_backprop": ("app.check_report", "check_backprop"),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
