"""The report: figures from results alone, the template's errors, and the PDF."""

import os
import re
import shutil
import socket
import subprocess
import sys

import pytest
from pypdf import PdfReader

from report import figures, paths, render
from report.paths import ROOT
from report.render import ReportError
from tests.report.conftest import fake_tree, planned

pytestmark = pytest.mark.slow


def pdf_text(path):
    return " ".join("".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_a_clean_build_has_no_warnings(built):
    assert built["warnings"] == []


def test_pdf_holds_the_accuracy_confusion_matrix_and_page_numbers(built):
    text = pdf_text(built["build"] / "report.pdf")
    run = built["results"]["run"]
    for name, row in zip(run["class_names"], run["confusion_matrix"], strict=True):
        assert re.search(rf"{name} {' '.join(map(str, row))} {sum(row)}", text), (name, row)
    pages = len(PdfReader(built["build"] / "report.pdf").pages)
    assert "Page 1 of" in text and f"Page {pages} of {pages}" in text


def test_pdf_metadata(built):
    meta = PdfReader(built["build"] / "report.pdf").metadata
    settings = built["results"]["settings"]["report"]
    assert meta.title == settings["title"]
    assert meta.author == settings["name"]
    assert settings["course"] in meta.subject


def test_two_builds_are_byte_identical(built, tmp_path):
    again = tmp_path / "again.pdf"
    render.build_pdf(built["build"] / "report.html", again, root=built["root"])
    assert again.read_bytes() == (built["build"] / "report.pdf").read_bytes()


def test_every_figure_is_made_from_results_alone(built, tmp_path):
    out = tmp_path / "figures"
    assert figures.main(["--results", str(built["build"] / "results.json"), "--output", str(out)]) == 0
    made = sorted(p.stem for p in out.glob("*.svg"))
    assert made == sorted(paths.FIGURE_NAMES)
    for name in made:
        svg = (out / f"{name}.svg").read_text()
        assert svg.startswith("<?xml") and "<svg" in svg
        assert svg == (built["build"] / "figures" / f"{name}.svg").read_text()  # deterministic


def test_missing_results_is_a_clear_error(tmp_path, capsys):
    assert figures.main(["--results", str(tmp_path / "none.json"), "--output", str(tmp_path)]) == 2
    assert "run `make results` first" in capsys.readouterr().err


def broken_templates(built, tmp_path, partial, bad):
    """A copy of the templates whose ``partial`` is replaced by a fixture text with ``bad`` on line 3.

    The shipped partial's words are the student's: the tests write their own.
    """
    templates = tmp_path / "templates"
    shutil.copytree(built["root"] / "templates", templates)
    (templates / "discussion" / partial).write_text(
        f"<p>A fixture partial.\n{{{{ run.test_size }}}} points.\n{bad}\n</p>\n"
    )
    return templates, 3


def test_an_undefined_name_names_its_file_and_line_and_keeps_the_old_outputs(built, tmp_path, capsys):
    templates, line = broken_templates(built, tmp_path, "accuracy.html.j2", "{{ run.train_acuracy | pct }}")
    html = built["build"] / "report.html"
    before = html.read_bytes()
    results = str(built["build"] / "results.json")
    code = render.main(["html", "--templates", str(templates), "--results", results, "--html", str(html)])
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(rf"discussion/accuracy\.html\.j2:{line}: .*train_acuracy", err), err
    assert "previous report" in err
    assert html.read_bytes() == before


def test_a_syntax_error_names_its_file_and_line(built, tmp_path):
    templates, line = broken_templates(built, tmp_path, "error.html.j2", "{% if %}{% endif %}")
    with pytest.raises(ReportError, match=rf"discussion/error\.html\.j2:{line}: "):
        render.render_html(built["results"], templates)


def test_compiled_templates_are_cached_and_an_edit_is_seen(built, tmp_path):
    """A re-render reuses the compiled templates (build/.jinja-cache) and gives the same HTML;
    an edited partial, a damaged cache file or a cache that cannot be written change nothing else."""
    templates = tmp_path / "templates"
    shutil.copytree(built["root"] / "templates", templates)
    results, html = built["build"] / "results.json", tmp_path / "build" / "report.html"
    uncached = render.render_html(built["results"], templates, html)
    render.build_html(results, templates, html)
    cached = sorted((html.parent / render.CACHE_FOLDER).iterdir())
    assert cached and html.read_text() == uncached
    render.build_html(results, templates, html)  # from the cache
    assert html.read_text() == uncached
    partial = templates / "discussion" / "accuracy.html.j2"
    partial.write_text("<p>A fixture partial, edited: {{ run.test_size }} points.</p>\n")
    render.build_html(results, templates, html)
    assert f"A fixture partial, edited: {built['results']['run']['test_size']} points." in html.read_text()
    for entry in cached:
        entry.write_bytes(b"damaged")
    render.build_html(results, templates, html)
    assert "A fixture partial, edited" in html.read_text()
    shutil.rmtree(html.parent / render.CACHE_FOLDER)
    (html.parent / render.CACHE_FOLDER).write_text("a file where the cache folder would be")
    render.build_html(results, templates, html)
    assert "A fixture partial, edited" in html.read_text()


def test_values_are_html_escaped(built):
    results = dict(built["results"])
    results["settings"] = {
        **results["settings"],
        "report": {**results["settings"]["report"], "name": "<b>&Co</b>"},
    }
    html = render.render_html(results, built["root"] / "templates")
    assert "&lt;b&gt;&amp;Co&lt;/b&gt;" in html and "<b>&Co</b>" not in html


def test_appendix_b_prints_the_seeds_compactly_by_the_rule_that_makes_them(built):
    import numpy as np

    def appendix(results):
        html = render.render_html(results, built["root"] / "templates")
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
        rule = re.search(r"int\(np\.random\.SeedSequence\((\d+)\)\.generate_state\((\d+)\)\[r\]\)", text)
        listed = re.search(r"scale s \): ([\d, …]+)", text).group(1)
        return int(rule[1]), int(rule[2]), [int(v) for v in re.findall(r"\d+", listed)], "…" in listed

    results = dict(built["results"])
    seed, n, printed, elided = appendix(results)
    # the rule, run independently, gives the seeds the study used, all printed when they are few
    rule = [int(v) for v in np.random.SeedSequence(seed).generate_state(n)]
    assert seed == results["run"]["seed"] and rule == results["study"]["seeds"] == printed and not elided
    many = [int(v) for v in np.random.SeedSequence(seed).generate_state(150)]
    results["study"] = {**results["study"], "seeds": many}
    seed, n, printed, elided = appendix(results)
    assert n == 150 and elided and len(printed) <= 8  # 150 seeds would fill more than a page
    assert printed == many[:5] + many[-2:]


def test_a_remote_url_is_refused_without_a_network_call(built, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: calls.append(address))
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: calls.append(a))
    for url in ("http://example.com/logo.png", "file:///etc/hostname"):
        html = built["build"] / "remote.html"
        html.write_text((built["build"] / "report.html").read_text().replace(
            "</body>", f'<img src="{url}"></body>'))  # fmt: skip
        out = tmp_path / "remote.pdf"
        with pytest.raises(ReportError, match=f"refusing to fetch {re.escape(url)}"):
            render.build_pdf(html, out, root=built["root"])
        assert not out.exists()
    assert calls == []


def test_filters_format_and_touch_their_value():
    """The templates' filters are report/numbers.py's rules (tested there), reached by their names;
    ``sci``'s HTML is not escaped, a missing value fails the build."""
    env = render.environment()
    text = env.from_string(
        "{{ 0.96666 | pct }} {{ 1 | pct(0) }} {{ 0.0103 | points }} {{ 0.25374 | num }} {{ 1000 | sig }} "
        "{{ 3.36e-10 | sci }} {{ 0.1104 | pvalue }} {{ 2 | plural('hidden unit') }}"
    ).render()
    assert text == "96.7% 100% 1.0 0.254 1000 3.4 × 10<sup>−10</sup> p\u00a0=\u00a00.110 2 hidden units"
    with pytest.raises(Exception, match="is undefined"):
        env.from_string("{{ missing | pct }}").render()


def test_the_count_macro_is_the_plural_rule():
    env = render.environment()
    macro = '{% from "macros.html.j2" import count %}'
    assert env.from_string(macro + "{{ count(1, 'test point') }}|{{ count(30, 'test point') }}").render() == (
        "1 test point|30 test points"
    )
    assert env.from_string(macro + "{{ count(2, 'child', 'children') }}").render() == "2 children"


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
