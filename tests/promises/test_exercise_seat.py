"""An exercise from the trainee's seat, in real Chromium on the lab `repairlab open` starts: a cell
clicked once and typed into ("abmyxdd s", and the other single keys JupyterLab knows) leaves the
notebook's cells as they were; a check run before its answer, on a blank, a wrong and a complete answer
says so in plain sentences, with no traceback or error name; the course home hands the exercise in
(a dated copy, downloaded with its own name) and starts it again after a confirm.

Screenshots at 1280 and 390 px wide land in the test's temporary folder (printed).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path

import pytest

from helpers import copy_course
from helpers.browser_lab import KERNEL_IDLE_JS, chromium, require_chromium, serving
from helpers.trainee_lab import TraineeLab

pytestmark = pytest.mark.browser

EXERCISE = "owning-your-part"
NOTEBOOK = f"workspace/{EXERCISE}/{EXERCISE}.ipynb"
WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
PAGE_TIMEOUT_MS, UI_TIMEOUT_MS = 90_000, 20_000
NEVER_SHOWN = ("Traceback", "NameError", "AnswerError", "SyntaxError", "check_list", "import ", "BEGIN",
               "grade_id", "nbgrader")

CELLS_JS = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  return w.content.widgets.map(c => [c.model.type, c.model.sharedModel.getSource()]);
}
"""
INDEX_JS = """
(source) => window.jupyterapp.shell.currentWidget.content.widgets.findIndex(
  c => c.model.sharedModel.getSource().includes(source))
"""
SET_SOURCE_JS = """
([index, text]) => { window.jupyterapp.shell.currentWidget.content.widgets[index].model.sharedModel.setSource(text); }
"""
RUN_JS = """
async (index) => {
  const w = window.jupyterapp.shell.currentWidget;
  w.content.activeCellIndex = index;
  w.content.deselectAll();
  await window.jupyterapp.commands.execute('notebook:run-cell');
}
"""
OUTPUT_JS = """
(index) => window.jupyterapp.shell.currentWidget.content.widgets[index].node
  .querySelector('.jp-OutputArea').innerText
"""


class SeatLab(TraineeLab):
    """The trainee's lab, with JupyterLab's app reachable from the page so the test can read the cells."""

    def _command(self) -> list[str]:
        return [*super()._command(), "--LabApp.expose_app_in_browser=True"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require_chromium()
    base = tmp_path_factory.mktemp("exercise-seat")
    root = copy_course(base / "course")
    with serving(SeatLab(root, base / "state")) as server:
        yield root, server


@pytest.fixture(scope="module")
def browser(lab):
    with chromium() as browser:
        yield browser


@contextlib.contextmanager
def page_at(browser, viewport=WIDE):
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()


def open_exercise(page, server):
    page.goto(f"{server.url}/lab/tree/{NOTEBOOK}", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(KERNEL_IDLE_JS, arg=NOTEBOOK, timeout=PAGE_TIMEOUT_MS, polling=200)
    page.wait_for_timeout(500)  # the notebook's keyboard handling is attached once it is shown


def run(page, index: int) -> str:
    page.evaluate(RUN_JS, index)
    page.wait_for_function(KERNEL_IDLE_JS, arg=NOTEBOOK, timeout=UI_TIMEOUT_MS, polling=100)
    page.wait_for_timeout(300)
    return page.evaluate(OUTPUT_JS, index)


def shows_no_code_words(page) -> None:
    text = page.locator(".jp-NotebookPanel").inner_text()
    shown = [word for word in NEVER_SHOWN if word in text]
    assert shown == [], f"the trainee sees {shown}"


def test_a_click_and_stray_keys_leave_the_exercise_whole(lab, browser):
    root, server = lab
    with page_at(browser) as page:
        open_exercise(page, server)
        before = page.evaluate(CELLS_JS)
        # click the task text once (command mode), then type as if writing an answer
        page.locator(".jp-MarkdownCell").nth(1).click()
        page.keyboard.type("abmyxdd s", delay=40)
        for key in ("c", "v", "z", "Shift+Z", "Shift+M", "Shift+A", "Shift+B", "1", "r", "0", "0", "Shift+R"):
            page.keyboard.press(key)
        # and the same on the answer box, selected by a click on its prompt (still command mode)
        page.locator(".jp-CodeCell .jp-InputPrompt").first.click()
        page.keyboard.type("abmyxdd s", delay=40)
        page.wait_for_timeout(500)
        assert page.locator(".jp-Dialog").count() == 0, "a stray key opened a dialog (restart the kernel?)"
        assert page.evaluate(CELLS_JS) == before, "the notebook's cells changed"
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        page.wait_for_timeout(1000)
    saved = json.loads((root / NOTEBOOK).read_text())
    assert [[c["cell_type"], "".join(c["source"])] for c in saved["cells"]] == [list(c) for c in before]
    assert len(saved["cells"]) == len(json.loads((root / "exercises" / EXERCISE / f"{EXERCISE}.ipynb").read_text())
                                      ["cells"])


def test_part_c_is_written_as_its_instruction_says_and_shift_enter_adds_no_cell(lab, browser):
    """JupyterLab 4.6 shows a markdown cell's text on a double-click but leaves the keyboard outside it (typing
    goes nowhere): the instruction says to click inside it too, and that works. The placeholder line may stay.
    Shift+Enter on the answer moves to the read-only closing cell instead of adding an empty cell."""
    _, server = lab
    with page_at(browser) as page:
        open_exercise(page, server)
        cells = page.evaluate(CELLS_JS)
        part_c = next(i for i, (_, text) in enumerate(cells) if text.startswith("## Part C"))
        assert "Double-click the box below, then click inside it and write" in cells[part_c][1]
        answer, placeholder = part_c + 1, cells[part_c + 1][1]
        assert "this line can stay" in placeholder and cells[-1][1].startswith("---\n\n**End of the exercise.**")
        box = page.locator(".jp-Notebook .jp-Cell").nth(answer)
        box.scroll_into_view_if_needed()
        box.locator(".jp-RenderedMarkdown").dblclick()
        box.locator(".cm-content").click()
        page.keyboard.press("Control+End")
        page.keyboard.type("\nI looked at my phone while you spoke.", delay=10)
        assert page.evaluate(CELLS_JS)[answer][1] == placeholder + "\nI looked at my phone while you spoke."
        page.keyboard.press("Shift+Enter")
        page.wait_for_timeout(500)
        assert len(page.evaluate(CELLS_JS)) == len(cells), "Shift+Enter added a cell"
        assert page.evaluate("() => window.jupyterapp.shell.currentWidget.content.activeCellIndex") == len(cells) - 1


def test_the_checks_speak_plainly_before_blank_wrong_and_complete(lab, browser):
    _, server = lab
    with page_at(browser) as page:
        open_exercise(page, server)
        answer = page.evaluate(INDEX_JS, 'statement_labels = """')
        check = answer + 1

        said = run(page, check)  # the check before its answer has run
        assert said.strip() == ("This check needs your answer first: click in the box with your answer just above, "
                                "press Shift+Enter (or the ▶ button at the top), then run this check again.")

        run(page, answer)
        said = run(page, check)
        assert said.startswith("Your answer is still blank: type your 10 answers in the box above"), said
        shows_no_code_words(page)
        attempts = {"blank": said}

        page.evaluate(SET_SOURCE_JS, [answer, 'statement_labels = """\nowning\nownng\nholding, defending\n"""'])
        run(page, answer)
        said = run(page, check)
        assert said.splitlines()[0] == "3 things to fix in your answer above:", said
        assert 'Line 2 ("ownng") is not one of the five labels; did you mean "owning"?' in said
        assert "There are 3 answers; 10 are needed" in said
        shows_no_code_words(page)
        attempts["wrong"] = said

        labels = "\n".join(["owning", "holding", "defending", "over-owning", "over-apologising"] * 2)
        page.evaluate(SET_SOURCE_JS, [answer, f'statement_labels = """\n{labels}\n"""'])
        run(page, answer)
        said = run(page, check)
        assert said.startswith("Looks complete: 10 answers, each one of the five labels"), said
        shows_no_code_words(page)
        attempts["complete"] = said
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        page.wait_for_timeout(1000)
    print("\n---\n".join(f"{k}: {v}" for k, v in attempts.items()))


REPLACE_ANSWER_JS = """
([index, text]) => {
  const model = window.jupyterapp.shell.currentWidget.content.widgets[index].model.sharedModel;
  model.setSource(model.getSource().replace('# YOUR ANSWER HERE', text));
}
"""


def screenshot_each(browser, server, shots: Path, answers: dict[str, str]) -> None:
    """An exercise after a wrong, a blank and a complete answer, at both widths (its check run). On a
    phone the trainee first closes the file browser (the folder icon), as the test does."""
    for state, text in answers.items():
        for viewport, name in ((WIDE, "1280"), (PHONE, "390")):
            with page_at(browser, viewport) as page:
                open_exercise(page, server)
                if viewport is PHONE:
                    page.evaluate("() => { if (!window.jupyterapp.shell.leftCollapsed) "
                                  "window.jupyterapp.shell.collapseLeft(); }")
                answer = page.evaluate(INDEX_JS, 'statement_labels = """')
                page.evaluate(REPLACE_ANSWER_JS, [answer, text])
                run(page, answer)
                run(page, answer + 1)
                shows_no_code_words(page)
                page.evaluate(f"() => window.jupyterapp.shell.currentWidget.content.widgets[{answer}].node"
                              ".scrollIntoView({block: 'center'})")
                page.wait_for_timeout(400)
                page.screenshot(path=str(shots / f"exercise-{state}-{name}.png"))


def test_screenshots_of_a_wrong_a_blank_and_a_complete_answer(lab, browser, tmp_path):
    _, server = lab
    labels = "\n".join(["owning", "holding", "defending", "over-owning", "over-apologising"] * 2)
    screenshot_each(browser, server, tmp_path, {
        "wrong": "owning\nownng\nholding, defending", "blank": "# YOUR ANSWER HERE", "complete": labels})
    print(f"screenshots: {tmp_path}")


def test_the_home_hands_in_and_starts_again(lab, browser, tmp_path):
    from playwright.sync_api import expect

    root, server = lab
    notebook = root / NOTEBOOK
    released = root / "exercises" / EXERCISE / f"{EXERCISE}.ipynb"
    nb = json.loads(released.read_text())  # one answer in Part A, whatever the tests before did
    cell = next(c for c in nb["cells"] if "statement_labels" in "".join(c["source"]))
    cell["source"] = 'statement_labels = """\nowning\n"""'
    notebook.write_text(json.dumps(nb))
    worked = digest(notebook)
    with page_at(browser) as page:
        page.goto(f"{server.url}/voila/render/modules/home.ipynb", timeout=PAGE_TIMEOUT_MS)
        section = page.locator(".rl-exercise-actions")
        expect(section).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        row = section.locator(".widget-vbox").filter(has_text="Owning your part").first
        row.get_by_role("button", name="Hand in").click()
        expect(row.get_by_role("status")).to_contain_text("Not finished yet: Part A has 1 of 10 answers; Part B "
                                                          "is blank; Part C is blank.")
        page.screenshot(path=str(tmp_path / "home-unfinished-1280.png"), full_page=True)
        assert not (root / "workspace" / "handed-in").exists(), "nothing is handed in before the second word"
        row.get_by_role("button", name="Hand in anyway").click()
        status = row.get_by_role("status")
        expect(status).to_contain_text("Handed in")
        with page.expect_download() as download:
            status.get_by_role("link", name="Download the copy to send").click()
        assert download.value.suggested_filename == f"{EXERCISE}.ipynb"
        saved = tmp_path / "sent.ipynb"
        download.value.save_as(saved)
        assert digest(saved) == worked, "the copy to send is the trainee's notebook as saved"
        card = page.locator(".rl-card").first
        expect(card).to_contain_text("handed in")
        page.reload(timeout=PAGE_TIMEOUT_MS)  # the download stays on the home after a reload
        card = page.locator(".rl-card").first
        expect(card.get_by_role("link", name="Download the copy to send")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        row = section.locator(".widget-vbox").filter(has_text="Owning your part").first
        section.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "home-handed-in-1280.png"), full_page=True)

        row.get_by_role("button", name="Start again", exact=True).click()
        page.screenshot(path=str(tmp_path / "home-start-again-1280.png"), full_page=True)
        expect(row.get_by_text("Your answers so far are kept")).to_be_visible()
        assert digest(notebook) == worked, "nothing changes before the confirm"
        row.get_by_role("button", name="Yes, start again").click()
        expect(row.get_by_role("status")).to_contain_text("Started again")
        expect(row.get_by_role("status")).to_contain_text("If the exercise is open in another tab, close that tab "
                                                          "without saving.")
        assert digest(notebook) == digest(released)
        kept = list((root / "workspace" / "earlier-copies").glob(f"{EXERCISE}-*.ipynb"))
        assert len(kept) == 1 and digest(kept[0]) == worked
        assert re.search(r"not started", card.inner_text())
        text = page.locator("body").inner_text()
        assert not any(word in text for word in ("Traceback", "Error", "ipynb_checkpoints"))
    with page_at(browser, PHONE) as phone:
        phone.goto(f"{server.url}/voila/render/modules/home.ipynb", timeout=PAGE_TIMEOUT_MS)
        section = phone.locator(".rl-exercise-actions")
        expect(section).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        wide = phone.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= PHONE["width"] + 1, f"the home is {wide} px wide on a 390 px phone"
        section.scroll_into_view_if_needed()
        phone.screenshot(path=str(tmp_path / "home-actions-390.png"))
        phone.screenshot(path=str(tmp_path / "home-390.png"), full_page=True)
    print(f"screenshots: {tmp_path}")
