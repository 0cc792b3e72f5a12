"""Phone numbers to call, found in the event's text: the employer's people, not conference bridges,
not a vendor's help desk, never the candidate's own number."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import phonenumbers

from .model import Event, Phone

# A number on a line that speaks of these, or in the lines right after one (up to a blank line),
# is a conference bridge or a vendor's help line, not a person at the employer.
_NOT_A_PERSON = re.compile(
    r"\b(pin|passcode|meeting id|conference id|dial[- ]?in|dial\b|one[- ]tap|join by phone|join by telephone"
    r"|or telephone|telephone:|access code|participant code|einwahl|konferenz-?id|audio conference|call in"
    r"|webinar id|audio only|find a local number|international numbers|support|help ?desk|helpline"
    r"|customer success|technical (issue|problem|difficult)|troubleshoot|toll[- ]free)\b",
    re.IGNORECASE,
)
# Dial strings such as +16465588656,,84512345678# are bridges too.
_DIAL_STRING = re.compile(r"\d\s*[,;]{1,2}\s*\d{5,}|\d#")
# A line that labels the number as the candidate's own.
_OWNERS = re.compile(
    r"\b(your (mobile|cell|phone|number|contact)|candidate'?s? (mobile|phone|number|contact)"
    r"|mobile of the candidate|applicant'?s? (phone|mobile))\b",
    re.IGNORECASE,
)
# A booking page lists the booker's (the candidate's) own details under this.
_BOOKED_BY = re.compile(r"\b(booked by|invitee|attendee details|your details)\b", re.IGNORECASE)
# "He'll be giving you a call on your cell phone": the number in the location is where they reach you.
_THEY_CALL_YOU = re.compile(
    r"\b(giv(e|ing) you a (call|ring)|call you (on|at)|will call you|'ll call you|calling you (on|at)"
    r"|reach you (on|at)|we will call|the interviewer will call)\b",
    re.IGNORECASE,
)
# '+022…' and '+0 22…': a trunk zero written after a plus; the number is national.
_PLUS_ZERO = re.compile(r"\+\s*0(?=\d)")
# Numbers the caller pays extra for (a scam's favourite): never the first to dial, and said to be what they are.
_PAY_NUMBERS = {
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium-rate",
    phonenumbers.PhoneNumberType.SHARED_COST: "shared-cost",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "personal-number",
}


def region_for(profile_region: str, profile_phone: str) -> str | None:
    """The region used for numbers written without a country code, from the owner's settings."""
    if profile_region:
        return profile_region.upper()
    number = parse(profile_phone, None)
    return phonenumbers.region_code_for_number(number) if number else None


def parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def find_phones(
    event: Event, region: str | None, owner_phones: Iterable[str] = (), owner_names: Iterable[str] = ()
) -> tuple[Phone, ...]:
    """Numbers in location, description and summary, then in the email around the event; numbers written
    without a country code are read in `region` (the interviewer's country). The owner's numbers — their
    profile phone, or any number the text labels as the candidate's — are left out everywhere."""
    sources = (
        ("location", event.location),
        ("description", event.description),
        ("summary", event.summary),
        ("invitation email", event.context_text),
    )
    excluded = {e164(n) for text in owner_phones if (n := parse(text, region)) is not None}
    names = [n.lower() for n in owner_names if n and len(n) >= 3]
    they_call_you = bool(_THEY_CALL_YOU.search(f"{event.description}\n{event.context_text}"))
    found: dict[str, Phone] = {}
    for where, text in sources:
        for phone, owners in _numbers_in(text, region, where, names):
            if owners or (where == "location" and they_call_you):
                excluded.add(phone.e164)
            found.setdefault(phone.e164, phone)
    kept = [phone for phone in found.values() if phone.e164 not in excluded]
    return tuple(sorted(kept, key=_is_pay))  # stable: the order found, pay numbers last


def _numbers_in(text: str, region: str | None, where: str, owner_names: list[str]) -> Iterator[tuple[Phone, bool]]:
    """(phone, labelled as the owner's) for each usable number in `text`."""
    if not text:
        return
    text = _PLUS_ZERO.sub("0", text.replace("tel:", " "))
    in_block = owners_block = False
    recent: list[str] = []
    for line in re.split(r"\n|<br\s*/?>", text):
        if not line.strip():
            in_block = owners_block = False
            continue
        if _NOT_A_PERSON.search(line):
            in_block = True
        owners_block = owners_block or bool(_BOOKED_BY.search(line))
        if in_block or _DIAL_STRING.search(line):
            recent = [*recent[-1:], line]
            continue
        labelled = " ".join([*recent[-1:], line])
        nearby = " ".join([*recent, line]).lower()
        owners = owners_block or bool(_OWNERS.search(labelled)) or any(n in nearby for n in owner_names)
        for match in phonenumbers.PhoneNumberMatcher(line, region or "ZZ", leniency=phonenumbers.Leniency.VALID):
            number = match.number
            yield (
                Phone(
                    e164=e164(number),
                    display=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
                    + _pay_warning(number),
                    where=where,
                    region=phonenumbers.region_code_for_number(number),
                ),
                owners,
            )
        recent = [*recent[-1:], line]


def _pay_warning(number: phonenumbers.PhoneNumber) -> str:
    """' (premium-rate: a pay number, calls cost extra)' for a number the caller pays extra for, else ''."""
    kind = _PAY_NUMBERS.get(phonenumbers.number_type(number))
    return f" ({kind}: a pay number, calls cost extra)" if kind else ""


def _is_pay(phone: Phone) -> bool:
    number = parse(phone.e164, None)
    return number is not None and phonenumbers.number_type(number) in _PAY_NUMBERS


def format_for(text: str, country: str | None) -> str:
    """A number as someone in `country` dials it: national at home, international from elsewhere;
    the text as it is when it is not a valid number."""
    number = parse(text, None)
    if number is None:
        return text
    home = phonenumbers.region_code_for_number(number)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if country and country == home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
