"""The trainee lab switches off JupyterLab's shortcuts that change an exercise's cells when a trainee clicks
once and types: each switched-off entry is one the installed JupyterLab really has (a renamed command
would silently switch nothing off), every such single-key notebook shortcut is covered, and a trainee's
own shortcuts survive each start."""

from __future__ import annotations

import json
from pathlib import Path

from jupyter_core.paths import jupyter_path

from repairlab.course import load_course
from repairlab.trainee.lab import SHORTCUT_SETTINGS, WRECKING_SHORTCUTS, write_lab_config

from helpers import copy_course

# Command-mode keys a trainee may press and that change nothing in the notebook: moving, selecting,
# writing in a cell (Enter), running it, interrupting, line numbers, folding headings.
HARMLESS = ("notebook:move-cursor", "notebook:extend-marked-cells", "notebook:enter-edit-mode", "notebook:run-cell",
            "notebook:select-all", "notebook:collapse-all-headings", "notebook:expand-all-headings",
            "viewmenu:", "kernelmenu:interrupt", "runmenu:")


def installed_shortcuts() -> set[tuple[str, tuple[str, ...], str]]:
    """Every default shortcut of the JupyterLab in this environment, from its plugins' schemas."""
    found = set()
    for folder in jupyter_path("lab", "schemas"):
        for schema in Path(folder).glob("@jupyterlab/*/*.json"):
            data = json.loads(schema.read_text(encoding="utf-8"))
            for shortcut in data.get("jupyter.lab.shortcuts", []) if isinstance(data, dict) else []:
                found.add((shortcut["command"], tuple(shortcut["keys"]), shortcut["selector"]))
    return found


def test_every_switched_off_shortcut_is_one_jupyterlab_has():
    installed = installed_shortcuts()
    assert installed, "no JupyterLab schemas found"
    missing = [(c, k, s) for c, k, s in WRECKING_SHORTCUTS if (c, tuple(k), s) not in installed]
    assert missing == [], f"not shortcuts of the installed JupyterLab (renamed?): {missing}"


def test_every_single_key_that_changes_a_notebook_is_switched_off():
    off = {(c, tuple(k), s) for c, k, s in WRECKING_SHORTCUTS}
    left = sorted(
        (command, keys) for command, keys, selector in installed_shortcuts()
        if "commandMode" in selector or "data-jp-kernel-user" in selector
        if all(len(key) == 1 or key.startswith("Shift ") for key in keys) and keys
        if not command.startswith(HARMLESS) and (command, keys, selector) not in off)
    assert left == [], f"single-key shortcuts a stray keypress can still use on an exercise: {left}"


def test_the_trainee_lab_writes_them_off_and_keeps_the_trainees_own(tmp_path):
    course = load_course(copy_course(tmp_path / "course"))
    _, settings = write_lab_config(course)
    path = settings / SHORTCUT_SETTINGS
    written = json.loads(path.read_text())["shortcuts"]
    assert len(written) == len(WRECKING_SHORTCUTS) and all(s["disabled"] is True for s in written)
    assert {"command": "notebook:delete-cell", "keys": ["D", "D"], "disabled": True,
            "selector": ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"} in written
    own = {"command": "docmanager:save", "keys": ["Accel Shift S"], "selector": "body"}
    path.write_text(json.dumps({"shortcuts": [own, *written]}))
    write_lab_config(course)  # the next start
    again = json.loads(path.read_text())["shortcuts"]
    assert own in again and len(again) == len(WRECKING_SHORTCUTS) + 1
