"""Packs start longest first; BLAS threads per pack: one for small layers, the idle cores for
large ones."""
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runner import parallel
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


@pytest.mark.parametrize("busy, expected", [(0.1, 2), (0.8, 1), (3.5, 1)])
def test_large_layers_get_the_idle_cores(monkeypatch, busy, expected):
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    monkeypatch.setattr(parallel, "busy_cores", lambda: busy)
    vae = pack_of(VAE)
    idle = parallel.idle_cores()
    assert parallel.blas_threads(vae, cores_per_pack=2, idle=idle) == expected
    assert parallel.blas_threads(vae, cores_per_pack=1, idle=idle) == 1  # a worker's share


def test_small_layers_get_one_thread():
    assert parallel.blas_threads(pack_of([35, 64, 2, 64, 35]), cores_per_pack=8, idle=8) == 1


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="reads /proc/stat")
def test_busy_cores_sees_a_busy_process_at_once():
    """Measured now, not averaged over the last minute as the load average is."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)
        assert parallel.busy_cores(window=0.5) > 0.7
    finally:
        spinner.kill()
        spinner.wait()
