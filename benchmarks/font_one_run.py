"""One font autoencoder, 35-20-10-2-10-20-35, sigmoid, MSE, Adam, full batch, 10,000 epochs:
tp5 against PyTorch CPU written the way a user writes it (nn.Sequential, nn.MSELoss,
torch.optim.Adam), from the same initial weights, in float64.

    python benchmarks/font_one_run.py [--epochs 10000] [--no-torch]

Both train on the same 32 glyphs from tp5's initial weights with Adam's usual rate 0.001
(PyTorch's default). The losses agree to round-off at first; two float64 implementations that sum
in different orders then drift apart as training amplifies round-off, so the check prints how many
epochs agree to 5 significant digits, and, as a control, where tp5 departs from itself when its
initial weights move by one unit in the last place. Times are medians over chunks of epochs.
tp5 runs as the runner runs a font pack: one BLAS thread. PyTorch runs with its default threads
(what a user gets) and with one thread; the ratio is taken against the faster of the two.
"""

import common
import numpy as np
from threadpoolctl import threadpool_limits

import nets
from runner import datasets

LAYERS = [35, 20, 10, 2, 10, 20, 35]
LR = 0.001  # PyTorch's default for Adam
CHUNKS = 10


def tp5_trainer(x, nudge=False):
    """(train(n): n more epochs with one BLAS thread, the list of losses, initial parameters);
    ``nudge`` moves every initial weight by one unit in the last place."""
    model = nets.Autoencoder(LAYERS, [0])
    if nudge:
        model._flat[...] = np.nextafter(model._flat, np.inf)
    optimizer = nets.Adam(LR)
    losses = []

    def train(n):
        with threadpool_limits(1):
            losses.extend(model.fit(x, epochs=n, optimizer=optimizer)["loss"][0])

    return train, losses, model.member_params(0)


def torch_model(torch, initial):
    """The same network in torch.nn, holding tp5's initial weights (Linear keeps W transposed)."""
    modules = []
    for i, (n_in, n_out) in enumerate(zip(LAYERS[:-1], LAYERS[1:])):
        linear = torch.nn.Linear(n_in, n_out, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(initial[f"{i}.W"].T))
            linear.bias.copy_(torch.from_numpy(initial[f"{i}.b"][0]))
        modules += [linear, torch.nn.Sigmoid()]
    return torch.nn.Sequential(*modules)


def torch_trainer(torch, x, initial, threads):
    """(train(n), losses) as a user writes it: zero_grad, forward, loss, backward, step."""
    model = torch_model(torch, initial)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = torch.nn.MSELoss()
    data = torch.from_numpy(x)
    losses = []

    def train(n):
        default = torch.get_num_threads()
        torch.set_num_threads(threads)
        for _ in range(n):
            optimizer.zero_grad()
            loss = loss_fn(model(data), data)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        torch.set_num_threads(default)

    return train, losses


def per_epoch(trainers, epochs):
    """Median seconds per epoch of each trainer, taking turns chunk by chunk so that a change in
    the machine's load hits them alike."""
    n = epochs // CHUNKS
    times = {label: [] for label in trainers}
    for _ in range(CHUNKS):
        for label, train in trainers.items():
            times[label].append(common.timed(train, n) / n)
    return {label: common.median(t) for label, t in times.items()}


def agreement(a, b, digits=5):
    """How many leading epochs agree to ``digits`` significant digits (relative difference below
    10**-digits), the largest relative difference among them, and the one at the last epoch."""
    rel = np.abs(a - b) / np.abs(b)
    off = np.flatnonzero(rel >= 10.0**-digits)
    n = int(off[0]) if off.size else len(rel)
    return n, float(rel[:n].max()) if n else float("nan"), float(rel[-1])


def print_agreement(label, a, b):
    n, worst, last = agreement(a, b)
    print(
        f"  {label}: the first {n:,} of {len(a):,} epochs agree to 5 digits (largest "
        f"difference among them {worst:.0e}); last epoch differs by {last:.0e}"
    )


def measure(args):
    x = datasets.load("font").x_train  # (32, 35) float64
    train, tp5_loss, initial = tp5_trainer(x)
    trainers, losses = {"tp5 (1 BLAS thread)": train}, {}
    torch = None if args.no_torch else common.torch_or_none()
    if torch is not None:
        for threads in (torch.get_num_threads(), 1):
            label = f"PyTorch ({threads} thread{'s' * (threads > 1)}" + (
                ", default)" if threads == torch.get_num_threads() else ")"
            )
            trainers[label], losses[label] = torch_trainer(torch, x, initial, threads)
    times = per_epoch(trainers, args.epochs)
    tp5 = times["tp5 (1 BLAS thread)"]
    rows = [[label, t * 1e6, t / tp5] for label, t in times.items()]
    print(common.table(rows, [f"one run, {args.epochs:,} epochs", "us/epoch", "x tp5"]))
    if torch is None:
        return
    best = min(t for label, t in times.items() if label in losses)
    print(f"\ntp5 / fastest PyTorch, time per epoch: {tp5 / best:.3f}  (target <= 0.15)")
    print(
        f"final loss: tp5 {tp5_loss[-1]:.6g}, "
        + ", ".join(f"{label} {v[-1]:.6g}" for label, v in losses.items())
    )
    print("losses, relative differences epoch by epoch:")
    tp5_loss = np.array(tp5_loss)
    for label, values in losses.items():
        print_agreement(f"tp5 vs {label}", tp5_loss, np.array(values))
    control, control_loss, _ = tp5_trainer(x, nudge=True)
    control(args.epochs)
    print_agreement("control, tp5 vs tp5 from weights 1 ulp away", np.array(control_loss), tp5_loss)


if __name__ == "__main__":
    common.main(
        __doc__.splitlines()[0],
        measure,
        lambda p: p.add_argument(
            "--epochs", type=int, default=10_000, help="epochs (a multiple of 10)"
        ),
    )
