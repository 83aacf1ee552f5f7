"""``repairlab hub``'s checks and configuration without starting anything: it refuses clearly where
root, a world-readable Python or a fresh folder is missing; logins come from roster ids (with a prefix
for numeric LMS ids); a trainee's server gets the configuration without Formgrader."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import types
from pathlib import Path

import pytest
from traitlets.config import Config

from repairlab.hub.config import configure
from repairlab.hub.deploy import plan_accounts, requirements, write_trainee_config
from repairlab.hub.deployment import DEPLOYMENT_FILE, Deployment, HubError

from helpers import DATA

CANVAS = DATA / "lms_samples" / "canvas-grades-export.csv"


def test_numeric_canvas_ids_need_a_login_prefix():
    with pytest.raises(HubError) as info:
        plan_accounts(CANVAS, "", "sam", None)
    assert "no account was made" in str(info.value)
    assert "id '5678': the login '5678' must be 1 to 32 lower-case letters" in str(info.value)
    assert "--login-prefix" in str(info.value)
    plan = plan_accounts(CANVAS, "t-", "sam", None)
    assert [(login, trainee) for login, trainee, _ in plan.trainees] == [
        ("t-5678", "5678"),
        ("t-5679", "5679"),
        ("t-5680", "5680"),
    ]


def test_a_login_that_exists_or_is_the_supervisors_is_refused(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("id,name,email\nroot,Not Root,\nsam,Sam Supervisor,\n")
    with pytest.raises(HubError) as info:
        plan_accounts(roster, "", "sam", None)
    text = str(info.value)
    assert "the account 'root' already exists on this machine" in text
    assert "id 'sam': the login 'sam' is the supervisor's" in text


@pytest.fixture
def open_folder():
    """A scratch folder other users can enter (pytest's own is under a 0700 folder)."""
    folder = Path(tempfile.mkdtemp(prefix="rlt-plan-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder)


def test_init_refuses_without_root_and_names_everything_missing(open_folder, monkeypatch):
    tmp_path = open_folder
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "something").write_text("x")
    closed = tmp_path / "closed" / "python3.11"  # like pyenv's Python under /root (0700)
    closed.parent.mkdir()
    closed.write_text("")
    os.chmod(closed.parent, 0o700)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(
        "repairlab.sandbox.unavailable_reason", lambda: None
    )  # cached per process: not probed as non-root
    problems = " | ".join(requirements(closed, busy, None))
    assert "it must run as root" in problems
    assert f"{closed} cannot be used by other users ({closed.parent} is closed to them" in problems
    assert f"{busy} is not empty" in problems


@pytest.mark.parametrize("runs_code", [[], ["owning-your-part"]])
def test_bubblewrap_is_needed_only_for_an_exercise_graded_by_running_it(open_folder, monkeypatch, runs_code):
    """Grading from data (the course's default) runs no trainee code, so a hub without bubblewrap is fine."""
    monkeypatch.setattr("repairlab.sandbox.unavailable_reason", lambda: "bubblewrap is not installed")
    problems = " | ".join(requirements(Path("/usr/bin/python3.11"), open_folder / "hub", None, runs_code))
    needs = "owning-your-part must run trainees' notebooks to be graded (grading: sandbox)"
    assert (needs in problems and "bubblewrap is not installed" in problems) == bool(runs_code), problems
    assert ("bubblewrap" in problems) == bool(runs_code), problems


def test_a_trainees_server_gets_no_formgrader_and_no_create_assignment(tmp_path):
    write_trainee_config(tmp_path)
    server = json.loads((tmp_path / "jupyter_server_config.d" / "repairlab-trainee.json").read_text())
    assert server == {"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": False}}}
    lab = json.loads((tmp_path / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert lab == {"@jupyter/nbgrader:create-assignment": True, "@jupyter/nbgrader:formgrader": True}
    settings = json.loads((tmp_path / "jupyter_server_config.json").read_text())
    assert settings["ServerApp"]["contents_manager_class"] == "repairlab.trainee.readings_guard.CourseFilesReadOnly"
    assert "course" in settings["ContentsManager"]["hide_globs"]
    assert settings["MappingKernelManager"]["cull_idle_timeout"] > 0


def test_the_hub_config_and_its_spawn_hook(tmp_path):
    hub = Deployment(prefix=str(tmp_path), ip="127.0.0.1", port=8123, supervisor="sam", course="/home/sam/course",
                     course_id="repairlab", logins={"t-1": "1", "t-2": "2"}, proxy="/usr/bin/configurable-http-proxy",
                     venv="/srv/hub/venv")
    hub.save()
    c = Config()
    configure(c, str(tmp_path / DEPLOYMENT_FILE))
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8123"
    assert c.JupyterHub.authenticator_class == "pam" and c.JupyterHub.spawner_class == "localprocess"
    assert c.Authenticator.allowed_users == {"t-1", "t-2", "sam"} and c.Authenticator.admin_users == {"sam"}
    assert c.Spawner.cmd == ["/srv/hub/venv/bin/jupyterhub-singleuser"] and c.Spawner.ip == "127.0.0.1"

    def spawn(name: str):
        spawner = types.SimpleNamespace(user=types.SimpleNamespace(name=name), notebook_dir="", environment={},
                                        default_url=c.Spawner.default_url)
        c.Spawner.pre_spawn_hook(spawner)
        return spawner

    trainee, supervisor = spawn("t-1"), spawn("sam")
    assert trainee.environment["JUPYTER_CONFIG_PATH"] == str(tmp_path / "trainee-config")
    assert trainee.environment["PATH"].startswith("/srv/hub/venv/bin:") and trainee.notebook_dir == ""
    assert supervisor.notebook_dir == "/home/sam/course"
    # a trainee lands on the course home (Voila's page of the readings in their home); the supervisor on JupyterLab
    assert trainee.default_url == "/voila/render/course/modules/home.ipynb" and supervisor.default_url == "/lab"
    # Formgrader finds the course through the supervisor's own configuration folder, not the trainees'
    assert supervisor.environment["JUPYTER_CONFIG_PATH"] == "/home/sam/course/.repairlab/jupyter"


def test_a_folder_that_is_not_a_hub_is_one_sentence(tmp_path):
    with pytest.raises(HubError, match=r"is not a RepairLab hub: there is no hub.json \(make one with `repairlab hub "
                                       r"init`\)"):
        Deployment.load(tmp_path)
