"""Times written for people: short forms for tables, the owner's long form with IANA names, and the form
the recipient reads (Babel's English dates; 12-hour "a.m./p.m." and ET/CT/PT in the US and Canada,
24-hour elsewhere; the year only when it is not this year; the zone named once)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from .model import Window as Slot
from .timezones import country_of, label

NORTH_AMERICA = ("US", "CA")


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


# --- the form the recipient reads ---------------------------------------------------------------


def reads_12_hour(zone: tzinfo) -> bool:
    """Recipients in the US and Canada read '10:00 a.m. ET'; everyone else '10:00'."""
    return country_of(zone) in NORTH_AMERICA


def clock(moment: datetime, zone: tzinfo, twelve_hour: bool) -> str:
    """'10:00 a.m.' or '10:00'."""
    from babel.dates import format_time

    local = moment.astimezone(zone)
    if not twelve_hour:
        return format_time(local, "HH:mm", locale="en_GB")
    return format_time(local, "h:mm a", locale="en_US").replace("AM", "a.m.").replace("PM", "p.m.")


def zone_abbreviation(moment: datetime, zone: tzinfo) -> str:
    """'ET' in North America, 'CET', 'IST', 'GMT'; else 'Dubai time'."""
    from babel.dates import get_timezone_name

    local = moment.astimezone(zone)
    if reads_12_hour(zone):
        return get_timezone_name(local, width="short", zone_variant="generic", locale="en_US")
    for name in (get_timezone_name(local, width="short", locale="en_GB"), local.tzname() or ""):
        if name.isalpha() and name.isupper() and 2 <= len(name) <= 5:
            return name
    return f"{place(zone)} time"


def place(zone: tzinfo) -> str:
    """The city an IANA zone is named after: 'London', 'New York'."""
    key = getattr(zone, "key", "") or str(zone)
    return key.rsplit("/", 1)[-1].replace("_", " ")


def day(moment: datetime, zone: tzinfo, today: datetime) -> str:
    """'Tuesday 8 December', with the year only when it is not this year's."""
    from babel.dates import format_date

    local = moment.astimezone(zone)
    pattern = "EEEE d MMMM" if local.year == today.astimezone(zone).year else "EEEE d MMMM y"
    return format_date(local, pattern, locale="en_GB")


def time_range(start: datetime, end: datetime | None, zone: tzinfo) -> str:
    """'10:00–11:00 a.m.', '11:30 a.m.–12:30 p.m.' or '15:00–16:00'."""
    twelve = reads_12_hour(zone)
    first = clock(start, zone, twelve)
    if end is None or end <= start:
        return first
    last = clock(end, zone, twelve)
    if twelve and first[-4:] == last[-4:]:
        first = first[:-5]  # "10:00–11:00 a.m.": the half of the day once
    return f"{first}–{last}"


def meeting_time(
    start: datetime, end: datetime | None, theirs: tzinfo, today: datetime, yours: tzinfo | None = None
) -> str:
    """'Tuesday 8 December, 10:00–11:00 a.m. ET (3:00 p.m. in London)': the recipient's zone named once;
    the owner's own time after it when the owner lives by another clock. A slot across a clock change
    names the zone at each end ('1:30 a.m. EDT–1:30 a.m. EST'), so it never reads as no time at all."""
    if end is not None and start.astimezone(theirs).utcoffset() != end.astimezone(theirs).utcoffset():
        twelve = reads_12_hour(theirs)
        ends = [f"{clock(m, theirs, twelve)} {m.astimezone(theirs).tzname()}" for m in (start, end)]
        text = f"{day(start, theirs, today)}, {ends[0]}–{ends[1]}"
    else:
        text = f"{day(start, theirs, today)}, {time_range(start, end, theirs)} {zone_abbreviation(start, theirs)}"
    if yours is not None and start.astimezone(yours).utcoffset() != start.astimezone(theirs).utcoffset():
        mine = clock(start, yours, reads_12_hour(theirs))
        other_day = start.astimezone(yours).date() != start.astimezone(theirs).date()
        text += f" ({mine}{' on ' + day(start, yours, today) if other_day else ''} in {place(yours)})"
    return text


def spoken(start: datetime, theirs: tzinfo, today: datetime) -> str:
    """'Tuesday 8 December at 10:00 a.m.': for the call script, in the interviewer's own time."""
    return f"{day(start, theirs, today)} at {clock(start, theirs, reads_12_hour(theirs))}"
