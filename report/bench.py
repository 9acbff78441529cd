"""``make bench``: the engine against the graded loop and other libraries, side by side.

Prints a table and writes ``report/build/bench.json``. Times are the best of
a few repeats (the machine is shared and noisy); ratios are taken within this
one run. scikit-learn and PyTorch are timed only where they are installed:
they are not dependencies of the project.
"""

import json
import platform
import resource
import sys
import time

import numpy as np

from assignment import backprop
from assignment.tools import load_iris
from report import bench_build, engine, paths
from report.atomic import write_atomic
from report.protocol import course_split, course_weights

OUTPUT = paths.BENCH
M, K, ETA = 10, 3, 0.1
STUDY_SIZES = (1, 2, 3, 4, 6, 8, 10, 15, 20, 30)
STUDY_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
STUDY_SEEDS = 10
STUDY_ITERATIONS = 1000


def best_time(function, repeats=3):
    """Return the smallest wall time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def problem():
    """The Section 2.3 problem by the course protocol (seed 1234): 120 points, M = 10."""
    features, targets, _ = load_iris()
    (X, t), (Xt, tt) = course_split(features, targets, 1234, 0.8)
    W1, W2 = course_weights(1234, X.shape[1], M)
    return X, t, Xt, tt, W1, W2


def sklearn_per_iteration(X, t, iterations):
    """scikit-learn's MLPClassifier doing the same full-batch gradient descent, or None."""
    try:
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return None
    import warnings

    model = MLPClassifier(
        hidden_layer_sizes=(M,), activation="logistic", solver="sgd", batch_size=X.shape[0],
        learning_rate_init=ETA, momentum=0.0, alpha=0.0, max_iter=iterations, shuffle=False,
        tol=0.0, n_iter_no_change=iterations + 1, random_state=0,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return best_time(lambda: model.fit(X, t)) / iterations


def torch_per_iteration(X, t, W1, W2, iterations):
    """PyTorch (CPU, autograd, float64) doing the same training, or None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    Z0 = torch.tensor(np.hstack([np.ones((X.shape[0], 1)), X]))
    T = torch.nn.functional.one_hot(torch.tensor(t), K).double()

    def run():
        w1 = torch.tensor(W1, requires_grad=True)
        w2 = torch.tensor(W2, requires_grad=True)
        for _ in range(iterations):
            h = torch.sigmoid(Z0 @ w1)
            a2 = torch.cat([torch.ones(h.shape[0], 1, dtype=h.dtype), h], 1) @ w2
            loss = torch.nn.functional.binary_cross_entropy_with_logits(a2, T, reduction="sum") / X.shape[0]
            w1.grad = w2.grad = None
            loss.backward()
            with torch.no_grad():
                w1 -= ETA * w1.grad
                w2 -= ETA * w2.grad

    return best_time(run) / iterations


def study_networks(features, targets):
    datasets, networks = [], []
    for seed in range(STUDY_SEEDS):
        (X, t), (Xt, tt) = course_split(features, targets, seed, 0.8)
        datasets.append(engine.Dataset(X, t, Xt, tt))
        rng = np.random.default_rng(seed)
        for size in STUDY_SIZES:
            W1, W2 = rng.uniform(-1, 1, (5, size)), rng.uniform(-1, 1, (size + 1, 3))
            networks += [engine.Network(W1, W2, rate, seed) for rate in STUDY_RATES]
    return datasets, networks


def main():
    X, t, Xt, tt, W1, W2 = problem()
    rows = {}
    graded_iterations = 20
    rows["graded_train_nn_s_per_iteration"] = (
        best_time(lambda: backprop.train_nn(X, t, M, K, W1, W2, graded_iterations, ETA)) / graded_iterations
    )
    rows["engine_train_nn_s_per_iteration"] = (
        best_time(lambda: engine.train_nn(X, t, M, K, W1, W2, 1000, ETA), repeats=5) / 1000
    )
    rows["sklearn_s_per_iteration"] = sklearn_per_iteration(X, t, 200)
    rows["torch_s_per_iteration"] = torch_per_iteration(X, t, W1, W2, 200)

    features, targets, _ = load_iris()
    datasets, networks = study_networks(features, targets)
    print(f"study: {len(networks)} networks x {STUDY_ITERATIONS} iterations ...", file=sys.stderr)
    rows["study_seconds"] = best_time(
        lambda: engine.train_many(datasets, networks, STUDY_ITERATIONS, curves=False), repeats=2
    )
    rows["study_seconds_with_curves"] = best_time(
        lambda: engine.train_many(datasets, networks, STUDY_ITERATIONS), repeats=1
    )

    def looped():
        for net in networks:
            alone = engine.Network(net.W1, net.W2, net.eta, data=0)
            engine.train_many([datasets[net.data]], [alone], STUDY_ITERATIONS, workers=1, curves=False)

    rows["study_looped_seconds"] = best_time(looped, repeats=1)
    rows["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    engine_step = rows["engine_train_nn_s_per_iteration"]
    ratios = {
        "engine_vs_graded": rows["graded_train_nn_s_per_iteration"] / engine_step,
        "engine_vs_sklearn": rows["sklearn_s_per_iteration"] / engine_step
        if rows["sklearn_s_per_iteration"]
        else None,
        "engine_vs_torch": rows["torch_s_per_iteration"] / engine_step
        if rows["torch_s_per_iteration"]
        else None,
        "study_batched_vs_looped": rows["study_looped_seconds"] / rows["study_seconds"],
    }
    report = {
        "machine": {
            "python": platform.python_version(), "numpy": np.__version__, "cores": engine.default_workers()
        },
        "settings": {"N": int(X.shape[0]), "M": M, "K": K, "eta": ETA, "study_networks": len(networks),
                     "study_iterations": STUDY_ITERATIONS},
        "timings": rows,
        "ratios": ratios,
    }  # fmt: skip
    report["build"] = bench_build.measure()  # a clean `make report` and a re-render
    write_atomic(OUTPUT, json.dumps(report, indent=2) + "\n")

    def show(name, value, unit):
        print(f"  {name:<38} {'not installed' if value is None else f'{value:,.6g} {unit}'}")

    print("Per iteration, 120 points, M = 10 (best of repeats):")
    show("graded train_nn (per-sample loop)", rows["graded_train_nn_s_per_iteration"] * 1e6, "us")
    show("engine train_nn", engine_step * 1e6, "us")
    show(
        "scikit-learn MLPClassifier",
        rows["sklearn_s_per_iteration"] and rows["sklearn_s_per_iteration"] * 1e6,
        "us",
    )
    show(
        "PyTorch (CPU, float64)", rows["torch_s_per_iteration"] and rows["torch_s_per_iteration"] * 1e6, "us"
    )
    print(f"Study: {len(networks)} networks x {STUDY_ITERATIONS} iterations:")
    show("batched (final accuracies)", rows["study_seconds"], "s")
    show("batched, with every curve", rows["study_seconds_with_curves"], "s")
    show("looped over the single trainer", rows["study_looped_seconds"], "s")
    show("peak memory", rows["peak_memory_mb"], "MB")
    print("Ratios (this run):")
    for name, value in ratios.items():
        show(name, value, "x")
    bench_build.show(report["build"])
    print(f"Wrote {paths.shown(OUTPUT)}")


if __name__ == "__main__":
    main()
