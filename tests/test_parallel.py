"""Packs start longest first; BLAS threads per pack are the plan's: one for small layers, the
machine's cores (up to a bound) for large ones, applied whatever the worker's own setting."""
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from runner import parallel, plan
from runner.plan import Pack
from runspecs import vae


VAE = [784, 512, 256, 2, 256, 512, 784]


def pack_of(architecture, members=1, epochs=1, dataset="font", limit=None):
    spec = vae(architecture=tuple(architecture), epochs=epochs, dataset=dataset,
               dataset_limit=limit)
    return Pack("x", (spec,) * members)


def test_one_mnist_run_outweighs_a_hundred_long_font_runs():
    """A study's VAE must start first, or the sweep's wall time is a sum instead of a maximum."""
    font = pack_of([35, 20, 2, 20, 35], members=100, epochs=10_000)
    vae = pack_of(VAE, epochs=100, dataset="mnist")
    assert parallel.cost(vae) > parallel.cost(font)
    assert parallel.cost(pack_of(VAE, epochs=100, dataset="mnist", limit=100)) < parallel.cost(font)


@pytest.mark.parametrize("cores, expected", [(1, 1), (2, 2), (64, plan.MAX_THREADS)])
def test_large_layers_get_the_cores_the_plan_gives(cores, expected):
    assert plan.blas_threads(VAE, cores) == expected


def test_small_layers_get_one_thread():
    assert plan.blas_threads([35, 64, 2, 64, 35], cores=8) == 1


def test_a_pack_trains_on_the_threads_its_spec_records(monkeypatch):
    """Whatever the process was started with: the count decides the numbers."""
    seen = []
    monkeypatch.setattr(parallel, "run_pack", lambda pack, on_epoch: seen.append(
        [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]))
    for threads in (1, 2):
        spec = pack_of(VAE).spec.model_copy(update={"blas_threads": threads})
        with threadpool_limits(limits=3 - threads, user_api="blas"):
            parallel.train_pack(Pack("x", (spec,)))
    assert [set(s) for s in seen] == [{1}, {2}]
