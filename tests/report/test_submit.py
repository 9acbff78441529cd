"""make submit: the check first, then a whole submission with its manifest, or nothing at all."""

import hashlib
import json
import os

import pytest

from report import paths, submit
from report.submit import SubmissionError

SETTINGS = {"seed": 1234, "hidden_size": 6, "learning_rate": 0.3}


@pytest.fixture
def inputs(tmp_path):
    """A graded file, a PDF and results in tmp_path, as `make report` leaves them."""
    graded = tmp_path / "backprop.py"
    graded.write_bytes(paths.GRADED.read_bytes())
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"settings": SETTINGS, "run": {}}))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7 stand-in")
    return {
        "graded": graded,
        "pdf": pdf,
        "results": results,
        "destination": tmp_path / "build" / "submission",
    }


def run(inputs, **changes):
    return submit.submit(**{**inputs, **changes}, inputs=changes.pop("freshness", []))


def broken(inputs, old, new):
    text = inputs["graded"].read_text()
    assert old in text, f"the graded file no longer contains {old!r}: update this test"
    inputs["graded"].write_text(text.replace(old, new, 1))


def previous_submission(destination):
    destination.mkdir(parents=True)
    (destination / "template.py").write_text("the previous one")
    return {p.name: p.read_bytes() for p in destination.iterdir()}


@pytest.mark.slow
def test_a_passing_file_is_written_with_the_pdf_and_a_manifest(inputs):
    files = run(inputs)
    destination = inputs["destination"]
    assert files == ["manifest.json", "report.pdf", "template.py"]
    assert (destination / "template.py").read_bytes() == paths.GRADED.read_bytes()
    manifest = json.loads((destination / "manifest.json").read_text())
    for name in ("template.py", "report.pdf"):
        assert (
            manifest["files"][name]["sha256"] == hashlib.sha256((destination / name).read_bytes()).hexdigest()
        )
    assert manifest["settings"] == SETTINGS
    assert manifest["check"]["summary"].startswith("PASS: ")
    # built beside the destination and swapped in: nothing is left over
    assert sorted(p.name for p in destination.parent.iterdir()) == ["submission"]


@pytest.mark.slow
def test_a_failed_check_keeps_the_previous_submission(inputs):
    before = previous_submission(inputs["destination"])
    broken(inputs, "E_total[i] = E / N", "E_total[i] = E")
    with pytest.raises(SubmissionError, match="does not pass the check"):
        run(inputs)
    destination = inputs["destination"]
    assert {p.name: p.read_bytes() for p in destination.iterdir()} == before
    assert sorted(p.name for p in destination.parent.iterdir()) == ["submission"]


@pytest.mark.slow
def test_a_file_that_deletes_the_pdf_while_checked_is_refused(inputs):
    before = previous_submission(inputs["destination"])
    broken(
        inputs,
        "import numpy as np\n",
        f"import os\n\nimport numpy as np\n\ntry:\n    os.remove({str(inputs['pdf'])!r})\n"
        "except OSError:\n    pass\n",
    )
    with pytest.raises(SubmissionError, match="report.pdf changed or vanished while the hand-in was checked"):
        run(inputs)
    assert {p.name: p.read_bytes() for p in inputs["destination"].iterdir()} == before


def test_no_pdf_means_nothing_is_written(inputs):
    inputs["pdf"].unlink()
    with pytest.raises(SubmissionError, match="run `make report` first"):
        run(inputs)
    assert not inputs["destination"].exists()


def test_a_pdf_older_than_its_inputs_is_refused(inputs):
    old = inputs["pdf"].stat().st_mtime - 100
    os.utime(inputs["pdf"], (old, old))
    with pytest.raises(SubmissionError, match="is older than"):
        submit.submit(**inputs, inputs=[inputs["graded"]])
    assert not inputs["destination"].exists()


def test_results_without_settings_are_refused(inputs):
    inputs["results"].write_text("{}")
    with pytest.raises(SubmissionError, match="no settings recorded"):
        run(inputs)
