"""The report's equations, each spelled twice side by side: as mathtext for the figure, as text to read.

``figures`` typesets ``TEX``; ``alt`` gives ``TEXT`` as the images' alternative
text (a screen reader reads it, and a search finds it). Keep the two in step.
Plain data: importing it costs nothing.
"""

TEX = {
    "eq_forward": r"$\mathbf{z}_0 = [1,\ \mathbf{x}],\quad \mathbf{a}_1 = \mathbf{z}_0 W_1,\quad "
    r"\mathbf{z}_1 = [1,\ \sigma(\mathbf{a}_1)],\quad \mathbf{a}_2 = \mathbf{z}_1 W_2,\quad "
    r"\mathbf{y} = \sigma(\mathbf{a}_2),\quad \sigma(a) = \dfrac{1}{1 + e^{-a}}$",
    "eq_error": r"$E_n = -\sum_{k=1}^{K} \left[ t_{nk} \ln y_{nk} + (1 - t_{nk}) \ln (1 - y_{nk}) \right],"
    r"\qquad E_\mathrm{total} = \dfrac{1}{N} \sum_{n=1}^{N} E_n$",
    "eq_backprop": r"$\delta_k = y_k - t_k,\quad "
    r"\delta_j = \sigma'(a_{1j}) \sum_{k} w^{(2)}_{j+1,k}\, \delta_k,"
    r"\quad \dfrac{\partial E_n}{\partial w^{(1)}_{ij}} = \delta_j z_{0i},\quad "
    r"\dfrac{\partial E_n}{\partial w^{(2)}_{jk}} = \delta_k z_{1j}$",
    "eq_update": r"$W \leftarrow W - \dfrac{\eta}{N} \sum_{n=1}^{N} \nabla_W E_n$",
}

TEXT = {
    "eq_forward": "Forward pass: z0 = [1, x], a1 = z0 W1, z1 = [1, σ(a1)], a2 = z1 W2, y = σ(a2), "
    "where σ(a) = 1 / (1 + e^(−a)).",
    "eq_error": "Cross-entropy error: "
    "E_n = −(sum over k = 1 to K of [t_nk ln(y_nk) + (1 − t_nk) ln(1 − y_nk)]), "
    "and E_total = (1/N) × (sum over n = 1 to N of E_n).",
    "eq_backprop": "Back-propagation: δ_k = y_k − t_k; δ_j = σ′(a1_j) × (sum over k of W2[j+1, k] δ_k); "
    "∂E_n/∂W1[i, j] = δ_j z0_i; ∂E_n/∂W2[j, k] = δ_k z1_j.",
    "eq_update": "Gradient-descent update: W ← W − (η / N) × (sum over n = 1 to N of ∇_W E_n).",
}
