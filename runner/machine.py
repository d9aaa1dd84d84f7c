"""The machine a sweep or a benchmark ran on, as provenance.json and the benchmarks name it.

The processor and the BLAS kernel decide the round-off that training amplifies (runs compare bit
for bit only on the same kernel), and the CPU's speed decides every timing. A model name such
as "AMD EPYC" covers CPUs three times apart in speed, so the family and model numbers go with it.
"""

from __future__ import annotations

import platform

import numpy  # noqa: F401  (loaded, so that threadpool_info sees its BLAS)
from threadpoolctl import threadpool_info

CPUINFO = "/proc/cpuinfo"


def processor(cpuinfo: str = CPUINFO) -> str:
    """The CPU's model name with its family and model numbers, e.g. "Intel(R) Xeon(R) Processor
    @ 2.80GHz (family 6, model 106)" (Linux), else what the platform module knows."""
    fields = _first_cpu(cpuinfo)
    name = fields.get("model name") or platform.processor() or platform.machine()
    numbers = [f"{key} {fields[key]}" for key in ("family", "model") if fields.get(key)]
    return f"{name} ({', '.join(numbers)})" if numbers else name


def _first_cpu(cpuinfo: str) -> dict[str, str]:
    """The first processor's fields of /proc/cpuinfo ("cpu family" as "family"); empty where
    there is none."""
    fields: dict[str, str] = {}
    try:
        with open(cpuinfo) as f:
            for line in f:
                if not line.strip():
                    break  # the first processor's block ends
                key, _, value = line.partition(":")
                fields[key.strip().removeprefix("cpu ")] = value.strip()
    except OSError:
        pass
    return fields


def blas() -> str:
    """NumPy's BLAS and the kernel it runs on this CPU, e.g. "openblas 0.3.31, SkylakeX" (other
    libraries, such as SciPy, may load a BLAS of their own that training never calls)."""
    found = [
        f"{i['internal_api']} {i['version']}, {i.get('architecture') or '?'}"
        for i in threadpool_info()
        if i["user_api"] == "blas" and "numpy" in i.get("filepath", "")
    ]
    return "; ".join(found) or "unknown"
