"""The library API: one function per job, used by the CLI and usable without it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO
from zoneinfo import ZoneInfo

from .config import Config
from .detection import build_detector
from .errors import EventNotFound, OutputError
from .model import Assessment, Problem, ScanResult, Window
from .slots import SlotSearch, busy_times, free_slots, search_range
from .triage import assess_events, interviews

DEFAULT_DAYS = 90


def owner_zone(config: Config) -> ZoneInfo:
    if config.profile.timezone:
        return ZoneInfo(config.profile.timezone)
    from .integrations.files import local_zone_name

    return ZoneInfo(local_zone_name())


def default_window(now: datetime) -> Window:
    return Window(start=now, end=now + timedelta(days=DEFAULT_DAYS))


def scan(
    sources: Sequence[str],
    config: Config,
    *,
    now: datetime,
    window: Window | None = None,
    include_all: bool = False,
    stdin: BinaryIO | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ScanResult:
    """Find interviews in the sources; with include_all, every event in the window with its verdict.

    `progress(source, bytes_done, bytes_total)` is called now and then while a large file is read.
    """
    from .ical.prefilter import Selector
    from .integrations.files import read_source

    zone = owner_zone(config)
    window = window or default_window(now)
    detector = build_detector(config.detection)
    selector = Selector(
        window=window,
        could_be_interview=detector.could_be_interview,
        keep_all_in_window=include_all,
        stems=detector.stems,
    )
    events, warnings, errors = [], list(config.warnings), []
    for spec in sources:
        result = read_source(
            spec, selector, zone, stdin=stdin, google_calendar=config.google.calendar_id, progress=progress
        )
        events.extend(result.events)
        warnings.extend(result.warnings)
        errors.extend(result.errors)
    assessed = assess_events(events, now, config)
    chosen = assessed if include_all else interviews(assessed)
    return ScanResult(assessments=chosen, warnings=tuple(warnings), errors=tuple(errors), now=now, owner_zone=zone.key)


# --- one interview: plan and draft -----------------------------------------------------------


@dataclass(frozen=True)
class Chosen:
    """The interview the user means, with what reading the source said."""

    item: Assessment
    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...]
    # Every event the source holds around now: the owner's calendar, for finding free times.
    calendar: tuple[Assessment, ...] = ()


def choose_interview(
    source: str, config: Config, *, now: datetime, uid: str | None = None, stdin: BinaryIO | None = None
) -> Chosen:
    """The event named by `uid` (its next occurrence), or the source's only interview."""
    window = Window(start=now - timedelta(days=1), end=now + timedelta(days=366))
    result = scan([source], config, now=now, window=window, include_all=True, stdin=stdin)
    if not result.assessments and result.errors:
        raise EventNotFound(result.errors[0].message, where=result.errors[0].source, line=result.errors[0].line)
    if uid:
        matches = [a for a in result.assessments if a.event.uid == uid]
        if not matches:
            raise EventNotFound(f"no event with UID {uid!r} between yesterday and a year from now", where=source)
        upcoming = [a for a in matches if a.event.end > now]
        return Chosen((upcoming or matches)[0], result.warnings, result.errors, result.assessments)
    found = [a for a in result.assessments if a.verdict.is_interview and a.actionable and a.event.end > now]
    if len(found) == 1:
        return Chosen(found[0], result.warnings, result.errors, result.assessments)
    if not found:
        raise EventNotFound(
            "no upcoming interview found; name one with --event UID (see `callfirst scan --all`)", where=source
        )
    listing = "; ".join(f"{a.event.uid} ({a.event.summary[:40]}, {a.event.start:%Y-%m-%d %H:%M})" for a in found[:5])
    raise EventNotFound(f"holds {len(found)} interviews; choose one with --event UID: {listing}", where=source)


# --- free alternative times --------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """Free slots for one interview, with what reading the sources said."""

    chosen: Chosen
    search: SlotSearch
    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...]


def suggest_slots(
    source: str,
    config: Config,
    *,
    now: datetime,
    uid: str | None = None,
    busy_sources: Sequence[str] = (),
    count: int | None = None,
    stdin: BinaryIO | None = None,
) -> Suggestion:
    """Free times for the interview in `source`, busy times from the source and every busy source."""
    chosen = choose_interview(source, config, now=now, uid=uid, stdin=stdin)
    return _suggest(source, chosen, config, now, busy_sources, count)


def _suggest(
    source: str,
    chosen: Chosen,
    config: Config,
    now: datetime,
    busy_sources: Sequence[str],
    count: int | None,
    avoid: Sequence[Window] = (),
) -> Suggestion:
    from .integrations.files import busy_from

    event = chosen.item.event
    zone = event.start.tzinfo if isinstance(event.start.tzinfo, ZoneInfo) else owner_zone(config)
    search = search_range(now, zone, config.notice, config.slots)
    warnings, errors = list(chosen.warnings), list(chosen.errors)
    events = [a.event for a in chosen.calendar]
    if busy_sources:
        window = Window(min(search.start, now), search.end + timedelta(days=1))
        extra = scan(busy_sources, config, now=now, window=window, include_all=True)
        events.extend(a.event for a in extra.assessments)
        warnings.extend(extra.warnings)
        errors.extend(extra.errors)
    reported = tuple(
        w
        for spec in (source, *busy_sources)
        for w in busy_from(spec, Window(search.start, search.end), config.google.calendar_id)
    )
    busy = busy_times(events, config.profile.email) + reported + (Window(event.start, event.end),)
    duration = timedelta(hours=1) if event.all_day else event.end - event.start
    found = free_slots(
        duration=duration,
        busy=sorted(busy, key=lambda w: w.start),
        now=now,
        zone=zone,
        policy=config.notice,
        settings=config.slots,
        count=count,
        taken=tuple(avoid),
        search=search,
    )
    return Suggestion(chosen, found, tuple(warnings), tuple(errors))


def _request_in_zone(request, zone: ZoneInfo):
    from dataclasses import replace

    proposals = tuple(p if p.tzinfo else p.replace(tzinfo=zone) for p in request.proposals)
    return replace(request, proposals=proposals)


def _prepared(
    source: str,
    config: Config,
    now: datetime,
    uid: str | None,
    request,
    stdin,
    busy_sources: Sequence[str],
    suggest: int,
):
    """The chosen interview and the request with proposals in a zone, plus `suggest` free slots."""
    from dataclasses import replace

    from .drafts.compose import DraftRequest, Reason

    chosen = choose_interview(source, config, now=now, uid=uid, stdin=stdin)
    request = _request_in_zone(request or DraftRequest(), owner_zone(config))
    if suggest <= 0 or request.reason is Reason.WITHDRAW:
        return chosen, request
    length = chosen.item.event.end - chosen.item.event.start
    proposed = [Window(p, p + length) for p in request.proposals]
    found = _suggest(source, chosen, config, now, busy_sources, suggest, avoid=proposed)
    chosen = Chosen(chosen.item, found.warnings, found.errors, chosen.calendar)
    return chosen, replace(request, proposals=request.proposals + tuple(s.start for s in found.search.slots))


def plan(
    source: str,
    config: Config,
    *,
    now: datetime,
    uid: str | None = None,
    request=None,
    stdin: BinaryIO | None = None,
    user_templates=None,
    busy_sources: Sequence[str] = (),
    suggest: int = 0,
):
    """Notice warning, call plan, email preview for one interview; `suggest` free slots offered."""
    from .drafts.compose import compose_plan

    chosen, request = _prepared(source, config, now, uid, request, stdin, busy_sources, suggest)
    return chosen, compose_plan(chosen.item, config.profile, request, now, owner_zone(config), user_templates)


def draft(
    source: str,
    config: Config,
    *,
    now: datetime,
    uid: str | None = None,
    request=None,
    stdin: BinaryIO | None = None,
    user_templates=None,
    with_ics: bool = False,
    busy_sources: Sequence[str] = (),
    suggest: int = 0,
):
    """The email draft for one interview, and its RFC 5322 message when the profile allows one."""
    from .drafts.compose import compose_draft

    chosen, request = _prepared(source, config, now, uid, request, stdin, busy_sources, suggest)
    composed = compose_draft(chosen.item, config.profile, request, user_templates)
    calendar = None
    if with_ics:
        calendar = _itip(chosen.item, composed, request, now)
    return chosen, composed, calendar


def _itip(item: Assessment, composed, request, now: datetime) -> tuple[bytes, str]:
    from .drafts import itip
    from .drafts.compose import Reason

    if composed.sender is None:
        raise OutputError("--ics needs your address: set [profile] email in config.toml")
    if request.reason is Reason.WITHDRAW:
        return itip.decline(item.event, composed.sender, now), "REPLY"
    if not composed.proposals:
        raise OutputError("--ics proposes a new time: give at least one --propose DATETIME")
    first = composed.proposals[0]
    return itip.counter(item.event, composed.sender, first.start, first.end, now), "COUNTER"


def draft_message(composed, *, now: datetime, calendar: tuple[bytes, str] | None = None, event=None):
    """The RFC 5322 message for a draft; needs the profile's address and the event's organizer."""
    from .drafts.message import build_message
    from .errors import UnsafeValue

    where = dict(where=event.source, line=event.line) if event is not None else {}
    if composed.sender is None:
        raise OutputError("a draft needs your address: set [profile] email in config.toml")
    if composed.to is None:
        raise OutputError("the event names no organizer to write to", **where)
    try:
        return build_message(
            sender=composed.sender,
            to=composed.to,
            subject=composed.subject,
            body=composed.body,
            date=now,
            in_reply_to=composed.in_reply_to,
            references=composed.references,
            calendar=calendar,
        )
    except UnsafeValue as exc:
        raise UnsafeValue(f"the organizer's address cannot be used: {exc.message}", **where) from None


# --- Gmail ------------------------------------------------------------------------------


def reply_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def draft_key(event) -> str:
    """One Gmail draft per event occurrence."""
    occurrence = event.recurrence_id.isoformat() if event.recurrence_id else ""
    return f"{event.uid}|{occurrence}"


def _threaded(composed, thread):
    """Reply headers and 'Re: ' subject when the invitation's thread is known, as Gmail requires."""
    from dataclasses import replace

    if thread is not None and thread.message_id:
        references = " ".join(part for part in (thread.references, thread.message_id) if part)
        return replace(
            composed,
            in_reply_to=thread.message_id,
            references=references,
            subject=reply_subject(thread.subject or composed.thread_subject or composed.subject),
        )
    if composed.in_reply_to:
        return replace(composed, subject=reply_subject(composed.thread_subject or composed.subject))
    return composed


def save_to_gmail(
    chosen: Chosen,
    composed,
    *,
    now: datetime,
    calendar: tuple[bytes, str] | None = None,
    find_thread: bool = False,
    new: bool = False,
):
    """Save the draft in Gmail (an update when one was saved for this event before). Never sends.

    Returns (the saved draft, whether the invitation's thread was found or None when not looked for).
    """
    from dataclasses import replace

    from .integrations import gmail
    from .integrations.google import GMAIL_COMPOSE, GMAIL_MODIFY, Session
    from .model import Person

    event = chosen.item.event
    with Session([GMAIL_COMPOSE] + ([GMAIL_MODIFY] if find_thread else [])) as session:
        if composed.sender is None and session.account:
            composed = replace(composed, sender=Person(session.account))
        thread = None
        if find_thread:
            organizer = event.organizer.email if event.organizer else None
            thread = gmail.find_thread(session, event.message_id, organizer, event.summary)
        message = draft_message(_threaded(composed, thread), now=now, calendar=calendar, event=event)
        del message["X-Unsent"]
        saved = gmail.save_draft(
            session, message, draft_key(event), new=new, thread_id=thread.thread_id if thread else None
        )
    return saved, (thread is not None) if find_thread else None
