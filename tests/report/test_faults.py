"""Faults and bad input: one line `where: what is wrong: how to fix it`, no hang, no half-made output.

The graded code's own errors are the exception: their traceback is shown (the
student needs it), followed by the one line. Every test that could hang runs
in a subprocess with a time limit of its own.
"""

import functools
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import jinja2.sandbox
import pytest

from report import experiments, figures, paths, render
from report.paths import ROOT
from report.render import ReportError
from tests.report.conftest import FIXTURE_SETTINGS, fake_tree, planned, tiny_settings

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


def run_experiments(patch, out, tmp_path, timeout=120):
    """``make results`` into ``out`` in a fresh interpreter, after ``patch`` (code that may replace
    ``backprop.train_nn``, inherited by the forked Section 2.3 worker, or parts of ``experiments``)."""
    arguments = ["--settings", str(FIXTURE_SETTINGS), "--output", str(out)]
    script = (
        "import os, signal, sys, time\nfrom assignment import backprop\nfrom report import experiments\n\n"
        + textwrap.dedent(patch)
        + f"\nsys.exit(experiments.main({arguments!r}))\n"
    )
    return run_python(script, tmp_path, timeout=timeout)


# --- the graded run: never a hang --------------------------------------------------


@pytest.mark.slow
def test_a_graded_train_nn_that_raises_shows_its_traceback_and_one_line_not_a_hang(tmp_path):
    out = tmp_path / "results.json"
    patch = """
        def train_nn(*args):
            raise ValueError("a mistake in the student's train_nn")

        backprop.train_nn = train_nn
    """
    result = run_experiments(patch, out, tmp_path)
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
    patch = "backprop.train_nn = lambda *args: os._exit(3)  # killed, segfault, out of memory ..."
    result = run_experiments(patch, tmp_path / "r.json", tmp_path)
    assert result.returncode == 1, result.stderr
    assert "ended with exit code 3 and no result" in error_lines(result.stderr)[0]


def test_sigterm_in_the_middle_of_a_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out" / "report.pdf"
    target.parent.mkdir()
    target.write_text("the previous output")
    result = run_python(
        f"""
        import os, signal, time
        from report import atomic

        def fsync(fd):  # the signal arrives while the new file is half-written
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)

        atomic.os.fsync = fsync
        atomic.write_atomic({str(target)!r}, "a new output")
        """,
        tmp_path,
    )
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [
        "error: terminated: nothing half-written was kept; run the same make command again"
    ]
    assert target.read_text() == "the previous output"
    assert [p.name for p in target.parent.iterdir()] == ["report.pdf"]  # no hidden .report.pdf.*.tmp


@pytest.mark.slow
def test_sigterm_during_the_experiments_stops_them_without_blaming_the_graded_code(tmp_path):
    out = tmp_path / "results.json"
    out.write_text("the previous results")
    patch = """
        # as the study starts (the graded worker is running), the parent is sent SIGTERM
        train = experiments.train_study
        def train_study(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGTERM)
            return train(*args, **kwargs)

        experiments.train_study = train_study
    """
    result = run_experiments(patch, out, tmp_path)
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    assert "Traceback" not in result.stderr  # the graded worker was stopped, not reported as failing
    assert error_lines(result.stderr) == [
        "error: terminated: nothing half-written was kept; run the same make command again"
    ]
    assert out.read_text() == "the previous results"


@pytest.mark.slow
def test_a_graded_train_nn_that_never_ends_is_stopped_with_one_line(tmp_path):
    out = tmp_path / "results.json"
    patch = """
        def train_nn(*args):
            while True:  # the student's loop never ends
                pass

        backprop.train_nn = train_nn
        experiments.STALL_SECONDS = 2  # instead of minutes
    """
    result = run_experiments(patch, out, tmp_path, timeout=60)
    assert result.returncode == 1, result.stderr
    assert error_lines(result.stderr) == [
        "error: assignment/backprop.py: the graded Section 2.3 run failed (the graded code made no progress "
        "for 2 s: does a loop never end?): fix the graded code, then run `make results` again"
    ]
    assert not out.exists()


def test_a_slow_graded_run_that_reports_progress_is_waited_for(monkeypatch):
    """The watchdog counts from the last report, sent however long before it is read."""
    monkeypatch.setattr(experiments, "STALL_SECONDS", 0.5)

    class Worker:
        exitcode = None

        def is_alive(self):
            return True

    class Reports:  # reports 0.4 s apart (read all at once, late), then the outcome
        def __init__(self, started):
            self.messages = [("alive", started + 0.4 * i) for i in range(1, 4)] + [("ok", "done")]

        def get(self, timeout):
            if self.messages and self.messages[0][0] == "alive" or time.monotonic() >= self.ready:
                return self.messages.pop(0)
            time.sleep(timeout)
            raise queue.Empty

    started = time.monotonic()
    reports = Reports(started)
    reports.ready = started + 1.4  # the outcome comes 0.2 s after the last report
    assert experiments._wait_for(Worker(), reports, started, poll=0.05) == ("ok", "done")
    reports = Reports(started := time.monotonic())
    reports.messages.pop()  # no outcome: stuck after its last report
    reports.ready = float("inf")
    assert "no progress for 0.5 s" in experiments._wait_for(Worker(), reports, started, poll=0.05)[1]


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
    fake_tree(tmp_path)
    assert "report." not in planned(tmp_path)
    listed = make(tmp_path, "-pn", "figures").stdout
    for name in paths.FIGURE_NAMES:
        assert f"build/figures/{name}.svg" in listed
    (tmp_path / "build/figures/grid.svg").unlink()
    assert make(tmp_path, "-q", "figures").returncode != 0  # not up to date with a figure missing
    plan = planned(tmp_path)
    assert plan.count("-m report.figures") == 1 and re.search(r"report\.render (html )?pdf", plan)


def test_the_figures_are_listed_without_the_venvs_python_too(tmp_path):
    """make asks the venv's Python for the figures' names (it starts fastest), else PYTHON."""
    fake_tree(tmp_path)
    for venv_python in ("#!/bin/sh\nexit 0\n", "#!/bin/sh\nexit 1\n", None):  # silent, failing, absent
        if venv_python is None:
            (tmp_path / ".venv/bin/python").unlink()
        else:
            (tmp_path / ".venv/bin/python").write_text(venv_python)
        listed = make(tmp_path, "-pn", "figures", f"PYTHON={sys.executable}").stdout
        for name in paths.FIGURE_NAMES:
            assert f"build/figures/{name}.svg" in listed, venv_python


def test_a_broken_venv_is_rebuilt_whatever_its_stamp_says(tmp_path):
    fake_tree(tmp_path)
    assert "-m venv" not in make(tmp_path, "-n", "setup").stdout  # works: left alone
    (tmp_path / ".venv/bin/python").write_text("#!/bin/sh\nexit 1\n")  # a package gone, or Python
    result = make(tmp_path, "-n", "setup")
    assert "-m venv" in result.stdout
    assert "note: .venv/ is broken" in result.stdout + result.stderr
    (tmp_path / ".venv/bin/python").unlink()  # a dangling interpreter after a system upgrade
    assert "-m venv" in make(tmp_path, "-n", "setup").stdout


# --- results.json, templates, the PDF -------------------------------------------------


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
        (
            '{"settings": {}, "versions": {}, "run": {"accuracy": NaN}, "study": {}, "verification": {}}',
            "damaged (holds NaN, which the pipeline never writes)",
        ),
    ],
    ids=["truncated", "not-a-table", "emptied", "nan"],
)
def test_a_damaged_results_file_is_one_line_and_keeps_the_outputs(built, tmp_path, capsys, content, why):
    results = tmp_path / "results.json"
    results.write_text(content)
    html, before = built["build"] / "report.html", (built["build"] / "report.html").read_bytes()
    templates = built["root"] / "templates"
    out = tmp_path / "figures"
    assert figures.main(["--results", str(results), "--output", str(out)]) == 2
    assert (
        render.main(["html", "--results", str(results), "--templates", str(templates), "--html", str(html)])
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
    templates = built["root"] / "templates-broken"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(built["root"] / "templates", templates)
    (templates / "discussion" / "error.html.j2").write_text(
        f"<p>A fixture partial.\n{{{{ run.test_size }}}}\n{text}\n</p>\n"
    )
    results = experiments.json.loads((built["build"] / "results.json").read_text())
    with pytest.raises(ReportError, match=message) as caught:
        render.render_html(results, templates)
    assert "\n" not in str(caught.value) and "uid=" not in str(caught.value)


def test_the_sandbox_keeps_the_filters_and_blocks_python_internals():
    env = render.environment()
    assert type(env).__name__ == "ImmutableSandboxedEnvironment"
    assert isinstance(env, jinja2.sandbox.ImmutableSandboxedEnvironment)
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
def test_the_largest_rate_and_weights_build_results_and_figures_without_a_warning(tmp_path):
    """learning_rate = 1000 and weight_scales = [1e100] are accepted: results and figures must cope."""
    settings = settings_with(
        run={"learning_rate": 1000.0},
        study={"learning_rates": [0.1, 1000.0], "weight_scales": [1e100, 1.0]},
    )
    results_path = tmp_path / "results.json"
    results_path.write_text(experiments.dumps(experiments.compute(settings)))  # strict JSON: no NaN
    results = experiments.json.loads(results_path.read_text())
    assert None in results["run"]["E_total"]  # the error is infinite (ln 0): null, not a crash
    # ... and that is not divergence: the weights stay finite, every network counts
    assert all(v is not None for W in (results["run"]["W1"], results["run"]["W2"]) for row in W for v in row)
    (huge,) = [p for p in results["study"]["weight_scale"] if p["value"] == 1e100]
    assert huge["test"]["diverged"] == 0 and huge["test"]["n"] == results["study"]["repeats"]
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


# --- probes of review-faults: Ctrl-C anywhere, templates that never end ------------------


def test_ctrl_c_in_any_step_even_during_its_imports_is_one_line_not_a_traceback(tmp_path):
    """Ctrl-C reaches a step wherever it is (importing matplotlib, reading the settings ...)."""
    result = run_python("import report\nimport numpy\nraise KeyboardInterrupt\n", tmp_path, timeout=60)
    assert result.returncode in (-signal.SIGINT, 128 + signal.SIGINT, 130)  # make sees an interrupt
    assert result.stderr.strip().splitlines() == [
        "error: interrupted: nothing half-written was kept; run the same make command again"
    ]


@pytest.mark.slow
def test_ctrl_c_in_the_graded_worker_shows_no_traceback(tmp_path):
    """Ctrl-C reaches the whole process group: the Section 2.3 worker must not show it as a student error."""
    patch = """
        def train_nn(*args):
            raise KeyboardInterrupt  # as Ctrl-C arrives in the worker

        backprop.train_nn = train_nn
    """
    result = run_experiments(patch, tmp_path / "r.json", tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr, result.stderr
    assert not (tmp_path / "r.json").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{{ "x" * 10**9 }}', r"error\.html\.j2:3: `\*` would make 1,000,000,000 items: .*: repeat less$"),
        ("{{ ([0] * 10**9) | length }}", r"error\.html\.j2:3: `\*` would make 1,000,000,000 items"),
        ("{{ 10 ** (10 ** 10) }}", r"error\.html\.j2:3: `\*\*` with the exponent 10,000,000,000: "),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            r"error\.html\.j2:3: still rendering after 1 s \(a loop that repeats too often\?\): make the",
        ),
        ("{{ nosuchname }}", r"error\.html\.j2:3: 'nosuchname' is undefined: correct it"),
        ('{% include "discussion/nope.html.j2" %}', r"error\.html\.j2:3: template not found: .*git checkout"),
        (
            '{% for i in range(100000) %}{{ "x" * 100000 }}{% endfor %}',  # 10 GB, in pieces under the limit
            r"the HTML would be more than 10,000,000 characters .*: make the loops shorter$",
        ),
    ],
    ids=[
        "text-times-a-billion",
        "list-times-a-billion",
        "huge-power",
        "nested-loops",
        "undefined",
        "include",
        "huge-output",
    ],
)
def test_a_template_that_would_never_end_or_fill_the_memory_is_one_line(built, monkeypatch, text, message):
    monkeypatch.setattr(render, "RENDER_SECONDS", 1)
    templates = built["root"] / "templates-endless"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(built["root"] / "templates", templates)
    (templates / "discussion" / "error.html.j2").write_text(
        f"<p>A fixture partial.\n{{{{ 1 }}}}\n{text}\n</p>\n"
    )
    results = experiments.json.loads((built["build"] / "results.json").read_text())
    with pytest.raises(ReportError, match=message) as caught:
        render.render_html(results, templates)
    assert "\n" not in str(caught.value)


def test_the_bounded_sandbox_still_allows_what_prose_needs():
    env = render.environment()
    assert (
        env.from_string('{{ "-" * 3 }} {{ 2 ** 10 }} {{ 3 * 4 }} {{ 10.0 ** -3 }}').render()
        == "--- 1024 12 0.001"
    )


@pytest.mark.slow
def test_a_template_that_is_not_utf8_is_named(built):
    templates = built["root"] / "templates-latin1"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(built["root"] / "templates", templates)
    (templates / "discussion" / "error.html.j2").write_bytes("<p>Caf\xe9</p>\n".encode("latin-1"))
    results = experiments.json.loads((built["build"] / "results.json").read_text())
    with pytest.raises(
        ReportError, match=r"discussion/error\.html\.j2: not UTF-8 text \(byte 6\): save it as"
    ):
        render.render_html(results, templates)


def test_a_full_disk_keeps_the_previous_file_and_says_to_free_space(tmp_path, monkeypatch):
    import errno

    from report import atomic

    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF-old")

    def full(fd, *args, **kwargs):
        os.close(fd)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fdopen", full)
    with pytest.raises(atomic.WriteError) as caught:
        atomic.write_atomic(target, b"%PDF-new")
    assert str(caught.value).endswith(
        "cannot be written (No space left on device): free some disk space (the previous file, if any, is "
        "unchanged), then build again"
    )
    assert target.read_bytes() == b"%PDF-old" and [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


@pytest.mark.parametrize(
    "source", ["report/settings.toml", "assignment/data/iris.csv", "assignment/backprop.py"]
)
def test_a_missing_source_is_one_line_saying_how_to_restore_it(project_copy, source):
    """Not make's "No rule to make target"; a broken link (a loop) is the same, and is not deleted."""
    (project_copy / source).unlink()
    (project_copy / source).symlink_to(Path(source).name)  # a link to itself: a loop
    result = make(project_copy, "results", timeout=60)
    assert result.returncode != 0
    assert error_lines(result.stderr) == [
        f"error: {source}: not found (deleted, or a broken link): restore it with `git checkout -- {source}`"
    ]
    assert "No rule" not in result.stderr and (project_copy / source).is_symlink()


@pytest.mark.parametrize("python", ["missing", "python2"])
def test_a_missing_or_old_python_is_one_line(tmp_path, python):
    """`make setup` with PYTHON that does not exist, or that cannot even parse report/paths.py."""
    for name in ("Makefile", "requirements.lock", "pyproject.toml", "report/paths.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    fake = tmp_path / "python"
    fake.write_text(
        '#!/bin/sh\necho \'  File "report/paths.py"\' >&2\necho "SyntaxError: invalid syntax" >&2\nexit 1\n'
    )
    fake.chmod(0o755)
    program = tmp_path / "nowhere" / "python3" if python == "missing" else fake
    result = make(tmp_path, f"PYTHON={program}", "setup", timeout=60)
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()[:-1]  # then make's own "*** Error 1"
    assert line.startswith(f"error: Python 3.11 or newer is needed as '{program}' (found: ")
    assert "SyntaxError" not in result.stderr and "No such file" not in result.stderr


@pytest.mark.parametrize(
    ("markup", "url"),
    [
        ('<link rel="stylesheet" href="http://example.com/x.css">', "http://example.com/x.css"),
        ("<style>@import url(http://example.com/y.css);</style>", "http://example.com/y.css"),
        (
            "<style>@font-face { font-family: X; src: url(http://example.com/f.ttf) } p { font-family: X }"
            "</style>",
            "http://example.com/f.ttf",
        ),
        ('<p style="background: url(file:///etc/hostname)">x</p>', "file:///etc/hostname"),
        ('<img src="../../../../../../../../etc/passwd" alt="x">', "file:///etc/passwd"),
    ],
    ids=["link", "css-import", "font-face", "background", "relative-escape"],
)
def test_a_fetch_outside_the_project_is_refused_with_how_to_fix(tmp_path, markup, url):
    html = small_document(tmp_path)
    html.write_text(
        html.read_text().replace("</head>", f"{markup}</head>").replace("</body>", f"{markup}</body>")
    )
    with pytest.raises(ReportError) as caught:
        render.build_pdf(html, tmp_path / "report.pdf", root=tmp_path)
    assert (
        f"refusing to fetch {url}: the report may only use files inside {tmp_path}: copy what you need"
        in str(caught.value)
    )
    assert not (tmp_path / "report.pdf").exists()


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def test_the_longest_accepted_title_and_name_stay_on_the_page(tmp_path):
    """200 characters without a space (accepted by the settings) wrap inside the text width, and the
    running head's halves do not run over each other."""
    from report.settings import TEXT_LIMIT

    weasyprint, _, _ = render._import_weasyprint()
    title, name = "W" * TEXT_LIMIT, "Supercalifragilistic" * (TEXT_LIMIT // 20)
    html = (
        '<html lang="en"><head><title>t</title>'
        f'<link rel="stylesheet" href="{ROOT / "templates" / "report.css"}">'
        f'</head><body><header class="title-block"><h1>{title}</h1><div class="author">{name}</div></header>'
        '<p style="break-before: page">Page two, with the running head.</p></body></html>'
    )
    document = weasyprint.HTML(string=html, base_url=str(tmp_path)).render()
    first, second = (page._page_box for page in document.pages[:2])
    right = first.margin_width() - first.margin_right - first.padding_right
    lines = [box for box in _boxes(first) if type(box).__name__ == "LineBox"]
    assert len(lines) > 4  # the title and the name wrapped
    assert all(box.position_x + box.width <= right + 0.5 for box in lines)
    heads = [box for box in second.children if type(box).__name__ == "MarginBox" and box.at_keyword in (
        "@top-left", "@top-right")]  # fmt: skip
    (left, right_head) = sorted(heads, key=lambda box: box.position_x)
    assert left.position_x + left.margin_width() <= right_head.position_x + 0.5
