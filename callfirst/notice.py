"""How much notice the employer gets, and when to call."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import TypeVar

from .config import NoticePolicy
from .model import Notice, Tier

_T = TypeVar("_T")


def assess_notice(now: datetime, start: datetime, zone: tzinfo, policy: NoticePolicy = NoticePolicy()) -> Notice:
    """Grade the notice between `now` and an interview at `start`, business hours in `zone`."""
    hours = _hours_between(now, start)
    if start <= now:  # most of a whole calendar: no business hours, nothing to wait for
        return Notice(round(hours, 2), 0.0, Tier.PAST, now)
    business = business_hours_between(now, start, zone, policy)
    return Notice(
        hours=round(hours, 2),
        business_hours=round(business, 2),
        tier=_tier(now, start, zone, hours, business, policy),
        call_at=call_at(now, start, zone, policy),
    )


def past_notice(now: datetime, since_now: timedelta) -> Notice:
    """The notice of an event that started `since_now` (not after) `now`: what assess_notice gives it."""
    return Notice(round(since_now.total_seconds() / 3600, 2), 0.0, Tier.PAST, now)


def _tier(now: datetime, start: datetime, zone: tzinfo, hours: float, business: float, policy: NoticePolicy) -> Tier:
    if now >= start:
        return Tier.PAST
    if hours < policy.urgent_hours or now.astimezone(zone).date() == start.astimezone(zone).date():
        return Tier.URGENT
    if hours < policy.late_hours or business < policy.late_business_hours:
        return Tier.LATE
    if hours < policy.short_hours or business < policy.short_business_hours:
        return Tier.SHORT
    return Tier.OK


def _hours_between(a: datetime, b: datetime) -> float:
    # b's zone is never the very zone of a in UTC unless b is in UTC too: the difference is between instants
    return (b - a.astimezone(UTC)).total_seconds() / 3600


def business_windows(
    first: date, last: date, zone: tzinfo, policy: NoticePolicy
) -> Iterator[tuple[datetime, datetime]]:
    """Yield (open, close) in UTC for each working day from `first` to `last`, in `zone`."""
    window_of = _window if _hashable(zone, policy) else _window.__wrapped__
    day = first
    while day <= last:
        window = window_of(day, zone, policy)
        if window is not None:
            yield window
        day += timedelta(days=1)


def _hashable(*keys: object) -> bool:
    try:
        hash(keys)
    except TypeError:  # dateutil's zones, for one, and a policy given lists
        return False
    return True


@lru_cache(maxsize=8192)
def _window(day: date, zone: tzinfo, policy: NoticePolicy) -> tuple[datetime, datetime] | None:
    """One day's (open, close) in UTC, None on a day off; remembered, as the events of a calendar share days."""
    if day.weekday() not in policy.workdays:
        return None
    opens = datetime.combine(day, policy.workday_start, tzinfo=zone).astimezone(UTC)
    closes = datetime.combine(day, policy.workday_end, tzinfo=zone).astimezone(UTC)
    return (opens, closes) if closes > opens else None


def business_hours_between(
    now: datetime, start: datetime, zone: tzinfo, policy: NoticePolicy = NoticePolicy()
) -> float:
    """Working hours in `zone` between `now` and `start` (0 when start is not after now).

    The first and last week are counted window by window; whole weeks in between by arithmetic,
    so an interview years away costs no more than one a month away.
    """
    if start <= now:
        return 0.0
    lo, hi = now.astimezone(UTC), start.astimezone(UTC)
    first, last = lo.astimezone(zone).date(), hi.astimezone(zone).date()
    edge = timedelta(days=7)
    if last - first <= 3 * edge:
        return _overlap_hours(lo, hi, business_windows(first, last, zone, policy))
    middle_first, middle_last = first + edge, last - edge
    hours = _from_now(_first_week_hours, lo, zone, policy)  # these windows all close before `hi`
    hours += _overlap_hours(lo, hi, business_windows(middle_last + timedelta(days=1), last, zone, policy))
    return hours + _workday_hours(middle_first, middle_last, policy)


def _from_now(
    work: Callable[[datetime, tzinfo, NoticePolicy], _T], lo: datetime, zone: tzinfo, policy: NoticePolicy
) -> _T:
    """What depends only on now (as `lo`, in UTC), the zone and the policy, remembered: every event of a
    calendar asks the same."""
    return _remembered(work, lo, zone, policy) if _hashable(zone, policy) else work(lo, zone, policy)


@lru_cache(maxsize=256)
def _remembered(
    work: Callable[[datetime, tzinfo, NoticePolicy], _T], lo: datetime, zone: tzinfo, policy: NoticePolicy
) -> _T:
    return work(lo, zone, policy)


def _first_week_hours(lo: datetime, zone: tzinfo, policy: NoticePolicy) -> float:
    """Working hours after `lo` in the seven days from its date in `zone`."""
    first = lo.astimezone(zone).date()
    return _overlap_hours(lo, _NEVER, business_windows(first, first + timedelta(days=6), zone, policy))


_NEVER = datetime.max.replace(tzinfo=UTC)


def _next_window(lo: datetime, zone: tzinfo, policy: NoticePolicy) -> tuple[datetime, datetime] | None:
    """The first working window that closes after `lo`, looked for in the nine days from its date."""
    first = lo.astimezone(zone).date()
    for opens, closes in business_windows(first, first + timedelta(days=8), zone, policy):
        if closes > lo:
            return opens, closes
    return None


def _overlap_hours(lo: datetime, hi: datetime, windows: Iterable[tuple[datetime, datetime]]) -> float:
    total = timedelta()
    for opens, closes in windows:
        overlap = min(closes, hi) - max(opens, lo)
        if overlap > timedelta():
            total += overlap
    return total.total_seconds() / 3600


def _workday_hours(first: date, last: date, policy: NoticePolicy) -> float:
    """Nominal working hours of the workdays from `first` to `last` (a clock change inside working hours is ignored)."""
    length = datetime.combine(first, policy.workday_end) - datetime.combine(first, policy.workday_start)
    if length <= timedelta():
        return 0.0
    days = (last - first).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * len(policy.workdays)
    count += sum(1 for i in range(rest) if (first + timedelta(days=weeks * 7 + i)).weekday() in policy.workdays)
    return count * length.total_seconds() / 3600


def call_at(now: datetime, start: datetime, zone: tzinfo, policy: NoticePolicy = NoticePolicy()) -> datetime:
    """Now, if the interviewer's office is open (or will not open before the start); else the next opening."""
    if start <= now:
        return now
    lo, hi = now.astimezone(UTC), start.astimezone(UTC)
    window = _from_now(_next_window, lo, zone, policy)
    windows = (
        [window] if window else business_windows(lo.astimezone(zone).date(), hi.astimezone(zone).date(), zone, policy)
    )
    for opens, closes in windows:
        if closes <= lo:
            continue
        if opens >= hi:
            break
        return now if opens <= lo else opens.astimezone(now.tzinfo or UTC)
    return now


def hours_text(hours: float) -> str:
    """Hours of notice as every view writes them: to the tenth under 100 ('24.5', '8', '0.3'), whole above."""
    if hours >= 100:
        return f"{hours:.0f}"
    return f"{hours:.1f}".removesuffix(".0")
