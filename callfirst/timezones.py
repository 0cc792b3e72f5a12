"""Time zones: names checked once, naive times made aware once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_named(name: str | None) -> ZoneInfo | None:
    """The IANA zone of that name, or None when there is no such zone."""
    if not name or not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def aware(value: date | datetime, zone: tzinfo) -> datetime:
    """A date as its midnight in `zone`; a naive date-time read in `zone`; an aware one as it is."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return datetime.combine(value, time(), tzinfo=zone)


def zone_of(moment: datetime) -> tzinfo:
    """The zone an aware moment is written in (UTC for a naive one, which the core never holds)."""
    return moment.tzinfo or UTC
