"""The figures at awkward settings: one value, values that crowd, values where every repeat diverged,
one to three iterations, a few test points. Each figure keeps its size and draws what was tried.

Results come from the fixture settings once, then are edited here (a factor's values, a run's
length, a confusion matrix): the figures are drawn from results alone, so an edited file is an
honest stand-in for a study that produced it, and far faster.
"""

import copy
import itertools
import json
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from report import alt, experiments, figures, findings, render, scales
from report.numbers import number_texts
from tests.report.conftest import tiny_settings

pytestmark = pytest.mark.slow

PLOTS = ("error", "misclassification", "confusion", "hidden_size", "learning_rate", "weight_scale", "grid")


@pytest.fixture(scope="module")
def results():
    return experiments.compute(tiny_settings())


def with_values(results, name, values):
    """``results`` with study factor ``name`` tried at ``values`` (the stats of its first points reused)."""
    edited = copy.deepcopy(results)
    points = edited["study"][name]
    edited["study"][name] = [
        {**copy.deepcopy(points[i % len(points)]), "value": v} for i, v in enumerate(values)
    ]
    return edited


def diverged(point, repeats):
    """``point`` as the study writes one at which every repeat diverged."""
    nothing = {"mean": None, "std": None, "ci_low": None, "ci_high": None, "n": 0, "diverged": repeats,
               "values": [], "by_repeat": [None] * repeats}  # fmt: skip
    return {**point, "test": dict(nothing), "train": dict(nothing)}


def drawn(results, name):
    """Report plot ``name`` drawn from ``results``, laid out as it is saved."""
    run, study = results["run"], results["study"]
    build = {
        "error": lambda: figures.error_curve(run),
        "misclassification": lambda: figures.misclassification_curve(run),
        "confusion": lambda: figures.confusion(run),
        "hidden_size": lambda: figures.factor(study, "hidden_size", "Hidden units M", run["hidden_size"]),
        "learning_rate": lambda: figures.factor(
            study, "learning_rate", "Learning rate η", run["learning_rate"]
        ),
        "weight_scale": lambda: figures.factor(study, "weight_scale", "Initial weight scale s", 1.0),
        "grid": lambda: figures.grid_heatmap(study),
    }[name]
    with plt.rc_context(figures.STYLE):
        fig = build()
        fig.draw_without_rendering()
    return fig


def svg_of(results, name, tmp_path):
    """The SVG text of plot ``name`` as ``make figures`` writes it."""
    with plt.rc_context(figures.STYLE):
        figures.save(drawn(results, name), tmp_path / f"{name}.svg")
    return (tmp_path / f"{name}.svg").read_text()


@pytest.fixture(autouse=True)
def close_all():
    yield
    plt.close("all")


def svg_sizes(folder):
    sizes = {}
    for name in PLOTS:
        head = (folder / f"{name}.svg").read_text()[:1000]
        sizes[name] = re.search(r'<svg[^>]*\bwidth="([\d.]+)pt" height="([\d.]+)pt"', head).groups()
    return sizes


def shown_labels(ax):
    """The x tick labels a reader sees: inside the axis, not empty."""
    low, high = sorted(ax.get_xlim())
    ticks = ax.xaxis.get_major_ticks() + ax.xaxis.get_minor_ticks()
    locs = list(ax.xaxis.get_majorticklocs()) + list(ax.xaxis.get_minorticklocs())
    return [(loc, tick.label1) for loc, tick in zip(locs, ticks, strict=False)
            if low <= loc <= high and tick.label1.get_visible() and tick.label1.get_text()]  # fmt: skip


def test_every_plot_keeps_its_size_with_a_single_value_and_diverged_values(results, tmp_path):
    """The SVG's width and height are the figure's, whatever its labels (no crop to the drawing)."""
    odd = with_values(results, "hidden_size", [7])
    odd = with_values(odd, "weight_scale", [0.1])
    odd = with_values(odd, "learning_rate", [0.001, 0.0011, 1000.0])
    odd["study"]["learning_rate"][-1] = diverged(
        odd["study"]["learning_rate"][-1], results["study"]["repeats"]
    )
    odd["study"]["grid"]["test"][0][0] = diverged({"test": {}}, 4)["test"]
    odd["run"] = {**odd["run"], "iterations": 1, "confusion_matrix": [[1, 0, 0], [0, 0, 0], [0, 0, 0]]}
    for key in ("E_total", "misclassification_rate", "test_misclassification_rate"):
        odd["run"][key] = odd["run"][key][:1]
    # and the extremes: labels hung from their ticks, upright, crosses everywhere, a 16 by 16 grid
    extreme = with_values(results, "learning_rate", [0.001 * 1.07**i for i in range(15)] + [0.1])
    extreme = with_values(extreme, "weight_scale", [1.23457e-5 * 1.01**i for i in range(15)] + [1.0])
    extreme["study"]["hidden_size"] = [diverged(p, 4) for p in extreme["study"]["hidden_size"]]
    extreme = with_grid(extreme, sorted([*range(986, 1001), 4]), [1.23457e-5 * 3**i for i in range(16)],
                        lambda i, j: [1.0, None][(i + j) % 2])  # fmt: skip
    sizes = []
    for i, variant in enumerate((results, odd, extreme)):
        path = tmp_path / f"{i}.json"
        path.write_text(experiments.dumps(variant))
        assert figures.main(["--results", str(path), "--output", str(tmp_path / str(i))]) == 0
        sizes.append(svg_sizes(tmp_path / str(i)))
    assert sizes[0] == sizes[1] == sizes[2]
    assert len({sizes[0][n] for n in ("hidden_size", "learning_rate", "weight_scale")}) == 1


def test_a_single_value_sits_inside_a_real_axis(results):
    single = results
    for name in ("hidden_size", "learning_rate", "weight_scale"):
        single = with_values(single, name, [0.1 if name != "hidden_size" else 7])
    for name, value in (("hidden_size", 7), ("learning_rate", 0.1), ("weight_scale", 0.1)):
        ax = drawn(single, name).axes[0]
        low, high = ax.get_xlim()
        assert low < value < high and high / low > 1.5, (name, low, high)  # not collapsed onto the value
        assert [label.get_text() for _, label in shown_labels(ax)] == [str(value)]
        # the point is drawn: a marker inside the axes
        x, _ = ax.transData.transform((value, 50))
        box = ax.get_window_extent()
        assert box.x0 < x < box.x1


def test_end_points_have_room_inside_the_axes(results):
    """The outermost values (and the default line on them) sit at least a marker's width inside."""
    edited = with_values(results, "learning_rate", [0.1, 1000.0])
    for name in ("hidden_size", "learning_rate", "weight_scale"):
        fig = drawn(edited, name)
        ax = fig.axes[0]
        box = ax.get_window_extent()
        for point in edited["study"][name]:
            x = ax.transData.transform((point["value"], 50))[0]
            room = min(x - box.x0, box.x1 - x) * 72 / fig.dpi
            assert room >= 4, (name, point["value"], room)


def test_the_grids_colour_scale_holds_every_mean(results):
    """A cell below 30% is not drawn in the colour of 30% (the scale reaches down to it)."""
    edited = json.loads(json.dumps(results))
    edited["study"]["grid"]["test"][0][0]["mean"] = 0.143
    image = drawn(edited, "grid").axes[0].images[0]
    assert image.norm.vmin <= 14.3 and image.norm.vmax == 100
    image = drawn(results, "grid").axes[0].images[0]
    cells = [c["mean"] for row in results["study"]["grid"]["test"] for c in row if c["mean"] is not None]
    assert image.norm.vmin <= 100 * min(cells)


def test_a_curve_at_zero_is_drawn_above_the_axis_line(results):
    """A test error that reaches 0% must not vanish into the x axis (it would look as if it stopped)."""
    edited = json.loads(json.dumps(results))
    run = edited["run"]
    run["test_misclassification_rate"] = [0.5] * 3 + [0.0] * (len(run["E_total"]) - 3)
    for name in ("misclassification", "error"):
        fig = drawn(edited, name)
        ax = fig.axes[0]
        low, _ = ax.get_ylim()
        line = 0.5 * ax.spines["bottom"].get_linewidth()  # the axis line's half width, in points
        room = (ax.transData.transform((1, 0))[1] - ax.transData.transform((1, low))[1]) * 72 / fig.dpi
        assert low < 0 and room > 2 * line, (name, low, room)


def test_a_value_where_every_repeat_diverged_is_drawn_and_named(results, tmp_path):
    repeats = results["study"]["repeats"]
    edited = with_values(results, "learning_rate", [0.1, 0.3, 1000.0])
    edited["study"]["learning_rate"][-1] = diverged(edited["study"]["learning_rate"][-1], repeats)
    svg = svg_of(edited, "learning_rate", tmp_path)
    assert f"diverged in all {repeats} repeats" in svg
    assert re.search(r">\s*1000\s*<", svg), "the value tried has its tick label"
    ax = drawn(edited, "learning_rate").axes[0]
    low, high = ax.get_xlim()
    assert low < 1000 < high


def test_the_dash_cells_of_the_grid_are_explained(results, tmp_path):
    edited = copy.deepcopy(results)
    repeats = edited["study"]["repeats"]
    edited["study"]["grid"]["test"][0][-1] = diverged({"test": {}}, repeats)["test"]
    svg = svg_of(edited, "grid", tmp_path)
    assert "–" in svg and f"every one of the {repeats} repeats diverged" in svg
    # and where every cell has a value, no such note
    assert "diverged" not in svg_of(results, "grid", tmp_path)


def tick_labels(axis):
    """The tick labels of ``axis`` whose ticks lie inside it, major and minor."""
    low, high = sorted(axis.get_view_interval())
    pairs = [*zip(axis.get_major_ticks(), axis.get_majorticklocs(), strict=False),
             *zip(axis.get_minor_ticks(), axis.get_minorticklocs(), strict=False)]  # fmt: skip
    return [tick.label1 for tick, loc in pairs if low <= loc <= high]


def seen(texts, renderer):
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in texts
        if t.get_visible() and t.get_text().strip()
    ]


def texts_drawn(fig):
    """Every text a reader sees in ``fig``, with its box on the Agg renderer: tick labels of ticks inside
    their axis, axis labels, texts and annotations, legend entries."""
    found = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            found += [*tick_labels(axis), axis.label]
        found += ax.texts
        if ax.get_legend() is not None:
            found += ax.get_legend().get_texts()
    return seen(found, fig.canvas.get_renderer())


def assert_no_text_overlaps(fig):
    for (a, box_a), (b, box_b) in itertools.combinations(texts_drawn(fig), 2):
        assert not box_a.overlaps(box_b), (a, b)


def value_labels(fig, values):
    """{value: label text} for every x value of ``fig``'s plot that a reader can tell: a tick label hung
    from the value's tick by a line (from the tick's end, right under the value, to just above the
    label's centre), or else one centred under the value's tick."""
    ax = fig.axes[0]
    ticks = [*ax.xaxis.get_majorticklocs(), *ax.xaxis.get_minorticklocs()]
    lines = [
        line.get_transform().transform(line.get_xydata()) for line in ax.lines if len(line.get_xdata()) == 2
    ]
    x = {value: ax.transData.transform((value, 1))[0] for value in values}
    found = {}
    for text, box in seen(tick_labels(ax.xaxis), fig.canvas.get_renderer()):
        centre = (box.x0 + box.x1) / 2
        starts = [a[0] for a, b in lines if ax.bbox.y0 - 10 < a[1] <= ax.bbox.y0 and abs(b[0] - centre) < 0.5
                  and 0 <= b[1] - box.y1 < 4]  # fmt: skip
        assert len(starts) <= 1, text
        at = starts[0] if starts else centre
        # the value at that x: a line starts exactly at its tick (ticks may lie closer than a pixel)
        named = [min(values, key=lambda value: abs(x[value] - at))]
        assert abs(x[named[0]] - at) < (1e-6 if starts else 0.5), (text, at)
        assert named[0] not in found, f"two labels for {named[0]}"
        found[named[0]] = text
    for value in values:
        assert any(np.isclose(value, t) for t in ticks), f"no tick at {value}"
    return found


@pytest.mark.parametrize(
    "name, values",
    [
        ("weight_scale", [0.001, 0.0011, 1.0]),
        ("weight_scale", [0.1, 1.0, 1.05, 10.0]),
        ("learning_rate", [0.001, 0.0011, 0.0012, 0.0013, 0.1]),
        ("learning_rate", [1e-6, 1.1e-6, 1.2e-6, 1.3e-6, 2e-6, 1.0]),
        ("learning_rate", [0.1, 998.5, 999.0, 1000.0]),
        ("hidden_size", [1, 10, 300]),
        ("hidden_size", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ("hidden_size", [*range(1, 16), 1000]),
        ("learning_rate", [0.001 * 1.07**i for i in range(15)] + [0.1]),
        ("weight_scale", [1.23457e-5 * 1.01**i for i in range(15)] + [1.0]),  # the longest labels
        ("weight_scale", [1.23457e300 * 1.01**i for i in range(16)]),
    ],
)
def test_every_value_keeps_a_label_that_overlaps_no_text(results, name, values):
    """Up to 16 values (15 and the run's own), however near: every one keeps its tick and its label,
    under the tick or hung from it by a line; no two texts of the figure overlap."""
    fig = drawn(with_values(results, name, values), name)
    assert_no_text_overlaps(fig)
    labels = value_labels(fig, values)
    assert labels == dict(zip(values, number_texts(values), strict=True))  # one notation per axis
    # labels hung from their ticks keep the ticks' order: their lines do not cross
    boxes = sorted(
        ((box.x0 + box.x1) / 2, text)
        for text, box in seen(tick_labels(fig.axes[0].xaxis), fig.canvas.get_renderer())
    )
    assert [text for _, text in boxes] == [labels[v] for v in sorted(values)]


def test_the_grids_learning_rate_labels_never_overlap(results):
    edited = copy.deepcopy(results)
    grid = edited["study"]["grid"]
    rates = [0.001 * 1.01**i for i in range(15)]  # labels like 0.00101 in narrow columns
    grid["learning_rates"] = rates
    grid["test"] = [[row[0]] * len(rates) for row in grid["test"]]
    fig = drawn(edited, "grid")
    renderer = fig.canvas.get_renderer()
    boxes = [label.get_window_extent(renderer) for _, label in shown_labels(fig.axes[0])]
    assert len(boxes) >= 2
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


@pytest.mark.parametrize(
    "centres, widths, length",
    [([10, 11, 12, 13, 80], [8, 8, 8, 8, 8], 100), ([0, 0, 0], [10, 20, 10], 50),
     ([5, 50, 95], [4, 4, 4], 100), ([99, 100, 100], [6, 6, 6], 100)],
)  # fmt: skip
def test_dodged_labels_keep_their_order_their_gap_and_the_axis(centres, widths, length):
    gap = 2
    spots = figures.dodged(centres, widths, gap, length)
    assert np.all(spots >= -1e-9) and np.all(spots <= length + 1e-9)
    need = (np.array(widths[:-1]) + np.array(widths[1:])) / 2 + gap
    assert np.all(np.diff(spots) >= need - 1e-9)
    # labels with room enough are left at their ticks
    if np.all(np.diff(centres) >= need):
        assert np.allclose(spots, centres)
    # no other placement as near to the ticks (least squares), among a few nudged ones
    cost = np.sum((spots - centres) ** 2)
    for nudge in itertools.product([-0.5, 0, 0.5], repeat=len(centres)):
        other = spots + np.array(nudge)
        if np.all(np.diff(other) >= need - 1e-9) and other.min() >= 0 and other.max() <= length:
            assert np.sum((other - centres) ** 2) >= cost - 1e-9
    assert figures.dodged([0, 1], [60, 60], gap, 50) is None  # no room: said, not squeezed


def with_grid(results, sizes, rates, means):
    """``results`` with a grid of hidden sizes ``sizes`` by learning rates ``rates``, cell (i, j) of
    mean ``means(i, j)`` (None: every repeat diverged)."""
    edited = copy.deepcopy(results)
    grid = edited["study"]["grid"]
    cell = grid["test"][0][0]
    grid["hidden_sizes"], grid["learning_rates"] = sizes, rates
    grid["test"] = [[{**cell, "mean": means(i, j)} for j in range(len(rates))] for i in range(len(sizes))]
    return edited


@pytest.mark.parametrize(
    "sizes, rates",
    [
        (list(range(1, 16)), [0.1, 0.3]),  # 15 hidden sizes
        (list(range(1, 16)), [float(f"{10 ** (-4 + i / 2):.2g}") for i in range(15)]),  # 15 by 15
        # 16 rows and columns (15 values and the run's own), the longest labels the settings allow
        (sorted([*range(986, 1001), 4]), [1.23457e-5 * 3**i for i in range(15)] + [999.999]),
    ],
)
def test_the_grids_texts_never_overlap_and_every_row_and_column_is_labelled(results, sizes, rates):
    # "100.0", the widest cell text, beside "–" cells (with their legend) and low values
    edited = with_grid(results, sizes, rates, lambda i, j: [1.0, None, 0.05][(i + j) % 3])
    fig = drawn(edited, "grid")
    assert_no_text_overlaps(fig)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    rows = seen(tick_labels(ax.yaxis), renderer)
    assert [text for text, _ in rows] == [str(M) for M in sizes]
    pitch = ax.bbox.height / len(sizes)
    for i, (_, box) in enumerate(rows):  # each on its row (centred on the digits' baseline: near the centre)
        assert abs((box.y0 + box.y1) / 2 - ax.transData.transform((0, i))[1]) < pitch / 4
    assert value_labels(fig, range(len(rates))) == dict(enumerate(number_texts(rates)))
    # every cell's text inside its cell, and still print-legible
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        j, i = text.get_position()
        (x0, y0), (x1, y1) = ax.transData.transform([(j - 0.5, i - 0.5), (j + 0.5, i + 0.5)])
        assert (
            min(x0, x1) <= box.x0
            and box.x1 <= max(x0, x1)
            and min(y0, y1) <= box.y0
            and box.y1 <= max(y0, y1)
        )
    sizes_pt = [t.get_fontsize() for t in [*ax.texts, *ax.get_yticklabels()]]
    assert min(sizes_pt) >= 5.5, min(sizes_pt)


@pytest.mark.parametrize("name", ["hidden_size", "learning_rate", "weight_scale"])
def test_a_factor_at_which_everything_diverged_draws_and_names_only_the_crosses(results, name):
    repeats = results["study"]["repeats"]
    edited = copy.deepcopy(results)
    edited["study"][name] = [diverged(p, repeats) for p in edited["study"][name]]
    values = [p["value"] for p in edited["study"][name]]
    fig = drawn(edited, name)
    ax = fig.axes[0]
    handles, labels = ax.get_legend_handles_labels()
    assert labels == ["this run", f"diverged in all {repeats} repeats"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == labels
    assert not ax.collections, "no band without an accuracy"
    for line in ax.lines:  # no mean line: every line is the dotted one, the crosses on the axis or a leader
        assert line.get_label() in labels or line.get_label().startswith("_"), line.get_label()
    crosses = handles[1]
    assert crosses.get_marker() == "x" and sorted(crosses.get_xdata()) == sorted(values)
    assert any("diverged at every value" in t.get_text() for t in ax.texts)  # said in so many words
    assert sum(t.get_text() == "diverged" for t in ax.texts) == len(values)  # the study's are far apart
    assert_no_text_overlaps(fig)
    text = alt.factor(edited["study"][name], "x", "x", repeats, render.FILTERS)
    assert "no accuracy" in text and "Line chart" not in text and "band" not in text
    # with one value that trained, both sets are drawn and named again
    edited["study"][name][0] = results["study"][name][0]
    labels = drawn(edited, name).axes[0].get_legend_handles_labels()[1]
    assert labels == ["training set", "test set", "this run", f"diverged in all {repeats} repeats"]


def test_crosses_at_near_values_share_one_word_and_keep_their_places(results):
    repeats = results["study"]["repeats"]
    values = [0.1, 998.5, 999.0, 1000.0]
    edited = with_values(results, "learning_rate", values)
    for i in (1, 2, 3):
        edited["study"]["learning_rate"][i] = diverged(edited["study"]["learning_rate"][i], repeats)
    fig = drawn(edited, "learning_rate")
    ax = fig.axes[0]
    assert_no_text_overlaps(fig)
    crosses = next(line for line in ax.lines if line.get_marker() == "x")
    assert list(crosses.get_xdata()) == values[1:]  # each at its own value, on the axis
    words = [t for t in ax.texts if t.get_text() == "diverged"]
    assert len(words) == 1
    beside = words[0].get_window_extent(fig.canvas.get_renderer())
    x = [ax.transData.transform((v, 1))[0] for v in values[1:]]
    assert max(x) < beside.x0 < max(x) + 10 * fig.dpi / 72  # just right of the crosses
    assert value_labels(fig, values) == dict(zip(values, number_texts(values), strict=True))


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_iteration_axes_have_whole_numbers_only(results, n):
    run = results["run"]
    short = {**run, "iterations": n}
    for key in ("E_total", "misclassification_rate", "test_misclassification_rate"):
        short[key] = run[key][:n]
    for name in ("error", "misclassification"):
        ax = drawn({**results, "run": short}, name).axes[0]
        low, high = ax.get_xlim()
        ticks = [t for t in ax.get_xticks() if low <= t <= high]
        assert ticks and all(float(t).is_integer() for t in ticks), (name, n, ticks)
        assert {1, n} <= set(ticks) or n > 3, (name, n, ticks)  # every iteration is labelled at 1 to 3
        assert low < 1 and n < high, "the end markers are whole"


@pytest.mark.parametrize("matrix", [[[1, 0, 0], [0, 0, 0], [1, 0, 0]], [[2, 1, 0], [0, 3, 0], [0, 0, 1]]])
def test_the_confusion_colorbar_counts_in_whole_numbers(results, matrix):
    colorbar = drawn({**results, "run": {**results["run"], "confusion_matrix": matrix}}, "confusion").axes[1]
    low, high = colorbar.get_ylim()
    ticks = [t for t in colorbar.get_yticks() if low <= t <= high]
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks


@pytest.mark.parametrize(
    "values, log",
    [([1, 10, 300], True), ([1, 2, 3, 4, 6, 8, 10, 15, 20, 30], True), ([4, 5, 10], False), ([1, 10], False),
     ([7], False)],
)  # fmt: skip
def test_the_hidden_size_axis_and_its_alt_text_agree(results, values, log):
    """Log scale when M spans more than a decade; the alt text says which, as the figure draws it."""
    assert scales.log_axis("hidden_size", values) is log
    assert scales.log_axis("learning_rate", values) and scales.log_axis("weight_scale", values)
    edited = with_values(results, "hidden_size", values)
    ax = drawn(edited, "hidden_size").axes[0]
    assert (ax.get_xscale() == "log") is log
    assert ("log scale" in ax.get_xlabel()) is log
    text = alt.factor(edited["study"]["hidden_size"], "M", "M", 4, render.FILTERS,
                      log=scales.log_axis("hidden_size", values))  # fmt: skip
    assert ("(log scale)" in text) is log


def test_alt_text_names_the_dash_cells_and_the_crosses(results):
    edited = copy.deepcopy(results)
    repeats = edited["study"]["repeats"]
    grid = edited["study"]["grid"]
    worst = min(
        ((i, j) for i in range(len(grid["hidden_sizes"])) for j in range(len(grid["learning_rates"]))),
        key=lambda ij: grid["test"][ij[0]][ij[1]]["mean"],
    )
    grid["test"][worst[0]][worst[1]] = {**grid["test"][worst[0]][worst[1]], "mean": None}
    found = findings.derive(results)
    text = alt.grid(edited["study"], edited["run"], found["study"], render.FILTERS)
    M, eta = grid["hidden_sizes"][worst[0]], grid["learning_rates"][worst[1]]
    assert f"Cells marked – (every network diverged): M = {M} with η = {eta:g}." in text
    points = copy.deepcopy(results["study"]["learning_rate"])
    points[-1] = diverged(points[-1], repeats)
    assert "A cross on the axis marks" in alt.factor(points, "η", "η", repeats, render.FILTERS)
    assert "A cross" not in alt.factor(results["study"]["learning_rate"], "η", "η", repeats, render.FILTERS)


def test_an_axis_writes_its_values_in_one_notation(results):
    """Review: an axis read '10⁻⁵' beside '0.0001'; with a value below 0.0001 every value below 1 takes a
    power of ten, and without one the decimals stay."""
    values = [1e-5, 1e-4, 1.0]
    fig = drawn(with_values(results, "weight_scale", values), "weight_scale")
    assert value_labels(fig, values) == {1e-5: "10⁻⁵", 1e-4: "10⁻⁴", 1.0: "1"}
    values = [1e-4, 0.01, 1.0]
    fig = drawn(with_values(results, "weight_scale", values), "weight_scale")
    assert value_labels(fig, values) == {1e-4: "0.0001", 0.01: "0.01", 1.0: "1"}
