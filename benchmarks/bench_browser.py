"""Latency of the dashboard in a real browser (headless Debian chromium via Playwright).

    python benchmarks/bench_browser.py                 # starts its own Voila on notebooks/dashboard.ipynb
    python benchmarks/bench_browser.py --url URL       # or measure a running server
    python benchmarks/bench_browser.py --screenshot notebooks/images/dashboard.png

Measures, and prints as JSON (medians over runs):

- **cold page → interactive**: ``goto`` of a fresh page (Voila starts a kernel and runs the
  notebook) until the diagram image is decoded and the panel shows its maths (MathML, made in
  the kernel). Goal ≤ 3 s.
- **typing a weight**: the w₁,₁⁽¹⁾ text field gets a new value and Enter. From the Enter keydown
  (captured in the page) to the moment each view shows the new state — panel text (its MathML
  drawn), diagram (the inline SVG replaced), loss value: *end to end* (goal ≤ 150 ms).
  *After the kernel answers*: from the last websocket message received before that view changed
  to the change, i.e. the browser's share (goal ≤ 80 ms).

- **dragging a slider**: the mouse drags the x₂ slider back and forth for 3 s, one move every
  16 ms (a 60 Hz mouse). Counts the visible updates per second of the loss, the panel and the
  diagram during the drag (distinct animation frames in which each changed; goal ≥ 15/s), the
  time from releasing the mouse to the last update (a backlog would show here), and whether
  the final loss is exactly the core's loss at the value the slider and field show.

- **the floor**: the same typing into a one-field Voila app (a FloatText whose value an HTML label
  echoes) served by a second Voila in the same run: what any Voila widget app costs per edit.
  The dashboard's views are reported as ratios against it (goal ≤ 3×).

Change detection polls every 2 ms (so figures are within ~2 ms + one frame).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, chromium_missing
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
PARAM = "w1-1-1"
PREHEAT = ["--preheat_kernel=True", "--pool_size=1"]
VALUES = ["0.5", "-0.3", "0.8", "0.25", "-0.6", "0.1", "0.9", "-0.15", "0.45", "0.2", "-0.8"]

# Every websocket message the page receives gets a timestamp (installed before any page script).
WS_SPY = """
(() => {
  window.__ws = [];
  const Orig = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Orig(...args);
    ws.addEventListener('message', () => window.__ws.push(performance.now()));
    return ws;
  };
  window.WebSocket.prototype = Orig.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""

HELPERS = r"""
(param) => {
  const q = (s) => document.querySelector(s);
  const img = () => q('.bpw-diagram svg') || q('.bpw-diagram img');
  const shown = (e) => {
    if (!e) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  window.__fp = () => {
    const i = img(), p = q('.bpw-panel'), l = q('.bpw-loss-value');
    return {
      diagram: (i && shown(i) && (i.tagName !== 'IMG' || (i.complete && i.naturalWidth > 0)))
        ? q('.bpw-diagram').innerHTML : null,
      // a panel counts once it shows its maths (MathML; no raw TeX left)
      panel: (p && p.querySelector('math') && !p.innerText.includes('\\')) ? p.innerText : null,
      loss: l ? l.innerText : null,
    };
  };
  window.__ready = () => { const f = window.__fp(); return !!(f.diagram && f.panel && f.loss); };
  window.__watch = () => {
    const base = window.__fp(); const hit = {}; let t0 = null;
    window.__hit = hit; window.__t0 = () => t0;
    document.addEventListener('keydown', (e) => { if (e.key === 'Enter') t0 = performance.now(); },
                              {capture: true, once: true});
    const id = setInterval(() => {
      if (t0 === null) return;
      const cur = window.__fp(), now = performance.now();
      for (const k of ['diagram', 'panel', 'loss'])
        if (!(k in hit) && cur[k] !== null && cur[k] !== base[k]) {
          const before = window.__ws.filter(t => t >= t0 && t <= now);
          hit[k] = {end_to_end: now - t0, after_kernel: before.length ? now - Math.max(...before) : null};
        }
      if (Object.keys(hit).length === 3 || now - t0 > 20000) clearInterval(id);
    }, 2);
  };
}
"""


# Frames in which each view changed (a MutationObserver per view, one count per animation frame).
DRAG_WATCH = r"""
() => {
  const q = (s) => document.querySelector(s);
  const seen = {loss: [], panel: [], diagram: []};
  window.__drag = seen;
  let frame = 0;
  const tick = () => { frame++; window.__dragRaf = requestAnimationFrame(tick); };
  tick();
  for (const [k, sel] of [['loss', '.bpw-loss-value'], ['panel', '.bpw-panel'], ['diagram', '.bpw-diagram']]) {
    new MutationObserver(() => {
      const list = seen[k];
      if (!list.length || list[list.length - 1].frame !== frame) list.push({frame, t: performance.now()});
    }).observe(q(sel), {subtree: true, childList: true, characterData: true, attributes: true});
  }
}
"""


# the floor: one typed number echoed by a label, the least a Voila widget app does per edit
FLOOR_SOURCE = """import ipywidgets as W

field = W.FloatText(value=0.0)  # committed on Enter, as the dashboard's fields are
field.add_class("floor-field")
echo = W.HTML("0.0")
echo.add_class("floor-echo")
field.observe(lambda change: setattr(echo, "value", repr(change["new"])), "value")
display(W.VBox([field, echo]))
"""

FLOOR_WATCH = r"""
() => {
  const echo = () => document.querySelector('.floor-echo').innerText;
  const base = echo(); let t0 = null; window.__floor = null;
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter') t0 = performance.now(); },
                            {capture: true, once: true});
  const id = setInterval(() => {
    if (t0 === null) return;
    const now = performance.now();
    if (echo() !== base) { window.__floor = now - t0; clearInterval(id); }
    else if (now - t0 > 20000) clearInterval(id);
  }, 2);
}
"""


def floor_notebook(folder: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def measure_floor(url: str, keys: int) -> dict:
    """Median ms from Enter to the echo of the typed value, in the one-field app."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(url, timeout=90_000)
        field = page.locator(".floor-field input")
        field.wait_for(timeout=90_000)
        times = []
        for value in (VALUES * (keys // len(VALUES) + 1))[:keys]:
            page.evaluate(FLOOR_WATCH)
            field.fill(value)
            field.press("Enter")
            page.wait_for_function("window.__floor !== null", timeout=20_000, polling=20)
            times.append(page.evaluate("window.__floor"))
            page.wait_for_timeout(150)
        browser.close()
    return {"end_to_end_median": median(times), "end_to_end_max": round(max(times), 1)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_voila(notebook: Path, log, extra: list[str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            str(notebook),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--Voila.port_retries=0",
            *extra,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise TimeoutError("voila did not start")


def median(xs):
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 1) if xs else None


def measure(url: str, loads: int, keys: int, screenshot: Path | None, gap: float) -> dict:
    res: dict = {"url": url}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        res["browser"] = f"chromium {browser.version}"
        loads_s, page = [], None
        for _ in range(loads):
            if page is not None:
                page.context.close()
            time.sleep(gap)  # e.g. let a preheated kernel pool refill
            ctx = browser.new_context(viewport=VIEWPORT)
            ctx.add_init_script(WS_SPY)
            page = ctx.new_page()
            t = time.perf_counter()
            page.goto(url, wait_until="commit", timeout=90_000)
            page.wait_for_function("() => !!document.querySelector('.bpw-dashboard')", timeout=90_000, polling=10)
            page.evaluate(HELPERS, PARAM)
            page.wait_for_function("() => window.__ready()", timeout=90_000, polling=10)
            loads_s.append(time.perf_counter() - t)
        res["page_to_interactive_s"] = {
            "first": round(loads_s[0], 2),
            "median": round(statistics.median(loads_s), 2),
            "all": [round(x, 2) for x in loads_s],
        }
        page.wait_for_timeout(500)
        if screenshot:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot))
            res["screenshot"] = str(screenshot)
        row = page.locator(f".bpw-param-{PARAM}").first
        if not row.is_visible():  # its accordion section is folded: open it
            page.locator("[class*='Collapse']", has=row).locator("[class*='Collapse-header']").last.click()
        field = row.locator(".bpw-text input")
        runs = []
        for value in (VALUES * (keys // len(VALUES) + 1))[:keys]:
            page.evaluate("window.__watch()")
            field.fill(value)
            field.press("Enter")
            page.wait_for_function("Object.keys(window.__hit).length === 3", timeout=20_000, polling=20)
            runs.append(page.evaluate("window.__hit"))
            page.wait_for_timeout(150)
        res["typing_ms"] = {
            k: {
                "end_to_end_median": median(r[k]["end_to_end"] for r in runs),
                "after_kernel_median": median(r[k]["after_kernel"] for r in runs),
                "end_to_end_max": round(max(r[k]["end_to_end"] for r in runs), 1),
            }
            for k in ("panel", "diagram", "loss")
        }
        res["key_presses"] = len(runs)
        res["drag"] = measure_drag(page)
        browser.close()
    return res


def measure_drag(page, seconds: float = 3.0, every_s: float = 0.016) -> dict:
    """Drag the x₂ slider back and forth for ``seconds``; visible updates per second, the time
    from the mouse's release to the last update, and whether the final numbers are exact."""
    from backprop_widgets import seed_example
    from backprop_widgets.core import fmt

    page.wait_for_timeout(500)
    row = page.locator(".bpw-param-x2").first
    if not row.is_visible():
        page.locator("[class*='Collapse']", has=row).locator("[class*='Collapse-header']").last.click()
    slider = row.locator(".bpw-slider input[type=range]").first
    box = slider.bounding_box()
    yy = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, yy)
    page.mouse.down()
    page.evaluate(DRAG_WATCH)
    t0 = page.evaluate("performance.now()")
    start, moves = time.perf_counter(), 0
    while (elapsed := time.perf_counter() - start) < seconds:
        phase = (elapsed / 1.5) % 2  # 1.5 s across, 1.5 s back
        f = 0.1 + 0.8 * (phase if phase < 1 else 2 - phase)
        page.mouse.move(box["x"] + f * box["width"], yy)
        moves += 1
        time.sleep(max(0.0, every_s - (time.perf_counter() - start - elapsed)))
    page.mouse.up()
    t_up = page.evaluate("performance.now()")
    page.wait_for_timeout(3000)  # the last value lands; no echo may follow
    seen = page.evaluate("window.__drag")
    page.evaluate("cancelAnimationFrame(window.__dragRaf)")
    shown = float(slider.input_value())
    field = row.locator(".bpw-text input").input_value()
    net, x, y = seed_example()
    w111 = float(page.locator(f".bpw-param-{PARAM} .bpw-text input").first.input_value())  # as typed above
    net = net.with_param("w1,1,1", w111)
    x = x.copy()
    x[1] = shown
    exact = f"L = {fmt(net.loss_value(x, y), unicode=True)}"
    loss_shown = page.locator(".bpw-loss-value").inner_text()
    during = t_up - t0
    last = {k: round(max(e["t"] for e in v) - t_up, 1) if v else None for k, v in seen.items()}
    return {
        "mouse_moves": moves,
        "drag_s": round(during / 1e3, 2),
        "updates_per_s": {k: round(sum(1 for e in v if e["t"] <= t_up) / (during / 1e3), 1) for k, v in seen.items()},
        "release_to_last_update_ms": last,
        "final_exact": loss_shown == exact and float(field) == shown,
        "final": {"w1,1,1": w111, "x2 slider": shown, "x2 field": field, "loss": loss_shown, "core": exact},
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", help="measure a running Voila page instead of starting one")
    ap.add_argument("--notebook", type=Path, default=ROOT / "notebooks" / "dashboard.ipynb")
    ap.add_argument("--loads", type=int, default=5, help="page loads (each starts a kernel)")
    ap.add_argument("--keys", type=int, default=11, help="values typed into the weight field")
    ap.add_argument("--screenshot", type=Path, help="save a 1366×768 screenshot of the app here")
    ap.add_argument(
        "--preheat",
        action="store_true",
        help="start Voila with a preheated kernel (as `backprop-widgets serve` does) "
        "and wait 8 s before each load so the pool is full",
    )
    ap.add_argument("--no-floor", action="store_true", help="skip the one-field app (the floor)")
    args = ap.parse_args(argv)
    if chromium_missing():
        return 1
    proc = None
    with tempfile.TemporaryFile("w+") as log:
        try:
            url = args.url
            if url is None:
                extra = PREHEAT if args.preheat else []
                proc, url = start_voila(args.notebook, log, extra)
            res = measure(url, args.loads, args.keys, args.screenshot, 8.0 if args.preheat else 0.0)
            res["preheat"] = args.preheat
            if not args.no_floor:
                with tempfile.TemporaryDirectory() as folder:
                    floor_proc, floor_url = start_voila(floor_notebook(Path(folder)), log, [])
                    try:
                        floor = res["floor_ms"] = measure_floor(floor_url, args.keys)
                    finally:
                        floor_proc.terminate()
                        floor_proc.wait(timeout=30)
                res["times_the_floor"] = {
                    k: round(v["end_to_end_median"] / floor["end_to_end_median"], 2)
                    for k, v in res["typing_ms"].items()
                }
        except Exception:
            if proc is not None:
                log.seek(0)
                print(log.read()[-3000:], file=sys.stderr)
            raise
        finally:
            if proc is not None:
                proc.terminate()  # Voila shuts its kernels down on SIGTERM
                proc.wait(timeout=30)
    print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
