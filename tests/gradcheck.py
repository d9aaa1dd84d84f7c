"""Central finite differences, the oracle of the gradient tests.

    numeric_grad(lambda: loss(w), w)                   # f() is one number
    numeric_grad(lambda: losses(w), w, of=member)      # f() is (S,), one value per member
    numeric_grad(lambda: act.fn(z), z, of=own_entry)   # f is elementwise
    numeric_grads(model, x)                            # each member's loss, each parameter
"""

import numpy as np


def whole(i: tuple) -> tuple:
    """f() is one number, moved by every entry."""
    return ()


def member(i: tuple) -> tuple:
    """f() holds one value per member (S,); entry i of a (S, ...) moves only member i[0]'s."""
    return i[:1]


def own_entry(i: tuple) -> tuple:
    """f() has a's shape; entry i moves only entry i (an elementwise function)."""
    return i


def numeric_grad(f, a, h=1e-6, of=whole):
    """Central differences of f() with respect to every entry of a, which f reads.

    a is changed in place, one entry at a time, and restored. Only the value of f() that the
    entry moves (at index of(i)) is differenced, so the other values' round-off cannot blur a
    small derivative.
    """
    g = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        old = a[i]
        a[i] = old + h
        up = np.asarray(f())[of(i)]
        a[i] = old - h
        down = np.asarray(f())[of(i)]
        a[i] = old
        g[i] = (up - down) / (2 * h)
    return g


def numeric_grads(model, x, h=1e-6):
    """Central differences of each member's loss with respect to each of its parameters."""
    return numeric_grad(lambda: model._step(x, x)[0], model._flat, h, of=member)
