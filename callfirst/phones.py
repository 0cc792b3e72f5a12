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
    r"|customer success|technical (issue|problem|difficult)|troubleshoot|toll[- ]free|verification code"
    r"|security code|otp|event (id|number)|meeting (number|code))\b",
    re.IGNORECASE,
)
# A fax number: no one answers it. Only the number after the word is blanked ('Phone: … | Fax: …').
_FAX_NUMBER = re.compile(r"\b(?:fax|telefax|facsimile)\b[^\d+|\n]{0,15}+\+?[\d().-](?:[\d().-]|\s(?=[\d(]))*+", re.I)
# Dial strings such as +16465588656,,84512345678# are bridges too.
_DIAL_STRING = re.compile(r"\d\s*[,;]{1,2}\s*\d{5,}|\d#")
# A line that labels the number as the candidate's own.
_OWNERS = re.compile(
    r"\b(your (mobile|cell|phone|number|contact)|candidate'?s? (mobile|phone|number|contact)"
    r"|mobile of the candidate|applicant'?s? (phone|mobile))\b",
    re.IGNORECASE,
)
# A booking page lists the booker's (the candidate's) own details under this; an employer's invitation repeats
# the candidate's details under a 'Full name:' or 'Candidate name:' line.
_BOOKED_BY = re.compile(
    r"\b(booked by|invitee|attendee details|your details|full name\s*:|candidate'?s? (name|details)\s*:)",
    re.IGNORECASE,
)
# "He'll be giving you a call on your cell phone": the number in the location is where they reach you.
_THEY_CALL_YOU = re.compile(
    r"\b(giv(e|ing) you a (call|ring)|call you (on|at)|will call you|'ll call you|calling you (on|at)"
    r"|reach you (on|at)|we will call|the interviewer will call|i will call|we'll call"
    r"|(te|le) (llamar|contactar|marcar)\w*|contactar[ée]? contigo|a tu n[uú]mero|(te|lhe) ligar\w*|vou te ligar"
    r"|ligaremos|ligarei|vous appeler|on vous appelle|je vous appelle|rufen? (sie|dich) an)\b"
)  # searched in the lower-cased text: a search that ignores case is slow on a long one
# A phone call whose title names the candidate ('Intern - Daniel Cho - Phone screen'): the interviewer's copy of
# a call to the candidate, and the number it holds is the candidate's unless a line says it is someone else's.
_PHONE_CALL = re.compile(r"\b(phone ?(screen|call|interview)|phonecall|telephone interview)\b", re.IGNORECASE)
_HERS = re.compile(r"\b(call me|my (cell|mobile|number|phone)|reach me|our (number|office)|recruiter|hr)\b")


def _call_to_the_candidate(event: Event, owner_names: list[str]) -> bool:
    full_names = [n for n in owner_names if " " in n.strip() and "@" not in n]
    title = event.summary.lower()
    return bool(_PHONE_CALL.search(f"{event.summary} {event.location}")) and any(n in title for n in full_names)


# Text a booking page wrote (Calendly, YouCanBook.me, OnceHub...): its "Phone number: ..." lines and a number
# as the place to meet are the answers of the one who booked, the candidate.
_BOOKING_PAGE = re.compile(
    r"calendly\.com|youcanbook\.me|oncehub\.com|\binvitee\b|powered by \w+|need to make changes to this event"
)  # searched in the lower-cased text
_ANSWER_LINE = re.compile(
    r"^\s*+(?:your |invitee'?s? )?(?:phone|mobile|cell|cellphone|whats ?app|contact|telephone|tel[ée]fono|celular"
    r"|telefone|t[ée]l[ée]phone|handynummer|telefonnummer)(?: number| no\.?| n[uú]mero)?\s*+[:\-]",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
# Digits that are part of an address, a link or an identifier: a meeting ID in 'zoom.us/j/9593164570',
# 'scheduler+3317476@…', a UID. Each is blanked (same length, so positions stay) before numbers are looked for.
_NOT_DIGITS_OF_A_PHONE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]++|(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++|\b[0-9a-f]{8}-[0-9a-f-]{27,}+",
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
    event: Event,
    region: str | None,
    owner_phones: Iterable[str] = (),
    owner_names: Iterable[str] = (),
    invitee_names: Iterable[str] = (),
    named_in_title: Iterable[str] = (),
) -> tuple[Phone, ...]:
    """Numbers in location, description and summary, then in the email around the event; numbers written
    without a country code are read in `region` (the interviewer's country). The owner's numbers — their
    profile phone, or any number the text labels as the candidate's — are left out everywhere. When the owner
    is not among the attendees, `invitee_names` (those invited, not the organizer) may be the owner's: a phone
    call whose title names one of them is a call to them, and its number theirs. A number in a title that names
    a candidate (`named_in_title`: 'Interview - Arjun Prakash || 9745218603') is the candidate's."""
    sources = (
        ("location", event.location),
        ("description", event.description),
        ("summary", event.summary),
        ("invitation email", event.context_text),
    )
    excluded = {e164(n) for text in owner_phones if (n := parse(text, region)) is not None}
    names = [n.lower() for n in owner_names if n and len(n) >= 3]
    names += [spoken for n in names if (spoken := _name_in_address(n))]
    texts = f"{event.description}\n{event.context_text}".lower()
    invitees = [n.lower() for n in invitee_names if n and len(n) >= 3]
    they_call_you = bool(_THEY_CALL_YOU.search(texts)) or _call_to_the_candidate(event, names + invitees)
    booked = bool(_BOOKING_PAGE.search(texts))
    found: dict[str, Phone] = {}
    candidates_title = _names_a_candidate(event.summary, named_in_title)
    for where, text in sources:
        for phone, owners in _numbers_in(text, region, where, names, booked):
            if (
                owners
                or (where == "summary" and candidates_title)
                or (where == "location" and (they_call_you or booked))
                or (where == "description" and they_call_you and not _HERS.search(text.lower()))
            ):
                excluded.add(phone.e164)
            found.setdefault(phone.e164, phone)
    kept = [phone for phone in found.values() if phone.e164 not in excluded]
    return tuple(sorted(kept, key=_is_pay))  # stable: the order found, pay numbers last


def _names_a_candidate(title: str, names: Iterable[str]) -> bool:
    """Does the title hold one of the names as whole words ('Arjun' in 'Interview Invite - Arjun Prakash')?"""
    words = set(re.findall(r"\w+", title.casefold()))
    return any(
        (parts := re.findall(r"\w+", name.casefold())) and all(part in words for part in parts) for name in names
    )


def _name_in_address(address: str) -> str | None:
    """'dylan.morris@gmail.com' → 'dylan morris': an address of the form given.family spells its owner's name,
    as a text about them writes it ('Full name: Dylan Morris')."""
    local, at, _ = address.partition("@")
    parts = re.split(r"[._]", local)
    if not at or len(parts) != 2 or not all(p.isalpha() and len(p) >= 2 for p in parts):
        return None
    return " ".join(parts)


def _numbers_in(
    text: str, region: str | None, where: str, owner_names: list[str], booked: bool = False
) -> Iterator[tuple[Phone, bool]]:
    """(phone, labelled as the owner's) for each usable number in `text`; on a booking page's text, a number
    on a 'Phone number:' line is the answer of the one who booked."""
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
        if not _DIGIT.search(line):
            recent = [*recent[-1:], line]
            continue  # a number has digits: the matcher is not asked about a line with none
        labelled = " ".join([*recent[-1:], line])
        nearby = " ".join([*recent, line]).lower()
        owners = owners_block or bool(_OWNERS.search(labelled)) or any(n in nearby for n in owner_names)
        owners = owners or (booked and bool(_ANSWER_LINE.match(line)))
        digits = line
        if _DIGIT.search(line):
            digits = _NOT_DIGITS_OF_A_PHONE.sub(lambda m: " " * len(m.group(0)), line)
            digits = _FAX_NUMBER.sub(lambda m: " " * len(m.group(0)), digits)
        for match in phonenumbers.PhoneNumberMatcher(digits, region or "ZZ", leniency=phonenumbers.Leniency.VALID):
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
