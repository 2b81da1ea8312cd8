"""The "Notation & colours" tab: the symbols, the colour code, and BP1 for these functions."""

from __future__ import annotations

import ipywidgets as W

from ...explain.notation import notation_html
from . import Tab, register


@register
class NotationTab(Tab, name="notation", title="Notation & colours"):
    def build(self) -> None:
        self.widget = self.notation = W.HTMLMath(notation_html(self.state.palette))
        self.notation.add_class("bpw-notation")

    def render(self) -> None:
        net = self.state.network
        notation = notation_html(self.state.palette, net.output_activation, net.loss, net.sizes)
        if self.notation.value != notation:  # BP1 as it applies to these functions, L of this net
            self.notation.value = notation
