"""``make bench``: the engine against the graded loop and other libraries, side by side.

Prints a table and writes ``build/bench.json``. Times are the best of a few
repeats (the machine is shared and noisy); ratios are taken within this one
run. The study is the report's grid (hidden sizes x learning rates and the
iterations, read from the settings) on ``STUDY_SEEDS`` repeats drawn by the
course protocol; the report's own study (every configuration, the settings'
repeats) is also timed with this engine and with the one before it
(``report/bench_old_engine.py``), side by side. scikit-learn, PyTorch and jax are timed only where they are
installed: they are not dependencies of the project.
"""

import json
import platform
import resource
import sys
import time

import numpy as np

from assignment import backprop
from assignment.tools import load_iris
from report import bench_build, bench_old_engine, engine, paths
from report.atomic import write_atomic
from report.protocol import course_split, course_weights, repeat_seeds
from report.settings import load_settings, study_configurations

OUTPUT = paths.BENCH
M, K, ETA = 10, 3, 0.1
STUDY_SEEDS = 10  # repeats of the bench's study (the report's own count is in the settings)


def best_time(function, repeats=3):
    """Return the smallest wall time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def best_wall_and_cpu(function, repeats):
    """Return the smallest wall time and the smallest CPU time (all threads) of ``repeats`` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


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


def study_networks(settings):
    """The study's grid on STUDY_SEEDS repeats, by the course protocol: (datasets, networks)."""
    features, targets, _ = load_iris()
    datasets, networks = [], []
    for r, seed in enumerate(repeat_seeds(settings.run["seed"], STUDY_SEEDS)):
        (X, t), (Xt, tt) = course_split(features, targets, seed, settings.run["train_ratio"])
        datasets.append(engine.Dataset(X, t, Xt, tt))
        for size in settings.study["hidden_sizes"]:
            W1, W2 = course_weights(seed, X.shape[1], size)
            networks += [engine.Network(W1, W2, rate, r) for rate in settings.study["learning_rates"]]
    return datasets, networks


def report_study_networks(settings):
    """The report's own study, as ``experiments.train_study`` builds it: (datasets, networks)."""
    features, targets, _ = load_iris()
    datasets, networks = [], []
    for r, seed in enumerate(repeat_seeds(settings.run["seed"], settings.study["repeats"])):
        (X, t), (Xt, tt) = course_split(features, targets, seed, settings.run["train_ratio"])
        datasets.append(engine.Dataset(X, t, Xt, tt))
        for size, rate, scale in study_configurations(settings.run, settings.study):
            W1, W2 = course_weights(seed, X.shape[1], size, scale)
            networks.append(engine.Network(W1, W2, rate, r))
    return datasets, networks


def report_study(settings):
    """The report's study with this engine and with the one before (bench_old_engine), side by side:
    wall and CPU seconds each, and the CPU time per network-iteration."""
    datasets, networks = report_study_networks(settings)
    iterations = settings.study["iterations"]
    print(
        f"report's study: {len(networks)} networks x {iterations} iterations, two engines ...",
        file=sys.stderr,
    )
    rows = {}
    for name, train in (("", engine.train_many), ("_old_engine", bench_old_engine.train_many)):
        workers = engine.default_workers()
        wall, cpu = best_wall_and_cpu(
            lambda train=train, workers=workers: train(
                datasets, networks, iterations, workers=workers, curves=False
            ),
            repeats=2 if name == "" else 1,
        )
        rows[f"report_study_seconds{name}"] = wall
        rows[f"report_study_cpu_seconds{name}"] = cpu
        rows[f"report_study_cpu_us_per_network_iteration{name}"] = cpu / (len(networks) * iterations) * 1e6
    return rows


def stacked(datasets, networks):
    """The study as numpy arrays, one stack per hidden size, for the other libraries.

    Yields Z0 (G, N, D+1), T (G, N, K) one-hot, Z0 of the test sets (G, N_test, D+1), their
    classes (G, N_test), W1 (G, D+1, M), W2 (G, M+1, K) and eta (G,). All splits have the same N.
    """

    def with_bias(X):
        return np.hstack([np.ones((X.shape[0], 1)), X])

    for size in sorted({net.W1.shape[1] for net in networks}):
        nets = [net for net in networks if net.W1.shape[1] == size]
        sets = [datasets[net.data] for net in nets]
        yield (
            np.stack([with_bias(d.X_train) for d in sets]),
            np.stack([np.eye(K)[d.t_train] for d in sets]),
            np.stack([with_bias(d.X_test) for d in sets]),
            np.stack([d.t_test for d in sets]),
            np.stack([net.W1 for net in nets]),
            np.stack([net.W2 for net in nets]),
            np.array([net.eta for net in nets]),
        )


def torch_study_seconds(datasets, networks, iterations):
    """The study with PyTorch: torch.bmm per layer on each stack, float64, 2 threads; or None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    stacks = [[torch.tensor(a) for a in arrays] for arrays in stacked(datasets, networks)]

    def run():
        with torch.no_grad():
            for Z0, T, Z0t, tt, W1, W2, eta in stacks:
                W1, W2, eta, N = W1.clone(), W2.clone(), eta[:, None, None], Z0.shape[1]
                ones = torch.ones(Z0.shape[0], N, 1, dtype=torch.float64)
                for _ in range(iterations):
                    z = torch.sigmoid(torch.bmm(Z0, W1))
                    Z1 = torch.cat([ones, z], 2)
                    delta_k = torch.sigmoid(torch.bmm(Z1, W2)) - T
                    delta_j = torch.bmm(delta_k, W2[:, 1:].transpose(1, 2)) * z * (1 - z)
                    W1 -= eta * torch.bmm(Z0.transpose(1, 2), delta_j) / N
                    W2 -= eta * torch.bmm(Z1.transpose(1, 2), delta_k) / N
                z = torch.sigmoid(torch.bmm(Z0t, W1))
                y = torch.bmm(torch.cat([torch.ones(*z.shape[:2], 1, dtype=z.dtype), z], 2), W2)
                (y.argmax(2) == tt).double().mean(1)

    return best_time(run, repeats=2)


def jax_study_seconds(datasets, networks, iterations):
    """The study with jax: one network's loop, vmapped over each stack and jitted, float64; or None.

    Returns (seconds, compile_seconds): compiling is timed apart and not counted in seconds.
    """
    try:
        import jax
    except ImportError:
        return None, None
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy

    def train(Z0, T, Z0t, tt, W1, W2, eta):
        N = Z0.shape[0]

        def step(_, weights):
            W1, W2 = weights
            z = jax.nn.sigmoid(Z0 @ W1)
            Z1 = jnp.concatenate([jnp.ones((N, 1)), z], 1)
            delta_k = jax.nn.sigmoid(Z1 @ W2) - T
            delta_j = (delta_k @ W2[1:].T) * z * (1 - z)
            return W1 - eta * (Z0.T @ delta_j) / N, W2 - eta * (Z1.T @ delta_k) / N

        W1, W2 = jax.lax.fori_loop(0, iterations, step, (W1, W2))
        z = jax.nn.sigmoid(Z0t @ W1)
        y = jnp.concatenate([jnp.ones((z.shape[0], 1)), z], 1) @ W2
        return W1, W2, jnp.mean(jnp.argmax(y, 1) == tt)

    start = time.perf_counter()
    stacks = [[jnp.asarray(a) for a in arrays] for arrays in stacked(datasets, networks)]
    compiled = [jax.jit(jax.vmap(train)).lower(*arrays).compile() for arrays in stacks]
    compile_seconds = time.perf_counter() - start

    def run():
        jax.block_until_ready(
            [run_stack(*arrays) for run_stack, arrays in zip(compiled, stacks, strict=True)]
        )

    return best_time(run, repeats=2), compile_seconds


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

    settings = load_settings()
    datasets, networks = study_networks(settings)
    iterations = settings.study["iterations"]
    print(f"study: {len(networks)} networks x {iterations} iterations ...", file=sys.stderr)
    rows["study_seconds"] = best_time(
        lambda: engine.train_many(datasets, networks, iterations, curves=False), repeats=2
    )
    rows["study_seconds_one_thread"] = best_time(
        lambda: engine.train_many(datasets, networks, iterations, workers=1, curves=False), repeats=2
    )
    rows["study_seconds_with_curves"] = best_time(
        lambda: engine.train_many(datasets, networks, iterations), repeats=1
    )
    rows["torch_study_seconds"] = torch_study_seconds(datasets, networks, iterations)
    rows["jax_study_seconds"], rows["jax_compile_seconds"] = jax_study_seconds(datasets, networks, iterations)

    def looped():
        for net in networks:
            alone = engine.Network(net.W1, net.W2, net.eta, data=0)
            engine.train_many([datasets[net.data]], [alone], iterations, workers=1, curves=False)

    rows["study_looped_seconds"] = best_time(looped, repeats=1)
    rows.update(report_study(settings))
    rows["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    engine_step, study = rows["engine_train_nn_s_per_iteration"], rows["study_seconds"]

    def ratio(other, ours):
        return None if other is None else other / ours

    ratios = {
        "engine_vs_graded": rows["graded_train_nn_s_per_iteration"] / engine_step,
        "engine_vs_sklearn": rows["sklearn_s_per_iteration"] / engine_step
        if rows["sklearn_s_per_iteration"]
        else None,
        "engine_vs_torch": rows["torch_s_per_iteration"] / engine_step
        if rows["torch_s_per_iteration"]
        else None,
        "study_batched_vs_looped": rows["study_looped_seconds"] / study,
        "study_threads_vs_one_thread": rows["study_seconds_one_thread"] / study,
        "study_engine_vs_torch_bmm": ratio(rows["torch_study_seconds"], study),
        "study_engine_vs_jax_vmap_jit": ratio(rows["jax_study_seconds"], study),
        "report_study_engine_vs_old_engine": rows["report_study_seconds_old_engine"]
        / rows["report_study_seconds"],
        "report_study_engine_vs_old_engine_cpu": rows["report_study_cpu_seconds_old_engine"]
        / rows["report_study_cpu_seconds"],
    }
    report = {
        "machine": {
            "python": platform.python_version(), "numpy": np.__version__, "cores": engine.default_workers()
        },
        "settings": {"N": int(X.shape[0]), "M": M, "K": K, "eta": ETA, "study_networks": len(networks),
                     "study_iterations": iterations},
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
    print(f"Study: {len(networks)} networks x {iterations} iterations:")
    show("batched (final accuracies)", rows["study_seconds"], "s")
    show("batched, one thread", rows["study_seconds_one_thread"], "s")
    show("PyTorch, torch.bmm, float64, 2 threads", rows["torch_study_seconds"], "s")
    show("jax, vmap + jit, float64", rows["jax_study_seconds"], "s")
    show("jax, compiling (not counted above)", rows["jax_compile_seconds"], "s")
    show("batched, with every curve", rows["study_seconds_with_curves"], "s")
    show("looped over the single trainer", rows["study_looped_seconds"], "s")
    print("The report's own study (its settings), this engine and the one before it:")
    show("this engine, wall", rows["report_study_seconds"], "s")
    show("this engine, CPU", rows["report_study_cpu_seconds"], "s")
    show("this engine, CPU per network-iteration", rows["report_study_cpu_us_per_network_iteration"], "us")
    show("engine before, wall", rows["report_study_seconds_old_engine"], "s")
    show("engine before, CPU", rows["report_study_cpu_seconds_old_engine"], "s")
    show(
        "engine before, CPU per network-iteration",
        rows["report_study_cpu_us_per_network_iteration_old_engine"],
        "us",
    )
    show("peak memory", rows["peak_memory_mb"], "MB")
    print("Ratios (this run):")
    for name, value in ratios.items():
        show(name, value, "x")
    bench_build.show(report["build"])
    print(f"Wrote {paths.shown(OUTPUT)}")


if __name__ == "__main__":
    main()
