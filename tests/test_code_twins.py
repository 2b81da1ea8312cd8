"""The page as code (issue 25): the ``numpy`` and ``torch`` exports are scripts that run on their
own, in a process of their own, and print every number of the page; the numbers they print are
the core's (numpy to 1e-12, torch to 1e-10), on the seed and on 100 random networks covering
every hidden × output × loss the core accepts, saturated ones included.

Tolerance: relative to the largest entry of each printed quantity (a saturated unit's σ′ of
1e-30 beside one of 0.2 is compared at the scale of 0.2), and to the scale of the loss's inputs
(a − y of order 1) for an output error whose every entry is below rounding: float64's a − y is
exact to 2⁻⁵³ of 1, not of its tiny result, in torch's autograd as in any textbook form."""

import base64
import importlib.util
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from combos import allowed

from backprop_widgets import Network, seed_example, worked_example
from backprop_widgets.cli.main import main
from backprop_widgets.core import ACTIVATIONS, HIDDEN_ACTIVATIONS, LOSSES, default_sample
from backprop_widgets.explain.render.code_lines import NO_CODE, expected, read_printed
from backprop_widgets.explain.render.formats import FORMATS, format_for

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(
    not HAS_TORCH and not IN_CI, reason="torch is not installed (the test extra has it; CI=true makes this fail)"
)
TOLERANCE = {"numpy": 1e-12, "torch": 1e-10}
#: σ′'s rounding floor (see :func:`scales`): numpy's σ′ is computed from z, torch's from a
SLOPE_FLOOR = {"numpy": 0.0, "torch": 1e-5}
COMBOS = [(h, o, l) for h in HIDDEN_ACTIVATIONS for o in ACTIVATIONS for l in LOSSES if allowed(h, o, l)]


def run_script(text: str, path) -> str:
    """Run a script on its own, with the venv's python, in a fresh process; its stdout."""
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, cwd=path.parent)
    assert done.returncode == 0, f"{path.name} failed:\n{done.stderr}"
    return done.stdout


def scales(t, slope_floor: float) -> dict[str, np.ndarray]:
    """The scale each printed quantity is compared at: the quantity itself, except where float64
    rounds to 2⁻⁵³ of a larger number than the result. a − y is exact to 2⁻⁵³ of |a| + |y|, not of
    a saturated output's tiny difference; a σ′ computed from the rounded a (torch's sigmoid and
    tanh backward: a(1 − a), 1 − a²) to 2⁻⁵³ of 1, hence ``slope_floor`` (0 where σ′ is computed
    from z); ln Σe^(z − max z) to 2⁻⁵³ of 1 + |z − max z|. The backward pass carries these
    scales as it carries δ, with |W| and |σ′| (+ ``slope_floor``)."""
    L = t.L
    out = {f"z{l}": np.abs(t.z[l]) for l in range(1, L + 1)} | {f"a{l}": np.abs(t.a[l]) for l in range(1, L + 1)}
    spread = 1 + np.abs(t.z[L] - t.z[L].max())
    out["loss"] = np.array(abs(t.loss) + np.sum(np.abs(t.y) * spread) + np.sum((np.abs(t.a[L]) + np.abs(t.y)) ** 2))
    d = np.abs(t.delta[L]) + (np.abs(t.a[L]) + np.abs(t.y)) * np.maximum(
        np.abs(t.sigma_prime[L]) + slope_floor, 1.0 if t.bp1_form != "hadamard" else 0.0
    )
    for l in range(L, 0, -1):
        if l < L:
            d = np.abs(t.delta[l]) + (np.abs(t.weights[l]).T @ d) * (np.abs(t.sigma_prime[l]) + slope_floor)
        out[f"delta{l}"] = out[f"grad_b{l}"] = d
        out[f"grad_W{l}"] = np.outer(d, np.abs(t.a[l - 1]))
    return out


def mismatches(printed: dict, we, rtol: float, slope_floor: float = 0.0) -> list[str]:
    """The printed quantities that differ from the core's by more than ``rtol`` of their scale
    (:func:`scales`, at the largest entry of each), and any the script did not print."""
    want = expected(we.trace, we.param)
    assert set(printed) == set(want), f"printed {sorted(printed)}, the page has {sorted(want)}"
    scale = scales(we.trace, slope_floor)
    bad = []
    for name, value in want.items():
        w, g = np.asarray(value, float), np.asarray(printed[name], float)
        if g.shape != w.shape:
            bad.append(f"{name}: shape {g.shape}, expected {w.shape}")
            continue
        s = max(float(np.max(scale.get(name.partition("[")[0], np.abs(w)))), 1e-300)
        err = float(np.abs(g - w).max()) / s
        if not err <= rtol:
            bad.append(f"{name}: printed {g.tolist()}, the core has {w.tolist()} (error {err:.2e} of its scale)")
    return bad


def random_case(i: int):
    """Network i of 100: the combinations in turn, sizes growing, every third one saturated."""
    rng = np.random.default_rng(1000 + i)
    hidden, out, loss = COMBOS[i % len(COMBOS)]
    depth = 1 + i % 3
    sizes = [int(n) for n in rng.integers(1, 5, size=depth + 1)]
    sizes[-1] = max(sizes[-1], 2) if ACTIVATIONS[out].coupled else sizes[-1]
    base = Network.random(sizes, seed=i, activation=hidden, output_activation=out, loss=loss)
    scale = 25.0 if i % 3 == 0 else 1.0 + (i % 4)
    net = Network([W * scale for W in base.weights], [b * scale for b in base.biases], hidden, out, loss)
    x = rng.uniform(-2, 2, sizes[0])
    onehot = np.eye(sizes[-1])[i % sizes[-1]]
    y = onehot if LOSSES[loss].targets is not None or ACTIVATIONS[out].coupled else rng.uniform(-1, 1, sizes[-1])
    params = list(net.parameters())
    return worked_example(net, x, y, traced=params[int(rng.integers(len(params)))])


def check_all(lib: str, examples, tmp_path) -> None:
    def one(k_we):
        k, we = k_we
        return mismatches(
            read_printed(run_script(we.to_code(lib), tmp_path / f"net{k}_{lib}.py")),
            we,
            TOLERANCE[lib],
            SLOPE_FLOOR[lib],
        )

    with ThreadPoolExecutor(2) as pool:  # each script in its own process; two at a time
        results = list(pool.map(one, enumerate(examples)))
    failures = [f"net {k} ({ex.net!r}, {ex.param}): {bad}" for k, (ex, bad) in enumerate(zip(examples, results)) if bad]
    assert failures == []


def test_the_random_nets_cover_every_combination_and_saturate():
    examples = [random_case(i) for i in range(100)]
    seen = {(we.net.activation, we.net.output_activation, we.net.loss_name) for we in examples}
    assert set(COMBOS) <= seen and len(COMBOS) >= 10
    # saturated: some hidden σ′ or output slope far below its largest possible value
    assert sum(any(np.abs(sp).min() < 1e-8 for sp in we.trace.sigma_prime[1:]) for we in examples) >= 10


@pytest.mark.parametrize("lib", ["numpy", pytest.param("torch", marks=needs_torch)])
def test_the_seed_scripts_print_the_pages_numbers(lib, tmp_path):
    net, x, y = seed_example()
    we = worked_example(net, x, y)
    text = we.to_code(lib)
    assert len(text.splitlines()) <= 80
    out = run_script(text, tmp_path / "seed.py")
    printed = read_printed(out)
    assert mismatches(printed, we, TOLERANCE[lib], SLOPE_FLOOR[lib]) == []
    # the seed page's numbers (the seed worked example, as printed): δ₁⁽³⁾ = −0.0794, ∂L/∂w₁,₁⁽¹⁾ = −0.00212
    assert round(printed["delta3"][0], 4) == -0.0794 and round(printed["grad_W1[0, 0]"], 5) == -0.00212
    assert round(printed["loss"], 4) == 0.0611 and printed["a2"][1] == pytest.approx(0.7707, abs=5e-5)
    # one block per step, named as the page names it
    assert "# BP2 · error propagation: δ⁽¹⁾ = ((W⁽²⁾)ᵀ δ⁽²⁾) ⊙ σ′(z⁽¹⁾)" in text
    assert "# BP1 · output error: δ⁽³⁾ = ∇ₐ L ⊙ σ′(z⁽³⁾)" in text


def test_numpy_scripts_of_100_random_nets(tmp_path):
    check_all("numpy", [random_case(i) for i in range(100)], tmp_path)


@needs_torch
def test_torch_scripts_of_100_random_nets(tmp_path):
    check_all("torch", [random_case(i) for i in range(100)], tmp_path)


def test_saturated_cross_entropy_is_written_from_z(tmp_path):
    # a = σ(40) rounds to 1.0 and y = 0: ln(1 − a) = ln 0 would make L infinite; from z, L = 40
    net = Network([[[40.0]]], [[0.0]], "sigmoid", "sigmoid", "cross_entropy")
    we = worked_example(net, [1.0], [0.0])
    for lib in ["numpy"] + (["torch"] if HAS_TORCH or IN_CI else []):
        text = we.to_code(lib)
        assert "ln(1 − a) would be ln 0 = −inf once a rounds to 1.0" in text
        printed = read_printed(run_script(text, tmp_path / f"ce_{lib}.py"))
        assert printed["loss"] == pytest.approx(40.0, rel=1e-15) and printed["delta1"] == pytest.approx([1.0])


def test_the_formats_are_registered_for_export_and_the_export_tab(tmp_path, capsys):
    assert {"numpy", "torch"} <= set(FORMATS)
    assert format_for("seed.py").name == "numpy" and format_for("seed.torch.py").name == "torch"
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "md, html, tex, numpy or torch" in " ".join(capsys.readouterr().out.split())
    out = tmp_path / "deep.py"
    assert main(["export", "--sizes", "3,3,2", "--random", "4", "--traced", "b2,1", "-o", str(out)]) == 0
    printed = read_printed(run_script(out.read_text(encoding="utf-8"), out))
    net = Network.random([3, 3, 2], seed=4)
    x, y = seed_example()[1], default_sample(net)[1]  # the seed page's x fits 3 inputs
    we = worked_example(net, x, y, traced="b2,1")
    assert mismatches(printed, we, TOLERANCE["numpy"]) == []


def test_an_activation_without_a_code_twin_is_refused(monkeypatch):
    from test_registry import SOFTPLUS

    monkeypatch.setitem(ACTIVATIONS, "softplus", SOFTPLUS)
    net = Network.random([2, 2, 1], seed=1, activation="softplus", output_activation="linear")
    we = worked_example(net, [0.5, -0.5], [1.0])
    with pytest.raises(ValueError, match="softplus activation .* has no code twin"):
        we.to_code("numpy")
    with pytest.raises(ValueError, match='lib must be "numpy" or "torch"'):
        we.to_code("jax")


def test_the_export_tab_offers_the_scripts():
    from test_export_format import export_tab

    tab = export_tab()
    tab.format.value = "torch"
    links = dict(re.findall(r"<a download='([^']+)' href='data:text/x-python;base64,([^']+)'", tab.download.value))
    assert sorted(links) == [f"backprop-{w}-w1-1-1.torch.py" for w in ("answer-key", "exercise-sheet", "handout")]
    text = {name: base64.b64decode(v).decode() for name, v in links.items()}
    assert text["backprop-handout-w1-1-1.torch.py"] == worked_example(*seed_example()).to_code("torch")
    assert text["backprop-exercise-sheet-w1-1-1.torch.py"] == NO_CODE  # its numbers are the student's
    assert "loss.backward()" in text["backprop-answer-key-w1-1-1.torch.py"]


def test_a_new_activation_brings_its_code_form(monkeypatch, tmp_path):
    # softsign a = z / (1 + |z|), σ′ = 1 / (1 + |z|)²: its entry carries its code, nothing else does
    from dataclasses import replace

    from test_registry import SOFTSIGN

    from backprop_widgets.core.code_forms import ActivationCode

    code = ActivationCode("z / (1 + np.abs(z))", "1 / (1 + np.abs(z)) ** 2", "torch.nn.functional.softsign({z})")
    monkeypatch.setitem(ACTIVATIONS, "softsign", replace(SOFTSIGN, code=code))
    net = Network.random([2, 3, 1], seed=3, activation="softsign", output_activation="softsign")
    we = worked_example(net, [0.5, -0.5], [0.3], traced="w1,2,1")
    text = we.to_code("numpy")
    assert "    return z / (1 + np.abs(z))" in text and "    return 1 / (1 + np.abs(z)) ** 2" in text
    assert mismatches(read_printed(run_script(text, tmp_path / "softsign.py")), we, TOLERANCE["numpy"]) == []
