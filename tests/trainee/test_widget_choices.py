"""Every option of every vignette in the course, driven through its widget as a person's clicks:
what the widget records (transcript, path, codes, rating) is exactly what was chosen, never a choice
the widget made itself. Without a browser; the browser test walks one non-first path per kind."""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
import pytest

from repairlab.course import load_course
from repairlab.labels import ATTRIBUTIONS, MARKERS, RESOLUTION_ANCHORS, THREE_RS
from repairlab.trainee import plots
from repairlab.trainee.kinds import kind_of
from repairlab.trainee.kinds.attribution_check import AttributionCheck
from repairlab.trainee.kinds.branching_dialogue import BranchingDialogue
from repairlab.trainee.kinds.choose_response import ChooseResponse
from repairlab.trainee.kinds.self_talk import SelfTalk
from repairlab.trainee.kinds.transcript_coding import TranscriptCoding
from repairlab.trainee.vignettes import load_vignettes


def make_widget(vignette):
    return kind_of(vignette).make_widget(vignette)


@pytest.fixture(autouse=True)
def _no_png(monkeypatch):
    """Drawing is tested with the plots; here only what is recorded matters, and rendering a PNG at
    every step of every path would make this the slowest file of the fast lane."""

    def png(figure) -> bytes:
        plt.close(figure)
        return b"\x89PNG"

    monkeypatch.setattr(plots, "png", png)


def _vignettes(kind):
    course = load_course()
    return [pytest.param(v, id=f"{m.id}/{v.id}") for m in course.modules
            for v in load_vignettes(m.vignettes).values() if isinstance(v, kind)]


def _paths(vignette: BranchingDialogue, node_id: str | None = None) -> list[list[str]]:
    """Every sequence of choice letters from the start to an ending."""
    node = vignette.nodes[node_id or vignette.start]
    if node.ending:
        return [[]]
    return [[c.id, *rest] for c in node.choices for rest in _paths(vignette, c.next)]


@pytest.mark.parametrize("vignette", _vignettes(BranchingDialogue))
def test_every_path_of_a_dialogue_records_exactly_the_choices_made(vignette):
    widget = make_widget(vignette)
    for path in _paths(vignette):
        widget.again.click()
        for step, letter in enumerate(path):
            assert widget.choice.value is None, f"turn {step + 1} starts with no choice made"
            assert letter in widget.choice.options and widget.choice.layout.display is None
            widget.choice.value = letter
        taken = [c.id for c in widget.practice.taken]
        assert taken == path, f"chose {path}, the widget recorded {taken}"
        said = widget.transcript.value.count("<b>You (")
        assert said == len(path), f"chose {path}: the transcript shows {said} lines of the trainee's"
        assert widget.practice.finished and widget.rating_box.layout.display is None
        assert widget.choice.layout.display == "none" and widget.choice.options == ()
    ending = vignette.nodes[widget.practice.path[-1]]
    for rating in RESOLUTION_ANCHORS:
        widget.rating.value = rating
        assert widget.practice.rating == rating and f"You rated {rating};" in widget.verdict.value
        assert f"the expert rated <b>{ending.resolution.rating}" in widget.verdict.value


def test_a_non_first_choice_is_never_followed_by_a_choice_nobody_made():
    """The defect this file guards: setting the next turn's options selected "A" by itself."""
    dialogue = next(p.values[0] for p in _vignettes(BranchingDialogue))
    widget = make_widget(dialogue)
    first = dialogue.nodes[dialogue.start].choices[-1]
    widget.choice.value = first.id
    assert [c.id for c in widget.practice.taken] == [first.id]
    assert widget.practice.path == [dialogue.start, first.next]


@pytest.mark.parametrize("vignette", _vignettes(ChooseResponse))
def test_every_reading_and_response_is_recorded_as_chosen(vignette):
    widget = make_widget(vignette)
    for notice in vignette.question.options:
        widget.again.click()
        assert widget.responses.layout.display == "none", "the responses wait for the trainee's own reading"
        widget.notice.value = notice
        assert widget.practice.noticed == notice and widget.responses.layout.display is None
        for response in vignette.responses:
            widget.choice.value = response.id
            assert widget.practice.attempts[-1] is response
            assert html.escape(response.feedback) in widget.feedback.value
        assert [r.id for r in widget.practice.attempts] == [r.id for r in vignette.responses]


@pytest.mark.parametrize("vignette", _vignettes(AttributionCheck))
def test_every_weighing_of_every_moment_is_recorded_as_chosen(vignette):
    widget = make_widget(vignette)
    keys = list(ATTRIBUTIONS)
    for offset in range(len(keys)):  # each moment takes each reading once across the rounds
        widget.again.click()
        chosen = [keys[(i + offset) % len(keys)] for i in range(len(vignette.moments))]
        for choice, key in zip(widget.choices, chosen):
            choice.value = key
        assert [widget.practice.answers[i] for i in range(len(chosen))] == chosen
        assert widget.practice.complete and "Debrief" in widget.summary.value


@pytest.mark.parametrize("vignette", _vignettes(TranscriptCoding))
def test_every_code_and_marker_of_a_transcript_is_recorded_as_chosen(vignette):
    widget = make_widget(vignette)
    codes = list(MARKERS)
    for offset in range(len(codes)):
        widget.again.click()
        chosen = [codes[(i + offset) % len(codes)] for i in range(len(widget.codes))]
        markers = []
        for code, marker, value in zip(widget.codes, widget.markers, chosen):
            code.value = value
            family = list(THREE_RS.get(value, {}))
            markers.append(family[-1] if family else "")
            if family:
                marker.value = family[-1]  # the last, never the first the dropdown would pick itself
        result = widget.practice.submit()
        assert [t.mine for t in result.turns] == chosen
        assert [t.my_marker for t in result.turns] == markers


@pytest.mark.parametrize("vignette", _vignettes(SelfTalk))
def test_every_thought_shows_where_it_leads(vignette):
    widget = make_widget(vignette)
    for thought in vignette.thoughts:
        widget.choice.value = thought.id
        assert widget.practice.tried[-1] is thought
        assert html.escape(thought.next_session) in widget.feedback.value
    assert [t.id for t in widget.practice.tried] == [t.id for t in vignette.thoughts]


def test_every_kind_in_the_course_is_driven_here():
    driven = {BranchingDialogue, ChooseResponse, AttributionCheck, TranscriptCoding, SelfTalk}
    course = load_course()
    used = {type(v) for m in course.modules for v in load_vignettes(m.vignettes).values()}
    assert all(any(issubclass(t, d) for d in driven) for t in used), f"a kind no test here drives: {used}"
    assert all(_vignettes(k) for k in driven), "each kind has a vignette in the course"
