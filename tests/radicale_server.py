"""A real Radicale CalDAV server for the tests: `python -m radicale` with its own configuration in a temporary
folder, on 127.0.0.1, htpasswd users (plain), TLS with a certificate from the test's own CA (or plain HTTP)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .tls import Certificates, make_certificates

CONFIG = """\
[server]
hosts = 127.0.0.1:{port}
ssl = {ssl}
certificate = {cert}
key = {key}
max_connections = 8

[auth]
type = htpasswd
htpasswd_filename = {folder}/users
htpasswd_encryption = plain
delay = 0

[rights]
type = owner_only

[storage]
filesystem_folder = {folder}/collections

[web]
type = none

[logging]
level = warning
"""


@dataclass
class Radicale:
    folder: Path
    port: int
    tls: bool
    certificates: Certificates
    users: dict[str, str]
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}/"

    def client(self, user: str):
        """A caldav client for setting up calendars (as the user would in their calendar program)."""
        import caldav

        return caldav.DAVClient(
            url=self.url,
            username=user,
            password=self.users[user],
            ssl_verify_cert=str(self.certificates.ca) if self.tls else True,
            enable_rfc6764=False,
        )

    def add_calendar(self, user: str, name: str, *events: str) -> None:
        with self.client(user) as client:
            calendar = client.principal().make_calendar(name=name)
            for event in events:
                calendar.save_event(event)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_radicale(folder: Path, users: dict[str, str], tls: bool = True) -> Radicale:
    folder.mkdir(parents=True, exist_ok=True)
    certificates = make_certificates(folder / "tls")
    (folder / "users").write_text("".join(f"{name}:{password}\n" for name, password in users.items()))
    port = free_port()
    config = folder / "radicale.conf"
    config.write_text(
        CONFIG.format(
            port=port, ssl="True" if tls else "False", cert=certificates.cert, key=certificates.key, folder=folder
        )
    )
    with open(folder / "radicale.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)], stdout=subprocess.DEVNULL, stderr=log
        )
    server = Radicale(folder, port, tls, certificates, users, process)
    try:
        _wait_until_listening(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_listening(server: Radicale, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"radicale exited: {(server.folder / 'radicale.log').read_text(errors='replace')}")
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", server.port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"radicale did not start listening within {limit} s")
