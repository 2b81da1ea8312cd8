"""The edge modes are one record each (``core.EDGE_MODES``): the diagram and the dashboard show
what they showed before, over recorded cases (``edge_mode_cases.py``), and a mode registered
there alone is offered, drawn, kept in a link and named by the Share tab."""

import json
from pathlib import Path

import numpy as np
from edge_mode_cases import MODES, drawn, nets, said
from recorded import differences

RECORDED = json.loads((Path(__file__).parent / "data" / "edge_mode_views.json").read_text(encoding="utf-8"))


def test_the_diagram_and_the_page_show_the_modes_as_before():
    assert len(RECORDED["drawn"]) == 6 and set(RECORDED["said"]) == set(MODES)
    for name, net in nets().items():
        for mode in MODES:
            # up to the machine's last bit (tests/recorded.py)
            assert differences(drawn(*net, mode), RECORDED["drawn"][f"{name} {mode}"], f"{name} {mode}") == []
    for mode in MODES:
        assert differences(said(mode), RECORDED["said"][mode], mode) == []


def test_an_edge_mode_is_one_record(monkeypatch):
    """A mode registered in core.EDGE_MODES alone (here w·a, each edge's signal): drawn with its
    values, colour and legend; offered by the page; kept by a link; named by the Share tab."""
    from matplotlib.colors import same_color

    from backprop_widgets import Dashboard
    from backprop_widgets.app.tabs.share import opens
    from backprop_widgets.core import EDGE_MODES, EdgeMode, Snapshot, read_query, seed_example, write_query
    from backprop_widgets.draw.colours import COLORS, edge_colormap
    from backprop_widgets.draw.diagram import NetworkDiagram

    signal = EdgeMode(
        "signal", "w·a", "signal w·a", "activation", lambda t: [W * t.a[l] for l, W in enumerate(t.weights)]
    )
    monkeypatch.setitem(EDGE_MODES, "signal", signal)
    net, x, y = seed_example()
    trace = net.trace(x, y)
    diagram = NetworkDiagram(net.sizes, edge_mode="signal", format="svg")
    diagram.update(trace)
    # w₁,₁⁽¹⁾x₁, w₁,₂⁽¹⁾x₂, w₁,₃⁽¹⁾x₃ = 0.1·1, 0.2·0.5, 0.3·(−1); then w₁,₁⁽²⁾a₁⁽¹⁾ = 0.7 · 0.5
    np.testing.assert_allclose(diagram.edge_values(trace)[[0, 1, 2, 6]], [0.1, 0.1, -0.3, 0.35])
    assert "edges: signal w·a (dashed &lt; 0)" in diagram.render()  # its colour bar's title
    assert same_color(edge_colormap("signal")(1.0), COLORS["activation"])
    app = Dashboard(edge_mode="signal")
    assert app.diagram_view.edge_mode.options[-1] == ("edges: w·a", "signal") and app.state.edge_mode == "signal"
    assert "edges by signal w·a (dashed: negative)" in app.diagram_view.picture.value
    assert write_query(Snapshot(net, x, y, edge_mode="signal")) == "edge=signal"
    assert read_query("edge=signal")[0].edge_mode == "signal"
    assert opens(Snapshot(net, x, y, edge_mode="signal"), "").endswith("edges by w·a")
