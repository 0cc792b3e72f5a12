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
LEASE = 300.0  # seconds one command may hold an interview's Gmail draft before another takes over
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
    kind: str  # "file", "gmail" or "mailto"
    location: str  # the path, the Gmail link, or the mailto: link


@dataclass(frozen=True)
class Logged:
    """Everything remembered about one interview."""

    key: InterviewKey
    facts: InterviewFacts
    attempts: tuple[Attempt, ...]
    drafts: tuple[DraftMade, ...]
    agreed: datetime | None


@dataclass(frozen=True)
class GmailEntry:
    message_id: str
    draft_id: str | None


class StateStore:
    """The open store. Use `open_store(places)`."""

    def __init__(self, db: sqlite3.Connection, path: Path):
        self.db = db
        self.path = path

    # --- transactions ---

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken before anything is read, so concurrent writers queue."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StateError(f"is busy: another callfirst is writing to it ({exc})", where=str(self.path)) from None
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def migrate(self) -> None:
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

    def logged(self, key: InterviewKey) -> Logged | None:
        row = self.db.execute(
            f"SELECT {_INTERVIEW_COLUMNS} FROM interviews"
            " WHERE uid = ? AND organizer = ? AND source = ? AND occurrence = ?",
            _key_values(key),
        ).fetchone()
        return self._logged(row) if row else None

    def everything(self) -> list[Logged]:
        """Every interview acted on (an attempt or a draft), by start time."""
        rows = self.db.execute(
            f"SELECT {_INTERVIEW_COLUMNS} FROM interviews WHERE id IN"
            " (SELECT interview FROM attempts UNION SELECT interview FROM drafts) ORDER BY start, id"
        ).fetchall()
        return [self._logged(row) for row in rows]

    def _logged(self, row: tuple[Any, ...]) -> Logged:
        interview, uid, organizer, source, occurrence, summary, name, start, end, zone, agreed = row
        attempts = self.db.execute(
            "SELECT at, outcome, number FROM attempts WHERE interview = ? ORDER BY at, id", (interview,)
        ).fetchall()
        drafts = self.db.execute(
            "SELECT at, kind, location FROM drafts WHERE interview = ? ORDER BY at, id", (interview,)
        ).fetchall()
        return Logged(
            key=InterviewKey(uid, organizer, source, occurrence),
            facts=InterviewFacts(summary, name, _moment(start), _moment(end), zone),
            attempts=tuple(Attempt(_moment(at), Outcome(outcome), number) for at, outcome, number in attempts),
            drafts=tuple(DraftMade(_moment(at), kind, location) for at, kind, location in drafts),
            agreed=_moment(agreed) if agreed else None,
        )

    # --- Gmail drafts ---

    @contextmanager
    def gmail_lease(
        self,
        key: InterviewKey,
        facts: InterviewFacts,
        *,
        wait: float = LOCK_WAIT * 2,
        clock: Callable[[], float] = time.time,
    ) -> Iterator[int]:
        """Hold this interview's Gmail draft for one command: another `draft --gmail` for the same interview
        waits until it is done. A holder that died (same machine) or ran past the lease is taken over."""
        holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        deadline = clock() + wait
        while (interview := self._take_lease(key, facts, holder, clock)) is None:
            if clock() > deadline:
                raise StateError("another callfirst is saving this interview's Gmail draft; try again in a minute")
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
    """The store in the user folder, created (mode 0600) and migrated as needed."""
    path = places.state
    store = StateStore(_connect(path, wait), path)
    try:
        store.migrate()
        yield store
    except sqlite3.DatabaseError as exc:
        raise StateError(f"cannot be used ({exc}); move it aside to start a new log", where=str(path)) from None
    finally:
        store.close()


def _connect(path: Path, wait: float) -> sqlite3.Connection:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        return _wal_connection(path, wait)
    except OSError as exc:
        raise StateError(f"cannot be opened ({exc.strerror or exc})", where=str(path)) from None
    except sqlite3.DatabaseError as exc:
        raise StateError(f"cannot be used ({exc}); move it aside to start a new log", where=str(path)) from None


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


def _key_values(key: InterviewKey) -> tuple[str, str, str, str]:
    return key.uid, key.organizer, key.source, key.occurrence


def _iso(moment: datetime) -> str:
    """UTC, so that text order is time order."""
    return moment.astimezone(UTC).isoformat()


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


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
