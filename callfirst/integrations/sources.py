"""Open what the user named — an .ics file, an invitation .eml, stdin, or Google Calendar — and read it."""

from __future__ import annotations

import email
import email.policy
import io
import mmap
import re
from contextlib import contextmanager
from typing import BinaryIO
from zoneinfo import ZoneInfo

from ..model import Event, Problem, ReadResult
from .ics import Selector, read_calendar_data

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[^\r\n]*\r?\n")
_MAIL_HEADER = re.compile(rb"(?im)^(mime-version|content-type|from|subject|received|return-path|message-id|delivered-to):")
_CALENDAR_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar", "application/x-ics")


def read_source(spec: str, selector: Selector, profile_zone: ZoneInfo, stdin: BinaryIO | None = None,
                google_calendar: str = "primary", progress=None) -> ReadResult:
    """Read one source; a file's failures come back as Problems. Google's raise GoogleError."""
    from .gcal import is_google

    if is_google(spec):
        from .gcal import read_google

        return read_google(spec, selector.window, profile_zone, google_calendar)
    if spec == "-":
        data = (stdin.read() if stdin is not None else b"")
        return _read_stream(io.BytesIO(data), "<stdin>", selector, profile_zone)
    try:
        with open(spec, "rb") as handle:
            return _read_stream(handle, spec, selector, profile_zone, progress)
    except FileNotFoundError:
        return _error(spec, "no such file")
    except IsADirectoryError:
        return _error(spec, "is a directory, not a calendar file")
    except PermissionError:
        return _error(spec, "permission denied")
    except OSError as exc:
        return _error(spec, f"cannot read ({exc.strerror or exc})")


def _error(source: str, message: str) -> ReadResult:
    return ReadResult(errors=(Problem(source, message),))


def sniff(head: bytes) -> str | None:
    """'ics', 'ics-utf16', 'eml' or None, from the first bytes of a source."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"B\x00", b"\x00B"):
        return "ics-utf16"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not text or b"\x00" in text:
        return None
    upper = text.upper()
    if upper.startswith((b"BEGIN:VCALENDAR", b"BEGIN:VEVENT")):
        return "ics"
    if _HEADER_LINE.match(text) and _MAIL_HEADER.search(text):
        return "eml"
    if b"BEGIN:VCALENDAR" in upper or b"BEGIN:VEVENT" in upper:
        return "ics"
    return None


def _read_stream(handle: BinaryIO, source: str, selector: Selector, zone: ZoneInfo, progress=None) -> ReadResult:
    head = handle.read(8192)
    handle.seek(0)
    kind = sniff(head)
    if kind == "ics":
        with _mapped(handle) as data:
            report = (lambda done, total: progress(source, done, total)) if progress else None
            return read_calendar_data(data, source, selector, zone, progress=report)
    if kind == "ics-utf16":
        encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-16-le" if head[:1] == b"B" else "utf-16-be")
        text = handle.read().decode(encoding, errors="replace")
        return read_calendar_data(text.encode("utf-8"), source, selector, zone)
    if kind == "eml":
        return _read_email(handle, source, selector, zone)
    if not head.strip():
        return _error(source, "is empty")
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return _error(source, "is an HTML page, not an iCalendar file or invitation email")
    return _error(source, "is not an iCalendar file or an invitation email")


@contextmanager
def _mapped(handle: BinaryIO):
    """The file's bytes without reading them all into memory: an mmap when the handle is a plain file."""
    try:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        yield handle.read()
        return
    try:
        yield mapped
    finally:
        mapped.close()


def _read_email(handle: BinaryIO, source: str, selector: Selector, zone: ZoneInfo) -> ReadResult:
    message = email.message_from_binary_file(handle, policy=email.policy.default)
    parts, body = _calendar_parts(message)
    if not parts:
        return _error(source, "the email has no calendar invitation (no text/calendar part)")
    message_id = _header(message, "Message-ID")
    subject = _header(message, "Subject")
    events: dict[tuple, Event] = {}
    warnings: list[Problem] = []
    errors: list[Problem] = []
    for payload in parts:
        result = read_calendar_data(
            payload, source, selector, zone,
            context_text=body, message_id=message_id, thread_subject=subject,
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


def busy_from(spec: str, window, google_calendar: str = "primary") -> tuple:
    """Busy times a source knows beyond its events: Google's freeBusy; nothing for files."""
    from .gcal import busy_google, is_google

    return busy_google(spec, window, google_calendar) if is_google(spec) else ()
