"""The blind panel: every key, graded and practice, reviewed by independent supervisors who see the
item without its key, feedback or scheme.

``packet`` writes what a reviewer sees (cases as Markdown, keyless); reviewers' verdicts are kept in
``solutions/panel.yml`` (never in the trainee edition); ``agreement`` says, per exercise and per
module's practice, how often the panel chose the key, which items a reviewer disputes, and which
items changed since they were reviewed. Each verdict carries the fingerprint of the text the reviewer
saw, so a rewritten item counts as unreviewed until two reviewers have seen the new text.

    python -m repairlab.authoring.panel packet OUT.md [--unreviewed]
    python -m repairlab.authoring.panel record REVIEWER ANSWERS.yml
    python -m repairlab.authoring.panel agreement
"""

from __future__ import annotations

import hashlib
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from ..course import Course, Exercise, load_course
from ..items import Item
from ..nbgrader_api import cells
from ..nbgrader_api.parts import exercise_parts
from ..trainee.kinds import kind_of
from ..trainee.kinds.attribution_check import AttributionCheck
from ..trainee.kinds.branching_dialogue import BranchingDialogue
from ..trainee.kinds.choose_response import ChooseResponse
from ..trainee.kinds.transcript_coding import TranscriptCoding
from ..trainee.vignettes import load_vignettes
from .key import MARK_SCHEME

MIN_REVIEWERS = 2
VERDICTS = "panel.yml"  # under solutions/


@dataclass(frozen=True)
class Case:
    """What one reviewer reads at once: a situation and the items asked about it."""

    id: str
    group: str  # "exercise <id>" or "practice <module id>"
    situation: str
    items: tuple[Item, ...]

    def item_id(self, n: int) -> str:
        return f"{self.id} #{n}"

    def fingerprint(self, n: int) -> str:
        """The text a verdict was given on. An exercise's instructions (how to type an answer) are left
        out, so rewording them keeps the panel's verdicts; a vignette's situation is the item's stem."""
        item = self.items[n - 1]
        stem = self.situation if self.group.startswith("practice") else ""
        text = "\n".join([stem, item.text, *item.options, *map(str, item.labels)])
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def _quote(text: str) -> str:
    return "> " + text.strip().replace("\n", "\n> ")


def _path_to(dialogue: BranchingDialogue, node_id: str) -> list[str]:
    """The dialogue as it stands when a turn is reached (the shortest way there)."""
    paths = {dialogue.start: [f"Client: {dialogue.nodes[dialogue.start].client}"]}
    queue = [dialogue.start]
    while queue:
        node = dialogue.nodes[queue.pop(0)]
        for choice in node.choices:
            if choice.next not in paths:
                paths[choice.next] = paths[node.id] + [f"You: {choice.text}",
                                                       f"Client: {dialogue.nodes[choice.next].client}"]
                queue.append(choice.next)
    return paths[node_id]


def _vignette_cases(module_id: str, file: Path) -> list[Case]:
    cases = []
    for vignette in load_vignettes(file).values():
        base = f"practice {module_id}, vignette {vignette.id}"
        head = f"**{vignette.title}**\n\n{vignette.context.strip()}"
        items = kind_of(vignette).items(f"{file.name}, vignette {vignette.id!r}", vignette)
        if isinstance(vignette, BranchingDialogue):
            for item in items:
                node = item.where.rsplit("turn ", 1)[1].strip("'")
                lines = "\n\n".join(_path_to(vignette, node))
                cases.append(Case(f"{base}, turn {node}", f"practice {module_id}",
                                  f"{head}\n\nThe conversation so far:\n\n{lines}\n\nWhat do you say next?",
                                  (item,)))
            continue
        situation = head
        if isinstance(vignette, ChooseResponse):
            question = vignette.question
            notice = Item(f"{items[0].where}, marker", "labelling", question.key, text=question.prompt,
                          labels=tuple(question.options))
            situation += f"\n\nThe client says:\n\n{_quote(vignette.client_says)}"
            items = [notice, *items]
        elif isinstance(vignette, TranscriptCoding):
            turns = "\n\n".join(f"{n}. {t.speaker.capitalize()}: {t.text}" for n, t in enumerate(vignette.turns, 1))
            situation += f"\n\n{turns}\n\nLabel each client turn."
        elif isinstance(vignette, AttributionCheck):
            situation += (f"\n\nThe working idea: {vignette.hypothesis.strip()}\n\n"
                          "For each moment, say what it points to.")
        cases.append(Case(base, f"practice {module_id}", situation, tuple(items)))
    return cases


def _markdown(source: str) -> str:
    """A markdown cell as a reviewer may see it: mark schemes removed."""
    keep, inside = [], False
    for line in source.splitlines():
        if MARK_SCHEME[0] in line:
            inside = True
        elif MARK_SCHEME[1] in line:
            inside = False
        elif not inside:
            keep.append(line)
    return "\n".join(keep).strip()


def _exercise_cases(course: Course, exercise: Exercise) -> list[Case]:
    exercise_id = exercise.id
    notebook = course.paths.source(exercise_id) / exercise.notebook_name
    parts = {p.answer_id: p for p in exercise_parts(exercise_id, notebook)}
    nb = nbformat.read(notebook, as_version=4)
    cases, since_last = [], []
    for cell in nb.cells:
        meta_id = cells.grade_id(cell) if cells.nbgrader(cell) else None
        if meta_id in parts:
            part = parts[meta_id]
            cases.append(Case(f"exercise {exercise_id}, part {part.grade_id}", f"exercise {exercise_id}",
                              "\n\n".join(since_last), part.items))
            since_last = []
        elif cell.cell_type == "markdown" and not cells.is_answer(cell):
            since_last.append(_markdown(cell.source))
        elif cells.is_test(cell):
            since_last = []
    return cases


def all_cases(course: Course) -> list[Case]:
    cases = []
    for module in course.modules:
        cases += _vignette_cases(module.id, course.root / module.vignettes)
        for exercise in module.exercises:
            cases += _exercise_cases(course, exercise)
    return cases


def _answer_form(item: Item) -> str:
    if item.kind == "single-best":
        return "one letter: " + ", ".join(chr(65 + i) for i in range(len(item.options)))
    if item.kind == "rating":
        return "a rating 1-5, as the part describes"
    if item.labels == (True, False):
        return "yes or no"
    return "one of: " + ", ".join(map(str, item.labels))


def packet(course: Course, only_unreviewed: bool = False) -> str:
    """The blind packet: every case (or those with an item not yet reviewed on its current text),
    keyless, in course order."""
    out = []
    cases = all_cases(course)
    if only_unreviewed:
        _, _, unreviewed = agreement(course, load_verdicts(course.paths.solutions / VERDICTS))
        waiting = {line.split(": ")[0].rsplit(" #", 1)[0] for line in unreviewed}
        cases = [case for case in cases if case.id in waiting]
    for case in cases:
        out.append(f"## {case.id}\n\n{case.situation}\n")
        for n, item in enumerate(case.items, start=1):
            out.append(f"### {case.item_id(n)}  (answer: {_answer_form(item)})")
            shown = item.options and item.options[0][:40] in case.situation
            if item.text and item.text[:40] not in case.situation:
                out.append(_quote(item.text))
            elif item.text:
                out.append(f"(the item above that begins: \"{item.text[:60]}...\")")
            for letter, option in zip("ABCDEFGH", () if shown else item.options):
                out.append(f"- **{letter}.** {option}")
            out.append("")
    return "\n".join(out)


@dataclass(frozen=True)
class Verdict:
    reviewer: str
    item: str
    fingerprint: str
    answer: str
    also: tuple[str, ...]  # other answers the reviewer would defend as equally good
    why: str


def load_verdicts(path: Path) -> list[Verdict]:
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text()) or {}
    return [
        Verdict(reviewer, v["item"], str(v["fingerprint"]), str(v["answer"]).strip(),
                tuple(str(a).strip() for a in v.get("also") or ()), v.get("why", ""))
        for reviewer, verdicts in (data.get("reviewers") or {}).items()
        for v in verdicts
    ]


def _matches(item: Item, answer: str) -> bool:
    if item.labels == (True, False):
        return answer.lower() in (("yes", "true") if item.key else ("no", "false"))
    if item.kind == "rating":
        return answer == str(item.key)
    return answer.lower() == str(item.key).lower()


@dataclass
class Tally:
    items: int = 0
    reviewed: int = 0  # items with MIN_REVIEWERS current verdicts
    verdicts: int = 0
    with_key: int = 0


def agreement(course: Course, verdicts: list[Verdict]) -> tuple[dict[str, Tally], list[str], list[str]]:
    """Per group: items, items fully reviewed, verdicts agreeing with the key; and the disputed and
    unreviewed items, each as one line."""
    by_item = defaultdict(list)
    for verdict in verdicts:
        by_item[verdict.item].append(verdict)
    tallies: dict[str, Tally] = defaultdict(Tally)
    disputed, unreviewed = [], []
    for case in all_cases(course):
        for n, item in enumerate(case.items, start=1):
            tally, item_id = tallies[case.group], case.item_id(n)
            current = [v for v in by_item[item_id] if v.fingerprint == case.fingerprint(n)]
            tally.items += 1
            tally.verdicts += len(current)
            tally.with_key += sum(_matches(item, v.answer) for v in current)
            if len({v.reviewer for v in current}) >= MIN_REVIEWERS:
                tally.reviewed += 1
            else:
                unreviewed.append(f"{item_id}: {len(current)} current verdict(s)")
            for v in current:
                if not _matches(item, v.answer):
                    disputed.append(f"{item_id}: key {item.key}, {v.reviewer} chose {v.answer} ({v.why})")
                elif v.also:
                    disputed.append(f"{item_id}: key {item.key}, {v.reviewer} would also defend "
                                    f"{', '.join(v.also)} ({v.why})")
    return dict(tallies), disputed, unreviewed


def panel_lines(course: Course) -> tuple[list[str], int]:
    """What ``repairlab check`` prints of the panel: agreement per exercise and practice set, and a
    failure for every item without two blind reviews of its current text."""
    tallies, disputed, unreviewed = agreement(course, load_verdicts(course.paths.solutions / VERDICTS))
    lines = []
    for group, t in tallies.items():
        share = f"{t.with_key} of {t.verdicts} verdicts chose the key" if t.verdicts else "no verdicts"
        status = "ok " if t.reviewed == t.items else "BAD"
        lines.append(f"panel {status} {group}: {t.reviewed}/{t.items} items reviewed blind by {MIN_REVIEWERS}+; "
                     f"{share}")
    lines += [f"      dissent: {line}" for line in disputed]
    lines += [f"panel BAD {line}" for line in unreviewed[:10]]
    if len(unreviewed) > 10:
        lines.append(f"panel BAD ... and {len(unreviewed) - 10} more items without {MIN_REVIEWERS} current reviews")
    return lines, len(unreviewed)


def record(course: Course, reviewer: str, answers: list[dict]) -> int:
    """Keep one reviewer's answers, each stamped with the fingerprint of the text it was given on."""
    fingerprints = {case.item_id(n): case.fingerprint(n) for case in all_cases(course)
                    for n in range(1, len(case.items) + 1)}
    path = course.paths.solutions / VERDICTS
    data = yaml.safe_load(path.read_text()) if path.is_file() else None
    data = data or {"reviewers": {}}
    kept = [v for v in data["reviewers"].get(reviewer, []) if v["item"] not in {a["item"] for a in answers}]
    unknown = [a["item"] for a in answers if a["item"] not in fingerprints]
    if unknown:
        raise SystemExit(f"{reviewer}: {len(unknown)} answer(s) name no item of the course, e.g. {unknown[0]!r}")
    for a in answers:
        kept.append({"item": a["item"], "fingerprint": fingerprints[a["item"]], "answer": str(a["answer"]),
                     "also": [str(x) for x in a.get("also") or []], "why": str(a.get("why", "")).strip()})
    data["reviewers"][reviewer] = kept
    text = path.read_text().split("reviewers:")[0] if path.is_file() else ""
    path.write_text(text + yaml.safe_dump({"reviewers": data["reviewers"]}, sort_keys=False, allow_unicode=True,
                                         width=100))
    return len(answers)


def main(argv: list[str]) -> int:
    course = load_course()
    if argv[:1] == ["packet"] and len(argv) in (2, 3) and argv[2:] in ([], ["--unreviewed"]):
        Path(argv[1]).write_text(packet(course, only_unreviewed=argv[2:] == ["--unreviewed"]))
        return 0
    if argv[:1] == ["record"] and len(argv) == 3:
        answers = yaml.safe_load(Path(argv[2]).read_text())
        print(f"kept {record(course, argv[1], answers)} verdicts of {argv[1]}")
        return 0
    if argv == ["agreement"]:
        lines, failures = panel_lines(course)
        print("\n".join(lines))
        return 1 if failures else 0
    print("usage: python -m repairlab.authoring.panel packet OUT.md [--unreviewed] | record REVIEWER ANSWERS.yml"
          " | agreement", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
