"""How much notice the employer gets, and when to call."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from .config import NoticePolicy
from .model import Notice, Tier


def assess_notice(now: datetime, start: datetime, zone: ZoneInfo, policy: NoticePolicy = NoticePolicy()) -> Notice:
    """Grade the notice between `now` and an interview at `start`, business hours in `zone`."""
    hours = _hours_between(now, start)
    business = business_hours_between(now, start, zone, policy)
    return Notice(
        hours=round(hours, 2),
        business_hours=round(business, 2),
        tier=_tier(now, start, zone, hours, business, policy),
        call_at=call_at(now, start, zone, policy),
    )


def _tier(now, start, zone, hours: float, business: float, policy: NoticePolicy) -> Tier:
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
    return (b.astimezone(UTC) - a.astimezone(UTC)).total_seconds() / 3600


def business_windows(first: date, last: date, zone: ZoneInfo, policy: NoticePolicy):
    """Yield (open, close) in UTC for each working day from `first` to `last`, in `zone`."""
    day = first
    while day <= last:
        if day.weekday() in policy.workdays:
            opens = datetime.combine(day, policy.workday_start, tzinfo=zone).astimezone(UTC)
            closes = datetime.combine(day, policy.workday_end, tzinfo=zone).astimezone(UTC)
            if closes > opens:
                yield opens, closes
        day += timedelta(days=1)


def business_hours_between(now: datetime, start: datetime, zone: ZoneInfo, policy: NoticePolicy = NoticePolicy()) -> float:
    """Working hours in `zone` between `now` and `start` (0 when start is not after now)."""
    if start <= now:
        return 0.0
    lo, hi = now.astimezone(UTC), start.astimezone(UTC)
    total = timedelta()
    for opens, closes in business_windows(lo.astimezone(zone).date(), hi.astimezone(zone).date(), zone, policy):
        overlap = min(closes, hi) - max(opens, lo)
        if overlap > timedelta():
            total += overlap
    return total.total_seconds() / 3600


def call_at(now: datetime, start: datetime, zone: ZoneInfo, policy: NoticePolicy = NoticePolicy()) -> datetime:
    """Now, if the interviewer's office is open (or will not open before the start); else the next opening."""
    if start <= now:
        return now
    lo, hi = now.astimezone(UTC), start.astimezone(UTC)
    for opens, closes in business_windows(lo.astimezone(zone).date(), hi.astimezone(zone).date(), zone, policy):
        if closes <= lo:
            continue
        if opens >= hi:
            break
        return now if opens <= lo else opens.astimezone(now.tzinfo or UTC)
    return now
