"""How the recipient reads dates and times: their language and country decide the locale (Babel/CLDR), and
the locale decides the date pattern, the clock and the zone's name. Pure: no files, no clock.

English is written the way the recipient's country writes it: 'Thursday, November 19' and '3:00 p.m. ET' in
the US and Canada, 'Thursday 19 November' and '15:00' in Britain, 'Thursday, 19 November' and '2:30 pm IST'
in India. Other languages take CLDR's own long date (without the year when it is this year's) and short time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

# The languages an email can be written in; the rest get English, with a warning.
LANGUAGES = ("en", "pt", "es", "fr", "de", "it", "nl")
LANGUAGE_NAMES = {
    "en": "English",
    "pt": "Portuguese",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "nl": "Dutch",
}
# The locale a language takes when the recipient's country does not speak it.
DEFAULT_COUNTRY = {"en": "GB", "pt": "BR", "es": "ES", "fr": "FR", "de": "DE", "it": "IT", "nl": "NL"}
# English locales whose conventions callfirst writes; other English-speaking countries take British English.
ENGLISH_COUNTRIES = ("US", "CA", "GB", "IN", "AU", "NZ", "IE", "ZA", "SG")
NORTH_AMERICA = ("US", "CA")
# CLDR's long date ends (or goes on) with the year; the part that joins it goes with it.
_YEAR = re.compile(r"(?:,?\s*(?:'de'\s*)?y+\.?)")


@dataclass(frozen=True)
class Voice:
    """A recipient's language ('en', 'pt', …) and country ('US', 'BR', … or None)."""

    language: str = "en"
    country: str | None = None

    @property
    def locale(self) -> str:
        """The Babel locale: 'en_US', 'en_GB', 'pt_BR', 'pt_PT', 'de_DE', …"""
        from babel import Locale, UnknownLocaleError

        if self.language == "en":
            return f"en_{self.country if self.country in ENGLISH_COUNTRIES else 'GB'}"
        if self.country:
            try:
                Locale.parse(f"{self.language}_{self.country}")
                return f"{self.language}_{self.country}"
            except (UnknownLocaleError, ValueError):
                pass
        return f"{self.language}_{DEFAULT_COUNTRY.get(self.language, '')}".rstrip("_")

    @property
    def catalogs(self) -> tuple[str, ...]:
        """The message catalogs to look in, most particular first: ('en_US', 'en') or ('pt_PT', 'pt')."""
        locale = self.locale
        if locale == "en_CA":
            return ("en_US", "en")  # Canadian business English spells 'apologize' as the US does
        return (locale, self.language) if locale != self.language else (locale,)

    @property
    def twelve_hour(self) -> bool:
        return self.language == "en" and self.country in (*NORTH_AMERICA, "IN", "AU", "NZ")

    def date(self, moment: datetime, zone: tzinfo, today: datetime) -> str:
        """The day, CLDR's long form: 'Thursday, November 19', 'quinta-feira, 19 de novembro'; the year
        only when it is not this year's."""
        from babel import Locale
        from babel.dates import format_date

        local = moment.astimezone(zone)
        pattern = Locale.parse(self.locale).date_formats["full"].pattern
        if local.year == today.astimezone(zone).year:
            pattern = _YEAR.sub("", pattern).strip(" ,")
        return format_date(local, pattern, locale=self.locale)

    def clock(self, moment: datetime, zone: tzinfo) -> str:
        """'3:00 p.m.' (US, Canada), '2:30 pm' (India), '15:00' (Britain and most of the world)."""
        from babel.dates import format_time

        local = moment.astimezone(zone)
        if not self.twelve_hour:
            if self.language == "en":
                return format_time(local, "HH:mm", locale=self.locale)
            return format_time(local, "short", locale=self.locale)
        text = format_time(local, "h:mm a", locale="en_US")
        if self.country in NORTH_AMERICA:
            return text.replace("AM", "a.m.").replace("PM", "p.m.")
        return text.replace("AM", "am").replace("PM", "pm")

    def time_range(self, start: datetime, end: datetime | None, zone: tzinfo) -> str:
        """'10:00–11:00 a.m.', '11:30 a.m.–12:30 p.m.', '15:00–16:00'."""
        first = self.clock(start, zone)
        if end is None or end <= start:
            return first
        last = self.clock(end, zone)
        if self.twelve_hour:
            first_half, last_half = first.rsplit(" ", 1)[-1], last.rsplit(" ", 1)[-1]
            if first_half == last_half:
                first = first.rsplit(" ", 1)[0]  # "10:00–11:00 a.m.": the half of the day once
        return f"{first}–{last}"

    def zone_name(self, moment: datetime, zone: tzinfo) -> str:
        """'ET', 'IST', 'GMT', 'CET', 'MEZ', 'BRT'; '' when the locale has no short name (the city is then
        given by the caller's own words)."""
        from babel.dates import get_timezone_name

        local = moment.astimezone(zone)
        if self.language == "en" and self.country in NORTH_AMERICA and _country(zone) in NORTH_AMERICA:
            return get_timezone_name(local, width="short", zone_variant="generic", locale="en_US")
        candidates = [get_timezone_name(local, width="short", locale=self.locale)]
        if self.language == "en":
            candidates.append(local.tzname() or "")
        for name in candidates:
            if name.isalpha() and name.isupper() and 2 <= len(name) <= 5:
                return name
        return ""


def place(zone: tzinfo, locale: str = "en") -> str:
    """The city an IANA zone is named after, as the locale writes it (CLDR): 'London', 'Londres', 'Nova York'."""
    from ..timetext import place as city

    return city(zone, locale)


def _country(zone: tzinfo) -> str | None:
    from ..timezones import country_of

    return country_of(zone)


def days_between(earlier: datetime, later: datetime, zone: tzinfo) -> int:
    """Calendar days from `earlier` to `later` on the clock of `zone`."""
    return (later.astimezone(zone).date() - earlier.astimezone(zone).date()).days


def same_clock(moment: datetime, one: tzinfo, other: tzinfo) -> bool:
    return moment.astimezone(one).utcoffset() == moment.astimezone(other).utcoffset()


def hours_apart(moment: datetime, one: tzinfo, other: tzinfo) -> timedelta:
    return (moment.astimezone(other).utcoffset() or timedelta()) - (moment.astimezone(one).utcoffset() or timedelta())
