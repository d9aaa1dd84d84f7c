"""tp5's runner: from an experiment YAML to trained runs in a result store, and on to a site.

The pipeline, one stage a module or package, in the order a run passes them::

    config/ -> plan.py -> sweep.py -> parallel.py -> training/ -> store.py
    (YAML)     (runs,     (what is    (packs on      (in a        (run.json, metrics,
               packs)     not stored)  workers)      worker)      arrays)

cli.py drives them. Every other module supports a stage: spec.py and metrics.py (the types a run
is stored as), fingerprint.py (the code and data in a run id), datasets/, models.py (spec to nets
model) and baselines.py (computed with training, fingerprinted with it), floors.py, cores.py,
progress.py and estimate.py (the bar, and the time left learnt from the packs), watchdog.py,
files.py, gitinfo.py.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tp5")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
