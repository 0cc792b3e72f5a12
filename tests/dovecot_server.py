"""A real Dovecot IMAP server for the tests: its own configuration in a temporary folder, an unprivileged
process, 127.0.0.1 only, users from a passwd-file, TLS with a certificate from the test's own CA.

Run as root, Dovecot is started as `nobody` in a folder of its own under /tmp (pytest's folders are closed
to other users); otherwise as the current user. It listens on two ports: implicit TLS (imaps) and plain IMAP
(which also offers STARTTLS). `Drafts` and `Entwürfe` are marked \\Drafts (RFC 6154) in the configuration;
each user gets the folders the test names, created over IMAP.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .tls import Certificates, make_certificates

BINARY_PLACES = ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot")


def dovecot_binary() -> str | None:
    found = shutil.which("dovecot")
    return found or next((place for place in BINARY_PLACES if os.access(place, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Dovecot:
    folder: Path
    certificates: Certificates
    tls_port: int
    plain_port: int
    users: dict[str, str]
    process: subprocess.Popen | None = None
    own_folder: bool = False
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.folder / "dovecot.log"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def log_text(self) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace")
        return ""

    def connect(self, user: str):
        """An imapclient connection over plain IMAP, logged in: for setting up and checking folders."""
        from imapclient import IMAPClient

        client = IMAPClient("127.0.0.1", port=self.plain_port, ssl=False, timeout=10)
        client.login(user, self.users[user])
        return client

    def drafts_in(self, user: str, folder: str) -> list[bytes]:
        """The messages in `folder`, raw, with their flags checked by the caller via `flags_in`."""
        client = self.connect(user)
        try:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            fetched = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
            return [fetched[uid][b"BODY[]"] for uid in sorted(fetched)]
        finally:
            client.logout()

    def flags_in(self, user: str, folder: str) -> list[tuple[bytes, ...]]:
        client = self.connect(user)
        try:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            fetched = client.get_flags(uids) if uids else {}
            return [tuple(sorted(fetched[uid])) for uid in sorted(fetched)]
        finally:
            client.logout()


CONFIG = """\
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{folder}/mail/%u
mail_uid = {uid}
mail_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={folder}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Drafts {{
    special_use = \\Drafts
  }}
  mailbox Entwürfe {{
    special_use = \\Drafts
  }}
  mailbox Sent {{
    special_use = \\Sent
  }}
}}
service imap-login {{
  chroot =
  user = {user}
  inet_listener imap {{
    address = 127.0.0.1
    port = {plain_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
service lmtp {{
  unix_listener lmtp {{
    mode = 0600
  }}
}}
service anvil {{
  chroot =
  # No growing delay after the tests' wrong passwords (Dovecot's documented way to turn the penalty off).
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service auth {{
  user = {user}
}}
service auth-worker {{
  user = {user}
}}
service imap-urlauth-login {{
  chroot =
}}
"""


def start_dovecot(tmp_path: Path, users: dict[str, list[str]]) -> Dovecot:
    """Dovecot with each user (password "pw-USER") owning the folders listed; waits until it accepts logins."""
    binary = dovecot_binary()
    assert binary, "dovecot is not installed"
    as_root = os.geteuid() == 0
    if as_root:
        folder = Path(tempfile.mkdtemp(prefix="callfirst-dovecot-"))
        account = pwd.getpwnam("nobody")
        user, uid, gid = account.pw_name, account.pw_uid, account.pw_gid
    else:
        folder = tmp_path / "dovecot"
        folder.mkdir()
        uid, gid = os.getuid(), os.getgid()
        user = pwd.getpwuid(uid).pw_name
    group = grp.getgrgid(gid).gr_name
    server = Dovecot(
        folder=folder,
        certificates=make_certificates(folder / "tls"),
        tls_port=free_port(),
        plain_port=free_port(),
        users={name: f"pw-{name}" for name in users},
        own_folder=as_root,
    )
    for sub in ("run", "state", "mail", "home"):
        (folder / sub).mkdir()
    (folder / "passwd").write_text("".join(f"{name}:{{PLAIN}}{pw}::::::\n" for name, pw in server.users.items()))
    config = folder / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            folder=folder,
            cert=server.certificates.cert,
            key=server.certificates.key,
            user=user,
            group=group,
            uid=uid,
            gid=gid,
            plain_port=server.plain_port,
            tls_port=server.tls_port,
        ),
        encoding="utf-8",
    )
    if as_root:
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, uid, gid)
    server.process = subprocess.Popen(
        [binary, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        user=uid if as_root else None,
        group=gid if as_root else None,
        extra_groups=[] if as_root else None,
        cwd=folder,
    )
    try:
        _wait_until_listening(server)
        for name, folders in users.items():
            client = server.connect(name)
            try:
                for mailbox in folders:
                    client.create_folder(mailbox)
            finally:
                client.logout()
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_listening(server: Dovecot, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            error = server.process.stderr.read().decode(errors="replace") if server.process.stderr else ""
            raise RuntimeError(f"dovecot exited: {error}\n{server.log_text()}")
        ready = 0
        for port in (server.plain_port, server.tls_port):
            with socket.socket() as probe:
                probe.settimeout(0.5)
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    ready += 1
        if ready == 2:
            return
        time.sleep(0.05)
    raise RuntimeError(f"dovecot did not start listening within {limit} s\n{server.log_text()}")
