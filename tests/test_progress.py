"""Progress: packs report their epochs and seconds while they train, the sweep reads them into
its estimate, and the bar shows the estimate's share and time left, never going back; in a log
file, a plain line every few seconds."""

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


def test_the_board_reads_running_packs_reports_and_finished_packs_seconds(tmp_path):
    packs = packs_of(tmp_path, YAML, workers=2)  # two packs of 3 runs, 30 epochs
    first, second = (p.runs[0].id for p in packs)
    board = progress.Board(packs, tmp_path / "results" / "p", lambda p: 1.0, workers=2)
    try:
        assert board.forecast().done == 0 and board.forecast().wall_left is None
        report = progress.EpochFile(board.path(packs[0]), every=0)
        report(12)
        board.finish(second, 4.0)
        forecast = board.forecast()
        assert board.seen[first].last[0] == 12 and board.seen[second].finished
        assert forecast.done == 4.0 + board.seen[first].last[1]
    finally:
        board.close()
    assert not board.folder.exists()
    report(13)  # the sweep has gone: training goes on regardless


def test_one_mnist_run_moves_the_bar_more_than_a_hundred_font_runs(tmp_path):
    """The study's case: a pack of 100 font runs waits beside one MNIST VAE. Half the VAE's
    epochs is most of the work: the font pack's static cost is small beside it."""
    font = packs_of(tmp_path, YAML.replace("seeds: 3", "seeds: 50"))  # 2 x 50 runs, one pack
    vae = packs_of(
        tmp_path,
        """\
name: v
dataset: {name: mnist}
model: {kind: vae, architectures: [[784, 512, 256, 2, 256, 512, 784]]}
training: {epochs: 20, batch_size: 128}
""",
    )
    assert len(font) == len(vae) == 1 and len(font[0].runs) == 100
    board = progress.Board(vae + font, tmp_path / "results" / "p", parallel.cost, workers=1)
    try:
        (board.folder / vae[0].runs[0].id).write_text("10 60.0")
        assert board.forecast().share > 0.45
    finally:
        board.close()


def test_the_bar_never_goes_back_and_ends_with_the_estimate():
    """A slow kind of pack measured late halves the estimate: the bar holds, then moves as the
    estimate's share of the work left moves, and reaches the end with it."""
    forward = progress.Forward()
    shown = [forward(e) for e in (0.2, 0.5, 0.25, 0.25, 0.5, 0.75, 0.9, 1.0)]
    assert shown[:4] == [0.2, 0.5, 0.5, 0.5]
    assert all(b > a for a, b in zip(shown[3:], shown[4:]))
    assert shown[4] == 0.5 + 0.5 * (0.5 - 0.25) / 0.75  # half its room: the estimate's third
    assert shown[-1] == 1.0
    assert [forward(e) for e in (0.3, 0.4)] == [1.0, 1.0]


def test_a_board_left_by_a_killed_sweep_is_cleared_by_the_next_run(tmp_path):
    board = progress.Board(
        packs_of(tmp_path, YAML), tmp_path / "results" / "p", parallel.cost, workers=1
    )
    assert board.folder.parent == tmp_path / "results" / "p"
    assert store.remove_temporaries(tmp_path / "results", "p") == 1
    assert not board.folder.exists()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_a_bar_and_a_file_gets_lines():
    assert isinstance(progress.progress_bar("0/1 runs", file=Terminal()), progress.tqdm)
    assert isinstance(progress.progress_bar("0/1 runs", file=io.StringIO()), progress.Lines)


def test_the_bar_and_the_lines_show_the_estimates_time_left():
    for file in (Terminal(), io.StringIO()):
        bar = progress.progress_bar("0/1 runs", file=file)
        bar.update(40)
        bar.left = progress.time_left(3725)
        bar.close()
        assert "1:02:05" in file.getvalue() and " 40%" in file.getvalue()


@pytest.mark.slow
def test_in_a_log_file_the_bar_is_a_plain_line_every_few_seconds(tmp_path):
    (tmp_path / "p.yaml").write_text(YAML.replace("epochs: 30", "epochs: 3000"))
    log = tmp_path / "log"
    start = time.monotonic()
    with log.open("w") as stderr:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "runner.cli",
                "p.yaml",
                "--results",
                "r",
                "--no-site",
                "-j",
                "2",
            ],
            cwd=tmp_path,
            stderr=stderr,
            stdout=subprocess.DEVNULL,
            timeout=300,
        )
    seconds = time.monotonic() - start
    assert result.returncode == 0
    lines = log.read_text().splitlines()
    assert 1 <= len(lines) <= 1 + seconds / progress.LINE_EVERY  # a bound, not a speed
    assert all(line.isprintable() for line in lines)  # no carriage returns, no escapes
    assert lines[-1].startswith("100% of the planned work") and lines[-1].endswith("6/6 runs")
