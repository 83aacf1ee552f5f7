"""A private kernel's folder (its sockets and connection file, repairlab.kernels) is removed however the
kernel ends: shut down, or dead (a kernel killed by memory or ``os._exit``, which nbclient and Jupyter
servers clean up after through ``cleanup_resources``)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from repairlab.kernels import FOLDER_PREFIX, PrivateKernelManager, PrivateServerKernelManager


def private_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"))


@pytest.mark.parametrize("manager", [PrivateKernelManager, PrivateServerKernelManager])
def test_cleaning_up_after_a_dead_kernel_removes_its_folder(manager):
    km = manager()
    km._private = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    folder = km._private
    asyncio.run(km.cleanup_resources())
    assert not folder.exists()


def test_a_kernel_that_dies_while_running_a_notebook_leaves_no_folder():
    before = private_folders()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os; os._exit(1)")])
    client = NotebookClient(nb, kernel_name="python3", kernel_manager_class=PrivateKernelManager, timeout=60)
    with pytest.raises(DeadKernelError):
        client.execute()
    assert private_folders() <= before
