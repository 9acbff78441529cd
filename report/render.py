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
import contextlib
import io
import logging
import os
import re
import signal
import sys
import threading
import traceback
import warnings
from pathlib import Path
from urllib.parse import unquote, urlparse

from markupsafe import Markup

from report import alt, findings, numbers, xref
from report import ffi_cache as ffi_cache_module
from report.atomic import WriteError, write_atomic
from report.paths import FIGURE_NAMES, HTML, PDF, RESULTS, ROOT, TEMPLATES, shown
from report.results import ResultsError, damaged, read_results

# Where the fonts' subset timestamps come from when the caller sets none:
# a fixed instant, so that the same inputs give the same PDF bytes.
DEFAULT_SOURCE_DATE_EPOCH = "1700000000"
SYSTEM_LIBRARIES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
# WeasyPrint's words when HarfBuzz-Subset is missing: a warning at import and
# one per font. The PDF is complete without it (fontTools subsets the fonts):
# one notice, not an error.
HARFBUZZ_SUBSET_MISSING = ("HarfBuzz-Subset will be required", "instead of HarfBuzz-Subset")
HARFBUZZ_NOTICE = (
    "WeasyPrint: the HarfBuzz-Subset library is missing, so fonts are subset with fontTools "
    "(slower; the PDF is complete): on Debian or Ubuntu install it with "
    "`sudo apt-get install libharfbuzz-subset0`"
)
# A tagged PDF/UA-1 (ISO 14289-1): a structure tree in reading order, /Lang from
# <html lang>, /Alt on every figure, table header cells, a title shown as the
# window title. UA-1 rather than UA-2: it is PDF 1.7, which every reader opens,
# and the one that the checkers people use (veraPDF, PAC, Acrobat's) all test;
# WeasyPrint 70 writes the same structure tree for both (UA-2 adds only the PDF 2.0
# namespace), so UA-2 would cost compatibility and gain nothing here.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class ReportError(RuntimeError):
    """A build step failed; the message says where and what to do."""


# --- formatting filters: every number in the prose goes through one (report/numbers.py) ----


def sci(value, digits=1):
    """numbers.scientific_html, marked safe HTML (its <sup> is markup, not text)."""
    return Markup(numbers.scientific_html(value, digits))


FILTERS = {
    "pct": numbers.percent,
    "points": numbers.percent_number,
    "num": numbers.decimals,
    "sig": numbers.number_text,
    "sci": sci,
    "pvalue": numbers.p_value,
    "plural": numbers.plural,
}


# What one template expression may build, and how long a render may take: the
# sandbox bounds each range() (100,000) but not `"x" * 10**9`, `10 ** 10**10`
# or two nested loops, which would fill the memory or never end.
MAX_SIZE = 1_000_000  # items of a text or list made by `*`
MAX_EXPONENT = 10_000  # of an integer power: 10 ** 10000 has 10,001 digits
RENDER_SECONDS = 60  # the report renders in about a second


MAX_HTML = 10_000_000  # characters of HTML: the report has about 25,000


class _TooLarge(Exception):
    """The HTML grew past MAX_HTML: it would fill the memory before the time limit."""


def _bounded_render(template, context):
    """``template.render(context)``, stopped once the output passes MAX_HTML characters."""
    pieces, size = [], 0
    for piece in template.generate(context):
        size += len(piece)
        if size > MAX_HTML:
            raise _TooLarge
        pieces.append(piece)
    return "".join(pieces)


class _TooSlow(Exception):
    """The render went on for RENDER_SECONDS: a loop that (almost) never ends."""


def _sandbox_class():
    import jinja2.sandbox

    class ImmutableSandboxedEnvironment(jinja2.sandbox.ImmutableSandboxedEnvironment):
        """jinja2's sandbox, with `*` and `**` bounded (checked here, not folded at compile time)."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator, left, right):
            if operator == "*":
                for sequence, times in ((left, right), (right, left)):
                    if isinstance(sequence, str | list | tuple) and isinstance(times, int):
                        if len(sequence) * times > MAX_SIZE:
                            raise jinja2.sandbox.SecurityError(
                                f"`*` would make {len(sequence) * times:,} items: the sandbox allows at "
                                f"most {MAX_SIZE:,}: repeat less"
                            )
            elif operator == "**" and isinstance(left, int) and isinstance(right, int):
                if abs(left) > 1 and right > MAX_EXPONENT:
                    raise jinja2.sandbox.SecurityError(
                        f"`**` with the exponent {right:,}: the sandbox allows at most {MAX_EXPONENT:,} "
                        "for whole numbers: use a smaller one, or a float (10.0 ** n)"
                    )
            return super().call_binop(context, operator, left, right)

    return ImmutableSandboxedEnvironment


@contextlib.contextmanager
def _time_limit(seconds):
    """Raise _TooSlow in this (main) thread after ``seconds``; elsewhere, no limit."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def too_slow(signum, frame):
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


CACHE_FOLDER = ".jinja-cache"  # beside the HTML (build/): compiled templates; `make clean` removes it


def _bytecode_cache(folder):
    """Jinja's file cache of compiled templates in ``folder``, or None where there can be none.

    A re-render after one partial was edited compiles that partial alone: compiling every
    template is most of the HTML step's own work. Jinja keys an entry by the template's name
    and path and checks it against the source's checksum; the key here also holds this file's
    bytes and Jinja's version, since the compiled code depends on the environment's options
    (the sandbox's bounded operators, autoescape, whitespace). A cache that cannot be read or
    written is no cache: the build goes on and compiles.
    """
    import hashlib

    import jinja2

    fingerprint = hashlib.sha1(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()

    class BytecodeCache(jinja2.FileSystemBytecodeCache):
        def get_cache_key(self, name, filename=None):
            return super().get_cache_key(f"{fingerprint}|{name}", filename)

        def load_bytecode(self, bucket):
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001  (damaged or foreign: compile again)
                bucket.reset()

        def dump_bytecode(self, bucket):
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return BytecodeCache(str(folder))


def environment(templates=TEMPLATES, cache=None):
    """The templates' Jinja environment; ``cache``: a folder for compiled templates (none if None)."""
    # here, not at the top: the PDF step does without it (~0.1 s a re-render)
    import jinja2

    # A sandbox: the templates are edited by students and shared, and a plain
    # Environment lets one reach Python's internals and run a shell command.
    env = _sandbox_class()(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=_bytecode_cache(cache) if cache is not None else None,
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
        return str(shown(templates))
    return f"{shown(filename)}:{line}"


def _unreadable_template(templates):
    """The first template that is not UTF-8 text (Jinja's error does not name it)."""
    for path in sorted(Path(templates).rglob("*.j2")):
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            return shown(path)
    return shown(templates)


def render_html(results, templates=TEMPLATES, output=HTML, cache=None):
    """Return the report's HTML for ``results`` (the parsed results.json), to be saved as ``output``;
    ``cache``: a folder for the compiled templates (none if None)."""
    import jinja2

    env = environment(templates, cache)
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
        "figures": {name: f"figures/{name}.svg" for name in FIGURE_NAMES},
    }
    fix = "correct it (`git diff templates/` shows what you changed)"
    try:
        with _time_limit(RENDER_SECONDS):
            html = _bounded_render(env.get_template("report.html.j2"), context)
    except _TooLarge:
        raise ReportError(
            f"{shown(templates)}: the HTML would be more than {MAX_HTML:,} characters (the report has about "
            "25,000; a loop that repeats too often?): make the loops shorter"
        ) from None
    except _TooSlow as error:
        raise ReportError(
            f"{_template_location(error, templates)}: still rendering after {RENDER_SECONDS} s "
            "(a loop that repeats too often?): make the loops shorter"
        ) from None
    except MemoryError as error:
        raise ReportError(
            f"{_template_location(error, templates)}: out of memory (a text or list too large?): "
            "make it smaller"
        ) from None
    except UnicodeDecodeError as error:
        raise ReportError(
            f"{_unreadable_template(templates)}: not UTF-8 text (byte {error.start}): save it as UTF-8 "
            "in your editor"
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise ReportError(f"{_template_location(error, templates)}: {error.message}: {fix}") from None
    except jinja2.UndefinedError as error:
        raise ReportError(f"{_template_location(error, templates)}: {error.message}: {fix}") from None
    except jinja2.TemplateNotFound as error:
        raise ReportError(
            f"{_template_location(error, templates)}: template not found: {error.name}: correct the name, "
            f"or restore the file with `git checkout -- templates/`"
        ) from None
    except (TypeError, ValueError) as error:
        raise ReportError(f"{_template_location(error, templates)}: {error}: {fix}") from None
    except RecursionError as error:
        raise ReportError(
            f"{_template_location(error, templates)}: templates include one another without end: "
            "remove the include that closes the loop"
        ) from None
    except jinja2.TemplateError as error:  # SecurityError: the sandbox refused an operation
        raise ReportError(f"{_template_location(error, templates)}: {error.message or error}") from None
    except Exception as error:  # noqa: BLE001  (whatever a template's expression raises, e.g. 1/0)
        reason = f"{type(error).__name__}: {error}".splitlines()[0]
        raise ReportError(f"{_template_location(error, templates)}: {reason}") from None
    try:
        return xref.number(html)[0]
    except xref.ReferenceError as error:
        raise ReportError(f"{shown(templates)}: {error}") from None


def build_html(results_path=RESULTS, templates=TEMPLATES, output=HTML):
    try:
        results = read_results(results_path)
    except ResultsError as error:
        raise ReportError(str(error)) from None
    try:
        html = render_html(results, templates, output, cache=Path(output).parent / CACHE_FOLDER)
    except KeyError as error:  # a value the file should hold is not there
        raise ReportError(str(damaged(results_path, error))) from None
    write_atomic(output, html)


# --- PDF -------------------------------------------------------------------------


_notices = []  # one line each, shown once: an optional system library is missing


def _notice(message):
    if message not in _notices:
        _notices.append(message)


def notices():
    """The notices of this process so far (each distinct one once)."""
    return list(_notices)


def _is_harfbuzz_subset_missing(message):
    return any(words in message for words in HARFBUZZ_SUBSET_MISSING)


@contextlib.contextmanager
def _libraries_by_file_name():
    """While WeasyPrint loads Pango & co, skip ctypes' library search: the file names it tries too.

    WeasyPrint 70 tries each library under six names, and cffi hands a name without a dot
    ("libpango-1.0-0") to ctypes.util.find_library, which on Linux runs ldconfig, gcc and ld to
    look for it: about 50 processes, 0.3 s of a re-render, before it reaches the name that
    loads at once ("libpango-1.0.so.0"). Without the search those names fail at once.
    """
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


def _import_weasyprint(ffi_cache=None):
    """Import WeasyPrint once per process: (weasyprint, URLFetcher, FatalURLFetchingError).

    With ``ffi_cache`` (a folder), its C declarations come from there (see ``report.ffi_cache``).
    """
    # Importing WeasyPrint warns (DeprecationWarning) when HarfBuzz-Subset is
    # missing, and prints a banner to stdout when Pango is: one line each.
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("always")
        try:
            try:
                with _libraries_by_file_name():
                    if ffi_cache is None:
                        import weasyprint
                    else:
                        weasyprint = ffi_cache_module.import_weasyprint(ffi_cache)
            except OSError:  # a library found only by the search (a system other than Linux): search
                import weasyprint
            from weasyprint.urls import FatalURLFetchingError, URLFetcher

            from report import svgtext

            svgtext.install(weasyprint)  # the figures' labels drawn whole, not letter by letter
        except OSError as error:  # cffi could not load Pango or one of its libraries
            raise ReportError(
                f"WeasyPrint cannot load a system library ({error}): "
                f"on Debian or Ubuntu install them with: sudo apt-get install {SYSTEM_LIBRARIES}"
            ) from None
    for warning in caught:
        if _is_harfbuzz_subset_missing(str(warning.message)):
            _notice(HARFBUZZ_NOTICE)
        else:  # anything else is passed on as it was
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
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
                f"refusing to fetch {url}: the report may only use files inside {root}: copy what you "
                "need into the project (for example templates/) and refer to it by a relative path"
            )

    return ProjectFetcher(allowed_protocols=("file", "data"))


class _Collect(logging.Handler):
    """WeasyPrint's log: errors (a figure that did not load), warnings, and known notices; each once."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.errors = []
        self.warnings = []

    def emit(self, record):
        message = record.getMessage()
        if _is_harfbuzz_subset_missing(message):
            _notice(HARFBUZZ_NOTICE)
        elif record.levelno >= logging.ERROR:
            self.errors.append(message)
        elif message not in self.warnings:
            self.warnings.append(message)


@contextlib.contextmanager
def _noticing_interrupts():
    """Remember a Ctrl-C: WeasyPrint catches KeyboardInterrupt while drawing an image and goes on."""
    seen = []
    if threading.current_thread() is not threading.main_thread():
        yield seen
        return

    def interrupt(signum, frame):
        seen.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield seen
    finally:
        signal.signal(signal.SIGINT, previous)


HYPHENATION_CACHE = ".hyphenation-cache"  # beside the PDF (build/); `make clean` removes it
FFI_CACHE = ".cffi-cache"  # the same
_LANG = re.compile(r"""\blang\s*=\s*["']?([A-Za-z][\w-]*)""")


def _load_hyphenation(html, folder):
    """Give pyphen the hyphenation dictionaries of ``html``'s languages, read from pickles in ``folder``.

    Pyphen parses a dictionary's 14,000 patterns the first time WeasyPrint hyphenates a
    language (0.15 s a build); the parsed one, pickled by an earlier build, loads ten
    times faster. Its file name holds pyphen's version and the dictionary's size and
    date, so another dictionary is parsed afresh. Any trouble with the cache: no cache.
    """
    import pickle

    import pyphen

    for lang in sorted(set(_LANG.findall(html))):
        name = pyphen.language_fallback(lang)
        path = pyphen.LANGUAGES.get(name) if name else None
        if path is None or path in pyphen.hdcache:
            continue
        try:
            stat = Path(path).stat()
        except OSError:
            continue  # pyphen says why, when WeasyPrint asks for it
        key = f"{pyphen.__version__}-{stat.st_size}-{stat.st_mtime_ns}"
        cache = Path(folder) / f"{Path(path).stem}-{key}.pickle"
        with contextlib.suppress(Exception):  # missing, damaged or foreign: parse the dictionary
            dictionary = pickle.loads(cache.read_bytes())
            if isinstance(dictionary, pyphen.HyphDict):
                pyphen.hdcache[path] = dictionary
                continue
        pyphen.hdcache[path] = dictionary = pyphen.HyphDict(path)
        with contextlib.suppress(WriteError):
            write_atomic(cache, pickle.dumps(dictionary, protocol=pickle.HIGHEST_PROTOCOL))


def build_pdf(html_path=HTML, output=PDF, root=ROOT):
    """Render ``html_path`` to ``output``; return WeasyPrint's warnings (each once).

    Writes nothing, and raises, if anything is missing from the PDF (an image
    that did not load or draw: ReportError) or if Ctrl-C was pressed during
    the render (KeyboardInterrupt), even where WeasyPrint itself went on.
    """
    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH)
    weasyprint, _, FatalURLFetchingError = _import_weasyprint(Path(output).parent / FFI_CACHE)
    html_path = Path(html_path)
    if not html_path.exists():
        raise ReportError(f"{shown(html_path)} not found: run `make html` first")
    with contextlib.suppress(OSError, UnicodeDecodeError):  # WeasyPrint reports an unreadable file
        _load_hyphenation(html_path.read_text(encoding="utf-8"), Path(output).parent / HYPHENATION_CACHE)
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        with _noticing_interrupts() as interrupted:
            document = weasyprint.HTML(filename=str(html_path), url_fetcher=project_fetcher(root))
            pdf = document.write_pdf(**PDF_OPTIONS)
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error
        raise ReportError(f"{shown(html_path)}: {cause}") from None
    finally:
        logger.removeHandler(collect)
    if interrupted:
        raise KeyboardInterrupt
    if collect.errors:
        more = f" (and {len(collect.errors) - 1} more)" if len(collect.errors) > 1 else ""
        raise ReportError(
            f"{shown(html_path)}: WeasyPrint: {collect.errors[0]}{more}: the PDF would have a hole, "
            "so none was written: run `make report` again (a figure may be missing: `make clean report`)"
        )
    write_atomic(output, pdf)
    return collect.warnings


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "steps", nargs="+", choices=["html", "pdf"], metavar="STEP",
        help="html, pdf, or both (one process: one start-up and one set of imports for both)",
    )  # fmt: skip
    parser.add_argument("--templates", type=Path, default=TEMPLATES)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--html", type=Path, default=HTML)
    parser.add_argument("--pdf", type=Path, default=PDF)
    args = parser.parse_args(argv)
    try:
        if "html" in args.steps:
            build_html(args.results, args.templates, args.html)
            print(f"Wrote {shown(args.html)} (open it in a browser for a preview)", file=sys.stderr)
        if "pdf" in args.steps:
            for message in build_pdf(args.html, args.pdf):
                print(f"warning: WeasyPrint: {message}", file=sys.stderr)
            print(f"Wrote {shown(args.pdf)}", file=sys.stderr)
    except (ReportError, WriteError) as error:
        print(f"error: {error}", file=sys.stderr)
        print("The previous report, if any, is unchanged.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted: nothing was written; the previous report, if any, is unchanged",
              file=sys.stderr)  # fmt: skip
        return 130
    finally:
        for notice in notices():
            print(f"note: {notice}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
