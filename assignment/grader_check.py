"""Check a handed-in ``template.py`` the way a careful grader does.

Run by ``make check`` (``report/check.py``) as
``python -I grader_check.py FOLDER EXPECTED_JSON`` with its working
directory in FOLDER, a scratch folder that holds ``template.py`` alone (plus
the course's ``tools.py`` and ``data/iris.csv`` when the file imports
``tools``). Isolated mode keeps the project off ``sys.path``: the file must
stand on its own. Every input and expected value comes from EXPECTED_JSON
(the handout's printed values, and the project's own implementation on a
seeded problem), so this script reads nothing from the project.

Standard library and numpy only, like the file it checks. It goes on past
every failure and writes one JSON object per line to its standard output:
``{"event": "start", ...}`` before each check (so a hang can be named),
``{"event": "result", "function", "what", "status", "detail"}`` after it,
and ``{"event": "done"}`` at the end. The student's own prints are
discarded, so they cannot be mistaken for results.
"""

import ast
import importlib.abc
import importlib.machinery
import io
import json
import os
import resource
import sys
import types
import warnings

import numpy as np

FUNCTIONS = ("sigmoid", "d_sigmoid", "perceptron", "ffnn", "backprop", "train_nn", "test_nn")
SECTION = {
    "sigmoid": "1.1",
    "d_sigmoid": "1.1",
    "perceptron": "1.2",
    "ffnn": "1.3",
    "backprop": "1.4",
    "train_nn": "2.1",
    "test_nn": "2.2",
}
# What a hand-in's function usually calls: a failure downstream may follow from one upstream.
CALLS = {
    "d_sigmoid": ("sigmoid",),
    "perceptron": ("sigmoid",),
    "ffnn": ("perceptron", "sigmoid"),
    "backprop": ("ffnn", "d_sigmoid"),
    "train_nn": ("backprop", "ffnn"),
    "test_nn": ("ffnn",),
}
# Values the handout prints with every digit (repr of a float64) may differ
# by rounding in the last place: np.dot and np.sum add in different orders.
ULPS = 4
# Values printed to 8 decimals: a correct value rounds to the printed one.
PRINTED_ATOL = 1e-8
# Values printed in e-notation with 9 significant digits.
PRINTED_RTOL = 1e-8
# The seeded train_nn/test_nn problem against the project's implementation:
# a different summation order moves the results by ~1e-15; every mistake
# the check diagnoses moves them by more than 1e-3.
SEEDED_RTOL, SEEDED_ATOL = 1e-7, 1e-9


FORWARD_ORDER = ("z0", "a1", "z1", "a2", "y")


class Found(Exception):
    """A check found a mistake; the message says what, in a student's words."""


class Skip(Exception):
    """The call this check needs already failed, and was reported once."""


class Warned(Exception):
    """A check found something the handout allows but the clarifications advise against."""


def short(value):
    """A number in 4 significant digits, as a student reads it."""
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return repr(value)


def ulps(found, expected):
    """Distance in units in the last place of ``expected``."""
    return abs(float(found) - float(expected)) / np.spacing(abs(float(expected)))


def as_array(name, value, size=None, shape=None):
    """``value`` as a float array, or raise Found saying what it is instead."""
    if value is None:
        raise Found(f"{name} is None")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Found(f"{name} is not numeric (got {type(value).__name__})") from None
    if shape is not None and array.shape != tuple(shape):
        if size is None or array.size != int(np.prod(shape)):
            raise Found(f"{name} has shape {array.shape}, expected {tuple(shape)}")
        array = array.reshape(shape)  # a (1, K) line vector for a (K,) one: the handout allows both
    if size is not None and array.size != size:
        raise Found(f"{name} has {array.size} values, expected {size}")
    return array


def worst(found, expected):
    """Index and size of the largest absolute difference."""
    diff = np.abs(found - expected)
    index = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.size else ()
    return index, float(diff.max()) if diff.size else 0.0


def where(name, index):
    return f"{name}[{', '.join(str(int(i)) for i in index)}]" if index else name


def compare_printed(name, found, expected, rtol=0.0, atol=PRINTED_ATOL):
    """Compare with a printed value to its printed digits; return the ok detail."""
    expected = np.asarray(expected, dtype=float)
    found = as_array(name, found, size=expected.size, shape=expected.shape)
    index, diff = worst(found, expected)
    if not np.allclose(found, expected, rtol=rtol, atol=atol):
        raise Found(
            f"{where(name, index)} is {short(found[index])}, expected {short(expected[index])} "
            f"as the handout prints it (largest difference {diff:.2g})"
        )
    return f"largest difference {diff:.1g}"


def compare_exact(name, found, expected):
    """Compare a float printed with every digit, to a few units in the last place."""
    if found is None:
        raise Found(f"{name} is None")
    try:
        value = float(np.asarray(found, dtype=float).reshape(-1)[0]) if np.size(found) == 1 else None
    except (TypeError, ValueError):
        value = None
    if value is None:
        raise Found(f"{name} is {found!r}, expected the number {expected!r}")
    distance = ulps(value, expected)
    if not distance <= ULPS:
        raise Found(f"{name} is {value!r}, expected {expected!r} as the handout prints it")
    return f"{value!r}, {distance:.0f} ulp from the handout's {expected!r}"


def match_candidate(found, candidates):
    """The label of the first candidate (a known mistake) that ``found`` matches, or None."""
    for candidate in candidates:
        values = np.asarray(candidate["values"], dtype=float)
        if found.shape == values.shape and np.allclose(found, values, rtol=SEEDED_RTOL, atol=SEEDED_ATOL):
            return candidate
    return None


def compare_seeded(name, found, expected, candidates=(), shape_hint=None):
    """Compare with the project's implementation; name a known mistake when it matches one."""
    expected = np.asarray(expected, dtype=float)
    found = as_array(name, found, size=expected.size, shape=expected.shape)
    index, diff = worst(found, expected)
    if np.allclose(found, expected, rtol=SEEDED_RTOL, atol=SEEDED_ATOL):
        return f"largest difference {diff:.1g}"
    flat_found, flat_expected = found.reshape(-1), expected.reshape(-1)
    bad = np.flatnonzero(~np.isclose(flat_found, flat_expected, rtol=SEEDED_RTOL, atol=SEEDED_ATOL))
    first = np.unravel_index(int(bad[0]), expected.shape) if expected.ndim else ()
    said = f"{where(name, first)} is {short(found[first])}, expected {short(expected[first])}"
    mistake = match_candidate(found, candidates)
    if mistake is not None:
        raise Found(f"{said}: {mistake['why']}")
    raise Found(f"{said} (largest difference {diff:.2g}){shape_hint or ''}")


def raised_where(error):
    """ " in sigmoid (template.py line 12)" for the last frame of the hand-in in a traceback, or ""."""
    found = ""
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if os.path.basename(code.co_filename) == "template.py":
            found = f" in {code.co_name} (template.py line {tb.tb_lineno})"
        tb = tb.tb_next
    return found


def call(function, *args):
    """Call a student's function; turn any exception (even SystemExit) into Found."""
    try:
        return function(*args)
    except Found:
        raise
    except BaseException as error:  # noqa: BLE001  (the file is untrusted: report, never crash)
        text = str(error).strip().splitlines()
        said = f"raised {type(error).__name__}{raised_where(error)}{': ' + text[0] if text else ''}"
        if isinstance(error, ValueError) and "truth value of an array" in str(error):
            # numpy's own words ("The truth value of an array ... is ambiguous") say little to a student
            said = (
                f"raised ValueError{raised_where(error)}: an `if` on an array, e.g. `if x < -100:` in a "
                "sigmoid that takes only scalars, called here with an array; make it elementwise (np.where) "
                "or call it on one number at a time"
            )
        raise Found(said) from None


def once(compute):
    """Memoise ``compute()``: later checks reuse its values, and a failure is reported only once."""
    state = {}

    def run():
        if "error" in state:
            raise Skip()
        if "values" not in state:
            try:
                state["values"] = compute()
            except Found as found:
                state["error"] = found
                raise
        return state["values"]

    return run


def unpack(name, result, count):
    if result is None:
        raise Found(f"{name} returned None: is a `return` missing?")
    try:
        values = tuple(result)
    except TypeError:
        raise Found(f"{name} returned {type(result).__name__}, expected {count} values") from None
    if len(values) != count:
        raise Found(f"{name} returned {len(values)} values, expected {count}")
    return values


def same_inputs(before, after):
    """The names of the arguments whose values changed during a call."""
    changed = []
    for name, saved in before.items():
        now = np.asarray(after[name])
        if now.shape != saved.shape or not np.array_equal(now, saved, equal_nan=True):
            changed.append(name)
    return changed


class Checker:
    """Runs the checks, writes one JSON line per result, never stops at a failure."""

    def __init__(self, out, template, source, expected):
        self.out = out
        self.t = template
        self.x = expected
        self.unusable = {}  # function name -> why it is not checked (missing, stub)
        self.failed = set()  # functions with a failed check
        self.weights_labels = None  # the mistakes train_nn's W1tr matched ([] when right), None if unknown
        self.warnings = {}  # function name -> first numpy warning text, per category
        self.stubs = find_stubs(source)

    def emit(self, **record):
        self.out.write(json.dumps(record) + "\n")
        self.out.flush()

    def check(self, function, what, body):
        """Run ``body()``; it returns the ok detail, or raises Found/Warned."""
        if function in self.unusable:
            return
        self.emit(event="start", function=function, what=what)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            status, detail = "ok", ""
            try:
                with np.errstate(all="warn"):
                    detail = body() or ""
            except Skip:
                return
            except Found as found:
                status, detail = "FAIL", str(found) + self.hint(function)
            except Warned as warned:
                status, detail = "warn", str(warned)
            except BaseException as error:  # noqa: BLE001
                status, detail = "FAIL", f"raised {type(error).__name__}: {error}" + self.hint(function)
        if status == "FAIL":
            self.failed.add(function)
        for warning in caught:
            kind = "floating" if issubclass(warning.category, RuntimeWarning) else "other"
            self.warnings.setdefault((function, kind), f"{warning.category.__name__}: {warning.message}")
        self.emit(event="result", function=function, what=what, status=status, detail=detail)

    def hint(self, function):
        """A note naming the functions this one usually calls that are missing, stubs or failed."""
        upstream, todo = [], list(CALLS.get(function, ()))
        while todo:
            name = todo.pop(0)
            if name not in upstream:
                upstream.append(name)
                todo.extend(CALLS.get(name, ()))
        said = [f"{name} is {self.unusable[name]}" for name in upstream if name in self.unusable]
        failed = [name for name in upstream if name in self.failed and name not in self.unusable]
        if failed:
            pronoun = "it" if len(failed) == 1 else "them"
            said.append(
                f"{' and '.join(failed)} failed above, and {function} usually calls "
                f"{pronoun}: fix {pronoun} first, this failure may follow from {pronoun}"
            )
        return f" (note: {'; '.join(said)})" if said else ""

    def present(self):
        """One FAIL per missing function or stub; those are not checked further."""
        for name in FUNCTIONS:
            function = getattr(self.t, name, None)
            if not callable(function):
                self.unusable[name] = "missing"
                self.emit(
                    event="result",
                    function=name,
                    what="defined",
                    status="FAIL",
                    detail=f"template.py defines no function {name}: the handout's Section "
                    f"{SECTION[name]} asks for it",
                )
            elif name in self.stubs:
                self.unusable[name] = "a stub"
                self.emit(
                    event="result",
                    function=name,
                    what="written",
                    status="FAIL",
                    detail=f"{name} is still a stub (its body is only {self.stubs[name]}): write it as "
                    f"the handout's Section {SECTION[name]} asks",
                )

    def run(self):
        self.present()
        self.sigmoid()
        self.d_sigmoid()
        self.perceptron()
        self.ffnn()
        self.backprop()
        self.train_nn()
        self.test_nn()
        self.numpy_warnings()
        self.emit(event="done")

    # --- Section 1.1 ---------------------------------------------------------

    def sigmoid(self):
        h = self.x["handout"]
        self.check(
            "sigmoid",
            "sigmoid(0.5) against the handout",
            lambda: scalar_example("sigmoid", self.t.sigmoid, 0.5, h["sigmoid_0_5"]),
        )

        def guard():
            found = call(self.t.sigmoid, -101.0)
            if found is None:
                raise Found("sigmoid(-101.0) returned None")
            value = float(np.asarray(found, dtype=float).reshape(-1)[0])
            if value != 0.0:
                raise Found(
                    f"sigmoid(-101.0) is {value:.3g}, expected 0.0: the handout asks sigmoid to check "
                    "x < -100 and return 0.0 then (the overflow guard)"
                )
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                far = call(self.t.sigmoid, -1000.0)
            if far is None or float(np.asarray(far, dtype=float).reshape(-1)[0]) != 0.0:
                raise Found(f"sigmoid(-1000.0) gives {far!r}, expected 0.0 (the x < -100 guard)")
            if caught:
                raise Warned(
                    f"sigmoid(-1000.0) is 0.0 but numpy warns ({caught[0].category.__name__}: "
                    f"{caught[0].message}): the guard is meant to avoid the overflow; check x < -100 "
                    "before computing exp"
                )
            return "sigmoid(-101.0) and sigmoid(-1000.0) are 0.0, no warning"

        self.check("sigmoid", "the x < -100 guard", guard)

        def arrays():
            x = np.array([-1000.0, -101.0, 0.0, 0.5])
            expected = np.array([0.0, 0.0, 0.5, h["sigmoid_0_5"]])
            array_input("sigmoid", self.t.sigmoid, x, expected)
            return "elementwise on an array, the guard included"

        self.check("sigmoid", "array input (the clarifications)", arrays)

    def d_sigmoid(self):
        h = self.x["handout"]
        self.check(
            "d_sigmoid",
            "d_sigmoid(0.2) against the handout",
            lambda: scalar_example("d_sigmoid", self.t.d_sigmoid, 0.2, h["d_sigmoid_0_2"]),
        )

        def arrays():
            x = np.array([0.2, 0.0])
            array_input("d_sigmoid", self.t.d_sigmoid, x, np.array([h["d_sigmoid_0_2"], 0.25]))
            return "elementwise on an array"

        self.check("d_sigmoid", "array input (the clarifications)", arrays)

    # --- Section 1.2 ---------------------------------------------------------

    def perceptron(self):
        for number, ((x, w), (a, s)) in enumerate(self.x["handout"]["perceptron"], 1):

            def example(x=x, w=w, a=a, s=s):
                label = f"perceptron({x}, {w})"
                found = unpack(label, call(self.t.perceptron, np.array(x), np.array(w)), 2)
                sum_detail = compare_exact(f"the weighted sum of {label}", found[0], a)
                compare_exact(f"the sigmoid of {label}", found[1], s)
                return sum_detail.split(",")[1].strip() + "; sigmoid within a few ulp"

            self.check("perceptron", f"example {number} against the handout", example)

    # --- Section 1.3 ---------------------------------------------------------

    def ffnn(self):
        f = self.x["ffnn"]
        x, W1, W2 = (np.array(f[k]) for k in ("x", "W1", "W2"))
        M, K = f["M"], f["K"]
        before = {"x": x.copy(), "W1": W1.copy(), "W2": W2.copy()}
        run = once(lambda: unpack("ffnn", call(self.t.ffnn, x, M, K, W1, W2), 5))

        def printed():
            y, z0, z1, a1, a2 = run()
            # In the order of the forward pass: the first wrong one is where to look.
            compare_printed("z0", z0, f["printed"]["z0"])
            compare_printed("a2", a2, f["printed"]["a2"])
            return compare_printed("y", y, f["printed"]["y"])

        self.check("ffnn", "seeded example (seed 1234, M=10): y, z0, a2 as printed", printed)

        def all_outputs():
            values = dict(zip(("y", "z0", "z1", "a1", "a2"), run(), strict=True))
            # In the order of the forward pass: the first wrong one is where to look.
            details = [compare_seeded(name, values[name], f["expected"][name]) for name in FORWARD_ORDER]
            return details[-1]

        self.check("ffnn", "seeded example: y, z0, z1, a1, a2 against the project's", all_outputs)
        self.check(
            "ffnn",
            "leaves x, W1, W2 unchanged",
            lambda: unchanged("ffnn", run, before, {"x": x, "W1": W1, "W2": W2}),
        )

    # --- Section 1.4 ---------------------------------------------------------

    def backprop(self):
        for key, title in (
            ("backprop", "handout example (seed 42, M=6)"),
            ("backprop_seeded", "seeded example (M=10)"),
        ):
            b = self.x[key]
            x, target_y, W1, W2 = (np.array(b[k]) for k in ("x", "target_y", "W1", "W2"))
            before = {"x": x.copy(), "target_y": target_y.copy(), "W1": W1.copy(), "W2": W2.copy()}
            run = once(
                lambda b=b, x=x, target_y=target_y, W1=W1, W2=W2: unpack(
                    "backprop", call(self.t.backprop, x, target_y, b["M"], b["K"], W1, W2), 3
                )
            )

            def values(b=b, run=run, W1=W1, W2=W2):
                y, dE1, dE2 = run()
                printed = "printed" in b
                source = b["printed"] if printed else b["expected"]
                compare = compare_printed if printed else compare_seeded
                compare("y", y, source["y"])
                for name, found, weights in (("dE1", dE1, W1), ("dE2", dE2, W2)):
                    found_array = as_array(name, found)
                    if found_array.shape != weights.shape:
                        raise Found(
                            f"{name} has shape {found_array.shape}, expected {weights.shape}, the shape of "
                            f"{'W1' if name == 'dE1' else 'W2'} (the handout's step 4)"
                        )
                    expected = np.asarray(source[name])
                    if np.allclose(-found_array, expected, rtol=1e-6, atol=1e-9):
                        raise Found(
                            f"{name} has the opposite sign of the expected gradient: the handout's "
                            "step 2 is delta_k = y_k - target_y_k"
                        )
                    known = [{"why": c["why"], "values": c[name]} for c in b.get("candidates", ())]
                    mistake = match_candidate(found_array, known)
                    if mistake is not None and not np.allclose(found_array, expected, rtol=1e-6, atol=1e-9):
                        index, _ = worst(found_array, expected)
                        raise Found(
                            f"{where(name, index)} is {short(found_array[index])}, expected "
                            f"{short(expected[index])}: {mistake['why']}"
                        )
                    if printed:
                        compare_printed(name, found_array, expected, rtol=PRINTED_RTOL, atol=1e-12)
                    else:
                        compare_seeded(name, found_array, expected)
                return "all within the printed digits" if printed else "all within 1e-7"

            self.check("backprop", f"{title}: y, dE1, dE2", values)
            if key == "backprop":
                inputs = {"x": x, "target_y": target_y, "W1": W1, "W2": W2}
                self.check(
                    "backprop",
                    "leaves x, target_y, W1, W2 unchanged",
                    lambda run=run, before=before, inputs=inputs: unchanged("backprop", run, before, inputs),
                )

    # --- Section 2.1 ---------------------------------------------------------

    def train_nn(self):
        p = self.x["train"]
        X, t, W1, W2 = np.array(p["X"]), np.array(p["t"], dtype=int), np.array(p["W1"]), np.array(p["W2"])
        M, K, iterations, eta = p["M"], p["K"], p["iterations"], p["eta"]
        inputs = {"X_train": X, "t_train": t, "W1": W1, "W2": W2}
        before = {name: value.copy() for name, value in inputs.items()}
        expected, candidates = p["expected"], p["candidates"]
        run = once(lambda: unpack("train_nn", call(self.t.train_nn, X, t, M, K, W1, W2, iterations, eta), 5))

        setting = f"N={len(X)}, M={M}, {iterations} iterations, eta={eta}"
        names = ("W1tr", "W2tr", "E_total", "misclassification_rate", "guesses")
        for index, name in enumerate(names):

            def compare(index=index, name=name):
                found = run()[index]
                known = candidates.get(name, ())
                if name in ("misclassification_rate", "guesses"):
                    known = self.consistent(known)
                try:
                    detail = compare_seeded(name, found, expected[name], known)
                except Found:
                    if name == "W1tr":
                        self.weights_labels = self.labels_of(found, known)
                    raise
                if name == "W1tr":
                    self.weights_labels = []
                return detail

            self.check("train_nn", f"{name} against the project's ({setting})", compare)
        self.check(
            "train_nn",
            "guesses is a float array of shape (N,)",
            lambda: float_guesses("guesses", run()[4], len(X)),
        )
        self.check(
            "train_nn",
            "leaves X_train, t_train, W1, W2 unchanged",
            lambda: unchanged("train_nn", run, before, inputs),
        )

    @staticmethod
    def labels_of(found, known):
        try:
            mistake = match_candidate(as_array("W1tr", found), known)
        except Found:
            return None
        return None if mistake is None else mistake.get("labels", [])

    def consistent(self, known):
        """The candidates for a discrete output (a rate, guesses) that agree with how W1tr came out.

        Guesses are few whole numbers: a wrong gradient can give, by chance,
        the guesses of another mistake. Name that mistake only when the
        trained weights tell the same story (right, or uphill when it is).
        """
        if self.weights_labels is None:
            return ()
        uphill = "plus" in self.weights_labels
        return [c for c in known if ("plus" in c.get("labels", [])) == uphill]

    # --- Section 2.2 ---------------------------------------------------------

    def test_nn(self):
        p = self.x["test"]
        X, W1, W2 = np.array(p["X"]), np.array(p["W1"]), np.array(p["W2"])
        inputs = {"X_test": X, "W1": W1, "W2": W2}
        before = {name: value.copy() for name, value in inputs.items()}

        def compute():
            found = call(self.t.test_nn, X, p["M"], p["K"], W1, W2)
            if found is None:
                raise Found("test_nn returned None: is a `return` missing?")
            return found

        run = once(compute)

        self.check(
            "test_nn",
            f"guesses against the project's ({len(X)} test points, trained weights)",
            lambda: compare_seeded("guesses", run(), p["expected"]),
        )
        self.check(
            "test_nn",
            "guesses is a float array of shape (N,)",
            lambda: float_guesses("guesses", run(), len(X)),
        )
        self.check(
            "test_nn", "leaves X_test, W1, W2 unchanged", lambda: unchanged("test_nn", run, before, inputs)
        )

    def numpy_warnings(self):
        def verdict():
            floating = {f: text for (f, kind), text in self.warnings.items() if kind == "floating"}
            other = {f: text for (f, kind), text in self.warnings.items() if kind == "other"}
            if floating:
                raise Found(
                    "; ".join(f"{f}: {text}" for f, text in floating.items())
                    + ": a nan or inf was computed on ordinary inputs"
                )
            if other:
                raise Warned("; ".join(f"{f}: {text}" for f, text in other.items()))
            return "none"

        self.check("all", "no numpy warnings on the examples", verdict)


def scalar_example(name, function, x, expected):
    found = call(function, x)
    if found is None:
        raise Found(f"{name}({x}) returned None: is a `return` missing?")
    detail = compare_exact(f"{name}({x})", found, expected)
    if np.ndim(found) != 0:
        raise Warned(
            f"{name}({x}) is right but returns an array of shape {np.shape(found)}: the clarifications "
            "ask for a scalar for a scalar input"
        )
    return detail


def array_input(name, function, x, expected):
    """Elementwise on an array: a warning when it fails (the handout shows only scalars)."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            found = call(function, x.copy())
    except Found as found_error:
        said = str(found_error).replace(": an `if` on an array", " (an `if` on an array)").split(", e.g.")[0]
        raise Warned(
            f"{name} takes only scalars: {name}(np.array({x.tolist()})) {said}; "
            "fine for the handout, which shows only scalars, but the clarifications ask that it also work "
            "elementwise on arrays (np.exp, np.where)"
        ) from None
    array = np.asarray(found, dtype=float) if found is not None else None
    if array is None or array.shape != x.shape:
        raise Warned(
            f"{name}(array of {x.size}) gives {'None' if array is None else f'shape {array.shape}'}: "
            "the clarifications ask that it apply elementwise to arrays"
        )
    if not np.allclose(array, expected, rtol=1e-15, atol=0):
        index, diff = worst(array, expected)
        raise Warned(
            f"{name}({x.tolist()}) gives {short(array[index])} at x = {x[index]}, expected "
            f"{short(expected[index])}: the clarifications ask that arrays work elementwise, with 0.0 "
            "where x < -100 (the handout shows only scalars, so this is a warning)"
        )
    if caught:
        raise Warned(
            f"{name}({x.tolist()}) is right but warns ({caught[0].category.__name__}: "
            f"{caught[0].message}): apply the x < -100 guard before computing exp"
        )


def float_guesses(name, found, N):
    array = np.asarray(found)
    if not isinstance(found, np.ndarray):
        raise Found(
            f"{name} is a {type(found).__name__}, expected a numpy float array of shape ({N},) "
            "(the clarifications: it prints as [0. 2. 1. ...])"
        )
    if array.dtype.kind != "f":
        raise Found(
            f"{name} holds {array.dtype} values, expected a float array (the clarifications: "
            "guesses prints as [0. 2. 1. ...]; e.g. start from np.zeros(N) and store argmax(y))"
        )
    if array.shape != (N,):
        if array.size == N:
            raise Warned(f"{name} has shape {array.shape}; the clarifications ask for shape ({N},)")
        raise Found(f"{name} has shape {array.shape}, expected ({N},)")
    return f"{array.dtype}, shape {array.shape}"


def unchanged(function, run, before, inputs):
    run()
    changed = same_inputs(before, inputs)
    if changed:
        raise Found(
            f"{function} changed the caller's {', '.join(changed)} in place (e.g. `W1 -= ...` or "
            "`W1[...] = ...`): the clarifications ask to leave the arguments as they are and return new "
            "arrays (write W1 = W1 - eta * dE1_total / N, or start from W1.copy())"
        )
    return "unchanged"


def find_stubs(source):
    """Top-level functions whose body is only a docstring and ``...``/``pass``/``return``/``raise``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    stubs = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name not in FUNCTIONS:
            continue
        stubs.pop(node.name, None)  # the last definition is the one that counts
        body = list(node.body)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            if isinstance(body[0].value.value, str):
                body = body[1:]
        if not body:
            stubs[node.name] = "a docstring"
        elif len(body) == 1:
            kinds = {
                "`...`": isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and body[0].value.value is Ellipsis,
                "`pass`": isinstance(body[0], ast.Pass),
                "`return None`": isinstance(body[0], ast.Return)
                and (
                    body[0].value is None
                    or (isinstance(body[0].value, ast.Constant) and body[0].value.value is None)
                ),
                "`raise NotImplementedError`": isinstance(body[0], ast.Raise),
                "`return None, ...`": isinstance(body[0], ast.Return)
                and isinstance(body[0].value, ast.Tuple)
                and all(isinstance(e, ast.Constant) and e.value is None for e in body[0].value.elts),
            }
            for text, matched in kinds.items():
                if matched:
                    stubs[node.name] = text
    return stubs


def limit_resources(seconds):
    """Bound what the untrusted file can use: CPU time, memory, file sizes, no core dumps."""
    for limit, value in (
        (resource.RLIMIT_CPU, seconds),
        (resource.RLIMIT_AS, 4 << 30),
        (resource.RLIMIT_FSIZE, 16 << 20),
        (resource.RLIMIT_CORE, 0),
    ):
        soft, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(limit, (value, hard))
        except (ValueError, OSError):
            pass


class StandIn(types.ModuleType):
    """An empty stand-in for a module the grader does not have: every attribute is another stand-in."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return StandIn(f"{self.__name__}.{name}")

    def __call__(self, *args, **kwargs):
        raise RuntimeError(f"{self.__name__} is not available to the grader")


class StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds a StandIn for every module under the given top-level names."""

    def __init__(self):
        self.names = set()

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] not in self.names:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return StandIn(spec.name)

    def exec_module(self, module):
        module.__path__ = []


def import_template():
    """Import the hand-in; return (module or None, the error or None, the stand-ins used).

    A module that is not installed here (sklearn, a file of the student's
    own...) is not installed for the grader either: the import is retried
    with an empty stand-in for it, so that the functions are still checked.
    A part of the standard library that this Python lacks (tkinter, behind
    an IDE's stray `from turtle import ...`) gets one too.
    """
    finder = StandInFinder()
    sys.meta_path.insert(0, finder)
    for _ in range(10):
        sys.modules.pop("template", None)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import template  # noqa: PLC0415  (the file under test, found only in `folder`)
        except ModuleNotFoundError as error:
            top = (error.name or "").split(".")[0]
            if not top or top in finder.names or top in ("numpy", "tools"):
                return None, error, finder.names
            finder.names.add(top)
            last = error
        except BaseException as error:  # noqa: BLE001  (the file is untrusted: report, never crash)
            return None, error, finder.names
        else:
            return template, None, finder.names
    return None, last, finder.names


def import_failure(error):
    """One line: what importing the hand-in raised, where, and what to do."""
    lines = str(error).strip().splitlines()
    where_ = ""
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith("template.py"):
            where_ = f" (line {tb.tb_lineno})"
        tb = tb.tb_next
    if isinstance(error, SyntaxError):
        return f"importing it raised {type(error).__name__}: {error.msg} (line {error.lineno})"
    detail = f"importing it raised {type(error).__name__}{': ' + lines[0] if lines else ''}{where_}"
    if isinstance(error, OSError):
        return detail + (
            ": the file must work alone in an empty folder (with only the course's tools.py and data/ "
            "beside it when it imports tools); move the code that reads or writes files under "
            '`if __name__ == "__main__":`'
        )
    return detail + (
        ": the code at the top level of the file runs when the grader imports it; "
        'put your experiments under `if __name__ == "__main__":`'
    )


def main(folder, expected_json):
    # Results go to a copy of the real standard output; the student's prints,
    # even at the file-descriptor level, go to the bin.
    out = os.fdopen(os.dup(1), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = io.StringIO()
    with open(expected_json) as handle:
        expected = json.load(handle)
    limit_resources(int(expected.get("cpu_seconds", 60)))
    sys.path.insert(0, folder)
    with open(os.path.join(folder, "template.py"), "rb") as handle:
        source = handle.read()  # bytes, as Python reads them (a byte-order mark or a coding line is fine)

    out.write(json.dumps({"event": "start", "function": "template.py", "what": "imports alone"}) + "\n")
    out.flush()
    template, error, stand_ins = import_template()
    if template is None:
        out.write(json.dumps({"event": "result", "function": "template.py", "what": "imports alone",
                              "status": "FAIL", "detail": import_failure(error)}) + "\n")  # fmt: skip
        out.write(json.dumps({"event": "done"}) + "\n")
        return
    missing = sorted(name for name in stand_ins if name not in sys.stdlib_module_names)
    lacking = sorted(name for name in stand_ins if name in sys.stdlib_module_names)
    status, detail = "ok", "in an empty folder"
    if lacking:
        status, detail = (
            "warn",
            (
                f"this Python lacks {', '.join(lacking)}, a part of the standard library (allowed): the "
                "functions below were checked with an empty stand-in for it"
            ),
        )
    if missing:
        names = ", ".join(missing)
        status, detail = (
            "FAIL",
            (
                f"importing it raised ModuleNotFoundError for {names}, which the grader does not have "
                "either: the course accepts only numpy, the standard library and the course's tools; the "
                f"functions below were checked with an empty stand-in for {names}"
            ),
        )
    out.write(json.dumps({"event": "result", "function": "template.py", "what": "imports alone",
                          "status": status, "detail": detail}) + "\n")  # fmt: skip
    Checker(out, template, source, expected).run()
    out.flush()


if __name__ == "__main__":
    main(*sys.argv[1:3])
