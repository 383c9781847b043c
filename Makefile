# 年报助手 — `make run`, `make test` and the fast loop `make check`. All install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test processes for `make check` (pytest-xdist).
JOBS ?= 2
CODE := assistant tests benchmarks evals corpus

.PHONY: install run test check lint types evals readme scoreboard clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project's declared dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Builds the default retrieval index (only new or changed corpus files), then opens the UI.
run: install
	$(BIN)/nianbao index build
	$(BIN)/nianbao ui --host 127.0.0.1 --port 7860

lint: install
	$(BIN)/ruff check $(CODE)

# Strict for assistant/model, assistant/parse and assistant/check, the normal level elsewhere (pyproject.toml).
types: install
	$(BIN)/mypy

# Every eval suite, once: a missed threshold fails here, with the scoreboard in the log.
evals: install
	$(BIN)/nianbao eval --suite all

# Everything CI runs: lint, types, the eval suites, then the whole test suite (its summary is the last line).
test: lint types evals
	$(BIN)/python -m pytest

# The fast loop while working: lint, types and every test not marked slow.
check: lint types
	$(BIN)/python -m pytest -m "not slow" -n $(JOBS)

# README's configuration table, from assistant/settings.py (a test checks they agree).
readme: install
	$(BIN)/python -m assistant.settings --write README.md

# The scoreboard is committed, so its figures change only when someone reruns this.
scoreboard: install
	$(BIN)/nianbao eval --suite all --format markdown --out evals/SCOREBOARD.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
