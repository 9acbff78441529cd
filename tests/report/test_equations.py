"""The equations: one outline each, typeset exactly as mathtext sets them as text."""

import io

import matplotlib
import numpy as np
import pytest
from scipy.ndimage import uniform_filter

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from report import equations, figures  # noqa: E402


def ink(fig, dpi=300):
    """The figure as grey levels (0 black, 1 white), cropped to what is drawn."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.1)
    plt.close(fig)
    buffer.seek(0)
    grey = plt.imread(buffer)[..., :3].mean(axis=2)
    rows, columns = np.nonzero(grey < 0.99)
    return grey[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]


def as_text(tex):
    """The second way to set it: mathtext drawn as text, as matplotlib draws any label."""
    fig = plt.figure(figsize=(0.01, 0.01))
    fig.text(0, 0, tex, fontsize=figures.EQUATION_SIZE)
    return fig


def difference(a, b):
    """The largest mean absolute difference of two inked images over a square of 15 pixels (a twentieth
    of an inch: about a glyph's stroke), on their common part (they may differ by a pixel)."""
    rows, columns = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    return float(uniform_filter(np.abs(a[:rows, :columns] - b[:rows, :columns]), 15).max())


@pytest.fixture(autouse=True)
def style():
    with plt.rc_context({**figures.STYLE, **figures.OUTLINED}):
        yield


@pytest.mark.parametrize("name", list(equations.TEX))
def test_each_equation_is_the_same_picture_as_mathtext_text(name):
    tex = equations.TEX[name]
    outline, text = ink(figures.equation(tex)), ink(as_text(tex))
    assert abs(outline.shape[0] - text.shape[0]) <= 1 and abs(outline.shape[1] - text.shape[1]) <= 1
    # the glyphs' rasterisation differs at their edges (text is hinted, an outline is not): 0.1-0.3;
    # a changed symbol leaves a blot of 0.65 or more
    assert difference(outline, text) < 0.45
    other = ink(as_text(tex.replace("W", "V").replace("E", "F").replace("z", "s").replace("=", "+")))
    assert difference(outline, other) > 0.45


def test_each_equation_is_one_outline():
    for name, tex in equations.TEX.items():
        svg = figures.lighten(svg_of(figures.equation(tex)))
        assert "<text" not in svg and "<use" not in svg, name
        assert svg.count("<path") == 2, name  # the white page and the formula


def svg_of(fig):
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    return buffer.getvalue()
