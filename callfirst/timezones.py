"""Time zones: names checked once, naive times made aware once, and any zone a file names resolved to IANA.

Calendar files name zones in many ways: IANA names, Windows names ("FLE Standard Time"), Outlook display
names ("(GMT+10:00) Canberra, Melbourne, Sydney"), custom VTIMEZONEs with only offsets and rules, old
IANA names ("Asia/Calcutta"). Every zone shown to a person is a canonical IANA name. The tables used are
data that ships with the tzdata and icalendar packages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_named(name: str | None) -> ZoneInfo | None:
    """The IANA zone of that name, or None when there is no such zone."""
    if not name or not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError, RecursionError):  # a name of many parts recurses
        return None


def aware(value: date | datetime, zone: tzinfo) -> datetime:
    """A date as its midnight in `zone`; a naive date-time read in `zone`; an aware one as it is."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return datetime.combine(value, time(), tzinfo=zone)


def zone_of(moment: datetime) -> tzinfo:
    """The zone an aware moment is written in (UTC for a naive one, which the core never holds)."""
    return moment.tzinfo or UTC


def is_utc(zone: tzinfo | None) -> bool:
    """UTC itself (or a zone named UTC/GMT with no offset), not merely a zone at offset zero today."""
    if zone is None:
        return False
    key = getattr(zone, "key", None) or str(zone)
    if zone is UTC or key.upper() in ("UTC", "ETC/UTC", "GMT", "ETC/GMT", "Z", "ZULU", "UNIVERSAL"):
        return True
    return bool(re.fullmatch(r"(?i)(coordinated )?universal time|utc|gmt", str(getattr(zone, "_tzid", "") or "")))


def label(zone: tzinfo, at: datetime) -> str:
    """'EEST, Europe/Kyiv': the abbreviation then the IANA name; one of them when they are the same."""
    name = getattr(zone, "key", None) or ""
    abbreviation = at.astimezone(zone).tzname() or ""
    if abbreviation.startswith(("+", "-")) or abbreviation == name:
        abbreviation = ""
    return ", ".join(part for part in (abbreviation, name) if part) or str(zone)


# --- canonical IANA names ----------------------------------------------------------------------


def _tab_lines(name: str) -> list[list[str]]:
    from importlib.resources import files

    try:
        text = (files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return []
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """ISO country code → its IANA zones, the country's main zone first (zone.tab's order)."""
    found: dict[str, list[str]] = {}
    for fields in _tab_lines("zone.tab"):
        if len(fields) >= 3:
            found.setdefault(fields[0].upper(), []).append(fields[2])
    for fields in _tab_lines("zone1970.tab"):
        if len(fields) >= 3:
            for country in fields[0].split(","):
                zones = found.setdefault(country.upper(), [])
                if fields[2] not in zones:
                    zones.append(fields[2])
    return {country: tuple(zones) for country, zones in found.items()}


@cache
def _canonical_names() -> frozenset[str]:
    return frozenset(zone for zones in _zones_by_country().values() for zone in zones) | {"UTC"}


@cache
def _country_of_zone() -> dict[str, str]:
    """Zone → the country it is the zone of. zone1970.tab names the country a shared zone belongs to first
    ('CA,BS America/Toronto': Canada's, which the Bahamas also use); zone.tab alone would give the Bahamas."""
    table: dict[str, str] = {}
    for fields in _tab_lines("zone1970.tab"):
        if len(fields) >= 3:
            table.setdefault(fields[2], fields[0].split(",")[0].upper())
    for country, zones in _zones_by_country().items():
        for zone in zones:
            table.setdefault(zone, country)
    return table


def zones_of_country(country: str) -> tuple[str, ...]:
    return _zones_by_country().get(country.upper(), ())


def country_of(zone: tzinfo | str | None) -> str | None:
    """The ISO country code of a zone (its canonical name), or None."""
    key = zone if isinstance(zone, str) else getattr(zone, "key", None)
    return _country_of_zone().get(canonical(key) or "") if key else None


def _tzif(key: str) -> bytes:
    from importlib.resources import files

    try:
        return (files("tzdata") / "zoneinfo" / key).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, IsADirectoryError, OSError, ValueError):
        return b""


@cache
def _canonical_by_data() -> dict[bytes, str]:
    """The zone data of every canonical zone → its name; a link (an old name) has the same data."""
    table: dict[bytes, str] = {}
    for key in sorted(_canonical_names()):
        data = _tzif(key)
        if data:
            table.setdefault(data, key)
    return table


@cache
def canonical(name: str | None) -> str | None:
    """The canonical IANA name for `name` ('Asia/Calcutta' → 'Asia/Kolkata'), or None when unknown."""
    zone = zone_named(name)
    if zone is None:
        return None
    if zone.key in _canonical_names() or not _canonical_names():
        return zone.key
    return _canonical_by_data().get(_tzif(zone.key), zone.key)


def canonical_zone(name: str | None) -> ZoneInfo | None:
    key = canonical(name)
    return ZoneInfo(key) if key else None


# --- zones named the Windows or Outlook way ------------------------------------------------------


def windows_zone(name: str) -> ZoneInfo | None:
    """A Windows zone name ('FLE Standard Time') as its IANA zone, by icalendar's own table."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    cleaned = " ".join(name.strip().strip('"').split())
    olson = WINDOWS_TO_OLSON.get(cleaned) or next(
        (value for key, value in WINDOWS_TO_OLSON.items() if key.lower() == cleaned.lower()), None
    )
    return canonical_zone(olson)


_DISPLAY_NAME = re.compile(r"^\(\s*(?:UTC|GMT)\s*(?P<offset>[+-]\d{1,2}(?::?\d{2})?)?\s*\)\s*(?P<places>.*)$", re.I)


def display_name_zone(name: str) -> ZoneInfo | None:
    """An Outlook display name '(GMT+10:00) Canberra, Melbourne, Sydney' as the zone of one of its cities,
    checked against the offset it states."""
    match = _DISPLAY_NAME.match(name.strip().strip('"'))
    if not match:
        return None
    offset = parse_offset(match.group("offset") or "+00:00")
    for place in re.split(r"[,;/]| - ", match.group("places")):
        zone = city_zone(place)
        if zone is not None and offset is not None and standard_offset(zone) == offset:
            return zone
    return None


@cache
def _zones_by_city() -> dict[str, str]:
    table: dict[str, str] = {}
    for key in sorted(_canonical_names()):
        city = key.rsplit("/", 1)[-1].replace("_", " ").lower()
        table.setdefault(city, key)
    return table


def city_zone(place: str) -> ZoneInfo | None:
    """The zone named after a city ('Melbourne' → Australia/Melbourne), or None."""
    words = re.sub(r"[^\w\s-]", " ", place).split()
    key = _zones_by_city().get(" ".join(words).lower())
    return ZoneInfo(key) if key else None


def zone_as_typed(text: str) -> ZoneInfo | None:
    """The zone a person means: an IANA name in any case ('america/chicago'), a city a zone is named after
    ('Chicago', 'sao paulo', 'Ho Chi Minh City'), or a Windows name ('Central Standard Time'); None otherwise."""
    cleaned = " ".join(text.split())
    zone = zone_named(cleaned) or canonical_zone(_iana_spelled(cleaned))
    if zone is None and cleaned:
        from .detection import fold  # lower case without accents: 'São Paulo' → 'sao paulo'

        zone = city_zone(fold(cleaned)) or _cldr_city_zone(cleaned) or windows_zone(cleaned)
    return zone


@cache
def _cldr_cities() -> dict[str, str]:
    """CLDR's English city names of the zones ('ho chi minh city' → Asia/Ho_Chi_Minh), accents aside."""
    from .detection import fold
    from .timetext import place

    table: dict[str, str] = {}
    for key in sorted(_canonical_names()):
        table.setdefault(fold(place(ZoneInfo(key))), key)
    return table


def _cldr_city_zone(text: str) -> ZoneInfo | None:
    from .detection import fold

    key = _cldr_cities().get(fold(text))
    return ZoneInfo(key) if key else None


def _iana_spelled(text: str) -> str | None:
    """The IANA name `text` spells in another case or with spaces for underscores, if any."""
    wanted = text.replace(" ", "_").casefold()
    return next((key for key in _canonical_names() if key.casefold() == wanted), None) if "/" in wanted else None


def parse_offset(text: str) -> timedelta | None:
    """'+5:30', '+0530', '-3', '+10:00' as a timedelta."""
    match = re.fullmatch(r"\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\s*", text)
    if not match:
        return None
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    value = timedelta(hours=hours, minutes=minutes)
    return -value if match.group(1) == "-" else value


def standard_offset(zone: tzinfo, year: int = 2026) -> timedelta:
    """The smaller of a zone's January and July offsets: its standard time."""
    offsets = [datetime(year, month, 15, 12, tzinfo=UTC).astimezone(zone).utcoffset() for month in (1, 7)]
    return min(offset or timedelta() for offset in offsets)


# --- a zone that has only offsets and rules ------------------------------------------------------


def _probes(around: datetime) -> list[datetime]:
    """Instants across a year around `around`, where two zones with the same rules agree."""
    base = around.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return [base + timedelta(days=days) for days in range(-183, 184)]


def same_offsets(a: tzinfo, b: tzinfo, around: datetime) -> bool:
    """Do the two zones give the same UTC offset at every probe across a year around `around`?"""
    return all(moment.astimezone(a).utcoffset() == moment.astimezone(b).utcoffset() for moment in _probes(around))


def matching_zone(
    zone: tzinfo, around: datetime, names: Iterable[str] = (), countries: Iterable[str] = ()
) -> ZoneInfo | None:
    """The IANA zone that behaves like `zone` around `around`: first among the `names` it was given
    (Windows names, cities, old IANA names), then in the `countries`, then any zone with the same
    offsets and transitions that is alone in having them."""
    for name in names:
        for candidate in (canonical_zone(name), windows_zone(name), display_name_zone(name), city_zone(name)):
            if candidate is not None and same_offsets(candidate, zone, around):
                return candidate
    for country in countries:
        for key in zones_of_country(country):
            candidate = ZoneInfo(key)
            if same_offsets(candidate, zone, around):
                return candidate
    return representative_zone(zone, around)


@cache
def _representatives() -> tuple[str, ...]:
    """One zone per region of present-day timekeeping (tzdata's zonenow.tab)."""
    return tuple(fields[2] for fields in _tab_lines("zonenow.tab") if len(fields) >= 3)


def only_zone_at_offset(offset: timedelta, moment: datetime) -> ZoneInfo | None:
    """The zone of the one region of the world whose clocks are `offset` from UTC at `moment`, if only one
    is: 'GMT -08:00' written in January is Los Angeles as much as Pitcairn, so it names neither."""
    found = [key for key in _representatives() if moment.astimezone(ZoneInfo(key)).utcoffset() == offset]
    return ZoneInfo(canonical(found[0]) or found[0]) if len(found) == 1 else None


def iana_zones_in(text: str) -> list[ZoneInfo]:
    """The IANA zones a text spells by their names ('12:00 PM America/Los_Angeles'), in order."""
    found = []
    for match in re.finditer(r"\b[A-Z][A-Za-z]+/[A-Z][A-Za-z_-]+(?:/[A-Z][A-Za-z_-]+)?\b", text):
        zone = canonical_zone(match.group(0))
        if zone is not None and zone not in found:
            found.append(zone)
    return found


def representative_zone(zone: tzinfo, around: datetime) -> ZoneInfo | None:
    """The zone that behaves like `zone`, when exactly one region of the world keeps that time."""
    found = [key for key in _representatives() if same_offsets(ZoneInfo(key), zone, around)]
    return ZoneInfo(canonical(found[0]) or found[0]) if len(found) == 1 else None
