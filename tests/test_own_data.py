"""Your own data through the YAML: the README's six lines train a VAE on a folder of PNGs, bad
data is one line with its file (and the YAML's line where the headers already tell), and the
data's bytes are part of every run's id."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pictures import write_pngs
from runner import datasets, plan, store
from runner.config import ConfigError, load_experiment, schema
from runner.training.pack import run_pack
from test_fontfile import embedded_as_header

REPO = Path(__file__).resolve().parent.parent


def readme_yaml() -> str:
    """The README's YAML that trains a VAE on a folder of PNGs, exactly as printed."""
    text = (REPO / "README.md").read_text()
    section = text[text.index("## Your own data") :]
    return re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)


def tp5(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "runner.cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow  # trains through tp5-run
def test_the_readmes_six_lines_train_a_vae_on_a_folder_of_pngs(tmp_path):
    assert len(readme_yaml().splitlines()) == 6
    write_pngs(tmp_path / "pictures", n=40, size=(20, 24), mode="RGBA")  # resized to 16x16
    (tmp_path / "mine.yaml").write_text(readme_yaml())
    done = tp5(
        "mine.yaml",
        "training.epochs=2",
        "snapshots=[1,2]",
        "--no-site",
        "-q",
        "--results",
        "r",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    [run] = store.load_runs(tmp_path / "r", "my-pictures")
    assert run.spec.dataset == "images" and run.spec.architecture[0] == 256
    assert run.spec.dataset_options == {"size": [16, 16], "color": "grey"}
    assert run.metrics.status == "ok"


def experiment(tmp_path, dataset: str, architecture="[256, 2, 256]", overrides=()):
    path = tmp_path / "x.yaml"
    path.write_text(
        f"name: x\ndataset: {dataset}\n"
        f"model: {{kind: autoencoder, architectures: [{architecture}]}}\n"
        "training: {epochs: 3}\n"
    )
    return load_experiment(path, overrides)


def problems(tmp_path, dataset: str, architecture="[256, 2, 256]") -> list[str]:
    with pytest.raises(ConfigError) as err:
        experiment(tmp_path, dataset, architecture)
    return err.value.problems


def test_the_width_check_names_the_datas_shape(tmp_path):
    write_pngs(tmp_path / "p", n=2, size=(16, 16), mode="RGB")
    yaml = tmp_path / "x.yaml"
    assert problems(tmp_path, "{name: images, path: p}", "[784, 2, 784]") == [
        f"{yaml}:3:45: model.architectures[0][0]: the images are 16x16 RGB: 768 inputs, got 784",
        f"{yaml}:3:53: model.architectures[0][2]: the images are 16x16 RGB: 768 inputs, got 784",
    ]
    assert experiment(tmp_path, "{name: images, path: p}", "[768, 2, 768]").dataset.info.shape == (
        16,
        16,
        3,
    )


@pytest.mark.parametrize(
    "make, dataset, message",
    [
        (lambda d: (d / "p").mkdir(), "{name: images, path: p}", "{d}/p is empty; it must hold"),
        (
            lambda d: (
                write_pngs(d / "p", n=1) and (d / "p" / "01.png").write_bytes(b"\x89PNG junk")
            ),
            "{name: images, path: p}",
            "{d}/p/01.png is not a readable image (",
        ),
        (
            lambda d: (d / "f.h").write_text("int x;\n"),
            "{name: font, path: f.h}",
            "{d}/f.h holds no font",
        ),
        (
            lambda d: (d / "f.h").write_text(embedded_as_header()),
            "{name: font, path: f.h, font: F}",
            "{d}/f.h has no font 'F'; it has Font3",
        ),
    ],
    ids=["empty folder", "corrupt png", "font.h without arrays", "font not in the file"],
)
def test_what_the_headers_show_is_a_line_of_the_yaml(tmp_path, make, dataset, message):
    make(tmp_path)
    [line] = problems(tmp_path, dataset)
    assert line.startswith(f"{tmp_path / 'x.yaml'}:2:") and ": dataset.path: " in line
    assert message.format(d=tmp_path) in line


def test_what_only_the_values_show_skips_the_experiment_before_training(tmp_path):
    x = np.full((5, 16, 16), 0.5)
    x[3, 2, 2] = np.nan
    np.save(tmp_path / "a.npy", x)
    (tmp_path / "x.yaml").write_text(
        "name: x\ndataset: {name: array, path: a.npy}\n"
        "model: {kind: autoencoder, architectures: [[256, 2, 256]]}\ntraining: {epochs: 3}\n"
    )
    done = tp5("x.yaml", "--no-site", "-q", "--results", "r", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"x: dataset array: {tmp_path / 'a.npy'} row 3: nan at value 34")
    assert not store.load_runs(tmp_path / "r", "x")


def test_a_changed_or_added_image_makes_the_runs_stale(tmp_path):
    write_pngs(tmp_path / "p", n=4, size=(16, 16))

    def planned():
        return plan.expand(experiment(tmp_path, "{name: images, path: p}"))

    def ids():
        return [r.id for r in planned()]

    def questions():
        return [plan.question(r.model_dump(mode="json")) for r in planned()]

    first, asked = ids(), questions()
    assert ids() == first
    write_pngs(tmp_path / "p", n=1, size=(16, 16), seed=9)  # 00.png changes
    changed = ids()
    write_pngs(tmp_path / "p", n=1, size=(16, 16), names="new.png")
    added = ids()
    assert len({first[0], changed[0], added[0]}) == 3
    assert questions() == asked  # the same question: the stored runs are stale, not other runs


def test_the_embedded_font_as_a_header_trains_to_the_same_numbers(tmp_path):
    (tmp_path / "font.h").write_text(embedded_as_header())
    runs = []
    for dataset in ("{name: font}", "{name: font, path: font.h}"):
        [spec] = plan.expand(experiment(tmp_path, dataset, "[35, 2, 35]"))
        [result] = run_pack(plan.Pack("x", (spec,)))
        assert result.error is None, result.error
        runs.append(result)
    assert runs[0].metrics.model_copy(update={"timing": None}) == runs[1].metrics.model_copy(
        update={"timing": None}
    )
    first, second = flat(runs[0].arrays), flat(runs[1].arrays)
    assert first.keys() == second.keys()
    for name, array in first.items():
        np.testing.assert_array_equal(array, second[name], strict=True)


def flat(arrays: dict, prefix: str = "") -> dict:
    """A run's nested dict of arrays as {"history/loss": array, ...}."""
    out = {}
    for key, value in arrays.items():
        if isinstance(value, dict):
            out |= flat(value, f"{prefix}{key}/")
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_the_schema_has_every_form_with_its_options():
    defs, dataset = schema()["$defs"], schema()["properties"]["dataset"]
    assert set(dataset["discriminator"]["mapping"]) == set(datasets.NAMES)
    shared = {"name", "path", "limit"}
    forms = {
        "ImagesDataset": {"size", "color", "threshold", "alpha", "background"},
        "ArrayDataset": {"shape", "key", "labels_key", "label_column"},
        "FontDataset": {"font"},
        "Mnist5KDataset": set(),
    }
    for form, options in forms.items():
        assert set(defs[form]["properties"]) == shared | options
        assert all(p.get("description") for p in defs[form]["properties"].values())
