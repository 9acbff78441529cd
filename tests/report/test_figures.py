"""The figures' SVG as WeasyPrint gets it: lightened, drawing the same things."""

import math
import re
import xml.etree.ElementTree as ET

import matplotlib.pyplot as plt
import numpy as np
import pytest

from report import figures
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


# --- Figure 2: every finite value of E_total is seen -------------------------------------------


def marked(ax):
    """The (x, y) of every marker drawn on ``ax``'s lines at a finite value."""
    points = []
    for line in ax.get_lines():
        if line.get_marker() in (None, "None", "", " "):
            continue
        x, y = line.get_xdata(), line.get_ydata()
        every = line.get_markevery()
        assert every is None or isinstance(every, list), every  # the forms this test reads
        points += [(x[i], y[i]) for i in (range(len(x)) if every is None else every) if np.isfinite(y[i])]
    return points


def room_in_points(fig, ax, x, y):
    """How far (x, y) lies inside ``ax``'s frame, in points (negative: outside)."""
    px, py = ax.transData.transform((x, y))
    box = ax.get_window_extent(fig.canvas.get_renderer())
    return min(px - box.x0, box.x1 - px, py - box.y0, box.y1 - py) * 72 / fig.dpi


@pytest.mark.parametrize(
    "finite",
    [
        # the review's s3: finite at 1, 86, 89, 92 and 95 of 100 iterations, each between infinite values
        {1: 3.049, 86: 57.773, 89: 57.196, 92: 56.696, 95: 56.195},
        {1: 2.168},  # s7's only finite value, on a long run
        {40: 1.5, 41: 1.4, 1000: 0.9, 500: 2.5},  # a pair drawn as a line; lone values at the end
    ],
)
def test_a_lone_finite_error_is_a_marker_inside_the_axes(finite):
    """Review 5 item 1: a finite E_total with no finite neighbour draws no line; on a long curve
    (no markers) it was not drawn at all, and Figure 2 showed empty axes."""
    n = max(100, *finite)
    E = [finite.get(i, math.inf) for i in range(1, n + 1)]
    fig = figures.error_curve({"E_total": E})
    ax = fig.axes[0]
    points = marked(ax)
    lone = {i: v for i, v in finite.items() if i - 1 not in finite and i + 1 not in finite}
    assert {(int(x), float(y)) for x, y in points} == set(lone.items())  # no more: a line needs none
    radius = max(line.get_markersize() for line in ax.get_lines()) / 2
    for x, y in points:
        assert room_in_points(fig, ax, x, y) >= radius, (x, y)
    plt.close(fig)
