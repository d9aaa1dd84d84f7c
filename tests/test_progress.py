"""Progress: packs report their epochs while they train, and the sweep's bar adds them up,
each pack weighted by its cost; in a log file, a plain line every few seconds."""

import io
import subprocess
import sys
import time

import pytest

from runner import parallel, plan, progress, store
from runner.config import load_experiment
from runner.training.pack import run_pack

YAML = """\
name: p
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 8, 2, 8, 35]]}
training: {epochs: 30, optimizers: [{name: adam, learning_rate: [0.01, 0.001]}]}
seeds: 3
"""
VAE = """\
name: v
dataset: {name: font}
model: {kind: vae, architectures: [[35, 8, 2, 8, 35]]}
training: {epochs: 7, batch_size: 8}
"""


def packs_of(tmp_path, text, workers=1):
    path = tmp_path / "p.yaml"
    path.write_text(text)
    return plan.pack("p", plan.expand(load_experiment(path)), workers)


def test_every_epoch_of_a_pack_is_reported(tmp_path):
    for text, epochs in ((YAML, 30), (VAE, 7)):
        [pack] = packs_of(tmp_path, text)
        seen = []
        run_pack(pack, seen.append)
        assert seen == list(range(1, epochs + 1))


def test_the_board_counts_running_packs_by_their_files_and_finished_ones_in_full(tmp_path):
    packs = packs_of(tmp_path, YAML, workers=2)  # two packs of 3 runs, 30 epochs
    weights = {packs[0].runs[0].id: 300.0, packs[1].runs[0].id: 30.0}
    board = progress.Board(packs, tmp_path / "results" / "p", lambda p: weights[p.runs[0].id])
    try:
        assert board.total == 330 and board.done() == 0
        report = progress.EpochFile(board.path(packs[0]), every=0)
        report(12)
        assert board.done() == 300 * 12 / 30  # an epoch adds the pack's weight / its epochs
        board.finish(packs[1].runs[0].id)
        assert board.done() == 300 * 12 / 30 + 30
    finally:
        board.close()
    assert not board.folder.exists()
    report(13)  # the sweep has gone: training goes on regardless


def test_one_mnist_run_moves_the_bar_more_than_a_hundred_font_runs(tmp_path):
    """The study's case: a pack of 100 font runs beside one MNIST VAE. Half the VAE's epochs
    is most of the work; all of the font pack is little of it."""
    font = packs_of(tmp_path, YAML.replace("seeds: 3", "seeds: 50"))  # 2 x 50 runs, one pack
    vae = packs_of(tmp_path, """\
name: v
dataset: {name: mnist}
model: {kind: vae, architectures: [[784, 512, 256, 2, 256, 512, 784]]}
training: {epochs: 20, batch_size: 128}
""")
    assert len(font) == len(vae) == 1 and len(font[0].runs) == 100
    board = progress.Board(font + vae, tmp_path / "results" / "p", parallel.cost)
    try:
        progress.EpochFile(board.path(vae[0]), every=0)(10)
        assert board.done() / board.total > 0.45
        board.finish(font[0].runs[0].id)
        progress.EpochFile(board.path(vae[0]), every=0)(0)
        assert board.done() / board.total < 0.05
    finally:
        board.close()


def test_a_board_left_by_a_killed_sweep_is_cleared_by_the_next_run(tmp_path):
    board = progress.Board(packs_of(tmp_path, YAML), tmp_path / "results" / "p", parallel.cost)
    assert board.folder.parent == tmp_path / "results" / "p"
    assert store.remove_temporaries(tmp_path / "results", "p") == 1
    assert not board.folder.exists()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_a_bar_and_a_file_gets_lines():
    assert isinstance(progress.progress_bar(10, "0/1 runs", file=Terminal()), progress.tqdm)
    assert isinstance(progress.progress_bar(10, "0/1 runs", file=io.StringIO()), progress.Lines)


@pytest.mark.slow
def test_in_a_log_file_the_bar_is_a_plain_line_every_few_seconds(tmp_path):
    (tmp_path / "p.yaml").write_text(YAML.replace("epochs: 30", "epochs: 3000"))
    log = tmp_path / "log"
    start = time.monotonic()
    with log.open("w") as stderr:
        result = subprocess.run([sys.executable, "-m", "runner.cli", "p.yaml", "--results", "r",
                                 "--no-site", "-j", "2"], cwd=tmp_path, stderr=stderr,
                                stdout=subprocess.DEVNULL, timeout=300)
    seconds = time.monotonic() - start
    assert result.returncode == 0
    lines = log.read_text().splitlines()
    assert 1 <= len(lines) <= 1 + seconds / progress.LINE_EVERY  # a bound, not a speed
    assert all(line.isprintable() for line in lines)  # no carriage returns, no escapes
    assert lines[-1].startswith("100% of the planned work") and lines[-1].endswith("6/6 runs")
