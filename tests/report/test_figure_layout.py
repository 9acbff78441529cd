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
    sizes = []
    for i, variant in enumerate((results, odd)):
        path = tmp_path / f"{i}.json"
        path.write_text(experiments.dumps(variant))
        assert figures.main(["--results", str(path), "--output", str(tmp_path / str(i))]) == 0
        sizes.append(svg_sizes(tmp_path / str(i)))
    assert sizes[0] == sizes[1]
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


@pytest.mark.parametrize(
    "name, values",
    [
        ("weight_scale", [0.001, 0.0011, 1.0]),
        ("learning_rate", [1e-6, 1.1e-6, 1.2e-6, 1.3e-6, 2e-6, 1.0]),
        ("hidden_size", [1, 10, 300]),
        ("hidden_size", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ("learning_rate", [0.001 * 1.07**i for i in range(15)]),
    ],
)
def test_tick_labels_never_overlap(results, name, values):
    fig = drawn(with_values(results, name, values), name)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    labels = shown_labels(ax)
    boxes = [label.get_window_extent(renderer) for _, label in labels]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), [label.get_text() for _, label in labels]
    # every value keeps a tick; the first and the last keep their label
    locs = sorted([*ax.xaxis.get_majorticklocs(), *ax.xaxis.get_minorticklocs()])
    assert np.allclose(locs, sorted(values))
    texts = {float(loc): label.get_text() for loc, label in labels}
    assert min(values) in texts and max(values) in texts


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
