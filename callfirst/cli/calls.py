"""`callfirst call` (the call, step by step, then what happened) and `callfirst status` (what you have done)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from ..errors import ExitStatus, exit_status
from ..outcome import Outcome
from ..untrusted import printable
from .environment import Environment
from .options import MOMENT, TIME, interview_options, job_context, pass_env, read_typed, reason_option, user_locale
from .output import console, echo, print_json, progress_shown, report_problems, terminal_width, wrapped

if TYPE_CHECKING:
    from ..api import Acted, CallRecorded, CallSheet, Logged, Status
    from ..config import Config
    from ..context import Context, InterviewRef
    from ..model import Assessment

OUTCOMES = [o.value for o in Outcome.recordable()]


def tel_uri(e164: str) -> str:
    return f"tel:{e164}"


# --- call -------------------------------------------------------------------------------


@click.command()
@interview_options
@reason_option
@click.option("--outcome", type=click.Choice(OUTCOMES), help="What happened: recorded without asking.")
@click.option(
    "--agreed",
    type=TIME,
    metavar="TIME",
    help="With --outcome reached: the new time agreed (yours, unless zoned).",
)
@click.option("--number", metavar="PHONE", help="The number you dialled, when it is not the first one shown.")
@click.option("--no-qr", is_flag=True, help="Leave out the QR code of the number.")
@click.option(
    "--propose",
    multiple=True,
    type=TIME,
    metavar="TIME",
    help="A time to offer on the phone (repeatable), as `draft --propose` offers it in the email.",
)
@click.option(
    "--suggest",
    type=click.IntRange(0, 20),
    default=None,
    metavar="N",
    help="Offer N free times after any --propose (default: as `plan` and `draft` do).",
)
@pass_env
def call(
    env: Environment,
    ref: InterviewRef,
    now: date | datetime | None,
    reason: str,
    outcome: str | None,
    agreed: date | datetime | None,
    number: str | None,
    no_qr: bool,
    propose: tuple[date | datetime, ...],
    suggest: int | None,
) -> ExitStatus:
    """The call, step by step: the number to dial (with a QR code for your phone), their time now, the script.
    Then what happened, remembered for `draft` and `status`."""
    from .. import api
    from ..drafts.compose import DraftRequest, Reason

    propose = read_typed(env, now, propose, "--propose")
    agreed = read_typed(env, now, (agreed,), "--agreed")[0] if agreed is not None else None
    ctx = job_context(env, now, (ref.source,))
    zone = ctx.owner_zone
    request = DraftRequest(reason=Reason(reason), proposals=propose, suggest=suggest)
    with progress_shown(env, ctx) as reading:
        sheet = api.call_sheet(reading, ref, request)
    report_problems(env, sheet.chosen.warnings, sheet.chosen.errors)
    show_sheet(env, sheet, zone, qr=not no_qr)
    item = sheet.chosen.item
    dialled = _dialled(number, sheet, ctx.config)
    if outcome is None:
        if not env.stdin_isatty or ref.source == "-":
            say(
                env,
                f"\nAfter the call, record what happened: callfirst call {ref.command_words()} --outcome OUTCOME",
                0,
            )
            return exit_status(sheet.chosen.errors)
        if sheet.numbers:  # the QR code may have pushed the number off the screen
            echo(env, f"\nNumber: {sheet.numbers[0].display}")
        outcome = _asked_outcome()
        if outcome == Outcome.NOT_YET.value:
            echo(env, "Nothing recorded.")
            return exit_status(sheet.chosen.errors)
        if outcome == Outcome.REACHED.value:
            recorded = _record_reached(env, ctx, item, dialled)
            report_problems(env, recorded.warnings, ())
            show_recorded(env, recorded, item, zone, ref.command_words())
            return exit_status(sheet.chosen.errors)
    recorded = api.record_call(ctx, item, Outcome(outcome), number=dialled, agreed=agreed)
    report_problems(env, recorded.warnings, ())
    show_recorded(env, recorded, item, zone, ref.command_words())
    return exit_status(sheet.chosen.errors)


def _asked_outcome() -> str:
    choices = (*OUTCOMES, Outcome.NOT_YET.value)
    answer: str = click.prompt(
        "\nWhat happened?",
        type=click.Choice(choices),
        default=Outcome.NOT_YET.value,
        show_choices=True,
        show_default=False,
    )
    return answer


AGREED_PROMPT = "The new time you agreed (e.g. tomorrow 3pm, Monday 11:00, 2026-12-07T14:00; your time; Enter if none)"


def _record_reached(env: Environment, ctx: Context, item: Assessment, dialled: str) -> CallRecorded:
    """Ask for the new time agreed until it reads (or none is given), say how it was understood, and record
    the call with it: a reached call is never lost to an answer that could not be read."""
    from .. import api
    from ..errors import ProposalError

    while True:
        try:
            answer = click.prompt(AGREED_PROMPT, default="", show_default=False)
        except click.Abort:  # input closed or interrupted: the call is still recorded, without a time
            echo(env, "\n  No new time recorded; add it later with --outcome reached --agreed DATETIME.", err=True)
            return api.record_call(ctx, item, Outcome.REACHED, number=dialled)
        agreed = _understood(env, ctx, item, answer) if answer.strip() else None
        if answer.strip() and agreed is None:
            continue
        try:
            return api.record_call(ctx, item, Outcome.REACHED, number=dialled, agreed=agreed)
        except ProposalError as exc:
            echo(env, f"  {exc.message}. Try again, or press Enter if no time was agreed.", err=True)


def _understood(env: Environment, ctx: Context, item: Assessment, answer: str) -> datetime | date | None:
    """The time typed, echoed back on both clocks; None (with a hint) when it cannot be read."""
    from ..timetext import when_text
    from ..timezones import aware
    from ..typed_times import read_time

    found = read_time(answer, ctx.now, ctx.owner_zone, user_locale(ctx.config.profile.region))
    if found is None or not isinstance(found, datetime):
        echo(
            env,
            f"  Could not read {printable(answer)!r} as a day and a time; try e.g. 'tomorrow 3pm' or "
            "'2026-12-07T14:00'.",
            err=True,
        )
        return None
    moment = aware(found, ctx.owner_zone)
    theirs = item.event.start.tzinfo or ctx.owner_zone
    mine, their_text = when_text(moment, ctx.owner_zone), when_text(moment, theirs)
    echo(env, f"  Understood: {mine}" + ("" if mine == their_text else f" ({their_text} for them)"))
    return found


def _dialled(number: str | None, sheet: CallSheet, config: Config) -> str:
    """--number in E.164 when it parses, else as given; by default the first number shown."""
    if number is None:
        return sheet.numbers[0].e164 if sheet.numbers else ""
    import phonenumbers

    from ..phones import region_for

    try:
        parsed = phonenumbers.parse(number, region_for(config.profile.region, config.profile.phone))
    except phonenumbers.NumberParseException:
        return printable(number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def show_sheet(env: Environment, sheet: CallSheet, zone: ZoneInfo, qr: bool) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from ..calls import advice
    from ..timetext import when_text

    item = sheet.chosen.item
    event, theirs = item.event, item.event.start.tzinfo or zone
    person = item.facts.recipient if item.facts else event.organizer
    who = printable(f"{person.name} <{person.email}>" if person and person.name else (person.email if person else ""))
    echo(env, f"CALL {who or 'the person who invited you'}")
    say(env, f"  about: {printable(event.summary) or '(no title)'}, {when_text(event.start, theirs)}", 9)
    if sheet.numbers:
        first = sheet.numbers[0]
        console(env).print(Panel(Text(first.display, style="bold"), expand=False, padding=(1, 6)))
        echo(env, f"  {tel_uri(first.e164)}")
        if qr:
            echo(env, qr_text(tel_uri(first.e164)), nl=False)
        for backup in sheet.numbers[1:]:
            echo(env, f"  Backup: {backup.display} (from the {backup.where})  {tel_uri(backup.e164)}")
    else:
        say(
            env,
            "  No number in the invitation. Look in the recruiter's email signature, or call the company's "
            "main line and ask for them by name.",
            2,
        )
    echo(env, f"\n  Their time now: {when_text(sheet.their_now, theirs)}")
    from ..notice import hours_text

    echo(
        env,
        f"  Notice:         {item.notice.tier.value.upper()} ({hours_text(item.notice.hours)} hours before the interview)",
    )
    if sheet.logged and sheet.logged.attempts:
        say(env, f"  Called before:  {attempts_text(sheet.logged, zone)}", 18)
    say(env, f"  Next:           {advice(sheet.next, zone, theirs)}", 18)
    echo(env, "\nScript:")
    script = sheet.script
    if script.language_note:
        say(env, f"  ({script.language_note})", 3)
    for index, line in enumerate((*script.lines, script.closing)):
        say(env, f"  {'' if index == 0 else ' '}{printable(line)}", 3)
    say(env, f'  If they ask why: "{printable(script.why)}"', 4)
    say(env, "\nTalk to a live person. Be vague about the reason; stay warm and professional.", 0)


def say(env: Environment, text: str, hanging: int) -> None:
    """A paragraph wrapped at word boundaries to the terminal's width; following lines indented `hanging`."""
    body = text.lstrip("\n")
    echo(env, text[: len(text) - len(body)] + wrapped(body, terminal_width(env), " " * hanging))


def qr_text(data: str) -> str:
    """The QR code for the terminal, compact: light half-blocks on dark."""
    import io

    import segno

    code = segno.make(data, error="m")
    out = io.StringIO()
    # Half-block characters: two rows of modules a line, so the code takes some 15 lines, not 30, and the
    # number stays on a 24-line screen.
    code.terminal(out=out, compact=True, border=2)
    return out.getvalue()


def attempts_text(logged: Logged, zone: tzinfo) -> str:
    from ..calls import OUTCOME_TEXT
    from ..timetext import when

    count = len(logged.attempts)
    last = logged.attempts[-1]
    return f"{count} time{'s' if count != 1 else ''}; last {when(last.at, zone)}: {OUTCOME_TEXT[last.outcome]}"


def show_recorded(env: Environment, recorded: CallRecorded, item: Assessment, zone: ZoneInfo, picked: str) -> None:
    from ..calls import OUTCOME_TEXT, Step, advice
    from ..timetext import when, when_text

    logged = recorded.logged
    last = logged.attempts[-1]
    echo(env, f"\nRecorded: {OUTCOME_TEXT[last.outcome]}, {last.number or 'no number'}, {when(last.at, zone)}.")
    if logged.agreed is not None:
        echo(env, f"New time agreed: {when_text(logged.agreed, item.event.start.tzinfo or zone)}")
    echo(env, advice(recorded.next, zone, item.event.start.tzinfo or zone))
    if recorded.next.step in (Step.CONFIRM, Step.EMAIL):
        echo(env, f"Write it: callfirst draft {picked}")


# --- status -----------------------------------------------------------------------------


@click.command()
@click.argument("sources", nargs=-1, metavar="[SOURCE]...")
@click.option("--now", type=MOMENT, help="Pretend it is this moment (ISO 8601).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: acted_on and not_acted_on.")
@pass_env
def status(env: Environment, sources: tuple[str, ...], now: date | datetime | None, as_json: bool) -> ExitStatus:
    """What you have done about each interview: calls, emails drafted, new times agreed.

    With SOURCE, also the upcoming interviews there that you have not acted on yet.
    """
    from .. import api

    ctx = job_context(env, now, sources)
    zone, moment = ctx.owner_zone, ctx.now
    found = api.status(ctx, sources)
    report_problems(env, found.warnings, found.errors)
    if as_json:
        print_json(env, status_json(found, zone))
    else:
        show_status(env, found, zone, moment)
    return exit_status(found.errors)


def status_json(found: Status, zone: ZoneInfo) -> dict[str, Any]:
    from .output import assessment_json

    return {
        "acted_on": [_acted_json(acted, zone) for acted in found.acted],
        "not_acted_on": [assessment_json(item, zone) for item in found.waiting],
    }


def _acted_json(acted: Acted, zone: ZoneInfo) -> dict[str, Any]:
    """Times in the interview's own zone, as `scan --json` gives them."""
    from ..calls import real_attempts
    from ..timezones import zone_named

    logged, notice = acted.logged, acted.notice
    key, facts = logged.key, logged.facts
    theirs = zone_named(facts.timezone) or zone
    last = logged.attempts[-1] if logged.attempts else None
    return {
        "uid": key.uid,
        "organizer": key.organizer,
        "source": key.source,
        "occurrence": key.occurrence or None,
        "summary": facts.summary,
        "with": facts.organizer_name,
        "start": facts.start.astimezone(theirs).isoformat(),
        "end": facts.end.astimezone(theirs).isoformat(),
        "timezone": facts.timezone,
        "notice": {"hours": notice.hours, "business_hours": notice.business_hours, "tier": notice.tier.value},
        "attempts": {
            "count": len(logged.attempts),
            "real": real_attempts(logged.attempts),
            "last_outcome": last.outcome.value if last else None,
            "items": [
                {"at": a.at.isoformat(), "outcome": a.outcome.value, "number": a.number} for a in logged.attempts
            ],
        },
        "drafts": [{"at": d.at.isoformat(), "kind": d.kind, "location": d.location} for d in logged.drafts],
        "agreed": logged.agreed.isoformat() if logged.agreed else None,
    }


def show_status(env: Environment, found: Status, zone: ZoneInfo, now: datetime) -> None:
    from rich.table import Table
    from rich.text import Text

    from ..timetext import when
    from .output import TIER_STYLE, scan_table

    if not found.acted and not found.waiting:
        echo(env, "Nothing acted on yet. Start with `callfirst plan SOURCE`, then `callfirst call SOURCE`.")
        return
    if found.acted:
        table = Table(title=f"Acted on (times in {zone.key})", title_justify="left")
        for column in ("When", "With", "What", "Notice now", "Calls", "Email drafted", "Agreed"):
            table.add_column(column, overflow="fold")
        from ..notice import hours_text

        for acted in found.acted:
            logged = acted.logged
            tier = acted.notice.tier
            notice = "PAST" if tier.value == "past" else f"{tier.value.upper()} · {hours_text(acted.notice.hours)} h"
            table.add_row(
                when(logged.facts.start, zone),
                Text(printable(logged.facts.organizer_name) or "—"),
                Text(printable(logged.facts.summary) or "(no title)"),
                Text(notice, style=TIER_STYLE[tier.value]),
                attempts_text(logged, zone) if logged.attempts else "none",
                Text(_draft_text(logged)),
                when(logged.agreed, zone) if logged.agreed else "—",
            )
        console(env).print(table)
    if found.waiting:
        from ..model import ScanResult

        waiting = ScanResult(assessments=found.waiting, owner_zone=zone.key, now=now)
        table = scan_table(waiting, show_verdict=False)
        table.title = f"Not acted on yet (times in {zone.key})"
        console(env).print(table)


def _draft_text(logged: Logged) -> str:
    if not logged.drafts:
        return "—"
    last = logged.drafts[-1]
    shown = {
        "file": f"file {last.location}",
        "gmail": f"Gmail {last.location}",
        "outlook": f"Outlook {last.location}",
        "imap": f"IMAP {last.location}",
        "mailto": "mailto: link",
    }
    return shown.get(last.kind, last.kind)
