"""What the readings' and the course home's notebooks call (through ``repairlab.widgets``):
``practise(module, vignette)`` shows a vignette and keeps the trainee's choices in their private
practice record; ``module_header(module)`` heads a module page; ``course_home()`` and
``reading_list()`` are the home page and the reading list."""

from __future__ import annotations

import re
from functools import partial

from ..course import Course, load_course
from ..errors import CourseError
from . import completeness, handing_in, open_tabs, pages
from .kinds import kind_of
from .practice_log import Attempt, PracticeLog, now
from .progress import exercise_status, module_progress, on_hub, one_module, skill_progress
from .vignettes import load_vignettes


def _record(log: PracticeLog, module_id: str, vignette_id: str, kind: str, step: str, choice: str) -> None:
    try:
        log.record(Attempt(module_id, vignette_id, kind, step, choice, now()))
    except OSError:
        pass  # a folder that cannot be written to must not break practice; the vignette still answers


def practise(module_id: str, vignette_id: str):
    """The interactive vignette ``vignette_id`` of a module, ready to display; if the trainee has
    practised it before, a note above it says when and what they chose last."""
    course = load_course()
    vignettes = load_vignettes(course.module(module_id).vignettes)
    if vignette_id not in vignettes:
        raise CourseError(f"module {module_id!r} has no vignette {vignette_id!r}; it has: {', '.join(vignettes)}")
    vignette = vignettes[vignette_id]
    kind = kind_of(vignette)
    widget = kind.make_widget(vignette)
    log = PracticeLog(course.paths.practice)
    earlier = log.by_vignette(module_id).get(vignette_id)
    if earlier:
        import ipywidgets as w

        widget.children = (w.HTML(pages.earlier_note(earlier)), *widget.children)
    widget.recorder = partial(_record, log, module_id, vignette_id, kind.name)
    return widget


def _html(text: str):
    from IPython.display import HTML

    return HTML(text)


def module_header(module_id: str):
    """The top of a module page: the way back to the course home, and where the trainee was."""
    course = load_course()
    progress = one_module(course.module(module_id), PracticeLog(course.paths.practice))
    return _html(pages.module_header_html(course, progress, pages.Links.from_request(course)))


def _home_html(course: Course) -> str:
    hub = on_hub()
    progress = module_progress(course, PracticeLog(course.paths.practice))
    exercises = {ex.id: (module.title, exercise_status(course, ex.id, hub))
                 for module in course.modules for ex in module.exercises}
    return pages.home_html(course, progress, skill_progress(course, progress), exercises,
                           pages.Links.from_request(course), hub)


def course_home():
    """The course home page, with the button that clears the practice record and, on a laptop, the
    buttons that hand in an exercise or start it again."""
    from .widgets.course_home import CourseHome

    course = load_course()
    home = CourseHome(partial(_home_html, course), PracticeLog(course.paths.practice).clear)
    if not on_hub():
        home.children = (*home.children, _exercise_actions(course, home.refresh))
    return home


def _missing(course: Course, exercise_id: str) -> list[str]:
    notebook = handing_in.notebook_of(course, exercise_id)
    return completeness.missing(notebook, course.paths.release(exercise_id) / notebook.name)


def _exercise_actions(course: Course, changed):
    from .widgets.exercise_actions import ExerciseRoute, exercise_actions

    links = pages.Links.from_request(course)
    routes = [ExerciseRoute(
        title=course.exercise_title(ex.id), notebook=handing_in.notebook_of(course, ex.id),
        started=partial(lambda ex_id: exercise_status(course, ex_id, False).state != "not started", ex.id),
        hand_in=partial(handing_in.hand_in, course, ex.id), start_again=partial(handing_in.start_again, course, ex.id),
        download=links.download, lab=links.lab,
        missing=partial(_missing, course, ex.id),
        open_in_lab=partial(open_tabs.open_in_lab, handing_in.notebook_of(course, ex.id))) for ex in course.exercises]
    return exercise_actions(routes, changed)


def reading_list():
    """``modules/references.md`` as a page: the list itself, without its note to authors (the
    paragraphs before the first section), and a link back home."""
    from IPython.display import Markdown

    course = load_course()
    text = (course.root / "modules" / "references.md").read_text(encoding="utf-8")
    title, _, rest = text.partition("\n")
    body = rest[rest.find("\n## "):] if "\n## " in rest else rest
    body = re.sub(r"`([a-z0-9-]+)`", r"*\1*", body)  # vignette ids read as names, not code
    from IPython.display import HTML, display

    display(HTML(pages.STYLE + pages.back_home(pages.Links.from_request(course), course)))
    return Markdown(f"{title}\n\nEvery work the course cites, with a note on what "
                    f"the course uses it for and what the study can and cannot show.\n{body}")
