"""Which study plots have a logarithmic x axis: decided once, for the figures and their alt text.

The learning rate and the weight scale are always drawn on a log scale (their
captions say so: their values are tried by factors of 3 or 10). The number of
hidden units is drawn on a log scale only when its values span more than a
decade (1 to 300: on a linear axis 1 and 10 would crowd into a corner),
otherwise linearly (4, 5, 6 read best evenly spaced). Plain Python: no matplotlib.
"""

ALWAYS_LOG = {"hidden_size": False, "learning_rate": True, "weight_scale": True}
DECADE = 10


def log_axis(factor, values):
    """Whether the plot of study factor ``factor`` ('hidden_size', ...) at ``values`` has a log x axis."""
    if ALWAYS_LOG[factor]:
        return True
    values = [float(v) for v in values]
    return min(values) > 0 and max(values) > DECADE * min(values)
