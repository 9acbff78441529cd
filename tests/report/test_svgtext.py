"""The figures' labels drawn whole: simple texts as one string, every other text left to WeasyPrint."""

import base64
import io
import sys
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from report import render, svgtext


def node(text="Iteration", **attributes):
    return SimpleNamespace(text=text, attrib=attributes)


def test_only_texts_placed_as_one_string_are_drawn_whole():
    assert svgtext.whole(node(x="104.9", y="153.8"))
    assert svgtext.whole(node())  # at the cursor
    assert svgtext.whole(node(x="1", y="2", direction="ltr"))
    assert not svgtext.whole(node(text=""))
    assert not svgtext.whole(node(x="1 2 3", y="2"))  # one x per character
    assert not svgtext.whole(node(x="1,2", y="2"))
    for name in svgtext.PER_CHARACTER + svgtext.ALIGNMENT:
        assert not svgtext.whole(node(x="1", y="2", **{name: "3"})), name
    assert not svgtext.whole(node(x="1", y="2", direction="rtl"))


def test_another_weasyprint_is_left_as_it_is():
    assert not svgtext.install(SimpleNamespace(__version__="71.0"))


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120">
<text x="150" y="30" style="font-size: 12px; text-anchor: middle">Hidden units</text>
<text x="20" y="60" dx="0 2 2 2 2 2" style="font-size: 12px; font-family: 'DejaVu Sans'">Spaced</text>
<text x="40" y="100" transform="rotate(-90 40 100)" style="font-size: 12px">Accuracy</text>
</svg>"""


@pytest.mark.slow
def test_a_figures_texts_are_text_in_the_pdf_whichever_way_drawn():
    weasyprint, _, _ = render._import_weasyprint()
    drawn_whole = getattr(sys.modules["weasyprint.svg"].TAGS["text"], "draws_whole", False)
    assert drawn_whole == (weasyprint.__version__ == svgtext.VERSION)
    source = "data:image/svg+xml;base64," + base64.b64encode(SVG.encode()).decode()
    html = f'<html lang="en"><body><img src="{source}" alt="A figure"></body></html>'
    pdf = weasyprint.HTML(string=html).write_pdf()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for words in ("Hidden units", "Accuracy"):
        assert words in text, text
    assert "S" in text and "d" in text  # drawn letter by letter, by WeasyPrint
