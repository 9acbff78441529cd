"""``make submit``: check the graded file as a grader would, then write what is handed in.

Writes ``report/submission/template.py`` (the graded module under the
course's file name) and ``report/submission/report.pdf`` once the report
exists. Nothing is written unless every check passes.
"""

import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from assignment.tools import IRIS_PATH
from report import paths

ROOT, GRADED, REPORT, SUBMISSION = paths.ROOT, paths.GRADED, paths.PDF, paths.SUBMISSION
ALLOWED = {"numpy"} | set(sys.stdlib_module_names)


class SubmissionError(RuntimeError):
    """The graded file would not pass a grader's first checks."""


def imported_modules(source):
    """Return the top-level names of every module ``source`` imports."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                names.add("." * node.level + (node.module or ""))
            else:
                names.add(node.module.split(".")[0])
    return names


def check_imports(path):
    bad = sorted(imported_modules(path.read_text()) - ALLOWED)
    if bad:
        raise SubmissionError(
            f"{path.name} imports {', '.join(bad)}: the course accepts only numpy and the standard library"
        )
    print(f"  ok   imports only numpy and the standard library ({path.name})")


def check_alone(path):
    """Copy the file alone into an empty folder and run the grader's checks there."""
    with tempfile.TemporaryDirectory(prefix="grader-") as folder:
        shutil.copy(path, Path(folder) / "template.py")
        checker = paths.ASSIGNMENT / "grader_check.py"
        iris = IRIS_PATH
        result = subprocess.run(
            [sys.executable, "-I", str(checker), folder, str(iris)],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    print(result.stdout, end="")
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "unknown failure"
        raise SubmissionError(f"copied alone into an empty folder, template.py fails: {reason}")


def write_submission(graded, report, destination):
    """Write the handed-in files into ``destination``, replacing it whole."""
    staging = destination.with_name(destination.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copy(graded, staging / "template.py")
    if report.exists():
        shutil.copy(report, staging / "report.pdf")
    shutil.rmtree(destination, ignore_errors=True)
    staging.rename(destination)
    return sorted(p.name for p in destination.iterdir())


def submit(graded=GRADED, report=REPORT, destination=SUBMISSION):
    """Check ``graded``, then write the submission; raise SubmissionError first if it fails."""
    print(f"Checking {graded.name} as a grader would:")
    check_imports(graded)
    check_alone(graded)
    return write_submission(graded, report, destination)


def main():
    try:
        files = submit()
    except SubmissionError as error:
        print(f"error: {error}. Nothing was written.", file=sys.stderr)
        return 1
    print(f"Wrote {SUBMISSION.relative_to(ROOT)}/: {', '.join(files)}")
    if "report.pdf" not in files:
        print("note: no report yet; run `make report` first to include report.pdf", file=sys.stderr)
    print("Hand in these files.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
