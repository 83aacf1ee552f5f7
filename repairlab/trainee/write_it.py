""""Write it yourself": the practice logic behind the step that follows a vignette. The trainee
writes what they would say; the response coach gives a note per element, with the trainee's own
words it reacted to; then the model answers. Practice only: the text lives in this object, in
memory, and nothing here saves, sends or grades it."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..coach.judge import Judgement
from ..coach.practice import PracticeElement, Prompt, practice_prompt

LABELS = {1.0: "met", 0.5: "partly met", 0.0: "not met yet", None: "not judged"}


@dataclass(frozen=True)
class Note:
    element: PracticeElement
    judgement: Judgement

    @property
    def label(self) -> str:
        return LABELS[self.judgement.score]


class WriteIt:
    """One trainee's attempts at one prompt, kept only while the page is open."""

    def __init__(self, prompt: Prompt):
        self.prompt = prompt
        self.text = ""
        self.notes: list[Note] = []

    @classmethod
    def for_vignette(cls, vignette_id: str) -> WriteIt:
        return cls(practice_prompt(vignette_id))

    def coach(self, text: str) -> list[Note]:
        self.text = text.strip()
        if not self.text:
            self.notes = []
            return []
        judgements = self.prompt.coach.judge(self.text)
        self.notes = [Note(e, j) for e, j in zip(self.prompt.elements, judgements)]
        return self.notes

    @property
    def evidence(self) -> list[str]:
        return [words for note in self.notes for words in note.judgement.evidence]

    def reset(self) -> None:
        self.text, self.notes = "", []


def highlighted(text: str, words: list[str]) -> str:
    """``text`` as HTML with each of ``words`` marked wherever it occurs (longest first)."""
    wanted = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    if not wanted:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in wanted), re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [html.escape(text[last:match.start()]), f"<mark>{html.escape(match.group(0))}</mark>"]
        last = match.end()
    return "".join(out) + html.escape(text[last:])
