"""The instances of the simplest RRULEs, stepped directly instead of by dateutil's general machinery.

Only rules of these shapes are stepped (`stepper` returns None for any other): FREQ DAILY or WEEKLY, with
at most a BYDAY list of plain weekdays (no "1MO"), and FREQ MONTHLY or YEARLY with no BY part at all; each
with INTERVAL, COUNT or UNTIL and WKST. Those are most of the series in real calendars (every weekday, every
week, every month, birthdays), and dateutil spends some ten times longer on each of their instances.
The instances are dateutil's, time zone and fold included: a property test holds them to what
`rrulestr(rule, dtstart=start)` gives (tests/test_large_exports.py).

It also tells a rule whose day filters let no day through (`never_repeats`), for which dateutil would look
for an instance up to the year 9999.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

_WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_LAST_YEAR = 9999  # dateutil stops there


Instances = Callable[..., Iterator[datetime]]  # the instances up to a moment (and from one, if given)
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

    def instances(high: datetime, low: datetime | None = None) -> Iterator[datetime]:
        for given, moment in enumerate(candidates(high)):
            if (until is not None and moment > until) or (count is not None and given >= count):
                return
            if low is None or moment >= low:
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
        while months // 12 <= _last_year(first, high):
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
        while year <= _last_year(first, high):
            if first.month != 2 or first.day != 29 or calendar.isleap(year):
                moment = first.replace(year=year)
                if moment > high:
                    return
                yield moment
            year += interval

    return candidates


def _last_year(first: datetime, high: datetime) -> int:
    """The last year to look in: `high`'s year on `first`'s clock (a new year may start earlier there)."""
    try:
        local = high.astimezone(first.tzinfo) if first.tzinfo is not None and high.tzinfo is not None else high
    except OverflowError:
        return _LAST_YEAR
    return min(local.year, _LAST_YEAR)


_FILTERS = ("BYMONTH", "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "BYEASTER")
_ENDS = ("UNTIL", "COUNT")


def never_repeats(rule: str, start: date | datetime) -> bool:
    """Does the rule let no instance through, ever? dateutil would then look for one up to the year 9999,
    step by step (seconds for a daily rule). True only when that is certain:

    - its BYMONTH, BYMONTHDAY, BYYEARDAY, BYWEEKNO and BYEASTER parts, with its weekdays, let no day of
      any year through (BYMONTH=2;BYMONTHDAY=30, BYWEEKNO=1;BYMONTH=7);
    - its steps are whole weeks and its weekdays leave out the one it starts on (DAILY;INTERVAL=7;BYDAY=MO
      from a Tuesday);
    - its week numbers are all past 53, or its BYSETPOS all past what one step can hold.

    Ordinal weekdays are taken as their weekday. The answer depends on DTSTART's wall-clock time only, and
    is remembered for the last few rules asked about (a series is asked about by plain.py, then expand.py)."""
    return _never_repeats(rule, _wall_clock(start))


@functools.lru_cache(maxsize=256)
def _never_repeats(rule: str, start: datetime) -> bool:
    upper = rule.upper()
    stepped_days = "INTERVAL" in upper and not any(f"FREQ={f}" in upper for f in ("WEEKLY", "MONTHLY", "YEARLY"))
    if not (any(part in upper for part in _FILTERS) or (stepped_days and "BYDAY" in upper)):
        return False  # most rules: nothing to look at
    from dateutil.rrule import rrule, rrulestr

    # UNTIL and COUNT end a search that finds something; one that finds nothing goes on all the same
    unbounded = ";".join(part for part in rule.split(";") if part.split("=", 1)[0].strip().upper() not in _ENDS)
    try:
        parsed: Any = rrulestr(unbounded, dtstart=_wall_clock(start))
    except (ValueError, TypeError, OverflowError):
        return False  # what dateutil cannot read is reported where it is expanded
    if not isinstance(parsed, rrule):
        return False
    read = vars(parsed)  # dateutil's own reading of the parts, with what it takes from DTSTART
    weekdays = set(read["_byweekday"] or ()) | {day for day, _ in read["_bynweekday"] or ()}
    if read["_byweekno"] and all(abs(week) > 53 for week in read["_byweekno"]):
        return True
    if read["_bysetpos"] and all(abs(position) > _most_per_step(read) for position in read["_bysetpos"]):
        return True
    if weekdays and start.weekday() not in weekdays and _whole_weeks(read["_freq"], read["_interval"]):
        return True
    return _no_day_passes(read, weekdays)


def _wall_clock(start: date | datetime) -> datetime:
    """DTSTART as dateutil repeats it: its wall-clock time, a date from midnight."""
    if isinstance(start, datetime):
        return start.replace(tzinfo=None)
    return datetime(start.year, start.month, start.day)


def _no_day_passes(read: dict[str, Any], weekdays: set[int]) -> bool:
    """Do the rule's day filters let no day of any year through? Asked of dateutil itself, with a yearly rule
    holding only those filters from 1 January 9972: its search ends at 9999, 28 years on, and a year's days
    fall as those of one of 14 kinds of year (leap or not, and the weekday it starts on), all 14 of which
    come in any 28 years, each after a leap year or not as it can be. Easter moves within those kinds, so
    with BYEASTER each kind of Easter year from DTSTART's on is asked on its own. Ordinal weekdays are taken
    as their weekday."""
    from dateutil.rrule import WEEKLY, YEARLY, rrule

    filters = {
        "bymonth": read["_bymonth"],
        "bymonthday": (read["_bymonthday"] or ()) + (read["_bynmonthday"] or ()),
        "byyearday": read["_byyearday"],
        "byweekno": read["_byweekno"],
        "byeaster": read["_byeaster"],
    }
    given = {name: value for name, value in filters.items() if value}
    if not given:
        return False  # weekdays alone always come
    if "byeaster" in given and read["_freq"] == WEEKLY:
        return False  # a week running into January is matched against the old year's Easter: not asked here
    if weekdays:
        given["byweekday"] = tuple(sorted(weekdays))
    # Easter falls on another day in each year: one year of each kind Easter makes, each year on its own
    firsts = _easter_years(read["_dtstart"].year) if "byeaster" in given else (_PROBE_YEAR,)
    interval = _LAST_YEAR if "byeaster" in given else 1  # one step past 9999: that year alone is searched
    try:
        for first in firsts:
            probe = rrule(YEARLY, dtstart=datetime(first, 1, 1), interval=interval, wkst=read["_wkst"], **given)
            if next(iter(probe), None) is not None:
                return False
    except (ValueError, TypeError, OverflowError, IndexError):
        return False
    return True


_PROBE_YEAR = 9972  # 28 years before dateutil's last: every kind of year comes in them


def _easter_years(first: int) -> tuple[int, ...]:
    """From `first` to 9999, one year of each kind that matters to a rule with BYEASTER: the day Easter
    falls on, and whether the year and the one before it are leap years (which with Easter's Sunday fix the
    weekday each year begins on, and so its week numbers). Each kind's last year: it comes from `first` on
    if that year does."""
    return tuple(year for year in _last_of_each_easter_kind() if year >= first)


@functools.cache
def _last_of_each_easter_kind() -> tuple[int, ...]:
    from dateutil.easter import easter

    kinds: dict[tuple[int, int, bool, bool], int] = {}
    for year in range(_LAST_YEAR, 0, -1):
        sunday = easter(year)
        kinds.setdefault((sunday.month, sunday.day, calendar.isleap(year), calendar.isleap(year - 1)), year)
    return tuple(sorted(kinds.values(), reverse=True))


def _most_per_step(read: dict[str, Any]) -> int:
    """The most instances one step of the rule can hold (BYSETPOS counts within a step)."""
    from dateutil.rrule import DAILY, HOURLY, MINUTELY, MONTHLY, WEEKLY, YEARLY

    freq = read["_freq"]
    days = {YEARLY: 366, MONTHLY: 31, WEEKLY: 7}.get(freq, 1)
    weekdays = 0 if read["_bynweekday"] else len(read["_byweekday"] or ())  # plain weekdays: a few days a week
    month_days = len(read["_bymonthday"] or ()) + len(read["_bynmonthday"] or ())
    if weekdays:
        days = min(days, {YEARLY: 53, MONTHLY: 5, WEEKLY: 1}.get(freq, 1) * weekdays)
    if month_days and freq in (YEARLY, MONTHLY):
        days = min(days, month_days * (12 if freq == YEARLY else 1))
    hours = len(read["_byhour"] or ()) if freq <= DAILY else 1
    minutes = len(read["_byminute"] or ()) if freq <= HOURLY else 1
    seconds = len(read["_bysecond"] or ()) if freq <= MINUTELY else 1
    return days * max(hours, 1) * max(minutes, 1) * max(seconds, 1)


def _whole_weeks(freq: int, interval: int) -> bool:
    """Does every step move by whole weeks, so that each instance falls on the weekday of the first?"""
    from dateutil.rrule import DAILY, HOURLY, MINUTELY, SECONDLY

    per_day = {DAILY: 1, HOURLY: 24, MINUTELY: 1440, SECONDLY: 86400}.get(freq)
    return per_day is not None and interval % (7 * per_day) == 0
