"""The library API: one function per job, used by the CLI and usable without it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO
from zoneinfo import ZoneInfo

from .assess import assess_events, interviews
from .config import Config
from .detection import build_detector
from .errors import EventNotFound, OutputError
from .model import Assessment, Problem, ScanResult, Window

DEFAULT_DAYS = 90


def owner_zone(config: Config) -> ZoneInfo:
    if config.profile.timezone:
        return ZoneInfo(config.profile.timezone)
    from .integrations.userfiles import local_zone_name

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
) -> ScanResult:
    """Find interviews in the sources; with include_all, every event in the window with its verdict."""
    from .integrations.ics import Selector
    from .integrations.sources import read_source

    zone = owner_zone(config)
    window = window or default_window(now)
    detector = build_detector(config.detection)
    selector = Selector(window=window, could_be_interview=detector.could_be_interview, keep_all_in_window=include_all)
    events, warnings, errors = [], list(config.warnings), []
    for spec in sources:
        result = read_source(spec, selector, zone, stdin=stdin)
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


def choose_interview(source: str, config: Config, *, now: datetime, uid: str | None = None,
                     stdin: BinaryIO | None = None) -> Chosen:
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
        return Chosen((upcoming or matches)[0], result.warnings, result.errors)
    found = [a for a in result.assessments if a.verdict.is_interview and a.actionable and a.event.end > now]
    if len(found) == 1:
        return Chosen(found[0], result.warnings, result.errors)
    if not found:
        raise EventNotFound("no upcoming interview found; name one with --event UID (see `callfirst scan --all`)",
                            where=source)
    listing = "; ".join(f"{a.event.uid} ({a.event.summary[:40]}, {a.event.start:%Y-%m-%d %H:%M})" for a in found[:5])
    raise EventNotFound(f"holds {len(found)} interviews; choose one with --event UID: {listing}", where=source)


def _request_in_zone(request, zone: ZoneInfo):
    from dataclasses import replace

    proposals = tuple(p if p.tzinfo else p.replace(tzinfo=zone) for p in request.proposals)
    return replace(request, proposals=proposals)


def plan(source: str, config: Config, *, now: datetime, uid: str | None = None, request=None,
         stdin: BinaryIO | None = None, user_templates=None):
    """Notice warning, call plan, email preview for one interview."""
    from .drafts import DraftRequest, compose_plan

    zone = owner_zone(config)
    chosen = choose_interview(source, config, now=now, uid=uid, stdin=stdin)
    request = _request_in_zone(request or DraftRequest(), zone)
    return chosen, compose_plan(chosen.item, config.profile, request, now, zone, user_templates)


def draft(source: str, config: Config, *, now: datetime, uid: str | None = None, request=None,
          stdin: BinaryIO | None = None, user_templates=None, with_ics: bool = False):
    """The email draft for one interview, and its RFC 5322 message when the profile allows one."""
    from .drafts import DraftRequest, compose_draft

    zone = owner_zone(config)
    chosen = choose_interview(source, config, now=now, uid=uid, stdin=stdin)
    request = _request_in_zone(request or DraftRequest(), zone)
    composed = compose_draft(chosen.item, config.profile, request, user_templates)
    calendar = None
    if with_ics:
        calendar = _itip(chosen.item, composed, request, now)
    return chosen, composed, calendar


def _itip(item: Assessment, composed, request, now: datetime) -> tuple[bytes, str]:
    from . import itip
    from .drafts import Reason

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
    from .errors import UnsafeValue
    from .mime import build_message

    where = dict(where=event.source, line=event.line) if event is not None else {}
    if composed.sender is None:
        raise OutputError("a draft needs your address: set [profile] email in config.toml")
    if composed.to is None:
        raise OutputError("the event names no organizer to write to", **where)
    try:
        return build_message(sender=composed.sender, to=composed.to, subject=composed.subject, body=composed.body,
                             date=now, in_reply_to=composed.in_reply_to, calendar=calendar)
    except UnsafeValue as exc:
        raise UnsafeValue(f"the organizer's address cannot be used: {exc.message}", **where) from None
