"""Weight decay, the rate's schedule, validation and early stopping from the YAML to the runs:
recorded in run.json only when set, weight decay a pack axis, a member of a pack trained as alone."""

import numpy as np
import pytest

from runner import plan
from runner.config import load_experiment
from runner.training import optimizer
from runner.training.pack import run_pack

YAML = """\
name: controls
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 8, 2, 8, 35]]}
training:
  epochs: 6
  optimizers: [{name: adam, learning_rate: [0.01, 0.02]}]
seeds: 2
"""


def load(tmp_path, extra=""):
    path = tmp_path / "controls.yaml"
    path.write_text(YAML.replace("training:\n", "training:\n" + extra))
    return load_experiment(path)


def test_unset_controls_leave_run_json_as_before(tmp_path):
    for run in plan.expand(load(tmp_path)):
        dumped = run.model_dump(mode="json")
        assert not {"weight_decay", "schedule", "validation", "early_stop"} & set(dumped)


def test_set_controls_are_recorded_and_change_the_id(tmp_path):
    plain = plan.expand(load(tmp_path))
    extra = (
        "  weight_decay: 0.001\n  schedule: {kind: step, every: 2, factor: 0.5}\n"
        "  validation: 0.25\n  early_stop: {patience: 3}\n"
    )
    runs = plan.expand(load(tmp_path, extra))
    dumped = runs[0].model_dump(mode="json")
    assert dumped["weight_decay"] == 0.001 and dumped["validation"] == 0.25
    assert dumped["schedule"] == {"kind": "step", "every": 2, "factor": 0.5}
    assert dumped["early_stop"] == {"patience": 3}
    assert not {r.id for r in plain} & {r.id for r in runs}


def test_a_list_of_weight_decays_is_a_pack_axis(tmp_path):
    runs = plan.expand(load(tmp_path, "  weight_decay: [0, 0.01, 0.1]\n"))
    assert len(runs) == 2 * 3 * 2  # rates x decays x seeds
    packs = plan.pack("controls", runs)
    assert len(packs) == 1
    opt = optimizer.of_pack(packs[0])
    np.testing.assert_array_equal(opt.weight_decay, [r.weight_decay for r in packs[0].runs])


def test_early_stop_needs_validation(tmp_path):
    with pytest.raises(Exception, match="early_stop needs validation"):
        load(tmp_path, "  early_stop: {patience: 3}\n")


def test_a_member_with_decay_and_schedule_trains_as_it_would_alone(tmp_path):
    extra = "  weight_decay: [0.0, 0.05]\n  schedule: {kind: cosine, final: 0.1}\n"
    runs = plan.expand(load(tmp_path, extra))
    together = run_pack(plan.Pack("controls", tuple(runs)))
    for k in (1, len(runs) - 1):
        alone = run_pack(plan.Pack("controls", (runs[k],)))[0]
        assert together[k].error is None
        np.testing.assert_array_equal(
            together[k].arrays["history"]["loss"], alone.arrays["history"]["loss"]
        )


# ------------------------------------------------------------ validation and early stopping


def test_held_out_samples_are_evenly_spaced_counts_or_shares():
    from runner.training.validation import held_out

    np.testing.assert_array_equal(held_out(32, 0.25), [0, 4, 8, 12, 16, 20, 24, 28])
    np.testing.assert_array_equal(held_out(10, 3), [0, 3, 6])
    np.testing.assert_array_equal(held_out(10, 0.01), [0])  # a share keeps at least one
    with pytest.raises(ValueError, match="none left"):
        held_out(4, 4)


def test_early_stop_keeps_each_members_best_epoch():
    """Hand-made validation losses: member 0 best at epoch 2 and out of patience at 4; member
    1 improving to the end. The weights kept are those the model had after the best epoch."""
    from runner.training.validation import EarlyStop

    class Model:
        params = {"w": np.zeros((2, 1))}

    losses = iter([[3.0, 5.0], [1.0, 4.0], [2.0, 3.0], [1.5, 2.0], [0.5, 1.0]])
    watch = EarlyStop(lambda m: np.array(next(losses)), 2, 5, patience=2)
    model = Model()
    for epoch in range(1, 6):
        model.params["w"][:] = epoch  # the weights after each epoch are the epoch's number
        watch(epoch, model)
    assert list(watch.best_epoch) == [2, 5] and list(watch.stopped) == [4, 0]
    watch.keep_best(model)
    assert list(model.params["w"][:, 0]) == [2, 5]
    assert watch.record(0).stopped_epoch == 4 and watch.record(1).stopped_epoch is None


def test_a_pack_with_early_stop_stores_its_members_best_weights(tmp_path):
    """Each member's stored numbers are those of its own best epoch, found from the traced
    validation loss, and are what it gets trained alone."""
    extra = "  validation: 8\n  early_stop: {patience: 2}\n"
    text = YAML.replace("epochs: 6", "epochs: 40").replace("0.02", "0.5")
    path = tmp_path / "controls.yaml"
    path.write_text(text.replace("training:\n", "training:\n" + extra))
    runs = plan.expand(load_experiment(path))
    together = run_pack(plan.Pack("controls", tuple(runs)))
    alone = run_pack(plan.Pack("controls", (runs[-1],)))[0]
    for result in together:
        assert result.error is None, result.error
        trace = result.arrays["history"]["validation_loss"]
        stop = result.metrics.early_stop
        assert stop.best_epoch == int(np.nanargmin(trace[: stop.stopped_epoch or None])) + 1
        assert stop.validation_loss == trace[stop.best_epoch - 1]
        assert len(result.arrays["latent"]["train"]) == 32  # measured on every character
    assert any(r.metrics.early_stop.stopped_epoch for r in together)  # some ran out of patience
    assert together[-1].metrics.early_stop == alone.metrics.early_stop
    assert together[-1].metrics.errors == alone.metrics.errors
    for name, value in alone.arrays["model"].items():
        np.testing.assert_array_equal(together[-1].arrays["model"][name], value)


def test_the_summary_shows_each_control_set_in_one_line_and_none_unset(tmp_path):
    from report import summary as sm
    from report.slides.kinds import summary
    from support import train

    extra = (
        "  weight_decay: [0, 0.01]\n  schedule: {kind: step, every: 2, factor: 0.5}\n"
        "  validation: 0.25\n  early_stop: {patience: 3}\n"
    )
    (tmp_path / "controls.yaml").write_text(YAML.replace("training:\n", "training:\n" + extra))
    (tmp_path / "plain.yaml").write_text(YAML.replace("name: controls", "name: plain"))
    train([tmp_path / "controls.yaml", tmp_path / "plain.yaml"], tmp_path / "results")
    controls = sm.load(tmp_path / "results", "controls")
    # runs that differ in decay are other configurations, not other seeds of one
    assert [c.label for c in controls.configurations] == [
        f"λ = {decay} · {lr}" for lr in ("0.01", "0.02") for decay in ("0", "0.01")
    ]
    facts = dict(summary.build(controls)["facts"])
    assert facts["weight decay"] == "L2 (coupled), λ 0, 0.01"
    assert facts["learning-rate schedule"] == "× 0.5 every 2 epochs"
    assert facts["validation"] == "25 % of the samples held out, evenly spaced"
    assert facts["early stopping"].startswith("patience 3 epochs")
    plain = dict(summary.build(sm.load(tmp_path / "results", "plain"))["facts"])
    assert not {"weight decay", "learning-rate schedule", "validation", "early stopping"} & set(
        plain
    )


def test_a_run_with_held_out_samples_trains_on_the_others(tmp_path):
    from runner import models
    from runner.training import validation
    from support import load_font

    pack = plan.Pack("controls", tuple(plan.expand(load(tmp_path, "  validation: 8\n"))[:1]))
    [stored] = run_pack(pack)
    fitted, held = validation.split(load_font(), 8)
    model = models.build(pack.spec, seeds=pack.seeds)
    history = model.fit(fitted, epochs=6, optimizer=optimizer.of_pack(pack))
    np.testing.assert_array_equal(stored.arrays["history"]["loss"], history["loss"][0])
    assert stored.arrays["history"]["validation_loss"][-1] == model.loss_on(held)[0]
