"""The call: the sheet for it, what happened, and what the log remembers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..calls import Attempt, CallScript, NextStep, call_script, next_step
from ..context import Context, InterviewRef
from ..drafts.compose import DraftRequest
from ..drafts.language import ENGLISH, LanguageChoice
from ..errors import OutputError
from ..model import Assessment, Phone, Problem, Window
from ..outcome import Outcome
from .finding import Chosen

if TYPE_CHECKING:
    from ..integrations.state import DraftMade, Logged


def call_log(ctx: Context, item: Assessment) -> Logged | None:
    """What the log holds for this interview; None when nothing (and no log file is made just to look)."""
    from ..integrations.state import interview_facts, interview_key, open_store

    if not ctx.places.state.exists():
        return None
    with open_store(ctx.places) as store:
        return store.logged(interview_key(item.event), interview_facts(item.event))


def with_damage(ctx: Context, chosen: Chosen, logged: Logged | None) -> Chosen:
    """`chosen` with a warning when the call log's record of it is damaged (what could be read is used)."""
    if logged is None or not logged.damaged:
        return chosen
    return chosen.with_warnings((Problem(str(ctx.places.state), logged.damaged),))


def record_draft_made(ctx: Context, item: Assessment, made: DraftMade) -> None:
    """Remember that a draft was made (a file, a link, a mailbox draft), for `status`."""
    from ..integrations.state import interview_facts, interview_key, open_store

    with open_store(ctx.places) as store:
        store.record_draft(interview_key(item.event), interview_facts(item.event), made)


@dataclass(frozen=True)
class CallSheet:
    """Everything for the call: the interview, the numbers (the first to dial, then backups), the
    interviewer's time now, what the log holds, and the next step."""

    chosen: Chosen
    numbers: tuple[Phone, ...]
    their_now: datetime
    logged: Logged | None
    next: NextStep
    script: CallScript  # what to say, for the request's reason, offering the times the email offers
    offered: tuple[Window, ...] = ()  # the times to offer on the phone: the ones the email offers
    language: LanguageChoice = ENGLISH  # the email's language, and the invitation's


def call_sheet(
    ctx: Context, ref: InterviewRef, request: DraftRequest | None = None, *, busy_sources: Sequence[str] = ()
) -> CallSheet:
    """The call: numbers, their time now, the log, the next step, and the times to offer: the times `plan`
    and `draft` offer for the same request (one choice of times, made by api.emails)."""
    from .emails import offered_times

    chosen, offered, language = offered_times(ctx, ref, request or DraftRequest(), busy_sources)
    item = chosen.item
    logged = call_log(ctx, item)
    chosen = with_damage(ctx, chosen, logged)
    their_now = ctx.now.astimezone(item.event.start.tzinfo)
    step = _next_step(ctx, item, logged.attempts if logged else ())
    reason = (request or DraftRequest()).reason.value
    script = call_script(item, ctx.config.profile, reason, their_now, offered, ctx.owner_zone, language)
    return CallSheet(chosen, item.phones, their_now, logged, step, script, offered, language)


@dataclass(frozen=True)
class CallRecorded:
    logged: Logged
    next: NextStep
    warnings: tuple[Problem, ...] = ()  # what may not suit about an agreed time


def record_call(
    ctx: Context,
    item: Assessment,
    outcome: Outcome,
    *,
    number: str = "",
    agreed: date | datetime | None = None,
) -> CallRecorded:
    """Log one attempt (and the new time agreed, after a reached call); the next step after it. An agreed
    time is checked as `draft --agreed` checks it: a date alone, a past time, one inside the interview or
    one the clocks skip is refused before anything is recorded."""
    from ..integrations.state import interview_facts, interview_key, open_store
    from .free_times import checked_times

    if outcome not in Outcome.recordable():
        raise OutputError(f"{outcome.value!r} is not what a call comes to; nothing was recorded")
    if agreed is not None and outcome is not Outcome.REACHED:
        raise OutputError("a new time can only be agreed on a call that reached them (--outcome reached)")
    checked = checked_times(ctx, (agreed,), "--agreed", item) if agreed is not None else None
    agreed_at = checked.slots[0].start if checked else None
    with open_store(ctx.places) as store:
        logged = store.record_attempt(
            interview_key(item.event), interview_facts(item.event), Attempt(ctx.now, outcome, number), agreed_at
        )
    warnings = tuple(Problem(named, text) for named, text in checked.warnings) if checked else ()
    return CallRecorded(logged, _next_step(ctx, item, logged.attempts), warnings)


def _next_step(ctx: Context, item: Assessment, attempts: tuple[Attempt, ...]) -> NextStep:
    from .free_times import waking

    return next_step(
        attempts,
        now=ctx.now,
        start=item.event.start,
        tier=item.notice.tier,
        their_zone=item.event.start.tzinfo or ctx.owner_zone,
        policy=ctx.config.notice,
        owner_zone=ctx.owner_zone,
        waking=waking(ctx),
    )
