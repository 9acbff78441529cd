"""``make submit``: run ``make check`` on the graded file, then write what is handed in.

Writes ``build/submission/`` with ``template.py`` (the graded file under the
course's name), ``report.pdf`` and ``manifest.json`` (the files' SHA-256
digests, the check's summary, the settings of the results). Nothing is
written unless the check passes and the PDF is at least as new as what it
is built from. The bytes handed in are the bytes that were checked: both
files are read once, before the check, and their digests are verified on
disk after it (a hand-in that touches them while it runs is caught). The
folder is built beside the old one and swapped in by renames: a failed
check or an error leaves the previous submission as it was.
"""

import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from report import check, paths


class SubmissionError(RuntimeError):
    """Nothing can be handed in yet: one line saying why and what to do."""


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def report_inputs():
    """What the PDF is built from: the graded code, the settings, the results and the templates."""
    return [
        paths.GRADED,
        paths.SETTINGS,
        paths.RESULTS,
        *sorted(p for p in paths.TEMPLATES.rglob("*") if p.is_file()),
    ]


def _read(path, what, fix):
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise SubmissionError(f"{paths.shown(path)}: cannot read {what} ({error.strerror}): {fix}") from None


def _settings(results):
    try:
        return json.loads(Path(results).read_text())["settings"]
    except (OSError, ValueError, KeyError, TypeError):
        raise SubmissionError(
            f"{paths.shown(results)}: no settings recorded (missing or unreadable): run `make report` first"
        ) from None


def _check_fresh(pdf, inputs):
    built = Path(pdf).stat().st_mtime
    newer = [paths.shown(p) for p in inputs if Path(p).exists() and Path(p).stat().st_mtime > built]
    if newer:
        raise SubmissionError(
            f"{paths.shown(pdf)} is older than {', '.join(map(str, newer[:3]))}: run `make report` "
            "(or `make submit`, which rebuilds it) so that the PDF shows the current code and settings"
        )


def _verify_unchanged(files):
    for path, digest in files.items():
        try:
            now = sha256(Path(path).read_bytes())
        except OSError:
            now = None
        if now != digest:
            raise SubmissionError(
                f"{paths.shown(path)} changed or vanished while the hand-in was checked (did the file under "
                "check touch it?): restore it, rebuild with `make report`, and submit again"
            )


def write_submission(files, manifest, destination):
    """Write ``files`` ({name: bytes}) and the manifest as ``destination``, swapped in whole."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.new-", dir=destination.parent))
    try:
        for name, data in {**files, "manifest.json": json.dumps(manifest, indent=1).encode() + b"\n"}.items():
            with open(staging / name, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for name, data in files.items():  # what is on disk is what was checked
            if sha256((staging / name).read_bytes()) != sha256(data):
                raise SubmissionError(f"{paths.shown(staging / name)}: written copy differs; disk full?")
        os.chmod(staging, 0o755)
        old = None
        if destination.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{destination.name}.old-", dir=destination.parent))
            os.replace(destination, old / destination.name)
        os.replace(staging, destination)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p.name for p in destination.iterdir())


def submit(
    graded=paths.GRADED,
    pdf=paths.PDF,
    destination=paths.SUBMISSION,
    results=paths.RESULTS,
    inputs=None,
    timeout=check.TIMEOUT,
):
    """Check ``graded``, then write the submission; raise SubmissionError, writing nothing, if it fails."""
    graded_bytes = _read(
        graded, "the graded file", "restore it with `git checkout -- assignment/backprop.py`"
    )
    pdf_bytes = _read(pdf, "the report", "run `make report` first (or `make submit`, which builds it)")
    _check_fresh(pdf, report_inputs() if inputs is None else inputs)
    settings = _settings(results)
    digests = {Path(graded): sha256(graded_bytes), Path(pdf): sha256(pdf_bytes)}

    result = check.check_source(graded_bytes, timeout=timeout)
    check.print_report(result, paths.shown(graded))
    _verify_unchanged(digests)
    if not result.passed:
        raise SubmissionError(
            f"{paths.shown(graded)} does not pass the check ({result.summary}); fix what it says"
        )

    files = {"template.py": graded_bytes, "report.pdf": pdf_bytes}
    manifest = {
        "files": {name: {"sha256": sha256(data), "bytes": len(data)} for name, data in files.items()},
        "graded_file": str(paths.shown(graded)),
        "check": {
            "summary": result.summary,
            "warnings": [str(line).strip() for line in result.warnings],
        },
        "settings": settings,
    }
    return write_submission(files, manifest, destination)


def main():
    try:
        files = submit()
    except SubmissionError as error:
        print(f"make submit: {error}. Nothing was written; the previous submission is kept.", file=sys.stderr)
        return 1
    print(f"Wrote {paths.shown(paths.SUBMISSION)}/: {', '.join(files)}. Hand in template.py and report.pdf.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
