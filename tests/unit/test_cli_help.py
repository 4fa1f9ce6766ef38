"""`newsline --help` is written for users: what Newsline does, every command, examples."""

from __future__ import annotations

import pytest

from newsline_cli.main import COMMANDS, main


def test_top_level_help_says_what_newsline_does_and_lists_every_command(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    assert "per-actor event timelines" in text and "examples:" in text
    assert "console script" not in text  # not the module's developer docstring
    for command in COMMANDS:
        assert command in text
