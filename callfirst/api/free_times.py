"""Free alternative times, and the owner's busy times they must avoid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..context import Context, InterviewRef
from ..errors import SourceError
from ..model import Assessment, Problem, ScanResult, Window
from ..proposals import Checked
from ..slots import SlotSearch, busy_times, free_slots, search_range
from .finding import Chosen, choose_interview, scan

if TYPE_CHECKING:
    from ..public_holidays import Holidays


@dataclass(frozen=True)
class Suggestion:
    """Free slots for one interview, with what reading the sources said."""

    chosen: Chosen
    search: SlotSearch
    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...]


def suggest_slots(
    ctx: Context, ref: InterviewRef, *, busy_sources: Sequence[str] = (), count: int | None = None
) -> Suggestion:
    """Free times for the interview, busy times from its source and every busy source."""
    chosen = choose_interview(ctx, ref)
    busy = busy_calendars(ctx, busy_sources, busy_window(ctx, chosen))
    return suggest(ctx, ref.source, chosen, busy_sources, busy, count)


def suggest(
    ctx: Context,
    source: str,
    chosen: Chosen,
    busy_sources: Sequence[str],
    busy_read: ScanResult,
    count: int | None,
    avoid: Sequence[Window] = (),
) -> Suggestion:
    """Free times; `busy_read` holds the events of every busy calendar (see busy_calendars)."""
    from ..integrations.sources import busy_from
    from ..proposals import interview_length

    config, event = ctx.config, chosen.item.event
    zone = slot_zone(ctx, chosen)
    search = search_range(ctx.now, zone, config.notice, config.slots)
    events = [a.event for a in (*chosen.calendar, *busy_read.assessments)]
    reported = tuple(
        w for spec in (source, *busy_sources) for w in busy_from(spec, Window(search.start, search.end), ctx)
    )
    # The interview's own day stays free of suggestions: the conflict is that day.
    own_day = event.start.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    busy = busy_times(events, config.profile.email) + reported + (Window(own_day, own_day + timedelta(days=1)),)
    found = free_slots(
        duration=interview_length(event, config.slots),
        busy=sorted(busy, key=lambda w: w.start),
        now=ctx.now,
        zone=zone,
        policy=config.notice,
        settings=config.slots,
        count=count,
        taken=tuple(avoid),
        search=search,
        owner_zone=ctx.owner_zone,
        waking=waking(ctx),
        holidays=holidays_for(ctx, event.start.tzinfo or zone),
    )
    return Suggestion(chosen, found, chosen.warnings + busy_read.warnings, chosen.errors + busy_read.errors)


def waking(ctx: Context) -> tuple[time, time]:
    from ..config import parse_hours
    from ..proposals import DEFAULT_WAKING

    hours = ctx.config.profile.hours
    return parse_hours(hours) if hours else DEFAULT_WAKING


def slot_zone(ctx: Context, chosen: Chosen) -> ZoneInfo:
    zone = chosen.item.event.start.tzinfo
    return zone if isinstance(zone, ZoneInfo) else ctx.owner_zone


def busy_window(ctx: Context, chosen: Chosen) -> Window:
    """Where busy calendars are read: the times suggested, and (for --propose) a year and more ahead."""
    search = search_range(ctx.now, slot_zone(ctx, chosen), ctx.config.notice, ctx.config.slots)
    return Window(ctx.now, max(search.end + timedelta(days=1), ctx.now + timedelta(days=400)))


def busy_calendars(ctx: Context, busy_sources: Sequence[str], window: Window) -> ScanResult:
    """Every event of the busy calendars in the window, each read once; one that cannot be read stops
    before any time is offered or checked."""
    assessments: list[Assessment] = []
    warnings: list[Problem] = []
    errors: list[Problem] = []
    for spec in busy_sources:
        found = scan(ctx, [spec], window=window, include_all=True)
        if found.errors and not found.assessments:
            first = found.errors[0]
            raise SourceError(
                f"{first.message}; no free times are offered without this busy calendar",
                where=first.source,
                line=first.line,
            )
        assessments += found.assessments
        warnings += found.warnings
        errors += found.errors
    return ScanResult(assessments=tuple(assessments), warnings=tuple(warnings), errors=tuple(errors), now=ctx.now)


def checked_times(
    ctx: Context,
    values: Sequence[date | datetime],
    option: str,
    item: Assessment,
    busy: Sequence[tuple[Window, str]] = (),
) -> Checked:
    """Times the user gave (`--propose`, `--agreed`), checked against the interview, the clock and `busy`."""
    from ..proposals import check_times, interview_length
    from ..timezones import zone_of

    event = item.event
    return check_times(
        tuple(values),
        option=option,
        event=event,
        now=ctx.now,
        owner_zone=ctx.owner_zone,
        their_zone=zone_of(event.start),
        length=interview_length(event, ctx.config.slots),
        policy=ctx.config.notice,
        waking=waking(ctx),
        busy=tuple(busy),
        holidays=holidays_for(ctx, zone_of(event.start)),
    )


def holidays_for(ctx: Context, their_zone: tzinfo) -> Holidays:
    """The public holidays of the interviewer's place (their zone's) and the owner's ([profile] region, else
    their zone's)."""
    from ..public_holidays import Holidays, place_of

    return Holidays(
        theirs=place_of(their_zone),
        their_zone=their_zone,
        owner=place_of(ctx.owner_zone, ctx.config.profile.region),
        owner_zone=ctx.owner_zone,
    )


def busy_with_names(ctx: Context, chosen: Chosen, busy_read: ScanResult) -> tuple[tuple[Window, str], ...]:
    """The owner's busy times with the events' titles: the source's calendar and every --busy file."""
    events = [a.event for a in chosen.calendar if a.event.uid != chosen.item.event.uid]
    events += [a.event for a in busy_read.assessments]
    return tuple(
        (window, event.summary or "an event")
        for event in events
        for window in busy_times([event], ctx.config.profile.email)
    )
