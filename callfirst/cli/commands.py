"""The commands: each parses its arguments, calls one library function, hands the result to output."""

from __future__ import annotations

from datetime import timedelta

import click

from .options import (
    MOMENT,
    as_datetime,
    busy_option,
    context,
    one_interview_options,
    request_from,
    resolve_now,
    stdin_for,
    suggest_option,
    user_templates,
)
from .output import Progress, console, progress_wanted, readable, report_note, report_problems, slots_text, warn

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--from", "start", type=MOMENT, help="Start of the window (default: now).")
@click.option("--to", "end", type=MOMENT, help="End of the window, inclusive for a date (default: 90 days on).")
@click.option("--now", type=MOMENT, help="Pretend it is this moment (ISO 8601).")
@click.option("--all", "include_all", is_flag=True, help="List every event in the window with its verdict.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def scan(sources, start, end, now, include_all, as_json):
    """Find upcoming interviews and grade the notice the employer gets."""
    from .. import api
    from ..model import Window

    config, zone = context()
    now = resolve_now(now, zone)
    window_start = as_datetime(start, zone) if start else now
    window_end = as_datetime(end, zone, end_of_day=True) if end else window_start + timedelta(days=api.DEFAULT_DAYS)
    if window_end <= window_start:
        raise click.UsageError("--to must be after --from")
    progress = Progress(enabled=progress_wanted(as_json))
    try:
        result = api.scan(
            sources,
            config,
            now=now,
            window=Window(window_start, window_end),
            include_all=include_all,
            stdin=stdin_for(*sources),
            progress=progress,
        )
    finally:
        progress.close()
    report_problems(result)
    if as_json:
        import sys

        from .output import write_scan_json

        write_scan_json(result, sys.stdout)
    elif result.assessments:
        from .output import scan_table

        console().print(scan_table(result, show_verdict=include_all))
    else:
        what = "events" if include_all else "interviews"
        click.echo(f"No {what} between {window_start:%Y-%m-%d %H:%M} and {window_end:%Y-%m-%d %H:%M} ({zone.key}).")
    return EXIT_ERROR if result.errors else EXIT_OK


@click.command()
@one_interview_options
@click.option(
    "--reason",
    type=click.Choice(["conflict", "work", "emergency", "withdraw"]),
    default="conflict",
    show_default=True,
    help="conflict, work (a mandatory meeting at your current job), emergency, or withdraw.",
)
@click.option(
    "--called",
    type=click.Choice(["reached", "voicemail", "no-answer", "not-yet"]),
    default="reached",
    show_default=True,
    help="Which email to preview.",
)
@click.option(
    "--propose", multiple=True, type=MOMENT, metavar="DATETIME", help="An alternative time to offer (repeatable)."
)
@click.option("--note", help="A sentence of your own for the email.")
@suggest_option(None, "Offer N free alternative times (default: enough to make three with --propose).")
@busy_option
def plan(source, uid, now, reason, called, propose, note, suggest, busy_sources):
    """The notice warning, the phone call plan (first), then the email preview."""
    from .. import api

    config, zone = context()
    now = resolve_now(now, zone)
    chosen, result = api.plan(
        source,
        config,
        now=now,
        uid=uid,
        request=request_from(reason, called, propose, note, False),
        stdin=stdin_for(source),
        user_templates=user_templates(),
        busy_sources=busy_sources,
        suggest=max(config.slots.count - len(propose), 0) if suggest is None else suggest,
    )
    report_problems(chosen)
    if not chosen.item.actionable:
        warn(f"this event is not actionable: {chosen.item.not_actionable_because}")
    click.echo(result.text, nl=False)
    return EXIT_OK


@click.command()
@one_interview_options
@click.option(
    "--reason",
    type=click.Choice(["conflict", "work", "emergency", "withdraw"]),
    default="conflict",
    show_default=True,
    help="conflict, work (a mandatory meeting at your current job), emergency, or withdraw.",
)
@click.option(
    "--called",
    type=click.Choice(["reached", "voicemail", "no-answer", "not-yet"]),
    required=True,
    help="What happened when you called: reached, voicemail, no-answer, or not-yet.",
)
@click.option(
    "--propose",
    multiple=True,
    type=MOMENT,
    metavar="DATETIME",
    help="An alternative time (repeatable); a time without zone is yours.",
)
@click.option("--note", help="A sentence of your own; checked for oversharing.")
@click.option("--keep-note", is_flag=True, help="Include --note even if the check objects.")
@click.option("--out", type=click.Path(dir_okay=False), metavar="FILE.eml", help="Write an RFC 5322 draft file.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--mailto", is_flag=True, help="Print a mailto: link instead.")
@click.option("--ics", "with_ics", is_flag=True, help="Attach an iTIP COUNTER (or REPLY declining, for withdraw).")
@click.option("--gmail", is_flag=True, help="Save it as a Gmail draft (updates the one saved before).")
@click.option(
    "--thread", "find_thread", is_flag=True, help="With --gmail: find the invitation's thread and reply in it."
)
@click.option("--new", "new_draft", is_flag=True, help="With --gmail: another draft instead of updating the last one.")
@suggest_option(0, "Also offer N free alternative times (see `slots`), after any --propose.")
@busy_option
def draft(
    source,
    uid,
    now,
    reason,
    called,
    propose,
    note,
    keep_note,
    out,
    force,
    mailto,
    with_ics,
    gmail,
    find_thread,
    new_draft,
    suggest,
    busy_sources,
):
    """The email that follows the call, as a draft: stdout, a .eml file, or a mailto: link. Never sent."""
    from pathlib import Path

    from .. import api
    from ..integrations.files import write_atomic

    if sum(map(bool, (out, mailto, gmail))) > 1:
        raise click.UsageError("choose one of --out, --mailto and --gmail")
    if (find_thread or new_draft) and not gmail:
        raise click.UsageError("--thread and --new go with --gmail")
    config, zone = context()
    now = resolve_now(now, zone)
    if called == "not-yet":
        warn("call first. Talk to a live person before you email; this draft is for after the call.")
    chosen, composed, calendar = api.draft(
        source,
        config,
        now=now,
        uid=uid,
        request=request_from(reason, called, propose, note, keep_note),
        stdin=stdin_for(source),
        user_templates=user_templates(),
        with_ics=with_ics,
        busy_sources=busy_sources,
        suggest=suggest,
    )
    report_problems(chosen)
    report_note(composed)
    if gmail:
        saved, thread_found = api.save_to_gmail(
            chosen, composed, now=now, calendar=calendar, find_thread=find_thread, new=new_draft
        )
        if thread_found is False:
            warn("the invitation was not found in Gmail; the draft starts a new thread")
        click.echo(f"Gmail draft {'updated' if saved.updated else 'created'} (nothing was sent): {saved.link}")
    elif out:
        message = api.draft_message(composed, now=now, calendar=calendar, event=chosen.item.event)
        write_atomic(Path(out), bytes(message), force=force)
        click.echo(f"Draft written to {out} (open it in your mail client; nothing was sent).")
    elif mailto:
        from ..drafts.message import mailto_link

        if composed.to is None:
            raise click.UsageError("the event names no organizer for a mailto: link")
        click.echo(mailto_link(composed.to, composed.subject, composed.body))
    elif calendar is not None:
        click.echo(
            api.draft_message(composed, now=now, calendar=calendar, event=chosen.item.event).as_string(), nl=False
        )
    else:
        click.echo(readable(composed), nl=False)
    return EXIT_ERROR if chosen.errors else EXIT_OK


@click.command()
@one_interview_options
@busy_option
@click.option("--count", type=click.IntRange(1, 20), metavar="N", help="How many slots (default: [slots] count, 3).")
@click.option(
    "--days", type=click.IntRange(1, 366), metavar="D", help="Within D working days (default: [slots] days, 10)."
)
@click.option("--json", "as_json", is_flag=True, help='Print {"slots": [{"start": …, "end": …}]}.')
def slots(source, uid, now, busy_sources, count, days, as_json):
    """Free alternative times in the interviewer's working hours, spread over days."""
    from dataclasses import replace

    from .. import api

    config, zone = context()
    if days:
        config = replace(config, slots=replace(config.slots, days=days))
    now = resolve_now(now, zone)
    found = api.suggest_slots(
        source, config, now=now, uid=uid, busy_sources=busy_sources, count=count, stdin=stdin_for(source)
    )
    report_problems(found)
    event = found.chosen.item.event
    theirs = event.start.tzinfo
    if as_json:
        import json

        listed = [
            {"start": s.start.astimezone(theirs).isoformat(), "end": s.end.astimezone(theirs).isoformat()}
            for s in found.search.slots
        ]
        click.echo(json.dumps({"slots": listed}, indent=2))
    else:
        click.echo(slots_text(found, theirs, zone), nl=False)
    return EXIT_ERROR if found.errors else EXIT_OK


@click.command()
def paths():
    """Show where callfirst keeps your files."""
    from ..integrations.files import config_path, user_dir

    folder = user_dir()
    click.echo(f"folder:    {folder}")
    click.echo(f"config:    {config_path()}{'' if config_path().exists() else '  (not created yet)'}")
    click.echo(f"templates: {folder / 'templates'}")
    click.echo(f"token:     {folder / 'google-token.json'}")
