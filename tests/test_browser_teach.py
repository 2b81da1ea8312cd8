"""Predict and Fade in a real browser, driven from the page and read from the page.

Each test opens a lesson link (``mode=predict`` or ``mode=fade&stage=k``) with external hosts
blocked, and records every frame the kernel sends to the browser from the first request on.
Before the student commits, no text that gives the answer away (``Prediction.giveaways()``, a
blank's number at every precision the page prints it) is in the page's HTML (SVG included) or in
anything the kernel has sent — except numbers that the steps the student has already seen print
for themselves (the page shows δ₁⁽¹⁾ = −0.00212 at BP2, and on the seed x₁ = 1 makes ∂L/∂w₁,₁⁽¹⁾
that same number: computing it from there is the point, not a leak).
"""

from __future__ import annotations

import base64
import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from backprop_widgets import worked_example
from backprop_widgets.app.tabs import TABS
from backprop_widgets.core import fmt, read_query
from backprop_widgets.explain.flow import step_html

from pages import FIRST_RENDER_MS, UPDATE_MS, loopback_only, screenshot

pytestmark = pytest.mark.browser


_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


class Watched:
    """What the kernel sent to this page (websocket frames) and the page's first HTML."""

    def __init__(self, page: Page):
        self.frames: list[str] = []
        self.page = page
        self.blocked = loopback_only(page.context)
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        # JSON may escape non-ASCII (−, ×, ⁻): read it as the page would
        self.frames.append(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))

    def open(self, url: str) -> None:
        response = self.page.goto(url, timeout=FIRST_RENDER_MS)
        assert response is not None and response.ok
        self.frames.append(response.text())
        expect(self.page.locator(".bpw-diagram svg").first).to_be_visible(timeout=FIRST_RENDER_MS)

    def sent(self) -> str:
        """Everything the browser holds or was sent: the page's HTML (SVG included) and frames."""
        return self.page.content() + "\n".join(self.frames)

    def assert_hidden(self, secrets: set[str], what: str) -> None:
        """No secret in what the browser holds, as a number of its own (``0.1050`` is not in
        ``0.10503``, a weight's full digits in the link)."""
        sent = self.sent()
        found = {s for s in secrets if re.search(rf"(?<![\d.]){re.escape(s)}(?!\d)", sent)}
        assert not found, f"{what}: the page gives away {sorted(found)} before the commit"


def snapshot_of(url: str):
    snap, problems = read_query(urlsplit(url).query)
    assert not problems
    return snap


def given(we) -> set[str]:
    """The given numbers (weights, biases, x, y) as the page's fields and sliders print them: a
    secret that prints the same is no secret."""
    values = [*we.x, *we.y, *(v for W in we.net.weights for v in W.ravel()), *(v for b in we.net.biases for v in b)]
    return {t.lstrip("−-") for v in values for t in (fmt(v, unicode=True), f"{v:.4f}", f"{v:.3g}", f"{v:.2f}")}


def seen_before(we, step_id: str) -> set[str]:
    """The texts the worked steps before ``step_id`` print (a student has seen them), and the
    given numbers."""
    text = " ".join(step_html(s, we.palette) for s in we.steps[: we.index(step_id)])
    return set(re.findall(r"\d+\.\d+", text)) | given(we)


def secrets_of(predictions, seen: set[str]) -> set[str]:
    """What gives the predictions away, but for what the student has seen on earlier steps (a
    text counts as seen when the same digits are printed there)."""
    out = set()
    for p in predictions:
        for t in p.giveaways():
            digits = re.search(r"\d+\.\d+", t)
            if digits is None or digits.group(0) not in seen:
                out.add(t)
    return out


def go_to(page: Page, title: str) -> None:
    page.locator(".bpw-steps select").select_option(label=title)
    expect(page.locator(".bpw-step-title")).to_contain_text(title.split(". ", 1)[1], timeout=UPDATE_MS)


def step_label(we, step_id: str) -> str:
    i = we.index(step_id)
    return f"{i + 1}. {we.steps[i].title}"


def card(page: Page, kind: str):
    return page.locator(f".bpw-card-{kind}").first


def commit_with_keyboard(page: Page, kind: str, choices: tuple, answer: str) -> None:
    """Tab into the card's choices, move with → to ``answer`` (Space takes the first), Enter commits."""
    c = card(page, kind)
    c.locator(".bpw-choice").first.focus()
    for _ in range(choices.index(answer)):
        page.keyboard.press("ArrowRight")
    if choices.index(answer) == 0:
        page.keyboard.press(" ")
    expect(c.locator(".bpw-choice[aria-checked=true]")).to_have_text(answer, timeout=UPDATE_MS)
    page.keyboard.press("Enter")


def results_csv(page: Page) -> list[dict]:
    href = page.locator(".bpw-results a").first.get_attribute("href")
    assert href and href.startswith("data:text/csv;base64,")
    return list(csv.DictReader(io.StringIO(base64.b64decode(href.split(",", 1)[1]).decode("utf-8"))))


# --- Predict ------------------------------------------------------------------------------------


def test_predict_on_the_seed_with_mouse_diagram_and_keyboard(page: Page, voila_url: str):
    watched = Watched(page)
    url = f"{voila_url}?mode=predict&step=bp2-2"
    watched.open(url)
    snap = snapshot_of(url)
    we = worked_example(snap.network, snap.x, snap.y, traced=snap.traced)
    ps = {p.id: p for p in we.predictions()}
    assert list(ps) == [
        "largest_delta-2",
        "largest_delta-1",
        "sign",
        "largest_edge-3",
        "largest_edge-2",
        "loss_after_step",
        "nudge",
    ]
    expect(card(page, "largest_delta")).to_contain_text("Which neuron of layer 2", timeout=UPDATE_MS)
    expect(page.locator(".bpw-tabs .lm-TabBar-tab")).to_have_text(["Share"])  # the others would tell
    expect(page.locator(".bpw-loss-value")).to_be_hidden()
    # nothing gives any prediction away yet: only the forward pass, the loss and BP1 are "seen"
    # (the page opened on BP2, and those steps are before it)
    watched.assert_hidden(secrets_of(ps.values(), seen_before(we, "bp2-2")), "opened in Predict")
    assert "0.00562" in secrets_of([ps["largest_delta-2"]], set())  # |δ₂⁽²⁾|, seed page

    # with the mouse: a click on neuron 1 of layer 2 in the diagram picks δ₁⁽²⁾; Commit
    node = page.locator('.bpw-diagram svg [id="node-2-1"]').first
    box = node.bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    c = card(page, "largest_delta")
    expect(c.locator(".bpw-choice[aria-checked=true]")).to_have_text("δ₁⁽²⁾", timeout=UPDATE_MS)
    c.locator(".bpw-commit").click()
    verdict = c.locator(".bpw-card-verdict")
    expect(verdict).to_contain_text("You predicted δ₁⁽²⁾", timeout=UPDATE_MS)
    expect(verdict).to_contain_text("the page: δ₂⁽²⁾")
    expect(verdict).to_contain_text("0.00490 is smaller than |δ₂⁽²⁾|")  # the reason, in the page's numbers
    expect(verdict).to_have_attribute("role", "status")  # a screen reader hears it
    expect(page.locator(".bpw-panel")).to_contain_text("0.00562")  # the step is revealed
    expect(page.locator(".bpw-predict-score")).to_contain_text("0 of 1 right on the first try · 6 to go")

    # a later step waits for the prediction before it
    go_to(page, step_label(we, "bp3"))
    expect(page.locator(".bpw-predict")).to_contain_text("a prediction waits on step 7", timeout=UPDATE_MS)
    page.locator(".bpw-go-predict").click()
    expect(card(page, "largest_delta")).to_contain_text("Which neuron of layer 1", timeout=UPDATE_MS)

    # with the keyboard: → moves the choice, Enter commits
    seen = seen_before(we, "bp2-1")
    watched.assert_hidden(secrets_of([ps["largest_delta-1"]], seen), "BP2 of layer 1")
    commit_with_keyboard(page, "largest_delta", ps["largest_delta-1"].choices, ps["largest_delta-1"].answer)
    expect(card(page, "largest_delta").locator(".bpw-card-verdict")).to_contain_text(
        "✓ You predicted δ₂⁽¹⁾", timeout=UPDATE_MS
    )

    # BP3: the sign and the largest edges; the diagram still shows no gradient
    go_to(page, step_label(we, "bp3"))
    expect(card(page, "sign")).to_be_visible(timeout=UPDATE_MS)
    later = [ps[k] for k in ("sign", "largest_edge-3", "largest_edge-2", "loss_after_step", "nudge")]
    watched.assert_hidden(secrets_of(later, seen_before(we, "bp3")), "BP3 before the commit")
    commit_with_keyboard(page, "sign", ps["sign"].choices, "+")
    expect(card(page, "sign").locator(".bpw-card-verdict")).to_contain_text(
        "is negative because δ₁⁽¹⁾ = −0.00212 < 0 and x₁ = 1.0 > 0", timeout=UPDATE_MS
    )
    screenshot(page, "predict-1366.png")  # the README's picture: a verdict, and two cards waiting
    # largest edge into layer 3: a click on the edge w₁,₂⁽³⁾ (the right one) on the diagram
    edge = page.locator('.bpw-diagram svg [id="edge-w3-1-2"]').first
    box = edge.bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    c3 = page.locator(".bpw-card-largest_edge").nth(0)
    expect(c3.locator(".bpw-choice[aria-checked=true]")).to_have_text("w₁,₂⁽³⁾", timeout=UPDATE_MS)
    c3.locator(".bpw-commit").click()
    expect(c3.locator(".bpw-card-verdict")).to_contain_text("✓", timeout=UPDATE_MS)
    c2 = page.locator(".bpw-card-largest_edge").nth(1)
    c2.locator(".bpw-choice", has_text="w₂,₂⁽²⁾").click()
    c2.locator(".bpw-commit").click()
    expect(c2.locator(".bpw-card-verdict")).to_contain_text("✓", timeout=UPDATE_MS)
    # every prediction the diagram could answer is committed: its numbers and colours appear
    page.wait_for_function(
        "() => [...document.querySelectorAll('.bpw-diagram svg text')].some(e => e.textContent.startsWith('L ='))",
        timeout=UPDATE_MS,
    )
    expect(page.locator(".bpw-loss-value")).to_contain_text("L = 0.0611")

    # the check step: up or down, and the nudge, typed; the message shows the first-order estimate
    go_to(page, step_label(we, "check"))
    watched.assert_hidden(secrets_of([ps["loss_after_step"], ps["nudge"]], seen_before(we, "check")), "check")
    card(page, "loss_after_step").locator(".bpw-choice", has_text="down").click()
    card(page, "loss_after_step").locator(".bpw-commit").click()
    field = card(page, "nudge").locator("input")
    field.fill("0.0601")
    field.press("Enter")
    nudge = card(page, "nudge").locator(".bpw-card-verdict")
    expect(nudge).to_contain_text("You predicted 0.0601", timeout=UPDATE_MS)
    expect(nudge).to_contain_text(fmt(ps["nudge"].exact, unicode=True))
    right = 5 if ps["nudge"].check("0.0601").correct else 4  # δ₁⁽²⁾ and + were wrong
    expect(page.locator(".bpw-predict-score")).to_contain_text(f"{right} of 7 right on the first try · 0 to go")
    expect(page.locator(".bpw-tabs .lm-TabBar-tab")).to_have_count(len(TABS))  # every tab is back

    rows = results_csv(page)
    assert [(r["id"], r["first_answer"], r["right_on_first_try"]) for r in rows] == [
        ("largest_delta-2", "δ₁⁽²⁾", "no"),
        ("largest_delta-1", "δ₂⁽¹⁾", "yes"),
        ("sign", "+", "no"),
        ("largest_edge-3", "w₁,₂⁽³⁾", "yes"),
        ("largest_edge-2", "w₂,₂⁽²⁾", "yes"),
        ("loss_after_step", "down", "yes"),
        ("nudge", "0.0601", "yes" if ps["nudge"].check("0.0601").correct else "no"),
    ]
    assert watched.blocked == []


def test_predict_on_a_tanh_softmax_net_by_keyboard_gives_nothing_away(page: Page, voila_url: str):
    watched = Watched(page)
    url = f"{voila_url}?net=4,3,3,2&h=tanh&o=softmax&loss=cross_entropy&mode=predict"
    watched.open(url)
    snap = snapshot_of(url)
    we = worked_example(snap.network, snap.x, snap.y, traced=snap.traced)
    ps = we.predictions()
    assert len({p.kind for p in ps}) >= 4, [p.id for p in ps]
    for p in ps:
        go_to(page, step_label(we, p.step_id))
        watched.assert_hidden(secrets_of([q for q in ps if q.step_id == p.step_id], seen_before(we, p.step_id)), p.id)
        c = page.locator(f".bpw-card-{p.kind}").filter(has_text=p.prompt).first
        if p.choices:
            wrong = next(ch for ch in p.choices if ch != p.answer)
            c.locator(".bpw-choice").first.focus()
            for _ in range(p.choices.index(wrong)):
                page.keyboard.press("ArrowRight")
            page.keyboard.press("Enter")  # Enter takes the focused choice when none is chosen
            expect(c.locator(".bpw-card-verdict")).to_contain_text(f"✗ You predicted {wrong}", timeout=UPDATE_MS)
            expect(c.locator(".bpw-card-verdict")).to_contain_text(f"the page: {p.answer}")
        else:
            c.locator("input").fill(fmt(p.exact, unicode=True))
            c.locator("input").press("Enter")
            expect(c.locator(".bpw-card-verdict")).to_contain_text("✓ You predicted", timeout=UPDATE_MS)
    expect(page.locator(".bpw-predict-score")).to_contain_text(" · 0 to go", timeout=UPDATE_MS)
    assert watched.blocked == []


# --- Fade ---------------------------------------------------------------------------------------


def fade_secrets(we, stage) -> set[str]:
    """The blanks' numbers as the page prints them, but for those the worked steps print."""
    worked = " ".join(step_html(we.step(i), we.palette) for i in stage.worked)
    seen = set(re.findall(r"\d+\.\d+", worked)) | given(we)
    out = set()
    for q in stage.questions():
        text = fmt(q.answer, unicode=True).lstrip("−")
        if re.fullmatch(r"\d+\.\d+", text) and text not in seen and text not in ("0.0", "1.0"):
            out.add(text)
    return out


@pytest.mark.parametrize(
    "query",
    ["mode=fade&stage=2", "net=4,3,3,2&h=tanh&o=softmax&loss=cross_entropy&mode=fade&stage=2"],
    ids=["seed", "4332-tanh-softmax-ce"],
)
def test_fade_asks_which_equation_then_the_number_and_offers_the_next_stage(page: Page, voila_url: str, query):
    watched = Watched(page)
    url = f"{voila_url}?{query}"
    watched.open(url)
    snap = snapshot_of(url)
    we = worked_example(snap.network, snap.x, snap.y, traced=snap.traced)
    stages = we.fading()
    stage = stages[2]
    expect(page.locator(".bpw-stage select")).to_have_value(re.compile(r"^2 · "), timeout=UPDATE_MS)
    secrets = fade_secrets(we, stage)
    assert secrets
    watched.assert_hidden(secrets, "Fade stage 2")
    qs = stage.questions()
    assert {q.principle for q in qs} == {"BP3", "BP4", "update"} & {q.principle for q in qs}
    for n, q in enumerate(qs):
        go_to(page, step_label(we, q.step_id))
        row = page.locator(".bpw-question").filter(has=page.locator(f".bpw-answer-{n}")).first
        prompt = row.locator(".bpw-principle")
        expect(prompt).to_contain_text("Which equation gives this?", timeout=UPDATE_MS)
        expect(row.locator(".bpw-answer input")).to_be_hidden()
        wrong = "BP2" if q.principle != "BP2" else "BP1"
        prompt.locator("button", has_text=wrong).click()
        said = row.locator(".bpw-principle-feedback")
        expect(said).to_contain_text("✗", timeout=UPDATE_MS)
        expect(said).to_contain_text(q.check_principle(wrong).message.split(";")[0])
        watched.assert_hidden(secrets - {fmt(q.answer, unicode=True).lstrip("−")} | set(), "before the number")
        if n == 0:  # by keyboard: the right principle's button, then the number and Enter
            prompt.locator("button", has_text=q.principle).focus()
            page.keyboard.press("Enter")
        else:
            prompt.locator("button", has_text=q.principle).click()
        expect(said).to_contain_text("✓", timeout=UPDATE_MS)
        field = row.locator(".bpw-answer input")
        expect(field).to_be_visible()
        field.fill(fmt(q.answer, unicode=True))
        field.press("Enter")
        expect(row.locator(".bpw-feedback")).to_contain_text("✓", timeout=UPDATE_MS)
        if n == 0 and "net=" not in query:
            screenshot(page, "fade-1366.png")  # the README's picture: the equation named, the number right
    expect(page.locator(".bpw-practice-progress")).to_contain_text(
        f"Fade, stage 2 of {len(stages) - 1}: {len(qs)} of {len(qs)} right on the first try", timeout=UPDATE_MS
    )
    page.locator(".bpw-next-stage").click()
    expect(page.locator(".bpw-stage select")).to_have_value(re.compile(r"^3 · "), timeout=UPDATE_MS)
    expect(page.locator(".bpw-practice-progress")).to_contain_text(f"0 of {len(stages[3].questions())}")
    rows = results_csv(page)
    assert [r["id"] for r in rows if r["kind"] == "principle"] == [f"{q.step_id}:{q.name}:principle" for q in qs]
    assert all(r["right_on_first_try"] == "no" for r in rows if r["kind"] == "principle")
    assert all(r["right_on_first_try"] == "yes" for r in rows if r["kind"] != "principle")
    assert watched.blocked == []


def test_a_lesson_locks_the_mode(page: Page, voila_url: str):
    page.goto(f"{voila_url}?mode=predict&lock=mode", timeout=FIRST_RENDER_MS)
    mode = page.locator(".bpw-mode")
    expect(mode.locator("button", has_text="Predict")).to_be_visible(timeout=FIRST_RENDER_MS)
    for name in ("Explore", "Predict", "Fade", "Practice"):
        expect(mode.locator("button", has_text=name)).to_be_disabled()
