"""A plain group of one UID read straight from its lines: a one-off event, or a series with its moved
occurrences expanded with dateutil the way recurring-ical-events expands it.

Only a narrow shape is accepted: plain VEVENTs (see simple.py), at most one RRULE of a simple form on
the series and any number of EXDATEs, moved occurrences with a RECURRENCE-ID and nothing recurring of
their own, all timed one way (dates, or times placed in a zone). Anything else returns None and goes
the usual way (icalendar and recurring-ical-events). A property test holds this to exactly what the
usual way gives (tests/test_large_exports.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from itertools import chain, takewhile
from operator import itemgetter

from ..model import Event, Window
from ..timezones import aware
from .budget import MAX_OCCURRENCES, PAD, charge_series
from .context import ReadContext
from .convert import EventFields, occurrence_event, zone_source
from .expand import EXPANDING, dense, over_budget, too_many
from .lines import Zones
from .simple import Plain, plain_fields, plain_properties, plain_sequence, plain_span, plain_time
from .split import Block
from .steps import never_repeats, stepper

_YEARS = (1000, 8000)  # far from the ends of what datetime holds
_ONCE = frozenset(("RRULE", "RECURRENCE-ID"))
_MANY = frozenset(("EXDATE",))
_DAY = r"[+-]?[1-5]?(?:MO|TU|WE|TH|FR|SA|SU)"
_MONTH_DAY = r"-?(?:[1-9]|[12][0-9]|3[01])"
_RULE_PARTS = {
    "FREQ": re.compile(r"DAILY|WEEKLY|MONTHLY|YEARLY"),
    "INTERVAL": re.compile(r"[1-9][0-9]{0,3}"),
    "COUNT": re.compile(r"[1-9][0-9]{0,5}"),
    "UNTIL": re.compile(r"[0-9]{8}(?:T[0-9]{6}Z)?"),
    "BYDAY": re.compile(rf"{_DAY}(?:,{_DAY})*"),
    "BYMONTHDAY": re.compile(rf"{_MONTH_DAY}(?:,{_MONTH_DAY})*"),
    "BYMONTH": re.compile(r"(?:[1-9]|1[0-2])(?:,(?:[1-9]|1[0-2]))*"),
    "WKST": re.compile(r"MO|TU|WE|TH|FR|SA|SU"),
}


# One occurrence of a plain series: the block it comes from, its start, its end and its RECURRENCE-ID.
Occurrence = tuple[Plain, date, date, date]


def plain_group(group: list[Block], context: ReadContext) -> list[Event] | None:
    """The group's events in the window, or None when it is not of the plain shape."""
    zones, seen = context.zones, context.seen
    if not zones.usable:
        return None
    parts = []
    for block in group:
        plain = plain_properties(block.lines, seen, _ONCE, _MANY)
        if plain is None:
            return None
        parts.append(plain)
    sequences = [plain_sequence(part.props) for part in parts]
    if None in sequences:
        return None
    first = group[0]
    # placed as the event is: its master, not a moved occurrence written before it
    master = next((block for block, part in zip(group, parts, strict=True) if "RECURRENCE-ID" not in part.props), first)
    placed = zone_source(master.lines, zones.calendar_zone is not None)
    if len(parts) == 1 and not (_ONCE & parts[0].props.keys()) and not parts[0].many:
        return _one_off(parts[0], first.line, placed, context)
    if context.budget.exhausted:
        return None  # not expanded: the usual way says so
    window, profile_zone = context.window, context.profile_zone
    series = _Series.read(parts, zones)
    if series is None or dense(series.freq, series.interval, series.per_period, series.count, series.start, window):
        return None  # the usual way reads it, and says why when it cannot
    if not charge_series([(series.start, series.rule)], window, context.budget, series.stepped):
        return over_budget(context, first.uid, first.line)
    sequence = max(max(s for s in sequences if s is not None), 0)
    found = []

    def begun(start: date) -> bool:
        return aware(start, profile_zone) >= window.start

    for part, start, end, recurrence in series.occurrences(window, begun, MAX_OCCURRENCES + 1):
        start_at, end_at = aware(start, profile_zone), aware(end, profile_zone)
        if context.shows(start_at, end_at):
            found.append((start_at, part, start, end, recurrence))
    found.sort(key=itemgetter(0))
    if len(found) > MAX_OCCURRENCES:
        too_many(context, first.uid, first.line)
        del found[MAX_OCCURRENCES:]
    fields: dict[int, EventFields] = {}
    events = []
    for _, part, start, end, recurrence in found:
        shared = fields.get(id(part))
        if shared is None:
            shared = fields[id(part)] = plain_fields(part, first.line, context)
        events.append(occurrence_event(shared, start, end, recurrence, sequence, profile_zone, placed))
    return events


def _one_off(plain: Plain, line: int, placed: str, context: ReadContext) -> list[Event] | None:
    times = plain_span(plain.props, context.zones)
    sequence = plain_sequence(plain.props)
    if times is None or sequence is None:
        return None
    fields = plain_fields(plain, line, context)
    event = occurrence_event(fields, times[0], times[1], None, max(sequence, 0), context.profile_zone, placed)
    return [event] if context.shows(event.start, event.end) else []


class _Series:
    """One RRULE series and its moved occurrences, with every time read and checked to be of one kind."""

    def __init__(
        self,
        master: Plain,
        start: date,
        end: date,
        rule: str,
        parts: dict[str, str],
        moved: list[Occurrence],
        exdates: list[date],
    ) -> None:
        self.master, self.start, self.end, self.rule = master, start, end, rule
        self.timed = isinstance(start, datetime)
        # recurring-ical-events expands a date series from midnight, as a time without a zone
        self.base = start if isinstance(start, datetime) else datetime(start.year, start.month, start.day)
        until = _until(parts["UNTIL"]) if "UNTIL" in parts else None
        # of the start's kind (read() has made sure), a date as midnight
        self.until = (
            until if until is None or isinstance(until, datetime) else datetime(until.year, until.month, until.day)
        )
        stepped = stepper(parts, self.base, self.until)
        self.stepped = stepped is not None  # by steps.py (else by dateutil)
        self.between = _between(rule, self.base, stepped)
        self.freq = parts["FREQ"]
        self.interval = int(parts.get("INTERVAL", "1"))
        self.count = int(parts["COUNT"]) if "COUNT" in parts else None
        self.per_period = 1
        for name in EXPANDING:
            if name in parts:
                self.per_period *= len(parts[name].split(","))
        self.moved = moved
        self.exdates = exdates

    @classmethod
    def read(cls, parts: list[Plain], zones: Zones) -> _Series | None:
        masters = [part for part in parts if "RECURRENCE-ID" not in part.props]
        if len(masters) != 1 or "RRULE" not in masters[0].props:
            return None
        master = masters[0]
        rule_params, rule = master.props["RRULE"]
        parsed = _rule_parts(rule)
        if rule_params or parsed is None:
            return None
        span = plain_span(master.props, zones)
        if span is None or not _placed(span[0]):
            return None
        params, value = master.props["DTSTART"]
        if zones.calendar_zone is not None and "TZID" not in params and len(value) > 8 and value[-1:] not in "Zz":
            return None  # a floating time the calendar's zone placed: the budget walks it unplaced, the usual way
        timed = isinstance(span[0], datetime)
        if not all(_YEARS[0] <= v.year <= _YEARS[1] for v in span):
            return None  # checked again below with the other times; first, as never_repeats takes longer
        if never_repeats(rule, span[0]):
            return None  # the usual way reads it without that rule, and says why
        until = parsed.get("UNTIL")
        if until is not None and (len(until) == 16) != timed:
            return None  # recurring-ical-events rewrites such an UNTIL first
        moved: list[Occurrence] = []
        for part in parts:
            if part is master:
                continue
            if "RRULE" in part.props or part.many:
                return None
            times = plain_span(part.props, zones)
            recurrence = plain_time(*part.props["RECURRENCE-ID"], zones)
            if times is None or recurrence is None or not all(_same_kind(v, timed) for v in (*times, recurrence)):
                return None
            moved.append((part, times[0], times[1], recurrence))
        exdates: list[date] = []
        for params, value in master.many.get("EXDATE", []):
            for item in value.split(","):
                moment = plain_time(params, item, zones)
                if moment is None or not _same_kind(moment, timed):
                    return None
                exdates.append(moment)
        if not cls.unambiguous(moved) or not all(
            _YEARS[0] <= v.year <= _YEARS[1] for v in (*span, *exdates, *_times(moved))
        ):
            return None
        try:
            return cls(master, span[0], span[1], rule, parsed, moved, exdates)
        except (ValueError, TypeError, OverflowError):
            return None  # a rule or UNTIL dateutil or icalendar cannot read: the usual way says so

    def occurrences(self, window: Window, begun: Callable[[date], bool], enough: int) -> Iterator[Occurrence]:
        """(part, start, end, recurrence id) of every occurrence near the window, as recurring-ical-events
        gives them: DTSTART and the rule's instances up to UNTIL, less EXDATEs, moved ones replaced.

        The rule's instances stop once `enough` of them have `begun` no earlier than the window: any later
        one starts after those, and only the first `enough - 1` by start are shown (those starting past the
        window's end are not shown at all). Instances come in order, so once one has begun in time every later
        one has too, and the test is asked no more. Moved occurrences all come."""
        from recurring_ical_events.util import convert_to_date, get_any, to_recurrence_ids

        timed, base, until = self.timed, self.base, self.until
        length = self.end - self.start
        low = window.start - PAD - abs(length) - timedelta(days=1)
        high = window.end + PAD
        if not timed:
            low, high = _naive_utc(low), _naive_utc(high)
        first = [base] if until is None or not base > until else []

        excluded: set[date] = set()
        excluded_days: set[date] = set()
        for moment in self.exdates:
            excluded.update(to_recurrence_ids(moment))
            if not timed:
                excluded_days.add(moment)
        by_id: dict[date, int] = {}
        for index, (_, _, _, recurrence) in enumerate(self.moved):
            for key in to_recurrence_ids(recurrence):
                by_id[key] = index
        used: set[int] = set()
        started = False
        for moment in chain(first, self.between(low, high)):
            if until is not None and moment > until:
                break  # the instances come in order: every later one is past UNTIL too
            if moment is not base and moment == base:
                continue  # DTSTART is an instance of the rule too: given once
            if excluded or by_id:  # a plain series has neither, and needs no recurrence ids
                ids = to_recurrence_ids(moment)
                if (excluded_days and convert_to_date(moment) in excluded_days) or excluded.intersection(ids):
                    continue
                index = get_any(by_id, ids, None)
                if index is not None:
                    if index not in used:
                        used.add(index)
                        yield self.moved[index]
                    continue
            start: date = moment if timed else convert_to_date(moment)
            end: date = moment + length if timed else convert_to_date(moment + length)
            yield self.master, start, end, start
            if started or begun(start):
                started = True
                enough -= 1
                if not enough:
                    break
        for index, (part, start, end, recurrence) in enumerate(self.moved):
            if index not in used and not excluded.intersection(to_recurrence_ids(recurrence)):
                yield part, start, end, recurrence

    @staticmethod
    def unambiguous(moved: list[Occurrence]) -> bool:
        from recurring_ical_events.util import to_recurrence_ids

        keys = [key for _, _, _, recurrence in moved for key in set(to_recurrence_ids(recurrence))]
        return len(keys) == len(set(keys))


Between = Callable[[datetime, datetime], Iterator[datetime]]  # instances from one moment to another


def _between(rule: str, start: datetime, stepped: Callable[..., Iterator[datetime]] | None) -> Between:
    """The rule's instances from one moment to another, both included: `stepped` when the rule is simple,
    else from dateutil (which raises on a rule it cannot read)."""
    if stepped is not None:
        return lambda low, high: stepped(high, low)
    from dateutil.rrule import rrulestr

    expansion: Iterable[datetime] = rrulestr(rule, dtstart=start)  # what its between(low, high, inc=True) gives
    return lambda low, high: (moment for moment in takewhile(lambda moment: moment <= high, expansion) if moment >= low)


def _until(value: str) -> date:
    """An RRULE's UNTIL as icalendar reads it."""
    from icalendar.prop import vDDDTypes

    until: date = vDDDTypes.from_ical(value)  # type: ignore[no-untyped-call]
    return until


def _rule_parts(rule: str) -> dict[str, str] | None:
    """An RRULE's parts when each is known, given once and plainly written, with FREQ and not both COUNT and UNTIL."""
    parts: dict[str, str] = {}
    for piece in rule.split(";"):
        name, equals, value = piece.partition("=")
        pattern = _RULE_PARTS.get(name)
        if not equals or pattern is None or name in parts or not pattern.fullmatch(value):
            return None
        parts[name] = value
    if "FREQ" not in parts or ("COUNT" in parts and "UNTIL" in parts):
        return None
    return parts


def _placed(value: date) -> bool:
    """A date, or a time placed in a zone (a floating time is left to the usual way)."""
    return not isinstance(value, datetime) or value.tzinfo is not None


def _same_kind(value: date, timed: bool) -> bool:
    return isinstance(value, datetime) == timed and _placed(value)


def _times(moved: list[Occurrence]) -> list[date]:
    return [value for _, start, end, recurrence in moved for value in (start, end, recurrence)]


def _naive_utc(moment: datetime) -> datetime:
    from datetime import UTC

    return moment.astimezone(UTC).replace(tzinfo=None)
