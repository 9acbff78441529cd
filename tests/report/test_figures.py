"""The figures' SVG as WeasyPrint gets it: lightened, drawing the same things."""

import re
import xml.etree.ElementTree as ET

from report.figures import lighten

SVG = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<svg xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://www.w3.org/2000/svg" version="1.1">
 <metadata>
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Matplotlib</dc:title></rdf:RDF>
 </metadata>
 <defs><path id="m1" d="M 0 0 L 1 1"/></defs>
 <g id="figure_1">
  <g id="axes_1">
   <g id="line2d_1"><path d="M 0 0 L 5 5" style="stroke: #000"/></g>
   <g id="empty_1"/>
   <g clip-path="url(#p1)"><use xlink:href="#m1" x="1" y="1"/></g>
   <g id="text_1"><text x="3" y="4" transform="rotate(-0 3 4)">Iteration</text></g>
   <g id="text_2"><text x="1" y="2" transform="rotate(-90 1 2)">Accuracy (%)</text></g>
   <g id="referred"><path d="M 1 1"/></g>
   <use xlink:href="#referred"/>
   <g><text x="0" y="0">no id</text></g>
  </g>
 </g>
</svg>
"""


def elements(svg):
    """Name, attributes and text of every element but the groups and the metadata, in document order."""
    root = ET.fromstring(svg.split("?>", 1)[1])
    return [
        (e.tag, sorted(e.attrib.items()), (e.text or "").strip()) for e in root.iter() if e.tag[-1:] != "g"
    ]


def test_lighten_keeps_every_drawn_element_in_order():
    light = lighten(SVG)
    before = [
        e for e in elements(SVG) if "metadata" not in e[0] and "RDF" not in e[0] and "title" not in e[0]
    ]
    unrotated = [
        (tag, [(k, v) for k, v in attributes if v != "rotate(-0 3 4)"], text)
        for tag, attributes, text in before
    ]
    assert elements(light) == unrotated


def test_lighten_drops_metadata_bare_groups_and_zero_rotations_only():
    light = lighten(SVG)
    assert "<metadata>" not in light and "rotate(-0" not in light
    assert 'transform="rotate(-90 1 2)"' in light  # a real rotation stays
    assert re.findall(r"<g\b[^>]*>", light) == ['<g clip-path="url(#p1)">', '<g id="referred">']
    assert light.count("<g") == light.count("</g>") == 2
    assert lighten(light) == light  # nothing more to take away
