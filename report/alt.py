"""The alternative text of every figure and equation image, written from the results.

A screen reader reads it in place of the picture, so it says what the picture
shows, in numbers: "Line chart: the training cross-entropy falls from 3.158 to
0.254 nats over 1000 iterations ...". Every sentence is chosen and filled in
here, from ``results.json`` and the findings (report/findings.py), so that it holds for any settings;
the templates only place it (``alt.error``, the ``figure`` macro).

The numbers go through the same filters as the prose (passed in by ``render``),
so the alt text and the text print them alike. Plain Python: no matplotlib.
"""

import math

from report import equations, scales
from report.findings import _same_mean as same_mean  # the text's tie rule: the same mean
from report.findings import join_words
from report.numbers import number_texts, plural

MANY = 4  # tied values or cells up to which each is named; beyond, they are counted


def _every(noun, trained, drawn):
    """The subject of "... have the same mean": every one of ``drawn`` values (or cells), of which
    ``trained`` have a mean ("Every value that trained", "Both values", "All 5 values")."""
    if trained < drawn:
        return f"Every {noun} that trained"
    return f"Both {noun}s" if drawn == 2 else f"All {drawn} {noun}s"


def the(n, noun):
    """'the 120 training points', 'the single training point'."""
    return f"the single {noun}" if n == 1 else f"the {plural(n, noun)}"


def course(values, show, iterations=None):
    """How a curve goes, as its printed values read: (the move, its extremes).

    The move: 'stays at X' only when every value prints as X; else from its first to its last
    value ('falls from A to B', 'rises from A to B', 'starts and ends at A'). The extremes: its lowest
    and highest, each where it first occurs ('lowest L at iteration 2'), when they print otherwise than
    both ends. ``iterations``: the iteration of each value (default 1, 2, ...).
    """
    iterations = iterations or list(range(1, len(values) + 1))
    texts = [show(v) for v in values]
    if len(set(texts)) == 1:
        return f"stays at {texts[0]}", []
    if texts[0] == texts[-1]:
        move = f"starts and ends at {texts[0]}"
    else:
        move = f"{'falls' if values[-1] < values[0] else 'rises'} from {texts[0]} to {texts[-1]}"
    extremes = []
    for word, pick in (("lowest", min), ("highest", max)):
        k = values.index(pick(values))
        if texts[k] not in (texts[0], texts[-1]):
            extremes.append(f"{word} {texts[k]} at iteration {iterations[k]}")
    return move, extremes


def _moved(move):
    return not move.startswith(("stays", "starts and ends"))


def _mean(stats, pct):
    return "none (every run diverged)" if stats["mean"] is None else pct(stats["mean"])


def error(run, found, f):
    """The E_total curve. With a value at every iteration: how it goes, as ``course`` reads it, and how
    often it rises (no direction when it prints as constant: a fall of 1e-10 'stays at'). With gaps
    (infinite values, or undefined ones after a divergence): at how many iterations it is finite, its
    finite values as such, and its direction only over steps between two finite values."""
    e = found["error_fell"]
    over = f"the mean cross-entropy E_total over {the(run['train_size'], 'training point')}"
    if not e.finite_iterations:
        return (
            f"Line chart of {over}: no finite value in {plural(run['iterations'], 'iteration')}, so "
            "nothing is drawn."
        )
    E = run["E_total"]
    finite = [(i + 1, v) for i, v in enumerate(E) if v is not None and math.isfinite(v)]
    iterations, values = [i for i, _ in finite], [v for _, v in finite]
    num = f["num"]
    move, extremes = course(values, num, iterations)
    extremes = "".join(f", {x}" for x in extremes)
    if len(finite) == len(E):
        if move.startswith("stays"):
            rises = "" if len(set(values)) == 1 else " (it changes by less than the printed digits)"
        elif found["error_decreases_every_step"].holds:
            rises = ", decreasing at every iteration"
        elif e.rises:
            rises = f", rising at {e.rises} of the iterations"
        else:
            rises = ", never rising"
        span = plural(run["iterations"], "iteration")
        return f"Line chart: {over} {move} nats over {span}{extremes}{rises}."
    infinite, diverged = found["error_infinite"], found["weights_diverged"]
    missing = []
    if infinite.holds:
        other = infinite.count == len(E) - len(finite)
        missing.append(
            f"infinite (not drawn) at the other {'one' if infinite.count == 1 else infinite.count}"
            if other
            else f"infinite (not drawn) at {infinite.count} {'other' if infinite.count == 1 else 'others'}"
        )
    if diverged.holds and diverged.undefined_from:
        missing.append(f"undefined from iteration {diverged.undefined_from} on (the network diverged)")
    missing = " and ".join(missing)
    if len(finite) == 1:
        return (
            f"Line chart: {over} is finite only at iteration {iterations[0]} of {len(E)}, where it is "
            f"{num(values[0])} nats (drawn as a point), and {missing}."
        )
    texts = [num(v) for v in values]
    if len(set(texts)) == 1:
        told = (
            f"its finite values all print as {texts[0]} nats, from "
            f"iteration {iterations[0]} to {iterations[-1]}"
        )
    else:
        told = (
            f"its finite values run from {texts[0]} nats at iteration {iterations[0]} to {texts[-1]} at "
            f"iteration {iterations[-1]}{extremes}"
        )
    if not e.steps:
        steps = ", no two of them at consecutive iterations (each drawn as a point)"
    else:
        rose = f"{e.rises} of" if e.rises else "none of"
        steps = (
            f", rising at {rose} the {plural(e.steps, 'step')} between consecutive iterations that are both "
            "finite"
            if e.steps > 1
            else f", {'rising' if e.rises else 'not rising'} at the one step between consecutive iterations "
            "that are both finite"
        )
    return (
        f"Line chart: {over} is finite at {len(finite)} of the {plural(len(E), 'iteration')} and {missing}; "
        f"{told}{steps}."
    )


def _rising(counts):
    """', rising at 3 of its 9 steps' for a curve of counts that goes up somewhere, else ''."""
    rises = sum(1 for a, b in zip(counts, counts[1:], strict=False) if b > a)
    return f", rising at {rises} of its {len(counts) - 1} steps" if rises else ""


def misclassification(run, found, f):
    """Both curves from their values: start, end, the iteration from which on each is at its end (when
    it moved), its lowest and highest beyond the ends, and how often it rises (counts of points)."""
    pct = f["pct"]
    parts = []
    for rates, size in (
        (run["misclassification_rate"], run["train_size"]),
        ([v for v in run["test_misclassification_rate"] if v is not None], run["test_size"]),
    ):
        counts = [round(v * size) for v in rates]  # rates are multiples of one point: compare counts
        move, extremes = course(rates, pct)
        if _moved(move):
            move += f" (first reached at iteration {counts.index(counts[-1]) + 1})"
        parts.append(", ".join([move, *extremes]) + (_rising(counts) if _moved(move) or extremes else ""))
    stops = (
        f", drawn up to iteration {found['train_miss_rises'].test_defined}, where the engine stopped the "
        "network"
        if found["test_curve_stops"].holds
        else ""
    )
    return (
        f"Line chart: over {plural(run['iterations'], 'iteration')}, the share of misclassified training "
        f"points {parts[0]}; that of {the(run['test_size'], 'test point')}, classified with the same "
        f"weights, {parts[1]}{stops}."
    )


def confusion(run, found, f):
    rows = "; ".join(
        f"true {name}: {', '.join(map(str, row))}"
        for name, row in zip(run["class_names"], run["confusion_matrix"], strict=True)
    )
    return (
        f"Heatmap of the confusion matrix of {the(run['test_size'], 'test point')}, with the predicted "
        f"classes {', '.join(run['class_names'])} as columns. {rows}. "
        f"{_on_diagonal(found['all_correct'].correct, run['test_size'])}."
    )


def _on_diagonal(correct, total):
    """'All 29 lie on the diagonal', 'None lies ...', '27 of 29 lie ...'."""
    if total == 1:
        return f"It lies {'on' if correct else 'off'} the diagonal"
    if correct == total:
        return f"{'Both' if total == 2 else f'All {total}'} lie on the diagonal"
    return "None lies on the diagonal" if correct == 0 else f"{correct} of {total} lie on the diagonal"


def factor(points, subject, symbol, repeats, f, log=False, default=None):
    """A study plot: mean accuracy with its 95% interval against one setting, as figures.factor_plot
    draws it: a line with a band through values next to each other that trained, a point with an
    error bar where a value has no such neighbour."""
    pct = f["pct"]
    values = dict(zip(map(id, points), number_texts([p["value"] for p in points]), strict=True))

    def at(p):
        return f"{symbol} = {values[id(p)]}"

    scored = [p for p in points if p["test"]["mean"] is not None]
    over = f"mean accuracy over {plural(repeats, 'repeat')}"
    scale = " (log scale)" if log else ""
    # This run's value reads in the list's notation (never 0.1 beside 10⁻¹ and 10⁻⁵).
    own = None if default is None else number_texts([default], among=[p["value"] for p in points])[0]
    marked = f" A dotted line marks this run's value, {symbol} = {own}." if default is not None else ""
    crosses = (
        " A cross on the axis marks each value at which every repeat diverged."
        if len(scored) < len(points)
        else ""
    )
    if not scored:
        return (
            f"Chart of the {over} against {subject}{scale}: every repeat diverged at every value tried "
            f"({symbol} = {join_words(values.values())}), so no accuracy is drawn.{crosses}{marked}"
        )
    if len(points) == 1:
        p = points[0]
        return (
            f"Chart of the {over} at the one value tried of {subject}, {at(p)}{scale}: a point with its 95% "
            f"bootstrap interval as an error bar for the test set ({pct(p['test']['mean'])}) and one for the "
            f"training set ({_mean(p['train'], pct)}).{marked}"
        )
    trained = [p["test"]["mean"] is not None for p in points]
    alone = [
        p for k, p in enumerate(points)
        if trained[k] and not (k > 0 and trained[k - 1]) and not (k + 1 < len(points) and trained[k + 1])
    ]  # fmt: skip
    if len(scored) == 1:
        kind = f"Chart of one point with its 95% bootstrap interval as an error bar, at {at(scored[0])}"
    elif len(alone) == len(scored):
        kind = (
            "Chart of points with 95% bootstrap intervals as error bars (no two neighbouring values trained)"
        )
    elif alone:
        kind = (
            f"Line chart with 95% bootstrap intervals as bands, and as error bars at "
            f"{join_words(at(p) for p in alone)}, where no neighbouring value trained"
        )
    else:
        kind = "Line chart with 95% bootstrap intervals as bands"
    # Both sets at every value tried: a list in the form of a complete list must be complete.
    tests = ", ".join(f"{_mean(p['test'], pct)} at {at(p)}" for p in points)
    trains = ", ".join(f"{_mean(p['train'], pct)} at {at(p)}" for p in points)
    text = f"{kind}: {over} against {subject}{scale}. Test accuracy: {tests}. Training accuracy: {trains}."
    if len(scored) > 1:
        best = next(p for p in points if p["best"])
        tied = [p for p in scored if p is best or same_mean(p["test"], best["test"])]
        if len(tied) == 1:
            text += f" Best test mean: {pct(best['test']['mean'])} at {at(best)}."
        elif len(tied) == len(scored):
            every = _every("value", len(scored), len(points))
            text += f" {every} have the same test mean, {pct(best['test']['mean'])}."
        else:
            shared = [values[id(p)] for p in tied]
            shared = f"{len(tied)} values" if len(tied) > MANY else f"{symbol} = {join_words(shared)}"
            text += f" Highest test mean: {pct(best['test']['mean'])}, shared by {shared}."
    return text + marked + crosses


def grid(study, run, found, f):
    table = study["grid"]
    sizes, rates = table["hidden_sizes"], table["learning_rates"]
    pct = f["pct"]
    etas = dict(zip(rates, number_texts(rates), strict=True))
    cells = [
        (cell, M, eta)
        for M, row in zip(sizes, table["test"], strict=True)
        for eta, cell in zip(rates, row, strict=True)
    ]
    scored = [c for c in cells if c[0]["mean"] is not None]
    over = f"the mean test accuracy over {plural(study['repeats'], 'repeat')}"

    def where(c):  # a cell by what tells it apart: its rate in one row, its size in one column
        return (
            f"η = {etas[c[2]]}"
            if len(sizes) == 1
            else f"M = {c[1]}"
            if len(rates) == 1
            else f"M = {c[1]} with η = {etas[c[2]]}"
        )

    def named_cells(chosen):
        """Tied cells, by row: 'M = 11 with η = 0.0999, 0.1 and 0.1001'; counted beyond MANY."""
        if len(chosen) > MANY:
            return f"{len(chosen)} cells"
        if len(sizes) == 1 or len(rates) == 1:
            return join_words(where(c) for c in chosen)
        rows = {}
        for c in chosen:
            rows.setdefault(c[1], []).append(etas[c[2]])
        return "; ".join(f"M = {M} with η = {join_words(row)}" for M, row in rows.items())

    if len(cells) == 1:
        cell, M, eta = cells[0]
        value = "empty, marked –, as every network diverged" if cell["mean"] is None else pct(cell["mean"])
        this = (
            " It is this run's combination." if (M, eta) == (run["hidden_size"], run["learning_rate"]) else ""
        )
        return (
            f"Heatmap of one cell, {over} at M = {M} with η = {etas[eta]}, the only combination tried: "
            f"{value}.{this}"
        )
    rows = (
        f"{len(sizes)} hidden sizes M ({sizes[0]} to {sizes[-1]}, rows)"
        if len(sizes) > 1
        else (f"one hidden size, M = {sizes[0]} (one row)")
    )
    columns = (
        f"{len(rates)} learning rates η ({etas[rates[0]]} to {etas[rates[-1]]}, columns)"
        if len(rates) > 1
        else f"one learning rate, η = {etas[rates[0]]} (one column)"
    )
    shape = f"Heatmap of {over} for {rows} and {columns}."
    if not scored:
        return f"{shape} Every cell is empty, marked –, as every network diverged."
    blank = [f"M = {M} with η = {etas[eta]}" for cell, M, eta in cells if cell["mean"] is None]
    dashes = f" Cells marked – (every network diverged): {'; '.join(blank)}." if blank else ""
    if len(sizes) == 1 or len(rates) == 1:  # one row or column: every cell named
        listed = "; ".join(f"{where(c)}: {pct(c[0]['mean'])}" for c in scored)
        text = f"{shape} {listed}."
    else:
        text = shape
    if len(scored) > 1:
        best = next(c for c in cells if c[0]["best"])
        low_mean = min(c[0]["mean"] for c in scored)
        lowest = [c for c in scored if same_mean(c[0], {"mean": low_mean, "n": 1})]
        highest = [c for c in scored if c is best or same_mean(c[0], best[0])]
        if len(highest) == len(scored):
            text += f" {_every('cell', len(scored), len(cells))} have the same mean, {pct(best[0]['mean'])}."
        else:
            text += (
                f" Lowest {pct(low_mean)} at {named_cells(lowest)}; highest {pct(best[0]['mean'])} at "
                f"{named_cells(highest)}"
            )
            ties = found["grid"]["summary"].ties_phrase
            text += f"; {ties} (paired Wilcoxon test, Holm's correction)." if ties else "."
    if len(sizes) > 1 and len(rates) > 1:
        spans = []
        for j, eta in enumerate(rates):
            column = [row[j]["mean"] for row in table["test"] if row[j]["mean"] is not None]
            if not column:
                span = "every run diverged"
            elif pct(min(column)) == pct(max(column)):
                span = f"{pct(min(column))} at every size" if len(column) == len(sizes) else pct(min(column))
            else:
                span = f"{pct(min(column))} to {pct(max(column))}"
            spans.append(f"η = {etas[eta]}: {span}")
        text += f" Range over the hidden sizes, by learning rate: {'; '.join(spans)}."
    text += dashes
    if run["hidden_size"] in sizes and run["learning_rate"] in rates:
        cell = table["test"][sizes.index(run["hidden_size"])][rates.index(run["learning_rate"])]
        text += (
            f" This run's combination, M = {run['hidden_size']} with η = {etas[run['learning_rate']]}, "
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
