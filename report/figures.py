"""``make figures``: draw every figure of the report from ``results.json`` alone.

SVG, headless and deterministic (fixed hash salt, no date), one consistent
style: the Okabe-Ito colour-blind-safe palette, viridis for heatmaps,
train and test told apart by line style and marker too, so that the figures
also read in grey. Sizes are those printed, so 9 pt text stays 9 pt.
"""

import argparse
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, PathPatch  # noqa: E402
from matplotlib.textpath import TextPath  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from matplotlib.transforms import Affine2D, ScaledTranslation, blended_transform_factory  # noqa: E402

from report import equations, paths, scales  # noqa: E402
from report.atomic import WriteError, write_atomic  # noqa: E402
from report.numbers import number_texts, percent_number  # noqa: E402
from report.results import ResultsError, damaged, read_results  # noqa: E402

WIDTH = 6.3  # inches: the A4 text width of templates/report.css
BLUE, ORANGE, GREEN, VERMILLION, PURPLE = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7"
TRAIN = {"color": BLUE, "linestyle": "-", "marker": "o", "label": "training set"}
TEST = {"color": VERMILLION, "linestyle": "--", "marker": "s", "label": "test set"}

STYLE = {
    "svg.hashsalt": "backprop-report",  # deterministic ids in the SVG
    # Text as text: labels, ticks, legends and annotations stay searchable and
    # selectable in the PDF, drawn by WeasyPrint with the DejaVu Sans it embeds
    # for the headings (outlines cost ~42% of the PDF step). Hence plain Unicode
    # labels, no mathtext (see OUTLINED), and one font family named.
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "lines.linewidth": 1.6,
    "lines.markersize": 4,
    "figure.dpi": 100,
}


def save(fig, path):
    """Write ``fig`` as SVG to ``path`` atomically, without a date, lightened for WeasyPrint."""
    import io

    buffer = io.StringIO()
    tight = "tight" if fig.get_layout_engine() is None else None  # plots keep their size; equations fit
    fig.savefig(buffer, format="svg", bbox_inches=tight, pad_inches=0.03, metadata={"Date": None})
    plt.close(fig)
    write_atomic(path, lighten(buffer.getvalue()))


# What WeasyPrint would walk node by node with nothing to draw: matplotlib's RDF
# metadata and comments, a group around every artist that only names it
# (id="line2d_3"), and a rotation by 0 degrees on every horizontal label. And
# what it would parse as CSS for every element: the style attributes, and the
# style sheet's one rule for every element, become attributes of the same
# effect. Without them the PDF step draws the figures about 25% faster; the
# picture is the same.
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>|<!--.*?-->", re.DOTALL)
_STYLE_SHEET = re.compile(r'\s*<style type="text/css">\*\{([^{}<]*)\}</style>')
_TAG = re.compile(r'<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(/?)>')
_ATTRIBUTE = re.compile(r'([\w:.-]+)="([^"]*)"')
_NO_ROTATION = re.compile(r' transform="rotate\(-?0 [-+.\deE]+ [-+.\deE]+\)"')
_GROUP = re.compile(r"<(/?)g\b([^>]*?)(/?)>")
_ONLY_ID = re.compile(r'\s*(?:id="([^"]*)")?\s*')
_REFERENCE = re.compile(r'(?:href="#|url\(#)([^")]+)')


def _declarations(text):
    """'fill: none; stroke: #000' -> {'fill': 'none', 'stroke': '#000'}."""
    pairs = (declaration.partition(":") for declaration in text.split(";"))
    return {name.strip(): value.strip() for name, _, value in pairs if name.strip()}


def _styles_as_attributes(svg):
    """``svg`` with CSS turned into presentation attributes of the same effect: on every element the
    style sheet's rule for every element (``*``, which matplotlib writes), over its attributes of the
    same name, and its style attribute over both. Any other style sheet: ``svg`` as it is."""
    sheet = _STYLE_SHEET.search(svg)
    if sheet is None or "<style" in svg[sheet.end() :]:
        return svg
    every = _declarations(sheet.group(1))

    def attributes(tag):
        name, text, empty = tag.groups()
        found = dict(_ATTRIBUTE.findall(text))
        style = _declarations(found.pop("style", ""))
        found.update({**every, **style})
        pairs = "".join(f' {key}="{value}"' for key, value in found.items())
        return f"<{name}{pairs}{empty}>"

    return _TAG.sub(attributes, svg[: sheet.start()] + svg[sheet.end() :])


def lighten(svg):
    """``svg`` (as matplotlib writes it) without its metadata and comments, its groups that only carry
    an id (their content kept in place) and its rotations by 0 degrees, and with its CSS written as
    attributes. A group referred to is kept."""
    svg = _NO_ROTATION.sub("", _METADATA.sub("", svg))
    referred = set(_REFERENCE.findall(svg))
    pieces, start, kept = [], 0, []  # kept: whether each open group is kept, innermost last
    for tag in _GROUP.finditer(svg):
        closing, attributes, empty = tag.groups()
        if closing:
            keep = kept.pop()
        else:
            bare = _ONLY_ID.fullmatch(attributes)
            keep = bare is None or bare.group(1) in referred
            if not empty:
                kept.append(keep)
        pieces += [svg[start : tag.start()], tag.group() if keep else ""]
        start = tag.end()
    pieces.append(svg[start:])
    return _styles_as_attributes("".join(pieces))


def percent(values):
    return 100 * np.asarray(values, dtype=float)


def plot(figsize):
    """A figure of exactly ``figsize`` inches whatever its labels: constrained layout fits the axes
    inside it (``save`` crops only figures without a layout, the equations)."""
    return plt.subplots(figsize=figsize, layout="constrained")


# Every value tried keeps its tick and its label, in the first of these layouts in which no two
# labels come closer than GAP points:
#   1. one row, every label under its tick;
#   2. two rows, every label under its tick (the second row ROW points below the first);
#   3. one row of labels moved sideways as little as they can be (least squares), in the order of
#      their ticks, centred inside the axis, each hung from its tick by a thin leader line (values
#      that nearly coincide: 0.001 and 0.0011 and 0.0012 on a log axis);
#   4. as 3, with the labels turned upright: a label then takes only a line's height of the axis
#      (8 points, and GAP), so that any 16 labels (settings.MAX_VALUES and the run's own value) fit
#      even on the narrowest axis.
# No label is ever left out. Only beyond what the settings accept (some 24 labels) could layout 4
# still not fit; the labels are then spread evenly along the axis, in order, each hung from its tick.
GAP = 4  # points of white between two labels of one row
ROW = 10  # points from one row of 8 pt labels to the next
FAN = 8  # points of height for the leader lines, between the ticks and labels moved sideways
LEADER = {"color": "#777777", "linewidth": 0.5, "clip_on": False}
NARROWEST = 0.65  # the share of the figure's width an x axis takes at the least, whatever its labels


def _rows(fractions, widths, length, gap, order):
    """{label index: row 0 or 1} for labels ``widths`` wide centred at ``fractions`` of an axis
    ``length`` long (same unit); a label that fits in neither row is left out."""
    rows, placed = ([], []), {}
    for i in order:
        low, high = fractions[i] * length - widths[i] / 2, fractions[i] * length + widths[i] / 2
        for r, row in enumerate(rows):
            if all(high + gap <= a or low >= b + gap for a, b in row):
                row.append((low, high))
                placed[i] = r
                break
    return placed


def _nondecreasing(values):
    """The nondecreasing sequence nearest ``values`` in least squares (pool adjacent violators)."""
    blocks = []  # [mean, count], means nondecreasing
    for value in values:
        blocks.append([float(value), 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (m2, n2), (m1, n1) = blocks.pop(), blocks.pop()
            blocks.append([(m1 * n1 + m2 * n2) / (n1 + n2), n1 + n2])
    return np.repeat([m for m, _ in blocks], [n for _, n in blocks])


def dodged(centres, widths, gap, length):
    """Centres for labels ``widths`` wide, nearest ``centres`` (ascending) in least squares, in the same
    order, at least ``gap`` apart, each inside [0, ``length``]; None when they cannot all be."""
    widths = np.asarray(widths, dtype=float)
    shift = np.concatenate([[0.0], np.cumsum((widths[:-1] + widths[1:]) / 2 + gap)])
    if shift[-1] > length:
        return None
    # p = q + shift with q nondecreasing: the isotonic fit of centres - shift, clipped to the bounds
    # (clipping an isotonic fit gives the bounded one).
    return np.clip(_nondecreasing(np.asarray(centres, dtype=float) - shift), 0, length - shift[-1]) + shift


def points_below(fig, ax):
    """A transform of (x in data, y in points above the axes' bottom edge) to the display."""
    y = Affine2D().scale(1 / 72) + fig.dpi_scale_trans + ScaledTranslation(0, 0, ax.transAxes)
    return blended_transform_factory(ax.transData, y)


def spread_ticks(fig, ax, positions, labels, first=()):
    """Put a tick at each of ``positions`` on the x axis, labelled ``labels`` (see the layouts above).

    Labels are placed in the order: ``first`` (indices: the ends, the default), then left to right.
    Call it once the x limits are set.
    """
    ax.set_xticks(positions, labels)
    ax.set_xticks([], minor=True)
    size = ax.xaxis.get_major_ticks()[0].label1.get_fontproperties()
    renderer = fig.canvas.get_renderer()
    extents = [renderer.get_text_width_height_descent(label, size, ismath=False) for label in labels]
    widths = [w for w, _, _ in extents]
    scale = ax.xaxis.get_transform()
    t = scale.transform(np.reshape(np.asarray(positions, dtype=float), (-1, 1)))[:, 0]
    low, high = scale.transform(np.reshape(ax.get_xlim(), (-1, 1)))[:, 0]
    fractions = (t - low) / (high - low)
    order = list(dict.fromkeys([*first, *range(len(positions))]))
    gap = GAP * fig.dpi / 72
    placed = _rows(fractions, widths, NARROWEST * fig.bbox.width, gap, order)
    if sorted(placed.items()) == [(i, 0) for i in range(len(positions))]:
        return  # one row fits even on the narrowest axis: no layout needed to know
    fig.get_layout_engine().execute(fig)  # the layout: how long the axis finally is
    placed = _rows(fractions, widths, ax.bbox.width, gap, order)
    major = ax.xaxis.get_major_ticks()[0]
    length, width = major.tick1line.get_markersize(), major.tick1line.get_markeredgewidth()
    if len(placed) == len(positions):
        top = [i for i in range(len(positions)) if placed[i] == 0]
        rest = [i for i in range(len(positions)) if placed[i] == 1]
        ax.set_xticks([positions[i] for i in top], [labels[i] for i in top])
        ax.set_xticks([positions[i] for i in rest], [labels[i] for i in rest], minor=True)
        pad = plt.rcParams["xtick.major.pad"] + ROW
        ax.tick_params(
            axis="x", which="minor", length=length, width=width, pad=pad, labelsize=size.get_size()
        )
        return
    # Upright, a label takes a line's height across the axis (as matplotlib lays a line out: "lp").
    line = renderer.get_text_width_height_descent("lp", size, ismath=False)[1]
    heights = [max(h, line) for _, h, _ in extents]
    _hang(fig, ax, positions, labels, fractions, widths, heights, gap, length, size.get_size())


def _hang(fig, ax, positions, labels, fractions, widths, heights, gap, length, fontsize):
    """Layouts 3 and 4: labels moved sideways along one row, hung from their ticks by leader lines."""
    order = np.argsort(fractions, kind="stable")
    for upright in (False, True):
        sizes = np.asarray(heights if upright else widths, dtype=float)[order]
        for _ in range(3):  # the labels change the layout (the axis' length) a little: place them again
            axis = ax.bbox.width
            spots = dodged(fractions[order] * axis, sizes, gap, axis)
            if spots is None:
                break
            _hung(fig, ax, positions, labels, order, spots / axis, upright, length, fontsize)
            fig.get_layout_engine().execute(fig)
            if ax.bbox.width >= axis - 0.01:
                return  # placed on the axis as it now is (a longer one only widens the gaps)
        else:
            return  # not settled in 3 rounds (never seen): the last placement stands
    # Beyond the settings' limits only: evenly along the axis, the nearest they come to their ticks.
    _hung(fig, ax, positions, labels, order, np.linspace(0, 1, len(order)), True, length, fontsize)


def _hung(fig, ax, positions, labels, order, spots, upright, length, fontsize):
    """Ticks at ``positions`` (major: their grid lines too), labels at axis fractions ``spots`` (minor
    ticks without a mark), one leader line from each tick's end down to its label."""
    scale = ax.xaxis.get_transform()
    low, high = scale.transform(np.reshape(ax.get_xlim(), (-1, 1)))[:, 0]
    at = scale.inverted().transform(np.reshape(low + spots * (high - low), (-1, 1)))[:, 0]
    ax.set_xticks(positions, [""] * len(positions))
    ax.xaxis.remove_overlapping_locs = False  # a label right under its tick keeps its minor tick
    ax.set_xticks(at, [labels[i] for i in order], minor=True)
    pad = length + FAN + plt.rcParams["xtick.major.pad"] / 2
    ax.tick_params(
        axis="x", which="minor", length=0, pad=pad, labelsize=fontsize, labelrotation=90 if upright else 0
    )
    for line in [line for line in ax.lines if line.get_label().startswith("_leader")]:
        line.remove()
    below = points_below(fig, ax)
    for i, x in zip(order, at, strict=True):  # add_artist: the lines change no data limits
        ax.add_artist(
            Line2D(
                [positions[i], x], [-length, -length - FAN], transform=below, label=f"_leader{i}", **LEADER
            )
        )


# --- Section 2.3 -----------------------------------------------------------

FEW = 30  # iterations up to which every value is marked: 1 or 2 values draw no line
ALONE_PAD = 0.02  # x margin, as a share of the iterations, that keeps an end marker whole on a long curve


def isolated(values):
    """Which finite entries of ``values`` have no finite neighbour: no band or line reaches them."""
    finite = np.isfinite(values)
    before = np.concatenate([[False], finite[:-1]])
    after = np.concatenate([finite[1:], [False]])
    return finite & ~before & ~after


def curves(lines, ylabel):
    """One figure of per-iteration curves: ``lines`` holds (values, plot style) pairs.

    Up to FEW iterations every value is marked; beyond, only the finite values that have no finite
    neighbour: a line needs two points, so without its marker such a value (an E_total finite only
    between infinite ones) would not be drawn at all.
    """
    fig, ax = plot((WIDTH, 2.35))
    n = len(lines[0][0])
    alone_at_end = False
    for values, style in lines:
        values = np.asarray(values, dtype=float)
        if n > FEW:
            alone = np.flatnonzero(isolated(values))
            alone_at_end |= bool(alone.size) and (alone[0] == 0 or alone[-1] == n - 1)
            style = {**style, "markevery": alone.tolist()} if alone.size else {**style, "marker": None}
        ax.plot(np.arange(1, n + 1), values, **style)
    ax.set_xlabel("Iteration")
    ax.set_ylabel(ylabel)
    # With few iterations, half an iteration of margin keeps the end markers whole;
    # with many, the curves run from edge to edge, unless a lone marker sits at an end.
    if n <= FEW:
        ax.set_xlim(0.5, n + 0.5)
    else:
        pad = ALONE_PAD * (n - 1) if alone_at_end else 0
        ax.set_xlim(1 - pad, n + pad)
    ax.xaxis.set_major_locator(MaxNLocator("auto", integer=True, min_n_ticks=1, steps=[1, 2, 2.5, 5, 10]))
    # From 3% below 0 to 6% above the highest value, so that a curve lying at 0 (a test
    # error that reached 0%) is seen above the axis line, and a flat curve at the top keeps
    # its markers.
    finite = [v for values, _ in lines for v in np.asarray(values, dtype=float) if np.isfinite(v)]
    top = max(finite, default=0)
    top = top if top > 0 else 1
    ax.set_ylim(-0.03 * top, 1.06 * top)
    ax.legend(frameon=False)
    return fig


def error_curve(run):
    style = {"color": BLUE, "marker": "o", "label": "training set"}
    return curves([(np.asarray(run["E_total"], dtype=float), style)], "Mean cross-entropy (nats)")


def misclassification_curve(run):
    return curves(
        [
            (percent(run["misclassification_rate"]), TRAIN),
            (percent(run["test_misclassification_rate"]), {**TEST, "linewidth": 1.2}),
        ],
        "Misclassified (%)",
    )


NODATA = "#eeeeee"  # a heatmap cell without a value (every network diverged)


def annotated_heatmap(ax, values, text, vmin, vmax, cmap="viridis"):
    """Draw ``values`` as a heatmap with ``text`` in every cell, in a readable colour."""
    norm = Normalize(vmin=vmin, vmax=vmax)
    colormap = plt.get_cmap(cmap).with_extremes(bad=NODATA)
    image = ax.imshow(values, cmap=colormap, norm=norm, aspect="auto")
    for (i, j), label in np.ndenumerate(np.asarray(text, dtype=object)):
        red, green, blue, _ = colormap(norm(values[i, j])) if np.isfinite(values[i, j]) else (1, 1, 1, 1)
        light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
        ax.text(j, i, label, ha="center", va="center", color="black" if light else "white", fontsize=8)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return image


def confusion(run):
    matrix = np.asarray(run["confusion_matrix"])
    names = run["class_names"]
    fig, ax = plot((3.9, 2.55))
    image = annotated_heatmap(ax, matrix, matrix, vmin=0, vmax=max(1, matrix.max()))
    ax.set_xticks(range(len(names)), names)
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("Predicted class")
    ax.set_ylabel("True class")
    ax.tick_params(length=0)
    colorbar = fig.colorbar(image, ax=ax, label="Test points", fraction=0.05)
    colorbar.locator = MaxNLocator(integer=True)  # counts: whole numbers only
    colorbar.update_ticks()
    return fig


# --- the study ---------------------------------------------------------------

DIVERGED = {"color": "#444444", "marker": "x", "markersize": 7, "markeredgewidth": 1.5, "linestyle": "none"}


def limits(x, log):
    """x limits that hold every value with a margin: 5% of the span each side, so that no end
    marker or default line is cut by the frame; a single value sits in the middle of half a
    decade each side (log) or of ±50% (linear)."""
    t = np.log10(x) if log else np.asarray(x, dtype=float)
    low, high = t.min(), t.max()
    if high > low:
        pad = 0.05 * (high - low)
    else:
        pad = 0.5 if log else max(0.5 * abs(low), 0.5)
    low, high = low - pad, high + pad
    if log:  # within the floats: a scale of 1e300 is accepted
        return 10 ** max(low, -307.0), 10 ** min(high, 308.0)
    return low, high


def factor_plot(points, xlabel, repeats, log=False, mark=None):
    """Mean accuracy with its 95% confidence band, train and test, against one factor.

    A value at which every repeat diverged has no accuracy: a cross on the axis marks it. The legend
    names only what is drawn: no mean line for a set without any accuracy.
    """
    fig, ax = plot((WIDTH, 2.35))
    if log:
        ax.set_xscale("log")
    x = np.array([p["value"] for p in points], dtype=float)
    ax.set_xlim(*limits(x, log))  # first: no autoscaling to a single value's empty range
    for split, style, side in (("train", TRAIN, -2.5), ("test", TEST, 2.5)):
        mean, low, high = (
            percent([np.nan if p[split][key] is None else p[split][key] for p in points])
            for key in ("mean", "ci_low", "ci_high")
        )
        if not np.isfinite(mean).any():
            continue  # every repeat diverged at every value: no line, no band, no legend entry
        ax.fill_between(x, low, high, color=style["color"], alpha=0.18, linewidth=0)
        ax.plot(x, mean, **style)
        # A point without a neighbour has no band: its interval as an error bar, train and
        # test side by side (``side`` points) so that neither hides the other.
        alone = isolated(mean) & np.isfinite(low) & np.isfinite(high)
        if alone.any():
            beside = ax.transData + ScaledTranslation(side / 72, 0, fig.dpi_scale_trans)
            bar = [mean[alone] - low[alone], high[alone] - mean[alone]]
            ax.errorbar(x[alone], mean[alone], yerr=bar, fmt="none", ecolor=style["color"], elinewidth=1,
                        capsize=2.5, transform=beside)  # fmt: skip
    if mark is not None:
        ax.axvline(mark, color="#777777", linewidth=0.8, linestyle=":", label="this run")
    diverged = [p["value"] for p in points if p["test"]["mean"] is None]
    on_axis = blended_transform_factory(ax.transData, ax.transAxes)
    if diverged:
        ax.plot(diverged, [0] * len(diverged), transform=on_axis, clip_on=False, zorder=5, **DIVERGED,
                label=f"diverged in all {repeats} repeats")  # fmt: skip
    if len(diverged) == len(points):
        ax.text(0.5, 0.6, f"All {repeats} repeats diverged at every value tried:\nno accuracy to draw",
                transform=ax.transAxes, ha="center", va="center", fontsize=8, color=DIVERGED["color"],
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})  # fmt: skip
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Accuracy (%)")
    ax.set_ylim(-3, 104)  # room for a marker at 0% or 100%
    # Above the plot, where it hides no point whatever the accuracies.
    ax.legend(frameon=False, loc="lower right", bbox_to_anchor=(1, 1), ncols=4, borderaxespad=0.2)
    first = [0, len(x) - 1] + ([int(np.argmin(abs(x - mark)))] if mark is not None else [])
    spread_ticks(fig, ax, x, number_texts(x), first)  # one notation per axis
    if diverged:
        label_diverged(fig, ax, diverged, on_axis)
    return fig


def label_diverged(fig, ax, values, on_axis):
    """The word 'diverged' upright beside the crosses at ``values``: once for a group of crosses so
    near that their words would touch, beside the group's last (the tick labels name each value)."""
    fig.get_layout_engine().execute(fig)  # where the crosses finally are
    size = {"fontsize": 7.5, "color": DIVERGED["color"]}
    across = fig.canvas.get_renderer().get_text_width_height_descent(
        "diverged", FontProperties(size=7.5), False
    )[1]
    x = ax.transData.transform(np.column_stack([values, np.ones(len(values))]))[:, 0]
    last = [0]  # index of the last cross of each group
    for i in range(1, len(values)):
        if x[i] - x[last[-1]] < across + GAP * fig.dpi / 72:
            last[-1] = i
        else:
            last.append(i)
    for i in last:  # 5 points to the right: beside a default line, not on it
        ax.annotate("diverged", (values[i], 0), xycoords=on_axis, xytext=(5, 6), textcoords="offset points",
                    rotation=90, ha="center", va="bottom", **size)  # fmt: skip


def grid_heatmap(study):
    grid = study["grid"]
    means = np.array([[np.nan if c["mean"] is None else c["mean"] for c in row] for row in grid["test"]])
    fig, ax = plot((WIDTH, 3.0))
    text = [[percent_number(m) if np.isfinite(m) else "–" for m in row] for row in means]
    # The colour scale starts at 30% (about chance for three classes), or lower, in steps of
    # 10, when a cell is lower: no cell is drawn in the colour of a value it does not have.
    finite = means[np.isfinite(means)]
    low = min(30, 10 * np.floor(10 * finite.min())) if finite.size else 30
    image = annotated_heatmap(ax, percent(means), text, vmin=low, vmax=100)
    ax.set_yticks(range(len(grid["hidden_sizes"])), [str(v) for v in grid["hidden_sizes"]])
    ax.set_xlabel("Learning rate η")
    ax.set_ylabel("Hidden units M")
    ax.tick_params(which="both", length=0)
    fig.colorbar(image, ax=ax, label="Mean test accuracy (%)", fraction=0.04)
    if not np.isfinite(means).all():
        ax.legend(handles=[Patch(facecolor=NODATA, edgecolor="#999999", linewidth=0.5,
                                 label=f"–  every one of the {study['repeats']} repeats diverged")],
                  frameon=False, loc="lower right", bbox_to_anchor=(1, 1), borderaxespad=0.2)  # fmt: skip
    rates = grid["learning_rates"]
    spread_ticks(fig, ax, list(range(len(rates))), number_texts(rates))
    fit_cells(fig, ax, means.shape)
    return fig


SMALLEST = 5.5  # points: the smallest a heatmap's cell texts and row labels shrink to


def fit_cells(fig, ax, shape):
    """Shrink the cell texts, then the row labels, of the heatmap on ``ax`` (``shape``: rows, columns),
    from 8 points by half points, until each fits its cell or its row with a point of white each side
    (up to 16 rows of 16 learning rates, as the settings allow, fit at SMALLEST or larger: tested)."""
    fig.get_layout_engine().execute(fig)  # the cells' final size
    renderer = fig.canvas.get_renderer()
    white = 2 * fig.dpi / 72
    column, row = ax.bbox.width / shape[1], ax.bbox.height / shape[0]
    sizes = np.arange(8, SMALLEST - 0.25, -0.5)
    for size in sizes:
        for text in ax.texts:
            text.set_fontsize(size)
        boxes = [text.get_window_extent(renderer) for text in ax.texts]
        if all(box.width <= column - white and box.height <= row - white for box in boxes):
            break
    for size in sizes:
        ax.tick_params(axis="y", labelsize=size)
        boxes = [label.get_window_extent(renderer) for label in ax.get_yticklabels()]
        if all(box.height <= row - white for box in boxes):
            break


# --- equations ----------------------------------------------------------------

EQUATIONS = equations.TEX  # and their text, for the alt text, beside them


# The equations stay outlines: with svg.fonttype "none" mathtext writes one <tspan>
# per glyph, grouped by font, so their text would extract in a scrambled order, and
# its large operators use "DejaVu Sans Display", a font of matplotlib's own that
# WeasyPrint does not see. Their alt text in the report is the formula instead.
OUTLINED = {"svg.fonttype": "path"}
EQUATION_SIZE = 10.5  # points


def equation(tex):
    """``tex`` typeset by mathtext as one outline: a single SVG path of all its glyphs and rules.

    The same glyphs as text drawn with svg.fonttype "path", which writes each glyph once
    and places it with a <use> per occurrence: WeasyPrint then copies and transforms
    every occurrence, and one path draws 2.5 times faster (0.15 s of the PDF step).
    """
    outline = TextPath((0, 0), tex, size=EQUATION_SIZE)
    box = outline.get_extents()
    fig = plt.figure(figsize=(box.width / 72, box.height / 72))  # points to inches; save adds the margin
    to_figure = Affine2D().translate(-box.x0, -box.y0).scale(1 / 72) + fig.dpi_scale_trans
    fig.add_artist(PathPatch(outline, transform=to_figure, facecolor="black", edgecolor="none", linewidth=0))
    return fig


# --- all ---------------------------------------------------------------------


def factor(study, name, xlabel, default):
    """The plot of study factor ``name``, on the axis report/scales.py chooses for its values."""
    points = study[name]
    log = scales.log_axis(name, [p["value"] for p in points])
    return factor_plot(points, xlabel + (" (log scale)" if log else ""), study["repeats"], log, default)


def figures(results):
    """Return {file stem: figure} for every figure of the report."""
    run, study = results["run"], results["study"]
    made = {
        "error": error_curve(run),
        "misclassification": misclassification_curve(run),
        "confusion": confusion(run),
        "hidden_size": factor(study, "hidden_size", "Hidden units M", run["hidden_size"]),
        "learning_rate": factor(study, "learning_rate", "Learning rate η", run["learning_rate"]),
        "weight_scale": factor(
            study, "weight_scale", "Initial weight scale s: weights uniform in [−s, s]", 1.0
        ),
        "grid": grid_heatmap(study),
    }
    for name, tex in EQUATIONS.items():
        made[name] = equation(tex)
    assert tuple(made) == paths.FIGURE_NAMES, "report/paths.py FIGURE_NAMES lists every figure, in order"
    return made


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=paths.RESULTS)
    parser.add_argument("--output", type=Path, default=paths.FIGURES)
    args = parser.parse_args(argv)
    try:
        results = read_results(args.results)
        with plt.rc_context(STYLE):
            try:
                made = figures(results)
            except (KeyError, IndexError, TypeError) as error:  # a value the file should hold is not there
                raise damaged(args.results, error) from None
            for name, fig in made.items():
                with plt.rc_context(OUTLINED if name in EQUATIONS else {}):
                    save(fig, args.output / f"{name}.svg")
    except (ResultsError, WriteError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {len(made)} figures to {paths.shown(args.output)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
