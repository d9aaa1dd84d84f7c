"""Progress: packs report their epochs while they train, and the sweep's bar adds them up."""

import subprocess
import sys

from runner import plan, progress, store, train
from runner.config import load_experiment

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
        train.run_pack(pack, seen.append)
        assert seen == list(range(1, epochs + 1))


def test_the_board_counts_running_packs_by_their_files_and_finished_ones_in_full(tmp_path):
    packs = packs_of(tmp_path, YAML, workers=2)  # two packs of 3 runs
    board = progress.Board(packs, tmp_path / "results" / "p")
    try:
        assert board.total == 6 * 30 and board.done() == 0
        report = progress.EpochFile(board.path(packs[0]), every=0)
        report(12)
        assert board.done() == 3 * 12
        board.finish(packs[1].runs[0].id)
        assert board.done() == 3 * 12 + 3 * 30
    finally:
        board.close()
    assert not board.folder.exists()
    report(13)  # the sweep has gone: training goes on regardless


def test_a_board_left_by_a_killed_sweep_is_cleared_by_the_next_run(tmp_path):
    board = progress.Board(packs_of(tmp_path, YAML), tmp_path / "results" / "p")
    assert board.folder.parent == tmp_path / "results" / "p"
    assert store.remove_temporaries(tmp_path / "results", "p") == 1
    assert not board.folder.exists()


def test_the_bar_ends_full_with_every_run_counted(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(YAML)
    result = subprocess.run([sys.executable, "-m", "runner.cli", path, "--results", "r",
                             "--no-site", "-j", "2"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0
    last = result.stderr.replace("\r", "\n").strip().splitlines()[-1]
    assert last.startswith("100%") and "180/180" in last and "6/6 runs" in last
