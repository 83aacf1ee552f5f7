"""What a judgement may say: a denial is never credited ("I did not look at my phone", "I am not
going to ask"); the evidence for an element comes only from that element's own patterns; the
sentence of why quotes only the trainee's words and claims nothing that is not there; a trivial
edit (contraction, "mobile", lower-case "i") reads the same; and the supervisor's table shows the
elements it does not judge as "not judged"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from repairlab.cli import main
from repairlab.coach.exercise import exercise_coach
from repairlab.coach.judge import AGAINST, REFUSE_TO_ASK, SUPPORT
from repairlab.coach.normalise import normalise
from repairlab.coach.patterns import (
    COMPILED,
    DEFENCE,
    DISOWNED,
    JUSTIFY,
    NON_APOLOGY,
    OVER_APOLOGY,
    STEREOTYPE,
    negated,
)
from repairlab.coach.realistic import load_set

from helpers import REPO


def load_yaml_set(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))

REALISTIC = load_set(Path(__file__).with_name("realistic.yml"))
QUOTE = re.compile("\u201c([^\u201d]*)\u201d")
DENIAL = ("I did not look at my phone while you were talking about the train, so there is nothing to own here. I'm "
          "not going to switch it off. And I'm not going to ask how that was for you.")


@pytest.fixture(scope="module")
def coaches(course):
    return {ex: exercise_coach(course, ex, t.task) for ex, t in REALISTIC.items()}


@pytest.mark.parametrize("text, words, denied", [
    ("I did not look at my phone.", "look at", True),
    ("I'm not going to ask how that was for you.", "for you", True),
    ("I won't switch it off.", "switch", True),
    ("I looked at my phone, I'm not sure why.", "look", False),  # a hedge is not a denial
    ("No wonder you'd think you were a bother.", "bother", False),
    ("You're right, I did not listen, but I looked at my phone.", "looked at", False),  # another clause
])
def test_negation_reaches_to_the_end_of_its_clause(text, words, denied):
    norm = normalise(text)
    start = norm.text.index(words)
    assert negated(norm.text, start, start + len(words)) is denied


def test_a_denial_of_every_element_earns_nothing(coaches):
    """A whole answer that denies is "not met" on every element, and the note quotes the denial (it
    never says the coach found nothing)."""
    judgements = coaches["owning-your-part"].judge(DENIAL)
    assert all(j.score == 0 for j in judgements), [(j.name, j.score) for j in judgements]
    assert all(j.why.startswith("Here your words defend, explain or deny") for j in judgements)
    assert all(j.evidence and all(e in DENIAL for e in j.evidence) for j in judgements)


def test_a_denied_part_inside_a_repair_is_not_judged(coaches):
    text = ("I looked at my phone while you were telling me about the train, and I'm sorry. I won't ask you how "
            "that felt, we should focus on the panic attack instead. I'll keep it switched off from now on.")
    judgements = coaches["owning-your-part"].judge(text)
    assert judgements[0].score == 1 and judgements[2].score == 1
    assert judgements[3].score in (None, 0) and "I won't" not in judgements[2].evidence


def test_an_impact_said_through_a_negation_still_counts(coaches):
    """"As if what you said did not matter" and "you are not in the way" offer the impact; "it does
    not mean you do not matter" waves it away."""
    coach = coaches["owning-your-part"]
    offered = ("I looked at my phone while you were telling me about the train. That may have felt as if what "
               "you said did not matter to me. It's off now. How was that for you?")
    waved = ("I looked at my phone while you were telling me about the train. It does not mean you do not "
             "matter. It's off now. How was that for you?")
    assert coach.judge(offered)[1].score in (0.5, 1)
    assert coach.judge(waved)[1].score in (None, 0)


def _own_patterns(coach, index):
    kind = coach.elements[index].kind
    families = [COMPILED[f] for f in (*SUPPORT[kind], *AGAINST.get(kind, ()))]
    return [p for p in (coach._cues[index], *families) if p is not None]


@pytest.mark.parametrize("exercise", sorted(REALISTIC))
def test_evidence_and_why_come_from_the_elements_own_patterns_and_the_trainees_words(exercise, coaches):
    coach = coaches[exercise]
    for case in REALISTIC[exercise].responses:
        for index, judgement in enumerate(coach.judge(case.text)):
            defends = judgement.why.startswith("Here your words") and not judgement.why.startswith(
                "Here your words say what you did not")
            refused_to_ask = REFUSE_TO_ASK.search(normalise(" ".join(judgement.evidence)).text)
            for words in judgement.evidence if not (defends or refused_to_ask) else ():
                assert words.lower() in case.text.lower()
                read = normalise(words, coach._targets, coach.known).text
                assert any(p.search(read) for p in _own_patterns(coach, index)), (case.id, judgement.name, words)
            for quoted in QUOTE.findall(judgement.why):
                assert quoted.lower() in case.text.lower(), (case.id, judgement.why)
            if judgement.score in (0.5, 1):  # met or partly: the words behind it are shown and quoted
                assert judgement.evidence and QUOTE.search(judgement.why)
            if "found nothing in your words" in judgement.why:
                assert not judgement.evidence
            if defends:  # the words quoted are a defence, a denial or apology piled up
                refusals = (DEFENCE, OVER_APOLOGY, JUSTIFY, NON_APOLOGY, DISOWNED, STEREOTYPE)
                assert all(any(p.search(normalise(w).text) for p in refusals)
                           for w in judgement.evidence), judgement.evidence


def test_the_reviewers_false_sentences_are_gone(coaches):
    """Over-apologising addressed to Tomás by name is not "words about him"; no "wish to do better"
    is claimed where there is none."""
    coach = coaches["owning-your-part"]
    sorry = "Oh no, I'm so so sorry, Tomás. I feel terrible, that was so unprofessional of me. I'm so sorry."
    for judgement in coach.judge(sorry):
        assert "speak about" not in judgement.why and "wish to do better" not in judgement.why
    for case in REALISTIC["owning-your-part"].responses:
        assert all("wish to do better" not in j.why for j in coach.judge(case.text))


@pytest.mark.parametrize("first, second", [
    ("I looked at my phone while you were telling me about the train.",
     "I looked at my mobile while you were telling me about the train."),
    ("I'm sorry, I wasn't listening.", "I am sorry, I was not listening."),
    ("i looked at my phone", "I looked at my phone"),
    ("I'll put it away", "I will put it away"),
    ("It must of felt like it didnt matter", "It must have felt like it did not matter"),
    ("I looked at my phnoe", "I looked at my phone"),
])
def test_trivial_edits_read_the_same(first, second):
    targets = frozenset({"phone"})
    assert normalise(first, targets).text == normalise(second, targets).text


def test_a_misspelling_is_quoted_as_the_trainee_wrote_it(coaches):
    text = "I looked at my phnoe while you were telling me about the train. It's off now. How was that for you?"
    act = coaches["owning-your-part"].judge(text)[0]
    assert "phnoe" in act.evidence and "phone" not in " ".join(act.evidence)


def test_the_table_shows_not_judged_rows(tmp_path, capsys, monkeypatch):
    answers = tmp_path / "a.jsonl"
    text = "I looked at my phone while you were talking. It may have felt odd. I will not ask how that was for you."
    answers.write_text(json.dumps({"id": "denial", "text": text}) + "\n", encoding="utf-8")
    monkeypatch.chdir(REPO)
    assert main(["coach", "owning-your-part", "written-repair", "--input", str(answers)]) == 0
    out = capsys.readouterr().out
    assert "not judged" in out and "against the mark scheme" in out and "model answer" not in out
    assert "I will not ask how that was for you" in " ".join(out.split())
    assert main(["coach", "owning-your-part", "written-repair", "--input", str(answers), "--json"]) == 0
    elements = json.loads(capsys.readouterr().out)["elements"]
    assert any(e["score"] is None for e in elements)
    for e in elements:  # the JSON and the table word the why the same way
        assert e["why"] in " ".join(out.split()), e["why"]


REVIEWER = {r["id"]: r["text"] for task in load_yaml_set(Path(__file__).with_name("reviewer.yml")).values()
            for r in task["responses"]}


@pytest.mark.parametrize("exercise, answer, element, not_evidence", [
    ("repair-strategies", "h01", 2, "I got"),  # "Have I got that right" is the check, not the act
    ("owning-your-part", "t10", 0, "I put"),  # "Next time I put the mobile outside" is the change
    ("owning-your-part", "t20", 2, "I won't"),  # "I won't ask you how that felt" is no commitment
    ("owning-your-part", "t02", 1, "you're right"),  # "you're right to stop me" is not an impact
    ("owning-your-part", "t02", 1, "stop"),
    ("owning-your-part", "t02", 2, "away"),  # "I looked away" is the act, not the change
    ("cultural-ruptures", "b01", 2, "tell me"),  # "what you actually tell me" hands nothing over
])
def test_evidence_comes_from_the_sentence_doing_that_elements_work(exercise, answer, element, not_evidence, course):
    coach = exercise_coach(course, exercise, load_yaml_set(Path(__file__).with_name("reviewer.yml"))[exercise]["task"])
    judgement = coach.judge(REVIEWER[answer])[element]
    assert not any(not_evidence.lower() == e.lower() for e in judgement.evidence), judgement


def test_the_table_speaks_to_the_supervisor(tmp_path, capsys, monkeypatch):
    answers = tmp_path / "a.jsonl"
    lines = [{"id": "short", "text": "Sorry about that."}, {"id": "list", "text": "phone, glance, train, sorry, feel"},
             {"id": "t24", "text": REVIEWER["t24"]}, {"id": "t03", "text": REVIEWER["t03"]}]
    answers.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    monkeypatch.chdir(REPO)
    assert main(["coach", "owning-your-part", "written-repair", "--input", str(answers)]) == 0
    out = capsys.readouterr().out.split("\n\n", 1)[1]  # the table, after the header
    for to_the_trainee in ("your words", "Your words", "write two to four", "you would say", "to make it full",
                           ": you "):
        assert to_the_trainee not in out, to_the_trainee


def test_help_lists_the_tasks_and_says_suggestions_only(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    with pytest.raises(SystemExit):
        main(["coach", "--help"])
    out = capsys.readouterr().out
    assert "Suggestions only" in out and "owning-your-part" in out and "written-repair" in out
