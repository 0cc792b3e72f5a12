"""Google Calendar as a source: `google` or `google:CALENDAR_ID`, read with events.list."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from ..model import Attendee, Event, Person, Problem, ReadResult, Window
from ..timezones import zone_named
from .files import Places
from .google import CALENDAR_READ, Session, call

PREFIX = "google"
# Only what detection, notice, phones and slots use.
FIELDS = (
    "nextPageToken,timeZone,items(id,status,summary,description,location,start,end,"
    "organizer(email,displayName),attendees(email,displayName,responseStatus,self),"
    "transparency,sequence,originalStartTime,eventType)"
)
# Out-of-office, focus time, working location and birthdays are never interviews.
EVENT_TYPES = ["default", "fromGmail"]
PAGE_SIZE = 2500
MAX_PAGES = 400
_PARTSTAT = {"accepted": "ACCEPTED", "declined": "DECLINED", "tentative": "TENTATIVE", "needsAction": "NEEDS-ACTION"}


def is_google(spec: str) -> bool:
    return spec == PREFIX or spec.startswith(PREFIX + ":")


def calendar_id(spec: str, default: str = "primary") -> str:
    return spec.partition(":")[2].strip() or default or "primary"


def read_google(spec: str, window: Window, profile_zone: ZoneInfo, default_calendar: str, places: Places) -> ReadResult:
    """Every event overlapping the window, one occurrence per event (`singleEvents`)."""
    calendar = calendar_id(spec, default_calendar)
    source = f"{PREFIX}:{calendar}"
    events, warnings = [], []
    with Session([CALENDAR_READ], places) as session:
        service = session.calendar()
        for item, calendar_zone in _items(service, calendar, window):
            try:
                events.append(to_event(item, calendar_zone, profile_zone, source))
            except (KeyError, TypeError, ValueError) as exc:
                warnings.append(Problem(source, f"event {str(item.get('id', '?'))[:60]} skipped: unreadable {exc}"))
    return ReadResult(events=tuple(events), warnings=tuple(warnings))


def _items(service, calendar: str, window: Window):
    token, seen = None, set()
    for _ in range(MAX_PAGES):
        request = service.events().list(
            calendarId=calendar,
            timeMin=window.start.isoformat(),
            timeMax=window.end.isoformat(),
            singleEvents=True,
            orderBy="startTime",
            maxResults=PAGE_SIZE,
            eventTypes=EVENT_TYPES,
            fields=FIELDS,
            pageToken=token,
        )
        page = call(request, f"reading Google calendar {calendar!r}")
        zone = page.get("timeZone") or "UTC"
        for item in page.get("items") or ():
            if isinstance(item, dict):
                yield item, zone
        token = page.get("nextPageToken")
        if not token or token in seen:
            return
        seen.add(token)


def to_event(item: dict, calendar_zone: str, profile_zone: ZoneInfo, source: str) -> Event:
    start, zone_name, all_day = _moment(item["start"], calendar_zone, profile_zone)
    end, _, _ = _moment(item.get("end") or item["start"], calendar_zone, profile_zone)
    organizer = item.get("organizer") or {}
    return Event(
        uid=str(item["id"]),
        summary=str(item.get("summary") or ""),
        start=start,
        end=max(end, start),
        timezone=zone_name,
        description=_plain(item.get("description") or ""),
        location=str(item.get("location") or ""),
        organizer=Person(organizer["email"], organizer.get("displayName")) if organizer.get("email") else None,
        attendees=tuple(
            Attendee(
                email=str(a.get("email") or ""),
                name=a.get("displayName"),
                partstat=_PARTSTAT.get(a.get("responseStatus", "")),
                is_self=bool(a.get("self")),
            )
            for a in item.get("attendees") or ()
            if isinstance(a, dict)
        ),
        status=str(item.get("status") or "confirmed").upper(),
        all_day=all_day,
        transparent=item.get("transparency") == "transparent",
        sequence=int(item.get("sequence") or 0),
        source=source,
        # An event's own timeZone is the one its organizer chose; the calendar's is the owner's.
        zone_source="all-day" if all_day else ("tzid" if zone_named(item["start"].get("timeZone")) else "calendar"),
    )


def _moment(value: dict, calendar_zone: str, profile_zone: ZoneInfo) -> tuple[datetime, str, bool]:
    """Aware start or end; all-day dates are read in the profile zone, as for .ics files."""
    if "dateTime" in value:
        zone = zone_named(value.get("timeZone")) or zone_named(calendar_zone) or ZoneInfo("UTC")
        moment = datetime.fromisoformat(value["dateTime"])
        if moment.tzinfo is None:
            return moment.replace(tzinfo=zone), zone.key, False
        return moment.astimezone(zone), zone.key, False
    day = date.fromisoformat(value["date"])
    return datetime.combine(day, time(), tzinfo=profile_zone), profile_zone.key, True


def _plain(description: str) -> str:
    """Google descriptions may be HTML: line breaks kept, tags dropped, entities decoded."""
    if "<" not in description and "&" not in description:
        return description
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>", "\n", description)
    text = re.sub(r"<[^>]{0,2000}>", "", text)
    return html.unescape(text)


def busy_google(spec: str, window: Window, default_calendar: str, places: Places) -> tuple[Window, ...]:
    """Busy intervals from the Calendar freeBusy API (covers event types events.list leaves out)."""
    calendar = calendar_id(spec, default_calendar)
    with Session([CALENDAR_READ], places) as session:
        body = {
            "timeMin": window.start.isoformat(),
            "timeMax": window.end.isoformat(),
            "timeZone": "UTC",
            "items": [{"id": calendar}],
        }
        answer = call(session.calendar().freebusy().query(body=body), f"asking Google when {calendar!r} is busy")
    busy = []
    for period in ((answer.get("calendars") or {}).get(calendar) or {}).get("busy") or ():
        try:
            busy.append(Window(datetime.fromisoformat(period["start"]), datetime.fromisoformat(period["end"])))
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(busy)
