"""[dW; db] of a batch of one, compiled: each member's outer product x1^T dz, written into the
member's columns of the model's gradient buffer (nets.layers.Dense.backward at batch 1).

NumPy has no fast form of it for a pack: einsum loops over the pack in C but pays its own
machinery per member and row, and matmul takes it element by element through memory (an inner
dimension of 1: no BLAS call), up to 4x slower still. Here a member's rows are unit-stride loops of
its own columns, 2-5x faster than einsum on the layers of the study's 35-20-2-20-35 pack
(benchmarks/study_regime.py). With SGD the batch-1 step does not write the gradient at all
(nets.fused.sgd.update_outer); this serves the other optimisers.

The numbers are einsum's, bit for bit: einsum sums its single term into a zeroed output, so
each entry is the product rounded once, plus +0 (which turns a product of -0 into +0); this adds
the same +0, which no compiler may drop without fast-math (tests/test_layers.py).
"""

from numba import njit


@njit(error_model="numpy", cache=True, nogil=True)
def outer_columns(x1, dz, grads, start):
    """grads[k, start + i * m + j] <- x1[k, i] * dz[k, j] + 0 for member k's input x1 (S, n) and
    dz (S, m); x1 may be one row (1, n), shared by every member. grads (S, P) C-contiguous."""
    zero = grads.dtype.type(0)
    n, m = x1.shape[1], dz.shape[1]
    for k in range(dz.shape[0]):
        x, d = x1[k % x1.shape[0]], dz[k]
        for i in range(n):
            row = grads[k, start + i * m : start + (i + 1) * m]
            for j in range(m):
                row[j] = x[i] * d[j] + zero
