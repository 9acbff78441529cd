"""assignment/ is the hand-in: it imports only the standard library and numpy, never the pipeline."""

import ast
import sys
from pathlib import Path

import pytest

from report import paths

ALLOWED = set(sys.stdlib_module_names) | {"numpy"}
MODULES = sorted(paths.ASSIGNMENT.rglob("*.py"))


def imported(path):
    """Top-level names of the modules that ``path`` imports (relative imports as '.')."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." if node.level else node.module.split(".")[0])
    return names


def test_there_are_modules_to_check():
    assert {p.name for p in MODULES} >= {"backprop.py", "tools.py", "grader_check.py", "handout_examples.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(Path(p).relative_to(paths.ROOT)))
def test_imports_only_the_standard_library_and_numpy(path):
    # `tools` is the course's helper module, which a hand-in may import beside it;
    # `template` is the hand-in itself, which grader_check.py imports beside it.
    assert imported(path) - ALLOWED - {"tools", "template"} == set()


def test_the_checker_sees_a_pipeline_import(tmp_path):
    """The check above can fail: a module importing the pipeline is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("import numpy as np\nfrom report import engine\nimport matplotlib.pyplot as plt\n")
    assert imported(bad) - ALLOWED == {"report", "matplotlib"}
