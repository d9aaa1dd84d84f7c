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
    extra = ("  weight_decay: 0.001\n  schedule: {kind: step, every: 2, factor: 0.5}\n"
             "  validation: 0.25\n  early_stop: {patience: 3}\n")
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
        np.testing.assert_array_equal(together[k].arrays["history"]["loss"],
                                      alone.arrays["history"]["loss"])
