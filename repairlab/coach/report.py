"""What ``repairlab coach`` prints: per answer, per mark-scheme element in the scheme's order, the
suggested score (null where not judged), the words it reacted to and why; as JSON lines or a table."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

from ..course import Course
from .exercise import CoachError, exercise_coach
from .judge import Judgement
from .voice import for_supervisor

LABELS = {1.0: "met", 0.5: "partly", 0.0: "not met", None: "not judged"}


def read_answers(path: Path) -> list[tuple[str, str]]:
    if not path.is_file():
        raise CoachError(f"{path}: no such file")
    answers = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CoachError(f"{path.name}, line {n}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict) or "id" not in item or not isinstance(item.get("text"), str):
            raise CoachError(f'{path.name}, line {n}: needs "id" and "text" (a string)')
        answers.append((str(item["id"]), item["text"]))
    return answers


def table(answer_id: str, judgements: list[Judgement]) -> str:
    lines = [f"{answer_id}"]
    for j in judgements:
        lines.append(f"  {j.name[:48]:48} {LABELS[j.score]:10}  {', '.join(repr(e) for e in j.evidence)}")
        lines += textwrap.wrap(for_supervisor(j.why), 100, initial_indent="      ", subsequent_indent="      ")
    return "\n".join(lines)


def coach_file(course: Course, exercise_id: str, task: str, path: str, as_json: bool = False,
               say: Callable[[str], None] = print) -> None:
    answers = read_answers(Path(path))
    if not as_json:
        say("Suggestions only: you decide every score. Fitting the coach to the task's labelled bank ...")
    coach = exercise_coach(course, exercise_id, task)
    if not as_json:
        judged = sum(m is not None for m in coach.models)
        say(f"The coach judges {judged} of {len(coach.models)} elements"
            + ("; on the others, held out, it did not agree well enough with the settled scores" if judged < len(
                coach.models) else "")
            + ". On any answer it says \"not judged\" where it cannot tell (a denial, a list of words, wording it "
              "is unsure of): read those answers yourself.\n")
    for answer_id, text in answers:
        judgements = coach.judge(text)
        if as_json:
            elements = [{**j.as_data(), "why": for_supervisor(j.why)} for j in judgements]  # the table's words
            say(json.dumps({"id": answer_id, "elements": elements}, ensure_ascii=False))
        else:
            say(table(answer_id, judgements))
