"""One interview's plan (notice, call plan, email preview) and its email draft, delivered to a target."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..calls import EmailChoice, choose_email
from ..context import Context, InterviewRef
from ..drafts.compose import Draft, DraftRequest, Plan, Reason, compose_draft, compose_plan, suggestions_wanted
from ..drafts.language import LanguageChoice
from ..errors import OutputError, ProfileMissing, UnsafeValue
from ..integrations.targets import Delivered, TargetOptions
from ..model import Assessment, Problem, ScanResult, Window
from ..outcome import Outcome
from ..proposals import Checked
from .calllog import call_log, with_damage
from .finding import Chosen, choose_interview
from .free_times import busy_calendars, busy_windows, busy_with_names, checked_times, suggest, with_calendar


@dataclass(frozen=True)
class PlanResult:
    """The interview chosen and its plan: notice, call plan, email preview; `email` says which email the
    preview is and whether the call log chose it."""

    chosen: Chosen
    plan: Plan
    email: EmailChoice


@dataclass(frozen=True)
class DraftResult:
    """The interview chosen, its email draft, the iTIP part (bytes, METHOD) when asked for, and what the
    target did with it (None when no target was named)."""

    chosen: Chosen
    draft: Draft
    email: EmailChoice
    calendar: tuple[bytes, str] | None = None
    delivered: Delivered | None = None


def plan(
    ctx: Context, ref: InterviewRef, request: DraftRequest | None = None, *, busy_sources: Sequence[str] = ()
) -> PlanResult:
    """Notice warning, call plan, email preview for one interview, with free times offered.

    Without `request.called`, the preview is the email the call log calls for (the confirmation before any
    attempt, the email one writes after reaching them)."""
    chosen, request = _prepared(ctx, ref, request or DraftRequest(), busy_sources)
    chosen, request, email = _which_email(ctx, chosen, request, otherwise=Outcome.REACHED)
    composed = compose_plan(chosen.item, ctx.config.profile, request, ctx.now, ctx.owner_zone, _templates(ctx))
    return PlanResult(chosen=_language_warnings(chosen, composed.draft), plan=composed, email=email)


def draft(
    ctx: Context,
    ref: InterviewRef,
    request: DraftRequest | None = None,
    *,
    busy_sources: Sequence[str] = (),
    with_ics: bool = False,
    target: str | None = None,
    options: TargetOptions | None = None,
) -> DraftResult:
    """The email draft for one interview, with its iTIP part (`with_ics`); delivered to `target` (a name in
    integrations.targets.TARGET_MODULES: stdout, file, mailto, gmail, …) when one is named. Never sends.

    Without `request.called`, the email is the one the call log calls for ('not yet called' when no real
    attempt is logged)."""
    if not ctx.config.profile.name.strip():
        raise ProfileMissing(
            "no name to sign the email with: run `callfirst init` to set up your profile", detail="name"
        )
    chosen, request = _prepared(ctx, ref, request or DraftRequest(), busy_sources)
    chosen, request, email = _which_email(ctx, chosen, request, otherwise=Outcome.NOT_YET)
    composed = compose_draft(chosen.item, ctx.config.profile, request, _templates(ctx), ctx.now)
    chosen = _language_warnings(chosen, composed)
    if composed.to is None:
        event = chosen.item.event
        raise OutputError(
            f"no one to write to: {composed.to_missing}; give --to ADDRESS", where=event.source, line=event.line
        )
    calendar = _itip(ctx, chosen.item, composed, request) if with_ics else None
    result = DraftResult(chosen=chosen, draft=composed, email=email, calendar=calendar)
    if target is None:
        return result
    return replace(result, delivered=deliver(ctx, result, target, options or TargetOptions()))


def deliver(ctx: Context, result: DraftResult, target: str, options: TargetOptions) -> Delivered:
    """Hand the draft to a target, and remember what it made for `status`."""
    from ..integrations.targets import Outgoing, target_named

    outgoing = Outgoing(result.chosen.item, result.draft, result.calendar, options)
    delivered = target_named(target).deliver(outgoing, ctx)
    if delivered.made is not None:
        from .calllog import record_draft_made

        record_draft_made(ctx, result.chosen.item, delivered.made)
    return delivered


def _prepared(
    ctx: Context, ref: InterviewRef, request: DraftRequest, busy_sources: Sequence[str]
) -> tuple[Chosen, DraftRequest]:
    """The chosen interview and the request with its times checked (errors for what cannot be offered,
    warnings for what may not suit), plus the free times wanted after them."""
    chosen = choose_interview(ctx, ref)
    request = replace(request, declared=_declared(chosen.item))
    recalled = _recalled(ctx, chosen.item, request)
    if recalled is not None:
        return chosen.with_warnings(_problems(recalled)), replace(request, slots=recalled.slots)
    chosen, request = _chosen_times(ctx, ref, chosen, request, busy_sources)
    if request.slots and request.reason is not Reason.WITHDRAW and request.agreed_slot is None:
        from ..integrations.offered import remember

        remember(ctx.places, chosen.item.event, request.slots)
    return chosen, request


def _recalled(ctx: Context, item: Assessment, request: DraftRequest) -> Checked | None:
    """The times offered before for this interview (by plan, call or draft), still to come, when the user
    asks for nothing else: the phone and the email offer the same times."""
    asked = request.proposals or request.agreed or request.suggest is not None
    if asked or request.reason is Reason.WITHDRAW:
        return None
    from ..errors import ProposalError
    from ..integrations.offered import recall
    from ..timezones import zone_of

    offered = [slot.start for slot in recall(ctx.places, item.event)]
    theirs = zone_of(item.event.start)
    today = ctx.now.astimezone(theirs).date()
    times = [start for start in offered if start > ctx.now and start.astimezone(theirs).date() > today]
    if not times or len(times) < len(offered):  # one has come too close (today) or passed: choose afresh
        return None
    try:
        checked = checked_times(ctx, times, "a time offered before", item)
    except ProposalError:  # the interview moved onto it: choose again
        return None
    # Offered again as they were: what may not suit them was said when they were first offered (or, for free
    # times callfirst chose, was weighed then), so nothing is said of them again.
    return replace(checked, warnings=())


def _chosen_times(
    ctx: Context, ref: InterviewRef, chosen: Chosen, request: DraftRequest, busy_sources: Sequence[str]
) -> tuple[Chosen, DraftRequest]:
    """The times the user gave, checked, and the free times wanted after them."""
    wanted = suggestions_wanted(request, ctx.config.slots.count)
    times_given = bool(request.proposals or request.agreed)
    given = (*request.proposals, *((request.agreed,) if request.agreed else ()))
    windows = busy_windows(ctx, chosen, given)
    if times_given or wanted > 0:
        chosen = with_calendar(ctx, ref.source, chosen, windows)
    busy_read = (
        busy_calendars(ctx, busy_sources, windows)
        if busy_sources and (times_given or wanted)
        else ScanResult(assessments=(), now=ctx.now)
    )
    busy = busy_with_names(ctx, chosen, busy_read) if times_given else ()
    proposed = checked_times(ctx, request.proposals, "--propose", chosen.item, busy)
    agreed = checked_times(ctx, (request.agreed,), "--agreed", chosen.item, busy) if request.agreed else None
    chosen = chosen.with_warnings(_problems(proposed) + (_problems(agreed) if agreed else ()))
    request = replace(request, slots=proposed.slots, agreed_slot=agreed.slots[0] if agreed else None)
    if wanted <= 0:
        return chosen.with_warnings(busy_read.warnings, busy_read.errors), request
    found = suggest(ctx, ref.source, chosen, busy_sources, busy_read, wanted, avoid=proposed.slots)
    chosen = Chosen(chosen.item, found.warnings, found.errors, chosen.calendar)
    # The times you gave first, in your order (the COUNTER proposes the first); then free ones by date.
    return chosen, replace(request, slots=proposed.slots + tuple(sorted(found.search.slots, key=lambda s: s.start)))


def offered_times(
    ctx: Context, ref: InterviewRef, request: DraftRequest, busy_sources: Sequence[str] = ()
) -> tuple[Chosen, tuple[Window, ...], LanguageChoice]:
    """The interview, the times its email would offer (by date), for the call script to offer the same, and
    the email's language."""
    from ..drafts.compose import language_for

    chosen, request = _prepared(ctx, ref, request, busy_sources)
    language = language_for(chosen.item, request)
    if request.reason is Reason.WITHDRAW or request.agreed_slot is not None:
        return chosen, (), language
    return chosen, tuple(sorted(request.slots or (), key=lambda s: s.start)), language


def _declared(item: Assessment) -> tuple[str, ...]:
    """The languages the invitation's file declares for itself."""
    from ..integrations.declared import declared_languages

    return declared_languages(item.event)


def _language_warnings(chosen: Chosen, composed: Draft) -> Chosen:
    """The warning that the invitation's language is not one callfirst writes, named after the source."""
    if not composed.language.warning:
        return chosen
    event = chosen.item.event
    return chosen.with_warnings((Problem(event.source, composed.language.warning, event.line),))


def _problems(checked: Checked) -> tuple[Problem, ...]:
    return tuple(Problem(named, text) for named, text in checked.warnings)


def _which_email(
    ctx: Context, chosen: Chosen, request: DraftRequest, *, otherwise: Outcome
) -> tuple[Chosen, DraftRequest, EmailChoice]:
    """The request with the email decided: `called` as given, else from the call log (with the new time
    agreed on a reached call, when it is still to come); `chosen` warns when the log's record is damaged."""
    logged = call_log(ctx, chosen.item) if request.called is None else None
    chosen = with_damage(ctx, chosen, logged)
    email = choose_email(request.called, logged.attempts if logged else (), otherwise=otherwise)
    request = replace(request, called=email.called)
    if email.from_log and logged and email.logged:
        calls = [a for a in logged.attempts if a.outcome is email.called]
        request = replace(request, called_at=calls[-1].at if calls else None)
    if email.from_log and email.called is Outcome.REACHED and logged and logged.agreed and not request.agreed_slot:
        from ..proposals import interview_length, slot_at

        event = chosen.item.event
        agreed = logged.agreed.astimezone(event.start.tzinfo)
        if agreed > event.end:  # a time still to come: the confirmation names it
            request = replace(request, agreed_slot=slot_at(agreed, interview_length(event)), slots=())
    return chosen, request, email


def _templates(ctx: Context) -> dict[str, str]:
    """The user's own templates, read from their folder (the drafts package renders, it never reads files)."""
    from ..integrations.home import read_user_templates

    return read_user_templates(ctx.places.templates)


def _itip(ctx: Context, item: Assessment, composed: Draft, request: DraftRequest) -> tuple[bytes, str]:
    from ..drafts import itip

    if composed.sender is None:
        raise OutputError("--ics needs your address: set [profile] email in config.toml")
    if request.reason is not Reason.WITHDRAW and not composed.proposals:
        raise OutputError("--ics proposes a new time: give at least one --propose DATETIME")
    event = item.event
    from ..drafts.compose import calendar_comment

    comment, language = calendar_comment(item, request, ctx.now)
    try:
        if request.reason is Reason.WITHDRAW:
            return itip.decline(event, composed.sender, ctx.now, comment, language), "REPLY"
        first = composed.proposals[0]
        return itip.counter(event, composed.sender, first.start, first.end, ctx.now, comment, language), "COUNTER"
    except UnsafeValue as exc:
        message = f"an address cannot be used in --ics: {exc.message}"
        raise UnsafeValue(message, where=event.source, line=event.line) from None
