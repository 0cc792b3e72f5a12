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
from .options import MOMENT, interview_options, job_context, pass_env, reason_option
from .output import console, echo, print_json, progress_shown, report_problems

if TYPE_CHECKING:
    from ..api import Acted, CallRecorded, CallSheet, Logged, Status
    from ..config import Config
    from ..context import InterviewRef
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
    type=MOMENT,
    metavar="DATETIME",
    help="With --outcome reached: the new time agreed (yours, unless zoned).",
)
@click.option("--number", metavar="PHONE", help="The number you dialled, when it is not the first one shown.")
@click.option("--no-qr", is_flag=True, help="Leave out the QR code of the number.")
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
) -> ExitStatus:
    """The call, step by step: the number to dial (with a QR code for your phone), their time now, the script.
    Then what happened, remembered for `draft` and `status`."""
    from .. import api

    ctx = job_context(env, now, (ref.source,))
    zone = ctx.owner_zone
    with progress_shown(env, ctx) as reading:
        sheet = api.call_sheet(reading, ref)
    report_problems(env, sheet.chosen.warnings, sheet.chosen.errors)
    show_sheet(env, sheet, ctx.config, zone, reason, qr=not no_qr)
    item = sheet.chosen.item
    if outcome is None:
        if not env.stdin_isatty or ref.source == "-":
            echo(env, f"\nAfter the call, record what happened: callfirst call {ref.command_words()} --outcome OUTCOME")
            return exit_status(sheet.chosen.errors)
        outcome, agreed = _asked()
        if outcome == Outcome.NOT_YET.value:
            echo(env, "Nothing recorded.")
            return exit_status(sheet.chosen.errors)
    dialled = _dialled(number, sheet, ctx.config)
    recorded = api.record_call(ctx, item, Outcome(outcome), number=dialled, agreed=agreed)
    report_problems(env, recorded.warnings, ())
    show_recorded(env, recorded, item, zone, ref.command_words())
    return exit_status(sheet.chosen.errors)


def _asked() -> tuple[str, datetime | date | None]:
    choices = (*OUTCOMES, Outcome.NOT_YET.value)
    outcome = click.prompt(
        "\nWhat happened?",
        type=click.Choice(choices),
        default=Outcome.NOT_YET.value,
        show_choices=True,
        show_default=False,
    )
    if outcome != Outcome.REACHED.value:
        return outcome, None
    answer = click.prompt(
        "The new time you agreed (e.g. 2026-12-07T14:00, your time; Enter if none)", default="", show_default=False
    )
    return outcome, MOMENT.convert(answer, None, None) if answer.strip() else None


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


def show_sheet(env: Environment, sheet: CallSheet, config: Config, zone: ZoneInfo, reason: str, qr: bool) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from ..calls import advice, call_script
    from ..timetext import when_text

    item = sheet.chosen.item
    event, theirs = item.event, item.event.start.tzinfo or zone
    person = item.facts.recipient if item.facts else event.organizer
    who = printable(f"{person.name} <{person.email}>" if person and person.name else (person.email if person else ""))
    echo(env, f"CALL {who or 'the person who invited you'}")
    echo(env, f"  about: {printable(event.summary) or '(no title)'}, {when_text(event.start, theirs)}")
    if sheet.numbers:
        first = sheet.numbers[0]
        console(env).print(Panel(Text(first.display, style="bold"), expand=False, padding=(1, 6)))
        echo(env, f"  {tel_uri(first.e164)}")
        if qr:
            echo(env, qr_text(env, tel_uri(first.e164)), nl=False)
        for backup in sheet.numbers[1:]:
            echo(env, f"  Backup: {backup.display} (from the {backup.where})  {tel_uri(backup.e164)}")
    else:
        echo(
            env,
            "  No number in the invitation. Look in the recruiter's email signature, or call the company's "
            "main line and ask for them by name.",
        )
    echo(env, f"\n  Their time now: {when_text(sheet.their_now, theirs)}")
    echo(
        env, f"  Notice:         {item.notice.tier.value.upper()} ({item.notice.hours:.0f} hours before the interview)"
    )
    if sheet.logged and sheet.logged.attempts:
        echo(env, f"  Called before:  {attempts_text(sheet.logged, zone)}")
    echo(env, f"  Next:           {advice(sheet.next, zone, theirs)}")
    echo(env, "\nScript:")
    for line in call_script(item, config.profile, reason, sheet.their_now).splitlines():
        echo(env, f"  {printable(line)}")
    echo(env, "\nTalk to a live person. Be vague about the reason; stay warm and professional.")


def qr_text(env: Environment, data: str) -> str:
    """The QR code for the terminal: colours where the terminal has them, else light half-blocks on dark."""
    import io

    import segno

    code = segno.make(data, error="m")
    out = io.StringIO()
    coloured = env.stdout_isatty and not env.no_color and env.term != "dumb"
    code.terminal(out=out, compact=not coloured, border=2)
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
        for acted in found.acted:
            logged = acted.logged
            tier = acted.notice.tier
            notice = "PAST" if tier.value == "past" else f"{tier.value.upper()} · {acted.notice.hours:.0f} h"
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
