"""The gradient check's verdict is one record (``core.Verdict``): the header, the Gradient check
tab and the worked example's check step show exactly what they showed before it, over recorded
cases of every verdict (``verdict_cases.py``)."""

import json
from pathlib import Path

import pytest
from recorded import differences
from verdict_cases import cases, views

RECORDED = json.loads((Path(__file__).parent / "data" / "verdict_views.json").read_text(encoding="utf-8"))


def test_the_recorded_cases_hold_every_verdict():
    assert {case["status"] for case in RECORDED.values()} == {"agree", "rounding", "kink", "disagree"}
    tab_marks = "".join(case["tab"] for case in RECORDED.values())
    for cell in ("'bpw-pass'>✓ pass", "'bpw-pass'>≈ too small to check", "'bpw-kink'>⚠ kink", "'bpw-fail'>✗ fail"):
        assert cell in tab_marks


@pytest.mark.parametrize("name", list(RECORDED))
def test_the_page_shows_the_check_as_before(name):
    assert differences(views(*cases()[name]), RECORDED[name], name) == []  # up to the last bit (recorded.py)


def test_a_verdict_is_one_record_every_view_reads(monkeypatch):
    """Change the kink's record alone: the header, the tab and the check step all follow."""
    from dataclasses import replace

    from backprop_widgets.core import VERDICTS

    monkeypatch.setitem(
        VERDICTS,
        "kink",
        replace(VERDICTS["kink"], mark="⚡", words="at a kink", role="warn", why="near a kink", tally="{n} at a kink."),
    )
    seen = views(*cases()["kink"])
    assert seen["header"].startswith("<span class='bpw-warn'>⚡</span> ∂L/∂w₁,₁⁽¹⁾ = 0.0")
    assert seen["header"].endswith("(near a kink)")
    assert "<p>13 of 17 gradients agree. 4 at a kink. Numerical" in seen["tab"]
    assert seen["tab"].count("<td class='bpw-warn'>⚡ at a kink</td>") == 4
    assert seen["message"].startswith("⚡ z₁⁽¹⁾ = 0.0 of a ReLU unit") and seen["message"] in seen["step"][0]


def test_no_view_names_a_verdict():
    """Only core/gradcheck.py spells a status: every other module reads the record."""
    import backprop_widgets

    root = Path(backprop_widgets.__file__).parent
    for path in root.rglob("*.py"):
        if path.name != "gradcheck.py":
            text = path.read_text(encoding="utf-8")
            for status in ("agree", "rounding", "kink", "disagree"):
                assert f'"{status}"' not in text and f"'{status}'" not in text, (path, status)
