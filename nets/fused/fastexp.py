"""exp for compiled loops, in a form LLVM vectorises.

numba compiles ``math.exp`` to one call of the C library per value: about 5 ns, and a font
epoch takes some 3,100 of them per member, more than all its multiply-adds. This exp is
straight-line arithmetic (a Cody-Waite reduction x = k ln 2 + r, a Taylor polynomial in r, and
2^k built from its bits), so a loop of it becomes SIMD code. It is accurate to about 1 unit in
the last place in float32 and float64. Below -86 (float32) or -708 (float64) it returns 0, where
the library returns subnormals: every caller adds the result to 1, where those vanish anyway.
"""
import functools
import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic, overload

#: njit with NumPy's error model: x / 0 gives inf instead of a check that raises
#: ZeroDivisionError, a branch per division that keeps loops from being vectorised.
jit = functools.partial(njit, error_model="numpy")

LOG2E = 1.4426950408889634
# ln 2 split so that k * LN2_HI is exact for the k that occur
LN2_HI_64, LN2_LO_64 = 6.93147180369123816490e-01, 1.90821492927058770002e-10
LN2_HI_32, LN2_LO_32 = 0.693359375, -2.12194440e-4


# 1 / n!, highest power first: Taylor to r^13 (float64) and r^8 (float32) for |r| <= ln 2 / 2
# leave 4e-18 and 5e-9 relative, below half a unit in the last place
_TAYLOR_64 = tuple(1.0 / math.factorial(n) for n in range(13, -1, -1))
_TAYLOR_32 = tuple(np.float32(1.0 / math.factorial(n)) for n in range(8, -1, -1))


@jit(inline="always")
def _horner(r, coefficients):
    p = coefficients[0]
    for c in coefficients[1:]:
        p = p * r + c
    return p


@intrinsic
def _float64_from_bits(typingctx, bits):
    """The float64 whose bit pattern is the int64 ``bits``."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.int64), codegen


@intrinsic
def _float32_from_bits(typingctx, bits):
    """The float32 whose bit pattern is the int32 ``bits``."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.FloatType())
    return types.float32(types.int32), codegen


@jit
def _exp64(x):
    k = np.floor(x * LOG2E + 0.5)
    r = (x - k * LN2_HI_64) - k * LN2_LO_64
    p = _horner(r, _TAYLOR_64)
    half_scale = _float64_from_bits((np.int64(k) + 1022) << 52)  # 2^(k-1): finite for k = 1024
    value = p * half_scale * 2.0
    return np.inf if x > 709.78 else (0.0 if x < -708.0 else value)


@jit
def _exp32(x):
    k = np.float32(np.floor(x * np.float32(LOG2E) + np.float32(0.5)))
    r = (x - k * np.float32(LN2_HI_32)) - k * np.float32(LN2_LO_32)
    p = _horner(r, _TAYLOR_32)
    half_scale = _float32_from_bits((np.int32(k) + np.int32(126)) << np.int32(23))
    value = p * half_scale * np.float32(2.0)
    inf, zero = np.float32(np.inf), np.float32(0.0)
    return inf if x > np.float32(88.72) else (zero if x < np.float32(-86.0) else value)


def exp(x):
    """e**x of a float32 or float64 scalar, in its own precision (compiled code only)."""
    raise NotImplementedError("fastexp.exp runs only inside numba-compiled code")


@overload(exp)
def _exp_overload(x):
    if x == types.float32:
        return lambda x: _exp32(x)
    if x == types.float64:
        return lambda x: _exp64(x)
    return None
