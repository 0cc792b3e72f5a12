"""Times the user offers (`--propose`) or agreed on the phone (`--agreed`): checked before any email names
them. Pure: `now`, zones, working hours and busy times are parameters.

A time that cannot be offered is an error naming it: a date without a time, a time in the past, one inside
the interview itself, one the clocks skip in the owner's zone. A time that can be offered but may not suit
gets a warning: a weekend or outside the interviewer's working hours, outside the owner's waking hours, a
clash with the owner's calendar, less than one working day away, a public holiday on either side.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from .config import NoticePolicy, SlotSettings
from .errors import ProposalError
from .model import Event, Window
from .notice import business_hours_between, business_windows
from .public_holidays import Holidays
from .timetext import when_text

DEFAULT_WAKING = (time(8), time(20))


@dataclass(frozen=True)
class Checked:
    """The times as slots of the interview's real length, and what may not suit about them."""

    slots: tuple[Window, ...]
    warnings: tuple[tuple[str, str], ...]  # (the option and value, what may not suit)


def interview_length(event: Event, settings: SlotSettings = SlotSettings()) -> timedelta:
    """The interview's length in absolute time; `default_minutes` for an all-day or zero-length one."""
    length = event.end.astimezone(UTC) - event.start.astimezone(UTC)
    if event.all_day or length <= timedelta():
        return timedelta(minutes=settings.default_minutes)
    return length


def slot_at(start: datetime, length: timedelta) -> Window:
    """A slot of `length` in absolute time, so a clock change inside it never stretches or shrinks it."""
    return Window(start, (start.astimezone(UTC) + length).astimezone(start.tzinfo))


def check_times(
    values: Sequence[date | datetime],
    *,
    option: str,
    event: Event,
    now: datetime,
    owner_zone: tzinfo,
    their_zone: tzinfo,
    length: timedelta,
    policy: NoticePolicy = NoticePolicy(),
    waking: tuple[time, time] = DEFAULT_WAKING,
    busy: Iterable[tuple[Window, str]] = (),
    holidays: Holidays | None = None,
) -> Checked:
    """Each value as a slot; ProposalError for the first that cannot be offered."""
    busy = tuple(busy)
    slots, warnings = [], []
    for value in values:
        named = f"{option} {_as_typed(value)}"
        start = _placed(value, owner_zone, named)
        slot = slot_at(start, length)
        _refuse_impossible(slot, event, now, named)
        if isinstance(value, datetime) and value.tzinfo is None and _happens_twice(value, owner_zone):
            warnings.append((named, "happens twice on your clock (the clocks go back); the first is meant"))
        warnings += [(named, text) for text in _doubts(slot, now, owner_zone, their_zone, policy, waking, busy)]
        holiday = holidays.on(slot) if holidays is not None else None
        if holiday:
            warnings.append((named, f"falls on a public holiday: {holiday}"))
        slots.append(slot)
    return Checked(tuple(slots), tuple(warnings))


def _as_typed(value: date | datetime) -> str:
    """'2026-12-08T09:30' as a person types it (no ':00' seconds)."""
    if isinstance(value, datetime) and not value.second and not value.microsecond:
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def _placed(value: date | datetime, zone: tzinfo, named: str) -> datetime:
    """The value as an aware moment: a naive time is the owner's, and must exist on their clock."""
    if not isinstance(value, datetime):
        raise ProposalError(f"{named} is a date without a time of day; give one, e.g. {value.isoformat()}T10:00")
    if value.tzinfo is not None:
        return value
    placed = value.replace(tzinfo=zone)
    if placed.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise ProposalError(f"{named} does not exist in {getattr(zone, 'key', zone)}: the clocks skip that hour")
    return placed


def _happens_twice(value: datetime, zone: tzinfo) -> bool:
    return value.replace(tzinfo=zone, fold=0).utcoffset() != value.replace(tzinfo=zone, fold=1).utcoffset()


def _refuse_impossible(slot: Window, event: Event, now: datetime, named: str) -> None:
    if slot.start <= now:
        raise ProposalError(f"{named} is in the past")
    if slot.start < event.end and slot.end > event.start:
        raise ProposalError(
            f"{named} falls inside the interview itself ({when_text(event.start, event.start.tzinfo or UTC)})"
        )


def _doubts(
    slot: Window,
    now: datetime,
    owner_zone: tzinfo,
    their_zone: tzinfo,
    policy: NoticePolicy,
    waking: tuple[time, time],
    busy: tuple[tuple[Window, str], ...],
) -> list[str]:
    doubts = []
    theirs = slot.start.astimezone(their_zone)
    if not _inside_working_hours(slot, their_zone, policy):
        what = "a weekend day" if theirs.weekday() not in policy.workdays else "outside the interviewer's working hours"
        doubts.append(f"is {what} ({theirs:%a %H:%M} for them)")
    mine_start, mine_end = slot.start.astimezone(owner_zone), slot.end.astimezone(owner_zone)
    if mine_start.time() < waking[0] or mine_end.time() > waking[1] or mine_end.date() != mine_start.date():
        doubts.append(f"is outside your waking hours ({mine_start:%H:%M}–{mine_end:%H:%M} for you)")
    for window, what in busy:
        if window.start < slot.end and window.end > slot.start:
            doubts.append(f"clashes with {what!r} in your calendar")
            break
    workday = datetime.combine(date.min, policy.workday_end) - datetime.combine(date.min, policy.workday_start)
    if business_hours_between(now, slot.start, their_zone, policy) < workday.total_seconds() / 3600:
        doubts.append("is less than one working day away for the interviewer")
    return doubts


def _inside_working_hours(slot: Window, zone: tzinfo, policy: NoticePolicy) -> bool:
    first = slot.start.astimezone(zone).date()
    return any(
        opens <= slot.start.astimezone(UTC) and slot.end.astimezone(UTC) <= closes
        for opens, closes in business_windows(first, first, zone, policy)
    )
