# The Back-propagation Algorithm: build, check and hand in.
# Run `make help` for the entry points. Every target sets up .venv itself.
#
# The layout (also in report/paths.py, which the Python code uses):
#   assignment/           the hand-in: backprop.py (handed in as template.py), tools.py, data/
#   report/               the pipeline package, and report/settings.toml (yours to edit)
#   templates/            the report's structure, layout and discussion (yours to edit)
#   build/                everything generated; `make clean` removes it

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := $(CURDIR)
export MPLBACKEND := Agg
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup test lint check submit bench results figures html preview report clean distclean

BUILD := build
SETTINGS := report/settings.toml
RESULTS := $(BUILD)/results.json
# Every figure is a file target; the names are defined once, in report/paths.py.
# The venv's Python first: it starts at once, where `python3` may be a shim
# (pyenv's costs 0.15 s, on every make). Quietly: an old or missing
# $(PYTHON) is reported once, by the .venv rule.
FIGURES := $(or $(shell $(PY) report/paths.py figures 2>/dev/null),$(shell $(PYTHON) report/paths.py figures 2>/dev/null))
HTML := $(BUILD)/report.html
PDF := $(BUILD)/report.pdf
TEMPLATES := $(wildcard templates/*.j2 templates/discussion/*.j2)
# What the numbers depend on: the settings, the data and the code computing them.
RESULTS_INPUTS := $(SETTINGS) assignment/data/iris.csv \
  $(addprefix assignment/,backprop.py tools.py handout_examples.py) \
  $(addprefix report/,paths.py protocol.py settings.py engine.py engine_stack.py experiments.py verification.py atomic.py)

help: ## List the entry points
	@echo "Usage: make TARGET"
	@echo
	@awk -F ':.*## ' '/^[a-zA-Z_-]+:.*## / { printf "  %-10s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

# The virtual environment is a real file target: it is rebuilt when the
# pinned dependencies change, and when it no longer works (its Python gone
# or a package missing), whatever the stamp's date.
VENV_CHECK := import importlib.util as u, sys; \
  sys.exit(any(u.find_spec(m) is None for m in ("numpy", "scipy", "matplotlib", "jinja2", "weasyprint", "pytest")))
ifneq ($(wildcard $(STAMP)),)
ifneq ($(shell $(PY) -c '$(VENV_CHECK)' >/dev/null 2>&1 && echo ok),ok)
$(info note: $(VENV)/ is broken (its Python does not run or a package is missing): recreating it)
$(STAMP): FORCE
endif
endif
.PHONY: FORCE
FORCE:

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || \
	  { echo "error: Python 3.11 or newer is needed as '$(PYTHON)' (found: $$($(PYTHON) -c 'import sys; print("Python " + sys.version.split()[0])' 2>/dev/null || echo no such program)). Install it, or run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-input -r requirements.lock
	@$(PY) -c '$(VENV_CHECK)' || { echo "error: $(VENV)/: the installed packages do not import: run \`make distclean setup\`" >&2; exit 1; }
	touch $@

setup: $(STAMP) ## Create .venv with the pinned dependencies (the other targets do this themselves)

test: $(STAMP) ## Run every check: the test suite, then the style checks
	$(PY) -m pytest
	@$(MAKE) --no-print-directory lint

lint: $(STAMP) ## Check style with ruff
	$(VENV)/bin/ruff check assignment report tests
	$(VENV)/bin/ruff format --check assignment report tests

report: $(PDF) ## Build build/report.pdf (runs only the steps whose inputs changed)

results: $(RESULTS) ## Run Section 2.3 and the study (writes build/results.json)

figures: $(FIGURES) ## Draw the figures from the results (build/figures/)

html: $(HTML) ## Render the HTML preview (build/report.html)

PORT ?= 8000
preview: $(STAMP) ## Live preview at http://127.0.0.1:8000/: rebuilt and reloaded on every save; Ctrl-C stops
	@$(PY) -m report.preview --port $(PORT)

# A source that is missing (deleted, or a broken link): one line saying how to
# get it back, instead of make's "No rule to make target". (When it exists,
# it has no prerequisites, so this never runs; .PRECIOUS: never deleted.)
SOURCES := $(RESULTS_INPUTS) templates/report.css
.PRECIOUS: $(SOURCES)
$(SOURCES):
	@echo "error: $@: not found (deleted, or a broken link): restore it with \`git checkout -- $@\`" >&2; exit 1

# The pipeline, as real files: results -> figures -> HTML -> PDF.
$(RESULTS): $(RESULTS_INPUTS) $(STAMP)
	$(PY) -m report.experiments

# One command draws them all (grouped target): it runs if any is missing or old.
$(FIGURES) &: $(RESULTS) $(addprefix report/,figures.py scales.py equations.py numbers.py results.py) $(STAMP)
	$(PY) -m report.figures

HTML_INPUTS := $(RESULTS) $(FIGURES) $(TEMPLATES) \
  $(addprefix report/,render.py findings.py numbers.py results.py alt.py scales.py equations.py xref.py)

$(HTML): $(HTML_INPUTS) $(STAMP)
	$(PY) -m report.render html

# The PDF: after a template was saved, one process renders the HTML and the PDF
# (one Python start-up and one set of imports fewer per re-render); after an
# edit of the CSS alone, only the PDF. ($? is the prerequisites newer than it.)
$(PDF): $(HTML_INPUTS) templates/report.css $(STAMP)
	$(PY) -m report.render $(strip $(if $(filter-out templates/report.css $(STAMP),$?),html) pdf)

# The file `make check` checks: `make check FILE=path/to/template.py` for another one.
FILE ?= assignment/backprop.py

check: $(STAMP) ## Check a hand-in as a grader would (FILE=path/to/template.py, default assignment/backprop.py)
	$(PY) -m report.check $(FILE)

submit: $(PDF) $(STAMP) ## Run the check, then write build/submission/ (template.py, report.pdf, manifest.json)
	$(PY) -m report.submit

bench: $(STAMP) ## Time the engine against the graded loop (writes build/bench.json)
	$(PY) -m report.bench

clean: ## Remove everything generated: build/ (keeps .venv; `make distclean` removes it too)
	rm -rf $(BUILD)

distclean: clean ## Remove everything generated, .venv included
	rm -rf $(VENV)
