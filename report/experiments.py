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
import json
import math
import multiprocessing
import platform
import queue as queues
import sys
import time
import traceback
from pathlib import Path

import numpy as np
import scipy
import scipy.stats

from assignment.tools import CLASS_NAMES, DataError, load_iris
from report import engine, paths
from report.atomic import WriteError, check_writable, write_atomic
from report.protocol import K, course_split, course_weights, repeat_seeds
from report.settings import SettingsError, load_settings, study_configurations

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


def train_graded(X, t, M, W1, W2, iterations, eta, chunk=100):
    """The graded train_nn, called in chunks of iterations to show progress.

    Each call starts from the weights the last one ended with, and the
    errors of iteration i use the weights before its update: the results are
    those of one call, bit for bit.
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


def section_2_3(run):
    features, targets, _ = load_iris()
    seed, M, eta, iterations = run["seed"], run["hidden_size"], run["learning_rate"], run["iterations"]
    (X, t), (Xt, tt) = course_split(features, targets, seed, run["train_ratio"])
    W1, W2 = course_weights(seed, X.shape[1], M)
    W1tr, W2tr, E_total, miss, guesses = train_graded(X, t, M, W1, W2, iterations, eta)
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
            "max_abs_E_total_difference": float(np.max(np.abs(fast.E_total - E_total))),
            "same_misclassification_rate": bool(np.array_equal(fast.misclassification_rate, miss)),
            "same_guesses": bool(np.array_equal(fast.guesses, guesses)),
        },
    }


# --- the study ---------------------------------------------------------------


def summarize(values, diverged):
    """Mean, sample standard deviation and 95% t confidence interval of accuracies."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    mean = float(np.mean(values)) if n else math.nan
    std = float(np.std(values, ddof=1)) if n > 1 else math.nan
    sem = float(scipy.stats.sem(values)) if n > 1 else math.nan
    if n > 1 and sem > 0:
        low, high = scipy.stats.t.interval(0.95, n - 1, loc=mean, scale=sem)
    else:  # all equal: the interval is the point (scipy gives nan for scale 0)
        low = high = mean
    return {
        "mean": mean,
        "std": std,
        "ci_low": float(low),
        "ci_high": float(high),
        "n": n,
        "diverged": diverged,
        "values": values.tolist(),
    }


def train_study(run, study):
    """Train every configuration on every repeat; return {config: (test, train, diverged)}."""
    features, targets, _ = load_iris()
    seeds = repeat_seeds(run["seed"], study["repeats"])
    configs = study_configurations(run, study)
    datasets, networks, owner = [], [], []
    for r, seed in enumerate(seeds):
        (X, t), (Xt, tt) = course_split(features, targets, seed, run["train_ratio"])
        datasets.append(engine.Dataset(X, t, Xt, tt))
        for M, eta, scale in configs:
            W1, W2 = course_weights(seed, X.shape[1], M, scale)
            networks.append(engine.Network(W1, W2, eta, r))
            owner.append((M, eta, scale))
    say(f"  study: {len(configs)} configurations x {len(seeds)} repeats = {len(networks)} networks")
    start = time.perf_counter()
    shown = [start]

    def progress(done, total):
        now = time.perf_counter()
        if now - shown[0] >= 1.0 or done == total:  # about once a second
            shown[0] = now
            left = (
                f", about {_duration((now - start) * (total - done) / done)} left" if 0 < done < total else ""
            )
            say(f"  study: {100 * done / total:.0f}% trained ({now - start:.1f} s{left})")

    results = engine.train_many(datasets, networks, study["iterations"], curves=False, progress=progress)
    raw = {config: ([], [], 0) for config in configs}
    for config, result in zip(owner, results, strict=True):
        test, train, diverged = raw[config]
        if result.diverged:
            raw[config] = (test, train, diverged + 1)
        else:
            test.append(result.test_accuracy)
            train.append(result.train_accuracy)
    return seeds, raw


def factor(raw, values, key):
    """One factor's curve: stats of test and train accuracy at each value."""
    points = []
    for value in values:
        test, train, diverged = raw[key(value)]
        points.append(
            {"value": value, "test": summarize(test, diverged), "train": summarize(train, diverged)}
        )
    return points


def paired_comparison(raw, best, default):
    """Paired tests of the best configuration against the default one, over repeats."""
    best_test, _, best_div = raw[best]
    default_test, _, default_div = raw[default]
    result = {
        "best": {"hidden_size": best[0], "learning_rate": best[1], "weight_scale": best[2]},
        "default": {"hidden_size": default[0], "learning_rate": default[1], "weight_scale": default[2]},
        "same": best == default,
        "mean_difference": math.nan,
        "t_statistic": math.nan,
        "p_value": math.nan,
        "wilcoxon_p_value": math.nan,
        "n": 0,
    }
    if best == default or best_div or default_div:
        return result  # runs do not pair up when some diverged
    a, b = np.array(best_test), np.array(default_test)
    difference = a - b
    result["n"] = len(a)
    result["mean_difference"] = float(np.mean(difference))
    if np.any(difference != 0):
        t_test = scipy.stats.ttest_rel(a, b)
        result["t_statistic"] = float(t_test.statistic)
        result["p_value"] = float(t_test.pvalue)
        result["wilcoxon_p_value"] = float(scipy.stats.wilcoxon(a, b, zero_method="zsplit").pvalue)
    else:
        result["p_value"] = result["wilcoxon_p_value"] = 1.0
    return result


def run_study(run, study):
    seeds, raw = train_study(run, study)
    M0, eta0 = run["hidden_size"], run["learning_rate"]
    grid = [
        [raw[(M, eta, 1.0)] for eta in study["learning_rates"]] for M in study["hidden_sizes"]
    ]  # rows: hidden size, columns: learning rate
    grid_stats = [[summarize(test, diverged) for test, _, diverged in row] for row in grid]
    means = np.array([[cell["mean"] if cell["n"] else -1.0 for cell in row] for row in grid_stats])
    i, j = np.unravel_index(np.argmax(means), means.shape)  # first of the best: smallest M, then rate
    best = (study["hidden_sizes"][i], study["learning_rates"][j], 1.0)
    return {
        "repeats": study["repeats"],
        "iterations": study["iterations"],
        "seeds": seeds,
        "configurations": len(raw),
        "networks": len(raw) * len(seeds),
        "hidden_size": factor(raw, study["hidden_sizes"], lambda M: (M, eta0, 1.0)),
        "learning_rate": factor(raw, study["learning_rates"], lambda eta: (M0, eta, 1.0)),
        "weight_scale": factor(raw, study["weight_scales"], lambda s: (M0, eta0, s)),
        "grid": {
            "hidden_sizes": study["hidden_sizes"],
            "learning_rates": study["learning_rates"],
            "test": grid_stats,
        },
        "comparison": paired_comparison(raw, best, (M0, eta0, 1.0)),
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

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "matplotlib": matplotlib.__version__,
        "jinja2": jinja2.__version__,
    }


GRADED_FAILED = (
    f"{paths.shown(paths.GRADED)}: the graded Section 2.3 run failed ({{reason}}): "
    "fix the graded code (its traceback is above), then run `make results` again"
)


def _section_2_3_worker(run, results):
    """Run Section 2.3 and send ("ok", run) or ("error", reason); show the graded code's traceback."""
    try:
        outcome = ("ok", section_2_3(run))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the parent says it, once
        return
    except BaseException as error:  # noqa: BLE001  (the student's code may raise anything)
        traceback.print_exc()  # the student needs to see where their code failed
        outcome = ("error", f"{type(error).__name__}: {error}".splitlines()[0])
    sys.stderr.flush()
    results.put(outcome)
    results.close()
    results.join_thread()  # the outcome is in the pipe before this process ends


def _wait_for(worker, results, poll=0.2):
    """Return the worker's outcome; never wait for a worker that died without sending one."""
    while True:
        try:
            return results.get(timeout=poll)
        except queues.Empty:
            if not worker.is_alive():
                try:  # it may have sent its outcome just before ending
                    return results.get(timeout=poll)
                except queues.Empty:
                    return ("error", f"its process ended with exit code {worker.exitcode} and no result")


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
    worker.start()
    try:
        study = run_study(settings.run, settings.study)
        say(f"  study done in {time.perf_counter() - start:.1f} s")
        status, run = _wait_for(worker, results)
        worker.join(timeout=5)
    finally:
        if worker.is_alive():  # the study failed or was interrupted: stop the graded run too
            worker.terminate()
            worker.join()
    if status != "ok":
        raise ExperimentError(GRADED_FAILED.format(reason=run))
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
