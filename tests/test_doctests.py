"""The examples in the package's docstrings run, and hold: ``make test`` runs them here.

Every module is imported and searched, so a new docstring example is a test without registering it.
"""

import doctest
import importlib
import pkgutil

import pytest

import backprop_widgets


def modules() -> list[str]:
    """Every module of the package (voila's server-side modules too)."""
    found = pkgutil.walk_packages(backprop_widgets.__path__, prefix="backprop_widgets.")
    return sorted(m.name for m in found)


def with_examples() -> list[str]:
    names = []
    for name in modules():
        tests = doctest.DocTestFinder().find(importlib.import_module(name))
        if any(t.examples for t in tests):
            names.append(name)
    return names


def test_the_package_has_docstring_examples():
    """The search finds the modules known to hold examples (it is not silently finding none)."""
    assert {"backprop_widgets.core.numfmt", "backprop_widgets.explain.walkthrough"} <= set(with_examples())


@pytest.mark.parametrize("name", with_examples())
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name), verbose=False, report=True)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see above)"
