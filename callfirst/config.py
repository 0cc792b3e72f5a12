"""Settings from config.toml, parsed and checked without touching the disk."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import time
from functools import lru_cache
from typing import Any

from .errors import ConfigError
from .model import Problem
from .timezones import zone_named

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Profile:
    name: str = ""
    email: str = ""
    phone: str = ""
    timezone: str = ""
    region: str = ""
    hours: str = ""  # waking hours, "08:00-20:00": when you can make a call
    language: str = ""  # yours, for the call script ('en', 'pt', …); the command fills it from the system's


_CLOCK = r"(\d{1,2})(?:[:.h](\d{2}))?\s*([ap])?\.?\s*(?:m\.?)?"
_HOURS = re.compile(rf"\s*{_CLOCK}\s*(?:-|–|—|to|until)\s*{_CLOCK}\s*", re.IGNORECASE)


def parse_hours(text: str) -> tuple[time, time]:
    """Hours as people write them — '08:00-20:00', '9am-6pm', '9 to 17', '9-5' (a day's 9 to 5) — as (start,
    end); ValueError unless the start comes before the end."""
    match = _HOURS.fullmatch(text)
    if match:
        hour1, minute1, half1, hour2, minute2, half2 = match.groups()
        start = _clock(hour1, minute1, half1)
        end = _clock(hour2, minute2, half2)
        if start and end and end <= start and not (half1 or half2) and not hour2.startswith("0") and int(hour2) < 12:
            end = _clock(str(int(hour2) + 12), minute2, None)  # '9-5': the afternoon
        if start and end and start < end:
            return start, end
    raise ValueError(f'must be hours like "08:00-20:00" or "9am-6pm" (start before end), not {text!r}')


def _clock(hour: str, minute: str | None, half: str | None) -> time | None:
    number = int(hour)
    if half:
        if not 1 <= number <= 12:
            return None
        number = number % 12 + (12 if half.lower() == "p" else 0)
    try:
        return time(number, int(minute or 0))
    except ValueError:
        return None


@dataclass(frozen=True)
class NoticePolicy:
    workday_start: time = time(9, 0)
    workday_end: time = time(17, 0)
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    urgent_hours: float = 4
    late_hours: float = 24
    late_business_hours: float = 8
    short_hours: float = 48
    short_business_hours: float = 16


@dataclass(frozen=True)
class DetectionSettings:
    extra_words: tuple[str, ...] = ()
    exclude_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlotSettings:
    count: int = 3
    lead_business_hours: float = 2
    days: int = 10
    step_minutes: int = 30
    default_minutes: int = 60  # the length of a slot when the interview has none (all-day, no DTEND)


@dataclass(frozen=True)
class GoogleSettings:
    client_secret: str = ""
    calendar_id: str = "primary"


@dataclass(frozen=True)
class MicrosoftSettings:
    client_id: str = ""  # the app registration's Application (client) ID
    tenant: str = "common"  # common, organizations, consumers, or the directory's ID or domain
    calendar: str = ""  # the calendar `microsoft` reads: its name; empty for the default calendar


@dataclass(frozen=True)
class ImapSettings:
    host: str = ""
    port: int = 0  # 0: 993 with tls, 143 with starttls or none
    username: str = ""
    security: str = "tls"  # tls, starttls, or none (a server on this computer only)
    cafile: str = ""  # certificates to trust instead of the system's (a private server); still verified


@dataclass(frozen=True)
class CaldavSettings:
    url: str = ""
    username: str = ""
    cafile: str = ""


@dataclass(frozen=True)
class Config:
    profile: Profile = field(default_factory=Profile)
    notice: NoticePolicy = field(default_factory=NoticePolicy)
    detection: DetectionSettings = field(default_factory=DetectionSettings)
    google: GoogleSettings = field(default_factory=GoogleSettings)
    slots: SlotSettings = field(default_factory=SlotSettings)
    microsoft: MicrosoftSettings = field(default_factory=MicrosoftSettings)
    imap: ImapSettings = field(default_factory=ImapSettings)
    caldav: CaldavSettings = field(default_factory=CaldavSettings)
    warnings: tuple[Problem, ...] = ()


_Section = (
    Profile
    | NoticePolicy
    | DetectionSettings
    | GoogleSettings
    | SlotSettings
    | MicrosoftSettings
    | ImapSettings
    | CaldavSettings
)

_SECTIONS: dict[str, type[_Section]] = {
    "profile": Profile,
    "notice": NoticePolicy,
    "detection": DetectionSettings,
    "google": GoogleSettings,
    "slots": SlotSettings,
    "microsoft": MicrosoftSettings,
    "imap": ImapSettings,
    "caldav": CaldavSettings,
}


def parse_config(text: str, where: str = "config.toml") -> Config:
    """Parse config.toml text; raise ConfigError naming the key and line at fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", where=where) from None
    except RecursionError:
        raise ConfigError("not valid TOML: nested too deeply", where=where) from None
    warnings: list[Problem] = []
    sections: dict[str, Any] = {}  # each value is the section's own dataclass, the keyword of the same name
    for name, value in data.items():
        if name not in _SECTIONS:
            warnings.append(Problem(where, f"unknown section [{name}] is ignored", _line_of(text, None, name)))
            continue
        if not isinstance(value, dict):
            raise ConfigError(f"'{name}' must be a [{name}] table", where=where, line=_line_of(text, None, name))
        sections[name] = _parse_section(name, value, text, where, warnings)
    return Config(**sections, warnings=tuple(warnings))


def _parse_section(section: str, values: dict[str, object], text: str, where: str, warnings: list[Problem]) -> _Section:
    cls = _SECTIONS[section]
    known = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}  # each value checked by _convert for the field of the same name
    for key, raw in values.items():
        line = _line_of(text, section, key)
        if section in ("imap", "caldav") and key == "password":
            raise ConfigError(
                f"{section}.password: callfirst never reads a password from config.toml; remove it, and run "
                f"`callfirst auth {section}` to keep it in your system keyring",
                where=where,
                line=line,
            )
        if key not in known:
            warnings.append(Problem(where, f"unknown key '{section}.{key}' is ignored", line))
            continue
        try:
            kwargs[key] = _convert(section, key, raw)
        except ValueError as exc:
            raise ConfigError(f"{section}.{key}: {exc}", where=where, line=line) from None
    parsed = cls(**kwargs)
    if isinstance(parsed, ImapSettings) and parsed.security == "none" and not is_loopback(parsed.host):
        raise ConfigError(
            'imap.security: "none" sends your password unencrypted; it is accepted only for a server on this '
            "computer (localhost), not for " + repr(parsed.host) + '; use "tls" or "starttls"',
            where=where,
            line=_line_of(text, section, "security"),
        )
    if isinstance(parsed, NoticePolicy) and parsed.workday_end <= parsed.workday_start:
        key = "workday_end" if "workday_end" in values else "workday_start"
        raise ConfigError(
            f"notice.{key}: the workday must end after it starts "
            f"({parsed.workday_start:%H:%M} to {parsed.workday_end:%H:%M}); a night shift is not supported",
            where=where,
            line=_line_of(text, section, key),
        )
    return parsed


def _convert(section: str, key: str, raw: object) -> time | tuple[int, ...] | tuple[str, ...] | float | str:
    if section in _PROVIDERS:
        return _provider_value(section, key, raw)
    if section == "notice":
        if key in ("workday_start", "workday_end"):
            return _parse_time(raw)
        if key == "workdays":
            return _parse_workdays(raw)
        return _positive_number(raw)
    if section == "slots":
        if key == "lead_business_hours":
            return _positive_number(raw)
        return _whole_number(raw, low=1, high=1440 if key in ("step_minutes", "default_minutes") else 366)
    if section == "detection":
        if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
            raise ValueError("must be a list of non-empty strings")
        return tuple(w.strip() for w in raw)
    if not isinstance(raw, str):
        raise ValueError("must be a string")
    if section == "profile" and key == "timezone" and raw and zone_named(raw) is None:
        raise ValueError(f"unknown time zone '{raw}' (use an IANA name such as Europe/Berlin)")
    if section == "profile" and key == "hours" and raw:
        parse_hours(raw)
    if (
        section == "profile"
        and key == "email"
        and raw
        and not re.fullmatch(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+", raw.strip())
    ):
        raise ValueError(f"must be one email address, not {raw!r}")
    if section == "profile" and key == "region" and raw and not re.fullmatch(r"[A-Za-z]{2}", raw):
        raise ValueError("must be a two-letter country code such as US or DE")
    if section == "profile" and key == "language" and raw and not re.fullmatch(r"[A-Za-z]{2}", raw):
        raise ValueError("must be a two-letter language code such as en or pt")
    if key == "language":
        return raw.lower()
    return raw.upper() if key == "region" else raw


# --- the mail and calendar providers -------------------------------------------------------------

_PROVIDERS = ("microsoft", "imap", "caldav")
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TENANT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")
SECURITY = ("tls", "starttls", "none")


def is_loopback(host: str) -> bool:
    """Is `host` this computer (localhost, 127.0.0.0/8, ::1)? Names other than localhost are not looked up."""
    import ipaddress

    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _provider_value(section: str, key: str, raw: object) -> int | str:
    if section == "imap" and key == "port":
        return _whole_number(raw, low=1, high=65535)
    if not isinstance(raw, str):
        raise ValueError("must be a string")
    value = raw.strip()
    if section == "microsoft" and key == "client_id" and value and not _GUID.fullmatch(value):
        raise ValueError(
            "must be the Application (client) ID of your app registration, like "
            f"0b8a6d2e-1234-4c5d-8e9f-0a1b2c3d4e5f, not {raw!r}"
        )
    if section == "microsoft" and key == "tenant" and not _TENANT.fullmatch(value):
        raise ValueError(f"must be common, organizations, consumers, or a directory ID or domain, not {raw!r}")
    if section == "imap" and key == "host" and value and not _HOST.fullmatch(value):
        raise ValueError(f"must be a host name such as imap.mail.me.com, not {raw!r}")
    if section == "imap" and key == "security" and value not in SECURITY:
        raise ValueError(f"must be one of {', '.join(SECURITY)}, not {raw!r}")
    if section == "caldav" and key == "url" and value:
        _check_caldav_url(value)
    return value


def _check_caldav_url(url: str) -> None:
    """An https address; plain http only for a server on this computer."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise ValueError(f"is not an address: {url!r}") from None
    if parts.scheme not in ("https", "http") or not host:
        raise ValueError(f"must be an https:// address, not {url!r}")
    if parts.scheme == "http" and not is_loopback(host):
        raise ValueError(
            f"must be an https:// address: http:// sends your password unencrypted (accepted only for "
            f"localhost), not {url!r}"
        )
    if parts.username or parts.password:
        raise ValueError(
            "must not hold a user name or password (set caldav.username; the password goes in the keyring)"
        )


def _parse_time(raw: object) -> time:
    if isinstance(raw, time):
        return raw
    if isinstance(raw, str):
        try:
            return time.fromisoformat(raw)
        except ValueError:
            pass
    raise ValueError(f'must be a time like "09:00", not {raw!r}')


def _parse_workdays(raw: object) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError('must be a list of days such as ["mon", "tue"]')
    days = []
    for item in raw:
        name = str(item).strip().lower()[:3]
        if name not in WEEKDAYS:
            raise ValueError(f"unknown day {item!r} (use mon … sun)")
        days.append(WEEKDAYS.index(name))
    return tuple(sorted(set(days)))


MAX_HOURS = 366 * 24  # no notice tier or lead time is longer than a year


def _positive_number(raw: object) -> float:
    """Hours from 0 to a year; NaN and infinity are refused (`not 0 <= nan` is true)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= MAX_HOURS:
        raise ValueError(f"must be a number of hours from 0 to {MAX_HOURS}, not {raw!r}")
    return float(raw)


def _whole_number(raw: object, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise ValueError(f"must be a whole number from {low} to {high}, not {raw!r}")
    return raw


def _line_of(text: str, section: str | None, key: str) -> int | None:
    """Best-effort line number of `key` inside [section] (or of [key] itself)."""
    return _line_index(text).get((section, key))


@lru_cache(maxsize=4)
def _line_index(text: str) -> dict[tuple[str | None, str], int]:
    """Where each [section] and each key in a section first appears: one pass over the text, not one per key."""
    index: dict[tuple[str | None, str], int] = {}
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]\s*(#.*)?", line.strip())
        if header:
            current = header.group(1)
            index.setdefault((None, current), number)
            continue
        key = re.match(r'\s*(?:"([^"]*)"|([^\s="]+))\s*=', line)
        if key:
            index.setdefault((current, key.group(1) if key.group(1) is not None else key.group(2)), number)
    return index
