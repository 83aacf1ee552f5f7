"""What the feedback page says about each item (repairlab.nbgrader_api.feedback_page.item_lines, from
the data TrustedScores keeps): for every exercise and every item, a trainee is simulated choosing each
wrong answer, and the line the page shows must speak about that choice, never about the key. A
missed item's line holds no words of the key's why, no keyed letter, label or rating, no other
option's letter and no comparison with the key; it differs with the answer chosen; a missed safety
item gets only the safety note. An item answered as the key keeps the key's why."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from repairlab import labels
from repairlab.checks import DIFFERS, MATCHES, NO_REASON, RATING_SCALE
from repairlab.course import load_course
from repairlab.nbgrader_api.feedback_page import SAFETY_REASON, item_lines, outputs_of
from repairlab.nbgrader_api.parts import exercise_parts
from repairlab.nbgrader_api.preprocessors import trusted_outputs

COURSE = load_course()
PARTS = [(exercise, part) for exercise in COURSE.exercises
         for part in exercise_parts(exercise.id, COURSE.paths.source(exercise.id) / exercise.notebook_name)]
DISPLAY = {**labels.RESPONSE_CATEGORIES, **labels.MARKERS, **labels.THREE_RS_MARKERS}
# Words that would compare the choice with the key, or point at another option.
COMPARING = re.compile(r"\b(unlike|best (option|response|answer|move)|the other options?|the others|the key|"
                       r"the (right|correct|keyed) (one|option|answer|label))\b", re.I)
SHINGLE = 7  # this many words of the key's why in a row would be quoting it


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _shares_a_run(reason: str, why: str) -> str:
    runs = {" ".join(w[i:i + SHINGLE]) for w in [_words(why)] for i in range(len(w) - SHINGLE + 1)}
    said = _words(reason)
    return next((" ".join(said[i:i + SHINGLE]) for i in range(len(said) - SHINGLE + 1)
                 if " ".join(said[i:i + SHINGLE]) in runs), "")


def _names_label(text: str, label) -> bool:
    """Whether text names a label: its id as a word of its own ("owning", not "over-owning"), its
    display name, or, for a rating, the number standing alone."""
    if isinstance(label, int):
        return re.search(rf"(?<![\w.-]){label}(?![\w.-])", text) is not None
    if re.fullmatch(r"[A-Z]", label):
        return label in _letters(text)
    named = re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", text, re.I) is not None
    return named or (label in DISPLAY and DISPLAY[label].lower() in text.lower())


def _letters(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w'])([A-D])(?![\w'])", text))


def _wrong_answers(part) -> list:
    return list(RATING_SCALE if part.scorer == "score_ratings" else part.allowed)


def _graded(part, answers: list) -> tuple:
    """(score, items, summary, problem) as the page reads them (outputs_of) from the outputs grading
    computes (trusted_outputs) when the trainee typed these answers, one per line."""
    source = f'{part.variable} = """\n' + "\n".join(str(a) for a in answers) + '\n"""'
    outputs = trusted_outputs(part, source)
    return outputs_of(SimpleNamespace(get=lambda name, default=None: outputs if name == "outputs" else default))


def _page_lines(exercise, part, answers: list) -> list[str]:
    """The lines the page shows for this part (item_lines)."""
    score, items, summary, problem = _graded(part, answers)
    assert problem == "" and score is not None and summary, (exercise.id, part.grade_id, problem)
    return [str(line) for line in item_lines(items, exercise.safety.get(part.grade_id, ()))]


def _misses():
    for exercise, part in PARTS:
        if part.scorer == "score_selection":
            continue  # no exercise has one; tests/test_checks.py covers the scorer
        for number, (key, why) in enumerate(part.key, start=1):
            for wrong in _wrong_answers(part):
                if str(wrong) != str(key):
                    yield exercise, part, number, key, why, wrong


MISSES = list(_misses())


def test_every_item_of_every_exercise_is_simulated():
    assert len({(e.id, p.grade_id) for e, p in PARTS}) == 12
    assert len(MISSES) == 276  # every wrong answer of every item


@pytest.mark.parametrize("exercise, part", PARTS, ids=[f"{e.id}:{p.grade_id}" for e, p in PARTS])
def test_a_missed_items_line_speaks_about_the_choice_never_the_key(exercise, part):
    safety = exercise.safety.get(part.grade_id, ())
    keys = [key for key, _ in part.key]
    for _, _, number, key, why, wrong in (m for m in MISSES if m[1] is part):
        answers = keys.copy()
        answers[number - 1] = wrong
        lines = _page_lines(exercise, part, answers)
        where = f"{exercise.id}/{part.grade_id} {part.item_word} {number}, answered {wrong!r} (key {key!r})"
        line = lines[number - 1]
        head, reason = line.split(f": {DIFFERS}. ", 1)
        assert head == f"{part.item_word} {number} (your answer: {wrong})", where
        # the other items, answered as the course does, keep the key's why
        assert all(lines[n].endswith(f": {MATCHES}. {part.key[n][1]}") for n in range(len(keys)) if n != number - 1)
        if number in safety:
            assert reason == SAFETY_REASON, where
            continue
        assert reason != NO_REASON, f"{where}: no sentence written for this answer"
        assert not _shares_a_run(reason, why), f"{where}: quotes the key's why: {_shares_a_run(reason, why)!r}"
        assert not _names_label(reason, key), f"{where}: names the key: {reason}"
        assert not COMPARING.search(reason), f"{where}: compares with the key: {reason}"
        if part.allowed == ("A", "B", "C", "D"):
            assert _letters(reason) <= {wrong}, f"{where}: names another option: {reason}"


@pytest.mark.parametrize("exercise, part", PARTS, ids=[f"{e.id}:{p.grade_id}" for e, p in PARTS])
def test_the_line_differs_with_the_answer_chosen(exercise, part):
    """Each wrong answer gets its own sentence, so the line is about the choice; a line that were the
    same whatever was chosen could only be about the key."""
    for number, (key, _) in enumerate(part.key, start=1):
        reasons = {}
        for wrong in _wrong_answers(part):
            if str(wrong) == str(key):
                continue
            answers = [k for k, _ in part.key]
            answers[number - 1] = wrong
            reasons[wrong] = _graded(part, answers)[1][number - 1]["reason"]
        assert len(set(reasons.values())) == len(reasons), (exercise.id, part.grade_id, number, reasons)


@pytest.mark.parametrize("exercise, part", PARTS, ids=[f"{e.id}:{p.grade_id}" for e, p in PARTS])
def test_the_sentences_do_not_point_to_one_another(exercise, part):
    """Style: an option's sentence names no other option; a label's check names no other label; an
    item's pointer (the same whatever wrong label was chosen) names no label at all."""
    feedback = part.feedback
    if "chosen" in feedback:
        assert len(feedback["chosen"]) == len(part.key)
        for group, (key, _) in zip(feedback["chosen"], part.key):
            assert set(group) == set(part.allowed) - {key}, (part.grade_id, "one per wrong option, none for the key")
            for option, sentence in group.items():
                assert _letters(sentence) <= {option}, (part.grade_id, option, sentence)
                assert sentence.startswith(f"{option} "), (part.grade_id, option, "says which option it is about")
    else:
        checks, pointers = feedback["label_checks"], feedback["look_again"]
        assert set(checks) == set(_wrong_answers(part)) and len(pointers) == len(part.key)
        for label, sentence in checks.items():
            others = [other for other in _wrong_answers(part) if other != label]
            assert not [o for o in others if _names_label(sentence, o)], (part.grade_id, label, sentence)
        for pointer in pointers:
            assert not [label for label in _wrong_answers(part) if _names_label(pointer, label)], pointer
            assert pointer.startswith("Look again at"), pointer


def test_the_sentences_stay_in_the_hidden_tests_and_out_of_the_release():
    for exercise, part in PARTS:
        released = (COURSE.paths.root / "exercises" / exercise.id / exercise.notebook_name).read_text(encoding="utf-8")
        source = (COURSE.paths.source(exercise.id) / exercise.notebook_name).read_text(encoding="utf-8")
        sentences = [s for group in part.feedback.get("chosen", []) for s in group.values()]
        sentences += list(part.feedback.get("label_checks", {}).values()) + part.feedback.get("look_again", [])
        assert sentences
        for sentence in sentences:
            assert sentence.replace('"', '\\"') in source and sentence[:40] not in released, (exercise.id, sentence)
