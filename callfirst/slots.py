"""Alternative times that are really free. Pure: `now`, zones and busy times are parameters.

A slot has the interview's own length, lies inside the interviewer's working hours (their zone),
starts at least `lead_business_hours` of working time after now, falls within `days` working days,
overlaps nothing busy in the owner's calendar, and the chosen few are spread over days and times of day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from .config import NoticePolicy, SlotSettings
from .model import Event, Window
from .notice import business_windows
from .public_holidays import Holidays
from .triage import owner_declined


@dataclass(frozen=True)
class SlotSearch:
    """The slots found, and the range that was searched (both UTC-aware)."""

    slots: tuple[Window, ...]
    earliest: datetime
    latest: datetime


def busy_times(events: Iterable[Event], owner_email: str = "") -> tuple[Window, ...]:
    """The owner's busy intervals: opaque and all-day events; not transparent, cancelled or declined ones."""
    busy = []
    for event in events:
        if event.status == "CANCELLED" or owner_declined(event, owner_email):
            continue
        if event.transparent and not event.all_day:
            continue
        end = event.end if event.end > event.start else event.start + timedelta(days=1 if event.all_day else 0)
        if end > event.start:
            busy.append(Window(event.start.astimezone(UTC), end.astimezone(UTC)))
    return tuple(sorted(busy, key=lambda w: (w.start, w.end)))


def search_range(now: datetime, zone: ZoneInfo, policy: NoticePolicy, settings: SlotSettings) -> Window:
    """From the next working day in the interviewer's zone (and at least the lead, in working time, after
    now) to the close of the last of `days` working days."""
    earliest = _after_business_hours(now.astimezone(UTC), settings.lead_business_hours, zone, policy)
    tomorrow = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(0), tzinfo=zone)
    next_day = next((opens for opens, _ in _windows_from(tomorrow.astimezone(UTC), zone, policy, 1)), earliest)
    earliest = max(earliest, next_day)
    closes = [close for _, close in _windows_from(earliest, zone, policy, settings.days)]
    return Window(earliest, closes[-1] if closes else earliest)


def _windows_from(
    moment: datetime, zone: ZoneInfo, policy: NoticePolicy, limit: int
) -> Iterator[tuple[datetime, datetime]]:
    """Up to `limit` working-day windows (UTC) that close after `moment`."""
    if not policy.workdays:
        return
    first = moment.astimezone(zone).date()
    found = 0
    while found < limit:
        last = first + timedelta(days=14)
        for opens, closes in business_windows(first, last, zone, policy):
            if closes > moment:
                yield opens, closes
                found += 1
                if found == limit:
                    return
        first = last + timedelta(days=1)
        if first.year > moment.year + 2:  # workdays whose hours are empty: nothing to find
            return


def _after_business_hours(now: datetime, hours: float, zone: ZoneInfo, policy: NoticePolicy) -> datetime:
    """The moment `hours` of working time after `now`; now itself for zero."""
    remaining = timedelta(hours=hours)
    if remaining <= timedelta():
        return now
    for opens, closes in _windows_from(now, zone, policy, limit=10_000):
        start = max(opens, now)
        if closes - start >= remaining:
            return start + remaining
        remaining -= closes - start
    return now


def candidates(
    duration: timedelta, busy: Sequence[Window], search: Window, zone: ZoneInfo, policy: NoticePolicy, step_minutes: int
) -> list[Window]:
    """Every grid-aligned start in working hours within `search` whose slot is free."""
    step = timedelta(minutes=step_minutes)
    relevant = [b for b in busy if b.end > search.start and b.start < search.end]
    found = []
    first, last = search.start.astimezone(zone).date(), search.end.astimezone(zone).date()
    for opens, closes in business_windows(first, last, zone, policy):
        start = _on_grid(max(opens, search.start), zone, step_minutes)
        while start + duration <= min(closes, search.end):
            end = start + duration
            if not any(b.start < end and b.end > start for b in relevant):
                found.append(Window(start, end))
            start += step
    return found


def _on_grid(moment: datetime, zone: ZoneInfo, step_minutes: int) -> datetime:
    """The first local time at or after `moment` whose minute of the day is a multiple of the step."""
    local = moment.astimezone(zone)
    minutes = local.hour * 60 + local.minute
    late = local.second or local.microsecond
    rounded = -(-(minutes + (1 if late else 0)) // step_minutes) * step_minutes
    aligned = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(minutes=rounded)
    return aligned.astimezone(UTC)


def spread(options: Sequence[Window], count: int, zone: ZoneInfo, taken: Sequence[Window] = ()) -> tuple[Window, ...]:
    """Pick `count` slots over different days (not neighbouring ones when possible) and times of day,
    also apart from the `taken` ones (times already offered)."""
    days = sorted({o.start.astimezone(zone).date() for o in (*options, *taken)})
    day_index = {day: i for i, day in enumerate(days)}
    picked: list[Window] = list(taken)
    for _ in range(count):
        used_days = [day_index[p.start.astimezone(zone).date()] for p in picked]
        parts = [_part_of_day(p.start.astimezone(zone)) for p in picked]
        free = [o for o in options if not any(o.start < p.end and o.end > p.start for p in picked)]
        if not free:
            break

        def preference(
            option: Window, used_days: list[int] = used_days, parts: list[str] = parts
        ) -> tuple[int, bool, int, datetime]:
            local = option.start.astimezone(zone)
            index, part = day_index[local.date()], _part_of_day(local)
            neighbour = any(abs(index - used) == 1 for used in used_days)
            return (used_days.count(index), neighbour, parts.count(part) + (part == "midday"), option.start)

        picked.append(min(free, key=preference))
    return tuple(sorted(picked[len(taken) :], key=lambda w: w.start))


def _part_of_day(local: datetime) -> str:
    if local.hour < 12:
        return "morning"
    return "midday" if local.hour < 13 else "afternoon"


def free_slots(
    *,
    duration: timedelta,
    busy: Sequence[Window],
    now: datetime,
    zone: ZoneInfo,
    policy: NoticePolicy = NoticePolicy(),
    settings: SlotSettings = SlotSettings(),
    count: int | None = None,
    taken: Sequence[Window] = (),
    search: Window | None = None,
    owner_zone: tzinfo | None = None,
    waking: tuple[time, time] | None = None,
    holidays: Holidays | None = None,
) -> SlotSearch:
    """`count` (default: settings.count) free slots of `duration` for an interviewer in `zone`,
    spread apart from the `taken` times already offered (which also count as busy), none on a public
    holiday of either side (`holidays`).
    `search` is `search_range(now, zone, policy, settings)`, when the caller has it already."""
    search = search or search_range(now, zone, policy, settings)
    if duration <= timedelta():
        duration = timedelta(minutes=settings.step_minutes)
    options = candidates(duration, (*busy, *taken), search, zone, policy, settings.step_minutes)
    if owner_zone is not None and waking is not None:
        options = [o for o in options if _while_awake(o, owner_zone, waking)]
    if holidays is not None:
        options = [o for o in options if holidays.on(o) is None]
    wanted = settings.count if count is None else count
    return SlotSearch(slots=spread(options, wanted, zone, taken), earliest=search.start, latest=search.end)


def _while_awake(slot: Window, zone: tzinfo, waking: tuple[time, time]) -> bool:
    """Inside the owner's waking hours, on one day of the owner's clock."""
    start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
    return start.date() == end.date() and waking[0] <= start.time() and end.time() <= waking[1]
