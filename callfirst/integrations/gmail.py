"""Gmail as a sink: save the email as a draft (create, or update the one made before). Never sends.

Each interview's draft is recorded in the state store (state.py), keyed by UID, organizer and source.
One command at a time works on an interview's draft (a lease in the store). The draft's Message-ID is
recorded before it is created, and a create is sent once (transport.py): when its answer is lost, the draft
is looked up by that Message-ID instead of being created again.
"""

from __future__ import annotations

import base64
import email
import email.parser
import email.policy
import re
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..drafts.message import message_ids
from ..errors import GoogleError
from ..ical.invitation import EMAIL_FAILURES, bounded_policy
from .google import GoogleUnavailable, Session, call
from .state import GmailEntry, InterviewFacts, InterviewKey, StateStore

if TYPE_CHECKING:
    from ..context import Context
    from ..drafts.compose import Draft
    from .targets import Delivered, Outgoing

CANDIDATES = 5  # messages checked for the invitation

# Search terms are built only from these: no spaces, quotes, parentheses or braces, so nothing of an
# event's text can become a search operator.
_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_MESSAGE_ID = re.compile(r"<?([A-Za-z0-9!#$%&'*+/=?^_.~-]+@[A-Za-z0-9!#$%&'*+/=?^_.~\[\]:-]+)>?")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Invitation:
    """What identifies the invitation in the user's mail."""

    uid: str
    message_id: str | None
    organizer: str | None
    summary: str


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


# --- finding the invitation's thread ------------------------------------------------------------


def valid_address(text: str | None) -> str | None:
    """One plain address, or None: never a list, a name, or search syntax."""
    candidate = (text or "").strip()
    return candidate if _ADDRESS.fullmatch(candidate) else None


def valid_message_id(text: str | None) -> str | None:
    """A Message-ID without its angle brackets, or None when it is not one."""
    match = _MESSAGE_ID.fullmatch((text or "").strip())
    return match.group(1) if match else None


def search_queries(invitation: Invitation) -> list[str]:
    """Gmail searches for the invitation: by its Message-ID, then the organizer's mail about it (quoted words)."""
    queries = []
    message_id = valid_message_id(invitation.message_id)
    if message_id:
        queries.append(f"rfc822msgid:{message_id}")
    organizer = valid_address(invitation.organizer)
    if organizer:
        words = _WORD.findall(invitation.summary)[:8]
        queries.append(f'from:{organizer} "{" ".join(words)}"' if words else f"from:{organizer}")
    return queries


def find_thread(session: Session, invitation: Invitation) -> Thread | None:
    """The invitation's thread, only when a message found really is the invitation: it has the invitation's
    Message-ID, or a calendar part with the event's UID."""
    service = session.gmail()
    for query in search_queries(invitation):
        found = call(
            service.users().messages().list(userId="me", q=query, maxResults=CANDIDATES),
            "looking for the invitation in Gmail",
        )
        for candidate in found.get("messages") or ():
            if not isinstance(candidate, dict) or not candidate.get("id"):
                continue
            thread = _verified(service, str(candidate["id"]), invitation)
            if thread is not None:
                return thread
    return None


def _verified(service: Any, gmail_id: str, invitation: Invitation) -> Thread | None:
    raw = call(
        service.users().messages().get(userId="me", id=gmail_id, format="raw"), "reading the invitation in Gmail"
    )
    data = unpadded_base64(raw.get("raw"))
    if data is None:
        return None
    try:
        message = email.message_from_bytes(data, policy=bounded_policy())
        # Message IDs are read as written: the parsed References would have its encoded-words decoded.
        written = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(data)
        own = message_ids(str(written.get("Message-ID", "")), keep=1)
        own_id = valid_message_id(own[0]) if own else None
        wanted_id = valid_message_id(invitation.message_id)
        if not ((wanted_id and own_id == wanted_id) or invitation.uid in _calendar_uids(message)):
            return None
        subject = " ".join(str(message.get("Subject", "")).split())
        references = message_ids(" ".join(str(v) for v in written.get_all("References") or ()))
    except EMAIL_FAILURES:  # a message the email package cannot make sense of is not the invitation
        return None
    return Thread(
        thread_id=str(raw.get("threadId") or ""),
        message_id=own[0] if own else None,
        subject=subject,
        references=" ".join(references),
    )


def unpadded_base64(text: object) -> bytes | None:
    """Gmail's base64url `raw`, decoded with or without its '=' padding; None when it is not base64url."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:  # binascii.Error, and non-ASCII text
        return None


def _calendar_uids(message: EmailMessage) -> set[str]:
    """The UIDs in the message's calendar parts (text/calendar, or an .ics attachment)."""
    uids: set[str] = set()
    for part in message.walk():
        name = (part.get_filename() or "").lower()
        if part.get_content_type() not in ("text/calendar", "application/ics") and not name.endswith(".ics"):
            continue
        payload = part.get_payload(decode=True)  # bytes, or None for a multipart part
        data = payload if isinstance(payload, bytes) else b""
        text = data.decode("utf-8", "replace").replace("\r\n ", "").replace("\n ", "").replace("\r\n\t", "")
        uids.update(line[4:].strip() for line in text.splitlines() if line.upper().startswith("UID:"))
    return uids


# --- saving the draft ---------------------------------------------------------------------------


def save_draft(
    session: Session,
    store: StateStore,
    message: EmailMessage,
    key: InterviewKey,
    facts: InterviewFacts,
    *,
    legacy_key: str,
    thread_id: str | None = None,
    new: bool = False,
) -> SavedDraft:
    """Create the draft, or update the one saved before for this interview (unless `new`)."""
    service = session.gmail()
    with store.gmail_lease(key, facts) as interview:
        entry = None if new else (store.gmail_draft(interview) or _adopted(service, store, interview, legacy_key, key))
        message_id = entry.message_id if entry else make_msgid(domain=_domain(message))
        del message["Message-ID"]
        message["Message-ID"] = message_id
        body: dict[str, Any] = {"message": {"raw": base64.urlsafe_b64encode(bytes(message)).decode("ascii")}}
        if thread_id:
            body["message"]["threadId"] = thread_id
        draft_id = (entry.draft_id or _find_draft(service, message_id)) if entry else None
        result = _update(service, draft_id, body) if draft_id else None
        updated = result is not None
        if result is None:
            store.set_gmail_draft(interview, GmailEntry(message_id, None))
            result = _create(service, body, message_id)
        store.set_gmail_draft(interview, GmailEntry(message_id, result["id"]))
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


def _adopted(service: Any, store: StateStore, interview: int, legacy_key: str, key: InterviewKey) -> GmailEntry | None:
    """The draft the old gmail-drafts.json recorded under this UID, if it is addressed to this organizer."""
    old = store.legacy(legacy_key)
    if old is None:
        return None
    draft_id = old.draft_id or _find_draft(service, old.message_id)
    if not draft_id or _addressed_to(service, draft_id) != key.organizer:
        return None
    entry = GmailEntry(old.message_id, draft_id)
    store.adopt_legacy(legacy_key, interview, entry)
    return entry


def _unless_gone(request: Any, what: str) -> Any | None:
    """The answer to `request`, or None when Gmail says the draft is gone (sent or deleted)."""
    try:
        return call(request, what)
    except GoogleUnavailable:
        raise
    except GoogleError as exc:
        if exc.status == 404:
            return None
        raise


def _addressed_to(service: Any, draft_id: str) -> str | None:
    request = service.users().drafts().get(userId="me", id=draft_id, format="metadata")
    draft = _unless_gone(request, "reading the Gmail draft")
    if draft is None:
        return None
    headers = ((draft.get("message") or {}).get("payload") or {}).get("headers") or ()
    to = next((h.get("value", "") for h in headers if str(h.get("name", "")).lower() == "to"), "")
    return parseaddr(str(to))[1].lower() or None


def _update(service: Any, draft_id: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """The updated draft, or None when it is gone (sent or deleted in Gmail)."""
    updated: dict[str, Any] | None = _unless_gone(
        service.users().drafts().update(userId="me", id=draft_id, body=body), "updating the Gmail draft"
    )
    return updated


def _create(service: Any, body: dict[str, Any], message_id: str) -> dict[str, Any]:
    """drafts.create, never twice (create_once); copies a lost answer left behind are removed."""
    from .create_once import create_once

    def create() -> dict[str, Any]:
        created: dict[str, Any] = call(
            service.users().drafts().create(userId="me", body=body), "creating the Gmail draft", retries=0
        )
        _remove_copies(service, message_id, keep=created["id"])
        return created

    return create_once(
        create,
        lambda pauses: _look_for(service, message_id, pauses),
        unavailable=GoogleUnavailable,
        mailbox="Gmail",
        pause=lambda _error, attempt: float(2**attempt),
    )


def _look_for(service: Any, message_id: str, pauses: tuple[float, ...]) -> dict[str, Any] | None:
    for pause in pauses:
        if pause:
            time.sleep(pause)
        found = _find_draft(service, message_id)
        if found:
            _remove_copies(service, message_id, keep=found)
            return {"id": found, "message": _draft_message(service, found)}
    return None


def _drafts_with(service: Any, message_id: str, limit: int) -> list[str]:
    query = "rfc822msgid:" + message_id.strip("<>")
    found = call(service.users().drafts().list(userId="me", q=query, maxResults=limit), "looking for the Gmail draft")
    return [d["id"] for d in found.get("drafts") or () if isinstance(d, dict) and d.get("id")]


def _find_draft(service: Any, message_id: str) -> str | None:
    ids = _drafts_with(service, message_id, 1)
    return ids[0] if ids else None


def _remove_copies(service: Any, message_id: str, keep: str) -> None:
    """Should a copy exist after all (a create sent twice by something else on the way), keep one draft."""
    for draft_id in _drafts_with(service, message_id, 10):
        if draft_id != keep:
            call(service.users().drafts().delete(userId="me", id=draft_id), "removing a duplicate Gmail draft")


def _draft_message(service: Any, draft_id: str) -> dict[str, Any]:
    draft = call(service.users().drafts().get(userId="me", id=draft_id, format="minimal"), "reading the Gmail draft")
    return draft.get("message") or {}


def _domain(message: EmailMessage) -> str:
    sender = str(message.get("From", ""))
    return sender.rpartition("@")[2].strip(">").strip() or "callfirst.invalid"


# --- the draft target ---------------------------------------------------------------------------


class GmailDrafts:
    """`draft --gmail`: the draft saved in Gmail, updated when one was saved for this interview before."""

    def deliver(self, outgoing: Outgoing, ctx: Context) -> Delivered:
        from dataclasses import replace

        from ..model import Person
        from .google import GMAIL_COMPOSE, GMAIL_MODIFY
        from .state import DraftMade, interview_facts, interview_key, open_store
        from .targets import Delivered

        event, options = outgoing.item.event, outgoing.options
        key, facts = interview_key(event), interview_facts(event)
        scopes = [GMAIL_COMPOSE] + ([GMAIL_MODIFY] if options.find_thread else [])
        with open_store(ctx.places) as store:
            warnings = store.import_legacy(ctx.places.gmail_state)
            with Session(scopes, ctx.places) as session:
                composed = outgoing.draft
                if composed.sender is None and session.account:
                    composed = replace(composed, sender=Person(session.account))
                thread = find_thread(session, invitation_of(outgoing)) if options.find_thread else None
                message = outgoing.message(ctx.now, threaded(composed, thread))
                del message["X-Unsent"]
                saved = save_draft(
                    session,
                    store,
                    message,
                    key,
                    facts,
                    legacy_key=legacy_key(outgoing),
                    new=options.new,
                    thread_id=thread.thread_id if thread else None,
                )
        if options.find_thread and thread is None:
            warnings.append("the invitation was not found in Gmail; the draft starts a new thread")
        done = "updated" if saved.updated else "created"
        return Delivered(
            f"Gmail draft {done} (nothing was sent): {saved.link}",
            made=DraftMade(ctx.now, "gmail", saved.link),
            warnings=tuple(warnings),
        )


TARGET = GmailDrafts()


def legacy_key(outgoing: Outgoing) -> str:
    """How drafts were keyed before the state store: one per event occurrence."""
    event = outgoing.item.event
    occurrence = event.recurrence_id.isoformat() if event.recurrence_id else ""
    return f"{event.uid}|{occurrence}"


def invitation_of(outgoing: Outgoing) -> Invitation:
    event = outgoing.item.event
    organizer = event.organizer.email if event.organizer else None
    return Invitation(uid=event.uid, message_id=event.message_id, organizer=organizer, summary=event.summary)


def threaded(composed: Draft, thread: Thread | None) -> Draft:
    """Reply headers and 'Re: ' subject when the invitation's thread is known, as Gmail requires."""
    from dataclasses import replace

    from ..drafts.compose import reply_subject

    if thread is not None and thread.message_id:
        references = " ".join(part for part in (thread.references, thread.message_id) if part)
        return replace(
            composed,
            in_reply_to=thread.message_id,
            references=references,
            subject=reply_subject(thread.subject or composed.thread_subject or composed.subject),
        )
    if composed.in_reply_to:
        return replace(composed, subject=reply_subject(composed.thread_subject or composed.subject))
    return composed
