"""RFC 5322 drafts built with the standard library, from sanitised values only."""

from __future__ import annotations

import re
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from ..errors import UnsafeValue
from ..model import Person
from ..untrusted import printable

MAX_NAME = 60  # a longer quoted name is refolded by the standard library without its quotes
MAX_SUBJECT = 200
_ENCODED_WORD = re.compile(r"=\?[^?]*\?[bBqQ]\?[^?]*\?=")
_ADDRESS = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def clean_text(value: str, limit: int) -> str:
    """One line of printable text: no control, format or separator characters, no encoded-words."""
    text = printable(value)
    text = _ENCODED_WORD.sub(lambda m: m.group(0).replace("=?", "= ?").replace("?=", "? ="), text)
    text = text.replace("=?", "= ?")
    return text[:limit].rstrip()


def single_address(value: str) -> str:
    """The first valid address in `value` (a mailto: list is cut to its first valid one)."""
    text = (value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.split("?", 1)[0]
    for candidate in re.split(r"[,;\s<>]+", text):
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
    if "@" in name:
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
    message = EmailMessage()
    message["From"] = address(sender)
    message["To"] = address(to)
    message["Subject"] = clean_text(subject, MAX_SUBJECT)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = make_msgid(domain=single_address(sender.email).rpartition("@")[2])
    reply_to = _message_id(in_reply_to)
    if reply_to:
        message["In-Reply-To"] = reply_to
        message["References"] = _message_ids(references) or reply_to
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


def _message_id(value: str | None) -> str | None:
    if not value:
        return None
    match = re.search(r"<[^<>\s]{3,250}>", value)
    return match.group(0) if match else None


def _message_ids(value: str | None, keep: int = 20) -> str | None:
    """The last `keep` message IDs of a References header, space-separated."""
    found = re.findall(r"<[^<>\s]{3,250}>", value or "")
    return " ".join(found[-keep:]) or None


def mailto_link(to: Person, subject: str, body: str) -> str:
    from urllib.parse import quote

    return f"mailto:{quote(single_address(to.email), safe='@')}?subject={quote(clean_text(subject, MAX_SUBJECT))}&body={quote(body)}"
