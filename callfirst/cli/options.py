"""Arguments and options shared by commands, declared once, and what they turn into."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar
from zoneinfo import ZoneInfo

import click

from ..outcome import Outcome
from ..timezones import aware
from .environment import Environment

if TYPE_CHECKING:
    from ..context import Context

F = TypeVar("F", bound=Callable[..., Any])

REASONS = ("conflict", "work", "emergency", "withdraw")
# The languages an email can be written in (drafts/voice.py LANGUAGES; kept here so --help imports no Babel).
EMAIL_LANGUAGES = ("en", "pt", "es", "fr", "de", "it", "nl")


# Calendars, windows and slot searches reach a year or so past a moment; these years keep every date valid.
FIRST_YEAR, LAST_YEAR = 1900, 2999


if TYPE_CHECKING:  # recent click's ParamType is generic; 8.2's, which pyproject allows, is not subscriptable
    from typing import TypeAlias

    _MomentBase: TypeAlias = click.ParamType[date | datetime]
else:
    _MomentBase = click.ParamType


class Moment(_MomentBase):
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


class Typed(str):
    """A time as the user typed it ('tomorrow 3pm'), read once the clock and zone are known (`read_typed`)."""

    __slots__ = ()


class OfferedTime(Moment):
    """--propose and --agreed: ISO 8601, or a time as people type it ('tomorrow 3pm', 'Monday 11am',
    '29/09 11:00'), which is read against --now and your zone by `read_typed`."""

    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date | datetime:
        if isinstance(value, datetime | date):
            return value
        text = str(value).strip()
        try:
            return super().convert(text, param, ctx)
        except click.BadParameter:
            if not text:
                raise
            return Typed(text)  # type: ignore[return-value]  # read by read_typed before anyone uses it


TIME = OfferedTime()


def read_typed(
    env: Environment, now: date | datetime | None, values: tuple[date | datetime, ...], option: str
) -> tuple[date | datetime, ...]:
    """The values with each typed one read as a time on your clock (relative to --now), and echoed back on
    stderr as understood; a usage error naming it when it cannot be read."""
    typed = [value for value in values if isinstance(value, Typed)]
    if not typed:
        return values
    from ..api import load_context
    from ..integrations.home import load_config
    from ..timetext import when_text
    from ..timezones import aware
    from ..typed_times import read_time
    from .output import echo

    ctx = load_context(env.places, config=load_config(env.places.config), now=env.clock())
    moment = resolve_now(now, ctx.owner_zone, env)
    locale = user_locale(ctx.config.profile.region)
    read: list[date | datetime] = []
    for value in values:
        if not isinstance(value, Typed):
            read.append(value)
            continue
        found = read_time(str(value), moment, ctx.owner_zone, locale)
        if not isinstance(found, datetime):
            raise click.BadParameter(
                f"cannot read {str(value)!r} as a day and a time (e.g. 'tomorrow 3pm', 'Monday 11:00', "
                "'2026-12-07T14:00')",
                param_hint=option,
            )
        echo(env, f"{option} {str(value)!r}: {when_text(aware(found, ctx.owner_zone), ctx.owner_zone)}", err=True)
        read.append(found)
    return tuple(read)


def user_locale(region: str) -> str:
    """The locale for reading typed dates (day or month first): [profile] region, else the system's."""
    if region:
        return f"en_{region.upper()}"
    from babel import default_locale

    return default_locale("LC_TIME") or default_locale() or "en_GB"


pass_env = click.make_pass_decorator(Environment)


def job_context(env: Environment, now: date | datetime | None = None, sources: tuple[str, ...] = ()) -> Context:
    """What every job takes: the user's config and zone, the moment (--now, else the clock), standard input
    when a source is `-`."""
    from ..api import load_context
    from ..integrations.home import load_config

    config = load_config(env.places.config)
    if not config.profile.language and env.language:  # the call script speaks the system's language
        config = replace(config, profile=replace(config.profile, language=env.language))
    ctx = load_context(env.places, config=config, now=env.clock(), stdin=stdin_for(env, *sources))
    return ctx.at(resolve_now(now, ctx.owner_zone, env))


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


def interview_options(func: F) -> F:
    """SOURCE, --event, --occurrence and the facts the user gives over the invitation's (--company, --role,
    --their-zone, --phone, --to), packed into one `ref: InterviewRef` before the command sees them."""

    @functools.wraps(func)
    def packed(*args: Any, **kwargs: Any) -> Any:
        from ..context import InterviewRef
        from ..model import Overrides

        source, uid, occurrence = kwargs.pop("source"), kwargs.pop("uid"), kwargs.pop("occurrence")
        if occurrence is not None and not uid:
            raise click.UsageError("--occurrence goes with --event UID")
        facts = {name: kwargs.pop(name) for name in ("company", "role", "their_zone", "phone", "to")}
        kwargs["ref"] = InterviewRef(source, uid, occurrence, Overrides(**facts))
        return func(*args, **kwargs)

    decorated: F = packed  # type: ignore[assignment]
    for option in reversed(_INTERVIEW_OPTIONS):
        decorated = option(decorated)
    return decorated


def _day(ctx: click.Context, param: click.Parameter, value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        raise click.BadParameter(f"{value.isoformat()} is a time; give the day alone (e.g. 2026-12-08)", ctx, param)
    return value if isinstance(value, date) else None


def _address(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from ..corrections import checked_address

    return _checked(checked_address, ctx, param, value)


def _phone(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from ..corrections import checked_phone

    return _checked(checked_phone, ctx, param, value)


def zone_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from ..corrections import checked_zone

    return _checked(checked_zone, ctx, param, value)


def _checked(check: Callable[[str], str], ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A fact given on the command line, checked as the web page checks it; a bad one is a usage error."""
    from ..errors import FactError

    if value is None:
        return None
    try:
        return check(value)
    except FactError as exc:
        raise click.BadParameter(exc.message, ctx, param) from None


_INTERVIEW_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.argument("source", metavar="SOURCE"),
    click.option(
        "--event",
        "uid",
        metavar="UID[@DATE]",
        help="The event's UID, or UID@DATE for one occurrence of a series, as `scan --all` shows it "
        "(optional when SOURCE holds one interview).",
    ),
    click.option(
        "--occurrence",
        type=MOMENT,
        callback=_day,
        metavar="DATE",
        help="With --event UID: the occurrence of the series on this day.",
    ),
    click.option("--now", type=MOMENT, help="Pretend it is this moment (ISO 8601)."),
    click.option("--company", metavar="TEXT", help="The company, as the email should name it."),
    click.option("--role", metavar="TEXT", help="The role, as the email should name it."),
    click.option(
        "--their-zone", metavar="ZONE", callback=zone_callback, help="The interviewer's time zone (IANA name)."
    ),
    click.option("--phone", metavar="NUMBER", callback=_phone, help="The number to call (with a country code)."),
    click.option("--to", "to", metavar="ADDRESS", callback=_address, help="Write to this address."),
)


def busy_option(func: F) -> F:
    return click.option(
        "--busy",
        "busy_sources",
        multiple=True,
        metavar="FILE.ics",
        help="Another calendar whose events make you busy (repeatable).",
    )(func)


def request_options(called_help: str, *, keep_note: bool = False) -> Callable[[F], F]:
    """--reason, --called, --propose, --agreed, --note (and --keep-note), --suggest, --language: what the email says,
    packed into one `request: DraftRequest` before the command sees them."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def packed(*args: Any, **kwargs: Any) -> Any:
            from ..drafts.compose import DraftRequest, Reason

            called = kwargs.pop("called")
            env, now = click.get_current_context().find_object(Environment), kwargs.get("now")
            assert env is not None  # every command runs with one
            agreed = read_typed(env, now, (kwargs.pop("agreed"),), "--agreed")[0] if kwargs.get("agreed") else None
            kwargs.pop("agreed", None)
            kwargs["request"] = DraftRequest(
                reason=Reason(kwargs.pop("reason")),
                called=Outcome(called) if called else None,
                proposals=read_typed(env, now, tuple(kwargs.pop("propose")), "--propose"),
                agreed=agreed,
                note=kwargs.pop("note") or "",
                keep_note=kwargs.pop("keep_note", False),
                suggest=kwargs.pop("suggest"),
                language=kwargs.pop("language"),
            )
            return func(*args, **kwargs)

        options = [
            reason_option,
            click.option(
                "--called",
                type=click.Choice([o.value for o in Outcome.for_email()]),
                default=None,
                help=called_help + " Default: the call log.",
            ),
            click.option(
                "--propose",
                multiple=True,
                type=TIME,
                metavar="TIME",
                help="An alternative time to offer (repeatable): ISO 8601 or as you would say it ('tomorrow 3pm'); "
                "a time without a zone is yours.",
            ),
            agreed_option,
            click.option("--note", help="A sentence of your own for the email; checked for oversharing."),
            click.option(
                "--suggest",
                type=click.IntRange(0, 20),
                default=None,
                metavar="N",
                help="Offer N free alternative times after any --propose (default: enough to make [slots] count, 3).",
            ),
            click.option(
                "--language",
                type=click.Choice(EMAIL_LANGUAGES, case_sensitive=False),
                default=None,
                help="The email's language (default: the invitation's; English when callfirst cannot write it).",
            ),
        ]
        if keep_note:
            options.append(click.option("--keep-note", is_flag=True, help="Include --note even if the check objects."))
        decorated: F = packed  # type: ignore[assignment]
        for option in reversed(options):
            decorated = option(decorated)
        return decorated

    return decorate


def reason_option(func: F) -> F:
    return click.option(
        "--reason",
        type=click.Choice(REASONS),
        default="conflict",
        show_default=True,
        help="conflict, work (a mandatory meeting at your current job), emergency, or withdraw.",
    )(func)


def agreed_option(func: F) -> F:
    return click.option(
        "--agreed",
        type=TIME,
        metavar="TIME",
        help="The new time agreed on the call (ISO 8601 or as you would say it): the email confirms it "
        "(and --ics proposes it).",
    )(func)


# The draft's targets, by the flag that names each (`--out FILE` names the file target).
TARGET_FLAGS = {"out": "file", "mailto": "mailto", "gmail": "gmail", "outlook": "outlook", "imap": "imap"}
# Options that only some targets take: the targets, and the option as the user writes it.
TARGET_ONLY = {"find_thread": (("gmail",), "--thread"), "new_draft": (("gmail", "outlook", "imap"), "--new")}


def target_options(func: F) -> F:
    """--out (with --force), --mailto, --gmail (with --thread), --outlook, --imap (with --new), --open: packed
    into `target` (a name in integrations.targets, stdout when none is given) and `options: TargetOptions`."""

    @functools.wraps(func)
    def packed(*args: Any, **kwargs: Any) -> Any:
        from pathlib import Path

        from ..integrations.targets import TargetOptions

        given = {flag: kwargs.pop(flag) for flag in TARGET_FLAGS}
        chosen = [TARGET_FLAGS[flag] for flag, value in given.items() if value not in (None, False)]
        if len(chosen) > 1:
            raise click.UsageError("choose one of " + ", ".join(_flag(flag) for flag in TARGET_FLAGS))
        target = chosen[0] if chosen else "stdout"
        for flag, (needs, shown) in TARGET_ONLY.items():
            if kwargs[flag] and target not in needs:
                raise click.UsageError(f"{shown} goes with " + " or ".join(f"--{name}" for name in needs))
        if kwargs["open_it"] and target not in ("file", "mailto"):
            raise click.UsageError("--open goes with --out FILE.eml or --mailto")
        out = given["out"]
        kwargs["target"] = target
        kwargs["options"] = TargetOptions(
            out=Path(out) if out is not None else None,
            force=kwargs.pop("force"),
            open_it=kwargs.pop("open_it"),
            find_thread=kwargs.pop("find_thread"),
            new=kwargs.pop("new_draft"),
        )
        return func(*args, **kwargs)

    options = (
        click.option(
            "--out", type=click.Path(dir_okay=False), metavar="FILE.eml", help="Write an RFC 5322 draft file."
        ),
        click.option("--force", is_flag=True, help="Replace --out if it exists."),
        click.option("--mailto", is_flag=True, help="Print a mailto: link instead."),
        click.option(
            "--open",
            "open_it",
            is_flag=True,
            help="With --out or --mailto: open it in your mail client (nothing is sent).",
        ),
        click.option("--gmail", is_flag=True, help="Save it as a Gmail draft (updates the one saved before)."),
        click.option(
            "--thread", "find_thread", is_flag=True, help="With --gmail: find the invitation's thread and reply in it."
        ),
        click.option(
            "--outlook",
            is_flag=True,
            help="Save it as an Outlook draft, Microsoft 365 or Outlook.com (updates the one saved before).",
        ),
        click.option(
            "--imap", is_flag=True, help="Save it in your IMAP mailbox's Drafts folder (replaces the one saved before)."
        ),
        click.option(
            "--new",
            "new_draft",
            is_flag=True,
            help="With --gmail, --outlook or --imap: another draft instead of updating the last one.",
        ),
    )
    decorated: F = packed  # type: ignore[assignment]
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


def _flag(name: str) -> str:
    return "--out" if name == "out" else f"--{name}"
