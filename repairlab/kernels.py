"""Kernels only their owner can reach. A kernel's iopub channel is a ZeroMQ PUB socket: on TCP, any
account on the machine can subscribe to it and read the code and output that pass through it (the
connection key only signs messages). These managers use the IPC transport, with the sockets and the
connection file in a fresh folder only the kernel's owner can enter (``mkdtemp`` makes it 0700, under
a random name no other account can claim first). The hub's servers, ``repairlab report`` and
unsandboxed grading all use them; sandboxed grading has its own (``repairlab.sandbox``)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

FOLDER_PREFIX = "rl-k-"  # short: a Unix socket's path must stay under about 100 bytes


class PrivateTransport:
    """Mix into a jupyter_client kernel manager: IPC sockets in a 0700 folder, removed at shutdown.
    A restart keeps the folder (and so the socket paths)."""

    _private: Path | None = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"

    async def _async_pre_start_kernel(self, **kw):
        if self._private is None:
            self._private = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
            self.ip = str(self._private / "k")
            self.connection_file = str(self._private / "kernel.json")
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self._private is not None and not restart:
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None

    # nbclient (and jupyter_server) clean up after a kernel that died by calling ``cleanup_resources``,
    # which AsyncKernelManager binds to its own ``_async_cleanup_resources``: route it through the one
    # above, or a dead kernel's folder stays behind (as repairlab.sandbox does for its scratch folder).
    cleanup_resources = _async_cleanup_resources


class PrivateKernelManager(PrivateTransport, AsyncKernelManager):
    """For nbclient: the cohort report and unsandboxed grading."""


class PrivateServerKernelManager(PrivateTransport, ServerKernelManager):
    """For a Jupyter server (``MappingKernelManager.kernel_manager_class``): every kernel a trainee
    or the supervisor starts on the hub."""
