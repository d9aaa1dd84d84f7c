"""The machine named in provenance.json and by the benchmarks: the CPU's model name with its
family and model numbers, since a vendor's model name covers CPUs of very different speeds."""

from __future__ import annotations

from runner import machine

CPUINFO = """\
processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 26
model\t\t: 2
model name\t: AMD EPYC
flags\t\t: fpu avx512f

processor\t: 1
cpu family\t: 99
model\t\t: 99
model name\t: another
"""


def test_the_processor_is_named_with_its_family_and_model(tmp_path):
    (tmp_path / "cpuinfo").write_text(CPUINFO)
    assert machine.processor(str(tmp_path / "cpuinfo")) == "AMD EPYC (family 26, model 2)"


def test_without_cpuinfo_the_platform_names_it(tmp_path):
    named = machine.processor(str(tmp_path / "absent"))
    assert named and "family" not in named
