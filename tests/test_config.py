"""The experiment config: what a good file means, and the exact line a bad one gets.

Every test writes its YAML into tmp_path and loads it by a relative name from there, so the
expected lines read as a user would see them ("x.yaml:6:3: ..."). Files are loaded with the
report's slide catalogue, as tp5-run loads them, unless a test says otherwise.
"""

import json
import os
import re
import warnings

import pytest
import yaml

from report.slides import CATALOGUE
from runner.config import ConfigError, ConfigNote, Experiment, load_experiment, schema

FONT = """\
name: t
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 2, 35]]}
training: {epochs: 10}
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def write(text: str | bytes, name: str = "x.yaml") -> str:
    data = text if isinstance(text, bytes) else text.encode()
    with open(name, "wb") as f:
        f.write(data)
    return name


def load(text: str | bytes, overrides=()) -> Experiment:
    return load_experiment(write(text), overrides, slides=CATALOGUE)


def problems(text: str | bytes, overrides=()) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(text, overrides)
    return caught.value.problems


# ---- bad files: one case per problem, each with its exact line(s) -------------------------------

BAD = {
    "unknown key, near miss": (
        "name: t\ndataset: {name: font}\nmodel: {kind: autoencoder, architectures: [[35, 2, 35]]}\n"
        "training:\n  epochs: 10\n  epoch: 5\n",
        [
            "x.yaml:6:3: training: unknown key 'epoch'; did you mean 'epochs'? (allowed: epochs, "
            "batch_size, shuffle, optimizers, init, normalize, dtype, kl_warmup, weight_decay, "
            "schedule, validation, early_stop)"
        ],
    ),
    "unknown key at the top": (
        "name: t\ncolour: red\ndataset: {name: font}\n"
        "model: {kind: autoencoder, architectures: [[35, 2, 35]]}\ntraining: {epochs: 10}\n",
        [
            "x.yaml:2:1: unknown key 'colour' (allowed: name, title, description, order, dataset, "
            "model, training, noise, seeds, snapshots, report, reference, conclusions)"
        ],
    ),
    "missing key points at its mapping": (
        "name: t\ndataset: {name: font}\nmodel: {kind: autoencoder, architectures: [[35, 2, 35]]}\n"
        "training:\n  batch_size: 8\n",
        ["x.yaml:4:1: training: missing key 'epochs' (passes over the training data)"],
    ),
    "missing section": (
        "name: t\ndataset: {name: font}\ntraining: {epochs: 10}\n",
        ["x.yaml:1:1: missing key 'model' (the networks to train)"],
    ),
    "empty value": (
        "name: t\ndataset: {name: font}\nmodel: {kind: autoencoder, architectures: [[35, 2, 35]]}\n"
        "training:\n  epochs:\n",
        ["x.yaml:5:10: training.epochs: expected a whole number, got nothing"],
    ),
    "fraction where a count belongs": (
        FONT.replace("epochs: 10", "epochs: 2.5"),
        ["x.yaml:4:20: training.epochs: expected a whole number, got 2.5"],
    ),
    "scalar where a mapping belongs": (
        FONT.replace("{name: font}", "font"),
        ["x.yaml:2:10: dataset: expected a mapping, got 'font'"],
    ),
    "unknown dataset": (
        FONT.replace("{name: font}", "{name: fnt}"),
        [
            "x.yaml:2:17: dataset.name: expected one of: font, emoji, fashion-mnist, kmnist, mnist, mnist-5k, images, array, got 'fnt'; "
            "did you mean 'font'?"
        ],
    ),
    "unknown model kind": (
        FONT.replace("autoencoder", "autoencodr"),
        [
            "x.yaml:3:15: model.kind: expected one of: autoencoder, vae, got 'autoencodr'; "
            "did you mean 'autoencoder'?"
        ],
    ),
    "model kind missing": (
        "name: t\ndataset: {name: font}\nmodel:\n  architectures: [[35, 2, 35]]\n"
        "training: {epochs: 10}\n",
        ["x.yaml:3:1: model: missing key 'kind' (one of: autoencoder, vae)"],
    ),
    "unknown optimizer": (
        FONT.replace(
            "training: {epochs: 10}",
            "training:\n  epochs: 10\n  optimizers:\n    - {name: sdg, learning_rate: 0.1}",
        ),
        [
            "x.yaml:7:14: training.optimizers[0].name: expected one of: sgd, adam, got 'sdg'; "
            "did you mean 'sgd'?"
        ],
    ),
    "learning rates not positive": (
        FONT.replace(
            "training: {epochs: 10}",
            "training:\n  epochs: 10\n  optimizers:\n"
            "    - {name: sgd, learning_rate: [0.1, -0.01, 0]}",
        ),
        [
            "x.yaml:7:40: training.optimizers[0].learning_rate[1]: must be greater than 0, got -0.01",
            "x.yaml:7:47: training.optimizers[0].learning_rate[2]: must be greater than 0, got 0",
        ],
    ),
    "momentum of 1": (
        FONT.replace(
            "training: {epochs: 10}",
            "training:\n  epochs: 10\n  optimizers: [{name: sgd, learning_rate: 0.1, momentum: 1}]",
        ),
        ["x.yaml:6:58: training.optimizers[0].momentum: must be less than 1, got 1"],
    ),
    "zero epochs": (
        FONT.replace("epochs: 10", "epochs: 0"),
        ["x.yaml:4:20: training.epochs: must be at least 1, got 0"],
    ),
    "first layer is not the font's width": (
        "name: t\ndataset: {name: font}\nmodel:\n  kind: autoencoder\n  architectures:\n"
        "    - [35, 2, 35]\n    - [36, 20, 2, 20, 35]\ntraining: {epochs: 10}\n",
        ["x.yaml:7:8: model.architectures[1][0]: the font is 7x5 binary: 35 inputs, got 36"],
    ),
    "last layer is not MNIST's width": (
        "name: t\ndataset: {name: mnist-5k}\nmodel: {kind: vae, architectures: [[784, 2, 35]]}\n"
        "training: {epochs: 10}\n",
        [
            "x.yaml:3:45: model.architectures[0][2]: mnist-5k images are 28x28 grey: 784 inputs, got 35"
        ],
    ),
    "two narrowest layers": (
        FONT.replace("[[35, 2, 35]]", "[[35, 2, 10, 2, 35]]"),
        [
            "x.yaml:3:56: model.architectures[0][3]: 2 is the narrowest size and occurs 2 times; "
            "the latent must be the one narrowest layer"
        ],
    ),
    "no bottleneck": (
        FONT.replace("[[35, 2, 35]]", "[[35, 40, 35]]"),
        [
            "x.yaml:3:44: model.architectures[0]: the narrowest layer (35) must be an inner layer "
            "(the latent), not the input or output"
        ],
    ),
    "latent is not latent_size": (
        "name: t\ndataset: {name: font}\nmodel:\n  kind: autoencoder\n  latent_size: 2\n"
        "  architectures: [[35, 3, 35]]\ntraining: {epochs: 10}\n",
        [
            "x.yaml:6:24: model.architectures[0][1]: the latent (narrowest) layer has 3 units, "
            "but latent_size is 2"
        ],
    ),
    "architecture too short": (
        FONT.replace("[[35, 2, 35]]", "[[35, 35]]"),
        ["x.yaml:3:44: model.architectures[0]: needs at least 3 entries, got 2"],
    ),
    "noise on a VAE": (
        FONT.replace("autoencoder", "vae") + "noise: {kind: bitflip, levels: [0.1]}\n",
        [
            "x.yaml:5:8: noise: only an autoencoder is trained with noise, but model.kind is 'vae' "
            "(remove noise)"
        ],
    ),
    "noise level above 1": (
        FONT + "noise: {kind: gaussian, levels: [0.1, 1.5]}\n",
        ["x.yaml:5:39: noise.levels[1]: must be at most 1, got 1.5"],
    ),
    "no noise levels": (
        FONT + "noise: {kind: gaussian, levels: []}\n",
        ["x.yaml:5:33: noise.levels: needs at least 1 entry, got 0"],
    ),
    "unknown slide": (
        FONT + "report: [summary, learning_curve]\n",
        [
            f"x.yaml:5:19: report[1]: expected one of: {', '.join(CATALOGUE.names)}, "
            "got 'learning_curve'; did you mean 'learning_curves'?"
        ],
    ),
    "denoising slide without noise": (
        FONT + "report:\n  - summary\n  - denoising_examples\n",
        ["x.yaml:7:5: report[1]: 'denoising_examples' needs noise (add a noise: section)"],
    ),
    "VAE slide on an autoencoder": (
        FONT + "snapshots: [5]\nreport: [vae_progression]\n",
        ["x.yaml:6:10: report[0]: 'vae_progression' needs model.kind: vae"],
    ),
    "progression without snapshots": (
        FONT.replace("autoencoder", "vae") + "report: [vae_progression]\n",
        ["x.yaml:5:10: report[0]: 'vae_progression' needs snapshots (the epochs to show)"],
    ),
    "latent plane of a 3-D latent": (
        FONT.replace("[[35, 2, 35]]", "[[35, 2, 35], [35, 3, 35]]") + "report: [latent_scatter]\n",
        [
            "x.yaml:5:10: report[0]: 'latent_scatter' needs a 2-D latent, "
            "but model.architectures[1] has a 3-D one"
        ],
    ),
    "learning-rate analysis of one rate": (
        FONT + "report: [lr_analysis]\n",
        ["x.yaml:5:10: report[0]: 'lr_analysis' needs at least 2 learning rates to compare, got 1"],
    ),
    "pixel counts of a VAE": (
        FONT.replace("autoencoder", "vae") + "report: [summary, convergence]\n",
        ["x.yaml:5:19: report[1]: 'convergence' counts wrong pixels of an autoencoder, not a VAE"],
    ),
    "path for a built-in dataset": (
        FONT.replace("{name: font}", "{name: mnist-5k, path: data}").replace(
            "35, 2, 35", "784, 2, 784"
        ),
        ["x.yaml:2:33: dataset.path: mnist-5k is built in and reads no files; remove dataset.path"],
    ),
    "seed listed twice": (
        FONT + "seeds: [3, 1, 3]\n",
        ["x.yaml:5:15: seeds[2]: 3 is already listed (as entry [0])"],
    ),
    "no seeds": (FONT + "seeds: 0\n", ["x.yaml:5:8: seeds: must be at least 1, got 0"]),
    "seeds as words": (
        FONT + "seeds: many\n",
        ["x.yaml:5:8: seeds: expected a whole number or a list of them, got 'many'"],
    ),
    "bce without a sigmoid": (
        FONT.replace(
            "architectures: [[35, 2, 35]]",
            "architectures: [[35, 2, 35]], loss: bce, output_activation: identity",
        ),
        ["x.yaml:3:64: model.loss: 'bce' needs output_activation: sigmoid, got 'identity'"],
    ),
    "batch size typo": (
        FONT.replace("{epochs: 10}", "{epochs: 10, batch_size: fulll}"),
        [
            "x.yaml:4:36: training.batch_size: expected 'full' or a whole number >= 1, got 'fulll'; "
            "did you mean 'full'?"
        ],
    ),
    "name is not a slug": (
        FONT.replace("name: t", "name: My Run"),
        [
            "x.yaml:1:7: name: expected a short name of lowercase letters, digits and '-' "
            "(e.g. 'vae-mnist'), got 'My Run'"
        ],
    ),
    "normalize is not a bool": (
        FONT.replace("{epochs: 10}", "{epochs: 10, normalize: maybe}"),
        ["x.yaml:4:35: training.normalize: expected true or false or a list of them, got 'maybe'"],
    ),
    "unknown init in a list": (
        FONT.replace("{epochs: 10}", "{epochs: 10, init: [xavier, lecunn]}"),
        [
            "x.yaml:4:39: training.init[1]: expected one of: uniform, xavier, he, lecun, "
            "got 'lecunn'; did you mean 'lecun'?"
        ],
    ),
    "several problems, sorted by line": (
        "name: t\ndataset: {name: font}\n"
        "model: {kind: autoencoder, architectures: [[35, 2, 36]], activation: sigmod}\n"
        "training:\n  epoch: 10\n",
        [
            "x.yaml:3:52: model.architectures[0][2]: the font is 7x5 binary: 35 inputs, got 36",
            "x.yaml:3:70: model.activation: expected one of: identity, sigmoid, tanh, relu, "
            "got 'sigmod'; did you mean 'sigmoid'?",
            "x.yaml:4:1: training: missing key 'epochs' (passes over the training data)",
            "x.yaml:5:3: training: unknown key 'epoch'; did you mean 'epochs'? (allowed: epochs, "
            "batch_size, shuffle, optimizers, init, normalize, dtype, kl_warmup, weight_decay, "
            "schedule, validation, early_stop)",
        ],
    ),
    "every mistake in one run: a typo next to values that do not fit together": (
        "name: t\ndataset: {name: font}\n"
        "model: {kind: autoencoder, architectures: [[35, 2, 36]], activation: sigmod}\n"
        "training: {epochs: 10}\nseeds: [1, 1]\n",
        [
            "x.yaml:3:52: model.architectures[0][2]: the font is 7x5 binary: 35 inputs, got 36",
            "x.yaml:3:70: model.activation: expected one of: identity, sigmoid, tanh, relu, "
            "got 'sigmod'; did you mean 'sigmoid'?",
            "x.yaml:5:12: seeds[1]: 1 is already listed (as entry [0])",
        ],
    ),
    "every mistake in one run: checks inside a model and on slides": (
        "name: t\ndataset: {name: mnist-5k, path: x, limit: 0}\n"
        "model: {kind: vae, architectures: [[35, 3, 3, 35]], beta: -1}\n"
        "training: {epochs: 10, optimizers: [{name: sdg}]}\nnoise: {kind: bitflip, levels: [2]}\n"
        "report: [latent_scatter, convergence]\n",
        [
            "x.yaml:2:33: dataset.path: mnist-5k is built in and reads no files; remove dataset.path",
            "x.yaml:2:43: dataset.limit: must be at least 1, got 0",
            "x.yaml:3:44: model.architectures[0][2]: 3 is the narrowest size and occurs 2 times; "
            "the latent must be the one narrowest layer",
            "x.yaml:3:59: model.beta: must be greater than 0, got -1",
            "x.yaml:4:44: training.optimizers[0].name: expected one of: sgd, adam, got 'sdg'; "
            "did you mean 'sgd'?",
            "x.yaml:5:8: noise: only an autoencoder is trained with noise, but model.kind is 'vae' "
            "(remove noise)",
            "x.yaml:5:33: noise.levels[0]: must be at most 1, got 2",
            "x.yaml:6:10: report[0]: 'latent_scatter' needs a 2-D latent, but model.architectures[0] "
            "has a 3-D one",
            "x.yaml:6:26: report[1]: 'convergence' counts wrong pixels of an autoencoder, not a VAE",
        ],
    ),
    # the YAML itself
    "unclosed brace": (
        "name: t\ndataset: {name: font\nmodel: {kind: autoencoder, architectures: [[35, 2, 35]]}\n",
        [
            "x.yaml:3:6: YAML syntax: expected ',' or '}', but got ':' "
            "(while parsing a flow mapping started on line 2)"
        ],
    ),
    "bad indentation": (
        "name: t\ndataset:\n  name: font\n   path: x\n",
        [
            "x.yaml:4:8: YAML syntax: mapping values are not allowed here; check the indentation, "
            "or quote a value that contains ': '"
        ],
    ),
    "tab": (
        "name: t\ndataset:\n\tname: font\n",
        [
            "x.yaml:3:1: YAML syntax: found character '\\t' that cannot start any token; "
            "indent with spaces, not tabs"
        ],
    ),
    "key written twice": (
        FONT + "name: u\n",
        ["x.yaml:5:1: the key 'name' is written twice (first on line 1)"],
    ),
    "object tag": (
        "name: !!python/object/apply:os.system [ls]\n",
        [
            "x.yaml:1:7: the tag '!!python/object/apply:os.system' is not allowed "
            "(only plain values, lists and mappings)"
        ],
    ),
    "custom tag": (
        "name: t\nseeds: !seeds 3\n",
        ["x.yaml:2:8: the tag '!seeds' is not allowed (only plain values, lists and mappings)"],
    ),
    "undefined alias": (
        "name: t\nseeds: *n\n",
        ["x.yaml:2:8: YAML syntax: found undefined alias 'n'"],
    ),
    "alias inside itself": (
        "name: t\nseeds: &s [1, *s]\n",
        ["x.yaml:2:8: an alias (*name) refers to a value that contains it"],
    ),
    "billion laughs": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{k}: &{k} [{', '.join([f'*{p}'] * 10)}]\n" for p, k in zip("abcd", "bcde"))
        + f"f: [{', '.join(['*e'] * 10)}]\n",
        [
            "x.yaml:1:35: the file expands to more than 100,000 values; "
            "are aliases (*name) repeating each other?"
        ],
    ),
    "top level is a list": (
        "- name: t\n- dataset: font\n",
        [
            "x.yaml:1:1: expected a mapping with keys name, title, description, order, dataset, "
            "model, training, noise, seeds, snapshots, report, reference, conclusions, got a list"
        ],
    ),
    "top level is a scalar": (
        "just some words\n",
        [
            "x.yaml:1:1: expected a mapping with keys name, title, description, order, dataset, "
            "model, training, noise, seeds, snapshots, report, reference, conclusions, "
            "got 'just some words'"
        ],
    ),
    "empty file": (
        "",
        [
            "x.yaml:1:1: the file is empty; an experiment needs at least name, dataset, model, "
            "training"
        ],
    ),
    "only comments": (
        "# to do\n\n",
        [
            "x.yaml:1:1: the file is empty; an experiment needs at least name, dataset, model, "
            "training"
        ],
    ),
    "control character": (
        "name: t\ntitle: a\x07b\n",
        ["x.yaml:2:9: the character U+0007 cannot be in YAML text; remove it"],
    ),
    "not UTF-8": (
        b"name: t\ntitle: caf\xe9\n",
        ["x.yaml:2:11: the file is not UTF-8 text (byte 0xe9); save it with the UTF-8 encoding"],
    ),
}

PLAIN_LINE = re.compile(r"^x\.yaml:\d+:\d+: \S")  # file:line:col: then the message


@pytest.mark.parametrize("text, expected", BAD.values(), ids=BAD.keys())
def test_bad_file_gets_exact_lines(text, expected):
    assert problems(text) == expected


@pytest.mark.parametrize("text, expected", BAD.values(), ids=BAD.keys())
def test_no_pydantic_or_python_wording_leaks(text, expected):
    for line in problems(text):
        assert PLAIN_LINE.match(line), line
        for jargon in (
            "Input should",
            "Field required",
            "validation error",
            "Traceback",
            "pydantic",
            "literal_error",
            "Extra inputs",
            "<stream end>",
        ):
            assert jargon not in line, line


def test_missing_file_folder_and_unreadable_file(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_experiment("experiments/nope.yaml")
    assert caught.value.problems == ["experiments/nope.yaml: no such file"]

    os.mkdir("folder.yaml")
    with pytest.raises(ConfigError) as caught:
        load_experiment("folder.yaml")
    assert caught.value.problems == ["folder.yaml: is a folder, not a YAML file"]

    if os.geteuid() != 0:  # root reads anything
        os.chmod(write(FONT, "locked.yaml"), 0)
        with pytest.raises(ConfigError) as caught:
            load_experiment("locked.yaml")
        assert caught.value.problems == ["locked.yaml: cannot be read (permission denied)"]


def test_deep_nesting_fails_plainly():
    assert problems("a: " + "[" * 5000) == ["x.yaml: the values are nested too deeply"]


def test_config_error_prints_one_problem_per_line():
    error = ConfigError(["a.yaml:1:1: one", "a.yaml:2:1: two"])
    assert str(error) == "a.yaml:1:1: one\na.yaml:2:1: two"


# ---- overrides ----------------------------------------------------------------------------------


def test_overrides_apply_before_validation():
    exp = load_experiment(
        write(FONT + "noise: {kind: bitflip, levels: [0.1]}\n"),
        [
            "training.epochs=5",
            "seeds=2",
            "model.architectures=[[35,3,35],[35,20,3,20,35]]",
            "training.optimizers=[{name: sgd, learning_rate: 0.1}]",
            "training.optimizers.0.learning_rate=0.01",
            "noise=null",
            "title=A = B",
        ],
    )
    assert exp.training.epochs == 5
    assert exp.seed_list == [0, 1]
    assert exp.model.architectures == [[35, 3, 35], [35, 20, 3, 20, 35]]
    assert exp.training.optimizers[0].learning_rates == [0.01]
    assert exp.noise is None
    assert exp.title == "A = B"  # only the first '=' splits


def test_override_creates_missing_sections():
    exp = load_experiment(write(FONT), ["noise.kind=gaussian", "noise.levels=[0.1]"])
    assert exp.noise.kind == "gaussian"


OVERRIDE_BAD = {
    "wrong type": (
        ["training.epochs=abc"],
        [
            "x.yaml: override 'training.epochs=abc': training.epochs: expected a whole "
            "number, got 'abc'"
        ],
    ),
    "no '='": (
        ["seeds"],
        ["x.yaml: override 'seeds': expected key.path=value, e.g. training.epochs=5"],
    ),
    "empty key": (
        ["=3"],
        ["x.yaml: override '=3': expected key.path=value, e.g. training.epochs=5"],
    ),
    "into a plain value": (
        ["training.epochs.max=3"],
        [
            "x.yaml: override 'training.epochs.max=3': training.epochs is a plain "
            "value (10), not a mapping, so it has no 'max'"
        ],
    ),
    "index out of range": (
        ["training.optimizers.3.learning_rate=0.1"],
        [
            "x.yaml: override 'training.optimizers.3.learning_rate=0.1': "
            "training.optimizers is a list of 1, so '3' is not one of its "
            "indices (they count from 0)"
        ],
    ),
    "unknown key": (
        ["model.activaton=relu"],
        [
            "x.yaml: override 'model.activaton=relu': model: unknown key 'activaton'; "
            "did you mean 'activation'? (allowed: kind, architectures, latent_size, "
            "activation, latent_activation, output_activation, loss, pixels)"
        ],
    ),
    "cross-field": (
        ["model.architectures=[[35,2,36]]"],
        [
            "x.yaml: override 'model.architectures=[[35,2,36]]': "
            "model.architectures[0][2]: the font is 7x5 binary: 35 inputs, got 36"
        ],
    ),
    "bad YAML value": (
        ["seeds=[1, 2"],
        [
            "x.yaml: override 'seeds=[1, 2': the value is not valid YAML (YAML syntax: "
            "expected ',' or ']', but got the end of the file)"
        ],
    ),
}


@pytest.mark.parametrize("overrides, expected", OVERRIDE_BAD.values(), ids=OVERRIDE_BAD.keys())
def test_bad_override_gets_exact_line(overrides, expected):
    text = FONT.replace(
        "training: {epochs: 10}", "training:\n  epochs: 10\n  optimizers: [{name: adam}]"
    )
    assert problems(text, overrides) == expected


def test_file_problems_come_before_override_problems():
    text = FONT.replace("{name: font}", "{name: fnt}")
    assert problems(text, ["seeds=-1"]) == [
        "x.yaml:2:17: dataset.name: expected one of: font, emoji, fashion-mnist, kmnist, mnist, mnist-5k, images, array, got 'fnt'; "
        "did you mean 'font'?",
        "x.yaml: override 'seeds=-1': seeds: must be at least 1, got -1",
    ]


# ---- good files ---------------------------------------------------------------------------------


def test_defaults():
    exp = load_experiment(write(FONT))
    assert exp.title == "t" and exp.description == ""
    assert exp.seed_list == [0]
    assert exp.snapshots == [] and exp.noise is None
    assert exp.dataset.path is None and exp.dataset.limit is None
    model = exp.model
    assert (model.activation, model.latent_activation, model.output_activation, model.loss) == (
        "sigmoid",
        None,
        "sigmoid",
        "mse",
    )
    training = exp.training
    assert (training.batch_size, training.init, training.normalize, training.dtype) == (
        "full",
        "xavier",
        False,
        None,
    )
    [adam] = training.optimizers
    assert (adam.name, adam.learning_rate, adam.beta1, adam.beta2, adam.eps) == (
        "adam",
        0.001,
        0.9,
        0.999,
        1e-8,
    )


def test_default_report_holds_only_the_slides_that_apply():
    autoencoder = load(FONT)
    assert autoencoder.report == [
        "summary",
        "architecture",
        "error_table",
        "linear_baseline",
        "learning_curves",
        "convergence",
        "latent_scatter",
        "reconstructions",
        "pixel_errors",
        "generated_grid",
        "novelty",
        "interpolation",
        "conclusions",
    ]
    vae = load(FONT.replace("autoencoder", "vae") + "snapshots: [1, 5]\n")
    assert vae.model.activation == "relu" and vae.model.beta == 1.0
    assert vae.report == [
        "summary",
        "architecture",
        "error_table",
        "learning_curves",
        "elbo_terms",
        "latent_scatter",
        "vae_progression",
        "reconstructions",
        "vae_samples",
        "generated_grid",
        "novelty",
        "interpolation",
        "conclusions",
    ]
    denoising = load(
        FONT.replace("[[35, 2, 35]]", "[[35, 5, 35]]") + "noise: {kind: bitflip, levels: [0.1]}\n"
    )
    assert denoising.report == [
        "summary",
        "architecture",
        "error_table",
        "learning_curves",
        "reconstructions",
        "pixel_errors",
        "denoising_examples",
        "denoising_baselines",
        "conclusions",
    ]
    matrix = load(
        FONT.replace("[[35, 2, 35]]", "[[35, 5, 35]]")
        + "noise: {kind: masking, levels: [0, 0.1], test_levels: [0.2]}\n"
    )
    assert matrix.report[-3:] == ["denoising_baselines", "noise_matrix", "conclusions"]


def test_list_or_scalar_helpers():
    exp = load_experiment(
        write(
            FONT.replace(
                "training: {epochs: 10}",
                """\
training:
  epochs: 10
  batch_size: 8
  optimizers:
    - {name: sgd, learning_rate: [0.05, 0.005], momentum: 0.9}
    - {name: adam, learning_rate: 1e-3}   # YAML 1.1 reads 1e-3 as text; it is still a number
  init: [xavier, he]
  normalize: [false, true]
seeds: [4, 2]
""",
            )
        )
    )
    training = exp.training
    assert [opt.learning_rates for opt in training.optimizers] == [[0.05, 0.005], [0.001]]
    assert exp.learning_rates == [0.05, 0.005, 0.001]
    assert training.inits == ["xavier", "he"] and training.normalizes == [False, True]
    assert exp.seed_list == [4, 2]
    single = load_experiment(write(FONT + "seeds: 3\n"))
    assert single.training.inits == ["xavier"] and single.training.normalizes == [False]
    assert single.seed_list == [0, 1, 2]


def test_dataset_path_is_relative_to_the_yaml_file(tmp_path):
    os.makedirs("experiments")
    write(
        FONT.replace("{name: font}", "{name: mnist, path: ../data/mnist}").replace(
            "[[35, 2, 35]]", "[[784, 2, 784]]"
        ),
        "experiments/m.yaml",
    )
    os.makedirs("elsewhere")
    os.chdir("elsewhere")  # the working folder must not matter
    exp = load_experiment("../experiments/m.yaml")
    assert exp.dataset.path == tmp_path / "data" / "mnist"


def test_anchors_and_merge_keys_share_settings():
    exp = load_experiment(
        write(
            FONT.replace(
                "training: {epochs: 10}",
                """\
training:
  epochs: 10
  optimizers:
    - &sgd {name: sgd, learning_rate: 0.1, momentum: 0.9}
    - {<<: *sgd, learning_rate: 0.01}
""",
            )
        )
    )
    assert [(o.learning_rate, o.momentum) for o in exp.training.optimizers] == [
        (0.1, 0.9),
        (0.01, 0.9),
    ]


def test_plain_text_values_stay_text():
    exp = load_experiment(write(FONT.replace("name: t", "name: 2024\ntitle: 2024-05-01")))
    assert (exp.name, exp.title) == ("2024", "2024-05-01")


def test_dump_round_trips():
    exp = load_experiment(
        write(
            FONT.replace("{name: font}", "{name: mnist, path: data}").replace(
                "[[35, 2, 35]]", "[[784, 2, 784]]"
            )
            + "seeds: [1, 2]\nsnapshots: [2]\n"
        )
    )
    assert Experiment.model_validate(exp.model_dump()) == exp
    assert Experiment.model_validate(json.loads(exp.model_dump_json())) == exp


def test_schema_is_json_with_both_model_kinds():
    text = json.dumps(schema())
    assert '"autoencoder"' in text and '"vae"' in text and '"additionalProperties": false' in text
    assert schema()["properties"]["training"]["description"] == "how to train"


def test_schema_lists_the_slides_it_is_given():
    [listed] = [
        s for s in schema(CATALOGUE.names)["properties"]["report"]["anyOf"] if s["type"] == "array"
    ]
    assert listed["items"]["enum"] == list(CATALOGUE.names)
    assert "enum" not in json.dumps(schema()["properties"]["report"])


# ---- without the report's catalogue --------------------------------------------------------------


def test_without_a_catalogue_the_report_is_left_to_the_report():
    """runner.config alone knows no slide: it neither refuses a name nor fills the default."""
    assert load_experiment(write(FONT)).report is None
    named = load_experiment(write(FONT + "report: [summary, vae_progression, no_such_slide]\n"))
    assert named.report == ["summary", "vae_progression", "no_such_slide"]
    assert problems(FONT + "report: [summary, summary]\n") == [
        "x.yaml:5:19: report[1]: 'summary' is already listed (as entry [0])"
    ]


# ---- snapshots past the last epoch ---------------------------------------------------------------


def test_snapshots_after_the_last_epoch_are_left_out_with_a_note():
    text = FONT.replace("autoencoder", "vae") + "snapshots: [1, 5, 50, 20]\n"
    with pytest.warns(ConfigNote) as notes:
        exp = load(text)
    assert exp.snapshots == [1, 5]
    assert [str(n.message) for n in notes] == [
        "x.yaml: snapshots 50, 20 are after the last epoch (10): not kept"
    ]
    assert "vae_progression" in exp.report


def test_the_slides_see_the_snapshots_kept():
    """A progression of snapshots that all fall after a shortened run has nothing to show."""
    text = FONT.replace("autoencoder", "vae") + "snapshots: [50]\nreport: [vae_progression]\n"
    with pytest.warns(ConfigNote, match="snapshot 50 is after the last epoch"):
        assert problems(text) == [
            "x.yaml:6:10: report[0]: 'vae_progression' needs snapshots (the epochs to show)"
        ]


def test_snapshots_within_the_epochs_give_no_note():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exp = load(FONT.replace("autoencoder", "vae") + "snapshots: [1, 10]\n")
    assert exp.snapshots == [1, 10]


# ---- the reference: block ------------------------------------------------------------------------


def referenced(*entries: str, statistic: str = "") -> str:
    head = FONT.replace("[[35, 2, 35]]", "[[35, 2, 35], [35, 9, 2, 9, 35]]").replace(
        "training: {epochs: 10}",
        "training: {epochs: 10, optimizers: [{name: sgd, learning_rate: [0.1, 0.01]}]}",
    )
    return (
        head
        + "reference:\n  source: the slides\n  metric: their error\n"
        + statistic
        + "  values:\n"
        + "".join(f"    - {{{e}, value: 0.5}}\n" for e in entries)
    )


def test_reference_entries_name_configurations_of_the_experiment():
    exp = load_experiment(
        write(referenced("architecture: [35, 2, 35], learning_rate: 0.1", "learning_rate: 0.01"))
    )
    assert exp.reference.statistic == "mean"
    assert [e.axes for e in exp.reference.values] == [
        {"architecture": [35, 2, 35], "learning_rate": 0.1},
        {"learning_rate": 0.01},
    ]


@pytest.mark.parametrize(
    "entry, expected",
    [
        (
            "architecture: [35, 3, 35]",
            "x.yaml:9:22: reference.values[0].architecture: no configuration of the experiment has "
            "[35, 3, 35] (it has [35, 2, 35], [35, 9, 2, 9, 35])",
        ),
        (
            "learning_rate: 0.5",
            "x.yaml:9:23: reference.values[0].learning_rate: no configuration of the experiment has "
            "0.5 (it has 0.1, 0.01)",
        ),
        (
            "noise: 0.1",
            "x.yaml:9:15: reference.values[0].noise: no configuration of the experiment has 0.1 "
            "(it has none)",
        ),
        (
            "optimizer: adam, learning_rate: 0.1",
            "x.yaml:9:19: reference.values[0].optimizer: no configuration of the experiment has "
            "'adam' (it has 'sgd')",
        ),
        (
            "init: he",
            "x.yaml:9:14: reference.values[0].init: no configuration of the experiment "
            "has 'he' (it has 'xavier')",
        ),
        (
            "nois: 0.1",
            "x.yaml:9:8: reference.values[0]: unknown key 'nois'; did you mean 'noise'? "
            "(allowed: architecture, learning_rate, noise, optimizer, init, normalize, value)",
        ),
    ],
)
def test_a_reference_entry_that_names_no_configuration_is_refused(entry, expected):
    assert problems(referenced(entry)) == [expected]


def test_a_reference_states_what_its_figures_summarise():
    assert problems(referenced("learning_rate: 0.1", statistic="  statistic: median\n")) == [
        "x.yaml:8:14: reference.statistic: expected one of: mean, std, got 'median'; did you "
        "mean 'mean'?"
    ]


# ---- through tp5-run, which joins the config and the report's catalogue -------------------------

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_the_readme_shortened_vae_run_keeps_the_snapshots_it_reaches(monkeypatch, tmp_path, capsys):
    from runner import cli

    monkeypatch.chdir(ROOT)
    code = cli.main(
        [
            "experiments/vae-mnist.yaml",
            "training.epochs=5",
            "seeds=1",
            "--dry-run",
            "--results",
            str(tmp_path / "results"),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err.splitlines() == [
        "experiments/vae-mnist.yaml: snapshots 15, 30, 50, 100 are "
        "after the last epoch (5): not kept"
    ]
    assert "vae-mnist" in out


def test_the_stored_experiment_has_only_the_snapshots_kept(monkeypatch, tmp_path, capsys):
    from runner import cli

    path = write(
        FONT.replace("autoencoder", "vae").replace("epochs: 10", "epochs: 2")
        + "snapshots: [1, 2, 50]\n"
    )
    assert cli.main([path, "--results", "results", "--no-site", "-j", "1"]) == 0
    assert "snapshot 50 is after the last epoch (2): not kept" in capsys.readouterr().err
    stored = yaml.safe_load((tmp_path / "results" / "t" / "experiment.yaml").read_text())
    assert stored["snapshots"] == [1, 2]


def test_a_slide_that_cannot_apply_is_refused_at_its_line_by_tp5_run(capsys):
    from runner import cli

    path = write(FONT + "report:\n  - summary\n  - denoising_examples\n")
    assert cli.main([path, "--dry-run"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "x.yaml:7:5: report[1]: 'denoising_examples' needs noise (add a noise: section)"
    ]
