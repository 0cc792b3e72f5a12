"""Content lines read plainly, and what the events of one file repeat (organizers, attendees, texts,
zones), read once and shared: the parts the plain readers (simple, plain) and the read context share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import Enum, auto
from typing import TypeVar
from zoneinfo import ZoneInfo

from ..model import Attendee, Person
from .convert import calendar_address, zone_source
from .prefilter import content_line, own_lines, unescape


class Zones:
    """TZID → tzinfo as icalendar resolves it (None: icalendar does not know it), asked once per TZID."""

    def __init__(self, custom: set[str], calendar_zone: str | None) -> None:
        self.custom = custom
        self.known: dict[str, tzinfo | None] = {}
        self.calendar_zone: ZoneInfo | None = None
        self.usable = True
        self.utc: tzinfo | None = None
        if calendar_zone is not None:
            try:
                self.calendar_zone = ZoneInfo(str(calendar_zone))
            except Exception:  # noqa: BLE001 - an unusable X-WR-TIMEZONE: every event goes the usual way
                self.usable = False

    def of_utc(self) -> tzinfo | None:
        """The UTC icalendar gives a time written with a Z."""
        if self.utc is None:
            self.utc = _zone_of("20000101T000000Z")
        return self.utc

    def of(self, tzid: str) -> tzinfo | None:
        if tzid in self.custom:
            return None
        if tzid not in self.known:
            import warnings

            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self.known[tzid] = _zone_of("20000101T000000", tzid)
            except Exception:  # noqa: BLE001 - an id icalendar cannot place
                self.known[tzid] = None
        return self.known[tzid]


def _zone_of(value: str, tzid: str | None = None) -> tzinfo | None:
    """The zone icalendar gives a DATE-TIME value written with this TZID (none: as it is written)."""
    from icalendar.prop import vDDDTypes

    moment: datetime = vDDDTypes.from_ical(value, tzid)  # type: ignore[no-untyped-call]
    return moment.tzinfo


class Seen:
    """What the events of one file repeat, read once: an export repeats its organizer, attendees,
    descriptions and statuses line for line, and events that share them share the very objects (which
    triage then recognises by identity). Lines that differ per event (UID, times, stamps) are not kept.
    Each table starts afresh once it holds _LIMIT entries: bounded in number, not in size (a long
    description is one entry)."""

    _LIMIT = 50_000
    _PER_EVENT = ("UID", "DTSTART", "DTEND", "DTSTAMP", "CREATED", "LAST-MODIFIED", "RECURRENCE-ID")

    def __init__(self) -> None:
        self.lines: dict[str, tuple[str, dict[str, str], str] | None] = {}
        self.texts: dict[str, str] = {}
        self.organizers: dict[tuple[str, str | None, str | None], Person | None] = {}
        self.attendee_lists: dict[tuple[str, ...], tuple[Attendee, ...]] = {}
        self.placings: dict[tuple[str | None, bool, bool, bool], str] = {}

    def content(self, line: str) -> tuple[str, dict[str, str], str] | None:
        """A content line's name, parameters and value; None when it is not of the plain shape."""
        found = self.lines.get(line, _Missing.MISSING)
        if found is _Missing.MISSING:
            found = content_line(line)
            if not line.startswith(self._PER_EVENT):
                _keep(self.lines, line, found)
        return found

    def text(self, value: str) -> str:
        """A TEXT value unescaped and stripped."""
        text = self.texts.get(value)
        if text is None:
            text = _keep(self.texts, value, unescape(value).strip())
        return text

    def organizer(self, params: dict[str, str], value: str) -> Person | None:
        key = (value, params.get("CN"), params.get("SENT-BY"))
        known = self.organizers.get(key, _Missing.MISSING)
        return _keep(self.organizers, key, _person(params, value)) if known is _Missing.MISSING else known

    def attendees(self, lines: tuple[str, ...]) -> tuple[Attendee, ...]:
        """The attendees of these ATTENDEE lines (each already read by `content`)."""
        known = self.attendee_lists.get(lines)
        if known is None:
            found = [self.content(line) for line in lines]
            people = tuple(_attendee(parsed[1], parsed[2]) for parsed in found if parsed is not None)
            known = _keep(self.attendee_lists, lines, people)
        return known

    def placed(self, params: dict[str, str], value: str, calendar_zone: bool) -> str:
        """How a DTSTART places its event (convert.zone_source), by its TZID and the shape of its value."""
        tzid = params.get("TZID")
        zone = f";TZID={tzid}" if tzid is not None else ""
        if tzid is not None and ":" in tzid:  # a colon would move where zone_source finds the value
            return zone_source([f"DTSTART{zone}:{value}"], calendar_zone)
        key = (tzid, len(value) == 8 and value.isdigit(), value[-1:] in ("Z", "z"), calendar_zone)
        known = self.placings.get(key)
        if known is None:
            known = _keep(self.placings, key, zone_source([f"DTSTART{zone}:{value}"], calendar_zone))
        return known


class _Missing(Enum):
    """Not in a table (None may be a value there)."""

    MISSING = auto()


_K = TypeVar("_K")


_V = TypeVar("_V")


def _keep(table: dict[_K, _V], key: _K, value: _V) -> _V:
    if len(table) >= Seen._LIMIT:
        table.clear()
    table[key] = value
    return value


def _person(params: dict[str, str], value: str) -> Person | None:
    email = calendar_address(value)
    name = params.get("CN")
    sent_by = calendar_address(params["SENT-BY"]) if params.get("SENT-BY") else None
    if not (email or name):
        return None
    return Person(email=email, name=name.strip() if name else None, sent_by=sent_by or None)


def _attendee(params: dict[str, str], value: str) -> Attendee:
    name = params.get("CN")
    return Attendee(
        email=calendar_address(value), name=name if name else None, partstat=params.get("PARTSTAT", "").upper() or None
    )


@dataclass(frozen=True)
class OwnFields:
    """What a verdict reads of one event, read from its raw block as icalendar gives it (convert.event_fields)."""

    summary: str
    description: str
    location: str
    organizer: Person | None
    attendees: tuple[Attendee, ...]


_TEXT_FIELDS = frozenset(("SUMMARY", "DESCRIPTION", "LOCATION"))


def own_fields(text: str) -> OwnFields | None:
    """The title, description, location, organizer and attendees of one raw VEVENT block (unfolded; its BEGIN
    line may be left out); None when the text leaves any doubt (a field written twice or not plainly,
    another event inside), so the block is parsed."""
    lines = own_lines(text)
    if lines is None:
        return None
    texts: dict[str, str] = {}
    organizer: Person | None = None
    attendees: list[Attendee] = []
    for name, line in lines:
        if name not in _TEXT_FIELDS and name not in ("ORGANIZER", "ATTENDEE"):
            continue
        content = content_line(line)
        if content is None or content[0] != name:
            return None
        _, params, value = content
        if name == "ATTENDEE":
            attendees.append(_attendee(params, value))
        elif name in texts or (name == "ORGANIZER" and organizer is not None):
            return None  # written twice: icalendar reads the first, the line reader may warn
        elif name == "ORGANIZER":
            organizer = _person(params, value)
            if organizer is None:
                return None
        else:
            texts[name] = unescape(value).strip()
    return OwnFields(
        texts.get("SUMMARY", ""), texts.get("DESCRIPTION", ""), texts.get("LOCATION", ""), organizer, tuple(attendees)
    )
