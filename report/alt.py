"""The alternative text of every figure and equation image, written from the results.

A screen reader reads it in place of the picture, so it says what the picture
shows, in numbers: "Line chart: the training cross-entropy falls from 3.158 to
0.254 nats over 1000 iterations ...". Every sentence is chosen and filled in
here, from ``results.json`` and the findings (report/findings.py), so that it holds for any settings;
the templates only place it (``alt.error``, the ``figure`` macro).

The numbers go through the same filters as the prose (passed in by ``render``),
so the alt text and the text print them alike. Plain Python: no matplotlib.
"""

from report import equations, scales


def _trend(first, last, show):
    """'falls from 3.158 to 0.254', 'rises from ...', or 'stays at ...'."""
    if show(first) == show(last):
        return f"stays at {show(first)}"
    return f"{'falls' if last < first else 'rises'} from {show(first)} to {show(last)}"


def _mean(stats, pct):
    return "none (every run diverged)" if stats["mean"] is None else pct(stats["mean"])


def error(run, found, f):
    e = found["error_fell"]
    if found["error_decreases_every_step"].holds:
        rises = "decreasing at every iteration"
    elif e.rises:
        rises = f"rising at {e.rises} of the iterations"
    else:
        rises = "never rising"
    end = ""
    infinite, diverged = found["error_infinite"], found["weights_diverged"]
    if infinite.holds:
        end += f", infinite (not drawn) at {infinite.count} of the iterations"
    if diverged.holds and diverged.undefined_from:
        end += f", undefined from iteration {diverged.undefined_from} on (the network diverged)"
    if not e.finite_iterations:
        return (
            f"Line chart of the mean cross-entropy E_total over the {run['train_size']} training points: "
            f"no finite value in {run['iterations']} iterations, so nothing is drawn."
        )
    return (
        f"Line chart: the mean cross-entropy E_total over the {run['train_size']} training points "
        f"{_trend(e.first, e.last, f['num'])} nats over {run['iterations']} iterations, {rises}{end}."
    )


def misclassification(run, found, f):
    m = found["train_miss_rises"]
    return (
        f"Line chart: over {run['iterations']} iterations, the share of misclassified training points "
        f"{_trend(m.first, m.last, f['pct'])} (first reached at iteration "
        f"{m.last_reached}); that of the {run['test_size']} test points, classified with the "
        f"same weights, "
        f"{_trend(m.test_first, m.test_last, f['pct'])}, lowest {f['pct'](m.test_min)} "
        f"at iteration {m.test_min_at}."
    )


def confusion(run, found, f):
    rows = "; ".join(
        f"true {name}: {', '.join(map(str, row))}"
        for name, row in zip(run["class_names"], run["confusion_matrix"], strict=True)
    )
    return (
        f"Heatmap of the confusion matrix of the {run['test_size']} test points, with the predicted "
        f"classes {', '.join(run['class_names'])} as columns. {rows}. "
        f"{found['all_correct'].correct} of {run['test_size']} lie on the diagonal."
    )


def factor(points, subject, symbol, repeats, f, log=False, default=None):
    """A study plot: mean accuracy with its confidence band against one setting."""
    value = f["sig"]
    tests = ", ".join(f"{_mean(p['test'], f['pct'])} at {symbol} = {value(p['value'])}" for p in points)
    first, last = points[0], points[-1]
    scored = [p for p in points if p["test"]["mean"] is not None]
    best = max(scored, key=lambda p: p["test"]["mean"]) if scored else None
    if not scored:  # the figure draws no line and no band, only the crosses (and the dotted line)
        values = ", ".join(f"{symbol} = {value(p['value'])}" for p in points)
        text = (
            f"Chart of the mean accuracy over {repeats} repeats against {subject}"
            f"{' (log scale)' if log else ''}, without any line: every repeat diverged at every value "
            f"tried ({values}), so there is no accuracy to draw; a cross on the axis marks each value."
        )
        if default is not None:
            text += f" A dotted line marks this run's value, {symbol} = {value(default)}."
        return text
    text = (
        f"Line chart with 95% bootstrap intervals as bands: mean accuracy over {repeats} repeats "
        f"against {subject}"
        f"{' (log scale)' if log else ''}. Test accuracy: {tests}. "
        f"Training accuracy: {_mean(first['train'], f['pct'])} at {symbol} = {value(first['value'])}, "
        f"{_mean(last['train'], f['pct'])} at {symbol} = {value(last['value'])}."
    )
    if best is not None:
        text += f" Best test mean: {f['pct'](best['test']['mean'])} at {symbol} = {value(best['value'])}."
    if default is not None:
        text += f" A dotted line marks this run's value, {symbol} = {value(default)}."
    if len(scored) < len(points):
        text += " A cross on the axis marks each value at which every repeat diverged."
    return text


def grid(study, run, found, f):
    table = study["grid"]
    sizes, rates = table["hidden_sizes"], table["learning_rates"]
    cells = [
        (cell["mean"], M, eta)
        for M, row in zip(sizes, table["test"], strict=True)
        for eta, cell in zip(rates, row, strict=True)
        if cell["mean"] is not None
    ]
    pct, sig = f["pct"], f["sig"]
    shape = (
        f"Heatmap of the mean test accuracy over {study['repeats']} repeats for {len(sizes)} hidden sizes M "
        f"({sizes[0]} to {sizes[-1]}, rows) and {len(rates)} learning rates η ({sig(rates[0])} to "
        f"{sig(rates[-1])}, columns)."
    )
    if not cells:
        return f"{shape} Every cell is empty, marked –, as every network diverged."
    blank = [
        f"M = {M} with η = {sig(eta)}"
        for M, row in zip(sizes, table["test"], strict=True)
        for eta, cell in zip(rates, row, strict=True)
        if cell["mean"] is None
    ]
    dashes = f" Cells marked – (every network diverged): {'; '.join(blank)}." if blank else ""
    low, high = min(cells), max(cells)
    columns = []
    for j, eta in enumerate(rates):
        column = [row[j]["mean"] for row in table["test"] if row[j]["mean"] is not None]
        span = f"{pct(min(column))} to {pct(max(column))}" if column else "every run diverged"
        columns.append(f"η = {sig(eta)}: {span}")
    text = (
        f"{shape} Lowest {pct(low[0])} at M = {low[1]}, η = {sig(low[2])}; highest "
        f"{pct(high[0])} at M = {high[1]}, η = {sig(high[2])}; {found['grid']['summary'].ties - 1} of "
        f"the other {found['grid']['summary'].cells - 1} cells cannot be told apart from the highest (paired "
        f"Wilcoxon test, Holm's correction). Range over the hidden sizes, "
        f"by learning rate: {'; '.join(columns)}.{dashes}"
    )
    if run["hidden_size"] in sizes and run["learning_rate"] in rates:
        cell = table["test"][sizes.index(run["hidden_size"])][rates.index(run["learning_rate"])]
        text += (
            f" This run's combination, M = {run['hidden_size']} with η = {sig(run['learning_rate'])}, "
            f"has {_mean(cell, pct)}."
        )
    return text


def describe(results, found, filters):
    """Return {figure name: alternative text} for every image of the report.

    ``found`` is ``report.findings.derive(results)``; ``filters`` the template's
    formatting filters (``pct``, ``num``, ``sig``).
    """
    run, study = results["run"], results["study"]
    repeats = study["repeats"]
    texts = {
        "error": error(run, found["run"], filters),
        "misclassification": misclassification(run, found["run"], filters),
        "confusion": confusion(run, found["run"], filters),
        "hidden_size": factor(
            study["hidden_size"],
            "the number of hidden units M",
            "M",
            repeats,
            filters,
            log=scales.log_axis("hidden_size", [p["value"] for p in study["hidden_size"]]),
            default=run["hidden_size"],
        ),
        "learning_rate": factor(
            study["learning_rate"],
            "the learning rate η",
            "η",
            repeats,
            filters,
            log=scales.log_axis("learning_rate", [p["value"] for p in study["learning_rate"]]),
            default=run["learning_rate"],
        ),  # fmt: skip
        "weight_scale": factor(
            study["weight_scale"],
            "the scale s of the initial weights, drawn uniform in [−s, s]",
            "s",
            repeats,
            filters,
            log=scales.log_axis("weight_scale", [p["value"] for p in study["weight_scale"]]),
            default=1.0,
        ),  # fmt: skip
        "grid": grid(study, run, found["study"], filters),
    }
    texts.update(equations.TEXT)
    return texts
