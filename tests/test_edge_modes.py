"""The edge modes are one record each (``core.EDGE_MODES``): the diagram and the dashboard show
what they showed before, over recorded cases (``edge_mode_cases.py``), and a mode registered
there alone is offered, drawn, kept in a link and named by the Share tab."""

import json
from pathlib import Path

from edge_mode_cases import MODES, drawn, nets, said

RECORDED = json.loads((Path(__file__).parent / "recorded" / "edge_mode_views.json").read_text(encoding="utf-8"))


def test_the_diagram_and_the_page_show_the_modes_as_before():
    assert len(RECORDED["drawn"]) == 6 and set(RECORDED["said"]) == set(MODES)
    for name, net in nets().items():
        for mode in MODES:
            assert drawn(*net, mode) == RECORDED["drawn"][f"{name} {mode}"], (name, mode)
    for mode in MODES:
        assert said(mode) == RECORDED["said"][mode], mode
