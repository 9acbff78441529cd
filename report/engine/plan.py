"""Which networks share a stack, and how the stacks are shared among threads."""

import math

import numpy as np

# Cost of one iteration of a stack, in microseconds, measured on the study's
# shapes: a fixed cost per stack (numpy calls), and per network a cost for the
# output layer and one per hidden unit. Used only to plan the stacks.
_COST_STACK, _COST_NETWORK, _COST_UNIT = 60.0, 3.0, 0.45


def _stack_cost(count, M):
    return _COST_STACK + count * (_COST_NETWORK + _COST_UNIT * (M + 1))


def plan_stacks(sizes, workers):
    """Group networks into stacks and split the stacks for the thread pool.

    sizes: hidden size M of each network. Consecutive sizes are merged into
    one stack, padded to its largest M, where that costs less than a stack
    each (dynamic programming over the sorted sizes). Each stack is then cut
    into pieces of about equal cost so that the threads stay balanced.
    Returns lists of network indices, most work first.
    """
    by_size = {}
    for i, M in enumerate(sizes):
        by_size.setdefault(M, []).append(i)
    Ms = sorted(by_size)
    counts = [len(by_size[M]) for M in Ms]
    best = [0.0] + [math.inf] * len(Ms)  # best[j]: cheapest plan of Ms[:j]
    cut = [0] * (len(Ms) + 1)
    for j in range(1, len(Ms) + 1):
        for i in range(j):
            cost = best[i] + _stack_cost(sum(counts[i:j]), Ms[j - 1])
            if cost < best[j]:
                best[j], cut[j] = cost, i
    stacks, j = [], len(Ms)
    while j > 0:
        stacks.append((sum((by_size[M] for M in Ms[cut[j] : j]), []), Ms[j - 1]))
        j = cut[j]
    target = best[-1] / (2 * workers) if workers > 1 else math.inf
    pieces = []
    for members, M in stacks:
        parts = max(1, min(len(members), round(_stack_cost(len(members), M) / target)))
        pieces += [(list(p), _stack_cost(len(p), M)) for p in np.array_split(members, parts)]
    return [p for p, _ in sorted(pieces, key=lambda piece: -piece[1])]
