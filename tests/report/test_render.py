"""The report: figures from results alone, the template's errors, and the PDF."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest
from pypdf import PdfReader

from report import experiments, figures, paths, render
from report.paths import ROOT
from report.render import ReportError
from tests.report.conftest import tiny_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A scratch copy of the report's inputs, with results from a tiny study and a built PDF."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "templates", root / "templates")
    build = root / "build"
    build.mkdir(parents=True)
    results = experiments.compute(tiny_settings())
    (build / "results.json").write_text(experiments.dumps(results))
    assert figures.main(["--results", str(build / "results.json"), "--output", str(build / "figures")]) == 0
    render.build_html(build / "results.json", root / "templates", build / "report.html")
    warnings = render.build_pdf(build / "report.html", build / "report.pdf", root=root)
    return {"root": root, "build": build, "results": results, "warnings": warnings}


def pdf_text(path):
    return " ".join("".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_a_clean_build_has_no_warnings(project):
    assert project["warnings"] == []


def test_pdf_holds_the_accuracy_confusion_matrix_and_page_numbers(project):
    text = pdf_text(project["build"] / "report.pdf")
    run = project["results"]["run"]
    for name, row in zip(run["class_names"], run["confusion_matrix"], strict=True):
        assert re.search(rf"{name} {' '.join(map(str, row))} {sum(row)}", text), (name, row)
    pages = len(PdfReader(project["build"] / "report.pdf").pages)
    assert "Page 1 of" in text and f"Page {pages} of {pages}" in text


def test_pdf_metadata(project):
    meta = PdfReader(project["build"] / "report.pdf").metadata
    settings = project["results"]["settings"]["report"]
    assert meta.title == settings["title"]
    assert meta.author == settings["name"]
    assert settings["course"] in meta.subject


def test_two_builds_are_byte_identical(project, tmp_path):
    again = tmp_path / "again.pdf"
    render.build_pdf(project["build"] / "report.html", again, root=project["root"])
    assert again.read_bytes() == (project["build"] / "report.pdf").read_bytes()


def test_every_figure_is_made_from_results_alone(project, tmp_path):
    out = tmp_path / "figures"
    assert figures.main(["--results", str(project["build"] / "results.json"), "--output", str(out)]) == 0
    made = sorted(p.stem for p in out.glob("*.svg"))
    assert made == sorted(render.FIGURES)
    for name in made:
        svg = (out / f"{name}.svg").read_text()
        assert svg.startswith("<?xml") and "<svg" in svg
        assert svg == (project["build"] / "figures" / f"{name}.svg").read_text()  # deterministic


def test_missing_results_is_a_clear_error(tmp_path, capsys):
    assert figures.main(["--results", str(tmp_path / "none.json"), "--output", str(tmp_path)]) == 2
    assert "run `make results` first" in capsys.readouterr().err


def broken_templates(project, tmp_path, partial, bad):
    """A copy of the templates whose ``partial`` is replaced by a fixture text with ``bad`` on line 3.

    The shipped partial's words are the student's: the tests write their own.
    """
    templates = tmp_path / "templates"
    shutil.copytree(project["root"] / "templates", templates)
    (templates / "discussion" / partial).write_text(
        f"<p>A fixture partial.\n{{{{ run.test_size }}}} points.\n{bad}\n</p>\n"
    )
    return templates, 3


def test_an_undefined_name_names_its_file_and_line_and_keeps_the_old_outputs(project, tmp_path, capsys):
    templates, line = broken_templates(project, tmp_path, "accuracy.html.j2", "{{ run.train_acuracy | pct }}")
    html = project["build"] / "report.html"
    before = html.read_bytes()
    results = str(project["build"] / "results.json")
    code = render.main(["html", "--templates", str(templates), "--results", results, "--html", str(html)])
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(rf"discussion/accuracy\.html\.j2:{line}: .*train_acuracy", err), err
    assert "previous report" in err
    assert html.read_bytes() == before


def test_a_syntax_error_names_its_file_and_line(project, tmp_path):
    templates, line = broken_templates(project, tmp_path, "error.html.j2", "{% if %}{% endif %}")
    with pytest.raises(ReportError, match=rf"discussion/error\.html\.j2:{line}: "):
        render.render_html(project["results"], templates)


def test_compiled_templates_are_cached_and_an_edit_is_seen(project, tmp_path):
    """A re-render reuses the compiled templates (build/.jinja-cache) and gives the same HTML;
    an edited partial, a damaged cache file or a cache that cannot be written change nothing else."""
    templates = tmp_path / "templates"
    shutil.copytree(project["root"] / "templates", templates)
    results, html = project["build"] / "results.json", tmp_path / "build" / "report.html"
    uncached = render.render_html(project["results"], templates, html)
    render.build_html(results, templates, html)
    cached = sorted((html.parent / render.CACHE_FOLDER).iterdir())
    assert cached and html.read_text() == uncached
    render.build_html(results, templates, html)  # from the cache
    assert html.read_text() == uncached
    partial = templates / "discussion" / "accuracy.html.j2"
    partial.write_text("<p>A fixture partial, edited: {{ run.test_size }} points.</p>\n")
    render.build_html(results, templates, html)
    assert f"A fixture partial, edited: {project['results']['run']['test_size']} points." in html.read_text()
    for entry in cached:
        entry.write_bytes(b"damaged")
    render.build_html(results, templates, html)
    assert "A fixture partial, edited" in html.read_text()
    shutil.rmtree(html.parent / render.CACHE_FOLDER)
    (html.parent / render.CACHE_FOLDER).write_text("a file where the cache folder would be")
    render.build_html(results, templates, html)
    assert "A fixture partial, edited" in html.read_text()


def test_values_are_html_escaped(project):
    results = dict(project["results"])
    results["settings"] = {
        **results["settings"],
        "report": {**results["settings"]["report"], "name": "<b>&Co</b>"},
    }
    html = render.render_html(results, project["root"] / "templates")
    assert "&lt;b&gt;&amp;Co&lt;/b&gt;" in html and "<b>&Co</b>" not in html


def test_appendix_b_prints_the_seeds_compactly_by_the_rule_that_makes_them(project):
    import numpy as np

    def appendix(results):
        html = render.render_html(results, project["root"] / "templates")
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
        rule = re.search(r"int\(np\.random\.SeedSequence\((\d+)\)\.generate_state\((\d+)\)\[r\]\)", text)
        listed = re.search(r"scale s \): ([\d, …]+)", text).group(1)
        return int(rule[1]), int(rule[2]), [int(v) for v in re.findall(r"\d+", listed)], "…" in listed

    results = dict(project["results"])
    seed, n, printed, elided = appendix(results)
    # the rule, run independently, gives the seeds the study used, all printed when they are few
    rule = [int(v) for v in np.random.SeedSequence(seed).generate_state(n)]
    assert seed == results["run"]["seed"] and rule == results["study"]["seeds"] == printed and not elided
    many = [int(v) for v in np.random.SeedSequence(seed).generate_state(150)]
    results["study"] = {**results["study"], "seeds": many}
    seed, n, printed, elided = appendix(results)
    assert n == 150 and elided and len(printed) <= 8  # 150 seeds would fill more than a page
    assert printed == many[:5] + many[-2:]


def test_a_remote_url_is_refused_without_a_network_call(project, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: calls.append(address))
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: calls.append(a))
    for url in ("http://example.com/logo.png", "file:///etc/hostname"):
        html = project["build"] / "remote.html"
        html.write_text((project["build"] / "report.html").read_text().replace(
            "</body>", f'<img src="{url}"></body>'))  # fmt: skip
        out = tmp_path / "remote.pdf"
        with pytest.raises(ReportError, match=f"refusing to fetch {re.escape(url)}"):
            render.build_pdf(html, out, root=project["root"])
        assert not out.exists()
    assert calls == []


def test_filters_format_and_touch_their_value():
    assert render.pct(0.96666) == "96.7%"
    assert render.pct(1) == "100.0%"
    assert render.points(0.0103) == "1.0"
    assert render.pvalue(0.1104) == "p\u00a0=\u00a00.110" and render.pvalue(1e-5) == "p\u00a0<\u00a00.001"
    assert str(render.sci(3.36e-10)) == "3.4 × 10<sup>−10</sup>"
    env = render.environment()
    with pytest.raises(Exception, match="is undefined"):
        env.from_string("{{ missing | pct }}").render()


def test_sig_prints_numbers_as_prose_does():
    # a learning rate of 1000 once read "1e+03"; settings as typed are printed exactly
    assert render.sig(1000) == "1000" and render.sig(1000.0) == "1000"
    assert render.sig(0.1) == "0.1" and render.sig(1.0) == "1" and render.sig(0.03) == "0.03"
    assert render.sig(1234) == "1234" and render.sig(0.12345) == "0.12345" and render.sig(0.8) == "0.8"
    # values no one typed are rounded to the digits asked for
    assert render.sig(2 / 3) == "0.667" and render.sig(0.123456789) == "0.123"
    assert render.sig(0.0625, 3) == "0.0625" and render.sig(1 / 30, 2) == "0.033"
    assert render.sig(0.0078125, 3) == "0.00781" and render.sig(0.0078125) == "0.0078125"
    # beyond plain decimals, a power of ten, never Python's exponent notation
    assert render.sig(1e-5) == "10⁻⁵" and render.sig(2.5e-7) == "2.5 × 10⁻⁷"
    assert render.sig(4294967295) == "4.29 × 10⁹" and render.sig(1e6) == "10⁶"
    for value in (1e-9, 3e-5, 1e-4, 0.5, 7, 999999, 1e6, 12345678, 1e300):
        assert "e" not in render.sig(value), value


def fake_tree(root):
    """The Makefile with stand-ins for every file of the pipeline, oldest inputs first."""
    shutil.copy(ROOT / "Makefile", root / "Makefile")
    files = ["requirements.lock", "pyproject.toml", "report/settings.toml", "assignment/data/iris.csv"]
    files += [
        str(p.relative_to(ROOT)) for folder in ("assignment", "report") for p in (ROOT / folder).rglob("*.py")
    ]
    files += [str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*") if p.is_file()]
    figures = [f"build/figures/{name}.svg" for name in paths.FIGURE_NAMES]
    outputs = [".venv/.installed", "build/results.json", *figures, "build/report.html", "build/report.pdf"]
    now = time.time()
    for age, name in enumerate(reversed(files + outputs)):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, (now - 100 - age, now - 100 - age))
    # the Makefile reads the figures' names from report/paths.py, and checks that .venv works,
    # with the venv's Python: here the one running the tests
    shutil.copy(ROOT / "report/paths.py", root / "report/paths.py")
    (root / ".venv/bin").mkdir(parents=True, exist_ok=True)
    (root / ".venv/bin/python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (root / ".venv/bin/python").chmod(0o755)
    os.utime(root / "report/paths.py", (now - 200, now - 200))


def planned(root):
    result = subprocess.run(["make", "-n", "report"], cwd=root, capture_output=True, text=True, check=True)
    return result.stdout


def test_the_pipeline_reruns_only_what_changed(tmp_path):
    fake_tree(tmp_path)
    assert "report." not in planned(tmp_path)  # all up to date
    (tmp_path / "templates/discussion/conclusion.html.j2").touch()
    plan = planned(tmp_path)
    assert "report.render html pdf" in plan  # both, in one process
    assert "report.experiments" not in plan and "report.figures" not in plan
    fake_tree(tmp_path)
    (tmp_path / "templates/report.css").touch()
    plan = planned(tmp_path)
    assert plan.count("-m report.") == 1 and "report.render pdf" in plan  # the PDF only
    fake_tree(tmp_path)
    (tmp_path / "report/settings.toml").touch()
    plan = planned(tmp_path)
    assert all(step in plan for step in ("experiments", "figures", "render html pdf"))


def test_a_missing_system_library_names_the_packages(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'pango-1.0-0': pango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    with pytest.raises(
        ReportError, match=r"cannot load library 'pango-1.0-0'.*apt-get install libpango-1.0-0"
    ):
        render.build_pdf()


def test_weasyprint_loads_its_libraries_without_the_search_and_with_it_where_needed():
    """The quick load (no ctypes library search) restores the search afterwards; where the quick
    load fails (libraries found only by the search), WeasyPrint is loaded with the search."""
    import ctypes.util

    search = ctypes.util.find_library
    with pytest.raises(RuntimeError), render._libraries_by_file_name():
        assert ctypes.util.find_library("c") is None
        raise RuntimeError
    assert ctypes.util.find_library is search
    # a fresh process, as WeasyPrint is imported once per process
    script = (
        "import contextlib, cffi\n"
        "from report import render\n"
        "@contextlib.contextmanager\n"
        "def failing():\n"
        "    load = cffi.FFI.dlopen\n"
        "    def refuse(self, name, flags=0):\n"
        "        raise OSError(f'cannot load library {name!r}')\n"
        "    cffi.FFI.dlopen = refuse\n"
        "    try:\n"
        "        yield\n"
        "    finally:\n"
        "        cffi.FFI.dlopen = load\n"
        "render._libraries_by_file_name = failing\n"
        "weasyprint, _, _ = render._import_weasyprint()\n"
        "print(weasyprint.__name__, render.notices())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("weasyprint [")


def test_hyphenation_dictionaries_are_cached_beside_the_pdf(tmp_path, monkeypatch):
    """The parsed dictionary of each language of the page is pickled once and read back after;
    a damaged cache is parsed afresh, and one that cannot be written is no cache."""
    import pickle

    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback("en")]
    parsed = pyphen.HyphDict(path)
    html, folder = '<html lang="en"><body><p>Hyphenation</p></body></html>', tmp_path / "cache"
    monkeypatch.setattr(pyphen, "hdcache", {})
    render._load_hyphenation(html, folder)
    assert pyphen.hdcache[path].patterns == parsed.patterns
    (cache,) = folder.iterdir()
    marked = pickle.loads(cache.read_bytes())
    marked.patterns["marked"] = (0, (1,))
    cache.write_bytes(pickle.dumps(marked))
    monkeypatch.setattr(pyphen, "hdcache", {})
    render._load_hyphenation(html, folder)
    assert "marked" in pyphen.hdcache[path].patterns  # read from the cache, not parsed
    cache.write_bytes(b"damaged")
    monkeypatch.setattr(pyphen, "hdcache", {})
    render._load_hyphenation(html, folder)
    assert pyphen.hdcache[path].patterns == parsed.patterns
    assert pickle.loads(cache.read_bytes()).patterns == parsed.patterns  # written again
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setattr(pyphen, "hdcache", {})
    render._load_hyphenation(html, tmp_path / "a-file" / "cache")
    assert pyphen.hdcache[path].patterns == parsed.patterns
