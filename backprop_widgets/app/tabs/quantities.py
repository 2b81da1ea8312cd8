"""The "All quantities" tab: every z, a, δ and gradient of the current numbers in one table
(plain HTML: the table has no formulas, so no MathJax pass)."""

from __future__ import annotations

import ipywidgets as W

from ...explain.flow import step_html
from . import Tab, register


@register
class QuantitiesTab(Tab, name="quantities", title="All quantities"):
    def build(self) -> None:
        self.widget = self.quantities = W.HTML()
        self.quantities.add_class("bpw-quantities")

    def render(self) -> None:
        worked = self.state.worked
        ids = [st.id for st in worked.steps] if worked is not None else []
        self.quantities.value = step_html(worked.step("table"), self.state.palette) if "table" in ids else ""
