"""The languages an invitation file declares for itself: the LANGUAGE= parameters of its event's text
(SUMMARY, DESCRIPTION, LOCATION, COMMENT), and for an invitation email its Content-Language headers and the
lang attribute of its HTML. Read from the file the event came from; a source that is not a file (standard
input, a calendar service) declares nothing, and the email's language is then guessed from its text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from email.message import Message

    from ..model import Event

LIMIT = 8 * 1024 * 1024  # enough for any invitation; a whole calendar export declares per event
_TAG = r"([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)"
_TEXT_PARAMETER = re.compile(rf"(?im)^(?:SUMMARY|DESCRIPTION|LOCATION|COMMENT)(?:;[^:\r\n]*)?;LANGUAGE={_TAG}[;:]")
_HTML_LANG = re.compile(rf"(?i)<html[^>]*\blang\s*=\s*[\"']?{_TAG}")
_UNFOLD = re.compile(rb"\r?\n[ \t]")


def declared_languages(event: Event) -> tuple[str, ...]:
    """The language tags the event's file declares ('pt', 'en-US'), the event's own first; () when none."""
    path = Path(event.source) if event.source and event.source != "-" else None
    if path is None or not path.is_file():
        return ()
    try:
        with path.open("rb") as handle:
            data = handle.read(LIMIT)
    except OSError:
        return ()
    from ..ical.invitation import sniff

    if sniff(data[:4096]) == "eml":
        return _from_email(data, event.uid)
    return _from_calendar(data, event.uid)


def _from_calendar(data: bytes, uid: str) -> tuple[str, ...]:
    text = _UNFOLD.sub(b"", data).decode("utf-8", "replace")
    tags: list[str] = []
    for block in re.split(r"(?im)^BEGIN:VEVENT\s*$", text)[1:]:
        if not re.search(rf"(?im)^UID(?:;[^:\r\n]*)?:{re.escape(uid)}\s*$", block):
            continue
        tags += [tag for tag in _TEXT_PARAMETER.findall(block) if tag not in tags]
    return tuple(tags)


def _from_email(data: bytes, uid: str) -> tuple[str, ...]:
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    tags: list[str] = []
    for part in message.walk():
        tags += _header_tags(part)
        kind = part.get_content_type()
        if kind == "text/calendar":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                tags += _from_calendar(payload, uid)
        elif kind == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                tags += _HTML_LANG.findall(payload.decode("utf-8", "replace")[:20000])
    unique: list[str] = []
    for tag in tags:
        if tag not in unique:
            unique.append(tag)
    return tuple(unique)


def _header_tags(part: Message) -> list[str]:
    values = part.get_all("Content-Language") or []
    return [tag for value in values for tag in re.findall(_TAG, str(value))]
