"""Invitation emails: sniff what a source is, and take the calendar parts and the body out of a MIME message."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..model import Event, Problem, ReadResult

if TYPE_CHECKING:
    from .prefilter import Selector

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[^\r\n]*\r?\n")
_MAIL_HEADER = re.compile(
    rb"(?im)^(mime-version|content-type|from|subject|received|return-path|message-id|delivered-to):"
)
_CALENDAR_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar", "application/x-ics")


def sniff(head: bytes) -> str | None:
    """'ics', 'ics-utf16', 'eml' or None, from the first bytes of a source."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"B\x00", b"\x00B"):
        return "ics-utf16"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not text or _binary(text):
        return None
    upper = text.upper()
    if upper.startswith((b"BEGIN:VCALENDAR", b"BEGIN:VEVENT")):
        return "ics"
    if _HEADER_LINE.match(text) and _MAIL_HEADER.search(text):
        return "eml"
    if b"BEGIN:VCALENDAR" in upper or b"BEGIN:VEVENT" in upper:
        return "ics"
    return None


_CONTROL = bytes(i for i in range(32) if i not in (9, 10, 12, 13))


def _binary(head: bytes) -> bool:
    """Mostly control bytes (an image, an archive): not text. A stray NUL in a calendar is not enough."""
    return len(head.translate(None, _CONTROL)) < len(head) * 0.95


def read_invitation(data: bytes, source: str, selector: Selector, zone: ZoneInfo) -> ReadResult:
    import email  # only when there is an email to read
    import email.policy

    from .read import read_calendar_data

    message = email.message_from_bytes(data, policy=email.policy.default)
    parts, body = _calendar_parts(message)
    if not parts:
        return ReadResult(errors=(Problem(source, "the email has no calendar invitation (no text/calendar part)"),))
    message_id = _header(message, "Message-ID")
    subject = _header(message, "Subject")
    events: dict[tuple, Event] = {}
    warnings: list[Problem] = []
    errors: list[Problem] = []
    for payload in parts:
        result = read_calendar_data(
            payload,
            source,
            selector,
            zone,
            context_text=body,
            message_id=message_id,
            thread_subject=subject,
        )
        for event in result.events:  # an invitation often carries the same calendar twice
            events.setdefault((event.uid, event.start, event.recurrence_id), event)
        warnings.extend(p for p in result.warnings if p not in warnings)
        errors.extend(p for p in result.errors if p not in errors)
    return ReadResult(events=tuple(events.values()), warnings=tuple(warnings), errors=tuple(errors))


def _header(message, name: str) -> str | None:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header is treated as absent
        return None
    return " ".join(str(value).split()) if value else None


def _calendar_parts(message) -> tuple[list[bytes], str]:
    """Calendar payloads (inline or attached) and the plain-text body, from any MIME layout."""
    parts: list[bytes] = []
    body: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        filename = (part.get_filename() or "").lower()
        if content_type in _CALENDAR_TYPES or filename.endswith((".ics", ".ical", ".ifb")):
            payload = _payload_bytes(part)
            if payload and b"BEGIN:V" in payload.upper():
                parts.append(payload)
        elif content_type == "text/plain" and not part.get_filename():
            body.append(_payload_text(part))
    return parts, "\n".join(body)


def _payload_bytes(part) -> bytes:
    try:
        payload = part.get_payload(decode=True) or b""
    except Exception:  # noqa: BLE001 - broken transfer encoding: nothing usable
        return b""
    charset = part.get_content_charset()
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii", "ascii"):
        try:
            converted = payload.decode(charset, errors="replace").encode("utf-8")
        except LookupError:  # an unknown charset: the bytes as they are
            return payload
        # A wrong label (an ASCII calendar called UTF-16) would turn it to noise: keep the bytes then.
        if b"BEGIN:V" in converted.upper() or b"BEGIN:V" not in payload.upper():
            return converted
    return payload


def _payload_text(part) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")
