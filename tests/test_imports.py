"""runner/ never loads report/: training workers, which import the config, the plan and the
trainer, must not pay for (or depend on) the page's slide registry."""

import subprocess
import sys


def test_runner_config_plan_and_train_load_no_report_module():
    code = ("import sys, runner.config, runner.plan, runner.train; "
            "print(sorted(m for m in sys.modules if m == 'report' or m.startswith('report.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
