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
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ..model import Event
from .convert import LANGUAGE_FROM, EventFields, language_of, occurrence_event
from .lines import Seen, Zones
from .split import uid_of

if TYPE_CHECKING:
    from .context import ReadContext


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
        language=language_of(props[name][0].get("LANGUAGE") for name in LANGUAGE_FROM if name in props),
        url="",  # a component with a URL is never plain (see plain_properties)
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
