"""100 seeds of the font autoencoder (35-20-10-2-10-20-35, sigmoid, MSE, Adam, full batch), in
microseconds per seed-epoch: tp5 packed as one ensemble, tp5 packed on two worker processes
(as ``tp5-run -j 2`` runs it), tp5 one run at a time, PyTorch one run at a time.

    python benchmarks/font_seeds.py [--rounds 10] [--no-torch]

The contenders take turns, a chunk of epochs each per round, so that a change in the machine's
load hits them alike; figures are medians over the rounds. The one-at-a-time contenders train a
fresh seed each round, fewer epochs than the packs (their cost per epoch does not change with
the epoch count). The two-worker figure is wall time for two processes of 50 members each,
measured on its own after the rounds. float64 is the font's default; float32 is the speed option
(``training.dtype: float32``).
"""

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import common
from threadpoolctl import threadpool_limits

import nets
from runner import datasets

LAYERS = [35, 20, 10, 2, 10, 20, 35]
LR = 0.001
SEEDS = 100


def packed(x, seeds, dtype, epochs):
    """train(): ``epochs`` more epochs of one ensemble of ``seeds``; returns seed-epochs done."""
    model = nets.Autoencoder(LAYERS, seeds, dtype=dtype)
    optimizer = nets.Adam(LR)

    def train():
        with threadpool_limits(1):
            model.fit(x, epochs=epochs, optimizer=optimizer)
        return len(seeds) * epochs

    return train


def one_at_a_time(x, epochs):
    """train(): a fresh seed, built and trained alone for ``epochs``."""
    seeds = iter(range(10**6))

    def train():
        with threadpool_limits(1):
            nets.Autoencoder(LAYERS, [next(seeds)]).fit(x, epochs=epochs, optimizer=nets.Adam(LR))
        return epochs

    return train


def torch_one_at_a_time(torch, x, epochs, threads):
    """train(): a fresh PyTorch model trained alone, as a user writes it."""
    data = torch.from_numpy(x)

    def train():
        default = torch.get_num_threads()
        torch.set_num_threads(threads)
        modules = []
        for n_in, n_out in zip(LAYERS[:-1], LAYERS[1:]):
            modules += [torch.nn.Linear(n_in, n_out, dtype=torch.float64), torch.nn.Sigmoid()]
        model = torch.nn.Sequential(*modules)
        optimizer = torch.optim.Adam(model.parameters(), lr=LR)
        loss_fn = torch.nn.MSELoss()
        for _ in range(epochs):
            optimizer.zero_grad()
            loss_fn(model(data), data).backward()
            optimizer.step()
        torch.set_num_threads(default)
        return epochs

    return train


def _worker(seeds, dtype, epochs):
    x = datasets.load("font").x_train
    packed(x, seeds, dtype, epochs)()


def two_workers(dtype, epochs):
    """Seconds per seed-epoch, wall, of two processes training 50 members each."""
    halves = [list(range(SEEDS // 2)), list(range(SEEDS // 2, SEEDS))]
    # fresh processes, as tp5-run's workers are (and no fork of a process running PyTorch)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_worker, halves, [dtype] * 2, [2] * 2))  # processes started, imports done
        seconds = common.timed(lambda: list(pool.map(_worker, halves, [dtype] * 2, [epochs] * 2)))
    return seconds / (SEEDS * epochs)


def measure(args):
    x = datasets.load("font").x_train
    seeds = list(range(SEEDS))
    contenders = {
        "tp5 packed, one ensemble of 100, float64": packed(x, seeds, "float64", 100),
        "tp5 packed, one ensemble of 100, float32": packed(x, seeds, "float32", 100),
        "tp5 one run at a time, float64": one_at_a_time(x, 200),
    }
    torch = None if args.no_torch else common.torch_or_none()
    if torch is not None:
        default = torch.get_num_threads()
        contenders[f"PyTorch one run at a time ({default} threads, default)"] = torch_one_at_a_time(
            torch, x, 50, default
        )
        contenders["PyTorch one run at a time (1 thread)"] = torch_one_at_a_time(torch, x, 50, 1)
    times = {label: [] for label in contenders}
    for _ in range(args.rounds):
        for label, train in contenders.items():
            start = time.perf_counter()
            seed_epochs = train()
            times[label].append((time.perf_counter() - start) / seed_epochs)
    us = {label: common.median(t) * 1e6 for label, t in times.items()}
    for dtype in ("float64", "float32"):
        us[f"tp5 packed, 2 workers x 50 (-j 2), {dtype}"] = two_workers(dtype, 1000) * 1e6
    base = us["tp5 packed, one ensemble of 100, float64"]
    rows = [[label, v, v / base] for label, v in us.items()]
    print(common.table(rows, ["100 seeds, Adam, full batch", "us/seed-epoch", "x packed float64"]))
    best = min(v for label, v in us.items() if label.startswith("tp5 packed"))
    print(f"\nfastest tp5 packing: {best:.1f} us per seed-epoch (target <= 8)")
    if torch is not None:
        fastest_torch = min(v for label, v in us.items() if label.startswith("PyTorch"))
        print(
            f"PyTorch one at a time (faster setting) / tp5 packed float64: "
            f"{fastest_torch / base:.0f}x"
        )


if __name__ == "__main__":
    common.main(
        __doc__.splitlines()[0],
        measure,
        lambda p: p.add_argument(
            "--rounds", type=int, default=10, help="turns each contender takes"
        ),
    )
