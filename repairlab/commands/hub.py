"""``repairlab hub init|start|stop|remove``: a cohort on this machine's JupyterHub (needs root)."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import CourseError
from ..hub.deployment import DEFAULT_PYTHON

NAME = "hub"


def add(sub) -> None:
    p = sub.add_parser(NAME, help=run.__doc__)
    p.add_argument("action", choices=["init", "start", "stop", "remove"])
    p.add_argument("prefix", help="the deployment's folder, e.g. /srv/repairlab-hub")
    p.add_argument("--roster", help="init: the roster (RepairLab, Canvas or Moodle CSV); one account per trainee")
    p.add_argument("--supervisor", help="init: the supervisor's login (made if it does not exist)")
    p.add_argument("--address", default="127.0.0.1:8000", help="init: where the hub listens (default 127.0.0.1:8000)")
    p.add_argument("--login-prefix", default="",
                   help="init: logins are this prefix + the roster id (e.g. for numeric Canvas ids)")
    p.add_argument("--db-url", help="init: the gradebook database, e.g. "
                                    "postgresql+psycopg2://USER:PASSWORD@HOST:5432/DB "
                                     "(default: gradebook.db in the supervisor's course)")
    p.add_argument("--python", default=DEFAULT_PYTHON,
                   help="init: a Python 3.11 every user can run, for the hub's environment (default "
                        "/usr/bin/python3.11)")
    p.add_argument("--venv", default=os.environ.get("REPAIRLAB_HUB_VENV"),
                   help="init: use this existing environment (world-readable, with JupyterHub) instead of building "
                        "PREFIX/venv; the trainee edition is installed into it (default: $REPAIRLAB_HUB_VENV)")
    p.add_argument("--foreground", action="store_true", help="start: run in the foreground (for systemd)")
    p.add_argument("--delete-supervisor", action="store_true",
                   help="remove: also delete the supervisor's account and course, if init made them")
    p.set_defaults(func=run)


def run(args) -> int:
    """A cohort on this machine's JupyterHub: init (accounts, exchange, the supervisor's private
    course, the hub's environment), start, stop, remove. Needs root."""
    from ..hub import remove, service

    if args.action == "init":
        init(args)
    elif args.action == "start":
        print(service.start(Path(args.prefix), foreground=args.foreground))
    elif args.action == "stop":
        print("\n".join(service.stop(Path(args.prefix))))
    else:
        print("\n".join(remove.remove_hub(Path(args.prefix), delete_supervisor=args.delete_supervisor)))
    return 0


def init(args) -> None:
    from ..hub import deploy
    from ..nbgrader_api import open_course

    if not (args.roster and args.supervisor):
        raise CourseError("hub init needs --roster FILE and --supervisor LOGIN")
    report = deploy.init_hub(open_course(), Path(args.prefix), Path(args.roster), args.supervisor, args.address,
                             login_prefix=args.login_prefix, db_url=args.db_url, python=Path(args.python),
                             venv=Path(args.venv) if args.venv else None)
    d = report.deployment
    print(f"Hub ready in {d.root}: {len(d.logins)} trainee account(s), the exchange in {d.exchange}, "
          f"the supervisor's course in {d.course} (only {d.supervisor} can read it).")
    for note in report.notes:
        print(note)
    if report.supervisor_password:
        print(f"The supervisor's login is {d.supervisor}, password {report.supervisor_password} (shown once; "
              f"change it with `passwd {d.supervisor}`).")
    print(f"The trainees' logins and first passwords are in {report.logins_file} (readable by {d.supervisor} only).")
    print(f"Start it with: repairlab hub start {d.root}")
