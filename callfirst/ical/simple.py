"""The common one-off event read straight from its bytes, for `scan --all` over many events.

Only a narrow, plain shape is accepted: one VEVENT without sub-components or recurrence, each
property at most once (ATTENDEE any number of times), DTSTART and DTEND both given as a date, a UTC
time, a floating time or a time with a TZID that icalendar knows, simple parameters, and only
properties from a short list. Anything else returns None and goes the usual way (icalendar and
recurring-ical-events). Zones come from icalendar itself. A property test holds this to exactly
what the usual way gives (tests/test_large_exports.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..model import Attendee, Event, Person
from .convert import occurrence_event, zone_source

_CONTENT = re.compile(r"([A-Z][A-Z0-9-]*)((?:;[A-Z][A-Z0-9-]*=(?:\"[^\"]*\"|[^\";:,^]*))*):(.*)", re.DOTALL)
_PARAM = re.compile(r";([A-Z][A-Z0-9-]*)=(\"[^\"]*\"|[^\";:,^]*)")
_DATE_TIME = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)")
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_STAMP = re.compile(r"\d{8}T\d{6}Z")
_UNESCAPE = re.compile(r"\\([\\,;:nN])")
_ONCE = frozenset(
    ("DTSTART", "DTEND", "UID", "SUMMARY", "DESCRIPTION", "LOCATION", "STATUS", "TRANSP", "SEQUENCE", "ORGANIZER")
)
_STAMPS = frozenset(("DTSTAMP", "CREATED", "LAST-MODIFIED"))
_TEXT = frozenset(("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "STATUS", "TRANSP", "CLASS"))


class Zones:
    """TZID → tzinfo as icalendar resolves it (None: icalendar does not know it), asked once per TZID."""

    def __init__(self, custom: set[str], calendar_zone: str | None):
        self.custom = custom
        self.known: dict[str, object] = {}
        self.calendar_zone = None
        self.usable = True
        self.utc = None
        if calendar_zone is not None:
            try:
                self.calendar_zone = ZoneInfo(str(calendar_zone))
            except Exception:  # noqa: BLE001 - an unusable X-WR-TIMEZONE: every event goes the usual way
                self.usable = False

    def of_utc(self):
        if self.utc is None:
            from icalendar.prop import vDDDTypes

            self.utc = vDDDTypes.from_ical("20000101T000000Z").tzinfo
        return self.utc

    def of(self, tzid: str):
        if tzid in self.custom:
            return None
        if tzid not in self.known:
            import warnings

            from icalendar.prop import vDDDTypes

            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self.known[tzid] = vDDDTypes.from_ical("20000101T000000", tzid).tzinfo
            except Exception:  # noqa: BLE001 - an id icalendar cannot place
                self.known[tzid] = None
        return self.known[tzid]


def simple_event(raw: bytes, source: str, line: int, zones: Zones, profile_zone: ZoneInfo, extra: dict) -> Event | None:
    """The event in `raw` (one VEVENT block), or None when it is not of the plain shape."""
    if not zones.usable:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines: list[str] = []
    for piece in text.split("\n"):
        piece = piece.rstrip("\r\n")
        if piece[:1] in (" ", "\t") and lines:
            lines[-1] += piece[1:]
        elif piece.strip():
            lines.append(piece)
        elif lines:
            lines.append("")  # a blank line ends the one before it
    lines = [item for item in lines if item]
    if len(lines) < 2 or lines[0] != "BEGIN:VEVENT" or lines[-1] != "END:VEVENT":
        return None
    props: dict[str, tuple[dict[str, str], str]] = {}
    attendees: list[tuple[dict[str, str], str]] = []
    for content in lines[1:-1]:
        match = _CONTENT.fullmatch(content)
        if match is None:
            return None
        name, raw_params, value = match.groups()
        if "\\" in raw_params:
            return None  # icalendar unescapes inside parameters too
        params: dict[str, str] = {}
        for key, param in _PARAM.findall(raw_params):
            if key in params:
                return None
            params[key] = param[1:-1] if param[:1] == '"' else param
        if name == "ATTENDEE":
            attendees.append((params, value))
        elif name in _ONCE:
            if name in props:
                return None
            props[name] = (params, value)
        elif name in _STAMPS:
            if not _STAMP.fullmatch(value):
                return None
        elif not (name == "CLASS" or name.startswith("X-")):
            return None
    if "DTSTART" not in props or "DTEND" not in props or "UID" not in props:
        return None
    start = _when(*props["DTSTART"], zones)
    end = _when(*props["DTEND"], zones)
    if start is None or end is None or isinstance(start, datetime) != isinstance(end, datetime):
        return None
    if isinstance(start, datetime) and (start.tzinfo is None) != (end.tzinfo is None):
        return None
    if end < start:
        return None  # icalendar's way reports it
    sequence = 0
    if "SEQUENCE" in props:
        if not props["SEQUENCE"][1].isdigit() or not props["SEQUENCE"][1].isascii():
            return None
        sequence = int(props["SEQUENCE"][1])
    texts = {name: _unescape(props[name][1]).strip() for name in _TEXT if name in props}
    fields = dict(
        uid=texts.get("UID", "") or f"line-{line}",
        summary=texts.get("SUMMARY", ""),
        description=texts.get("DESCRIPTION", ""),
        location=texts.get("LOCATION", ""),
        organizer=_person(*props["ORGANIZER"]) if "ORGANIZER" in props else None,
        attendees=tuple(_attendee(params, value) for params, value in attendees),
        status=texts.get("STATUS", "").upper() or None,
        transparent=texts.get("TRANSP", "").upper() == "TRANSPARENT",
        source=source,
        line=line,
        **extra,
    )
    dtstart_params, dtstart_value = props["DTSTART"]
    tzid = f";TZID={dtstart_params['TZID']}" if "TZID" in dtstart_params else ""
    placed = zone_source([f"DTSTART{tzid}:{dtstart_value}"], zones.calendar_zone is not None)
    return occurrence_event(fields, start, end, None, sequence, profile_zone, placed)


def _unescape(value: str) -> str:
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value) if "\\" in value else value


def _when(params: dict[str, str], value: str, zones: Zones):
    """A date or datetime as icalendar reads it and the calendar's X-WR-TIMEZONE moves it; None when unsure."""
    kind = params.get("VALUE")
    if set(params) - {"TZID", "VALUE"} or kind not in (None, "DATE", "DATE-TIME"):
        return None
    try:
        if kind == "DATE" or (kind is None and len(value) == 8):
            match = _DATE.fullmatch(value)
            if match is None or "TZID" in params:
                return None
            return date(*map(int, match.groups()))
        match = _DATE_TIME.fullmatch(value)
        if match is None:
            return None
        year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if match.group(7):
        if "TZID" in params:
            return None
        moment = moment.replace(tzinfo=zones.of_utc())
    elif "TZID" in params:
        zone = zones.of(params["TZID"])
        if zone is None:
            return None
        moment = moment.replace(tzinfo=zone)
    if zones.calendar_zone is not None:  # as x-wr-timezone does: UTC and floating times move into the zone
        if moment.tzinfo is None:
            return moment.replace(tzinfo=zones.calendar_zone)
        name = moment.tzname()
        if name is not None and name.upper() == "UTC":
            return moment.astimezone(zones.calendar_zone)
    return moment


def _address(value: str) -> str:
    text = value.strip()
    return text[7:] if text.lower().startswith("mailto:") else text


def _person(params: dict[str, str], value: str) -> Person | None:
    email = _address(value)
    name = params.get("CN")
    return Person(email=email, name=name.strip() if name else None) if email or name else None


def _attendee(params: dict[str, str], value: str) -> Attendee:
    name = params.get("CN")
    return Attendee(
        email=_address(value), name=name if name else None, partstat=params.get("PARTSTAT", "").upper() or None
    )
