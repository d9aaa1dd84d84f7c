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

Where the velocity holds tiny values its products are taken in float64 and rounded once to
the arrays' dtype (``_times``). Where a unit saturates (tanh at exactly +-1) its weights'
gradients are exactly 0 and their velocity decays by mu each step into float32's subnormals,
where it stops: 0.9 times 4 of the smallest subnormal rounds back to 4, forever. On x86 a float32
multiply with a subnormal operand or result takes a microcode assist, about 40x a normal one; at
the study's learning rate 0.05 a quarter of the velocity sits there, and the update took 12x
its time at 0.005 (the 0.05 pack of study-regime-learning-rate.yaml, 5x slower than its
siblings; benchmarks/study_regime.py). A float64 multiply of the same numbers, and the
conversions either side, take no assist. And the numbers are float32's: the product of two
float32 values is exact in float64 (48 significant bits of 53, and its exponent, down to
2^-298, inside float64's normal range), so rounding it once to float32 is the float32 product
itself, subnormal or not, ties to even (tests/test_optimizers.py checks every positive
subnormal). Either loop gives the same numbers; the float64 one costs about 1.7x the float32 one,
so a member's velocity takes it only where it holds such tiny values (``_bound``): update_rows
looks before it updates, update_outer notes them as it writes them and takes the float64 loop at
the next step (a pass to look would cost a twentieth of a batch-1 epoch). In float64 the two
loops are one.
"""

import numpy as np
from numba import float64, njit, uint64


@njit(error_model="numpy", cache=True, nogil=True)
def _times(a, c, like, wide):
    """a * c rounded to like's dtype as that dtype's multiply rounds it, c a float64 holding a
    value of that dtype; ``wide``: through float64. Were c a widened float32, LLVM would fold
    the float64 product back into a float32 multiply (and its assists): the kernels take their
    constants as float64."""
    if wide:
        return like.dtype.type(float64(a) * c)
    return a * like.dtype.type(c)


@njit(error_model="numpy", cache=True, nogil=True)
def _bound(like, momentum, rate):
    """Below this magnitude (and above 0) a velocity entry's products may be subnormal: the
    smallest normal number of like's dtype over the smaller factor."""
    return np.finfo(like.dtype).tiny / min(momentum, rate, 1.0)


@njit(error_model="numpy", cache=True, nogil=True)
def _tiny(v, bound):
    """Whether v (1-D) holds a nonzero entry below bound. Zeros multiply at full speed."""
    found = False
    for j in range(v.shape[0]):
        a = abs(v[j])
        found |= (a < bound) & (a > 0)
    return found


@njit(error_model="numpy", cache=True, nogil=True)
def update_rows(p, g, v, momentum, rates):
    """p (S, P) in place from g, row k at rates[k] (S,), or every row at rates[0] (1,); v
    (S, P), the velocity, is updated in place with ``momentum``, or None for plain SGD. The
    constants are float64 holding values of the arrays' dtype (see _times)."""
    for k in range(p.shape[0]):
        pk, gk, rate = p[k], g[k], rates[k % rates.shape[0]]
        if v is None:
            for j in range(pk.shape[0]):
                pk[j] -= _times(gk[j], rate, p, False)
        else:
            vk = v[k]
            wide = _tiny(vk, _bound(p, momentum, rate))
            for j in range(pk.shape[0]):
                vj = _times(vk[j], momentum, p, wide) + gk[j]
                vk[j] = vj
                pk[j] -= _times(vj, rate, p, wide)


@njit(error_model="numpy", cache=True, nogil=True)
def update_outer(p, v, x1, dz, start, momentum, rates, wide):
    """update_rows for a batch of one's gradient in the columns start .. start + n m of p (S, P)
    and v: the outer product g[k, i * m + j] = x1[k, i] * dz[k, j] + 0 (einsum's numbers, as
    nets.fused.outer forms it), formed entry by entry and never stored. x1 (S, n), or one row
    (1, n) shared by every member; dz (S, m). Columns are unsigned: numba then skips the
    wraparound of negative indices, and the loops over a row vectorise. wide (S,) bool, in and
    out: whether member k's velocity in these columns held tiny values at the last step (the
    float64 loop), and then whether it holds them now (any value gives the same numbers)."""
    zero = p.dtype.type(0)
    n, m = x1.shape[1], uint64(dz.shape[1])
    for k in range(dz.shape[0]):
        x, d, rate = x1[k % x1.shape[0]], dz[k], rates[k % rates.shape[0]]
        pk = p[k]
        if v is None:
            for i in range(n):
                first, xi = uint64(start + i * m), x[i]
                for j in range(m):
                    pk[first + j] -= _times(xi * d[j] + zero, rate, p, False)
        else:
            vk, w, bound, found = v[k], wide[k], _bound(p, momentum, rate), False
            for i in range(n):
                first, xi = uint64(start + i * m), x[i]
                for j in range(m):
                    vj = _times(vk[first + j], momentum, p, w) + (xi * d[j] + zero)
                    vk[first + j] = vj
                    pk[first + j] -= _times(vj, rate, p, w)
                    a = abs(vj)
                    found |= (a < bound) & (a > 0)
            wide[k] = found
