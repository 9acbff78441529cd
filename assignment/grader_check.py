"""Check a handed-in ``template.py`` the way a grader does.

Run by ``make submit`` as ``python -I grader_check.py FOLDER IRIS_CSV``
in a folder that holds ``template.py`` alone: isolated mode keeps the
project off ``sys.path``, so the file must stand on its own. Imports only
the standard library and numpy, like the file it checks. Prints one line
per check; exits 1 on the first failure, naming it.
"""

import importlib.util
import sys
from pathlib import Path

import numpy as np


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(folder, iris_csv):
    sys.path.insert(0, folder)
    import template as t  # noqa: PLC0415  (the file under test, found only in `folder`)

    ex = load_module("handout_examples", Path(__file__).with_name("handout_examples.py"))
    data = np.loadtxt(iris_csv, delimiter=",", skiprows=1)
    features, targets = data[:, :4], data[:, 4].astype(int)

    def check(name, ok):
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
        if not ok:
            raise SystemExit(f"template.py does not reproduce the handout's {name}")

    check("sigmoid(0.5)", t.sigmoid(0.5) == ex.SIGMOID_0_5)
    check("d_sigmoid(0.2)", t.d_sigmoid(0.2) == ex.D_SIGMOID_0_2)
    for (x, w), expected in ex.PERCEPTRON_EXAMPLES:
        check(f"perceptron({x}, {w})", tuple(t.perceptron(np.array(x), np.array(w))) == expected)

    np.random.seed(ex.BACKPROP_SEED)
    D, M, K = ex.BACKPROP_D, ex.BACKPROP_M, ex.BACKPROP_K
    W1 = 2 * np.random.rand(D + 1, M) - 1
    W2 = 2 * np.random.rand(M + 1, K) - 1
    target_y = np.eye(K)[targets[0]]
    y, dE1, dE2 = t.backprop(features[0, :], target_y, M, K, W1, W2)
    tol = ex.TOLERANCE
    check("backprop example: y", np.allclose(y, ex.BACKPROP_Y, rtol=0, atol=tol))
    check("backprop example: dE1", np.allclose(dE1, ex.BACKPROP_DE1, rtol=1e-8, atol=tol))
    check("backprop example: dE2", np.allclose(dE2, ex.BACKPROP_DE2, rtol=1e-8, atol=tol))

    # The course's split, written out: seed, permute, 120 train points.
    np.random.seed(ex.FFNN_SEED)
    p = np.random.permutation(features.shape[0])
    train_features = features[p][: int(features.shape[0] * 0.8)]
    np.random.seed(ex.FFNN_SEED)
    M, K = ex.FFNN_M, ex.FFNN_K
    W1 = 2 * np.random.rand(D + 1, M) - 1
    W2 = 2 * np.random.rand(M + 1, K) - 1
    y, z0, z1, a1, a2 = t.ffnn(train_features[0, :], M, K, W1, W2)
    check("seeded ffnn example: z0", np.array_equal(z0, ex.FFNN_Z0))
    check("seeded ffnn example: y", np.allclose(y, ex.FFNN_Y, rtol=0, atol=tol))
    check("seeded ffnn example: a2", np.allclose(a2, ex.FFNN_A2, rtol=0, atol=tol))

    result = t.train_nn(train_features[:20], targets[p][:20], M, K, W1, W2, 5, 0.3)
    shapes = [np.shape(r) for r in result]
    check("train_nn return shapes", shapes == [(D + 1, M), (M + 1, K), (5,), (5,), (20,)])
    check("train_nn lowers E_total", result[2][-1] < result[2][0])
    guesses = t.test_nn(train_features[:20], M, K, result[0], result[1])
    check("test_nn return shape", np.shape(guesses) == (20,))


if __name__ == "__main__":
    main(*sys.argv[1:3])
