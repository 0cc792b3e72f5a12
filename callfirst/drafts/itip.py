"""iTIP messages (RFC 5546): COUNTER to propose a new time, REPLY to decline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..model import Event, Person

if TYPE_CHECKING:
    from icalendar import Calendar, vCalAddress
    from icalendar import Event as IcalEvent


def _calendar(method: str) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//callfirst//callfirst//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def _base_event(event: Event, owner: Person, now: datetime, partstat: str) -> IcalEvent:
    from icalendar import Event as IcalEvent

    component = IcalEvent()
    component.add("uid", event.uid)
    component.add("sequence", event.sequence)
    component.add("dtstamp", now.astimezone(UTC))
    if event.organizer:
        component.add("organizer", _cal_address(event.organizer))
    attendee = _cal_address(owner)
    attendee.params["PARTSTAT"] = partstat
    component.add("attendee", attendee)
    if event.summary:
        component.add("summary", event.summary)
    if event.recurrence_id is not None:
        component.add("recurrence-id", event.recurrence_id.astimezone(UTC))
    return component


def _cal_address(person: Person) -> vCalAddress:
    """A CAL-ADDRESS with the single address and clean name the draft's mail headers get (UnsafeValue if none)."""
    from icalendar import vCalAddress

    from .message import address

    sane = address(person)
    value = vCalAddress(f"mailto:{sane.addr_spec}")
    if sane.display_name:
        value.params["CN"] = sane.display_name
    return value


def counter(
    event: Event, owner: Person, start: datetime, end: datetime, now: datetime, comment: str = "", language: str = ""
) -> bytes:
    """METHOD:COUNTER proposing `start`–`end` for the original event."""
    calendar = _calendar("COUNTER")
    component = _base_event(event, owner, now, "NEEDS-ACTION")
    component.add("dtstart", start.astimezone(UTC))
    component.add("dtend", end.astimezone(UTC))
    if comment:
        component.add("comment", comment, parameters={"LANGUAGE": language} if language else {})
    calendar.add_component(component)
    data: bytes = calendar.to_ical()  # icalendar leaves to_ical() unannotated
    return data


def decline(event: Event, owner: Person, now: datetime, comment: str = "", language: str = "") -> bytes:
    """METHOD:REPLY with the owner as the one ATTENDEE, PARTSTAT=DECLINED."""
    calendar = _calendar("REPLY")
    component = _base_event(event, owner, now, "DECLINED")
    component.add("dtstart", event.start.astimezone(UTC))  # UTC: the reply carries no VTIMEZONE
    if comment:
        component.add("comment", comment, parameters={"LANGUAGE": language} if language else {})
    calendar.add_component(component)
    data: bytes = calendar.to_ical()  # icalendar leaves to_ical() unannotated
    return data
