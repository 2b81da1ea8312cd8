"""A Run of the Dataset tab in a real browser (headless Debian chromium via Playwright): how many
updates a second the page shows, and how soon Stop takes effect.

    python benchmarks/bench_dataset_browser.py              # starts its own Voila on notebooks/dashboard.ipynb
    python benchmarks/bench_dataset_browser.py --rounds 3 --seconds 4

A [2,4,1] tanh network (from a link), circles, a Run of 5,000 epochs; for ``--seconds`` the page
records, in the browser, each time the boundary picture, the loss chart and the diagram change.
Then Stop is clicked: from the click to the moment the Run button is back. The issue asks for
≥ 10 updates a second (boundary, loss curve, diagram) and Stop within 200 ms. Prints JSON:
medians over the rounds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile

from bench_browser import ROOT, median, start_voila
from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, chromium_missing
from playwright.sync_api import sync_playwright

# count the changes of the boundary image, the loss chart and the diagram, with their times
WATCH = r"""
() => {
  (window.__observers || []).forEach((o) => o.disconnect());  // a round counts its own changes only
  window.__observers = [];
  window.__changes = {boundary: [], loss: [], diagram: []};
  const observe = (o, el, opts) => { o.observe(el, opts); window.__observers.push(o); };
  const watch = (name, sel, opts) => {
    const el = document.querySelector(sel);
    observe(new MutationObserver(() => window.__changes[name].push(performance.now())), el, opts);
  };
  watch('boundary', '.bpw-boundary', {attributes: true, attributeFilter: ['src']});
  watch('loss', '.bpw-data-loss', {childList: true, subtree: true, characterData: true});
  observe(new MutationObserver((ms) => {  // the diagram is patched by id: any change inside any .bpw-diagram
    const el = (m) => m.target.nodeType === 1 ? m.target : m.target.parentElement;
    if (ms.some((m) => el(m)?.closest('.bpw-diagram'))) window.__changes.diagram.push(performance.now());
  }), document.body, {childList: true, subtree: true, attributes: true, characterData: true});
}
"""
# the time from the Stop click to the Run button's own label again
STOPPED = r"""
() => {
  window.__stopped = null; let t0 = null;
  document.addEventListener('click', () => { t0 = performance.now(); }, {capture: true, once: true});
  const id = setInterval(() => {
    const b = document.querySelector('.bpw-data-run');
    if (t0 !== null && b && b.innerText.trim() === 'Run') {
      window.__stopped = performance.now() - t0; clearInterval(id);
    }
  }, 2);
}
"""


def rate(times: list[float]) -> float:
    """Changes per second between the first and the last one (a burst of DOM edits of one update
    within 20 ms counts once)."""
    updates = [t for i, t in enumerate(times) if i == 0 or t - times[i - 1] > 20]
    return round(1000 * (len(updates) - 1) / (updates[-1] - updates[0]), 1) if len(updates) > 2 else 0.0


def measure(url: str, rounds: int, seconds: float) -> dict:
    out: dict[str, list[float]] = {"boundary_per_s": [], "loss_per_s": [], "diagram_per_s": [], "stop_ms": []}
    out["diagram_changes"] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(f"{url}?net=2,4,1&h=tanh", timeout=90_000)
        page.locator(".bpw-panel math").first.wait_for(timeout=90_000)
        page.get_by_role("tab", name="Dataset").click()
        page.locator(".bpw-boundary").first.wait_for(timeout=30_000)
        epochs = page.locator(".bpw-data-epochs input").first
        epochs.fill("5000")
        epochs.press("Enter")
        run = page.locator(".bpw-data-run").first
        for _ in range(rounds):
            reset = page.locator(".bpw-data-reset").first
            if reset.is_enabled():  # back to the start: each round trains the same way
                reset.click()
                page.wait_for_timeout(1000)
            page.evaluate(WATCH)
            run.click()
            page.wait_for_timeout(seconds * 1000)
            changes = page.evaluate("window.__changes")
            for name in ("boundary", "loss", "diagram"):
                out[f"{name}_per_s"].append(rate(changes[name]))
            out["diagram_changes"].append(len(changes["diagram"]))
            page.evaluate(STOPPED)
            page.locator(".bpw-data-stop").first.click()
            page.wait_for_function("window.__stopped !== null", timeout=20_000, polling=20)
            out["stop_ms"].append(page.evaluate("window.__stopped"))
        browser.close()
    return {k: {"median": median(v), "all": [round(x, 1) for x in v]} for k, v in out.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=4.0, help="how long each Run is watched")
    args = ap.parse_args(argv)
    if chromium_missing():
        return 1
    with tempfile.TemporaryFile("w+") as log:
        proc, url = start_voila(ROOT / "notebooks" / "dashboard.ipynb", log, [])
        try:
            res = measure(url, args.rounds, args.seconds)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
