# Two commands: `make run` and `make test`. Each builds .venv from nothing.
# `make run` installs the core only; `make test` adds the test and spark extras and a Chromium for the map tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORE := $(VENV)/.installed-core
FULL := $(VENV)/.installed-test
# setuptools announces every editable install with an "Editable installation" notice (its InformationOnly
# category: "not a warning", in its own words); it is the only line an install would print, so it is silenced.
PIP_INSTALL := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet

.PHONY: run test install browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(CORE): pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $(CORE)

$(FULL): pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e ".[test,spark]"
	touch $(CORE) $(FULL)

install: $(FULL)

browser: $(FULL)
	$(BIN)/python tests/browser/provision.py

run: $(CORE)
	$(BIN)/influence run

test: $(FULL) browser
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) outputs/*.csv outputs/*.json outputs/*.html outputs/maps outputs/report outputs/screenshots
