"""Every command and option of ``repairlab`` is in the README, so the command line cannot grow a
part its users never read about (sqlite-utils' test_docs idea)."""

from __future__ import annotations

import argparse
import re

import pytest

from repairlab.cli import build_parser

from helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def options() -> list[tuple[str, str]]:
    return [(name, option) for name, parser in commands().items() for action in parser._actions
            for option in action.option_strings if option.startswith("--") and option != "--help"]


def actions() -> list[tuple[str, str]]:
    """Sub-verbs such as ``hub init`` and ``roster import``."""
    return [(name, choice) for name, parser in commands().items() for action in parser._actions
            if action.choices and not action.option_strings for choice in action.choices]


@pytest.mark.parametrize("name", commands())
def test_every_command_is_in_the_readme(name):
    assert f"repairlab {name}" in README


@pytest.mark.parametrize("name, option", options())
def test_every_option_is_in_the_readme(name, option):
    mentioned = re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", README)
    assert mentioned, f"repairlab {name} {option} is not in README.md"


@pytest.mark.parametrize("name, action", actions())
def test_every_sub_verb_is_in_the_readme(name, action):
    assert f"{name} {action}" in README, f"repairlab {name} {action} is not in README.md"
