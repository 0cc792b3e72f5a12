"""From an expanded icalendar component to the tool's own frozen Event."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from ..model import Attendee, Event, Person
from .zones import display_zone


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def aware(value, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return datetime.combine(value, datetime.min.time(), tzinfo=zone)


def start_end(component, profile_zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = component.start
    try:
        end = component.end
    except Exception:  # noqa: BLE001 - icalendar raises when neither DTEND nor DURATION is usable
        end = start
    return aware(start, profile_zone), aware(end, profile_zone)


def to_event(component, source: str, line: int, profile_zone: ZoneInfo, extra: dict, recurring: bool) -> Event:
    try:
        raw_end = component.end
    except Exception:  # noqa: BLE001 - icalendar raises when neither DTEND nor DURATION is usable
        raw_end = None
    recurrence = component.get("RECURRENCE-ID") if recurring else None
    return occurrence_event(
        event_fields(component, source, line, extra),
        component.start,
        raw_end,
        recurrence.dt if recurrence is not None and hasattr(recurrence, "dt") else None,
        as_int(component.get("SEQUENCE")),
        profile_zone,
    )


def event_fields(component, source: str, line: int, extra: dict) -> dict:
    """What every occurrence of `component` shares: worked out once per component, not per occurrence."""
    return dict(
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
        **extra,
    )


def occurrence_event(fields: dict, raw_start, raw_end, recurrence, sequence: int, profile_zone: ZoneInfo) -> Event:
    """One occurrence: the shared fields, its own start and end (no end: the start), its recurrence id."""
    all_day = not isinstance(raw_start, datetime)
    start = aware(raw_start, profile_zone)
    end = start if raw_end is None else aware(raw_end, profile_zone)
    if end < start:
        end = start
    floating = not all_day and raw_start.tzinfo is None
    zone_name = profile_zone.key if (all_day or floating) else display_zone(start.tzinfo, profile_zone.key)
    return Event(
        start=start,
        end=end,
        timezone=zone_name,
        all_day=all_day,
        sequence=sequence,
        recurrence_id=None if recurrence is None else aware(recurrence, profile_zone),
        **fields,
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _address(value) -> str:
    text = str(value).strip()
    return text[7:] if text.lower().startswith("mailto:") else text


def _person(value) -> Person | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0] if value else None
        if value is None:
            return None
    email = _address(value)
    name = value.params.get("CN") if hasattr(value, "params") else None
    return Person(email=email, name=str(name).strip() if name else None) if email or name else None


def _attendee(value) -> Attendee:
    params = getattr(value, "params", {})
    name = params.get("CN")
    return Attendee(
        email=_address(value),
        name=str(name) if name else None,
        partstat=str(params.get("PARTSTAT", "")).upper() or None,
    )
