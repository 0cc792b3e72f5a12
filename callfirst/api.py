"""The library API: one function per job, used by the CLI and usable without it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from zoneinfo import ZoneInfo

from .config import Config
from .detection import build_detector
from .errors import CallfirstError, ConfigError, EventNotFound, OutputError, SourceError, UnsafeValue
from .facts import Overrides
from .model import Assessment, Event, Problem, ReadResult, ScanResult, Window
from .slots import SlotSearch, busy_times, free_slots, search_range
from .timezones import zone_named
from .triage import assess, assess_events, interviews

if TYPE_CHECKING:
    from email.message import EmailMessage

    from .calls import NextStep, Outcome
    from .drafts.compose import Draft, DraftRequest, Plan
    from .integrations.files import Places
    from .integrations.gmail import SavedDraft
    from .integrations.state import InterviewFacts, InterviewKey, Logged
    from .model import Notice, Phone

DEFAULT_DAYS = 90


def _places(places: Places | None) -> Places:
    """The places given, or those the process environment names (for library use)."""
    if places is not None:
        return places
    from .integrations.files import Places

    return Places.from_environ()


def owner_zone(config: Config) -> ZoneInfo:
    from .integrations.files import local_zone_name

    return zone_named(config.profile.timezone) or zone_named(local_zone_name()) or ZoneInfo("UTC")


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
    places: Places | None = None,
    their_zone: str | None = None,
) -> ScanResult:
    """Find interviews in the sources; with include_all, every event in the window with its verdict.
    `their_zone` (an IANA name) is the interviewers' zone whatever the invitations say.

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
    events: list[Event] = []
    warnings, errors = list(config.warnings), list[Problem]()
    for spec in _once_each(sources, warnings):
        try:
            result = read_source(
                spec,
                selector,
                zone,
                stdin=stdin,
                google_calendar=config.google.calendar_id,
                progress=progress,
                places=_places(places),
            )
        except CallfirstError as exc:  # one source failing (Google unreachable) never hides the others
            result = ReadResult(errors=(_problem_from(spec, exc),))
        events.extend(result.events)
        warnings.extend(result.warnings)
        errors.extend(result.errors)
    assessed = assess_events(events, now, config, zone, Overrides(their_zone=their_zone) if their_zone else None)
    chosen = assessed if include_all else interviews(assessed)
    return ScanResult(assessments=chosen, warnings=tuple(warnings), errors=tuple(errors), now=now, owner_zone=zone.key)


def _once_each(sources: Sequence[str], warnings: list[Problem]) -> list[str]:
    """Each source once, in the order given (`scan - -` reads standard input once); a repeat is a warning."""
    unique = list(dict.fromkeys(sources))
    for spec in unique:
        if sources.count(spec) > 1:
            warnings.append(Problem("<stdin>" if spec == "-" else spec, "is named more than once; read once"))
    return unique


def _problem_from(spec: str, exc: CallfirstError) -> Problem:
    """A source's error as one of the scan's problems, placed where the error says (else at the source)."""
    if exc.where is None:
        from .integrations.gcal import calendar_id, is_google

        return Problem(f"google:{calendar_id(spec)}" if is_google(spec) else spec, exc.message)
    return Problem(exc.where, exc.message, exc.line)


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
    source: str,
    config: Config,
    *,
    now: datetime,
    uid: str | None = None,
    stdin: BinaryIO | None = None,
    places: Places | None = None,
    overrides: Overrides | None = None,
) -> Chosen:
    """The event named by `uid` (its next occurrence), or the source's only interview; its facts read,
    with the user's `overrides` applied, even when the event is not judged an interview."""
    chosen = _choose(source, config, now=now, uid=uid, stdin=stdin, places=places)
    item = chosen.item
    if item.facts is None or overrides:
        event = item.event
        item = assess(
            event,
            item.verdict,
            now,
            config,
            owner_zone(config),
            item.not_actionable_because,
            overrides=overrides or Overrides(),
        )
    return replace(chosen, item=item)


def _choose(
    source: str,
    config: Config,
    *,
    now: datetime,
    uid: str | None,
    stdin: BinaryIO | None,
    places: Places | None,
) -> Chosen:
    window = Window(start=now - timedelta(days=1), end=now + timedelta(days=366))
    result = scan([source], config, now=now, window=window, include_all=True, stdin=stdin, places=places)
    if not result.assessments and result.errors:
        first = result.errors[0]
        raise SourceError(first.message, where=first.source, line=first.line)
    if uid:
        matches = named_by(result.assessments, uid)
        if not matches:
            raise EventNotFound(f"no event {uid!r} between yesterday and a year from now", where=source)
        upcoming = [a for a in matches if a.event.end > now]
        return Chosen((upcoming or matches)[0], result.warnings, result.errors, result.assessments)
    found = [a for a in result.assessments if a.verdict.is_interview and a.actionable and a.event.end > now]
    if len(found) == 1:
        return Chosen(found[0], result.warnings, result.errors, result.assessments)
    if not found:
        raise EventNotFound(
            "no upcoming interview found; name one with --event UID (see `callfirst scan --all`)", where=source
        )
    listing = "; ".join(
        f"{reference} ({a.event.summary[:40]}, {a.event.start:%Y-%m-%d %H:%M})"
        for a, reference in list(zip(found, event_references(found), strict=True))[:5]
    )
    raise EventNotFound(f"holds {len(found)} interviews; choose one with --event: {listing}", where=source)


def event_references(assessments: Sequence[Assessment]) -> list[str]:
    """What to give --event for each event, each occurrence its own: the UID, then for an occurrence of a
    series `@DATE` (its start's date in its own zone), or `@DATETHH:MM` when the series meets twice that day."""
    per_uid = Counter(a.event.uid for a in assessments)
    days = [(a.event.uid, _day(a.event)) for a in assessments]
    per_day = Counter(days)
    references = []
    for item, day in zip(assessments, days, strict=True):
        event = item.event
        if per_uid[event.uid] == 1 and event.recurrence_id is None:
            references.append(event.uid)
        elif per_day[day] == 1:
            references.append(f"{event.uid}@{day[1]}")
        else:
            references.append(f"{event.uid}@{event.start:%Y-%m-%dT%H:%M}")
    return references


def named_by(assessments: Sequence[Assessment], wanted: str) -> list[Assessment]:
    """The events `--event` names: by UID, or one occurrence by `UID@DATE` / `UID@DATETHH:MM`."""
    exact = [a for a in assessments if a.event.uid == wanted]
    if exact:
        return exact
    uid, _, when = wanted.rpartition("@")
    return [a for a in assessments if a.event.uid == uid and when in (_day(a.event), f"{a.event.start:%Y-%m-%dT%H:%M}")]


def _day(event: Event) -> str:
    start = event.start
    return start.date().isoformat() if start.year >= 1000 else f"{start:%Y-%m-%d}"  # as strftime writes it


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
    places: Places | None = None,
    overrides: Overrides | None = None,
) -> Suggestion:
    """Free times for the interview in `source`, busy times from the source and every busy source."""
    chosen = choose_interview(source, config, now=now, uid=uid, stdin=stdin, places=places, overrides=overrides)
    busy = _busy_calendars(busy_sources, config, now, _busy_window(chosen, config, now), _places(places))
    return _suggest(source, chosen, config, now, busy_sources, busy, count, _places(places))


def _suggest(
    source: str,
    chosen: Chosen,
    config: Config,
    now: datetime,
    busy_sources: Sequence[str],
    busy_read: ScanResult,
    count: int | None,
    places: Places,
    avoid: Sequence[Window] = (),
) -> Suggestion:
    """Free times; `busy_read` holds the events of every busy calendar (see _busy_calendars)."""
    from .integrations.files import busy_from

    event = chosen.item.event
    zone = _slot_zone(chosen, config)
    search = search_range(now, zone, config.notice, config.slots)
    warnings = list(chosen.warnings) + list(busy_read.warnings)
    errors = list(chosen.errors) + list(busy_read.errors)
    events = [a.event for a in (*chosen.calendar, *busy_read.assessments)]
    reported = tuple(
        w
        for spec in (source, *busy_sources)
        for w in busy_from(spec, Window(search.start, search.end), config.google.calendar_id, places)
    )
    # The interview's own day stays free of suggestions: the conflict is that day.
    own_day = event.start.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    busy = busy_times(events, config.profile.email) + reported + (Window(own_day, own_day + timedelta(days=1)),)
    from .proposals import interview_length

    duration = interview_length(event, config.slots)
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
        owner_zone=owner_zone(config),
        waking=_waking(config),
    )
    return Suggestion(chosen, found, tuple(warnings), tuple(errors))


def _waking(config: Config):
    from .config import parse_hours
    from .proposals import DEFAULT_WAKING

    return parse_hours(config.profile.hours) if config.profile.hours else DEFAULT_WAKING


def _slot_zone(chosen: Chosen, config: Config) -> ZoneInfo:
    zone = chosen.item.event.start.tzinfo
    return zone if isinstance(zone, ZoneInfo) else owner_zone(config)


def _busy_window(chosen: Chosen, config: Config, now: datetime) -> Window:
    """Where busy calendars are read: the times suggested, and (for --propose) a year and more ahead."""
    search = search_range(now, _slot_zone(chosen, config), config.notice, config.slots)
    return Window(now, max(search.end + timedelta(days=1), now + timedelta(days=400)))


def _busy_calendars(
    busy_sources: Sequence[str], config: Config, now: datetime, window: Window, places: Places
) -> ScanResult:
    """Every event of the busy calendars in the window, each read once; one that cannot be read stops
    before any time is offered or checked."""
    assessments: list[Assessment] = []
    warnings: list[Problem] = []
    errors: list[Problem] = []
    for spec in busy_sources:
        found = scan([spec], config, now=now, window=window, include_all=True, places=places)
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
    return ScanResult(assessments=tuple(assessments), warnings=tuple(warnings), errors=tuple(errors), now=now)


def _prepared(
    source: str,
    config: Config,
    now: datetime,
    uid: str | None,
    request: DraftRequest | None,
    stdin: BinaryIO | None,
    busy_sources: Sequence[str],
    suggest: int,
    places: Places | None,
    overrides: Overrides | None,
) -> tuple[Chosen, DraftRequest]:
    """The chosen interview and the request with its times checked (errors for what cannot be offered,
    warnings for what may not suit), plus `suggest` free slots after them."""
    from dataclasses import replace

    from .drafts.compose import DraftRequest, Reason

    chosen = choose_interview(source, config, now=now, uid=uid, stdin=stdin, places=places, overrides=overrides)
    request = request or DraftRequest()
    withdrawing = request.reason is Reason.WITHDRAW
    times_given = bool(request.proposals or request.agreed)
    wanted = suggest > 0 and not withdrawing and not request.agreed
    busy_read = (
        _busy_calendars(busy_sources, config, now, _busy_window(chosen, config, now), _places(places))
        if busy_sources and (times_given or wanted)
        else ScanResult(assessments=(), now=now)
    )
    busy = _busy_with_names(chosen, busy_read, config) if times_given else ()
    proposed = _checked(request.proposals, "--propose", chosen.item, config, now, busy)
    agreed = _checked((request.agreed,), "--agreed", chosen.item, config, now, busy) if request.agreed else None
    warnings = proposed.warnings + (agreed.warnings if agreed else ())
    chosen = replace(chosen, warnings=chosen.warnings + tuple(Problem(named, text) for named, text in warnings))
    request = replace(request, slots=proposed.slots, agreed_slot=agreed.slots[0] if agreed else None)
    if suggest <= 0 or withdrawing or agreed:
        return replace(
            chosen, warnings=chosen.warnings + busy_read.warnings, errors=chosen.errors + busy_read.errors
        ), request
    found = _suggest(
        source, chosen, config, now, busy_sources, busy_read, suggest, _places(places), avoid=proposed.slots
    )
    chosen = Chosen(chosen.item, found.warnings, found.errors, chosen.calendar)
    # The times you gave first, in your order (the COUNTER proposes the first); then free ones by date.
    return chosen, replace(request, slots=proposed.slots + tuple(sorted(found.search.slots, key=lambda s: s.start)))


def _checked(values, option: str, item: Assessment, config: Config, now: datetime, busy):
    from .proposals import check_times, interview_length
    from .timezones import zone_of

    event = item.event
    waking = _waking(config)
    return check_times(
        tuple(values),
        option=option,
        event=event,
        now=now,
        owner_zone=owner_zone(config),
        their_zone=zone_of(event.start),
        length=interview_length(event, config.slots),
        policy=config.notice,
        waking=waking,
        busy=busy,
    )


def _busy_with_names(chosen: Chosen, busy_read: ScanResult, config: Config) -> tuple[tuple[Window, str], ...]:
    """The owner's busy times with the events' titles: the source's calendar and every --busy file."""
    events = [a.event for a in chosen.calendar if a.event.uid != chosen.item.event.uid]
    events += [a.event for a in busy_read.assessments]
    named = []
    for event in events:
        for window in busy_times([event], config.profile.email):
            named.append((window, event.summary or "an event"))
    return tuple(named)


def _user_templates(folder: Path | None) -> dict[str, str]:
    """The user's own templates, read from their folder (the drafts package renders, it never reads files)."""
    from .integrations.files import read_user_templates

    return read_user_templates(folder) if folder is not None else {}


@dataclass(frozen=True)
class PlanResult:
    """The interview chosen and its plan: notice, call plan, email preview."""

    chosen: Chosen
    plan: Plan
    # What the call log said (with use_call_log): the email that fits it; None when no real attempt is logged.
    called_from_log: str | None = None


@dataclass(frozen=True)
class DraftResult:
    """The interview chosen, its email draft, and the iTIP part (bytes, METHOD) when one was asked for."""

    chosen: Chosen
    draft: Draft
    calendar: tuple[bytes, str] | None = None
    called_from_log: str | None = None


def _called_by_log(
    request: DraftRequest, chosen: Chosen, places: Places | None, otherwise: str
) -> tuple[DraftRequest, str | None, Chosen]:
    """The request with `called` taken from the call log: reached, the last failed outcome, or `otherwise`;
    and `chosen` with a warning when the log's record of it is damaged."""
    from dataclasses import replace

    from .calls import called_from
    from .drafts.compose import Called

    item = chosen.item
    logged = call_log(item, places)
    chosen = _with_damage(chosen, logged, places)
    found = called_from(logged.attempts) if logged else None
    request = replace(request, called=Called(found or otherwise))
    if found == "reached" and logged is not None and logged.agreed and request.agreed_slot is None:
        from .proposals import interview_length, slot_at

        agreed = logged.agreed.astimezone(item.event.start.tzinfo)
        if agreed > item.event.end:  # a time still to come: the confirmation names it
            request = replace(request, agreed_slot=slot_at(agreed, interview_length(item.event)), slots=())
    return request, found, chosen


def _with_damage(chosen: Chosen, logged: Logged | None, places: Places | None) -> Chosen:
    """`chosen` with a warning when the call log's record of it is damaged (what could be read is used)."""
    from dataclasses import replace

    if logged is None or not logged.damaged:
        return chosen
    return replace(chosen, warnings=(*chosen.warnings, Problem(str(_places(places).state), logged.damaged)))


def plan(
    source: str,
    config: Config,
    *,
    now: datetime,
    uid: str | None = None,
    request: DraftRequest | None = None,
    stdin: BinaryIO | None = None,
    user_templates: Path | None = None,
    busy_sources: Sequence[str] = (),
    suggest: int = 0,
    places: Places | None = None,
    overrides: Overrides | None = None,
    use_call_log: bool = False,
) -> PlanResult:
    """Notice warning, call plan, email preview for one interview; `suggest` free slots offered.

    With `use_call_log`, the preview is the email the call log calls for (the confirmation before any attempt).
    """
    from .drafts.compose import compose_plan

    chosen, request = _prepared(source, config, now, uid, request, stdin, busy_sources, suggest, places, overrides)
    found = None
    if use_call_log:
        request, found, chosen = _called_by_log(request, chosen, places, otherwise="reached")
    templates = _user_templates(user_templates)
    composed = compose_plan(chosen.item, config.profile, request, now, owner_zone(config), templates)
    return PlanResult(chosen=chosen, plan=composed, called_from_log=found)


def draft(
    source: str,
    config: Config,
    *,
    now: datetime,
    uid: str | None = None,
    request: DraftRequest | None = None,
    stdin: BinaryIO | None = None,
    user_templates: Path | None = None,
    with_ics: bool = False,
    busy_sources: Sequence[str] = (),
    suggest: int = 0,
    places: Places | None = None,
    overrides: Overrides | None = None,
    use_call_log: bool = False,
) -> DraftResult:
    """The email draft for one interview, with its iTIP part (`with_ics`) when asked for.

    With `use_call_log`, the email is the one the call log calls for ('not-yet' when no real attempt is logged).
    """
    from .drafts.compose import compose_draft

    if not config.profile.name.strip():
        raise ConfigError("no name to sign the email with: run `callfirst init` to set up your profile")
    chosen, request = _prepared(source, config, now, uid, request, stdin, busy_sources, suggest, places, overrides)
    found = None
    if use_call_log:
        request, found, chosen = _called_by_log(request, chosen, places, otherwise="not-yet")
    composed = compose_draft(chosen.item, config.profile, request, _user_templates(user_templates), now)
    if composed.to is None:
        event = chosen.item.event
        raise OutputError(
            f"no one to write to: {composed.to_missing}; give --to ADDRESS", where=event.source, line=event.line
        )
    calendar = _itip(chosen.item, composed, request, now) if with_ics else None
    return DraftResult(chosen=chosen, draft=composed, calendar=calendar, called_from_log=found)


def _itip(item: Assessment, composed: Draft, request: DraftRequest, now: datetime) -> tuple[bytes, str]:
    from .drafts import itip
    from .drafts.compose import Reason

    if composed.sender is None:
        raise OutputError("--ics needs your address: set [profile] email in config.toml")
    if request.reason is not Reason.WITHDRAW and not composed.proposals:
        raise OutputError("--ics proposes a new time: give at least one --propose DATETIME")
    event = item.event
    try:
        if request.reason is Reason.WITHDRAW:
            return itip.decline(event, composed.sender, now), "REPLY"
        first = composed.proposals[0]
        return itip.counter(event, composed.sender, first.start, first.end, now), "COUNTER"
    except UnsafeValue as exc:
        message = f"an address cannot be used in --ics: {exc.message}"
        raise UnsafeValue(message, where=event.source, line=event.line) from None


def draft_message(
    composed: Draft, *, now: datetime, calendar: tuple[bytes, str] | None = None, event: Event | None = None
) -> EmailMessage:
    """The RFC 5322 message for a draft; needs the profile's address and the event's organizer."""
    from .drafts.message import build_message
    from .errors import UnsafeValue

    where, line = (event.source, event.line) if event is not None else (None, None)
    if composed.sender is None:
        raise OutputError("a draft needs your address: set [profile] email in config.toml")
    if composed.to is None:
        raise OutputError(
            f"no one to write to: {composed.to_missing or 'no address'}; give --to ADDRESS", where=where, line=line
        )
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
        raise UnsafeValue(f"the organizer's address cannot be used: {exc.message}", where=where, line=line) from None


# --- Gmail ------------------------------------------------------------------------------


def draft_key(event) -> str:
    """One Gmail draft per event occurrence."""
    occurrence = event.recurrence_id.isoformat() if event.recurrence_id else ""
    return f"{event.uid}|{occurrence}"


def _threaded(composed, thread):
    """Reply headers and 'Re: ' subject when the invitation's thread is known, as Gmail requires."""
    from dataclasses import replace

    from .drafts.compose import reply_subject

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


@dataclass(frozen=True)
class GmailResult:
    """The saved Gmail draft; `thread_found` is None when the thread was not looked for."""

    saved: SavedDraft
    thread_found: bool | None
    warnings: tuple[str, ...] = ()


def save_to_gmail(
    chosen: Chosen,
    composed: Draft,
    *,
    now: datetime,
    calendar: tuple[bytes, str] | None = None,
    find_thread: bool = False,
    new: bool = False,
    places: Places | None = None,
) -> GmailResult:
    """Save the draft in Gmail (an update when one was saved for this interview before). Never sends."""
    from dataclasses import replace

    from .integrations import gmail
    from .integrations.google import GMAIL_COMPOSE, GMAIL_MODIFY, Session
    from .integrations.state import DraftMade, open_store
    from .model import Person

    places = _places(places)
    event = chosen.item.event
    key, facts = interview_key(event), interview_facts(event)
    scopes = [GMAIL_COMPOSE] + ([GMAIL_MODIFY] if find_thread else [])
    with open_store(places) as store:
        warnings = store.import_legacy(places.gmail_state)
        with Session(scopes, places) as session:
            if composed.sender is None and session.account:
                composed = replace(composed, sender=Person(session.account))
            thread = gmail.find_thread(session, _invitation(event)) if find_thread else None
            message = draft_message(_threaded(composed, thread), now=now, calendar=calendar, event=event)
            del message["X-Unsent"]
            saved = gmail.save_draft(
                session,
                store,
                message,
                key,
                facts,
                legacy_key=draft_key(event),
                new=new,
                thread_id=thread.thread_id if thread else None,
            )
        store.record_draft(key, facts, DraftMade(now, "gmail", saved.link))
    found = (thread is not None) if find_thread else None
    return GmailResult(saved=saved, thread_found=found, warnings=tuple(warnings))


def _invitation(event: Event):
    from .integrations.gmail import Invitation

    organizer = event.organizer.email if event.organizer else None
    return Invitation(uid=event.uid, message_id=event.message_id, organizer=organizer, summary=event.summary)


# --- the call log ---------------------------------------------------------------------------


def source_key(source: str) -> str:
    """A file by its absolute path (so `./a.ics` and `a.ics` are one source); google:… and <stdin> as given."""
    path = Path(source)
    try:
        return str(path.resolve()) if path.is_file() else source
    except (OSError, ValueError):
        return source


def interview_key(event: Event) -> InterviewKey:
    """What the call log and Gmail drafts are keyed by: UID, organizer, source and occurrence."""
    from .integrations.state import InterviewKey

    organizer = (event.organizer.email if event.organizer else "").strip().lower()
    occurrence = event.recurrence_id.isoformat() if event.recurrence_id else ""
    return InterviewKey(uid=event.uid, organizer=organizer, source=source_key(event.source), occurrence=occurrence)


def interview_facts(event: Event) -> InterviewFacts:
    from .integrations.state import InterviewFacts

    name = (event.organizer.name or event.organizer.email) if event.organizer else ""
    return InterviewFacts(event.summary, name or "", event.start, event.end, event.timezone)


def call_log(item: Assessment, places: Places | None = None) -> Logged | None:
    """What the log holds for this interview; None when nothing (and no log file is made just to look)."""
    from .integrations.state import open_store

    places = _places(places)
    if not places.state.exists():
        return None
    with open_store(places) as store:
        return store.logged(interview_key(item.event), interview_facts(item.event))


def record_draft_made(item: Assessment, kind: str, location: str, *, now: datetime, places: Places | None = None):
    """Remember that a draft was written (`kind` file or mailto), for `status`."""
    from .integrations.state import DraftMade, open_store

    with open_store(_places(places)) as store:
        store.record_draft(interview_key(item.event), interview_facts(item.event), DraftMade(now, kind, location))


@dataclass(frozen=True)
class CallSheet:
    """Everything for the call: the interview, the numbers (the first to dial, then backups), the
    interviewer's time now, what the log holds, and the next step."""

    chosen: Chosen
    numbers: tuple[Phone, ...]
    their_now: datetime
    logged: Logged | None
    next: NextStep


def call_sheet(
    source: str,
    config: Config,
    *,
    now: datetime,
    uid: str | None = None,
    stdin: BinaryIO | None = None,
    places: Places | None = None,
) -> CallSheet:
    chosen = choose_interview(source, config, now=now, uid=uid, stdin=stdin, places=places)
    item = chosen.item
    logged = call_log(item, places)
    chosen = _with_damage(chosen, logged, places)
    their_now = now.astimezone(item.event.start.tzinfo)
    step = _next_step(item, logged.attempts if logged else (), config, now)
    return CallSheet(chosen, item.phones, their_now, logged, step)


@dataclass(frozen=True)
class CallRecorded:
    logged: Logged
    next: NextStep
    warnings: tuple[Problem, ...] = ()  # what may not suit about an agreed time


def record_call(
    item: Assessment,
    config: Config,
    *,
    now: datetime,
    outcome: Outcome,
    number: str = "",
    agreed: date | datetime | None = None,
    places: Places | None = None,
) -> CallRecorded:
    """Log one attempt (and the new time agreed, after a reached call); the next step after it. An agreed
    time is checked as `draft --agreed` checks it: a date alone, a past time, one inside the interview or
    one the clocks skip is refused before anything is recorded."""
    from .calls import Attempt, Outcome
    from .integrations.state import open_store

    if agreed is not None and outcome is not Outcome.REACHED:
        raise OutputError("a new time can only be agreed on a call that reached them (--outcome reached)")
    checked = _checked((agreed,), "--agreed", item, config, now, ()) if agreed is not None else None
    agreed_at = checked.slots[0].start if checked else None
    with open_store(_places(places)) as store:
        logged = store.record_attempt(
            interview_key(item.event), interview_facts(item.event), Attempt(now, outcome, number), agreed_at
        )
    warnings = tuple(Problem(named, text) for named, text in checked.warnings) if checked else ()
    return CallRecorded(logged, _next_step(item, logged.attempts, config, now), warnings)


def _next_step(item: Assessment, attempts, config: Config, now: datetime) -> NextStep:
    from .calls import next_step

    return next_step(
        attempts,
        now=now,
        start=item.event.start,
        tier=item.notice.tier,
        their_zone=item.event.start.tzinfo or owner_zone(config),
        policy=config.notice,
        owner_zone=owner_zone(config),
        waking=_waking(config),
    )


# --- status ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Acted:
    """An interview the log holds, with the notice the employer would get now."""

    logged: Logged
    notice: Notice


@dataclass(frozen=True)
class Status:
    acted: tuple[Acted, ...]
    waiting: tuple[Assessment, ...]  # upcoming interviews in the sources, not acted on yet
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()


def status(
    sources: Sequence[str],
    config: Config,
    *,
    now: datetime,
    stdin: BinaryIO | None = None,
    places: Places | None = None,
) -> Status:
    """The interviews acted on (calls, drafts), and those in `sources` not acted on yet."""
    from .integrations.state import open_store
    from .notice import assess_notice

    places = _places(places)
    logged: list[Logged] = []
    damage: list[str] = []
    if places.state.exists():
        with open_store(places) as store:
            logged = store.everything()
            damage = [*store.warnings, *(entry.damaged for entry in logged if entry.damaged)]
    damaged = tuple(Problem(str(places.state), text) for text in damage)
    acted = tuple(
        Acted(entry, assess_notice(now, entry.facts.start, _zone_of(entry, config), config.notice)) for entry in logged
    )
    if not sources:
        return Status(acted, (), damaged)
    result = scan(sources, config, now=now, stdin=stdin, places=places)
    known = {entry.key for entry in logged}
    waiting = tuple(a for a in result.assessments if interview_key(a.event) not in known and a.event.start > now)
    return Status(acted, waiting, damaged + result.warnings, result.errors)


def _zone_of(entry: Logged, config: Config) -> ZoneInfo:
    return zone_named(entry.facts.timezone) or owner_zone(config)
