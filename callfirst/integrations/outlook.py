"""Outlook (Microsoft 365, Outlook.com) as a draft target, through Microsoft Graph. Never sends.

The draft is a reply to the invitation when the invitation is in the mailbox (createReply, so it threads),
else a new message in the Drafts folder. A later run for the same interview updates it (PATCH) instead of
making another. As for Gmail (gmail.py): one command at a time works on an interview's draft (a lease in the
state store); the draft's Message-ID (internetMessageId) is recorded before it is created, a create is sent
once per try, and when its answer is lost the draft is looked up by that Message-ID instead of being created
again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from ..errors import MicrosoftError
from .gmail import Invitation, valid_address, valid_message_id
from .microsoft import Graph, Json, MicrosoftUnavailable
from .state import DraftEntry, InterviewFacts, InterviewKey, StateStore

if TYPE_CHECKING:
    from ..context import Context
    from .targets import Delivered, Outgoing

KIND = "outlook"
CANDIDATES = 5  # messages checked for the invitation
DRAFTS_LINK = "https://outlook.office.com/mail/drafts"
# Where Outlook on the web lives: a link elsewhere from the server is not passed on.
OUTLOOK_HOSTS = (".office.com", ".office365.com", ".outlook.com", ".live.com")
DRAFT_FIELDS = "id,internetMessageId,webLink,isDraft"


@dataclass(frozen=True)
class OutlookDraft:
    """What the draft says: from the RFC 5322 message built for every target (sanitised values only)."""

    subject: str
    body: str
    to_address: str
    to_name: str
    calendar_part: bool = False  # the message carries an iTIP proposal (--ics)

    def payload(self, message_id: str | None = None) -> Json:
        payload: Json = {
            "subject": self.subject,
            "body": {"contentType": "Text", "content": self.body},
            "toRecipients": [{"emailAddress": {"address": self.to_address, "name": self.to_name or self.to_address}}],
        }
        if message_id:
            payload["internetMessageId"] = message_id
        return payload


@dataclass(frozen=True)
class SavedOutlookDraft:
    draft_id: str
    message_id: str
    link: str
    updated: bool
    threaded: bool
    warnings: tuple[str, ...] = ()


def from_message(message: EmailMessage) -> OutlookDraft:
    """The subject, the plain-text body and the one recipient of a draft built by drafts/message.py."""
    to = message["To"]
    addresses = getattr(to, "addresses", ()) if to is not None else ()
    first: Address | None = addresses[0] if addresses else None
    if first is None:
        raise MicrosoftError("the draft has no recipient")
    body_part = message.get_body(("plain",))
    body = body_part.get_content() if isinstance(body_part, EmailMessage) else ""
    calendar = any(part.get_content_type() == "text/calendar" for part in message.walk())
    return OutlookDraft(str(message.get("Subject", "")), body, first.addr_spec, first.display_name, calendar)


# --- finding the invitation -------------------------------------------------------------------


def _literal(text: str) -> str:
    """An OData string literal: quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


def find_invitation(graph: Graph, invitation: Invitation) -> str | None:
    """The Graph id of the invitation in the mailbox: the message with its Message-ID, or one of the organizer's
    recent messages whose meeting is this event (its iCalUId is the event's UID). None when not found."""
    wanted = valid_message_id(invitation.message_id)
    if wanted:
        found = graph.get(
            "me/messages",
            "looking for the invitation in Outlook",
            params={
                "$filter": f"internetMessageId eq {_literal(f'<{wanted}>')}",
                "$select": "id,internetMessageId",
                "$top": CANDIDATES,
            },
        )
        for message in _items(found):
            if str(message.get("internetMessageId", "")).strip().strip("<>") == wanted and message.get("id"):
                return str(message["id"])
    organizer = valid_address(invitation.organizer)
    if not organizer:
        return None
    found = graph.get(
        "me/messages",
        "looking for the invitation in Outlook",
        params={"$filter": f"from/emailAddress/address eq {_literal(organizer)}", "$select": "id", "$top": CANDIDATES},
    )
    for candidate in _items(found):
        if candidate.get("id") and _is_the_meeting(graph, str(candidate["id"]), invitation.uid):
            return str(candidate["id"])
    return None


def _is_the_meeting(graph: Graph, message_id: str, uid: str) -> bool:
    checked = graph.get(
        f"me/messages/{quote(message_id, safe='')}",
        "reading the invitation in Outlook",
        params={"$select": "id", "$expand": "microsoft.graph.eventMessage/event($select=iCalUId)"},
    )
    event = checked.get("event")
    return isinstance(event, dict) and bool(uid) and event.get("iCalUId") == uid


def _items(answer: Json) -> list[Json]:
    value = answer.get("value")
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# --- saving the draft ---------------------------------------------------------------------------


def save_draft(
    graph: Graph,
    store: StateStore,
    draft: OutlookDraft,
    key: InterviewKey,
    facts: InterviewFacts,
    invitation: Invitation | None,
    *,
    new: bool = False,
    domain: str = "",
) -> SavedOutlookDraft:
    """Update the draft saved before for this interview, or create it (a reply when the invitation is found)."""
    warnings = (
        ("the calendar proposal (--ics) is not added to Outlook drafts; use --out FILE.eml to get it as a file",)
        if draft.calendar_part
        else ()
    )
    with store.draft_lease(key, facts) as interview:
        entry = None if new else store.mailbox_draft(interview, KIND)
        if entry is not None:
            updated = _update_known(graph, entry, draft)
            if updated is not None:
                store.set_mailbox_draft(interview, KIND, DraftEntry(entry.message_id, str(updated["id"])))
                return _saved(updated, entry.message_id, updated=True, threaded=False, warnings=warnings)
        # A new draft gets a new Message-ID: one the user sent keeps the old one.
        message_id = make_msgid(domain=domain or "callfirst.invalid")
        store.set_mailbox_draft(interview, KIND, DraftEntry(message_id, None))
        reply_to = find_invitation(graph, invitation) if invitation is not None else None
        created = _create(graph, draft.payload(message_id), message_id, reply_to)
        store.set_mailbox_draft(interview, KIND, DraftEntry(message_id, str(created["id"])))
    return _saved(created, message_id, updated=False, threaded=reply_to is not None, warnings=warnings)


def _saved(
    result: Json, message_id: str, *, updated: bool, threaded: bool, warnings: tuple[str, ...]
) -> SavedOutlookDraft:
    return SavedOutlookDraft(
        draft_id=str(result["id"]),
        message_id=message_id,
        link=_link(result.get("webLink")),
        updated=updated,
        threaded=threaded,
        warnings=warnings,
    )


def _link(value: object) -> str:
    """Outlook's own link to the draft, when it is an https link to Outlook on the web; else the Drafts folder."""
    if isinstance(value, str) and value.startswith("https://") and len(value) < 2000:
        host = (urlsplit(value).hostname or "").lower()
        if any(host.endswith(suffix) or host == suffix.lstrip(".") for suffix in OUTLOOK_HOSTS):
            return value
    return DRAFTS_LINK


def _update_known(graph: Graph, entry: DraftEntry, draft: OutlookDraft) -> Json | None:
    """The recorded draft updated (found by its id, else by its Message-ID); None when it is gone (sent or
    deleted). A refusal while the draft is still there is an error, not a reason to make a second one."""
    if entry.draft_id:
        try:
            return _patch(graph, entry.draft_id, draft)
        except MicrosoftUnavailable:
            raise
        except MicrosoftError as exc:
            if exc.status not in (400, 404) or _find_draft(graph, entry.message_id) == entry.draft_id:
                raise
    found = _find_draft(graph, entry.message_id)
    return _patch(graph, found, draft) if found and found != entry.draft_id else None


def _patch(graph: Graph, draft_id: str, draft: OutlookDraft) -> Json | None:
    """PATCH the draft; None when what Outlook holds under that id is no longer a draft (it was sent)."""
    updated = graph.request(
        "PATCH", f"me/messages/{quote(draft_id, safe='')}", "updating the Outlook draft", body=draft.payload()
    )
    if updated.get("isDraft") is False:
        return None
    return updated if updated.get("id") else {**updated, "id": draft_id}


def _create(graph: Graph, payload: Json, message_id: str, reply_to: str | None) -> Json:
    """createReply or a new message in Drafts, never twice (create_once)."""
    from .create_once import create_once

    def create() -> Json:
        if reply_to:
            path, body = f"me/messages/{quote(reply_to, safe='')}/createReply", {"message": payload}
        else:
            path, body = "me/mailFolders/drafts/messages", payload
        created = graph.request("POST", path, "creating the Outlook draft", body=body, retries=0)
        if not created.get("id"):
            raise MicrosoftError("Microsoft answered the new draft without its id")
        if str(created.get("internetMessageId", message_id)) != message_id:
            created = {**created, **_set_message_id(graph, str(created["id"]), message_id)}
        _remove_copies(graph, message_id, keep=str(created["id"]))
        return created

    return create_once(
        create,
        lambda pauses: _look_for(graph, message_id, pauses),
        unavailable=MicrosoftUnavailable,
        mailbox="Outlook",
        pause=_pause,
    )


def _pause(exc: MicrosoftUnavailable, attempt: int) -> float:
    return exc.retry_after if exc.retry_after is not None else float(2**attempt)


def _set_message_id(graph: Graph, draft_id: str, message_id: str) -> Json:
    """A reply draft whose Message-ID Outlook chose gets callfirst's, so the next run finds it."""
    return graph.request(
        "PATCH",
        f"me/messages/{quote(draft_id, safe='')}",
        "updating the Outlook draft",
        body={"internetMessageId": message_id},
    )


def _look_for(graph: Graph, message_id: str, pauses: tuple[float, ...]) -> Json | None:
    for pause in pauses:
        if pause:
            time.sleep(pause)
        drafts = _drafts_with(graph, message_id, 10)
        if drafts:
            keep = drafts[0]
            _remove_copies(graph, message_id, keep=str(keep["id"]))
            return keep
    return None


def _drafts_with(graph: Graph, message_id: str, limit: int) -> list[Json]:
    found = graph.get(
        "me/mailFolders/drafts/messages",
        "looking for the Outlook draft",
        params={"$filter": f"internetMessageId eq {_literal(message_id)}", "$select": DRAFT_FIELDS, "$top": limit},
    )
    return [item for item in _items(found) if item.get("id") and item.get("internetMessageId") == message_id]


def _find_draft(graph: Graph, message_id: str) -> str | None:
    drafts = _drafts_with(graph, message_id, 1)
    return str(drafts[0]["id"]) if drafts else None


def _remove_copies(graph: Graph, message_id: str, keep: str) -> None:
    """Should a copy exist after all (a create sent twice by something on the way), keep one draft."""
    for draft in _drafts_with(graph, message_id, 10):
        if str(draft["id"]) != keep:
            graph.request(
                "DELETE", f"me/messages/{quote(str(draft['id']), safe='')}", "removing a duplicate Outlook draft"
            )


def describe(saved: SavedOutlookDraft) -> str:
    action = "updated" if saved.updated else "created"
    thread = " as a reply to the invitation" if saved.threaded else ""
    return f"Outlook draft {action}{thread} (nothing was sent): {saved.link}"


def domain_of(account: str, fallback: str = "") -> str:
    for text in (account, fallback):
        domain = text.rpartition("@")[2].strip().strip(">")
        if "." in domain:
            return domain
    return "callfirst.invalid"


# --- the draft target ---------------------------------------------------------------------------


class OutlookDrafts:
    """`draft --outlook`: the draft saved in Outlook's Drafts folder, updated when one was saved before."""

    def deliver(self, outgoing: Outgoing, ctx: Context) -> Delivered:
        from dataclasses import replace

        from ..model import Person
        from .gmail import invitation_of, threaded
        from .microsoft import Graph
        from .state import DraftMade, interview_facts, interview_key, open_store
        from .targets import Delivered

        event = outgoing.item.event
        key, facts = interview_key(event), interview_facts(event)
        with Graph(ctx.config.microsoft, ctx.places) as graph, open_store(ctx.places) as store:
            composed = threaded(outgoing.draft, None)
            if composed.sender is None:
                composed = replace(composed, sender=Person(graph.account or "me@callfirst.invalid"))
            draft = from_message(outgoing.message(ctx.now, composed))
            domain = domain_of(graph.account, composed.sender.email if composed.sender else "")
            saved = save_draft(
                graph, store, draft, key, facts, invitation_of(outgoing), new=outgoing.options.new, domain=domain
            )
        return Delivered(describe(saved), made=DraftMade(ctx.now, KIND, saved.link), warnings=saved.warnings)


TARGET = OutlookDrafts()
