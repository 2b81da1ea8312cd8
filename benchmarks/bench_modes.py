"""Switching mode or Fade stage in a real browser (headless Debian chromium via Playwright).

    python benchmarks/bench_modes.py              # starts its own Voila on notebooks/dashboard.ipynb
    python benchmarks/bench_modes.py --rounds 10

On the seed, on BP3 (the step where Predict, Fade and Practice all have something to ask), the
mode control is clicked round Explore → Predict → Fade → Practice → Explore, and in Fade the
stage menu is set to each stage in turn. Each time: from the click (captured in the page) to the
moment the panel column shows the new mode's content (its own line: "Predict:", "Fade, stage k",
"Practice:", or the worked step's maths again). Goal: median ≤ 50 ms, like an edit. The floor
(``bench_browser.py``'s one-field app, in the same run) is the ratio's baseline. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile

from bench_browser import ROOT, floor_notebook, measure_floor, median, start_voila
from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, chromium_missing
from playwright.sync_api import sync_playwright

# the time of the next click or change in the page, and of the first frame the column shows `want`
WATCH = r"""
(want) => {
  window.__shown = null; let t0 = null;
  const mark = () => { if (t0 === null) t0 = performance.now(); };
  document.addEventListener('click', mark, {capture: true, once: true});
  document.addEventListener('change', mark, {capture: true, once: true});
  const col = () => document.querySelector('.bpw-col-panel');
  const id = setInterval(() => {
    if (t0 === null) return;
    const now = performance.now(), c = col();
    const ok = want === 'explore'
      ? !c.querySelector('.bpw-predict-score, .bpw-practice-progress')?.offsetParent
        && c.querySelector('.bpw-panel')?.offsetParent && c.querySelector('.bpw-panel math')
      : c.innerText.includes(want);
    if (ok) { window.__shown = now - t0; clearInterval(id); }
    else if (now - t0 > 20000) clearInterval(id);
  }, 2);
}
"""
#: the mode button → what the panel column shows once it is there
MODES = [("Predict", "Predict:"), ("Fade", "Fade, stage"), ("Practice", "Practice:"), ("Explore", "explore")]


def measure(url: str, rounds: int) -> dict:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(f"{url}?step=bp3", timeout=90_000)
        page.locator(".bpw-panel math").first.wait_for(timeout=90_000)
        modes: dict[str, list[float]] = {name: [] for name, _ in MODES}
        stages: list[float] = []
        for _ in range(rounds):
            for name, want in MODES:
                page.evaluate(WATCH, want)
                page.locator(".bpw-mode button", has_text=name).click()
                page.wait_for_function("window.__shown !== null", timeout=20_000, polling=20)
                modes[name].append(page.evaluate("window.__shown"))
                page.wait_for_timeout(150)
                if name == "Fade":  # each stage of the menu, then back to stage 1
                    menu = page.locator(".bpw-stage select")
                    labels = menu.locator("option").all_inner_texts()
                    for k in [*range(2, len(labels)), 1]:
                        page.evaluate(WATCH, f"Fade, stage {k} of")
                        menu.select_option(index=k)
                        page.wait_for_function("window.__shown !== null", timeout=20_000, polling=20)
                        stages.append(page.evaluate("window.__shown"))
                        page.wait_for_timeout(150)
        browser.close()
    all_ms = [t for ts in modes.values() for t in ts] + stages
    return {
        "mode_switch_ms": {name: {"median": median(ts), "max": round(max(ts), 1)} for name, ts in modes.items()},
        "stage_switch_ms": {"median": median(stages), "max": round(max(stages), 1), "n": len(stages)},
        "all_median_ms": median(all_ms),
        "switches": len(all_ms),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the four modes (and Fade's stages)")
    args = ap.parse_args(argv)
    if chromium_missing():
        return 1
    with tempfile.TemporaryFile("w+") as log:
        proc, url = start_voila(ROOT / "notebooks" / "dashboard.ipynb", log, [])
        try:
            res = measure(url, args.rounds)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        with tempfile.TemporaryDirectory() as folder:
            from pathlib import Path

            floor_proc, floor_url = start_voila(floor_notebook(Path(folder)), log, [])
            try:
                floor = res["floor_ms"] = measure_floor(floor_url, 11)
            finally:
                floor_proc.terminate()
                floor_proc.wait(timeout=30)
    res["times_the_floor"] = round(res["all_median_ms"] / floor["end_to_end_median"], 2)
    print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
