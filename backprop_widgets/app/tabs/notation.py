"""The "Notation & colours" tab: the symbols, the colour code, and BP1 for these functions.

Its maths is MathML made here (as the step panel's), which the browser draws natively: a page
no longer loads and runs MathJax at start to typeset this tab while it is hidden (58 formulas).
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as W

from ...explain.mathml import mathml_in_html
from ...explain.notation import notation_html
from . import Tab, register


@lru_cache(maxsize=32)
def notation_mathml(palette: str, output: str, loss: str, sizes: tuple[int, ...]) -> str:
    """The notation tab's HTML with MathML maths (the same for every edit of one network)."""
    return mathml_in_html(notation_html(palette, output, loss, sizes), palette)


@register
class NotationTab(Tab, name="notation", title="Notation & colours"):
    def build(self) -> None:
        # empty until first shown (render): its MathML, ~23 kB for every form of BP1, would be made
        # at every kernel's start and sent with every page's widgets, then replaced unseen
        self.widget = self.notation = W.HTML()
        self.notation.add_class("bpw-notation")

    def render(self) -> None:
        net = self.state.network
        notation = notation_mathml(self.state.palette, net.output_activation, net.loss_name, tuple(net.sizes))
        if self.notation.value != notation:  # BP1 as it applies to these functions, L of this net
            self.notation.value = notation
