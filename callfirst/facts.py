"""The facts a call plan and an email state — company, role, the interviewer's zone, the number to call,
the recipient, the name to greet — each with where it came from.

A wrong fact does the candidate harm; a missing one does none. So each rule here names something only when
the invitation says it plainly, never takes a person's name for a company, and says where it looked.
Pure: the event and the owner's profile in, frozen facts out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from functools import lru_cache
from zoneinfo import ZoneInfo

from .config import Profile
from .model import Assessment, Attendee, Event, Fact, Facts, Overrides, Person, Phone
from .timezones import (
    canonical_zone,
    city_zone,
    country_of,
    iana_zones_in,
    is_utc,
    only_zone_at_offset,
    parse_offset,
    same_offsets,
    zone_named,
    zones_of_country,
)
from .untrusted import reads_as_an_address

GIVEN = "you gave it"

# --- addresses that are not a person to write to, nor the employer --------------------------------

FREE_MAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.co.in",
        "yahoo.co.uk",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "t-online.de",
        "mail.com",
        "mail.ru",
        "yandex.ru",
        "yandex.com",
        "rediffmail.com",
        "qq.com",
        "163.com",
        "126.com",
        "naver.com",
        "daum.net",
        "hanmail.net",
        "seznam.cz",
        "wp.pl",
        "o2.pl",
        "interia.pl",
        "libero.it",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "zoho.com",
        "zohomail.com",
        "fastmail.com",
        "hey.com",
        "tutanota.com",
    ]
)
# Applicant-tracking systems, schedulers, job boards and meeting services: their addresses send on behalf
# of an employer; they are neither the employer nor someone who reads a reply.
SERVICE_DOMAINS = frozenset(
    [
        "smartrecruiters.com",
        "greenhouse.io",
        "lever.co",
        "hirevue.com",
        "paradox.ai",
        "calendly.com",
        "oncehub.com",
        "goodtime.io",
        "modernloop.io",
        "myworkday.com",
        "workday.com",
        "myworkdayjobs.com",
        "icims.com",
        "jobvite.com",
        "ashbyhq.com",
        "workable.com",
        "teamtailor.com",
        "personio.de",
        "personio.com",
        "recruitee.com",
        "gem.com",
        "naukri.com",
        "internshala.com",
        "linkedin.com",
        "indeed.com",
        "glassdoor.com",
        "monster.com",
        "ziprecruiter.com",
        "hirist.com",
        "hirist.tech",
        "instahyre.com",
        "foundit.in",
        "shine.com",
        "klimb.io",
        "darwinbox.in",
        "darwinbox.com",
        "breezy.hr",
        "bamboohr.com",
        "jazzhr.com",
        "recruiterbox.com",
        "zoom.us",
        "zoom.com",
        "microsoft.com",
        "teams.microsoft.com",
        "google.com",
        "hackerrank.com",
        "codility.com",
        "hackerearth.com",
        "talentzq.io",
        "freshteam.com",
        "keka.com",
        "zohorecruit.com",
        "successfactors.com",
        "taleo.net",
        "eightfold.ai",
        "beamery.com",
        "phenom.com",
        "avature.net",
        "bullhorn.com",
        "jobscore.com",
        "recruitcrm.io",
        "manatal.com",
        "hirehive.com",
        "cal.com",
        "savvycal.com",
        "youcanbook.me",
        "acuityscheduling.com",
        "doodle.com",
        "hubspot.com",
        "shl.com",
        "mettl.com",
        "testgorilla.com",
        "cronofy.com",
        "imocha.io",
        "vervoe.com",
        "harver.com",
        "pymetrics.ai",
        "sparkhire.com",
        "willo.video",
        "myinterview.com",
        "hireflix.com",
        "interviewstream.com",
        "coderpad.io",
        "codesignal.com",
        "karat.com",
        "evalgator.com",
        "wecreateproblems.com",
    ]
)
# The mail domains scheduling and hiring products send invitations from on an employer's behalf: a reply
# there reaches a robot, and the domain is the product's, never the employer's.
SCHEDULING_MAIL_DOMAINS = frozenset(
    [
        "workablemail.com",
        "talview.com",
        "turbohire.co",
        "hire.lever.co",
        "greenhouse-mail.io",
        "smartrecruiters.email",
        "calendly-mail.com",
        "recruitee.email",
        "teamtailor-mail.com",
        "ashbyhq.email",
        "bookings.microsoft.com",
        "youcanbookme.com",
        "zohocalendar.com",
        "hubspot-mail.com",
    ]
)
# A relay's address: its local part or a subdomain says it is a calendar, scheduler, inbound relay or events
# feed ('calendar-<uuid>@inbound.turbohire.co', 'scheduler+3317476@mg.talview.com', '…@events.workablemail.com').
_RELAY_LOCAL = re.compile(
    r"^(calendar|scheduler|scheduling|inbound|events?|notifications?|invites?|meetings?)([-+_.].*)?$", re.I
)
_RELAY_SUBDOMAIN = re.compile(
    r"^(inbound|events?|scheduler|scheduling|notifications?|calendar|invites?|mg|em\d*)\.", re.I
)
# A Microsoft Bookings page's mailbox: the page's name and its domain run together ('RecruitmentPageWizagKenyacom@').
_BOOKINGS_MAILBOX = re.compile(r"^(?:[A-Z][a-z0-9]+){2,}(?:com|net|org|co|io)$")
_NO_REPLY = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|mailer-daemon|bounces?|notifications?"
    r"|calendar-notification|invitations?|noreply-[\w.-]+)(\+.*)?$",
    re.I,
)
_LOCAL_TAG = re.compile(r"[-+_]")
_OPAQUE_LOCAL = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f]{24,}$", re.I)
# Parts of a domain that name no one: top-level and second-level suffixes.
_SUFFIXES = frozenset(
    [
        "com",
        "org",
        "net",
        "edu",
        "gov",
        "mil",
        "int",
        "co",
        "ac",
        "io",
        "ai",
        "app",
        "dev",
        "tech",
        "consulting",
        "group",
        "inc",
        "biz",
        "info",
    ]
)
_COUNTRY_TLD_EXCEPTIONS = {"uk": "GB", "io": None, "ai": None, "co": None, "me": None, "tv": None, "ly": None}


# Free-mail providers by name, whatever the country's domain (yahoo.com.br, hotmail.fr).
_FREE_MAIL_NAMES = frozenset(
    [
        "gmail",
        "googlemail",
        "yahoo",
        "ymail",
        "rocketmail",
        "hotmail",
        "outlook",
        "live",
        "msn",
        "aol",
        "icloud",
        "gmx",
        "web",
        "mail",
        "yandex",
        "rediffmail",
        "qq",
        "163",
        "126",
        "naver",
        "daum",
        "hanmail",
        "proton",
        "protonmail",
        "zoho",
        "uol",
        "bol",
        "terra",
        "libero",
        "orange",
        "free",
        "laposte",
        "wp",
        "o2",
        "interia",
        "seznam",
        "t-online",
    ]
)


def is_free_mail(domain: str) -> bool:
    labels = domain.lower().split(".")
    return domain.lower() in FREE_MAIL or (len(labels) >= 2 and labels[0] in _FREE_MAIL_NAMES and len(labels) <= 4)


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip().strip(">").lower()


def _under(domain: str, parents: Iterable[str]) -> bool:
    """Is `domain` one of `parents` or under one? (each of its own suffixes looked up once)"""
    known = parents if isinstance(parents, frozenset) else frozenset(parents)
    labels = domain.split(".")
    return any(".".join(labels[index:]) in known for index in range(len(labels)))


@lru_cache(maxsize=4096)
def why_not_a_recipient(address: str) -> str | None:
    """Why this address is not a person who reads a reply; None when it may well be one."""
    local, _, domain = address.strip().lower().rpartition("@")
    if not local or "." not in domain:
        return "is not an email address"
    if _NO_REPLY.match(local):
        return "is a no-reply address"
    if domain.startswith("calendar.") or ".calendar." in domain or _under(domain, ("calendar.google.com",)):
        return "is a calendar system's address"
    if _OPAQUE_LOCAL.match(local) or _OPAQUE_LOCAL.match(_LOCAL_TAG.split(local, maxsplit=1)[-1]):
        return "is a generated address, not a person's"
    if _under(domain, SCHEDULING_MAIL_DOMAINS) or _RELAY_LOCAL.match(local) or _RELAY_SUBDOMAIN.match(domain):
        return "is a scheduling system's relay, not a person's"
    if _BOOKINGS_MAILBOX.match(address.strip().rpartition("@")[0]):
        return "is a booking page's mailbox, not a person's"
    if _under(domain, SERVICE_DOMAINS):
        return "belongs to a scheduling or job-board service, not the employer"
    return None


def country_of_domain(domain: str) -> str | None:
    """The country a domain's top level names ('kwglobal.co.in' → 'IN'), or None for .com and the like."""
    tld = domain.rsplit(".", 1)[-1].lower()
    if len(tld) != 2:
        return None
    if tld in _COUNTRY_TLD_EXCEPTIONS:
        return _COUNTRY_TLD_EXCEPTIONS[tld]
    return tld.upper() if zones_of_country(tld) else None


# --- who is a person here ---------------------------------------------------------------------------


def _names_of_people(event: Event, profile: Profile) -> list[str]:
    """Names of the people in the invitation: never a company, never a role. The organizer's own address
    and a service's addresses are left out: a company's account is often named after the company."""
    organizer = event.organizer.email.lower() if event.organizer else ""
    names = [profile.name]
    if event.organizer and event.organizer.name and not why_not_a_recipient(organizer):
        names.append(event.organizer.name)  # a job board's sender name is the employer's, not a person's
    if (
        organizer
        and not why_not_a_recipient(organizer)
        and re.fullmatch(r"[a-z]{3,}[._][a-z]{3,}", organizer.partition("@")[0])
    ):
        names.append(organizer.partition("@")[0])  # 'daniela.quintero@': a person's address
    for attendee in event.attendees:
        address = attendee.email.lower()
        if why_not_a_recipient(address):
            continue
        if address == organizer:
            names.append(attendee.name or "")  # the organizer's name, given on its line as an attendee
            continue
        names += [attendee.name or "", address.partition("@")[0]]
    names += re.findall(
        r"(?im)^[^\S\n]*+(?:dear|hi|hello|hey)\s++(?:mr\.?|ms\.?|mrs\.?|dr\.?)?\s*([^\n,!:<]{2,40})", event.description
    )
    return [n.strip() for n in names if n and len(n.strip()) >= 3 and "@" not in n]


# More names than any interview has: past this, any text may name one of them, so none is taken for a company
# or a role. Checking every text against every name costs their product; the cap keeps that linear.
MAX_PEOPLE = 50


@dataclass(frozen=True)
class _People:
    """The names of the people in an invitation, each read once: its letters, and the words that are its parts."""

    letters: tuple[str, ...]
    parts: frozenset[str]
    crowded: bool  # more than MAX_PEOPLE names
    initials: frozenset[str] = frozenset()  # the short words of their names: 'JM' of 'JM Reyes'

    @classmethod
    def of(cls, names: Iterable[str]) -> _People:
        unique = list(dict.fromkeys(names))
        kept = unique[:MAX_PEOPLE]
        parts = {p for name in kept for p in re.findall(r"[^\W\d_]{3,}", name.lower()) if p not in _NOT_NAMES}
        short = {w for name in kept if "@" not in name for w in re.findall(r"\b[^\W\d_]{1,2}\b", name.lower())}
        return cls(tuple(_letters(name) for name in kept), frozenset(parts), len(unique) > MAX_PEOPLE, frozenset(short))


def _mentions_a_person(text: str, people: _People) -> bool:
    """Does `text` name one of the people: a full name, a part of one, or all its words inside one
    address ('Manoj Pant' in 'pantmanoj512')? In a crowd of names, any text may."""
    if people.crowded:
        return True
    folded = _letters(text)
    if folded in people.initials:
        return True
    words = set(re.findall(r"[^\W\d_]{3,}", text.lower()))
    if words & people.parts:
        return True
    for letters in people.letters:
        if letters and len(folded) >= 3 and (letters in folded or folded in letters):
            return True
        if words and all(w in letters for w in words):
            return True
    return False


# Words that show up in names of mailboxes and teams, not of people.
_NOT_NAMES = frozenset(
    ["team", "recruitment", "recruiting", "talent", "careers", "career", "hiring", "calendar", "campus", "hr", "admin"]
)


_NOT_LETTERS = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    return _NOT_LETTERS.sub("", text.casefold())


# --- company -------------------------------------------------------------------------------------

_COMPANY_WORDS = re.compile(
    r"\b(inc|llc|ltd|limited|gmbh|ag|sa|sas|bv|plc|corp|corporation|company|co|pvt|private|technologies|technology"
    r"|solutions|systems|software|services|consulting|consultancy|labs?|group|global|international|industries"
    r"|holdings|partners|digital|analytics|research|bank|insurance|media|studios?|ventures|networks|energy|health"
    r"|pharma|foods?|motors|airlines|logistics|tech)\b\.?",
    re.I,
)
_GENERIC_SEGMENT = re.compile(
    r"^(interviews?|interview (schedule|scheduled|invitation|invite|confirmation|details)|schedule|scheduled|invitation"
    r"|round\s*\d*|(hr|technical|tech|managerial|final|first|second|third|virtual|video|phone|online|l\d|1st|2nd|3rd)"
    r"\s*(round|interview|discussion|call)?|virtual|online|onsite|in[- ]person|zoom|teams|google meet|meet|call"
    r"|discussion|meeting|walk[- ]in.*|candidate.*|.*\bround\b.*|.*\binterview\b.*)$",
    re.I,
)
_COMPANY_IN_TEXT = (
    re.compile(
        r"\b(?:speak|talk|meet|chat|interview)\s+with\s+[^\n,.;:]{2,40}?\s+at\s+(?P<c>[A-Z][^\n,.;:!?()|]{1,50}?)(?=\s+(?:on|at|in|for|about)\b|[\n,.;:!?()|]|$)"
    ),
    re.compile(
        r"\b(?i:interview|call|chat|meeting|discussion)\s+(?:at|with|bei|chez|con|com|met)\s+(?P<c>[^\n,.;:!?()|]{2,60})"
    ),
    re.compile(r"\binterview\s++between\s++(?P<c>[^\n,.;:!?()|]{2,60}?)\s++and\b"),
    re.compile(r"\bscheduled for an interview at\s+(?P<c>[^\n,.;:!?()|]{2,60}?)(?:\s+for\b|[\n,.;:!?()|]|$)"),
    re.compile(
        r"\b(?:interest in|applying to|application (?:to|with)|greetings? from|welcome to)\s+(?P<c>[^\n,.;:!?()|]{2,60})"
    ),
    re.compile(r"(?m)^[^\S\n]*+about\s+(?P<c>[^\n,.;:!?()|]{2,40}):\s*$"),
    # The employer's hiring team or selection process, named in the languages job boards write in: 'time de RH
    # da Leadlovers', 'processo seletivo da X', 'equipo de RRHH de X', 'the HR team at X'.
    re.compile(
        r"\b(?i:(?:(?:HR|recruitment|recruiting|talent acquisition|hiring) team (?:at|of))"
        r"|(?:(?:time|equipe|equipo|[ée]quipe) (?:de |d')?(?:RH|RRHH|recrutamento|reclutamiento|recrutement))"
        r"|(?:processo seletivo|proceso de selecci[oó]n|processus de recrutement))"
        r"\s+(?:(?i:da|do|de|del|de la|des|du|d')\s*)?(?P<c>[^\n,.;:!?()|]{2,60})"
    ),
    re.compile(r"\b(?:at|@)\s+(?P<c>[^\n,.;:!?()|@]{2,60})\s*$"),
)


def company(event: Event, profile: Profile, override: str | None = None) -> Fact:
    """The hiring company, only where the invitation says it plainly; never a person's name. A name the
    invitation shouts ('PSQUARE COMPANY') is written as a name ('Psquare Company'); an acronym stays."""
    if override:
        return Fact(override.strip(), GIVEN)
    found = _company(event, profile)
    return replace(found, value=written_as_a_name(found.value)) if found.value else found


def written_as_a_name(name: str) -> str:
    """'QUBIQON' → 'Qubiqon', 'PSQUARE COMPANY' → 'Psquare Company'; 'IBM', 'AND Digital' and 'McKinley' as they are."""
    if not name.isupper():
        return name
    return " ".join(w.capitalize() if len(w) > 4 and w.isalpha() else w for w in name.split(" "))


def _company(event: Event, profile: Profile) -> Fact:
    names = _names_of_people(event, profile)
    people = _People.of(names)
    domain_label, domain_source = _employer_domain(event, profile)
    from_title = _company_in_title(event.summary, people, domain_label)
    if from_title and domain_label and _agrees(from_title, domain_label):
        return Fact(from_title, f"the title, matching {domain_source}")
    stated = _company_in_text(event, people) or _booked_with(event, people)
    if stated and (not domain_label or _agrees(stated, domain_label)):
        return Fact(stated, "the invitation's text")
    if stated and domain_label:
        # An agency's recruiter writing about an interview "at Credera": the interview is at the one the text names.
        return Fact(stated, f"the invitation's text (the organizer's domain is another organisation's: {domain_label})")
    client = _client_in_title(event.summary, people) if not _organizer_has_colleagues(event) else None
    if client and domain_label:
        return Fact(client, f"the title (the organizer's domain is another organisation's: {domain_label})")
    if domain_label:
        spelled = _spelled_as_in_text(domain_label, event)
        if spelled:
            return Fact(spelled, domain_source)
        spelled_elsewhere = _attendee_organisation_spelled(event, profile, domain_label)
        if spelled_elsewhere:
            return Fact(spelled_elsewhere, "an attendee's domain, as the invitation's text spells it")
        # The name is known only as a domain ('cmsenergy'): shown for you to check, never put in an email.
        bare = _LEGAL_TAIL.sub("", domain_label)
        name = bare[:1].upper() + bare[1:]
        return Fact(
            name, f"{domain_source}; its spelling is not in the invitation, so the email leaves it out", guessed=True
        )
    tag = _tag_of_the_title(event.summary, people)
    if tag:
        return Fact(tag, "the tag that opens the title")
    titled_account = _account_the_title_names(event)
    if titled_account:
        return Fact(titled_account, "the title, matching the name of the organizer's account")
    if event.organizer and event.organizer.name and _account_named_after_it(event.organizer):
        # 'NHAT DUONG TECH <nhatduongtech@gmail.com>': a free-mail account an organisation runs in its name
        return Fact(" ".join(event.organizer.name.split()), "the name of the organizer's account")
    if event.organizer and why_not_a_recipient(event.organizer.email) and event.organizer.name:
        # Job boards send as "Company Name <noreply@board>": the name is the employer's when it reads as one.
        name = " ".join(event.organizer.name.split())
        if _COMPANY_WORDS.search(name) and not _mentions_a_person(name, _People.of(names[1:])):
            return Fact(name, "the sender's name on a job-board address")
        titled = _sender_named_in_title(event.organizer, event.summary)
        if titled:
            return Fact(titled, "the sender's name on a hiring service's address, which the title repeats")
    return Fact(None, "not stated in the invitation")


def _attendee_organisation_spelled(event: Event, profile: Profile, unspelled: str) -> str | None:
    """The one organisation among the attendees' domains the text spells as a name ('Topic: Interview Creative
    Spark' with a creativespark.co.za attendee), when the domain the company was to come from is not spelled."""
    owner = profile.email.strip().lower()
    labels = {
        label
        for a in event.attendees
        if a.email.lower() != owner and not a.is_self and (label := _domain_label(a.email)) and label != unspelled
    }
    spelled = {name for label in labels if (name := _spelled_as_in_text(label, event))}
    return spelled.pop() if len(spelled) == 1 else None


# Words of a tag that marks what a message is, not who sent it: '[Candidate Invitation]', '[EXTERNAL]'.
_STATUS_TAG_WORDS = frozenset(
    ["candidate", "invitation", "invite", "invited", "external", "ext", "reminder", "updated", "update", "confirmed",
     "rescheduled", "cancelled", "canceled", "new", "fyi", "urgent", "important", "action", "required", "meeting"]
)  # fmt: skip


def _tag_of_the_title(summary: str, people: _People) -> str | None:
    """'[Noodra] Entretien Lina Haddad': the organisation a title opens with, in brackets, when the invitation
    comes from no organisation's domain; never a tag saying what the message is ('[INTERVIEW]',
    '[Candidate Invitation]') or a person's name."""
    match = re.match(r"\s*\[([^\[\]]{2,40})\]", summary)
    if match is None:
        return None
    tag = " ".join(match.group(1).split())
    words = {w.casefold() for w in re.findall(r"[^\W\d_]+", tag)}
    if not words or words & (_STATUS_TAG_WORDS | _HIRING_WORDS) or not _plausible_company(tag, people):
        return None
    return tag


def _account_the_title_names(event: Event) -> str | None:
    """'Incube Interview' from incube017@gmail.com: a free-mail account named after an organisation, whose name
    the title spells as a word of its own (never a person's given name: 'priya.k@gmail.com'), as the title
    spells it."""
    if event.organizer is None or not is_free_mail(_domain(event.organizer.email)):
        return None
    account = re.sub(r"\d+$", "", event.organizer.email.partition("@")[0].casefold())
    if len(account) < 4 or not account.isalpha() or name_kinds(account):
        return None
    return next((w for w in re.findall(r"[^\W\d_]+", event.summary) if w.casefold() == account), None)


def _sender_named_in_title(organizer: Person, summary: str) -> str | None:
    """An assessment platform sends as its client ('SurveySparrow <support@evalgator.com>', 'ust
    <noreply@wecreateproblems.com>'): the sender's name is the employer's when the title names it too, as the
    title spells it, and it is not the service's own name."""
    name = " ".join((organizer.name or "").split())
    service = _domain(organizer.email).split(".")[0]
    if len(_letters(name)) < 2 or "@" in name or _agrees(name, service):
        return None
    spelled = re.search(rf"(?i)(?<!\w){re.escape(name)}(?!\w)", summary)
    return spelled.group(0) if spelled else None


# A booking page's own lines: 'Event Name: India Today Interview'; its titles: '<invitee> and <host account>'.
_EVENT_NAME = re.compile(r"(?im)^[^\S\n]*+event name\s*+:\s*+(?P<c>[^\n]{2,60}?)\s++interview\s*$")
_BOOKING_PAGE_NAME = re.compile(r"(?im)^[^\S\n]*+booking page\s*+:\s*+(?P<c>[^\n]{2,60}?)\s*$")
_BOOKED_TITLE = re.compile(r"^\s*(?P<invitee>[^\n]{2,60}?)\s+and\s+(?P<host>[^\n]{2,60}?)\s*$")


def _booked_with(event: Event, people: _People) -> str | None:
    """The organisation a booking page names: its event's name, or the host account in its title."""
    text = _plain(event.description)
    if not re.search(r"(?i)calendly|youcanbook\.me|powered by|need to make changes to this event|booking page", text):
        return None
    page = _BOOKING_PAGE_NAME.search(text)
    if page and _plausible_company(_tidy_name(page.group("c")), people) and _reads_as_a_brand(page.group("c")):
        return _tidy_name(page.group("c"))
    match = _EVENT_NAME.search(text)
    if match:
        name = _tidy_name(match.group("c"))
        if _plausible_company(name, people):
            return name
    titled = _BOOKED_TITLE.match(event.summary)
    if titled:
        host = _tidy_name(titled.group("host"))
        if _plausible_company(host, people) and not re.search(r"(?i)\b(team|recruit|hiring)", host):
            return host
    return None


def _organizer_has_colleagues(event: Event) -> bool:
    """Do others at the organizer's domain attend? Then the organizer's organisation is the one interviewing."""
    if event.organizer is None:
        return False
    domain = _domain(event.organizer.email)
    return any(_domain(a.email) == domain and a.email.lower() != event.organizer.email.lower() for a in event.attendees)


def _client_in_title(summary: str, people: _People) -> str | None:
    """'Entrevista <candidate> - WebMotors': the last part of a title that opens with the interview and a name."""
    parts = _segments(summary)
    if len(parts) < 2 or not re.search(r"(?i)interview|entrevista|entretien|gesprä?ch|colloquio", parts[0]):
        return None
    last = parts[-1]
    if _GENERIC_SEGMENT.match(last) or _looks_like_role(last) or _mentions_a_person(last, people):
        return None
    return _tidy_name(last) if _reads_as_a_brand(last) and last[:1].isupper() else None


def _reads_as_a_brand(name: str) -> bool:
    """Two or three plain words may be a person's name ('Mark Jennings', 'Peter K'): only a single word, a
    brand written with inner capitals ('WebMotors') or a name with a company's word ('Acme Labs') is taken."""
    words = name.split()
    if not words or len(words) > 3:
        return False
    return len(words) == 1 or bool(re.search(r"[a-z][A-Z]", name) or _COMPANY_WORDS.search(name))


def _account_named_after_it(organizer: Person) -> bool:
    name, address = organizer.name or "", organizer.email
    return (
        is_free_mail(_domain(address))
        and bool(_COMPANY_WORDS.search(name))
        and _letters(name) == _letters(address.partition("@")[0])
    )


def _employer_domain(event: Event, profile: Profile) -> tuple[str | None, str]:
    """The employer's name as a domain gives it ('cmsenergy'), and which address it came from."""
    organizer = event.organizer.email if event.organizer else ""
    owner = profile.email.strip().lower()
    label = _domain_label(organizer) if organizer.lower() != owner else None
    if label:
        return label, "the organizer's domain"
    if organizer and is_free_mail(_domain(organizer)):
        local = organizer.partition("@")[0]
        named = _company_in_title(event.summary, _People.of(_names_of_people(event, profile)), None)
        if named and _agrees(named, re.sub(r"[\W_]+", "", local)):
            return re.sub(r"\d+$", "", re.sub(r"[\W_]+", "", local)), "the organizer's address"
    sender = event.organizer.name if event.organizer and event.organizer.name else ""
    named_domain = re.search(r"(?<![\w@.-])([a-z0-9-]{2,}\.(?:com|net|org|co|io|[a-z]{2}))\b", sender, re.I)
    if organizer and why_not_a_recipient(organizer) and named_domain:
        return _domain_label(f"x@{named_domain.group(1)}"), "the domain in the sender's name"
    labels = {
        _domain_label(a.email)
        for a in event.attendees
        if a.email.lower() != owner and not a.is_self and not _is_academic(_domain(a.email))
    }
    labels.discard(None)
    if len(labels) == 1:
        return labels.pop(), "the other attendees' domain"
    titled = [label for label in labels if label and _letters(label) in _letters(event.summary)]
    if len(titled) == 1:
        return titled[0], "the domain of the attendees the title names"
    return None, ""


def _is_academic(domain: str) -> bool:
    """A school's domain (a placement office copied in), not an employer's."""
    parts = domain.split(".")
    return "edu" in parts or "ac" in parts[-3:-1] or any(p.startswith(("univ", "college")) for p in parts)


def _domain_label(address: str) -> str | None:
    """'Ritu.Kapoor@kwglobal.co.in' → 'kwglobal'; None for free mail, services and government offices
    (whose domain names a department, not an employer's name)."""
    if "@" not in address or why_not_a_recipient(address) or is_free_mail(_domain(address)):
        return None
    if any(part in ("gov", "gob", "gouv", "govt", "mil") for part in _domain(address).split(".")):
        return None
    labels = [part for part in _domain(address).split(".") if part]
    if len(labels) > 1 and labels[-2] not in _HOST_WORDS:
        labels.pop()  # the top level ('.digital', '.global'), unless a brand's own ('global.komatsu')
    while len(labels) > 1 and (labels[-1] in _SUFFIXES or len(labels[-1]) == 2):
        labels.pop()
    label = labels[-1] if labels else ""
    return label if len(label) >= 2 and not label.isdigit() else None


# What a company adds to its name in its mail domain ('aurusit', 'rattanindia', 'acmeinc', 'zenhq').
_DOMAIN_TAILS = re.compile(r"(?<=[a-z]{4})(inc|corp|llc|ltd|hq|india|it|tech|group|global|soft|careers|jobs|hr)$")


# The legal form or headquarters a domain adds to the name ('techsurgeinc'), dropped from a name guessed from it.
_LEGAL_TAIL = re.compile(r"(?<=[a-z]{4})(inc|corp|llc|ltd|hq)$")


def _domain_name_forms(label: str) -> list[str]:
    """The name a domain label may spell: itself, then less the tail a company adds to it in a domain."""
    trimmed = _DOMAIN_TAILS.sub("", label)
    return [label, trimmed] if trimmed != label else [label]


# Host names under a brand's own top-level domain ('global.komatsu', 'careers.google').
_HOST_WORDS = frozenset(["global", "www", "mail", "corp", "careers", "jobs", "home", "group", "team"])


def _agrees(name: str, domain_label: str) -> bool:
    """Does a name agree with a domain ('CMS Energy' ~ 'cmsenergy', 'KGL India' ~ 'kwglobal')?"""
    joined, label = _letters(name), _letters(domain_label)
    if not joined or not label:
        return False
    if joined.startswith(label) or label.startswith(joined):
        return True
    first = re.findall(r"\w+", name)[0].lower() if re.findall(r"\w+", name) else ""
    if (label in joined and len(label) >= 4) or (joined in label and len(joined) >= 5):
        return True  # 'SHAREWORK' and upsharework.com
    several_words = len(name.split()) >= 2
    acronym = first if several_words and first.isalpha() and 2 <= len(first) <= 5 and name.split()[0].isupper() else ""
    return bool(acronym) and acronym[0] == label[0] and _subsequence(acronym, label)


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


def _segments(summary: str) -> list[str]:
    """A title cut at its separators: ' | ', ' - ', '_', ':', ' @ ', ' at '."""
    text = re.sub(r"^\s*\[[^\]]{0,40}\]\s*", "", summary)  # "[Candidate Invitation] ..."
    text = re.sub(
        r"(?i)^\s*((updated |new )?invitation|einladung|invitación|invito|uitnodiging|convite)\s*:\s*", "", text
    )
    text = _COMPOUND_HYPHEN.sub("\\1\u2011", text)  # 'Front-End', 'Staj-Up': one word, not two segments
    if len(re.findall(r"\sI\s", text)) >= 2:
        text = re.sub(r"\s+I\s+", " | ", text)  # 'TA Interview I <name> I Web Assistant': a capital I as a bar
    parts = re.split(
        r"\s*(?:\|+|–|—|\s-\s*|-\s|-(?=[A-Z])|(?<=\))-|_|:|\s@\s|\bat\b|\bwith\b|\bw/"
        r"|\bfor\b|\bof\b)\s*",
        text,
    )
    parts = [p.replace("\u2011", "-") for p in parts if p]
    return [" ".join(p.split()).strip(" !.-") for p in parts if p.strip(" !.-")]


# A hyphen between two capitalised words joins them ('Front-End', 'Staj-Up', 'Walk-Interviews'); one after a
# word in capitals or before one ('UST-Technical', 'Interview-KMNR') separates a title's parts.
_COMPOUND_HYPHEN = re.compile(r"\b([A-Z][a-z]+)-(?=[A-Z][a-z]+\b)")


def _company_in_title(summary: str, people: _People, domain_label: str | None) -> str | None:
    for segment in _segments(summary):
        if _GENERIC_SEGMENT.match(segment) or _looks_like_role(segment) or _mentions_a_person(segment, people):
            continue
        if domain_label is None or _agrees(segment, domain_label):
            return _tidy_name(segment)
    return None


def _company_in_text(event: Event, people: _People) -> str | None:
    for text in (event.summary, event.description, event.context_text):
        text = re.sub(r"<?(?:https?://|mailto:)[^\s>]+>?", " ", _plain(text or ""))
        for pattern in _COMPANY_IN_TEXT:
            for match in pattern.finditer(text):
                name = _tidy_name(match.group("c"))
                name = re.split(r"\s+(?:for|about|on|in|regarding|to|and|team|recruit\w*|\d)\b|\s[-–—]\s", name)[
                    0
                ].strip()
                if _plausible_company(name, people):
                    return name
    return None


def _plausible_company(name: str, people: _People) -> bool:
    if not name or len(name) > 50 or not re.match(r"[\[\w]", name) or name[0].islower():
        return False
    if _GENERIC_SEGMENT.match(name) or _looks_like_role(name) or _mentions_a_person(name, people):
        return False
    words = name.lower().split()
    return words[0] not in {"the", "our", "your", "us", "you", "me", "my", "this", "that", "a", "an", "any"}


_HIRING_WORDS = frozenset(
    ["recruitment", "recruiting", "hiring", "career", "careers", "hr", "interview", "interviews", "process", "team"]
)


def _tidy_name(text: str) -> str:
    """'Amaris Recruitment Process' → 'Amaris'; 'Team Hawky' → 'Hawky'."""
    text = re.sub(r"https?://\S+", "", text)
    text = " ".join(text.split()).strip(" -–—'\"!.,")
    text = re.sub(r"(?i)^(interview|entrevista|entretien|din[aâ]mica|reuni[aã]o|meeting|call|chat)\s+(?=\S)", "", text)
    return _without_hiring_words(text).removeprefix("Team ").strip()


def _without_hiring_words(name: str) -> str:
    """The name less the hiring words it ends with, keeping its first word (a name of single spaces)."""
    words = name.split(" ")
    while len(words) > 1:
        if words[-1].lower() in _HIRING_WORDS:
            del words[-1]
        elif len(words) > 2 and f"{words[-2]} {words[-1]}".lower() == "talent acquisition":
            del words[-2:]
        else:
            break
    return " ".join(words)


_SPELLED_WORD = re.compile(r"[\w\[\]&.'-]+")


def _spelled_as_in_text(label: str, event: Event) -> str | None:
    """The domain's name as the invitation writes it ('CMS Energy'), or None when it never writes it."""
    forms = [_letters(form) for form in _domain_name_forms(label)]
    text = " ".join((event.summary, _plain(event.description), event.location, event.context_text))
    words = _SPELLED_WORD.findall(text)
    # a phrase's letters are its words' letters run together (what joins and trims them is no letter), and
    # only a phrase whose first word's letters begin the name, or begin with it, can be it: each word is read
    # once, not once per phrase it is in
    letters_of = [_letters(word) for word in words]
    for target, exact in [(forms[0], True), *((form, True) for form in forms[1:]), (forms[0], False)]:
        starts = [i for i, first in enumerate(letters_of) if target.startswith(first) or first.startswith(target)]
        for size in (1, 2, 3, 4):
            for index in starts:
                if index + size > len(words):
                    break
                letters = "".join(letters_of[index : index + size])
                same = letters == target if exact else letters.startswith(target) and len(letters) <= len(target) + 4
                if not same:
                    continue
                phrase = " ".join(words[index : index + size]).strip(".'-[]")
                if not phrase.islower() and "." not in phrase and "/" not in phrase:
                    return phrase
    return None


# --- role ------------------------------------------------------------------------------------------

_JOB_NOUNS = re.compile(
    r"\b(engineer|developer|analyst|manager|designer|scientist|consultant|specialist|director|lead|architect"
    r"|intern|internship|trainee|trainer|werkstudent|associate|coordinator|accountant|administrator|officer"
    r"|assistant|representative|executive|programmer|technician|nurse|teacher|researcher|product owner|recruiter"
    r"|support|server|cashier|driver|writer|editor|tester|devops|sre|chef de projet|comptable|analista|ingeniero"
    r"|desarrollador|entwickler|berater|sviluppatore|engenheiro|ingénieur|développeur|stagiaire|praktikant"
    r"|инженер|разработчик|аналитик|工程师|开发|エンジニア|개발자|fresher|estagiári[oa]|thực tập sinh|nhân viên"
    r"|pasante|becari[oa]|praktikum|professional|advisor|adviser|moderator|auditor|operator|clerk)\b",
    re.I,
)
# The field of a job, which titles use as its name ('Interview - Front-End', 'MERN : <name> : F2F Interview').
_FIELD_WORDS = (
    r"front[- ]?end|back[- ]?end|full[- ]?stack|mern|mean|devops|qa|sre|ios|android|ui/ux|ux/ui|salesforce|java"
    r"|python|react(?:js)?|node(?:js)?|golang|php|data science|machine learning|est[aá]gio|internship|fresher"
    r"|(?-i:FE)"  # front-end, in capitals only ('BE' is also a degree, 'B.E.')
)
_FIELD_RUN = re.compile(
    rf"(?i)(?<![\w-])(?:{_FIELD_WORDS})(?:[ -](?:{_FIELD_WORDS}|native|js|developer|engineer|intern))*(?![\w-])"
)
_ROLE_IN_TEXT = (
    re.compile(
        r"(?im)^[^\S\n]*+(?:job title|position|role|job|vacancy|post|puesto|poste|stelle|vaga)\s*+[:\-–]?\s*+(?P<r>[^\n<>]{3,70}?)[^\S\n]*$"
    ),
    re.compile(r"(?i)\bfor the (?P<r>[^\n.,;:<>]{3,60}?)\s+(?:position|role|opening|vacancy)\b"),
    re.compile(
        r"(?i)\bfor (?:the )?(?:position|role|post) (?:of )?(?P<r>[^\n.,;:<>]{3,60}?)(?=\s+(?:at|with|in|and)\b|[\n.,;:<>]|$)"
    ),
    re.compile(r"(?i)\bcandidate for (?P<r>[^\n.,;:()<>]{3,60}?)(?=\s+(?:at|with|in)\b|[\n.,;:()<>]|$)"),
    re.compile(
        r"(?i)\b(?:interview|round \d|screen(?:ing)?) (?:of [^\n]{2,40}? )?for (?:the |an? )?(?P<r>[^\n.,;:()<>@]{3,60}?)(?=\s+(?:at|with|in|@|-|–|—)\s|[\n.,;:()<>@|]|$)"
    ),
    re.compile(r"(?i)\bround \d+ of (?P<r>[^\n.,;:()<>@]{3,60}?)(?=\s+(?:at|with)\s|[\n.,;:()<>@|]|$)"),
    re.compile(
        r"(?i)\binterview at [^\n]{2,40}? for (?P<r>[^\n.,;:()<>@]{3,60}?)(?=\s+(?:as|at|with)\s|[\n.,;:()<>@|]|$)"
    ),
    re.compile(r"(?m)^(?P<r>[A-Z][^\n|:–—-]{2,50}?)\s+[Ii]nterview\s+[-–—]\s+"),
    re.compile(r"\b(?:job )?position\s++(?P<r>[A-Z][^\n.,;:<>]{2,50}?)(?=[\n.,;:<>]|$)"),
    re.compile(
        r"\b[Vv][ịỊ] [Tt]rí(?: tuyển dụng| ứng tuyển| dự tuyển)?\s*:?\s*(?P<r>[^\n.,;:<>]{3,60}?)\s*(?=\s[-–—|]\s|[\n.,;:<>]|$)"
    ),
)


def _looks_like_role(text: str) -> bool:
    return bool(_JOB_NOUNS.search(text))


def role(event: Event, profile: Profile, override: str | None = None) -> Fact:
    """The job applied for, only from explicit wording; nothing when the invitation names two different ones."""
    if override:
        return Fact(override.strip(), GIVEN)
    people = _People.of(_names_of_people(event, profile))
    stated = [(value, where) for value, where in _roles_stated(event) if not _mentions_a_person(value, people)]
    domain_label, _ = _employer_domain(event, profile)
    title = _ADDRESS.sub(" ", event.summary)  # an address in a title is a person's, never part of the job
    segments = [
        _role_of_segment(part, domain_label)
        for s in _segments(title)
        for part in _role_parts(s)
        if _looks_like_role(part) and not _mentions_a_person(part, people)
    ]
    candidates = stated + [(s, "the title") for s in segments if s]
    if not candidates:
        field = _field_in_title(event.summary, people)
        return Fact(field, "the title") if field else Fact(None, "not stated in the invitation")
    first, where = candidates[0]
    if any(_different(first, other) for other, _ in candidates[1:]):
        return Fact(None, "the invitation names different roles")
    return Fact(first, where)


_SUBJECT_OF_A_TEST = re.compile(
    rf"(?i)(?<![\w-])(?:{_FIELD_WORDS})(?:[ -](?:{_FIELD_WORDS}))*\s+(?:coding\s+)?(?:test|exam|assessment|quiz|challenge"
    r"|session|workshop|course|class|training)\b"
)


def _role_parts(segment: str) -> list[str]:
    """The parts of a title segment that may be the role: a job in parentheses is the role, whatever the rest
    says ('Internshala Interview (Web Developer)', '<name> (Front-End Developer)'); else its comma parts."""
    inside = [part for part in re.findall(r"\(([^()]{3,60})\)", segment) if _looks_like_role(part)]
    return inside or segment.split(", ")


def _field_in_title(summary: str, people: _People) -> str | None:
    """The job's field when the title names one and no other role ('Interview - Front-End (<name>)')."""
    text = re.sub(r"\([^)]*\)", " ", summary)
    text = _SUBJECT_OF_A_TEST.sub(" ", text)  # 'Backend Test', 'Flutter coding session': a subject, not the job
    runs = {m.group(0).casefold(): m.group(0) for m in _FIELD_RUN.finditer(text)}
    if len(runs) != 1:
        return None
    value = next(iter(runs.values()))
    if _mentions_a_person(value, people):
        return None
    return value.capitalize() if value.isupper() and len(value) > 4 else value


def _role_of_segment(segment: str, domain_label: str | None) -> str:
    """A title segment without the company's name before it or 'Interview' after it."""
    words = segment.split()
    if domain_label and words and _letters(words[0]) == _letters(domain_label):
        size = 1
        while size < len(words) - 1 and _COMPANY_WORDS.fullmatch(words[size]):
            size += 1
        words = words[size:]
    text = re.sub(r"(?i)\s+(interview|screen(ing)?|round|call|discussion)\s*$", "", " ".join(words))
    return _tidy_role(text)


# 'for the position' in words that leave no doubt the next words are the job's name, in languages whose
# job titles the noun list does not know (Hebrew 'לתפקיד', Indonesian 'untuk posisi').
_ROLE_AFTER_WORDS = re.compile(
    r"(?:לתפקיד|untuk posisi|para (?:el puesto|la vacante|a vaga|el cargo|o cargo|la posici[oó]n|a posi[cç][aã]o) de"
    r"|(?:nossa|sua|à|a) vaga(?: de)?|(?:nuestra|la) vacante(?: de)?|pour le poste d[e']|für die (?:stelle|position) als|per (?:la |il )?(?:posizione|ruolo)(?: di)?"
    r"|voor de (?:functie|vacature|positie) (?:van|als))"
    r"\s*+(?P<r>[^\n.,;:()<>|]{2,40}?)(?=\s{2,}|\s+(?:מועמד|candidat\w*|at|en|na|à|bei|chez|auprès|com|con|presso|bij|di)\b|[\n.,;:()<>|]|$)",
    re.IGNORECASE,
)


_ROLE_AFTER_STEMS = (
    "לתפקיד",
    "untuk posisi",
    "para el puesto",
    "para la vacante",
    "para a vaga",
    "nossa vaga",
    "sua vaga",
    "à vaga",
    "nuestra vacante",
    "la vacante",
    "pour le poste",
    "für die",
    "para el cargo",
    "para o cargo",
    "para la posición",
    "para la posicion",
    "para a posição",
    "para a posicao",
    "per posizione",
    "per la posizione",
    "per il ruolo",
    "per ruolo",
    "voor de functie",
    "voor de vacature",
    "voor de positie",
)


def _roles_stated(event: Event) -> list[tuple[str, str]]:
    found = []
    for where, text in (("the title", event.summary), ("the description", _plain(event.description))):
        lowered = (text or "").lower()
        if not any(word in lowered for word in _ROLE_AFTER_STEMS):
            continue  # the search ignores case, which is slow on a long text: looked for only where it can match
        for match in _ROLE_AFTER_WORDS.finditer(text or ""):
            value = _tidy_role(match.group("r"))
            if value and not re.search(r"(?i)\b(interview|meeting|round|call)\b", value):
                found.append((value, where))
    for where, text in (("the title", event.summary), ("the description", _plain(event.description))):
        for pattern in _ROLE_IN_TEXT:
            for match in pattern.finditer(text or ""):
                value = _tidy_role(match.group("r"))
                if (
                    value
                    and _looks_like_role(value)
                    and not re.search(r"(?i)\b(interview|meeting|round|call)\b", value)
                ):
                    found.append((value, where))
    return found


def _tidy_role(text: str) -> str:
    text = text.rpartition(": ")[2]  # "Position you're being considered for: Senior Engineer"
    text = re.sub(r"\S*_\S*", " ", text)  # a system's codes: 'Form_EastHerts_T007'
    text = re.sub(r"(?i)^\s*(recruitment|recruiting|hiring)\s+", "", text)
    text = re.sub(r"(?i)^\s*(full|part)[- ]?time\s+(?=\w)", "", text)  # the contract, not the job
    text = re.sub(
        r"(?i)^((our|your|the|this|a|an)\s+)?((job )?(position|role)\s+)?|\s+(position|role|job|opening|vacancy)$",
        "",
        text.strip(),
    )
    text = re.sub(r"\b(?=\w*\d)(?=\w*[A-Za-z])[A-Z0-9-]{4,}\b\s*", "", text)  # requisition codes: 5581BR
    text = re.sub(r"(?i)\s+in\s+[A-Z][\w ]*(\([^)]*\))?\s*$", "", text)  # "... in Mumbai (All Areas)"
    text = " ".join(text.split()).strip(" -–—|:'\"!.,")
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))
    if text.isupper() and len(text) > 4:
        text = " ".join(w if len(w) <= 4 else w.capitalize() for w in text.split())
    return text


def _different(a: str, b: str) -> bool:
    x, y = _letters(a), _letters(b)
    return not (x in y or y in x or SequenceMatcher(None, x, y).ratio() >= 0.8)


@lru_cache(maxsize=64)
def _plain(text: str) -> str:
    """HTML descriptions as text lines. A tag ends at the first '<' or '>' after its own: a '<' that opens
    nothing ('<3') is not a tag, and no search runs past the next one."""
    if "<" not in text:
        return text
    import html

    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>|</li>|</h\d>", "\n", text)
    return html.unescape(re.sub(r"<[^<>]+>", " ", text))


# --- the interviewer's zone -----------------------------------------------------------------------

# Abbreviations people write next to a time, each with the zones it may mean (most likely first).
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "IST": ("Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"),
    "EST": ("America/New_York",),
    "EDT": ("America/New_York",),
    "ET": ("America/New_York",),
    "CST": ("America/Chicago", "Asia/Shanghai", "America/Havana"),
    "CDT": ("America/Chicago",),
    "CT": ("America/Chicago",),
    "MST": ("America/Denver", "America/Phoenix"),
    "MDT": ("America/Denver",),
    "MT": ("America/Denver",),
    "PST": ("America/Los_Angeles",),
    "PDT": ("America/Los_Angeles",),
    "PT": ("America/Los_Angeles",),
    "AKST": ("America/Anchorage",),
    "HST": ("Pacific/Honolulu",),
    "BST": ("Europe/London",),
    "CET": ("Europe/Paris",),
    "CEST": ("Europe/Paris",),
    "EET": ("Europe/Athens",),
    "EEST": ("Europe/Athens",),
    "WET": ("Europe/Lisbon",),
    "WEST": ("Europe/Lisbon",),
    "MSK": ("Europe/Moscow",),
    "PKT": ("Asia/Karachi",),
    "SGT": ("Asia/Singapore",),
    "HKT": ("Asia/Hong_Kong",),
    "JST": ("Asia/Tokyo",),
    "KST": ("Asia/Seoul",),
    "WIB": ("Asia/Jakarta",),
    "PHT": ("Asia/Manila",),
    "SAST": ("Africa/Johannesburg",),
    "EAT": ("Africa/Nairobi",),
    "WAT": ("Africa/Lagos",),
    "AEST": ("Australia/Sydney",),
    "AEDT": ("Australia/Sydney",),
    "ACST": ("Australia/Adelaide",),
    "AWST": ("Australia/Perth",),
    "NZST": ("Pacific/Auckland",),
    "NZDT": ("Pacific/Auckland",),
    "NPT": ("Asia/Kathmandu",),
    "GST": ("Asia/Dubai",),
    "BDT": ("Asia/Dhaka",),
    "ICT": ("Asia/Bangkok",),
}
# possessive white space (*+): what follows each run cannot start with white space, and a run of it is
# taken whole instead of split every way between neighbours (a long run took minutes)
_TIME = r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?::\d{2})?\s*+(?P<ampm>[aApP]\.?\s?[mM]\.?)?"
_ABBREVIATION_AFTER_TIME = re.compile(_TIME + r"\s*+,?\s*+\(?\s*+(?P<abbr>" + "|".join(_ABBREVIATIONS) + r")\b\)?")
_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*(?P<offset>[+-]\s*\d{1,2}(?::?\d{2})?)\b")
# '(Dublin, Edinburgh, Lisbon, London)', also after a zone's name: '(Greenwich Mean Time : Dublin, …)'
_PLACES_IN_PARENTHESES = re.compile(r"\((?:[^():\n]{1,40}:\s*)?([A-Z][\w .'-]+(?:,\s*[A-Z][\w .'-]+)+)\)")
# A job's city in its title: 'Graduate Developer (Edinburgh)'
_PLACE_IN_TITLE = re.compile(r"\(([A-Z][\w .'-]{2,30})\)")
_US_STATE = re.compile(r",\s*+(?P<state>[A-Z]{2})\s*+,?\s*+\d{5}(?:-\d{4})?\b")
_US_STATE_ZONES = {
    **dict.fromkeys(
        [
            "CT",
            "DE",
            "DC",
            "FL",
            "GA",
            "ME",
            "MD",
            "MA",
            "MI",
            "NH",
            "NJ",
            "NY",
            "NC",
            "OH",
            "PA",
            "RI",
            "SC",
            "VT",
            "VA",
            "WV",
        ],
        "America/New_York",
    ),
    "IN": "America/Indiana/Indianapolis",
    "KY": "America/New_York",
    **dict.fromkeys(
        ["AL", "AR", "IL", "IA", "LA", "MN", "MS", "MO", "OK", "WI", "TX", "KS", "NE", "SD", "ND", "TN"],
        "America/Chicago",
    ),
    **dict.fromkeys(["CO", "MT", "NM", "UT", "WY", "ID"], "America/Denver"),
    "AZ": "America/Phoenix",
    **dict.fromkeys(["CA", "NV", "OR", "WA"], "America/Los_Angeles"),
    "AK": "America/Anchorage",
    "HI": "Pacific/Honolulu",
}


def their_zone(event: Event, profile: Profile, phones: Iterable[Phone] = (), override: str | None = None) -> Fact:
    """The interviewer's IANA zone: the file's own zone, else what the text states, else the country of the
    number to call; a guess is marked as one, and nothing is invented."""
    phones = tuple(phones)
    if override:
        zone = canonical_zone(override)
        return Fact(zone.key if zone else override, GIVEN)
    if (
        event.zone_source == "tzid"
        and event.timezone
        and zone_named(event.timezone)
        and not is_utc(ZoneInfo(event.timezone))
    ):
        countries = _organizer_countries(event, profile, phones)
        return _zone_the_signals_agree_on(event, countries) or Fact(
            event.timezone, "the time zone the invitation names"
        )
    if event.zone_source == "tzid" and event.timezone and not zone_named(event.timezone):
        return Fact(None, f"the invitation's own zone '{event.timezone}' is like no IANA zone; its offsets are used")
    countries = _organizer_countries(event, profile, phones)
    sender_zone = _zone_of_the_sending_system(event)
    if sender_zone:
        return sender_zone
    for found in (_zone_stated(event, countries), _zone_of_address(event)):
        if found:
            return found
    for phone in phones:
        # the number to call rings in its country; a domain's country says only where the company is from
        zones = zones_of_country(phone.region) if phone.region else ()
        if len(zones) == 1:
            return Fact(zones[0], f"guessed from the phone number's country (+{phone.e164[1:3]}…)", guessed=True)
    return Fact(None, "not stated in the invitation")


def _zone_of_the_sending_system(event: Event) -> Fact | None:
    """A calendar's own zone (X-WR-TIMEZONE) is the owner's in the owner's export, but the sender's in an
    invitation a hiring system sent (its organizer is the system's relay): the employer's, as a guess."""
    key = getattr(event.start.tzinfo, "key", None)
    if event.zone_source != "calendar" or not key or not zone_named(key) or is_utc(ZoneInfo(key)):
        return None
    if event.organizer is None or not why_not_a_recipient(event.organizer.email):
        return None
    return Fact(key, "guessed from the zone of the hiring system that sent the invitation", guessed=True)


def _zone_the_signals_agree_on(event: Event, countries: list[tuple[str, str]]) -> Fact | None:
    """The named zone keeps the same clock as the zone of a country the employer's side points to, and its own
    country is not among them ('SE Asia Standard Time' read as Bangkok for a Vietnamese company): that
    country's zone, as a guess."""
    named = ZoneInfo(event.timezone)
    if not countries or country_of(event.timezone) in {c for c, _ in countries}:
        return None
    for country, where in countries:
        for key in zones_of_country(country):
            if same_offsets(ZoneInfo(key), named, event.start):
                return Fact(key, f"guessed from {where}, which keeps the clock of the invitation's zone", guessed=True)
    return None


def _zone_stated(event: Event, countries: list[tuple[str, str]]) -> Fact | None:
    texts = [event.summary, _plain(event.description), event.location, event.context_text]
    text = re.sub(r"https?://\S+", " ", "\n".join(t for t in texts if t))
    preferred = [c for c, _ in countries]
    spelled = _iana_zone_beside_the_start(text, event.start)
    if spelled is not None:
        return spelled
    for match in _ABBREVIATION_AFTER_TIME.finditer(text):
        for key in _ranked(_ABBREVIATIONS[match.group("abbr")], preferred):
            if _says_the_start(match, event.start, ZoneInfo(key)):
                return Fact(key, f"guessed from the description ('{' '.join(match.group(0).split())}')", guessed=True)
    for match in _PLACES_IN_PARENTHESES.finditer(text):
        for place in match.group(1).split(","):
            zone = city_zone(place)
            if zone is not None:
                return Fact(zone.key, f"guessed from the description ('{place.strip()}')", guessed=True)
    for match in _PLACE_IN_TITLE.finditer(event.summary):
        zone = city_zone(match.group(1))
        if zone is not None and (not preferred or country_of(zone.key) in preferred):
            return Fact(zone.key, f"guessed from the title ('{match.group(1).strip()}')", guessed=True)
    for match in _OFFSET.finditer(text):
        offset = parse_offset(match.group("offset").replace(" ", ""))
        named = _zone_with_offset(offset, event.start, preferred) if offset is not None else None
        if named is not None:
            return Fact(named, f"guessed from the description ('{' '.join(match.group(0).split())}')", guessed=True)
    return None


def _iana_zone_beside_the_start(text: str, start: datetime) -> Fact | None:
    """A zone the text spells by its IANA name right after the start's time ('at 12:00 PM America/Los_Angeles'),
    as a guess like every zone read from the text (the writer's zone may be the reader's)."""
    for zone in iana_zones_in(text):
        for match in re.finditer(_TIME + r"\s*+" + re.escape(zone.key).replace("_", "[_ ]"), text):
            clock = match.group("m") is not None or match.group("ampm")  # a time, not a lone number
            if clock and _says_the_start(match, start, zone):
                said = " ".join(match.group(0).split())
                return Fact(zone.key, f"guessed from the description ('{said}')", guessed=True)
    return None


def _ranked(keys: tuple[str, ...], countries: list[str]) -> list[str]:
    return sorted(keys, key=lambda key: (country_of(key) not in countries, keys.index(key)))


def _says_the_start(match: re.Match[str], start: datetime, zone: ZoneInfo) -> bool:
    """Does '10 AM' (or '16:00') next to the zone name give the event's start in that zone?"""
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    ampm = (match.group("ampm") or "").replace(".", "").replace(" ", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    local = start.astimezone(zone)
    return (local.hour, local.minute) == (hour % 24, minute)


def _zone_with_offset(offset: timedelta, start: datetime, countries: list[str]) -> str | None:
    for country in countries:
        for key in zones_of_country(country):
            if start.astimezone(ZoneInfo(key)).utcoffset() == offset:
                return key
    zone = only_zone_at_offset(offset, start)
    if zone is not None:
        return zone.key
    fixed = [
        key
        for key in ("Asia/Kolkata", "Asia/Kathmandu", "Asia/Tehran", "Asia/Kabul", "Asia/Yangon")
        if start.astimezone(ZoneInfo(key)).utcoffset() == offset
    ]
    return fixed[0] if fixed else None


def _zone_of_address(event: Event) -> Fact | None:
    for text in (event.location, _plain(event.description)):
        match = _US_STATE.search(text or "")
        if match and match.group("state") in _US_STATE_ZONES:
            return Fact(
                _US_STATE_ZONES[match.group("state")],
                f"guessed from the address ('{match.group(0).strip(', ')}')",
                guessed=True,
            )
    return None


def _organizer_countries(event: Event, profile: Profile, phones: Iterable[Phone]) -> list[tuple[str, str]]:
    """Countries the employer's side points to: the organizer's domain, then its phone numbers."""
    found: list[tuple[str, str]] = []
    owner = profile.email.strip().lower()
    addresses = [event.organizer.email] if event.organizer else []
    addresses += [a.email for a in event.attendees if a.email.lower() != owner and not a.is_self]
    for address in addresses:
        country = country_of_domain(_domain(address)) if "@" in address else None
        if country and (country, f"the organizer's domain (.{country.lower()})") not in found:
            found.append((country, f"the organizer's domain (.{country.lower()})"))
    for phone in phones:
        if phone.region and all(c != phone.region for c, _ in found):
            found.append((phone.region, f"the phone number's country (+{phone.e164[1:3]}…)"))
    return found


# --- everything at once -------------------------------------------------------------------------------


def recipient(event: Event, profile: Profile, override: str | None = None) -> tuple[Person | None, str]:
    """Who to write to: the organizer when a person reads that address, else a person the text names."""
    if override:
        return Person(override.strip()), GIVEN
    organizer = _organizer_with_its_name(event)
    owner = profile.email.strip().lower()
    why = None
    if organizer is None or not organizer.email:
        why = "the invitation names no organizer"
    elif organizer.email.strip().lower() == owner:
        why = "you are the organizer"
    else:
        problem = why_not_a_recipient(organizer.email)
        if problem is None:
            colleague = _person_beside_a_mailbox(event, organizer, owner)
            if colleague is not None:
                return colleague, f"an attendee at the employer (the organizer, {organizer.email}, is a shared mailbox)"
            return organizer, "the organizer"
        why = f"the organizer ({organizer.email}) {problem}"
        if organizer.sent_by and organizer.sent_by.lower() != owner and not why_not_a_recipient(organizer.sent_by):
            return Person(organizer.sent_by, organizer.name), f"who sent it for the organizer ({why})"
    addresses, asked = _addresses_in_text(event)
    for address in addresses[:asked]:
        if address.lower() != owner and why_not_a_recipient(address) is None:
            return Person(address), f"the invitation's text ({why})"
    colleague = _employer_attendee(event, profile)
    if colleague is not None:
        return colleague, f"an attendee at the employer ({why})"
    for address in addresses:
        if address.lower() != owner and why_not_a_recipient(address) is None:
            return Person(address), f"the invitation's text ({why})"
    return None, why


def _organizer_with_its_name(event: Event) -> Person | None:
    """The organizer, named as its own line among the attendees names it when the ORGANIZER line does not."""
    organizer = event.organizer
    if organizer is None or organizer.name:
        return organizer
    address = organizer.email.strip().lower()
    named = next((a.name for a in event.attendees if a.email.strip().lower() == address and a.name), None)
    return replace(organizer, name=named) if named and not reads_as_an_address(named) else organizer


# The words of a shared mailbox's address ('kigali.apply@', 'careers@', 'talent-team@'): no one person reads it.
_MAILBOX_WORDS = frozenset(
    ["apply", "applications", "application", "careers", "career", "jobs", "job", "hr", "recruitment", "recruiting",
     "recruit", "recruiter", "recruiters", "talent", "hiring", "people", "team", "info", "admin", "office", "contact",
     "hello", "staffing", "placement", "placements", "campus", "internship", "internships"]
)  # fmt: skip


def _is_shared_mailbox(address: str) -> bool:
    parts = re.split(r"[._+-]", address.partition("@")[0].lower())
    return any(part in _MAILBOX_WORDS or part.removesuffix("s") in _MAILBOX_WORDS for part in parts)


def _person_beside_a_mailbox(event: Event, organizer: Person, owner: str) -> Person | None:
    """When the organizer is a shared mailbox and a person at the same domain attends, that person reads a
    reply: someone named ('Kevin Otieno') or with an address of the form given.family."""
    if not _is_shared_mailbox(organizer.email):
        return None
    domain = _domain(organizer.email)
    for attendee in event.attendees:
        address = attendee.email.strip().lower()
        if (
            address in (owner, organizer.email.strip().lower())
            or attendee.is_self
            or _domain(address) != domain
            or _is_shared_mailbox(address)
            or why_not_a_recipient(address)
        ):
            continue
        named = attendee.name and "@" not in attendee.name and len(attendee.name.split()) >= 2
        if named or re.fullmatch(r"[a-z]{2,}[._][a-z]{2,}", address.partition("@")[0]):
            return Person(attendee.email, attendee.name if named else None)
    return None


_SIGN_OFF = re.compile(
    r"\b(regards|best|thanks|thank you|cheers|sincerely|warmly|atenciosamente|abra[cç]os|obrigad[ao]|saludos"
    r"|cordialement|gr[uü](ss|ß)e|tr[aâ]n tr[oọ]ng)\b[^\w\n]{0,5}"
)


def _employer_attendee(event: Event, profile: Profile) -> Person | None:
    """When a relay sent the invitation: the attendee at the employer who signs the text, else the first one
    listed. Attendees at the employer share one domain that is no one's free mail and no service's; with
    attendees at two such domains (a school and a company) the one the title or the sender's name names."""
    owner = profile.email.strip().lower()
    people = [
        a
        for a in event.attendees
        if a.email and a.email.lower() != owner and not a.is_self and _domain_label(a.email) is not None
    ]
    if not people:
        return None
    by_domain: dict[str, list[Attendee]] = {}
    for person in people:
        by_domain.setdefault(_domain(person.email), []).append(person)
    if len(by_domain) > 1:
        named = _letters(f"{event.summary} {event.organizer.name if event.organizer else ''}")
        chosen = [d for d in by_domain if (label := _domain_label(f"x@{d}")) and _letters(label) in named]
        if len(chosen) != 1:
            return None
        people = by_domain[chosen[0]]
    text = _plain(event.description).casefold()
    signed = [m.end() for m in _SIGN_OFF.finditer(text)]
    for person in people:
        first = (person.name or "").split()[0].casefold() if person.name and "@" not in person.name else ""
        if len(first) < 3:
            continue
        for end in signed:
            word = re.match(r"[\W_]{0,20}?([^\W\d_]{3,})", text[end : end + 40])
            if word and first.startswith(word.group(1)):  # 'Soph' signs for Sophie
                return Person(person.email, person.name)
    first_listed = people[0]
    name = first_listed.name if first_listed.name and "@" not in first_listed.name else None
    return Person(first_listed.email, name)


_ADDRESS = re.compile(
    r"(?<![A-Za-z0-9.+_-])[A-Za-z0-9.+_-]+@[\w-]+(?:\.[\w-]+)+"
)  # ASCII before the @: "请联络hr@x.com"


# A word asking to be written to, at most 40 characters before an address on its line.
_CONTACT_BEFORE = re.compile(r"(?i)(?:contact|reach|recruit|write|email)[^\n]{0,40}\Z")
_CONTACT_REACH = len("recruit") + 40


def _addresses_in_text(event: Event) -> tuple[list[str], int]:
    """The addresses in the text, those a line asks to be written to first, and how many of them lead the list
    with a line asking for them where they first appear. One pass over the text: each address looks back only
    as far as a word asking for it can be."""
    text = re.sub(r"https?://\S+", " ", "\n".join((_plain(event.description), event.context_text)))
    addresses: list[str] = []
    asked: set[str] = set()
    asked_first: dict[str, bool] = {}
    for match in _ADDRESS.finditer(text):
        address = match.group(0)
        addresses.append(address)
        wanted = bool(_CONTACT_BEFORE.search(text, max(0, match.start() - _CONTACT_REACH), match.start()))
        if wanted:
            asked.add(address)
        asked_first.setdefault(address, wanted)
    ordered = list(dict.fromkeys([a for a in addresses if a in asked] + addresses))
    count = next((i for i, a in enumerate(ordered) if not asked_first[a]), len(ordered))
    return ordered, count


# Words that name a role, a team, a mailbox or a place, not a person: 'Dear CEO', 'Dear Talent Dept'.
_NOT_A_PERSONS_WORD = _NOT_NAMES | frozenset(
    ["dept", "department", "office", "desk", "ceo", "cto", "coo", "cfo", "founder", "support", "info", "contact",
     "jobs", "job", "page", "bookings", "booking", "people", "staff", "recruiter", "skilled", "scheduler",
     "schedule", "noreply", "mailbox", "group", "hiring", "human", "resources", "manager", "company", "official"]
)  # fmt: skip
# Vietnamese names put the family name first and are spoken to by the last given name ('Phạm Minh Tuấn' →
# 'Tuấn'); these family names cover most Vietnamese people, and 'Thị'/'Văn' are middle names.
_VIETNAMESE_FAMILY_NAMES = frozenset(
    ["nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo", "duong",
     "ly", "dinh", "truong", "trinh", "mai", "cao", "lam", "luong", "ha", "ta", "thai", "thi", "van"]
)  # fmt: skip
_CONTACT_PERSON = re.compile(
    r"(?im)^[^\S\n]*+(?:contact(?: person)?|recruiter|hr contact|your contact)\s*+[:\-]\s*+"
    r"(?P<name>[^\W\d_][^\W\d_'.-]*+(?:[ '.-][^\W\d_]++){0,3})"
)


def greeting_name(
    recipient_person: Person | None, event: Event | None = None, country: str | None = None
) -> str | None:
    """The given name to greet, only when the recipient's name is a person's: never a team, a role, a place
    or a handle ('Rohit4', 'suresh_k'). A handle that a contact line spells out ('Contact Person: Rohit
    Verma') is greeted by that name; names in capitals are written as names; a Vietnamese name (in `country`
    VN) by its last given name."""
    if recipient_person is None:
        return None
    if not recipient_person.name or reads_as_an_address(recipient_person.name):
        return _first_of_an_address(recipient_person.email) or given_name_of_a_personal_mailbox(recipient_person.email)
    name = _the_persons_part(" ".join(recipient_person.name.strip().strip('"').split()))
    if re.search(r"[\d_]", name):
        return _named_by_a_contact_line(name, event)
    if "," in name:  # "Müller, Katrin"
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}".strip()
    words = name.split()
    folded = [_letters(w) for w in words]
    if not words or _COMPANY_WORDS.search(name) or any(w in _NOT_A_PERSONS_WORD for w in folded):
        return None
    if (
        len(words) == 1
        and "g" not in name_kinds(name)
        and (name.islower() or (name.isupper() and len(name) > 1) or city_zone(name) is not None)
    ):
        return None  # 'hawky', 'ITFAQ', 'Mumbai': an account's, a company's or a place's name
    if city_zone(words[0]) is not None and len(words) == 2:
        return None  # 'Mumbai Campus'
    if country == "VN" or _looks_vietnamese(words):
        given = [w for w, f in zip(words, folded, strict=True) if _plain_letters(f) not in _VIETNAMESE_FAMILY_NAMES]
        words = given or words
        first = words[-1]
    else:
        first = words[0]
    if not _greetable(first, words):
        return None
    first = first.capitalize() if first.isupper() or first.islower() else first
    return first if len(first) > 1 and not first.isdigit() else None


@lru_cache(maxsize=1)
def _names_of_people_known() -> dict[str, str]:
    """Folded name → its kinds ('g' given, 'f' family name written first, 'gf' both), from
    callfirst/data/given_names.tsv (made from Faker's per-country name lists by tools/build_given_names.py)."""
    from importlib.resources import files

    text = files("callfirst").joinpath("data", "given_names.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {fields[0]: fields[1] for fields in rows if len(fields) == 2}


def name_kinds(word: str) -> str:
    """'g', 'f', 'gf' or '' for a word, whatever its case and accents ('PATRÍCIA' → 'g')."""
    return _names_of_people_known().get(_plain_letters(word), "")


def _greetable(first: str, words: list[str]) -> bool:
    """Is `first`, the word chosen from a person's name, one to greet? A known given name is; a word known only
    as a family name ('PHAM', 'Nguyen') is not; an unknown word is only in a name written as a person writes
    one ('Riddhi Parmar', 'Tuong Vy': two words or more, each a capital and then small letters, or an
    initial), never alone or in capitals or small letters ('hawky', 'DUONG')."""
    kinds = name_kinds(first)
    if "g" in kinds:
        return True
    if kinds == "f" or len(words) < 2:
        return False
    return all(w[:1].isupper() and (len(w.rstrip(".")) == 1 or w[1:].islower()) for w in words)


def _the_persons_part(name: str) -> str:
    """A sender's name that joins a person's to a team's ('Rosa Villanueva - HR RaveBizz', 'Campus Recruitment |
    Daniela'): the one part that names no team, role or company; else the name as it is."""
    parts = [p.strip() for p in re.split(r"\s+[-–—|/]\s+|\s*\|\s*", name) if p.strip()]
    if len(parts) < 2:
        return name
    personal = [
        p
        for p in parts
        if not _COMPANY_WORDS.search(p) and not any(_letters(w) in _NOT_A_PERSONS_WORD for w in p.split())
    ]
    return personal[0] if len(personal) == 1 else name


def _first_of_an_address(address: str) -> str | None:
    """'daniela.quintero@oktana.com' → 'Daniela': an address of the form given.family names its person, as
    does one that is a given name alone at a company ('vaishnavi@prograd.org'), or whose given names are
    joined ('zeynep_nur.demir@')."""
    local, _, domain = address.partition("@")
    parts = local.split(".")
    if len(parts) == 1 and not is_free_mail(domain.lower()):
        word = parts[0]
        usual = word.isalpha() and len(word) >= 3 and name_kinds(word) in ("g", "gf")
        return word.capitalize() if usual and word.casefold() not in _NOT_A_PERSONS_WORD else None
    if len(parts) == 2 and re.fullmatch(r"[^\W\d_]{3,}(?:[_-][^\W\d_]{2,})+", parts[0]):
        given = re.split(r"[_-]", parts[0])[0]
        parts = [given, parts[1]] if "g" in name_kinds(given) else parts
    if len(parts) != 2 or not all(p.isalpha() and len(p) >= 3 for p in parts):
        return None
    if any(p.casefold() in _NOT_A_PERSONS_WORD or city_zone(p) is not None for p in parts):
        return None
    return parts[0].capitalize()


def given_name_of_a_personal_mailbox(address: str) -> str | None:
    """'faithwanjirun93@gmail.com' → 'Faith': a free mailbox (a person's own, never a company's 'hr@') whose
    name starts with a known given name of five letters or more, the longest one that does."""
    local, _, domain = address.partition("@")
    if not is_free_mail(domain.lower()):
        return None
    letters = re.sub(r"[\d._-]+$", "", local.casefold())
    if not letters.isalpha():
        return None
    for end in range(len(letters), 4, -1):
        if "g" in name_kinds(letters[:end]) and letters[:end] not in _NOT_A_PERSONS_WORD:
            return letters[:end].capitalize()
    return None


def _plain_letters(word: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _looks_vietnamese(words: list[str]) -> bool:
    """A name of three or more words whose first is a Vietnamese family name ('PHAM Minh Tuan')."""
    return len(words) >= 3 and _plain_letters(words[0]) in _VIETNAMESE_FAMILY_NAMES - {"thi", "van"}


def _named_by_a_contact_line(handle: str, event: Event | None) -> str | None:
    """'Rohit4' with 'Contact Person: Rohit Verma' in the text → 'Rohit'."""
    if event is None:
        return None
    stem = _letters(re.sub(r"[\d_].*$", "", handle))
    if len(stem) < 3:
        return None
    for match in _CONTACT_PERSON.finditer(_plain(event.description)):
        first = match.group("name").split()[0]
        if _letters(first).startswith(stem) or stem.startswith(_letters(first)):
            return first.capitalize() if first.isupper() else first
    return None


def gather(
    event: Event, profile: Profile, phones: tuple[Phone, ...], zone: Fact, overrides: Overrides = Overrides()
) -> Facts:
    """Every fact for one interview, with `phones` and `zone` found beforehand (see triage)."""
    to, to_source = recipient(event, profile, overrides.to)
    chosen_phones, phone_source = phones, f"the {phones[0].where}" if phones else "no number found in the invitation"
    if overrides.phone:
        given = Phone(e164=overrides.phone, display=overrides.phone, where=GIVEN)
        chosen_phones, phone_source = (given, *(p for p in phones if p.e164 != overrides.phone))[:2], GIVEN
    return Facts(
        company=company(event, profile, overrides.company),
        role=role(event, profile, overrides.role),
        their_zone=replace(zone, value=overrides.their_zone, source=GIVEN, guessed=False)
        if overrides.their_zone
        else zone,
        recipient=to,
        recipient_source=to_source,
        phones=chosen_phones[:2],
        phone_source=phone_source,
        greeting_name=greeting_name(to, event, country_of(zone.value) if zone.value else None),
    )


def facts_of(item: Assessment, profile: Profile) -> Facts:
    """The assessment's facts; for one made without them (a library caller's own), read from its event."""
    if item.facts is not None:
        return item.facts
    zone = getattr(item.event.start.tzinfo, "key", None)
    return gather(item.event, profile, item.phones, Fact(zone, "the event's own time zone"))
