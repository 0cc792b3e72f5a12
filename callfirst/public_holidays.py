"""Public holidays of the interviewer's country and the owner's: no time is suggested on one, and a time the
user offers on one gets a warning. Pure: the `holidays` package computes them from rules, no I/O.

A zone gives the country (and, in Canada, the province: Thanksgiving is provincial there), so the holidays
are those of the place whose clock the interviewer lives by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from functools import cache

from .model import Window

# Zones that name a Canadian province; the country alone gives only the nationwide holidays.
CANADIAN_PROVINCES = {
    "America/Toronto": "ON",
    "America/Vancouver": "BC",
    "America/Edmonton": "AB",
    "America/Winnipeg": "MB",
    "America/Regina": "SK",
    "America/Halifax": "NS",
    "America/Moncton": "NB",
    "America/St_Johns": "NL",
}


@dataclass(frozen=True)
class Place:
    """A country ('US', 'IN') and, where the holidays differ within it, a subdivision ('ON')."""

    country: str
    subdivision: str | None = None

    @property
    def name(self) -> str:
        from babel import Locale

        return str(Locale("en").territories.get(self.country, self.country))


def place_of(zone: tzinfo | None, region: str = "") -> Place | None:
    """The place whose holidays a zone keeps; `region` (a country code the user set) wins over the zone's."""
    from .timezones import canonical, country_of

    country = region.upper() or country_of(zone)
    if not country:
        return None
    key = canonical(getattr(zone, "key", None)) or ""
    subdivision = CANADIAN_PROVINCES.get(key) if country == "CA" else None
    return Place(country, subdivision)


@dataclass(frozen=True)
class Holidays:
    """The interviewer's and the owner's places, and the zones their days are counted in."""

    theirs: Place | None
    their_zone: tzinfo
    owner: Place | None = None
    owner_zone: tzinfo | None = None

    def on(self, slot: Window) -> str | None:
        """'Thanksgiving Day (United States)' when the slot touches a public holiday of either place."""
        sides = ((self.theirs, self.their_zone), (self.owner, self.owner_zone))
        for place, zone in sides:
            if place is None or zone is None:
                continue
            for moment in (slot.start, slot.end):
                name = holiday_name(place, moment.astimezone(zone).date())
                if name:
                    return f"{name} ({place.name})"
        return None


def holiday_name(place: Place, day: date) -> str | None:
    return _calendar(place.country, place.subdivision, day.year).get(day)


@cache
def _calendar(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    import holidays

    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError:  # a country the package does not know
        return {}
    return dict(found.items())
