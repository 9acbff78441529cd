"""make submit: the grader-style check of the handed-in file."""

import pytest

from report import submit
from report.submit import SubmissionError, imported_modules


def test_the_graded_file_passes_and_is_written_as_template_py(tmp_path):
    destination = tmp_path / "submission"
    files = submit.submit(submit.GRADED, tmp_path / "no-report.pdf", destination)
    assert files == ["template.py"]
    assert (destination / "template.py").read_bytes() == submit.GRADED.read_bytes()


def test_the_report_is_included_when_it_exists(tmp_path):
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7 stand-in")
    files = submit.submit(submit.GRADED, report, tmp_path / "submission")
    assert files == ["report.pdf", "template.py"]


def test_imports_are_read_from_the_source():
    source = "import numpy as np\nimport os.path\nfrom scipy import special\nfrom . import tools\n"
    assert imported_modules(source) == {"numpy", "os", "scipy", "."}


def broken_copy(tmp_path, old, new):
    text = submit.GRADED.read_text()
    assert old in text
    path = tmp_path / "backprop.py"
    path.write_text(text.replace(old, new, 1))
    return path


def test_a_forbidden_import_stops_the_submission(tmp_path):
    graded = broken_copy(tmp_path, "import numpy as np\n", "import numpy as np\nimport scipy\n")
    with pytest.raises(SubmissionError, match="imports scipy"):
        submit.submit(graded, tmp_path / "none.pdf", tmp_path / "submission")
    assert not (tmp_path / "submission").exists()


def test_a_file_that_needs_its_neighbours_stops_the_submission(tmp_path):
    graded = broken_copy(
        tmp_path,
        "import numpy as np\n",
        "import importlib\nimport numpy as np\nimportlib.import_module('tools')\n",
    )
    with pytest.raises(SubmissionError, match="copied alone into an empty folder.*No module named 'tools'"):
        submit.submit(graded, tmp_path / "none.pdf", tmp_path / "submission")


def test_a_wrong_example_value_stops_the_submission(tmp_path):
    graded = broken_copy(tmp_path, "delta_k = y - target_y", "delta_k = target_y - y")
    with pytest.raises(SubmissionError, match="backprop example: dE1"):
        submit.submit(graded, tmp_path / "none.pdf", tmp_path / "submission")
    assert not (tmp_path / "submission").exists()
