"""``make results``: Section 2.3's run and the study, written to ``build/results.json``.

- The run follows the course protocol with the **graded** functions, so that
  anyone can reproduce it from the recorded settings: ``np.random.seed(seed)``,
  ``split_train_test``, ``np.random.seed(seed)`` again, draw ``W1`` then
  ``W2``, ``train_nn``, ``test_nn``. The engine retrains the same network to
  follow the test set at every iteration and to show it agrees.
- The study trains every configuration ``repeats`` times with the engine:
  repeat r uses seed r of ``SeedSequence(seed)`` for its split and initial
  weights (the course's draw, scaled), the same for every configuration, so
  that comparisons are paired.

The same settings give the same file, byte for byte, on the same machine
with the same library versions (README: "Reproducibility: what holds where").
"""

import argparse
import importlib
import json
import math
import multiprocessing
import platform
import queue as queues
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

import numpy as np

from assignment.tools import CLASS_NAMES, DataError, load_iris
from report import engine, paths
from report.atomic import WriteError, check_writable, write_atomic
from report.protocol import K, course_split, course_weights, repeat_seeds
from report.settings import SettingsError, load_settings, study_configurations, study_values

# The graded file is the student's: if it does not import (a syntax error, a
# name error at module level), `main` shows its traceback and one line
# instead of failing here with the pipeline's own traceback.
try:
    from assignment import backprop
    from report import verification
except Exception as error:  # noqa: BLE001  (any error raised by the student's module)
    backprop = verification = None
    GRADED_IMPORT_ERROR = error
else:
    GRADED_IMPORT_ERROR = None


class ExperimentError(RuntimeError):
    """The experiments cannot run or finish; the message says where and what to do."""


def say(message):
    print(message, file=sys.stderr, flush=True)


# --- Section 2.3 -----------------------------------------------------------


def train_graded(X, t, M, W1, W2, iterations, eta, chunk=100, alive=None):
    """The graded train_nn, called in chunks of iterations to show progress.

    Each call starts from the weights the last one ended with, and the
    errors of iteration i use the weights before its update: the results are
    those of one call, bit for bit. ``alive()``, if given, is called after
    each chunk (the parent's watchdog sees the graded code move on).
    """
    E_total, miss, guesses = [], [], None
    done = 0
    start = time.perf_counter()
    while done < iterations:
        n = min(chunk, iterations - done)
        W1, W2, E, m, guesses = backprop.train_nn(X, t, M, K, W1, W2, n, eta)
        E_total.append(E)
        miss.append(m)
        done += n
        if alive is not None:
            alive()
        left = (time.perf_counter() - start) * (iterations - done) / done
        say(f"  Section 2.3: graded train_nn, iteration {done}/{iterations}"
            + (f", about {_duration(left)} left" if done < iterations else ""))  # fmt: skip
    return W1, W2, np.concatenate(E_total), np.concatenate(miss), guesses


def _duration(seconds):
    """An estimate as a person reads it: '40 s', '12 min', '2.5 h'."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def confusion_matrix(true, predicted, classes=K):
    """Counts with rows the true class and columns the predicted one: (K, K)."""
    matrix = np.zeros((classes, classes), dtype=int)
    np.add.at(matrix, (np.asarray(true, dtype=int), np.asarray(predicted, dtype=int)), 1)
    return matrix


def _error_agreement(E_fast, E_total):
    """The engine's E_total against train_nn's (iterations,): infinite (ln 0) at the same iterations,
    and the largest difference where both are finite (None where there are none)."""
    same = bool(np.array_equal(np.isfinite(E_fast), np.isfinite(E_total)))
    both = np.isfinite(E_fast) & np.isfinite(E_total)
    same = same and bool(np.array_equal(E_fast[~both], E_total[~both], equal_nan=True))
    largest = float(np.max(np.abs(E_fast[both] - E_total[both]))) if both.any() else None
    return {"max_abs_E_total_difference": largest, "same_infinite_E_total": same}


def section_2_3(run, alive=None):
    features, targets, _ = load_iris()
    seed, M, eta, iterations = run["seed"], run["hidden_size"], run["learning_rate"], run["iterations"]
    (X, t), (Xt, tt) = course_split(features, targets, seed, run["train_ratio"])
    W1, W2 = course_weights(seed, X.shape[1], M)
    W1tr, W2tr, E_total, miss, guesses = train_graded(X, t, M, W1, W2, iterations, eta, alive=alive)
    test_guesses = backprop.test_nn(Xt, M, K, W1tr, W2tr)
    # The engine, on the same network: the test set's curve, and its agreement.
    (fast,) = engine.train_many([engine.Dataset(X, t, Xt, tt)], [engine.Network(W1, W2, eta)], iterations)
    return {
        "train_size": int(X.shape[0]),
        "test_size": int(Xt.shape[0]),
        "accuracy": float(np.mean(test_guesses == tt)),
        "train_accuracy": float(np.mean(backprop.test_nn(X, M, K, W1tr, W2tr) == t)),
        "class_names": list(CLASS_NAMES),
        "confusion_matrix": confusion_matrix(tt, test_guesses).tolist(),
        "test_targets": tt.tolist(),
        "test_guesses": test_guesses.tolist(),
        "E_total": E_total.tolist(),
        "misclassification_rate": miss.tolist(),
        "test_misclassification_rate": fast.test_misclassification_rate.tolist(),
        "W1": W1tr.tolist(),
        "W2": W2tr.tolist(),
        "engine_agreement": {
            "max_abs_weight_difference": float(
                max(np.max(np.abs(fast.W1 - W1tr)), np.max(np.abs(fast.W2 - W2tr)))
            ),
            **_error_agreement(fast.E_total, E_total),
            "same_misclassification_rate": bool(np.array_equal(fast.misclassification_rate, miss)),
            "same_guesses": bool(np.array_equal(fast.guesses, guesses)),
        },
    }


# --- the study ---------------------------------------------------------------
#
# The statistical standard of the report, defined here once (the findings
# apply it; the report states it):
# - an interval of a mean accuracy is the 95% percentile bootstrap interval of
#   the mean over the repeats (scipy.stats.bootstrap, BOOTSTRAP_RESAMPLES
#   resamples, fixed seed): it lies within the observed accuracies, so within
#   [0, 100%], and the same results give the same interval;
# - two configurations are compared on the same repeats (paired) by the
#   Wilcoxon signed-rank test, two-sided, zeros kept in the ranking (Pratt):
#   differences of accuracies are multiples of one test point, often zero, and
#   a few stuck networks make them far from normal, which rules out the paired
#   t-test; the signed-rank test assumes only symmetric differences.

CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 9999
BOOTSTRAP_SEED = 0
WILCOXON_ZEROS = "pratt"


def bootstrap_interval(values, confidence=CONFIDENCE):
    """The percentile bootstrap interval of the mean of ``values`` (n,), or the point when all are equal."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return math.nan, math.nan
    if np.all(values == values[0]):  # every resample has the same mean (scipy would warn)
        return float(values[0]), float(values[0])
    import scipy.stats  # here, not at the top: see compute

    result = scipy.stats.bootstrap(
        (values,),
        np.mean,
        n_resamples=BOOTSTRAP_RESAMPLES,
        confidence_level=confidence,
        method="percentile",
        rng=np.random.default_rng(BOOTSTRAP_SEED),
    )
    interval = result.confidence_interval
    return float(interval.low), float(interval.high)


def summarize(by_repeat, diverged=None):
    """Mean, sample standard deviation and 95% bootstrap interval of accuracies.

    ``by_repeat``: one accuracy per repeat, None where the network diverged
    (left out of the statistics, counted in ``diverged``).
    """
    by_repeat = [None if v is None or not math.isfinite(v) else float(v) for v in by_repeat]
    values = np.array([v for v in by_repeat if v is not None], dtype=float)
    n = len(values)
    low, high = bootstrap_interval(values)
    return {
        "mean": float(np.mean(values)) if n else math.nan,
        "std": float(np.std(values, ddof=1)) if n > 1 else math.nan,
        "ci_low": low,
        "ci_high": high,
        "n": n,
        "diverged": len(by_repeat) - n if diverged is None else diverged,
        "values": values.tolist(),
        "by_repeat": by_repeat,
    }


def paired_comparison(a_by_repeat, b_by_repeat):
    """The paired test of a against b over the repeats where neither diverged.

    Returns n (pairs), mean_difference (a - b), median_difference,
    signed_rank_sum (sum of the signed ranks of the nonzero differences, zeros
    ranked as Pratt does: its sign is the direction the test sees) and the
    two-sided p-value (1 when every difference is 0, None with no pair).
    """
    pairs = [(a, b) for a, b in zip(a_by_repeat, b_by_repeat, strict=True) if a is not None and b is not None]
    difference = np.array([a - b for a, b in pairs], dtype=float)
    result = {
        "test": "wilcoxon",
        "n": len(pairs),
        "mean_difference": float(np.mean(difference)) if len(pairs) else math.nan,
        "median_difference": float(np.median(difference)) if len(pairs) else math.nan,
        "signed_rank_sum": 0.0,
        "p_value": None,
    }
    if not pairs:
        return result
    import scipy.stats  # here, not at the top: see compute

    ranks = scipy.stats.rankdata(np.abs(difference))
    result["signed_rank_sum"] = float(np.sum(np.sign(difference) * ranks))
    if np.all(difference == 0):
        result["p_value"] = 1.0
    else:
        test = scipy.stats.wilcoxon(difference, zero_method=WILCOXON_ZEROS)
        result["p_value"] = float(test.pvalue)
    return result


def _progress(label):
    start = time.perf_counter()
    shown = [start]

    def progress(done, total):
        now = time.perf_counter()
        if now - shown[0] >= 1.0 or done == total:  # about once a second
            shown[0] = now
            left = (
                f", about {_duration((now - start) * (total - done) / done)} left" if 0 < done < total else ""
            )
            say(f"  {label}: {100 * done / total:.0f}% trained ({now - start:.1f} s{left})")

    return progress


def train_study(run, study, configs=None, iterations=None, label="study"):
    """Train ``configs`` on every repeat for ``iterations``.

    Returns the seeds and {config: (test, train)}, one accuracy per repeat
    each, None where the network diverged.
    """
    features, targets, _ = load_iris()
    seeds = repeat_seeds(run["seed"], study["repeats"])
    configs = study_configurations(run, study) if configs is None else configs
    iterations = study["iterations"] if iterations is None else iterations
    datasets, networks, owner = [], [], []
    for r, seed in enumerate(seeds):
        (X, t), (Xt, tt) = course_split(features, targets, seed, run["train_ratio"])
        datasets.append(engine.Dataset(X, t, Xt, tt))
        for M, eta, scale in configs:
            W1, W2 = course_weights(seed, X.shape[1], M, scale)
            networks.append(engine.Network(W1, W2, eta, r))
            owner.append((M, eta, scale))
    say(f"  {label}: {len(configs)} configurations x {len(seeds)} repeats = {len(networks)} networks")
    results = engine.train_many(datasets, networks, iterations, curves=False, progress=_progress(label))
    raw = {config: ([], []) for config in configs}
    for config, result in zip(owner, results, strict=True):
        test, train = raw[config]
        test.append(None if result.diverged else result.test_accuracy)
        train.append(None if result.diverged else result.train_accuracy)
    return seeds, raw


def _mean_or_none(stats):
    return stats["mean"] if stats["n"] else -math.inf


def _against_best(cells):
    """Mark the cell of highest mean test accuracy (first of equals); test every other against it."""
    best = max(range(len(cells)), key=lambda i: (_mean_or_none(cells[i]["test"]), -i))
    for i, cell in enumerate(cells):
        cell["best"] = i == best
        cell["vs_best"] = paired_comparison(cell["test"]["by_repeat"], cells[best]["test"]["by_repeat"])
    return best


def factor(raw, values, key, added=()):
    """One factor's curve: stats of test and train accuracy at each value, each tested against the best."""
    points = []
    for value in values:
        test, train = raw[key(value)]
        points.append(
            {"value": value, "added": value in added, "test": summarize(test), "train": summarize(train)}
        )
    _against_best(points)
    return points


def run_configuration(run, study, raw):
    """The run's own configuration trained on the study's repeats for the run's iteration count."""
    config = (run["hidden_size"], run["learning_rate"], 1.0)
    if run["iterations"] != study["iterations"]:
        _, raw = train_study(run, study, [config], run["iterations"], label="the run's configuration")
    test, train = raw[config]
    return {
        "hidden_size": config[0],
        "learning_rate": config[1],
        "weight_scale": config[2],
        "iterations": run["iterations"],
        "test": summarize(test),
        "train": summarize(train),
        "gap": paired_comparison(train, test),  # train minus test, per repeat
    }


def run_study(run, study):
    seeds, raw = train_study(run, study)
    M0, eta0 = run["hidden_size"], run["learning_rate"]
    values = study_values(run, study)
    hidden_sizes, rates = values["hidden_sizes"], values["learning_rates"]
    cells = [summarize(raw[(M, eta, 1.0)][0]) for M in hidden_sizes for eta in rates]
    flat = [{"test": cell} for cell in cells]
    best = _against_best(flat)
    for cell, marked in zip(cells, flat, strict=True):
        cell["best"], cell["vs_best"] = marked["best"], marked["vs_best"]
    grid_stats = [cells[i * len(rates) : (i + 1) * len(rates)] for i in range(len(hidden_sizes))]
    return {
        "repeats": study["repeats"],
        "iterations": study["iterations"],
        "seeds": seeds,
        "configurations": len(raw),
        "networks": len(raw) * len(seeds),
        "hidden_size": factor(
            raw, hidden_sizes, lambda M: (M, eta0, 1.0), set(hidden_sizes) - set(study["hidden_sizes"])
        ),
        "learning_rate": factor(
            raw, rates, lambda eta: (M0, eta, 1.0), set(rates) - set(study["learning_rates"])
        ),
        "weight_scale": factor(
            raw,
            values["weight_scales"],
            lambda s: (M0, eta0, s),
            set(values["weight_scales"]) - set(study["weight_scales"]),
        ),
        "grid": {
            "hidden_sizes": hidden_sizes,
            "learning_rates": rates,
            "test": grid_stats,
            "best": {
                "hidden_size": hidden_sizes[best // len(rates)],
                "learning_rate": rates[best % len(rates)],
            },
        },
        "run_configuration": run_configuration(run, study, raw),
        "standard": {
            "confidence": CONFIDENCE,
            "interval": "percentile bootstrap of the mean",
            "bootstrap_resamples": BOOTSTRAP_RESAMPLES,
            "bootstrap_seed": BOOTSTRAP_SEED,
            "test": "Wilcoxon signed-rank, two-sided, zeros ranked (Pratt)",
        },
    }


# --- the file ------------------------------------------------------------------


def _plain(value):
    """Replace nan and inf by None (null), for strict JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def versions():
    import jinja2
    import matplotlib
    import scipy

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "matplotlib": matplotlib.__version__,
        "jinja2": jinja2.__version__,
    }


GRADED_FAILED = (
    f"{paths.shown(paths.GRADED)}: the graded Section 2.3 run failed ({{reason}}): "
    "fix the graded code{traceback}, then run `make results` again"
)


def _section_2_3_worker(run, results):
    """Run Section 2.3 and send ("ok", run) or ("raised", reason); show the graded code's traceback."""
    # (Forked with SIGTERM's default action, see compute: stopped by the
    # parent when the study fails, it dies quietly; the package's handler
    # would raise SystemExit inside the graded code, reported below as the
    # student's error.)
    try:
        outcome = ("ok", section_2_3(run, alive=lambda: results.put(("alive", time.monotonic()))))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the parent says it, once
        return
    except BaseException as error:  # noqa: BLE001  (the student's code may raise anything)
        traceback.print_exc()  # the student needs to see where their code failed
        outcome = ("raised", f"{type(error).__name__}: {error}".splitlines()[0])
    sys.stderr.flush()
    results.put(outcome)
    results.close()
    results.join_thread()  # the outcome is in the pipe before this process ends


# The graded run reports after every 100 iterations (well under a second at the
# defaults, a few seconds for the largest accepted network): this long without
# a report, the graded code is taken to be stuck (a loop that never ends).
STALL_SECONDS = 120


def _wait_for(worker, results, started, poll=0.2):
    """Return the worker's outcome; never wait for a worker that died without sending one, nor
    for one that has not moved on for STALL_SECONDS (``started``: time.monotonic() at its start;
    its reports carry the same clock's time, as they may be read long after they were sent)."""
    last = started
    while True:
        try:
            message = results.get(timeout=poll)
        except queues.Empty:
            if not worker.is_alive():
                try:  # it may have sent its outcome just before ending
                    message = results.get(timeout=poll)
                except queues.Empty:
                    return ("error", f"its process ended with exit code {worker.exitcode} and no result")
            elif time.monotonic() - last > STALL_SECONDS:
                return (
                    "error",
                    f"the graded code made no progress for {STALL_SECONDS} s: does a loop never end?",
                )
            else:
                continue
        if message[0] != "alive":
            return message
        last = max(last, message[1])


def _default_sigterm(handler=signal.SIG_DFL):
    """Set SIGTERM's handler (from the main thread only); return the previous one."""
    if threading.current_thread() is not threading.main_thread():
        return signal.getsignal(signal.SIGTERM)
    return signal.signal(signal.SIGTERM, handler)


def compute(settings):
    """Return the whole results document for checked ``settings``.

    Raises ExperimentError if the graded Section 2.3 run fails (its
    traceback is printed to stderr first).
    """
    if GRADED_IMPORT_ERROR is not None:
        raise ExperimentError(_graded_import_message())
    start = time.perf_counter()
    # The graded run is a long single-threaded loop: it runs in a second
    # process while this one trains the study (forked before any thread starts).
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    worker = context.Process(target=_section_2_3_worker, args=(settings.run, results), daemon=True)
    # The worker is forked with SIGTERM's default action (its handler raises
    # in the package, see report/__init__.py): stopped at any moment, even
    # before its first line, it ends quietly instead of reporting an error.
    handler = _default_sigterm()
    try:
        worker.start()
    finally:
        _default_sigterm(handler)
    started = time.monotonic()
    # scipy.stats takes over a second to import and is needed only for the
    # statistics at the end: it is imported while the networks train, after
    # the graded run has started, instead of before it.
    preload = threading.Thread(target=importlib.import_module, args=("scipy.stats",), daemon=True)
    preload.start()
    try:
        study = run_study(settings.run, settings.study)
        say(f"  study done in {time.perf_counter() - start:.1f} s")
        status, run = _wait_for(worker, results, started)
        worker.join(timeout=5)
    finally:
        if worker.is_alive():  # the study failed or was interrupted: stop the graded run too
            worker.terminate()
            worker.join()
        preload.join()  # never leave an import half-done at exit
    if status != "ok":  # "raised" (its traceback is printed) or "error" (died, or stuck)
        where = " (its traceback is above)" if status == "raised" else ""
        raise ExperimentError(GRADED_FAILED.format(reason=run, traceback=where))
    say(f"  Section 2.3 done in {time.perf_counter() - start:.1f} s")
    return _plain(
        {
            "settings": {**settings.as_dict(), **settings.run, "repeats": settings.study["repeats"]},
            "versions": versions(),
            "run": {**settings.run, **run},
            "study": study,
            "verification": {
                "handout_examples": verification.handout_examples(),
                "gradient_check": verification.gradient_check(),
            },
        }
    )


def dumps(results):
    return json.dumps(results, indent=1, allow_nan=False) + "\n"


def _graded_import_message():
    error = GRADED_IMPORT_ERROR
    reason = f"{type(error).__name__}: {error}".splitlines()[0]
    return (
        f"{paths.shown(paths.GRADED)}: cannot be imported ({reason}): "
        "fix the graded code (its traceback is above), then build again"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", type=Path, default=paths.SETTINGS)
    parser.add_argument("--output", type=Path, default=paths.RESULTS)
    args = parser.parse_args(argv)
    if GRADED_IMPORT_ERROR is not None:
        traceback.print_exception(GRADED_IMPORT_ERROR)  # the student's own error, in full
        print(f"error: {_graded_import_message()}", file=sys.stderr)
        return 1
    try:
        settings = load_settings(args.settings)
        load_iris()  # a missing or altered data file: one line now, not a traceback later
        check_writable(args.output)  # before the long run, not after it
    except (SettingsError, DataError, WriteError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    say(f"Running the experiments of {paths.shown(args.settings)} ...")
    try:
        results = dumps(compute(settings))
    except ExperimentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"error: interrupted: {paths.shown(args.output)} was not written; the previous one, if any, "
              "is unchanged", file=sys.stderr)  # fmt: skip
        return 130
    try:
        write_atomic(args.output, results)
    except WriteError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    say(f"Wrote {paths.shown(args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
