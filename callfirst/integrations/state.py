"""What callfirst remembers about each interview, in one SQLite file in the user folder: call attempts,
drafts made, the Gmail draft of each interview, and the agreed new time.

Every write is one `BEGIN IMMEDIATE` transaction, so two commands running at once queue instead of losing
an attempt; the file is in WAL mode, so readers never wait. The schema is versioned with `PRAGMA
user_version` and brought up to date by the migrations below, in a transaction of their own.
Interviews are keyed by the event's UID, organizer, source and occurrence: a UID reused by another
organizer or another calendar is another interview.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..calls import Attempt
from ..errors import StateError
from ..model import Event
from ..outcome import Outcome
from .home import Places

LOCK_WAIT = 60.0  # seconds a write waits for another command's transaction
LEASE = 300.0  # seconds one command may hold an interview's drafts before another takes over
LEASE_POLL = 0.2

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: interviews, call attempts, drafts made, Gmail drafts, leases, the old gmail-drafts.json entries
        """CREATE TABLE interviews (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL, organizer TEXT NOT NULL, source TEXT NOT NULL, occurrence TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '', organizer_name TEXT NOT NULL DEFAULT '',
            start TEXT NOT NULL, end_ TEXT NOT NULL, timezone TEXT NOT NULL DEFAULT '',
            agreed TEXT, touched TEXT NOT NULL,
            UNIQUE (uid, organizer, source, occurrence))""",
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            interview INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            at TEXT NOT NULL, outcome TEXT NOT NULL, number TEXT NOT NULL DEFAULT '')""",
        """CREATE TABLE drafts (
            id INTEGER PRIMARY KEY,
            interview INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            at TEXT NOT NULL, kind TEXT NOT NULL, location TEXT NOT NULL)""",
        """CREATE TABLE gmail_drafts (
            interview INTEGER PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
            message_id TEXT NOT NULL, draft_id TEXT)""",
        """CREATE TABLE leases (
            interview INTEGER PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
            holder TEXT NOT NULL, until REAL NOT NULL)""",
        """CREATE TABLE legacy_gmail_drafts (key TEXT PRIMARY KEY, message_id TEXT NOT NULL, draft_id TEXT)""",
        "CREATE INDEX attempts_by_interview ON attempts (interview, id)",
        "CREATE INDEX drafts_by_interview ON drafts (interview, id)",
    ),
    (  # 2: drafts in other mailboxes (Outlook, IMAP): the Message-ID given, and the id the mailbox gave
        """CREATE TABLE mailbox_drafts (
            interview INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            kind TEXT NOT NULL, message_id TEXT NOT NULL, draft_id TEXT,
            PRIMARY KEY (interview, kind))""",
    ),
    (  # 3: the times last offered for an interview (by plan, call or draft), so the phone and the email agree;
        # kept apart from `interviews`, which lists what the user acted on
        """CREATE TABLE offered_times (
            uid TEXT NOT NULL, organizer TEXT NOT NULL, source TEXT NOT NULL, occurrence TEXT NOT NULL,
            position INTEGER NOT NULL, start TEXT NOT NULL, end_ TEXT NOT NULL,
            PRIMARY KEY (uid, organizer, source, occurrence, position))""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class InterviewKey:
    """One interview: the event's UID, the organizer's address, the source, the occurrence (or '')."""

    uid: str
    organizer: str
    source: str
    occurrence: str = ""


@dataclass(frozen=True)
class InterviewFacts:
    """What status shows about an interview without reading its source again."""

    summary: str
    organizer_name: str
    start: datetime
    end: datetime
    timezone: str


def source_key(source: str) -> str:
    """A file by its absolute path (so `./a.ics` and `a.ics` are one source); google:… and <stdin> as given."""
    path = Path(source)
    try:
        return str(path.resolve()) if path.is_file() else source
    except (OSError, ValueError):
        return source


def interview_key(event: Event) -> InterviewKey:
    """What the call log and drafts are keyed by: UID, organizer, source and occurrence."""
    organizer = (event.organizer.email if event.organizer else "").strip().lower()
    occurrence = event.recurrence_id.isoformat() if event.recurrence_id else ""
    return InterviewKey(uid=event.uid, organizer=organizer, source=source_key(event.source), occurrence=occurrence)


def interview_facts(event: Event) -> InterviewFacts:
    name = (event.organizer.name or event.organizer.email) if event.organizer else ""
    return InterviewFacts(event.summary, name or "", event.start, event.end, event.timezone)


@dataclass(frozen=True)
class DraftMade:
    at: datetime
    kind: str  # "file", "gmail", "mailto", "outlook" or "imap"
    location: str  # the path, the Gmail or Outlook link, the IMAP folder, or the mailto: link


@dataclass(frozen=True)
class Logged:
    """Everything remembered about one interview; `damaged` says what of its record could not be read."""

    key: InterviewKey
    facts: InterviewFacts
    attempts: tuple[Attempt, ...]
    drafts: tuple[DraftMade, ...]
    agreed: datetime | None
    damaged: str | None = None


@dataclass(frozen=True)
class GmailEntry:
    """A draft in a mailbox: the Message-ID callfirst gave it, and the mailbox's own id once known."""

    message_id: str
    draft_id: str | None


DraftEntry = GmailEntry


class StateStore:
    """The open store. Use `open_store(places)`.

    `warnings` tells what a read met (about the file, without its name): an interview whose record cannot be
    placed in time (left out), or a log read as it was last saved because the disk is full."""

    def __init__(self, db: sqlite3.Connection, path: Path, cannot_write: str | None = None):
        self.db = db
        self.path = path
        self.cannot_write = cannot_write  # why this store is read-only: every write says it
        self.warnings: list[str] = []

    # --- transactions ---

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken before anything is read, so concurrent writers queue."""
        if self.cannot_write:
            raise StateError(self.cannot_write, where=str(self.path))
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise state_error(exc, self.path) from None
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def migrate(self) -> None:
        """Bring the schema up to date; a log already up to date is only read (so a full disk can still be read)."""
        if self.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        with self.writing() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StateError(
                    f"was written by a newer callfirst (schema {version}; this one knows {SCHEMA_VERSION})",
                    where=str(self.path),
                )
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number]:
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # --- interviews ---

    def interview_id(self, db: sqlite3.Connection, key: InterviewKey, facts: InterviewFacts) -> int:
        """The interview's row id, created or refreshed with the latest facts (inside a write)."""
        db.execute(
            """INSERT INTO interviews (uid, organizer, source, occurrence, summary, organizer_name, start, end_,
                                       timezone, touched)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (uid, organizer, source, occurrence) DO UPDATE SET
                 summary = excluded.summary, organizer_name = excluded.organizer_name, start = excluded.start,
                 end_ = excluded.end_, timezone = excluded.timezone, touched = excluded.touched""",
            (*_key_values(key), facts.summary, facts.organizer_name, _iso(facts.start), _iso(facts.end),
             facts.timezone, _iso(datetime.now(UTC))),
        )  # fmt: skip
        return self._find_id(key)  # type: ignore[return-value]

    def _find_id(self, key: InterviewKey) -> int | None:
        row = self.db.execute(
            "SELECT id FROM interviews WHERE uid = ? AND organizer = ? AND source = ? AND occurrence = ?",
            _key_values(key),
        ).fetchone()
        return row[0] if row else None

    def record_attempt(
        self, key: InterviewKey, facts: InterviewFacts, attempt: Attempt, agreed: datetime | None = None
    ) -> Logged:
        with self.writing() as db:
            interview = self.interview_id(db, key, facts)
            db.execute(
                "INSERT INTO attempts (interview, at, outcome, number) VALUES (?, ?, ?, ?)",
                (interview, _iso(attempt.at), attempt.outcome.value, attempt.number),
            )
            if agreed is not None:
                db.execute("UPDATE interviews SET agreed = ? WHERE id = ?", (_iso(agreed), interview))
        return self.logged(key)  # type: ignore[return-value]

    def record_draft(self, key: InterviewKey, facts: InterviewFacts, made: DraftMade) -> None:
        with self.writing() as db:
            interview = self.interview_id(db, key, facts)
            db.execute(
                "INSERT INTO drafts (interview, at, kind, location) VALUES (?, ?, ?, ?)",
                (interview, _iso(made.at), made.kind, made.location),
            )

    def offered(self, key: InterviewKey) -> tuple[tuple[datetime, datetime], ...]:
        """The times last offered for the interview, in their order; a row that cannot be read is left out."""
        rows = self.db.execute(
            """SELECT start, end_ FROM offered_times WHERE uid = ? AND organizer = ? AND source = ? AND occurrence = ?
               ORDER BY position""",
            _key_values(key),
        ).fetchall()
        times = []
        for start, end in rows:
            try:
                times.append((_moment(start, "an offered time"), _moment(end, "an offered time")))
            except _Unreadable:
                continue
        return tuple(times)

    def set_offered(self, key: InterviewKey, times: tuple[tuple[datetime, datetime], ...]) -> None:
        """Remember `times` as the ones offered for the interview, replacing those offered before."""
        with self.writing() as db:
            where = "uid = ? AND organizer = ? AND source = ? AND occurrence = ?"
            db.execute(f"DELETE FROM offered_times WHERE {where}", _key_values(key))
            db.executemany(
                "INSERT INTO offered_times (uid, organizer, source, occurrence, position, start, end_)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(*_key_values(key), n, _iso(start), _iso(end)) for n, (start, end) in enumerate(times)],
            )

    def logged(self, key: InterviewKey, facts: InterviewFacts | None = None) -> Logged | None:
        """The interview's record; with `facts` (the event's own), a start or end that cannot be read is taken
        from them, so its call attempts are still read."""
        row = self.db.execute(
            f"SELECT {_INTERVIEW_COLUMNS} FROM interviews"
            " WHERE uid = ? AND organizer = ? AND source = ? AND occurrence = ?",
            _key_values(key),
        ).fetchone()
        return self._readable(row, facts) if row else None

    def everything(self) -> list[Logged]:
        """Every interview acted on (an attempt or a draft), by start time. One whose start or end cannot be read
        is left out, with a warning."""
        rows = self.db.execute(
            f"SELECT {_INTERVIEW_COLUMNS} FROM interviews WHERE id IN"
            " (SELECT interview FROM attempts UNION SELECT interview FROM drafts) ORDER BY start, id"
        ).fetchall()
        return [logged for logged in map(self._readable, rows) if logged is not None]

    def _readable(self, row: tuple[Any, ...], facts: InterviewFacts | None = None) -> Logged | None:
        try:
            return self._logged(row, facts)
        except _Unreadable as exc:
            self.warnings.append(f"{_record_name(row)} is damaged: {exc}; it is left out")
            return None

    def _logged(self, row: tuple[Any, ...], known: InterviewFacts | None = None) -> Logged:
        """The interview's record; a call attempt, a draft or an agreed time that cannot be read is left out and
        said in `damaged`. Its start and end must be readable, or `known` (_Unreadable otherwise)."""
        interview, uid, organizer, source, occurrence, summary, name, start, end, zone, agreed = row
        attempts = self.db.execute(
            "SELECT at, outcome, number FROM attempts WHERE interview = ? ORDER BY at, id", (interview,)
        ).fetchall()
        drafts = self.db.execute(
            "SELECT at, kind, location FROM drafts WHERE interview = ? ORDER BY at, id", (interview,)
        ).fetchall()
        damage: list[str] = []
        try:
            facts = InterviewFacts(
                _text(summary), _text(name), _moment(start, "start"), _moment(end, "end"), _text(zone)
            )
        except _Unreadable as exc:
            if known is None:
                raise
            facts = known
            damage.append(f"{exc} (the invitation's is used)")
        read_attempts = _each(attempts, _attempt, "call attempt", damage)
        read_drafts = _each(drafts, _draft_made, "draft", damage)
        agreed_at = _each([(agreed,)] if agreed is not None else [], _agreed, "the agreed time", damage)
        return Logged(
            key=InterviewKey(_text(uid), _text(organizer), _text(source), _text(occurrence)),
            facts=facts,
            attempts=tuple(read_attempts),
            drafts=tuple(read_drafts),
            agreed=agreed_at[0] if agreed_at else None,
            damaged=f"{_record_name(row)} is damaged: {'; '.join(damage)}" if damage else None,
        )

    # --- drafts in a mailbox (Gmail, Outlook, IMAP) ---

    @contextmanager
    def draft_lease(
        self,
        key: InterviewKey,
        facts: InterviewFacts,
        *,
        wait: float = LOCK_WAIT * 2,
        clock: Callable[[], float] = time.time,
    ) -> Iterator[int]:
        """Hold this interview's drafts for one command: another `draft` to a mailbox for the same interview
        waits until it is done. A holder that died (same machine) or ran past the lease is taken over."""
        holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        deadline = clock() + wait
        while (interview := self._take_lease(key, facts, holder, clock)) is None:
            if clock() > deadline:
                raise StateError("another callfirst is saving this interview's draft; try again in a minute")
            time.sleep(LEASE_POLL)
        try:
            yield interview
        finally:
            with self.writing() as db:
                db.execute("DELETE FROM leases WHERE interview = ? AND holder = ?", (interview, holder))

    def _take_lease(
        self, key: InterviewKey, facts: InterviewFacts, holder: str, clock: Callable[[], float]
    ) -> int | None:
        with self.writing() as db:
            interview = self.interview_id(db, key, facts)
            row = db.execute("SELECT holder, until FROM leases WHERE interview = ?", (interview,)).fetchone()
            if row is not None and not _lease_lapsed(row[0], row[1], clock()):
                return None
            db.execute(
                "INSERT OR REPLACE INTO leases (interview, holder, until) VALUES (?, ?, ?)",
                (interview, holder, clock() + LEASE),
            )
            return interview

    gmail_lease = draft_lease

    def mailbox_draft(self, interview: int, kind: str) -> GmailEntry | None:
        """The draft saved in the mailbox `kind` ("outlook", "imap") for this interview."""
        row = self.db.execute(
            "SELECT message_id, draft_id FROM mailbox_drafts WHERE interview = ? AND kind = ?", (interview, kind)
        ).fetchone()
        return GmailEntry(row[0], row[1]) if row else None

    def set_mailbox_draft(self, interview: int, kind: str, entry: GmailEntry) -> None:
        """Recorded (and committed) before a create, so a lost answer can be found by its Message-ID."""
        with self.writing() as db:
            db.execute(
                "INSERT OR REPLACE INTO mailbox_drafts (interview, kind, message_id, draft_id) VALUES (?, ?, ?, ?)",
                (interview, kind, entry.message_id, entry.draft_id),
            )

    def gmail_draft(self, interview: int) -> GmailEntry | None:
        row = self.db.execute(
            "SELECT message_id, draft_id FROM gmail_drafts WHERE interview = ?", (interview,)
        ).fetchone()
        return GmailEntry(row[0], row[1]) if row else None

    def set_gmail_draft(self, interview: int, entry: GmailEntry) -> None:
        """Recorded (and committed) before a create, so a lost answer can be found by its Message-ID."""
        with self.writing() as db:
            db.execute(
                "INSERT OR REPLACE INTO gmail_drafts (interview, message_id, draft_id) VALUES (?, ?, ?)",
                (interview, entry.message_id, entry.draft_id),
            )

    def legacy(self, legacy_key: str) -> GmailEntry | None:
        """An entry from the old gmail-drafts.json, keyed by UID and occurrence only."""
        row = self.db.execute(
            "SELECT message_id, draft_id FROM legacy_gmail_drafts WHERE key = ?", (legacy_key,)
        ).fetchone()
        return GmailEntry(row[0], row[1]) if row else None

    def adopt_legacy(self, legacy_key: str, interview: int, entry: GmailEntry) -> None:
        """The old entry belongs to this interview: it moves to the interview's own record."""
        with self.writing() as db:
            db.execute("DELETE FROM legacy_gmail_drafts WHERE key = ?", (legacy_key,))
            db.execute(
                "INSERT OR REPLACE INTO gmail_drafts (interview, message_id, draft_id) VALUES (?, ?, ?)",
                (interview, entry.message_id, entry.draft_id),
            )

    def import_legacy(self, path: Path) -> list[str]:
        """Move the old gmail-drafts.json into the store, once. A file that cannot be read is kept aside as
        NAME.corrupt-TIMESTAMP; the warnings say so."""
        with self.writing() as db:
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                return []
            except OSError as exc:
                return [f"{path}: cannot read the old Gmail draft record ({exc.strerror or exc}); left in place"]
            drafts = _legacy_drafts(raw)
            if drafts is None:
                aside = path.with_name(f"{path.name}.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
                os.replace(path, aside)
                return [
                    f"{path}: the old Gmail draft record is damaged; kept aside as {aside.name}. Drafts it listed "
                    "may be made again: delete the duplicates in Gmail."
                ]
            db.executemany(
                "INSERT OR IGNORE INTO legacy_gmail_drafts (key, message_id, draft_id) VALUES (?, ?, ?)",
                drafts,
            )
        with contextlib.suppress(FileNotFoundError):
            os.replace(path, path.with_name(path.name + ".migrated"))
        return []

    def close(self) -> None:
        self.db.close()


_INTERVIEW_COLUMNS = "id, uid, organizer, source, occurrence, summary, organizer_name, start, end_, timezone, agreed"


@contextmanager
def open_store(places: Places, *, wait: float = LOCK_WAIT) -> Iterator[StateStore]:
    """The store in the user folder, created (mode 0600) and migrated as needed. On a disk too full for SQLite's
    own files it is read as last saved, and only a write fails, saying so: reading never needs room."""
    path = places.state
    store = _opened(path, wait)
    try:
        yield store
    except sqlite3.DatabaseError as exc:
        raise state_error(exc, path) from None
    finally:
        store.close()


def _opened(path: Path, wait: float) -> StateStore:
    try:
        store = StateStore(_connect(path, wait), path)
    except sqlite3.DatabaseError as exc:
        if not _no_room(exc):
            raise state_error(exc, path) from None
        return _as_last_saved(path, exc)
    try:
        store.migrate()
    except sqlite3.DatabaseError as exc:
        store.close()
        if not _no_room(exc):
            raise state_error(exc, path) from None
        return _as_last_saved(path, exc)
    return store


def _as_last_saved(path: Path, exc: sqlite3.DatabaseError) -> StateStore:
    """The log as its file holds it, read-only: without the shared-memory and write-ahead files SQLite cannot
    make when the disk is full (changes still in the write-ahead file are not seen)."""
    why = _cannot_write(exc, path)
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True, isolation_level=None)
        version = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as again:
        raise state_error(again, path) from None
    if version != SCHEMA_VERSION:
        db.close()
        raise StateError(why, where=str(path))
    store = StateStore(db, path, cannot_write=why)
    if _has_unsaved_changes(path):
        store.warnings.append(f"{why}; the latest changes may not show until there is room again")
    return store


def _connect(path: Path, wait: float) -> sqlite3.Connection:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        return _wal_connection(path, wait)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StateError(_disk_full_advice(), where=str(path)) from None
        raise StateError(f"cannot be opened ({exc.strerror or exc})", where=str(path)) from None


def _wal_connection(path: Path, wait: float) -> sqlite3.Connection:
    """A connection in WAL mode. Two processes opening a new log at once can find it locked while the other
    switches it to WAL, before SQLite's own wait applies: that is waited out too, up to `wait` seconds."""
    import time

    deadline = time.monotonic() + wait
    while True:
        db = sqlite3.connect(path, timeout=wait, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            return db
        except sqlite3.OperationalError as exc:
            db.close()
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# SQLite's answers that mean a file could not grow: a full disk, a quota, or a file size limit.
_NO_ROOM = frozenset(
    {"SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_SHMSIZE", "SQLITE_IOERR_SHMMAP", "SQLITE_IOERR_TRUNCATE"}
)
_DAMAGED = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})


def _no_room(exc: sqlite3.DatabaseError) -> bool:
    return getattr(exc, "sqlite_errorname", "") in _NO_ROOM


def state_error(exc: sqlite3.DatabaseError, path: Path) -> StateError:
    """The one line for a failure of the log, with advice that fits its cause: only a damaged file is to be
    moved aside; a full disk or a busy log leave it intact."""
    name = getattr(exc, "sqlite_errorname", "")
    if name in _NO_ROOM:
        return StateError(_cannot_write(exc, path), where=str(path))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StateError(f"is busy: another callfirst is writing to it ({exc})", where=str(path))
    if name.startswith(tuple(_DAMAGED)):
        return StateError(f"is damaged ({exc}); move it aside to start a new log", where=str(path))
    return StateError(f"cannot be used ({exc}); the call log is left as it is", where=str(path))


def _cannot_write(exc: sqlite3.DatabaseError, path: Path) -> str:
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or _disk_full(path):
        return _disk_full_advice()
    return f"cannot be written ({exc}): a file in {path.parent} may not grow; the call log itself is intact"


def _disk_full_advice() -> str:
    return "cannot be written: the disk is full. Free some space and run the command again; the call log is intact"


def _disk_full(path: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False


def _has_unsaved_changes(path: Path) -> bool:
    try:
        return os.path.getsize(f"{path}-wal") > 0
    except OSError:
        return False


class _Unreadable(ValueError):
    """A field of the log that cannot be read as what it must be."""


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _moment(text: object, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise _Unreadable(f"{what} {str(text)[:40]!r} is not a time")
    return moment


def _attempt(row: tuple[Any, ...]) -> Attempt:
    at, outcome, number = row
    try:
        read = Outcome(outcome)
    except ValueError:
        raise _Unreadable(f"outcome {str(outcome)[:40]!r} is unknown") from None
    return Attempt(_moment(at, "time"), read, _text(number))


def _agreed(row: tuple[Any, ...]) -> datetime:
    return _moment(row[0], "value")  # the agreed time


def _draft_made(row: tuple[Any, ...]) -> DraftMade:
    at, kind, location = row
    return DraftMade(_moment(at, "time"), _text(kind), _text(location))


def _each(
    rows: list[tuple[Any, ...]], read: Callable[[tuple[Any, ...]], Any], what: str, damage: list[str]
) -> list[Any]:
    """Each row read; one that cannot be is left out, and `damage` says which and why."""
    found = []
    for number, row in enumerate(rows, 1):
        try:
            found.append(read(row))
        except _Unreadable as exc:
            damage.append(f"{what} {number if len(rows) > 1 else ''}".rstrip() + f": {exc} (left out)")
    return found


def _record_name(row: tuple[Any, ...]) -> str:
    summary, uid = row[5], row[1]
    return f"the record of {_text(summary)[:60] or '(no title)'!r} (UID {_text(uid)[:80]})"


def _key_values(key: InterviewKey) -> tuple[str, str, str, str]:
    return key.uid, key.organizer, key.source, key.occurrence


def _iso(moment: datetime) -> str:
    """UTC, so that text order is time order."""
    return moment.astimezone(UTC).isoformat()


def _lease_lapsed(holder: str, until: float, now: float) -> bool:
    if until < now:
        return True
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname() and pid.isdigit() and not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _legacy_drafts(raw: bytes) -> list[tuple[str, str, str | None]] | None:
    """(key, message_id, draft_id) of each entry in gmail-drafts.json; None when it is not that file."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    drafts = data.get("drafts") if isinstance(data, dict) else None
    if not isinstance(drafts, dict):
        return None
    rows = []
    for key, entry in drafts.items():
        if isinstance(entry, dict) and isinstance(entry.get("message_id"), str):
            draft_id = entry.get("draft_id")
            rows.append((str(key), entry["message_id"], draft_id if isinstance(draft_id, str) else None))
    return rows
