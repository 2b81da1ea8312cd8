"""The "Gradient check" tab: backprop against centred differences, for every parameter."""

from __future__ import annotations

import ipywidgets as W

from ...core import CHECK_THRESHOLD, VERDICTS, check_gradient, power_of_ten, sci, sig
from ..controls import label_of
from ..markup import check_css
from . import Tab, register


@register
class GradientCheckTab(Tab, name="check", title="Gradient check"):
    def build(self) -> None:
        self.widget = self.gradcheck = W.HTML()
        self.gradcheck.add_class("bpw-table")
        self.gradcheck.add_class("bpw-gradcheck")

    def render(self) -> None:
        self.gradcheck.value = gradient_check_html(self.state)


def gradient_check_html(state) -> str:
    """Analytic (backprop) against numerical (centred differences) for every parameter."""
    net, trace = state.network, state.trace
    gW, gb = net.numerical_gradient(state.x, state.y)
    rows, checks = [], []
    for p in net.parameters():
        c = check_gradient(trace, p, float((gW[p.l] if p.is_weight else gb[p.l])[p.index]))
        checks.append(c)
        rows.append(
            f"<tr><td style='text-align:left'>{label_of(str(p))}</td><td>{sig(c.analytic)}</td>"
            f"<td>{sig(c.numerical)}</td><td>{sci(c.relative_error, True, 2)}</td>"
            f"<td class='{check_css(c.verdict)}'>{c.mark} {c.verdict.words}</td></tr>"
        )
    below = [c.relative_error for c in checks if c.relative_error < CHECK_THRESHOLD]
    worst = max(below) if below else 0.0
    n_ok = sum(c.passed for c in checks)
    if n_ok == len(checks):
        summary = (
            f"All {len(checks)} gradients agree (largest relative error "
            f"{sci(worst, True, 2)} "
            f"&lt; {power_of_ten(CHECK_THRESHOLD, unicode=True)})."
        )
    else:  # then each verdict that did not pass, by how many checks it has
        summary = f"{n_ok} of {len(checks)} gradients agree."
        for v in VERDICTS.values():
            n = sum(c.verdict == v for c in checks)
            if n and v.tally:
                summary += " " + v.tally.format(n=n)
    return (
        f"<p>{summary} Numerical: (L(θ+ε) − L(θ−ε)) / 2ε with ε = 10⁻⁵; relative error "
        "|g − ĝ| / (|g| + |ĝ|); “too small to check”: the two differ by less than the centred "
        "difference's own error at this ε.</p><table><tr><th>parameter</th><th>backprop</th>"
        "<th>numerical</th><th>relative error</th><th></th></tr>" + "".join(rows) + "</table>"
    )
