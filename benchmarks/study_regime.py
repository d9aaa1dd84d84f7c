"""Training one character at a time (batch_size 1), as the course's implementations do, in
microseconds per seed-epoch: a pack of 100 seeds at batch 1 against the same pack at full batch
(the baseline, measured in the same run), in float32 and float64, with SGD's compiled update (as
tp5-run trains where numba is installed) and with NumPy's, and against one seed at a time; then
the parts of a batch-1 epoch whose arithmetic fixes its numbers, alone, against the same
baseline; then the learning-rate file's pack at 0.05, whose units saturate, against its pack at
0.005; then the outer product [dW; db] of a batch of one, by matmul, einsum and compiled; then,
with --sweep, the study-regime files end to end.

    python benchmarks/study_regime.py [--rounds 5] [--sweep]

The network is the study's learning-rate one: 35-20-2-20-35, tanh units on pixels in {-1, 1},
half the summed squared error, SGD with momentum 0.9. An epoch at batch 1 is 32 steps, each
serving the whole pack with one call per operation. Contenders take turns, a chunk of epochs
each per round; figures are medians.

The second table is the floor of batch 1 with these numbers: per step, each member's own BLAS
products (4 forward, 3 input gradients) and the update from the outer products [dW; db] =
x1^T dz, each timed alone for the 32 steps of an epoch. The products cannot be shared: NumPy's
matmul over the pack calls gemv once per member, the very call of a per-member 2-D product (so a
pack of one and a pack of 100 get the same bits), and the kernel's order of additions is part of
the numbers: one product for the whole pack (einsum, or a broadcast and a sum) adds in another
order (64 % of a layer's float32 outputs differ), and so does the input gradient taken from a
contiguous copy of W^T instead of the strided view (another gemv kernel: 30-70 % differ). The
update is one compiled pass that forms each entry of x1^T dz as it updates it, with NumPy's
roundings in NumPy's order (nets.fused.sgd.update_outer); NumPy needs einsum (multiply gives -0
where einsum gives +0) and SGD's four passes. On a 2-core Xeon (Ice Lake, family 6 model 106)
under a load of 7-12, products and update came to about 0.5x and 1x the full-batch epoch (NumPy's
update: 3-5x), and the batch-1 pack to 4.1-5.3x (median 4.95x; 7.5-8.5x before the compiled
update): the rest is the per-call cost of the activations, the loss and the step's glue, paid 32
times an epoch. A compiled step's exp is not NumPy's (39 % of float32 values differ), so the
activations stay NumPy's. --sweep trains study-regime-architectures*.yaml and
study-regime-learning-rate.yaml with ``tp5-run -j 2`` into a temporary results folder (nothing
of the project's is touched) and prints the wall time against the 5-minute target and against
the time the per-epoch figure predicts.
"""

import itertools
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

import common
import numpy as np
from threadpoolctl import threadpool_limits

import nets
from nets import fused
from runner import datasets

if fused.available():  # numba is optional: the compiled rows need it
    from nets.fused import outer as fused_outer
    from nets.fused import sgd as fused_sgd

LAYERS = [35, 20, 2, 20, 35]
SEEDS = 100
EXPERIMENTS = Path(__file__).resolve().parent.parent / "experiments"
SWEEP = [
    "study-regime-architectures.yaml",
    "study-regime-architectures-tanh.yaml",
    "study-regime-learning-rate.yaml",
]
TARGET_SECONDS = 300


def trainer(x, seeds, dtype, batch_size, epochs, compiled=True, rate=0.0005):
    """train(): ``epochs`` more epochs of one ensemble; returns the seed-epochs done. compiled:
    SGD's compiled update (nets.fused.sgd) where numba is installed, as tp5-run trains."""
    model = nets.Autoencoder(
        LAYERS,
        seeds,
        activation="tanh",
        output_activation="tanh",
        pixels=(-1, 1),
        loss="sse",
        dtype=dtype,
    )
    compiled = compiled and fused.available()
    optimizer = nets.SGD(np.full(len(seeds), rate), momentum=0.9, compiled=compiled)

    def train():
        with threadpool_limits(1):
            model.fit(x, epochs=epochs, optimizer=optimizer, batch_size=batch_size)
        return len(seeds) * epochs

    return train


def packs(rounds: int) -> float:
    """Prints the first table; returns the float32 batch-1 pack's us per seed-epoch."""
    x = datasets.load("font").x_train
    seeds = list(range(SEEDS))
    base = "full batch, pack of 100, float32"
    contenders = {
        base: trainer(x, seeds, "float32", None, 100),
        "full batch, pack of 100, float32, NumPy's SGD": trainer(
            x, seeds, "float32", None, 100, compiled=False
        ),
        "batch 1, pack of 100, float32": trainer(x, seeds, "float32", 1, 5),
        "batch 1, pack of 100, float32, NumPy's SGD": trainer(
            x, seeds, "float32", 1, 5, compiled=False
        ),
        "batch 1, pack of 100, float64": trainer(x, seeds, "float64", 1, 5),
        "batch 1, one seed alone, float32": trainer(x, [0], "float32", 1, 20),
    }
    us = common.us_per_unit(contenders, rounds)  # per seed-epoch
    rows = [[label, v, v / us[base]] for label, v in us.items()]
    print(common.table(rows, ["35-20-2-20-35, SGD momentum", "us/seed-epoch", "x full batch"]))
    return us["batch 1, pack of 100, float32"]


def floor(rounds: int) -> None:
    """The parts of a batch-1 epoch (pack of 100, float32) that fix its numbers, each timed alone
    for the 32 steps of an epoch, against the full-batch epoch: the products, and the update from
    the outer products as the pack does it (one compiled pass) and as NumPy did it (einsum, then
    SGD's four passes)."""
    f, S = np.float32, SEEDS
    rng = np.random.default_rng(0)
    shapes = list(itertools.pairwise(LAYERS))
    starts = np.cumsum([0] + [(a + 1) * b for a, b in shapes])
    p = rng.standard_normal((S, starts[-1])).astype(f)  # the flat buffer, as nets.ensemble's
    v, g, tmp = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    Ws = [p[:, i:j].reshape(S, a + 1, b) for (a, b), i, j in zip(shapes, starts, starts[1:])]
    grads = [g[:, i:j].reshape(W.shape) for W, i, j in zip(Ws, starts, starts[1:])]
    x1s = [rng.standard_normal((S, 1, a + 1)).astype(f) for a, _ in shapes]
    zs = [rng.standard_normal((S, 1, b)).astype(f) for _, b in shapes]
    dxs = [np.empty((S, 1, a), f) for a, _ in shapes]
    # the optimiser's constants: float32 values held in float64 (nets.optimizers.SGD._constants)
    mu, rates = float(f(0.9)), np.full(S, 0.0005, f).astype(np.float64)
    wide = np.zeros(S, np.bool_)  # no tiny velocities: the float32 loop

    def products():
        for _ in range(32):
            for x1, W, z in zip(x1s, Ws, zs):
                np.matmul(x1, W, out=z)  # (S, 1, n_out)
            for z, W, dx in zip(zs[1:], Ws[1:], dxs[1:]):
                np.matmul(z, W[:, :-1].mT, out=dx)  # (S, 1, n_in)
        return S

    def update_compiled():
        for _ in range(32):
            for x1, z, start in zip(x1s, zs, starts):
                fused_sgd.update_outer(p, v, x1[:, 0], z[:, 0], start, mu, rates, wide)
        return S

    def update_numpy():
        for _ in range(32):
            for x1, z, out in zip(x1s, zs, grads):
                np.einsum("...bi,...bj->...ij", x1, z, out=out)  # (S, n_in + 1, n_out)
            np.multiply(v, 0.9, out=v)
            np.add(v, g, out=v)
            np.multiply(v, rates[:, None], out=tmp)
            np.subtract(p, tmp, out=p)
        return S

    x = datasets.load("font").x_train
    base = "full batch epoch (the baseline)"
    contenders = {
        base: trainer(x, list(range(S)), "float32", None, 100),
        "batch-1 epoch": trainer(x, list(range(S)), "float32", 1, 5),
        "  its per-member products": products,
        "  its update from the outer products": update_compiled,
        "  the same by NumPy (einsum, 4 passes)": update_numpy,
    }
    if not fused.available():
        del contenders["  its update from the outer products"]
    with threadpool_limits(1):
        us = common.us_per_unit(contenders, rounds)
    rows = [[label, v, v / us[base]] for label, v in us.items()]
    print(common.table(rows, ["pack of 100, float32", "us/seed-epoch", "x full batch"]))


def saturated(rounds: int, warmup: int = 200) -> None:
    """The learning-rate file's packs at 0.05, where every run saturates, and at 0.005, each of
    100 seeds trained ``warmup`` epochs into its regime first: at 0.05 the saturated units'
    weights have exactly zero gradients and their velocity sits in float32's subnormals, which
    the compiled update multiplies without x86's slow path (nets.fused.sgd)."""
    x = datasets.load("font").x_train
    seeds = list(range(SEEDS))
    contenders = {}
    for rate in (0.05, 0.005):
        train = trainer(x, seeds, "float32", 1, 5, rate=rate)
        for _ in range(warmup // 5):  # 5 epochs a call
            train()
        contenders[f"batch 1, pack of 100, float32, rate {rate}"] = train
    us = common.us_per_unit(contenders, rounds)
    base = "batch 1, pack of 100, float32, rate 0.005"
    rows = [[label, v, v / us[base]] for label, v in us.items()]
    print(common.table(rows, [f"after {warmup} epochs", "us/seed-epoch", "x rate 0.005"]))


def outer_products() -> None:
    """[dW; db] of one sample per member, (S, n_in + 1, 1) x (S, 1, n_out), three ways, written
    into a block of a flat buffer as the layers write it."""
    rows = []
    for dtype in (np.float32, np.float64):
        for n_in, n_out in zip(LAYERS[:-1], LAYERS[1:]):
            rng = np.random.default_rng(0)
            x1 = rng.random((SEEDS, 1, n_in + 1)).astype(dtype)
            dz = rng.random((SEEDS, 1, n_out)).astype(dtype)
            flat = np.empty((SEEDS, 2 * (n_in + 1) * n_out), dtype)  # the block and a neighbour
            out = flat[:, : (n_in + 1) * n_out].reshape(SEEDS, n_in + 1, n_out)
            ways = {
                "matmul": lambda x1=x1, dz=dz, out=out: np.matmul(x1.mT, dz, out=out),
                "einsum": lambda x1=x1, dz=dz, out=out: np.einsum(
                    "...bi,...bj->...ij", x1, dz, out=out
                ),
            }
            if fused.available():
                ways["compiled"] = lambda x1=x1[:, 0], dz=dz[:, 0], flat=flat: (
                    fused_outer.outer_columns(x1, dz, flat, 0)
                )
            us = {
                k: min(timeit.repeat(f, number=200, repeat=5)) / 200 * 1e6 for k, f in ways.items()
            }
            rows.append(
                [
                    f"{np.dtype(dtype).name} {n_in}x{n_out}",
                    *us.values(),
                    us["matmul"] / us["einsum"],
                ]
            )
    header = ["layer, pack of 100", *(f"{k} us" for k in ways), "matmul/einsum"]
    print(common.table(rows, header))


def sweep(us_per_seed_epoch: float) -> None:
    """The study-regime files through tp5-run -j 2, wall time against the target."""
    with tempfile.TemporaryDirectory() as folder:
        command = [
            sys.executable,
            "-m",
            "runner.cli",
            *[str(EXPERIMENTS / f) for f in SWEEP],
            "--results",
            folder,
            "--no-site",
            "-q",
            "-j",
            "2",
        ]
        start = time.perf_counter()
        subprocess.run(command, check=True)
        seconds = time.perf_counter() - start
    # the learning-rate file dominates: 400 runs x 10,000 epochs, on 2 workers
    predicted = 400 * 10_000 * us_per_seed_epoch / 1e6 / 2
    print(
        f"{' + '.join(SWEEP)}, tp5-run -j 2: {seconds:.0f} s (target {TARGET_SECONDS} s; "
        f"the learning-rate file alone predicted from the pack's figure on 2 free cores: "
        f"{predicted:.0f} s)"
    )


def measure(args):
    us = packs(args.rounds)
    print()
    floor(args.rounds)
    print()
    saturated(args.rounds)
    print()
    outer_products()
    if args.sweep:
        print()
        sweep(us)


if __name__ == "__main__":
    common.main(
        __doc__.splitlines()[0],
        measure,
        lambda p: (
            p.add_argument("--rounds", type=int, default=5, help="turns each contender takes"),
            p.add_argument("--sweep", action="store_true", help="also time the study-regime files"),
        ),
    )
