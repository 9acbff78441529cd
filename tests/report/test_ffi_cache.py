"""WeasyPrint's C declarations from the cache: the same PDF, and any trouble with the cache is no cache.

WeasyPrint is imported once per process, so each build here is a process of its own.
"""

import json
import os
import subprocess
import sys

import pytest

from report import ffi_cache
from report.paths import ROOT

# One build: a page with text (Pango, HarfBuzz: the declared functions), a table and an
# SVG label, then what the process used: the cached FFI or cffi's parser.
BUILD = """
import json, sys
from pathlib import Path
from report import render
folder = sys.argv[2] if sys.argv[2] != "-" else None
weasyprint, _, _ = render._import_weasyprint(folder and Path(folder))
svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
       '<text x="10" y="30" style="font-size: 12px">Hidden units</text></svg>')
html = ('<html lang="en"><body><h1>Back-propagation</h1><p>The cross-entropy falls.</p>'
        '<table><tr><th>M</th><td>10</td></tr></table>' + svg + '</body></html>')
Path(sys.argv[1]).write_bytes(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
ffi = sys.modules["weasyprint.text.ffi"].ffi
print(json.dumps({"cached": type(ffi).__name__ == "DeclaredFFI", "parsed": "pycparser" in sys.modules}))
"""


def build(pdf, folder):
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(pdf), str(folder) if folder else "-"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr
    return json.loads(done.stdout)


def digest_line(folder):
    return (folder / ffi_cache.MODULE).read_text(encoding="utf-8").partition("\n")[0]


@pytest.mark.slow
def test_the_cached_declarations_give_the_same_pdf_and_skip_the_parser(tmp_path):
    folder = tmp_path / "cache"
    assert build(tmp_path / "plain.pdf", None) == {"cached": False, "parsed": True}
    assert not folder.exists()
    assert build(tmp_path / "first.pdf", folder) == {"cached": False, "parsed": True}  # writes it
    assert (folder / ffi_cache.MODULE).is_file()
    assert list(folder.iterdir()) == [folder / ffi_cache.MODULE]  # no temporary file left
    assert build(tmp_path / "cached.pdf", folder) == {"cached": True, "parsed": False}
    plain = (tmp_path / "plain.pdf").read_bytes()
    assert plain.startswith(b"%PDF-")
    assert (tmp_path / "first.pdf").read_bytes() == plain
    assert (tmp_path / "cached.pdf").read_bytes() == plain


@pytest.mark.slow
def test_a_stale_or_damaged_cache_is_parsed_afresh_and_rewritten(tmp_path):
    folder = tmp_path / "cache"
    build(tmp_path / "first.pdf", folder)
    module = folder / ffi_cache.MODULE
    good = module.read_text(encoding="utf-8")
    # other declarations (another WeasyPrint): the digest differs
    module.write_text(good.replace(digest_line(folder), f"{ffi_cache._DIGEST_LINE}{'0' * 64}"))
    assert build(tmp_path / "stale.pdf", folder) == {"cached": False, "parsed": True}
    assert module.read_text(encoding="utf-8") == good
    for damaged in ("", "garbage\n", good.replace("_types", "_tipes"), good[: len(good) // 2]):
        module.write_text(damaged, encoding="utf-8")
        assert build(tmp_path / "damaged.pdf", folder) == {"cached": False, "parsed": True}
        assert module.read_text(encoding="utf-8") == good
    for name in ("stale.pdf", "damaged.pdf"):
        assert (tmp_path / name).read_bytes() == (tmp_path / "first.pdf").read_bytes()


@pytest.mark.slow
def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder would be")
    assert build(tmp_path / "report.pdf", blocked) == {"cached": False, "parsed": True}
    assert blocked.read_text() == "a file where the folder would be"
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_the_key_changes_with_the_declarations():
    assert ffi_cache.digest("int f(int);") == ffi_cache.digest("int f(int);")
    assert ffi_cache.digest("int f(int);") != ffi_cache.digest("int f(long);")
    assert len(ffi_cache.digest("")) == 64
