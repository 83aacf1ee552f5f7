"""Every exercise's feedback page as a trainee reads it (repairlab.nbgrader_api.feedback_page), after a
trainee-seat review of a demo cohort's 36 pages: plain verdicts, part names as the parts are headed, no
doubled punctuation or notebook typing instructions, a safety note that says what is true and where to
read again, journal entries each with its title, skills not marked yet said in words, every page fits a
390 px phone with no axe violation, and the summary kept whole in print."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from repairlab.cli import main
from repairlab.nbgrader_api import open_course

from helpers.browser_lab import CHROMIUM, CHROMIUM_ARGS, require_chromium

pytestmark = pytest.mark.grading
SAFETY_SECTIONS = {"owning-your-part": "Safety first",
                   "projection-or-contribution": "When withdrawal is also a risk sign"}


@pytest.fixture(scope="module")
def pages(graded_cohort, tmp_path_factory):
    """(exercise id, trainee) -> the page's HTML, for every exercise, after ``repairlab feedback``."""
    root = Path(shutil.copytree(graded_cohort[0], tmp_path_factory.mktemp("every") / "course"))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        assert main(["feedback"]) == 0
    found = {(page.parent.name, page.parent.parent.name): page for page in root.glob("feedback/*/*/*.html")}
    return found, graded_cohort[1], open_course(root)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _text(path: Path) -> str:
    return " ".join(_soup(path).get_text(" ").split())


def _rows(soup: BeautifulSoup, caption: str) -> list[tuple[str, str]]:
    table = next(t for t in soup.find_all("table") if t.caption and t.caption.get_text(strip=True) == caption)
    rows = []
    for row in table.tbody.find_all("tr"):
        name, score = row.find_all("td")
        for skill in name.select(".skill"):
            skill.decompose()
        rows.append((" ".join(name.get_text(" ").split()), " ".join(score.get_text(" ").split())))
    return rows


def test_every_page_reads_plainly_with_parts_named_as_headed(pages):
    found, _, course = pages
    assert {exercise for exercise, _ in found} == {e.id for e in course.exercises} and len(course.exercises) == 6
    for (exercise, trainee), path in found.items():
        where = f"{trainee}/{exercise}"
        text = _text(path)
        assert not re.findall(r".{30}\?[.,:;]", text), (where, re.findall(r".{30}\?[.,:;]", text))
        for jargon in ("as the key", "box below", "Double-click", "Type your", "Type one", "Type eight",
                       "Type the letters", "Private reflection", "its text stays", "part still to be marked"):
            assert jargon not in text, (where, jargon)
        soup = _soup(path)
        sections = soup.select("section.answer")
        headings = [" ".join(s.find(["h3", "h4"]).get_text(" ").split()) for s in sections]
        parts = [name for name, _ in _rows(soup, "By part")]
        assert len(parts) == len(headings)
        for part, heading in zip(parts, headings):
            assert part == heading or part.endswith(f", {heading[0].lower()}{heading[1:]}"), (where, part, heading)
        assert not [h for h in headings if not h.startswith(("Part ", "Entry "))], (where, headings)
        labels = [s["aria-label"] for s in sections]
        assert len(set(labels)) == len(labels), (where, labels)  # axe landmark-unique


def test_the_journal_names_each_entry_and_says_each_state_as_it_is(pages):
    found, profiles, _ = pages
    blank = next(t for t, p in profiles.items() if p == "blank")
    complete = next(t for t, p in profiles.items() if p == "complete")
    for trainee, verdict in ((complete, "Complete: you wrote in this entry."),
                             (blank, "Not complete: this entry was left blank or unchanged, so it scored nothing")):
        soup = _soup(found[("when-you-get-it-wrong", trainee)])
        assert [h.get_text() for h in soup.find_all("h3") if h.get_text().startswith("Part C")] == [
            "Part C: your reflection journal"]
        entries = [h.get_text(" ", strip=True) for h in soup.select("section.answer h4")]
        assert len(entries) == 3 and len(set(entries)) == 3 and all(e.startswith(f"Entry {n}:")
                                                                    for n, e in enumerate(entries, 1))
        rows = [name for name, _ in _rows(soup, "By part") if "entry" in name]
        assert rows == [f"Part C: your reflection journal, {e[0].lower()}{e[1:]}" for e in entries]
        text = _text(found[("when-you-get-it-wrong", trainee)])
        assert text.count(verdict) == 3, trainee
    assert "Complete: you wrote" not in _text(found[("when-you-get-it-wrong", blank)])


def test_a_missed_safety_item_says_what_is_true_and_where_the_course_teaches_it(pages):
    """Under the title, first in the content: which item, whether it was left blank or answered
    otherwise, and the module section to read again before supervision; never the item's options.
    (An answer otherwise than the course's is tried in test_feedback_page.)"""
    found, profiles, _ = pages
    blank = next(t for t, p in profiles.items() if p == "blank")
    flagged = {key: path for key, path in found.items() if "Safety item missed" in path.read_text(encoding="utf-8")}
    assert {e for e, _ in flagged} == set(SAFETY_SECTIONS) and (("owning-your-part", blank) in flagged)
    for (exercise, trainee), path in flagged.items():
        soup = _soup(path)
        note = soup.find("h1").find_next_sibling()
        assert "repairlab-safety-note" in note["class"], (exercise, trainee)
        said = " ".join(note.get_text(" ").split())
        part = re.search(r"(Part [A-C]), situation", said).group(1)
        answer = next(s for s in soup.select("section.answer") if s["aria-label"].startswith(part))
        state = ("you left it blank" if "No answer given." in answer.get_text()
                 else "your answer there is not the one the course expects")
        assert re.fullmatch(
            rf"Safety item missed — review\. {part}, situation \d is a safety item, and {state}\. "
            rf"Read again “{SAFETY_SECTIONS[exercise]}” in module \d \([^)]*\?*\), and bring this answer to "
            r"supervision: your supervisor will go through it with you, whatever your total score\.", said), said
        assert len(soup.select(".repairlab-safety-note")) == 1


def test_a_skill_with_no_part_marked_yet_says_so_instead_of_a_zero(pages):
    found, profiles, _ = pages
    complete = next(t for t, p in profiles.items() if p == "complete")
    skills = dict(_rows(_soup(found[("reading-the-markers", complete)]), "By skill"))
    assert skills["Metacommunicate about withdrawal"] == "not marked yet"
    assert skills["Detect rupture markers"] == "6 of 6"
    owning = dict(_rows(_soup(found[("owning-your-part", complete)]), "By skill"))
    assert owning["Own your part"] == "5 of 5, and a part not marked yet"


@pytest.mark.browser
def test_every_exercise_page_fits_a_phone_has_no_axe_violation_and_prints_whole(pages, tmp_path):
    """Complete, partly right and blank pages of every exercise at 1280 and 390 px: no axe violation of
    any impact, nothing wider than the window (a reviewer found two pages scrolling sideways at 390:
    the by-part table and a label table), and in print the page has margins and the summary box keeps
    together."""
    require_chromium()
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    found, profiles, _ = pages
    trainees = [next(t for t, p in profiles.items() if p == kind) for kind in ("complete", "partial", "blank")]
    results, printed = {}, {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for (exercise, trainee), path in sorted(found.items()):
            if trainee not in trainees:
                continue
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(path.as_uri())
                violations = Axe().run(page).response["violations"]
                results[(exercise, trainee, width)] = ([(v["id"], v["impact"], len(v["nodes"])) for v in violations],
                                                       page.evaluate("document.documentElement.scrollWidth"))
                if width == 390 and trainee == trainees[0]:
                    page.screenshot(path=tmp_path / f"{exercise}-{width}.png", full_page=True)
                    page.emulate_media(media="print")
                    printed[exercise] = page.evaluate("""() => [
                        getComputedStyle(document.querySelector('.summary')).breakInside,
                        [...document.styleSheets].flatMap(s => [...s.cssRules])
                          .filter(r => r instanceof CSSPageRule).map(r => r.style.marginTop)]""")
                page.close()
        browser.close()
    assert len(results) == 6 * 3 * 2
    assert {key: v for key, (v, _) in results.items() if v} == {}
    assert {key: w for key, (_, w) in results.items() if w > key[2]} == {}
    assert all(kept == "avoid" and margins and margins[0] not in ("", "0px")
               for kept, margins in printed.values()), printed
