"""RFC 5322 drafts built with the standard library, from sanitised values only."""

from __future__ import annotations

import re
from datetime import datetime
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import Policy, default
from email.utils import format_datetime, make_msgid
from typing import Any

from ..errors import UnsafeValue
from ..model import Person
from ..untrusted import printable, reads_as_an_address

MAX_NAME = 60  # a longer quoted name is refolded by the standard library without its quotes
MAX_SUBJECT = 200
_ENCODED_WORD = re.compile(r"=\?[^?]*\?[bBqQ]\?[^?]*\?=")
# RFC 5322 msg-id: '<' dot-atom-text '@' (dot-atom-text or a domain literal) '>'.
_ATEXT = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~\-"
_MESSAGE_ID = re.compile(rf"<[{_ATEXT}.]+@(?:[{_ATEXT}.]+|\[[!-Z^-~]*\])>")
MAX_MESSAGE_ID = 250
MAX_REFERENCES = 20
_ADDRESS = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def clean_text(value: str, limit: int) -> str:
    """One line of printable text: no control, format or separator characters, no encoded-words."""
    text = printable(value)
    text = _ENCODED_WORD.sub(lambda m: m.group(0).replace("=?", "= ?").replace("?=", "? ="), text)
    text = text.replace("=?", "= ?")
    return text[:limit].rstrip()


def message_ids(value: str | None, keep: int = MAX_REFERENCES) -> tuple[str, ...]:
    """The last `keep` message IDs in `value`, each the `<left@right>` RFC 5322 writes. An ID holding '=?' is
    left out: a header parser would read an encoded-word there (CVE-2024-6923)."""
    found = [
        match.group(0)
        for match in _MESSAGE_ID.finditer(value or "")
        if len(match.group(0)) <= MAX_MESSAGE_ID and "=?" not in match.group(0)
    ]
    return tuple(found[-keep:]) if keep else ()


class MessageIDsHeader(BaseHeader):
    """In-Reply-To and References: message IDs only (see `message_ids`), written as they are. A long list
    is folded between IDs, one to a line; an ID is never split or encoded, or the reply would not thread."""

    max_count = 1

    @classmethod
    def parse(cls, value: str, kwds: dict[str, Any]) -> None:
        kwds["decoded"] = " ".join(message_ids(value))
        kwds["parse_tree"] = UnstructuredHeader.value_parser(kwds["decoded"])

    def fold(self, *, policy: Policy) -> str:
        return f"{self.name}: " + f"{policy.linesep} ".join(self.split()) + policy.linesep


def _draft_policy() -> Policy:
    headers = HeaderRegistry()
    headers.map_to_type("In-Reply-To", MessageIDsHeader)
    headers.map_to_type("References", MessageIDsHeader)
    return default.clone(header_factory=headers)


DRAFT_POLICY = _draft_policy()


def single_address(value: str) -> str:
    """The first valid address in `value` (a mailto: list is cut to its first valid one)."""
    text = (value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.split("?", 1)[0]
    # A backslash ends an address too: an escaped newline (\n) in a calendar's address starts another line.
    for candidate in re.split(r"[,;\s<>\\]+", text):
        candidate = candidate.strip().strip('"').strip("'")
        if _ADDRESS.match(candidate) and len(candidate) <= 254:
            return candidate
    raise UnsafeValue(f"no usable email address in {clean_text(value, 80)!r}")


def shown_recipient(person: Person | None) -> Address | None:
    """The To address exactly as a draft of this person gets it; None when there is no usable address."""
    if person is None:
        return None
    try:
        return address(person)
    except UnsafeValue:
        return None


def address(person: Person) -> Address:
    addr = single_address(person.email)
    local, _, domain = addr.rpartition("@")
    name = clean_text(person.name or "", MAX_NAME)
    if reads_as_an_address(name):  # a name posing as an address: the address is shown plainly instead
        name = ""
    return Address(display_name=name, username=local, domain=domain)


def build_message(
    *,
    sender: Person,
    to: Person,
    subject: str,
    body: str,
    date: datetime,
    in_reply_to: str | None = None,
    references: str | None = None,
    calendar: tuple[bytes, str] | None = None,
) -> EmailMessage:
    """A draft message: one From, one To, one Subject; `X-Unsent: 1` so clients open it as a draft."""
    message = EmailMessage(policy=DRAFT_POLICY)
    message["From"] = address(sender)
    message["To"] = address(to)
    message["Subject"] = clean_text(subject, MAX_SUBJECT)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = make_msgid(domain=single_address(sender.email).rpartition("@")[2])
    reply_to = message_ids(in_reply_to, keep=1)
    if reply_to:
        message["In-Reply-To"] = reply_to[0]
        message["References"] = " ".join(message_ids(references) or reply_to)
    message["X-Unsent"] = "1"
    message.set_content(body)
    if calendar is not None:
        data, method = calendar
        message.add_attachment(
            data,
            maintype="text",
            subtype="calendar",
            params={"method": method, "charset": "utf-8"},
            filename=f"{method.lower()}.ics",
        )
    return message


def mailto_link(to: Person, subject: str, body: str) -> str:
    from urllib.parse import quote

    return f"mailto:{quote(single_address(to.email), safe='@')}?subject={quote(clean_text(subject, MAX_SUBJECT))}&body={quote(body)}"
