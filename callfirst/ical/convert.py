"""From an expanded icalendar component to the tool's own frozen Event."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ..model import Attendee, Event, Person
from ..timezones import aware, is_utc
from .zones import display_zone, iana_zone


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def start_end(component, profile_zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = component.start
    try:
        end = component.end
    except Exception:  # noqa: BLE001 - icalendar raises when neither DTEND nor DURATION is usable
        end = start
    return aware(start, profile_zone), aware(end, profile_zone)


def to_event(
    component, source: str, line: int, profile_zone: ZoneInfo, extra: dict, recurring: bool, placed: str = ""
) -> Event:
    raw_start = component.start
    all_day = not isinstance(raw_start, datetime)
    start, end = start_end(component, profile_zone)
    if end < start:
        end = start
    floating = isinstance(raw_start, datetime) and raw_start.tzinfo is None
    zone_name = profile_zone.key if (all_day or floating) else display_zone(start.tzinfo, profile_zone.key)
    if not (all_day or floating):
        organizer = _person(component.get("ORGANIZER"))
        domain_country = _country_of_address(organizer.email if organizer else "")
        iana = iana_zone(start.tzinfo, start, (domain_country,) if domain_country else ())
        if iana is not None:
            start, end, zone_name = start.astimezone(iana), end.astimezone(iana), iana.key
        elif is_utc(start.tzinfo):
            zone_name = "UTC"
    recurrence = component.get("RECURRENCE-ID") if recurring else None
    return Event(
        uid=_text(component.get("UID")) or f"line-{line}",
        summary=_text(component.get("SUMMARY")),
        description=_text(component.get("DESCRIPTION")),
        location=_text(component.get("LOCATION")),
        start=start,
        end=end,
        timezone=zone_name,
        organizer=_person(component.get("ORGANIZER")),
        attendees=tuple(_attendee(a) for a in as_list(component.get("ATTENDEE"))),
        status=_text(component.get("STATUS")).upper() or None,
        all_day=all_day,
        transparent=_text(component.get("TRANSP")).upper() == "TRANSPARENT",
        sequence=_int(component.get("SEQUENCE")),
        recurrence_id=aware(recurrence.dt, profile_zone)
        if recurrence is not None and hasattr(recurrence, "dt")
        else None,
        source=source,
        line=line,
        zone_source="all-day" if all_day else "floating" if floating else placed,
        **extra,
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _address(value) -> str:
    text = str(value).strip()
    text = text[7:] if text.lower().startswith("mailto:") else text
    return text.strip().strip("<>").strip()


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


def _country_of_address(address: str) -> str | None:
    from ..facts import country_of_domain

    return country_of_domain(address.rpartition("@")[2]) if "@" in address else None
