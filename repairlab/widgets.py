"""Interactive vignettes. The decisions live in ``practice``; this module only lays them out."""

from __future__ import annotations

import functools
import html
from contextlib import contextmanager

import ipywidgets as w

from . import plots
from .agreement import DEGENERATE_RULE, fmt_kappa
from .checks import PASS_MARK, RATING_TOLERANCE
from .errors import CourseError
from .kinds import kind_of
from .labels import (ATTRIBUTION_READINGS, ATTRIBUTIONS, MARKERS, RESOLUTION_ANCHORS, RESPONSE_CATEGORIES, STANCES,
                     THREE_RS, THREE_RS_MARKERS)
from .practice import AttributionPractice, BranchPractice, CodingResult, ResponsePractice, SelfTalkPractice, TranscriptPractice
from .vignettes import (AttributionCheck, BranchingDialogue, ChooseResponse, Question, Response, SelfTalk,
                        TranscriptCoding, module_vignettes)

# Buttons as wide as their label: the default fixed width cuts long labels off with an ellipsis.
FIT_LABELS = {"button_width": "auto", "description_width": "initial"}


def _paragraphs(text: str) -> str:
    """Each line is a paragraph: YAML's folded blocks turn a blank line into a single newline."""
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.splitlines() if p.strip())


def _card(title: str, body: str) -> str:
    return f"<div class='repairlab-card'><h4>{html.escape(title)}</h4>{body}</div>"


def _choice_list(options) -> str:
    """Responses, choices or thoughts listed by their letter."""
    return "<ol style='list-style:none'>" + "".join(
        f"<li><b>{o.id}.</b> {html.escape(o.text)}</li>" for o in options) + "</ol>"


class VignetteBox(w.VBox):
    """A vignette's widget, with its kind as a CSS class (``repairlab-transcript-coding``): the
    browser test and any course stylesheet find it by that."""

    _by_program = 0  # > 0 while the widget changes its own controls

    def __init__(self, vignette, children):
        super().__init__(children)
        self.add_class(f"repairlab-{kind_of(vignette).name}")

    @contextmanager
    def changing_itself(self):
        """Changes made inside are the widget's own, never a person's choice. ipywidgets selects the
        first option when ``options`` is set, which would otherwise record a choice nobody made."""
        self._by_program += 1
        try:
            yield
        finally:
            self._by_program -= 1


def chosen(handler):
    """Run a ``value`` handler only for a person's choice: not for a cleared value (None) and not
    for a change the widget made itself (see ``VignetteBox.changing_itself``)."""

    @functools.wraps(handler)
    def on_change(self, *args):
        if args[-1]["new"] is None or self._by_program:
            return None
        return handler(self, *args)

    return on_change


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
        f"<i>{html.escape(RESPONSE_CATEGORIES[response.category])}.</i>"
        f"<p>{html.escape(response.feedback)}</p></div>"
    )


def question_feedback_html(agrees: bool, question: Question) -> str:
    lead = "You and the supervisor read this the same way." if agrees else "The supervisor reads this differently."
    return (
        f"<div class='repairlab-feedback'><b>{html.escape(lead)}</b> "
        f"<p>The supervisor's reading: <b>{html.escape(question.reading)}</b>. {html.escape(question.why)}</p></div>"
    )


def moment_feedback_html(agrees: bool, key: str, feedback: str) -> str:
    lead = "You and the supervisor read this the same way." if agrees else (
        f"The supervisor reads this as {ATTRIBUTION_READINGS[key]}."
    )
    return f"<div class='repairlab-feedback'><b>{html.escape(lead)}</b> {html.escape(feedback)}</div>"


class ResponsePracticeWidget(VignetteBox):
    """First the vignette's question ("what do you notice?", or "was it cultural?"), then the
    responses; feedback and the alliance plot follow each choice. Nothing names the expert reading
    before the trainee has given their own."""

    def __init__(self, vignette: ChooseResponse):
        self.practice = ResponsePractice(vignette)
        intro = w.HTML(
            _card(vignette.title, _paragraphs(vignette.context))
            + f"<blockquote><b>Client:</b> {html.escape(vignette.client_says)}</blockquote>"
            + f"<p>{html.escape(vignette.question.prompt)}</p>"
        )
        self.notice = w.ToggleButtons(options=[(label, key) for key, label in vignette.question.options.items()],
                                      value=None, style=FIT_LABELS)
        self.notice_feedback = w.HTML()
        self.choice = w.ToggleButtons(options=[r.id for r in vignette.responses], value=None,
                                      description="Your response:", style=FIT_LABELS)
        self.feedback = w.HTML()
        self.debrief = w.HTML()
        self.plot = w.Image(format="png", layout=w.Layout(max_width="640px"))
        self.responses = w.VBox(
            [w.HTML("<p>Which response would you give?</p>" + _choice_list(vignette.responses)),
             self.choice, self.feedback, self.debrief, self.plot]
        )
        self.again = w.Button(description="Start again", icon="refresh")
        self.notice.observe(self._on_notice, names="value")
        self.choice.observe(self._on_choice, names="value")
        self.again.on_click(self._on_again)
        super().__init__(vignette, [intro, self.notice, self.notice_feedback, self.responses, self.again])
        self._hide_responses()

    def _hide_responses(self) -> None:
        self.responses.layout.display = "none"
        self.plot.layout.display = "none"

    @chosen
    def _on_notice(self, change) -> None:
        question = self.practice.notice(change["new"])
        self.notice_feedback.value = question_feedback_html(self.practice.noticed_as_expert, question)
        self.responses.layout.display = None

    @chosen
    def _on_choice(self, change) -> None:
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


class AttributionCheckWidget(VignetteBox):
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
        super().__init__(vignette, [intro, *rows, self.summary, self.plot, self.again])
        self._update_summary()

    def _on_again(self, _button=None) -> None:
        self.practice.reset()
        for choice, feedback in zip(self.choices, self.feedbacks):
            choice.value = None
            feedback.value = ""
        self.plot.layout.display = "none"
        self._update_summary()

    @chosen
    def _on_weigh(self, index: int, change) -> None:
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


def _verdict(agrees: bool) -> str:
    return "#1b7f3b" if agrees else "#9a4d00"


def coding_summary_html(result: CodingResult) -> str:
    named, alike = result.markers_named
    verdict = "at or above" if result.passed else "below"
    markers = f" Of the {alike} rupture turns you coded as the key does, you named the expert's 3RS marker for {named}." if alike else ""
    return (
        f"<div class='repairlab-summary'><b>You agree with the expert key on {sum(t.agrees for t in result.turns)} of "
        f"{len(result.turns)} client turns: {result.agreement:.0%}</b>, {verdict} the {PASS_MARK:.0%} pass mark. "
        f"Cohen's kappa (agreement beyond chance): {fmt_kappa(result.kappa)}.{markers}"
        + (f"<p><i>{html.escape(DEGENERATE_RULE)}</i></p>" if result.kappa is None else "") + "</div>"
    )


def key_html(turn) -> str:
    reading = MARKERS[turn.key] + (f": {THREE_RS_MARKERS[turn.key_marker]} (3RS)" if turn.key_marker else "")
    lead = "Same as the key." if turn.agrees else "The key codes it differently."
    return (f"<div class='repairlab-feedback' style='border-left:4px solid {_verdict(turn.agrees)};padding-left:8px'>"
            f"<b>{lead}</b> Expert key: <b>{html.escape(reading)}</b>. {html.escape(turn.why)}</div>")


class TranscriptCodingWidget(VignetteBox):
    """Code each client turn; the expert key, agreement, kappa and the confusion matrix appear only
    after the whole coding is submitted."""

    def __init__(self, vignette: TranscriptCoding):
        self.practice = TranscriptPractice(vignette)
        intro = w.HTML(
            _card(vignette.title, _paragraphs(vignette.context))
            + "<p>Code each client turn as you read: no rupture, withdrawal or confrontation; for a rupture, "
              "name the 3RS marker if you can. The expert key appears only when you submit the whole coding.</p>"
        )
        self.codes: list[w.ToggleButtons] = []
        self.markers: list[w.Dropdown] = []
        self.reveals: list[w.HTML] = []
        rows = []
        for number, turn in enumerate(vignette.turns, start=1):
            speaker = "Therapist" if turn.speaker == "therapist" else "Client"
            line = w.HTML(f"<p class='repairlab-turn'><b>{number}. {speaker}:</b> {html.escape(turn.text)}</p>")
            if turn.speaker == "therapist":
                rows.append(line)
                continue
            index = len(self.codes)
            code = w.ToggleButtons(options=[(label, key) for key, label in MARKERS.items()], value=None, style=FIT_LABELS)
            marker = w.Dropdown(options=[("3RS marker (optional)", "")], value="", layout=w.Layout(width="max-content"))
            marker.layout.display = "none"
            key = w.HTML()
            code.observe(lambda change, i=index: self._on_code(i, change), names="value")
            marker.observe(lambda change, i=index: self._on_marker(i, change), names="value")
            self.codes.append(code)
            self.markers.append(marker)
            self.reveals.append(key)
            rows.append(w.VBox([line, w.HBox([code, marker]), key], layout=w.Layout(margin="0 0 8px 16px")))
        self.progress = w.HTML()
        self.submit = w.Button(description="Submit my coding", button_style="primary", disabled=True,
                               layout=w.Layout(width="max-content"))
        self.summary = w.HTML()
        self.plot = w.Image(format="png", layout=w.Layout(max_width="640px"))
        self.debrief = w.HTML()
        self.again = w.Button(description="Start again", icon="refresh")
        self.submit.on_click(self._on_submit)
        self.again.on_click(self._on_again)
        super().__init__(vignette, [intro, *rows, self.progress, self.submit, self.summary, self.plot, self.debrief, self.again])
        self._on_again()

    @chosen
    def _on_code(self, index: int, change) -> None:
        family = THREE_RS.get(change["new"], {})
        marker = self.markers[index]
        with self.changing_itself():
            marker.options = [("3RS marker (optional)", "")] + [(label, key) for key, label in family.items()]
            marker.value = ""
        marker.layout.display = None if family else "none"
        self.practice.code(index, change["new"])
        self._update_progress()

    def _on_marker(self, index: int, change) -> None:
        code = self.codes[index].value
        if code is not None and not self._by_program:
            self.practice.code(index, code, change["new"] or "")

    def _update_progress(self) -> None:
        left = self.practice.remaining
        total = len(self.codes)
        self.progress.value = (f"<p>You have coded {total - left} of {total} client turns.</p>" if left
                               else "<p>Every client turn is coded: submit to see the expert key.</p>")
        self.submit.disabled = bool(left)

    def _on_submit(self, _button=None) -> None:
        result = self.practice.submit()
        for code, marker, key, turn in zip(self.codes, self.markers, self.reveals, result.turns):
            code.disabled = marker.disabled = True
            key.value = key_html(turn)
        self.submit.disabled = True
        self.progress.value = "<p>Your coding is submitted; the expert key is under each client turn.</p>"
        self.summary.value = coding_summary_html(result)
        self.plot.value = plots.png(plots.confusion_figure(result))
        self.plot.layout.display = None
        self.debrief.value = f"<div class='repairlab-debrief'><b>Debrief.</b> {_paragraphs(self.practice.vignette.debrief)}</div>"

    def _on_again(self, _button=None) -> None:
        self.practice.reset()
        for code, marker, key in zip(self.codes, self.markers, self.reveals):
            code.disabled = marker.disabled = False
            code.value = None
            marker.layout.display = "none"
            key.value = ""
        self.summary.value = self.debrief.value = ""
        self.plot.layout.display = "none"
        self._update_progress()


def resolution_html(mine: int, expert) -> str:
    close = abs(mine - expert.rating) <= RATING_TOLERANCE
    lead = "Close to the expert's rating." if close else "Further from the expert's rating than one point."
    return (f"<div class='repairlab-feedback' style='border-left:4px solid {_verdict(close)};padding-left:8px'>"
            f"<b>{lead}</b> You rated {mine}; the expert rated <b>{expert.rating}: "
            f"{html.escape(RESOLUTION_ANCHORS[expert.rating])}</b>. {html.escape(expert.why)}</div>")


class BranchingDialogueWidget(VignetteBox):
    """A dialogue the trainee steers: each choice decides the client's next line. At the end the
    trainee rates the resolution before seeing the expert's rating, the path map and the plot."""

    def __init__(self, vignette: BranchingDialogue):
        self.practice = BranchPractice(vignette)
        intro = w.HTML(_card(vignette.title, _paragraphs(vignette.context)))
        self.transcript = w.HTML()
        self.choice_list = w.HTML()
        self.choice = w.ToggleButtons(options=[], value=None, description="You say:", style=FIT_LABELS)
        self.rating = w.ToggleButtons(options=[(str(n), n) for n in RESOLUTION_ANCHORS], value=None,
                                      description="Your rating:", style=FIT_LABELS)
        anchors = "".join(f"<li><b>{n}</b>: {html.escape(text)}</li>" for n, text in RESOLUTION_ANCHORS.items())
        self.rating_box = w.VBox([
            w.HTML(f"<p><b>How far was the rupture resolved?</b> Rate it before you see the expert's rating.</p>"
                   f"<ul style='list-style:none;padding-left:0'>{anchors}</ul>"), self.rating])
        self.verdict = w.HTML()
        self.plot = w.Image(format="png", layout=w.Layout(max_width="640px"))
        self.map = w.Image(format="png", layout=w.Layout(max_width="720px"))
        self.again = w.Button(description="Replay", icon="refresh")
        self.choice.observe(self._on_choice, names="value")
        self.rating.observe(self._on_rating, names="value")
        self.again.on_click(self._on_replay)
        super().__init__(vignette, [intro, self.transcript, self.choice_list, self.choice, self.rating_box, self.verdict,
                          self.plot, self.map, self.again])
        self._on_replay()

    def _show_node(self) -> None:
        """Show the current turn. The transcript is updated last: once it shows the client's new
        line, the choices (or the rating) are already in place."""
        node = self.practice.node
        lines = []
        for step, node_id in enumerate(self.practice.path):
            lines.append(f"<p><b>Client:</b> {html.escape(self.practice.vignette.nodes[node_id].client)}</p>")
            if step < len(self.practice.taken):
                choice = self.practice.taken[step]
                lines.append(f"<p><b>You ({choice.id}):</b> {html.escape(choice.text)}</p>"
                             f"<div class='repairlab-feedback'><i>{html.escape(RESPONSE_CATEGORIES[choice.category])}.</i> "
                             f"{html.escape(choice.feedback)}</div>")
        with self.changing_itself():
            self.choice.options = [c.id for c in node.choices]
            self.choice.value = None
        self.choice.layout.display = "none" if node.ending else None
        if node.ending:
            self.choice_list.value = "<p><i>The dialogue ends here.</i></p>"
            self.rating_box.layout.display = None
        else:
            self.choice_list.value = "<p>What do you say next?</p>" + _choice_list(node.choices)
            self.rating_box.layout.display = "none"
        self.plot.value = plots.png(plots.dialogue_alliance_figure(self.practice.vignette, self.practice.path))
        self.transcript.value = "<div class='repairlab-dialogue'>" + "".join(lines) + "</div>"

    @chosen
    def _on_choice(self, change) -> None:
        self.practice.choose(change["new"])
        self._show_node()

    @chosen
    def _on_rating(self, change) -> None:
        expert = self.practice.rate(change["new"])
        debrief = self.practice.vignette.debrief
        self.verdict.value = resolution_html(change["new"], expert) + (
            f"<div class='repairlab-debrief'>{_paragraphs(debrief)}</div>" if debrief else "")
        self.map.value = plots.png(plots.path_map_figure(self.practice.vignette, self.practice.path))
        self.map.layout.display = None

    def _on_replay(self, _button=None) -> None:
        self.practice.replay()
        self.rating.value = None
        self.verdict.value = ""
        self.map.layout.display = "none"
        self._show_node()


def thought_html(thought) -> str:
    best = thought.stance == "accountable"
    return (f"<div class='repairlab-feedback' style='border-left:4px solid {_verdict(best)};padding-left:8px'>"
            f"<b>{html.escape(STANCES[thought.stance])}.</b> <p><b>In the next session:</b> "
            f"{html.escape(thought.next_session)}</p><p>{html.escape(thought.feedback)}</p></div>")


class SelfTalkWidget(VignetteBox):
    """After a mistake: choose a way of thinking about it and see where it leads; try the others."""

    def __init__(self, vignette: SelfTalk):
        self.practice = SelfTalkPractice(vignette)
        intro = w.HTML(
            _card(vignette.title, _paragraphs(vignette.context))
            + "<p>After the session, which thought is closest to yours? Try any of them: each shows where it leads.</p>"
            + _choice_list(vignette.thoughts)
        )
        self.choice = w.ToggleButtons(options=[t.id for t in vignette.thoughts], value=None,
                                      description="Your thought:", style=FIT_LABELS)
        self.feedback = w.HTML()
        self.debrief = w.HTML()
        self.again = w.Button(description="Start again", icon="refresh")
        self.choice.observe(self._on_choice, names="value")
        self.again.on_click(self._on_again)
        super().__init__(vignette, [intro, self.choice, self.feedback, self.debrief, self.again])

    @chosen
    def _on_choice(self, change) -> None:
        self.feedback.value = thought_html(self.practice.choose(change["new"]))
        self.debrief.value = f"<div class='repairlab-debrief'><b>Debrief.</b> {_paragraphs(self.practice.vignette.debrief)}</div>"

    def _on_again(self, _button=None) -> None:
        self.practice.reset()
        self.choice.value = None
        self.feedback.value = self.debrief.value = ""


def practise(module_id: str, vignette_id: str) -> w.VBox:
    """The interactive vignette ``vignette_id`` of a module, ready to display."""
    vignettes = module_vignettes(module_id)
    if vignette_id not in vignettes:
        raise CourseError(f"module {module_id!r} has no vignette {vignette_id!r}; it has: {', '.join(vignettes)}")
    vignette = vignettes[vignette_id]
    return kind_of(vignette).make_widget(vignette)
