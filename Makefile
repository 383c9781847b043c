# 年报助手 — two commands: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test scoreboard clean

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

test: install
	$(BIN)/python -m pytest

# Every eval suite over the reference (and, when present, the real) reports; the
# scoreboard is committed, so its figures change only when someone reruns this.
scoreboard: install
	$(BIN)/nianbao eval --suite all --format markdown --out evals/SCOREBOARD.md

clean:
	rm -rf $(VENV) .pytest_cache
