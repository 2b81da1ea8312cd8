"""``backprop-widgets assignment`` (issue 25): an nbgrader source notebook in which students
implement ``forward`` and ``backward``, graded per quantity (forward, BP1, BP2, BP3/BP4).

The real nbgrader (the test extra's) makes the students' version and autogrades four
submissions in a course folder of its own, offline: a correct one (written here, not the
notebook's reference solution) gets full marks; σ′ taken at a and W instead of Wᵀ each get part
of them, and their feedback names the mistake; the students' version unchanged gets none."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from backprop_widgets import Network, seed_example
from backprop_widgets.cli.main import main
from backprop_widgets.explain.assignment import QUANTITIES, grade
from backprop_widgets.explain.assignment_notebook import POINTS

BIN = Path(sys.executable).parent

# A student's numpy, written independently of the notebook's reference solution
FORWARD = """def forward(weights, biases, x):
    zs, activations = [], [x]
    for l in range(len(weights)):
        z = np.dot(weights[l], activations[l]) + biases[l]
        zs.append(z)
        activations.append(sigmoid(z))
    return zs, activations
"""
BACKWARD = """def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def backward(weights, biases, x, y):
    zs, activations = forward(weights, biases, x)
    L = len(weights)
    delta = [None] * L
    grad_W = [None] * L
    grad_b = [None] * L
    delta[-1] = (activations[-1] - y) * sigmoid_prime(zs[-1])
    for l in range(L - 2, -1, -1):
        delta[l] = weights[l + 1].T.dot(delta[l + 1]) * sigmoid_prime(zs[l])
    for l in range(L):
        grad_W[l] = np.outer(delta[l], activations[l])
        grad_b[l] = delta[l]
    return {"delta": delta, "grad_W": grad_W, "grad_b": grad_b}
"""
SIGMA_PRIME_AT_A = BACKWARD.replace("sigmoid_prime(zs[-1])", "sigmoid_prime(activations[-1])").replace(
    "sigmoid_prime(zs[l])", "sigmoid_prime(activations[l + 1])"
)
NO_TRANSPOSE = BACKWARD.replace("weights[l + 1].T.dot", "weights[l + 1].dot")


def student(source: str):
    """The functions a submission's cells define (``sigmoid`` as the notebook gives it)."""
    space = {"np": np, "sigmoid": lambda z: 1 / (1 + np.exp(-z))}
    exec(FORWARD + source, space)  # the test's own fixed text, never user input
    return space["forward"], space["backward"]


def test_grade_gives_credit_per_quantity():
    net, x, y = seed_example()
    seed = ([W.copy() for W in net.weights], [b.copy() for b in net.biases], x, y)
    forward, backward = student(BACKWARD)
    for q in QUANTITIES:
        assert grade(q, forward if q == "forward" else backward).passed
        assert grade(q, forward if q == "forward" else backward, network=seed).passed
    # σ′ at a: BP1 and BP2 are wrong; BP3/BP4 are right for the δ the student has
    _, at_a = student(SIGMA_PRIME_AT_A)
    verdicts = {q: grade(q, at_a) for q in QUANTITIES[1:]}
    assert [v.passed for v in verdicts.values()] == [False, False, True]
    # the seed's δ₁⁽³⁾ = −0.0794 (worked-example.txt); at a: (a − y) σ′(a) = −0.0787
    assert "δ⁽³⁾[0]: expected -0.0794357, got -0.0787293 on the seed network" in verdicts["BP1"].message
    assert "(the mistake 'sigma_prime_of_a')" in verdicts["BP2"].message
    # BP2 is checked against the student's own δ⁽³⁾: the error carried forward is not marked twice
    fixed_bp1 = SIGMA_PRIME_AT_A.replace("sigmoid_prime(activations[-1])", "sigmoid_prime(zs[-1])")
    assert [grade(q, student(fixed_bp1)[1]).passed for q in QUANTITIES[1:]] == [True, False, True]
    wrong_forward = student(BACKWARD)[0]
    assert not grade("forward", lambda W, b, x: wrong_forward(W, [0 * v for v in b], x)).passed
    with pytest.raises(ValueError, match="quantity must be one of"):
        grade("BP5", backward)


def _cells(nb):
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}


def test_the_command_writes_an_nbgrader_source_notebook(tmp_path, capsys):
    out = tmp_path / "source" / "ps1"
    assert main(["assignment", "-o", str(out), "--sizes", "3,2,2,1", "--seed", "7"]) == 0
    nb = nbformat.read(out / "backprop.ipynb", as_version=4)
    nbformat.validate(nb)
    cells = _cells(nb)
    tests = {k: c.metadata.nbgrader for k, c in cells.items() if k and c.metadata.nbgrader["grade"]}
    assert {k: m["points"] for k, m in tests.items()} == dict(
        zip(["test_forward", "test_bp1", "test_bp2", "test_bp3_bp4"], POINTS.values())
    )
    assert all(m["locked"] and not m["solution"] for m in tests.values())
    for k in tests:
        assert "### BEGIN HIDDEN TESTS" in cells[k].source and "### END HIDDEN TESTS" in cells[k].source
    for k in ("forward", "backward"):
        assert cells[k].metadata.nbgrader["solution"] and "### BEGIN SOLUTION" in cells[k].source
    # the network is Network.random([3, 2, 2, 1], seed=7), written out in full
    net = Network.random([3, 2, 2, 1], seed=7)
    space: dict = {}
    given = cells["network"].source.replace("from backprop_widgets.explain.assignment import grade", "")
    exec(given, space)  # the notebook this test just wrote
    for got, want in zip(space["weights"] + space["biases"], net.weights + net.biases):
        np.testing.assert_array_equal(got, want)
    assert any("Dashboard(Network(weights, biases), x, y)" in c.source for c in nb.cells)
    # the reference solution passes its own tests
    ref: dict = {"np": np, "sigmoid": space["sigmoid"]}
    exec(cells["forward"].source + "\n" + cells["backward"].source, ref)
    assert all(grade(q, ref["forward" if q == "forward" else "backward"]).passed for q in QUANTITIES)
    capsys.readouterr()
    # bad options: one line on stderr, exit 2, nothing written
    for argv, words in [
        (["--sizes", "3,x"], "architecture entry 2 is 'x'"),
        (["--sizes", "3,1"], "no hidden layer"),
        (["--seed", "-1"], "--seed must be 0 or more"),
        ([], "exists: choose another -o or pass --force"),
    ]:
        assert main(["assignment", "-o", str(out), *argv]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and words in err, err
    with pytest.raises(SystemExit) as exit_:
        main(["assignment", "-o", str(out), "--seed", "seven"])
    assert exit_.value.code == 2 and capsys.readouterr().err.count("\n") == 1


def nbgrader(course: Path, *args: str) -> None:
    """The venv's nbgrader in ``course`` (its alembic on PATH, as nbgrader runs it)."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [str(BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]


SCORES = """
import json
from nbgrader.api import Gradebook
with Gradebook("sqlite:///gradebook.db") as gb:
    out = {}
    for s in gb.students:
        nb = gb.find_submission("ps1", s.id).notebooks[0]
        out[s.id] = {g.name: g.score for g in nb.grades}
print(json.dumps(out))
"""


def test_nbgrader_generates_and_autogrades_it(tmp_path):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.course_id = "backprop"\n')
    assert main(["assignment", "-o", str(course / "source" / "ps1")]) == 0
    nbgrader(course, "generate_assignment", "ps1")
    release = nbformat.read(course / "release" / "ps1" / "backprop.ipynb", as_version=4)
    text = "\n".join(c.source for c in release.cells)
    assert "HIDDEN TESTS" not in text and "networks=20" not in text and "BEGIN SOLUTION" not in text
    assert "raise NotImplementedError()" in _cells(release)["backward"].source
    submissions = {"alice": BACKWARD, "bob": SIGMA_PRIME_AT_A, "carol": NO_TRANSPOSE, "dave": None}
    for name, backward in submissions.items():
        nb = nbformat.read(course / "release" / "ps1" / "backprop.ipynb", as_version=4)
        if backward is not None:
            _cells(nb)["forward"].source, _cells(nb)["backward"].source = FORWARD, backward
        folder = course / "submitted" / name / "ps1"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "backprop.ipynb")
    nbgrader(course, "autograde", "ps1", "--create")
    nbgrader(course, "generate_feedback", "ps1")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-c", SCORES], cwd=course, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)
    assert scores == {
        "alice": {"test_forward": 2.0, "test_bp1": 2.0, "test_bp2": 2.0, "test_bp3_bp4": 2.0},
        "bob": {"test_forward": 2.0, "test_bp1": 0.0, "test_bp2": 0.0, "test_bp3_bp4": 2.0},
        "carol": {"test_forward": 2.0, "test_bp1": 0.0, "test_bp2": 0.0, "test_bp3_bp4": 0.0},
        "dave": {"test_forward": 0.0, "test_bp1": 0.0, "test_bp2": 0.0, "test_bp3_bp4": 0.0},
    }
    # the feedback each student gets names the mistake, in the graded cells' output
    for name, mistake in [("bob", "sigma_prime_of_a"), ("carol", "no_transpose")]:
        html = (course / "feedback" / name / "ps1" / "backprop.html").read_text(encoding="utf-8")
        assert re.search(rf"the mistake (&#39;|'){mistake}(&#39;|')", html), name
        assert f"Score: {sum(scores[name].values())} / 8.0" in html
        assert "✗ Not yet" in html  # the check cell's verdict: HTML of its own, beside its widget
        graded = nbformat.read(course / "autograded" / name / "ps1" / "backprop.ipynb", as_version=4)
        errors = [o.evalue for c in graded.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert errors and all(f"(the mistake '{mistake}')" in e for e in errors)
    alice = (course / "feedback" / "alice" / "ps1" / "backprop.html").read_text(encoding="utf-8")
    assert "Score: 8.0 / 8.0" in alice and "the mistake" not in alice
    assert "✓ Your backprop is right" in alice
