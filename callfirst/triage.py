"""Pure core: from events to assessed interviews. No files, no clock: `now` is a parameter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from operator import itemgetter
from zoneinfo import ZoneInfo

from .config import Config, Profile
from .detection import Detector, build_detector
from .facts import country_of_domain, gather, their_zone
from .model import Assessment, Attendee, Event, Fact, Facts, Overrides, Verdict
from .notice import assess_notice, past_notice
from .timezones import country_of


def assess_events(
    events: Iterable[Event],
    now: datetime,
    config: Config,
    owner_zone: tzinfo | None = None,
    overrides: Overrides | None = None,
) -> tuple[Assessment, ...]:
    """Every event with its verdict and notice, in start order; interviews also with their facts
    (phones, company, role, recipient) and their times in the interviewer's zone."""
    detector = build_detector(config.detection)
    owner = config.profile.email.strip().lower()
    addresses = owner_addresses(config.profile)
    # The occurrences of a series share their text: verdict and facts are worked out once per text. They
    # share the very objects too, so what depends on the attendees, and the verdict, are first looked up
    # by the objects' identities (all alive while `keyed` is), then by value.
    verdicts: dict[tuple[object, ...], Verdict] = {}
    same_objects: dict[tuple[int, ...], Verdict] = {}
    per_attendees: dict[int, tuple[tuple[Attendee, ...], tuple[str, ...], bool]] = {}
    facts_cache: dict[tuple[object, ...], Facts] = {}
    overrides = overrides or Overrides()
    result = []
    # each event with its start as time since the epoch: the sort works it out, and the notice of a past event
    # (most of a whole calendar) needs nothing else
    keyed = sorted(((_start_order(event), event) for event in events), key=itemgetter(0))
    since_epoch = now - _EPOCH
    for (instant, _), event in keyed:
        attendees = event.attendees
        known = per_attendees.get(id(attendees))
        if known is None or known[0] is not attendees:
            known = per_attendees[id(attendees)] = (
                attendees,
                _owner_names(event, config.profile),
                owner_declined(event, owner),
            )
        names = known[1]
        objects = (
            id(event.summary),
            id(event.description),
            id(event.location),
            id(event.organizer),
            id(attendees),
            id(event.language),
        )
        verdict = same_objects.get(objects)
        if verdict is None:
            text = (event.summary, event.description, event.location, event.organizer, attendees, names, event.language)
            verdict = verdicts.get(text)
            if verdict is None:
                verdict = verdicts[text] = detector.assess(event, names, addresses)
            same_objects[objects] = verdict
        reason = "cancelled" if event.status == "CANCELLED" else "you declined it" if known[2] else None
        if verdict.is_interview:
            result.append(
                assess(event, verdict, now, config, owner_zone, reason, overrides=overrides, cache=facts_cache)
            )
        elif instant <= since_epoch:  # most of a calendar: past, no facts, the times as the event gives them
            notice = past_notice(now, instant - since_epoch)
            result.append(Assessment(event, verdict, notice, (), reason is None, reason))
        else:
            result.append(_without_facts(event, verdict, now, config, reason))
    return tuple(result)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _start_order(event: Event) -> tuple[timedelta, str]:
    """Events by start (the instant: one offset per event, not one per comparison), then UID."""
    return event.start - _EPOCH, event.uid


def assess(
    event: Event,
    verdict: Verdict,
    now: datetime,
    config: Config,
    owner_zone: tzinfo | None,
    not_actionable: str | None = None,
    *,
    with_facts: bool = True,
    overrides: Overrides = Overrides(),
    cache: dict[tuple[object, ...], Facts] | None = None,
) -> Assessment:
    """One event's assessment; with facts, its times are in the interviewer's zone and the notice is
    counted in their business hours."""
    facts = None
    if with_facts:
        key = _facts_key(event)
        facts = cache.get(key) if cache is not None else None
        if facts is None:
            facts = facts_for(event, config.profile, overrides, owner_zone)
            if cache is not None:
                cache[key] = facts
    if facts is not None and facts.their_zone.value:
        their = ZoneInfo(facts.their_zone.value)
        event = replace(event, start=event.start.astimezone(their), end=event.end.astimezone(their), timezone=their.key)
    elif facts is not None and owner_zone is not None and event.zone_source != "tzid":
        name = getattr(owner_zone, "key", event.timezone)
        event = replace(
            event, start=event.start.astimezone(owner_zone), end=event.end.astimezone(owner_zone), timezone=name
        )
    if facts is None:
        return _without_facts(event, verdict, now, config, not_actionable)
    return Assessment(
        event=event,
        verdict=verdict,
        notice=assess_notice(now, event.start, event.start.tzinfo or UTC, config.notice),
        phones=facts.phones,
        actionable=not_actionable is None,
        not_actionable_because=not_actionable,
        facts=facts,
    )


def _without_facts(event: Event, verdict: Verdict, now: datetime, config: Config, reason: str | None) -> Assessment:
    notice = assess_notice(now, event.start, event.start.tzinfo or UTC, config.notice)
    return Assessment(event, verdict, notice, (), reason is None, reason)


def _facts_key(event: Event) -> tuple[object, ...]:
    """What facts depend on: the texts, the people, and where the event sits in time of day."""
    start = event.start.astimezone(event.start.tzinfo)
    return (
        event.summary,
        event.description,
        event.location,
        event.organizer,
        event.attendees,
        event.context_text,
        event.timezone,
        event.zone_source,
        start.time(),
        start.utcoffset(),
    )


def facts_for(event: Event, profile: Profile, overrides: Overrides, owner_zone: tzinfo | None) -> Facts:
    """The interviewer's zone first (numbers with a country code may tell it), then the numbers read in
    their country, then the rest."""
    from .phones import find_phones  # phone metadata only when there is an interview

    written_in_full = find_phones(event, None)
    zone = their_zone(event, profile, written_in_full, overrides.their_zone)
    # numbers are written the way the invitation's sender writes them: read in the country the invitation
    # points to, even when you correct the interviewer's zone
    own = their_zone(event, profile, written_in_full) if overrides.their_zone else zone
    region = _region(event, own if own.value else zone, profile)
    owner_names = [profile.name, profile.email]
    owner_names += [n for a in event.attendees if _is_owner(a, profile) for n in (a.name or "", a.email)]
    phones = find_phones(
        event,
        region,
        owner_phones=[profile.phone] if profile.phone else [],
        owner_names=owner_names,
        invitee_names=_invitee_names(event, profile),
        named_in_title=_candidates_names(event, profile),
    )
    if not zone.value and owner_zone is not None:
        zone = Fact(
            None, f"not stated in the invitation; your own zone ({getattr(owner_zone, 'key', owner_zone)}) is used"
        )
    return gather(event, profile, phones, zone, overrides)


def _candidates_names(event: Event, profile: Profile) -> list[str]:
    """Names that mark a candidate where a title holds them: the owner's, and each invitee's on a personal
    mailbox, given by the attendee or spelled by the address ('arjunkp2011@gmail.com' → 'Arjun')."""
    from .facts import given_name_of_a_personal_mailbox, is_free_mail

    names = [profile.name]
    organizer = event.organizer.email.strip().lower() if event.organizer else ""
    for attendee in event.attendees:
        address = attendee.email.strip().lower()
        if _is_owner(attendee, profile) or (address != organizer and is_free_mail(address.rpartition("@")[2])):
            names += [attendee.name or "", given_name_of_a_personal_mailbox(attendee.email) or ""]
    return [n for n in names if n and "@" not in n]


def _invitee_names(event: Event, profile: Profile) -> list[str]:
    """The names of those invited (not the organizer) when none of them is known to be the owner: the invitation
    reached the owner, so one of them may be the owner under another address (a forwarded copy)."""
    if any(_is_owner(a, profile) for a in event.attendees):
        return []
    organizer = event.organizer.email.strip().lower() if event.organizer else ""
    return [a.name for a in event.attendees if a.name and a.email.strip().lower() != organizer]


def _is_owner(attendee: Attendee, profile: Profile) -> bool:
    owner = profile.email.strip().lower()
    return attendee.is_self or bool(owner and attendee.email.strip().lower() == owner)


def _region(event: Event, zone: Fact, profile: Profile) -> str | None:
    """The country whose numbers need no country code here: the interviewer's, else the owner's."""
    if zone.value and (country := country_of(zone.value)):
        return country
    organizer = event.organizer.email if event.organizer else ""
    from .phones import region_for

    return country_of_domain(organizer.rpartition("@")[2]) or region_for(profile.region, profile.phone)


def not_actionable_because(event: Event, owner_email: str) -> str | None:
    if event.status == "CANCELLED":
        return "cancelled"
    if owner_declined(event, owner_email):
        return "you declined it"
    return None


def owner_declined(event: Event, owner_email: str) -> bool:
    """The owner (the attendee the source marks as self, or with the profile's address) declined."""
    owner = owner_email.strip().lower()
    return any(
        a.partstat == "DECLINED" and (a.is_self or (owner and a.email.strip().lower() == owner))
        for a in event.attendees
    )


def interviews(assessments: Iterable[Assessment]) -> tuple[Assessment, ...]:
    """The owner's actionable interviews: what `scan` lists by default."""
    return tuple(a for a in assessments if a.verdict.is_interview and a.actionable)


def owner_addresses(profile: Profile) -> tuple[str, ...]:
    """The owner's email addresses, in lower case (the profile's, when it has one)."""
    owner = profile.email.strip().lower()
    return (owner,) if owner else ()


def owner_verdict(event: Event, profile: Profile, detector: Detector) -> Verdict:
    """The detector's verdict on one event with the owner's names and addresses, as `assess_events` asks it."""
    return detector.assess(event, _owner_names(event, profile), owner_addresses(profile))


def _owner_names(event: Event, profile: Profile) -> tuple[str, ...]:
    """The owner's name and address, and the name the source gives the owner's attendee."""
    names = [profile.name, profile.email]
    names += [a.name or "" for a in event.attendees if _is_owner(a, profile)]
    return tuple(n for n in names if n)
