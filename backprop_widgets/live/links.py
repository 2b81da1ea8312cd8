"""The two links of a live class, and where the teacher may move it.

The student link opens the dashboard with the lesson field ``live=1``; the teacher link carries
the class's secret in the URL's fragment (``#secret=…``), which a browser never sends to the
server: it is in no request line, so in no access log.

>>> student_link("http://127.0.0.1:8866/")
'http://127.0.0.1:8866/?live=1'
>>> teacher_link("http://127.0.0.1:8866", "s3cr3t-Token_x")
'http://127.0.0.1:8866/?teacher=1#secret=s3cr3t-Token_x'
>>> secret_from_fragment("#secret=s3cr3t-Token_x")
's3cr3t-Token_x'
>>> secret_from_fragment("#other=1") is None
True
>>> place_of_stage("fade:2"), place_of_stage("predict"), place_of_stage("")
(('fade', 2), ('predict', None), None)
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote

STUDENT_QUERY = "live=1"  # the lesson field that makes a page join the class
TEACHER_QUERY = "teacher=1"  # the teacher's page
SECRET_KEY = "secret"  # the fragment's field holding the teacher secret
CLASS_ENV = "BACKPROP_WIDGETS_CLASS"  # the class id, as the server passes it to its kernels
#: the modes a teacher may move the class into (``Store.move(stage=…)``; ``core.MODES``' names)
STAGE_MODES = ("explore", "predict", "fade", "practice")


def _base(base: str) -> str:
    return base.split("?", 1)[0].split("#", 1)[0].rstrip("/") + "/"


def student_link(base: str) -> str:
    """The link the students open: the server's page with ``live=1``."""
    return f"{_base(base)}?{STUDENT_QUERY}"


def teacher_link(base: str, secret: str) -> str:
    """The teacher's link: the secret in the fragment, never in the query."""
    return f"{_base(base)}?{TEACHER_QUERY}#{SECRET_KEY}={quote(secret, safe='')}"


def secret_from_fragment(fragment: str) -> str | None:
    """The secret of a teacher link's fragment (``location.hash``), or ``None``."""
    values = parse_qs(fragment.lstrip("#")).get(SECRET_KEY)
    return values[0] if values else None


def place_of_stage(stage: str) -> tuple[str, int | None] | None:
    """What ``Store.move(stage=…)`` means to a page: a mode (``"predict"``) or Fade's stage
    (``"fade:2"``), as ``(mode, fade stage or None)``; ``None`` for ``""`` or text it does not know.
    A step is ``move(step=i)`` (the i-th step of the worked example, from 0) and a prediction
    ``move(prediction=id)`` (an id of ``WorkedExample.predictions()``: the page goes to Predict,
    on that prediction's step)."""
    mode, _, number = stage.partition(":")
    if mode not in STAGE_MODES:
        return None
    if mode == "fade" and number.isdigit() and len(number) <= 2:
        return mode, int(number)
    return (mode, None) if not number else None
