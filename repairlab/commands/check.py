"""``repairlab check``: the manifest, every vignette file, the item audit and the blind panel."""

from __future__ import annotations

from ..course import load_course
from ..errors import CourseError

NAME = "check"


def add(sub) -> None:
    sub.add_parser(NAME, help=run.__doc__).set_defaults(func=run)


def run(args) -> int:
    """Check the manifest, every vignette file, the item audit and the blind panel's reviews."""
    from ..authoring.audit import report_lines
    from ..authoring.panel import panel_lines
    from ..trainee.vignettes import load_vignettes

    course = load_course()
    problems = 0
    for module in course.modules:
        try:
            count = len(load_vignettes(module.vignettes))
            print(f"ok  {module.vignettes.relative_to(course.root)} ({count} vignettes)")
        except CourseError as exc:
            problems += 1
            print(f"BAD {exc}")
    if problems:
        return 1
    lines, failures = report_lines(course)
    panel, unreviewed = panel_lines(course)
    print("\n".join(lines + panel))
    return 1 if failures or unreviewed else 0
