"""The "Export handout" tab: the worked example, an exercise sheet and its answer key as
standalone HTML files the browser downloads (data: links; nothing is saved on the server)."""

from __future__ import annotations

import ipywidgets as W

from ..markup import download_link
from . import Tab, register


def handout(state) -> tuple[str, str]:
    """The current worked example as a standalone HTML page: ``(file name, content)``."""
    name = f"backprop-handout-{state.traced.replace(',', '-')}.html"
    return name, state.worked.to_html()


@register
class ExportTab(Tab, name="export", title="Export handout"):
    def build(self) -> None:
        self.download = W.HTML()
        self.download.add_class("bpw-download")
        self.widget = W.VBox(
            [
                W.HTML(
                    "A standalone HTML page of the current worked example (every step, with "
                    "these numbers) that you can print or hand out, and an exercise sheet with "
                    "its answer key for the same network. They need no internet."
                ),
                self.download,
            ]
        )

    def render(self) -> None:
        from ...explain.exercise import for_network  # on first use only: it loads latex2mathml

        worked = self.state.worked
        if worked is None:  # a handout would hold numbers of an earlier network
            self.download.value = ""
            return
        name, content = handout(self.state)
        stem = name.removeprefix("backprop-handout-").removesuffix(".html")
        sheet, key = for_network(worked)
        self.download.value = "<br>".join(
            download_link(f"backprop-{what}-{stem}.html" if what != "handout" else name, text, label)
            for what, text, label in [
                ("handout", content, "Download handout"),
                ("exercise-sheet", sheet, "Exercise sheet (every number a blank)"),
                ("answer-key", key, "Answer key"),
            ]
        )
