"""Google Calendar as a source: `google` or `google:CALENDAR_ID`, read with events.list."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..model import Attendee, Event, Person, Problem, ReadResult, Window
from ..timezones import zone_named
from .google import CALENDAR_READ, Session, call
from .home import Places

if TYPE_CHECKING:
    from ..context import Context
    from ..ical.prefilter import Selector

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
# Years an event may have: far from the ends of what datetime holds (the year 9999 overflows the first time a
# day is added to it), as for .ics files. Google answers with events of the window asked for; a time outside
# these years is an answer to refuse, not to compute with.
_YEARS = (1000, 8000)
_PARTSTAT = {"accepted": "ACCEPTED", "declined": "DECLINED", "tentative": "TENTATIVE", "needsAction": "NEEDS-ACTION"}


class GoogleCalendar:
    """`google` (the configured calendar, else the primary one) or `google:CALENDAR_ID`."""

    def read(self, spec: str, selector: Selector, ctx: Context) -> ReadResult:
        return read_google(spec, selector.window, ctx.owner_zone, ctx.config.google.calendar_id, ctx.places)

    def busy(self, spec: str, window: Window, ctx: Context) -> tuple[Window, ...]:
        return busy_google(spec, window, ctx.config.google.calendar_id, ctx.places)

    def label(self, spec: str) -> str:
        return f"{PREFIX}:{calendar_id(spec)}"


SOURCE = GoogleCalendar()


def calendar_id(spec: str, default: str = "primary") -> str:
    return spec.partition(":")[2].strip() or default or "primary"


def read_google(spec: str, window: Window, profile_zone: ZoneInfo, default_calendar: str, places: Places) -> ReadResult:
    """Every event overlapping the window, one occurrence per event (`singleEvents`).

    A listing Google does not finish (a page token seen before, or more than MAX_PAGES pages) is an error:
    the events read are kept, and the source's errors say the listing was cut.
    """
    calendar = calendar_id(spec, default_calendar)
    source = f"{PREFIX}:{calendar}"
    events, warnings = [], []
    with Session([CALENDAR_READ], places) as session:
        listing = _listing(session.calendar(), calendar, window)
    for item, calendar_zone in listing.items:
        try:
            events.append(to_event(item, calendar_zone, profile_zone, source))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            warnings.append(Problem(source, f"event {str(item.get('id', '?'))[:60]} skipped: unreadable {exc}"))
    errors = (Problem(source, listing.cut),) if listing.cut else ()
    return ReadResult(events=tuple(events), warnings=tuple(warnings), errors=errors)


@dataclass(frozen=True)
class _Listing:
    """The items of every page read, with their calendar's zone; `cut` says why the listing stopped early."""

    items: tuple[tuple[dict[str, Any], str], ...]
    cut: str = ""


def _listing(service: Any, calendar: str, window: Window) -> _Listing:
    items: list[tuple[dict[str, Any], str]] = []
    token, seen = None, set[str]()
    for _ in range(MAX_PAGES):
        page = call(_page_request(service, calendar, window, token), f"reading Google calendar {calendar!r}")
        if not isinstance(page, dict):
            return _Listing(tuple(items), "Google answered the event listing with something other than a page")
        zone = _text(page.get("timeZone")) or "UTC"
        items.extend((item, zone) for item in _list_of(page.get("items")) if isinstance(item, dict))
        token = page.get("nextPageToken")
        if not token:
            return _Listing(tuple(items))
        if not isinstance(token, str) or token in seen:
            return _Listing(
                tuple(items),
                f"the listing was cut: Google repeated a page token after {len(seen) + 1} "
                "pages, so later events may be missing",
            )
        seen.add(token)
    return _Listing(
        tuple(items),
        f"the listing was cut after {MAX_PAGES} pages; later events may be missing "
        "(narrow the window with --from and --to)",
    )


def _page_request(service: Any, calendar: str, window: Window, token: str | None) -> Any:
    return service.events().list(
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


def _list_of(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def to_event(item: dict[str, Any], calendar_zone: str, profile_zone: ZoneInfo, source: str) -> Event:
    """An Event from one events.list item; a field of the wrong type is read as absent."""
    start, zone_name, all_day = _moment(_mapping(item.get("start")), calendar_zone, profile_zone)
    end, _, _ = _moment(_mapping(item.get("end")) or _mapping(item.get("start")), calendar_zone, profile_zone)
    for moment in (start, end):
        if not _YEARS[0] <= moment.year <= _YEARS[1]:
            raise ValueError(f"time in the year {moment.year}")
    organizer = _mapping(item.get("organizer"))
    return Event(
        uid=_text(item.get("id")) or "(no id)",
        summary=_text(item.get("summary")),
        start=start,
        end=max(end, start),
        timezone=zone_name,
        description=_plain(_text(item.get("description"))),
        location=_text(item.get("location")),
        organizer=Person(_text(organizer.get("email")), _text(organizer.get("displayName")) or None)
        if _text(organizer.get("email"))
        else None,
        attendees=tuple(_attendee(a) for a in _list_of(item.get("attendees")) if isinstance(a, dict)),
        status=(_text(item.get("status")) or "confirmed").upper(),
        all_day=all_day,
        transparent=item.get("transparency") == "transparent",
        sequence=_whole(item.get("sequence")),
        source=source,
        # An event's own timeZone is the one its organizer chose; the calendar's is the owner's.
        zone_source="all-day" if all_day else ("tzid" if zone_named(item["start"].get("timeZone")) else "calendar"),
    )


def _attendee(value: dict[str, Any]) -> Attendee:
    return Attendee(
        email=_text(value.get("email")),
        name=_text(value.get("displayName")) or None,
        partstat=_PARTSTAT.get(_text(value.get("responseStatus"))),
        is_self=value.get("self") is True,
    )


def _text(value: object) -> str:
    """A string field as it is; a number as its digits; anything else (list, object, null) as empty."""
    if isinstance(value, bool):
        return ""
    return value if isinstance(value, str) else str(value) if isinstance(value, int | float) else ""


def _whole(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else 0


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _moment(value: dict[str, Any], calendar_zone: str, profile_zone: ZoneInfo) -> tuple[datetime, str, bool]:
    """Aware start or end; all-day dates are read in the profile zone, as for .ics files."""
    if "dateTime" in value:
        zone = zone_named(_text(value.get("timeZone"))) or zone_named(calendar_zone) or ZoneInfo("UTC")
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
    periods = _list_of(_mapping(_mapping(_mapping(answer).get("calendars")).get(calendar)).get("busy"))
    return tuple(window for window in map(_busy_window, periods) if window is not None)


def _busy_window(period: Any) -> Window | None:
    """One freeBusy period as aware times; None when Google's answer cannot be read."""
    try:
        start, end = datetime.fromisoformat(period["start"]), datetime.fromisoformat(period["end"])
    except (KeyError, TypeError, ValueError):
        return None
    if start.tzinfo is None or end.tzinfo is None:
        return None
    return Window(start, end) if all(_YEARS[0] <= t.year <= _YEARS[1] for t in (start, end)) else None
