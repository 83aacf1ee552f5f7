"""Interactive vignettes. The decisions live in ``practice``; this module only lays them out."""

from __future__ import annotations

import html

import ipywidgets as w

from . import plots
from .errors import CourseError
from .labels import ATTRIBUTION_READINGS, ATTRIBUTIONS, MARKERS, RESPONSE_CATEGORIES
from .practice import AttributionPractice, ResponsePractice
from .vignettes import AttributionCheck, ChooseResponse, Marker, Response, module_vignettes

# Buttons as wide as their label: the default fixed width cuts long labels off with an ellipsis.
FIT_LABELS = {"button_width": "auto", "description_width": "initial"}


def _paragraphs(text: str) -> str:
    """Each line is a paragraph: YAML's folded blocks turn a blank line into a single newline."""
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.splitlines() if p.strip())


def _card(title: str, body: str) -> str:
    return f"<div class='repairlab-card'><h4>{html.escape(title)}</h4>{body}</div>"


def response_feedback_html(response: Response) -> str:
    headline = (
        "This is the response a supervisor would choose."
        if response.best
        else "Not the strongest response here: read why, then try another."
    )
    colour = "#1b7f3b" if response.best else "#9a4d00"
    return (
        f"<div class='repairlab-feedback' style='border-left:4px solid {colour};padding-left:8px'>"
        f"<b>{html.escape(headline)}</b> "
        f"<i>({html.escape(RESPONSE_CATEGORIES[response.category])})</i>"
        f"<p>{html.escape(response.feedback)}</p></div>"
    )


def marker_feedback_html(agrees: bool, marker: Marker) -> str:
    lead = "You and the supervisor notice the same thing." if agrees else "The supervisor reads this differently."
    reading = MARKERS[marker.kind] + (f": {marker.label} (3RS)" if marker.label else "")
    return (
        f"<div class='repairlab-feedback'><b>{html.escape(lead)}</b> "
        f"<p>The supervisor's reading: <b>{html.escape(reading)}</b>. {html.escape(marker.why)}</p></div>"
    )


def moment_feedback_html(agrees: bool, key: str, feedback: str) -> str:
    lead = "You and the supervisor read this the same way." if agrees else (
        f"The supervisor reads this as {ATTRIBUTION_READINGS[key]}."
    )
    return f"<div class='repairlab-feedback'><b>{html.escape(lead)}</b> {html.escape(feedback)}</div>"


class ResponsePracticeWidget(w.VBox):
    """First "what do you notice?", then the responses; feedback and the alliance plot follow each
    choice. Nothing names the marker before the trainee has said what they notice."""

    def __init__(self, vignette: ChooseResponse):
        self.practice = ResponsePractice(vignette)
        intro = w.HTML(
            _card(vignette.title, _paragraphs(vignette.context))
            + f"<blockquote><b>Client:</b> {html.escape(vignette.client_says)}</blockquote>"
            + "<p>What do you notice in what the client says?</p>"
        )
        self.notice = w.ToggleButtons(options=[(label, key) for key, label in MARKERS.items()], value=None, style=FIT_LABELS)
        self.notice_feedback = w.HTML()
        listing = "".join(f"<li><b>{r.id}.</b> {html.escape(r.text)}</li>" for r in vignette.responses)
        self.choice = w.ToggleButtons(options=[r.id for r in vignette.responses], value=None,
                                      description="Your response:", style=FIT_LABELS)
        self.feedback = w.HTML()
        self.debrief = w.HTML()
        self.plot = w.Image(format="png", layout=w.Layout(max_width="640px"))
        self.responses = w.VBox(
            [w.HTML(f"<p>Which response would you give?</p><ol style='list-style:none'>{listing}</ol>"),
             self.choice, self.feedback, self.debrief, self.plot]
        )
        self.again = w.Button(description="Start again", icon="refresh")
        self.notice.observe(self._on_notice, names="value")
        self.choice.observe(self._on_choice, names="value")
        self.again.on_click(self._on_again)
        super().__init__([intro, self.notice, self.notice_feedback, self.responses, self.again])
        self._hide_responses()

    def _hide_responses(self) -> None:
        self.responses.layout.display = "none"
        self.plot.layout.display = "none"

    def _on_notice(self, change) -> None:
        if change["new"] is None:
            return
        marker = self.practice.notice(change["new"])
        self.notice_feedback.value = marker_feedback_html(self.practice.noticed_as_expert, marker)
        self.responses.layout.display = None

    def _on_choice(self, change) -> None:
        if change["new"] is None:
            return
        response = self.practice.choose(change["new"])
        self.feedback.value = response_feedback_html(response)
        if self.practice.vignette.debrief:
            self.debrief.value = f"<div class='repairlab-debrief'>{_paragraphs(self.practice.vignette.debrief)}</div>"
        paths = [(r, self.practice.path(r)) for r in self.practice.attempts]
        self.plot.value = plots.png(plots.alliance_figure(paths))
        self.plot.layout.display = None

    def _on_again(self, _button=None) -> None:
        self.practice.reset()
        self.choice.value = None
        self.notice.value = None
        for out in (self.feedback, self.notice_feedback, self.debrief):
            out.value = ""
        self._hide_responses()


class AttributionCheckWidget(w.VBox):
    """Weigh each moment as evidence for the client's pattern or one's own contribution."""

    def __init__(self, vignette: AttributionCheck):
        self.practice = AttributionPractice(vignette)
        intro = w.HTML(
            _card(vignette.title, _paragraphs(vignette.context))
            + f"<p><b>The hypothesis to check:</b> {html.escape(vignette.hypothesis)}</p>"
            + "<p>For each moment, where does the evidence point?</p>"
        )
        self.choices: list[w.ToggleButtons] = []
        self.feedbacks: list[w.HTML] = []
        rows = []
        for index, moment in enumerate(vignette.moments):
            choice = w.ToggleButtons(options=[(label, key) for key, label in ATTRIBUTIONS.items()], value=None, style=FIT_LABELS)
            feedback = w.HTML()
            choice.observe(lambda change, i=index: self._on_weigh(i, change), names="value")
            self.choices.append(choice)
            self.feedbacks.append(feedback)
            rows.append(w.VBox([w.HTML(f"<p><b>Moment {index + 1}.</b> {html.escape(moment.text)}</p>"), choice, feedback]))
        self.summary = w.HTML()
        self.plot = w.Image(format="png", layout=w.Layout(max_width="640px"))
        self.plot.layout.display = "none"
        self.again = w.Button(description="Start again", icon="refresh")
        self.again.on_click(self._on_again)
        super().__init__([intro, *rows, self.summary, self.plot, self.again])
        self._update_summary()

    def _on_again(self, _button=None) -> None:
        self.practice.reset()
        for choice, feedback in zip(self.choices, self.feedbacks):
            choice.value = None
            feedback.value = ""
        self.plot.layout.display = "none"
        self._update_summary()

    def _on_weigh(self, index: int, change) -> None:
        if change["new"] is None:
            return
        moment = self.practice.weigh(index, change["new"])
        self.feedbacks[index].value = moment_feedback_html(self.practice.agrees(index), moment.points_to, moment.feedback)
        self._update_summary()

    def _update_summary(self) -> None:
        p = self.practice
        total = len(p.vignette.moments)
        text = f"You have weighed {len(p.answers)} of {total} moments; you and the supervisor agree on {p.agreement}."
        if p.complete:
            text += f"<div class='repairlab-debrief'><b>Debrief.</b> {html.escape(p.vignette.debrief)}</div>"
            self.plot.value = plots.png(plots.attribution_figure(*p.tallies()))
            self.plot.layout.display = None
        self.summary.value = f"<div class='repairlab-summary'>{text}</div>"


def practise(module_id: str, vignette_id: str) -> w.VBox:
    """The interactive vignette ``vignette_id`` of a module, ready to display."""
    vignettes = module_vignettes(module_id)
    if vignette_id not in vignettes:
        raise CourseError(f"module {module_id!r} has no vignette {vignette_id!r}; it has: {', '.join(vignettes)}")
    vignette = vignettes[vignette_id]
    if isinstance(vignette, ChooseResponse):
        return ResponsePracticeWidget(vignette)
    return AttributionCheckWidget(vignette)
