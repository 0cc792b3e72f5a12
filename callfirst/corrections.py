"""The facts a user corrects over what the invitation says — company, role, the interviewer's zone, the number
to call, the address to write to — each checked, so a bad one is refused in one sentence naming it.
Pure: text in, `Overrides` out."""

from __future__ import annotations

import re

from .errors import FactError, UnsafeValue
from .model import Overrides
from .untrusted import printable

LONGEST_TEXT = 120  # characters of a company or role name


def checked_overrides(
    *,
    company: str | None = None,
    role: str | None = None,
    their_zone: str | None = None,
    phone: str | None = None,
    to: str | None = None,
) -> Overrides | None:
    """The corrections given (blank ones left out), each checked; None when none is given."""
    given = Overrides(
        company=checked_text(company, "company"),
        role=checked_text(role, "role"),
        their_zone=checked_zone(their_zone) if their_zone and their_zone.strip() else None,
        phone=checked_phone(phone) if phone and phone.strip() else None,
        to=checked_address(to) if to and to.strip() else None,
    )
    return given if any((given.company, given.role, given.their_zone, given.phone, given.to)) else None


def checked_text(value: str | None, what: str) -> str | None:
    """A company or role name on one line; None when blank."""
    text = printable(value or "")
    if not text:
        return None
    if len(text) > LONGEST_TEXT:
        raise FactError(f"the {what} is longer than {LONGEST_TEXT} characters; give a shorter name")
    return text


def checked_zone(value: str) -> str:
    """An IANA zone name (canonical), from an IANA name, a city a zone is named after or a Windows name."""
    from .timezones import canonical, zone_as_typed

    zone = zone_as_typed(value)
    key = canonical(zone.key) if zone else None
    if key is None:
        raise FactError(
            f"{printable(value)[:60]!r} is not a time zone (use a city a zone is named after, such as Kolkata, or a name such as Asia/Kolkata)"
        )
    return key


def checked_phone(value: str) -> str:
    """A phone number with its country code, in E.164."""
    from .phones import e164, parse

    number = parse(value, None)
    if number is None:
        raise FactError(f"{printable(value)[:40]!r} is not a phone number with a country code (e.g. +44 20 7946 0958)")
    return e164(number)


def checked_address(value: str) -> str:
    """One email address."""
    from .drafts.message import single_address

    if len([part for part in re.split(r"[,;\s]+", value.strip()) if "@" in part]) > 1:
        raise FactError(f"{printable(value)[:80]!r} holds more than one address; give one")
    try:
        return single_address(value)
    except UnsafeValue:
        raise FactError(f"{printable(value)[:80]!r} is not an email address") from None
