"""BLAS threads per pack: one for small layers, the idle cores for large ones."""
import pytest

from runner import parallel
from runner.plan import Pack, Run


def pack_of(architecture):
    return Pack("x", (Run({"architecture": architecture, "epochs": 1}),))


@pytest.mark.parametrize("load, expected", [(0.1, 2), (0.8, 1), (3.5, 1)])
def test_large_layers_get_the_idle_cores(monkeypatch, load, expected):
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (load, load, load))
    vae = pack_of([784, 512, 256, 2, 256, 512, 784])
    assert parallel.blas_threads(vae, cores_per_pack=2) == expected
    assert parallel.blas_threads(vae, cores_per_pack=1) == 1  # a worker's share of the cores


def test_small_layers_get_one_thread(monkeypatch):
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert parallel.blas_threads(pack_of([35, 64, 2, 64, 35]), cores_per_pack=8) == 1
