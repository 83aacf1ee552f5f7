"""The blind panel's promises: every key has been reviewed blind by two reviewers on its current text,
the packet a reviewer reads holds no key, and a verdict on old text no longer counts."""

from __future__ import annotations

from dataclasses import replace

import pytest
import yaml

from repairlab.authoring import panel
from repairlab.course import load_course
from repairlab.nbgrader_api.parts import exercise_parts


@pytest.fixture(scope="module")
def course():
    return load_course()


@pytest.fixture(scope="module")
def cases(course):
    return panel.all_cases(course)


def test_every_key_has_two_blind_reviews_of_its_current_text(course):
    verdicts = panel.load_verdicts(course.paths.solutions / panel.VERDICTS)
    _, _, unreviewed = panel.agreement(course, verdicts)
    assert not unreviewed, f"{len(unreviewed)} items need review; first: {unreviewed[:3]}"


def test_every_graded_and_practice_item_is_in_the_packet(course, cases):
    groups = {case.group for case in cases}
    for module in course.modules:
        assert f"practice {module.id}" in groups
        for exercise in module.exercises:
            assert f"exercise {exercise.id}" in groups
            parts = exercise_parts(exercise.id, course.paths.source(exercise.id) / exercise.notebook_name)
            in_packet = sum(len(c.items) for c in cases if c.group == f"exercise {exercise.id}")
            assert in_packet == sum(len(p.items) for p in parts)


def test_the_packet_holds_no_feedback_why_or_scheme(course):
    text = panel.packet(course)
    secrets = []
    for module in course.modules:
        secrets += list(_said_after_a_choice(yaml.safe_load((course.root / module.vignettes).read_text())))
        for exercise in module.exercises:
            for part in exercise_parts(exercise.id, course.paths.source(exercise.id) / exercise.notebook_name):
                secrets += [entry[-1] for entry in part.key]
    secrets = [s.strip("'\" ")[:50] for s in secrets if len(s) > 30]
    assert secrets, "the test found nothing to look for"
    leaked = [s for s in secrets if s in text]
    assert not leaked, leaked[:3]
    assert panel.MARK_SCHEME[0] not in text


def _said_after_a_choice(data):
    """Every text a vignette shows only once the trainee has answered."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("feedback", "why", "debrief", "next_session", "reading") and isinstance(value, str):
                yield value
            else:
                yield from _said_after_a_choice(value)
    elif isinstance(data, list):
        for value in data:
            yield from _said_after_a_choice(value)


def test_a_verdict_on_rewritten_text_is_no_longer_counted(course, cases):
    case = next(c for c in cases if c.group.startswith("practice"))
    item_id = case.item_id(1)
    verdicts = [panel.Verdict(r, item_id, case.fingerprint(1), str(case.items[0].key), (), "") for r in ("a", "b")]
    _, _, unreviewed = panel.agreement(course, verdicts)
    assert not any(line.startswith(f"{item_id}:") for line in unreviewed)
    stale = [replace(v, fingerprint="0" * 12) for v in verdicts]
    _, _, unreviewed = panel.agreement(course, stale)
    assert any(line.startswith(f"{item_id}:") for line in unreviewed)


def test_a_reviewer_who_chooses_otherwise_disputes_the_key(course, cases):
    case = next(c for c in cases if c.items[0].kind == "single-best")
    item = case.items[0]
    other = next(chr(65 + i) for i in range(len(item.options)) if chr(65 + i) != item.key)
    verdict = panel.Verdict("a", case.item_id(1), case.fingerprint(1), other, (), "prefers another")
    tallies, disputed, _ = panel.agreement(course, [verdict])
    assert any(case.item_id(1) in line and "chose" in line for line in disputed)
    assert tallies[case.group].with_key == 0
