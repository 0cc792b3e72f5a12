"""The common one-off event read straight from its bytes, for `scan --all` over many events.

Only a narrow, plain shape is accepted: one VEVENT without sub-components or recurrence, each
property at most once (ATTENDEE any number of times), DTSTART and DTEND both given as a date, a UTC
time, a floating time or a time with a TZID that icalendar knows, simple parameters, and only
properties from a short list. Anything else returns None and goes the usual way (icalendar and
recurring-ical-events). Zones come from icalendar itself. A property test holds this to exactly
what the usual way gives (tests/test_large_exports.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import Enum, auto
from typing import TYPE_CHECKING, Protocol, TypeVar
from zoneinfo import ZoneInfo

from ..model import Attendee, Event, Person
from .convert import EventFields, calendar_address, occurrence_event, zone_source
from .prefilter import content_line as _content
from .prefilter import unescape
from .split import uid_of

if TYPE_CHECKING:
    from .convert import Envelope


class ReadContext(Protocol):
    """What reading a plain event needs of the read's context (context.ReadContext, which imports this)."""

    @property
    def source(self) -> str: ...
    @property
    def profile_zone(self) -> ZoneInfo: ...
    @property
    def envelope(self) -> Envelope: ...
    @property
    def zones(self) -> Zones: ...
    @property
    def seen(self) -> Seen: ...


_DATE_TIME = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)")
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_STAMP = re.compile(r"\d{8}T\d{6}Z")
_LONGEST = timedelta(days=5 * 366)  # read plainly only up to this length
_LARGEST_INTEGER = 2**31 - 1  # icalendar's; a larger one is not a number there
_FOLD = re.compile(r"\r*\n[ \t]")
_BREAK = re.compile(r"\r*\n")
_FOLD_LF = re.compile(r"\n[ \t]")  # _FOLD once the text has no carriage return
_ONCE = frozenset(
    ("DTSTART", "DTEND", "UID", "SUMMARY", "DESCRIPTION", "LOCATION", "STATUS", "TRANSP", "SEQUENCE", "ORGANIZER")
)
_STAMPS = frozenset(("DTSTAMP", "CREATED", "LAST-MODIFIED"))
_SHARED_TEXT = frozenset(("SUMMARY", "DESCRIPTION", "LOCATION", "STATUS", "TRANSP", "CLASS"))  # and UID


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
        self.organizers: dict[tuple[str, str | None], Person | None] = {}
        self.attendee_lists: dict[tuple[str, ...], tuple[Attendee, ...]] = {}
        self.placings: dict[tuple[str | None, bool, bool, bool], str] = {}

    def content(self, line: str) -> tuple[str, dict[str, str], str] | None:
        """A content line's name, parameters and value; None when it is not of the plain shape."""
        found = self.lines.get(line, _Missing.MISSING)
        if found is _Missing.MISSING:
            found = _content(line)
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
        key = (value, params.get("CN"))
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


def simple_event(raw: bytes, line: int, context: ReadContext) -> Event | None:
    """The event in `raw` (one VEVENT block, at `line`), or None when it is not of the plain shape."""
    zones, seen = context.zones, context.seen
    if not zones.usable:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    plain = plain_properties(_unfolded(text), seen)
    if plain is None:
        return None
    props = plain.props
    times = plain_span(props, zones)
    if times is None:
        return None
    sequence = plain_sequence(props)
    if sequence is None:
        return None
    placed = seen.placed(*props["DTSTART"], zones.calendar_zone is not None)
    fields = plain_fields(plain, line, context)
    return occurrence_event(fields, times[0], times[1], None, max(sequence, 0), context.profile_zone, placed)


def _unfolded(text: str) -> list[str]:
    """Logical lines: folds joined, line ends of any kind, blank lines dropped."""
    text = text.replace("\r\n", "\n")
    if "\r" in text:  # a stray carriage return: the general patterns
        return [line for line in _BREAK.split(_FOLD.sub("", text)) if line]
    return [line for line in _FOLD_LF.sub("", text).split("\n") if line]


@dataclass(frozen=True)
class Plain:
    """A plain VEVENT's properties: those allowed once, the attendees, and those allowed many times."""

    props: dict[str, tuple[dict[str, str], str]]
    attendees: tuple[str, ...]  # the ATTENDEE lines
    many: dict[str, list[tuple[dict[str, str], str]]]


def plain_properties(
    lines: list[str], seen: Seen, once: frozenset[str] = frozenset(), many: frozenset[str] = frozenset()
) -> Plain | None:
    """The properties of one unfolded VEVENT of the plain shape (with `once` and `many` also allowed), or None."""
    if len(lines) < 2 or lines[0] != "BEGIN:VEVENT" or lines[-1] != "END:VEVENT":
        return None
    props: dict[str, tuple[dict[str, str], str]] = {}
    attendees: list[str] = []
    repeated: dict[str, list[tuple[dict[str, str], str]]] = {}
    for content in lines[1:-1]:
        found = seen.content(content)
        if found is None:
            return None
        name, params, value = found
        if name == "ATTENDEE":
            attendees.append(content)
        elif name in _ONCE or name in once:
            if name in props:
                return None
            props[name] = (params, value)
        elif name in many:
            repeated.setdefault(name, []).append((params, value))
        elif name in _STAMPS:
            if not _STAMP.fullmatch(value):
                return None
        elif not (name == "CLASS" or name.startswith("X-")):
            return None
    if "DTSTART" not in props or "DTEND" not in props or "UID" not in props:
        return None
    return Plain(props, tuple(attendees), repeated)


def plain_span(props: dict[str, tuple[dict[str, str], str]], zones: Zones) -> tuple[date, date] | None:
    """DTSTART and DTEND as icalendar reads them, when both are of one kind and the end is not before the start."""
    start = plain_time(*props["DTSTART"], zones)
    end = plain_time(*props["DTEND"], zones)
    if start is None or end is None or isinstance(start, datetime) != isinstance(end, datetime):
        return None
    if isinstance(start, datetime) and isinstance(end, datetime) and (start.tzinfo is None) != (end.tzinfo is None):
        return None
    if end < start:
        return None  # icalendar's way reports it
    if end - start > _LONGEST:
        return None  # an event lasting years: the usual way reads it, and says when it cannot
    return start, end


def plain_sequence(props: dict[str, tuple[dict[str, str], str]]) -> int | None:
    """SEQUENCE as a number, -1 when absent, None when not plainly a number."""
    if "SEQUENCE" not in props:
        return -1
    value = props["SEQUENCE"][1]
    plain = value.isdigit() and value.isascii() and len(value) <= 10
    return int(value) if plain and int(value) <= _LARGEST_INTEGER else None


def plain_fields(plain: Plain, line: int, context: ReadContext) -> EventFields:
    """What the occurrences of a plain component share (as convert.event_fields reads them from icalendar)."""
    seen, envelope = context.seen, context.envelope
    props = plain.props
    texts = {name: seen.text(props[name][1]) for name in _SHARED_TEXT if name in props}
    uid = uid_of(props["UID"][1]) if "UID" in props else ""
    return EventFields(
        uid=uid or f"line-{line}",
        summary=texts.get("SUMMARY", ""),
        description=texts.get("DESCRIPTION", ""),
        location=texts.get("LOCATION", ""),
        organizer=seen.organizer(*props["ORGANIZER"]) if "ORGANIZER" in props else None,
        attendees=seen.attendees(plain.attendees),
        status=texts.get("STATUS", "").upper() or None,
        transparent=texts.get("TRANSP", "").upper() == "TRANSPARENT",
        source=context.source,
        line=line,
        context_text=envelope.context_text,
        message_id=envelope.message_id,
        thread_subject=envelope.thread_subject,
    )


def plain_time(params: dict[str, str], value: str, zones: Zones) -> date | None:
    """A date or datetime as icalendar reads it and the calendar's X-WR-TIMEZONE moves it; None when unsure."""
    kind = params.get("VALUE")
    if len(params) > ("TZID" in params) + (kind is not None) or kind not in (None, "DATE", "DATE-TIME"):
        return None  # a parameter other than TZID and VALUE
    try:
        if kind == "DATE" or (kind is None and len(value) == 8):
            if "TZID" in params or not _DATE.fullmatch(value):
                return None
            return date.fromisoformat(value)
        match = _DATE_TIME.fullmatch(value)
        if match is None:
            return None
        moment = datetime.fromisoformat(value[:15])
    except ValueError:  # no such day or time, or digits other than ASCII
        return None
    if match.group(7):
        if "TZID" in params:
            return None
        moment = moment.replace(tzinfo=zones.of_utc())
    elif "TZID" in params:
        zone = zones.of(params["TZID"])
        if zone is None:
            return None
        moment = moment.replace(tzinfo=zone)
    if zones.calendar_zone is not None:  # as x-wr-timezone does: UTC and floating times move into the zone
        if moment.tzinfo is None:
            return moment.replace(tzinfo=zones.calendar_zone)
        name = moment.tzname()
        if name is not None and name.upper() == "UTC":
            moved = moment.astimezone(zones.calendar_zone)
            # in the hour a clock change repeats, x-wr-timezone and recurring-ical-events give the first
            # pass of it, not this one: the usual way reads it
            return None if moved.fold else moved
    return moment


def _person(params: dict[str, str], value: str) -> Person | None:
    email = calendar_address(value)
    name = params.get("CN")
    return Person(email=email, name=name.strip() if name else None) if email or name else None


def _attendee(params: dict[str, str], value: str) -> Attendee:
    name = params.get("CN")
    return Attendee(
        email=calendar_address(value), name=name if name else None, partstat=params.get("PARTSTAT", "").upper() or None
    )
