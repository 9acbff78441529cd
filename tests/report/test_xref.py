"""Numbers of sections, figures and tables written into the HTML, and cross-references filled in."""
# ruff: noqa: E501  (the fixture HTML reads best one element per line)

import pytest

from report import xref

HTML = """<h2 id="sec-a">Intro</h2><p>See <a class="xref" href="#fig-b"></a> and <a class="xref" href="#tab-c"></a>.</p>
<h3>Part</h3>
<figure class="equations" id="equations"><img src="eq.svg"></figure>
<figure id="fig-a"><img src="a.svg"><figcaption>First.</figcaption></figure>
<h2 id="sec-b">Results</h2><h3 id="sec-b-1">One</h3><h3>Two</h3>
<div class="table-block" id="tab-c"><div class="table-caption">A table.</div><table></table></div>
<figure id="fig-b"><img src="b.svg"><figcaption>Second.</figcaption></figure>
<h2 class="appendix" id="app-x">Checks</h2><h2 class="appendix" id="app-y">More</h2>
<p><a class="xref" href="#sec-b"></a>, <a class="xref" href="#sec-b-1"></a>, <a class="xref" href="#app-y"></a></p>"""


def test_everything_is_numbered_in_document_order():
    html, labels = xref.number(HTML)
    assert labels == {
        "sec-a": "Section 1", "fig-a": "Figure 1", "sec-b": "Section 2", "sec-b-1": "Section 2.1",
        "tab-c": "Table 1", "fig-b": "Figure 2", "app-x": "Appendix A", "app-y": "Appendix B",
    }  # fmt: skip
    assert '<figcaption><span class="label">Figure 2.</span> Second.' in html
    assert '<div class="table-caption"><span class="label">Table 1.</span> A table.' in html
    assert (
        '<h3><span class="number">1.1</span> Part' in html
        and '<h3><span class="number">2.2</span> Two' in html
    )
    assert '<h2 class="appendix" id="app-y"><span class="number">Appendix B.</span> More' in html


def test_references_become_numbered_links():
    html, _ = xref.number(HTML)
    assert (
        'See <a class="xref" href="#fig-b">Figure 2</a> and <a class="xref" href="#tab-c">Table 1</a>.'
        in html
    )
    assert (
        '<a class="xref" href="#sec-b-1">Section 2.1</a>, <a class="xref" href="#app-y">Appendix B</a>'
        in html
    )
    assert 'href="#sec-b"></a>' not in html


def test_the_equations_are_not_a_numbered_figure():
    html, labels = xref.number(HTML)
    assert "equations" not in labels and html.count('class="label"') == 3


def test_a_reference_to_nothing_is_an_error():
    with pytest.raises(xref.ReferenceError, match=r"a reference to #fig-missing, which no section"):
        xref.number(
            '<figure id="fig-a"><figcaption>x</figcaption></figure><a class="xref" href="#fig-missing"></a>'
        )


def test_letters_count_past_z():
    assert [xref._letters(n) for n in (1, 2, 26, 27, 28)] == ["A", "B", "Z", "AA", "AB"]
