"""``make check``: check a hand-in file as a careful grader would, in a sandbox.

``python -m report.check [FILE]`` (default: the graded file) reads FILE's
imports, then copies it alone, as ``template.py``, into an empty scratch
folder (with the course's ``tools.py`` and ``data/iris.csv`` beside it only
when it imports ``tools``) and runs ``assignment/grader_check.py`` on it in a
separate process: isolated mode, a scrubbed environment, its working
directory in the scratch folder, resource limits, a wall-clock limit, and,
when we run as root, the project mounted read-only in its own mount
namespace (or else the ``nobody`` user; see ``sandbox()``).

The expected values are computed here, in the parent: the handout's printed
values (``assignment/handout_examples.py``) and, on a small seeded problem,
the project's own proven implementation (``assignment.backprop``), together
with what the common mistakes would give, so that a failure can say which
mistake it looks like. They reach the child as one JSON file.

Prints one line per check and a summary; exits 0 only when every check
passes (warnings allowed).
"""

import ast
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

import numpy as np

from assignment import backprop as reference
from assignment import handout_examples as ex
from assignment.tools import IRIS_PATH, load_iris, split_train_test
from report import paths

TIMEOUT = 60  # seconds for the whole check of one file, import included
ALLOWED = {"numpy", "tools", "__future__"} | set(sys.stdlib_module_names)
NOBODY = 65534
GRADED_FUNCTIONS = ("sigmoid", "d_sigmoid", "perceptron", "ffnn", "backprop", "train_nn", "test_nn")
_RNG_LOCK, _PARSE_LOCK = threading.Lock(), threading.Lock()

# The seeded train_nn problem: small enough to run in well under a second,
# chosen so that every diagnosed mistake gives different numbers (pre- and
# post-update guesses differ at the last iteration; see tests/report/test_check.py).
TRAIN_N, TRAIN_M, TRAIN_ITERATIONS, TRAIN_ETA = 20, 6, 4, 0.3


class CheckError(RuntimeError):
    """The check could not run at all (no such file, ...): one line for the user."""


@dataclass
class Line:
    function: str
    what: str
    status: str  # "ok", "warn" or "FAIL"
    detail: str = ""

    def __str__(self):
        return f"  {self.status:<4} {self.function:<11} {self.what}: {self.detail}".rstrip(": ")


@dataclass
class Report:
    lines: list = field(default_factory=list)

    @property
    def failures(self):
        return [line for line in self.lines if line.status == "FAIL"]

    @property
    def warnings(self):
        return [line for line in self.lines if line.status == "warn"]

    @property
    def passed(self):
        return bool(self.lines) and not self.failures

    @property
    def summary(self):
        ok = len(self.lines) - len(self.failures) - len(self.warnings)
        verdict = "PASS" if self.passed else "FAIL"
        return (
            f"{verdict}: {len(self.lines)} checks, {ok} ok, {len(self.warnings)} "
            f"warning{'s' * (len(self.warnings) != 1)}, {len(self.failures)} failed"
        )


# --- imports -------------------------------------------------------------------


def imported_modules(source):
    """Return the top-level names of every module ``source`` imports ("." for relative imports)."""
    return {site[0] for site in import_sites(source)}


def _module_names(node):
    if isinstance(node, ast.Import):
        return [alias.name.split(".")[0] for alias in node.names]
    if node.level:
        return ["." * node.level + (node.module or "")]
    return [node.module.split(".")[0]]


def _is_main_guard(node):
    """``if __name__ == "__main__":`` (either way round)."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [side for side in sides if isinstance(side, ast.Name) and side.id == "__name__"]
    mains = [side for side in sides if isinstance(side, ast.Constant) and side.value == "__main__"]
    return len(names) == 1 and len(mains) == 1


def _module_level_calls(tree):
    """Names used by the module-level code that runs at import (not in a def, class or main guard)."""
    used = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or _is_main_guard(node):
            continue
        used |= {child.id for child in ast.walk(node) if isinstance(child, ast.Name)}
    return used


def _reach(tree):
    """Names of the top-level functions that may run when the file is imported and graded.

    The graded functions, the functions called by the code that runs at
    import, and every function those may call (by name).
    """
    functions = {
        node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    roots = set(GRADED_FUNCTIONS) | _module_level_calls(tree)
    reach, todo = set(), [name for name in roots if name in functions]
    while todo:
        name = todo.pop()
        if name in reach:
            continue
        reach.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Name) and node.id in functions and node.id not in reach:
                todo.append(node.id)
    return reach


def import_sites(source):
    """Every import of ``source`` as (module, line, where, function).

    where is "import" when the import runs when the file is imported or a
    graded function is called (module level, or in a function that may run
    then; function names that top-level function, else None), "main" when it
    runs only under ``if __name__ == "__main__":``, and "helper" when it is
    only in a function that nothing run at import or grading calls.
    """
    with _PARSE_LOCK:  # CPython 3.11's ast.parse is not thread-safe ("recursion depth mismatch")
        tree = ast.parse(source)
    reach = _reach(tree)
    sites = []

    def visit(node, where, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                sites.extend((name, child.lineno, where, function) for name in _module_names(child))
                continue
            inner, inner_function = where, function
            if node is tree and _is_main_guard(child):
                inner = "main"
            elif node is tree and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = "import" if child.name in reach else "helper"
                inner_function = child.name
            visit(child, inner, inner_function)

    visit(tree, "import", None)
    return sites


def _lines(sites):
    return ", ".join(
        f"{name} (line{'s' * (len(lines) > 1)} {', '.join(map(str, sorted(lines)))})"
        for name, lines in sorted(sites.items())
    )


def check_imports(source):
    """Return (Line, imports_tools)."""
    try:
        sites = import_sites(source)
    except SyntaxError as error:
        return Line(
            "template.py", "parses", "FAIL", f"SyntaxError on line {error.lineno}: {error.msg}"
        ), False
    names = {site[0] for site in sites}
    bad = {"import": {}, "main": {}, "helper": {}}
    functions = set()  # the functions holding a forbidden import that runs when graded
    for name, line, where, function in sites:
        if name not in ALLOWED:
            bad[where].setdefault(name, set()).add(line)
            if where == "import" and function:
                functions.add(function)
    # A module imported where it runs anyway is not also reported where it does not.
    for where in ("main", "helper"):
        for name in list(bad[where]):
            if name in bad["import"]:
                del bad[where][name]
    imports_tools = "tools" in names
    if bad["import"]:
        inside = (
            f" in {', '.join(sorted(functions))}, which may run when the file is graded" if functions else ""
        )
        return (
            Line(
                "template.py",
                "imports",
                "FAIL",
                f"imports {_lines(bad['import'])}{inside}: the course accepts only numpy, the standard "
                "library and the course's tools, and the file must work alone in an empty folder; remove it, "
                'or move the code that needs it under `if __name__ == "__main__":` or into another file',
            ),
            imports_tools,
        )
    quiet = {**bad["helper"], **bad["main"]}
    if quiet:
        places = " and ".join(
            text
            for text, found in (
                ('under `if __name__ == "__main__":`', bad["main"]),
                ("in a function that no graded function calls", bad["helper"]),
            )
            if found
        )
        return (
            Line(
                "template.py",
                "imports",
                "warn",
                f"imports {_lines(quiet)} only {places}, which does not run when the grader imports the "
                "file: allowed, since the graded functions need only numpy, the standard library and tools; "
                "the same import anywhere else would fail the check",
            ),
            imports_tools,
        )
    shown = ", ".join(sorted(names & {"numpy", "tools"})) or "nothing outside the standard library"
    return Line("template.py", "imports", "ok", f"{shown} (numpy, stdlib and tools allowed)"), imports_tools


# --- expected values (the parent's side) -----------------------------------------


def _draw_weights(seed, D, M, K):
    np.random.seed(seed)
    W1 = 2 * np.random.rand(D + 1, M) - 1
    W2 = 2 * np.random.rand(M + 1, K) - 1
    return W1, W2


def _outputs(X, M, K, W1, W2):
    """(N, K) network outputs for every point."""
    return np.array([reference.ffnn(x, M, K, W1, W2)[0] for x in X])


def _uphill_step(X, t, M, K, W1, W2, eta):
    """One update W + eta * dE_total / N (the handout's typo), as train_nn sums the gradients.

    train_nn refuses eta <= 0, so the typo is not train_nn with -eta; the same
    sums in the same order give the same bits.
    """
    dE1_total, dE2_total = np.zeros_like(W1), np.zeros_like(W2)
    for x, target in zip(X, t, strict=True):
        _, dE1, dE2 = reference.backprop(x, np.eye(K)[target], M, K, W1, W2)
        dE1_total += dE1
        dE2_total += dE2
    return W1 + eta * dE1_total / len(X), W2 + eta * dE2_total / len(X)


def _trajectory(X, t, M, K, W1, W2, steps, eta, uphill=False):
    """Weights before each of ``steps + 1`` updates: [(W1_0, W2_0), ..., (W1_steps, W2_steps)]."""
    weights = [(W1, W2)]
    for _ in range(steps):
        if uphill:
            W1, W2 = _uphill_step(X, t, M, K, W1, W2, eta)
        else:
            W1, W2 = reference.train_nn(X, t, M, K, W1, W2, 1, eta)[:2]
        weights.append((W1, W2))
    return weights


MISTAKES = {
    "plus": "it looks like the weights go uphill, W = W + eta * dE_total / N; the clarifications: the "
    "update is gradient descent, W1 = W1 - eta * dE1_total / N (the handout's + is a typo)",
    "after": "it looks taken after the update (with the new weights); the clarifications: it comes from "
    "the forward passes of that iteration, before its update",
    "summed": "it looks summed over the points instead of averaged (the clarifications: the mean over "
    "the N points)",
    "one-term": "it looks like the one-term cross-entropy -sum_k t_k ln y_k; the clarifications ask for "
    "the two-term -sum_k [t_k ln y_k + (1 - t_k) ln(1 - y_k)]",
    "per output": "it looks divided by N * K, averaged over the K outputs too; the clarifications: the "
    "mean over the N points of the error summed over the K outputs",
    "count": "it looks like a count of misclassified points; the clarifications ask for the fraction "
    "(count / N)",
    "accuracy": "it looks like the accuracy; the clarifications ask for the misclassification rate "
    "(misclassified / N)",
}


BACKPROP_MISTAKES = {
    "bias row": "it looks like delta_j uses W2[:-1] (the bias row 0, without the last row); the handout's "
    "step 3 sums w_{k,j+1} delta_k: W2[1:], skipping the bias row",
    "sigmoid": "it looks like delta_j uses sigmoid(a1) instead of its derivative; the handout's step 3: "
    "delta_j = d_sigmoid(a1_j) * sum_k w_{k,j+1} delta_k",
    "d_sigmoid of z1": "it looks like delta_j uses d_sigmoid(z1) (of the hidden outputs) instead of "
    "d_sigmoid(a1) (of their inputs); the handout's step 3: delta_j = d_sigmoid(a1_j) * ...",
    "no derivative": "it looks like delta_j is missing the factor d_sigmoid(a1_j) (the handout's step 3)",
    "output derivative": "it looks like delta_k is multiplied by d_sigmoid(a2); with sigmoid outputs and the "
    "cross-entropy error the handout's step 2 is just delta_k = y_k - target_y_k",
}


def _backprop_candidates(x, target_y, M, K, W1, W2):
    """dE1 and dE2 as each common backprop mistake would give them."""
    y, z0, z1, a1, a2 = reference.ffnn(x, M, K, W1, W2)
    delta_k = y - target_y
    d = reference.d_sigmoid
    deltas = {
        "bias row": (delta_k, d(a1) * (W2[:-1] @ delta_k)),
        "sigmoid": (delta_k, reference.sigmoid(a1) * (W2[1:] @ delta_k)),
        "d_sigmoid of z1": (delta_k, d(z1[1:]) * (W2[1:] @ delta_k)),
        "no derivative": (delta_k, W2[1:] @ delta_k),
        "output derivative": (delta_k * d(a2), d(a1) * (W2[1:] @ (delta_k * d(a2)))),
    }
    return [
        {"why": BACKPROP_MISTAKES[label], "dE1": np.outer(z0, dj).tolist(), "dE2": np.outer(z1, dk).tolist()}
        for label, (dk, dj) in deltas.items()
    ]


def _why(labels):
    return "; and ".join(MISTAKES[label] for label in labels)


def _train_candidates(X, t, M, K, W1, W2, iterations, eta):
    """What each common mistake (and each combination of them) would return."""
    N = len(X)
    onehot = np.eye(K)[t]
    by_name = {"W1tr": [], "W2tr": [], "E_total": [], "misclassification_rate": [], "guesses": []}
    for sign, timing in product(("minus", "plus"), ("before", "after")):
        weights = _trajectory(X, t, M, K, W1, W2, iterations, eta, uphill=sign == "plus")
        used = weights[:iterations] if timing == "before" else weights[1:]
        ys = [_outputs(X, M, K, *w) for w in used]
        labels = [label for label, on in (("plus", sign == "plus"), ("after", timing == "after")) if on]
        two = np.array([-np.sum(np.log(np.where(onehot == 1, y, 1 - y))) for y in ys])
        one = np.array([-np.sum(onehot * np.log(y)) for y in ys])
        wrong = np.array([np.sum(np.argmax(y, axis=1) != t) for y in ys], dtype=float)
        for extra, values in (
            ([], two / N),
            (["summed"], two),
            (["one-term"], one / N),
            (["summed", "one-term"], one),
            (["per output"], two / (N * K)),
        ):
            if labels or extra:
                by_name["E_total"].append((labels + extra, values))
        for extra, values in (([], wrong / N), (["count"], wrong), (["accuracy"], 1 - wrong / N)):
            if labels or extra:
                by_name["misclassification_rate"].append((labels + extra, values))
        if labels:
            by_name["guesses"].append((labels, np.argmax(ys[-1], axis=1).astype(float)))
        if timing == "before" and sign == "plus":
            by_name["W1tr"].append((["plus"], weights[-1][0]))
            by_name["W2tr"].append((["plus"], weights[-1][1]))
    return {
        name: [
            {"why": _why(labels), "labels": labels, "values": np.asarray(values).tolist()}
            for labels, values in sorted(found, key=lambda c: len(c[0]))
        ]
        for name, found in by_name.items()
    }


@functools.cache
def expected_values():
    """Everything the child compares with, as plain JSON-able data.

    The course protocol draws from numpy's global RNG, so the draws are made
    under a lock: checks may run in threads, and interleaved seeds would
    silently change the inputs.
    """
    with _RNG_LOCK:
        return _expected_values()


def _expected_values():
    features, targets, _ = load_iris()
    D, K = features.shape[1], ex.BACKPROP_K

    # Section 1.4, the handout's example: seed 42, x = features[0], no split.
    W1, W2 = _draw_weights(ex.BACKPROP_SEED, ex.BACKPROP_D, ex.BACKPROP_M, K)
    target_y = np.eye(K)[targets[0]]
    backprop = {
        "x": features[0].tolist(), "target_y": target_y.tolist(), "M": ex.BACKPROP_M, "K": K,
        "W1": W1.tolist(), "W2": W2.tolist(),
        "printed": {"y": ex.BACKPROP_Y, "dE1": ex.BACKPROP_DE1, "dE2": ex.BACKPROP_DE2},
        "candidates": _backprop_candidates(features[0], target_y, ex.BACKPROP_M, K, W1, W2),
    }  # fmt: skip

    # Section 1.3, the later edition's seeded example: seed, split, seed, draw.
    np.random.seed(ex.FFNN_SEED)
    (train_features, train_targets), (test_features, _) = split_train_test(features, targets)
    M = ex.FFNN_M
    W1, W2 = _draw_weights(ex.FFNN_SEED, D, M, K)
    x = train_features[0]
    outputs = dict(zip(("y", "z0", "z1", "a1", "a2"), reference.ffnn(x, M, K, W1, W2), strict=True))
    ffnn = {
        "x": x.tolist(), "M": M, "K": K, "W1": W1.tolist(), "W2": W2.tolist(),
        "printed": {"y": ex.FFNN_Y, "z0": ex.FFNN_Z0, "a2": ex.FFNN_A2},
        "expected": {name: value.tolist() for name, value in outputs.items()},
    }  # fmt: skip
    # backprop on another point of the same seeded problem (a versicolor or virginica target).
    n = int(np.argmax(train_targets != train_targets[0]))
    target_y = np.eye(K)[train_targets[n]]
    by, dE1, dE2 = reference.backprop(train_features[n], target_y, M, K, W1, W2)
    backprop_seeded = {
        "x": train_features[n].tolist(), "target_y": target_y.tolist(), "M": M, "K": K,
        "W1": W1.tolist(), "W2": W2.tolist(),
        "expected": {"y": by.tolist(), "dE1": dE1.tolist(), "dE2": dE2.tolist()},
        "candidates": _backprop_candidates(train_features[n], target_y, M, K, W1, W2),
    }  # fmt: skip

    # Section 2.1 on the seeded problem, and 2.2 with the trained weights.
    X, t = train_features[:TRAIN_N], train_targets[:TRAIN_N]
    W1, W2 = _draw_weights(ex.FFNN_SEED, D, TRAIN_M, K)
    trained = reference.train_nn(X, t, TRAIN_M, K, W1, W2, TRAIN_ITERATIONS, TRAIN_ETA)
    names = ("W1tr", "W2tr", "E_total", "misclassification_rate", "guesses")
    train = {
        "X": X.tolist(), "t": t.tolist(), "M": TRAIN_M, "K": K, "W1": W1.tolist(), "W2": W2.tolist(),
        "iterations": TRAIN_ITERATIONS, "eta": TRAIN_ETA,
        "expected": {name: np.asarray(value).tolist() for name, value in zip(names, trained, strict=True)},
        "candidates": _train_candidates(X, t, TRAIN_M, K, W1, W2, TRAIN_ITERATIONS, TRAIN_ETA),
    }  # fmt: skip
    test = {
        "X": test_features.tolist(), "M": TRAIN_M, "K": K,
        "W1": trained[0].tolist(), "W2": trained[1].tolist(),
        "expected": reference.test_nn(test_features, TRAIN_M, K, trained[0], trained[1]).tolist(),
    }  # fmt: skip
    handout = {
        "sigmoid_0_5": ex.SIGMOID_0_5,
        "d_sigmoid_0_2": ex.D_SIGMOID_0_2,
        "perceptron": [list(example) for example in ex.PERCEPTRON_EXAMPLES],
    }
    return {
        "handout": handout, "ffnn": ffnn, "backprop": backprop, "backprop_seeded": backprop_seeded,
        "train": train, "test": test, "cpu_seconds": TIMEOUT,
    }  # fmt: skip


# --- the sandbox -------------------------------------------------------------------


# As root, the child runs in its own mount namespace where the project folder
# is mounted read-only: even root cannot write into it there.
_READ_ONLY_PROJECT = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                      'mount -o bind,ro "$0" "$0" && exec "$@"', str(paths.ROOT)]  # fmt: skip


def _works(prefix, **extra):
    try:
        probe = subprocess.run(
            [*prefix, sys.executable, "-I", "-c", "import numpy"],
            cwd="/", env=_clean_env("/"), capture_output=True, timeout=30, check=False, **extra,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0


@functools.cache
def sandbox():
    """How the child is kept out of the project: "read-only project", "nobody" or "none".

    As root: a mount namespace with the project read-only when ``unshare``
    works, else the ``nobody`` user when it can start this interpreter.
    Otherwise the child runs as we do; ``make submit`` still verifies the
    digests of what it hands in after the check.
    """
    if os.geteuid() != 0:
        return "none"
    if shutil.which("unshare") and _works(_READ_ONLY_PROJECT):
        return "read-only project"
    if _works([], user=NOBODY, group=NOBODY, extra_groups=[]):
        return "nobody"
    return "none"


def _clean_env(home):
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TMPDIR": str(home),
        # One thread each: the check is small, and the machine is shared.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
    }


def _prepare(scratch, source_bytes, imports_tools):
    """scratch/work: the file alone (+ tools); scratch/check: the checker and its JSON."""
    work, check = scratch / "work", scratch / "check"
    work.mkdir()
    check.mkdir()
    (work / "template.py").write_bytes(source_bytes)
    if imports_tools:
        shutil.copy(paths.COURSE_TOOLS, work / "tools.py")
        (work / "data").mkdir()
        shutil.copy(IRIS_PATH, work / "data" / IRIS_PATH.name)
    shutil.copy(paths.GRADER_CHECK, check / "grader_check.py")
    (check / "input.json").write_text(json.dumps(expected_values()))
    os.chmod(scratch, 0o755)
    os.chmod(check, 0o755)
    return work, check


def _run_child(work, check, timeout):
    """Run the checker; return (stdout, stderr, returncode or None when it timed out)."""
    mode, prefix, extra = sandbox(), [], {}
    if mode == "read-only project":
        prefix = _READ_ONLY_PROJECT
    elif mode == "nobody":
        for path in [work, *work.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
        extra = {"user": NOBODY, "group": NOBODY, "extra_groups": []}
    command = [
        sys.executable,
        "-I",
        "-B",
        str(check / "grader_check.py"),
        str(work),
        str(check / "input.json"),
    ]
    process = subprocess.Popen(
        [*prefix, *command],
        cwd=work, env=_clean_env(work), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True, **extra,
    )  # fmt: skip
    try:
        out, err = process.communicate(timeout=timeout)
        return out, err, process.returncode
    except subprocess.TimeoutExpired:
        _kill_group(process)
        try:
            out, err = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:  # a grandchild holds the pipes open
            out, err = "", ""
        return out, err, None
    finally:
        _kill_group(process)  # nothing the file started outlives the check


def _kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _parse(out):
    """Results and the check that was running when the output stopped."""
    lines, running, done = [], None, False
    for raw in out.splitlines():
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        if record.get("event") == "start":
            running = (record.get("function", "?"), record.get("what", "?"))
        elif record.get("event") == "result":
            lines.append(Line(record["function"], record["what"], record["status"], record.get("detail", "")))
            running = None
        elif record.get("event") == "done":
            done = True
    return lines, running, done


def check_source(source_bytes, timeout=TIMEOUT):
    """Check the bytes of a hand-in file; return a Report."""
    # The bytes, as Python reads them: a byte-order mark or a coding line is fine.
    imports, imports_tools = check_imports(source_bytes)
    report = Report([imports])
    if imports.what == "parses":
        report.lines.append(Line("template.py", "imports alone", "FAIL", "not run: the file does not parse"))
        return report
    with tempfile.TemporaryDirectory(prefix="check-") as folder:
        work, check = _prepare(Path(folder), source_bytes, imports_tools)
        out, err, code = _run_child(work, check, timeout)
    lines, running, done = _parse(out)
    report.lines.extend(lines)
    if done:
        return report
    function, what = running or ("template.py", "the check")
    if code is None and (function, what) == ("template.py", "imports alone"):
        detail = (
            f"importing it was still running after {timeout} s, stopped: the code at the top level of the "
            "file runs when the grader imports it (an endless loop? a whole experiment?); put it under "
            '`if __name__ == "__main__":`; the checks after it did not run'
        )
    elif code is None:
        detail = (
            f"still running after {timeout} s, stopped (an endless loop, or a loop that never ends?); "
            "the checks after it did not run"
        )
    else:
        reason = err.strip().splitlines()[-1] if err.strip() else f"exit code {code}"
        if code is not None and code < 0:
            reason = f"killed by signal {signal.Signals(-code).name} ({reason})"
        detail = f"the check stopped here: {reason}; the checks after it did not run"
    report.lines.append(Line(function, what, "FAIL", detail))
    return report


def check_file(path, timeout=TIMEOUT):
    path = Path(path)
    try:
        source_bytes = path.read_bytes()
    except OSError as error:
        raise CheckError(
            f"{path}: cannot read it ({error.strerror}): give the path of your template.py"
        ) from None
    return check_source(source_bytes, timeout)


def print_report(report, name, out=None):
    out = out or sys.stdout
    print(
        f"Checking {name} as a grader would: copied alone into an empty folder as template.py, run with a "
        f"{TIMEOUT} s limit (protection of the project: {sandbox()})",
        file=out,
    )
    for line in report.lines:
        print(line, file=out)
    print(report.summary, file=out)


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else paths.GRADED
    try:
        report = check_file(path)
    except CheckError as error:
        print(f"make check: {error}", file=sys.stderr)
        return 2
    print_report(report, paths.shown(path))
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
