"""Read ``build/results.json`` back, checked: a missing or damaged file is one line, not a traceback."""

import json
from pathlib import Path

from report import paths

SECTIONS = ("settings", "versions", "run", "study", "verification")


class ResultsError(RuntimeError):
    """results.json is missing or damaged; the message says where and what to do."""


def read_results(path=paths.RESULTS):
    """Return the parsed results document at ``path``, or raise ResultsError."""
    path = Path(path)
    shown = paths.shown(path)
    again = f"delete it (`rm {shown}`) and run `make report` again"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResultsError(f"{shown}: not found: run `make results` first") from None
    except UnicodeDecodeError:
        raise ResultsError(f"{shown}: damaged (not UTF-8 text): {again}") from None
    except OSError as error:
        raise ResultsError(f"{shown}: cannot be read ({error.strerror}): {again}") from None
    try:
        results = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ResultsError(
            f"{shown}: damaged (not valid JSON: {error.msg} at line {error.lineno}): {again}"
        ) from None
    except ValueError as error:  # NaN or Infinity: never written (missing values are null)
        raise ResultsError(f"{shown}: damaged ({error}): {again}") from None
    missing = [
        key for key in SECTIONS if not isinstance(results, dict) or not isinstance(results.get(key), dict)
    ]
    if missing:
        raise ResultsError(f"{shown}: damaged (no {', '.join(missing)} section): {again}")
    return results


def _refuse_constant(name):
    raise ValueError(f"holds {name}, which the pipeline never writes")


def damaged(path, error):
    """A ResultsError for a value missing deep inside an otherwise readable file."""
    shown = paths.shown(path)
    return ResultsError(
        f"{shown}: damaged or from another version ({type(error).__name__}: {error}): "
        f"delete it (`rm {shown}`) and run `make report` again"
    )
