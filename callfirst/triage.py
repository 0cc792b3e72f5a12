"""Pure core: from events to assessed interviews. No files, no clock: `now` is a parameter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from .config import Config
from .detection import build_detector
from .model import Assessment, Event, Phone, Verdict
from .notice import assess_notice


def assess_events(events: Iterable[Event], now: datetime, config: Config) -> tuple[Assessment, ...]:
    """Every event with its verdict, notice and phones, in start order.

    The occurrences of a series share their text: the verdict and the phones are worked out once
    per distinct text, not once per occurrence.
    """
    detector = build_detector(config.detection)
    owner = config.profile.email.strip().lower()
    verdicts: dict[tuple, Verdict] = {}
    phones: dict[tuple, tuple[Phone, ...]] = {}
    region: list[str | None] = []
    result = []
    for event in sorted(events, key=lambda e: (e.start, e.uid)):
        text = (event.summary, event.description, event.location, event.organizer)
        verdict = verdicts.get(text)
        if verdict is None:
            verdict = verdicts[text] = detector.assess(event)
        found: tuple[Phone, ...] = ()
        if verdict.is_interview:
            where = (event.location, event.description, event.summary, event.context_text)
            if where not in phones:
                from .phones import find_phones, region_for  # phone metadata only when there is an interview

                if not region:
                    region.append(region_for(config.profile.region, config.profile.phone))
                phones[where] = find_phones(event, region[0])
            found = phones[where]
        reason = not_actionable_because(event, owner)
        result.append(
            Assessment(
                event=event,
                verdict=verdict,
                notice=assess_notice(now, event.start, event.start.tzinfo or ZoneInfo("UTC"), config.notice),
                phones=found,
                actionable=reason is None,
                not_actionable_because=reason,
            )
        )
    return tuple(result)


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
