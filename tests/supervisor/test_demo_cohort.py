"""The demo cohort reads like a cohort: some trainees miss some items in every autograded part (not all of
them, and not the same ones), and written answers read like trainees' (varied, no ids, never the model
answers, the calibration samples or the coach banks). A reviewer saw every item right or blank and every
written answer the same placeholder with a grade id in it."""

from __future__ import annotations

import re
from collections import Counter

import nbformat

from repairlab.course import load_course
from repairlab.nbgrader_api import cells
from repairlab.supervisor.demo_cohort import ANSWER_BLOCK, PROFILES, make_cohort, model_answer

from helpers import REPO


def answer_lines(source: str) -> list[str]:
    match = ANSWER_BLOCK.search(source)
    return match.group(2).splitlines() if match else []


def _answers(nb) -> dict[str, list[str]]:
    return {c.id: answer_lines(c.source) for c in nb.cells if cells.is_answer(c) and c.cell_type == "code"}


def _keyed(nb) -> dict[str, list[str]]:
    return {c.id: answer_lines(model_answer(c.source)) for c in nb.cells if answer_lines(model_answer(c.source))}


def test_some_trainees_miss_some_items_in_every_autograded_part(tmp_path):
    course = load_course(REPO)
    profiles = make_cohort(course, 8, tmp_path / "subs", tmp_path / "roster.csv")
    assert {"complete", "partial", "blank", "broken", "missing"} <= set(profiles.values())
    mixed = [t for t, p in profiles.items() if p == "mixed"]
    assert len(mixed) >= 2
    for exercise in course.exercises:
        solution = nbformat.read(course.paths.source(exercise.id) / exercise.notebook_name, as_version=4)
        key = _keyed(solution)
        missed_by = {}
        for trainee in mixed:
            handed = _answers(nbformat.read(tmp_path / "subs" / trainee / exercise.notebook_name, as_version=4))
            for cell, lines in key.items():
                wrong = [i for i, (a, b) in enumerate(zip(handed[cell], lines)) if a != b]
                assert len(handed[cell]) == len(lines) and 0 < len(wrong) < len(lines), (exercise.id, trainee, cell)
                assert set(handed[cell]) <= set(lines), "a wrong answer is still one of the part's own answers"
                missed_by[(cell, trainee)] = wrong
        for cell in key:
            assert len({tuple(missed_by[(cell, t)]) for t in mixed}) > 1, f"every trainee missed the same {cell} items"


def test_written_answers_read_like_trainees_and_copy_nothing(tmp_path):
    course = load_course(REPO)
    profiles = make_cohort(course, 8, tmp_path / "subs", tmp_path / "roster.csv")
    protected = " ".join(
        path.read_text(encoding="utf-8") for pattern in ("*/*.ipynb", "*/calibration.yml", "*/coach-bank.yml")
        for path in (REPO / "solutions").glob(pattern)
    )
    protected = " ".join(protected.replace("\\n", " ").split())
    for exercise in course.exercises:
        written = Counter()
        for trainee, profile in profiles.items():
            path = tmp_path / "subs" / trainee / exercise.notebook_name
            if profile in ("blank", "missing") or not path.exists():
                continue
            for task, cell in cells.written_answer_cells(nbformat.read(path, as_version=4)).items():
                text = cell.source
                assert not re.search(r"\bt\d\d\b", text) and task not in text and "written-" not in text
                assert len(text.split()) >= 10
                for sentence in re.split(r"(?<=[.?!])\s+", text):
                    if len(sentence.split()) >= 6:
                        assert sentence not in protected, (exercise.id, sentence)
                written[text] += 1
        if written:
            assert len(written) >= 3, f"{exercise.id}: written answers too alike"


def test_profiles_cycle_through_the_mixed_ones():
    assert PROFILES.count("mixed") == 2 and PROFILES.count("complete") == 2
