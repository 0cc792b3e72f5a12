"""`callfirst init`: your profile, asked on a terminal or given by options, written to config.toml."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from ..errors import ExitStatus
from .environment import Environment
from .options import pass_env
from .output import echo

# The waking hours used when the profile sets none (proposals.DEFAULT_WAKING), as init writes them; written
# out so that --help loads none of the core (tests/test_startup.py holds the two together).
DEFAULT_HOURS = "08:00-20:00"
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_SECTION = re.compile(r"\s*\[\s*([^\]]*?)\s*\]")


def checked_name(text: str) -> str:
    name = " ".join(text.split())
    if not name or len(name) > 100 or not name.isprintable():
        raise click.BadParameter("your name, one line of up to 100 characters", param_hint="name")
    return name


def checked_email(text: str) -> str:
    address = text.strip()
    if not _ADDRESS.fullmatch(address):
        raise click.BadParameter(f"{address!r} is not an email address like alex@example.com", param_hint="email")
    return address


def checked_phone(text: str) -> str:
    """'' (no phone) or the number in E.164."""
    import phonenumbers

    if not text.strip():
        return ""
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise click.BadParameter(
            f"{text!r} is not a phone number with its country code, like +1 312 555 0147", param_hint="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def checked_zone(text: str) -> str:
    from ..timezones import zone_named

    zone = zone_named(text.strip())
    if zone is None:
        raise click.BadParameter(f"{text!r} is not a time zone name like Europe/Berlin", param_hint="timezone")
    return zone.key


def checked_hours(text: str) -> str:
    from ..config import parse_hours

    try:
        start, end = parse_hours(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="hours") from None
    return f"{start:%H:%M}-{end:%H:%M}"


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
    Question("name", "Your name (as you sign emails)", checked_name),
    Question("email", "Your email address", checked_email),
    Question("phone", "Your phone, with country code (Enter to skip)", checked_phone, optional=True),
    Question("timezone", "Your time zone", checked_zone, default=_system_zone),
    Question("hours", "When you can make calls, your time", checked_hours, default=lambda: DEFAULT_HOURS),
)


@click.command()
@click.option("--name", help="Your name, as the email is signed.")
@click.option("--email", help="Your email address.")
@click.option("--phone", help="Your phone number with its country code (stored as +13125550147).")
@click.option("--timezone", metavar="ZONE", help="Your IANA time zone (default: this computer's).")
@click.option("--hours", metavar="HH:MM-HH:MM", help=f"When you can make calls (default: {DEFAULT_HOURS}).")
@click.option("--yes", is_flag=True, help="Ask nothing: take the options, and the defaults for the rest.")
@click.option("--force", is_flag=True, help="Replace the [profile] of an existing config.toml; other sections stay.")
@pass_env
def init(env: Environment, /, yes: bool, force: bool, **given: str | None) -> ExitStatus:
    """Set up your profile: name, email, phone, time zone, and when you can call.

    On a terminal it asks; with options (and --yes) it asks nothing, for scripts.
    """
    from ..errors import OutputError

    path = env.places.config
    if path.exists() and not force:
        raise OutputError("already exists; add --force to replace its [profile] (other sections stay)", where=str(path))
    ask = env.stdin_isatty and not yes
    answers = {q.key: _answer(q, given.get(q.key), ask) for q in QUESTIONS}
    text = _config_text(path, answers)
    if ask and not click.confirm(f"Write this profile to {path}?", default=True):
        echo(env, "Nothing was written.")
        return ExitStatus.OK
    _write(path, text, force)
    echo(env, f"Wrote your profile to {path}")
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


def profile_toml(answers: dict[str, str]) -> str:
    """The [profile] table; values as TOML basic strings (JSON's string escapes are TOML's)."""
    lines = ["[profile]"] + [
        f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in answers.items() if value
    ]
    return "\n".join(lines) + "\n"


def _config_text(path: Path, answers: dict[str, str]) -> str:
    """The new config: the [profile] table, then every other table of the existing file as it was."""
    from ..config import parse_config
    from ..errors import ConfigError

    profile = profile_toml(answers)
    try:
        existing = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        existing = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read to keep its other sections ({exc})", where=str(path)) from None
    rest = _without_profile(existing).strip("\n")
    text = profile + ("\n" + rest + "\n" if rest else "")
    parse_config(text, where=str(path))
    return text


def _without_profile(text: str) -> str:
    kept, in_profile = [], False
    for line in text.splitlines(keepends=True):
        header = _SECTION.match(line)
        if header:
            in_profile = header.group(1).strip('"') == "profile"
        if not in_profile:
            kept.append(line)
    return "".join(kept)


def _write(path: Path, text: str, force: bool) -> None:
    from ..integrations.atomic import write_atomic

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"), force=force, mode=0o600)
