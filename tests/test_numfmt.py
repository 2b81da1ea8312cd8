"""Numbers as the seed page prints them."""

import numpy as np
import pytest

from backprop_widgets.core import exponent, fixed, fmt, fmt_all, paren, sci, shifted, signed_terms


@pytest.mark.parametrize(
    "value, printed",
    [
        # the page's own numbers, from the seed network's unrounded values
        (0.8997449, "0.8997"),
        (1.2121765, "1.2122"),
        (0.5621765, "0.5622"),
        (0.6215, "0.6215"),
        (-0.0794357, "-0.0794"),
        (-0.00212059, "-0.00212"),
        (-0.00489775, "-0.00490"),
        (-0.00561548, "-0.00562"),
        (-0.0023465, "-0.00235"),
        (0.06105091, "0.0611"),
        # exact values drop trailing zeros but keep one decimal
        (0.25000000000000006, "0.25"),
        (0.5, "0.5"),
        (1.0, "1.0"),
        (-1.0, "-1.0"),
        (0.35, "0.35"),
        (0.1, "0.1"),
        (12.0, "12.0"),
        # floating-point noise is zero, never -0.0000
        (2.7755575615628914e-17, "0.0"),
        (-2.8e-17, "0.0"),
        (0.0, "0.0"),
        (-0.0, "0.0"),
        # at least three significant digits down to 1e-4
        (0.000123456, "0.000123"),
        (-0.00099999, "-0.00100"),
        (0.0099999, "0.0100"),
        (0.0123456, "0.0123"),
        (1234.56789, "1234.5679"),
    ],
)
def test_fixed(value, printed):
    assert fmt(value) == printed


@pytest.mark.parametrize(
    "value, latex, text",
    [
        (3.14159e-5, r"3.14 \times 10^{-5}", "3.14×10⁻⁵"),
        (-6.62e-11, r"-6.62 \times 10^{-11}", "−6.62×10⁻¹¹"),
        (1e-5, r"1.0 \times 10^{-5}", "1.0×10⁻⁵"),
        (2.5e7, r"2.5 \times 10^{7}", "2.5×10⁷"),
    ],
)
def test_scientific_only_for_extreme_magnitudes(value, latex, text):
    assert fmt(value) == latex
    assert fmt(value, unicode=True) == text
    assert sci(value) == latex


def test_unicode_minus():
    assert fmt(-0.00212059, unicode=True) == "−0.00212"
    assert fmt(0.25, unicode=True) == "0.25"


def test_never_negative_zero_and_round_trips_within_half_a_unit():
    rng = np.random.default_rng(0)
    values = np.concatenate(
        [rng.normal(0, 1, 2000) * 10.0 ** rng.integers(-4, 5, 2000), -np.abs(rng.normal(0, 1e-3, 500))]
    )
    for v, s in zip(values, fmt_all(values)):
        assert "e-" not in s and "e+" not in s and "-0.0000" not in s and s != "-0.0"
        if r"\times" in s:
            mantissa, exponent = s.split(r" \times 10^")
            back = float(mantissa) * 10.0 ** int(exponent.strip("{}"))
            assert abs(back - v) <= 0.005 * 10.0 ** int(exponent.strip("{}")) + 1e-300
            continue
        d = len(s.split(".")[1])
        assert abs(float(s) - v) <= 0.5 * 10.0**-d + 1e-12, (v, s)
        # at least 3 significant digits (an exact value may print shorter: 0.25)
        digits = s.lstrip("-").replace(".", "").lstrip("0")
        assert len(digits) >= 3 or abs(float(s) - v) < 1e-12, (v, s)


def test_fmt_all_matrix_in_c_order():
    assert fmt_all(np.array([[0.1, 0.2], [-0.3, 0.25]])) == ["0.1", "0.2", "-0.3", "0.25"]


def test_helpers():
    assert paren("-0.3494") == "(-0.3494)" and paren("0.2273") == "0.2273"
    assert signed_terms(["0.1", "0.1", "-0.3", "0.1"]) == "0.1 + 0.1 - 0.3 + 0.1"
    assert signed_terms(["-0.00343", "-0.00505"]) == "-0.00343 - 0.00505"


def test_paren_wraps_scientific_notation_for_use_as_a_factor_or_base():
    assert paren(r"1.67 \times 10^{-5}") == r"(1.67 \times 10^{-5})"
    assert paren("1.67×10⁻⁵") == "(1.67×10⁻⁵)"


@pytest.mark.parametrize(
    "x, step, printed",
    [
        (0.1, 1e-5, "0.10001"),
        (0.1, -1e-5, "0.09999"),
        (0.0, 1e-5, "0.00001"),
        (0.0, -1e-5, "-0.00001"),
        (-0.0, 1e-5, "0.00001"),
        (-1e-5, 1e-5, "0.0"),
        (12.0, 1e-5, "12.00001"),
        (-5.101445849987346, 1e-5, "-5.10143584998735"),  # 15 significant digits
        (2.01e-6, -1e-5, "-0.00000799"),
        (1e6, 1e-5, "1000000.00001"),
        (3.0, 0.5, "3.5"),
    ],
)
def test_shifted_is_the_exact_decimal_sum_never_e_notation(x, step, printed):
    assert shifted(x, step) == printed


@pytest.mark.parametrize(
    "x, decimals, printed",
    [
        (-1e-35, 7, "0.0000000"),
        (-0.0, 3, "0.000"),
        (-0.00049, 3, "0.000"),
        (-0.0005001, 3, "-0.001"),
        (0.06105089699, 11, "0.06105089699"),
        (-2.5, 2, "-2.50"),
    ],
)
def test_fixed_never_prints_negative_zero(x, decimals, printed):
    assert fixed(x, decimals) == printed


def test_exponent_of_zero():
    assert exponent(0.0) == "0" and exponent(-0.0) == "0" and exponent(-0.25) == "-0.25"
