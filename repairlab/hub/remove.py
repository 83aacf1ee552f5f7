"""``repairlab hub remove``: undo a deployment, finishing what an earlier attempt left."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import accounts
from .deployment import Deployment, HubError
from .service import stop


def remove_hub(prefix: Path, *, delete_supervisor: bool = False) -> list[str]:
    """Stop the hub, delete the trainee accounts ``init`` made (and the supervisor's, if asked and
    ``init`` made it) and the deployment folder; one line per thing done. It never stops half-way:
    an account it cannot delete is named at the end, after everything else is done, and the folder
    is kept (with ``hub.json`` listing what is left) so that running it again finishes the job."""
    if os.geteuid() != 0:
        raise HubError("removing a hub deletes Unix accounts, which needs root (run it with sudo)")
    deployment = Deployment.load(prefix)
    lines = stop(deployment.root, missing_ok=True)
    failed = []
    for login in list(deployment.created):
        if login == deployment.supervisor and not delete_supervisor:
            lines.append(f"Kept the supervisor's account {login} and the course in {deployment.course} "
                         "(--delete-supervisor deletes them).")
            continue
        try:
            accounts.delete(login)
        except accounts.AccountError as exc:
            failed.append(f"{login} ({exc})")
            continue
        deployment.created.remove(login)
        lines.append(f"Deleted the account {login} and its home.")
    if failed:
        deployment.save()
        raise HubError(f"removed everything else, but not the account(s) {'; '.join(failed)}. {deployment.root} is "
                       "kept: "
                       f"run `repairlab hub remove {deployment.root}` again to finish")
    shutil.rmtree(deployment.root)
    lines.append(f"Removed {deployment.root}.")
    return lines
