"""Google sign-in and API sessions: the saved token, the OAuth flow, and calls with retries.

Google libraries are imported inside functions, so commands that do not use Google never load them.
`CALLFIRST_GOOGLE_API_ROOT` points Calendar (under `calendar/v3/`) and Gmail (under `gmail/v1/`)
at another server, such as a proxy or a test server.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GoogleAuthError, GoogleError, short_error
from .atomic import write_atomic
from .home import Places, SignIn

if TYPE_CHECKING:
    from google.oauth2.credentials import Credentials
    from googleapiclient.errors import HttpError

# A saved token and Google's answers: JSON objects. Google's API clients (googleapiclient) carry no types.
Json = dict[str, Any]

CALENDAR_READ = "https://www.googleapis.com/auth/calendar.readonly"
GMAIL_COMPOSE = "https://www.googleapis.com/auth/gmail.compose"
GMAIL_MODIFY = "https://www.googleapis.com/auth/gmail.modify"
SCOPE_NAMES = {
    CALENDAR_READ: "read your calendars",
    GMAIL_COMPOSE: "create Gmail drafts",
    GMAIL_MODIFY: "find the invitation's Gmail thread",
}
DEFAULT_ROOT = "https://www.googleapis.com/"
TOKEN_URL = "https://oauth2.googleapis.com/token"
# Token endpoints Google has published; a saved token naming any other is refused.
GOOGLE_TOKEN_URLS = frozenset(
    {TOKEN_URL, "https://accounts.google.com/o/oauth2/token", "https://www.googleapis.com/oauth2/v4/token"}
)
REVOKE_URL = "https://oauth2.googleapis.com/revoke"
RETRIES = 3  # 429, 403 rate limits and 5xx: at most 3 retries, about 2 + 4 + 8 seconds at worst
TIMEOUT = 30


class GoogleUnavailable(GoogleError):
    """A failure worth trying again: rate limits, server errors, no connection."""


def scopes_for(thread: bool) -> list[str]:
    return [CALENDAR_READ, GMAIL_COMPOSE] + ([GMAIL_MODIFY] if thread else [])


def api_root(places: Places) -> str:
    root = places.google_api_root or DEFAULT_ROOT
    return root if root.endswith("/") else root + "/"


def _again(scopes_wanted: str = "") -> str:
    return f"run `callfirst auth google{scopes_wanted}` again"


# --- the saved token --------------------------------------------------------------------


def read_token(places: Places) -> Json:
    path = places.google_token
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoogleAuthError("not signed in to Google: run `callfirst auth google` first") from None
    except (OSError, ValueError, RecursionError):  # UnicodeDecodeError, JSON, a number of 5,000 digits, deep nesting
        raise GoogleAuthError(f"is not a saved Google sign-in; {_again()}", where=str(path)) from None
    if not isinstance(info, dict) or (not info.get("refresh_token") and not info.get("token")):
        raise GoogleAuthError(f"holds no Google token; {_again()}", where=str(path))
    return info


def save_token(info: Json, places: Places) -> None:
    """Write the token 0600 into a 0700 folder, atomically; never printed or logged.

    The token endpoint saved is always Google's: an override (CALLFIRST_GOOGLE_API_ROOT) is never persisted.
    """
    path = places.google_token
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path.parent, 0o700)
    storable = {**info, "token_uri": TOKEN_URL}
    write_atomic(path, json.dumps(storable, indent=1).encode(), force=True, mode=0o600)


def _credentials(info: Json, places: Places) -> Credentials:
    """Credentials from the saved token; CALLFIRST_GOOGLE_API_ROOT also moves the token endpoint."""
    from datetime import datetime

    from google.oauth2.credentials import Credentials

    try:
        expiry = info.get("expiry")
        return Credentials(  # type: ignore[no-untyped-call]
            token=info.get("token"),
            refresh_token=info.get("refresh_token"),
            token_uri=token_uri(info, places),
            client_id=info.get("client_id"),
            client_secret=info.get("client_secret"),
            scopes=list(granted_scopes(info)),
            account=_saved_text(info, "account"),
            expiry=datetime.fromisoformat(expiry.rstrip("Z")) if isinstance(expiry, str) and expiry else None,
        )
    except (ValueError, TypeError) as exc:
        raise GoogleAuthError(
            f"the saved Google sign-in is incomplete ({exc}); {_again()}", where=str(places.google_token)
        ) from None


def token_uri(info: Json, places: Places) -> str:
    """Where a refresh sends the token: the override when set now, else the saved endpoint if it is Google's."""
    if places.google_api_root:
        return api_root(places) + "token"
    saved = info.get("token_uri") or TOKEN_URL
    if not isinstance(saved, str) or saved not in GOOGLE_TOKEN_URLS:
        raise GoogleAuthError(
            f"names a token endpoint that is not Google's ({str(saved)[:80]!r}); callfirst will not send "
            f"your sign-in there; {_again()}",
            where=str(places.google_token),
        )
    return saved


def granted_scopes(info: Json) -> tuple[str, ...]:
    """The saved scopes: a list of strings, or one space-separated string as OAuth writes them."""
    scopes = info.get("scopes")
    if isinstance(scopes, str):
        return tuple(scopes.split())
    if isinstance(scopes, list):
        return tuple(scope for scope in scopes if isinstance(scope, str))
    return ()


def _saved_text(info: Json, key: str) -> str:
    value = info.get(key)
    return value if isinstance(value, str) else ""


def require_scopes(info: Json, needed: list[str]) -> None:
    granted = set(granted_scopes(info))
    missing = [scope for scope in needed if scope not in granted]
    if missing:
        what = " and ".join(SCOPE_NAMES.get(s, s) for s in missing)
        flag = " --thread" if GMAIL_MODIFY in missing else ""
        raise GoogleAuthError(
            f"the saved Google sign-in does not allow callfirst to {what}: {_again(flag)} "
            "and tick every box Google offers"
        )


# --- sessions ---------------------------------------------------------------------------


class Session:
    """Authorised Calendar and Gmail clients sharing one token; a refreshed token is saved on close."""

    def __init__(self, needed: list[str], places: Places, info: Json | None = None) -> None:
        self.places = places
        self.info = info if info is not None else read_token(places)
        require_scopes(self.info, needed)
        self.credentials = _credentials(self.info, places)
        self._token = self.credentials.token
        self._http: Any = None

    @property
    def account(self) -> str:
        return _saved_text(self.info, "account")

    def _authorized_http(self) -> Any:
        if self._http is None:
            from google_auth_httplib2 import AuthorizedHttp

            from .transport import SendOnceHttp

            origins = (api_root(self.places), self.credentials.token_uri)
            self._http = AuthorizedHttp(self.credentials, http=SendOnceHttp(origins, timeout=TIMEOUT))
        return self._http

    def calendar(self) -> Any:
        return self._service("calendar", "v3", api_root(self.places) + "calendar/v3/")

    def gmail(self) -> Any:
        return self._service("gmail", "v1", api_root(self.places))

    def _service(self, name: str, version: str, endpoint: str) -> Any:
        import logging

        from googleapiclient.discovery import build

        # googleapiclient logs each retry at WARNING; callfirst reports failures itself.
        logging.getLogger("googleapiclient.http").setLevel(logging.ERROR)
        return build(
            name,
            version,
            http=self._authorized_http(),
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": endpoint},
        )

    def close(self) -> None:
        if self.credentials.token and self.credentials.token != self._token:
            refreshed = json.loads(self.credentials.to_json())  # type: ignore[no-untyped-call]
            save_token({**self.info, **refreshed, "scopes": self.info.get("scopes")}, self.places)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def call(request: Any, what: str, retries: int = RETRIES) -> Any:
    """Execute one API request; Google's own retry covers 429, 403 rate limits and 5xx, with backoff."""
    from google.auth.exceptions import RefreshError, TransportError
    from googleapiclient.errors import HttpError

    try:
        return request.execute(num_retries=retries)
    except HttpError as exc:
        raise http_error(exc, what) from None
    except RefreshError as exc:
        raise GoogleAuthError(stale_token_message(exc)) from None
    except Exception as exc:
        if isinstance(exc, TransportError | OSError) or type(exc).__module__.startswith("httplib2"):
            raise GoogleUnavailable(
                f"cannot reach Google while {what} ({short_error(exc)}); check your connection"
            ) from None
        raise


def stale_token_message(exc: Exception) -> str:
    code = oauth_error_code(exc)
    return (
        f"Google no longer accepts the saved sign-in{f' ({code})' if code else ''}. It was revoked, or it expired: "
        'an OAuth app left in "Testing" loses its refresh token after 7 days. Run `callfirst auth google` again.'
    )


_OAUTH_ERROR = re.compile(r"[a-z][a-z_]{0,39}")


def oauth_error_code(exc: Exception) -> str:
    """The OAuth error code of a token endpoint's refusal ('invalid_grant'), and nothing else it said: the
    request carried the refresh token and the client secret, and an endpoint may echo it back."""
    answer = exc.args[1] if len(exc.args) > 1 else None  # google-auth's RefreshError: (text, answer)
    code = answer.get("error") if isinstance(answer, dict) else getattr(exc, "error", None)  # or oauthlib's
    return code if isinstance(code, str) and _OAUTH_ERROR.fullmatch(code) else ""


def http_error(exc: HttpError, what: str) -> GoogleError:
    status = int(getattr(exc.resp, "status", 0) or 0)
    error = _classified(status, exc, what)
    error.status = status
    return error


def _classified(status: int, exc: HttpError, what: str) -> GoogleError:
    reason, message = _error_reason(exc)
    if status == 401:
        return GoogleAuthError(f"Google rejected the saved sign-in while {what}; {_again()}")
    if status == 403 and reason in ("insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"):
        return GoogleAuthError(f"the saved Google sign-in lacks the permission for {what}: {_again()} to grant it")
    if status == 429 or status >= 500 or reason in ("rateLimitExceeded", "userRateLimitExceeded"):
        return GoogleUnavailable(
            f"Google is busy (HTTP {status}) while {what}, even after {RETRIES} retries; try again in a minute"
        )
    if status == 404:
        return GoogleError(f"Google found nothing while {what} (HTTP 404): check the calendar ID or draft")
    return GoogleError(f"Google refused {what}: HTTP {status} {message or reason}".rstrip())


def _error_reason(exc: HttpError) -> tuple[str, str]:
    try:
        error = json.loads(exc.content.decode("utf-8", "replace")).get("error", {})
    except (ValueError, AttributeError):
        return "", ""
    if not isinstance(error, dict):
        return str(error), ""
    reasons = [e.get("reason", "") for e in error.get("errors", []) if isinstance(e, dict)]
    reasons += [d.get("reason", "") for d in error.get("details", []) if isinstance(d, dict)]
    reason = next((r for r in reasons if r), error.get("status", ""))
    return reason, short_error(Exception(error.get("message", "")))


# --- sign-in: `callfirst auth google` ----------------------------------------------------


def client_secret_file(given: str | None, configured: str, places: Places) -> Path:
    for candidate in (given, configured):
        if candidate:
            path = Path(candidate).expanduser()
            if not path.is_file():
                raise GoogleAuthError("no such OAuth client file", where=str(path))
            return path
    default = places.client_secret
    if default.is_file():
        return default
    raise GoogleAuthError(
        "no OAuth client: create a Desktop OAuth client (see README, 'Google'), download its JSON, "
        "and pass --client-secret FILE or set [google] client_secret"
    )


def sign_in(secret: Path, places: Places, *, thread: bool, open_browser: bool, port: int = 0) -> SignIn:
    """Run the installed-app flow on a loopback port and save the token."""
    import warnings

    from google_auth_oauthlib.flow import InstalledAppFlow

    wanted = scopes_for(thread)
    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(secret), scopes=wanted)
    except Exception as exc:  # noqa: BLE001 - the library raises several types for a malformed file
        raise GoogleAuthError(f"is not a Desktop OAuth client file ({short_error(exc)})", where=str(secret)) from None
    port = port or _free_port()
    prompt = (
        "Open this address in a browser to let callfirst read your calendar and write drafts:\n\n{url}\n\n"
        f"On a remote machine, forward the port first from your own computer:\n"
        f"  ssh -L {port}:localhost:{port} YOU@THIS-MACHINE\n"
        "then open the address there. Waiting for Google's answer..."
    )
    # The user may untick a permission; oauthlib then raises unless told to relax. Checked below instead.
    relax = os.environ.get("OAUTHLIB_RELAX_TOKEN_SCOPE")
    os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = "1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            credentials = flow.run_local_server(
                host="localhost",
                port=port,
                open_browser=open_browser,
                timeout_seconds=600,
                authorization_prompt_message=prompt if not open_browser else "Opening your browser...\n" + prompt,
                success_message="callfirst is signed in. You can close this tab.",
            )
        except GoogleError:
            raise
        except Exception as exc:  # noqa: BLE001 - oauthlib and the flow raise many types; one line for the user
            raise GoogleAuthError(f"Google sign-in did not finish: {_sign_in_failure(exc)}") from None
        finally:
            if relax is None:
                os.environ.pop("OAUTHLIB_RELAX_TOKEN_SCOPE", None)
            else:
                os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = relax
    granted = tuple(credentials.granted_scopes or wanted)
    info = json.loads(credentials.to_json())
    info["scopes"] = list(granted)
    info["account"] = _account_of(info, places)
    save_token(info, places)
    return SignIn(
        account=info["account"],
        scopes=granted,
        missing=tuple(s for s in wanted if s not in granted),
        path=places.google_token,
    )


def _sign_in_failure(exc: Exception) -> str:
    """Why the sign-in failed; of a token endpoint's refusal only its error code (see oauth_error_code)."""
    if type(exc).__module__.startswith("oauthlib."):  # OAuth2Error: what the token endpoint answered
        return f"Google refused the sign-in ({oauth_error_code(exc) or 'no reason given'})"
    return short_error(exc)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        port: int = probe.getsockname()[1]
        return port


def _account_of(info: Json, places: Places) -> str:
    """The signed-in address, from the primary calendar (or Gmail's profile)."""
    session = Session([], places, info)
    try:
        if CALENDAR_READ in granted_scopes(info):
            request = session.calendar().calendars().get(calendarId="primary", fields="id")
            return str(call(request, "finding your account", retries=1).get("id", ""))
        profile = session.gmail().users().getProfile(userId="me")
        return str(call(profile, "finding your account", retries=1).get("emailAddress", ""))
    except GoogleError:
        return ""


def status(places: Places) -> SignIn:
    info = read_token(places)
    return SignIn(
        account=_saved_text(info, "account"), scopes=granted_scopes(info), missing=(), path=places.google_token
    )


def revoke(places: Places) -> tuple[bool, str]:
    """Delete the saved token, even one that cannot be read; ask Google to revoke it too.
    Returns (revoked at Google, why not)."""
    path = places.google_token
    try:
        info = read_token(places)
    except GoogleAuthError:
        if not path.exists():
            raise
        info = {}
    try:
        path.unlink()
    except OSError as exc:
        raise GoogleAuthError(f"cannot delete ({exc.strerror or exc})", where=str(path)) from None
    token = _saved_text(info, "refresh_token") or _saved_text(info, "token")
    if not token:
        return False, "the saved sign-in could not be read, so Google was not asked to revoke it"
    url = api_root(places) + "revoke" if places.google_api_root else REVOKE_URL
    try:
        from urllib.parse import urlencode

        from .transport import SendOnceHttp

        response, _ = SendOnceHttp((url,), timeout=10).request(
            url, "POST", body=urlencode({"token": token}), headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
    except GoogleError as exc:  # sent elsewhere: refused
        return False, exc.message
    except Exception as exc:  # noqa: BLE001 - offline: the local token is gone either way
        return False, f"Google could not be reached ({short_error(exc)})"
    if response.status == 200:
        return True, ""
    return False, f"Google answered HTTP {response.status} (the token may already be invalid)"
