"""The exercise command: a sheet per student and an answer key, deterministic, fit for hand
calculation, and all-or-nothing with one-line errors (exit code 2) for bad rosters and options."""

import argparse
import html
import re
import subprocess
import sys

import numpy as np
import pytest

from backprop_widgets.cli import exercise as exercise_cli
from backprop_widgets.core import fmt
from backprop_widgets.explain import exercise
from backprop_widgets.explain.render import tex_text

ROSTER = "# class 3B\nAnna Lee\n\n  Bob   \nZoë O'Neil\n"
NAMES = ["Anna Lee", "Bob", "Zoë O'Neil"]


def run(*argv) -> int:
    parser = argparse.ArgumentParser(prog=exercise_cli.PROG)
    exercise_cli.add_arguments(parser)
    return exercise_cli.run(parser.parse_args([str(a) for a in argv]))


def run_args(*argv) -> int:
    """Like :func:`run`, but an argparse error (SystemExit) becomes its exit code."""
    try:
        return run(*argv)
    except SystemExit as e:
        return e.code


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.txt"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def spec(**kw) -> exercise.Spec:
    args = argparse.Namespace(
        sizes="2,2,1", eta=0.5, seed=7, activation="sigmoid", output_activation=None, loss="mse", traced="w1,1,1"
    )
    vars(args).update(kw)
    return exercise_cli.build_spec(args)


# --- the roster round trip ----------------------------------------------------------------------


def shown(text: str, fmt_: str) -> str:
    """Plain text as a file of this format writes it."""
    return {"html": html.escape, "md": lambda t: t, "tex": tex_text}[fmt_](text)


@pytest.mark.parametrize("fmt_", ["html", "md", "tex"])
def test_roster_round_trip(tmp_path, roster, capsys, fmt_):
    out = tmp_path / "sheets"
    assert run("--students", roster, "--seed", 7, "--format", fmt_, "-o", out) == 0
    assert f"wrote 3 sheets and answer-key.{fmt_}" in capsys.readouterr().err
    sheets = [f"01-anna-lee.{fmt_}", f"02-bob.{fmt_}", f"03-zoe-o-neil.{fmt_}"]
    assert list(files(out)) == sheets + [f"answer-key.{fmt_}"]
    key = (out / f"answer-key.{fmt_}").read_text(encoding="utf-8")
    # the key names every student in roster order, each with their sheet and the worked example
    starts = [key.index(shown(f"Sheet {file}.", fmt_)) for file in sheets]
    assert starts == sorted(starts) and key.count("Worked example: ") == 3
    for name, file, section in zip(NAMES, sheets, np.split(np.array(list(key)), starts[1:])):
        section = "".join(section)
        sheet = (out / file).read_text(encoding="utf-8")
        assert shown(f"Backpropagation exercise: {name}", fmt_) in sheet
        student = exercise.make_student(0, 2, name, 7, spec(), fmt_, "okabe-ito")
        # the sheet shows the student's own network and every question as a blank …
        for v in (*student.net.weights[0].ravel(), *student.x):
            assert fmt(v) in sheet
        blanks = sheet.count('class="bp-blank"') if fmt_ == "html" else sheet.count(r"\boxed{")
        assert blanks == len(student.questions) == 12
        # … and the key their answers
        for q in student.questions:
            assert shown(fmt(q.answer, unicode=True), fmt_) in section, (name, q.symbol)


#: names that Markdown would read as maths, strikethrough, an entity, emphasis or HTML
MARKUP_NAMES = ["Ann $x^2$ Lee", "Cy ~~x~~ Do", "Di &amp; Ed", "Fay *b* <i>G</i>"]


def rendered_text(markdown_html: str) -> list[str]:
    """The headings and paragraphs of rendered Markdown as a reader sees them (tags removed)."""
    blocks = re.findall(r"<(h[12]|p)\b[^>]*>(.*?)</\1>", markdown_html, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", inner)).strip() for _, inner in blocks]


def test_markdown_sheets_show_names_as_typed(tmp_path):
    """Rendered by mistune with its maths and strikethrough plugins (the Markdown parser of
    nbconvert, so of every Jupyter install) and by markdown-it (CommonMark with GitHub's
    strikethrough): each name comes out as literal text, in its sheet's title and the key."""
    import markdown_it
    import mistune

    renderers = {
        "mistune": mistune.create_markdown(plugins=["math", "strikethrough", "table"]),
        "markdown-it": markdown_it.MarkdownIt("commonmark").enable(["strikethrough", "table"]).render,
    }
    roster = tmp_path / "roster.txt"
    roster.write_text("\n".join(MARKUP_NAMES) + "\n", encoding="utf-8")
    out = tmp_path / "sheets"
    assert run("--students", roster, "--seed", 7, "--format", "md", "-o", out) == 0
    key = (out / "answer-key.md").read_text(encoding="utf-8")
    sheets = sorted(p for p in out.iterdir() if p.name != "answer-key.md")
    for name, path in zip(MARKUP_NAMES, sheets, strict=True):
        for who, render in renderers.items():
            sheet = render(path.read_text(encoding="utf-8"))
            assert rendered_text(sheet)[0] == f"Backpropagation exercise: {name}", (who, sheet[:300])
            assert name in rendered_text(render(key)), (who, name)  # the key's heading for them


def test_sheets_give_no_answers_away(tmp_path, roster):
    out = tmp_path / "sheets"
    assert run("--students", roster, "--seed", 7, "-o", out) == 0
    for i, name in enumerate(NAMES):
        student = exercise.make_student(i, 2, name, 7, spec(), "html", "okabe-ito")
        sheet = next(out.glob(f"0{i + 1}-*.html")).read_text(encoding="utf-8")
        shown = set(re.findall(r"<mn>([\d.]+)</mn>", sheet))
        given = {
            fmt(abs(v))
            for v in np.concatenate(
                [*map(np.ravel, student.net.weights), *student.net.biases, student.x, student.y, [0.5]]
            )
        }
        for q in student.questions:
            if len(fmt(abs(q.answer)).lstrip("0.")) >= 3 and fmt(abs(q.answer)) not in given:
                assert fmt(abs(q.answer)) not in shown, (name, q.symbol)


def test_html_is_self_contained(tmp_path, roster):
    out = tmp_path / "sheets"
    assert run("--students", roster, "-o", out) == 0
    for name, data in files(out).items():
        text = data.decode("utf-8")
        assert text.startswith("<!DOCTYPE html>") and text.endswith("</html>\n")
        assert "<math" in text and "<script" not in text and "http" not in text, name
        assert "<menclose" not in text  # MathML Core has no menclose: the blank is a CSS box


def test_tex_is_ascii_but_for_names(tmp_path, roster):
    out = tmp_path / "sheets"
    assert run("--students", roster, "--format", "tex", "-o", out) == 0
    for name, data in files(out).items():
        text = data.decode("utf-8")
        assert text.count(r"\begin{document}") == 1 and text.rstrip().endswith(r"\end{document}")
        assert {c for c in text if not c.isascii()} <= {"ë"}, name
        assert "?" not in re.sub(r"\\\[.*?\\\]", "", text, flags=re.S), name  # no lost letters, keys' included


# --- determinism and the numbers ----------------------------------------------------------------


@pytest.mark.parametrize("fmt_", ["html", "md", "tex"])
def test_same_roster_and_seed_give_identical_files(tmp_path, roster, fmt_):
    assert run("--students", roster, "--seed", 7, "--format", fmt_, "-o", tmp_path / "a") == 0
    assert run("--students", roster, "--seed", 7, "--format", fmt_, "-o", tmp_path / "b") == 0
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert run("--students", roster, "--seed", 8, "--format", fmt_, "-o", tmp_path / "c") == 0
    assert files(tmp_path / "c")[f"02-bob.{fmt_}"] != files(tmp_path / "a")[f"02-bob.{fmt_}"]


def test_a_students_numbers_depend_on_the_seed_and_their_name_only(tmp_path, roster):
    assert run("--students", roster, "--seed", 7, "-o", tmp_path / "a") == 0
    other = tmp_path / "other.txt"
    other.write_text("Zoë O'Neil\nCarla\nAnna Lee\n", encoding="utf-8")
    assert run("--students", other, "--seed", 7, "-o", tmp_path / "b") == 0
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert a["03-zoe-o-neil.html"] == b["01-zoe-o-neil.html"]
    assert a["01-anna-lee.html"] == b["03-anna-lee.html"]
    sheets = [exercise.make_student(0, 2, n, 7, spec(), "md", "okabe-ito").net.weights[0] for n in NAMES]
    assert not np.array_equal(sheets[0], sheets[1]) and not np.array_equal(sheets[1], sheets[2])


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"activation": "relu"},
        {"activation": "tanh", "traced": "b1,2"},
        {"sizes": "3,3,2", "activation": "relu", "output_activation": "softmax", "loss": "cross_entropy"},
        {"sizes": "2,3,2,1", "activation": "linear", "output_activation": "sigmoid", "traced": "w2,1,3"},
    ],
)
def test_numbers_fit_for_hand_calculation(kw):
    s = spec(**kw)
    for i in range(12):
        student = exercise.make_student(i, 2, f"student {i}", 3, s, "md", "okabe-ito")
        net, t = student.net, student.we.trace
        for W, b in zip(net.weights, net.biases):  # 1–2 decimals, never 0
            for v in (*W.ravel(), *b):
                assert v == round(v, 2) and 0.05 <= abs(v) <= 1.0
        assert all(v == round(v, 1) and v != 0 for v in student.x)
        p = s.traced
        for l in range(1, t.L + 1):
            assert np.all(np.abs(t.z[l]) <= 3)  # no saturated unit
            if t.activations[l] == "relu":  # no dead ReLU on the traced path
                on_path = t.z[l] if l > p.l else t.z[l][p.j - 1 : p.j] if l == p.l else []
                assert np.all(np.asarray(on_path) > 0)
        assert abs(t.grad(p)) >= 1e-3
        update = student.questions[-1]
        assert not update.check(repr(net.get(p))).correct  # the descent step shows
        assert any(m.id == "ascent" for m in update.mistakes)


def test_no_fit_numbers_is_an_error(tmp_path, roster, capsys, monkeypatch):
    monkeypatch.setattr(exercise, "unfit", lambda *a: "a saturated unit")
    assert run("--students", roster, "-o", tmp_path / "sheets") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "found no numbers fit for hand calculation for 'Anna Lee'" in err
    assert "most often: a saturated unit" in err
    assert list(tmp_path.iterdir()) == [roster]


# --- bad input: one line, exit 2, nothing written --------------------------------------------------

BAD = [
    ("# only a comment\n\n", [], "has no names"),
    ("Anna\nBob\nanna \n", [], "names 'anna' twice (lines 1 and 3)"),
    (b"Anna\n\xff\xfe\n", [], "it is not UTF-8 text"),
    (None, [], "cannot read --students"),  # a missing file
    ("dir", [], "cannot read --students"),  # a folder
    (ROSTER, ["--sizes", "3,a"], "architecture entry 2"),
    (ROSTER, ["--traced", "w5,1,1"], "does not exist"),
    (ROSTER, ["--target", "q"], "not understood"),
    (ROSTER, ["--format", "pdf"], "invalid choice: 'pdf'"),
    (ROSTER, ["--eta", "0"], "--eta must be a positive number"),
    (ROSTER, ["--eta", "nan"], "--eta must be a positive number"),
    (ROSTER, ["--seed", "-1"], "--seed must be 0 or more"),
    (ROSTER, ["--seed", "abc"], "invalid int value: 'abc'"),
    (ROSTER, ["--loss", "cross_entropy", "--activation", "tanh"], "cross-entropy needs outputs"),
    (ROSTER, ["--output-activation", "softmax", "--sizes", "2,1"], "softmax needs at least 2"),
]


@pytest.mark.parametrize("content, options, message", BAD)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, content, options, message):
    path = tmp_path / "roster.txt"
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    assert run_args("--students", path, *options, "-o", tmp_path / "sheets") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("backprop-widgets exercise: error: "), err
    assert message in err
    assert sorted(tmp_path.iterdir()) == before  # no sheets, no temporary folder


def test_existing_folder_needs_force(tmp_path, roster, capsys):
    out = tmp_path / "sheets"
    out.mkdir()
    (out / "old.txt").write_text("from last year")
    assert run("--students", roster, "-o", out) == 2
    assert "exists and is not empty: choose another -o or pass --force" in capsys.readouterr().err
    assert list(files(out)) == ["old.txt"]
    assert run("--students", roster, "-o", out, "--force") == 0
    capsys.readouterr()
    assert "old.txt" not in files(out) and len(files(out)) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.txt", "sheets"]
    (tmp_path / "file").write_text("x")
    assert run("--students", roster, "-o", tmp_path / "file") == 2
    assert run("--students", roster, "-o", tmp_path / "missing" / "sheets") == 2
    assert capsys.readouterr().err.count("\n") == 2


def test_a_failed_write_leaves_nothing(tmp_path, roster, capsys, monkeypatch):
    written = []
    real = exercise_cli.Path.write_text

    def flaky(self, text, *a, **kw):
        if written:
            raise OSError(28, "No space left on device")
        written.append(self)
        return real(self, text, *a, **kw)

    monkeypatch.setattr(exercise_cli.Path, "write_text", flaky)
    assert run("--students", roster, "-o", tmp_path / "sheets") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write" in err and "No space left on device" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.txt"]


def test_the_command_line(tmp_path, roster):
    base = [sys.executable, "-m", "backprop_widgets", "exercise", "--students", str(roster)]
    ok = subprocess.run(
        base
        + ["--sizes", "2,2,1", "--seed", "7", "--traced", "w1,1,1", "-o", str(tmp_path / "sheets"), "--format", "md"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert len(list((tmp_path / "sheets").iterdir())) == 4
    bad = subprocess.run(
        base + ["--sizes", "2,2", "--format", "docx", "-o", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "invalid choice" in bad.stderr
    assert not (tmp_path / "x").exists()
