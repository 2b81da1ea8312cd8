"""The "Export handout" tab: the worked example, an exercise sheet and its answer key as files
the browser downloads (data: links; nothing is saved on the server), in any registered format
(:mod:`backprop_widgets.explain.render.formats`; standalone HTML unless another is chosen)."""

from __future__ import annotations

import ipywidgets as W

from ...explain.render import FORMATS
from ...explain.render import handout as write_handout
from ..markup import download_link
from . import Tab, register

DEFAULT_FORMAT = "html"


def handout(state, format_name: str = DEFAULT_FORMAT) -> tuple[str, str]:
    """The current worked example as a handout in a registered format: ``(file name, content)``."""
    name = f"backprop-handout-{state.traced.replace(',', '-')}{FORMATS[format_name].extensions[0]}"
    return name, write_handout(state.worked, format_name)


def format_options() -> list[tuple[str, str]]:
    """The format menu's options: every registered format, ``(title, name)``."""
    return [(f"{f.title} ({f.extensions[0]})", f.name) for f in FORMATS.values()]


@register
class ExportTab(Tab, name="export", title="Export handout"):
    def build(self) -> None:
        self.format = W.Dropdown(options=format_options(), value=DEFAULT_FORMAT, description="Format")
        self.format.add_class("bpw-export-format")
        self.format.observe(lambda _: self.render(), names="value")
        self.download = W.HTML()
        self.download.add_class("bpw-download")
        self.widget = W.VBox(
            [
                W.HTML(
                    "A handout of the current worked example (every step, with these numbers) "
                    "that you can print or hand out, and an exercise sheet with its answer key for "
                    "the same network, in the format chosen: a standalone HTML page needs no internet."
                ),
                self.format,
                self.download,
            ]
        )

    def render(self) -> None:
        from ...explain.exercise import for_network  # on first use only: it loads latex2mathml

        if self.format.options != tuple(format_options()):  # a format registered since
            self.format.options = format_options()
        worked = self.state.worked
        if worked is None:  # a handout would hold numbers of an earlier network
            self.download.value = ""
            return
        form = FORMATS[self.format.value or DEFAULT_FORMAT]
        name, content = handout(self.state, form.name)
        stem = name.removeprefix("backprop-handout-").removesuffix(form.extensions[0])
        sheet, key = for_network(worked, format_name=form.name)
        self.download.value = "<br>".join(
            download_link(
                f"backprop-{what}-{stem}{form.extensions[0]}", text, label, form.name.upper(), form.media_type
            )
            for what, text, label in [
                ("handout", content, "Download handout"),
                ("exercise-sheet", sheet, "Exercise sheet (every number a blank)"),
                ("answer-key", key, "Answer key"),
            ]
        )
