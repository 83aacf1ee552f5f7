"""The JupyterHub configuration of a deployment, read by the hub itself from ``hub.json`` (the
``jupyterhub_config.py`` that ``repairlab hub init`` writes calls ``configure``).

- PAM login: each trainee signs in as their own Unix account with their own password (a shared
  password would let any trainee sign in as any other).
- ``LocalProcessSpawner``: each server runs as its trainee's account, in its 0700 home, on 127.0.0.1.
- The spawn hook gives a trainee's server the trainee configuration folder (JUPYTER_CONFIG_PATH),
  which a user-level setting cannot override the environment's way (no Formgrader, the course's
  files read-only, only their own folders listed, idle kernels of closed pages culled), opens it on
  the course home (Voila's page of ``course/modules/home.ipynb`` in their home), and starts the supervisor's
  server in their course folder, with a configuration folder that tells Formgrader where the course
  is (the server's working folder is the home, where nbgrader would otherwise look).
"""

from __future__ import annotations

from pathlib import Path

from ..paths import CoursePaths
from ..trainee.lab import home_url
from .deploy import READINGS_FOLDER
from .deployment import Deployment


def server_environment(deployment: Deployment) -> dict[str, str]:
    return {"PATH": f"{deployment.venv}/bin:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}


def make_spawn_hook(deployment: Deployment):
    def pre_spawn_hook(spawner) -> None:
        """Trainees get the trainee configuration; the supervisor starts in the course folder."""
        env = dict(server_environment(deployment))
        if spawner.user.name == deployment.supervisor:
            spawner.notebook_dir = deployment.course
            env["JUPYTER_CONFIG_PATH"] = str(CoursePaths(Path(deployment.course)).formgrader_config)
        else:
            env["JUPYTER_CONFIG_PATH"] = str(deployment.trainee_config)
            spawner.default_url = home_url(READINGS_FOLDER)
        spawner.environment = env

    return pre_spawn_hook


def configure(c, hub_file: str) -> None:
    """Fill JupyterHub's config object ``c`` from the deployment file (``PREFIX/hub.json``)."""
    deployment = Deployment.load(Path(hub_file).parent)
    c.JupyterHub.bind_url = f"http://{deployment.ip}:{deployment.port}"
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.db_url = f"sqlite:///{deployment.state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(deployment.state / "jupyterhub_cookie_secret")
    c.JupyterHub.cleanup_servers = True  # stopping the hub stops every trainee's server
    c.ConfigurableHTTPProxy.command = [deployment.proxy]
    c.ConfigurableHTTPProxy.pid_file = str(deployment.state / "proxy.pid")

    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.open_sessions = False
    c.Authenticator.allowed_users = {*deployment.logins, deployment.supervisor}
    c.Authenticator.admin_users = {deployment.supervisor}

    c.JupyterHub.spawner_class = "localprocess"
    c.Spawner.cmd = [f"{deployment.venv}/bin/jupyterhub-singleuser"]
    c.Spawner.ip = "127.0.0.1"
    c.Spawner.default_url = "/lab"  # the supervisor's; a trainee's server opens on the course home (spawn hook)
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 120
    c.Spawner.pre_spawn_hook = make_spawn_hook(deployment)
