"""The instances of the simplest RRULEs, stepped directly instead of by dateutil's general machinery.

Only rules of these shapes are stepped (`stepper` returns None for any other): FREQ DAILY or WEEKLY, with
at most a BYDAY list of plain weekdays (no "1MO"), and FREQ MONTHLY or YEARLY with no BY part at all; each
with INTERVAL, COUNT or UNTIL and WKST. Those are most of the series in real calendars (every weekday, every
week, every month, birthdays), and dateutil spends some ten times longer on each of their instances.
The instances are dateutil's, time zone and fold included: a property test holds them to what
`rrulestr(rule, dtstart=start)` gives (tests/test_large_exports.py).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

_WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_LAST_YEAR = 9999  # dateutil stops there


Instances = Callable[[datetime], Iterator[datetime]]  # the instances up to a moment
Candidates = Callable[[datetime], Iterator[datetime]]  # the days the rule's filters pass, up to a moment


def stepper(parts: dict[str, str], start: datetime, until: datetime | None) -> Instances | None:
    """A function giving the rule's instances up to a moment, in order, when the rule is of a shape stepped
    here; None otherwise. `parts` are the RRULE's parts as written, `start` the DTSTART dateutil starts
    from (a time in a zone, or midnight without a zone for a date), `until` UNTIL as dateutil reads it."""
    freq = parts["FREQ"]
    if set(parts) - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY"}:
        return None
    weekdays: frozenset[int] = frozenset()
    if "BYDAY" in parts:
        if freq not in ("DAILY", "WEEKLY") or not all(day in _WEEKDAYS for day in parts["BYDAY"].split(",")):
            return None
        weekdays = frozenset(_WEEKDAYS[day] for day in parts["BYDAY"].split(","))
    interval = int(parts.get("INTERVAL", "1"))
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    first = start.replace(fold=0)  # dateutil builds each instance from the date and the time, fold 0
    if freq == "DAILY":
        candidates = _daily(first, interval, weekdays)
    elif freq == "WEEKLY":
        candidates = _weekly(first, interval, weekdays or frozenset((first.weekday(),)), _wkst(parts))
    elif freq == "MONTHLY":
        candidates = _monthly(first, interval)
    elif freq == "YEARLY":
        candidates = _yearly(first, interval)
    else:
        return None

    def instances(high: datetime) -> Iterator[datetime]:
        for given, moment in enumerate(candidates(high)):
            if (until is not None and moment > until) or (count is not None and given >= count):
                return
            yield moment

    return instances


def _wkst(parts: dict[str, str]) -> int:
    return _WEEKDAYS[parts.get("WKST", "MO")]


def _daily(first: datetime, interval: int, weekdays: frozenset[int]) -> Candidates:
    def candidates(high: datetime) -> Iterator[datetime]:
        step = timedelta(days=interval)
        moment = first
        while moment <= high:
            if not weekdays or moment.weekday() in weekdays:
                yield moment
            try:
                moment += step
            except OverflowError:
                return

    return candidates


def _weekly(first: datetime, interval: int, weekdays: frozenset[int], wkst: int) -> Candidates:
    """Every `interval`-th week (weeks begin on `wkst`, counted from the one holding `first`), on `weekdays`."""

    def candidates(high: datetime) -> Iterator[datetime]:
        week = first - timedelta(days=(first.weekday() - wkst) % 7)
        offsets = [timedelta(days=offset) for offset in sorted((day - wkst) % 7 for day in weekdays)]
        step = timedelta(days=7 * interval)
        while week <= high:
            for offset in offsets:
                moment = week + offset
                if moment > high:
                    return
                if moment >= first:
                    yield moment
            try:
                week += step
            except OverflowError:
                return

    return candidates


def _monthly(first: datetime, interval: int) -> Candidates:
    """The day of `first` in every `interval`-th month that has it."""

    def candidates(high: datetime) -> Iterator[datetime]:
        months = first.year * 12 + first.month - 1
        while months // 12 <= min(high.year, _LAST_YEAR):
            year, month = divmod(months, 12)
            if first.day <= calendar.monthrange(year, month + 1)[1]:
                moment = first.replace(year=year, month=month + 1)
                if moment > high:
                    return
                yield moment
            months += interval

    return candidates


def _yearly(first: datetime, interval: int) -> Candidates:
    """The month and day of `first` in every `interval`-th year that has it (29 February)."""

    def candidates(high: datetime) -> Iterator[datetime]:
        year = first.year
        while year <= min(high.year, _LAST_YEAR):
            if first.month != 2 or first.day != 29 or calendar.isleap(year):
                moment = first.replace(year=year)
                if moment > high:
                    return
                yield moment
            year += interval

    return candidates
