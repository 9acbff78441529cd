"""``make report``: results and figures into HTML (Jinja2), then HTML into the PDF (WeasyPrint).

Two steps, so that ``make`` redoes only what changed:

    python -m report.render html   # templates + results.json -> build/report.html
    python -m report.render pdf    # report.html + report.css  -> build/report.pdf
    python -m report.render html pdf   # both in one process (what make runs after a template edit)

A broken template stops the build with ``templates/...:LINE: message``; a
refused fetch or a missing system library with one line saying what to do.
Outputs are written atomically: a failed build leaves the last good files.
"""

import argparse
import json
import logging
import os
import sys
import traceback
from pathlib import Path
from urllib.parse import unquote, urlparse

from markupsafe import Markup

from report import alt, findings, paths, xref
from report.atomic import write_atomic

ROOT, TEMPLATES, RESULTS_PATH, HTML_PATH, PDF_PATH = (
    paths.ROOT,
    paths.TEMPLATES,
    paths.RESULTS,
    paths.HTML,
    paths.PDF,
)
FIGURES = (
    "error", "misclassification", "confusion", "hidden_size", "learning_rate", "weight_scale", "grid",
    "eq_forward", "eq_error", "eq_backprop", "eq_update",
)  # fmt: skip
# Where the fonts' subset timestamps come from when the caller sets none:
# a fixed instant, so that the same inputs give the same PDF bytes.
DEFAULT_SOURCE_DATE_EPOCH = "1700000000"
SYSTEM_LIBRARIES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
# A tagged PDF/UA-1 (ISO 14289-1): a structure tree in reading order, /Lang from
# <html lang>, /Alt on every figure, table header cells, a title shown as the
# window title. UA-1 rather than UA-2: it is PDF 1.7, which every reader opens,
# and the one that the checkers people use (veraPDF, PAC, Acrobat's) all test;
# WeasyPrint 70 writes the same structure tree for both (UA-2 adds only the PDF 2.0
# namespace), so UA-2 would cost compatibility and gain nothing here.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class ReportError(RuntimeError):
    """A build step failed; the message says where and what to do."""


_shown = paths.shown


# --- formatting filters: every number in the prose goes through one -------------


def pct(value, digits=1):
    """0.9667 -> '96.7%'."""
    return f"{100 * float(value):.{digits}f}%"


def points(value, digits=1):
    """A difference of fractions in percentage points: 0.0103 -> '1.0'."""
    return f"{100 * float(value):.{digits}f}"


def num(value, digits=3):
    """A plain number with a fixed number of decimals."""
    return f"{float(value):.{digits}f}"


def sig(value, digits=3):
    """A number to ``digits`` significant digits, without exponent where short."""
    return f"{float(value):.{digits}g}"


def sci(value, digits=1):
    """3.36e-10 -> '3.4 × 10<sup>−10</sup>' (HTML)."""
    value = float(value)
    if value == 0:
        return Markup("0")
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return Markup(f"{mantissa} × 10<sup>{int(exponent)}</sup>".replace("-", "−"))


def pvalue(value):
    """A p-value as a reader expects it: 'p = 0.110', 'p < 0.001'."""
    value = float(value)
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


FILTERS = {"pct": pct, "points": points, "num": num, "sig": sig, "sci": sci, "pvalue": pvalue}


def environment(templates=TEMPLATES):
    import jinja2  # here, not at the top: the PDF step does without it (~0.1 s a re-render)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,  # a misspelt name fails the build
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=False,  # a newline after a tag is a space between sentences
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def _template_location(error, templates):
    """Return 'templates/FILE:LINE' for a template error, from the error or its traceback."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if filename is None:
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith(".j2"):
                filename, line = frame.filename, frame.lineno
                break
    if filename is None:
        return str(_shown(templates))
    return f"{_shown(filename)}:{line}"


def render_html(results, templates=TEMPLATES, output=HTML_PATH):
    """Return the report's HTML for ``results`` (the parsed results.json), to be saved as ``output``."""
    import jinja2

    env = environment(templates)
    derived = findings.derive(results)
    # a global, so that the macros imported by the discussion partials see it too
    env.globals["alt"] = alt.describe(results, derived, FILTERS)
    context = {
        # relative, so that the HTML opens in a browser and renders from its own folder
        "stylesheet": Path(os.path.relpath(Path(templates) / "report.css", Path(output).parent)).as_posix(),
        "report": results["settings"]["report"],
        "settings": results["settings"],
        "run": results["run"],
        "study": results["study"],
        "verification": results["verification"],
        "versions": results["versions"],
        "findings": derived,
        "figures": {name: f"figures/{name}.svg" for name in FIGURES},
    }
    try:
        html = env.get_template("report.html.j2").render(context)
    except jinja2.TemplateSyntaxError as error:
        raise ReportError(f"{_template_location(error, templates)}: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise ReportError(f"{_template_location(error, templates)}: {error.message}") from None
    except jinja2.TemplateNotFound as error:
        raise ReportError(f"{_shown(templates)}: template not found: {error.name}") from None
    except (TypeError, ValueError) as error:
        raise ReportError(f"{_template_location(error, templates)}: {error}") from None
    try:
        return xref.number(html)[0]
    except xref.ReferenceError as error:
        raise ReportError(f"{_shown(templates)}: {error}") from None


def build_html(results_path=RESULTS_PATH, templates=TEMPLATES, output=HTML_PATH):
    try:
        results = json.loads(Path(results_path).read_text())
    except FileNotFoundError:
        raise ReportError(f"{_shown(results_path)} not found: run `make results` first") from None
    write_atomic(output, render_html(results, templates, output))


# --- PDF -------------------------------------------------------------------------


def _import_weasyprint():
    try:
        import weasyprint
        from weasyprint.urls import FatalURLFetchingError, URLFetcher
    except OSError as error:  # cffi could not load Pango or one of its libraries
        raise ReportError(
            f"WeasyPrint cannot load a system library ({error}). "
            f"On Debian or Ubuntu install them with: sudo apt-get install {SYSTEM_LIBRARIES}"
        ) from None
    return weasyprint, URLFetcher, FatalURLFetchingError


def project_fetcher(root=ROOT):
    """A URL fetcher that reads files inside ``root`` and refuses everything else.

    A template naming a remote URL or a file elsewhere stops the build
    before any connection is made.
    """
    _, URLFetcher, FatalURLFetchingError = _import_weasyprint()
    root = Path(root).resolve()

    class ProjectFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
                path = Path(unquote(parsed.path)).resolve()
                if path.is_relative_to(root):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(
                f"refusing to fetch {url}: the report may only use files inside {root}"
            )

    return ProjectFetcher(allowed_protocols=("file", "data"))


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_pdf(html_path=HTML_PATH, output=PDF_PATH, root=ROOT):
    """Render ``html_path`` to ``output``; return WeasyPrint's warnings."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH)
    weasyprint, _, FatalURLFetchingError = _import_weasyprint()
    html_path = Path(html_path)
    if not html_path.exists():
        raise ReportError(f"{_shown(html_path)} not found: run `make html` first")
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        document = weasyprint.HTML(filename=str(html_path), url_fetcher=project_fetcher(root))
        pdf = document.write_pdf(**PDF_OPTIONS)
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error
        raise ReportError(f"{_shown(html_path)}: {cause}") from None
    finally:
        logger.removeHandler(collect)
    write_atomic(output, pdf)
    return collect.messages


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "steps", nargs="+", choices=["html", "pdf"], metavar="STEP",
        help="html, pdf, or both (one process: one start-up and one set of imports for both)",
    )  # fmt: skip
    parser.add_argument("--templates", type=Path, default=TEMPLATES)
    parser.add_argument("--results", type=Path, default=RESULTS_PATH)
    parser.add_argument("--html", type=Path, default=HTML_PATH)
    parser.add_argument("--pdf", type=Path, default=PDF_PATH)
    args = parser.parse_args(argv)
    try:
        if "html" in args.steps:
            build_html(args.results, args.templates, args.html)
            print(f"Wrote {_shown(args.html)} (open it in a browser for a preview)", file=sys.stderr)
        if "pdf" in args.steps:
            for message in build_pdf(args.html, args.pdf):
                print(f"warning: WeasyPrint: {message}", file=sys.stderr)
            print(f"Wrote {_shown(args.pdf)}", file=sys.stderr)
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        print("The previous report, if any, is unchanged.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
