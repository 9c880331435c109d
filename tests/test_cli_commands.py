"""The CLI's commands come from one table in ccgraph.cli, and its settings from one place:
every command named there loads and runs, and `--store` wins over the environment."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from ccgraph import cli


@pytest.mark.parametrize("name", sorted(cli._LAZY))
def test_every_registered_command_loads_under_its_name(name):
    with click.Context(cli.main) as ctx:
        command = cli.main.get_command(ctx, name)
    assert command is not None, f"{name}: {cli._LAZY[name]} does not load"
    assert command.name == name


def test_help_lists_the_commands_defined_here_and_those_registered_by_name():
    listed = CliRunner().invoke(cli.main, ["--help"]).output
    for name in ("serve", "load", "query", "synth", *cli._LAZY):
        assert f"\n  {name} " in listed, name


def test_a_registered_command_runs_on_the_store_the_cli_opened(monkeypatch):
    # The environment names a store that cannot be opened: --store must be what is used.
    monkeypatch.setenv("CCGRAPH_STORE", "nonsense:")
    result = CliRunner().invoke(cli.main, ["--store", "memory:", "communities"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_without_store_option_the_environment_is_read_once_at_the_entry(monkeypatch):
    monkeypatch.setenv("CCGRAPH_STORE", "nonsense:")
    result = CliRunner().invoke(cli.main, ["communities"])
    assert result.exit_code == 1  # a configuration error: the server side's fault, not usage
    assert "unknown store URL 'nonsense:'" in result.output
