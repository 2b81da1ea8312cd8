"""What a student does to a dashboard, for the widget tests (no browser): the widgets they use.

Tests reach the views' own widgets (``app.header.arch``, ``app.tab_bar.views["train"].run_btn``);
these helpers are only for the widgets whose value a browser fills in a shape of its own.
"""

from __future__ import annotations

import datetime

from backprop_widgets import Dashboard


def upload(app: Dashboard, content: bytes, name: str = "state.json") -> None:
    """Choose a file in the Share tab's Load (``FileUpload``), as the browser sends it."""
    app.tab_bar.views["share"].upload.value = (
        {
            "name": name,
            "type": "application/json",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime.now(datetime.timezone.utc),
        },
    )
