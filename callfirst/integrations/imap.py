"""Any IMAP mailbox as a draft target: the email is APPENDed to the Drafts folder, never sent.

The Drafts folder is the one the server marks `\\Drafts` (RFC 6154), else one of the usual names. Each
interview has one draft: its Message-ID is recorded in the state store before the APPEND; a later run
APPENDs the new version, then removes the older copies with that Message-ID (found with SEARCH HEADER).
An APPEND whose answer is lost is looked for by the same search instead of being sent again. Certificates are
always verified (against `[imap] cafile` when set, else the system's); plain IMAP only to this computer.
"""

from __future__ import annotations

import re
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import ImapSettings, is_loopback
from ..errors import ImapAuthError, ImapError, short_error
from .credentials import find_password
from .state import DraftEntry, InterviewFacts, InterviewKey, StateStore

if TYPE_CHECKING:
    from imapclient import IMAPClient

    from ..context import Context
    from .targets import Delivered, Outgoing

KIND = "imap"
PASSWORD_VARIABLE = "CALLFIRST_IMAP_PASSWORD"
TIMEOUT = 30.0  # seconds for connecting and for each answer
DEFAULT_PORTS = {"tls": 993, "starttls": 143, "none": 143}
# Looked for when no folder is marked \Drafts (after imapclient's own "Drafts" in each personal namespace).
USUAL_DRAFTS = ("Draft", "Entwürfe", "Brouillons", "Borradores", "Bozze", "Concepten", "Rascunhos", "Utkast")
DRAFT_FLAGS = (b"\\Draft", b"\\Seen")
# After an APPEND that got no answer, look for the draft now and after these pauses (seconds).
_APPENDUID = re.compile(rb"\[APPENDUID \d+ (\d+)\]", re.IGNORECASE)


@dataclass(frozen=True)
class Mailbox:
    """Where the drafts go: from `[imap]` in config.toml."""

    host: str
    port: int
    username: str
    security: str
    cafile: str = ""

    @property
    def label(self) -> str:
        return f"{self.username}@{self.host}"


@dataclass(frozen=True)
class SavedImapDraft:
    folder: str
    uid: int | None
    message_id: str
    updated: bool
    warnings: tuple[str, ...] = ()

    def location(self, box: Mailbox) -> str:
        return f"imap://{box.username}@{box.host}/{self.folder}"


def mailbox_from(settings: ImapSettings) -> Mailbox:
    if not settings.host or not settings.username:
        raise ImapError("no IMAP mailbox: set host and username under [imap] in config.toml (see README, 'IMAP')")
    if settings.security == "none" and not is_loopback(settings.host):  # also checked when config.toml is read
        raise ImapError('[imap] security = "none" is accepted only for a server on this computer')
    return Mailbox(
        host=settings.host,
        port=settings.port or DEFAULT_PORTS[settings.security],
        username=settings.username,
        security=settings.security,
        cafile=settings.cafile,
    )


def password_for(box: Mailbox) -> str:
    return find_password(KIND, box.username, box.host, PASSWORD_VARIABLE, ImapAuthError)


# --- the connection ---------------------------------------------------------------------------


def _tls_context(box: Mailbox) -> ssl.SSLContext:
    """Verification on, host name checked: the system's certificates, or only those in `cafile`."""
    cafile = str(Path(box.cafile).expanduser()) if box.cafile else None
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise ImapError(f"cannot read the certificates ({short_error(exc, 80)})", where=cafile) from None


@contextmanager
def session(box: Mailbox, password: str, timeout: float | None = None) -> Iterator[IMAPClient]:
    """A logged-in connection, logged out at the end; every failure is one ImapError line."""
    client = _connect(box, password, TIMEOUT if timeout is None else timeout)
    try:
        with _translated(box, "working in the mailbox"):
            yield client
    finally:
        _close(client)


def _connect(box: Mailbox, password: str, timeout: float) -> IMAPClient:
    from imapclient import IMAPClient
    from imapclient.exceptions import LoginError

    context = _tls_context(box)
    client = None
    with _translated(box, "connecting"):
        client = IMAPClient(box.host, port=box.port, ssl=box.security == "tls", ssl_context=context, timeout=timeout)
        try:
            if box.security == "starttls":
                if not client.has_capability("STARTTLS"):
                    raise ImapError(
                        f"{box.host}:{box.port} does not offer STARTTLS, so the password would go unencrypted; "
                        'use security = "tls" (usually port 993)'
                    )
                client.starttls(context)
            client.login(box.username, password)
        except LoginError as exc:
            _close(client)
            raise ImapAuthError(
                f"the IMAP server {box.host} refused the login for {box.username} ({_server_text(exc)}); check "
                "the password (many providers need an app password, see README) and run `callfirst auth imap`"
            ) from None
        except BaseException:
            _close(client)
            raise
    return client


@contextmanager
def _translated(box: Mailbox, what: str) -> Iterator[None]:
    """Socket, TLS and protocol failures as one line naming the server."""
    import imaplib

    where = f"{box.host}:{box.port}"
    try:
        yield
    except ImapError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise ImapError(
            f"the certificate of {where} could not be verified ({exc.verify_message or short_error(exc, 80)}); "
            "callfirst does not connect without a valid certificate (a private server: set [imap] cafile)"
        ) from None
    except TimeoutError:
        raise ImapUnavailable(f"the IMAP server {where} did not answer in time while {what}") from None
    except ssl.SSLError as exc:
        raise ImapUnavailable(
            f"no TLS connection with {where} ({short_error(exc, 80)}); is it an IMAP server with "
            f'security = "{box.security}" on that port?'
        ) from None
    except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError) as exc:
        raise ImapUnavailable(f"the connection to {where} was lost while {what} ({short_error(exc, 80)})") from None
    except OSError as exc:
        raise ImapUnavailable(
            f"cannot reach the IMAP server {where} ({exc.strerror or short_error(exc, 80)}); check [imap] host "
            "and port, and your connection"
        ) from None
    except imaplib.IMAP4.abort as exc:
        raise ImapUnavailable(f"{where} broke off while {what} ({_server_text(exc)})") from None
    except imaplib.IMAP4.error as exc:
        raise ImapError(f"{where} refused {what}: {_server_text(exc)}") from None


class ImapUnavailable(ImapError):
    """No answer: the server is down, the connection dropped, or it timed out."""


def _server_text(exc: BaseException) -> str:
    """What the server said, as a short line (it is untrusted: no control characters)."""
    from ..untrusted import printable

    text = str(exc.args[0] if exc.args else exc)
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return printable(short_error(Exception(text), 120)) or type(exc).__name__


def _close(client: Any) -> None:
    try:
        client.logout()
    except Exception:  # noqa: BLE001 - the connection may already be gone; nothing to report
        try:
            client.shutdown()
        except Exception:  # noqa: BLE001
            return


# --- the Drafts folder -------------------------------------------------------------------------


def drafts_folder(client: IMAPClient, box: Mailbox) -> str:
    """The folder marked \\Drafts, else one with a usual name; an ImapError when there is none."""
    from imapclient.imapclient import DRAFTS

    found = client.find_special_folder(DRAFTS)
    if found:
        return str(found)
    for name in USUAL_DRAFTS:
        listed = client.list_folders(pattern=name)
        if listed:
            return str(listed[0][2])
    raise ImapError(
        f"{box.label} has no Drafts folder (none is marked \\Drafts, and none has a usual name); create one "
        "named Drafts in your mail program"
    )


def check_login(box: Mailbox, password: str) -> str:
    """Log in and find the Drafts folder: what `callfirst auth imap` checks before keeping the password."""
    with session(box, password) as client:
        return drafts_folder(client, box)


# --- saving the draft --------------------------------------------------------------------------


def save_draft(
    box: Mailbox,
    password: str,
    store: StateStore,
    message: EmailMessage,
    key: InterviewKey,
    facts: InterviewFacts,
    *,
    new: bool = False,
) -> SavedImapDraft:
    """APPEND the draft, then remove the earlier copies of this interview's draft (unless `new`)."""
    del message["X-Unsent"]
    with store.draft_lease(key, facts) as interview, session(box, password) as client:
        folder = drafts_folder(client, box)
        client.select_folder(folder)
        entry = None if new else store.mailbox_draft(interview, KIND)
        before = copies(client, entry.message_id) if entry else set()
        if entry is None or (not before and entry.draft_id):
            # A first draft; or the last one is gone (deleted, or sent: then its Message-ID is the sent mail's).
            entry = DraftEntry(make_msgid(domain=_domain(message)), None)
        del message["Message-ID"]
        message["Message-ID"] = entry.message_id
        store.set_mailbox_draft(interview, KIND, entry)  # before the APPEND: a lost answer is found by it
        saved = _append_replacing(client, box, password, folder, _wire_bytes(message), entry.message_id, before)
        store.set_mailbox_draft(interview, KIND, DraftEntry(entry.message_id, str(saved.uid) if saved.uid else None))
    return saved


def _append_replacing(
    client: IMAPClient, box: Mailbox, password: str, folder: str, data: bytes, message_id: str, before: set[int]
) -> SavedImapDraft:
    import imaplib

    try:
        answer = client.append(folder, data, flags=DRAFT_FLAGS)
    except (OSError, ssl.SSLError, imaplib.IMAP4.abort) as exc:
        return _after_lost_answer(box, password, folder, message_id, before, exc)
    uid = _appended_uid(answer) or _newest(client, message_id, before)
    warnings = _remove_copies(client, message_id, keep=uid)
    return SavedImapDraft(folder, uid, message_id, updated=bool(before), warnings=warnings)


def _after_lost_answer(
    box: Mailbox, password: str, folder: str, message_id: str, before: set[int], exc: BaseException
) -> SavedImapDraft:
    """The APPEND was sent but its answer never came: look for it on a new connection; never send it again."""
    from .create_once import UNANSWERED_LOOKS

    for pause in UNANSWERED_LOOKS:
        if pause:
            time.sleep(pause)
        try:
            with session(box, password) as client:
                client.select_folder(folder)
                uid = _newest(client, message_id, before)
                if uid is not None:
                    warnings = _remove_copies(client, message_id, keep=uid)
                    return SavedImapDraft(folder, uid, message_id, updated=bool(before), warnings=warnings)
        except ImapUnavailable:
            continue
    raise ImapUnavailable(
        f"the IMAP server {box.host} did not answer while saving the draft ({short_error(exc, 80)}), so it may "
        "still appear. Run the same command again: callfirst looks for this draft first and never makes a second one"
    )


def copies(client: IMAPClient, message_id: str) -> set[int]:
    """UIDs of the messages in the selected folder whose Message-ID is exactly `message_id`."""
    found = client.search(["NOT", "DELETED", "HEADER", "Message-ID", message_id])
    if not found:
        return set()
    headers = client.fetch(found, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    wanted = message_id.strip().lower()
    exact = set()
    for uid, data in headers.items():
        raw = next((value for name, value in data.items() if name.startswith(b"BODY[HEADER")), b"") or b""
        value = raw.decode("ascii", "replace").partition(":")[2]
        if " ".join(value.split()).lower() == wanted:
            exact.add(int(uid))
    return exact


def _appended_uid(answer: Any) -> int | None:
    text = answer if isinstance(answer, bytes) else str(answer).encode("utf-8", "replace")
    match = _APPENDUID.search(text)
    return int(match.group(1)) if match else None


def _newest(client: IMAPClient, message_id: str, before: set[int]) -> int | None:
    """The copy that was not there before the APPEND (UIDs only grow)."""
    fresh = copies(client, message_id) - before
    return max(fresh) if fresh else None


def _remove_copies(client: IMAPClient, message_id: str, keep: int | None) -> tuple[str, ...]:
    """Every other copy of this draft is deleted and expunged by UID, so nothing else in the folder is touched.
    A server without UIDPLUS only gets them marked deleted (expunging would also remove the user's own)."""
    if keep is None:
        return ()
    others = sorted(copies(client, message_id) - {keep})
    if not others:
        return ()
    client.delete_messages(others)
    if client.has_capability("UIDPLUS"):
        client.uid_expunge(others)
        return ()
    return (
        f"the earlier version of the draft is marked deleted but still listed: {client.host} cannot remove single "
        "messages (no UIDPLUS); your mail program removes it when it compacts the folder",
    )


def _wire_bytes(message: EmailMessage) -> bytes:
    """The message with CRLF line ends, as IMAP carries it."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def _domain(message: EmailMessage) -> str:
    sender = str(message.get("From", ""))
    return sender.rpartition("@")[2].strip(">").strip() or "callfirst.invalid"


# --- the draft target ---------------------------------------------------------------------------


class ImapDrafts:
    """`draft --imap`: the draft APPENDed to the mailbox's Drafts folder, replacing the one saved before."""

    def deliver(self, outgoing: Outgoing, ctx: Context) -> Delivered:
        from dataclasses import replace

        from ..model import Person
        from .gmail import threaded, valid_address
        from .state import DraftMade, interview_facts, interview_key, open_store
        from .targets import Delivered

        box = mailbox_from(ctx.config.imap)
        password = password_for(box)
        composed = threaded(outgoing.draft, None)
        if composed.sender is None and valid_address(box.username):
            composed = replace(composed, sender=Person(box.username))
        message = outgoing.message(ctx.now, composed)
        event = outgoing.item.event
        with open_store(ctx.places) as store:
            saved = save_draft(
                box, password, store, message, interview_key(event), interview_facts(event), new=outgoing.options.new
            )
        done = "updated" if saved.updated else "created"
        return Delivered(
            f"IMAP draft {done} in {saved.folder} of {box.label} (nothing was sent)",
            made=DraftMade(ctx.now, KIND, saved.location(box)),
            warnings=saved.warnings,
        )


TARGET = ImapDrafts()
