"""Parse one UID's components with icalendar and expand them within the window (bounded)."""

from __future__ import annotations

import warnings as pywarnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ..errors import short_error
from ..model import Event, Problem, Window
from .convert import as_list, aware, start_end, to_event
from .repair import repair_lines
from .split import Block, Split
from .zones import named_zone, rename_all

MAX_OCCURRENCES = 500  # per series within the window


_PERIOD = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3600,
    "DAILY": 86_400,
    "WEEKLY": 604_800,
    "MONTHLY": 2_678_400,
    "YEARLY": 31_622_400,
}


_EXPANDING = ("BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")


_MAX_STEPS = 200_000


def read_group(group, split, renames, source, window, profile_zone, extra) -> list[Event]:
    import recurring_ical_events
    from icalendar import Calendar, Component

    first = group[0]
    lines = []
    for block in group:
        repaired, notes = repair_lines(block.lines)
        lines += repaired
        split.warnings.extend(Problem(source, f"{what} (event {block.uid!r})", block.line + at) for at, what in notes)
    if renames:
        lines = [rename_all(t, renames) for t in lines]
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            components = Component.from_ical("\r\n".join(lines) + "\r\n", multiple=True)
    except Exception as exc:  # noqa: BLE001 - report and go on with the next event
        return _fail(split, source, first.line, f"event {first.uid!r} cannot be read ({short_error(exc)}); skipped")
    calendar = Calendar()
    if "X-WR-TIMEZONE" in split.calendar_props:
        calendar.add("X-WR-TIMEZONE", split.calendar_props["X-WR-TIMEZONE"])
    for component, block in zip(components, group, strict=False):
        problem = _check_component(component, block, source, profile_zone, split)
        if problem:
            split.errors.append(problem)
            continue
        calendar.add_component(component)
    if not calendar.subcomponents:
        return []
    if _too_dense(calendar, window):
        split.warnings.append(
            Problem(
                source,
                f"event {first.uid!r} repeats too often to expand (over {_MAX_STEPS:,} steps); not expanded",
                first.line,
            )
        )
        return []
    recurring = any(block.recurring for block in group)
    placed = _zone_source(first.lines, "X-WR-TIMEZONE" in split.calendar_props)
    try:
        occurrences = _occurrences(recurring_ical_events.of(calendar), window, profile_zone)
        result = []
        for index, occurrence in enumerate(occurrences):
            if index >= MAX_OCCURRENCES:
                split.warnings.append(
                    Problem(
                        source,
                        f"event {first.uid!r} has more than {MAX_OCCURRENCES} occurrences in the window; showing the first {MAX_OCCURRENCES}",
                        first.line,
                    )
                )
                break
            result.append(to_event(occurrence, source, first.line, profile_zone, extra, recurring, placed))
        return result
    except Exception as exc:  # noqa: BLE001
        return _fail(split, source, first.line, f"event {first.uid!r} cannot be expanded ({short_error(exc)}); skipped")


def _zone_source(lines: list[str], calendar_zone: bool) -> str:
    """How the first DTSTART places the event in time (see Event.zone_source)."""
    line = next((text for text in lines if text.upper().startswith("DTSTART")), "")
    head, value = _name_and_value(line)
    params = head.upper()
    if ("VALUE=DATE" in params and "DATE-TIME" not in params) or (value.isdigit() and len(value) == 8):
        return "all-day"
    tzid = next((p.split("=", 1)[1].strip('"') for p in head.split(";")[1:] if p.upper().startswith("TZID=")), "")
    utc_value = value.upper().endswith("Z")  # a 'Z' time is UTC whatever TZID stands beside it (RFC 5545 3.3.5)
    if tzid and tzid.strip("/").upper() not in ("UTC", "GMT", "ETC/UTC", "Z") and not utc_value:
        return "tzid"
    if tzid or utc_value:
        return "calendar" if calendar_zone else "utc"
    return "floating"


def _name_and_value(line: str) -> tuple[str, str]:
    """A content line's name with its parameters, and its value: the first colon outside quotes splits them."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:index], line[index + 1 :].strip()
    return line, ""


def _fail(split, source, line, message) -> list[Event]:
    split.errors.append(Problem(source, message, line))
    return []


def _check_component(component, block: Block, source: str, profile_zone: ZoneInfo, split: Split) -> Problem | None:
    """Reject what cannot be placed in time; pin unknown zones to the profile zone, with a warning."""
    if component.name != "VEVENT":
        return Problem(source, f"unexpected {component.name} where an event was expected", block.line)
    for name, message in getattr(component, "errors", []):
        if name is None and "DTSTART" in component:
            split.warnings.append(
                Problem(
                    source, f"a line could not be read and was left out: {short_error(Exception(message))}", block.line
                )
            )
            continue
        if name in (None, "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"):
            return Problem(
                source,
                f"{name or 'a line'} is broken: {short_error(Exception(message))}; event skipped",
                _line_in_block(block, name),
            )
    if "DTSTART" not in component:
        return Problem(source, "event has no DTSTART; skipped", block.line)
    for name in ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID"):
        if isinstance(component.get(name), list):
            return Problem(
                source, f"{name} appears {len(component.get(name))} times; event skipped", _line_in_block(block, name)
            )
    unknown: dict[str, str] = {}
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"):
        for prop in as_list(component.get(name)):
            tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
            if tzid and _naive(prop):
                named = named_zone(str(tzid))
                if named is None:
                    unknown.setdefault(str(tzid), name)
                _pin_zone(prop, named or profile_zone)
    for tzid, name in unknown.items():
        split.warnings.append(
            Problem(
                source, f"unknown time zone {tzid!r}; read in your zone {profile_zone.key}", _line_in_block(block, name)
            )
        )
    start, end = component.get("DTSTART").dt, component.get("DTEND")
    if end is not None and _comparable(end.dt, start) and end.dt < start:
        return Problem(source, "DTEND is before DTSTART; event skipped", _line_in_block(block, "DTEND"))
    return None


def _naive(prop) -> bool:
    values = [d.dt if hasattr(d, "dt") else d for d in getattr(prop, "dts", [prop])]
    return any(isinstance(v, datetime) and v.tzinfo is None for v in values)


def _pin_zone(prop, zone: ZoneInfo) -> None:
    for item in getattr(prop, "dts", [prop]):
        if isinstance(item.dt, datetime) and item.dt.tzinfo is None:
            item.dt = item.dt.replace(tzinfo=zone)
    prop.params.pop("TZID", None)


def _comparable(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, datetime):
        return (a.tzinfo is None) == (b.tzinfo is None)
    return True


def _line_in_block(block: Block, name: str | None) -> int:
    if name:
        for offset, text in enumerate(block.lines):
            if text.upper().startswith(name.upper()) and text[len(name) : len(name) + 1] in (":", ";"):
                return block.line + offset
    return block.line


def _too_dense(calendar, window: Window) -> bool:
    """True when any RRULE's expansion up to the window's end would be huge (see _dense_rule)."""
    for component in calendar.subcomponents:
        for rule in as_list(component.get("RRULE")):
            if _dense_rule(component, rule, window):
                return True
    return False


def _dense_rule(component, rule, window: Window) -> bool:
    """Would expanding this rule up to the window's end take more than _MAX_STEPS steps?

    The estimate counts periods from DTSTART (where the expansion begins) times the BY-lists'
    sizes, so a daily rule with sixty BYSECOND values counts as dense as a secondly one.
    """
    start = component.get("DTSTART")
    if not rule or not hasattr(rule, "get") or not hasattr(start, "dt"):
        return False
    freq = str(as_list(rule.get("FREQ"))[0]).upper() if rule.get("FREQ") else ""
    if freq not in _PERIOD:
        return False
    interval = int(as_list(rule.get("INTERVAL") or [1])[0] or 1)
    per_period = 1
    for name in _EXPANDING:
        per_period *= max(len(as_list(rule.get(name))), 1)
    periods = max((window.end - aware(start.dt, UTC)).total_seconds(), 0) / (_PERIOD[freq] * max(interval, 1))
    count = int(as_list(rule.get("COUNT"))[0]) if rule.get("COUNT") else None
    steps = periods * per_period if count is None else min(periods * per_period, count)
    return steps > _MAX_STEPS or per_period > _MAX_STEPS


def _occurrences(query, window: Window, profile_zone: ZoneInfo) -> Iterator:
    """Occurrences overlapping the window, in start order, lazily (the caller caps the count).

    The window is walked in spans that grow while sparse and shrink when crowded, never past its end.
    """
    pad = timedelta(days=2)
    low, high = window.start - pad, window.end + pad
    span, seen = timedelta(days=7), set()
    while low < high:
        upto = min(low + span, high)
        found = sorted(query.between(low, upto), key=lambda c: start_end(c, profile_zone)[0])
        for occurrence in found:
            start, end = start_end(occurrence, profile_zone)
            key = (str(occurrence.get("UID", "")), start, str(occurrence.get("RECURRENCE-ID", "")))
            if key in seen:
                continue
            seen.add(key)
            if start < window.end and (end > window.start or start >= window.start):
                yield occurrence
        if len(found) > 100:
            span = max(span / 2, timedelta(hours=1))
        elif len(found) < 20:
            span *= 2
        low = upto
