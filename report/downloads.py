"""The files an experiment's page offers for download, so its numbers can be checked elsewhere.

    site/<experiment>/downloads/runs.csv          one row per run: id, configuration, metrics
    site/<experiment>/downloads/history.csv.gz    every run's per-epoch history, one row per epoch
    site/<experiment>/downloads/experiment.yaml   the configuration as the sweep resolved it
    site/<experiment>/downloads/provenance.json   versions, machine and git commit of the sweep

The two tables are the store's own (runner.tables, written by every sweep), linked or copied
here rather than computed again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from report import summary as sm
from report.formatting import format_bytes
from runner import store, tables
from runner.files import TEMP_PREFIX, atomic_write

FOLDER = "downloads"


#: The links an experiment's page shows, relative to the page.
LINKS = [
    {"href": f"{FOLDER}/{tables.RUNS}", "label": "runs × metrics (CSV)"},
    {"href": f"{FOLDER}/{tables.HISTORY}", "label": "per-epoch histories (CSV, gzip)"},
    {"href": f"{FOLDER}/experiment.yaml", "label": "resolved YAML"},
    {"href": f"{FOLDER}/provenance.json", "label": "provenance (JSON)"},
]


def write(s: sm.Summary, site_folder: Path) -> None:
    """Write the files of ``LINKS`` into the experiment's site folder (the tables too where
    the store has none yet: a store a sweep of an older tp5 wrote)."""
    folder = site_folder / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for path in tables.write(s.folder.parent, s.name):
        _mirror(path, folder / path.name)
    atomic_write(folder / "experiment.yaml", s.config_text)
    store.write_json(folder / "provenance.json", s.provenance)


def sized(site_folder: Path) -> list[dict]:
    """``LINKS`` with each file's size, so a reader knows what a click costs (histories of a
    large sweep run to tens of MB)."""
    return [
        {**link, "size": format_bytes((site_folder / link["href"]).stat().st_size)}
        for link in LINKS
    ]


def _mirror(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy across file systems), replaced in one
    rename, and left alone when it is that file already."""
    if target.exists() and os.path.samefile(source, target):
        return
    tmp = target.with_name(f"{TEMP_PREFIX}{target.name}")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, target)
