"""The gradient check as the page shows it, over recorded cases: what ``test_verdict.py`` compares
with ``data/verdict_views.json`` (written from the code before the ``Verdict`` record:
``python tests/verdict_cases.py > tests/data/verdict_views.json``).

Each case is a network, a sample and a traced parameter; one of each verdict: agree (the seed
page, a tanh/softmax/cross-entropy net, a random [4,3,3,2] ReLU net), too small to check (the
seed with w₁,₁⁽¹⁾ = 30), kink (the seed's weights with ReLU: z₁⁽¹⁾ = 0), and disagree (a
backprop made wrong by 1.5×, for every parameter).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from unittest import mock

import numpy as np

from backprop_widgets.app.header import Header
from backprop_widgets.app.state import State
from backprop_widgets.app.tabs.check import gradient_check_html
from backprop_widgets.core import Network, check_gradient, seed_example


def cases() -> dict:
    net, x, y = seed_example()
    rng = np.random.default_rng(7)
    random = Network.random([4, 3, 3, 2], activation="relu", output_activation="sigmoid", seed=3)
    ce = Network.random([3, 4, 3], activation="tanh", output_activation="softmax", loss="cross_entropy", seed=5)
    return {
        "seed": (net, x, y, "w1,1,1", False),
        "softmax-ce": (ce, [0.3, -0.7, 1.2], [0.0, 1.0, 0.0], "w2,3,2", False),
        "random-relu": (random, rng.normal(size=4).round(3).tolist(), [1.0, 0.0], "b2,1", False),
        "rounding": (net.with_param("w1,1,1", 30.0), x, y, "w1,1,1", False),
        "kink": (
            Network(net.weights, net.biases, activation="relu", output_activation="sigmoid"),
            x,
            y,
            "w1,1,1",
            False,
        ),
        "disagree": (net, x, y, "w2,1,2", True),
    }


@contextmanager
def wrong_backprop(on: bool):
    """Every check sees backprop's gradient 1.5 times too large (``on``), else nothing changes."""
    if not on:
        yield
        return

    def wrong(trace, param, numerical, *args, **kwargs):
        return check_gradient(trace, param, numerical * (2 / 3) - 1e-3, *args, **kwargs)

    with (
        mock.patch("backprop_widgets.explain.walkthrough.check_gradient", wrong),
        mock.patch("backprop_widgets.app.tabs.check.check_gradient", wrong),
    ):
        yield


def views(net, x, y, target, wrong) -> dict:
    """Everything the page shows about the check: the header, the tab, the worked step."""
    with wrong_backprop(wrong):
        state = State()
        state.replace_network(net, x, y, traced=target)
        header = Header(state, lambda _: None)
        step = state.worked.step("check")
        return {
            "status": state.worked.check.status,
            "message": state.worked.check.message,
            "header": header.check_value.value,
            "tab": gradient_check_html(state),
            "step": [step.text, [[p.caption, p.latex] for p in step.parts], step.result],
        }


def record() -> dict:
    return {name: views(*case) for name, case in cases().items()}


if __name__ == "__main__":
    print(json.dumps(record(), ensure_ascii=False, indent=1))
