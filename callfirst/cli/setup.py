"""`callfirst init`: your profile, asked on a terminal or given by options, written to config.toml."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import click

from ..errors import ExitStatus
from ..profile import (
    DEFAULT_HOURS,
    ProfileError,
    checked_email,
    checked_hours,
    checked_name,
    checked_phone,
    checked_zone,
)
from .environment import Environment
from .options import pass_env
from .output import echo


def _checked(check: Callable[[str], str]) -> Callable[[str], str]:
    """A detail's check as click wants it: a refusal is a BadParameter naming the option (asked again at a
    prompt)."""

    def checked(text: str) -> str:
        try:
            return check(text)
        except ProfileError as exc:
            raise click.BadParameter(exc.message, param_hint=exc.key) from None

    return checked


def _system_zone() -> str:
    from ..integrations.home import local_zone_name

    return local_zone_name()


@dataclass(frozen=True)
class Question:
    key: str
    prompt: str
    check: Callable[[str], str]
    default: Callable[[], str] | None = None  # None: must be answered
    optional: bool = False


QUESTIONS = (
    Question("name", "Your name (as you sign emails)", _checked(checked_name)),
    Question("email", "Your email address", _checked(checked_email)),
    Question("phone", "Your phone, with country code (Enter to skip)", _checked(checked_phone), optional=True),
    Question("timezone", "Your time zone", _checked(checked_zone), default=_system_zone),
    Question("hours", "When you can make calls, your time", _checked(checked_hours), default=lambda: DEFAULT_HOURS),
)


@click.command()
@click.option("--name", help="Your name, as the email is signed.")
@click.option("--email", help="Your email address.")
@click.option("--phone", help="Your phone number with its country code (stored as +13125550147).")
@click.option(
    "--timezone",
    metavar="ZONE",
    help="Your time zone: a city (Chicago) or an IANA name (America/Chicago); default: this computer's.",
)
@click.option(
    "--hours", metavar="HOURS", help=f"When you can make calls: 9am-6pm, 09:00-18:00 (default: {DEFAULT_HOURS})."
)
@click.option("--yes", is_flag=True, help="Ask nothing: take the options, and the defaults for the rest.")
@click.option("--force", is_flag=True, help="Replace the [profile] of an existing config.toml; other sections stay.")
@pass_env
def init(env: Environment, /, yes: bool, force: bool, **given: str | None) -> ExitStatus:
    """Set up your profile: name, email, phone, time zone, and when you can call.

    On a terminal it asks; with options (and --yes) it asks nothing, for scripts.
    """
    from .. import api
    from ..errors import OutputError

    path = env.places.config
    if path.exists() and not force:
        raise OutputError("already exists; add --force to replace its [profile] (other sections stay)", where=str(path))
    ask = env.stdin_isatty and not yes
    answers = {q.key: _answer(q, given.get(q.key), ask) for q in QUESTIONS}
    if ask and not click.confirm(f"Write this profile to {path}?", default=True):
        echo(env, "Nothing was written.")
        return ExitStatus.OK
    saved = api.save_profile(env.places, answers, replace=force)
    echo(env, f"Wrote your profile to {saved.path}")
    return ExitStatus.OK


def _answer(question: Question, given: str | None, ask: bool) -> str:
    if given is not None:
        return question.check(given)
    default = question.default() if question.default else ("" if question.optional else None)
    if ask:
        return click.prompt(question.prompt, default=default, show_default=bool(default), value_proc=question.check)
    if default is None:
        raise click.UsageError(f"--{question.key} is needed (or run `callfirst init` on a terminal to be asked)")
    return question.check(default) if default else ""
