"""The PDF as a document: tagged (PDF/UA-1), alt text in numbers, text that is text, bookmarks and links.

Read back with pypdf from the report built from the fixture settings (conftest.py's ``built``); the
expected values come from the results (formatted independently here) or
from the HTML the PDF was made from, never from the PDF writer's own output.
"""

import html as htmllib
import re

import pytest
from pypdf import PdfReader

from report import alt, experiments, figures, findings, render
from report.paths import FIGURE_NAMES, ROOT

pytestmark = pytest.mark.slow


def elements(reader):
    """Every structure element of the tagged PDF, in document order (depth first)."""
    found = []

    def walk(node):
        node = node.get_object()
        if not hasattr(node, "get"):
            return  # a marked-content id
        if node.get("/Type") == "/OBJR":
            return  # an annotation's place in the tree
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [] if kids is None else [kids]:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def text(reader):
    return " ".join("".join(page.extract_text() for page in reader.pages).split())


# --- 1. tagged and accessible ---------------------------------------------------


def test_a_tagged_pdf_ua_1_with_language_and_title(built):
    reader = built["reader"]
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en"  # from <html lang="en">
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.pdf_header == "%PDF-1.7"
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert re.search(r'pdfuaid:part="1"', xmp), xmp
    kinds = {e["/S"] for e in elements(reader)}
    assert {"/Document", "/H1", "/H2", "/H3", "/P", "/Figure", "/Caption", "/Table", "/TH", "/TD"} <= kinds


def test_the_reading_order_is_the_documents(built):
    """Headings in the structure tree come in the order of the HTML."""
    tagged = [e["/S"][1:].lower() for e in elements(built["reader"]) if e["/S"] in ("/H1", "/H2", "/H3")]
    in_html = re.findall(r"<(h[123])\b", built["html"])
    assert tagged == in_html


def test_every_figure_has_alt_text(built):
    figures_ = [e for e in elements(built["reader"]) if e["/S"] == "/Figure"]
    images = re.findall(r"<img\b[^>]*>", built["html"])
    assert len(figures_) == len(images) == len(FIGURE_NAMES)
    for figure in figures_:
        assert len(str(figure.get("/Alt", "")).split()) >= 5, figure.get("/Alt")  # a sentence, not a name


def test_alt_text_says_what_a_figure_shows_in_numbers(built):
    alts = [str(e["/Alt"]) for e in elements(built["reader"]) if e["/S"] == "/Figure"]
    run = built["results"]["run"]
    E = run["E_total"]
    error = next(a for a in alts if "cross-entropy" in a and a.startswith("Line chart"))
    # falls (or rises) from the first to the last value, as the prose prints them
    assert f"from {E[0]:.3f} to {E[-1]:.3f}" in error and f"over {run['iterations']} iterations" in error
    confusion = next(a for a in alts if a.startswith("Heatmap of the confusion matrix"))
    for name, row in zip(run["class_names"], run["confusion_matrix"], strict=True):
        assert f"true {name}: {', '.join(map(str, row))}" in confusion
    hidden = next(a for a in alts if "hidden units M" in a)
    for point in built["results"]["study"]["hidden_size"]:
        assert f"{100 * point['test']['mean']:.1f}% at M = {point['value']}" in hidden


def test_equations_have_their_formula_as_alt_text(built):
    alts = [str(e["/Alt"]) for e in elements(built["reader"]) if e["/S"] == "/Figure"]
    for symbols in (["z0", "W1", "σ(a)"], ["E_total", "ln", "t_nk"], ["δ_k = y_k − t_k", "∂E_n"], ["η", "∇"]):
        assert any(all(s in a for s in symbols) for a in alts), symbols


def test_alt_text_reads_right_when_training_goes_badly(built):
    """A rising error and a diverged study point still give true sentences."""
    results = built["results"]
    run = {**results["run"], "E_total": [0.5, 0.9, 0.7]}
    points = [dict(p) for p in results["study"]["hidden_size"]]
    points[0] = {**points[0], "test": {**points[0]["test"], "mean": None}}
    study = {**results["study"], "hidden_size": points}
    texts = alt.describe({**results, "run": run, "study": study}, findings.derive({**results, "run": run}),
                         render.FILTERS)  # fmt: skip
    assert "rises from 0.500 to 0.700" in texts["error"] and "rising at 1 of the iterations" in texts["error"]
    assert f"none (every run diverged) at M = {points[0]['value']}" in texts["hidden_size"]


def test_table_cells_have_header_cells(built):
    tagged = elements(built["reader"])
    tables = [e for e in tagged if e["/S"] == "/Table"]
    assert len(tables) == built["html"].count("<table")
    headers = [e for e in tagged if e["/S"] == "/TH"]
    assert len(headers) == built["html"].count("<th ")  # every <th> carries its scope
    ids = {str(h["/ID"]) for h in headers}
    for cell in (e for e in tagged if e["/S"] == "/TD"):
        assert cell["/A"]["/Headers"], "a data cell without a header"
        assert {str(h) for h in cell["/A"]["/Headers"]} <= ids


# --- 2. text that is text ------------------------------------------------------


def test_the_figures_labels_are_text(built):
    found = text(built["reader"])
    for label in ("Iteration", "Mean cross-entropy (nats)", "Misclassified (%)", "Predicted class",
                  "True class", "Hidden units M", "Learning rate η", "Accuracy (%)", "training set",
                  "Mean test accuracy (%)"):  # fmt: skip
        assert label in found, label


def test_equation_images_keep_their_outlines(built, tmp_path):
    """Mathtext's glyphs as text would read scrambled: equations stay drawn, their formula is the alt."""
    out = tmp_path / "figures"
    results = tmp_path / "results.json"
    results.write_text(experiments.dumps(built["results"]))
    assert figures.main(["--results", str(results), "--output", str(out)]) == 0
    assert "<text" not in (out / "eq_update.svg").read_text()
    assert "<text" in (out / "error.svg").read_text()


# --- 3. navigation -------------------------------------------------------------


def outline_titles(items):
    for item in items:
        if isinstance(item, list):
            yield from outline_titles(item)
        else:
            yield item.title


def test_bookmarks_carry_the_numbers_and_the_appendices(built):
    titles = list(outline_titles(built["reader"].outline))
    headings = re.findall(r"<h([23])\b[^>]*>(.*?)</h\1>", built["html"], re.S)
    expected = [" ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", h)).split()) for _, h in headings]
    assert titles[1:] == expected  # the first is the title (h1)
    sections = [t for t in titles if re.match(r"\d+ ", t)]
    assert [int(t.split()[0]) for t in sections] == list(range(1, len(sections) + 1))
    assert any(re.match(r"\d+\.\d+ ", t) for t in titles)
    assert [t.split(".")[0] for t in titles if t.startswith("Appendix")] == ["Appendix A", "Appendix B"]


def test_every_cross_reference_is_a_link_inside_the_document(built):
    reader = built["reader"]
    links = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    targets = re.findall(r'<a class="xref" href="#([^"]+)">', built["html"])
    assert targets and sorted(str(a["/Dest"]) for a in links) == sorted(targets)
    named = reader.named_destinations
    for link in links:
        assert link["/Subtype"] == "/Link" and str(link["/Dest"]) in named
        assert link["/Contents"]  # PDF/UA-1: a link has a description


def test_code_and_file_names_are_never_hyphenated(built):
    found = text(built["reader"])
    spans = re.findall(r"<code>(.*?)</code>", built["html"], re.S)
    codes = {" ".join(htmllib.unescape(c).split()) for c in spans}
    assert "report/settings.toml" in codes
    for code in codes:
        assert code in found, code


def test_code_is_kept_whole_wherever_a_line_ends(tmp_path):
    """The stylesheet on a paragraph that puts file names at every position of a line."""
    import weasyprint

    names = ["report/settings.toml", "templates/discussion/study.html.j2", "split_train_test"]
    words = " ".join(
        f"{'word ' * (i % 9)}<code>{names[i % len(names)]}</code> and" for i in range(60)
    )  # fmt: skip
    page = f'<html lang="en"><link rel="stylesheet" href="templates/report.css"><p>{words}</p></html>'
    out = tmp_path / "code.pdf"
    weasyprint.HTML(string=page, base_url=str(ROOT) + "/").write_pdf(out)
    found = text(PdfReader(out))
    for i, name in enumerate(names):
        assert found.count(name) == len(range(i, 60, len(names))), name
