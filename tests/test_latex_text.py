"""LaTeX text: every character our documents hold has a mapping, a name's letters are kept as
typed, and anything else is an error, never a silent "?" (η was written "?" before)."""

import itertools
import re

import pytest

from backprop_widgets.core import ACTIVATIONS, HIDDEN_ACTIVATIONS, LOSSES, Network, default_sample, seed_example
from backprop_widgets.explain.exercise import for_network
from backprop_widgets.explain.notation import tables
from backprop_widgets.explain.practice.mistakes import CATALOGUE
from backprop_widgets.explain.render import handout, tex_text
from backprop_widgets.explain.walkthrough import worked_example


@pytest.mark.parametrize(
    "text, tex",
    [
        ("η = 0.5", r"\ensuremath{\eta} = 0.5"),
        (
            "θ − η·∂L/∂θ",
            r"\ensuremath{\theta} \ensuremath{-} \ensuremath{\eta}\ensuremath{\cdot}"
            r"\ensuremath{\partial}L/\ensuremath{\partial}\ensuremath{\theta}",
        ),
        ("σ′(z) ⊙ δ", r"\ensuremath{\sigma}\ensuremath{'}(z) \ensuremath{\odot} \ensuremath{\delta}"),
        (
            "Σ ε λ Ω Α",
            r"\ensuremath{\Sigma} \ensuremath{\varepsilon} \ensuremath{\lambda} \ensuremath{\Omega} "
            r"\ensuremath{\mathrm{A}}",
        ),
        ("± 0.001", r"\ensuremath{\pm} 0.001"),
        ("Zoë Łukasz O’Neil", "Zoë Łukasz O'Neil"),  # a name's letters as typed
        ("50% & $5_x {y}", r"50\% \& \$5\_x \{y\}"),
    ],
)
def test_mappings(text, tex):
    assert tex_text(text) == tex


def test_every_greek_letter_is_maths():
    greek = [chr(c) for c in [*range(0x391, 0x3AA), *range(0x3B1, 0x3CA)] if c != 0x3A2]
    assert len(greek) == 49 and "".join(greek[:3] + greek[-3:]) == "ΑΒΓχψω"  # Α … Ω and α … ω (ς too)
    for c in greek:
        assert re.fullmatch(r"\\ensuremath\{(\\[A-Za-z]+|\\mathrm\{[A-Z]\}|o)\}", tex_text(c)), c


@pytest.mark.parametrize("c", ["☃", "€", "∫", "\u200b", "→\U0001f600"])
def test_an_unmapped_character_is_an_error(c):
    with pytest.raises(ValueError, match=r"no LaTeX for .* \(U\+[0-9A-F]{4,5} "):
        tex_text(f"a {c} b")


def nets():
    """The seed page, then every activation pair and loss that go together, weight and bias traced."""
    net, x, y = seed_example()
    yield net, x, y, "w1,1,1"
    for i, (hidden, output, loss) in enumerate(itertools.product(HIDDEN_ACTIVATIONS, ACTIVATIONS, LOSSES)):
        try:
            net = Network.random([3, 3, 2], seed=i, activation=hidden, output_activation=output, loss=loss)
        except ValueError:  # a loss that needs other outputs (cross-entropy after tanh)
            continue
        yield (net, *default_sample(net), "b1,2" if i % 2 else "w2,2,1")


def strings(we, eta=0.5):
    """Every plain-text string a worked example, its questions and the notation tables hold."""
    for s in we.steps:
        yield from (s.title, s.text, s.heading, *(p.caption or "" for p in s.parts))
        yield from (cell for row in s.table or () for cell in row)
    for q in we.questions(eta):
        yield q.symbol
        for m in q.mistakes:
            yield m.message
    yield from CATALOGUE.values()
    for heading, _rows in tables(we.trace.sizes, we.trace.loss_name, we.palette):
        yield heading


def test_every_string_our_documents_hold_has_latex():
    """Over the seed page and 28 nets (every pair of functions with each loss that fits): every step's, question's and
    mistake's text maps, and no handout, sheet or key in LaTeX holds a "?" or a non-ASCII byte."""
    count = 0
    for net, x, y, target in nets():
        we = worked_example(net, x, y, traced=target)
        for text in strings(we):
            tex = tex_text(text)  # raises for a character without LaTeX
            assert tex.count("?") == text.count("?") and tex.isascii(), text
        for doc in (handout(we, "tex"), *for_network(we, format_name="tex")):
            assert "?" not in doc and doc.isascii()
        count += 1
    assert count == 29
