"""RepairLab benchmarks: how long the test groups, nbgrader autograding and the parallel cohort
grader take on this machine. It prints figures; nothing here asserts on time. It does check that
grading loses nothing, because a fast grader that drops submissions is not a result.

    .venv/bin/python benchmarks/run.py [--only SECTION ...] [--cohort 40] [--json out.json]

Sections: tests, autograde, cohort, browser, hub, coach (see benchmarks/README.md). Every course used here is a
scratch copy in a temporary folder; the repository is only read. The only network traffic is the
browser test's JupyterLab on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

import nbformat

from repairlab.course import load_course
from repairlab.nbgrader_api import open_course
from repairlab.nbgrader_api.runner import nbgrader_env, run_nbgrader
from repairlab.supervisor.course_folder import copy_course, register_exercises
from repairlab.supervisor.demo_cohort import build_submission, make_cohort
from repairlab.supervisor.roster import import_roster
from repairlab.supervisor.status import load_status

REPO = Path(__file__).resolve().parents[1]
SECTIONS = ("tests", "autograde", "cohort", "browser", "hub", "coach")
UNIT_TESTS = ("test_checks.py", "trainee/test_vignettes.py", "test_manifest.py", "trainee/test_practice.py",
              "test_project.py", "trainee/test_workspace.py")
# Supervisor-tool tests are being written while this script is; take whichever exist at run time.
SUPERVISOR_TESTS = ("promises/test_supervisor*.py", "report/test_report.py", "promises/test_walkthrough.py")
BROWSER_KEY = "browser_seconds_to_first_vignette"
# The trainee's way in: each module's page (Voila) opened from the course home on a warm server, twice.
BROWSER_TEST = "tests/promises/test_readings.py"
AUTOGRADE_SUBMISSIONS = 8  # per exercise: enough to spread nbgrader's start-up over a class
OUTPUT_TAIL_LINES = 25

STARTED = time.perf_counter()


# --- output --------------------------------------------------------------------------------------


def stage(message: str) -> None:
    """A progress line with the time since start, so a long run shows where it is."""
    print(f"[{time.perf_counter() - STARTED:7.1f}s] {message}", flush=True)


def fmt(value) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def print_table(header: list[str], rows: list[list]) -> None:
    """First column left-aligned (labels), the rest right-aligned (figures)."""
    cells = [header] + [[fmt(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        line = "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
        print(line.rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(flush=True)


def tail(text: str, lines: int = OUTPUT_TAIL_LINES) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines()[-lines:])


# --- scratch courses -----------------------------------------------------------------------------


def registered_course(dest: Path) -> Path:
    """A scratch course whose gradebook knows every exercise: nbgrader grades nothing otherwise."""
    stage(f"registering the exercises in a scratch course ({dest.name})")
    root = copy_course(REPO, dest)
    register_exercises(open_course(root))
    return root


def write_roster(path: Path, trainees: list[str]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "email"])
        writer.writerows([t, f"Bench Trainee{t}", f"{t}@example.org"] for t in trainees)
    return path


def submitted_path(root: Path, exercise_id: str, trainee: str) -> Path:
    return root / "submitted" / trainee / exercise_id / f"{exercise_id}.ipynb"


def autograded(root: Path, exercise_id: str, trainee: str) -> bool:
    return (root / "autograded" / trainee / exercise_id).is_dir()


# --- section 1: test groups ----------------------------------------------------------------------


def test_groups() -> list[tuple[str, list[str]]]:
    """(name, pytest arguments) for each group; the supervisor group lists the files that exist now."""
    supervisor = sorted(
        {str(p.relative_to(REPO)) for pattern in SUPERVISOR_TESTS for p in (REPO / "tests").glob(pattern)}
    )
    return [
        ("unit", [f"tests/{name}" for name in UNIT_TESTS]),
        ("release", ["tests/authoring/test_release.py"]),
        ("grading", ["tests/supervisor/test_grading.py"]),
        ("supervisor", supervisor),
        ("nbval-modules", ["--nbval-lax", "modules"]),
        ("nbval-solutions", ["--nbval-lax", "solutions"]),
        ("browser", [BROWSER_TEST]),
    ]


def run_pytest(args: list[str], bench_out: Path | None = None) -> dict:
    """One group in its own pytest process, so groups do not share fixtures, caches or a kernel."""
    env = nbgrader_env()
    env.pop("REPAIRLAB_BENCH_OUT", None)
    if bench_out is not None:
        env["REPAIRLAB_BENCH_OUT"] = str(bench_out)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                            cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = [line.strip("= ") for line in result.stdout.splitlines() if line.strip()]
    summary = lines[-1] if lines else "(no output)"
    return {
        "seconds": round(seconds, 2),
        "returncode": result.returncode,
        "passed": result.returncode == 0,
        "summary": summary,
        "counts": {
            kind: int(n) for n, kind in re.findall(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)", summary)
        },
        "output_tail": tail(result.stdout + result.stderr),
    }


def browser_group() -> tuple[dict, dict]:
    """The browser test with REPAIRLAB_BENCH_OUT set; returns its pytest result and its timings (the
    median of each module's opens, and every open under BROWSER_KEY + "_each")."""
    with tempfile.TemporaryDirectory(prefix="repairlab-bench-browser-") as tmp:
        out = Path(tmp) / "bench.json"
        result = run_pytest([BROWSER_TEST], bench_out=out)
        data = json.loads(out.read_text()) if out.is_file() else {}
    timings = data.get(BROWSER_KEY, {})
    if timings:
        timings = {**timings, "each open": data.get(BROWSER_KEY + "_each", {}),
                   "median of all opens": round(statistics.median(
                       s for opens in data.get(BROWSER_KEY + "_each", {}).values() for s in opens), 2)}
    return result, timings


def report_failed_group(name: str, result: dict, problems: list[str]) -> None:
    problems.append(f"tests/{name}: {result['summary']} (exit {result['returncode']})")
    print(f"  !! {name} failed; the end of its output:\n{result['output_tail']}\n", flush=True)


def section_tests(args, problems: list[str]) -> dict:
    results, timings = {}, {}
    for name, pytest_args in test_groups():
        if not pytest_args:
            stage(f"tests/{name}: no test files yet, skipped")
            continue
        stage(f"tests/{name}: pytest {' '.join(pytest_args)}")
        if name == "browser":
            result, timings = browser_group()
        else:
            result = run_pytest(pytest_args)
        results[name] = result
        if not result["passed"]:
            report_failed_group(name, result, problems)
    print_table(["group", "seconds", "result", "pytest summary"],
                [[name, r["seconds"], "pass" if r["passed"] else f"FAIL ({r['returncode']})", r["summary"]]
                 for name, r in results.items()])
    print_browser_timings(timings)
    for r in results.values():
        del r["output_tail"]
    return {"groups": results, BROWSER_KEY: timings}


def print_browser_timings(timings: dict) -> None:
    if timings:
        each = timings.get("each open", {})
        print_table(["page", "s to first vignette (median)", "each open"],
                    [[nb, float(s), ", ".join(map(str, each.get(nb, [])))] for nb, s in timings.items()
                     if nb not in ("each open", "median of all opens")])
        print(f"  median of all opens: {timings.get('median of all opens')} s\n")
    else:
        print("  (the browser test recorded no timing: it skipped or failed before the first vignette)\n")


def section_browser(args, problems: list[str]) -> dict:
    stage(f"tests/browser: pytest {BROWSER_TEST}")
    result, timings = browser_group()
    if not result["passed"]:
        report_failed_group("browser", result, problems)
    del result["output_tail"]
    print_table(
        ["group", "seconds", "result", "pytest summary"],
        [
            [
                "browser",
                result["seconds"],
                "pass" if result["passed"] else f"FAIL ({result['returncode']})",
                result["summary"],
            ]
        ],
    )
    print_browser_timings(timings)
    return {"group": result, BROWSER_KEY: timings}


# --- section 2: nbgrader autograde versus plain nbclient ------------------------------------------


def time_nbclient(notebook: Path, runs: int) -> float:
    """Median seconds per execution of ``notebook`` by nbclient alone: the floor any grader pays.
    The median, because one slow kernel start would otherwise dominate a small sample."""
    import nbclient

    times = []
    for _ in range(runs):
        nb = nbformat.read(notebook, as_version=4)
        client = nbclient.NotebookClient(nb, timeout=60, kernel_name="python3",
                                         resources={"metadata": {"path": str(notebook.parent)}})
        start = time.perf_counter()
        # The kernel process's own stderr only carries its start-up warning; cell output comes
        # over ZeroMQ and is unaffected.
        client.execute(stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def section_autograde(args, problems: list[str]) -> dict:
    n = AUTOGRADE_SUBMISSIONS
    results = {}
    with tempfile.TemporaryDirectory(prefix="repairlab-bench-autograde-") as tmp:
        root = registered_course(Path(tmp) / "course")
        course = load_course(root)
        trainees = [f"s{i:02d}" for i in range(1, n + 1)]
        import_roster(open_course(root), write_roster(Path(tmp) / "roster.csv", trainees))
        for exercise in course.exercises:
            submission = build_submission(course, exercise, {"start": "solution"})
            for trainee in trainees:
                path = submitted_path(root, exercise.id, trainee)
                path.parent.mkdir(parents=True)
                nbformat.write(submission, path)
            stage(f"nbgrader autograde {exercise.id} ({n} complete submissions)")
            start = time.perf_counter()
            cli = run_nbgrader(root, "autograde", exercise.id, check=False)
            autograde_s = (time.perf_counter() - start) / n
            graded = sum(autograded(root, exercise.id, t) for t in trainees)
            if cli.returncode != 0 or graded != n:
                problems.append(f"autograde/{exercise.id}: exit {cli.returncode}, {graded} of {n} graded")
                print(f"  !! autograde {exercise.id} did not grade everything:\n{tail(cli.stdout + cli.stderr)}\n")
            stage(f"nbclient: executing {exercise.id} {n} times")
            nbclient_s = time_nbclient(submitted_path(root, exercise.id, trainees[0]), n)
            results[exercise.id] = {
                "submissions": n,
                "graded": graded,
                "autograde_seconds_per_submission": round(autograde_s, 3),
                "nbclient_seconds_per_notebook": round(nbclient_s, 3),
                "ratio_autograde_to_nbclient": round(autograde_s / nbclient_s, 2),
            }
    print()
    print_table(["exercise", "graded", "autograde s/submission", "nbclient median s/notebook", "autograde/nbclient"],
                [[ex, f"{r['graded']}/{r['submissions']}", r["autograde_seconds_per_submission"],
                  r["nbclient_seconds_per_notebook"], f"{r['ratio_autograde_to_nbclient']:.2f}x"]
                 for ex, r in results.items()])
    return results


# --- section 3: the supervisor's cohort, sequential nbgrader versus grade_submissions -------------


def hand_in(course, handed_in: Path, root: Path, trainees) -> list[tuple[str, str]]:
    """Copy every handed-in notebook where nbgrader looks for it; the (exercise, trainee) tasks."""
    tasks = []
    for trainee in trainees:
        for exercise in course.exercises:
            source = handed_in / trainee / exercise.notebook_name
            if source.exists():
                target = submitted_path(root, exercise.id, trainee)
                target.parent.mkdir(parents=True)
                shutil.copy(source, target)
                tasks.append((exercise.id, trainee))
    return tasks


def gradebook_state(root: Path, tasks: list[tuple[str, str]]) -> tuple[set, int]:
    """Which tasks are graded (their notebook has grades in the gradebook and an autograded/ folder
    exists), and how many (exercise, trainee) pairs have more than one SubmittedAssignment row."""
    from nbgrader.api import Gradebook, MissingEntry, SubmittedAssignment

    graded = set()
    nbgrader = open_course(root).nbgrader
    with Gradebook(nbgrader.db_url, nbgrader.course_id) as gb:
        for exercise_id, trainee in tasks:
            try:
                notebooks = gb.find_submission(exercise_id, trainee).notebooks
            except MissingEntry:
                continue
            if notebooks and all(nb.grades for nb in notebooks) and autograded(root, exercise_id, trainee):
                graded.add((exercise_id, trainee))
        rows = Counter((s.assignment.name, s.student.id) for s in gb.db.query(SubmittedAssignment))
    return graded, sum(1 for count in rows.values() if count > 1)


def accounting(seconds: float, tasks: list, graded: set, failed: set, duplicates: int) -> dict:
    """``lost`` is what is neither graded nor reported as failed: a submission that silently vanished."""
    submitted = set(tasks)
    return {
        "wall_seconds": round(seconds, 2),
        "seconds_per_submission": round(seconds / max(1, len(tasks)), 3),
        "submitted": len(submitted),
        "graded": len(graded & submitted),
        "failed": len(failed & submitted),
        "lost": len(submitted - graded - failed),
        "duplicate_submission_rows": duplicates,
    }


PLAIN_NBGRADER = """
# Benchmark baseline: nbgrader's own autograde pipeline (no sandbox, scores from the kernel).
from nbgrader.converters import Autograde as _Autograde
c.Autograde.autograde_preprocessors = _Autograde.class_traits()["autograde_preprocessors"].make_dynamic_default()
"""


def grade_sequentially(root: Path, course) -> tuple[float, dict]:
    """What a supervisor gets from nbgrader alone: one ``autograde`` per exercise, one after another."""
    exit_codes = {}
    start = time.perf_counter()
    for exercise in course.exercises:
        stage(f"(a) nbgrader autograde {exercise.id}")
        exit_codes[exercise.id] = run_nbgrader(root, "autograde", exercise.id, check=False).returncode
    return time.perf_counter() - start, exit_codes


def grade_in_parallel(root: Path, workers: int, log: Path) -> tuple[float, list]:
    """``repairlab grade`` timed as the supervisor waits for it (the command's own start-up included), its
    output kept in ``log`` (shown if it fails); the outcome of each submission as the command saved it."""
    start = time.perf_counter()
    with open(log, "wb") as out:
        code = subprocess.run([sys.executable, "-m", "repairlab", "grade", "--workers", str(workers)], cwd=root,
                              env=nbgrader_env(), stdout=out, stderr=subprocess.STDOUT).returncode
    seconds = time.perf_counter() - start
    if code != 0:
        print(f"  repairlab grade exited with {code}; its output ends with:\n{tail(log.read_text(errors='replace'))}",
              flush=True)
        raise RuntimeError("repairlab grade failed")
    return seconds, list(load_status(open_course(root)).values())


def graded_by_running(root: Path) -> Path:
    """Every exercise of the course in ``root`` marked ``grading: sandbox``: its notebooks run, each kernel
    in the sandbox, as an exercise that needs its code run would be graded."""
    import yaml

    manifest = root / "course.yml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    for module in data["modules"]:
        for exercise in module.get("exercises", []):
            exercise["grading"] = "sandbox"
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


# Where a submission's time goes when graded from data: cProfile's self time, by the library it is spent in.
TIME_BUCKETS = (
    ("gradebook (SQLAlchemy queries and SQLite)", ("sqlalchemy", "sqlite3", "_sqlite3", "{method 'execute'",
                                                   "{method 'fetch", "{method 'close' of 'sqlite3",
                                                   "{built-in method _sqlite3")),
    ("notebook files: JSON, nbformat and schema checks", ("nbformat", "jsonschema", "fastjsonschema", "json",
                                                          "<string>", "referencing", "rpds")),
    ("making markdown inert (bleach, html5lib, mistune, Beautiful Soup)", ("bleach", "html5lib", "bs4", "mistune",
                                                                           "tinycss2", "soupsieve")),
    ("trusted scoring (RepairLab)", ("repairlab",)),
    ("nbgrader and nbconvert's own code, traitlets", ("nbgrader", "nbconvert", "traitlets", "jinja2")),
    ("copying files, folders (shutil, os)", ("shutil", "posix", "os", "pathlib", "{built-in method posix",
                                            "{built-in method io.open", "genericpath", "glob", "fnmatch")),
)


def _bucket(filename: str, function: str) -> str:
    where = filename if filename != "~" else function
    for label, markers in TIME_BUCKETS:
        if any(f"/{m}/" in where or f"/{m}.py" in where or where.startswith(m) for m in markers):
            return label
    return "other (Python itself, copy, logging, ...)"


def profile_data_grading(root: Path, tasks: list, sample: int) -> dict:
    """Grade ``sample`` submissions from data again, in this process under cProfile (in SQLite's write-ahead
    log, as a grading run does), and say where the time goes; and how long ``repairlab grade`` takes to load
    nbgrader in a fresh process (once per run: its workers that grade from data are forked with it loaded)."""
    import cProfile
    import pstats

    from repairlab.nbgrader_api import autograde as nbgrader_autograde
    from repairlab.nbgrader_api.speed import write_ahead_log

    probe = ("import time; s = time.perf_counter(); import repairlab.cli; from repairlab.nbgrader_api import "
             "open_course; from repairlab.nbgrader_api.autograde import grader; import repairlab.supervisor.grading; "
             f"grader(open_course({str(root)!r})); print(time.perf_counter() - s)")
    startup = float(subprocess.run([sys.executable, "-c", probe], cwd=root, env=nbgrader_env(), capture_output=True,
                                   text=True, check=True).stdout.split()[-1])
    cwd = os.getcwd()
    os.chdir(root)
    try:
        api = nbgrader_autograde.grader(open_course(root))
        with write_ahead_log(open_course(root).nbgrader.gradebook_file):
            nbgrader_autograde.autograde(api, *tasks[0])  # warm: the first submission compiles the queries
            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.enable()
            for task in tasks[1:sample + 1]:
                nbgrader_autograde.autograde(api, *task)
            profiler.disable()
            seconds = time.perf_counter() - start
    finally:
        os.chdir(cwd)
    buckets: Counter = Counter()
    for (filename, _, function), (_, _, self_time, _, _) in pstats.Stats(profiler).stats.items():
        buckets[_bucket(filename, function)] += self_time
    total = sum(buckets.values())
    count = len(tasks[1:sample + 1])
    return {"submissions": count, "seconds_per_submission_profiled": round(seconds / count, 4),
            "nbgrader_startup_seconds": round(startup, 2),
            "share": {label: round(100 * t / total, 1) for label, t in buckets.most_common()}}


def section_cohort(args, problems: list[str]) -> dict:
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="repairlab-bench-cohort-") as tmp:
        tmp = Path(tmp)
        template = registered_course(tmp / "template")
        course = load_course(template)
        stage(f"making a fictional cohort of {args.cohort} trainees")
        profiles = make_cohort(course, args.cohort, tmp / "handed-in", tmp / "roster.csv")
        roots, tasks = {}, []
        for label in ("A", "B", "C"):
            stage(f"course {label}: copying the template, importing the roster, handing in")
            roots[label] = Path(shutil.copytree(template, tmp / label))
            import_roster(open_course(roots[label]), tmp / "roster.csv")
            tasks = hand_in(course, tmp / "handed-in", roots[label], profiles)
        stage(f"{len(tasks)} submissions from {len(profiles)} trainees: {dict(Counter(profiles.values()))}")
        with open(roots["A"] / "nbgrader_config.py", "a") as config:  # (a) is plain nbgrader
            config.write(PLAIN_NBGRADER)
        graded_by_running(roots["B"])  # (b) runs every notebook in the sandbox; (c) is the course's default

        a_seconds, exit_codes = grade_sequentially(roots["A"], course)
        a_graded, a_duplicates = gradebook_state(roots["A"], tasks)
        # nbgrader reports nothing per submission: a failure shows only as a missing autograded/ folder.
        a_failed = {t for t in tasks if not autograded(roots["A"], *t)}

        results = {}
        for label, how in (("B", "every kernel sandboxed"), ("C", "from data, no kernel")):
            stage(f"({label.lower()}) repairlab grade --workers {workers}, {how}")
            seconds, outcomes = grade_in_parallel(roots[label], workers, tmp / f"grade-{label}.log")
            graded, duplicates = gradebook_state(roots[label], tasks)
            failed = {(o.exercise, o.trainee) for o in outcomes if not o.graded}
            results[label] = {**accounting(seconds, tasks, graded, failed, duplicates), "workers": workers,
                              "failure_reasons": dict(Counter(o.reason for o in outcomes if not o.graded))}
            results[label]["scores"] = gradebook_scores(roots[label], tasks)
        stage("where the time goes when grading from data (cProfile on 40 submissions in one process)")
        profile = profile_data_grading(roots["C"], tasks, sample=40)

    a = {**accounting(a_seconds, tasks, a_graded, a_failed, a_duplicates), "exit_codes": exit_codes}
    b, c = results["B"], results["C"]
    same = b.pop("scores") == c.pop("scores")
    print()
    print_table(
        ["", "(a) plain nbgrader autograde, sequential", f"(b) repairlab grade, sandboxed, {workers} workers",
         f"(c) repairlab grade, from data, {workers} workers"],
        [
            [label, a[key], b[key], c[key]]
            for label, key in (
                ("wall seconds", "wall_seconds"),
                ("seconds per submission", "seconds_per_submission"),
                ("submitted", "submitted"),
                ("graded in the gradebook", "graded"),
                ("failed (reported)", "failed"),
                ("lost", "lost"),
                ("duplicate submission rows", "duplicate_submission_rows"),
            )
        ],
    )
    print(f"speed-up over plain nbgrader: (b) sandboxed {a_seconds / b['wall_seconds']:.2f}x, "
          f"(c) from data {a_seconds / c['wall_seconds']:.2f}x; "
          f"(c) over (b) {b['wall_seconds'] / c['wall_seconds']:.2f}x")
    print(f"(b) and (c) give {'the same' if same else 'DIFFERENT'} scores in the gradebook for every submission")
    print(f"(a) nbgrader exit codes: {exit_codes}; its failures are counted from missing autograded/ folders")
    for label, result in (("b", b), ("c", c)):
        for reason, count in result["failure_reasons"].items():
            print(f"({label}) failed {count}: {reason}")
    print(f"\nWhere a submission's time goes, graded from data ({profile['submissions']} submissions in one process "
          f"under cProfile, {profile['seconds_per_submission_profiled']:.3f} s each with the profiler's overhead; "
          f"loading nbgrader in a fresh process (once per run): {profile['nbgrader_startup_seconds']:.2f} s):")
    print_table(["self time in", "%"], [[label, share] for label, share in profile["share"].items()])

    if not same:
        problems.append("cohort: grading from data and grading in the sandbox gave different scores")
    for label, result in (("b", b), ("c", c)):
        if result["lost"]:
            problems.append(f"cohort ({label}): repairlab grade lost {result['lost']} submission(s) without "
                            "reporting them")
    for label, result in (("a", a), ("b", b), ("c", c)):
        if result["duplicate_submission_rows"]:
            problems.append(f"cohort ({label}): {result['duplicate_submission_rows']} (exercise, trainee) pairs have "
                            "duplicate rows")
    return {"trainees": len(profiles), "profiles": dict(Counter(profiles.values())),
            "sequential_nbgrader": a, "sandboxed": b, "from_data": c, "same_scores_b_c": same,
            "speedup_sandboxed": round(a_seconds / b["wall_seconds"], 2),
            "speedup_from_data": round(a_seconds / c["wall_seconds"], 2), "from_data_profile": profile}


def gradebook_scores(root: Path, tasks: list) -> dict:
    """(exercise, trainee) -> every grade's (cell, auto score, needs manual grade), as the gradebook holds them."""
    from nbgrader.api import Gradebook, MissingEntry

    nbgrader = open_course(root).nbgrader
    scores = {}
    with Gradebook(nbgrader.db_url, nbgrader.course_id) as gb:
        for exercise_id, trainee in tasks:
            try:
                notebook = gb.find_submission_notebook(exercise_id, exercise_id, trainee)
            except MissingEntry:
                continue
            scores[(exercise_id, trainee)] = sorted((g.name, g.auto_score, g.needs_manual_grade)
                                                    for g in notebook.grades)
    return scores


# --- section: a cohort on JupyterHub --------------------------------------------------------------


def hub_round_trip(size: int, hub_venv: Path) -> dict:
    """One deployment with ``size`` trainees (real accounts, PAM, spawner, proxy, exchange, PostgreSQL):
    seconds for init, hub start, each server's spawn, and the release -> feedback round trip."""
    import secrets

    sys.path.insert(0, str(REPO / "tests"))
    from repairlab.hub import accounts, deploy, remove, service
    from repairlab.supervisor.demo_cohort import profile_spec, write_answers

    from helpers.hub_cohort import TAG, Trainee, in_parallel, run_block
    from helpers.hub_postgres import PostgresServer, free_port

    tag, exercise = secrets.token_hex(2), "owning-your-part"
    folder = Path(tempfile.mkdtemp(prefix=f"{TAG}{tag}-"))
    os.chmod(folder, 0o755)
    postgres = PostgresServer(f"{TAG}{tag}-pg")
    supervisor, times = f"{TAG}{tag}-sup", {}
    try:
        postgres.start()
        db_url = postgres.create_database(supervisor, f"{TAG}{tag}-gradebook")
        trainees = [f"b{n:02d}" for n in range(1, size + 1)]
        roster = write_roster(folder / "roster.csv", trainees)
        port = free_port()
        clock = time.perf_counter()
        report = deploy.init_hub(open_course(REPO), folder / "hub", roster, supervisor, f"127.0.0.1:{port}",
                                 login_prefix=f"{TAG}{tag}-", db_url=db_url, venv=hub_venv)
        times["init_s"] = time.perf_counter() - clock
        clock = time.perf_counter()
        service.start(folder / "hub")
        times["hub_start_s"] = time.perf_counter() - clock
        with open(accounts.home(supervisor) / deploy.LOGINS_FILE, newline="") as fh:
            people = {r["roster id"]: Trainee(f"http://127.0.0.1:{port}", r["login"], r["password"], "repairlab")
                      for r in csv.DictReader(fh)}
        clock = time.perf_counter()
        spawns = in_parallel(lambda t: people[t].sign_in().start_server(timeout=600), trainees, workers=size)
        times["spawn_all_wall_s"] = time.perf_counter() - clock
        times["spawn_median_s"], times["spawn_max_s"] = statistics.median(spawns), max(spawns)

        def supervisor_runs(command: str) -> None:
            run = run_block("supervisor", f"cd ~/course\n{command}", supervisor, Path(report.deployment.venv))
            if run.returncode != 0:
                raise RuntimeError(f"{command} failed: {run.stderr[-800:]}")

        course = load_course(REPO)
        complete = profile_spec(course, course.exercise(exercise), "complete", "t01")

        def hand_in(trainee: str) -> None:
            person = people[trainee]
            person.action("fetch", exercise)
            notebook = build_submission(course, course.exercise(exercise), complete)
            write_answers(notebook, trainee, "complete", trainees.index(trainee))
            person.save_notebook(f"{exercise}/{exercise}.ipynb", json.loads(nbformat.writes(notebook)))
            person.action("submit", exercise)

        clock = time.perf_counter()
        supervisor_runs(f"repairlab release {exercise}")
        in_parallel(hand_in, trainees, workers=min(size, 8))
        times["release_fetch_submit_s"] = time.perf_counter() - clock
        step = time.perf_counter()
        supervisor_runs(f"repairlab collect --from-exchange --exercise {exercise} && repairlab grade {exercise}")
        times["collect_and_grade_s"] = time.perf_counter() - step
        step = time.perf_counter()
        supervisor_runs(f"repairlab feedback --to-exchange {exercise}")
        in_parallel(lambda t: people[t].action("fetch_feedback", exercise), trainees, workers=min(size, 8))
        times["feedback_and_fetch_s"] = time.perf_counter() - step
        times["release_to_feedback_s"] = time.perf_counter() - clock
    finally:
        if (folder / "hub" / "hub.json").exists():
            remove.remove_hub(folder / "hub", delete_supervisor=True)
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return {k: round(v, 1) for k, v in times.items()}


def section_hub(args, problems: list[str]) -> dict:
    if os.geteuid() != 0:
        problems.append("hub: needs root (it makes Unix accounts); not run")
        return {}
    sys.path.insert(0, str(REPO / "tests"))
    from hub_cohort import hub_venv

    stage("the hub's environment (built once per dependency list, then cached)")
    venv = hub_venv()
    results = {}
    for size in args.hub_trainees:
        stage(
            f"a hub with {size} trainees: init, start, spawn, release -> fetch/submit -> collect -> grade -> feedback"
        )
        results[str(size)] = hub_round_trip(size, venv)
    keys = list(next(iter(results.values()), {}))
    print_table(
        ["seconds", *(f"{n} trainees" for n in results)], [[k, *(r[k] for r in results.values())] for k in keys]
    )
    return results


def section_coach(args, problems: list[str]) -> dict:
    """The response coach: start-up (an exercise's coach is fitted and cross-validated from its bank),
    then milliseconds per response over every bank response, for each written task; and a practice
    prompt's coach, which loads stored weights. The bar is 50 ms per response after start-up."""
    from repairlab.coach.exercise import exercise_coach, load_bank
    from repairlab.coach.patterns import forget
    from repairlab.coach.practice import load_prompts

    course = load_course(REPO)
    results = {}
    for exercise in course.exercises:
        if not course.paths.coach_bank(exercise.id).is_file():
            continue
        bank = load_bank(course, exercise.id)
        started = time.perf_counter()
        coach = exercise_coach(course, exercise.id, bank.task)
        startup = time.perf_counter() - started
        texts = [r.text for r in bank.responses]
        started = time.perf_counter()
        for text in texts:
            forget()  # start-up read these texts; time them as new answers
            coach.judge(text)
        per = (time.perf_counter() - started) / len(texts) * 1000
        results[exercise.id] = {"startup_ms": round(startup * 1000, 1), "ms_per_response": round(per, 2),
                                "responses": len(texts)}
    started = time.perf_counter()
    prompts = load_prompts(REPO / "assets" / "write-it.yml")
    startup = round((time.perf_counter() - started) * 1000, 1)
    for prompt in prompts.values():
        started = time.perf_counter()
        for _ in range(50):
            forget()
            prompt.coach.judge(prompt.model_answers[0])
        results[f"practice/{prompt.vignette}"] = {"startup_ms": startup, "responses": 50,
                                                  "ms_per_response": round((time.perf_counter() - started) * 20, 2)}
    print_table(["task", "start-up ms", "ms per response", "responses"],
                [[k, v["startup_ms"], v["ms_per_response"], v["responses"]] for k, v in results.items()])
    slow = [k for k, v in results.items() if v["ms_per_response"] > 50]
    if slow:
        problems.append(f"coach: over 50 ms per response on {', '.join(slow)}")
    return results


# --- main ----------------------------------------------------------------------------------------


SECTION_RUNNERS = {"tests": section_tests, "autograde": section_autograde, "cohort": section_cohort,
                   "browser": section_browser, "hub": section_hub, "coach": section_coach}


def headlines(results: dict) -> list[str]:
    """The few figures worth quoting, from whichever sections ran."""
    lines = []
    for name, r in results.get("tests", {}).get("groups", {}).items():
        lines.append(f"tests/{name}: {r['seconds']:.1f} s, {'pass' if r['passed'] else 'FAIL'} ({r['summary']})")
    timings = results.get("tests", results.get("browser", {})).get(BROWSER_KEY, {})
    for notebook, seconds in timings.items():
        if notebook != "each open":
            lines.append(f"browser: {notebook} first vignette clickable after {seconds} s")
    for exercise, r in results.get("autograde", {}).items():
        lines.append(f"autograde/{exercise}: {r['autograde_seconds_per_submission']:.2f} s/submission vs nbclient "
                     f"{r['nbclient_seconds_per_notebook']:.2f} s/notebook ({r['ratio_autograde_to_nbclient']:.2f}x)")
    if "cohort" in results:
        c = results["cohort"]
        a, b, d = c["sequential_nbgrader"], c["sandboxed"], c["from_data"]
        lines.append(f"cohort of {c['trainees']} ({a['submitted']} submissions): plain nbgrader "
                     f"{a['wall_seconds']:.1f} s "
                     f"({a['seconds_per_submission']:.3f} s/submission), sandboxed {b['wall_seconds']:.1f} s "
                     f"({b['seconds_per_submission']:.3f}), from data {d['wall_seconds']:.1f} s "
                     f"({d['seconds_per_submission']:.3f}) on {d['workers']} workers: "
                     f"{c['speedup_sandboxed']:.2f}x and "
                     f"{c['speedup_from_data']:.2f}x plain nbgrader")
        lines.append(f"cohort accounting: (a) graded {a['graded']}, failed {a['failed']}, lost {a['lost']}; "
                     f"(b) graded {b['graded']}, failed {b['failed']}, lost {b['lost']}; "
                     f"(c) graded {d['graded']}, failed {d['failed']}, lost {d['lost']}; "
                     f"same scores (b)/(c): {c['same_scores_b_c']}")
    for size, r in results.get("hub", {}).items():
        lines.append(f"hub with {size} trainees: start {r['hub_start_s']} s, spawn median {r['spawn_median_s']} s "
                     f"(all {r['spawn_all_wall_s']} s), release -> feedback {r['release_to_feedback_s']} s")
    for task, r in results.get("coach", {}).items():
        lines.append(f"coach/{task}: {r['ms_per_response']} ms per response (start-up {r['startup_ms']} ms)")
    return lines


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=SECTIONS, metavar="SECTION",
                        help=f"run only these sections ({', '.join(SECTIONS)}); default: all")
    parser.add_argument("--cohort", type=int, default=40, help="trainees in the cohort section (default 40)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--hub-trainees", type=int, nargs="+", default=[3, 20], metavar="N",
                        help="cohort sizes for the hub section (default 3 20)")
    args = parser.parse_args(argv)
    if args.cohort < 1:
        parser.error("--cohort must be at least 1")
    return args


def selected_sections(only: list[str] | None) -> list[str]:
    """In a fixed order; the browser section is skipped when the tests section already runs it."""
    chosen = [s for s in SECTIONS if not only or s in only]
    if "tests" in chosen and "browser" in chosen:
        chosen.remove("browser")
    return chosen


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    command = shlex.join([sys.executable, *sys.argv])
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    results: dict = {}
    problems: list[str] = []
    stage(f"RepairLab benchmarks on {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    for name in selected_sections(args.only):
        print(f"\n=== {name} " + "=" * (90 - len(name)), flush=True)
        try:
            results[name] = SECTION_RUNNERS[name](args, problems)
        except Exception as exc:  # one broken section must not hide the others' figures
            traceback.print_exc()
            problems.append(f"{name}: {type(exc).__name__}: {exc}".splitlines()[0])
    total = time.perf_counter() - STARTED

    print("\n=== summary " + "=" * 83)
    for line in headlines(results):
        print(f"  {line}")
    print(f"  total runtime: {total:.1f} s")
    print(f"  command: (cd {shlex.quote(os.getcwd())} && {command})")
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    if args.json:
        args.json.write_text(json.dumps({"command": command, "cwd": os.getcwd(), "cpus": os.cpu_count(),
                                         "total_seconds": round(total, 1), "problems": problems,
                                         "results": results}, indent=2) + "\n")
        print(f"  results written to {args.json}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
