"""Every `tp5-run` command the README shows runs: an example that fails is a bug.

Each command of the README's shell blocks goes through the real command line, as a user would
type it from the repository's root, with `--dry-run` into a temporary store so that nothing
trains: the files, the overrides and the flags are all checked, against the experiments as they
are. The schema commands run as shown and must print JSON.
"""

from __future__ import annotations

import glob
import json
import re
import shlex
from pathlib import Path

import pytest

from runner import cli

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    """The tp5-run commands of the README's ```sh blocks, without comments or what comes
    before `&&` (the install)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            command = line.split("#")[0].split("&&")[-1].strip()
            if command.startswith("tp5-run"):
                found.append(command)
    return found


def test_the_readme_shows_commands_to_check():
    assert len(readme_commands()) >= 8


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs(command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    words, target = shlex.split(command)[1:], None
    if ">" in words:  # tp5-run --schema > file: what the file would hold
        words, target = words[: words.index(">")], words[words.index(">") + 1]
    args = [path for word in words for path in (sorted(glob.glob(word)) or [word])]
    if "--schema" not in args:
        args += ["--dry-run", "--results", str(tmp_path / "results")]
    assert cli.main(args) == 0, command
    if target:
        assert json.loads(capsys.readouterr().out)["$defs"], command  # a JSON Schema
