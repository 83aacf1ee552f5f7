"""Vignette practice logic and the widgets that show it, without a browser."""

import pytest

from repairlab.errors import CourseError
from repairlab.trainee.kinds.attribution_check import (
    AttributionCheck,
    AttributionPractice,
    Moment,
)
from repairlab.trainee.kinds.choose_response import (
    ChooseResponse,
    Marker,
    Response,
    ResponsePractice,
)
from repairlab.trainee.widgets.attribution_check import AttributionCheckWidget
from repairlab.trainee.widgets.choose_response import ResponsePracticeWidget
from repairlab.widgets import practise

RUPTURE = ChooseResponse(
    id="late-start", title="Late", context="First paragraph.\n\nSecond <paragraph>.", client_says="You were late.",
    marker=Marker("confrontation", "She names the lateness.", "complaints or concerns about the therapist"),
    alliance_before=7, alliance_at_rupture=4, debrief="Ask about risk too.",
    responses=(
        Response("A", "Traffic was bad.", "defending", 3, "Justifies rather than hears."),
        Response("B", "I was late; that's on me.", "owning", 6, "Names the act.", best=True),
    ),
)
CHECK = AttributionCheck(
    id="quiet", title="Quiet", context="c", hypothesis="It is projection.",
    moments=(Moment("After my comment.", "contribution", "Timing."), Moment("Long hours.", "unclear", "Context.")),
    debrief="Ask tentatively.",
)


def test_response_practice_keeps_every_try_and_models_the_alliance():
    practice = ResponsePractice(RUPTURE)
    with pytest.raises(CourseError, match="say what you notice"):
        practice.choose("A")
    assert practice.notice("withdrawal").key == "confrontation" and not practice.noticed_as_expert
    practice.notice("confrontation")
    assert practice.noticed_as_expert
    assert practice.choose("A").category == "defending"
    best = practice.choose("B")
    assert best.best and [r.id for r in practice.attempts] == ["A", "B"]
    assert practice.path(best) == [7, 4, 6]
    practice.reset()
    assert practice.attempts == [] and practice.noticed is None
    practice.notice("none")
    with pytest.raises(CourseError, match="no response 'Z' here; choose one of A, B"):
        practice.choose("Z")
    with pytest.raises(CourseError, match="not a choice"):
        practice.notice("rupture")


def test_attribution_practice_counts_agreement_with_the_key():
    practice = AttributionPractice(CHECK)
    practice.weigh(0, "pattern")
    assert not practice.agrees(0) and not practice.complete
    practice.weigh(0, "contribution")  # the latest judgement counts
    practice.weigh(1, "unclear")
    assert practice.complete and practice.agreement == 2
    mine, key = practice.tallies()
    assert mine == key == {"contribution": 1, "unclear": 1}
    with pytest.raises(CourseError, match="not a choice"):
        practice.weigh(0, "projection")


def test_response_widget_asks_what_you_notice_before_naming_the_marker():
    widget = ResponsePracticeWidget(ResponsePractice(RUPTURE))
    intro = widget.children[0].value
    assert "<p>Second &lt;paragraph&gt;.</p>" in intro  # escaped, one paragraph per line
    assert "What do you notice" in intro
    shown = " ".join(c.value for c in widget.children if hasattr(c, "value") and isinstance(c.value, str))
    assert "confrontation" not in shown.lower() and "complaints" not in shown
    assert widget.responses.layout.display == "none"
    widget.notice.value = "withdrawal"
    assert "reads this differently" in widget.notice_feedback.value
    assert (
        "Confrontation (moving against): complaints or concerns about the therapist (3RS)"
        in widget.notice_feedback.value
    )
    assert widget.responses.layout.display is None


def test_response_widget_gives_feedback_and_a_plot_and_can_start_again():
    widget = ResponsePracticeWidget(ResponsePractice(RUPTURE))
    widget.notice.value = "confrontation"
    assert "read this the same way" in widget.notice_feedback.value
    assert widget.feedback.value == "" and widget.plot.layout.display == "none"
    widget.choice.value = "A"
    assert (
        "Not the strongest response" in widget.feedback.value
        and "Justifies rather than hears." in widget.feedback.value
    )
    widget.choice.value = "B"
    assert "the response a supervisor would choose" in widget.feedback.value
    assert "Ask about risk too." in widget.debrief.value
    assert bytes(widget.plot.value).startswith(b"\x89PNG") and widget.plot.layout.display is None
    assert len(widget.practice.attempts) == 2
    widget.again.click()
    assert widget.choice.value is None and widget.feedback.value == "" and widget.practice.attempts == []
    assert widget.notice.value is None and widget.responses.layout.display == "none"


def test_attribution_widget_gives_feedback_per_moment_and_a_debrief_at_the_end():
    widget = AttributionCheckWidget(AttributionPractice(CHECK))
    assert "0 of 2" in widget.summary.value
    widget.choices[0].value = "pattern"
    assert (
        "The supervisor reads this as evidence of the therapist&#x27;s own contribution." in widget.feedbacks[0].value
    )
    assert "1 of 2" in widget.summary.value and "Debrief" not in widget.summary.value
    widget.choices[1].value = "unclear"
    assert "You and the supervisor read this the same way." in widget.feedbacks[1].value
    assert "Debrief" in widget.summary.value and bytes(widget.plot.value).startswith(b"\x89PNG")
    widget.again.click()
    assert widget.practice.answers == {} and all(c.value is None for c in widget.choices)
    assert "0 of 2" in widget.summary.value and widget.plot.layout.display == "none"


def test_practise_builds_the_course_vignettes_and_names_a_missing_one(course):
    for module in course.modules:
        from repairlab.trainee.vignettes import load_vignettes

        for vignette_id in load_vignettes(module.vignettes):
            assert practise(module.id, vignette_id).children
    with pytest.raises(CourseError, match="has no vignette 'nope'; it has: "):
        practise("owning-your-part", "nope")
