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
    agreed_option,
    as_datetime,
    busy_option,
    called_option,
    context,
    facts_options,
    note_option,
    one_interview_options,
    overrides_from,
    pass_env,
    propose_option,
    reason_option,
    request_from,
    resolve_now,
    stdin_for,
    suggest_option,
    zone_callback,
)
from .output import (
    Progress,
    console,
    echo,
    print_json,
    progress_wanted,
    readable,
    report_note,
    report_problems,
    slots_json,
    slots_text,
    warn,
)

if TYPE_CHECKING:
    from ..config import Config


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
    from .. import api
    from ..model import Window
    from .output import json_target, scan_table, write_scan_json

    config, zone = context(env)
    moment = resolve_now(now, zone, env)
    window_start = as_datetime(start, zone) if start else moment
    window_end = as_datetime(end, zone, end_of_day=True) if end else window_start + timedelta(days=api.DEFAULT_DAYS)
    if window_end <= window_start:
        raise click.UsageError("--to must be after --from")
    progress = Progress(enabled=progress_wanted(env, as_json), console=console(env, stderr=True))
    try:
        result = api.scan(
            sources,
            config,
            now=moment,
            window=Window(window_start, window_end),
            include_all=include_all,
            stdin=stdin_for(env, *sources),
            progress=progress,
            places=env.places,
            their_zone=their_zone,
        )
    finally:
        progress.close()
    report_problems(env, result.warnings, result.errors)
    if as_json:
        write_scan_json(result, json_target(env.stdout))
    elif result.assessments:
        console(env).print(scan_table(result, show_verdict=include_all))
    elif not result.errors:  # "no interviews" only when no source failed
        what = "events" if include_all else "interviews"
        echo(env, f"No {what} between {window_start:%Y-%m-%d %H:%M} and {window_end:%Y-%m-%d %H:%M} ({zone.key}).")
    return exit_status(result.errors)


def suggestions(config: Config, propose: tuple[object, ...], agreed: object, asked: int | None) -> int:
    """How many free times to add: what was asked, else enough to make [slots] count with --propose;
    none once a new time is agreed. plan and draft share it, so the preview is the email drafted."""
    if agreed is not None:
        return 0
    return max(config.slots.count - len(propose), 0) if asked is None else asked


@click.command()
@one_interview_options
@reason_option
@called_option("Which email to preview (before any call: the confirmation).")
@propose_option
@agreed_option
@note_option
@suggest_option(None, "Offer N free alternative times (default: enough to make three with --propose).")
@busy_option
@facts_options
@pass_env
def plan(
    env: Environment,
    source: str,
    uid: str | None,
    now: date | datetime | None,
    reason: str,
    called: str | None,
    propose: tuple[date | datetime, ...],
    agreed: date | datetime | None,
    note: str | None,
    suggest: int | None,
    busy_sources: tuple[str, ...],
    company: str | None,
    role: str | None,
    their_zone: str | None,
    phone: str | None,
    to: str | None,
) -> ExitStatus:
    """The notice warning, the phone call plan (first), then the email preview."""
    from .. import api

    config, zone = context(env)
    if not config.profile.name.strip():
        warn(env, "no profile yet: run `callfirst init` so the script and the email carry your name")
    result = api.plan(
        source,
        config,
        now=resolve_now(now, zone, env),
        uid=uid,
        request=request_from(reason, called, propose, note, False, agreed),
        stdin=stdin_for(env, source),
        user_templates=env.places.templates,
        busy_sources=busy_sources,
        suggest=suggestions(config, propose, agreed, suggest),
        places=env.places,
        overrides=overrides_from(company, role, their_zone, phone, to),
        use_call_log=called is None,
    )
    chosen = result.chosen
    report_problems(env, chosen.warnings, chosen.errors)
    if not chosen.item.actionable:
        warn(env, f"this event is not actionable: {chosen.item.not_actionable_because}")
    if not chosen.item.verdict.is_interview:
        warn(env, "this event does not look like a job interview; the plan is made as you asked")
    echo(env, result.plan.text, nl=False)
    return exit_status(chosen.errors)


@click.command()
@one_interview_options
@reason_option
@called_option("What happened when you called: reached, voicemail, no-answer, or not-yet.")
@propose_option
@agreed_option
@note_option
@click.option("--keep-note", is_flag=True, help="Include --note even if the check objects.")
@click.option("--out", type=click.Path(dir_okay=False), metavar="FILE.eml", help="Write an RFC 5322 draft file.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--mailto", is_flag=True, help="Print a mailto: link instead.")
@click.option(
    "--open", "open_it", is_flag=True, help="With --out or --mailto: open it in your mail client (nothing is sent)."
)
@click.option("--ics", "with_ics", is_flag=True, help="Attach an iTIP COUNTER (or REPLY declining, for withdraw).")
@click.option("--gmail", is_flag=True, help="Save it as a Gmail draft (updates the one saved before).")
@click.option(
    "--thread", "find_thread", is_flag=True, help="With --gmail: find the invitation's thread and reply in it."
)
@click.option("--new", "new_draft", is_flag=True, help="With --gmail: another draft instead of updating the last one.")
@suggest_option(None, "Offer N free alternative times after any --propose (default: enough to make three).")
@busy_option
@facts_options
@pass_env
def draft(
    env: Environment,
    source: str,
    uid: str | None,
    now: date | datetime | None,
    reason: str,
    called: str | None,
    propose: tuple[date | datetime, ...],
    agreed: date | datetime | None,
    note: str | None,
    keep_note: bool,
    out: str | None,
    force: bool,
    mailto: bool,
    open_it: bool,
    with_ics: bool,
    gmail: bool,
    find_thread: bool,
    new_draft: bool,
    suggest: int | None,
    busy_sources: tuple[str, ...],
    company: str | None,
    role: str | None,
    their_zone: str | None,
    phone: str | None,
    to: str | None,
) -> ExitStatus:
    """The email that follows the call, as a draft: stdout, a .eml file, or a mailto: link. Never sent."""
    from pathlib import Path

    from .. import api
    from ..integrations.files import write_atomic

    if sum(map(bool, (out is not None, mailto, gmail))) > 1:
        raise click.UsageError("choose one of --out, --mailto and --gmail")
    if (find_thread or new_draft) and not gmail:
        raise click.UsageError("--thread and --new go with --gmail")
    if open_it and not (out or mailto):
        raise click.UsageError("--open goes with --out FILE.eml or --mailto")
    config, zone = context(env)
    moment = resolve_now(now, zone, env)
    result = api.draft(
        source,
        config,
        now=moment,
        uid=uid,
        request=request_from(reason, called, propose, note, keep_note, agreed),
        stdin=stdin_for(env, source),
        user_templates=env.places.templates,
        with_ics=with_ics,
        busy_sources=busy_sources,
        suggest=suggestions(config, propose, agreed, suggest),
        places=env.places,
        overrides=overrides_from(company, role, their_zone, phone, to),
        use_call_log=called is None,
    )
    chosen, composed, calendar = result.chosen, result.draft, result.calendar
    report_problems(env, chosen.warnings, chosen.errors)
    report_note(env, composed)
    if called == "not-yet" or (called is None and result.called_from_log is None):
        warn(env, call_first_text(source, uid, logged=called is None))
    item = chosen.item
    if gmail:
        saved = api.save_to_gmail(
            chosen, composed, now=moment, calendar=calendar, find_thread=find_thread, new=new_draft, places=env.places
        )
        for text in saved.warnings:
            warn(env, text)
        if saved.thread_found is False:
            warn(env, "the invitation was not found in Gmail; the draft starts a new thread")
        echo(
            env, f"Gmail draft {'updated' if saved.saved.updated else 'created'} (nothing was sent): {saved.saved.link}"
        )
    elif out is not None:
        message = api.draft_message(composed, now=moment, calendar=calendar, event=chosen.item.event)
        write_atomic(Path(out), bytes(message), force=force)
        echo(env, f"Draft written to {out} (open it in your mail client; nothing was sent).")
        api.record_draft_made(item, "file", str(Path(out).resolve()), now=moment, places=env.places)
        if open_it:
            env.opener(str(Path(out).resolve()))
    elif mailto:
        from ..drafts.message import mailto_link

        if composed.to is None:
            raise click.UsageError("the event names no organizer for a mailto: link")
        link = mailto_link(composed.to, composed.subject, composed.body)
        echo(env, link)
        api.record_draft_made(item, "mailto", link, now=moment, places=env.places)
        if open_it:
            env.opener(link)
    elif calendar is not None:
        message = api.draft_message(composed, now=moment, calendar=calendar, event=chosen.item.event)
        echo(env, message.as_string(), nl=False)
    else:
        echo(env, readable(composed), nl=False)
    return exit_status(chosen.errors)


def call_first_text(source: str, uid: str | None, logged: bool) -> str:
    pick = f" --event {uid}" if uid else ""
    where = "no call is logged for this interview. " if logged else ""
    return (
        f"call first: {where}Talk to a live person before you email (`callfirst call {source}{pick}`); "
        "this draft does not mention a call."
    )


@click.command()
@one_interview_options
@busy_option
@click.option("--count", type=click.IntRange(1, 20), metavar="N", help="How many slots (default: [slots] count, 3).")
@click.option(
    "--days", type=click.IntRange(1, 366), metavar="D", help="Within D working days (default: [slots] days, 10)."
)
@click.option("--json", "as_json", is_flag=True, help='Print {"slots": [{"start": …, "end": …}]}.')
@facts_options
@pass_env
def slots(
    env: Environment,
    source: str,
    uid: str | None,
    now: date | datetime | None,
    busy_sources: tuple[str, ...],
    count: int | None,
    days: int | None,
    as_json: bool,
    company: str | None,
    role: str | None,
    their_zone: str | None,
    phone: str | None,
    to: str | None,
) -> ExitStatus:
    """Free alternative times in the interviewer's working hours, spread over days."""
    from dataclasses import replace

    from .. import api

    config, zone = context(env)
    if days:
        config = replace(config, slots=replace(config.slots, days=days))
    found = api.suggest_slots(
        source,
        config,
        now=resolve_now(now, zone, env),
        uid=uid,
        busy_sources=busy_sources,
        count=count,
        stdin=stdin_for(env, source),
        places=env.places,
        overrides=overrides_from(company, role, their_zone, phone, to),
    )
    report_problems(env, found.warnings, found.errors)
    if as_json:
        print_json(env, slots_json(found))
    else:
        echo(env, slots_text(found, zone), nl=False)
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
