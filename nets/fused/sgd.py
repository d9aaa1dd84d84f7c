"""SGD's update as one compiled pass over the parameters, for the optimiser's compiled mode
(nets.optimizers.SGD(..., compiled=True)).

NumPy's update with momentum makes four passes over arrays as large as the model (v *= mu,
v += g, lr v, p -= lr v); at batch 1 a step's arithmetic is small and those passes, each
reading and writing the whole model, were the largest part of an epoch: this makes one. The
operations are NumPy's, in NumPy's order and dtype, each rounded as NumPy rounds it, without
fast-math (so nothing is fused or reordered): the numbers are the NumPy update's, bit for bit
(tests/test_optimizers.py).

At batch 1 the gradient itself need not be written: a layer's [dW; db] is each member's outer
product x1^T dz, and ``update_outer`` forms each entry as it updates it. The step then reads and
writes the parameters and the velocity once, and never the gradient: at the study's pack of
100 those are three arrays of 620 kB each, more than a core's L2, so the step is a third
cheaper in memory traffic (tests/test_online.py: the same numbers).
"""

from numba import njit, uint64


@njit(error_model="numpy", cache=True, nogil=True)
def update_rows(p, g, v, momentum, rates):
    """p (S, P) in place from g, row k at rates[k] (S,), or every row at rates[0] (1,); v
    (S, P), the velocity, is updated in place with ``momentum``, or None for plain SGD. Scalars
    in the arrays' dtype."""
    for k in range(p.shape[0]):
        pk, gk, rate = p[k], g[k], rates[k % rates.shape[0]]
        if v is None:
            for j in range(pk.shape[0]):
                pk[j] -= gk[j] * rate
        else:
            vk = v[k]
            for j in range(pk.shape[0]):
                vj = vk[j] * momentum + gk[j]
                vk[j] = vj
                pk[j] -= vj * rate


@njit(error_model="numpy", cache=True, nogil=True)
def update_outer(p, v, x1, dz, start, momentum, rates):
    """update_rows for a batch of one's gradient in the columns start .. start + n m of p (S, P)
    and v: the outer product g[k, i * m + j] = x1[k, i] * dz[k, j] + 0 (einsum's numbers, as
    nets.fused.outer forms it), formed entry by entry and never stored. x1 (S, n), or one row
    (1, n) shared by every member; dz (S, m). Columns are unsigned: numba then skips the
    wraparound of negative indices, and the loops over a row vectorise."""
    zero = p.dtype.type(0)
    n, m = x1.shape[1], uint64(dz.shape[1])
    for k in range(dz.shape[0]):
        x, d, rate = x1[k % x1.shape[0]], dz[k], rates[k % rates.shape[0]]
        pk = p[k]
        if v is None:
            for i in range(n):
                first, xi = uint64(start + i * m), x[i]
                for j in range(m):
                    pk[first + j] -= (xi * d[j] + zero) * rate
        else:
            vk = v[k]
            for i in range(n):
                first, xi = uint64(start + i * m), x[i]
                for j in range(m):
                    vj = vk[first + j] * momentum + (xi * d[j] + zero)
                    vk[first + j] = vj
                    pk[first + j] -= vj * rate
