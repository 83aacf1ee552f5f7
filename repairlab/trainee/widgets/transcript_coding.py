"""The transcript-coding widget: code each client turn, then see the key, agreement and kappa."""

from __future__ import annotations

import html

import ipywidgets as w

from ...agreement import DEGENERATE_RULE, fmt_kappa
from ...checks import PASS_MARK
from ...labels import MARKERS, THREE_RS, THREE_RS_MARKERS
from .. import plots
from .base import FIT_LABELS, VignetteBox, card, chosen, paragraphs, verdict_colour


def coding_summary_html(result) -> str:
    named, alike = result.markers_named
    verdict = "at or above" if result.passed else "below"
    markers = (
        f" Of the {alike} rupture turns you coded as the key does, you named the expert's 3RS marker for {named}."
        if alike
        else ""
    )
    return (
        f"<div class='repairlab-summary'><b>You agree with the expert key on {sum(t.agrees for t in result.turns)} of "
        f"{len(result.turns)} client turns: {result.agreement:.0%}</b>, {verdict} the {PASS_MARK:.0%} pass mark. "
        f"Cohen's kappa (agreement beyond chance): {fmt_kappa(result.kappa)}.{markers}"
        + (f"<p><i>{html.escape(DEGENERATE_RULE)}</i></p>" if result.kappa is None else "") + "</div>"
    )


def key_html(turn) -> str:
    reading = MARKERS[turn.key] + (f": {THREE_RS_MARKERS[turn.key_marker]} (3RS)" if turn.key_marker else "")
    lead = "Same as the key." if turn.agrees else "The key codes it differently."
    return ("<div class='repairlab-feedback' style='border-left:4px solid "
            f"{verdict_colour(turn.agrees)};padding-left:8px'>"
            f"<b>{lead}</b> Expert key: <b>{html.escape(reading)}</b>. {html.escape(turn.why)}</div>")


class TranscriptCodingWidget(VignetteBox):
    """Code each client turn; the expert key, agreement, kappa and the confusion matrix appear only
    after the whole coding is submitted."""

    def __init__(self, practice):
        self.practice = practice
        vignette = practice.vignette
        intro = w.HTML(
            card(vignette.title, paragraphs(vignette.context))
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
            code = w.ToggleButtons(
                options=[(label, key) for key, label in MARKERS.items()], value=None, style=FIT_LABELS
            )
            marker = w.Dropdown(options=[("3RS marker (optional)", "")], value="", layout=w.Layout(width="max-content"))
            marker.layout.display = "none"
            key = w.HTML()
            self.access.name(code, f"Turn {number}: your code")
            self.access.name(marker, f"Turn {number}: 3RS marker (optional)")
            self.access.name(key, f"Expert key for turn {number}")
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
        self.access.name(self.summary, "Your agreement with the expert key", live=True)
        self.access.name(self.plot, "Table of your coding against the expert key, drawn when you submit")
        self.submit.on_click(self._on_submit)
        self.again.on_click(self._on_again)
        super().__init__([intro, *rows, self.progress, self.submit, self.summary, self.plot, self.debrief, self.again])
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
        after = [c for i, c in enumerate(self.codes) if i > index and c.value is None]
        self.access.focus(marker if family else after[0] if after else self.submit)

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
        self.access.name(self.plot, plots.confusion_text(result))
        self.access.focus(self.again)
        self.plot.layout.display = None
        self.debrief.value = (
            f"<div class='repairlab-debrief'><b>Debrief.</b> {paragraphs(self.practice.vignette.debrief)}</div>"
        )

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
