"""What collect tells the supervisor: every file placed (and what it replaced), unchanged, or not
placed and why, and who has not handed in."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Placed:
    trainee: str
    exercise: str
    where: str
    how: str
    replaced: str = ""  # where the earlier submission it replaced is kept


@dataclass
class Summary:
    placed: list[Placed] = field(default_factory=list)
    unchanged: list[Placed] = field(default_factory=list)  # the same bytes were already in submitted/
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    not_submitted: dict[str, list[str]] = field(default_factory=dict)  # exercise -> trainees

    def render(self) -> str:
        lines = [f"Placed {len(self.placed)} submission(s) in submitted/."]
        for p in self.placed:
            lines.append(f"  {p.trainee:<12} {p.exercise:<28} from {p.where} ({p.how})")
            if p.replaced:
                lines.append(f"    replaces the earlier submission of {p.trainee} for {p.exercise}; "
                             f"the earlier file is kept in {p.replaced}. Grade it again.")
        if self.unchanged:
            lines.append(f"Unchanged ({len(self.unchanged)}): already in submitted/ with the same content.")
        if self.problems:
            lines.append(f"Not placed ({len(self.problems)}): check these by hand.")
            lines += [f"  {where}: {why}" for where, why in self.problems]
        for exercise, trainees in self.not_submitted.items():
            if trainees:
                lines.append(f"No submission for {exercise} from: {', '.join(trainees)}")
        return "\n".join(printable(line) for line in lines)


def printable(text: str) -> str:
    """Text a trainee could choose (a folder or file name) as the terminal should show it: control
    characters (escape sequences, carriage returns, newlines) and invisible format characters are
    written out as escapes, so they can never clear the screen, rewrite lines or fake a line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
