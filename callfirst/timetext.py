"""Times written for the owner: short forms for tables and the long form with IANA names. The form the
recipient reads, in their language and country's conventions, is drafts/voice.py's."""

from __future__ import annotations

from datetime import datetime, tzinfo

from .model import Window as Slot
from .timezones import label


def when(dt: datetime, zone: tzinfo, with_date: bool = True) -> str:
    """'Tue 01 Dec 16:00', for tables."""
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
    other_day = dt.astimezone(owner).date() != dt.astimezone(theirs).date()
    return f"{mine} ({when(dt, theirs, with_date=other_day)} {zone_label(theirs, dt)})"


def when_text(moment: datetime, zone: tzinfo) -> str:
    """'Wednesday, 2 December 2026 at 10:00 EST, America/New_York': the owner's own long form."""
    local = moment.astimezone(zone)
    return f"{local:%A}, {local.day} {local:%B %Y} at {local:%H:%M} {label(zone, local)}".rstrip()


def slot_text(slot: Slot, zone: tzinfo) -> str:
    """'Monday, 7 December 2026, 14:00–15:00 EST, America/New_York': the owner's own long form."""
    start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
    return f"{start:%A}, {start.day} {start:%B %Y}, {start:%H:%M}–{end:%H:%M} {label(zone, start)}".rstrip()
