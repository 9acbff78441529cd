"""Faults and bad input: one line `where: what is wrong: how to fix it`, no hang, no half-made output.

The graded code's own errors are the exception: their traceback is shown (the
student needs it), followed by the one line. Every test that could hang runs
in a subprocess with a time limit of its own.
"""

import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap

import pytest

from report import experiments, figures, paths, render
from report.paths import ROOT
from report.render import ReportError
from tests.report.conftest import FIXTURE_SETTINGS, tiny_settings

PYTHON = sys.executable


def run_python(code, tmp_path, timeout=120, env=None):
    """Run ``code`` in a fresh interpreter at the project root; a hang fails the test, not the suite."""
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(code))
    try:
        return subprocess.run(
            [PYTHON, str(script)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"hung: no answer within {timeout} s")


def error_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith("error:")]


# --- the graded run: never a hang --------------------------------------------------


@pytest.mark.slow
def test_a_graded_train_nn_that_raises_shows_its_traceback_and_one_line_not_a_hang(tmp_path):
    out = tmp_path / "results.json"
    result = run_python(
        f"""
        import sys
        from assignment import backprop
        from report import experiments

        def train_nn(*args):
            raise ValueError("a mistake in the student's train_nn")

        backprop.train_nn = train_nn  # inherited by the forked Section 2.3 worker
        sys.exit(experiments.main(["--settings", {str(FIXTURE_SETTINGS)!r}, "--output", {str(out)!r}]))
        """,
        tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" in result.stderr and "in train_nn" in result.stderr  # the student's traceback
    assert error_lines(result.stderr) == [
        "error: assignment/backprop.py: the graded Section 2.3 run failed "
        "(ValueError: a mistake in the student's train_nn): fix the graded code (its traceback is above), "
        "then run `make results` again"
    ]
    assert not out.exists()


@pytest.mark.slow
def test_a_graded_worker_that_dies_without_a_word_is_reported_not_waited_for(tmp_path):
    result = run_python(
        f"""
        import os, sys
        from assignment import backprop
        from report import experiments

        backprop.train_nn = lambda *args: os._exit(3)  # killed, segfault, out of memory ...
        out = {str(tmp_path / "r.json")!r}
        sys.exit(experiments.main(["--settings", {str(FIXTURE_SETTINGS)!r}, "--output", out]))
        """,
        tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert "ended with exit code 3 and no result" in error_lines(result.stderr)[0]


@pytest.mark.slow
def test_a_graded_file_that_does_not_import_shows_its_traceback_and_one_line(tmp_path):
    """A syntax error in the graded file (as at `make submit`, which builds the results first)."""
    shutil.copytree(ROOT / "assignment", tmp_path / "assignment")
    graded = tmp_path / "assignment" / "backprop.py"
    graded.write_text(graded.read_text().replace("def sigmoid(x):", "def sigmoid(x)"))
    result = subprocess.run(
        [
            PYTHON,
            "-m",
            "report.experiments",
            "--settings",
            str(FIXTURE_SETTINGS),
            "--output",
            str(tmp_path / "r.json"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"},
        check=False,
    )
    assert result.returncode == 1
    assert (
        "SyntaxError" in result.stderr and "def sigmoid(x)" in result.stderr
    )  # where, in the student's file
    (line,) = error_lines(result.stderr)
    assert line.startswith("error: assignment/backprop.py: cannot be imported (SyntaxError: expected ':'")
    assert line.endswith("fix the graded code (its traceback is above), then build again")


def test_an_unwritable_output_is_found_before_the_long_run(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "build"
    blocker.write_text("a file where the build folder should be")
    monkeypatch.setattr(
        experiments, "compute", lambda settings: pytest.fail("ran before checking the output")
    )
    code = experiments.main(["--settings", str(FIXTURE_SETTINGS), "--output", str(blocker / "results.json")])
    assert code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"error: {blocker / 'results.json'}: cannot be written (File exists): make ")
    assert line.endswith("a writable folder (or remove it with `make clean`), then build again")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_build_folder_is_found_before_the_long_run(tmp_path, monkeypatch, capsys):
    build = tmp_path / "build"
    build.mkdir()
    build.chmod(0o555)
    monkeypatch.setattr(
        experiments, "compute", lambda settings: pytest.fail("ran before checking the output")
    )
    try:
        code = experiments.main(
            ["--settings", str(FIXTURE_SETTINGS), "--output", str(build / "results.json")]
        )
    finally:
        build.chmod(0o755)
    assert code == 2
    assert "cannot be written (Permission denied)" in capsys.readouterr().err


# --- make: real file targets, bad data, a broken .venv ---------------------------------


@pytest.fixture
def project_copy(tmp_path):
    """The project's files in a scratch folder, using this project's working .venv."""
    root = tmp_path / "project"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".venv", "build", ".git", "__pycache__"))
    (root / ".venv").symlink_to(ROOT / ".venv")
    return root


def make(root, *args, timeout=120):
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.slow
def test_a_corrupt_iris_csv_stops_make_with_one_line(project_copy):
    iris = project_copy / "assignment" / "data" / "iris.csv"
    iris.write_text(iris.read_text().replace("5.1,3.5,1.4,0.2", "5.1,3.5,1.4,9.9", 1))
    result = make(project_copy, "results")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    (line,) = error_lines(result.stderr)
    assert (
        "iris.csv is not the expected Iris data" in line
        and "git checkout -- assignment/data/iris.csv" in line
    )
    assert not (project_copy / "build" / "results.json").exists()


def test_every_figure_is_a_file_target_named_once(tmp_path):
    from tests.report.test_render import fake_tree, planned

    fake_tree(tmp_path)
    assert "report." not in planned(tmp_path)
    listed = make(tmp_path, "-pn", "figures").stdout
    for name in paths.FIGURE_NAMES:
        assert f"build/figures/{name}.svg" in listed
    (tmp_path / "build/figures/grid.svg").unlink()
    assert make(tmp_path, "-q", "figures").returncode != 0  # not up to date with a figure missing
    plan = planned(tmp_path)
    assert plan.count("-m report.figures") == 1 and re.search(r"report\.render (html )?pdf", plan)


def test_a_broken_venv_is_rebuilt_whatever_its_stamp_says(tmp_path):
    from tests.report.test_render import fake_tree

    fake_tree(tmp_path)
    assert "-m venv" not in make(tmp_path, "-n", "setup").stdout  # works: left alone
    (tmp_path / ".venv/bin/python").write_text("#!/bin/sh\nexit 1\n")  # a package gone, or Python
    result = make(tmp_path, "-n", "setup")
    assert "-m venv" in result.stdout
    assert "note: .venv/ is broken" in result.stdout + result.stderr
    (tmp_path / ".venv/bin/python").unlink()  # a dangling interpreter after a system upgrade
    assert "-m venv" in make(tmp_path, "-n", "setup").stdout


# --- results.json, templates, the PDF -------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Results of the fixture settings, their figures and HTML, in a scratch copy of the templates."""
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(ROOT / "templates", root / "templates")
    build = root / "build"
    build.mkdir()
    (build / "results.json").write_text(experiments.dumps(experiments.compute(tiny_settings())))
    assert figures.main(["--results", str(build / "results.json"), "--output", str(build / "figures")]) == 0
    render.build_html(build / "results.json", root / "templates", build / "report.html")
    return root


@pytest.mark.slow
@pytest.mark.parametrize(
    ("content", "why"),
    [
        ('{"settings": {"report": ', "not valid JSON: Expecting"),
        ("[1, 2]", "no settings, versions, run, study, verification section"),
        (
            '{"settings": {}, "versions": {}, "run": {}, "study": {}, "verification": {}}',
            "damaged or from another",
        ),
    ],
    ids=["truncated", "not-a-table", "emptied"],
)
def test_a_damaged_results_file_is_one_line_and_keeps_the_outputs(built, tmp_path, capsys, content, why):
    results = tmp_path / "results.json"
    results.write_text(content)
    html, before = built / "build" / "report.html", (built / "build" / "report.html").read_bytes()
    out = tmp_path / "figures"
    assert figures.main(["--results", str(results), "--output", str(out)]) == 2
    assert (
        render.main(
            ["html", "--results", str(results), "--templates", str(built / "templates"), "--html", str(html)]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count(why) == 2, err
    assert "run `make report` again" in error_lines(err)[0]
    assert not out.exists() and html.read_bytes() == before


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ 1/0 }}", r"discussion/error\.html\.j2:3: ZeroDivisionError: division by zero$"),
        (
            '{% include "discussion/error.html.j2" %}',
            r"discussion/error\.html\.j2:3: templates include one another without end: remove the include",
        ),
        (
            '{{ cycler.__init__.__globals__.os.popen("id").read() }}',
            r"discussion/error\.html\.j2:3: access to attribute '__init__' of '\w+' object is unsafe\.$",
        ),
        ("{{ run.__class__.__mro__ }}", r"discussion/error\.html\.j2:3: access to attribute '__class__'"),
    ],
    ids=["division-by-zero", "recursive-include", "sandbox-cycler", "sandbox-class"],
)
def test_a_template_that_fails_at_render_time_is_one_line(built, text, message):
    templates = built / "templates-broken"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(built / "templates", templates)
    (templates / "discussion" / "error.html.j2").write_text(
        f"<p>A fixture partial.\n{{{{ run.test_size }}}}\n{text}\n</p>\n"
    )
    results = experiments.json.loads((built / "build" / "results.json").read_text())
    with pytest.raises(ReportError, match=message) as caught:
        render.render_html(results, templates)
    assert "\n" not in str(caught.value) and "uid=" not in str(caught.value)


def test_the_sandbox_keeps_the_filters_and_blocks_python_internals():
    env = render.environment()
    assert type(env).__name__ == "ImmutableSandboxedEnvironment"
    assert env.from_string("{{ 0.9667 | pct }} {{ 0.1104 | pvalue }}").render() == "96.7% p\u00a0=\u00a00.110"
    with pytest.raises(Exception, match="unsafe"):
        env.from_string('{{ cycler.__init__.__globals__.os.popen("id").read() }}').render()


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'


def small_document(folder, images=(), missing=()):
    """A one-page HTML in five font faces, with an <img> per name (SVGs drawn here, except ``missing``)."""
    for name in images:
        if name not in missing:
            (folder / f"{name}.svg").write_text(SVG)
    figures = "".join(f'<img src="{name}.svg" alt="{name}">' for name in images)
    html = folder / "small.html"
    html.write_text(
        '<html lang="en"><head><title>t</title><style>body { font-family: "DejaVu Serif" } '
        'h1 { font-family: "DejaVu Sans" }</style></head><body><h1>Title</h1><p>Text <b>bold</b> '
        f"<i>italic</i> <code>code</code></p>{figures}</body></html>"
    )
    return html


def test_a_figure_that_does_not_load_fails_the_pdf_and_keeps_the_old_one(tmp_path, monkeypatch, capsys):
    html = small_document(tmp_path, images=["error", "grid"], missing=["grid"])
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-old")
    monkeypatch.setattr(render, "build_pdf", functools.partial(render.build_pdf, root=tmp_path))
    assert render.main(["pdf", "--html", str(html), "--pdf", str(pdf)]) == 1
    (line,) = error_lines(capsys.readouterr().err)
    assert "Failed to load image" in line and "grid.svg" in line and "none was written" in line
    assert pdf.read_bytes() == b"%PDF-old"


def test_ctrl_c_while_weasyprint_draws_a_figure_writes_no_pdf(tmp_path, monkeypatch, capsys):
    """WeasyPrint catches KeyboardInterrupt while drawing an SVG and goes on: the step must notice."""
    render._import_weasyprint()
    import weasyprint.svg

    real_draw = weasyprint.svg.SVG.draw

    def draw(self, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, in the middle of a figure
        return real_draw(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.svg.SVG, "draw", draw)
    html = small_document(tmp_path, images=["error"])
    pdf = tmp_path / "report.pdf"
    with pytest.raises(KeyboardInterrupt):
        render.build_pdf(html, pdf, root=tmp_path)
    assert not pdf.exists()
    monkeypatch.setattr(render, "build_pdf", functools.partial(render.build_pdf, root=tmp_path))
    assert render.main(["pdf", "--html", str(html), "--pdf", str(pdf)]) == 130
    assert error_lines(capsys.readouterr().err) == [
        "error: interrupted: nothing was written; the previous report, if any, is unchanged"
    ]
    assert not pdf.exists()


# --- a machine without the optional font library ----------------------------------------


@pytest.mark.slow
def test_the_report_tests_pass_without_harfbuzz_subset(tmp_path):
    """As on a fresh machine without libharfbuzz-subset0: WeasyPrint's warnings must not fail `make test`."""
    result = subprocess.run(
        [PYTHON, "-m", "pytest", "-p", "tests.report.no_harfbuzz_subset", "-q", "-x",
         "tests/report/test_faults.py::test_a_small_pdf_builds_without_warnings",
         "tests/report/test_render.py::test_filters_format_and_touch_their_value"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert "no-harfbuzz-subset simulated: True" in result.stdout, result.stdout[-2000:]
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout


def test_a_small_pdf_builds_without_warnings(tmp_path):
    """The report's path through WeasyPrint (import, fonts, subsetting, an SVG) on a one-page document."""
    html = small_document(tmp_path, images=["error"])
    assert render.build_pdf(html, tmp_path / "small.pdf", root=tmp_path) == []
    assert (tmp_path / "small.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_without_harfbuzz_subset_the_pdf_step_prints_one_notice(tmp_path):
    """Five fonts, each warned about by WeasyPrint, and its import warning: one notice."""
    html = small_document(tmp_path, images=["error"])
    pdf = tmp_path / "report.pdf"
    result = run_python(
        f"""
        import functools, sys
        from tests.report import no_harfbuzz_subset
        from report import render

        render.build_pdf = functools.partial(render.build_pdf, root={str(tmp_path)!r})
        code = render.main(["pdf", "--html", {str(html)!r}, "--pdf", {str(pdf)!r}])
        assert no_harfbuzz_subset.simulated()
        sys.exit(code)
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert [line for line in lines if not line.startswith("Wrote ")] == [f"note: {render.HARFBUZZ_NOTICE}"]
    assert (
        "libharfbuzz-subset0" in render.HARFBUZZ_NOTICE and "libharfbuzz-subset0" in render.SYSTEM_LIBRARIES
    )
    assert pdf.read_bytes().startswith(b"%PDF")


# --- every accepted setting builds ------------------------------------------------------


def settings_with(run=None, study=None):
    from report.settings import Settings, check_settings

    base = tiny_settings()
    raw = {
        "report": base.report,
        "run": {**base.run, **(run or {})},
        "study": {**base.study, **(study or {})},
    }
    return Settings(**check_settings(raw))  # accepted by the validation, as a student's file would be


@pytest.mark.slow
def test_a_diverging_run_and_huge_weights_build_results_and_figures_without_a_warning(tmp_path):
    """learning_rate = 1000 and weight_scales = [1e300] are accepted: results and figures must cope."""
    settings = settings_with(
        run={"learning_rate": 1000.0},
        study={"learning_rates": [0.1, 1000.0], "weight_scales": [1e300, 1.0]},
    )
    results_path = tmp_path / "results.json"
    results_path.write_text(experiments.dumps(experiments.compute(settings)))  # strict JSON: no NaN
    results = experiments.json.loads(results_path.read_text())
    assert None in results["run"]["E_total"]  # the error overflowed: null, not a crash
    (huge,) = [p for p in results["study"]["weight_scale"] if p["value"] == 1e300]
    assert huge["test"]["diverged"] == huge["test"]["n"] + huge["test"]["diverged"] > 0
    # pytest turns any warning (matplotlib's included) into an error
    assert figures.main(["--results", str(results_path), "--output", str(tmp_path / "figures")]) == 0
    assert len(list((tmp_path / "figures").glob("*.svg"))) == len(paths.FIGURE_NAMES)


@pytest.mark.slow
@pytest.mark.parametrize(("ratio", "sizes"), [(0.007, (1, 148)), (0.993, (148, 1))])
def test_the_extreme_accepted_train_ratios_build_the_report(tmp_path, ratio, sizes):
    results_path = tmp_path / "results.json"
    results_path.write_text(experiments.dumps(experiments.compute(settings_with(run={"train_ratio": ratio}))))
    run = experiments.json.loads(results_path.read_text())["run"]
    assert (run["train_size"], run["test_size"]) == sizes
    assert figures.main(["--results", str(results_path), "--output", str(tmp_path / "figures")]) == 0
    render.build_html(results_path, ROOT / "templates", tmp_path / "report.html")
