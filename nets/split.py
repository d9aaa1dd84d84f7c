"""A training step cut into a fixed number of parts of its batch, run on however many threads are
free at the moment, with numbers that do not depend on that number.

A large pack (MNIST's VAE) spends its step in matrix products. Handing them to BLAS's threads
would tie the run's numbers to the thread count (OpenBLAS adds a product's pieces in an order
that depends on it: a VAE on one thread and on two ends with other weights), so a run could not
take cores as other work frees them. Here the decomposition is fixed instead:

- the batch is cut into ``parts`` slices whose sizes depend only on the batch size;
- each slice's forward and backward pass runs on a twin of the model (shared parameters, its own
  gradients: ``Ensemble._replica``), with BLAS on one thread;
- the twins' gradients are added in part order, and the optimiser updates the parameters slice
  by slice (its update is elementwise: ``Optimizer.update``).

Which thread computes which part never enters a number, so ``Split.threads`` may change between
any two steps (the runner raises it as other packs finish) and the run ends with the same
weights, bit for bit. With one part the step is the unsplit step exactly.
"""

import concurrent.futures

from threadpoolctl import threadpool_limits


class Split:
    """How a model's steps are split: ``parts`` fixed for the run, ``threads`` (at most
    ``parts`` are used) free to change at any time. Close it, or use it as a context manager,
    to end its threads."""

    def __init__(self, parts, threads=1):
        self.parts = int(parts)
        if self.parts < 1:
            raise ValueError(f"parts must be at least 1, not {parts}")
        self.threads = threads
        self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def step(self, model, optimizer):
        """The split training step of ``model`` (an nets.Ensemble) and ``optimizer``."""
        return SplitStep(model, optimizer, self)

    @staticmethod
    def one_blas_thread():
        """The context a split step runs in: each part's products on one BLAS thread."""
        return threadpool_limits(limits=1, user_api="blas")

    def width(self, count):
        """The threads that ``count`` tasks run on now: ``threads``, at most ``parts``."""
        return max(1, min(int(self.threads), self.parts, count))

    def map(self, fn, count):
        """[fn(0), ..., fn(count - 1)], computed on ``width(count)`` threads (this one among
        them: handing every task to the pool would cost a thread wake-up per step)."""
        n = self.width(count)
        if n == 1:
            return [fn(i) for i in range(count)]
        if self._pool is None:  # threads never exceed parts: parts - 1 helpers at most
            self._pool = concurrent.futures.ThreadPoolExecutor(
                self.parts - 1, thread_name_prefix="tp5-split"
            )
        groups = [range(k, count, n) for k in range(n)]
        futures = [self._pool.submit(lambda g: [fn(i) for i in g], g) for g in groups[1:]]
        done = dict(zip(groups[0], [fn(i) for i in groups[0]]))
        for group, future in zip(groups[1:], futures):
            done.update(zip(group, future.result()))
        return [done[i] for i in range(count)]


def edges(size, parts):
    """Where ``parts`` near-equal slices of ``size`` rows start, and the end: a function of the
    two numbers only."""
    return [i * size // parts for i in range(parts + 1)]


class SplitStep:
    """step(x, target) -> the batch's values, each (S,): ``split.parts`` twins of ``model`` each
    take their slice of the batch, then every parameter is updated from the summed gradients."""

    def __init__(self, model, optimizer, split):
        self.model, self.optimizer, self.split = model, optimizer, split
        self.twins = [model._replica() for _ in range(split.parts)]

    def __call__(self, x, target):
        B = x.shape[-2]
        rows = edges(B, self.split.parts)
        noise = self.model._step_noise(B)
        used = [i for i in range(self.split.parts) if rows[i] < rows[i + 1]]

        def part(i):
            s = slice(rows[used[i]], rows[used[i] + 1])
            return self.twins[used[i]]._forward_backward(
                x[..., s, :], target[..., s, :], *(n[..., s, :] for n in noise), batch=B
            )

        values = self.split.map(part, len(used))
        self._update([self.twins[i] for i in used])
        return tuple(_in_order(series) for series in zip(*values))

    def _update(self, twins):
        """The model's gradient <- the twins' sum, in part order, then the optimiser's update;
        both elementwise, so done in column slices of the flat buffers, one per thread."""
        model, optimizer = self.model, self.optimizer
        params, grads = model._flat, model._flat_grads
        constants = optimizer.advance()
        state = optimizer.state_of("params", params)
        n = self.split.width(params.shape[1])
        cols = edges(params.shape[1], n)

        def update(j):
            s = slice(cols[j], cols[j + 1])
            g = grads[:, s]
            g[...] = twins[0]._flat_grads[:, s]
            for twin in twins[1:]:
                g += twin._flat_grads[:, s]
            optimizer.update(params[:, s], g, {k: v[:, s] for k, v in state.items()}, constants)

        self.split.map(update, n)


def _in_order(arrays):
    """arrays[0] + arrays[1] + ..., added left to right."""
    total = arrays[0].copy()
    for a in arrays[1:]:
        total += a
    return total
