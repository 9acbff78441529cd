"""Fixtures of the pipeline's tests: settings that do not come from the student's file, and one
scratch build of the report from them; a stand-in tree for make's plans."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from report.paths import FIGURE_NAMES, ROOT
from report.settings import Settings, load_settings

FIXTURE_SETTINGS = Path(__file__).resolve().parent.parent / "fixtures" / "settings.toml"


def tiny_settings(**study):
    """The fixture settings (a small study), with study keys overridden."""
    base = load_settings(FIXTURE_SETTINGS)
    return Settings(report=base.report, run=dict(base.run), study={**base.study, **study})


@pytest.fixture
def settings_file(tmp_path):
    """A writable copy of the fixture settings file."""
    path = tmp_path / "settings.toml"
    path.write_text(FIXTURE_SETTINGS.read_text())
    return path


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The report built once from the fixture settings, in a scratch copy of the templates, for every
    test that reads it or breaks a copy of it (test_render, test_pdf, test_faults).

    A dict: ``root`` (holding ``templates/`` and ``build/``), ``build`` (``results.json``,
    ``figures/``, ``report.html``, ``report.pdf``), ``results`` (as computed), ``html`` (the HTML's
    text), ``reader`` (a pypdf reader of the PDF) and ``warnings`` (the PDF step's). Shared by the
    whole session: a test never changes these files; it edits a copy (in tmp_path, or a folder of
    its own under ``root``) and at most adds a file of its own.
    """
    from pypdf import PdfReader

    from report import experiments, figures, render

    root = tmp_path_factory.mktemp("built")
    shutil.copytree(ROOT / "templates", root / "templates")
    build = root / "build"
    build.mkdir()
    results = experiments.compute(tiny_settings())
    (build / "results.json").write_text(experiments.dumps(results))
    assert figures.main(["--results", str(build / "results.json"), "--output", str(build / "figures")]) == 0
    render.build_html(build / "results.json", root / "templates", build / "report.html")
    warnings = render.build_pdf(build / "report.html", build / "report.pdf", root=root)
    return {
        "root": root,
        "build": build,
        "results": results,
        "html": (build / "report.html").read_text(),
        "reader": PdfReader(build / "report.pdf"),
        "warnings": warnings,
    }


def fake_tree(root):
    """The Makefile with stand-ins for every file of the pipeline, oldest inputs first."""
    shutil.copy(ROOT / "Makefile", root / "Makefile")
    files = ["requirements.lock", "pyproject.toml", "report/settings.toml", "assignment/data/iris.csv"]
    files += [
        str(p.relative_to(ROOT)) for folder in ("assignment", "report") for p in (ROOT / folder).rglob("*.py")
    ]
    files += [str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*") if p.is_file()]
    figures = [f"build/figures/{name}.svg" for name in FIGURE_NAMES]
    outputs = [".venv/.installed", "build/results.json", *figures, "build/report.html", "build/report.pdf"]
    now = time.time()
    for age, name in enumerate(reversed(files + outputs)):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, (now - 100 - age, now - 100 - age))
    # the Makefile reads the figures' names from report/paths.py, and checks that .venv works,
    # with the venv's Python: here the one running the tests
    shutil.copy(ROOT / "report/paths.py", root / "report/paths.py")
    (root / ".venv/bin").mkdir(parents=True, exist_ok=True)
    (root / ".venv/bin/python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (root / ".venv/bin/python").chmod(0o755)
    os.utime(root / "report/paths.py", (now - 200, now - 200))


def planned(root):
    result = subprocess.run(["make", "-n", "report"], cwd=root, capture_output=True, text=True, check=True)
    return result.stdout
