"""Faded worked examples and "which equation gives this?" (issue 23): the seed's stages and
principles by hand, and sweeps over the random nets of tests/teach_nets.py.

The principle of every question on 1,000 nets is checked against its quantity's name (z and a
are the forward pass, δ of the output layer BP1 …), not against the step ids the module reads.
Fading asks for every question once, and questions cost ~0.1 s on a 6 × 8 net, so the fading
sweep takes every 8th of those nets (125), each compared with a questions() of its own.
"""

import re

import pytest
from teach_nets import NETS, random_net

from backprop_widgets import seed_example, worked_example
from backprop_widgets.explain.practice import PRINCIPLES
from backprop_widgets.explain.practice.principles import NAMES
from backprop_widgets.explain.practice.uses import numbers, worked_text
from backprop_widgets.explain.steps.kinds import STEP_KINDS

STAGE_SAMPLE = 8  # the fading sweep takes every 8th net
JUNK = (None, "", "BP5", "bp 2", "forward pass", 3, 2.0, object(), "∂L/∂w")


def seed_example_for(traced: str):
    net, x, y = seed_example()
    return worked_example(net, x, y, traced=traced)


def test_the_seed_fades_update_then_bp3_then_bp2_then_bp1_then_loss_then_forward():
    we = seed_example_for("w1,1,1")
    stages = we.fading()
    assert [s.k for s in stages] == list(range(7))
    assert [s.blank_groups for s in stages] == [
        (),
        ("update",),
        ("BP3", "update"),
        ("BP2", "BP3", "update"),
        ("BP1", "BP2", "BP3", "update"),
        ("loss", "BP1", "BP2", "BP3", "update"),
        ("forward", "loss", "BP1", "BP2", "BP3", "update"),
    ]
    every = tuple(s.id for s in we.steps)
    assert stages[0].worked == every and stages[0].questions() == [] and stages[0].blanked == ()
    # stage 1: only the descent step is asked; bp3 is partly blanked, so it is not worked
    assert stages[1].worked == tuple(i for i in every if i != "bp3") and stages[1].blanked == ("bp3",)
    assert [q.symbol for q in stages[1].questions()] == ["w₁,₁⁽¹⁾ − η·∂L/∂w₁,₁⁽¹⁾"]
    # stage 2: the check, the paths and the table print ∂L/∂w₁,₁⁽¹⁾ = −0.00212: hidden; the
    # reference prints no number
    assert stages[2].worked == ("forward-1", "forward-2", "forward-3", "loss", "bp1", "bp2-2", "bp2-1", "reference")
    assert [q.symbol for q in stages[3].questions()] == [
        "δ₁⁽²⁾", "δ₂⁽²⁾", "δ₁⁽¹⁾", "δ₂⁽¹⁾", "∂L/∂w₁,₁⁽¹⁾", "w₁,₁⁽¹⁾ − η·∂L/∂w₁,₁⁽¹⁾"
    ]  # fmt: skip
    assert stages[3].blanked == ("bp2-2", "bp2-1", "bp3")
    assert stages[6].worked == ("reference",)
    assert stages[-1].questions() == we.questions()


def test_a_step_that_asks_nothing_is_hidden_when_it_restates_a_blanked_number():
    """b₁⁽²⁾: ∂L/∂b₁⁽²⁾ = δ₁⁽²⁾ = −0.00490. The check prints it, and the table δ₁⁽²⁾ = −0.00490;
    the check's L⁺ = 0.06105086922 prints as L = 0.0611, so the check hides with the loss."""
    we = seed_example_for("b2,1")
    stages = we.fading()
    assert [s.blank_groups[0] for s in stages[1:]] == ["update", "BP4", "BP2", "BP1", "loss", "forward"]
    check = we.step("check")
    assert "0.06105086922" in check.latex and "-0.00490" in check.result
    assert {"check", "paths", "table"} <= set(stages[1].worked)
    assert not {"check", "paths", "table"} & set(stages[2].worked)
    # the paths step prints σ′, w, ∇ₐL and the gradient: worked again? no, it prints −0.00490
    assert [s.k for s in stages if "check" in s.worked] == [0, 1]


def test_a_parameter_of_the_output_layer_has_no_bp2_group():
    we = seed_example_for("w3,1,2")
    stages = we.fading()
    assert stages[-1].blank_groups == ("forward", "loss", "BP1", "BP3", "update")
    assert len(stages) == 6
    # ∂L/∂w₁,₂⁽³⁾ = −0.0612 is printed by the check and the paths, not by the table
    assert "table" in stages[2].worked and "check" not in stages[2].worked


def test_the_seeds_principles_and_why_a_wrong_one_is_wrong():
    qs = seed_example_for("w1,1,1").questions()
    assert [q.principle for q in qs] == ["forward"] * 10 + ["loss", "BP1"] + ["BP2"] * 4 + ["BP3", "update"]
    assert [q.principle for q in seed_example_for("b2,1").questions()][-2:] == ["BP4", "update"]
    d = next(q for q in qs if q.name == "delta2,1")
    assert d.check_principle("BP3").message == (
        "BP3 gives a weight's gradient ∂L/∂w from δ and a; this number is an error δ₁⁽²⁾, which BP2 "
        "carries down from δ⁽³⁾."
    )
    for typed in ("BP2", "bp2", " Bp2 "):
        fb = d.check_principle(typed)
        assert fb.correct and "δ⁽ˡ⁾ = ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ σ′(z⁽ˡ⁾)" in fb.message
    grad = next(q for q in qs if q.name == "grad")
    assert "a bias's gradient" in grad.check_principle("BP4").message
    assert "which BP3 gives as a·δ" in grad.check_principle("BP4").message
    update = qs[-1]
    assert update.step_id == "bp3" and update.check_principle("update").correct
    assert "descent step" in update.check_principle("BP3").message
    for junk in JUNK:
        fb = d.check_principle(junk)
        assert not fb.correct and all(name in fb.message for name in NAMES)


def _principle_by_name(q, L: int, weight: bool) -> str:
    """The principle from the quantity alone (the oracle)."""
    if q.name in ("loss", "update"):
        return q.name
    if q.name == "grad":
        return "BP3" if weight else "BP4"
    letter, l = re.fullmatch(r"([a-z]+)(\d+),\d+", q.name).groups()
    if letter in ("z", "a"):
        return "forward"
    assert letter == "delta"
    return "BP1" if int(l) == L else "BP2"


@pytest.mark.parametrize("chunk", range(4))
def test_every_right_principle_is_accepted_and_every_other_refused_with_a_reason(chunk):
    """Every number every step of 1,000 nets asks (the drafts, before the precision rule drops
    any)."""
    by_name = {p.name: p for p in PRINCIPLES}
    for i in range(chunk * NETS // 4, (chunk + 1) * NETS // 4):
        net, x, y, traced = random_net(i)
        we = worked_example(net, x, y, traced=traced)
        for s in we.steps:
            for d in STEP_KINDS[s.kind].ask(we.context, s, 0.5):
                q = d.question
                right = _principle_by_name(q, we.trace.L, traced.is_weight)
                assert q.principle == right, (i, q.step_id, q.name)
                assert q.check_principle(right.lower()).correct
                for other in NAMES:
                    if other != right:
                        fb = q.check_principle(other)
                        assert not fb.correct and by_name[other].gives in fb.message and q.symbol in fb.message
                        # the reason names what this number is: "which BP2 carries down from" …
                        assert by_name[right].this.split(",")[-1].split("{")[0].strip() in fb.message
                        assert right.lower() in fb.message.lower()


@pytest.mark.parametrize("chunk", range(5))
def test_each_stage_blanks_one_more_group_and_the_last_asks_every_question(chunk):
    for i in range(chunk * NETS // 5, (chunk + 1) * NETS // 5, STAGE_SAMPLE):
        net, x, y, traced = random_net(i)
        we = worked_example(net, x, y, traced=traced)
        stages = we.fading()
        qs = we.questions()
        groups = list(dict.fromkeys(q.principle for q in qs))
        assert len(stages) == len(groups) + 1 and stages[0].worked == tuple(s.id for s in we.steps)
        assert stages[-1].questions() == qs
        for k, s in enumerate(stages):
            assert s.k == k and list(s.blank_groups) == groups[len(groups) - k :]
            assert s.questions() == [q for q in qs if q.principle in s.blank_groups]
            assert s.blanked == tuple(dict.fromkeys(q.step_id for q in s.questions()))
            assert not set(s.worked) & set(s.blanked)
            order = [st.id for st in we.steps]
            assert list(s.worked) == sorted(s.worked, key=order.index)
            if k:
                assert set(s.worked) <= set(stages[k - 1].worked)
                # a worked step that asks nothing never prints a blanked answer as the page prints it
                printed = {q.printed for q in s.questions()}
                for sid in set(s.worked) - {q.step_id for q in qs}:
                    assert not printed & set(numbers(worked_text(we.step(sid)))), (i, k, sid)


def test_a_new_kind_of_step_that_asks_is_a_group_of_its_own():
    """A step kind no principle covers (registered for this test) asks its number in a group
    named by its step id, last in page order; its question has no principle to name."""
    from backprop_widgets.core import fmt
    from backprop_widgets.explain.practice.question import draft, line
    from backprop_widgets.explain.steps import Highlight, Part, Step, StepKind
    from backprop_widgets.explain.steps.kinds import register, unregister

    def build(c):
        mean = fmt(float(c.trace.a[c.trace.L].mean()))
        part = Part(None, rf"\bar{{a}} = {mean}")
        return [Step("mean-output", "Mean output", None, "The mean.", (part,), Highlight(loss=True), "Mean")]

    def ask(c, step, eta):
        a = c.trace.a[c.trace.L]
        return [
            draft(step.id, "mean", "ā", line(r"\bar{a}"), line(r"\bar{a}"), a.mean(), lambda o: o["a"].mean(), {"a": a})
        ]

    register(StepKind("mean", build, ask), before="table")
    try:
        we = seed_example_for("w1,1,1")
        stages = we.fading()
        assert [s.blank_groups[0] for s in stages[1:3]] == ["mean-output", "update"]
        q = stages[1].questions()[0]
        assert q.principle is None and stages[-1].questions() == we.questions()
        assert not q.check_principle("forward").correct and not q.check_principle("update").correct
    finally:
        unregister("mean")
