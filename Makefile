# The Back-propagation Algorithm: build, check and hand in.
# Run `make help` for the entry points. Every target sets up .venv itself.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := $(CURDIR)
export MPLBACKEND := Agg
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup test lint submit bench results figures html report clean distclean

BUILD := report/build
RESULTS := $(BUILD)/results.json
# What the numbers depend on: the settings, the data and the code computing them.
RESULTS_INPUTS := report/settings.toml assignment/data/iris.csv $(wildcard assignment/engine/*.py) \
  $(addprefix assignment/,backprop.py tools.py experiments.py settings.py \
    verification.py handout_examples.py atomic.py)

help: ## List the entry points
	@echo "Usage: make TARGET"
	@echo
	@awk -F ':.*## ' '/^[a-zA-Z_-]+:.*## / { printf "  %-10s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

# The virtual environment is a real file target: it is rebuilt only when
# the pinned dependencies change.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "error: Python 3.11 or newer is needed as '$(PYTHON)' (found: $$($(PYTHON) --version 2>&1)). Install it, or run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-input -r requirements.lock
	touch $@

setup: $(STAMP) ## Create .venv with the pinned dependencies (the other targets do this themselves)

test: $(STAMP) ## Run every check: the test suite, then the style checks
	$(PY) -m pytest
	@$(MAKE) --no-print-directory lint

lint: $(STAMP) ## Check style with ruff
	$(VENV)/bin/ruff check assignment tests
	$(VENV)/bin/ruff format --check assignment tests

submit: $(PDF) $(STAMP) ## Check the graded file as a grader would, then write report/submission/
	$(PY) -m assignment.submit

FIGURES := $(BUILD)/figures/.stamp
HTML := $(BUILD)/report.html
PDF := report/report.pdf
TEMPLATES := $(wildcard templates/*.j2 templates/discussion/*.j2)

report: $(PDF) ## Build report/report.pdf (runs only the steps whose inputs changed)

results: $(RESULTS) ## Run Section 2.3 and the study (writes report/build/results.json)

figures: $(FIGURES) ## Draw the figures from the results (report/build/figures/)

html: $(HTML) ## Render the HTML preview (report/build/report.html)

# The pipeline, as real files: results -> figures -> HTML -> PDF.
$(RESULTS): $(RESULTS_INPUTS) $(STAMP)
	$(PY) -m assignment.experiments

$(FIGURES): $(RESULTS) assignment/figures.py $(STAMP)
	$(PY) -m assignment.figures
	@touch $@

$(HTML): $(RESULTS) $(FIGURES) $(TEMPLATES) assignment/report.py assignment/facts.py $(STAMP)
	$(PY) -m assignment.report html

$(PDF): $(HTML) templates/report.css
	$(PY) -m assignment.report pdf

bench: $(STAMP) ## Time the engine against the graded loop (writes report/build/bench.json)
	$(PY) -m assignment.bench

clean: ## Remove everything built (keeps .venv; `make distclean` removes it too)
	rm -rf report/build report/report.pdf report/submission .pytest_cache .ruff_cache .hypothesis

distclean: clean ## Remove everything built, .venv included
	rm -rf $(VENV)
