"""The example values printed in the handout, and how to reproduce them.

Transcribed from ``backprop-assignment.txt`` and ``clarifications.md``; used
by the tests, by ``make submit``'s grader-style check and by the report's
verification appendix. Standard library only, so that the submit check can
run it beside the handed-in file in an empty folder.
"""

# The first Iris point, features[0], and its class (setosa).
IRIS_FIRST_POINT = [5.1, 3.5, 1.4, 0.2]
IRIS_FIRST_CLASS = 0

# Printed with every digit: compared exactly.
SIGMOID_0_5 = 0.6224593312018546
D_SIGMOID_0_2 = 0.24751657271185995
PERCEPTRON_EXAMPLES = [
    (([1.0, 2.3, 1.9], [0.2, 0.3, 0.1]), (1.0799999999999998, 0.7464939833376621)),
    (([0.2, 0.4], [0.1, 0.4]), (0.18000000000000005, 0.5448788923735801)),
]

# Section 1.4: np.random.seed(42), then W1 = 2*rand(D+1, M) - 1,
# W2 = 2*rand(M+1, K) - 1 with D=4, M=6, K=3; x = features[0], one-hot target.
BACKPROP_SEED = 42
BACKPROP_D, BACKPROP_M, BACKPROP_K = 4, 6, 3
BACKPROP_Y = [0.42629045, 0.1218163, 0.56840796]
BACKPROP_DE1 = [
    [-3.17372897e-03, 3.13040504e-02, -6.72419861e-03, 7.39219402e-02, -1.16539047e-04, 9.29566482e-03],
    [-1.61860177e-02, 1.59650657e-01, -3.42934129e-02, 3.77001895e-01, -5.94349138e-04, 4.74078906e-02],
    [-1.11080514e-02, 1.09564176e-01, -2.35346951e-02, 2.58726791e-01, -4.07886663e-04, 3.25348269e-02],
    [-4.44322055e-03, 4.38256706e-02, -9.41387805e-03, 1.03490716e-01, -1.63154665e-04, 1.30139307e-02],
    [-6.34745793e-04, 6.26081008e-03, -1.34483972e-03, 1.47843880e-02, -2.33078093e-05, 1.85913296e-03],
]
BACKPROP_DE2 = [
    [-5.73709549e-01, 1.21816299e-01, 5.68407958e-01],
    [-3.82317044e-02, 8.11777445e-03, 3.78784091e-02],
    [-5.13977514e-01, 1.09133338e-01, 5.09227901e-01],
    [-2.11392026e-01, 4.48850716e-02, 2.09438574e-01],
    [-1.65803375e-01, 3.52051896e-02, 1.64271203e-01],
    [-3.19254175e-04, 6.77875452e-05, 3.16303980e-04],
    [-5.60171752e-01, 1.18941805e-01, 5.54995262e-01],
]

# A later edition's seeded ffnn example: np.random.seed(1234); split with
# split_train_test; np.random.seed(1234); M=10, K=3; draw W1 then W2;
# ffnn(train_features[0], ...).
FFNN_SEED = 1234
FFNN_M, FFNN_K = 10, 3
FFNN_Z0 = [1.0, 6.1, 3.0, 4.6, 1.4]
FFNN_Y = [0.08345946, 0.28722183, 0.92809422]
FFNN_A2 = [-2.39624534, -0.9089154, 2.55777666]

# The handout's own (unseeded, so unreproducible) ffnn example: checked by
# its invariants only, z1 = [1, sigmoid(a1)] and y = sigmoid(a2).
HANDOUT_FFNN_Y = [0.47439547, 0.73158513, 0.95244346]
HANDOUT_FFNN_Z0 = [1.0, 5.0, 3.4, 1.6, 0.4]
HANDOUT_FFNN_Z1 = [1.0, 0.94226108, 0.97838733, 0.21444943, 0.91094513, 0.14620877,
                   0.94492407, 0.57909676, 0.88187859, 0.99826648, 0.04362534]  # fmt: skip
HANDOUT_FFNN_A1 = [2.79235088, 3.81262569, -1.29831091, 2.32522998, -1.76465113,
                   2.84239174, 0.31906659, 2.01034143, 6.3558639, -3.08751164]  # fmt: skip
HANDOUT_FFNN_A2 = [-0.1025078, 1.00267978, 2.99711137]

# Values printed to 8 decimals are compared to this absolute tolerance.
TOLERANCE = 1e-8
