"""Arguments and options shared by commands, declared once, and what they turn into."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar
from zoneinfo import ZoneInfo

import click

from ..timezones import aware
from .environment import Environment

if TYPE_CHECKING:
    from ..config import Config
    from ..drafts.compose import DraftRequest
    from ..facts import Overrides

F = TypeVar("F", bound=Callable[..., Any])

REASONS = ("conflict", "work", "emergency", "withdraw")
CALLED = ("reached", "voicemail", "no-answer", "not-yet")


# Calendars, windows and slot searches reach a year or so past a moment; these years keep every date valid.
FIRST_YEAR, LAST_YEAR = 1900, 2999


class Moment(click.ParamType):
    """ISO 8601 date or date-time; `Z` allowed."""

    name = "DATETIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date | datetime:
        if isinstance(value, datetime | date):
            return value
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text) if ("T" in text or " " in text) else date.fromisoformat(text)
        except ValueError:
            self.fail(
                f"{value!r} is not an ISO 8601 date or date-time (e.g. 2026-12-01 or 2026-12-01T09:30Z)", param, ctx
            )
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            self.fail(f"{value!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}", param, ctx)
        return moment


MOMENT = Moment()
pass_env = click.make_pass_decorator(Environment)


def context(env: Environment) -> tuple[Config, ZoneInfo]:
    """The user's config and time zone."""
    from ..api import owner_zone
    from ..integrations.files import load_config

    config = load_config(env.places.config)
    return config, owner_zone(config)


def as_datetime(value: date | datetime, zone: ZoneInfo, end_of_day: bool = False) -> datetime:
    """A date or naive date-time read in `zone`; a date is its midnight (or the next one, for an end)."""
    moment = aware(value, zone)
    return moment + timedelta(days=1) if end_of_day and not isinstance(value, datetime) else moment


def resolve_now(value: date | datetime | None, zone: ZoneInfo, env: Environment) -> datetime:
    """--now, or the environment's clock, in `zone`."""
    if value is None:
        return env.clock().astimezone(zone)
    return as_datetime(value, zone)


def stdin_for(env: Environment, *sources: str) -> BinaryIO | None:
    """Standard input's bytes, when one of the sources is `-`."""
    return env.stdin if "-" in sources else None


# --- options several commands share -----------------------------------------------------------


def one_interview_options(func: F) -> F:
    func = click.option("--now", type=MOMENT, help="Pretend it is this moment (ISO 8601).")(func)
    func = click.option(
        "--event",
        "uid",
        metavar="UID[@DATE]",
        help="The event's UID, or UID@DATE for one occurrence of a series, as `scan --all` shows it "
        "(optional when SOURCE holds one interview).",
    )(func)
    return click.argument("source", metavar="SOURCE")(func)


def busy_option(func: F) -> F:
    return click.option(
        "--busy",
        "busy_sources",
        multiple=True,
        metavar="FILE.ics",
        help="Another calendar whose events make you busy (repeatable).",
    )(func)


def suggest_option(default: int | None, text: str) -> Callable[[F], F]:
    return click.option(
        "--suggest",
        type=click.IntRange(0, 20),
        default=default,
        metavar="N",
        show_default=default is not None,
        help=text,
    )


def reason_option(func: F) -> F:
    return click.option(
        "--reason",
        type=click.Choice(REASONS),
        default="conflict",
        show_default=True,
        help="conflict, work (a mandatory meeting at your current job), emergency, or withdraw.",
    )(func)


def called_option(text: str) -> Callable[[F], F]:
    """--called; when left out, the call log (`callfirst call`) says what happened."""
    return click.option("--called", type=click.Choice(CALLED), default=None, help=text + " Default: the call log.")


def propose_option(func: F) -> F:
    return click.option(
        "--propose",
        multiple=True,
        type=MOMENT,
        metavar="DATETIME",
        help="An alternative time to offer (repeatable); a time without a zone is yours.",
    )(func)


def note_option(func: F) -> F:
    return click.option("--note", help="A sentence of your own for the email; checked for oversharing.")(func)


def facts_options(func: F) -> F:
    """--company, --role, --their-zone, --phone, --to: the user's word over what the invitation says."""
    func = click.option("--to", "to", metavar="ADDRESS", callback=_address, help="Write to this address.")(func)
    func = click.option("--phone", metavar="NUMBER", callback=_phone, help="The number to call (with a country code).")(
        func
    )
    func = click.option(
        "--their-zone", metavar="ZONE", callback=zone_callback, help="The interviewer's time zone (IANA name)."
    )(func)
    func = click.option("--role", metavar="TEXT", help="The role, as the email should name it.")(func)
    return click.option("--company", metavar="TEXT", help="The company, as the email should name it.")(func)


def _address(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from ..drafts.message import single_address
    from ..errors import UnsafeValue

    if len([part for part in re.split(r"[,;\s]+", value.strip()) if "@" in part]) > 1:
        raise click.BadParameter(f"{value!r} holds more than one address; give one", ctx, param)
    try:
        return single_address(value)
    except UnsafeValue:
        raise click.BadParameter(f"{value!r} is not an email address", ctx, param) from None


def _phone(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from ..phones import e164, parse

    number = parse(value, None)
    if number is None:
        raise click.BadParameter(
            f"{value!r} is not a phone number with a country code (e.g. +44 20 7946 0958)", ctx, param
        )
    return e164(number)


def zone_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from ..timezones import canonical, windows_zone

    key = canonical(value) or (zone.key if (zone := windows_zone(value)) else None)
    if key is None:
        raise click.BadParameter(f"{value!r} is not a time zone (use an IANA name such as Asia/Kolkata)", ctx, param)
    return key


def overrides_from(
    company: str | None, role: str | None, their_zone: str | None, phone: str | None, to: str | None
) -> Overrides | None:
    from ..facts import Overrides

    given = Overrides(company=company, role=role, their_zone=their_zone, phone=phone, to=to)
    return given if any((company, role, their_zone, phone, to)) else None


def agreed_option(func: F) -> F:
    return click.option(
        "--agreed",
        type=MOMENT,
        metavar="DATETIME",
        help="The new time agreed on the call: the email confirms it (and --ics proposes it).",
    )(func)


def request_from(
    reason: str,
    called: str | None,
    propose: tuple[date | datetime, ...],
    note: str | None,
    keep_note: bool,
    agreed: date | datetime | None = None,
) -> DraftRequest:
    """What the email should say; the times are checked by the library (a date without a time is refused)."""
    from ..drafts.compose import Called, DraftRequest, Reason

    return DraftRequest(
        reason=Reason(reason),
        called=Called(called or "reached"),
        proposals=tuple(propose),
        note=note or "",
        keep_note=keep_note,
        agreed=agreed,
    )
