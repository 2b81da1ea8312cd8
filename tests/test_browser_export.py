"""The Export tab in a browser: it offers every registered format, and the chosen one is what
the browser downloads."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets.explain.render.formats import FORMATS

from pages import UPDATE_MS, open_dashboard

pytestmark = pytest.mark.browser


def test_the_export_tab_downloads_the_format_chosen(page: Page, voila_url: str, tmp_path):
    open_dashboard(page, voila_url)
    page.get_by_role("tab", name="Export handout").click()
    menu = page.locator(".bpw-export-format select")
    expect(menu).to_be_visible(timeout=UPDATE_MS)
    labels = [text.replace("\xa0", " ") for text in menu.locator("option").all_inner_texts()]  # ipywidgets' spaces
    assert labels == [
        "Markdown (.md)",
        "self-contained HTML (.html)",
        "LaTeX (.tex)",
        "numpy script (.py)",
        "PyTorch script (.torch.py)",
    ]
    assert len(labels) == len(FORMATS)
    links = page.locator(".bpw-download a[download]")
    expect(links.first).to_have_attribute("download", "backprop-handout-w1-1-1.html", timeout=UPDATE_MS)

    menu.select_option(index=labels.index("LaTeX (.tex)"))
    expect(links.first).to_have_attribute("download", "backprop-handout-w1-1-1.tex", timeout=UPDATE_MS)
    names = links.evaluate_all("links => links.map(a => a.getAttribute('download'))")
    assert names == [f"backprop-{what}-w1-1-1.tex" for what in ("handout", "exercise-sheet", "answer-key")]
    with page.expect_download() as info:
        links.first.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    tex = path.read_text(encoding="utf-8")
    assert tex.startswith(r"\documentclass[11pt]{article}") and tex.rstrip().endswith(r"\end{document}")
    # the seed page's numbers: δ⁽³⁾ = −0.0794, a⁽³⁾ = 0.6506, ∂L/∂w₁,₁⁽¹⁾ = −0.00212
    assert "-0.0794" in tex and "0.6506" in tex and "-0.00212" in tex and tex.isascii()
