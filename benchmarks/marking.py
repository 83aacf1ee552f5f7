"""A marking session timed as a supervisor would run it: ``repairlab mark EXERCISE`` on a copy of a
graded course, fed by a scripted supervisor (four element scores and sometimes a comment per
answer, typed at once), timing the start-up and each answer from one "Saved" line to the next.

    .venv/bin/python benchmarks/marking.py GRADED_COURSE [--exercise owning-your-part]

GRADED_COURSE is a course folder after ``repairlab grade`` (for example the supervisor walkthrough's
demo cohort); it is copied first and never changed. Prints seconds per answer and checks that the
gradebook holds a manual score for every answer the session saved.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLANS = (["1", "0.5", "1", "1"], ["0", "0", "0.5", "0"], ["1", "1", "1", "1"], ["0.5", "0", "0", "1"])


def replies(n: int) -> str:
    lines = []
    for i in range(n):
        lines += [*PLANS[i % len(PLANS)], "Name the impact from his side." if i % 3 == 0 else ""]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("--exercise", default="owning-your-part")
    parser.add_argument("--answers", type=int, default=200, help="most answers to script (default: all there are)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(shutil.copytree(args.course, Path(scratch) / "course", symlinks=True,
                                    ignore=shutil.ignore_patterns(".venv")))
        repairlab = Path(sys.executable).parent / "repairlab"
        start = time.perf_counter()
        process = subprocess.Popen([str(repairlab), "mark", args.exercise], cwd=root, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={"COLUMNS": "100", "PATH": f"{repairlab.parent}:/usr/bin:/bin"})
        process.stdin.write(replies(args.answers))
        process.stdin.close()
        first, saved = None, []
        for line in process.stdout:
            now = time.perf_counter() - start
            if first is None and "Element 1 of" in line:
                first = now
            if " Saved " in line:  # after the comment prompt, on its line when input is not a terminal
                saved.append(now)
            if line.startswith(("Done:", "Stopped.", "Nothing to mark")):
                print(" ".join(line.split()))
        process.wait()
        total = time.perf_counter() - start
        if process.returncode or not saved:
            print(process.stderr.read()[-2000:])
            return 1
        per = [b - a for a, b in zip([first, *saved], saved)]
        print(f"{len(saved)} answers marked in {total:.1f} s: start-up to the first answer {first:.1f} s; "
              f"per answer median {statistics.median(per):.2f} s, max {max(per):.2f} s "
              f"(the scripted supervisor types at once: this is the tool's own time)")
        sys.path.insert(0, str(REPO / "tests"))
        from repairlab.course import load_course
        from repairlab.supervisor.mark_scheme import written_tasks

        from helpers import formgrader_gradebook

        tasks = written_tasks(load_course(root), args.exercise)
        with formgrader_gradebook(root) as gb:
            marked = [g for s in gb.find_assignment(args.exercise).submissions for n in s.notebooks for g in n.grades
                      if g.name in tasks and g.manual_score is not None and not g.needs_manual_grade]
        print(f"gradebook: {len(marked)} written answers with a manual score")
        return 0 if len(marked) >= len(saved) else 1


if __name__ == "__main__":
    sys.exit(main())
