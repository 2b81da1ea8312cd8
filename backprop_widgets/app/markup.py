"""Small pieces of HTML the page shows: messages, marks, pictures and download links.

Each is a pure function of its arguments, so that every view words a message, marks a gradient
check and embeds a picture the same way.
"""

from __future__ import annotations

import base64
import html

from ..core import Verdict


def check_css(verdict: Verdict) -> str:
    """The CSS class of a gradient check's mark: its colour role (``bpw-pass``, ``bpw-kink``,
    ``bpw-fail``; the page's style colours them)."""
    return f"bpw-{verdict.role}"


def msg(text: str) -> str:
    """A refusal or a failure, shown next to the control it concerns."""
    return f"<span class='bpw-msg'>⚠ {html.escape(text)}</span>" if text else ""


def note(text: str) -> str:
    """Information about a change that went through (not a warning)."""
    return f"<span class='bpw-note'>ℹ {html.escape(text)}</span>" if text else ""


def sizes_text(sizes) -> str:
    """Layer sizes as the architecture field shows them: ``3,2,2,1``."""
    return ",".join(map(str, sizes))


def download_link(name: str, content: str, label: str, kind: str = "HTML", media_type: str = "text/html") -> str:
    """A link the browser downloads as ``name`` (a data: URL; nothing is saved on the server);
    ``kind`` names its format beside its size."""
    data = base64.b64encode(content.encode("utf-8")).decode("ascii")
    n = len(content.encode("utf-8"))
    size = f"{n:,} bytes" if n < 1024 else f"{n / 1024:.0f} kB"
    name = html.escape(name)
    return (
        f"<a download='{name}' href='data:{html.escape(media_type)};base64,{data}' title='{name}'>"
        f"⬇ {html.escape(label)} ({html.escape(kind)}, {size})</a> <small>{name}</small>"
    )


def picture_html(data: "str | bytes", label: str) -> str:
    """The diagram for an HTML widget: SVG markup inline, or a PNG as an ``<img>``; either way
    with ``label`` as its accessible name."""
    label = html.escape(label)
    if isinstance(data, bytes):
        src = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        return f'<img src="{src}" alt="{label}">'
    svg = data[data.index("<svg") :]  # inline: no XML declaration or doctype
    return svg.replace("<svg", f'<svg role="img" aria-label="{label}"', 1)
