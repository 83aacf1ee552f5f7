"""The course home's "Hand in or start again" section on a laptop: per exercise, a button that makes the
dated copy to send (and a link that downloads it), and one that starts the exercise again after a second
click to confirm (``repairlab.trainee.handing_in`` does the work; nothing is deleted)."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import ipywidgets as w


@dataclass(frozen=True)
class ExerciseRoute:
    """What the section needs about one exercise, and the actions it calls."""

    title: str
    notebook: Path  # the trainee's own copy
    started: Callable[[], bool]  # the copy differs from the exercise as it came
    hand_in: Callable[[], Path]  # makes the copy to send; returns it
    start_again: Callable[[], Path | None]  # keeps the old copy; returns where
    download: Callable[[Path], str]  # a link that downloads a file
    lab: Callable[[Path], str]  # a link that opens a file in JupyterLab
    missing: Callable[[], list[str]] = list  # what the saved copy still lacks, one phrase per part
    open_in_lab: Callable[[], bool] = bool  # the exercise is open in a JupyterLab tab now


def _when(path: Path) -> str:
    when = datetime.fromtimestamp(path.stat().st_mtime)
    return f"{when.day} {when:%b %Y, %H:%M}"


class ExerciseRow(w.VBox):
    """One exercise: its title, the two buttons, the confirm step and what happened, announced."""

    def __init__(self, route: ExerciseRoute, changed: Callable[[], None]):
        self.route, self.changed = route, changed
        auto = w.Layout(width="auto")
        self.hand = w.Button(description="Hand in", tooltip=f"Hand in {route.title}", layout=auto)
        self.again = w.Button(description="Start again", tooltip=f"Start {route.title} again",
                              layout=auto)
        self.confirm = w.Button(description="Yes, start again", layout=auto)
        self.cancel = w.Button(description="Keep my answers", layout=auto)
        self.question = w.VBox([w.HTML(f"<div class='rl-page'><b>Start <i>{html.escape(route.title)}</i> again?</b> "
                                       "Your answers so far are kept as a dated copy in your workspace (folder "
                                       "<i>earlier-copies</i>), and you get the exercise as it first came. <b>Close "
                                       "the exercise's tab first without saving</b>: saving from a tab that was open "
                                       "before would put your old answers back over the fresh copy.</div>"),
                                w.HBox([self.confirm, self.cancel])], layout=w.Layout(display="none"))
        self.anyway = w.Button(description="Hand in anyway", layout=auto)
        self.back = w.Button(description="Go back", layout=auto)
        self.gaps = w.HTML()
        self.unfinished = w.VBox([self.gaps, w.HBox([self.anyway, self.back])], layout=w.Layout(display="none"))
        self.said = w.HTML()
        self.hand.on_click(self._on_hand_in)
        self.anyway.on_click(lambda _b: self._hand_in())
        self.back.on_click(lambda _b: self._unfinished(None))
        self.again.on_click(lambda _b: self._asking(True))
        self.cancel.on_click(lambda _b: self._asking(False))
        self.confirm.on_click(self._on_start_again)
        title = w.HTML(f"<div class='rl-page'><b>{html.escape(route.title)}</b></div>")
        super().__init__([w.HBox([title, self.hand, self.again], layout=w.Layout(flex_flow="row wrap",
                                                                                align_items="center")),
                          self.question, self.unfinished, self.said], layout=w.Layout(margin="0 0 8px 0"))

    def _say(self, text: str) -> None:
        self.said.value = f"<div class='rl-page'><p role='status'>{text}</p></div>"

    def _asking(self, asking: bool) -> None:
        self.question.layout.display = None if asking else "none"
        self._unfinished(None)

    def _unfinished(self, gaps: list[str] | None) -> None:
        """Show what the saved copy still lacks, with "Hand in anyway" and "Go back" (None hides it)."""
        self.unfinished.layout.display = None if gaps else "none"
        self.gaps.value = "" if not gaps else (
            f"<div class='rl-page'><p role='status'><b>Not finished yet:</b> {html.escape('; '.join(gaps))}. "
            "This is what you last saved: if you have just written more, save it in the exercise (Ctrl+S) and "
            "click Hand in again.</p></div>")
        self.said.value = ""

    def _on_hand_in(self, _button=None) -> None:
        route = self.route
        if not route.notebook.is_file() or not route.started():
            self._unfinished(None)
            self._say("This exercise has no answers saved yet: open it, type your answers, save (Ctrl+S), then "
                      "hand in.")
            return
        gaps = route.missing()
        if gaps:
            self._unfinished(gaps)
            return
        self._hand_in()

    def _hand_in(self) -> None:
        route = self.route
        self._unfinished(None)
        copy = route.hand_in()
        self._say(f"Handed in: a copy of what you last saved ({_when(route.notebook)}) is ready. "
                  f"<a href='{route.download(copy)}' download='{html.escape(copy.name)}'>Download the copy to "
                  f"send</a> ({html.escape(copy.name)}), then send it to your supervisor.")
        self.changed()

    def _on_start_again(self, _button=None) -> None:
        if self.route.open_in_lab():
            self._say("The exercise is still open in JupyterLab. Close its tab there without saving (File ▸ Close "
                      "Tab; if asked, choose <b>Discard</b>), then click <b>Yes, start again</b>.")
            return
        kept = self.route.start_again()
        self._asking(False)
        where = (f" Your earlier answers are kept in <i>earlier-copies/{html.escape(kept.name)}</i>."
                 if kept is not None else "")
        self._say(f"Started again: <a href='{self.route.lab(self.route.notebook)}' target='_blank'>open the fresh "
                  f"copy</a>.{where} If the exercise is open in another tab, close that tab without saving.")
        self.changed()


def exercise_actions(routes: list[ExerciseRoute], changed: Callable[[], None]) -> w.VBox:
    """The section: a heading, a line on what it does, and a row per exercise."""
    intro = w.HTML("<div class='rl-page'><h3>Hand in or start again</h3><p>Hand in makes a dated copy of what you "
                   "last saved, for you to send. Start again gives you the exercise as it first came, and keeps your "
                   "answers so far.</p></div>")
    section = w.VBox([intro, *(ExerciseRow(route, changed) for route in routes)])
    section.add_class("rl-exercise-actions")
    return section
