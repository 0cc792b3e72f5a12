"""Plans and email drafts: the data they need, and pure rendering through jinja2 templates.

Event text reaches templates only as plain string variables, never as template source.
A user can override any template with a file of the same name in `templates/` of the user folder.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..config import Profile
from ..facts import facts_of
from ..model import Assessment, Facts, Person
from ..model import Window as Slot
from ..notice import hours_text
from ..outcome import Outcome
from ..timetext import when_text
from ..timezones import country_of, label, zone_named, zone_of
from ..untrusted import printable
from .language import ENGLISH, LanguageChoice, choose_language
from .message import shown_recipient
from .note_check import NoteIssue, check_note
from .voice import Voice, days_between, place, same_clock

if TYPE_CHECKING:
    from email.message import EmailMessage

    from babel.support import NullTranslations
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from ..model import Event


class Reason(str, enum.Enum):
    CONFLICT = "conflict"
    WORK = "work"
    EMERGENCY = "emergency"
    WITHDRAW = "withdraw"


REASON_PHRASE = {
    Reason.CONFLICT: "a scheduling conflict",
    Reason.WORK: "a mandatory meeting at my current job",
    Reason.EMERGENCY: "an unexpected emergency",
    Reason.WITHDRAW: "",
}
# The vague, truthful answer ready for "May I ask why?".
WHY_ANSWER = {
    Reason.CONFLICT: "A commitment came up at that time that I can't move. I'm sorry about the timing.",
    Reason.WORK: "There's a mandatory meeting at my current job at that time, and I can't miss it.",
    Reason.EMERGENCY: "Something urgent came up that I need to take care of. I'd rather not go into details.",
    Reason.WITHDRAW: "I've decided to pursue another opportunity that fits me better right now.",
}
SHORT_NOTICE = ("short", "late", "urgent", "past")


@dataclass(frozen=True)
class Draft:
    """A finished email draft: plain data, ready for stdout, an .eml file or Gmail."""

    to: Person | None
    sender: Person | None
    subject: str
    body: str
    reason: Reason
    called: Outcome
    proposals: tuple[Slot, ...] = ()
    note_issues: tuple[NoteIssue, ...] = ()
    note_dropped: bool = False
    in_reply_to: str | None = None
    references: str | None = None
    thread_subject: str | None = None
    to_missing: str = ""  # why there is no one to write to, when `to` is None
    language: LanguageChoice = ENGLISH  # the email's language, the invitation's, and any warning


@dataclass(frozen=True)
class DraftRequest:
    """What the email should say. `called` None: the call log decides (see calls.choose_email); `suggest`
    None: enough free times to make [slots] count with the proposals (see suggestions_wanted)."""

    reason: Reason = Reason.CONFLICT
    called: Outcome | None = None
    proposals: tuple[date | datetime, ...] = ()  # times offered; checked by the api into `slots`
    note: str = ""
    keep_note: bool = False
    agreed: date | datetime | None = None  # the new time agreed on the phone
    suggest: int | None = None
    slots: tuple[Slot, ...] | None = None  # the proposals as checked slots of the interview's length
    agreed_slot: Slot | None = None
    called_at: datetime | None = None  # when the call the email follows was made (None: today)
    language: str | None = None  # the email's language ('pt', 'de', …); None: the invitation's
    declared: tuple[str, ...] = ()  # the languages the invitation declares (read by the api from its file)

    @property
    def email(self) -> Outcome:
        """The email written: the one for the call's outcome (before any call is decided: not yet called)."""
        return self.called if self.called is not None else Outcome.NOT_YET


def suggestions_wanted(request: DraftRequest, configured: int) -> int:
    """How many free times to add: what was asked, else enough to make `configured` with the proposals;
    none once a new time is agreed or when withdrawing. plan and draft share it, so the preview is the email."""
    if request.agreed is not None or request.agreed_slot is not None or request.reason is Reason.WITHDRAW:
        return 0
    if request.suggest is not None:
        return request.suggest
    return max(configured - len(request.proposals), 0)


@dataclass(frozen=True)
class Plan:
    text: str
    draft: Draft


def _environment(
    user_templates: Mapping[str, str] | None, translations: NullTranslations | None = None
) -> ImmutableSandboxedEnvironment:
    """A sandboxed jinja2 environment: the user's templates first, then the bundled ones.

    The sandbox lets a template read the values it is given and use jinja2's filters and tests; it cannot
    reach Python internals (attributes starting with `_`, function globals), change a value, or loop over
    a range of more than 100,000.
    """
    from jinja2 import BaseLoader, ChoiceLoader, DictLoader, PackageLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loaders: list[BaseLoader] = [DictLoader(dict(user_templates))] if user_templates else []
    loaders.append(PackageLoader("callfirst.drafts", "templates"))
    environment = ImmutableSandboxedEnvironment(
        extensions=["jinja2.ext.i18n"],
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "htm"), default_for_string=False, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    from babel.support import NullTranslations

    # `_("text %(name)s", name=value)`: the catalog's sentence with the values put in (jinja2's new style).
    environment.install_gettext_translations(translations or NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
    return environment


def render(
    name: str,
    variables: Mapping[str, object],
    user_templates: Mapping[str, str] | None = None,
    voice: Voice | None = None,
) -> str:
    from jinja2 import TemplateError

    from ..errors import TemplateProblem

    try:
        environment = _environment(user_templates, _translations(voice or Voice()))
        text: str = environment.get_template(name).render(**_printable_values(variables))
        return text
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or name
        raise TemplateProblem(f"template problem: {exc}", where=where, line=getattr(exc, "lineno", None)) from None
    except RecursionError:
        raise TemplateProblem("template problem: a template extends or includes itself", where=name) from None
    except (MemoryError, OverflowError, ValueError) as exc:  # a template asking for more than it can have
        raise TemplateProblem(f"template problem: {type(exc).__name__}: {exc}", where=name) from None


# Values that are whole texts, already rendered from printable values: their lines are kept.
TEXT_BLOCKS = frozenset({"email_body"})


def _printable_values(variables: Mapping[str, object]) -> dict[str, object]:
    """Every string a template gets, through the one filter for untrusted text."""
    return {key: _printable(value, key in TEXT_BLOCKS) for key, value in variables.items()}


def _printable(value: object, lines: bool) -> object:
    if isinstance(value, str):
        return printable(value, lines=lines)
    if isinstance(value, list | tuple):
        return [_printable(item, lines) for item in value]
    return value


def _translations(voice: Voice) -> NullTranslations:
    from .catalogs import translations

    return translations(voice.catalogs)


class Words:
    """The recipient's words for dates and times, from their locale and the message catalogs."""

    def __init__(self, voice: Voice, today: datetime):
        self.voice, self.today = voice, today
        self.catalog = _translations(voice)

    def __call__(self, message: str, **values: str) -> str:
        text = self.catalog.gettext(message)
        return text % values if values else text

    def zone(self, moment: datetime, zone: tzinfo) -> str:
        """'ET', 'IST', 'CET'; 'Dubai time' where the locale has no short name."""
        return self.voice.zone_name(moment, zone) or self("%(city)s time", city=place(zone, self.voice.locale))

    def at(self, moment: datetime, zone: tzinfo) -> str:
        """'Wednesday, December 2, at 10:00 a.m. ET': one moment, in the recipient's clock."""
        time_text = f"{self.voice.clock(moment, zone)} {self.zone(moment, zone)}"
        return self("%(day)s at %(time)s", day=self.voice.date(moment, zone, self.today), time=time_text)

    def day(self, moment: datetime, zone: tzinfo) -> str:
        return self.voice.date(moment, zone, self.today)

    def slot(self, slot: Slot, zone: tzinfo) -> str:
        """'Monday, December 7, 3:00–4:00 p.m. ET'; a slot across a clock change names the zone at each end."""
        voice = self.voice
        if slot.start.astimezone(zone).utcoffset() != slot.end.astimezone(zone).utcoffset():
            hours = "–".join(f"{voice.clock(m, zone)} {m.astimezone(zone).tzname()}" for m in (slot.start, slot.end))
        else:
            hours = f"{voice.time_range(slot.start, slot.end, zone)} {self.zone(slot.start, zone)}"
        return self("%(day)s, %(hours)s", day=self.day(slot.start, zone), hours=hours)

    def when_called(self, called_at: datetime | None, zone: tzinfo) -> str:
        """'today', 'yesterday', 'on Monday', 'on Monday, December 7': when the call was, for the email."""
        if called_at is None:
            return self("today")
        days = days_between(called_at, self.today, zone)
        if days <= 0:
            return self("today")
        if days == 1:
            return self("yesterday")
        from babel.dates import format_date, format_skeleton

        local = called_at.astimezone(zone)
        weekday = format_date(local, "EEEE", locale=self.voice.locale)
        date_text = format_skeleton("MMMMd", local, locale=self.voice.locale)
        if days < 7:  # both are given: a language may name the weekday or the date ('no dia 7 de dezembro')
            return self("on %(weekday)s", weekday=weekday, date=date_text)
        return self("on %(date)s", weekday=weekday, date=date_text)


def _email_variables(
    item: Assessment, profile: Profile, request: DraftRequest, slots: tuple[Slot, ...], note: str, today: datetime
) -> dict[str, object]:
    event = item.event
    theirs = zone_of(event.start)
    facts = facts_of(item, profile)
    yours = zone_named(profile.timezone)
    agreed = request.agreed_slot if request.reason is not Reason.WITHDRAW else None
    words = Words(voice_for(item, request), today)
    ordered = sorted(slots, key=lambda s: s.start)  # by date, whatever order they were given in
    return {
        "greeting_name": facts.greeting_name or "",
        "role": facts.role.value or "",
        # A company known only by its domain ('Cmsenergy') is shown in the plan, never written to the employer.
        "company": facts.company.value if facts.company.value and not facts.company.guessed else "",
        "original_time": words.at(event.start, theirs) if not event.all_day else words.day(event.start, theirs),
        # Kept for user templates written before the call script had its own words (the plan's: script.when).
        "spoken_time": words.at(event.start, theirs) if not event.all_day else words.day(event.start, theirs),
        "reason": request.reason.value,
        "reason_phrase": REASON_PHRASE[request.reason],
        "why_answer": WHY_ANSWER[request.reason],
        "called": request.email.value,
        "call_day": words.when_called(request.called_at, theirs),
        "short_notice": item.notice.tier.value in SHORT_NOTICE,
        "urgent": item.notice.tier.value in ("urgent", "past"),
        "missed": item.notice.tier.value == "past",
        "proposals": [_capitalized(words.slot(slot, theirs)) for slot in ordered],  # each begins a line
        "owner_time": _owner_time(words, ordered, theirs, yours),
        "agreed": words.slot(agreed, theirs) if agreed else "",
        "note": note,
        "sender_name": profile.name,
        "sender_email": profile.email,
        "sender_phone": _phone_for(profile, yours, theirs),
        "summary": event.summary,
    }


def language_for(item: Assessment, request: DraftRequest) -> LanguageChoice:
    """The email's language: as asked, else the invitation's (declared, else read from its text)."""
    event = item.event
    text = "\n".join(part for part in (event.summary, event.description, event.location, event.context_text) if part)
    return choose_language(request.language, request.declared, text)


def voice_for(item: Assessment, request: DraftRequest) -> Voice:
    """The recipient's language and country (that of the interviewer's zone)."""
    return Voice(language_for(item, request).language, country_of(zone_of(item.event.start)))


def _capitalized(text: str) -> str:
    """'Terça-feira, 18 de outubro, …' at the start of a line (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def _owner_time(words: Words, slots: Sequence[Slot], theirs: tzinfo, yours: tzinfo | None) -> str:
    """Once, under the times offered, when the owner lives by another clock: 'I am based in Chicago:
    9:00 a.m. ET is 8:00 a.m. my time.'"""
    if not slots or yours is None or same_clock(slots[0].start, theirs, yours):
        return ""
    first = slots[0].start
    their_time = f"{words.voice.clock(first, theirs)} {words.zone(first, theirs)}"
    return words(
        "I am based in %(city)s: %(their_time)s is %(my_time)s my time.",
        city=place(yours, words.voice.locale),
        their_time=their_time,
        my_time=words.voice.clock(first, yours),
    )


def _phone_for(profile: Profile, yours: tzinfo | None, theirs: tzinfo) -> str:
    """The owner's number as the recipient dials it: national at home, international from abroad (a number
    written nationally is read in the owner's region: [profile] region, else the country of their zone)."""
    if not profile.phone:
        return ""
    import phonenumbers

    from ..phones import parse

    number = parse(profile.phone, profile.region.upper() or country_of(yours) or None)
    if number is None:
        return profile.phone
    home = phonenumbers.region_code_for_number(number)
    national = country_of(theirs) == home
    style = phonenumbers.PhoneNumberFormat.NATIONAL if national else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def reply_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def _subject(variables: Mapping[str, object], words: Words) -> str:
    """'Rescheduling our interview – Ananya Iyer, Data Analyst': the role, else the company, named once."""
    who = str(variables["sender_name"] or "")
    about = str(variables["role"] or variables["company"] or "")
    tail = ", ".join(part for part in (who, about) if part)
    if variables["reason"] == Reason.WITHDRAW.value:
        head = words("Withdrawing my application")
    elif variables["called"] == Outcome.REACHED.value:
        head = words("Rescheduling our interview")
    else:
        head = words("Request to reschedule my interview")
    return f"{head} – {tail}" if tail else head


def compose_draft(
    item: Assessment,
    profile: Profile,
    request: DraftRequest,
    user_templates: Mapping[str, str] | None = None,
    today: datetime | None = None,
) -> Draft:
    """The email that follows the call, as plain data; `today` decides whether a date needs its year."""
    return _compose(item, profile, request, user_templates, today)[0]


def _slots_of(item: Assessment, request: DraftRequest) -> tuple[Slot, ...]:
    """The checked slots, or (for a library caller) the proposals at the interview's real length."""
    if request.slots is not None:
        return request.slots
    from ..proposals import interview_length, slot_at
    from ..timezones import aware

    length = interview_length(item.event)
    return tuple(slot_at(aware(p, zone_of(item.event.start)), length) for p in request.proposals)


def _compose(
    item: Assessment,
    profile: Profile,
    request: DraftRequest,
    user_templates: Mapping[str, str] | None,
    today: datetime | None = None,
) -> tuple[Draft, dict[str, object]]:
    """The draft, and the template variables it was rendered from."""
    slots = _slots_of(item, request) if request.reason is not Reason.WITHDRAW and not request.agreed_slot else ()
    withdrawing = request.reason is Reason.WITHDRAW
    language = language_for(item, request)
    issues = check_note(request.note, withdrawing=withdrawing, language=language.language) if request.note else ()
    note_dropped = bool(issues) and not request.keep_note
    note = "" if note_dropped else request.note.strip()
    today = today or item.event.start
    variables = _email_variables(item, profile, request, slots, note, today)
    voice = voice_for(item, request)
    template = "email_withdraw.txt.j2" if request.reason is Reason.WITHDRAW else "email_reschedule.txt.j2"
    body = _after_greeting(render(template, variables, user_templates, voice).rstrip() + "\n", voice)
    sender = Person(email=profile.email, name=profile.name or None) if profile.email else None
    facts = facts_of(item, profile)
    draft = Draft(
        to=facts.recipient,
        to_missing=facts.recipient_source if facts.recipient is None else "",
        sender=sender,
        subject=reply_subject(item.event.thread_subject)
        if item.event.message_id and item.event.thread_subject
        else _subject(variables, Words(voice, today)),
        body=body,
        reason=request.reason,
        called=request.email,
        proposals=(request.agreed_slot,) if request.agreed_slot and request.reason is not Reason.WITHDRAW else slots,
        note_issues=issues,
        note_dropped=note_dropped,
        in_reply_to=item.event.message_id,
        thread_subject=item.event.thread_subject,
        language=language,
    )
    return draft, variables


def calendar_comment(item: Assessment, request: DraftRequest, today: datetime) -> tuple[str, str]:
    """The --ics part's COMMENT, in the email's language, and that language's tag ('pt-BR')."""
    voice = voice_for(item, request)
    words = Words(voice, today)
    if request.reason is Reason.WITHDRAW:
        text = words("I am withdrawing my application and will not attend this interview. Thank you.")
    else:
        text = words("I would like to propose this new time for our interview.")
    return text, voice.locale.replace("_", "-")


def _after_greeting(body: str, voice: Voice) -> str:
    """German letters go on in lower case after the greeting's comma ('Hallo Katrin,' / 'vielen Dank …')."""
    if voice.language != "de":
        return body
    greeting, blank, rest = body.partition("\n\n")
    if (
        not blank
        or not greeting.rstrip().endswith(",")
        or not rest[:1].isupper()
        or rest.startswith(("Sie ", "Ihr", "Ihnen "))
    ):
        return body
    return f"{greeting}{blank}{rest[0].lower()}{rest[1:]}"


def compose_plan(
    item: Assessment,
    profile: Profile,
    request: DraftRequest,
    now: datetime,
    owner_zone: tzinfo,
    user_templates: Mapping[str, str] | None = None,
) -> Plan:
    """Notice warning, then the call plan, then the email preview — in that order."""
    draft, email_variables = _compose(item, profile, request, user_templates, now)
    event, notice = item.event, item.notice
    theirs = zone_of(event.start)
    variables = dict(email_variables, note="")
    facts = facts_of(item, profile)
    variables.update(_fact_lines(facts, now))
    recipient = shown_recipient(facts.recipient)  # as the draft's To header gets it
    variables.update(
        {
            "tier": notice.tier.value,
            "hours": hours_text(notice.hours),
            "business_hours": hours_text(notice.business_hours),
            "start_yours": when_text(event.start, owner_zone),
            "start_theirs": when_text(event.start, theirs),
            "their_now": when_text(now, theirs),
            "same_zone": now.astimezone(owner_zone).utcoffset() == now.astimezone(theirs).utcoffset(),
            "who": (recipient.display_name or recipient.addr_spec) if recipient else "",
            "who_email": recipient.addr_spec if recipient else "",
            "who_first": (recipient.display_name or "") if recipient else "",
            "phones": [f"{p.display} (from the {p.where})" for p in facts.phones[:1]],
            "backup_phones": [f"{p.display} (from the {p.where})" for p in facts.phones[1:2]],
            "has_message": bool(event.message_id or event.context_text),
            "call_now": notice.call_at <= now,
            "now_yours": f"{now.astimezone(owner_zone):%H:%M}",
            "call_at_yours": when_text(notice.call_at, owner_zone),
            "call_at_theirs": when_text(notice.call_at, theirs),
            "email_to": str(recipient) if recipient else "",
            "email_to_missing": facts.recipient_source if recipient is None else "",
            "email_subject": draft.subject,
            "email_body": draft.body,
            "note_issues": [f"{i.what} ('{i.found}'): {i.suggestion}" for i in draft.note_issues],
        }
    )
    variables.update(_script_lines(item, profile, request, draft, now, owner_zone))
    return Plan(text=render("plan.txt.j2", variables, user_templates), draft=draft)


def _script_lines(
    item: Assessment, profile: Profile, request: DraftRequest, draft: Draft, now: datetime, owner_zone: tzinfo
) -> dict[str, object]:
    """The call script, the one `callfirst call` shows, offering the times the email offers."""
    from ..calls import call_script

    offered = () if request.agreed_slot else draft.proposals
    spoken_at = max(now, item.notice.call_at)  # the script is read out when the call is made, not now
    script = call_script(item, profile, request.reason.value, spoken_at, offered, owner_zone, draft.language)
    return {
        "language_note": script.language_note,
        "script": list(script.lines),
        "script_closing": script.closing,
        "why_answer": script.why,
        "spoken_when": script.when,
        "spoken_time": script.when,
    }


def _fact_lines(facts: Facts, now: datetime) -> dict[str, object]:
    """The plan's "what callfirst read" block: each fact with where it came from."""

    def shown(value: str | None, source: str, guessed: bool = False) -> str:
        if value is None:
            return f"— ({source})"
        guess = guessed and "guess" not in source
        if source.startswith("the "):
            return f"{value} ({'guessed from' if guess else 'from'} {source})"
        return f"{value} ({source}{', guessed' if guess else ''})"

    to = shown_recipient(facts.recipient)  # exactly as the draft's To header gets it
    zone = facts.their_zone
    zone_text = label(ZoneInfo(zone.value), now) if zone.value and zone_named(zone.value) else zone.value
    phone = facts.phone
    backup = facts.backup_phone
    return {
        "fact_company": shown(facts.company.value, facts.company.source, facts.company.guessed),
        "fact_role": shown(facts.role.value, facts.role.source, facts.role.guessed),
        "fact_zone": shown(zone_text, zone.source, zone.guessed),
        "fact_phone": shown(phone.display if phone else None, facts.phone_source)
        + (f"; backup {backup.display}" if backup else ""),
        "fact_to": shown(
            str(to) if to else None,
            facts.recipient_source if facts.recipient is None or to else "the organizer's address cannot be used",
        ),
    }


def readable(composed: Draft) -> str:
    """A draft as a person reads it on a terminal: From, To, Subject as the .eml file gets them, then the body."""
    from .message import MAX_SUBJECT, clean_text

    sender, recipient = shown_recipient(composed.sender), shown_recipient(composed.to)
    lines = [f"From: {sender}"] if sender else []
    if recipient:
        lines.append(f"To: {recipient}")
    else:
        lines.append("To: (no usable organizer address)" if composed.to else "To: (no organizer)")
    lines.append(f"Subject: {clean_text(composed.subject, MAX_SUBJECT)}")
    return "\n".join(lines) + "\n\n" + printable(composed.body, lines=True)


def as_message(
    composed: Draft, *, now: datetime, calendar: tuple[bytes, str] | None = None, event: Event | None = None
) -> EmailMessage:
    """The RFC 5322 message for a draft; needs the sender's address and someone to write to."""
    from ..errors import OutputError, ProfileMissing, UnsafeValue
    from .message import build_message

    where, line = (event.source, event.line) if event is not None else (None, None)
    if composed.sender is None:
        raise ProfileMissing("a draft needs your address: set [profile] email in config.toml", detail="email")
    if composed.to is None:
        raise OutputError(
            f"no one to write to: {composed.to_missing or 'no address'}; give --to ADDRESS", where=where, line=line
        )
    try:
        return build_message(
            sender=composed.sender,
            to=composed.to,
            subject=composed.subject,
            body=composed.body,
            date=now,
            in_reply_to=composed.in_reply_to,
            references=composed.references,
            calendar=calendar,
        )
    except UnsafeValue as exc:
        raise UnsafeValue(f"the organizer's address cannot be used: {exc.message}", where=where, line=line) from None
