"""The export command: files in each format, options, and one-line errors with exit code 2."""

import argparse
import json
import re
import subprocess
import sys

import pytest

from backprop_widgets.cli import export

import latex_arith


def run_export(*argv):
    parser = argparse.ArgumentParser(prog="backprop-widgets export")
    export.add_arguments(parser)
    return export.run(parser.parse_args(list(argv)))


@pytest.mark.parametrize(
    "name, marker",
    [
        ("seed.md", "## Step 2: Backward Pass"),
        ("seed.html", "<!DOCTYPE html>"),
        ("seed.tex", r"\documentclass"),
    ],
)
def test_seed_in_each_format_from_the_extension(tmp_path, capsys, name, marker):
    out = tmp_path / name
    assert run_export("-o", str(out)) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith(marker) or marker in text
    # the seed page's numbers: the output error and the target gradient
    assert "-0.0794" in text and "-0.00212" in text and "0.5622" in text
    assert "wrote" in capsys.readouterr().err


def test_format_option_overrides_and_stdout(capsys):
    assert run_export("--format", "tex") == 0
    tex = capsys.readouterr().out
    assert tex.startswith(r"\documentclass") and tex.isascii()
    assert latex_arith.check(tex)[1] == []


def test_network_options(tmp_path, capsys):
    out = tmp_path / "deep.md"
    assert (
        run_export(
            "--sizes",
            "4,3,3,2",
            "--random",
            "7",
            "--traced",
            "b2,1",
            "--activation",
            "tanh",
            "--output-activation",
            "softmax",
            "--loss",
            "cross_entropy",
            "--x",
            "1,0.5,-1,0.25",
            "--y",
            "0,1",
            "--palette",
            "page",
            "-o",
            str(out),
        )
        == 0
    )
    md = out.read_text(encoding="utf-8")
    assert "# Worked example: ∂L/∂b₁⁽²⁾" in md
    assert "[4, 3, 3, 2]" in md and "tanh hidden layers and a softmax output layer" in md
    assert "### The Target Gradient · BP4" in md and r"{\color{#E10000}" in md  # the page palette's text red
    assert r"{\color{#9C6300}\mathbf{x}} = (1.0,\; 0.5,\; -1.0,\; 0.25)^T" in md


def test_weights_from_json(tmp_path, capsys):
    spec = {"weights": [[[0.5, -0.25]], [[2.0]]], "biases": [[0.1], [-0.3]]}
    path = tmp_path / "net.json"
    path.write_text(json.dumps(spec))
    out = tmp_path / "net.html"
    assert run_export("--weights", str(path), "--x", "1,2", "--y", "0.5", "-o", str(out)) == 0
    html = out.read_text(encoding="utf-8")
    # z_1^(1) = 0.5·1 − 0.25·2 + 0.1 = 0.1
    assert r"= 0.5 - 0.5 + 0.1 = 0.1" in html
    assert "<td>l = 2</td>" in html


ERRORS = [
    (["--sizes", "3,a"], "architecture entry 2"),
    (["--sizes", "3,2,2", "--traced", "w5,1,1"], "does not exist"),
    (["--target", "q"], "not understood"),
    (["--x", "1,2"], "--x has 2 numbers but the input layer has 3 neurons"),
    (["--x", "1,zwei,3"], "--x must be comma-separated numbers"),
    (["--weights", "/nonexistent/net.json"], "cannot read --weights"),
    (["-o", "handout.pdf"], "cannot tell the format"),
    (["--loss", "cross_entropy", "--activation", "tanh"], "cross-entropy needs outputs in (0, 1)"),
    (["--random", "1", "--weights", "x.json"], "either --weights or --random"),
]


@pytest.mark.parametrize("argv, message", ERRORS)
def test_bad_options_one_line_exit_2(capsys, argv, message):
    assert run_export(*argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert err.startswith("backprop-widgets export: error: ")


def test_bad_json(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text("{weights: [")
    assert run_export("--weights", str(path)) == 2
    assert "is not valid JSON" in capsys.readouterr().err
    path.write_text(json.dumps({"weights": [[[1.0]]]}))
    assert run_export("--weights", str(path)) == 2
    assert 'must hold {"weights"' in capsys.readouterr().err


def test_command_line(tmp_path):
    out = tmp_path / "seed.html"
    ok = subprocess.run(
        [sys.executable, "-m", "backprop_widgets", "export", "-o", str(out)], capture_output=True, text=True, timeout=60
    )
    assert ok.returncode == 0, ok.stderr
    page = out.read_text(encoding="utf-8")
    assert "<math" in page and "<script" not in page  # typeset on the server: works offline
    bad = subprocess.run(
        [sys.executable, "-m", "backprop_widgets", "export", "--sizes", "3,0,1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    assert re.search(r"layer 1 must have at least 1 neuron", bad.stderr)
    usage = subprocess.run(
        [sys.executable, "-m", "backprop_widgets", "export", "--format", "pdf"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_export_and_exercise_help_list_the_registered_formats(capsys):
    """Both commands' --help list the formats of the one registry, none written out by hand."""
    from backprop_widgets.cli.main import main
    from backprop_widgets.explain.render.formats import FORMATS

    assert list(FORMATS) == ["md", "html", "tex", "numpy", "torch"]
    helps = {}
    for command in ("export", "exercise"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        helps[command] = " ".join(capsys.readouterr().out.split())
    for text in helps.values():
        assert "--format {md,html,tex,numpy,torch}" in text and "md, html, tex, numpy or torch" in text
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "write a worked example as md, html, tex, numpy or torch" in " ".join(capsys.readouterr().out.split())
