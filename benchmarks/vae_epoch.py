"""One VAE epoch on MNIST-shaped data: 60,000 x 784 binary pixels, 784-512-256-2-256-512-784,
ReLU, batch 128, float32, Adam; tp5 against PyTorch CPU, both as a share of the float32 matmul
peak measured at the start.

    python benchmarks/vae_epoch.py [--parts 10] [--no-torch]

The epoch is timed in ``--parts`` equal parts (each shuffled on its own, the same work per
batch), the contenders taking turns part by part so that a change in the machine's load hits
them alike; an epoch's time is the median part times the number of parts. Work is counted as the
matrix products only: 2 flops per multiply-add, forward, weight gradients and input gradients
(none for the input layer). The peak is the faster of a 2048 x 2048 float32 product on all cores
and on one. tp5 runs as the runner runs such a pack: each step cut into the plan's fixed parts
(nets.split), on as many threads as there are parts and cores, and on one; PyTorch on the same
thread counts; and tp5's step unsplit on BLAS's threads, as tp5 ran it before the split.
"""

import common
import numpy as np
from threadpoolctl import threadpool_limits

import nets
from nets import fused
from nets.split import Split
from runner.plan import cpu_count, parts_of

LAYERS = [784, 512, 256, 2, 256, 512, 784]
N, BATCH, LR = 60_000, 128, 1e-3


def data():
    """60,000 binary images with MNIST's share of lit pixels (about 13 %), as float32."""
    rng = np.random.default_rng(0)
    return (rng.random((N, 784), dtype=np.float32) < 0.13).astype(np.float32)


def flops_per_epoch():
    """Matrix-product flops of one epoch: forward, weight gradients, input gradients."""
    Z = min(LAYERS)
    zi = LAYERS.index(Z)
    shapes = (
        list(zip(LAYERS[: zi - 1], LAYERS[1:zi]))
        + [(LAYERS[zi - 1], Z)] * 2
        + list(zip(LAYERS[zi:-1], LAYERS[zi + 1 :]))
    )
    weights = sum(a * b for a, b in shapes)
    first = LAYERS[0] * LAYERS[1]
    return 2 * N * (3 * weights - first)


def tp5_trainer(threads, parts=None, compiled=False):
    """A function training one part of the data for one epoch: its steps cut into ``parts``
    (nets.split) on ``threads`` threads, or unsplit on ``threads`` BLAS threads; ``compiled``:
    Adam's compiled update (numba)."""
    model = nets.VAE(LAYERS, [0])
    optimizer = nets.Adam(LR, compiled=compiled)

    def train(part):
        with threadpool_limits(threads), Split(parts or 1, threads) as split:
            model.fit(
                part,
                epochs=1,
                optimizer=optimizer,
                batch_size=BATCH,
                split=split if parts else None,
            )

    return train


def torch_trainer(torch, threads):
    """The same, for a VAE as a user writes it in PyTorch: nn.Linear layers, BCE with logits
    plus KL, a shuffled index split into batches."""
    nn, F = torch.nn, torch.nn.functional

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc1, self.enc2 = nn.Linear(784, 512), nn.Linear(512, 256)
            self.mu, self.logvar = nn.Linear(256, 2), nn.Linear(256, 2)
            self.dec1, self.dec2, self.dec3 = (
                nn.Linear(2, 256),
                nn.Linear(256, 512),
                nn.Linear(512, 784),
            )

        def forward(self, x):
            h = F.relu(self.enc2(F.relu(self.enc1(x))))
            mu, logvar = self.mu(h), self.logvar(h)
            z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
            return self.dec3(F.relu(self.dec2(F.relu(self.dec1(z))))), mu, logvar

    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)

    def train(part):
        torch.set_num_threads(threads)
        rows = torch.from_numpy(part)
        for idx in torch.randperm(len(rows)).split(BATCH):
            batch = rows[idx]
            logits, mu, logvar = model(batch)
            recon = F.binary_cross_entropy_with_logits(logits, batch, reduction="sum")
            kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
            loss = (recon + kl) / len(batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    return train


def epochs(trainers, x, parts):
    """Seconds per epoch of each trainer, taking turns part by part."""
    size = N // parts
    for train in trainers.values():
        train(x[: BATCH * 4])  # warm up
    times = {label: [] for label in trainers}
    for i in range(parts):
        for label, train in trainers.items():
            times[label].append(common.timed(train, x[i * size : (i + 1) * size]))
    return {label: common.median(t) * parts for label, t in times.items()}


def measure(args):
    cores = cpu_count()
    parts = parts_of(LAYERS, BATCH)  # as the plan cuts such a run's steps
    most = min(cores, parts)
    all_cores = common.matmul_peak()
    one_core = common.matmul_peak(threads=1)
    peak = max(all_cores, one_core)
    print(
        f"float32 matmul peak (2048 x 2048): {all_cores:.0f} GFLOP/s on all cores, "
        f"{one_core:.0f} on one; peak = {peak:.0f}"
    )
    x = data()
    work = flops_per_epoch()
    torch = None if args.no_torch else common.torch_or_none()
    compiled = fused.available()
    way = "the runner's way" + (", Adam compiled" if compiled else "")
    trainers = {}
    for threads in sorted({most, 1}, reverse=True):
        s = "s" * (threads > 1)
        trainers[f"tp5, {parts} parts on {threads} thread{s} ({way})"] = tp5_trainer(
            threads, parts, compiled
        )
        if torch is not None:
            trainers[f"PyTorch, {threads} thread{s}"] = torch_trainer(torch, threads)
    if compiled:
        trainers[f"tp5, {parts} parts on {most} threads, NumPy's Adam"] = tp5_trainer(most, parts)
    trainers[f"tp5 unsplit, {most} BLAS threads (before the split)"] = tp5_trainer(most)
    seconds = epochs(trainers, x, args.parts)
    table = [
        [label, t, work / t / 1e9, 100 * work / t / 1e9 / peak] for label, t in seconds.items()
    ]
    print(
        common.table(
            table, ["one epoch, 60,000 x 784, batch 128", "seconds", "GFLOP/s", "% of peak"]
        )
    )
    ours = [label for label in seconds if "runner's way" in label]
    for label in ours if torch is not None else []:
        theirs = label.replace(f"tp5, {parts} parts on", "PyTorch,").replace(f" ({way})", "")
        print(f"{label} / {theirs}: {seconds[label] / seconds[theirs]:.2f} (target <= 0.8)")
    before = next(label for label in seconds if "before" in label)
    print(
        f"{ours[0]} / {before}: {seconds[ours[0]] / seconds[before]:.2f} "
        f"(the NumPy path no slower than before: <= 1)"
    )


if __name__ == "__main__":
    common.main(
        __doc__.splitlines()[0],
        measure,
        lambda p: p.add_argument(
            "--parts", type=int, default=10, help="the epoch is timed in this many parts"
        ),
    )
