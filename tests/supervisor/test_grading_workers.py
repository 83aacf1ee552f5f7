"""How grading workers start: forked from the command (nbgrader already loaded) when they only grade from
data on Linux; started afresh when an exercise runs trainee notebooks (a kernel client must not inherit
its parent's state) and on macOS (where forking is unsafe)."""

from __future__ import annotations

import dataclasses

import pytest

from repairlab.supervisor import grading


def with_grading(course, exercise_id: str, how: str):
    modules = tuple(dataclasses.replace(module, exercises=tuple(
        dataclasses.replace(ex, grading=how) if ex.id == exercise_id else ex for ex in module.exercises))
        for module in course.modules)
    return dataclasses.replace(course, modules=modules)


@pytest.mark.parametrize("platform, sandboxed, method", [
    ("linux", None, "fork"),
    ("linux", "owning-your-part", "spawn"),
    ("darwin", None, "spawn"),
])
def test_workers_are_forked_only_to_grade_from_data_on_linux(course, monkeypatch, platform, sandboxed, method):
    monkeypatch.setattr(grading.sys, "platform", platform)
    if sandboxed:
        course = with_grading(course, sandboxed, "sandbox")
    tasks = [(ex.id, "ana") for ex in course.exercises]
    assert all(ex.grading == "data" for ex in course.exercises if ex.id != sandboxed)
    assert grading._start_method(course, tasks).get_start_method() == method
