"""Times written for the owner: short forms for tables and the long form with IANA names. The form the
recipient reads, in their language and country's conventions, is drafts/voice.py's."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import cache

from .model import Window as Slot
from .timezones import label


def when(dt: datetime, zone: tzinfo, with_date: bool = True, this_year: int | None = None) -> str:
    """'Tue 01 Dec 16:00', for tables; 'Tue 01 Dec 2027 16:00' when it is not in `this_year`."""
    local = dt.astimezone(zone)
    if not with_date:
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M" if this_year in (None, local.year) else "%a %d %b %Y %H:%M")


def zone_label(zone: tzinfo, at: datetime) -> str:
    return getattr(zone, "key", None) or at.astimezone(zone).tzname() or str(zone)


def place(zone: tzinfo, locale: str = "en", at: datetime | None = None) -> str:
    """The city an IANA zone is named after, as CLDR writes it in `locale`: 'São Paulo', 'Ho Chi Minh City',
    'Londres'; 'UTC' or the offset ('UTC−05:00') for a zone that names no place."""
    key = getattr(zone, "key", "") or ""
    if not key:  # a zone the invitation defines: the name it gives
        name = (at or datetime(2026, 1, 1, tzinfo=UTC)).astimezone(zone).tzname() or ""
        return name if name and name[0] not in "+-" else _offset_name(zone, at)
    if "/" not in key or key.startswith("Etc/"):
        return _offset_name(zone, at) if key not in ("UTC", "Etc/UTC", "GMT", "Etc/GMT") else "UTC"
    return _cldr_city(key, locale)


@cache
def _cldr_city(key: str, locale: str) -> str:
    """CLDR's name of the city an IANA zone is named after, asked once per zone and locale (a table names the
    same few zones on every row)."""
    plain = key.rsplit("/", 1)[-1].replace("_", " ")
    from babel.core import UnknownLocaleError
    from babel.dates import get_timezone, get_timezone_location

    try:
        return str(get_timezone_location(get_timezone(key), locale=locale, return_city=True)) or plain
    except (LookupError, UnknownLocaleError, ValueError):
        return plain


def place_time(zone: tzinfo, at: datetime | None = None) -> str:
    """'New York time', 'UTC', 'UTC−05:00': how a page names a zone's clock."""
    name = place(zone, at=at)
    return name if name.startswith("UTC") else f"{name} time"


def when_at_place(moment: datetime, zone: tzinfo) -> str:
    """'Wednesday, 2 December 2026 at 10:00 (New York time)': the long form a page shows."""
    local = moment.astimezone(zone)
    return f"{local:%A}, {local.day} {local:%B %Y} at {local:%H:%M} ({place_time(zone, local)})"


def _offset_name(zone: tzinfo, at: datetime | None) -> str:
    offset = (at or datetime(2026, 1, 1, tzinfo=UTC)).astimezone(zone).utcoffset()  # a fixed offset's zone
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def both_zones(dt: datetime, owner: tzinfo, theirs: tzinfo, this_year: int | None = None) -> str:
    """'Tue 01 Dec 16:00 (10:00 New York)' — yours first, theirs when it differs, named by its city."""
    mine = when(dt, owner, this_year=this_year)
    if dt.astimezone(owner).utcoffset() == dt.astimezone(theirs).utcoffset() and zone_label(owner, dt) == zone_label(
        theirs, dt
    ):
        return mine
    other_day = dt.astimezone(owner).date() != dt.astimezone(theirs).date()
    return f"{mine} ({when(dt, theirs, with_date=other_day)} {place(theirs, at=dt)})"


def when_text(moment: datetime, zone: tzinfo) -> str:
    """'Wednesday, 2 December 2026 at 10:00 EST, America/New_York': the owner's own long form."""
    local = moment.astimezone(zone)
    return f"{local:%A}, {local.day} {local:%B %Y} at {local:%H:%M} {label(zone, local)}".rstrip()


def slot_text(slot: Slot, zone: tzinfo) -> str:
    """'Monday, 7 December 2026, 14:00–15:00 EST, America/New_York': the owner's own long form."""
    start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
    return f"{start:%A}, {start.day} {start:%B %Y}, {start:%H:%M}–{end:%H:%M} {label(zone, start)}".rstrip()
