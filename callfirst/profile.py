"""Your details — name, email, phone, time zone, the hours you can call — checked, and written as the [profile]
table of config.toml with every other table of the file kept as it was. Pure: text in, text out; the caller
reads and writes the file (callfirst.api.save_profile).

Light to import (the command line's `--help` loads this module): the heavier checks import inside."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from .errors import CallfirstError

# The waking hours used when the profile sets none (proposals.DEFAULT_WAKING), as written in the profile;
# written out so that loading this module loads none of the core (tests/test_startup.py holds the two together).
DEFAULT_HOURS = "08:00-20:00"
FIELDS = ("name", "email", "phone", "timezone", "hours")
LONGEST_NAME = 100
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_SECTION = re.compile(r"\s*\[\s*([^\]]*?)\s*\]")


class ProfileError(CallfirstError):
    """One of your details cannot be used; `key` names it (name, email, phone, timezone, hours)."""

    def __init__(self, message: str, *, key: str) -> None:
        super().__init__(message)
        self.key = key


def checked_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise ProfileError("give your name, as you sign your emails", key="name")
    if len(name) > LONGEST_NAME or not name.isprintable():
        raise ProfileError(f"your name must be one line of up to {LONGEST_NAME} characters", key="name")
    return name


def checked_email(text: str) -> str:
    address = text.strip()
    if not address:
        raise ProfileError("give your email address, like alex@example.com", key="email")
    if not _ADDRESS.fullmatch(address):
        raise ProfileError(f"{address[:80]!r} is not an email address like alex@example.com", key="email")
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
        raise ProfileError(
            f"{text[:40]!r} is not a phone number with its country code, like +1 312 555 0147", key="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def checked_zone(text: str) -> str:
    from .timezones import zone_as_typed

    zone = zone_as_typed(text)
    if zone is None:
        raise ProfileError(
            f"{text[:60]!r} is not a time zone: give a zone name like America/Chicago, or the city it is named "
            "after, like Chicago",
            key="timezone",
        )
    return zone.key


def checked_hours(text: str) -> str:
    from .config import parse_hours

    try:
        start, end = parse_hours(text)
    except ValueError:
        raise ProfileError(
            f"the hours you can call {text[:40]!r} must be like 08:00-20:00 or 9am-6pm, the start before the end",
            key="hours",
        ) from None
    return f"{start:%H:%M}-{end:%H:%M}"


CHECKS = {
    "name": checked_name,
    "email": checked_email,
    "phone": checked_phone,
    "timezone": checked_zone,
    "hours": checked_hours,
}


def checked_profile(answers: Mapping[str, str], *, default_zone: str) -> dict[str, str]:
    """Every detail checked, in the order config.toml lists them: name and email must be given; no phone is
    none; the zone defaults to `default_zone`, the hours to DEFAULT_HOURS."""
    defaults = {"timezone": default_zone, "hours": DEFAULT_HOURS}
    given = {key: (answers.get(key) or "").strip() or defaults.get(key, "") for key in FIELDS}
    return {key: CHECKS[key](value) for key, value in given.items()}


def profile_toml(answers: Mapping[str, str]) -> str:
    """The [profile] table; values as TOML basic strings (JSON's string escapes are TOML's)."""
    lines = ["[profile]"] + [
        f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in answers.items() if value
    ]
    return "\n".join(lines) + "\n"


def config_with_profile(existing: str, answers: Mapping[str, str], *, where: str = "config.toml") -> str:
    """The new config.toml: the [profile] table, then every other table of `existing` as it was. Checked as
    callfirst reads it (a ConfigError names the key at fault)."""
    from .config import parse_config

    rest = without_profile(existing).strip("\n")
    text = profile_toml(answers) + ("\n" + rest + "\n" if rest else "")
    parse_config(text, where=where)
    return text


def without_profile(text: str) -> str:
    """`text` without its [profile] table."""
    kept, in_profile = [], False
    for line in text.splitlines(keepends=True):
        header = _SECTION.match(line)
        if header:
            in_profile = header.group(1).strip('"') == "profile"
        if not in_profile:
            kept.append(line)
    return "".join(kept)
