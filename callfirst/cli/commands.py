"""The commands: each parses its arguments, calls one library function, hands the result to output,
and returns an exit status."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import click

from ..errors import ExitStatus, exit_status
from .environment import Environment
from .options import (
    MOMENT,
    as_datetime,
    busy_option,
    interview_options,
    job_context,
    pass_env,
    request_options,
    target_options,
    zone_callback,
)
from .output import (
    Progress,
    console,
    echo,
    fitted,
    print_json,
    progress_shown,
    progress_wanted,
    report_note,
    report_problems,
    slots_json,
    slots_text,
    warn,
)

if TYPE_CHECKING:
    from ..api import TargetOptions
    from ..context import InterviewRef
    from ..drafts.compose import DraftRequest


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--from", "start", type=MOMENT, help="Start of the window (default: now).")
@click.option("--to", "end", type=MOMENT, help="End of the window, inclusive for a date (default: 90 days on).")
@click.option("--now", type=MOMENT, help="Pretend it is this moment (ISO 8601).")
@click.option("--all", "include_all", is_flag=True, help="List every event in the window with its verdict.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.option("--their-zone", metavar="ZONE", callback=zone_callback, help="The interviewers' time zone (IANA name).")
@pass_env
def scan(
    env: Environment,
    sources: tuple[str, ...],
    start: date | datetime | None,
    end: date | datetime | None,
    now: date | datetime | None,
    include_all: bool,
    as_json: bool,
    their_zone: str | None,
) -> ExitStatus:
    """Find upcoming interviews and grade the notice the employer gets."""
    from dataclasses import replace

    from .. import api
    from ..model import Window
    from .output import json_target, print_scan_table, write_scan_json

    ctx = job_context(env, now, sources)
    zone = ctx.owner_zone
    window_start = as_datetime(start, zone) if start else ctx.now
    window_end = as_datetime(end, zone, end_of_day=True) if end else window_start + timedelta(days=api.DEFAULT_DAYS)
    if window_end <= window_start:
        raise click.UsageError("--to must be after --from")
    progress = Progress(enabled=progress_wanted(env, as_json), console=console(env, stderr=True))
    try:
        result = api.scan(
            replace(ctx, progress=progress),
            sources,
            window=Window(window_start, window_end),
            include_all=include_all,
            their_zone=their_zone,
        )
    finally:
        progress.close()
    report_problems(env, result.warnings, result.errors)
    if as_json:
        write_scan_json(result, json_target(env.stdout))
    elif result.assessments:
        print_scan_table(console(env), result, show_verdict=include_all)
    elif not result.errors:  # "no interviews" only when no source failed
        what = "events" if include_all else "interviews"
        hint = "" if include_all else " `callfirst scan --all` lists every event with why it is or is not one."
        echo(
            env,
            f"No {what} between {window_start:%Y-%m-%d %H:%M} and {window_end:%Y-%m-%d %H:%M} ({zone.key}).{hint}",
        )
    return exit_status(result.errors)


@click.command()
@interview_options
@request_options("Which email to preview (before any call: the confirmation).")
@busy_option
@pass_env
def plan(
    env: Environment,
    ref: InterviewRef,
    now: date | datetime | None,
    request: DraftRequest,
    busy_sources: tuple[str, ...],
) -> ExitStatus:
    """The notice warning, the phone call plan (first), then the email preview."""
    from .. import api

    ctx = job_context(env, now, (ref.source,))
    if not ctx.config.profile.name.strip():
        warn(env, "no profile yet: run `callfirst init` so the script and the email carry your name")
    with progress_shown(env, ctx) as reading:
        result = api.plan(reading, ref, request, busy_sources=busy_sources)
    chosen = result.chosen
    report_problems(env, chosen.warnings, chosen.errors)
    if not chosen.item.actionable:
        warn(env, f"this event is not actionable: {chosen.item.not_actionable_because}")
    if not chosen.item.verdict.is_interview:
        warn(env, "this event does not look like a job interview; the plan is made as you asked")
    echo(env, fitted(env, result.plan.text), nl=False)
    return exit_status(chosen.errors)


@click.command()
@interview_options
@request_options("What happened when you called: reached, voicemail, no-answer, or not-yet.", keep_note=True)
@target_options
@click.option("--ics", "with_ics", is_flag=True, help="Attach an iTIP COUNTER (or REPLY declining, for withdraw).")
@busy_option
@pass_env
def draft(
    env: Environment,
    ref: InterviewRef,
    now: date | datetime | None,
    request: DraftRequest,
    target: str,
    options: TargetOptions,
    with_ics: bool,
    busy_sources: tuple[str, ...],
) -> ExitStatus:
    """The email that follows the call, as a draft: stdout, a .eml file, a mailto: link or a mailbox draft.
    Never sent."""
    from .. import api

    ctx = job_context(env, now, (ref.source,))
    with progress_shown(env, ctx) as reading:
        result = api.draft(
            reading, ref, request, busy_sources=busy_sources, with_ics=with_ics, target=target, options=options
        )
    report_problems(env, result.chosen.warnings, result.chosen.errors)
    report_note(env, result.draft)
    if result.email.call_first:
        warn(env, call_first_text(ref, logged=result.email.from_log))
    delivered = result.delivered
    assert delivered is not None  # a target was named
    for text in delivered.warnings:
        warn(env, text)
    echo(env, delivered.text, nl=not delivered.text.endswith("\n"))
    if delivered.open:
        env.opener(delivered.open)
    return exit_status(result.chosen.errors)


def call_first_text(ref: InterviewRef, logged: bool) -> str:
    where = "no call is logged for this interview. " if logged else ""
    return (
        f"call first: {where}Talk to a live person before you email (`callfirst call {ref.command_words()}`); "
        "this draft does not mention a call."
    )


@click.command()
@interview_options
@busy_option
@click.option("--count", type=click.IntRange(1, 20), metavar="N", help="How many slots (default: [slots] count, 3).")
@click.option(
    "--days", type=click.IntRange(1, 366), metavar="D", help="Within D working days (default: [slots] days, 10)."
)
@click.option("--json", "as_json", is_flag=True, help='Print {"slots": [{"start": …, "end": …}]}.')
@pass_env
def slots(
    env: Environment,
    ref: InterviewRef,
    now: date | datetime | None,
    busy_sources: tuple[str, ...],
    count: int | None,
    days: int | None,
    as_json: bool,
) -> ExitStatus:
    """Free alternative times in the interviewer's working hours, spread over days."""
    from dataclasses import replace

    from .. import api

    ctx = job_context(env, now, (ref.source,))
    if days:
        ctx = ctx.with_config(replace(ctx.config, slots=replace(ctx.config.slots, days=days)))
    with progress_shown(env, ctx, as_json) as reading:
        found = api.suggest_slots(reading, ref, busy_sources=busy_sources, count=count)
    report_problems(env, found.warnings, found.errors)
    if as_json:
        print_json(env, slots_json(found))
    else:
        echo(env, slots_text(found, ctx.owner_zone), nl=False)
    return exit_status(found.errors)


@click.command()
@pass_env
def paths(env: Environment) -> ExitStatus:
    """Show where callfirst keeps your files."""
    places = env.places
    echo(env, f"folder:    {places.home}")
    echo(env, f"config:    {places.config}{'' if places.config.exists() else '  (not created yet)'}")
    echo(env, f"templates: {places.templates}")
    echo(env, f"token:     {places.google_token}")
    echo(env, f"call log:  {places.state}")
    return ExitStatus.OK
