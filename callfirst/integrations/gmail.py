"""Gmail as a sink: save the email as a draft (create, or update the one made before). Never sends.

Each draft carries a Message-ID of its own, recorded in `gmail-drafts.json` before it is created.
If a create's answer is lost, the draft is looked up by that Message-ID before trying again, so a
retry never leaves two drafts.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import quote

from ..errors import GoogleError
from .files import Places, write_atomic
from .google import GoogleUnavailable, Session, call

STATE_FILE = "gmail-drafts.json"
CREATE_ATTEMPTS = 3


@dataclass(frozen=True)
class Thread:
    """The invitation as Gmail holds it."""

    thread_id: str
    message_id: str | None
    subject: str
    references: str


@dataclass(frozen=True)
class SavedDraft:
    draft_id: str
    message_id: str
    thread_id: str | None
    link: str
    updated: bool


def find_thread(session: Session, message_id: str | None, organizer: str | None, summary: str) -> Thread | None:
    """The invitation's thread: by its Message-ID when known, else the organizer's latest mail about it."""
    service = session.gmail()
    if message_id:
        query = "rfc822msgid:" + message_id.strip().strip("<>")
    elif organizer:
        words = " ".join(summary.replace('"', " ").split()[:8])
        query = f'from:{organizer} "{words}"' if words else f"from:{organizer}"
    else:
        return None
    found = call(
        service.users().messages().list(userId="me", q=query, maxResults=1), "looking for the invitation in Gmail"
    )
    messages = found.get("messages") or []
    if not messages:
        return None
    meta = call(
        service.users()
        .messages()
        .get(
            userId="me",
            id=messages[0]["id"],
            format="metadata",
            metadataHeaders=["Message-ID", "Subject", "References"],
        ),
        "reading the invitation's headers in Gmail",
    )
    headers = {h.get("name", "").lower(): h.get("value", "") for h in (meta.get("payload") or {}).get("headers", [])}
    return Thread(
        thread_id=meta.get("threadId") or messages[0].get("threadId", ""),
        message_id=headers.get("message-id") or message_id,
        subject=headers.get("subject", ""),
        references=headers.get("references", ""),
    )


def save_draft(
    session: Session, message: EmailMessage, key: str, *, thread_id: str | None = None, new: bool = False
) -> SavedDraft:
    """Create the draft, or update the one saved before under `key` (unless `new`)."""
    service = session.gmail()
    state = _read_state(session.places)
    entry = {} if new else dict(state.get(key) or {})
    message_id = entry.get("message_id") or make_msgid(domain=_domain(message))
    del message["Message-ID"]
    message["Message-ID"] = message_id
    body = {"message": {"raw": base64.urlsafe_b64encode(bytes(message)).decode("ascii")}}
    if thread_id:
        body["message"]["threadId"] = thread_id
    draft_id = entry.get("draft_id") or (_find_draft(service, message_id) if entry else None)
    result, updated = None, False
    if draft_id:
        result = _update(service, draft_id, body)
        updated = result is not None
    if result is None:
        state[key] = {"message_id": message_id, "draft_id": None}
        _write_state(state, session.places)
        result = _create(service, body, message_id)
    state[key] = {"message_id": message_id, "draft_id": result["id"]}
    _write_state(state, session.places)
    gmail_message = result.get("message") or {}
    return SavedDraft(
        draft_id=result["id"],
        message_id=message_id,
        thread_id=gmail_message.get("threadId"),
        link=draft_link(session.account, gmail_message.get("id", "")),
        updated=updated,
    )


def draft_link(account: str, message_id: str) -> str:
    who = quote(account, safe="@") if account else "0"
    return f"https://mail.google.com/mail/u/{who}/#drafts?compose={quote(message_id, safe='')}"


def _update(service, draft_id: str, body: dict) -> dict | None:
    """The updated draft, or None when it is gone (sent or deleted in Gmail)."""
    try:
        return call(service.users().drafts().update(userId="me", id=draft_id, body=body), "updating the Gmail draft")
    except GoogleUnavailable:
        raise
    except GoogleError as exc:
        if exc.status == 404:
            return None
        raise


def _create(service, body: dict, message_id: str) -> dict:
    """drafts.create without blind retries: after a failure, look for the draft before trying again."""
    for attempt in range(CREATE_ATTEMPTS):
        try:
            created = call(
                service.users().drafts().create(userId="me", body=body), "creating the Gmail draft", retries=0
            )
        except GoogleUnavailable:
            found = _find_draft(service, message_id)
            if found:
                return {"id": found, "message": _draft_message(service, found)}
            if attempt == CREATE_ATTEMPTS - 1:
                raise
            time.sleep(2**attempt)
            continue
        _remove_copies(service, message_id, keep=created["id"])
        return created
    raise AssertionError("unreachable")


def _drafts_with(service, message_id: str, limit: int) -> list[str]:
    query = "rfc822msgid:" + message_id.strip("<>")
    found = call(service.users().drafts().list(userId="me", q=query, maxResults=limit), "looking for the Gmail draft")
    return [d["id"] for d in found.get("drafts") or () if isinstance(d, dict) and d.get("id")]


def _find_draft(service, message_id: str) -> str | None:
    ids = _drafts_with(service, message_id, 1)
    return ids[0] if ids else None


def _remove_copies(service, message_id: str, keep: str) -> None:
    """The HTTP layer may resend a create whose answer was lost; keep one draft."""
    for draft_id in _drafts_with(service, message_id, 10):
        if draft_id != keep:
            call(service.users().drafts().delete(userId="me", id=draft_id), "removing a duplicate Gmail draft")


def _draft_message(service, draft_id: str) -> dict:
    draft = call(service.users().drafts().get(userId="me", id=draft_id, format="minimal"), "reading the Gmail draft")
    return draft.get("message") or {}


def _domain(message: EmailMessage) -> str:
    sender = str(message.get("From", ""))
    return sender.rpartition("@")[2].strip(">").strip() or "callfirst.invalid"


def _read_state(places: Places) -> dict:
    try:
        data = json.loads(places.gmail_state.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, OSError):
        return {}
    drafts = data.get("drafts") if isinstance(data, dict) else None
    return drafts if isinstance(drafts, dict) else {}


def _write_state(drafts: dict, places: Places) -> None:
    path = places.gmail_state
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps({"version": 1, "drafts": drafts}, indent=1).encode(), force=True, mode=0o600)
