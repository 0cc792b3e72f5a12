"""The call: what each attempt came to, and what to do next. Pure: no files, no clock (`now` is a parameter).

The rules: talk to a live person; after a failed attempt call again at another time of day, inside the
interviewer's office hours (and your waking hours); the email carries the message alone only after two real
attempts, or at once when the interview is under 4 hours away (then one short voicemail is fine).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from .config import NoticePolicy, Profile
from .model import Assessment, Tier, Window
from .outcome import Outcome
from .timetext import when_text

if TYPE_CHECKING:
    from .drafts.language import LanguageChoice

REAL_ATTEMPTS_BEFORE_EMAIL = 2
RETRY_GAP = timedelta(hours=2)
STEP = timedelta(minutes=15)
LOOK_AHEAD = timedelta(days=14)
BEFORE_START = timedelta(minutes=30)
NOON = time(12)


OUTCOME_TEXT = {
    Outcome.REACHED: "reached them",
    Outcome.VOICEMAIL: "voicemail",
    Outcome.NO_ANSWER: "no answer",
    Outcome.WRONG_NUMBER: "wrong number",
    Outcome.NOT_YET: "not called",
}
# Attempts that rang the interviewer's own line without reaching them.
FAILED = (Outcome.VOICEMAIL, Outcome.NO_ANSWER)


@dataclass(frozen=True)
class Attempt:
    at: datetime
    outcome: Outcome
    number: str = ""


class Step(str, enum.Enum):
    CALL = "call"  # no attempt yet
    CONFIRM = "confirm"  # reached: the confirmation email follows
    RETRY = "retry"  # call again at `retry_at`
    FIND_NUMBER = "find-number"  # the number was wrong
    EMAIL = "email"  # the email carries the message alone now


@dataclass(frozen=True)
class NextStep:
    step: Step
    retry_at: datetime | None = None
    voicemail_ok: bool = False
    why: str = ""


# Redialling at once is one attempt: a real attempt comes at least this long after the last one counted.
SAME_ATTEMPT = timedelta(minutes=30)


def real_attempts(attempts: Sequence[Attempt]) -> int:
    """Failed calls that rang their line, redials within SAME_ATTEMPT of the last counted one not counted."""
    counted: list[datetime] = []
    for attempt in sorted((a for a in attempts if a.outcome in FAILED), key=lambda a: a.at):
        if not counted or attempt.at - counted[-1] >= SAME_ATTEMPT:
            counted.append(attempt.at)
    return len(counted)


def called_from(attempts: Sequence[Attempt]) -> Outcome | None:
    """Which email the log calls for: REACHED, the last failed outcome, or None when no real attempt."""
    if any(a.outcome is Outcome.REACHED for a in attempts):
        return Outcome.REACHED
    failed = [a for a in attempts if a.outcome in FAILED]
    return failed[-1].outcome if failed else None


@dataclass(frozen=True)
class EmailChoice:
    """Which email to write, and how that was decided."""

    called: Outcome
    from_log: bool  # the user said nothing: the call log decided
    logged: bool  # the log holds a real attempt (with from_log)

    @property
    def call_first(self) -> bool:
        """The email would go out with no call made: the user is told to call first."""
        return self.called is Outcome.NOT_YET


def choose_email(given: Outcome | None, attempts: Sequence[Attempt], *, otherwise: Outcome) -> EmailChoice:
    """The email for `--called` when given, else the one the call log calls for, else `otherwise` (a plan
    previews the confirmation; a draft before any call is the email that asks to reschedule)."""
    if given is not None:
        return EmailChoice(Outcome.NOT_YET if given is Outcome.WRONG_NUMBER else given, from_log=False, logged=False)
    found = called_from(attempts)
    return EmailChoice(found or otherwise, from_log=True, logged=found is not None)


def next_step(
    attempts: Sequence[Attempt],
    *,
    now: datetime,
    start: datetime,
    tier: Tier,
    their_zone: tzinfo,
    policy: NoticePolicy,
    owner_zone: tzinfo,
    waking: tuple[time, time] | None = None,
) -> NextStep:
    """What to do after the attempts so far."""
    urgent = tier in (Tier.URGENT, Tier.PAST)
    if any(a.outcome is Outcome.REACHED for a in attempts):
        return NextStep(Step.CONFIRM, why="you reached them")
    if not attempts:
        return NextStep(Step.CALL, voicemail_ok=urgent)
    if urgent:
        return NextStep(Step.EMAIL, voicemail_ok=True, why="the interview is under 4 hours away")
    if attempts[-1].outcome is Outcome.WRONG_NUMBER:
        return NextStep(Step.FIND_NUMBER, why="the number was wrong")
    if real_attempts(attempts) >= REAL_ATTEMPTS_BEFORE_EMAIL:
        return NextStep(Step.EMAIL, why=f"{REAL_ATTEMPTS_BEFORE_EMAIL} real attempts")
    retry = retry_time(attempts[-1].at, now, start, their_zone, policy, owner_zone, waking)
    if retry is None:
        return NextStep(Step.EMAIL, why="their office hours leave no other time to call before the interview")
    return NextStep(Step.RETRY, retry_at=retry)


def retry_time(
    last: datetime,
    now: datetime,
    start: datetime,
    their_zone: tzinfo,
    policy: NoticePolicy,
    owner_zone: tzinfo,
    waking: tuple[time, time] | None,
) -> datetime | None:
    """The first time, two hours on at least, in their office hours and your waking hours, before the
    interview, preferably at the other half of their day (morning after afternoon, and the reverse)."""
    moment = _rounded_up(max(now, last + RETRY_GAP))
    limit = min(start - BEFORE_START, now + LOOK_AHEAD)
    last_half = _afternoon(last, their_zone)
    fallback = None
    while moment < limit:
        if _office_open(moment, their_zone, policy) and _awake(moment, owner_zone, waking):
            if _afternoon(moment, their_zone) != last_half:
                return moment
            fallback = fallback or moment
        moment += STEP
    return fallback


def _rounded_up(moment: datetime) -> datetime:
    spare = timedelta(minutes=moment.minute % 15, seconds=moment.second, microseconds=moment.microsecond)
    return moment if not spare else moment + (STEP - spare)


def _afternoon(moment: datetime, zone: tzinfo) -> bool:
    return moment.astimezone(zone).time() >= NOON


def _office_open(moment: datetime, zone: tzinfo, policy: NoticePolicy) -> bool:
    local = moment.astimezone(zone)
    finished = local + STEP
    return (
        local.weekday() in policy.workdays
        and policy.workday_start <= local.time()
        and finished.date() == local.date()
        and finished.time() <= policy.workday_end
    )


def _awake(moment: datetime, zone: tzinfo, waking: tuple[time, time] | None) -> bool:
    if waking is None:
        return True
    local = moment.astimezone(zone).time()
    return waking[0] <= local < waking[1]


# --- words for people ---------------------------------------------------------------------


def advice(step: NextStep, owner_zone: tzinfo, their_zone: tzinfo) -> str:
    """The next step in a sentence or two."""
    if step.step is Step.CONFIRM:
        return "You reached them. Now write the confirmation email."
    if step.step is Step.CALL:
        if step.voicemail_ok:
            return (
                "Call now. The interview is under 4 hours away: if nobody answers, leave one short voicemail, "
                "then email at once."
            )
        return "Call now and talk to a live person. If nobody answers, hang up: no voicemail."
    if step.step is Step.FIND_NUMBER:
        return (
            "That number was wrong. Try the backup number, the recruiter's email signature, or the company's "
            "main line (ask for them by name), then call again."
        )
    if step.step is Step.EMAIL:
        voicemail = " One short voicemail is fine if you have not left one." if step.voicemail_ok else ""
        return f"The email carries the message alone now ({step.why}). Send it at once.{voicemail}"
    assert step.retry_at is not None
    yours = when_text(step.retry_at, owner_zone)
    theirs = when_text(step.retry_at, their_zone)
    when = yours if yours == theirs else f"{yours} ({theirs} for them)"
    return (
        f"Try again at another time of day, inside their office hours: {when}. Do not leave a voicemail; "
        f"after {REAL_ATTEMPTS_BEFORE_EMAIL} real attempts the email carries the message alone."
    )


@dataclass(frozen=True)
class CallScript:
    """What to say on the phone, in the owner's language: the lines to read (purpose first, then interest,
    then the times), the closing line, and the answer ready for "may I ask why?". Times are the
    interviewer's own clock, as one says them: 'tomorrow at 10 a.m.', 'on Monday, December 7, at 3 p.m.'."""

    lines: tuple[str, ...]
    closing: str
    why: str
    when: str  # 'tomorrow at 10 a.m.': the interview, for the receptionist too
    language_note: str = ""  # 'They wrote in Portuguese: the email is in Portuguese.'

    def text(self) -> str:
        note = (self.language_note,) if self.language_note else ()
        return "\n".join((*note, *self.lines, self.closing, f'If they ask why: "{self.why}"'))


# What the script says about the reason, and the answer to "may I ask why?" that goes one step further,
# never repeating it. Both go through the message catalogs, into the owner's language.
SAID_REASON = {
    "conflict": "I'm afraid I have a scheduling conflict, and I need to reschedule. I'm very sorry for the inconvenience.",
    "work": "I'm afraid something has come up at my current job, and I need to reschedule. I'm very sorry for the "
    "inconvenience.",
    "emergency": "I'm afraid something urgent has come up, and I need to reschedule. I'm very sorry for the "
    "inconvenience.",
}


class Speech:
    """The owner's own words, from the message catalogs of their language (English when it has none)."""

    def __init__(self, language: str, country: str | None):
        from .drafts.catalogs import translations
        from .drafts.voice import LANGUAGES, Voice

        self.voice = Voice(language if language in LANGUAGES else "en", country)
        self.catalog = translations(self.voice.catalogs)

    def __call__(self, message: str, **values: str) -> str:
        text = self.catalog.gettext(message)
        return text % values if values else text


def call_script(
    item: Assessment,
    profile: Profile,
    reason: str,
    now: datetime,
    slots: Sequence[Window] = (),
    owner_zone: tzinfo | None = None,
    language: LanguageChoice | None = None,
) -> CallScript:
    """The script for the call, in the owner's language ([profile] language): who you are and why you call,
    that you are still interested, the times offered (the email's own), and a closing line."""
    from .drafts.compose import WHY_ANSWER, Reason
    from .facts import facts_of
    from .timezones import country_of

    event = item.event
    facts = facts_of(item, profile)
    theirs = event.start.tzinfo or UTC
    greeting, role_name = facts.greeting_name, facts.role.value
    company = facts.company.value if facts.company.value and not facts.company.guessed else None
    say = Speech(profile.language or "en", country_of(owner_zone) if owner_zone is not None else None)
    spoken = SpokenTimes(now, theirs, owner_zone, say)
    when = spoken.moment(event.start)
    me = profile.name or say("[your name]")
    hello = (
        say("Hello %(name)s, this is %(me)s.", name=greeting, me=me)
        if greeting
        else say("Hello, this is %(me)s.", me=me)
    )
    if role_name:
        about = say("I'm calling about my interview for the %(role)s position, %(when)s.", role=role_name, when=when)
    else:
        about = say("I'm calling about my interview %(when)s.", when=when)
    chosen = Reason(reason)
    lines: tuple[str, ...]
    note = _language_note(language, say)
    if chosen is Reason.WITHDRAW:
        respect = (
            say(
                "Thank you so much for the opportunity. I have real respect for %(company)s, and I hope we can stay in touch.",
                company=company,
            )
            if company
            else say(
                "Thank you so much for the opportunity. I have real respect for your team, and I hope we can stay in touch."
            )
        )
        lines = (f"{hello} {about}", say("After careful thought, I've decided to withdraw my application."), respect)
        closing = '"' + say("Thank you for your time. I'll confirm it by email today.") + '"'
        return CallScript(_quoted(lines), closing, say(WHY_ANSWER[chosen]), when, note)
    if company:
        interest = say("I'm still very interested in the role at %(company)s.", company=company)
    else:
        interest = say("I'm still very interested in the role.")
    lines = (f"{hello} {about}", say(SAID_REASON[chosen.value]), interest, _asked_times(slots, spoken, say))
    closing = '"' + say("Thank you. I'll confirm the new time by email today.") + '"'
    return CallScript(_quoted(lines), closing, say(WHY_ANSWER[chosen]), when, note)


def _asked_times(slots: Sequence[Window], spoken: SpokenTimes, say: Speech) -> str:
    """The question that offers the times: one, several, or none (then theirs are asked for)."""
    if not slots:
        return say("What times would work for you?")
    offered = [spoken.offer(slot.start) for slot in sorted(slots, key=lambda s: s.start)]
    differs = spoken.differs(slots[0].start)
    if len(offered) == 1:
        if differs:
            return say("Would %(time)s your time work for you?", time=offered[0])
        return say("Would %(time)s work for you?", time=offered[0])
    if len(offered) == 2:
        times = say("%(first)s or %(last)s", first=offered[0], last=offered[1])
    else:
        first = offered[0]
        for following in offered[1:-1]:
            first = say("%(first)s; %(next)s", first=first, next=following)
        times = say("%(first)s; or %(last)s", first=first, last=offered[-1])
    if differs:
        return say("Would one of these times work for you (your time): %(times)s?", times=times)
    return say("Would one of these times work for you: %(times)s?", times=times)


def _language_note(language: LanguageChoice | None, say: Speech) -> str:
    """The recipient's language, named for the owner: the call is in the owner's language, the email theirs."""
    if language is None or not language.theirs or language.theirs == say.voice.language:
        return ""
    theirs, email = (_language_named(code, say) for code in (language.theirs, language.language))
    return say("They wrote in %(theirs)s; the email is in %(email)s.", theirs=theirs, email=email)


def _language_named(code: str, say: Speech) -> str:
    """'Portuguese', 'portugais': a language's name in the owner's language (CLDR, through Babel)."""
    from babel import Locale

    from .drafts.language import language_name

    if say.voice.language == "en":
        return language_name(code)
    return str(Locale.parse(say.voice.locale).languages.get(code.split("-")[0], language_name(code)))


_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


def _quoted(lines: Sequence[str]) -> tuple[str, ...]:
    """The lines as one quotation: an opening mark on the first, a closing mark on the last; a sentence that
    ends on an abbreviation ('10 a.m.') gets no second full stop."""
    if not lines:
        return ()
    quoted = [_DOUBLE_STOP.sub(".", line) for line in lines]
    quoted[0] = '"' + quoted[0]
    quoted[-1] = quoted[-1] + '"'
    return tuple(quoted)


class SpokenTimes:
    """Times as one says them on the phone, on the interviewer's clock: 'today at 3:30 p.m.', 'tomorrow at
    10 a.m.', 'on Monday at 2 p.m.' within the week, 'on Monday, December 7, at 3 p.m.' further on; 'your
    time' after it when the owner lives by another clock. English says a twelve-hour clock; other languages
    their own short time ('15:00')."""

    def __init__(self, now: datetime, theirs: tzinfo, owner_zone: tzinfo | None, say: Speech):
        self.now, self.theirs, self.owner_zone, self.say = now, theirs, owner_zone, say
        self.voice = say.voice

    def clock(self, moment: datetime) -> str:
        """'10 a.m.', '3:30 p.m.' in English, as it is said; '15:00' elsewhere."""
        from babel.dates import format_time

        local = moment.astimezone(self.theirs)
        if self.voice.language != "en":
            return format_time(local, "short", locale=self.voice.locale)
        text = format_time(local, "h:mm a" if local.minute else "h a", locale="en_US")
        if self.voice.country in ("US", "CA"):
            return text.replace("AM", "a.m.").replace("PM", "p.m.")
        return text.replace("AM", "am").replace("PM", "pm")

    def differs(self, moment: datetime) -> bool:
        return self.owner_zone is not None and not _same_offset(moment, self.theirs, self.owner_zone)

    def moment(self, moment: datetime) -> str:
        """The interview: 'tomorrow at 10 a.m. your time', 'on Monday at 2 p.m.'."""
        from babel.dates import format_date

        from .drafts.voice import days_between

        say = self.say
        time_text = self.clock(moment)
        if self.differs(moment):
            time_text = say("%(time)s your time", time=time_text)
        days = days_between(self.now, moment, self.theirs)
        if days == 0:
            return say("today at %(time)s", time=time_text)
        if days == 1:
            return say("tomorrow at %(time)s", time=time_text)
        if 1 < days < 7:
            weekday = format_date(moment.astimezone(self.theirs), "EEEE", locale=self.voice.locale)
            return say("on %(weekday)s at %(time)s", weekday=weekday, time=time_text)
        return say("on %(date)s, at %(time)s", date=self.voice.date(moment, self.theirs, self.now), time=time_text)

    def offer(self, moment: datetime) -> str:
        """A time offered, with its date: 'tomorrow at 10 a.m.', 'Monday, December 7, at 3 p.m.'."""
        from .drafts.voice import days_between

        say = self.say
        if days_between(self.now, moment, self.theirs) == 1:
            return say("tomorrow at %(time)s", time=self.clock(moment))
        return say(
            "%(date)s, at %(time)s", date=self.voice.date(moment, self.theirs, self.now), time=self.clock(moment)
        )


def _same_offset(moment: datetime, one: tzinfo, other: tzinfo) -> bool:
    return moment.astimezone(one).utcoffset() == moment.astimezone(other).utcoffset()
