"""The Python API (tp5) and the tables every sweep writes (runner.tables), on the tiny store of
conftest.py and on a sweep run from Python."""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tp5
from runner import datasets, store, tables

README = Path(__file__).parent.parent / "README.md"


def _leaves(data: dict, prefix: str = "") -> dict:
    """metrics.json's scalars by dotted path, as a reader of the file would find them."""
    found = {}
    for name, value in data.items():
        if isinstance(value, dict):
            found |= _leaves(value, f"{prefix}{name}.")
        elif not isinstance(value, list):
            found[prefix + name] = value
    return found


def _same(a, b) -> bool:
    missing = a is None or (isinstance(a, float) and math.isnan(a))
    return (b is None or (isinstance(b, float) and math.isnan(b))) if missing else a == b


@pytest.mark.parametrize("name", ["font-ae", "font-denoise", "vae-digits", "font-tanh"])
def test_runs_frame_holds_every_stored_metric_and_the_configuration(tiny_results, name):
    exp = tp5.load(tiny_results / name)
    plan = [s.id for s in store.read_plan(tiny_results, name)]
    assert exp.runs.id.tolist() == plan
    for row in exp.runs.to_dict("records"):
        folder = tiny_results / name / row["id"]
        metrics = _leaves(json.loads((folder / "metrics.json").read_text()))
        assert metrics and all(_same(row[k], v) for k, v in metrics.items()), row["id"]
        spec = json.loads((folder / "run.json").read_text())
        assert row["architecture"] == "-".join(map(str, spec["architecture"]))
        assert (row["optimizer"], row["learning_rate"]) == (
            spec["optimizer"]["name"],
            spec["optimizer"]["learning_rate"],
        )
        assert (row["seed"], row["init"], row["normalize"]) == (
            spec["seed"],
            spec["init"],
            spec["normalize"],
        )
        assert _same(row["noise_level"], (spec["noise"] or {}).get("level"))


def test_every_run_field_is_a_column_or_bookkeeping(tiny_results):
    """A field added to run.json shows in the tables unless it is named bookkeeping."""
    for name in ("font-denoise", "vae-digits"):
        spec = tables.planned(tiny_results, name)[0].spec
        fields = set(spec.model_dump(mode="json")) - tables.BOOKKEEPING  # what run.json holds
        nested = set(type(spec.optimizer).model_fields) - {"name"} | {
            "noise_level",
            "noise_eval_draws",
        }
        assert set(tables.configuration(spec)) == {"id", *fields, *nested}


def test_sweep_writes_the_tables_without_a_site(tiny_results):
    exp = tp5.load(tiny_results / "font-ae")
    written = pd.read_csv(tiny_results / "font-ae" / tables.RUNS)
    assert _records(written) == _records(exp.runs)
    with gzip.open(tiny_results / "font-ae" / tables.HISTORY, "rt") as f:
        assert _records(pd.read_csv(f)) == _records(exp.history())


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows with None for every missing value, whichever of None and NaN the frame holds."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def test_history_is_a_row_per_epoch_with_the_columns_that_vary(tiny_results):
    exp = tp5.load(tiny_results / "font-ae")
    history = exp.history()
    assert history.columns.tolist() == [
        "id",
        "architecture",
        "learning_rate",
        "normalize",
        "seed",
        "epoch",
        "loss",
        "wrong_max",
    ]
    assert len(history) == 300 * len(exp.runs)
    run = tables.planned(tiny_results, "font-ae")[3]
    one = exp.history(run.id)
    assert one.epoch.tolist() == list(range(1, 301))
    assert np.array_equal(one.loss, run.history["loss"])
    assert set(one.learning_rate) == {run.spec.optimizer.learning_rate}
    chosen = exp.history(learning_rate=0.02, seed=1)
    assert set(chosen.id) == set(exp.select(learning_rate=0.02, seed=1).id)
    assert len(set(chosen.id)) == 4


@pytest.mark.parametrize("name", ["font-ae", "font-tanh"])
def test_decoding_the_encoded_characters_gives_the_stored_reconstruction(tiny_results, name):
    x = datasets.load("font").x_train  # (32, 35)
    exp = tp5.load(tiny_results / name)
    for row in exp.runs.to_dict("records"):
        model = exp.model(row["id"])
        codes = model.encode(x.reshape(32, 7, 5))
        assert codes.shape == (32, 2)
        out = model.decode(codes)
        assert out.shape == (32, 7, 5) and out.min() >= 0 and out.max() <= 1
        wrong = ((out > 0.5) != (x.reshape(32, 7, 5) > 0.5)).sum(axis=(1, 2))
        assert wrong.mean() == row["wrong_pixels.mean"] and wrong.max() == row["wrong_pixels.max"]
        assert np.mean((out.reshape(32, 35) - x) ** 2) == pytest.approx(row["mse"], rel=1e-9)
        assert np.array_equal(model.encode(x), codes)  # rows (n, 35) as well as pictures


def test_a_vae_sample_is_the_same_for_the_same_seed(tiny_results):
    exp = tp5.load(tiny_results / "vae-digits")
    model = exp.model(seed=1)
    first = model.sample(5, seed=3)
    assert first.shape == (5, 28, 28) and 0 <= first.min() and first.max() <= 1
    assert np.array_equal(first, model.sample(5, seed=3))
    assert not np.array_equal(first, model.sample(5, seed=4))
    assert model.decode([[0.5, -1.0]]).shape == (1, 28, 28)


def test_a_model_must_be_named_unambiguously(tiny_results):
    exp = tp5.load(tiny_results / "font-ae")
    with pytest.raises(ValueError, match=r"8 runs of font-ae match; .*seed \(0, 1\)"):
        exp.model(architecture="35-2-35")
    with pytest.raises(ValueError, match="no run of font-ae has architecture='35-3-35'"):
        exp.model(architecture="35-3-35")
    with pytest.raises(KeyError, match="no column 'arch'"):
        exp.model(arch="35-2-35")
    with pytest.raises(ValueError, match="an autoencoder, which has no prior"):
        exp.model(exp.runs.id[0]).sample(1)
    with pytest.raises(ValueError, match=r"expected codes of shape \(n, 2\)"):
        exp.model(exp.runs.id[0]).decode([0.5, -1.0])


def test_loading_a_folder_that_is_no_experiment_says_what_it_holds(tiny_results, tmp_path):
    with pytest.raises(FileNotFoundError, match="holds the experiments font-ae, font-denoise"):
        tp5.load(tiny_results)
    with pytest.raises(FileNotFoundError, match="holds no experiment"):
        tp5.load(tmp_path)


def test_without_pandas_load_says_how_to_install_it(tiny_results, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ImportError, match=re.escape("pip install 'tp5[pandas]'")):
        tp5.load(tiny_results / "font-ae")


def test_site_downloads_are_the_stores_tables_linked(tiny_results, tiny_site):
    offered = tiny_site / "font-ae" / "downloads"
    for name in (tables.RUNS, tables.HISTORY):
        assert os.path.samefile(offered / name, tiny_results / "font-ae" / name)


DENOISING = """\
name: denoising
dataset: {name: font}
model:
  kind: autoencoder
  architectures: [[35, 20, 2, 20, 35], [35, 2, 35]]
training:
  epochs: 1000
  optimizers: [{name: adam, learning_rate: 0.01}]
noise: {kind: bitflip, levels: [0.05, 0.2], eval_draws: 2, floor_draws: 4096}
seeds: 3
"""


def test_run_with_overrides_then_the_readme_example(tmp_path, monkeypatch):
    path = tmp_path / "denoising.yaml"
    path.write_text(DENOISING)
    exp = tp5.run(
        path,
        results=tmp_path / "results",
        site=None,
        quiet=True,
        jobs=1,
        seeds=1,
        training__epochs=20,
        **{"noise.levels": [0.2]},
    )
    assert len(exp.runs) == 2 and set(exp.runs.seed) == {0} and set(exp.runs.epochs) == {20}
    assert set(exp.runs.noise_level) == {0.2} and len(exp.history()) == 40
    assert not (tmp_path / "site").exists()
    with pytest.raises(ValueError, match="the input is wrong"):
        tp5.run(path, results=tmp_path / "results", site=None, quiet=True, seeds=0)

    example = README.read_text().split("## Results in Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", example, re.DOTALL).group(1)
    lines = [line for line in code.splitlines() if line.strip()]  # blank lines aside
    assert len(lines) == 3
    monkeypatch.chdir(tmp_path)  # where the example's results/denoising is
    *first, last = lines
    namespace = {}
    exec("\n".join(first), namespace)  # noqa: S102 - the README's code, as a reader runs it
    picture = eval(last, namespace)
    assert picture.shape == (1, 7, 5) and 0 <= picture.min() and picture.max() <= 1
