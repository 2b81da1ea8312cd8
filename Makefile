# The two commands the README promises: `make dashboard` and `make test`.
# Both create .venv (Python >= 3.11) on first use and install the project into it.
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dashboard test bench clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.11 not found (set PYTHON=...)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml .ci/constraints.txt
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c .ci/constraints.txt -e '.[test]'
	touch $(STAMP)

dashboard: $(STAMP)
	$(BIN)/backprop-widgets serve $(ARGS)

# npm packages the tests use, installed into .venv/node_modules by one npm call (a second
# `npm install --no-save` into the same prefix removes what the first one installed):
# axe-core runs the accessibility audit inside the browser tests; configurable-http-proxy is
# JupyterHub's proxy (tests/test_jupyterhub.py). CHP 5.3 needs Node.js >= 22 (commander 15).
AXE_VERSION := 4.14.1
CHP_VERSION := 5.2.0
NODE_STAMP := $(VENV)/node_modules/.installed-axe-$(AXE_VERSION)-chp-$(CHP_VERSION)

$(NODE_STAMP): | $(BIN)/python
	@command -v npm >/dev/null || { echo "error: npm not found (apt-get install npm); the tests need axe-core and configurable-http-proxy from npm" >&2; exit 1; }
	npm install --prefix $(VENV) --no-save --no-package-lock --no-audit --no-fund \
		axe-core@$(AXE_VERSION) configurable-http-proxy@$(CHP_VERSION)
	touch $@

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .venv-binder .pytest_cache test-results
