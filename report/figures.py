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

from report import equations, paths  # noqa: E402
from report.atomic import WriteError, write_atomic  # noqa: E402
from report.numbers import number_text  # noqa: E402
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
    fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.03, metadata={"Date": None})
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


# --- Section 2.3 -----------------------------------------------------------


def curves(lines, ylabel):
    """One figure of per-iteration curves: ``lines`` holds (values, plot style) pairs."""
    fig, ax = plt.subplots(figsize=(WIDTH, 2.5))
    for values, style in lines:
        ax.plot(np.arange(1, len(values) + 1), values, **style)
    ax.set_xlabel("Iteration")
    ax.set_ylabel(ylabel)
    ax.set_xlim(1, len(lines[0][0]))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False)
    return fig


def error_curve(run):
    style = {"color": BLUE, "label": "training set"}
    return curves([(np.asarray(run["E_total"], dtype=float), style)], "Mean cross-entropy (nats)")


def misclassification_curve(run):
    return curves(
        [
            (percent(run["misclassification_rate"]), {**TRAIN, "marker": None}),
            (percent(run["test_misclassification_rate"]), {**TEST, "marker": None, "linewidth": 1.2}),
        ],
        "Misclassified (%)",
    )


def annotated_heatmap(ax, values, text, vmin, vmax, cmap="viridis"):
    """Draw ``values`` as a heatmap with ``text`` in every cell, in a readable colour."""
    norm = Normalize(vmin=vmin, vmax=vmax)
    image = ax.imshow(values, cmap=cmap, norm=norm, aspect="auto")
    colormap = plt.get_cmap(cmap)
    for (i, j), label in np.ndenumerate(np.asarray(text, dtype=object)):
        red, green, blue, _ = colormap(norm(values[i, j]))
        light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.5
        ax.text(j, i, label, ha="center", va="center", color="black" if light else "white", fontsize=8)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return image


def confusion(run):
    matrix = np.asarray(run["confusion_matrix"])
    names = run["class_names"]
    fig, ax = plt.subplots(figsize=(3.4, 2.7))
    image = annotated_heatmap(ax, matrix, matrix, vmin=0, vmax=max(1, matrix.max()))
    ax.set_xticks(range(len(names)), names)
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("Predicted class")
    ax.set_ylabel("True class")
    ax.tick_params(length=0)
    fig.colorbar(image, ax=ax, label="Test points", fraction=0.05)
    return fig


# --- the study ---------------------------------------------------------------


def factor_plot(points, xlabel, log=False, mark=None):
    """Mean accuracy with its 95% confidence band, train and test, against one factor."""
    fig, ax = plt.subplots(figsize=(WIDTH, 2.4))
    x = np.array([p["value"] for p in points], dtype=float)
    for split, style in (("train", TRAIN), ("test", TEST)):
        mean = np.array([np.nan if p[split]["mean"] is None else p[split]["mean"] for p in points], float)
        low = np.array([np.nan if p[split]["ci_low"] is None else p[split]["ci_low"] for p in points], float)
        high = np.array(
            [np.nan if p[split]["ci_high"] is None else p[split]["ci_high"] for p in points], float
        )
        ax.fill_between(x, percent(low), percent(high), color=style["color"], alpha=0.18, linewidth=0)
        ax.plot(x, percent(mean), **style)
    if mark is not None:
        ax.axvline(mark, color="#777777", linewidth=0.8, linestyle=":", label="default")
    if log:
        ax.set_xscale("log")
        ax.set_xticks(x, [number_text(v) for v in x])
        ax.minorticks_off()
    else:
        ax.set_xticks(x)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Accuracy (%)")
    ax.set_ylim(0, 102)
    ax.legend(frameon=False, loc="lower right", ncols=3)
    return fig


def grid_heatmap(study):
    grid = study["grid"]
    means = np.array([[np.nan if c["mean"] is None else c["mean"] for c in row] for row in grid["test"]])
    fig, ax = plt.subplots(figsize=(WIDTH, 3.3))
    text = [[f"{100 * m:.1f}" if np.isfinite(m) else "–" for m in row] for row in means]
    image = annotated_heatmap(ax, percent(means), text, vmin=30, vmax=100)
    ax.set_xticks(range(len(grid["learning_rates"])), [number_text(v) for v in grid["learning_rates"]])
    ax.set_yticks(range(len(grid["hidden_sizes"])), [str(v) for v in grid["hidden_sizes"]])
    ax.set_xlabel("Learning rate η")
    ax.set_ylabel("Hidden units M")
    ax.tick_params(length=0)
    fig.colorbar(image, ax=ax, label="Mean test accuracy (%)", fraction=0.04)
    return fig


# --- equations ----------------------------------------------------------------

EQUATIONS = equations.TEX  # and their text, for the alt text, beside them


# The equations stay outlines: with svg.fonttype "none" mathtext writes one <tspan>
# per glyph, grouped by font, so their text would extract in a scrambled order, and
# its large operators use "DejaVu Sans Display", a font of matplotlib's own that
# WeasyPrint does not see. Their alt text in the report is the formula instead.
OUTLINED = {"svg.fonttype": "path"}


def equation(tex):
    fig = plt.figure(figsize=(0.01, 0.01))
    fig.text(0, 0, tex, fontsize=10.5)
    return fig


# --- all ---------------------------------------------------------------------


def figures(results):
    """Return {file stem: figure} for every figure of the report."""
    run, study = results["run"], results["study"]
    made = {
        "error": error_curve(run),
        "misclassification": misclassification_curve(run),
        "confusion": confusion(run),
        "hidden_size": factor_plot(study["hidden_size"], "Hidden units M", mark=run["hidden_size"]),
        "learning_rate": factor_plot(
            study["learning_rate"], "Learning rate η (log scale)", log=True, mark=run["learning_rate"]
        ),
        "weight_scale": factor_plot(
            study["weight_scale"],
            "Initial weight scale s: weights uniform in [−s, s] (log scale)",
            log=True,
            mark=1.0,
        ),  # fmt: skip
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
