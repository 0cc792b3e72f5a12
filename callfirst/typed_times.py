"""Times as people type them at a prompt: '2026-12-07T14:00', 'tomorrow 3pm', 'Monday 11am', '29/09 11:00',
'Dec 7 2:30 pm'. Pure: the text, `now`, the zone and the user's locale (for day-first or month-first) in.

ISO 8601 is read by the standard library; anything else by dateparser (imported only when needed: it costs
a few tenths of a second), relative to `now` on the user's clock, preferring the future.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from types import ModuleType

FAR = timedelta(days=366)


def date_order(locale: str) -> str:
    """'DMY', 'MDY' or 'YMD': the order of the locale's short date (CLDR, through Babel); 'DMY' if unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        pattern = Locale.parse(locale or "en_GB").date_formats["short"].pattern
    except (UnknownLocaleError, ValueError, TypeError):
        return "DMY"
    positions = {letter: pattern.lower().find(letter) for letter in "dmy"}
    if any(index < 0 for index in positions.values()):
        return "DMY"
    return "".join(sorted("DMY", key=lambda letter: positions[letter.lower()]))


def read_time(text: str, now: datetime, zone: tzinfo, locale: str = "") -> datetime | date | None:
    """The moment `text` names, naive (the user's own clock) unless it gives a zone; None when unreadable."""
    text = " ".join(text.split())
    if not text:
        return None
    iso = _iso(text)
    if iso is not None:
        return iso
    return _natural(text, now.astimezone(zone).replace(tzinfo=None), date_order(locale), _language(locale))


def _iso(text: str) -> datetime | date | None:
    try:
        return datetime.fromisoformat(text) if ("T" in text or ":" in text) else date.fromisoformat(text)
    except ValueError:
        return None


def _language(locale: str) -> str:
    return (locale or "en").replace("-", "_").split("_")[0].lower() or "en"


def _natural(text: str, base: datetime, order: str, language: str) -> datetime | None:
    parser = _parser()
    languages = ["en"] if language == "en" else [language, "en"]
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": order,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": [],
    }
    try:
        found = parser.parse(text, languages=languages, settings=settings)
    except (ValueError, TypeError, OverflowError):
        return None
    if found is None:
        return None
    moment: datetime = found
    if not _names_a_time(text):
        return None  # 'Monday' alone: a day, not the current time of day on it
    if abs(moment - base) > FAR:
        return None  # '9/29' read day-first as some other year: a misreading, not an answer
    return moment


_TIME_OF_DAY = re.compile(
    r"\d{1,2}\s*[:.h]\s*\d{2}|\d{1,2}\s*(?:am|pm|a\.\s?m\.?|p\.\s?m\.?|h\b|uhr\b)|\b(?:noon|midday|midnight)\b",
    re.IGNORECASE,
)


def _names_a_time(text: str) -> bool:
    """Whether the text gives a time of day ('3pm', '11:00', '14h', 'noon'), not only a day."""
    return _TIME_OF_DAY.search(text) is not None


@cache
def _parser() -> ModuleType:
    import dateparser

    module: ModuleType = dateparser
    return module
