"""The key: what must never reach trainees (hidden tests, mark schemes, model answers, calibration
samples), and a search for it in any text. The trainee edition refuses to finish if the search finds
any of it, and the tests repeat the search on their own."""

from __future__ import annotations

import ast
import fnmatch
import io
import json
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from ..checks import answer_lines
from ..course import Course

# --- the key: what must never reach trainees --------------------------------------------------

HIDDEN_TESTS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
MARK_SCHEME = ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===")
SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
MIN_KEY_LINE = 12
CALIBRATION_FILES = ("calibration*.yml", "calibration*.yaml")
# The response coach's labelled bank: whole responses and the raters' notes (a line of one may quote the
# public exercise, so lines alone would find leaks that are not there).
BANK_FILES = ("coach-bank*.yml", "coach-bank*.yaml")
BANK_FIELDS = ("text", "notes", "why")


def _regions(source: str, markers: tuple[str, str]) -> list[list[str]]:
    """The lines between each begin and end marker (markers excluded)."""
    regions, current = [], None
    for line in source.splitlines():
        if markers[0] in line:
            current = []
        elif markers[1] in line:
            if current is not None:
                regions.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return regions


def _literals(lines: list[str]) -> list:
    """The literal values (strings, numbers) in a solution region, in order."""
    values = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if tok.type in (tokenize.STRING, tokenize.NUMBER):
                try:
                    values.append(ast.literal_eval(tok.string))
                except (ValueError, SyntaxError):
                    pass
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return values


def _is_import(line: str) -> bool:
    """An import in a hidden test names code, not the key (the trusted grader may import the same)."""
    return line.startswith(("import ", "from ")) and " import " in f" {line}"


@dataclass
class Key:
    """What the key looks like as text: lines of hidden tests and mark schemes, written answers, and
    each answer as an ordered sequence of values (single labels are public: they are the allowed
    labels; the key is which one goes where)."""

    lines: set[str] = field(default_factory=set)
    sequences: list[tuple[str, ...]] = field(default_factory=list)

    def add_source(self, source: str) -> None:
        for markers in (HIDDEN_TESTS, MARK_SCHEME):
            for region in _regions(source, markers):
                self.lines |= {
                    s for s in (line.strip() for line in region) if len(s) >= MIN_KEY_LINE and not _is_import(s)
                }
        for region in _regions(source, SOLUTION):
            # a Python literal, or an answer cell's text block (one answer per line, no quotes)
            values = tuple(str(v) for v in _literals(region) or [a for _, a in answer_lines("\n".join(region))])
            if len(values) >= 2:
                self.sequences.append(values)
            # a written model answer; a label ("over-apologising") is public, only its place is key
            self.lines |= {v for v in values if len(v) >= MIN_KEY_LINE and " " in v.strip()}

    def add_calibration(self, data) -> None:
        """Calibration samples (answers, agreed scores' rationales): every line of prose in them."""
        if isinstance(data, dict):
            for value in data.values():
                self.add_calibration(value)
        elif isinstance(data, list):
            for value in data:
                self.add_calibration(value)
        elif isinstance(data, str):
            self.lines |= {
                s for s in (line.strip() for line in data.splitlines()) if len(s) >= MIN_KEY_LINE and " " in s
            }

    def add_bank(self, data) -> None:
        """A coach bank's responses, whole, and what its raters and adjudicator wrote about them."""
        for response in (data or {}).get("responses") or []:
            for name in BANK_FIELDS:
                value = response.get(name)
                for text in value.values() if isinstance(value, dict) else [value]:
                    if isinstance(text, str) and len(text.strip()) >= MIN_KEY_LINE:
                        self.lines.add(text.strip())

    def found_in(self, text: str) -> str | None:
        """The first piece of the key in ``text``, or None."""
        for line in self.lines:
            if line in text:
                return line
        if self.sequences:
            tokens = " ".join(_words(text))
            for seq in self.sequences:
                if f" {' '.join(seq)} " in f" {tokens} ":
                    return f"the answer sequence {list(seq)}"
        return None


def _words(text: str) -> list[str]:
    return re.findall(r"[\w][\w-]*", text)


def course_key(course: Course, files: list[str] = ()) -> Key:
    """The key: every notebook under ``solutions/`` (hidden tests, mark schemes, answers) and every
    calibration set, beside the solutions or among ``files`` (relative to the course root)."""
    root = course.root
    key = Key()
    folder = course.paths.solutions
    for path in sorted(folder.rglob("*.ipynb")) if folder.is_dir() else []:
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            source = cell.get("source", "")
            key.add_source("".join(source) if isinstance(source, list) else source)
    calibration = {p for n in CALIBRATION_FILES for p in folder.rglob(n)} if folder.is_dir() else set()
    calibration |= {
        root / f for f in files if any(fnmatch.fnmatch(PurePosixPath(f).name, n) for n in CALIBRATION_FILES)
    }
    for path in sorted(p for p in calibration if p.is_file()):
        try:
            key.add_calibration(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, OSError):
            key.lines.add(path.read_text(encoding="utf-8", errors="ignore").strip())
    for path in sorted(p for n in BANK_FILES for p in folder.rglob(n)) if folder.is_dir() else []:
        key.add_bank(yaml.safe_load(path.read_text(encoding="utf-8")))
    return key


def readable_text(path: Path) -> str:
    """A file as text; a notebook as its cell sources and outputs, so JSON escaping hides nothing."""
    text = path.read_text(encoding="utf-8", errors="ignore")
    if path.suffix == ".ipynb":
        try:
            nb = json.loads(text)
        except ValueError:
            return text
        parts = [text]
        for cell in nb.get("cells", []):
            for value in (cell.get("source", ""), *(
                o.get("text", "") for o in cell.get("outputs", []))):
                parts.append("".join(value) if isinstance(value, list) else str(value))
        return "\n".join(parts)
    return text
