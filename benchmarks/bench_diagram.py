"""Per-update time of the network diagram (update + render) against a naive redraw.

Run: ``.venv/bin/python benchmarks/bench_diagram.py`` (Agg, no display). The naive baseline
builds a new Figure, draws it with ``nx.draw_networkx`` and saves a PNG at matplotlib's default
settings every time — what a callback that "just redraws" does. The fast path is
``NetworkDiagram.update`` + ``render`` on persistent artists. Medians of many runs, same process.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from backprop_widgets.core import Network, seed_example  # noqa: E402
from backprop_widgets.draw.diagram import NetworkDiagram  # noqa: E402
from backprop_widgets.draw.graph import edge_grads  # noqa: E402
from backprop_widgets.draw.layout import HEIGHT, WIDTH  # noqa: E402
from backprop_widgets.explain.highlight import paths_highlight  # noqa: E402

TARGETS = {"[3,2,2,1]": (10.0, 3.0), "[8,16,16,8,4]": (30.0, 4.0)}


def naive(net: Network, trace) -> bytes:
    """New figure + nx.draw_networkx + savefig, every update."""
    G = nx.DiGraph()
    for l, n in enumerate(net.sizes):
        for j in range(1, n + 1):
            G.add_node((l, j), layer=l)
    edges = [
        ((l - 1, k), (l, j))
        for l in range(1, net.L + 1)
        for j in range(1, net.sizes[l] + 1)
        for k in range(1, net.sizes[l - 1] + 1)
    ]
    G.add_edges_from(edges)
    pos = nx.multipartite_layout(G, subset_key="layer")
    a = np.concatenate(trace.a)
    g = edge_grads(trace)
    m = float(np.abs(g).max()) or 1.0
    fig = Figure(figsize=(WIDTH / 100, HEIGHT / 100), dpi=100)  # the diagram's default size
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = {n: f"{a[i]:.3g}" for i, n in enumerate(G.nodes)} if max(net.sizes) <= 8 else False
    nx.draw_networkx(
        G,
        pos,
        ax=ax,
        nodelist=list(G.nodes),
        edgelist=edges,
        node_color=a,
        cmap="YlGn",
        edge_color=g,
        edge_cmap=matplotlib.colormaps["PuOr"],
        edge_vmin=-m,
        edge_vmax=m,
        width=1 + 4 * np.abs(g) / m,
        arrows=False,
        labels=labels or None,
        with_labels=bool(labels),
        font_size=8,
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def bench(name: str, net: Network, x, y, n_naive: int = 50, n_fast: int = 200) -> dict:
    """Medians in ms. The runs are interleaved (one naive, then each fast variant, in turn), so
    that a busy machine slows all of them alike and the ratios stay fair."""
    # a slider drag: a different w₁,₁⁽¹⁾ every update (never one seen before, so that no
    # formatted number is remembered), with the paths of w₁,₁⁽¹⁾ highlighted
    values = np.linspace(-1, 1, n_fast + 1)
    traces = [net.with_param("w1,1,1", v).trace(x, y) for v in values]
    hl = paths_highlight(net.sizes, "w1,1,1")
    diagrams = {f: NetworkDiagram(net.sizes, format=f) for f in ("svg", "png")}
    for d in diagrams.values():
        d.update(traces[0], hl)
        d.render()  # warm-up: the static part is drawn once here
    naive(net, traces[0])
    times: dict = {"naive": [], "svg": [], "png": []}
    for i in range(n_fast):
        trace = traces[i + 1]  # traces[0] warmed up
        if i % (n_fast // n_naive) == 0:
            t0 = time.perf_counter()
            naive(net, trace)
            times["naive"].append(time.perf_counter() - t0)
        for f, d in diagrams.items():
            t0 = time.perf_counter()
            d.update(trace, hl)
            d.render()
            times[f].append(time.perf_counter() - t0)
    out = {k + "_ms": 1000 * statistics.median(v) for k, v in times.items()}
    out["runs"] = {k: len(v) for k, v in times.items()}
    d = NetworkDiagram(net.sizes)
    out.update(net=name, auto=d.format, auto_ms=out[d.format + "_ms"], labels=d.labels)
    return out


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    seed, x, y = seed_example()
    big = Network.random([8, 16, 16, 8, 4], seed=0)
    rng = np.random.default_rng(0)
    xb, yb = rng.uniform(-1, 1, 8), rng.uniform(0, 1, 4)
    ok = True
    print(
        f"{'net':16} {'naive':>8} {'svg':>8} {'png':>8}  default  ratio  target   "
        "(medians: 50 naive, 200 of each fast run)"
    )
    for name, net, xx, yy in (("[3,2,2,1]", seed, x, y), ("[8,16,16,8,4]", big, xb, yb)):
        r = bench(name, net, xx, yy)
        ratio = r["naive_ms"] / r["auto_ms"]
        t_max, r_min = TARGETS[name]
        met = r["auto_ms"] <= t_max and ratio >= r_min
        ok &= met
        print(
            f"{name:16} {r['naive_ms']:6.1f}ms {r['svg_ms']:7.1f}ms {r['png_ms']:7.1f}ms"
            f"  {r['auto']:>4} {ratio:5.1f}×  ≤{t_max:g} ms, ≥{r_min:g}× "
            f"{'met' if met else 'MISSED'}  (labels {'on' if r['labels'] else 'off'})"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
