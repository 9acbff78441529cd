"""The figures' SVG as WeasyPrint gets it: lightened, drawing the same things."""

import re
import xml.etree.ElementTree as ET

from report.figures import lighten

SVG = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<svg xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://www.w3.org/2000/svg" version="1.1">
 <metadata>
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:title>Matplotlib</dc:title></rdf:RDF>
 </metadata>
 <defs>
  <style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>
  <path id="m1" d="M 0 0 L 1 1" style="stroke: #0072b2; stroke-linejoin: miter"/>
 </defs>
 <g id="figure_1">
  <g id="axes_1">
   <g id="line2d_1"><path d="M 0 0 L 5 5" stroke-linecap="round" style="fill: none; stroke: #000"/></g>
   <g id="empty_1"/>
   <g clip-path="url(#p1)"><use xlink:href="#m1" x="1" y="1" style="fill: #0072b2"/></g>
   <!-- $a < b$ -->
   <g id="text_1"><text x="3" y="4" transform="rotate(-0 3 4)" style="font-size: 8px; font-family: 'DejaVu Sans', sans-serif; text-anchor: middle">Iteration</text></g>
   <g id="text_2"><text x="1" y="2" transform="rotate(-90 1 2)">Accuracy (%)</text></g>
   <g id="referred"><path d="M 1 1"/></g>
   <use xlink:href="#referred"/>
   <g><text x="0" y="0">no id</text></g>
  </g>
 </g>
</svg>
"""  # noqa: E501  (as matplotlib writes it: one element a line)


def drawn(svg):
    """Name, properties and text of every element but groups, metadata and style sheets, in document
    order; the properties as CSS decides them: attributes, then the sheet's rule for every element
    (``*``), then the style attribute."""
    root = ET.fromstring(svg.split("?>", 1)[1])
    every = {}
    for sheet in root.iter("{http://www.w3.org/2000/svg}style"):
        every.update(declarations(re.fullmatch(r"\*\{(.*)\}", sheet.text.strip()).group(1)))
    found = []
    for e in root.iter():
        name = e.tag.split("}")[-1]
        if name not in ("g", "metadata", "RDF", "title", "style"):
            properties = {key: value for key, value in e.attrib.items() if key != "style"}
            properties.update({**every, **declarations(e.get("style", ""))})
            if properties.get("transform") == "rotate(-0 3 4)":  # a rotation by 0 degrees: none
                del properties["transform"]
            found.append((name, sorted(properties.items()), (e.text or "").strip()))
    return found


def declarations(text):
    return {k.strip(): v.strip() for k, _, v in (d.partition(":") for d in text.split(";")) if k.strip()}


def test_lighten_draws_every_element_alike_in_order():
    assert drawn(lighten(SVG)) == drawn(SVG)


def test_lighten_drops_metadata_bare_groups_zero_rotations_and_css_only():
    light = lighten(SVG)
    assert "<metadata>" not in light and "<!--" not in light and "rotate(-0" not in light
    assert "<style" not in light and "style=" not in light
    assert 'transform="rotate(-90 1 2)"' in light  # a real rotation stays
    assert [re.sub(r" stroke-line\w+=\"\w+\"", "", g) for g in re.findall(r"<g\b[^>]*>", light)] == [
        '<g clip-path="url(#p1)">',
        '<g id="referred">',
    ]
    assert light.count("<g") == light.count("</g>") == 2
    assert lighten(light) == light  # nothing more to take away


def test_another_style_sheet_is_left_as_css():
    other = SVG.replace("*{stroke-linejoin: round; stroke-linecap: butt}", "path{stroke: red}")
    assert "<style" in lighten(other) and 'style="fill: none; stroke: #000"' in lighten(other)
