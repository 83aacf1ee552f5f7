"""The course comes up on the same address every time the port is free, so a trainee's bookmark (and
the login cookie, which Jupyter names by host and port) keeps working; when the port is taken, it
says so in a sentence and uses another."""

from __future__ import annotations

import socket
import sys
import time

from repairlab.trainee import launch
from repairlab.trainee.lab import LabLaunch

# A stand-in for JupyterLab: answers /api/status once on the port it was given, then exits.
FAKE_SERVER = """
import http.server, sys
port = int(next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--port=")))
assert "--ServerApp.port_retries=0" in sys.argv
class Status(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"{}")
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", port), Status).handle_request()
"""


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def leave_time_wait(port: int) -> None:
    """What a stopped course leaves on its port: a connection the server closed first (TIME_WAIT)."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen()
        client = socket.create_connection(("127.0.0.1", port))
        conn, _ = server.accept()
        conn.close()
        time.sleep(0.1)
        client.close()


def test_a_quick_restart_keeps_the_courses_port(monkeypatch):
    port = unused_port()
    monkeypatch.setattr(launch, "COURSE_PORT", port)
    leave_time_wait(port)
    assert launch.course_port() == (port, None)


def test_a_taken_port_moves_the_course_with_a_sentence(monkeypatch):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        taken = other.getsockname()[1]
        monkeypatch.setattr(launch, "COURSE_PORT", taken)
        port, said = launch.course_port()
    assert port != taken
    assert said == (f"Port {taken}, the course's usual address, is taken (is the course already open in another "
                    f"window?), so this time it is on port {port}; your bookmarks work again once that one is stopped.")


def test_every_start_says_the_same_address(monkeypatch, tmp_path):
    port = unused_port()
    monkeypatch.setattr(launch, "COURSE_PORT", port)
    addresses = []
    for _ in range(2):
        said = []
        fake = LabLaunch(argv=[sys.executable, "-c", FAKE_SERVER], env={"PATH": "/usr/bin:/bin"})
        assert launch.serve(fake, ["--no-browser"], tmp_path / "lab.log", "/voila/render/modules/home.ipynb",
                            say=said.append) == 0
        addresses.append(said[0].split("?token=")[0])
        assert said[1:] == [launch.KEEP_OPEN], said
    assert addresses == [f"The course is open at http://localhost:{port}/voila/render/modules/home.ipynb"] * 2


def test_the_token_is_made_once_kept_private_and_the_address_is_the_same_every_start(monkeypatch, tmp_path):
    """A bookmark of the printed address (token included) signs in from any browser after a restart."""
    import stat

    port = unused_port()
    monkeypatch.setattr(launch, "COURSE_PORT", port)
    token_file = tmp_path / ".repairlab" / "lab-token"
    addresses = []
    for _ in range(2):
        said = []
        fake = LabLaunch(argv=[sys.executable, "-c", FAKE_SERVER], env={"PATH": "/usr/bin:/bin"})
        assert launch.serve(fake, ["--no-browser"], tmp_path / "lab.log", "/voila/render/modules/home.ipynb",
                            say=said.append, token_file=token_file) == 0
        addresses.append(said[0])
    token = token_file.read_text().strip()
    assert len(token) >= 24 and stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert addresses == [f"The course is open at http://localhost:{port}/voila/render/modules/home.ipynb"
                         f"?token={token}"] * 2
