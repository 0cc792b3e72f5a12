"""Phone numbers to call, found in the event's text (not conference dial-ins)."""

from __future__ import annotations

import re

import phonenumbers

from .model import Event, Phone

# A number on a line that speaks of these, or in the lines right after one (up to a blank
# line), is a conference bridge, not a person.
_DIAL_IN = re.compile(
    r"\b(pin|passcode|meeting id|conference id|dial[- ]?in|dial by your location|one tap mobile|join by phone"
    r"|join by telephone|access code|participant code|einwahl|konferenz-?id|audio conference)\b",
    re.IGNORECASE,
)
# Dial strings such as +16465588656,,84512345678# are bridges too.
_DIAL_STRING = re.compile(r"\d[,;]{1,2}\d|\d#")


def region_for(profile_region: str, profile_phone: str) -> str | None:
    """The region used for numbers written without a country code."""
    if profile_region:
        return profile_region.upper()
    if profile_phone:
        try:
            number = phonenumbers.parse(profile_phone, None)
        except phonenumbers.NumberParseException:
            return None
        return phonenumbers.region_code_for_number(number)
    return None


def find_phones(event: Event, region: str | None) -> tuple[Phone, ...]:
    """Numbers in location, description and summary, then in the email around the event."""
    found: dict[str, Phone] = {}
    for where, text in (
        ("location", event.location),
        ("description", event.description),
        ("summary", event.summary),
        ("invitation email", event.context_text),
    ):
        for phone in _numbers_in(text, region, where):
            found.setdefault(phone.e164, phone)
    return tuple(found.values())


def _numbers_in(text: str, region: str | None, where: str):
    if not text:
        return
    text = text.replace("tel:", " ")
    in_dial_block = False
    for line in text.splitlines():
        if not line.strip():
            in_dial_block = False
            continue
        if _DIAL_IN.search(line):
            in_dial_block = True
        if in_dial_block or _DIAL_STRING.search(line):
            continue
        for match in phonenumbers.PhoneNumberMatcher(line, region or "ZZ", leniency=phonenumbers.Leniency.VALID):
            number = match.number
            yield Phone(
                e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                display=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
                where=where,
            )
