"""Every path of the project, defined once.

Inputs a student edits live in ``report/settings.toml`` and ``templates/``;
everything generated goes under ``build/``, which ``make clean`` removes.
The Makefile spells the same layout for make's dependency graph, and reads
the figures' names from here (``python3 report/paths.py figures``).
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
FIGURES = BUILD / "figures"  # one SVG per name below: FIGURES / f"{name}.svg"
FIGURE_NAMES = (
    "error", "misclassification", "confusion", "hidden_size", "learning_rate", "weight_scale", "grid",
    "eq_forward", "eq_error", "eq_backprop", "eq_update",
)  # fmt: skip
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


if __name__ == "__main__":  # for the Makefile: the figure files, one line
    import sys

    if sys.argv[1:] == ["figures"]:
        print(" ".join(f"{FIGURES.relative_to(ROOT).as_posix()}/{name}.svg" for name in FIGURE_NAMES))
