"""CalDAV calendars as a source: `caldav` (every calendar of the account) or `caldav:NAME` (one, by its name).

The server is asked for the events in the window (a calendar-query REPORT with a time range, so it does the
recurrence arithmetic to choose them) and sends each event's iCalendar object whole: its rules, its moved
occurrences and its VTIMEZONE. Those bytes go to the same reader as a file (ical/read.py), which expands the
occurrences in the window, so an event gives the same facts and notice as the .ics file it came from. (A
server-side expansion would not: RFC 4791 expands into UTC and drops the time zones, and with them the
interviewer's zone.) The password comes from the keyring or CALLFIRST_CALDAV_PASSWORD; certificates are
always verified; plain http only to this computer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..config import CaldavSettings, is_loopback
from ..errors import CaldavAuthError, CaldavError, short_error
from ..model import Event, Problem, ReadResult, Window
from .credentials import find_password

if TYPE_CHECKING:
    from ..context import Context
    from ..ical.prefilter import Selector

PREFIX = "caldav"
KIND = "caldav"
PASSWORD_VARIABLE = "CALLFIRST_CALDAV_PASSWORD"
TIMEOUT = 30  # seconds for connecting and for each answer
# 429 and 503 answers are waited out as their Retry-After asks, each wait at most this many seconds, and no
# new wait once this many have passed in all (so about a minute at worst).
RATE_LIMIT_WAIT = 30


class CaldavCalendars:
    """`caldav` (every calendar of the account) or `caldav:NAME`."""

    def read(self, spec: str, selector: Selector, ctx: Context) -> ReadResult:
        return read_caldav(spec, selector, ctx.owner_zone, ctx.config.caldav)

    def busy(self, spec: str, window: Window, ctx: Context) -> tuple[Window, ...]:
        return busy_caldav(spec, window, ctx.config.profile.email, ctx.owner_zone, ctx.config.caldav)

    def label(self, spec: str) -> str:
        return label(spec)


SOURCE = CaldavCalendars()


def is_caldav(spec: str) -> bool:
    return spec == PREFIX or spec.startswith(PREFIX + ":")


def calendar_name(spec: str) -> str:
    """The calendar a spec names; "" for every calendar of the account."""
    return spec.partition(":")[2].strip()


def label(spec: str) -> str:
    name = calendar_name(spec)
    return f"{PREFIX}:{name}" if name else PREFIX


@dataclass(frozen=True)
class Account:
    url: str
    username: str
    cafile: str = ""

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or self.url


def account_from(settings: CaldavSettings) -> Account:
    if not settings.url or not settings.username:
        raise CaldavError(
            "no CalDAV account: set url and username under [caldav] in config.toml (see README, 'CalDAV')"
        )
    parts = urlsplit(settings.url)
    if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback(parts.hostname or "")):
        raise CaldavError("[caldav] url must be an https:// address")  # also checked when config.toml is read
    return Account(settings.url, settings.username, settings.cafile)


def password_for(account: Account) -> str:
    return find_password(KIND, account.username, account.host, PASSWORD_VARIABLE, CaldavAuthError)


# --- the connection ---------------------------------------------------------------------------


@contextmanager
def connection(account: Account, password: str) -> Iterator[Any]:
    """A caldav client for the account; every failure inside is one CaldavError line."""
    import caldav

    verify: bool | str = str(Path(account.cafile).expanduser()) if account.cafile else True
    if isinstance(verify, str) and not Path(verify).is_file():
        raise CaldavError("no such certificate file", where=verify)
    make_client: Any = caldav.DAVClient
    with _translated(account, "connecting"):
        client = make_client(
            url=account.url,
            username=account.username,
            password=password,
            timeout=TIMEOUT,
            ssl_verify_cert=verify,
            enable_rfc6764=False,
            rate_limit_handle=True,
            rate_limit_default_sleep=2,
            rate_limit_max_sleep=RATE_LIMIT_WAIT,
        )
    try:
        with _translated(account, "reading the calendars"):
            yield client
    finally:
        client.close()


@contextmanager
def _translated(account: Account, what: str) -> Iterator[None]:
    from caldav.lib import error

    where = account.host
    try:
        yield
    except CaldavError:
        raise
    except error.AuthorizationError as exc:
        if exc.status == 403:
            raise CaldavAuthError(
                f"{where} does not let {account.username} read this while {what} (HTTP 403)"
            ) from None
        raise CaldavAuthError(
            f"the CalDAV server {where} refused the login for {account.username}; check the password (many "
            "providers need an app password, see README) and run `callfirst auth caldav`"
        ) from None
    except error.RateLimitError as exc:
        raise CaldavError(
            f"{where} is busy (HTTP {exc.status or 429}) while {what}, even after waiting as it asked; try again later"
        ) from None
    except error.NotFoundError:
        raise CaldavError(f"{where} found nothing at {account.url} (HTTP 404): check [caldav] url") from None
    except error.DAVError as exc:
        status = f"HTTP {exc.status}" if exc.status else _reason(exc)
        raise CaldavError(f"{where} refused {what} ({status}): is [caldav] url a CalDAV address?") from None
    except Exception as exc:  # noqa: BLE001 - niquests, urllib3 and lxml raise many types; one line for the user
        raise _network_error(exc, account, what) from None


def _reason(exc: Any) -> str:
    from ..untrusted import printable

    return printable(short_error(Exception(getattr(exc, "reason", "") or exc), 100))


def _network_error(exc: Exception, account: Account, what: str) -> CaldavError:
    """Timeouts, refused connections, certificates, and answers that are not CalDAV, as one line."""
    import ssl

    names = {type(e).__name__ for e in _chain(exc)}
    text = " ".join(short_error(e, 200) for e in _chain(exc))
    where = account.host
    if isinstance(exc, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in text:
        return CaldavError(
            f"the certificate of {where} could not be verified; callfirst does not connect without a valid "
            "certificate (a private server: set [caldav] cafile)"
        )
    if names & {"Timeout", "ReadTimeout", "ConnectTimeout", "TimeoutError", "ReadTimeoutError", "ConnectTimeoutError"}:
        return CaldavError(f"the CalDAV server {where} did not answer in time while {what}")
    if "refused" in text.lower() or names & {"ConnectionRefusedError", "NewConnectionError"}:
        return CaldavError(f"cannot reach the CalDAV server {where} (connection refused); check [caldav] url")
    if names & {"ConnectionError", "ConnectionResetError", "RemoteDisconnected", "ProtocolError"}:
        return CaldavError(
            f"no usable answer from {where} while {what} ({_reason(exc)}); check [caldav] url and your connection"
        )
    detail = "" if isinstance(exc, AttributeError | TypeError | KeyError | IndexError) else f" ({_reason(exc)})"
    return CaldavError(f"{where} answered something that is not CalDAV while {what}{detail}")


def _chain(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(found) < 8:
        seen.add(id(current))
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


# --- calendars and events ---------------------------------------------------------------------


def calendars(client: Any, account: Account, wanted: str) -> list[tuple[str, Any]]:
    """(name, calendar) of every calendar of the account, or of the one named `wanted`."""
    found = [(_name_of(calendar), calendar) for calendar in client.principal().calendars()]
    if not wanted:
        return found
    exact = [pair for pair in found if pair[0] == wanted]
    loose = [pair for pair in found if pair[0].casefold() == wanted.casefold()]
    if exact or loose:
        return (exact or loose)[:1]
    names = ", ".join(sorted(name for name, _ in found)) or "none"
    raise CaldavError(f"{account.username} at {account.host} has no calendar named {wanted!r} (it has: {names})")


def _name_of(calendar: Any) -> str:
    from ..untrusted import printable

    name = calendar.get_display_name()
    if not name:
        name = str(calendar.url).rstrip("/").rpartition("/")[2]
    return printable(str(name))[:100] or "calendar"


def read_caldav(spec: str, selector: Selector, profile_zone: ZoneInfo, settings: CaldavSettings) -> ReadResult:
    """The events in the window of the account's calendars (or the one named), read as a file's are."""
    from ..ical.read import read_calendar_data

    account = account_from(settings)
    password = password_for(account)
    events: list[Event] = []
    warnings: list[Problem] = []
    errors: list[Problem] = []
    with connection(account, password) as client:
        fetched = [
            (f"{PREFIX}:{name}", data)
            for name, calendar in calendars(client, account, calendar_name(spec))
            for data in _objects(calendar, selector.window, account, name)
        ]
    for source, data in fetched:
        result = read_calendar_data(data, source, selector, profile_zone)
        events.extend(result.events)
        warnings.extend(result.warnings)
        errors.extend(result.errors)
    return ReadResult(events=tuple(events), warnings=tuple(warnings), errors=tuple(errors))


def _objects(calendar: Any, window: Window, account: Account, name: str) -> list[bytes]:
    """The iCalendar objects with an event in the window, as the server holds them."""
    with _translated(account, f"reading calendar {name!r}"):
        found = calendar.search(event=True, start=window.start, end=window.end, expand=False, post_filter=False)
        return [_bytes(item) for item in found]


def _bytes(item: Any) -> bytes:
    data = item.data
    return data.encode("utf-8") if isinstance(data, str) else bytes(data or b"")


def busy_caldav(
    spec: str, window: Window, owner_email: str, profile_zone: ZoneInfo, settings: CaldavSettings
) -> tuple[Window, ...]:
    """Busy times in the window: every event of the calendars read, not only those that could be interviews."""
    from ..ical.prefilter import Selector
    from ..slots import busy_times

    everything = Selector(window=window, could_be_interview=lambda _text: True, keep_all_in_window=True)
    result = read_caldav(spec, everything, profile_zone, settings)
    if result.errors and not result.events:
        raise CaldavError(result.errors[0].message, where=result.errors[0].source)
    return busy_times(result.events, owner_email)


def check_login(account: Account, password: str) -> list[str]:
    """Log in and list the calendars: what `callfirst auth caldav` checks before keeping the password."""
    with connection(account, password) as client:
        return [name for name, _ in calendars(client, account, "")]
