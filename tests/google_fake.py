"""A small Google on 127.0.0.1: Calendar v3, Gmail v1 and an OAuth token endpoint, on the real REST paths.

It serves event pages, answers freeBusy, keeps drafts, and records every request. Faults are queued
with `fail(method, path_prefix, status, reason)`; status "lost" does the work, then drops the
connection without an answer; status "slow" waits `reason` seconds, then does the work and answers;
status "redirect" answers 302 (308 for a POST) to the address `reason`.
Gmail search understands the operators callfirst could meet: from:, subject:, rfc822msgid:, quoted
phrases, words, and OR (which binds tighter than the implicit AND, as in Gmail).
"""

from __future__ import annotations

import base64
import email
import email.policy
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit

from .draft_headers import header_problems
from .local_server import LocalServer

SCOPES = "https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/gmail.compose"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    body: bytes
    authorization: str


@dataclass
class FakeGoogle:
    account: str = "alex.morgan@example.com"
    calendar_zone: str = "America/Chicago"
    events: dict = field(default_factory=dict)  # calendar id -> list of event resources
    busy: dict = field(default_factory=dict)  # calendar id -> list of {"start", "end"}
    messages: list = field(default_factory=list)  # Gmail messages for thread lookup
    drafts: dict = field(default_factory=dict)  # draft id -> {"raw", "threadId", "message_id"}
    page_size: int = 2
    next_page: dict = field(default_factory=dict)  # page token -> the next one to answer, e.g. a loop A -> B -> A
    granted_scope: str = SCOPES
    refresh_fails: bool = False
    token_echo: str = ""  # "text" or "json": the token endpoint refuses, echoing the request it got
    raw_padding: bool = True  # format=raw with its trailing '=' (base64url allows either)
    requests: list = field(default_factory=list)
    header_problems: list = field(default_factory=list)  # what is wrong with the drafts uploaded
    faults: list = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def start(self) -> FakeGoogle:
        fake = self

        class Handler(_Handler):
            google = fake

        self.local = LocalServer(Handler)
        self.server = self.local.server
        return self

    def stop(self) -> None:
        self.local.stop()

    @property
    def url(self) -> str:
        return self.local.url

    def fail(self, method: str, prefix: str, status, reason: str = "backendError", times: int = 1) -> None:
        for _ in range(times):
            self.faults.append((method, prefix, status, reason))

    def calls(self, method: str, prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    def next_id(self, kind: str) -> str:
        return f"{kind}{next(self._ids)}"


class _Handler(BaseHTTPRequestHandler):
    google: FakeGoogle
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def do_PUT(self):
        self._serve("PUT")

    def do_DELETE(self):
        self._serve("DELETE")

    # --- plumbing ---

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, query = unquote(parts.path), parse_qs(parts.query)
        record = Recorded(method, path, query, body, self.headers.get("Authorization", ""))
        self.google.requests.append(record)
        if path == "/token" and self.google.token_echo:
            return self._echo(body)
        fault = self._fault(method, path)
        if fault is not None and fault[2] == "redirect":  # the reason is where to; a POST keeps its method
            self.send_response(302 if method == "GET" else 308)
            self.send_header("Location", fault[3])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if fault is not None and fault[2] == "slow":
            threading.Event().wait(fault[3])  # not time.sleep, which tests may record instead of sleeping
            fault = None
        if fault is not None and fault[2] != "lost":
            status, reason = fault[2], fault[3]
            return self._json(
                {
                    "error": {
                        "code": status,
                        "message": reason,
                        "status": reason,
                        "errors": [{"reason": reason, "message": reason}],
                    }
                },
                status,
            )
        status, answer = self._route(method, path, query, body)
        if fault is not None:  # "lost": the work is done, the answer never arrives
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        return self._json(answer, status)

    def _fault(self, method: str, path: str):
        for index, fault in enumerate(self.google.faults):
            if fault[0] == method and path.startswith(fault[1]):
                return self.google.faults.pop(index)
        return None

    def _echo(self, body: bytes) -> None:
        """A token endpoint that says back what it was sent: the refresh token and the client secret."""
        if self.google.token_echo == "json":
            body = json.dumps({"error": "invalid_grant", "error_description": f"bad request: {body.decode()}"}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json" if self.google.token_echo == "json" else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, data, status: int = 200) -> None:
        payload = json.dumps(data).encode() if data is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _route(self, method, path, query, body):
        segments = path.strip("/").split("/")
        if path == "/token":
            return self._token(parse_qs(body.decode()))
        if path == "/revoke":
            return 200, {}
        if segments[:2] == ["calendar", "v3"]:
            return self._calendar(method, segments[2:], query, body)
        if segments[:4] == ["gmail", "v1", "users", "me"]:
            return self._gmail(method, segments[4:], query, body)
        return 404, {"error": {"code": 404, "message": f"no route {path}"}}

    def _token(self, form):
        g = self.google
        grant = form.get("grant_type", [""])[0]
        if grant == "authorization_code":
            if form.get("code", [""])[0] != "good-code":
                return 400, {"error": "invalid_grant", "error_description": "Bad code."}
            return 200, {
                "access_token": "access-1",
                "refresh_token": "refresh-1",
                "expires_in": 3600,
                "scope": g.granted_scope,
                "token_type": "Bearer",
            }
        if grant == "refresh_token":
            if g.refresh_fails:
                return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
            return 200, {
                "access_token": "access-refreshed",
                "expires_in": 3600,
                "scope": g.granted_scope,
                "token_type": "Bearer",
            }
        return 400, {"error": "unsupported_grant_type"}

    def _calendar(self, method, segments, query, body):
        g = self.google
        if method == "POST" and segments == ["freeBusy"]:
            request = json.loads(body)
            calendars = {item["id"]: {"busy": g.busy.get(item["id"], [])} for item in request["items"]}
            return 200, {"kind": "calendar#freeBusy", "calendars": calendars}
        if method == "GET" and len(segments) == 2 and segments[0] == "calendars":
            return 200, {"id": g.account if segments[1] == "primary" else segments[1], "timeZone": g.calendar_zone}
        if method == "GET" and len(segments) == 3 and segments[2] == "events":
            calendar = segments[1]
            if calendar not in g.events:
                return 404, {"error": {"code": 404, "message": "Not Found", "errors": [{"reason": "notFound"}]}}
            items = g.events[calendar]
            if g.next_page:
                token = query.get("pageToken", [""])[0]
                page = {"timeZone": g.calendar_zone, "items": items if not token else []}
                return 200, {**page, "nextPageToken": g.next_page[token]} if token in g.next_page else page
            start = int(query.get("pageToken", ["0"])[0])
            page = {"timeZone": g.calendar_zone, "items": items[start : start + g.page_size]}
            if start + g.page_size < len(items):
                page["nextPageToken"] = str(start + g.page_size)
            return 200, page
        return 404, {"error": {"code": 404, "message": "no such calendar route"}}

    def _gmail(self, method, segments, query, body):
        g = self.google
        if segments == ["profile"]:
            return 200, {"emailAddress": g.account}
        if segments[0] == "drafts":
            return self._drafts(method, segments[1:], query, body)
        if segments[0] == "messages" and method == "GET":
            if len(segments) == 1:
                wanted = query.get("q", [""])[0]
                limit = int(query.get("maxResults", ["100"])[0])
                hits = [m for m in g.messages if _matches(m, wanted)]
                return 200, {"messages": [{"id": m["id"], "threadId": m["threadId"]} for m in hits][:limit]}
            found = next((m for m in g.messages if m["id"] == segments[1]), None)
            if found is None:
                return 404, {"error": {"code": 404, "message": "Not Found"}}
            answer = {"id": found["id"], "threadId": found["threadId"]}
            if query.get("format", [""])[0] == "raw":
                raw = base64.urlsafe_b64encode(_raw_message(found)).decode()
                return 200, {**answer, "raw": raw if g.raw_padding else raw.rstrip("=")}
            headers = [{"name": k, "value": v} for k, v in found["headers"].items()]
            return 200, {**answer, "payload": {"headers": headers}}
        return 404, {"error": {"code": 404, "message": "no such gmail route"}}

    def _drafts(self, method, segments, query, body):
        g = self.google
        if method in ("POST", "PUT"):
            g.header_problems += header_problems(base64.urlsafe_b64decode(json.loads(body)["message"]["raw"]))
        if method == "POST" and not segments:
            draft_id = g.next_id("r")
            g.drafts[draft_id] = _stored(json.loads(body), g.next_id("m"))
            return 200, _draft_resource(draft_id, g.drafts[draft_id])
        if method == "GET" and not segments:
            wanted = query.get("q", [""])[0].removeprefix("rfc822msgid:")
            hits = [
                {"id": i, "message": {"id": d["id"]}}
                for i, d in g.drafts.items()
                if not wanted or d["message_id"].strip("<>") == wanted
            ]
            return 200, {"drafts": hits} if hits else {}
        draft_id = segments[0]
        if draft_id not in g.drafts:
            return 404, {
                "error": {"code": 404, "message": "Requested entity was not found.", "errors": [{"reason": "notFound"}]}
            }
        if method == "PUT":
            g.drafts[draft_id] = _stored(json.loads(body), g.drafts[draft_id]["id"])
            return 200, _draft_resource(draft_id, g.drafts[draft_id])
        if method == "GET":
            answer = _draft_resource(draft_id, g.drafts[draft_id])
            if query.get("format", [""])[0] == "metadata":
                parsed = g.drafts[draft_id]["parsed"]
                answer["message"]["payload"] = {"headers": [{"name": k, "value": str(v)} for k, v in parsed.items()]}
            return 200, answer
        if method == "DELETE":
            del g.drafts[draft_id]
            return 204, None
        return 405, {"error": {"code": 405, "message": "method not allowed"}}


def _stored(body: dict, message_id: str) -> dict:
    raw = base64.urlsafe_b64decode(body["message"]["raw"])
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    return {
        "id": message_id,
        "raw": raw,
        "parsed": parsed,
        "threadId": body["message"].get("threadId") or "t-new",
        "message_id": str(parsed["Message-ID"] or ""),
    }


def _draft_resource(draft_id: str, stored: dict) -> dict:
    return {"id": draft_id, "message": {"id": stored["id"], "threadId": stored["threadId"]}}


def _raw_message(stored: dict) -> bytes:
    """The message as Gmail's format=raw gives it: the headers, a text body, and a calendar part if any
    (or the bytes of `raw` as they are)."""
    if "raw" in stored:
        return stored["raw"]
    message = EmailMessage()
    message["From"] = stored["from"]
    for name, value in stored["headers"].items():
        message[name] = value
    message.set_content(stored.get("body", "Invitation"))
    if stored.get("ics"):
        message.add_attachment(stored["ics"].encode(), maintype="text", subtype="calendar", filename="invite.ics")
    return bytes(message)


_TOKEN = re.compile(r'\w+:\([^)]*\)|"[^"]*"|\S+')


def _matches(message: dict, query: str) -> bool:
    """Gmail's search, enough of it: every OR-group of terms must match (`a OR b c` is `(a OR b) AND c`)."""
    groups: list[list[str]] = []
    joined = False
    for token in _TOKEN.findall(query):
        if token == "OR":
            joined = True
            continue
        if joined and groups:
            groups[-1].append(token)
        else:
            groups.append([token])
        joined = False
    return bool(groups) and all(any(_term(message, term) for term in group) for group in groups)


def _term(message: dict, term: str) -> bool:
    operator, _, value = term.partition(":") if re.match(r"\w+:", term) else ("", "", term)
    value = value.strip('"')
    subject = message["headers"].get("Subject", "")
    if operator == "rfc822msgid":
        return message["headers"].get("Message-ID", "").strip("<>") == value
    if operator == "from":
        return message["from"].lower() == value.lower()
    if operator == "subject":
        words = [w for w in value.strip("()").split() if w != "OR"]
        return any(w.lower() in subject.lower() for w in words)
    text = f"{subject} {message.get('body', '')}".lower()
    return all(word in text for word in re.findall(r"\w+", value.lower()))
