"""Every path of the project, defined once.

Inputs a student edits live in ``report/settings.toml`` and ``templates/``;
everything generated goes under ``build/``, which ``make clean`` removes.
The Makefile spells the same layout for make's dependency graph.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Inputs
ASSIGNMENT = ROOT / "assignment"
GRADED = ASSIGNMENT / "backprop.py"  # handed in as template.py
COURSE_TOOLS = ASSIGNMENT / "tools.py"  # copied beside a hand-in that imports tools
GRADER_CHECK = ASSIGNMENT / "grader_check.py"  # runs beside a hand-in, in a scratch folder
SETTINGS = ROOT / "report" / "settings.toml"
TEMPLATES = ROOT / "templates"

# Outputs: one git-ignored folder
BUILD = ROOT / "build"
RESULTS = BUILD / "results.json"
FIGURES = BUILD / "figures"
HTML = BUILD / "report.html"
PDF = BUILD / "report.pdf"
SUBMISSION = BUILD / "submission"
BENCH = BUILD / "bench.json"


def shown(path):
    """``path`` relative to the project when it is inside it, for messages."""
    path = Path(path)
    try:
        return path.resolve().relative_to(ROOT)
    except ValueError:
        return path
