"""Scan sources for interviews, and choose the one interview a job is about."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from ..config import Profile
from ..context import Context, InterviewRef
from ..detection import Detector, build_detector
from ..errors import CallfirstError, EventNotFound, SourceError
from ..model import Assessment, Event, Overrides, Problem, ReadResult, ScanResult, Window
from ..triage import assess, assess_events, interviews, owner_addresses, owner_verdict

if TYPE_CHECKING:
    from ..ical.prefilter import Selector

DEFAULT_DAYS = 90


def default_window(ctx: Context) -> Window:
    return Window(start=ctx.now, end=ctx.now + timedelta(days=DEFAULT_DAYS))


def scan(
    ctx: Context,
    sources: Sequence[str],
    *,
    window: Window | None = None,
    include_all: bool = False,
    their_zone: str | None = None,
) -> ScanResult:
    """Find interviews in the sources; with include_all, every event in the window with its verdict.
    `their_zone` (an IANA name) is the interviewers' zone whatever the invitations say.
    A source that cannot be read becomes one of the result's errors; the others are read all the same."""
    from ..ical.prefilter import Selector

    detector = build_detector(ctx.config.detection)
    selector = Selector(
        window=window or default_window(ctx),
        could_be_interview=detector.could_be_interview,
        keep_all_in_window=include_all,
        stems=detector.stems,
        title_rules_out=None if include_all else detector.title_rules_out,
        owner_addresses=owner_addresses(ctx.config.profile),
        owned_rules_out=None if include_all else _owned_rules_out(detector, ctx.config.profile),
    )
    return scan_selected(ctx, sources, selector, everything=include_all, their_zone=their_zone)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_VERDICTS_KEPT = 50_000


def _owned_rules_out(detector: Detector, profile: Profile) -> Callable[[str], bool]:
    """Does a raw VEVENT block the owner organizes say, by the verdict on its own fields, that it is no
    interview (the owner interviews someone)? Worked out once per distinct set of fields; False whenever the
    block leaves any doubt, so it is parsed."""
    from ..ical.lines import OwnFields, own_fields

    addresses = owner_addresses(profile)
    verdicts: dict[OwnFields, bool] = {}

    def rules_out(text: str) -> bool:
        fields = own_fields(text)
        if fields is None or fields.organizer is None or fields.organizer.email.strip().lower() not in addresses:
            return False
        known = verdicts.get(fields)
        if known is None:
            if len(verdicts) >= _VERDICTS_KEPT:
                verdicts.clear()
            event = Event(
                "",
                fields.summary,
                _EPOCH,
                _EPOCH,
                "UTC",
                description=fields.description,
                location=fields.location,
                organizer=fields.organizer,
                attendees=fields.attendees,
            )
            known = verdicts[fields] = not owner_verdict(event, profile, detector).is_interview
        return known

    return rules_out


def scan_selected(
    ctx: Context, sources: Sequence[str], selector: Selector, *, everything: bool, their_zone: str | None = None
) -> ScanResult:
    """`scan` with the events read chosen by `selector`; `everything`: each with its verdict, not only the
    interviews."""
    from ..integrations.sources import read_source

    config = ctx.config
    events: list[Event] = []
    warnings, errors = list(config.warnings), list[Problem]()
    for spec in _once_each(sources, warnings):
        try:
            result = read_source(spec, selector, ctx)
        except CallfirstError as exc:  # one source failing (Google unreachable) never hides the others
            result = ReadResult(errors=(_problem_from(spec, exc),))
        events.extend(result.events)
        warnings.extend(result.warnings)
        errors.extend(result.errors)
    overrides = Overrides(their_zone=their_zone) if their_zone else None
    assessed = assess_events(events, ctx.now, config, ctx.owner_zone, overrides)
    chosen = assessed if everything else interviews(assessed)
    return ScanResult(
        assessments=chosen, warnings=tuple(warnings), errors=tuple(errors), now=ctx.now, owner_zone=ctx.owner_zone.key
    )


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
        from ..integrations.sources import label

        return Problem(label(spec), exc.message)
    return Problem(exc.where, exc.message, exc.line)


# --- one interview -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Chosen:
    """The interview the user means, with what reading the source said."""

    item: Assessment
    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...]
    # Every event the source holds around now: the owner's calendar, for finding free times.
    calendar: tuple[Assessment, ...] = ()

    def with_warnings(self, warnings: Sequence[Problem] = (), errors: Sequence[Problem] = ()) -> Chosen:
        return replace(self, warnings=self.warnings + tuple(warnings), errors=self.errors + tuple(errors))


def choose_interview(ctx: Context, ref: InterviewRef) -> Chosen:
    """The event `ref` names (its next occurrence), or the source's only interview; its facts read, with the
    user's overrides applied, even when the event is not judged an interview."""
    chosen = _choose(ctx, ref)
    item = chosen.item
    overrides = ref.overrides
    if item.facts is None or overrides != Overrides():
        item = assess(
            item.event,
            item.verdict,
            ctx.now,
            ctx.config,
            ctx.owner_zone,
            item.not_actionable_because,
            overrides=overrides,
        )
    return replace(chosen, item=item)


def choosing_window(ctx: Context) -> Window:
    """Where the interview a job is about is looked for: from yesterday to a year from now."""
    return Window(start=ctx.now - timedelta(days=1), end=ctx.now + timedelta(days=366))


def _choose(ctx: Context, ref: InterviewRef) -> Chosen:
    """The interview, found without reading every event of the year: the events holding the UID named, or
    the interviews. Its calendar (for free times) is read later, only in the days that matter (see
    free_times.with_calendar)."""
    now, source = ctx.now, ref.source
    window = choosing_window(ctx)
    if ref.event:
        result = _scan_for_uid(ctx, source, window, ref.event)
    else:
        result = scan(ctx, [source], window=window)
    if not result.assessments and result.errors:
        first = result.errors[0]
        raise SourceError(first.message, where=first.source, line=first.line)
    if ref.event:
        found = _named(result.assessments, ref, lambda: scan(ctx, [source], window=window).assessments)
    else:
        found = _interviews_to_come(result.assessments, ctx)
    if ref.event:
        upcoming = [a for a in found if a.event.end > now]
        return Chosen((upcoming or found)[0], result.warnings, result.errors)
    if len(found) == 1:
        return Chosen(found[0], result.warnings, result.errors)
    if not found:
        raise EventNotFound(
            "no upcoming interview found; name one with --event UID (see `callfirst scan --all`)", where=source
        )
    listing = "; ".join(
        f"{reference} ({a.event.summary[:40]}, {a.event.start:%Y-%m-%d %H:%M})"
        for a, reference in list(zip(found, event_references(found), strict=True))[:5]
    )
    raise EventNotFound(f"holds {len(found)} interviews; choose one with --event: {listing}", where=source)


_PLAIN_UID = re.compile(r"[A-Za-z0-9@._+=/-]{3,}")


def _scan_for_uid(ctx: Context, source: str, window: Window, named: str) -> ScanResult:
    """Every event in the window whose text holds the UID `--event` names (a superset: `_named` picks),
    each with its verdict; a UID not plainly written is looked for among every event, as before."""
    from ..ical.prefilter import Selector

    uid = named.rpartition("@")[0] or named  # UID@DATE names an occurrence; a UID may hold an @ itself
    if not _PLAIN_UID.fullmatch(uid):
        return scan(ctx, [source], window=window, include_all=True)
    wanted = uid.lower()
    selector = Selector(
        window=window, could_be_interview=lambda text: wanted in text.lower(), stems=(wanted,), keep_all_in_window=False
    )
    return scan_selected(ctx, [source], selector, everything=True)


def _interviews_to_come(assessments: Sequence[Assessment], ctx: Context) -> list[Assessment]:
    return [a for a in assessments if a.verdict.is_interview and a.actionable and a.event.end > ctx.now]


def _named(
    assessments: Sequence[Assessment], ref: InterviewRef, interviews: Callable[[], Sequence[Assessment]]
) -> list[Assessment]:
    """The events `ref` names; none is an error naming the interviews the source does hold (read only then)."""
    wanted = ref.named or ""
    matches = named_by(assessments, wanted)
    if matches:
        return matches
    if ref.occurrence is not None and named_by(assessments, ref.event or ""):
        days = sorted({_day(a.event) for a in named_by(assessments, ref.event or "")})
        shown = ", ".join(days[:5]) + (", …" if len(days) > 5 else "")
        raise EventNotFound(
            f"event {ref.event!r} has no occurrence on {ref.occurrence.isoformat()} (it meets on {shown})",
            where=ref.source,
        )
    raise EventNotFound(
        f"no event {wanted!r} between yesterday and a year from now; {_what_it_holds(interviews())}", where=ref.source
    )


def _what_it_holds(assessments: Sequence[Assessment]) -> str:
    """The interviews one could mean instead, as --event takes them, or where to look."""
    if not assessments:
        return "it holds no interview in that time (`callfirst scan --all` lists every event)"
    ordered = list(assessments)
    shown = [
        f"{reference} ({a.event.summary[:40]}, {a.event.start:%Y-%m-%d %H:%M})"
        for a, reference in list(zip(ordered, event_references(ordered), strict=True))[:5]
    ]
    more = f" and {len(ordered) - 5} more (`callfirst scan --all`)" if len(ordered) > 5 else ""
    return "it holds: " + "; ".join(shown) + more


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
