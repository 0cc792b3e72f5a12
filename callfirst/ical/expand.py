"""Parse one UID's components with icalendar and expand them within the window (bounded)."""

from __future__ import annotations

import warnings as pywarnings
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..errors import short_error
from ..model import Event, Window
from ..timezones import aware, is_utc
from .budget import MAX_OCCURRENCES, PAD, walk_rules, wall_time
from .context import ReadContext
from .convert import EventFields, as_int, as_list, event_fields, occurrence_event, zone_source
from .repair import repair_lines
from .split import Block
from .steps import never_repeats
from .zones import named_zone, rename_all

if TYPE_CHECKING:
    from icalendar import Calendar, Component


_PERIOD = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3600,
    "DAILY": 86_400,
    "WEEKLY": 604_800,
    "MONTHLY": 2_678_400,
    "YEARLY": 31_622_400,
}


EXPANDING = ("BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")


_MAX_STEPS = 200_000

# One occurrence as recurring-ical-events gives it: the component it comes from, its start, its end (None
# where icalendar would find no usable end) and its SEQUENCE.
Occurrence = tuple["Component", date, date | None, int]


def read_group(group: list[Block], context: ReadContext) -> list[Event]:
    """The events in the window of one UID's blocks (a series with its moved occurrences, or the versions of
    one event), parsed by icalendar and expanded by recurring-ical-events; problems go to the context."""
    import recurring_ical_events
    from icalendar import Calendar

    first = group[0]
    calendar = Calendar()
    if context.calendar_zone is not None:
        calendar.add("X-WR-TIMEZONE", context.calendar_zone)
    kept_blocks = []
    for block in group:  # each on its own: one that cannot be read costs only itself
        component = _parsed(block, context)
        if component is None:
            continue
        if not _checked(component, block, context):
            continue
        calendar.add_component(component)
        kept_blocks.append(block)
    if not calendar.subcomponents:
        return []
    shown = _warn_of_repeated_versions(calendar.subcomponents, kept_blocks, context) or kept_blocks[0]
    window = context.window
    if _too_dense(calendar, window):
        return too_dense(context, first.uid, first.line)
    recurring = any(block.recurring for block in group)
    # How many instances the rules give in the window, as far as the budget's walk saw (None: not walked)
    inside = _affordable(calendar, window, context) if recurring else None
    if recurring and inside is None:
        return over_budget(context, first.uid, first.line)
    placed = zone_source(shown.lines, context.calendar_zone is not None)
    try:
        # keyed by id(); each entry holds its component, so no id is reused while it is remembered
        shared: dict[int, tuple[Component, EventFields, date | None]] = {}
        result = []
        for index, (component, start, end, sequence) in enumerate(
            _occurrences(recurring_ical_events.of(calendar), context, _few(calendar, recurring, inside))
        ):
            if index >= MAX_OCCURRENCES:
                too_many(context, first.uid, first.line)
                break
            known = shared.get(id(component))  # what the occurrences of one component share, read once
            if known is None:
                own = component.get("RECURRENCE-ID")
                known = shared[id(component)] = (
                    component,
                    event_fields(component, context.source, first.line, context.envelope),
                    own.dt if own is not None and hasattr(own, "dt") else None,
                )
            _, fields, own_id = known
            recurrence = None
            if recurring:
                recurrence = start if own_id is None else own_id
            result.append(occurrence_event(fields, start, end, recurrence, sequence, context.profile_zone, placed))
        return result
    except Exception as exc:  # noqa: BLE001
        context.fail(f"event {first.uid!r} cannot be expanded ({short_error(exc)}); skipped", first.line)
        return []


def _affordable(calendar: Calendar, window: Window, context: ReadContext) -> int | None:
    """walk_rules over every RRULE of the parsed components (a rule that cannot be read counts as over)."""
    rules = []
    for component in calendar.subcomponents:
        start = component.get("DTSTART")
        if hasattr(start, "dt"):
            rules += [(start.dt, rule.to_ical().decode()) for rule in as_list(component.get("RRULE"))]
    # recurring-ical-events asks dateutil for a rule's instances ten at a time (rrule's cache)
    return walk_rules(rules, window, context.budget, (_looked_past(calendar, window), 10))


def _looked_past(calendar: Calendar, window: Window) -> timedelta:
    """How much further than the window's end recurring-ical-events may look for instances of the rules: as
    far as a moved occurrence with RANGE=THISANDFUTURE starts before its RECURRENCE-ID, and up to the
    RECURRENCE-ID of a moved occurrence with rules of its own (it looks for that instance in the series)."""
    most = timedelta()
    end = wall_time(window.end)
    for component in calendar.subcomponents:
        prop = component.get("RECURRENCE-ID")
        own = getattr(prop, "dt", None)
        start = getattr(component.get("DTSTART"), "dt", None)
        if not isinstance(own, date) or not isinstance(start, date):
            continue
        if str(getattr(prop, "params", {}).get("RANGE", "")).upper() == "THISANDFUTURE":
            most = max(most, wall_time(own) - wall_time(start))
        if "RRULE" in component:
            most = max(most, wall_time(own) - end)
    return most


def over_budget(context: ReadContext, uid: str, line: int) -> list[Event]:
    """Nothing for a series the budget cannot pay for; the first such series is named in a warning."""
    refusal = context.budget.refusal(context.source, uid, line)
    if refusal is not None:
        context.split.warnings.append(refusal)
    return []


def too_many(context: ReadContext, uid: str, line: int) -> None:
    context.warn(
        f"event {uid!r} has more than {MAX_OCCURRENCES} occurrences in the window; showing the first {MAX_OCCURRENCES}",
        line,
    )


def too_dense(context: ReadContext, uid: str, line: int) -> list[Event]:
    context.warn(f"event {uid!r} repeats too often to expand (over {_MAX_STEPS:,} steps); not expanded", line)
    return []


def _few(calendar: Calendar, recurring: bool, inside: int | None) -> bool:
    """Are the group's occurrences in the window few enough to ask for all of them at once? True for one-off
    events and for series whose rules, RDATEs and moved occurrences give at most MAX_OCCURRENCES."""
    if not recurring:
        return True
    if inside is None:
        return False
    count = inside
    for component in calendar.subcomponents:
        count += 1
        for rdate in as_list(component.get("RDATE")):
            count += len(getattr(rdate, "dts", ())) or 1
    return count <= MAX_OCCURRENCES


def _parsed(block: Block, context: ReadContext) -> Component | None:
    """The block's component as icalendar reads it (its lines repaired first), or None with an error."""
    repaired, notes = repair_lines(block.lines)
    for at, what in notes:
        context.warn(f"{what} (event {block.uid!r})", block.line + at)
    renames = context.renames
    if renames:
        repaired = [rename_all(t, renames) for t in repaired]
    from icalendar import Component

    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            components = Component.from_ical("\r\n".join(repaired) + "\r\n", multiple=True)
    except Exception as exc:  # noqa: BLE001 - report and go on with the next block
        context.fail(f"event {block.uid!r} cannot be read ({short_error(exc)}); skipped", block.line)
        return None
    return components[0] if components else None


def _warn_of_repeated_versions(components: list[Component], blocks: list[Block], context: ReadContext) -> Block | None:
    """Two events with one UID, neither a moved occurrence, are two versions of one event: recurring-ical-events
    reads the one with the highest SEQUENCE (the first of those), and the others are not shown. Say so.
    The block of the event that is read (None when there is none, only moved occurrences)."""
    versions = [
        (component, block)
        for component, block in zip(components, blocks, strict=True)
        if "RECURRENCE-ID" not in component
    ]
    if len(versions) < 2:
        return versions[0][1] if versions else None
    read = max(versions, key=lambda version: as_int(version[0].get("SEQUENCE", -1)))[1]
    hidden = [block for _, block in versions if block is not read]
    for block in hidden[:_VERSIONS_NAMED]:
        context.warn(
            f"event {block.uid!r} is another version of the one at line {read.line}, which is read "
            "(the highest SEQUENCE, the first of equals); this one is not shown",
            block.line,
        )
    if len(hidden) > _VERSIONS_NAMED:
        rest = hidden[_VERSIONS_NAMED:]
        context.warn(
            f"event {rest[0].uid!r} has {len(rest)} more versions, up to line {rest[-1].line}, of the one at "
            f"line {read.line}, which is read; they are not shown",
            rest[0].line,
        )
    return read


_VERSIONS_NAMED = 5  # hidden versions of one event named one by one; the rest in one warning


def _drop_rules_that_never_repeat(component: Component, block: Block, context: ReadContext) -> None:
    """An RRULE that never repeats (BYMONTH=2;BYMONTHDAY=30) is left out, with a warning: the event keeps its
    other dates (its first, any RDATE), as recurring-ical-events gives them once dateutil has looked up to
    the year 9999 for an instance of the rule."""
    start = getattr(component.get("DTSTART"), "dt", None)
    if not isinstance(start, date):
        return  # _check_component has rejected it
    calendar_zone = context.calendar_zone
    if isinstance(start, datetime) and calendar_zone is not None and is_utc(start.tzinfo):
        # x-wr-timezone moves a time in UTC (…Z, or a TZID read as UTC) into the calendar's zone, and
        # recurring-ical-events repeats it from there (another weekday, maybe)
        start = start.astimezone(ZoneInfo(calendar_zone))
    rules = as_list(component.get("RRULE"))
    kept = [rule for rule in rules if not never_repeats(rule.to_ical().decode("utf-8", "replace"), start)]
    if len(kept) == len(rules):
        return
    del component["RRULE"]
    for rule in kept:
        component.add("RRULE", rule)
    context.warn(
        "RRULE never repeats (its BY parts and INTERVAL leave out every date); the event is read without it",
        _line_in_block(block, "RRULE"),
    )


def _checked(component: Component, block: Block, context: ReadContext) -> bool:
    """Can the component be placed in time? When it cannot, the error says why."""
    problem = _check_component(component, block, context)
    if problem is not None:
        context.fail(*problem)
    return problem is None


def _check_component(component: Component, block: Block, context: ReadContext) -> tuple[str, int] | None:
    """What makes the component impossible to place in time, and where, or None. Unknown zones are pinned to
    the profile zone, with a warning."""
    if component.name != "VEVENT":
        return f"unexpected {component.name} where an event was expected", block.line
    for name, message in getattr(component, "errors", []):
        if name is None and "DTSTART" in component:
            context.warn(f"a line could not be read and was left out: {short_error(Exception(message))}", block.line)
            continue
        if name in (None, "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"):
            return (
                f"{name or 'a line'} is broken: {short_error(Exception(message))}; event skipped",
                _line_in_block(block, name),
            )
    if "DTSTART" not in component:
        return "event has no DTSTART; skipped", block.line
    for rule in as_list(component.get("RRULE")):
        intervals = rule.get("INTERVAL") if hasattr(rule, "get") else None
        if any(not isinstance(value, int) or value < 1 for value in as_list(intervals)):
            # dateutil would step by nothing (or backwards) for ever
            return "RRULE has an INTERVAL below 1; event skipped", _line_in_block(block, "RRULE")
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        value = getattr(component.get(name), "dt", None)
        if value is not None and not isinstance(value, date):  # e.g. a duration where a time belongs
            return f"{name} is not a date or a time; event skipped", _line_in_block(block, name)
    for name in ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID"):
        if isinstance(component.get(name), list):
            return f"{name} appears {len(component.get(name))} times; event skipped", _line_in_block(block, name)
    profile_zone = context.profile_zone
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
        context.warn(f"unknown time zone {tzid!r}; read in your zone {profile_zone.key}", _line_in_block(block, name))
    start, end = component.get("DTSTART").dt, component.get("DTEND")
    if end is not None and _comparable(end.dt, start) and end.dt < start:
        return "DTEND is before DTSTART; event skipped", _line_in_block(block, "DTEND")
    if "SEQUENCE" in component and not isinstance(component["SEQUENCE"], int):
        del component["SEQUENCE"]  # not a number icalendar can hold (2147483648): read as none, as as_int does
    if not context.budget.exhausted:  # else no rule is expanded: none is looked at
        _drop_rules_that_never_repeat(component, block, context)
    return None


def _naive(prop: object) -> bool:
    values = [d.dt if hasattr(d, "dt") else d for d in getattr(prop, "dts", [prop])]
    return any(isinstance(v, datetime) and v.tzinfo is None for v in values)


def _pin_zone(prop: Any, zone: ZoneInfo) -> None:
    for item in getattr(prop, "dts", [prop]):
        if isinstance(item.dt, datetime) and item.dt.tzinfo is None:
            item.dt = item.dt.replace(tzinfo=zone)
    prop.params.pop("TZID", None)


def _comparable(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, datetime) and isinstance(b, datetime):
        return (a.tzinfo is None) == (b.tzinfo is None)
    return True


def _line_in_block(block: Block, name: str | None) -> int:
    if name:
        for offset, text in enumerate(block.lines):
            if text.upper().startswith(name.upper()) and text[len(name) : len(name) + 1] in (":", ";"):
                return block.line + offset
    return block.line


def _too_dense(calendar: Calendar, window: Window) -> bool:
    """True when any RRULE's expansion up to the window's end would be huge (see _dense_rule)."""
    for component in calendar.subcomponents:
        for rule in as_list(component.get("RRULE")):
            if _dense_rule(component, rule, window):
                return True
    return False


def _dense_rule(component: Component, rule: Any, window: Window) -> bool:
    start = component.get("DTSTART")
    if not rule or not hasattr(rule, "get") or not hasattr(start, "dt"):
        return False
    freq = str(as_list(rule.get("FREQ"))[0]).upper() if rule.get("FREQ") else ""
    if freq not in _PERIOD:
        return False
    interval = int(as_list(rule.get("INTERVAL") or [1])[0] or 1)
    per_period = 1
    for name in EXPANDING:
        per_period *= max(len(as_list(rule.get(name))), 1)
    count = int(as_list(rule.get("COUNT"))[0]) if rule.get("COUNT") else None
    return dense(freq, interval, per_period, count, start.dt, window)


def dense(freq: str, interval: int, per_period: int, count: int | None, start: date, window: Window) -> bool:
    """Would expanding a rule up to the window's end take more than _MAX_STEPS steps?

    The estimate counts periods from DTSTART (where the expansion begins) times the BY-lists' sizes
    (`per_period`), so a daily rule with sixty BYSECOND values counts as dense as a secondly one.
    """
    if freq not in _PERIOD:
        return False
    periods = max((window.end - aware(start, UTC)).total_seconds(), 0) / (_PERIOD[freq] * max(interval, 1))
    steps = periods * per_period if count is None else min(periods * per_period, count)
    return steps > _MAX_STEPS or per_period > _MAX_STEPS


def _occurrences(query: Any, context: ReadContext, few: bool = False) -> Iterator[Occurrence]:
    """(component, start, end, sequence) of the occurrences overlapping the window, in start order, lazily.

    The component is the one the occurrence comes from (the series or a moved occurrence), never a
    copy; `end` is None where icalendar would find no usable end. With `few` (the occurrences are known
    to be few) the window is asked for at once; otherwise it is walked in spans that grow while sparse
    and shrink when crowded, never past its end.
    """
    window, profile_zone = context.window, context.profile_zone
    low, high = window.start - PAD, window.end + PAD
    span = high - low if few else timedelta(days=7)
    seen: set[tuple[str, datetime, date]] = set()
    # per component: itself (so its id is not reused while remembered), its UID and its own RECURRENCE-ID
    identity: dict[int, tuple[Component, str, date | None]] = {}
    while low < high:
        upto = min(low + span, high)
        found = sorted(_between(query, low, upto), key=lambda o: aware(o[1], profile_zone))
        for occurrence in found:
            component, start, end, _ = occurrence
            start_at = aware(start, profile_zone)
            end_at = start_at if end is None else aware(end, profile_zone)
            known = identity.get(id(component))
            if known is None:
                own = component.get("RECURRENCE-ID")
                known = identity[id(component)] = (
                    component,
                    str(component.get("UID", "")),
                    own.dt if own is not None and hasattr(own, "dt") else None,
                )
            key = (known[1], start_at, start if known[2] is None else known[2])
            if key in seen:
                continue
            seen.add(key)
            if context.shows(start_at, end_at):
                yield occurrence
        if len(found) > 100:
            span = max(span / 2, timedelta(hours=1))
        elif len(found) < 20:
            span *= 2
        low = upto


def _between(query: Any, low: datetime, high: datetime) -> list[Occurrence]:
    """recurring-ical-events' occurrences between low and high, without copying a component for each."""
    occurrences = getattr(query, "_occurrences_between", None)
    if occurrences is None:  # another version: its copies, read back
        return [(c, c.start, _end(c), as_int(c.get("SEQUENCE"))) for c in query.between(low, high)]
    result: list[Occurrence] = []
    for occurrence in occurrences(low, high):
        component = occurrence._adapter._component
        start, end = occurrence.start, occurrence.end
        # icalendar refuses an end of another kind than the start (date or date-time): no end, as on a copy
        end = end if isinstance(end, datetime) == isinstance(start, datetime) else None
        sequence = occurrence.sequence if occurrence.sequence >= 0 else as_int(component.get("SEQUENCE"))
        result.append((component, start, end, sequence))
    return result


def _end(component: Any) -> date | None:
    try:
        end: date = component.end
        return end
    except Exception:  # noqa: BLE001 - icalendar raises when neither DTEND nor DURATION is usable
        return None
