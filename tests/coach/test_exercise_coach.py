"""The response coach on the course's own written tasks: it never writes a score, its elements are
the mark scheme's, in order, its rules catch keyword lists and words about the client, and the
adversarial answers of adversarial.yml get what the report says they get."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from repairlab.cli import main
from repairlab.coach import voice
from repairlab.coach.exercise import CoachError, exercise_coach, load_bank, scheme_elements

from helpers import REPO, copy_course

ADVERSARIAL = yaml.safe_load(Path(__file__).with_name("adversarial.yml").read_text(encoding="utf-8"))
TASKS = sorted(ADVERSARIAL)


@pytest.fixture(scope="module")
def coaches(course):
    return {ex: exercise_coach(course, ex, ADVERSARIAL[ex]["task"]) for ex in TASKS}


@pytest.mark.parametrize("exercise", TASKS)
def test_the_coachs_elements_are_the_mark_schemes_in_order(course, exercise, coaches):
    notebook = course.paths.source(exercise) / f"{exercise}.ipynb"
    assert tuple(e.name for e in coaches[exercise].elements) == scheme_elements(notebook, ADVERSARIAL[exercise]["task"])
    assert len(load_bank(course, exercise).responses) >= 60


@pytest.mark.parametrize("exercise", TASKS)
def test_an_element_under_the_kappa_bar_is_not_judged_and_says_so(exercise, coaches):
    coach = coaches[exercise]
    text = ADVERSARIAL[exercise]["unusual"]
    for kappa, fitted, judgement in zip(coach.kappas, coach.models, coach.judge(text)):
        assert (fitted is not None) == (kappa is not None and kappa >= 0.60)
        if fitted is None:
            assert judgement.score is None and judgement.why == voice.NOT_JUDGED
            assert "compare your words with the model answer for this part" in judgement.why
        elif judgement.score is None:  # a judged element, but not on this text: it says so
            assert judgement.why.endswith(voice.COMPARE)
        else:
            assert judgement.score in (0, 0.5, 1) and judgement.why
            assert all(e.lower() in text.lower() for e in judgement.evidence)  # the trainee's own words


@pytest.mark.parametrize("exercise", TASKS)
@pytest.mark.parametrize("variant", ["stuffed list", "stuffed sentence"])
def test_keyword_stuffing_with_no_repair_meets_nothing(exercise, variant, coaches):
    scores = [j.score for j in coaches[exercise].judge(ADVERSARIAL[exercise][variant])]
    assert not [s for s in scores if s is not None and s > 0.5], scores
    assert sum(s or 0 for s in scores) <= 0.5


@pytest.mark.parametrize("exercise", TASKS)
def test_words_about_the_client_are_not_words_to_them(exercise, coaches):
    """A plan or words about the client is scored one level lower, as the adjudicator ruled, and says why."""
    coach = coaches[exercise]
    spoken = [(e, j) for e, j in zip(coach.elements, coach.judge(ADVERSARIAL[exercise]["about"]))
              if e.kind in voice.SPOKEN and j.score is not None]
    assert spoken
    for element, judgement in spoken:
        assert judgement.score <= 0.5 and f"speak about {coach.client.name}" in judgement.why


@pytest.mark.parametrize("exercise", TASKS)
def test_a_good_repair_in_unusual_words_is_not_marked_down(exercise, coaches):
    judged = [j.score for j in coaches[exercise].judge(ADVERSARIAL[exercise]["unusual"]) if j.score is not None]
    assert all(s >= 0.5 for s in judged), judged


def test_sentiment_is_not_quality(coaches):
    """Warm, sorry, self-reproaching words with no act, impact, change or question earn nothing; the
    plain repair that VADER would score as negative does."""
    coach = coaches["owning-your-part"]
    warm = "I'm so, so sorry, I feel terrible about it and I really do care about you so much, I promise."
    plain = ("You're right, I looked at my phone while you were telling me about the train, and I'm sorry it "
             "hurt. It's off now. How was that for you?")
    warm_total = sum(j.score or 0 for j in coach.judge(warm))
    assert warm_total <= 0.5
    assert sum(j.score or 0 for j in coach.judge(plain)) >= warm_total + 2


def test_repairlab_coach_prints_json_lines_in_scheme_order_and_writes_nothing(tmp_path, capsys, monkeypatch):
    root = copy_course(tmp_path / "course")
    answers = tmp_path / "answers.jsonl"
    answers.write_text("\n".join(json.dumps({"id": f"t{n}", "text": ADVERSARIAL["owning-your-part"][v]})
                                 for n, v in enumerate(["unusual", "about"])) + "\n", encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    monkeypatch.chdir(root)
    assert main(["coach", "owning-your-part", "written-repair", "--input", str(answers), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    names = list(scheme_elements(root / "solutions/owning-your-part/owning-your-part.ipynb", "written-repair"))
    assert [x["id"] for x in lines] == ["t0", "t1"]
    for line in lines:
        assert [e["name"] for e in line["elements"]] == names
        assert all(set(e) == {"name", "score", "evidence", "why"} and e["score"] in (0, 0.5, 1, None)
                   for e in line["elements"])
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()} == before  # no score written anywhere
    assert not (root / "gradebook.db").exists() or "gradebook.db" in {p.name for p in before}


def test_repairlab_coach_table_says_it_only_suggests(tmp_path, capsys, monkeypatch):
    answers = tmp_path / "a.jsonl"
    answer = {"id": "ana", "text": ADVERSARIAL["reading-the-markers"]["unusual"]}
    answers.write_text(json.dumps(answer), encoding="utf-8")
    monkeypatch.chdir(REPO)
    assert main(["coach", "reading-the-markers", "written-metacommunication", "--input", str(answers)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Suggestions only: you decide every score.") and "\nana\n" in out and "Specific" in out


@pytest.mark.parametrize("content, message", [
    ('{"id": 1}\n', 'a.jsonl, line 1: needs "id" and "text"'),
    ("not json\n", "a.jsonl, line 1: not JSON"),
])
def test_repairlab_coach_names_the_bad_line(tmp_path, capsys, monkeypatch, content, message):
    (tmp_path / "a.jsonl").write_text(content, encoding="utf-8")
    monkeypatch.chdir(REPO)
    assert main(["coach", "owning-your-part", "written-repair", "--input", str(tmp_path / "a.jsonl")]) == 2
    assert message in capsys.readouterr().err


def test_a_bank_that_drifts_from_the_mark_scheme_is_named(tmp_path, monkeypatch):
    from repairlab.course import load_course

    root = copy_course(tmp_path / "course")
    bank = root / "solutions/owning-your-part/coach-bank.yml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("name: What will change", "name: Change"),
                    encoding="utf-8")
    with pytest.raises(CoachError, match="coach-bank.yml: field 'elements' must name the mark scheme's elements"):
        load_bank(load_course(root), "owning-your-part")
    with pytest.raises(CoachError, match="knows the written task 'written-repair', not 'written-x'"):
        exercise_coach(load_course(REPO), "owning-your-part", "written-x")


def test_a_minimising_apology_is_words_to_the_client_and_names_no_act(coaches):
    """No "I" and no "you", but said to Tomás: judged as such, and the act it explains away is not met
    (the scheme's own 'None' anchor)."""
    judgements = coaches["owning-your-part"].judge("Sorry, it was only a quick check. Please go on.")
    assert not any("describe a repair" in j.why for j in judgements)
    assert judgements[0].score == 0 and any("quick" in e for e in judgements[0].evidence)
