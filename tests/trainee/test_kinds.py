"""The vignette kinds of modules 3-6 (transcript coding, branching dialogue, cultural check, self-talk):
validation with one clear error per mistake, the practice logic, the registry and the widgets, all
without a browser."""

import copy
import json
from importlib import resources

import pytest
import yaml

from repairlab.agreement import cohen_kappa
from repairlab.checks import check_ratings, grade_agreement, grade_ratings
from repairlab.errors import AnswerError, CourseError, VignetteError
from repairlab.trainee import plots
from repairlab.trainee.kinds import KINDS, kind_of
from repairlab.trainee.kinds.branching_dialogue import BranchPractice
from repairlab.trainee.kinds.choose_response import ResponsePractice
from repairlab.trainee.kinds.self_talk import SelfTalkPractice
from repairlab.trainee.kinds.transcript_coding import (
    TranscriptCoding,
    TranscriptPractice,
    Turn,
)
from repairlab.trainee.vignettes import load_vignettes
from repairlab.trainee.widgets.base import VignetteBox
from repairlab.trainee.widgets.transcript_coding import coding_summary_html


def make_widget(vignette):
    return kind_of(vignette).make_widget(vignette)


def _turns(codes):
    turns = []
    markers = {"withdrawal": "minimal-response", "confrontation": "complaint-therapist"}
    for n, code in enumerate(codes, start=1):
        turns.append({"speaker": "therapist", "text": f"Therapist line {n}."})
        client = {"speaker": "client", "text": f"Client line {n}.", "code": code, "why": f"Reason {n}."}
        if code != "none":
            client["marker"] = markers[code]
        turns.append(client)
    return turns


TRANSCRIPT = {
    "id": "six-turns", "kind": "transcript-coding", "title": "T", "context": "A fictional session.",
    "turns": _turns(["none", "none", "withdrawal", "withdrawal", "confrontation", "confrontation"]),
    "debrief": "What to say at turn 3.",
}

DIALOGUE = {
    "id": "you-never-listen",
    "kind": "branching-dialogue",
    "title": "D",
    "context": "A fictional session.",
    "start": "open",
    "nodes": {
        "open": {
            "client": "You never listen.",
            "alliance": 4,
            "choices": [
                {"id": "A", "text": "That's not fair.", "category": "defending", "feedback": "f", "next": "defended"},
                {"id": "B", "text": "Tell me more.", "category": "exploring", "feedback": "f", "next": "heard"},
            ],
        },
        "defended": {
            "client": "See?",
            "alliance": 3,
            "choices": [
                {
                    "id": "A",
                    "text": "You're right, I got defensive.",
                    "category": "owning",
                    "feedback": "f",
                    "next": "partly",
                },
                {"id": "B", "text": "Let's move on.", "category": "deflecting", "feedback": "f", "next": "stuck"},
            ],
        },
        "heard": {
            "client": "Last week you cut me off.",
            "alliance": 5,
            "choices": [
                {"id": "A", "text": "I did. How was that?", "category": "owning", "feedback": "f", "next": "repaired"},
                {
                    "id": "B",
                    "text": "I'm so sorry, I'm useless.",
                    "category": "over-apologising",
                    "feedback": "f",
                    "next": "partly",
                },
            ],
        },
        "repaired": {"client": "Thanks for hearing it.", "alliance": 7, "resolution": {"rating": 4, "why": "w"}},
        "partly": {"client": "OK.", "alliance": 5, "resolution": {"rating": 3, "why": "w"}},
        "stuck": {"client": "Whatever.", "alliance": 2, "resolution": {"rating": 1, "why": "w"}},
    },
}

CULTURAL = {
    "id": "assumed",
    "kind": "cultural-check",
    "title": "C",
    "context": "c",
    "client_says": "You think you know me.",
    "cultural": {"reading": "cultural", "why": "Assumed sameness."},
    "alliance": {"before": 6, "rupture": 4},
    "responses": [
        {
            "id": "A",
            "text": "Say more about that?",
            "category": "cultural-humility",
            "alliance_after": 6,
            "feedback": "f",
            "best": True,
        },
        {
            "id": "B",
            "text": "We share a background.",
            "category": "cultural-assumption",
            "alliance_after": 3,
            "feedback": "f",
        },
    ],
}

SELF_TALK = {
    "id": "forgot",
    "kind": "self-talk",
    "title": "S",
    "context": "You forgot the session.",
    "thoughts": [
        {"id": "A", "text": "I am hopeless.", "stance": "perfectionist", "next_session": "n", "feedback": "f"},
        {
            "id": "B",
            "text": "Their fault for not reminding me.",
            "stance": "defensive",
            "next_session": "n",
            "feedback": "f",
        },
        {
            "id": "C",
            "text": "I'll own it and ask how it was.",
            "stance": "accountable",
            "next_session": "n",
            "feedback": "f",
        },
        {"id": "D", "text": "Best not mention it.", "stance": "avoidant", "next_session": "n", "feedback": "f"},
    ],
    "debrief": "d",
}


def load_one(tmp_path, vignette):
    path = tmp_path / "module.yml"
    path.write_text(yaml.safe_dump({"vignettes": [vignette]}), encoding="utf-8")
    return load_vignettes(path)[vignette["id"]]


def broken(tmp_path, vignette, change):
    vignette = copy.deepcopy(vignette)
    change(vignette)
    with pytest.raises(VignetteError) as info:
        load_one(tmp_path, vignette)
    return str(info.value)


# ---- the registry -------------------------------------------------------------------------------


def test_every_kind_has_a_schema_a_model_practice_logic_and_a_widget():
    defs = json.loads(resources.files("repairlab.trainee").joinpath("vignette.schema.json").read_text())["$defs"]
    for name, kind in KINDS.items():
        assert defs[name]["properties"]["kind"] == {"const": name}
        assert kind.schema["properties"]["kind"] == {"const": name}
        assert hasattr(kind.model, "from_raw") and callable(kind.practice)
        assert callable(kind.widget) and callable(kind.items)


def test_an_unknown_kind_is_an_error_not_a_fallback(tmp_path):
    message = broken(tmp_path, SELF_TALK, lambda v: v.update(kind="role-play"))
    assert "vignette 'forgot': field 'kind' is 'role-play'; allowed: 'choose-response'" in message


@pytest.mark.parametrize("raw", [TRANSCRIPT, DIALOGUE, CULTURAL, SELF_TALK], ids=lambda r: r["kind"])
def test_each_kind_loads_and_builds_its_widget(tmp_path, raw):
    vignette = load_one(tmp_path, raw)
    kind = kind_of(vignette)
    assert kind.name == raw["kind"]
    widget = kind.make_widget(vignette)
    assert isinstance(widget, VignetteBox) and f"repairlab-{kind.name}" in widget._dom_classes


# ---- transcript coding --------------------------------------------------------------------------


def test_kappa_matches_a_hand_worked_example():
    # key: 2 none, 2 withdrawal, 2 confrontation; trainee: 2 none, 3 withdrawal, 1 confrontation.
    # observed 4/6; chance (2*2 + 2*3 + 2*1) / 36 = 1/3; kappa = (2/3 - 1/3) / (1 - 1/3) = 0.5
    key = ["none", "none", "withdrawal", "withdrawal", "confrontation", "confrontation"]
    mine = ["none", "withdrawal", "withdrawal", "withdrawal", "confrontation", "none"]
    assert cohen_kappa(mine, key) == pytest.approx(0.5)


def test_transcript_practice_reveals_the_key_only_after_the_whole_coding(tmp_path):
    practice = TranscriptPractice(load_one(tmp_path, TRANSCRIPT))
    for index, code in enumerate(["none", "withdrawal", "withdrawal", "withdrawal", "confrontation"]):
        practice.code(index, code, "minimal-response" if index == 2 else "")
    with pytest.raises(CourseError, match="code every client turn before you submit: 1 still to code"):
        practice.submit()
    practice.code(5, "none")
    result = practice.submit()
    assert result.agreement == pytest.approx(4 / 6) and result.kappa == pytest.approx(0.5) and not result.passed
    assert result.confusion()[("none", "withdrawal")] == 1 and result.confusion()[("confrontation", "none")] == 1
    assert result.markers_named == (1, 3)  # of the 3 rupture turns coded alike, one marker named as the key
    assert [t.number for t in result.turns] == [2, 4, 6, 8, 10, 12]
    with pytest.raises(CourseError, match="submitted; start again"):
        practice.code(0, "none")
    with pytest.raises(CourseError, match="not a confrontation marker"):
        TranscriptPractice(practice.vignette).code(0, "confrontation", "minimal-response")


@pytest.mark.parametrize("change, message", [
    (lambda v: v["turns"][0].update(code="none"), "field 'turns[0]' must not have 'code' here"),
    (lambda v: v["turns"][5].pop("marker"), "field 'turns[5].marker' is missing"),
    (lambda v: v["turns"][5].update(marker="complaint-therapist"), "field 'turns[5].marker' is 'complaint-therapist'"),
    (lambda v: v["turns"][1].pop("why"), "field 'turns[1].why' is missing"),
    (lambda v: v.update(turns=v["turns"][:10]), "field 'turns'"),
    (lambda v: v.update(turns=_turns(["none"] * 8 + ["withdrawal", "confrontation"])),
     "coding every client turn 'none' would reach the 80% pass mark"),
    (lambda v: v.update(turns=_turns(["none", "none", "withdrawal", "withdrawal", "withdrawal", "none"])),
     "no client turn coded confrontation"),
], ids=["therapist-coded", "no-marker", "wrong-family", "no-why", "too-short", "one-class-passes", "one-kind-only"])
def test_a_bad_transcript_gets_one_clear_error(tmp_path, change, message):
    assert message in broken(tmp_path, TRANSCRIPT, change)


def test_agreement_bands_and_kappa_in_the_grader():
    key = [(code, f"why {n}") for n, code in enumerate(["none", "none", "withdrawal", "withdrawal", "confrontation",
                                                        "confrontation", "none", "withdrawal", "none", "none"])]
    perfect = [code for code, _ in key]
    assert grade_agreement(perfect, key, points=4)[0] == 4
    one_off = perfect[:9] + ["withdrawal"]  # 90%
    assert grade_agreement(one_off, key, points=4)[0] == 4
    two_off = ["withdrawal"] + one_off[1:]  # 80%: the pass mark
    graded = grade_agreement(two_off, key, points=4)
    assert graded.score == 3 and "80% (at or above the 80% pass mark)" in graded.summary
    assert not graded.items[0].matched and graded.items[0].given == "withdrawal"
    assert "why 0" not in graded.items[0].reason, "a turn coded differently never gets the key's why"
    assert graded.items[1].matched and graded.items[1].reason == "why 1"
    graded = grade_agreement(["none"] * 10, key, points=4)  # 50%, every turn one class
    assert graded.score == 0 and "Cohen's kappa 0.00" in graded.summary
    assert "n/a" in grade_agreement(["none"] * 3, [("none", "w")] * 3, points=1).summary


def test_ratings_score_exactly_with_half_credit_one_point_off():
    key = [(4, "Heard and agreed."), (2, "Named, not explored."), (5, "Stronger.")]
    assert grade_ratings([4, 2, 5], key, points=3)[0] == 3
    assert grade_ratings([3, 2, 4], key, points=3)[0] == 2  # 0.5 + 1 + 0.5
    graded = grade_ratings([2, 4, 5], key, points=3, label_checks={2: "A 2 says named, not explored."})
    assert graded.score == 1 and graded.items[0].given == "2"
    assert graded.items[0].reason == "A 2 says named, not explored."
    assert "4" not in graded.items[0].reason and "Heard and agreed" not in graded.items[0].reason, "never the expert's"
    assert graded.items[2].matched and graded.items[2].reason == "Stronger."


def test_no_constant_or_two_level_rater_passes_exercise_4():
    """Exercise 4's attempts span the scale: a constant rater earns at most three eighths of the ratings
    (the audit counts it as cue-only), and one who only tells worse from better ("2" for the weak
    attempts, "4" for the strong ones) no longer reaches full marks, as it did with full credit
    for one point off."""
    from repairlab.authoring.audit import cue_only_fraction
    from repairlab.course import load_course
    from repairlab.nbgrader_api.parts import exercise_parts

    course = load_course()
    exercise = course.exercise("repair-strategies")
    part = next(p for p in exercise_parts(exercise.id, course.paths.source(exercise.id) / exercise.notebook_name)
                if p.scorer == "score_ratings")
    share, rule = cue_only_fraction(part)
    assert share <= 3 / 8, f"{rule} earns {share:.0%} of the ratings"
    keys = [i.key for i in part.items]
    two_level = [2 if k <= 2 else 4 for k in keys]
    assert grade_ratings(two_level, [(k, "") for k in keys], points=part.points)[0] < part.points
    with pytest.raises(AnswerError, match='Answer 2 \\("three"\\) is not a whole number from 1 to 5'):
        check_ratings([1, "three", 2], count=3, name="r")
    with pytest.raises(AnswerError, match="There are 2 ratings; 3 are needed"):
        check_ratings([1, 2], count=3, name="r")
    with pytest.raises(AnswerError, match='Answer 1 \\("True"\\) is not a whole number'):
        check_ratings([True, 2, 3], count=3, name="r")


# ---- branching dialogue -------------------------------------------------------------------------


def test_a_dialogue_is_a_real_tree_the_trainee_walks_and_rates(tmp_path):
    dialogue = load_one(tmp_path, DIALOGUE)
    paths = list(dialogue.paths())
    assert len(paths) == 4 and all(3 <= len(p) <= 5 for p in paths)
    practice = BranchPractice(dialogue)
    with pytest.raises(CourseError, match="finish the dialogue before you rate"):
        practice.rate(3)
    practice.choose("A")  # defending takes the dialogue somewhere else ...
    assert practice.node.id == "defended"
    practice.choose("A")  # ... and stays recoverable
    assert practice.finished and practice.path == ["open", "defended", "partly"] and practice.alliance == [4, 3, 5]
    with pytest.raises(CourseError, match="the dialogue has ended"):
        practice.choose("A")
    with pytest.raises(CourseError, match="not a rating"):
        practice.rate(6)
    assert practice.rate(3).rating == 3
    practice.replay()
    assert practice.path == ["open"] and practice.rating is None
    practice.choose("B")
    with pytest.raises(CourseError, match="no choice 'C' here; choose one of A, B"):
        practice.choose("C")


@pytest.mark.parametrize("change, message", [
    (lambda v: v["nodes"].update(orphan={"client": "x", "alliance": 3, "resolution": {"rating": 2, "why": "w"}}),
     "orphan cannot be reached from 'open'"),
    (lambda v: v["nodes"]["partly"].update(resolution=None) or v["nodes"]["partly"].pop("resolution") or
     v["nodes"]["partly"].update(choices=[
         {"id": "A", "text": "t", "category": "owning", "feedback": "f", "next": "open"},
         {"id": "B", "text": "t", "category": "owning", "feedback": "f", "next": "repaired"}]),
     "goes back to 'open': a dialogue must not loop"),
    (lambda v: v["nodes"]["heard"]["choices"][0].update(next="nowhere"),
     "field 'nodes.heard.choices[A].next' is 'nowhere', which is not a node"),
    (lambda v: v["nodes"]["open"]["choices"].append(
        {"id": "C", "text": "t", "category": "owning", "feedback": "f", "next": "repaired"}),
     "the path open > repaired has 2 turns; every path needs 3 to 5"),
    (lambda v: v["nodes"]["defended"]["choices"][0].update(next="stuck"),
     "field 'nodes.defended': no ending rated 3 or more can be reached"),
    (lambda v: [n["resolution"].update(rating=3) for n in v["nodes"].values() if "resolution" in n],
     "at least two different expert ratings"),
    (lambda v: v["nodes"]["stuck"].update(choices=v["nodes"]["open"]["choices"]),
     "must have either 'choices' (a turn) or 'resolution' (an ending)"),
    (lambda v: v.update(start="middle"), "field 'start' is 'middle', which is not a node"),
], ids=["unreachable", "cycle", "dangling", "too-short", "unrecoverable", "one-rating", "both", "no-start"])
def test_a_bad_dialogue_gets_one_clear_error(tmp_path, change, message):
    assert message in broken(tmp_path, DIALOGUE, change)


def test_the_path_map_and_alliance_plot_follow_the_path(tmp_path):
    dialogue = load_one(tmp_path, DIALOGUE)
    fig = plots.path_map_figure(dialogue, ["open", "heard", "repaired"])
    axis = fig.axes[0]
    assert [t.get_text() for t in axis.get_xticklabels()] == ["Turn 1", "Turn 2", "Turn 3"]
    assert sum(t.get_text().startswith("End") for t in axis.texts) == 3
    alliance = plots.dialogue_alliance_figure(dialogue, ["open", "heard"])
    assert list(alliance.axes[0].lines[0].get_ydata()) == [4, 5]
    assert "Illustrative" in alliance.axes[0].get_title()


# ---- cultural check and self-talk ---------------------------------------------------------------


def test_a_cultural_check_asks_whether_it_was_cultural_before_the_responses(tmp_path):
    vignette = load_one(tmp_path, CULTURAL)
    practice = ResponsePractice(vignette)
    with pytest.raises(CourseError, match="say what you notice"):
        practice.choose("A")
    question = practice.notice("not-cultural")
    assert question.prompt == "Did a cultural rupture happen here?" and not practice.noticed_as_expert
    with pytest.raises(CourseError, match="'withdrawal' is not a choice here"):
        practice.notice("withdrawal")
    assert "field 'cultural.reading' is 'maybe'" in broken(
        tmp_path, CULTURAL, lambda v: v["cultural"].update(reading="maybe")
    )


def test_self_talk_shows_where_each_way_of_thinking_leads(tmp_path):
    vignette = load_one(tmp_path, SELF_TALK)
    assert vignette.best.id == "C"
    practice = SelfTalkPractice(vignette)
    assert practice.choose("A").stance == "perfectionist"
    assert [t.id for t in practice.tried] == ["A"]
    with pytest.raises(CourseError, match="no thought 'E' here"):
        practice.choose("E")
    message = broken(tmp_path, SELF_TALK, lambda v: v["thoughts"][3].update(stance="accountable"))
    assert "one thought per stance" in message


# ---- widgets, without a browser -----------------------------------------------------------------


def test_transcript_widget_keeps_the_key_hidden_until_submitted(tmp_path):
    widget = make_widget(load_one(tmp_path, TRANSCRIPT))
    assert widget.submit.disabled and "coded 0 of 6" in widget.progress.value
    for code, value in zip(widget.codes, ["none", "none", "withdrawal", "withdrawal", "confrontation", "none"]):
        code.value = value
        assert all(key.value == "" for key in widget.reveals)
    assert widget.markers[2].layout.display is None and widget.markers[0].layout.display == "none"
    widget.markers[2].value = "minimal-response"
    assert not widget.submit.disabled
    widget.submit.click()
    assert (
        "5 of 6 client turns: 83%" in widget.summary.value and "at or above the 80% pass mark" in widget.summary.value
    )
    assert "Reason 6." in widget.reveals[5].value and "differently" in widget.reveals[5].value
    assert bytes(widget.plot.value).startswith(b"\x89PNG") and widget.codes[0].disabled
    assert "undefined" not in widget.summary.value  # the degenerate-case rule only when kappa is n/a
    widget.again.click()
    assert widget.codes[0].value is None and widget.summary.value == "" and widget.submit.disabled


def test_transcript_summary_states_the_rule_when_kappa_is_undefined(tmp_path):
    practice = TranscriptPractice(load_one(tmp_path, TRANSCRIPT))
    for index in range(6):
        practice.code(index, "none")
    summary = coding_summary_html(practice.submit())
    assert "Cohen's kappa (agreement beyond chance): 0.00" in summary and "undefined" not in summary
    # a key with one code throughout (loading refuses it; built here to reach the degenerate case)
    one_code = TranscriptCoding("t", "t", "c", (Turn("client", "Fine.", "none", "", "w"),) * 3, "d")
    practice = TranscriptPractice(one_code)
    for index in range(3):
        practice.code(index, "none")
    summary = coding_summary_html(practice.submit())
    assert "kappa (agreement beyond chance): n/a" in summary and "undefined when chance agreement is 1" in summary


def test_dialogue_widget_asks_for_a_rating_only_at_the_end(tmp_path):
    widget = make_widget(load_one(tmp_path, DIALOGUE))
    assert widget.rating_box.layout.display == "none" and widget.choice.options == ("A", "B")
    widget.choice.value = "B"
    assert "Last week you cut me off." in widget.transcript.value and "Tell me more." in widget.transcript.value
    widget.choice.value = "A"
    assert widget.rating_box.layout.display is None and widget.choice.layout.display == "none"
    assert widget.map.layout.display == "none"
    widget.rating.value = 4
    assert "the expert rated <b>4" in widget.verdict.value and bytes(widget.map.value).startswith(b"\x89PNG")
    widget.again.click()
    assert widget.rating.value is None and widget.verdict.value == "" and "Tell me more." not in widget.transcript.value


def test_self_talk_widget_shows_the_next_session(tmp_path):
    widget = make_widget(load_one(tmp_path, SELF_TALK))
    widget.choice.value = "D"
    assert "Avoidant" in widget.feedback.value and "In the next session" in widget.feedback.value
    widget.again.click()
    assert widget.feedback.value == "" and widget.practice.tried == []
