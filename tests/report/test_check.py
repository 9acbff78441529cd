"""make check: every mistake of the issue is rejected with its message; correct variants pass.

Each variant is the real graded file with one textual change made here (the
old text is asserted present, so a change to the graded file fails these
tests loudly instead of silently testing nothing). The variants are checked
once, in parallel threads (each check is its own process), and shared by
the tests below. Expected rulings come from the handout and the
clarifications, not from the checker's output.
"""

import importlib.util
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from assignment import handout_examples as ex
from report import check, paths

SOURCE = paths.GRADED.read_text()

GUARD = (
    "s = 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(a, -100.0), 700.0)))\n    if s.ndim == 0:\n"
    "        return 0.0 if a < -100.0 else float(s)\n"
    "    # the guard: times 0.0 below -100 (+0.0, as s >= 0), times 1.0 (exact) elsewhere\n"
    "    return s * (a >= -100.0)"
)
UPDATE = "W1 = W1 - eta * dE1_total / N\n            W2 = W2 - eta * dE2_total / N"
COPIES = (
    'W1 = _as_float_array("W1", W1).copy()  # copies: the caller\'s arrays stay as they are\n'
    '    W2 = _as_float_array("W2", W2).copy()\n'
)
RECORD = "E_total[i] = E / N\n            misclassification_rate[i] = misclassified / N"
AFTER_UPDATE = """E = 0.0
            misclassified = 0
            for n in range(N):
                y = ffnn(X_train[n, :], M, K, W1, W2)[0]
                E += _cross_entropy(y, is_target[n])
                guesses[n] = np.argmax(y)
                misclassified += guesses[n] != t_train[n]
            """
SCALAR_SIGMOID = '''def sigmoid(x):
    """Scalars only, with math.exp, as many hand-ins write it."""
    if x < -100:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def _unused_array_sigmoid(x):'''
D_SIGMOID_BODY = "    s = sigmoid(x)\n    return s * (1 - s)"
TEST_NN_DOC = '``argmax(y)`` for each point.\n    """\n'


def variant(*changes):
    """The graded file with each (old, new) replaced once; every old text must be present."""
    text = SOURCE
    for old, new in changes:
        assert old in text, f"the graded file no longer contains {old!r}: update this test"
        text = text.replace(old, new, 1)
    return text


VARIANTS = {
    # mistakes
    "summed E": variant(
        (RECORD, "E_total[i] = E\n            misclassification_rate[i] = misclassified / N")
    ),
    "one-term E": variant(
        (
            "return -np.add.reduce(np.log(np.where(is_target, y, 1.0 - y)))",
            "return -np.sum(is_target * np.log(y))",
        )
    ),
    "after the update": variant((RECORD, AFTER_UPDATE + RECORD)),
    "plus update": variant((UPDATE, UPDATE.replace(" - eta", " + eta"))),
    "in-place update": variant(
        (COPIES, "W1, W2 = np.asarray(W1), np.asarray(W2)\n"),
        (UPDATE, "W1 -= eta * dE1_total / N\n            W2 -= eta * dE2_total / N"),
    ),
    "no guard": variant(
        (GUARD, "s = 1.0 / (1.0 + np.exp(-a))\n    return float(s) if np.ndim(s) == 0 else s")
    ),
    "int guesses": variant(("guesses = np.full(N, np.nan)", "guesses = np.zeros(N, dtype=int)")),
    "int test_nn": variant(
        ("guesses = np.zeros(X_test.shape[0])", "guesses = np.zeros(X_test.shape[0], dtype=int)")
    ),
    "three stubs": variant(
        (D_SIGMOID_BODY, "    ..."),
        # backprop written as the handout's step 3 reads, so that it calls the stubbed d_sigmoid
        ("delta_j = s * (1 - s) * (W2", "delta_j = d_sigmoid(a1) * (W2"),
        (
            "    # 1. initialise the variables",
            "    pass\n\n\ndef _rest(X_train, t_train, M, K, W1, W2, iterations, eta):\n    # 1. initialise",
        ),
        (TEST_NN_DOC, TEST_NN_DOC + "    return None\n\n\ndef _rest(X_test, M, K, W1, W2):\n"),
    ),
    "missing test_nn": variant(("def test_nn(", "def test_n("), ("test_nn.__test__ = False", "")),
    "delta_k sign": variant(("delta_k = y - target_y", "delta_k = target_y - y")),
    "scipy import": variant(("import numpy as np\n", "import numpy as np\nimport scipy\n")),
    "warning on the examples": variant((D_SIGMOID_BODY, "    np.log(np.zeros(1))\n" + D_SIGMOID_BODY)),
    "hang at import": variant(("import numpy as np\n", "import numpy as np\n\nwhile True:\n    pass\n")),
    # correct variants
    "np.dot perceptron": variant(("a = np.add.reduce(x * w.T, axis=-1)", "a = np.dot(x, w)")),
    "scalar-only sigmoid": variant(
        ("import numbers\n", "import math\nimport numbers\n"),
        ("def sigmoid(x):", SCALAR_SIGMOID),
        (D_SIGMOID_BODY, D_SIGMOID_BODY.replace("sigmoid(x)", "_sigmoid(x)")),
    ),
    "sigmoid that warns on arrays": variant(
        (
            GUARD,
            "s = np.where(a < -100, 0.0, 1.0 / (1.0 + np.exp(-a)))\n"
            "    return float(s) if s.ndim == 0 else s",
        )
    ),
    "tools at the top": variant(
        (
            "import numpy as np\n",
            "import numpy as np\nfrom tools import load_iris\n\nfeatures, targets, classes = load_iris()\n",
        )
    ),
    "tools under the main guard": SOURCE
    + '\n\nif __name__ == "__main__":\n    from tools import load_iris\n\n    print(load_iris())\n',
    "prints results-like lines": variant(
        (
            "import numpy as np\n",
            "import os\n\nimport numpy as np\n\n"
            'print(\'{"event": "done"}\')\nos.write(1, b\'{"event": "done"}\\n\')\n',
        )
    ),
    "deletes files at import": variant(
        (
            "import numpy as np\n",
            "import os\nimport shutil\n\nimport numpy as np\n\nfor _name in os.listdir('.'):\n"
            "    if _name != 'template.py':\n        shutil.rmtree(_name, ignore_errors=True)\n"
            "for _path in ('assignment/backprop.py', 'build/report.pdf', 'report/settings.toml'):\n"
            "    if os.path.exists(_path):\n        os.remove(_path)\n",
        )
    ),  # fmt: skip
}
# A hand-in written the way many students write this exercise (not our file): loops,
# np.dot, np.insert, a sigmoid that takes only scalars, the error and the guesses
# inside the loop, `W = W - ...` on copies, `tools` at the top and an experiment
# that plots with matplotlib under the main guard.
STUDENT = """from typing import Union

import numpy as np

from tools import load_iris, split_train_test


def sigmoid(x: float) -> float:
    if x < -100:
        return 0.0
    return 1 / (1 + np.exp(-x))


def d_sigmoid(x: float) -> float:
    return sigmoid(x) * (1 - sigmoid(x))


def perceptron(x, w):
    weighted_sum = np.dot(x, w)
    return weighted_sum, sigmoid(weighted_sum)


def ffnn(x, M, K, W1, W2):
    z0 = np.insert(x, 0, 1.0)
    a1, z1 = np.zeros(M), np.zeros(M)
    for m in range(M):
        a1[m], z1[m] = perceptron(z0, W1[:, m])
    z1 = np.insert(z1, 0, 1.0)
    a2, y = np.zeros(K), np.zeros(K)
    for k in range(K):
        a2[k], y[k] = perceptron(z1, W2[:, k])
    return y, z0, z1, a1, a2


def backprop(x, target_y, M, K, W1, W2):
    y, z0, z1, a1, a2 = ffnn(x, M, K, W1, W2)
    delta_k = y - target_y
    delta_j = np.zeros(M)
    for j in range(M):
        total = 0.0
        for k in range(K):
            total += W2[j + 1, k] * delta_k[k]
        delta_j[j] = d_sigmoid(a1[j]) * total
    dE1 = np.zeros(W1.shape)
    dE2 = np.zeros(W2.shape)
    for i in range(W1.shape[0]):
        for j in range(W1.shape[1]):
            dE1[i, j] = delta_j[j] * z0[i]
    for j in range(W2.shape[0]):
        for k in range(W2.shape[1]):
            dE2[j, k] = delta_k[k] * z1[j]
    return y, dE1, dE2


def train_nn(X_train, t_train, M, K, W1, W2, iterations, eta):
    N = X_train.shape[0]
    W1tr, W2tr = W1.copy(), W2.copy()
    E_total = np.zeros(iterations)
    misclassification_rate = np.zeros(iterations)
    guesses = np.zeros(N)
    for it in range(iterations):
        dE1_total = np.zeros(W1.shape)
        dE2_total = np.zeros(W2.shape)
        error, wrong = 0.0, 0
        for n in range(N):
            target_y = np.zeros(K)
            target_y[t_train[n]] = 1.0
            y, dE1, dE2 = backprop(X_train[n, :], target_y, M, K, W1tr, W2tr)
            dE1_total += dE1
            dE2_total += dE2
            error -= np.sum(target_y * np.log(y) + (1 - target_y) * np.log(1 - y))
            guesses[n] = np.argmax(y)
            if guesses[n] != t_train[n]:
                wrong += 1
        W1tr = W1tr - eta * dE1_total / N
        W2tr = W2tr - eta * dE2_total / N
        E_total[it] = error / N
        misclassification_rate[it] = wrong / N
    return W1tr, W2tr, E_total, misclassification_rate, guesses


def test_nn(X, M, K, W1, W2):
    guesses = np.zeros(X.shape[0])
    for i in range(X.shape[0]):
        y, z0, z1, a1, a2 = ffnn(X[i, :], M, K, W1, W2)
        guesses[i] = np.argmax(y)
    return guesses


if __name__ == "__main__":
    import matplotlib.pyplot as plt

    features, targets, classes = load_iris()
    (train_features, train_targets), (test_features, test_targets) = split_train_test(features, targets)
    W1 = 2 * np.random.rand(5, 6) - 1
    W2 = 2 * np.random.rand(7, 3) - 1
    W1tr, W2tr, E_total, rate, last_guesses = train_nn(train_features, train_targets, 6, 3, W1, W2, 500, 0.1)
    plt.plot(E_total)
    plt.show()
"""
STUDENT_MAIN_IMPORT = "    import matplotlib.pyplot as plt\n"


def student(*changes):
    """The student-style hand-in with each (old, new) replaced once; every old text must be present."""
    text = STUDENT
    for old, new in changes:
        assert old in text, f"STUDENT no longer contains {old!r}: update this test"
        text = text.replace(old, new, 1)
    return text


DELTA_J = "delta_j = s * (1 - s) * (W2[1:, :] @ delta_k)"  # s = z1[1:] = sigmoid(a1)
VARIANTS.update(
    {
        # review of the check against student-style hand-ins (fixes after the first version)
        "student loops": student(),
        "student, matplotlib at the top": student(
            ("from typing import Union\n", "from typing import Union\n\nimport matplotlib.pyplot as plt\n"),
            (STUDENT_MAIN_IMPORT, ""),
        ),
        "student, vectorised backprop with the scalar sigmoid": student(
            (
                "delta_j = np.zeros(M)\n    for j in range(M):",
                "delta_j = d_sigmoid(a1) * (W2[1:, :] @ delta_k)\n    for j in []:",
            ),
        ),
        "student, sklearn at the top": student(
            (
                "from typing import Union\n",
                "from typing import Union\n\nfrom sklearn.metrics import confusion_matrix\n",
            ),
        ),
        "reads a data file at import": student(
            ("from tools import load_iris, split_train_test\n", "DATA = np.loadtxt('iris.csv')\n"),
        ),
        "W2[:-1] in delta_j": variant((DELTA_J, DELTA_J.replace("W2[1:, :]", "W2[:-1, :]"))),
        "sigmoid for d_sigmoid in delta_j": variant((DELTA_J, DELTA_J.replace("s * (1 - s)", "s"))),
        "d_sigmoid of z1 in delta_j": variant((DELTA_J, DELTA_J.replace("s * (1 - s)", "d_sigmoid(s)"))),
        "delta_k times d_sigmoid(a2)": variant(
            ("delta_k = y - target_y", "delta_k = (y - target_y) * d_sigmoid(a2)")
        ),
        "bias appended last in z1": variant(
            ("z1 = np.concatenate(([1.0], z1))", "z1 = np.concatenate((z1, [1.0]))")
        ),
        "E_total divided by N * K": variant(
            (RECORD, "E_total[i] = E / (N * K)\n            misclassification_rate[i] = misclassified / N")
        ),
        "array sigmoid without the guard": variant(("return s * (a >= -100.0)", "return s")),
        "byte-order mark": "\ufeff" + SOURCE,
        "a Windows-only part of the standard library": variant(
            ("import numbers\n", "import numbers\nimport winsound\n")
        ),
        "template stub left above the real test_nn": variant(
            (
                "def test_nn(",
                'def test_nn(X_test, M, K, W1, W2):\n    """Template."""\n    ...\n\n\ndef test_nn(',
            )
        ),
    }
)
HANG_TIMEOUT = 5


@pytest.fixture(scope="module")
def reports():
    def run(name):
        timeout = HANG_TIMEOUT if name == "hang at import" else check.TIMEOUT
        return name, check.check_source(VARIANTS[name].encode(), timeout=timeout)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(run, VARIANTS))


def failed(report, function, text):
    """The detail of the one failure of ``function`` whose message holds ``text``."""
    found = [line.detail for line in report.failures if line.function == function and text in line.detail]
    assert found, (
        f"no failure of {function} mentioning {text!r}; failures: {[str(x) for x in report.failures]}"
    )
    return found[0]


def test_the_graded_file_passes_every_check():
    report = check.check_file(paths.GRADED)
    assert report.passed and not report.warnings, [str(line) for line in report.lines]
    functions = {line.function for line in report.lines}
    assert {"sigmoid", "d_sigmoid", "perceptron", "ffnn", "backprop", "train_nn", "test_nn"} <= functions


# --- the mistakes: each rejected, with the mistake named -----------------------------------


@pytest.mark.slow
def test_summed_error_is_named(reports):
    detail = failed(reports["summed E"], "train_nn", "summed over the points instead of averaged")
    assert detail.startswith("E_total[0] is ")


@pytest.mark.slow
def test_one_term_cross_entropy_is_named(reports):
    failed(reports["one-term E"], "train_nn", "one-term cross-entropy")


@pytest.mark.slow
def test_values_after_the_update_are_named(reports):
    report = reports["after the update"]
    named = [line.detail.split("[")[0] for line in report.failures if "taken after the update" in line.detail]
    assert named == ["E_total", "misclassification_rate", "guesses"]


@pytest.mark.slow
def test_plus_update_is_named(reports):
    detail = failed(reports["plus update"], "train_nn", "gradient descent")
    assert detail.startswith("W1tr")


@pytest.mark.slow
def test_in_place_update_of_the_callers_weights_fails(reports):
    report = reports["in-place update"]
    assert [line.function for line in report.failures] == ["train_nn"]
    assert "changed the caller's W1, W2 in place" in failed(report, "train_nn", "in place")


@pytest.mark.slow
def test_sigmoid_without_the_guard_fails(reports):
    detail = failed(reports["no guard"], "sigmoid", "x < -100")
    assert "sigmoid(-101.0) is 1.37e-44, expected 0.0" in detail


@pytest.mark.slow
def test_int_guesses_fail_in_train_nn_and_test_nn(reports):
    assert "float array" in failed(reports["int guesses"], "train_nn", "int64")
    assert "float array" in failed(reports["int test_nn"], "test_nn", "int64")


@pytest.mark.slow
def test_three_stubs_are_three_failures_and_the_check_goes_on(reports):
    report = reports["three stubs"]
    for name, body in (("d_sigmoid", "`...`"), ("train_nn", "`pass`"), ("test_nn", "`return None`")):
        assert f"only {body}" in failed(report, name, "still a stub")
    assert [
        line.function for line in report.failures if "stub" in line.detail and "note" not in line.detail
    ] == [
        "d_sigmoid",
        "train_nn",
        "test_nn",
    ]
    # past the stubs: the other functions are still checked, and pass
    assert any(line.function == "perceptron" and line.status == "ok" for line in report.lines)
    assert any(line.function == "ffnn" and line.status == "ok" for line in report.lines)
    # backprop (here) calls the stubbed d_sigmoid: it fails once per call, pointing at the stub
    assert "d_sigmoid is a stub" in failed(report, "backprop", "raised TypeError")


@pytest.mark.slow
def test_a_missing_function_is_reported_and_the_rest_checked(reports):
    report = reports["missing test_nn"]
    assert "defines no function test_nn" in failed(report, "test_nn", "Section 2.2")
    assert len(report.failures) == 1


@pytest.mark.slow
def test_a_flipped_delta_k_is_named(reports):
    assert "delta_k = y_k - target_y_k" in failed(reports["delta_k sign"], "backprop", "opposite sign")


@pytest.mark.slow
def test_a_forbidden_import_fails_but_the_functions_are_still_checked(reports):
    report = reports["scipy import"]
    assert "imports scipy" in failed(report, "template.py", "the course accepts only numpy")
    assert len(report.failures) == 1


@pytest.mark.slow
def test_a_floating_point_warning_on_the_examples_fails(reports):
    assert "divide by zero" in failed(reports["warning on the examples"], "all", "RuntimeWarning")


@pytest.mark.slow
def test_a_hang_at_import_is_one_line_fail_after_the_time_limit(reports):
    report = reports["hang at import"]
    assert len(report.failures) == 1
    detail = failed(report, "template.py", "endless loop")
    assert f"still running after {HANG_TIMEOUT} s" in detail and 'if __name__ == "__main__":' in detail


# --- correct variants: they pass -----------------------------------------------------------


@pytest.mark.slow
def test_an_np_dot_perceptron_passes(reports):
    # The variant is not a no-op: np.dot rounds the handout's second example differently.
    (x, w), (a, _) = ex.PERCEPTRON_EXAMPLES[1]
    assert np.dot(np.array(x), np.array(w)) != a
    report = reports["np.dot perceptron"]
    assert report.passed and not report.warnings, [str(line) for line in report.failures]


@pytest.mark.slow
def test_a_scalar_only_sigmoid_passes_with_a_warning(reports):
    report = reports["scalar-only sigmoid"]
    assert report.passed, [str(line) for line in report.failures]
    assert [(line.function, line.what) for line in report.warnings] == [
        ("sigmoid", "array input (the clarifications)")
    ]
    assert "takes only scalars" in report.warnings[0].detail


@pytest.mark.slow
def test_a_sigmoid_that_overflows_on_arrays_passes_with_a_warning(reports):
    report = reports["sigmoid that warns on arrays"]
    assert report.passed, [str(line) for line in report.failures]
    assert ["sigmoid", "sigmoid"] == [line.function for line in report.warnings]
    assert all("overflow" in line.detail for line in report.warnings)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tools at the top", "tools under the main guard"])
def test_importing_the_course_tools_passes(reports, name):
    report = reports[name]
    assert report.passed and not report.warnings, [str(line) for line in report.failures]


@pytest.mark.slow
def test_the_files_prints_cannot_pose_as_results(reports):
    report = reports["prints results-like lines"]
    assert report.passed and len(report.lines) == len(reports["np.dot perceptron"].lines)


@pytest.mark.slow
def test_a_file_that_deletes_a_project_file_at_import_cannot(tmp_path):
    if check.sandbox() != "read-only project":
        pytest.skip(f"the project is protected only as root with unshare (here: {check.sandbox()})")
    sentinel = paths.BUILD / f".check-sentinel-{tmp_path.name}"
    sentinel.parent.mkdir(parents=True, exist_ok=True)
    sentinel.write_text("keep me")
    try:
        source = variant(
            ("import numpy as np\n", f"import os\n\nimport numpy as np\n\nos.remove({str(sentinel)!r})\n")
        )
        report = check.check_source(source.encode())
        assert sentinel.read_text() == "keep me"
        assert "Read-only file system" in failed(report, "template.py", "OSError")
    finally:
        sentinel.unlink(missing_ok=True)


@pytest.mark.slow
def test_a_file_that_deletes_files_at_import_touches_only_its_scratch_folder(reports):
    # It runs with its working directory in the scratch folder: the project's files stay.
    assert paths.GRADED.exists() and paths.SETTINGS.exists()
    assert reports["deletes files at import"].passed


# --- the parent's side: the seeded problem and the command line ---------------------------


def test_every_diagnosed_mistake_gives_different_numbers_on_the_seeded_problem():
    train = check.expected_values()["train"]
    for name, candidates in train["candidates"].items():
        expected = np.asarray(train["expected"][name])
        assert candidates, name
        for candidate in candidates:
            values = np.asarray(candidate["values"])
            assert values.shape != expected.shape or not np.allclose(values, expected, rtol=1e-3), (
                name,
                candidate["why"],
            )


def test_expected_error_is_the_mean_two_term_cross_entropy_before_the_update():
    # Independent of the checker: iteration 0 uses the initial weights, E from the oracle's formula.
    from assignment.backprop import ffnn
    from tests.oracle import cross_entropy

    train = check.expected_values()["train"]
    X, t, W1, W2 = (np.array(train[k]) for k in ("X", "t", "W1", "W2"))
    K = train["K"]
    E0 = np.mean(
        [cross_entropy(ffnn(x, train["M"], K, W1, W2)[0], np.eye(K)[c]) for x, c in zip(X, t, strict=True)]
    )
    assert abs(train["expected"]["E_total"][0] - E0) <= 1e-12 * E0


def test_a_missing_file_is_one_line_and_exit_2(tmp_path, capsys):
    assert check.main([str(tmp_path / "nope.py")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nope.py: cannot read it" in err


def test_a_file_that_does_not_parse_fails_without_running(tmp_path):
    path = tmp_path / "template.py"
    path.write_text("def sigmoid(x):\n    return (\n")
    report = check.check_file(path)
    assert not report.passed
    assert report.failures[0].what == "parses" and "SyntaxError" in report.failures[0].detail


def test_the_command_exits_1_on_a_failure_and_prints_a_summary(tmp_path, capsys):
    path = tmp_path / "template.py"
    path.write_text(variant(("delta_k = y - target_y", "delta_k = target_y - y")))
    assert check.main([str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("FAIL: ") and any(line.startswith("  FAIL backprop") for line in out)


# --- student-style hand-ins (review of the first version) ---------------------------------


def student_warnings(report):
    return [(line.function, line.what) for line in report.warnings]


@pytest.mark.slow
def test_a_loop_based_student_solution_passes_with_only_the_advice_warnings(reports):
    # Rulings: the handout allows loops, np.dot, np.insert and a scalar-only sigmoid; the
    # clarifications allow tools; matplotlib is imported only under the main guard, which
    # the grader never runs (it imports the file).
    report = reports["student loops"]
    assert report.passed, [str(line) for line in report.failures]
    assert student_warnings(report) == [
        ("template.py", "imports"),
        ("sigmoid", "array input (the clarifications)"),
        ("d_sigmoid", "array input (the clarifications)"),
    ]
    imports = report.warnings[0].detail
    line = STUDENT.splitlines().index(STUDENT_MAIN_IMPORT.rstrip("\n")) + 1
    assert f"matplotlib (line {line})" in imports and 'if __name__ == "__main__":' in imports


@pytest.mark.slow
def test_matplotlib_imported_at_the_top_fails_and_the_functions_are_still_checked(reports):
    report = reports["student, matplotlib at the top"]
    detail = failed(report, "template.py", "matplotlib")
    assert "(line 3)" in detail and "the course accepts only numpy" in detail
    assert len(report.failures) == 1


def test_an_import_in_a_helper_is_judged_by_whether_grading_may_run_it():
    helper = "\n\ndef plot_error(E):\n    import matplotlib.pyplot as plt\n\n    plt.plot(E)\n"
    unused = check.check_imports(STUDENT + helper)[0]
    assert unused.status == "warn" and "no graded function calls" in unused.detail
    used = check.check_imports(
        student(("    return W1tr, W2tr, E_total", "    plot_error(E_total)\n    return W1tr, W2tr, E_total"))
        + helper
    )[0]
    assert used.status == "FAIL" and "in plot_error, which may run when the file is graded" in used.detail
    at_import = check.check_imports(STUDENT + helper + "\n\nplot_error([1.0])\n")[0]
    assert at_import.status == "FAIL"


@pytest.mark.slow
def test_a_scalar_sigmoid_called_on_an_array_says_where_and_why(reports):
    report = reports["student, vectorised backprop with the scalar sigmoid"]
    detail = failed(report, "backprop", "ValueError")
    line = next(n for n, text in enumerate(STUDENT.splitlines(), 1) if "if x < -100:" in text)
    assert f"in sigmoid (template.py line {line})" in detail and "np.where" in detail


@pytest.mark.slow
def test_a_module_the_grader_lacks_fails_but_the_functions_are_still_checked(reports):
    report = reports["student, sklearn at the top"]
    assert "sklearn" in failed(report, "template.py", "the course accepts only numpy")
    assert "stand-in for sklearn" in failed(report, "template.py", "ModuleNotFoundError")
    assert {line.function for line in report.failures} == {"template.py"}
    assert any(line.function == "test_nn" and line.status == "ok" for line in report.lines)


@pytest.mark.slow
def test_reading_a_file_at_import_fails_with_the_empty_folder_rule(reports):
    detail = failed(reports["reads a data file at import"], "template.py", "FileNotFoundError")
    assert "empty folder" in detail and "__main__" in detail


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("W2[:-1] in delta_j", "W2[:-1]"),
        ("sigmoid for d_sigmoid in delta_j", "sigmoid(a1) instead of its derivative"),
        ("d_sigmoid of z1 in delta_j", "d_sigmoid(z1)"),
        ("delta_k times d_sigmoid(a2)", "delta_k is multiplied by d_sigmoid(a2)"),
    ],
)
def test_common_backprop_mistakes_are_named(reports, name, words):
    report = reports[name]
    for what in ("handout example", "seeded example"):
        found = [x.detail for x in report.failures if x.function == "backprop" and x.what.startswith(what)]
        assert found and words in found[0], (what, [str(x) for x in report.failures])


@pytest.mark.slow
def test_failures_that_follow_a_wrong_backprop_say_so_and_name_no_other_mistake(reports):
    report = reports["W2[:-1] in delta_j"]
    train = [line.detail for line in report.failures if line.function == "train_nn"]
    assert train and all("backprop failed above" in detail for detail in train)
    # Guesses are few whole numbers: a wrong gradient must not be taken for "after the update".
    assert not any("after the update" in detail for detail in train)


@pytest.mark.slow
def test_the_first_wrong_ffnn_output_in_forward_order_is_named(reports):
    report = reports["bias appended last in z1"]
    seeded = [line.detail for line in report.failures if line.what.endswith("against the project's")]
    assert seeded and seeded[0].startswith("z1[0] is 0."), seeded


@pytest.mark.slow
def test_error_averaged_over_the_outputs_too_is_named(reports):
    assert "N * K" in failed(reports["E_total divided by N * K"], "train_nn", "E_total[0]")


@pytest.mark.slow
def test_a_sigmoid_wrong_only_on_arrays_is_a_warning(reports):
    # The handout shows only scalars (the guard holds for them); arrays are the clarifications' wish.
    report = reports["array sigmoid without the guard"]
    assert report.passed, [str(line) for line in report.failures]
    assert student_warnings(report) == [("sigmoid", "array input (the clarifications)")]
    assert "0.0 where x < -100" in report.warnings[0].detail


@pytest.mark.slow
@pytest.mark.parametrize("name", ["byte-order mark", "template stub left above the real test_nn"])
def test_files_python_reads_fine_pass(reports, name):
    report = reports[name]
    assert report.passed and not report.warnings, [str(line) for line in report.lines if line.status != "ok"]


@pytest.mark.slow
def test_a_part_of_the_standard_library_this_python_lacks_is_only_a_warning(reports):
    if importlib.util.find_spec("winsound") is not None:
        pytest.skip("this Python has winsound (Windows)")
    report = reports["a Windows-only part of the standard library"]
    assert report.passed, [str(line) for line in report.failures]
    assert [(line.what, "winsound" in line.detail) for line in report.warnings] == [("imports alone", True)]
