"""The guides' command examples run, in order, against a fresh store."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from servers import ROOT


def shell_blocks(path):
    text = path.read_text()
    return re.findall(r"```sh\n(.*?)```", text, re.DOTALL)


def commands(path):
    for block in shell_blocks(path):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line and not line.startswith("#"):
                yield line


def test_data_curator_guide_examples_run(tmp_path):
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    workdir = tmp_path / "repo"
    workdir.mkdir()
    for line in commands(ROOT / "docs" / "data-curators.md"):
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = value.replace("var/", f"{tmp_path}/var/")
            continue
        argv = [a.replace("var/", f"{tmp_path}/var/") for a in shlex.split(line)]
        result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        if "COUNT(*)" in line:
            assert re.search(r"\b5\b", result.stdout), result.stdout


@pytest.mark.parametrize("guide", ["data-curators.md"])
def test_guides_have_examples(guide):
    assert list(commands(ROOT / "docs" / guide))
