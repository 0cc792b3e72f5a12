"""A small Microsoft on 127.0.0.1: Graph v1.0 (calendars, calendarView, messages, drafts) and the identity
platform's sign-in endpoints (OpenID configuration, device code, token), on the real REST paths.

Graph pages carry absolute @odata.nextLink addresses on the fake's own origin, as Graph's are on its own.
Faults are queued with `fail(method, path_prefix, status, times=1, **headers)`: status "lost" does the work,
then drops the connection without an answer; "slow" waits `seconds` first; "garbage" answers 200 with a body
that is not JSON. Every request is recorded.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from .local_server import LocalServer

CLIENT_ID = "0b8a6d2e-1234-4c5d-8e9f-0a1b2c3d4e5f"
TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad"
LOGIN = "https://login.microsoftonline.com"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    body: bytes
    authorization: str
    prefer: str


@dataclass
class Fault:
    method: str
    prefix: str
    status: int | str
    headers: dict
    seconds: float = 0.0


@dataclass
class FakeMicrosoft:
    account: str = "alex.morgan@contoso.example"
    events: dict = field(default_factory=dict)  # calendar id ("default" for the default one) -> list of events
    calendars: dict = field(default_factory=lambda: {"AAMkDefault": "Calendar"})  # id -> name
    messages: dict = field(default_factory=dict)  # id -> message resource (inbox and drafts)
    page_size: int = 2
    next_link_root: str = ""  # where @odata.nextLink points ("": this server)
    pending_polls: int = 1  # device-code polls answered "authorization_pending" first
    granted_scope: str = "Calendars.Read Mail.ReadWrite openid profile offline_access"
    expires_in: int = 3600
    refresh_fails: bool = False
    echo_refusals: bool = False  # a refusal's error_description repeats the request, secrets and all
    requests: list = field(default_factory=list)
    faults: list = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def start(self) -> FakeMicrosoft:
        fake = self

        class Handler(_Handler):
            microsoft = fake

        self.local = LocalServer(Handler)
        self.server = self.local.server
        return self

    def stop(self) -> None:
        self.local.stop()

    @property
    def url(self) -> str:
        return self.local.url

    def fail(self, method: str, prefix: str, status, times: int = 1, seconds: float = 0.0, **headers) -> None:
        for _ in range(times):
            self.faults.append(
                Fault(method, prefix, status, {k.replace("_", "-"): v for k, v in headers.items()}, seconds)
            )

    def calls(self, method: str, prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    def next_id(self, kind: str) -> str:
        return f"AAMk{kind}{next(self._ids)}"

    def drafts(self) -> list[dict]:
        return [m for m in self.messages.values() if m.get("isDraft")]


def event(
    event_id: str,
    subject: str,
    start: str,
    end: str,
    zone: str = "Eastern Standard Time",
    **extra,
) -> dict:
    """A calendarView item as Graph gives it without a Prefer time zone: times in UTC, the organizer's zone in
    originalStartTimeZone (a Windows name)."""
    return {
        "id": event_id,
        "iCalUId": f"040000008200E00074C5B7101A82E008{event_id}",
        "subject": subject,
        "start": {"dateTime": _utc(start), "timeZone": "UTC"},
        "end": {"dateTime": _utc(end), "timeZone": "UTC"},
        "originalStartTimeZone": zone,
        "originalEndTimeZone": zone,
        "isAllDay": False,
        "isCancelled": False,
        "showAs": "busy",
        "type": "singleInstance",
        "body": {"contentType": "html", "content": ""},
        **extra,
    }


def _utc(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone(UTC).replace(tzinfo=None).isoformat() + ".0000000"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


class _Handler(BaseHTTPRequestHandler):
    microsoft: FakeMicrosoft
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def do_PATCH(self):
        self._serve("PATCH")

    def do_DELETE(self):
        self._serve("DELETE")

    # --- plumbing ---

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, query = unquote(parts.path), parse_qs(parts.query)
        fake = self.microsoft
        fake.requests.append(
            Recorded(method, path, query, body, self.headers.get("Authorization", ""), self.headers.get("Prefer", ""))
        )
        fault = next((f for f in fake.faults if f.method == method and path.startswith(f.prefix)), None)
        if fault is not None:
            fake.faults.remove(fault)
            if fault.status == "slow":
                threading.Event().wait(fault.seconds)  # not time.sleep, which tests may record instead
                fault = None
            elif fault.status == "garbage":
                return self._raw(200, b"<html>Service temporarily unavailable</html>", "text/html")
            elif fault.status != "lost":
                error = {
                    "error": {
                        "code": "TooManyRequests" if fault.status == 429 else "ServiceUnavailable",
                        "message": "Try later",
                    }
                }
                return self._json(error, int(fault.status), fault.headers)
        status, answer, headers = self._route(method, path, query, body)
        if fault is not None:  # "lost": the work is done, the answer never arrives
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        return self._json(answer, status, headers)

    def _json(self, data, status: int = 200, headers: dict | None = None) -> None:
        payload = json.dumps(data).encode() if data is not None else b""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _raw(self, status: int, payload: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _route(self, method, path, query, body):
        segments = path.strip("/").split("/")
        if len(segments) >= 2 and segments[1] in ("v2.0", "oauth2"):
            return self._login(method, segments, body)
        if segments[:2] == ["v1.0", "me"]:
            if self.headers.get("Authorization", "") in ("", "Bearer "):
                return 401, {"error": {"code": "InvalidAuthenticationToken", "message": "Access token is empty."}}, {}
            return self._graph(method, segments[2:], query, body)
        return 404, {"error": {"code": "NotFound", "message": f"no route {path}"}}, {}

    # --- the sign-in endpoints ---

    def _login(self, method, segments, body):
        tenant = segments[0]
        if segments[1:] == ["v2.0", ".well-known", "openid-configuration"]:
            base = f"{LOGIN}/{tenant}/oauth2/v2.0"
            return (
                200,
                {
                    "authorization_endpoint": f"{base}/authorize",
                    "token_endpoint": f"{base}/token",
                    "device_authorization_endpoint": f"{base}/devicecode",
                    "issuer": f"{LOGIN}/{{tenantid}}/v2.0",
                    "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                },
                {},
            )
        form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        if segments[1:] == ["oauth2", "v2.0", "devicecode"] and method == "POST":
            if form.get("client_id") != CLIENT_ID:
                return (
                    400,
                    {"error": "unauthorized_client", "error_description": "AADSTS700016: Application not found."},
                    {},
                )
            return (
                200,
                {
                    "user_code": "FAKE-CODE",
                    "device_code": "device-1",
                    "verification_uri": "https://microsoft.com/devicelogin",
                    "expires_in": 900,
                    "interval": 1,
                    "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FAKE-CODE.",
                },
                {},
            )
        if segments[1:] == ["oauth2", "v2.0", "token"] and method == "POST":
            return self._token(form)
        return 404, {"error": "not_found"}, {}

    def _token(self, form):
        fake = self.microsoft
        grant = form.get("grant_type", "")
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            if form.get("device_code") != "device-1":
                return 400, {"error": "invalid_grant", "error_description": "AADSTS70000: bad device code"}, {}
            if fake.pending_polls > 0:
                fake.pending_polls -= 1
                return 400, {"error": "authorization_pending", "error_description": "AADSTS70016: pending"}, {}
            return 200, self._tokens("access-1", "refresh-1"), {}
        if grant == "refresh_token":
            if fake.refresh_fails or form.get("refresh_token") != "refresh-1":
                said = (
                    f"request was {form}" if fake.echo_refusals else "The refresh token has expired due to inactivity."
                )
                return 400, {"error": "invalid_grant", "error_description": f"AADSTS700082: {said}"}, {}
            return 200, self._tokens("access-refreshed", "refresh-1"), {}
        return 400, {"error": "unsupported_grant_type"}, {}

    def _tokens(self, access: str, refresh: str) -> dict:
        fake = self.microsoft
        now = int(time.time())
        claims = {
            "aud": CLIENT_ID,
            "iss": f"{LOGIN}/{TENANT_ID}/v2.0",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "name": "Alex Morgan",
            "oid": "00000000-0000-0000-66f3-3332eca7ea81",
            "preferred_username": fake.account,
            "sub": "subject-1",
            "tid": TENANT_ID,
            "ver": "2.0",
        }
        id_token = ".".join([_b64({"alg": "none", "typ": "JWT"}), _b64(claims), ""])
        return {
            "token_type": "Bearer",
            "scope": fake.granted_scope,
            "expires_in": fake.expires_in,
            "ext_expires_in": fake.expires_in,
            "access_token": access,
            "refresh_token": refresh,
            "id_token": id_token,
            "client_info": _b64({"uid": "00000000-0000-0000-66f3-3332eca7ea81", "utid": TENANT_ID}),
        }

    # --- Graph ---

    def _graph(self, method, segments, query, body):
        fake = self.microsoft
        if method == "GET" and segments == ["calendarView"]:
            return self._calendar_view("default", query)
        if method == "GET" and segments == ["calendars"]:
            items = [{"id": cid, "name": name} for cid, name in fake.calendars.items()]
            return self._page(items, query, "me/calendars")
        if method == "GET" and len(segments) == 3 and segments[0] == "calendars" and segments[2] == "calendarView":
            if segments[1] not in fake.calendars:
                return (
                    404,
                    {
                        "error": {
                            "code": "ErrorItemNotFound",
                            "message": "The specified object was not found in the store.",
                        }
                    },
                    {},
                )
            return self._calendar_view(segments[1], query)
        if segments[:1] == ["messages"]:
            return self._messages(method, segments[1:], query, body)
        if segments[:3] == ["mailFolders", "drafts", "messages"]:
            if method == "POST":
                return 201, self._new_draft(json.loads(body), None), {}
            if method == "GET":
                drafts = [m for m in fake.messages.values() if m.get("isDraft")]
                return self._filtered(drafts, query)
        return 404, {"error": {"code": "ResourceNotFound", "message": "Resource not found for the segment."}}, {}

    def _calendar_view(self, calendar: str, query):
        fake = self.microsoft
        start = datetime.fromisoformat(query["startDateTime"][0].replace("Z", "+00:00"))
        end = datetime.fromisoformat(query["endDateTime"][0].replace("Z", "+00:00"))
        items = [
            e
            for e in fake.events.get(calendar, [])
            if (_moment(e["start"]) < end and _moment(e["end"]) > start)
            or (_moment(e["start"]) >= start and _moment(e["start"]) < end)
        ]
        path = "me/calendarView" if calendar == "default" else f"me/calendars/{calendar}/calendarView"
        return self._page(items, query, path)

    def _page(self, items, query, path):
        fake = self.microsoft
        skip = int(query.get("$skiptoken", ["0"])[0])
        page = {"value": items[skip : skip + fake.page_size]}
        if skip + fake.page_size < len(items):
            kept = {k: v[0] for k, v in query.items() if k != "$skiptoken"}
            kept["$skiptoken"] = str(skip + fake.page_size)
            page["@odata.nextLink"] = f"{fake.next_link_root or fake.url}v1.0/{path}?{urlencode(kept, quote_via=quote)}"
        return 200, page, {}

    def _filtered(self, messages, query):
        wanted = query.get("$filter", [""])[0]
        match = re.fullmatch(r"(internetMessageId|from/emailAddress/address) eq '((?:[^']|'')*)'", wanted)
        if wanted and not match:
            return (
                400,
                {
                    "error": {
                        "code": "ErrorInvalidUrlQueryFilter",
                        "message": "The query filter contains one or more invalid nodes.",
                    }
                },
                {},
            )
        if match:
            field_name, value = match.group(1), match.group(2).replace("''", "'")
            if field_name == "internetMessageId":
                messages = [m for m in messages if m.get("internetMessageId") == value]
            else:
                messages = [
                    m
                    for m in messages
                    if m.get("from", {}).get("emailAddress", {}).get("address", "").lower() == value.lower()
                ]
        limit = int(query.get("$top", ["10"])[0])
        return 200, {"value": [_public(m) for m in messages[:limit]]}, {}

    def _messages(self, method, segments, query, body):
        fake = self.microsoft
        if not segments:
            if method == "GET":
                return self._filtered(list(fake.messages.values()), query)
            if method == "POST":
                return 201, self._new_draft(json.loads(body), None), {}
        message_id = segments[0]
        found = fake.messages.get(message_id)
        if found is None:
            return (
                404,
                {"error": {"code": "ErrorItemNotFound", "message": "The specified object was not found in the store."}},
                {},
            )
        if segments[1:] == ["createReply"] and method == "POST":
            request = json.loads(body) if body else {}
            reply = self._new_draft(request.get("message") or {}, found)
            return 201, reply, {}
        if segments[1:] == ["send"]:
            return 202, None, {}
        if segments[1:]:
            return 404, {"error": {"code": "ResourceNotFound", "message": "no such segment"}}, {}
        if method == "GET":
            answer = _public(found)
            if "microsoft.graph.eventMessage/event" in query.get("$expand", [""])[0] and found.get("event"):
                answer["event"] = {"id": found["event"]["id"], "iCalUId": found["event"]["iCalUId"]}
            return 200, answer, {}
        if method == "PATCH":
            if not found.get("isDraft"):
                return 400, {"error": {"code": "ErrorInvalidRequest", "message": "Only drafts can be changed."}}, {}
            found.update(json.loads(body))
            return 200, _public(found), {}
        if method == "DELETE":
            del fake.messages[message_id]
            return 204, None, {}
        return 405, {"error": {"code": "MethodNotAllowed", "message": "no"}}, {}

    def _new_draft(self, fields: dict, original: dict | None) -> dict:
        fake = self.microsoft
        draft_id = fake.next_id("Draft")
        draft = {
            "id": draft_id,
            "isDraft": True,
            "subject": f"RE: {original['subject']}" if original else "",
            "body": {"contentType": "html", "content": "<html>quoted original</html>" if original else ""},
            "toRecipients": [{"emailAddress": original["from"]["emailAddress"]}] if original else [],
            "internetMessageId": f"<{draft_id}@contoso.example.prod.outlook.com>",
            "conversationId": original["conversationId"] if original else fake.next_id("Conversation"),
            "replyTo_original": original["id"] if original else None,
            "webLink": f"https://outlook.office365.com/owa/?ItemID={quote(draft_id)}&exvsurl=1&viewmodel=ReadMessageItem",
        }
        draft.update(fields)
        fake.messages[draft_id] = draft
        return _public(draft)


def _public(message: dict) -> dict:
    return {k: v for k, v in message.items() if k not in ("event", "replyTo_original")}


def _moment(value: dict) -> datetime:
    return datetime.fromisoformat(value["dateTime"]).replace(tzinfo=UTC)


def invitation(
    message_id: str, internet_message_id: str, organizer: str, subject: str, event_item: dict | None = None
) -> dict:
    """A received meeting request, as Graph lists it (an eventMessage when it carries the event)."""
    return {
        "id": message_id,
        "isDraft": False,
        "subject": subject,
        "internetMessageId": internet_message_id,
        "conversationId": f"conversation-{message_id}",
        "from": {"emailAddress": {"address": organizer, "name": "Priya Raman"}},
        "event": event_item,
    }
