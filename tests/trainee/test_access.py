"""Without a browser: every control of every vignette kind is named for a screen reader (answers by
their full text), feedback is announced, and after each choice the keyboard is sent to the next
thing to do. The browser test (tests/promises/test_accessibility.py) checks the same in Chromium."""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import pytest

from repairlab.course import load_course
from repairlab.trainee import plots
from repairlab.trainee.kinds import kind_of
from repairlab.trainee.vignettes import load_vignettes
from repairlab.trainee.widgets.access import Access


@pytest.fixture(autouse=True)
def _no_png(monkeypatch):
    def png(figure) -> bytes:
        plt.close(figure)
        return b"\x89PNG"

    monkeypatch.setattr(plots, "png", png)


@pytest.fixture
def focus_log(monkeypatch):
    sent: list[str] = []
    monkeypatch.setattr(Access, "send", lambda self, msg, buffers=None: sent.append(msg["focus"]))
    return sent


def first_of_each_kind():
    found = {}
    for module in load_course().modules:
        for vignette in load_vignettes(module.vignettes).values():
            found.setdefault(kind_of(vignette).name, vignette)
    return [pytest.param(v, id=name) for name, v in found.items()]


def controls(widget):
    for child in getattr(widget, "children", ()):
        yield child
        yield from controls(child)


def label_of(widget, access):
    return access.labels.get(Access._class(widget) or "", {})


@pytest.mark.parametrize("vignette", first_of_each_kind())
def test_every_control_is_named_and_feedback_is_live(vignette):
    widget = kind_of(vignette).make_widget(vignette)
    access = widget.access
    assert "repairlab-vignette" in widget._dom_classes and access in widget.children
    for control in controls(widget):
        if isinstance(control, (w.ToggleButtons, w.Dropdown, w.Image)):
            assert label_of(control, access).get("label"), f"unnamed {type(control).__name__}: {control}"
    assert any(spec["live"] for spec in access.labels.values()), "no live region"
    named = [spec["options"] for spec in access.labels.values() if spec["options"]]
    for options in named:
        assert all(len(o) > 3 for o in options), options


def test_a_dialogue_sends_the_keyboard_to_the_next_turn_then_the_rating(focus_log):
    vignette = next(p.values[0] for p in first_of_each_kind() if p.id == "branching-dialogue")
    widget = kind_of(vignette).make_widget(vignette)
    turns = 0
    while not widget.practice.node.ending:
        node = widget.practice.node
        widget.choice.value = node.choices[-1].id
        turns += 1
        target = widget.rating if widget.practice.node.ending else widget.choice
        assert focus_log[-1] == Access._class(target), f"turn {turns}: focus went to {focus_log[-1]}"
        if not widget.practice.node.ending:
            assert label_of(widget.choice, widget.access)["options"] == [
                f"{c.id}. {c.text}" for c in widget.practice.node.choices]
    widget.rating.value = 3
    assert focus_log[-1] == Access._class(widget.again)
    assert "turn" in label_of(widget.map, widget.access)["label"]
