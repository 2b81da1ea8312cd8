"""The gradient check's verdict is one record (``core.Verdict``): the header, the Gradient check
tab and the worked example's check step show exactly what they showed before it, over recorded
cases of every verdict (``verdict_cases.py``)."""

import json
from pathlib import Path

import pytest

from verdict_cases import cases, views

RECORDED = json.loads((Path(__file__).parent / "recorded" / "verdict_views.json").read_text(encoding="utf-8"))


def test_the_recorded_cases_hold_every_verdict():
    assert {case["status"] for case in RECORDED.values()} == {"agree", "rounding", "kink", "disagree"}
    tab_marks = "".join(case["tab"] for case in RECORDED.values())
    for cell in ("'bpw-pass'>✓ pass", "'bpw-pass'>≈ too small to check", "'bpw-kink'>⚠ kink", "'bpw-fail'>✗ fail"):
        assert cell in tab_marks


@pytest.mark.parametrize("name", list(RECORDED))
def test_the_page_shows_the_check_as_before(name):
    assert views(*cases()[name]) == RECORDED[name]
