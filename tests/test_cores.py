"""A split pack takes the cores other packs leave idle, as they finish, and reads its share after
every epoch; the shares never change a number (tests/test_split.py)."""

from runner import cores
from runner.plan import Pack
from support import vae


def pack(name, parts=None):
    return Pack(name, (vae(id=name, parts=parts),))


def files(tmp_path):
    return lambda p: str(tmp_path / p.runs[0].id)


def test_the_vae_takes_the_cores_the_font_packs_free(tmp_path):
    packs = [pack("big", parts=4)] + [pack(f"font{i}") for i in range(3)]
    allowance = cores.Allowance(packs, workers=2, path=files(tmp_path), cores=2)
    read = cores.reader(str(tmp_path / "big"), default=7)
    assert allowance.shares() == {"big": 1} and read() == 1  # font0 holds the other core
    allowance.finish("font0")  # font1 takes its worker
    assert read() == 1
    allowance.finish("font1")
    allowance.finish("font2")  # nothing left to start: the VAE is alone
    assert read() == 2


def test_one_worker_leaves_the_other_cores_to_the_split_pack(tmp_path):
    allowance = cores.Allowance([pack("big", parts=8)], workers=1, path=files(tmp_path), cores=4)
    assert allowance.shares() == {"big": 4}


def test_a_share_never_exceeds_the_parts(tmp_path):
    allowance = cores.Allowance([pack("big", parts=2)], workers=1, path=files(tmp_path), cores=8)
    assert allowance.shares() == {"big": 2}


def test_two_split_packs_share_the_idle_cores_in_order(tmp_path):
    packs = [pack("a", parts=4), pack("b", parts=4)]
    allowance = cores.Allowance(packs, workers=2, path=files(tmp_path), cores=5)
    assert allowance.shares() == {"a": 4, "b": 1}
    allowance.finish("a")
    assert allowance.shares() == {"b": 4}


def test_a_pack_reads_its_default_until_the_sweep_writes(tmp_path):
    read = cores.reader(str(tmp_path / "p"), default=3)
    assert read() == 3
    (tmp_path / ("p" + cores.SUFFIX)).write_text("")  # caught mid-write
    assert read() == 3
    (tmp_path / ("p" + cores.SUFFIX)).write_text("2")
    assert read() == 2


def test_outside_a_dask_worker_a_pack_gets_one_thread():
    assert cores.dask_idle() == 1


def test_a_core_the_sweep_holds_for_the_floors_comes_back_when_they_are_done(tmp_path):
    allowance = cores.Allowance(
        [pack("big", parts=4)], workers=1, path=files(tmp_path), cores=3, busy=1
    )
    assert allowance.shares() == {"big": 2}
    allowance.release()
    assert allowance.shares() == {"big": 3}
