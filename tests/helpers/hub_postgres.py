"""A throwaway PostgreSQL server for the tests: Debian's PostgreSQL started with ``initdb`` and
``pg_ctl`` (no systemd), as an unprivileged Unix account of its own (PostgreSQL refuses to run as
root), listening on 127.0.0.1 and a free port only, with password (scram-sha-256) authentication."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from repairlab.hub import accounts

HOST = "127.0.0.1"


def postgres_bin() -> Path | None:
    """Debian's newest PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def require_postgres() -> Path:
    """Skip on a developer machine without PostgreSQL or root; on CI (bin/test installs it) that is a failure."""
    why = None
    if os.geteuid() != 0:
        why = "the PostgreSQL tests make a Unix account for the server, which needs root"
    elif postgres_bin() is None:
        why = "Debian's PostgreSQL is not installed (apt-get install postgresql)"
    if why and os.environ.get("CI"):
        pytest.fail(f"CI is set but {why}", pytrace=False)
    if why:
        pytest.skip(why)
    return postgres_bin()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One cluster, owned by the Unix account ``owner`` (made here and deleted by ``stop``)."""

    def __init__(self, owner: str):
        self.bin = require_postgres()
        self.owner = owner
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="rlt-pg-"))
        self.data = self.folder / "data"

    def _as_owner(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(["runuser", "-u", self.owner, "--", *argv], capture_output=True, text=True,
                                cwd=self.folder, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:2])} failed: {result.stderr.strip() or result.stdout.strip()}")
        return result

    def start(self) -> "PostgresServer":
        accounts.create(self.owner, comment="RepairLab test PostgreSQL")
        shutil.chown(self.folder, self.owner, self.owner)
        os.chmod(self.folder, 0o700)
        self._as_owner(str(self.bin / "initdb"), "-D", str(self.data), "--auth-local=peer",
                       "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "-U", self.owner)
        options = (
            f"-c listen_addresses={HOST} -c port={self.port} -c unix_socket_directories={self.folder} -c fsync=off"
        )
        self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
                       "-o", options, "-w", "-t", "60", "start")
        return self

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run SQL as the cluster's superuser over the Unix socket; its output, unaligned."""
        return self._as_owner(str(self.bin / "psql"), "-h", str(self.folder), "-p", str(self.port), "-d", database,
                              "-At", "-v", "ON_ERROR_STOP=1", "-c", statement).stdout.strip()

    def create_database(self, role: str, database: str) -> str:
        """A role with a random password owning a new database; its SQLAlchemy URL (psycopg2)."""
        password = secrets.token_urlsafe(18)
        self.sql(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'")
        self.sql(f"CREATE DATABASE \"{database}\" OWNER \"{role}\"")
        return f"postgresql+psycopg2://{role}:{password}@{HOST}:{self.port}/{database}"

    def stop(self) -> None:
        if self.data.is_dir():
            self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
        accounts.delete(self.owner)
        shutil.rmtree(self.folder, ignore_errors=True)
