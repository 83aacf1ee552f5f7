"""Vignette files: the course's own load, and bad files that give one clear error naming the file,
the vignette and the field."""

import textwrap

import pytest

from repairlab.errors import VignetteError
from repairlab.trainee.kinds.attribution_check import AttributionCheck
from repairlab.trainee.kinds.choose_response import ChooseResponse
from repairlab.trainee.vignettes import load_vignettes

GOOD = """
vignettes:
  - id: late-start
    kind: choose-response
    title: Late start
    context: The therapist started late.
    client_says: You were late again.
    marker:
      kind: confrontation
      label: complaints or concerns about the therapist
      why: She names the lateness as a complaint.
    alliance: {before: 7, rupture: 4}
    responses:
      - {id: A, text: I was late and that's on me., category: owning, alliance_after: 6, best: true, feedback: Owns it.}
      - {id: B, text: Traffic was bad., category: defending, alliance_after: 3, feedback: Justifies.}
  - id: quiet
    kind: attribution-check
    title: Quiet
    context: The client went quiet.
    hypothesis: It is projection.
    moments:
      - {text: After my comment., points_to: contribution, feedback: Timing.}
      - {text: Long hours at work., points_to: unclear, feedback: Context.}
    debrief: Ask, tentatively.
"""


def write(tmp_path, text):
    path = tmp_path / "module.yml"
    path.write_text(textwrap.dedent(text))
    return path


def test_the_course_vignettes_load(course):
    for module in course.modules:
        vignettes = load_vignettes(module.vignettes)
        assert vignettes, module.id



def test_the_best_response_is_not_always_the_same_kind(course):
    """Owning is not a winning rule: some vignettes are keyed to holding a decision, an immediate
    strategy or checking safety, and giving in (over-owning) is among the distractors."""
    best, offered = set(), set()
    for module in course.modules:
        for v in load_vignettes(module.vignettes).values():
            if isinstance(v, ChooseResponse):
                best.add(v.best.category)
                offered |= {r.category for r in v.responses}
    assert len(best) >= 3 and "owning" in best
    assert "over-owning" in offered and "defending" in offered


def test_a_good_file_loads_in_order(tmp_path):
    vignettes = load_vignettes(write(tmp_path, GOOD))
    assert list(vignettes) == ["late-start", "quiet"]
    assert isinstance(vignettes["late-start"], ChooseResponse) and vignettes["late-start"].best.id == "A"
    assert isinstance(vignettes["quiet"], AttributionCheck) and len(vignettes["quiet"].moments) == 2


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("feedback: Justifies.", "feedbak: Justifies.",
         "module.yml, vignette 'late-start': field 'responses[1]' has an unknown field"),
        ("category: defending", "category: defensive",
         "module.yml, vignette 'late-start': field 'responses[1].category' is 'defensive'; allowed: 'owning'"),
        ("      - {text: Long hours at work., points_to: unclear, feedback: Context.}\n", "",
         "module.yml, vignette 'quiet': field 'moments': [{'text'"),
        ("    debrief: Ask, tentatively.\n", "", "module.yml, vignette 'quiet': field 'debrief' is missing"),
        ("best: true, ", "", "module.yml, vignette 'late-start': field 'responses' must mark exactly one response"),
        ("kind: attribution-check", "kind: quiz", "module.yml, vignette 'quiet': field 'kind' is 'quiz'"),
        ("      label: complaints or concerns about the therapist\n", "",
         "module.yml, vignette 'late-start': field 'marker.label' is missing"),
        ("kind: confrontation", "kind: rupture",
         "module.yml, vignette 'late-start': field 'marker.kind' is 'rupture'; allowed: 'none'"),
        ("id: quiet", "id: late-start", "vignette 'late-start': this id is used twice"),
        ("alliance: {before: 7, rupture: 4}", "alliance: {before: 7, rupture: 14}",
         "field 'alliance.rupture': 14 is greater than the maximum of 10"),
        ("title: Quiet", "title: [Quiet", "module.yml: not valid YAML at line"),
    ],
)
def test_a_bad_file_names_file_vignette_and_field(tmp_path, old, new, message):
    assert old in GOOD
    with pytest.raises(VignetteError) as info:
        load_vignettes(write(tmp_path, GOOD.replace(old, new)))
    assert message in str(info.value)
    assert len(info.value._render_traceback_()) == 1


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(VignetteError, match="nothere.yml: file not found"):
        load_vignettes(tmp_path / "nothere.yml")


def test_schema_labels_agree_with_the_labels_the_widgets_and_checks_use():
    import json
    from importlib import resources

    from repairlab.labels import (
        ATTRIBUTIONS,
        CULTURAL_READINGS,
        MARKERS,
        RESPONSE_CATEGORIES,
        STANCES,
        THREE_RS_MARKERS,
    )

    defs = json.loads(resources.files("repairlab.trainee").joinpath("vignette.schema.json").read_text())["$defs"]
    points_to = defs["attribution-check"]["properties"]["moments"]["items"]["properties"]["points_to"]["enum"]
    assert defs["category"]["enum"] == list(RESPONSE_CATEGORIES)
    assert points_to == list(ATTRIBUTIONS)
    assert defs["turn"]["properties"]["code"]["enum"] == list(MARKERS)
    assert defs["turn"]["properties"]["marker"]["enum"] == list(THREE_RS_MARKERS)
    assert defs["cultural-check"]["properties"]["cultural"]["properties"]["reading"]["enum"] == list(CULTURAL_READINGS)
    assert defs["self-talk"]["properties"]["thoughts"]["items"]["properties"]["stance"]["enum"] == list(STANCES)
