"""Time zones in a calendar file: custom VTIMEZONEs get ids of their own; names shown to people."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from ..errors import short_error
from ..model import Problem
from ..timezones import canonical_zone, display_name_zone, is_utc, matching_zone, windows_zone, zone_named
from .split import Split

_LONGEST_ZONE_NAME = 200  # Outlook's display names are the longest; a zone named at greater length is none


def _shortened(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def settle_calendar_zone(split: Split, source: str, profile_zone: ZoneInfo) -> None:
    """An X-WR-TIMEZONE zoneinfo does not know is read as the zone it names (a Windows name, '/Europe/Berlin'),
    or else left out with a warning: events without a zone of their own are then read in yours."""
    value = split.calendar_props.get("X-WR-TIMEZONE")
    if value is None:
        return
    if zone_named(value) is not None:
        return
    named = named_zone(value) if len(value) <= _LONGEST_ZONE_NAME else None
    if named is not None:
        split.calendar_props["X-WR-TIMEZONE"] = named.key
        return
    del split.calendar_props["X-WR-TIMEZONE"]
    split.warnings.append(
        Problem(
            source,
            f"unknown X-WR-TIMEZONE {_shortened(value)!r}; events without a zone of their own are read in your "
            f"zone {profile_zone.key}",
            split.calendar_lines.get("X-WR-TIMEZONE"),
        )
    )


def timezone_renames(split: Split, source: str) -> dict[str, str]:
    """Give each custom VTIMEZONE an id of its own, so files with the same TZID do not share one."""
    from icalendar import Calendar

    renames: dict[str, str] = {}
    for line, lines in split.timezones:
        tzid = next((t.partition(":")[2].strip() for t in lines if t.upper().startswith("TZID")), "")
        if not tzid or is_iana(tzid):
            continue
        import hashlib  # only for files with zones of their own

        digest = hashlib.sha1("\n".join(lines).encode()).hexdigest()[:10]
        new_id = f"{tzid}#{digest}"
        renames[tzid] = new_id
        text = "\r\n".join(rename_tzid(t, tzid, new_id) for t in lines)
        try:
            Calendar.from_ical(f"BEGIN:VCALENDAR\r\n{text}\r\nEND:VCALENDAR\r\n")
        except Exception as exc:  # noqa: BLE001 - any parse failure is reported, never raised
            split.warnings.append(Problem(source, f"VTIMEZONE {tzid!r} is broken ({short_error(exc)})", line))
            renames.pop(tzid, None)
    return renames


def is_iana(tzid: str) -> bool:
    return zone_named(tzid.strip("/")) is not None


def rename_tzid(text: str, old: str, new: str) -> str:
    if text.upper().startswith("TZID:") and text.partition(":")[2].strip() == old:
        return f"TZID:{new}"
    if "TZID=" not in text.upper():
        return text
    return re.sub(r'(?i)(TZID=)("?)' + re.escape(old) + r"\2(?=[;:])", lambda m: f'{m.group(1)}"{new}"', text)


def rename_all(text: str, renames: Mapping[str, str]) -> str:
    if "TZID=" not in text.upper():
        return text
    for old, new in renames.items():
        text = rename_tzid(text, old, new)
    return text


def display_zone(tz: tzinfo | None, fallback: str) -> str:
    if tz is None:
        return fallback
    key = getattr(tz, "key", None)
    if key:
        return str(key)
    name = str(getattr(tz, "_tzid", None) or tz)
    name = name.partition("#")[0]
    return "UTC" if name in ("UTC", "utc") or tz is UTC else name


def named_zone(tzid: str) -> ZoneInfo | None:
    """The IANA zone a TZID names without a VTIMEZONE: an IANA name (old or new), a Windows name,
    or an Outlook display name such as '(GMT+10:00) Canberra, Melbourne, Sydney'."""
    name = tzid.strip().strip('"').partition("#")[0].strip()
    return canonical_zone(name.strip("/")) or windows_zone(name) or display_name_zone(name)


def iana_zone(tz: tzinfo | None, around: datetime, countries: tuple[str, ...] = ()) -> ZoneInfo | None:
    """The IANA zone behind whatever zone icalendar built (a custom VTIMEZONE included); None for UTC
    and for a zone no IANA zone matches."""
    if tz is None or is_utc(tz):
        return None
    if isinstance(tz, ZoneInfo):
        return canonical_zone(tz.key) or tz
    name = str(getattr(tz, "_tzid", None) or getattr(tz, "zone", None) or tz)
    return _matching(tz, name, around.year, countries)


_resolved: dict[tuple[str, int, tuple[str, ...]], ZoneInfo | None] = {}


def _matching(tz: tzinfo, name: str, year: int, countries: tuple[str, ...]) -> ZoneInfo | None:
    """One answer per VTIMEZONE (its renamed TZID is unique to its rules), year and countries."""
    key = (name, year, countries)
    if key not in _resolved:
        base = name.partition("#")[0]
        _resolved[key] = matching_zone(tz, datetime(year, 7, 1, tzinfo=UTC), names=[base], countries=countries)
    return _resolved[key]
