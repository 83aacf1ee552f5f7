"""The deployment files on paper (deploy/): they cannot run here (no cluster, no Docker engine), so
this checks only that they parse and agree with each other and with the tested one-machine hub."""

from __future__ import annotations

import re

import yaml

from helpers import REPO

KUBE = REPO / "deploy" / "kubernetes"


def nbgrader_setting(name: str) -> str:
    return re.search(rf'^c\.{re.escape(name)} = "([^"]+)"$', (KUBE / "nbgrader_config.py").read_text(), re.M).group(1)


def test_the_exchange_is_one_shared_volume_at_the_path_nbgrader_is_told():
    values = yaml.safe_load((KUBE / "values.yaml").read_text())
    pvc = yaml.safe_load((KUBE / "exchange-pvc.yaml").read_text())
    storage = values["singleuser"]["storage"]
    volume = next(v for v in storage["extraVolumes"] if v["name"] == "nbgrader-exchange")
    mount = next(m for m in storage["extraVolumeMounts"] if m["name"] == "nbgrader-exchange")
    assert volume["persistentVolumeClaim"]["claimName"] == pvc["metadata"]["name"]
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]
    assert mount["mountPath"] == nbgrader_setting("Exchange.root")
    init = values["singleuser"]["initContainers"][0]
    assert f"chmod 1777 {mount['mountPath']}" in " ".join(init["command"])


def test_trainees_get_the_trainee_configuration_and_only_the_supervisor_the_gradebook():
    values = yaml.safe_load((KUBE / "values.yaml").read_text())
    hook = values["hub"]["extraConfig"]["repairlab"]
    compile(hook, "values.yaml:hub.extraConfig.repairlab", "exec")
    path = re.search(r'JUPYTER_CONFIG_PATH"\] = "([^"]+)"', hook).group(1)
    dockerfile = (KUBE / "Dockerfile").read_text()
    assert f"write_trainee_config(Path('{path}'))" in dockerfile, "the image writes the folder the hook names"
    secret = yaml.safe_load((KUBE / "gradebook-secret.example.yaml").read_text())
    assert secret["stringData"]["db_url"].startswith("postgresql+psycopg2://")
    assert '"name": "repairlab-gradebook"' in hook and secret["metadata"]["name"] == "repairlab-gradebook"
    assert values["hub"]["config"]["Authenticator"]["admin_users"][0] in hook


def test_the_image_installs_the_trainee_edition_non_editable():
    dockerfile = (KUBE / "Dockerfile").read_text()
    assert (
        "build/trainee-edition" in dockerfile
        and "pip install --no-cache-dir \"/tmp/trainee-edition[hub]\"" in dockerfile
    )
    assert " -e " not in dockerfile and not re.search(r"^(COPY|ADD) .*solutions", dockerfile, re.M)
    assert "COPY deploy/kubernetes/nbgrader_config.py /etc/jupyter/nbgrader_config.py" in dockerfile


def test_the_systemd_unit_runs_the_hub_in_the_foreground():
    unit = (REPO / "deploy" / "hub" / "repairlab-hub.service").read_text()
    start = re.search(r"^ExecStart=(.+)$", unit, re.M).group(1).split()
    assert start[1:4] == ["hub", "start", "/srv/repairlab-hub"] and "--foreground" in start
    assert start[0] == "/srv/repairlab-hub/venv/bin/repairlab"
