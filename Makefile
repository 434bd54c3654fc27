# Two commands do all set-up: `make lab` opens the course, `make test` runs the whole suite.
# Both create .venv on first use and reinstall only when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# Extra JupyterLab options, e.g. LAB_ARGS="--no-browser" on a server.
LAB_ARGS ?=
# Tests write learner progress into a throwaway home, never into ~/.il2edu.
TEST_ENV = IL2EDU_HOME="$$(mktemp -d)"
# JupyterLab refuses to start as root unless told; CI and containers run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab site test test-unit test-notebooks test-e2e test-site bench validate clean-notebooks clean help

help:
	@echo "make lab    - set up .venv and open the course in JupyterLab"
	@echo "make test   - set up .venv and run unit tests, nbval on every notebook, browser tests"
	@echo "make bench  - run the shipped benchmark (il2edu bench --lessons)"
	@echo "make site   - build the course's website into docs/site/_build/html"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-lab

lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab $(ROOT_FLAG) --port $(PORT) --ServerApp.root_dir=$(CURDIR) \
		--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb $(LAB_ARGS)

# One pytest run, so one summary line; tests/conftest.py orders it: unit tests, then nbval over
# every notebook, then the browser tests (skipped with a clear message when chromium is absent).
test: $(VENV)/.installed-test
	$(TEST_ENV) $(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env --nbval-cell-timeout=300

test-unit: $(VENV)/.installed-test
	$(TEST_ENV) $(BIN)/python -m pytest tests --ignore=tests/e2e

test-notebooks: $(VENV)/.installed-test
	$(TEST_ENV) $(BIN)/python -m pytest notebooks --nbval-lax --nbval-current-env --nbval-cell-timeout=300

# The website: every lesson executed as a learner's copy (cached in docs/site/_build/executed), then Sphinx.
# -n -W: a citation or glossary link that does not resolve fails the build.
SITE_OUT := docs/site/_build/html
site: $(VENV)/.installed-test
	$(BIN)/python -m sphinx -b html -q -n -W --keep-going docs/site $(SITE_OUT)

test-site: $(VENV)/.installed-test
	$(TEST_ENV) $(BIN)/python -m pytest tests/e2e/test_site.py

test-e2e: $(VENV)/.installed-test
	$(TEST_ENV) $(BIN)/python -m pytest tests/e2e

validate: $(VENV)/.installed-lab
	$(BIN)/il2edu validate

bench: $(VENV)/.installed-lab
	$(BIN)/il2edu bench --lessons

# Notebooks are committed with outputs cleared (see README, "For contributors").
clean-notebooks: $(VENV)/.installed-lab
	$(BIN)/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache docs/site/_build
