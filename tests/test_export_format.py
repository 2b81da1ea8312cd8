"""A new export format is one registration: a renderer of the document model's blocks and one
``register(ExportFormat(...))``. With nothing else edited, ``export`` writes handouts in it,
``exercise`` sheets and keys, both commands' ``--help`` and the main help list it, and the
dashboard's Export tab offers it."""

import argparse
import base64
import re

import pytest

from backprop_widgets.cli import exercise as exercise_cli
from backprop_widgets.cli import export
from backprop_widgets.cli.main import main
from backprop_widgets.explain.render import Document, Heading, Paragraph, Part, Question, StepBlock, Table
from backprop_widgets.explain.render.formats import FORMATS, ExportFormat, register, unregister


def to_text(doc: Document, palette: str) -> str:
    """The tiniest renderer: headings, paragraphs, steps' sentences, questions, tables, parts."""
    lines: list[str] = []

    def walk(d: Document) -> None:
        for b in d.blocks:
            match b:
                case Heading(text) | Paragraph(text):
                    lines.append(text)
                case StepBlock(step):
                    lines.append(step.text)
                case Question(n, symbol, _):
                    lines.append(f"{n}. {symbol} = ______")
                case Table(rows):
                    lines.extend(" | ".join(row) for row in rows)
                case Part(inner):
                    walk(inner)

    walk(doc)
    return "\n".join(lines) + "\n"


@pytest.fixture
def txt():
    fmt = register(ExportFormat("txt", "plain text", (".txt",), to_text))
    yield fmt
    unregister("txt")
    assert "txt" not in FORMATS


def run(module, *argv) -> int:
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    return module.run(parser.parse_args([str(a) for a in argv]))


def help_text(capsys, *argv) -> str:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_the_export_command_writes_it(txt, tmp_path, capsys):
    out = tmp_path / "seed.txt"
    assert run(export, "-o", out) == 0  # picked by the extension
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Worked example: ∂L/∂w₁,₁⁽¹⁾" and "Step 2: Backward Pass" in lines
    assert "wrote" in capsys.readouterr().err
    assert run(export, "--format", "txt", "--target", "b1,2") == 0  # named; to stdout
    assert capsys.readouterr().out.startswith("Worked example: ∂L/∂b₂⁽¹⁾\n")
    assert run(export, "-o", "handout.pdf") == 2
    assert ".torch.py or .txt name" in capsys.readouterr().err


def test_the_exercise_command_writes_sheets_and_key_in_it(txt, tmp_path, capsys):
    roster = tmp_path / "roster.txt"
    roster.write_text("Anna Lee\nBob\n", encoding="utf-8")
    out = tmp_path / "sheets"
    assert run(exercise_cli, "--students", roster, "--seed", 7, "--format", "txt", "-o", out) == 0
    assert "wrote 2 sheets and answer-key.txt" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["01-anna-lee.txt", "02-bob.txt", "answer-key.txt"]
    sheet = (out / "01-anna-lee.txt").read_text(encoding="utf-8").splitlines()
    assert sheet[0] == "Backpropagation exercise: Anna Lee"
    assert [line.split(".")[0] for line in sheet if line.endswith("= ______")] == [str(n) for n in range(1, 13)]
    key = (out / "answer-key.txt").read_text(encoding="utf-8")
    assert key.count("Worked example: ∂L/∂w₁,₁⁽¹⁾") == 2 and "Sheet 02-bob.txt." in key


def test_every_help_lists_it(txt, capsys):
    for command in ("export", "exercise"):
        text = help_text(capsys, command)
        assert "--format {md,html,tex,numpy,torch,txt}" in text and "md, html, tex, numpy, torch or txt" in text, (
            command
        )
    assert "write a worked example as md, html, tex, numpy, torch or txt" in help_text(capsys)


def export_tab():
    """The dashboard's Export tab over a state of the seed page, shown."""
    from backprop_widgets.app.state import State
    from backprop_widgets.app.tabs import TABS

    tab = TABS["export"](State())
    tab.render()
    return tab


def test_the_export_tab_offers_every_registered_format():
    tab = export_tab()
    assert tab.format.options == (
        ("Markdown (.md)", "md"),
        ("self-contained HTML (.html)", "html"),
        ("LaTeX (.tex)", "tex"),
        ("numpy script (.py)", "numpy"),
        ("PyTorch script (.torch.py)", "torch"),
    )
    assert tab.format.value == "html" and tab.download.value.count("data:text/html;base64,") == 3
    tab.format.value = "tex"
    links = dict(re.findall(r"<a download='([^']+)' href='data:application/x-tex;base64,([^']+)'", tab.download.value))
    assert sorted(links) == [f"backprop-{what}-w1-1-1.tex" for what in ("answer-key", "exercise-sheet", "handout")]
    sheet = base64.b64decode(links["backprop-exercise-sheet-w1-1-1.tex"]).decode()
    assert sheet.startswith(r"\documentclass[11pt,leqno]{article}") and sheet.count(r"\boxed{") == 18
    assert "(TEX, " in tab.download.value


def test_the_export_tab_offers_it(txt):
    tab = export_tab()
    assert [name for _, name in tab.format.options] == ["md", "html", "tex", "numpy", "torch", "txt"]
    tab.format.value = "txt"
    links = dict(re.findall(r"<a download='([^']+)' href='data:text/plain;base64,([^']+)'", tab.download.value))
    assert set(links) == {
        "backprop-handout-w1-1-1.txt",
        "backprop-exercise-sheet-w1-1-1.txt",
        "backprop-answer-key-w1-1-1.txt",
    }
    handout = base64.b64decode(links["backprop-handout-w1-1-1.txt"]).decode()
    assert handout.startswith("Worked example: ∂L/∂w₁,₁⁽¹⁾\n")
    key = base64.b64decode(links["backprop-answer-key-w1-1-1.txt"]).decode()
    assert "−0.0794" in key and "(TXT, " in tab.download.value  # the seed page's δ⁽³⁾, and the link says its format
