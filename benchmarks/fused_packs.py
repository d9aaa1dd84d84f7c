"""The fused path (numba) against the NumPy path: 100 seeds of 35-20-10-2-10-20-35 (sigmoid, MSE,
Adam) on the font, full batch and batch 1, float32 and float64, in microseconds per seed-epoch, with
PyTorch's stacked form (one bmm per layer for the whole pack) as a baseline when it is installed.

    python benchmarks/fused_packs.py [--rounds 7] [--no-torch]

Every contender trains the same pack a chunk of epochs per turn, taking turns round by round,
so that the machine's load hits them alike; figures are medians over the rounds, and ratios are
against the NumPy path of the same run. The fused path runs on 1 and on 2 threads (members
split between them); the NumPy path and PyTorch on one thread, as a pack of small layers runs
in tp5-run. The last lines say whether the fused path meets its target and where it is 2x
faster than NumPy on the one thread tp5-run gives a pack of small layers (runner.plan.engine).
"""

import common
from threadpoolctl import threadpool_limits

import nets
from nets import fused
from runner import datasets

if fused.available():
    # start the fused path's threads before torch loads its own OpenMP runtime: the first one
    # loaded decides how threads wait, and in tp5's workers it is numba's (nets.fused._numba)
    fused.set_threads(1)

LAYERS = [35, 20, 10, 2, 10, 20, 35]
LR = 0.001
SEEDS = 100
#: Epochs per turn: a full batch is one step an epoch, batch 1 is 32.
EPOCHS = {"full": 100, 1: 4}
NUMPY, FUSED_1, FUSED_2 = ("NumPy path, 1 thread", "fused (numba), 1 thread",
                            "fused (numba), 2 threads")
TARGET_US = 8.0  # fused, float32, full batch, 2 threads


def tp5(x, dtype, batch, engine, threads):
    """train(): ``EPOCHS[batch]`` more epochs of one pack; returns the seed-epochs done."""
    model = nets.Autoencoder(LAYERS, range(SEEDS), dtype=dtype)
    optimizer, epochs = nets.Adam(LR), EPOCHS[batch]
    batch_size = None if batch == "full" else batch

    def train():
        if engine == "numba":
            fused.set_threads(threads)
        with threadpool_limits(threads):
            model.fit(x, epochs=epochs, optimizer=optimizer, batch_size=batch_size,
                      engine=engine)
        return SEEDS * epochs
    return train


def torch_stacked(torch, x, dtype, batch):
    """train(): the pack as PyTorch stacks it, weights (S, n_in, n_out) and one bmm per layer,
    shuffled per member for batch 1 (one permutation per member, drawn by torch)."""
    dt = getattr(torch, dtype)
    data = torch.from_numpy(x).to(dt).expand(SEEDS, *x.shape).contiguous()
    params = []
    for n_in, n_out in zip(LAYERS[:-1], LAYERS[1:]):
        bound = (6 / (n_in + n_out)) ** 0.5
        params += [(torch.rand(SEEDS, n_in, n_out, dtype=dt) * 2 - 1).mul_(bound).requires_grad_(),
                   torch.zeros(SEEDS, 1, n_out, dtype=dt, requires_grad=True)]
    optimizer, epochs = torch.optim.Adam(params, lr=LR), EPOCHS[batch]

    def step(xb):
        a = xb
        for W, b in zip(params[::2], params[1::2]):
            a = torch.sigmoid(torch.baddbmm(b, a, W))
        loss = ((a - xb) ** 2).mean(dim=(1, 2)).sum()  # members' losses, each its own mean
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    def train():
        torch.set_num_threads(1)
        for _ in range(epochs):
            if batch == "full":
                step(data)
                continue
            order = torch.argsort(torch.rand(SEEDS, len(x)), dim=1)
            for k in range(len(x)):
                step(data[torch.arange(SEEDS), order[:, k]].unsqueeze(1))
        return SEEDS * epochs
    return train


def contenders(args, x, dtype, batch):
    found = {NUMPY: tp5(x, dtype, batch, "numpy", 1)}
    if fused.available():
        found[FUSED_1] = tp5(x, dtype, batch, "numba", 1)
        found[FUSED_2] = tp5(x, dtype, batch, "numba", 2)
    torch = None if args.no_torch else common.torch_or_none()
    if torch is not None:
        found["PyTorch bmm-stacked, 1 thread"] = torch_stacked(torch, x, dtype, batch)
    return found


def medians(trains, rounds):
    """Median microseconds per seed-epoch of each contender, once each is compiled and warm."""
    for train in trains.values():
        train()  # compiled, warmed up, buffers allocated
    return common.us_per_unit(trains, rounds)


def verdicts(speed_ups, fused_us):
    """The target's line and the cases where the fused path is 2x NumPy's speed on 1 thread."""
    target = fused_us.get(("float32", "full"))
    lines = ["target: fused float32 full batch on 2 threads <= 8 us per seed-epoch: " +
             ("not measured (numba not installed)" if target is None else
              f"{target:.3g} us, {'met' if target <= TARGET_US else 'NOT met'}")]
    fast = [f"{dtype} batch {batch}" for (dtype, batch), r in speed_ups.items() if r >= 2]
    lines.append("fused on 1 thread >= 2x NumPy: " + (", ".join(fast) or "in no case"))
    return "\n".join(lines)


def measure(args):
    if not fused.available():
        print("numba: not installed (pip install 'tp5[fast]'): the NumPy path's figures only")
    x = datasets.load("font").x_train
    rows, speed_ups, fused_us = [], {}, {}
    for dtype in ("float32", "float64"):
        for batch in ("full", 1):
            us = medians(contenders(args, x.astype(dtype), dtype, batch), args.rounds)
            base = us[NUMPY]
            rows += [[f"{dtype}, batch {batch}", label, v, base / v] for label, v in us.items()]
            if FUSED_1 in us:
                speed_ups[dtype, batch] = base / us[FUSED_1]
                fused_us[dtype, batch] = us[FUSED_2]
    print(common.table(rows, ["100 seeds, Adam", "contender", "us/seed-epoch",
                              "speed-up over NumPy"]))
    print("\n" + verdicts(speed_ups, fused_us))


if __name__ == "__main__":
    common.main(__doc__.splitlines()[0], measure, lambda p: p.add_argument(
        "--rounds", type=int, default=7, help="turns each contender takes"))
