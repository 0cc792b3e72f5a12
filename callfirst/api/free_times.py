"""Free alternative times, and the owner's busy times they must avoid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
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
    windows = busy_windows(ctx, chosen)
    chosen = with_calendar(ctx, ref.source, chosen, windows)
    busy = busy_calendars(ctx, busy_sources, windows)
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


_NEAR = timedelta(days=7)  # windows closer than this are read as one


def busy_windows(ctx: Context, chosen: Chosen, times: Sequence[date | datetime] = ()) -> tuple[Window, ...]:
    """Where busy times are read: the days free times are searched in, and the days around each time the
    user gave (`--propose`, `--agreed`); never the whole calendar. Windows near each other are merged."""
    search = search_range(ctx.now, slot_zone(ctx, chosen), ctx.config.notice, ctx.config.slots)
    wanted = [Window(search.start - timedelta(days=1), max(search.end, search.start) + timedelta(days=1))]
    for value in times:
        moment = value if isinstance(value, datetime) else datetime.combine(value, time(0))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ctx.owner_zone)
        wanted.append(Window(moment - timedelta(days=2), moment + timedelta(days=3)))
    merged: list[Window] = []
    for window in sorted(wanted, key=lambda w: w.start):
        if merged and window.start <= merged[-1].end + _NEAR:
            merged[-1] = Window(merged[-1].start, max(merged[-1].end, window.end))
        else:
            merged.append(window)
    return tuple(merged)


def with_calendar(ctx: Context, source: str, chosen: Chosen, windows: Sequence[Window]) -> Chosen:
    """`chosen` with the events of its own source in `windows` (the owner's calendar, for busy times), and
    what reading them said that choosing did not."""
    found = read_windows(ctx, source, windows)
    warnings = [w for w in found.warnings if w not in chosen.warnings]
    errors = [e for e in found.errors if e not in chosen.errors]
    return replace(chosen, calendar=found.assessments).with_warnings(warnings, errors)


def read_windows(ctx: Context, spec: str, windows: Sequence[Window]) -> ScanResult:
    """Every event of one source in any of `windows`, each once."""
    assessments: dict[tuple[str, str, str], Assessment] = {}
    warnings: list[Problem] = []
    errors: list[Problem] = []
    for window in windows:
        found = scan(ctx, [spec], window=window, include_all=True)
        for item in found.assessments:
            event = item.event
            assessments.setdefault((event.uid, event.start.isoformat(), event.end.isoformat()), item)
        warnings += [w for w in found.warnings if w not in warnings]
        errors += [e for e in found.errors if e not in errors]
    return ScanResult(
        assessments=tuple(assessments.values()), warnings=tuple(warnings), errors=tuple(errors), now=ctx.now
    )


def busy_calendars(ctx: Context, busy_sources: Sequence[str], windows: Sequence[Window]) -> ScanResult:
    """Every event of the busy calendars in the windows, each read once; one that cannot be read stops
    before any time is offered or checked."""
    assessments: list[Assessment] = []
    warnings: list[Problem] = []
    errors: list[Problem] = []
    for spec in busy_sources:
        found = read_windows(ctx, spec, windows)
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
