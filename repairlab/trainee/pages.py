"""The trainee's pages around the readings, as HTML: the course home (modules, practice, exercises,
how to save and hand in, starting the course again), the header of each module page, and the note a
practised vignette shows. Voila renders the notebooks that display them (``modules/home.ipynb``
and each reading), so links are made from the page's own address (Voila's ``SCRIPT_NAME``), which
works at ``/`` on a trainee's machine and at ``/user/<name>/`` on a hub."""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from ..course import Course
from ..paths import HOME_PAGE, REFERENCES_PAGE
from .practice_log import Attempt
from .progress import ExerciseStatus, ModuleProgress, SkillProgress

VOILA = "/voila/render/"

STYLE = """<style>
.rl-page{font-size:15px;line-height:1.5;max-width:860px;color:#1f1f1f}
.rl-page h2{font-size:1.45em;margin:.2em 0 .4em}
.rl-page h3{font-size:1.15em;margin:1.2em 0 .4em}
.rl-card{border:1px solid #c8c8c8;border-radius:6px;padding:10px 14px;margin:8px 0;background:#fff}
.rl-card h4{margin:0 0 4px;font-size:1.05em}
.rl-card p{margin:4px 0}
.rl-meta{color:#4a4a4a;font-size:.92em}
.rl-state{display:inline-block;border-radius:10px;padding:0 8px;font-size:.88em;border:1px solid #767676}
.rl-state.rl-done{background:#e6f4ea;border-color:#1b7f3b;color:#14532d}
.rl-bar{display:inline-block;vertical-align:middle;width:120px;height:10px;border:1px solid #767676;
  border-radius:5px;background:#fff;margin-right:6px;overflow:hidden}
.rl-bar span{display:block;height:100%;background:#1f5fa8}
.rl-page a,.rl-nav a{color:#0b57b0;text-decoration:underline}
.rl-nav{font-size:15px;line-height:1.5}
.rl-contents ul{list-style:none;padding:0;margin:4px 0 8px;display:flex;flex-wrap:wrap;gap:4px 16px}
.rl-page ol,.rl-page ul{padding-left:1.3em;margin:4px 0}
.rl-page details{margin:6px 0}
.rl-page summary{cursor:pointer;font-weight:600}
</style>""" + f"<style>{(Path(__file__).parent / 'widgets' / 'access.css').read_text(encoding='utf-8')}</style>"


@dataclass(frozen=True)
class Links:
    """Where the server's pages are, seen from the page being rendered."""

    base: str  # the server's base URL, e.g. "/" or "/user/ana/"
    root: Path  # the folder the server serves

    @classmethod
    def from_request(cls, course: Course, environ=None) -> "Links":
        """Voila tells the kernel the page's path (SCRIPT_NAME, e.g. /user/ana/voila/render/course/modules/home.ipynb);
        without it (JupyterLab, tests) the course folder is served at /."""
        script = (os.environ if environ is None else environ).get("SCRIPT_NAME", "")
        if VOILA not in script:
            return cls("/", course.root)
        base, page = script.split(VOILA, 1)
        root = Path.cwd()
        for _ in page.strip("/").split("/")[1:]:
            root = root.parent
        return cls(base.rstrip("/") + "/", root)

    def _rel(self, path: Path) -> str:
        return Path(path).resolve().relative_to(self.root.resolve()).as_posix()

    def page(self, notebook: Path) -> str:
        return f"{self.base}{VOILA.lstrip('/')}{self._rel(notebook)}"

    def lab(self, path: Path) -> str:
        return f"{self.base}lab/tree/{self._rel(path)}"

    def download(self, path: Path) -> str:
        """The server's own download of a file (Jupyter's ``/files/`` with ``download=1``)."""
        return f"{self.base}files/{quote(self._rel(path))}?download=1"


def _date(iso: str) -> str:
    """"7 Dec 2026", on the trainee's clock."""
    when = datetime.fromisoformat(iso).astimezone()
    return f"{when.day} {when:%b %Y}"


def _bar(done: int, total: int) -> str:
    share = round(100 * done / total) if total else 0
    return (f"<span class='rl-bar' role='img' aria-label='{done} of {total}'><span style='width:{share}%'></span>"
            f"</span>")


def module_card(progress: ModuleProgress, number: int, links: Links, exercises: list[tuple[str, ExerciseStatus]]
                ) -> str:
    module, done, total = progress.module, len(progress.practised), len(progress.titles)
    if not done:
        practice = "Not practised yet."
    else:
        practice = (f"{_bar(done, total)}You have practised {done} of {total} vignettes "
                    f"(last on {_date(progress.last.time)}).")
        if progress.next_vignette:
            practice += f" Next: <i>{html.escape(progress.next_vignette)}</i>."
    rows = "".join(exercise_line(title, status, links) for title, status in exercises)
    return (f"<div class='rl-card'><h4>{number} · <a href='{links.page(module.reading)}'>"
            f"{html.escape(module.title)}</a></h4><p>{html.escape(module.teaches)}</p>"
            f"<p class='rl-meta'>{practice}</p>{rows}</div>")


STATES = {
    "not fetched": "not fetched yet: open <b>Nbgrader ▸ Assignment List</b> and click <b>Fetch</b>",
    "not started": "not started",
    "saved": "saved",
    "handed in": "handed in",
    "feedback": "feedback is back",
}


def exercise_line(title: str, status: ExerciseStatus, links: Links) -> str:
    state = STATES.get(status.state, "") + (f" ({status.when})" if status.when else "")
    done = " rl-done" if status.state in ("handed in", "feedback") else ""
    target = (f"<a href='{links.lab(status.notebook)}' target='_blank'>Open the exercise</a> "
              if status.exists else "")
    feedback = ""
    if status.state == "feedback":
        folder = status.notebook.parent / "feedback"
        latest = sorted(folder.glob("*/*.html"))
        if latest:
            feedback = f" · <a href='{links.lab(latest[-1])}' target='_blank'>Read the feedback</a>"
    if status.state == "handed in" and status.copy is not None:
        feedback += (f" · <a href='{links.download(status.copy)}' download='{html.escape(status.copy.name)}'>"
                     "Download the copy to send</a>")
    pill = f"<span class='rl-state{done}'>{state}</span>"
    if status.state == "changed":  # a sentence, not a label
        pill = f"<b>changed since you handed it in on {status.when}</b>: hand in again to send the new version"
    return f"<p>Exercise: {html.escape(title)} — {target}{pill}{feedback}</p>"


def skills_section(skills: list[SkillProgress]) -> str:
    items = "".join(
        f"<li>{_bar(s.practised, s.total)}<b>{html.escape(s.label)}</b>: {s.practised} of {s.total} vignettes "
        f"<span class='rl-meta'>({html.escape(', '.join(s.modules))})</span></li>"
        for s in skills if s.total)
    return f"<h3>Your practice, by skill</h3><ul style='list-style:none;padding-left:0'>{items}</ul>"


def hand_in_section(hub: bool) -> str:
    save = ("<b>Save</b> your exercise often: <b>File ▸ Save Notebook</b>, or Ctrl+S (⌘S on a Mac). Your answers "
            "stay in your own copy; the readings are never changed by anything you do.")
    if hub:
        hand = ("<b>Hand in</b>: save, then open <b>Nbgrader ▸ Assignment List</b>, find the exercise under "
                "<i>Downloaded assignments</i> and click <b>Submit</b>. You can submit again until your supervisor "
                "collects; the latest counts. <b>Feedback</b>: click <b>Fetch Feedback</b> in the same list; it "
                "then shows here.")
    else:
        hand = ("<b>Hand in</b>, in three steps:<ol><li>In the exercise, choose <b>Run ▸ Run All Cells</b>: "
                "every check should say \"Looks complete\". Save it (Ctrl+S).</li><li>At the bottom of this page, "
                "under <i>Hand in or start again</i>, click <b>Hand in</b> beside the exercise, then <b>Download the "
                "copy to send</b>: the file (for example <i>owning-your-part.ipynb</i>) goes to your Downloads "
                "folder.</li><li>Send that file to your supervisor the way they ask (attached to an e-mail, or "
                "uploaded to your course's learning platform), with its name as it is.</li></ol>The exercise then "
                "shows <b>handed in</b> with the date, and its copy to download. If you change your answers "
                "afterwards it says so, until you hand in again. Every copy you hand in stays in your workspace, in "
                "the folder <i>handed-in</i>. If something is not answered yet, Hand in says what, and asks first.")
    return f"<h3>Saving and handing in</h3><p>{save}</p><div>{hand}</div>"


def start_section() -> str:
    return """<h3>Opening the course again</h3>
<details><summary>macOS</summary><ol><li>Open <b>Terminal</b> (Applications ▸ Utilities ▸ Terminal).</li>
<li>Type <code>cd </code> (with a space), drag the course folder onto the Terminal window, press Return.</li>
<li>Type <code>bin/start</code> and press Return. The course opens in your browser.</li></ol></details>
<details><summary>Windows</summary><ol><li>Open <b>Ubuntu</b> from the Start menu (Windows Subsystem for Linux,
set up once as the course's README says).</li><li>Type <code>cd</code>, a space and the course folder's path,
e.g. <code>cd ~/repairlab</code>, and press Enter.</li><li>Type <code>bin/start</code> and press Enter, then open
the address it prints in your browser.</li></ol></details>
<details><summary>Linux</summary><ol><li>Open a terminal in the course folder.</li><li>Type
<code>bin/start</code> and press Enter.</li></ol></details>
<p>Keep that window open while you work; to stop the course, press <b>Ctrl+C</b> in it. Your answers and your
practice are kept.</p>"""


def home_html(course: Course, progress: list[ModuleProgress], skills: list[SkillProgress],
              exercises: dict[str, tuple[str, ExerciseStatus]], links: Links, hub: bool) -> str:
    """The course home: modules in order with their practice and exercises, the skills, how to hand
    in, and how to start the course again."""
    cards = "".join(
        module_card(p, n, links, [exercises[ex.id] for ex in p.module.exercises if ex.id in exercises])
        for n, p in enumerate(progress, start=1))
    references = course.root / REFERENCES_PAGE
    return with_contents(f"{STYLE}<div class='rl-page'><h2>{html.escape(course.title)}: your course</h2>"
            "<p>Read each module in order. Its vignettes answer as you click; nothing you do there is graded or "
            "handed in. Then do the module's exercise in your own copy: that is what your supervisor grades.</p>"
            f"<h3>Modules</h3>{cards}"
            f"{skills_section(skills)}"
            f"{hand_in_section(hub)}"
            f"<h3>Reading list</h3><p>Every work the course cites: <a href='{links.page(references)}'>the reading "
            "list</a>.</p>"
            f"{'' if hub else start_section()}"
            "<h3>Your practice record</h3><p>What you choose in the vignettes is kept only in your own course "
            "folder (<code>.repairlab/practice.jsonl</code>), so a module shows where you were. It is never handed "
            "in, collected or graded. You can clear it here.</p></div>")


def with_contents(page: str) -> str:
    """The home with a navigation landmark under its title: a link to each of its sections (its h3
    headings, given ids to land on), so a long page on a phone is one tap from "Saving and handing in"."""
    titles = re.findall(r"<h3>(.*?)</h3>", page)
    for n, title in enumerate(titles, start=1):
        page = page.replace(f"<h3>{title}</h3>", f"<h3 id='rl-section-{n}' tabindex='-1'>{title}</h3>", 1)
    links = "".join(f"<li><a href='#rl-section-{n}'>{title}</a></li>" for n, title in enumerate(titles, start=1))
    contents = f"<nav aria-label='On this page' class='rl-contents'><ul>{links}</ul></nav>"
    return re.sub(r"(</h2>)", lambda m: m.group(1) + contents, page, count=1)


def back_home(links: Links, course: Course) -> str:
    """The way back to the course home, as a navigation landmark, in the same tab (JupyterLab's
    renderer opens a link it does not know as local in a new tab: a new page, and a kernel, on every
    click)."""
    return (f"<nav aria-label='Course' class='rl-nav'><p><a href='{links.page(course.root / HOME_PAGE)}' "
            "target='_self'>← Course home</a></p></nav>")


STEPS = {"notice": "what you noticed", "choice": "your choice", "rating": "your rating", "weigh": "moment",
         "code": "turn", "marker": "marker"}


def earlier_note(attempts: list[Attempt]) -> str:
    """Above a vignette practised before: when, and the last choice made."""
    last = attempts[-1]
    step, _, number = last.step.partition(" ")
    what = STEPS.get(step, step) + (f" {number}" if number else "")
    return (f"<p class='rl-meta' style='border-left:4px solid #1f5fa8;padding-left:8px'>You practised this vignette "
            f"before (last on {_date(last.time)}, {len(attempts)} choice{'s' if len(attempts) != 1 else ''}; "
            f"last: {html.escape(what)}, {html.escape(last.choice)}). Try it again below.</p>")


def module_header_html(course: Course, progress: ModuleProgress, links: Links) -> str:
    """At the top of a module page: the way back home and where the trainee was."""
    done, total = len(progress.practised), len(progress.titles)
    where = "You have not practised this module's vignettes yet."
    if done:
        where = (f"{_bar(done, total)}You have practised {done} of {total} vignettes here, last on "
                 f"{_date(progress.last.time)}.")
        if progress.next_vignette:
            where += f" Next: <i>{html.escape(progress.next_vignette)}</i>."
    return f"{STYLE}{back_home(links, course)}<div class='rl-page'><p class='rl-meta'>{where}</p></div>"
