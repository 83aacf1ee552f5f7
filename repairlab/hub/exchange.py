"""The supervisor's side of nbgrader's exchange on the hub: releasing an exercise to every trainee, and
returning feedback (collecting is ``repairlab.collect.collect_from_exchange``). Trainees fetch and
submit from the Assignment List of their own JupyterLab, with nbgrader's own handlers."""

from __future__ import annotations

from pathlib import Path

from .. import nbgrader_api
from ..manifest import Exercise


def release(root: Path, exercises: list[Exercise]) -> list[str]:
    """Put each exercise's release (``exercises/<id>``) in the exchange; one line per exercise."""
    lines = []
    for exercise in exercises:
        replaced = nbgrader_api.release_to_exchange(root, exercise.id)
        lines.append(f"Released {exercise.id} to the trainees" + (
            " (it replaces the earlier release; trainees who fetched that one keep their copy)." if replaced else "."))
    return lines


def return_feedback(root: Path, exercises: list[Exercise], trainees: list[str]) -> list[str]:
    """Return each trainee's feedback file through the exchange, where their "Fetch Feedback" finds it.
    Feedback on a submission that did not come through the exchange (a zip or folder collect) has no
    submission secret to file it under: it is listed for the supervisor to send another way."""
    paths = nbgrader_api.CoursePaths(root)
    lines = []
    for exercise in exercises:
        ready, elsewhere = [], []
        for trainee in trainees:
            folder = paths.feedback(trainee, exercise.id)
            if not (folder / exercise.notebook_name.replace(".ipynb", ".html")).is_file():
                continue
            (ready if (folder / "submission_secret.txt").is_file() else elsewhere).append(trainee)
        if ready:
            nbgrader_api.release_feedback_to_exchange(root, exercise.id, ready)
            lines.append(f"Returned feedback on {exercise.id} to {len(ready)} trainee(s) through the exchange "
                         "(each sees it with Fetch Feedback in the Assignment List).")
        if elsewhere:
            lines.append(f"  {exercise.id}: not handed in through the exchange, so send their feedback file yourself: "
                         f"{', '.join(elsewhere)}")
    return lines
