"""The comparison with recordings (tests/recorded.py) lets the machine's last bit through and
nothing else: a word, a printed digit, a number's place or size."""

from recorded import differences, value


def test_numbers_as_the_page_writes_them():
    assert value("−0.0794") == -0.0794 and value("1e-05") == 1e-05
    assert value("3.43 \\times 10^{-12}") == 3.43e-12 and value("1.5×10⁻¹¹") == 1.5e-11


def test_the_last_bit_and_the_checks_noise_pass():
    assert differences({"a": "= 0.5827399999999999", "b": [0.1 + 0.2]}, {"a": "= 0.58274", "b": [0.3]}) == []
    noise_now = "= 3.43 \\times 10^{-12} < 10^{-5} \\quad \\checkmark"
    noise_was = "= 1.98 \\times 10^{-11} < 10^{-5} \\quad \\checkmark"
    assert differences(noise_now, noise_was) == []
    assert differences("<td>1.5×10⁻¹¹</td>", "<td>9.0×10⁻¹³</td>") == []


def test_a_changed_word_digit_place_or_size_is_a_difference():
    assert differences("δ₁⁽³⁾ = −0.0794", "δ₁⁽³⁾ = −0.0795")  # a printed digit
    assert differences("δ₁⁽³⁾ = −0.0794", "δ₁⁽²⁾ = −0.0794")  # the text
    assert differences("= 5.7×10⁻⁸", "= 5.7×10⁻⁶")  # a size, above the noise
    assert differences("= 1e-08 < 10^{-5}", "= 1e-12 < 10^{-5}")  # noise on one side only
    assert differences([0.1, 0.2], [0.1])  # a number more
    assert differences({"x": 1.0}, {"x": 1.0000001})
    assert differences({"x": 1}, {"y": 1})
