"""Microsoft 365 and Outlook.com through Microsoft Graph: the sign-in, API calls, and the calendar as a source.

Sign-in is MSAL's device-code flow for a public client (no secret): the app registration's client ID comes
from `[microsoft] client_id`. MSAL's token cache is kept in the user folder (0600, written atomically).
Graph is called over plain HTTP (httpx): 429 and 503 are retried as Retry-After asks, within bounds; a
redirect is followed only on the same origin. `CALLFIRST_MICROSOFT_API_ROOT` and
`CALLFIRST_MICROSOFT_LOGIN_ROOT` send the requests for graph.microsoft.com and login.microsoftonline.com
elsewhere (tests, proxies); MSAL itself always names Microsoft's hosts, so the cache never records them.
`CALLFIRST_MICROSOFT_ACCESS_TOKEN`, when set, is the bearer token, used as it is and never stored.
httpx and msal are imported inside functions, so commands that do not use Microsoft never load them.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import time
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from ..config import MicrosoftSettings
from ..errors import MicrosoftAuthError, MicrosoftError, short_error
from ..model import Attendee, Event, Person, Problem, ReadResult, Window
from .atomic import write_atomic
from .home import Places, SignIn

if TYPE_CHECKING:
    import httpx

    from ..context import Context
    from ..ical.prefilter import Selector

Json = dict[str, Any]

PREFIX = "microsoft"
GRAPH_ROOT = "https://graph.microsoft.com/"
LOGIN_ROOT = "https://login.microsoftonline.com/"
ACCESS_TOKEN_VARIABLE = "CALLFIRST_MICROSOFT_ACCESS_TOKEN"
# Delegated permissions; MSAL adds openid, profile and offline_access (the refresh token) itself.
SCOPES = ["Calendars.Read", "Mail.ReadWrite"]
SCOPE_NAMES = {"Calendars.Read": "read your calendars", "Mail.ReadWrite": "save drafts in your mailbox"}
TIMEOUT = 30.0
RETRIES = 3  # 429, 503 (and other 5xx for reads): at most 3 retries
MAX_WAIT = 60.0  # a Retry-After longer than this is not waited for
REDIRECTS = 3
MAX_PAGES = 400
PAGE_SIZE = 100
# Only what detection, facts, notice, phones and slots use.
EVENT_FIELDS = (
    "id,iCalUId,subject,body,start,end,originalStartTimeZone,location,isAllDay,isCancelled,showAs,"
    "responseStatus,organizer,attendees,isOnlineMeeting,onlineMeeting,onlineMeetingUrl,type"
)
_PARTSTAT = {
    "accepted": "ACCEPTED",
    "declined": "DECLINED",
    "tentativelyAccepted": "TENTATIVE",
    "notResponded": "NEEDS-ACTION",
    "none": "NEEDS-ACTION",
}


class MicrosoftUnavailable(MicrosoftError):
    """A failure worth trying again: rate limits, server errors, no connection, no answer in time."""

    retry_after: float | None = None  # what Microsoft's Retry-After asked for, when it answered


def is_microsoft(spec: str) -> bool:
    return spec == PREFIX or spec.startswith(PREFIX + ":")


def calendar_name(spec: str, settings: MicrosoftSettings) -> str:
    """The calendar a spec names ("" for the default calendar)."""
    return spec.partition(":")[2].strip() or settings.calendar.strip()


def label(spec: str) -> str:
    """How problems and the call log name the source: as the spec names it."""
    name = spec.partition(":")[2].strip()
    return f"{PREFIX}:{name}" if name else PREFIX


def api_root(places: Places) -> str:
    root = places.microsoft_api_root or GRAPH_ROOT
    return root if root.endswith("/") else root + "/"


def login_root(places: Places) -> str:
    root = places.microsoft_login_root or LOGIN_ROOT
    return root if root.endswith("/") else root + "/"


def _again() -> str:
    return "run `callfirst auth microsoft` again"


# --- the token cache ---------------------------------------------------------------------------


def _load_cache(places: Places) -> Any:
    import msal

    cache = msal.SerializableTokenCache()
    path = places.microsoft_token
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return cache
    except (OSError, UnicodeDecodeError):
        raise MicrosoftAuthError(f"cannot be read; {_again()}", where=str(path)) from None
    try:
        if not isinstance(json.loads(text), dict):
            raise ValueError("not an object")
        cache.deserialize(text)
    except (ValueError, TypeError, AttributeError):
        raise MicrosoftAuthError(f"is not a saved Microsoft sign-in; {_again()}", where=str(path)) from None
    return cache


def _save_cache(cache: Any, places: Places) -> None:
    """Write the cache 0600 into a 0700 folder, atomically; never printed or logged."""
    if not cache.has_state_changed:
        return
    path = places.microsoft_token
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path.parent, 0o700)
    write_atomic(path, cache.serialize().encode("utf-8"), force=True, mode=0o600)
    cache.has_state_changed = False


# --- MSAL, talking to the login endpoint through httpx ------------------------------------------


class LoginHttp:
    """The HTTP client MSAL is given: requests for login.microsoftonline.com go to the login root (Microsoft's
    own unless CALLFIRST_MICROSOFT_LOGIN_ROOT is set); any other host is refused; redirects are not followed."""

    def __init__(self, places: Places) -> None:
        import httpx

        self.root = login_root(places)
        self.client = httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False)

    def _url(self, url: str) -> str:
        if url.startswith(LOGIN_ROOT):
            return self.root + url[len(LOGIN_ROOT) :]
        if url.startswith(self.root):
            return url
        raise MicrosoftAuthError(
            f"the sign-in was sent to another server ({_origin(url)}); callfirst only signs in at Microsoft"
        )

    def get(self, url: str, params: Any = None, headers: Any = None, **_: Any) -> httpx.Response:
        return self.client.get(self._url(url), params=params, headers=headers)

    def post(self, url: str, params: Any = None, data: Any = None, headers: Any = None, **_: Any) -> httpx.Response:
        if isinstance(data, str | bytes):
            return self.client.post(self._url(url), params=params, content=data, headers=headers)
        return self.client.post(self._url(url), params=params, data=data, headers=headers)

    def close(self) -> None:
        self.client.close()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def require_client_id(settings: MicrosoftSettings) -> str:
    if not settings.client_id:
        raise MicrosoftAuthError(
            "no Microsoft app: register one (see README, 'Microsoft 365 and Outlook.com') and set "
            "[microsoft] client_id in config.toml"
        )
    return settings.client_id


def _app(settings: MicrosoftSettings, cache: Any, http: LoginHttp) -> Any:
    import msal

    with _login_errors("starting the sign-in"):
        return msal.PublicClientApplication(
            require_client_id(settings),
            authority=f"{LOGIN_ROOT}{settings.tenant or 'common'}",
            token_cache=cache,
            http_client=http,
            instance_discovery=False,
        )


@contextlib.contextmanager
def _login_errors(what: str) -> Any:
    """The sign-in endpoint's failures as one line."""
    import httpx

    try:
        yield
    except MicrosoftError:
        raise
    except httpx.TimeoutException:
        raise MicrosoftUnavailable(f"Microsoft's sign-in did not answer in time while {what}") from None
    except httpx.HTTPError as exc:
        raise MicrosoftUnavailable(
            f"cannot reach Microsoft's sign-in while {what} ({short_error(exc, 100)}); check your connection"
        ) from None
    except (ValueError, KeyError, TypeError) as exc:  # MSAL's own for an authority or answer it cannot use
        raise MicrosoftAuthError(f"Microsoft's sign-in could not be used while {what} ({_clean(exc)})") from None


def _clean(value: object, limit: int = 160) -> str:
    from ..untrusted import printable

    return printable(short_error(Exception(str(value)), limit))


def sign_in(settings: MicrosoftSettings, places: Places, show: Any) -> SignIn:
    """The device-code flow: `show(text)` tells the user where to enter the code; the token is saved."""
    import msal

    from ..untrusted import printable

    try:
        cache = _load_cache(places)
    except MicrosoftAuthError:  # a damaged cache is what signing in again replaces
        cache = msal.SerializableTokenCache()
    http = LoginHttp(places)
    try:
        app = _app(settings, cache, http)
        with _login_errors("starting the sign-in"):
            flow = app.initiate_device_flow(scopes=SCOPES)
        if "user_code" not in flow:
            raise MicrosoftAuthError(f"Microsoft did not start the sign-in: {_flow_error(flow)}")
        uri = printable(str(flow.get("verification_uri") or flow.get("verification_url") or ""))
        show(
            f"To sign in, open {uri} in a browser (on any device) and enter the code "
            f"{printable(str(flow['user_code']))}. Waiting for Microsoft's answer..."
        )
        with _login_errors("waiting for the sign-in"):
            result = app.acquire_token_by_device_flow(flow)
    finally:
        http.close()
    if "access_token" not in result:
        raise MicrosoftAuthError(f"the Microsoft sign-in did not finish: {_flow_error(result)}")
    granted = tuple(str(result.get("scope") or " ".join(SCOPES)).split())
    _save_cache(cache, places)
    claims = result.get("id_token_claims") or {}
    account = printable(str(claims.get("preferred_username") or claims.get("email") or ""))
    return SignIn(account, granted, _missing(granted), places.microsoft_token)


def _missing(granted: tuple[str, ...]) -> tuple[str, ...]:
    names = {scope.rpartition("/")[2].lower() for scope in granted}
    return tuple(scope for scope in SCOPES if scope.lower() not in names)


def _flow_error(result: Json) -> str:
    """The refusal's OAuth error code and Microsoft's AADSTS number, nothing else: an endpoint may echo the
    request (the refresh token) in its description."""
    error = str(result.get("error") or "")
    code = error if re.fullmatch(r"[a-z_]{1,60}", error) else "refused"
    number = re.search(r"\bAADSTS\d{3,8}\b", str(result.get("error_description") or ""))
    return f"{code} ({number.group(0)})" if number else code


def status(places: Places) -> SignIn:
    """The saved account and its scopes, read from the cache; no request is made."""
    cache = _load_cache(places)
    if not places.microsoft_token.exists():
        raise MicrosoftAuthError("not signed in to Microsoft: run `callfirst auth microsoft` first")
    accounts = list(cache.search(cache.CredentialType.ACCOUNT))
    tokens = list(cache.search(cache.CredentialType.ACCESS_TOKEN))
    account = str(accounts[0].get("username", "")) if accounts else ""
    scopes = tuple(dict.fromkeys(s for token in tokens for s in str(token.get("target", "")).split()))
    return SignIn(_clean(account), scopes, _missing(scopes) if scopes else (), places.microsoft_token)


def revoke(places: Places) -> bool:
    """Forget the sign-in (delete the token cache). Microsoft has no revocation call for a public client's token:
    the access is removed on the account's page (see README). False when there was nothing to forget."""
    path = places.microsoft_token
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise MicrosoftAuthError(f"cannot delete ({exc.strerror or exc})", where=str(path)) from None
    return True


def _silent_token(settings: MicrosoftSettings, places: Places) -> tuple[str, str]:
    """(access token, account address) from the cache, refreshed by MSAL when it has expired."""
    if not places.microsoft_token.exists():
        raise MicrosoftAuthError("not signed in to Microsoft: run `callfirst auth microsoft` first")
    cache = _load_cache(places)
    http = LoginHttp(places)
    try:
        app = _app(settings, cache, http)
        accounts = app.get_accounts()
        if not accounts:
            raise MicrosoftAuthError(f"the saved Microsoft sign-in holds no account; {_again()}")
        with _login_errors("renewing the sign-in"):
            result = app.acquire_token_silent_with_error(SCOPES, account=accounts[0])
    finally:
        http.close()
    if not result or "access_token" not in result:
        detail = _flow_error(result) if result else "it has expired"
        raise MicrosoftAuthError(
            f"Microsoft no longer accepts the saved sign-in ({detail}): it was revoked or it expired; {_again()}"
        )
    _save_cache(cache, places)
    return str(result["access_token"]), str(accounts[0].get("username") or "")


# --- Graph -------------------------------------------------------------------------------------


class Graph:
    """An authorised Graph session; relative paths are under the API root's v1.0/."""

    def __init__(self, settings: MicrosoftSettings, places: Places) -> None:
        import httpx

        given = os.environ.get(ACCESS_TOKEN_VARIABLE, "").strip()
        self.from_environment = bool(given)
        token, self.account = (given, "") if given else _silent_token(settings, places)
        self.root = api_root(places)
        self.http = httpx.Client(
            timeout=TIMEOUT,
            follow_redirects=False,
            trust_env=False,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                # Ids that stay the same when a message moves between folders.
                "Prefer": 'IdType="ImmutableId"',
            },
        )

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def url(self, path: str) -> str:
        return path if path.startswith(("https://", "http://")) else f"{self.root}v1.0/{path.lstrip('/')}"

    def get(self, path: str, what: str, params: Json | None = None, prefer: str = "") -> Json:
        return self.request("GET", path, what, params=params, prefer=prefer)

    def request(
        self,
        method: str,
        path: str,
        what: str,
        *,
        params: Json | None = None,
        body: Json | None = None,
        prefer: str = "",
        retries: int = RETRIES,
    ) -> Json:
        """One call; 429 and 503 (and, for GET, other 5xx) retried within bounds. The answer as JSON."""
        url = self.url(path)
        self._check_origin(url, what)
        for attempt in range(retries + 1):
            response = self._send(method, url, what, params, body, prefer)
            if response.status_code in (429, 503) or (method == "GET" and response.status_code >= 500):
                wait = _retry_after(response, attempt)
                if attempt < retries and wait is not None:
                    time.sleep(wait)
                    continue
            return self._answer(response, what, retries)
        raise AssertionError("unreachable")

    def _send(
        self, method: str, url: str, what: str, params: Json | None, body: Json | None, prefer: str
    ) -> httpx.Response:
        import httpx

        headers = {"Prefer": f'IdType="ImmutableId", {prefer}'} if prefer else None
        try:
            for _ in range(REDIRECTS + 1):
                response = self.http.request(method, url, params=params, json=body, headers=headers)
                if not response.is_redirect or method != "GET":
                    return response
                url = str(response.url.join(response.headers.get("Location", "")))
                if _origin(url) != _origin(self.root):
                    raise MicrosoftError(
                        f"Microsoft redirected {what} to another server ({_clean(_origin(url), 80)}); not followed"
                    )
                params = None  # the new address carries its own query
            raise MicrosoftError(f"Microsoft redirected {what} more than {REDIRECTS} times; not followed")
        except httpx.TimeoutException:
            raise MicrosoftUnavailable(f"Microsoft did not answer in time while {what}") from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise MicrosoftUnavailable(
                f"the connection to Microsoft broke off while {what} ({short_error(exc, 80)})"
            ) from None
        except httpx.HTTPError as exc:
            raise MicrosoftUnavailable(
                f"cannot reach Microsoft while {what} ({short_error(exc, 80)}); check your connection"
            ) from None

    def _check_origin(self, url: str, what: str) -> None:
        if _origin(url) != _origin(self.root):
            raise MicrosoftError(
                f"Microsoft pointed {what} at another server ({_clean(_origin(url), 80)}); not followed"
            )

    def _answer(self, response: httpx.Response, what: str, retries: int) -> Json:
        status = response.status_code
        if 200 <= status < 300:
            if status == 204 or not response.content:
                return {}
            try:
                answer = response.json()
            except ValueError:
                raise MicrosoftError(f"Microsoft answered {what} with something that is not JSON") from None
            if not isinstance(answer, dict):
                raise MicrosoftError(f"Microsoft answered {what} with something that is not an object")
            return answer
        error = self._error(status, response, what, retries)
        error.status = status
        if isinstance(error, MicrosoftUnavailable):
            error.retry_after = _retry_after(response, 0)
        raise error

    def _error(self, status: int, response: httpx.Response, what: str, retries: int) -> MicrosoftError:
        code, message = _error_detail(response)
        if status == 401:
            if self.from_environment:
                return MicrosoftAuthError(f"Microsoft rejected {ACCESS_TOKEN_VARIABLE} while {what} (HTTP 401 {code})")
            return MicrosoftAuthError(f"Microsoft rejected the saved sign-in while {what}; {_again()}")
        if status == 403:
            return MicrosoftAuthError(
                f"the Microsoft sign-in lacks the permission for {what} (HTTP 403 {code}); {_again()} and accept "
                "every permission asked for"
            )
        if status == 429 or status >= 500:
            tries = f", even after {retries} retries" if retries else ""
            return MicrosoftUnavailable(f"Microsoft is busy (HTTP {status}) while {what}{tries}; try again in a minute")
        if status == 404:
            return MicrosoftError(f"Microsoft found nothing while {what} (HTTP 404 {code})".rstrip())
        return MicrosoftError(f"Microsoft refused {what}: HTTP {status} {code} {message}".rstrip())


def _retry_after(response: httpx.Response, attempt: int) -> float | None:
    """Seconds to wait before the next try: Retry-After (seconds or a date), else 2, 4, 8; None when it asks for
    longer than MAX_WAIT."""
    value = response.headers.get("Retry-After", "").strip()
    wait: float = 2.0**attempt * 2
    if value.isdigit():
        wait = float(value)
    elif value:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            moment = parsedate_to_datetime(value)
            if moment.tzinfo is not None:
                wait = max(0.0, (moment - datetime.now(UTC)).total_seconds())
    return wait if wait <= MAX_WAIT else None


def _error_detail(response: httpx.Response) -> tuple[str, str]:
    try:
        error = response.json().get("error", {})
    except (ValueError, AttributeError):
        return "", ""
    if not isinstance(error, dict):
        return "", ""
    return _clean(error.get("code", ""), 60), _clean(error.get("message", ""), 120)


def pages(graph: Graph, path: str, what: str, params: Json, prefer: str = "") -> tuple[list[Json], str]:
    """The items of every page (@odata.nextLink); the second value says why the listing was cut, if it was."""
    items: list[Json] = []
    seen: set[str] = set()
    answer = graph.get(path, what, params=params, prefer=prefer)
    for count in range(1, MAX_PAGES + 1):
        items.extend(item for item in _list_of(answer.get("value")) if isinstance(item, dict))
        link = answer.get("@odata.nextLink")
        if not link:
            return items, ""
        if not isinstance(link, str) or link in seen:
            return (
                items,
                f"the listing was cut: Microsoft repeated a page after {count} pages, so later events may be missing",
            )
        seen.add(link)
        if count == MAX_PAGES:
            break
        answer = graph.get(_same_server(graph, link), what, prefer=prefer)
    return items, (
        f"the listing was cut after {MAX_PAGES} pages; later events may be missing (narrow the window with --from and --to)"
    )


def _same_server(graph: Graph, link: str) -> str:
    """A next-page link on Graph's own host is read through the API root; one on any other host is refused."""
    if link.startswith(GRAPH_ROOT):
        return graph.root + link[len(GRAPH_ROOT) :]
    return link  # Graph.request refuses it unless it is on the API root's own origin


def _list_of(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# --- the calendar as a source ---------------------------------------------------------------------


class MicrosoftCalendar:
    """`microsoft` (the default calendar, or `[microsoft] calendar`) or `microsoft:NAME`."""

    def read(self, spec: str, selector: Selector, ctx: Context) -> ReadResult:
        return read_microsoft(spec, selector.window, ctx.owner_zone, ctx.config.microsoft, ctx.places)

    def busy(self, _spec: str, _window: Window, _ctx: Context, /) -> tuple[Window, ...]:
        return ()  # calendarView lists every event (out-of-office and tentative ones too): they are the busy times

    def label(self, spec: str) -> str:
        return label(spec)


SOURCE = MicrosoftCalendar()


def calendar_path(graph: Graph, name: str) -> str:
    """The calendarView path of the default calendar, or of the calendar with that name."""
    if not name:
        return "me/calendarView"
    found, _ = pages(graph, "me/calendars", "listing your Outlook calendars", {"$select": "id,name", "$top": PAGE_SIZE})
    calendars = [(str(c.get("name") or ""), str(c.get("id") or "")) for c in found if c.get("id")]
    match = next((cid for cname, cid in calendars if cname == name), None) or next(
        (cid for cname, cid in calendars if cname.casefold() == name.casefold()), None
    )
    if match is None:
        names = ", ".join(sorted(_clean(cname, 60) for cname, _ in calendars)[:20]) or "none"
        raise MicrosoftError(f"your Microsoft account has no calendar named {name!r} (it has: {names})")
    return f"me/calendars/{quote(match, safe='')}/calendarView"


def read_microsoft(
    spec: str, window: Window, profile_zone: ZoneInfo, settings: MicrosoftSettings, places: Places
) -> ReadResult:
    """Every event in the window (occurrences expanded by Graph's calendarView), page by page."""
    source = label(spec)
    with Graph(settings, places) as graph:
        path = calendar_path(graph, calendar_name(spec, settings))
        params = {
            "startDateTime": window.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "endDateTime": window.end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "$select": EVENT_FIELDS,
            "$orderby": "start/dateTime",
            "$top": PAGE_SIZE,
        }
        items, cut = pages(
            graph, path, f"reading Outlook calendar {source!r}", params, 'outlook.body-content-type="text"'
        )
        account = graph.account
    events, warnings = [], []
    for item in items:
        try:
            events.append(to_event(item, profile_zone, source, account))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            warnings.append(
                Problem(source, f"event {_clean(item.get('id', '?'), 60)} skipped: unreadable ({_clean(exc, 80)})")
            )
    errors = (Problem(source, cut),) if cut else ()
    return ReadResult(events=tuple(events), warnings=tuple(warnings), errors=errors)


def to_event(item: Json, profile_zone: ZoneInfo, source: str, account: str = "") -> Event:
    """An Event from one calendarView item; a field of the wrong type is read as absent."""
    all_day = item.get("isAllDay") is True
    zone, zone_source = _event_zone(item, profile_zone, all_day)
    start = _moment(_mapping(item.get("start")), zone, profile_zone, all_day)
    end = _moment(_mapping(item.get("end")) or _mapping(item.get("start")), zone, profile_zone, all_day)
    organizer = _mapping(_mapping(item.get("organizer")).get("emailAddress"))
    address = _text(organizer.get("address"))
    return Event(
        uid=_text(item.get("iCalUId")) or _text(item.get("id")) or "(no id)",
        summary=_text(item.get("subject")),
        start=start,
        end=max(end, start),
        timezone=zone.key,
        description=_description(item),
        location=_location(_mapping(item.get("location"))),
        organizer=Person(address, _text(organizer.get("name")) or None) if address else None,
        attendees=_attendees(item, account),
        status="CANCELLED" if item.get("isCancelled") is True else "CONFIRMED",
        all_day=all_day,
        transparent=_text(item.get("showAs")) in ("free", "workingElsewhere"),
        source=source,
        zone_source=zone_source,
    )


def _event_zone(item: Json, profile_zone: ZoneInfo, all_day: bool) -> tuple[ZoneInfo, str]:
    """The zone the organizer set the event in (Graph names Windows zones, or IANA ones); else the owner's."""
    from ..ical.zones import named_zone

    if all_day:
        return profile_zone, "all-day"
    name = _text(item.get("originalStartTimeZone"))
    if name.lower() in ("tzone://microsoft/utc", "utc"):
        return ZoneInfo("UTC"), "utc"
    zone = named_zone(name) if name and not name.lower().startswith("tzone://") else None
    return (zone, "tzid") if zone is not None else (profile_zone, "calendar")


def _moment(value: Json, zone: ZoneInfo, profile_zone: ZoneInfo, all_day: bool) -> datetime:
    """dateTime read in its timeZone (UTC unless asked otherwise), shown in `zone`; all-day as a date."""
    from ..ical.zones import named_zone

    moment = datetime.fromisoformat(str(value["dateTime"]))
    if all_day:
        return datetime.combine(date(moment.year, moment.month, moment.day), datetime.min.time(), tzinfo=profile_zone)
    given = named_zone(_text(value.get("timeZone")) or "UTC") or ZoneInfo("UTC")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=given)
    return moment.astimezone(zone)


def _description(item: Json) -> str:
    """The body as text, with the online meeting's join link and dial-in (so numbers there read as a bridge)."""
    body = _mapping(item.get("body"))
    text = _text(body.get("content"))
    if _text(body.get("contentType")).lower() == "html" or text.lstrip().lower().startswith(("<html", "<!doctype")):
        text = _plain(text)
    meeting = _mapping(item.get("onlineMeeting"))
    extra = []
    join = _text(meeting.get("joinUrl")) or _text(item.get("onlineMeetingUrl"))
    if join and join not in text:
        extra.append(f"Online meeting: {join}")
    numbers = [_text(meeting.get("tollNumber"))] + [
        _text(_mapping(p).get("number")) for p in _list_of(meeting.get("phones")) if isinstance(p, dict)
    ]
    conference = _text(meeting.get("conferenceId"))
    for number in dict.fromkeys(n for n in numbers if n and n not in text):
        extra.append(f"Dial-in: {number}" + (f" (conference ID {conference})" if conference else ""))
    return "\n".join([text, *extra]) if extra else text


def _plain(description: str) -> str:
    text = re.sub(r"(?is)<(style|script)[^>]{0,200}>.{0,20000}?</\1>", "", description)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>", "\n", text)
    text = re.sub(r"<[^>]{0,2000}>", "", text)
    return html.unescape(text)


def _location(location: Json) -> str:
    """The place's name and its postal address (a US state there tells the interviewer's zone)."""
    address = _mapping(location.get("address"))
    parts = [_text(location.get("displayName"))]
    parts += [_text(address.get(key)) for key in ("street", "city")]
    parts.append(" ".join(p for p in (_text(address.get("state")), _text(address.get("postalCode"))) if p))
    parts.append(_text(address.get("countryOrRegion")))
    seen: list[str] = []
    for part in parts:
        if part and part not in " ".join(seen):
            seen.append(part)
    return ", ".join(seen)


def _attendees(item: Json, account: str) -> tuple[Attendee, ...]:
    """The attendees; the owner (the signed-in account) marked as such, with Graph's responseStatus."""
    own = _PARTSTAT.get(_text(_mapping(item.get("responseStatus")).get("response")))
    owner = account.strip().lower()
    found, marked = [], False
    for value in _list_of(item.get("attendees")):
        if not isinstance(value, dict):
            continue
        person = _mapping(value.get("emailAddress"))
        email = _text(person.get("address"))
        is_self = bool(owner) and email.lower() == owner
        marked = marked or is_self
        partstat = own if is_self and own else _PARTSTAT.get(_text(_mapping(value.get("status")).get("response")))
        found.append(Attendee(email=email, name=_text(person.get("name")) or None, partstat=partstat, is_self=is_self))
    if not marked and own in ("DECLINED", "TENTATIVE", "ACCEPTED") and item.get("isOrganizer") is not True:
        found.append(Attendee(email=account, name=None, partstat=own, is_self=True))
    return tuple(found)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return ""
    return value if isinstance(value, str) else str(value) if isinstance(value, int | float) else ""


def _mapping(value: object) -> Json:
    return value if isinstance(value, dict) else {}
