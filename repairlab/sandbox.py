"""Run a trainee's notebook kernel in a bubblewrap sandbox while nbgrader grades it.

Only the kernel is sandboxed: nbgrader, the answer key and the gradebook stay in the supervisor's
process, which talks to the kernel over Unix sockets in a scratch folder (the sandbox has no network,
not even loopback to the outside). Inside, the kernel sees a read-only Python and RepairLab, its own
notebook folder read-only and the scratch folder; nothing of the course (solutions, gradebook, other
trainees' work) and nothing of the supervisor's home. It runs as an unprivileged user id with limits
on memory, processes, CPU time and file size, in its own PID namespace that dies with it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

# Limits per kernel (rlimits: no cgroups are needed, so they also hold on a laptop).
MEMORY_BYTES = 3 * 1024**3
PROCESSES = 128
CPU_SECONDS = 300
FILE_BYTES = 64 * 1024**2
OPEN_FILES = 512
# When grading as root the kernel drops to an unused user id; one per worker process, so that one
# trainee's fork bomb counts against its own process limit, not against the others'.
UID_BASE = 61000

INSTALL_HINT = "install bubblewrap (Debian/Ubuntu: `apt-get install bubblewrap`)"


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces on this machine."""


def sandbox_uid() -> int | None:
    return UID_BASE + os.getpid() % 1000 if os.geteuid() == 0 else None


def _readable_roots() -> list[Path]:
    """What the kernel needs to read: the interpreter, this environment, and RepairLab itself."""
    import repairlab

    roots = {Path(sys.base_prefix), Path(sys.prefix), Path(repairlab.__file__).resolve().parent}
    roots |= {Path(p).resolve() for p in sys.path if p and Path(p).is_dir() and "site-packages" in p}
    return sorted(roots)


def _dirs_for(paths: list[Path]) -> list[str]:
    """bubblewrap makes missing parent folders 0700; create them 0755 first so the kernel's user
    can walk down to what is bound (and nothing else: the folders are empty)."""
    made: list[str] = []
    for path in paths:
        for parent in reversed(path.parents):
            if str(parent) != "/" and str(parent) not in made:
                made.append(str(parent))
    args: list[str] = []
    for folder in made:
        args += ["--perms", "0755", "--dir", folder]
    return args


def command(kernel_cmd: list[str], scratch: Path, workdir: Path | None, uid: int | None) -> list[str]:
    """The kernel command wrapped in bwrap, a user switch when root, and prlimit."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(f"bubblewrap is not installed: {INSTALL_HINT}")
    roots = _readable_roots()
    binds = [scratch] + ([workdir] if workdir else []) + roots
    args = [bwrap, "--die-with-parent", "--new-session", "--clearenv"]
    args += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if uid is None:  # an ordinary user: bubblewrap needs a user namespace of its own
        args += ["--unshare-user"]
    args += ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev",
             "--tmpfs", "/tmp"]
    for link in ("bin", "sbin", "lib", "lib64", "lib32"):
        target = os.readlink(f"/{link}") if os.path.islink(f"/{link}") else None
        if target:
            args += ["--symlink", target, f"/{link}"]
        elif os.path.isdir(f"/{link}"):
            args += ["--ro-bind", f"/{link}", f"/{link}"]
    args += _dirs_for(binds)
    for root in roots:
        args += ["--ro-bind", str(root), str(root)]
    if workdir:
        args += ["--ro-bind", str(workdir), str(workdir)]
    args += ["--bind", str(scratch), str(scratch), "--chdir", str(workdir or scratch)]
    home = scratch / "home"
    for name, value in {
        "HOME": str(home), "TMPDIR": str(home), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "LANG": "C.UTF-8", "MPLBACKEND": "agg", "MPLCONFIGDIR": str(home), "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    }.items():
        args += ["--setenv", name, value]
    args.append("--")
    if uid is not None:
        args += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                 "--inh-caps=-all", "--bounding-set=-all", "--"]
    args += ["prlimit", f"--as={MEMORY_BYTES}", f"--nproc={PROCESSES}", f"--cpu={CPU_SECONDS}",
             f"--fsize={FILE_BYTES}", f"--nofile={OPEN_FILES}", "--core=0", "--"]
    return args + kernel_cmd


def make_scratch(uid: int | None) -> Path:
    """A short path (Unix socket paths are limited to about 100 bytes) that only the kernel writes."""
    scratch = Path(tempfile.mkdtemp(prefix="rl-sbx-"))
    (scratch / "home").mkdir()
    if uid is not None:
        for path in (scratch, scratch / "home"):
            os.chown(path, uid, uid)
    return scratch


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs in the sandbox and is reached over Unix sockets."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self._scratch: Path | None = None

    async def _async_pre_start_kernel(self, **kw):
        uid = sandbox_uid()
        self._scratch = make_scratch(uid)
        self.ip = str(self._scratch / "k")
        self.connection_file = str(self._scratch / "kernel.json")
        workdir = Path(kw["cwd"]).resolve() if kw.get("cwd") else None
        _, kw = await super()._async_pre_start_kernel(**kw)
        # interrupts travel as messages: a signal to bwrap would not reach the kernel inside
        self.kernel_spec.interrupt_mode = "message"
        if uid is not None:
            os.chown(self.connection_file, uid, uid)
        kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", self.connection_file,
                  "--HistoryManager.hist_file=:memory:"]
        kw["env"] = {}  # the sandbox starts from a clean environment (--clearenv)
        kw["stdout"] = kw["stderr"] = subprocess.DEVNULL  # the kernel's banner is not for the supervisor
        return command(kernel, self._scratch, workdir, uid), kw

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self._scratch is not None and not restart:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    # nbclient cleans up after a kernel that died by calling ``cleanup_resources``, which
    # AsyncKernelManager binds to its own ``_async_cleanup_resources``: route it through the one above.
    cleanup_resources = _async_cleanup_resources


@cache
def unavailable_reason() -> str | None:
    """None when the sandbox works here; else one sentence saying why not."""
    if shutil.which("bwrap") is None:
        return f"bubblewrap is not installed: {INSTALL_HINT}"
    if shutil.which("prlimit") is None or (os.geteuid() == 0 and shutil.which("setpriv") is None):
        return "prlimit and setpriv (util-linux) are needed to limit the sandbox"
    scratch = make_scratch(sandbox_uid())
    try:
        probe = command([sys.executable, "-c", "print('ok')"], scratch, None, sandbox_uid())
        result = subprocess.run(probe, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start a sandbox: {exc}"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if result.returncode != 0 or result.stdout.strip() != "ok":
        line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return f"bubblewrap could not start a sandbox here ({line}); user namespaces may be disabled"
    return None
