"""From an expanded icalendar component to the tool's own frozen Event."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any, SupportsIndex, SupportsInt, TypedDict
from zoneinfo import ZoneInfo

from ..model import Attendee, Event, Person, occurrence
from ..timezones import aware, is_utc
from .zones import display_zone, iana_zone

if TYPE_CHECKING:
    from icalendar import Component
    from icalendar import Event as VEvent


@dataclass(frozen=True)
class Envelope:
    """What the invitation email an event came in adds to it: its plain-text body, Message-ID and subject
    (nothing for an event from a calendar file)."""

    context_text: str = ""
    message_id: str | None = None
    thread_subject: str | None = None


class EventFields(TypedDict):
    """The fields every occurrence of one component shares (all of Event's but its times and the ones made
    per occurrence)."""

    uid: str
    summary: str
    description: str
    location: str
    organizer: Person | None
    attendees: tuple[Attendee, ...]
    status: str | None
    transparent: bool
    source: str
    line: int
    context_text: str
    message_id: str | None
    thread_subject: str | None
    language: str
    url: str


def as_list(value: object) -> list[Any]:
    """A property icalendar gives once as itself and more than once as a list, as a list (of values icalendar
    types as Any)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def to_event(
    component: VEvent,
    source: str,
    line: int,
    profile_zone: ZoneInfo,
    envelope: Envelope,
    recurring: bool,
    placed: str = "",
) -> Event:
    """An icalendar component (an occurrence recurring-ical-events made) as an Event."""
    try:
        raw_end = component.end
    except Exception:  # noqa: BLE001 - icalendar raises when neither DTEND nor DURATION is usable
        raw_end = None
    recurrence = component.get("RECURRENCE-ID") if recurring else None
    return occurrence_event(
        event_fields(component, source, line, envelope),
        component.start,
        raw_end,
        recurrence.dt if recurrence is not None and hasattr(recurrence, "dt") else None,
        as_int(component.get("SEQUENCE")),
        profile_zone,
        placed or _placed_by(component),
    )


def _placed_by(component: Component) -> str:
    """How a parsed component's DTSTART places it (see Event.zone_source), for callers without raw lines."""
    prop = component.get("DTSTART")
    tzid = str(prop.params.get("TZID", "")) if hasattr(prop, "params") else ""
    value = getattr(prop, "dt", None)
    if not isinstance(value, datetime):
        return "all-day"
    if tzid and not _names_utc(tzid):
        return "tzid"
    return "utc" if value.tzinfo is not None else "floating"


def event_fields(component: Component, source: str, line: int, envelope: Envelope) -> EventFields:
    """What every occurrence of `component` shares: worked out once per component, not per occurrence."""
    return EventFields(
        uid=_text(component.get("UID")) or f"line-{line}",
        summary=_text(component.get("SUMMARY")),
        description=_text(component.get("DESCRIPTION")),
        location=_text(component.get("LOCATION")),
        organizer=_person(component.get("ORGANIZER")),
        attendees=tuple(_attendee(a) for a in as_list(component.get("ATTENDEE"))),
        status=_text(component.get("STATUS")).upper() or None,
        transparent=_text(component.get("TRANSP")).upper() == "TRANSPARENT",
        source=source,
        line=line,
        context_text=envelope.context_text,
        message_id=envelope.message_id,
        thread_subject=envelope.thread_subject,
        language=language_of(_language_parameter(component.get(name)) for name in LANGUAGE_FROM),
        url=_text(component.get("URL")),
    )


# The properties whose LANGUAGE parameter says what language an event is written in, first found first.
LANGUAGE_FROM = ("SUMMARY", "DESCRIPTION")
_LANGUAGE_TAG = re.compile(r"([a-z]{2,3})(?:-[a-z0-9]{1,8})*")


def language_of(parameters: Iterable[str | None]) -> str:
    """The primary subtag of the first well-formed LANGUAGE parameter ('fr-FR' → 'fr'), or ""."""
    for value in parameters:
        match = _LANGUAGE_TAG.fullmatch(value.strip().lower()) if value else None
        if match:
            return match.group(1)
    return ""


def _language_parameter(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    params = getattr(value, "params", None)
    language = params.get("LANGUAGE") if params is not None else None
    return str(language) if language else None


def occurrence_event(
    fields: EventFields,
    raw_start: date,
    raw_end: date | None,
    recurrence: date | None,
    sequence: int,
    profile_zone: ZoneInfo,
    placed: str = "",
) -> Event:
    """One occurrence: the shared fields, its own start and end (no end: the start), its recurrence id;
    its times in the IANA zone behind the file's zone (a Windows name or a custom VTIMEZONE included).
    `placed` says how the file placed it (see Event.zone_source)."""
    all_day = not isinstance(raw_start, datetime)
    start = aware(raw_start, profile_zone)
    end = start if raw_end is None else aware(raw_end, profile_zone)
    if end < start:
        end = start
    floating = isinstance(raw_start, datetime) and raw_start.tzinfo is None
    zone_name = profile_zone.key if (all_day or floating) else display_zone(start.tzinfo, profile_zone.key)
    if not (all_day or floating):
        organizer = fields["organizer"]
        country = _country_of_address(organizer.email if organizer else "")
        iana = _iana_zone(start.tzinfo, start, (country,) if country else ())
        if iana is not None:
            start, end, zone_name = start.astimezone(iana), end.astimezone(iana), iana.key
        elif is_utc(start.tzinfo):
            zone_name = "UTC"
    return occurrence(
        start=start,
        end=end,
        timezone=zone_name,
        all_day=all_day,
        sequence=sequence,
        recurrence_id=None if recurrence is None else aware(recurrence, profile_zone),
        zone_source="all-day" if all_day else "floating" if floating else placed,
        **fields,
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    if not isinstance(value, str) and hasattr(value, "to_ical"):  # a VALUE= parameter made it a date, a number…
        written = value.to_ical()
        value = written.decode("utf-8", "replace") if isinstance(written, bytes) else written
    return str(value).strip()


def as_int(value: object) -> int:
    """`value` as int() reads it; 0 when it cannot."""
    if not isinstance(value, str | bytes | bytearray | SupportsInt | SupportsIndex):
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def calendar_address(value: object) -> str:
    """The address of an ORGANIZER or ATTENDEE value: without mailto:, angle brackets and white space."""
    text = str(value).strip()
    text = text[7:] if text.lower().startswith("mailto:") else text
    return text.strip().strip("<>").strip()


def _person(value: object) -> Person | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    email = calendar_address(value)
    params = getattr(value, "params", None)
    name = params.get("CN") if params is not None else None
    sent_by = calendar_address(params.get("SENT-BY")) if params is not None and params.get("SENT-BY") else None
    if not (email or name):
        return None
    return Person(email=email, name=str(name).strip() if name else None, sent_by=sent_by or None)


def _attendee(value: object) -> Attendee:
    params = getattr(value, "params", {})
    name = params.get("CN")
    return Attendee(
        email=calendar_address(value),
        name=str(name) if name else None,
        partstat=str(params.get("PARTSTAT", "")).upper() or None,
    )


_ZONES: dict[tuple[ZoneInfo, tuple[str, ...]], ZoneInfo | None] = {}


def _iana_zone(tz: tzinfo | None, around: datetime, countries: tuple[str, ...]) -> ZoneInfo | None:
    """iana_zone, remembered for an IANA zone (its answer depends on neither the time nor the countries)."""
    if type(tz) is not ZoneInfo:
        return iana_zone(tz, around, countries)
    key = (tz, countries)
    if key not in _ZONES:
        _ZONES[key] = iana_zone(tz, around, countries)
    return _ZONES[key]


@lru_cache(maxsize=1024)
def _country_of_address(address: str) -> str | None:
    from ..facts import country_of_domain

    return country_of_domain(address.rpartition("@")[2]) if "@" in address else None


def zone_source(lines: list[str], calendar_zone: bool) -> str:
    """How the first DTSTART of raw lines places the event in time (see Event.zone_source)."""
    line = next((text for text in lines if text.upper().startswith("DTSTART")), "")
    head, value = name_and_value(line)
    params = head.upper()
    if ("VALUE=DATE" in params and "DATE-TIME" not in params) or (value.isdigit() and len(value) == 8):
        return "all-day"
    tzid = next((p.split("=", 1)[1].strip('"') for p in head.split(";")[1:] if p.upper().startswith("TZID=")), "")
    utc_value = value.upper().endswith("Z")  # a 'Z' time is UTC whatever TZID stands beside it (RFC 5545 3.3.5)
    if tzid and not _names_utc(tzid) and not utc_value:
        return "tzid"
    if tzid or utc_value:
        return "calendar" if calendar_zone else "utc"
    return "floating"


def name_and_value(line: str) -> tuple[str, str]:
    """A content line's name with its parameters, and its value: the first colon outside quotes splits them."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:index], line[index + 1 :].strip()
    return line, ""


def _names_utc(tzid: str) -> bool:
    """A TZID that names UTC itself: the event's times say nothing about where anyone is."""
    return tzid.strip("/").upper() in ("UTC", "GMT", "ETC/UTC", "Z")
