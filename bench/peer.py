"""The peer that speed, memory and sameness are measured against: icalendar's full parse of the whole file,
expanded by recurring-ical-events, each event placed as the file placed it."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from callfirst.ical.convert import Envelope, _placed_by, as_int, to_event
from callfirst.model import Event, Window


def full_parse(path: str | Path, window: Window, profile_zone: ZoneInfo) -> list[Event]:
    """Every event overlapping the window. How each file event placed its times is read before
    X-WR-TIMEZONE moves UTC times into the calendar's zone (they are then the calendar's, as scan says)."""
    calendar = icalendar.Calendar.from_ical(Path(path).read_bytes())
    own = {str(c["UID"]): _placed_by(c) for c in _shown_versions(calendar.walk("VEVENT"))}
    if "X-WR-TIMEZONE" in calendar:
        own = {uid: "calendar" if placed == "utc" else placed for uid, placed in own.items()}
    occurrences = recurring_ical_events.of(calendar).between(window.start, window.end)
    events = [to_event(c, str(path), 0, profile_zone, Envelope(), True, own[str(c["UID"])]) for c in occurrences]
    return [e for e in events if e.start < window.end and (e.end > window.start or e.start >= window.start)]


def _shown_versions(components: list) -> list:
    """For each UID, the component whose placing the event takes: of its versions (no RECURRENCE-ID), the one
    recurring-ical-events reads (the highest SEQUENCE, the first of equals); a UID with only moved
    occurrences keeps its first."""
    chosen: dict[str, tuple[bool, int, object]] = {}
    for component in components:
        uid = str(component.get("UID"))
        rank = ("RECURRENCE-ID" not in component, as_int(component.get("SEQUENCE", -1)))
        if uid not in chosen or rank > chosen[uid][:2]:
            chosen[uid] = (*rank, component)
    return [component for *_, component in chosen.values()]
