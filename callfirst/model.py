"""Frozen data the whole tool passes around."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from .errors import located


class Tier(str, enum.Enum):
    """How much notice the employer gets, worst first."""

    PAST = "past"
    URGENT = "urgent"
    LATE = "late"
    SHORT = "short"
    OK = "ok"


@dataclass(frozen=True)
class Person:
    email: str
    name: str | None = None
    # SENT-BY: the address of the person who sent on the organizer's behalf (a scheduling system's
    # organizer address often speaks for a recruiter this way)
    sent_by: str | None = None

    @property
    def display(self) -> str:
        return self.name or self.email


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str | None = None
    partstat: str | None = None
    is_self: bool = False  # the calendar's owner, as the source marks it (Google's `self`)


@dataclass(frozen=True)
class Event:
    """One occurrence of a calendar event, with aware start and end."""

    uid: str
    summary: str
    start: datetime
    end: datetime
    timezone: str
    description: str = ""
    location: str = ""
    organizer: Person | None = None
    attendees: tuple[Attendee, ...] = ()
    status: str | None = None
    all_day: bool = False
    transparent: bool = False
    sequence: int = 0
    recurrence_id: datetime | None = None
    source: str = ""
    line: int | None = None
    # Text around the event that is not part of it, e.g. the invitation email's body.
    context_text: str = ""
    message_id: str | None = None
    thread_subject: str | None = None
    # How the file placed the times: "tzid" (a zone it names), "utc", "floating", "all-day", "calendar"
    # (the calendar's own zone, which is the owner's, not the interviewer's), or "" when unknown.
    zone_source: str = ""
    # The language the event says its title (else its description) is written in, as the primary subtag of
    # its LANGUAGE parameter ('fr' for SUMMARY;LANGUAGE=fr-FR), or "" when it says none.
    language: str = ""
    # The event's own web page (its URL property), such as an employer's careers page for a recruiter's call.
    url: str = ""


def occurrence(**fields: object) -> Event:
    """An Event from every one of its fields, made as Event(**fields) makes it but in one step instead of one
    per field: a whole calendar's occurrences are made this way, by the hundred thousand. The caller gives
    every field (tests/test_large_exports.py checks that the events made so equal Event(**fields))."""
    event = object.__new__(Event)
    object.__setattr__(event, "__dict__", fields)
    return event


@dataclass(frozen=True)
class Problem:
    """A warning or error about one place in one source."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        """One line, whatever the source's bytes held."""
        text = f"{located(self.source, self.line)}: {self.message}"
        return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


@dataclass(frozen=True)
class Verdict:
    is_interview: bool
    signals: tuple[str, ...]
    score: int = 0


@dataclass(frozen=True)
class Notice:
    hours: float
    business_hours: float
    tier: Tier
    call_at: datetime


@dataclass(frozen=True)
class Phone:
    e164: str
    display: str
    where: str  # which field it was found in
    region: str | None = None  # the number's country


@dataclass(frozen=True)
class Assessment:
    """An event with what the tool concluded about it."""

    event: Event
    verdict: Verdict
    notice: Notice
    phones: tuple[Phone, ...]
    actionable: bool
    not_actionable_because: str | None = None
    facts: Facts | None = None  # for interviews: company, role, zone, number, recipient, with sources


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ReadResult:
    """What a source yielded: events plus what went wrong on the way."""

    events: tuple[Event, ...] = ()
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class ScanResult:
    assessments: tuple[Assessment, ...]
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()
    now: datetime | None = None
    owner_zone: str = "UTC"


@dataclass(frozen=True)
class Fact:
    """One fact and where it came from; `value` None means the invitation does not say."""

    value: str | None
    source: str
    guessed: bool = False

    def __bool__(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Facts:
    company: Fact
    role: Fact
    their_zone: Fact  # an IANA name
    recipient: Person | None
    recipient_source: str
    phones: tuple[Phone, ...]  # the number to call first, then a backup
    phone_source: str
    greeting_name: str | None = None

    @property
    def phone(self) -> Phone | None:
        return self.phones[0] if self.phones else None

    @property
    def backup_phone(self) -> Phone | None:
        return self.phones[1] if len(self.phones) > 1 else None


@dataclass(frozen=True)
class Overrides:
    """What the user said on the command line; each wins over what the invitation says."""

    company: str | None = None
    role: str | None = None
    their_zone: str | None = None
    phone: str | None = None
    to: str | None = None
