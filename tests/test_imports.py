"""runner/ never loads report/: training workers, which import the config, the plan and the
trainer, must not pay for (or depend on) the page's slide registry. Only runner/cli.py joins
the two, so every other module of runner/ is imported here."""

import subprocess
import sys

CODE = """
import importlib, pkgutil, sys, runner
for module in pkgutil.walk_packages(runner.__path__, "runner."):
    if module.name != "runner.cli":
        importlib.import_module(module.name)
print(sorted(m for m in sys.modules if m == "report" or m.startswith("report.")))
"""


def test_runner_modules_but_the_cli_load_no_report_module():
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
