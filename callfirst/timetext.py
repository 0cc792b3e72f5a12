"""Times written for people: short forms for tables, long forms for plans and emails."""

from __future__ import annotations

from datetime import datetime, tzinfo

from .model import Window as Slot


def when(dt: datetime, zone: tzinfo, with_date: bool = True) -> str:
    local = dt.astimezone(zone)
    return local.strftime("%a %d %b %H:%M" if with_date else "%H:%M")


def zone_label(zone: tzinfo, at: datetime) -> str:
    return getattr(zone, "key", None) or at.astimezone(zone).tzname() or str(zone)


def both_zones(dt: datetime, owner: tzinfo, theirs: tzinfo) -> str:
    """'Tue 01 Dec 16:00 (10:00 America/New_York)' — yours first, theirs when it differs."""
    mine = when(dt, owner)
    if dt.astimezone(owner).utcoffset() == dt.astimezone(theirs).utcoffset() and zone_label(owner, dt) == zone_label(
        theirs, dt
    ):
        return mine
    return f"{mine} ({when(dt, theirs, with_date=dt.astimezone(owner).date() != dt.astimezone(theirs).date())} {zone_label(theirs, dt)})"


def _zone_label(local: datetime, zone: tzinfo) -> str:
    """'EST (America/New_York)', or just the one name when there is only one."""
    name = getattr(zone, "key", None)
    abbreviation = local.tzname() or ""
    if name and abbreviation and abbreviation != name:
        return f"{abbreviation} ({name})"
    return name or abbreviation


def when_text(moment: datetime, zone: tzinfo) -> str:
    """'Wednesday, 2 December 2026 at 10:00 EST (America/New_York)'."""
    local = moment.astimezone(zone)
    return f"{local:%A}, {local.day} {local:%B %Y} at {local:%H:%M} {_zone_label(local, zone)}".rstrip()


def slot_text(slot: Slot, zone: tzinfo) -> str:
    """'Monday, 7 December 2026, 14:00–15:00 EST (America/New_York)'."""
    start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
    return f"{start:%A}, {start.day} {start:%B %Y}, {start:%H:%M}–{end:%H:%M} {_zone_label(start, zone)}".rstrip()
