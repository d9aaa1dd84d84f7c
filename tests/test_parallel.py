"""Packs start longest first; every pack's products run on the one BLAS thread its spec records,
whatever the worker's own setting; a pack of large layers is cut into parts by its batch alone."""

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from runner import parallel, plan
from runner.config import load_experiment
from runner.plan import Pack
from support import vae

VAE = [784, 512, 256, 2, 256, 512, 784]


def pack_of(architecture, members=1, epochs=1, dataset="font", limit=None):
    spec = vae(
        architecture=tuple(architecture), epochs=epochs, dataset=dataset, dataset_limit=limit
    )
    return Pack("x", (spec,) * members)


def test_one_mnist_run_outweighs_a_hundred_long_font_runs():
    """A study's VAE must start first, or the sweep's wall time is a sum instead of a maximum."""
    font = pack_of([35, 20, 2, 20, 35], members=100, epochs=10_000)
    vae = pack_of(VAE, epochs=100, dataset="mnist")
    assert parallel.cost(vae) > parallel.cost(font)
    assert parallel.cost(pack_of(VAE, epochs=100, dataset="mnist", limit=100)) < parallel.cost(font)
    assert parallel.by_cost([font, vae]) == [vae, font]


def experiment(tmp_path, architecture, batch_size, dataset="mnist-5k"):
    path = tmp_path / "e.yaml"
    path.write_text(
        f"name: e\ndataset: {{name: {dataset}}}\nmodel: {{kind: vae, "
        f"architectures: [{list(architecture)}]}}\n"
        f"training: {{epochs: 1, batch_size: {batch_size}}}\n"
    )
    return load_experiment(path)


@pytest.mark.parametrize(
    "batch_size, parts",
    [
        (32, 1),
        (64, 1),
        (128, 2),
        (200, 3),
        (256, 4),
        (4096, plan.MAX_PARTS),
        ("full", plan.MAX_PARTS),
    ],
)
def test_large_layers_are_cut_into_parts_of_at_least_64_rows(tmp_path, batch_size, parts):
    exp = experiment(tmp_path, VAE, batch_size)
    assert plan.parts(exp, VAE) == parts
    (run,) = plan.expand(exp)
    assert (run.parts, run.blas_threads) == (parts, 1)


def test_small_layers_are_one_part(tmp_path):
    exp = experiment(tmp_path, [35, 20, 2, 20, 35], 128, dataset="font")
    assert plan.parts(exp, [35, 20, 2, 20, 35]) is None


def test_the_plan_does_not_depend_on_the_machine(tmp_path, monkeypatch):
    """Parts and BLAS threads decide numbers: a machine with more cores plans the same ids."""
    exp = experiment(tmp_path, VAE, 128)
    ids = [r.id for r in plan.expand(exp)]
    monkeypatch.setattr(plan, "cpu_count", lambda: 64)
    assert [r.id for r in plan.expand(exp)] == ids


def test_a_pack_trains_on_the_threads_its_spec_records(monkeypatch):
    """Whatever the process was started with: the count decides the numbers."""
    seen = []
    monkeypatch.setattr(
        parallel,
        "run_pack",
        lambda pack, *rest: seen.append(
            [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
        ),
    )
    for threads in (1, 2):
        spec = pack_of(VAE).spec.model_copy(update={"blas_threads": threads})
        with threadpool_limits(limits=3 - threads, user_api="blas"):
            parallel.train_pack(Pack("x", (spec,)))
    assert [set(s) for s in seen] == [{1}, {2}]
