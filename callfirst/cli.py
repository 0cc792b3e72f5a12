"""Command line: parse arguments, call one library function, format, map errors to exit codes."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime, time, timedelta

import click

from .errors import CallfirstError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class _Moment(click.ParamType):
    """ISO 8601 date or date-time; `Z` allowed."""

    name = "DATETIME"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime | date):
            return value
        text = value.strip()
        try:
            return datetime.fromisoformat(text) if ("T" in text or " " in text) else date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 date or date-time (e.g. 2026-12-01 or 2026-12-01T09:30Z)", param, ctx)


MOMENT = _Moment()


def _context():
    from .api import owner_zone
    from .integrations.userfiles import load_config

    config = load_config()
    return config, owner_zone(config)


def _as_datetime(value, zone, end_of_day: bool = False) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    moment = datetime.combine(value, time(), tzinfo=zone)
    return moment + timedelta(days=1) if end_of_day else moment


def _now(value, zone) -> datetime:
    if value is None:
        return datetime.now(zone)
    return _as_datetime(value, zone)


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _report_problems(result) -> None:
    """Warnings and errors on stderr, one line each."""
    for problem in result.warnings:
        click.echo(click.style("callfirst: warning: ", fg="yellow") + str(problem), err=True, color=_color_allowed())
    for problem in result.errors:
        click.echo(click.style("callfirst: error: ", fg="red") + str(problem), err=True, color=_color_allowed())


def _color_allowed() -> bool | None:
    return False if os.environ.get("NO_COLOR") else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="callfirst")
def cli():
    """Cancel or reschedule a job interview the professional way.

    \b
    1. callfirst scan SOURCE   find interviews and how much notice you give
    2. callfirst plan SOURCE   the phone call first, then the email to follow
    3. callfirst draft SOURCE  the email as a draft (never sent)

    callfirst slots SOURCE     free alternative times to offer

    SOURCE is an .ics file, an invitation .eml, - for stdin, or google[:CALENDAR_ID]
    (after `callfirst auth google`).
    """


@cli.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--from", "start", type=MOMENT, help="Start of the window (default: now).")
@click.option("--to", "end", type=MOMENT, help="End of the window, inclusive for a date (default: 90 days on).")
@click.option("--now", type=MOMENT, help="Pretend it is this moment (ISO 8601).")
@click.option("--all", "include_all", is_flag=True, help="List every event in the window with its verdict.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def scan(sources, start, end, now, include_all, as_json):
    """Find upcoming interviews and grade the notice the employer gets."""
    from . import api
    from .model import Window

    config, zone = _context()
    now = _now(now, zone)
    window_start = _as_datetime(start, zone) if start else now
    window_end = _as_datetime(end, zone, end_of_day=True) if end else window_start + timedelta(days=api.DEFAULT_DAYS)
    if window_end <= window_start:
        raise click.UsageError("--to must be after --from")
    progress = _Progress(enabled=_progress_wanted(as_json))
    try:
        result = api.scan(
            sources, config, now=now, window=Window(window_start, window_end),
            include_all=include_all, stdin=_stdin_for(*sources), progress=progress,
        )
    finally:
        progress.close()
    _report_problems(result)
    if as_json:
        import json

        from .report import scan_json

        click.echo(json.dumps(scan_json(result), indent=2, ensure_ascii=False))
    elif result.assessments:
        from .report import scan_table

        _console().print(scan_table(result, show_verdict=include_all))
    else:
        what = "events" if include_all else "interviews"
        click.echo(f"No {what} between {window_start:%Y-%m-%d %H:%M} and {window_end:%Y-%m-%d %H:%M} ({zone.key}).")
    return EXIT_ERROR if result.errors else EXIT_OK


def _stdin_for(*sources: str):
    """Standard input's bytes, when one of the sources is `-`."""
    return sys.stdin.buffer if "-" in sources else None


def _progress_wanted(as_json: bool) -> bool:
    """A bar only for a person watching: stderr is a terminal, and JSON is not headed into a pipe."""
    if os.environ.get("TERM") == "dumb" or not sys.stderr.isatty():
        return False
    return not (as_json and not sys.stdout.isatty())


class _Progress:
    """A transient bar on stderr that appears only once reading has taken more than `delay` seconds."""

    def __init__(self, enabled: bool, delay: float = 1.0, clock=None, console=None):
        import time

        self.enabled, self.delay = enabled, delay
        self.clock = clock or time.monotonic
        self.started = self.clock()
        self.console = console
        self.bar = None
        self.tasks: dict[str, int] = {}

    def __call__(self, source: str, done: int, total: int) -> None:
        if not self.enabled or (self.bar is None and self.clock() - self.started < self.delay):
            return
        if self.bar is None:
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("reading {task.description}"), BarColumn(), DownloadColumn(),
                                TimeRemainingColumn(), console=self.console or _console(stderr=True), transient=True)
            self.bar.start()
        if source not in self.tasks:
            self.tasks[source] = self.bar.add_task(os.path.basename(source) or source, total=total)
        self.bar.update(self.tasks[source], completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _one_interview_options(func):
    func = click.option("--now", type=MOMENT, help="Pretend it is this moment (ISO 8601).")(func)
    func = click.option("--event", "uid", metavar="UID", help="The event's UID (optional when SOURCE holds one interview).")(func)
    func = click.argument("source", metavar="SOURCE")(func)
    return func


def _busy_option(func):
    return click.option("--busy", "busy_sources", multiple=True, metavar="FILE.ics",
                        help="Another calendar whose events make you busy (repeatable).")(func)


def _suggest_option(default: int | None, text: str):
    return click.option("--suggest", type=click.IntRange(0, 20), default=default, metavar="N",
                        show_default=default is not None, help=text)


def _request(reason, called, propose, note, keep_note):
    from .drafts import Called, DraftRequest, Reason

    return DraftRequest(reason=Reason(reason), called=Called(called), proposals=tuple(
        p if isinstance(p, datetime) else datetime.combine(p, time(9)) for p in propose), note=note or "",
        keep_note=keep_note)


def _user_templates():
    from .integrations.userfiles import user_dir

    return user_dir() / "templates"


def _warn(text: str) -> None:
    click.echo(click.style("callfirst: warning: ", fg="yellow") + text, err=True, color=_color_allowed())


def _report_note(draft) -> None:
    for issue in draft.note_issues:
        _warn(f"your note mentions {issue.what} ('{issue.found}'). {issue.suggestion}")
    if draft.note_dropped:
        _warn("the note was left out of the email; reword it, or add --keep-note to include it as written")


@cli.command()
@_one_interview_options
@click.option("--reason", type=click.Choice(["conflict", "work", "emergency", "withdraw"]), default="conflict",
              show_default=True, help="conflict, work (a mandatory meeting at your current job), emergency, or withdraw.")
@click.option("--called", type=click.Choice(["reached", "voicemail", "no-answer", "not-yet"]), default="reached",
              show_default=True, help="Which email to preview.")
@click.option("--propose", multiple=True, type=MOMENT, metavar="DATETIME", help="An alternative time to offer (repeatable).")
@click.option("--note", help="A sentence of your own for the email.")
@_suggest_option(None, "Offer N free alternative times (default: enough to make three with --propose).")
@_busy_option
def plan(source, uid, now, reason, called, propose, note, suggest, busy_sources):
    """The notice warning, the phone call plan (first), then the email preview."""
    from . import api

    config, zone = _context()
    now = _now(now, zone)
    chosen, result = api.plan(source, config, now=now, uid=uid, request=_request(reason, called, propose, note, False),
                              stdin=_stdin_for(source), user_templates=_user_templates(),
                              busy_sources=busy_sources,
                              suggest=max(config.slots.count - len(propose), 0) if suggest is None else suggest)
    _report_problems(chosen)
    if not chosen.item.actionable:
        _warn(f"this event is not actionable: {chosen.item.not_actionable_because}")
    click.echo(result.text, nl=False)
    return EXIT_OK


@cli.command()
@_one_interview_options
@click.option("--reason", type=click.Choice(["conflict", "work", "emergency", "withdraw"]), default="conflict",
              show_default=True, help="conflict, work (a mandatory meeting at your current job), emergency, or withdraw.")
@click.option("--called", type=click.Choice(["reached", "voicemail", "no-answer", "not-yet"]), required=True,
              help="What happened when you called: reached, voicemail, no-answer, or not-yet.")
@click.option("--propose", multiple=True, type=MOMENT, metavar="DATETIME",
              help="An alternative time (repeatable); a time without zone is yours.")
@click.option("--note", help="A sentence of your own; checked for oversharing.")
@click.option("--keep-note", is_flag=True, help="Include --note even if the check objects.")
@click.option("--out", type=click.Path(dir_okay=False), metavar="FILE.eml", help="Write an RFC 5322 draft file.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--mailto", is_flag=True, help="Print a mailto: link instead.")
@click.option("--ics", "with_ics", is_flag=True, help="Attach an iTIP COUNTER (or REPLY declining, for withdraw).")
@click.option("--gmail", is_flag=True, help="Save it as a Gmail draft (updates the one saved before).")
@click.option("--thread", "find_thread", is_flag=True, help="With --gmail: find the invitation's thread and reply in it.")
@click.option("--new", "new_draft", is_flag=True, help="With --gmail: another draft instead of updating the last one.")
@_suggest_option(0, "Also offer N free alternative times (see `slots`), after any --propose.")
@_busy_option
def draft(source, uid, now, reason, called, propose, note, keep_note, out, force, mailto, with_ics, gmail,
          find_thread, new_draft, suggest, busy_sources):
    """The email that follows the call, as a draft: stdout, a .eml file, or a mailto: link. Never sent."""
    from pathlib import Path

    from . import api
    from .integrations.userfiles import write_atomic

    if sum(map(bool, (out, mailto, gmail))) > 1:
        raise click.UsageError("choose one of --out, --mailto and --gmail")
    if (find_thread or new_draft) and not gmail:
        raise click.UsageError("--thread and --new go with --gmail")
    config, zone = _context()
    now = _now(now, zone)
    if called == "not-yet":
        _warn("call first. Talk to a live person before you email; this draft is for after the call.")
    chosen, composed, calendar = api.draft(
        source, config, now=now, uid=uid, request=_request(reason, called, propose, note, keep_note),
        stdin=_stdin_for(source), user_templates=_user_templates(), with_ics=with_ics,
        busy_sources=busy_sources, suggest=suggest)
    _report_problems(chosen)
    _report_note(composed)
    if gmail:
        saved, thread_found = api.save_to_gmail(chosen, composed, now=now, calendar=calendar,
                                                find_thread=find_thread, new=new_draft)
        if thread_found is False:
            _warn("the invitation was not found in Gmail; the draft starts a new thread")
        click.echo(f"Gmail draft {'updated' if saved.updated else 'created'} (nothing was sent): {saved.link}")
    elif out:
        message = api.draft_message(composed, now=now, calendar=calendar, event=chosen.item.event)
        write_atomic(Path(out), bytes(message), force=force)
        click.echo(f"Draft written to {out} (open it in your mail client; nothing was sent).")
    elif mailto:
        from .mime import mailto_link

        if composed.to is None:
            raise click.UsageError("the event names no organizer for a mailto: link")
        click.echo(mailto_link(composed.to, composed.subject, composed.body))
    elif calendar is not None:
        click.echo(api.draft_message(composed, now=now, calendar=calendar, event=chosen.item.event).as_string(), nl=False)
    else:
        click.echo(_readable(composed), nl=False)
    return EXIT_ERROR if chosen.errors else EXIT_OK


def _readable(composed) -> str:
    from .mime import clean_text

    to = composed.to
    lines = []
    if composed.sender:
        lines.append(f"From: {composed.sender.name + ' ' if composed.sender.name else ''}<{composed.sender.email}>")
    lines.append(f"To: {(clean_text(to.name or '', 120) + ' ') if to and to.name else ''}<{to.email}>" if to else "To: (no organizer)")
    lines.append(f"Subject: {clean_text(composed.subject, 200)}")
    return "\n".join(lines) + "\n\n" + composed.body


@cli.command()
@_one_interview_options
@_busy_option
@click.option("--count", type=click.IntRange(1, 20), metavar="N", help="How many slots (default: [slots] count, 3).")
@click.option("--days", type=click.IntRange(1, 366), metavar="D", help="Within D working days (default: [slots] days, 10).")
@click.option("--json", "as_json", is_flag=True, help='Print {"slots": [{"start": …, "end": …}]}.')
def slots(source, uid, now, busy_sources, count, days, as_json):
    """Free alternative times in the interviewer's working hours, spread over days."""
    from dataclasses import replace

    from . import api

    config, zone = _context()
    if days:
        config = replace(config, slots=replace(config.slots, days=days))
    now = _now(now, zone)
    found = api.suggest_slots(source, config, now=now, uid=uid, busy_sources=busy_sources, count=count,
                              stdin=_stdin_for(source))
    _report_problems(found)
    event = found.chosen.item.event
    theirs = event.start.tzinfo
    if as_json:
        import json

        listed = [{"start": s.start.astimezone(theirs).isoformat(), "end": s.end.astimezone(theirs).isoformat()}
                  for s in found.search.slots]
        click.echo(json.dumps({"slots": listed}, indent=2))
    else:
        click.echo(_slots_text(found, theirs, zone), nl=False)
    return EXIT_ERROR if found.errors else EXIT_OK


def _slots_text(found, theirs, zone) -> str:
    from .drafts import slot_text

    slots = found.search.slots
    if not slots:
        return (f"No free slot in the interviewer's working hours between {found.search.earliest.astimezone(zone):%Y-%m-%d %H:%M} "
                f"and {found.search.latest.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key}). Try --days with a larger number.\n")
    minutes = int((slots[0].end - slots[0].start).total_seconds() // 60)
    lines = [f"Free {minutes}-minute slots for: {found.chosen.item.event.summary}"]
    same_zone = all(s.start.astimezone(theirs).utcoffset() == s.start.astimezone(zone).utcoffset() for s in slots)
    for number, slot in enumerate(slots, start=1):
        lines.append(f"  {number}. {slot_text(slot, theirs)}")
        if not same_zone:
            lines.append(f"     {slot_text(slot, zone)} for you")
    return "\n".join(lines) + "\n"


@cli.group()
def auth():
    """Sign in to Google, show the sign-in, or remove it."""


@auth.command("google")
@click.option("--client-secret", type=click.Path(dir_okay=False), metavar="FILE",
              help="The Desktop OAuth client JSON (default: [google] client_secret, or client_secret.json "
                   "in your callfirst folder).")
@click.option("--no-browser", is_flag=True, help="Print the address to open instead of opening a browser.")
@click.option("--thread", is_flag=True, help="Also allow finding the invitation's Gmail thread (gmail.modify).")
def auth_google(client_secret, no_browser, thread):
    """Let callfirst read your calendar and write Gmail drafts (never send)."""
    from .integrations import google
    from .integrations.userfiles import load_config

    config = load_config()
    secret = google.client_secret_file(client_secret, config.google.client_secret)
    signed = google.sign_in(secret, thread=thread, open_browser=not no_browser)
    click.echo(f"Signed in{' as ' + signed.account if signed.account else ''}. Token saved to {signed.path} (mode 0600).")
    for scope in signed.missing:
        _warn(f"Google did not grant permission to {google.SCOPE_NAMES.get(scope, scope)}; "
              "run `callfirst auth google` again and tick every box")
    return EXIT_OK


@auth.command("status")
def auth_status():
    """Which Google account callfirst uses, and what it may do."""
    from .integrations import google

    signed = google.status()
    click.echo(f"account: {signed.account or '(unknown)'}")
    click.echo(f"token:   {signed.path}")
    for scope in signed.scopes:
        click.echo(f"allowed: {google.SCOPE_NAMES.get(scope, scope)}  ({scope})")
    return EXIT_OK


@auth.command("revoke")
def auth_revoke():
    """Delete the saved Google token, and ask Google to revoke it."""
    from .integrations import google

    revoked, why_not = google.revoke()
    click.echo(f"Deleted {google.token_path()}.")
    if not revoked:
        _warn(f"{why_not}; remove callfirst's access at https://myaccount.google.com/permissions")
    return EXIT_OK


@cli.command()
def paths():
    """Show where callfirst keeps your files."""
    from .integrations.userfiles import config_path, user_dir

    folder = user_dir()
    click.echo(f"folder:    {folder}")
    click.echo(f"config:    {config_path()}{'' if config_path().exists() else '  (not created yet)'}")
    click.echo(f"templates: {folder / 'templates'}")
    click.echo(f"token:     {folder / 'google-token.json'}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: no traceback ever reaches the user."""
    try:
        code = cli.main(args=argv, prog_name="callfirst", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        code = EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        code = EXIT_ERROR
    except CallfirstError as exc:
        click.echo(click.style("callfirst: error: ", fg="red") + str(exc), err=True, color=_color_allowed())
        code = exc.exit_code
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        code = 130
    except BrokenPipeError:
        code = EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - last resort: one line, not a traceback
        if os.environ.get("CALLFIRST_DEBUG"):
            raise
        click.echo(f"callfirst: internal error: {type(exc).__name__}: {exc} (set CALLFIRST_DEBUG=1 for details)", err=True)
        code = EXIT_ERROR
    return code if isinstance(code, int) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
