"""Invitation emails: sniff what a source is, and take the calendar parts and the body out of a MIME message."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from ..model import Event, Problem, ReadResult

if TYPE_CHECKING:
    from email.message import EmailMessage, Message
    from email.policy import EmailPolicy

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


# Codecs Python has that no mail uses: idna and undefined raise whatever errors are asked for, and the
# pure-Python punycode decoder takes time quadratic in its input. A label naming one is read as unknown.
_NOT_MAIL_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})
# The standard library parses MIME parameters in time quadratic in a header's length (RFC 2231 continuations,
# quoted semicolons); no real invitation has a header this long, so the headers read are cut there.
MAX_HEADER = 4096
_HEADERS_READ = frozenset({"content-type", "content-disposition", "content-transfer-encoding", "message-id", "subject"})
# Charset labels in header values: RFC 2231 parameters (name*=charset'lang'text) in the MIME headers, and
# RFC 2047 encoded-words (=?charset?q?text?=) in any.
# A label is anything up to its delimiter but ASCII white space: control characters (which Python's `\s` takes
# for white space) are part of a label, and make it one to replace.
_PARAMETER_LABEL = re.compile(r"(\*[ \t]*=[ \t]*\"?)([^'\"; \t\r\n]{1,80})(?=')")
_WORD_LABEL = re.compile(r"(=\?)([^?* \t\r\n]{1,80})(?=[?*])")


def usable_charset(label: str | None) -> str | None:
    """The codec a MIME charset label names, or None when it names none, or one no mail uses."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
        if name in _NOT_MAIL_CHARSETS:
            return None
        b"a".decode(name, "replace")  # a bytes-to-bytes codec (hex, zlib) is no charset either
    except (LookupError, ValueError):
        return None
    return name


@dataclass
class _Oddities:
    """What the reading of one email met that it had to work around, for its warnings."""

    cut: list[str] = field(default_factory=list)  # headers cut at MAX_HEADER
    labels: list[str] = field(default_factory=list)  # charset labels read as unknown


def bounded_policy(oddities: _Oddities | None = None) -> EmailPolicy[EmailMessage]:
    """policy.default, but what the standard library would choke on never reaches it: the headers callfirst
    reads are cut at MAX_HEADER characters, and a charset label naming a codec that mail does not use, or that
    would make the standard library raise on a header's bytes, is replaced by one Python does not know (the
    standard library then reads that text as ASCII). `oddities` collects what was
    changed."""
    return _guarded_policy()(oddities)


@lru_cache(maxsize=1)
def _guarded_policy() -> Callable[[_Oddities | None], EmailPolicy[EmailMessage]]:
    import email.policy  # only when there is an email to read

    class GuardedPolicy(email.policy.EmailPolicy):
        oddities: _Oddities | None = None

        def __init__(self, oddities: _Oddities | None = None, **settings: Any) -> None:
            super().__init__(**settings)
            object.__setattr__(self, "oddities", oddities)  # a policy is immutable once made

        def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
            name, value = super().header_source_parse(sourcelines)
            if name.lower() not in _HEADERS_READ:
                return name, value
            if len(value) > MAX_HEADER:
                value = value[:MAX_HEADER]
                if self.oddities is not None:
                    self.oddities.cut.append(name)
            if name.lower().startswith("content-"):
                value = _PARAMETER_LABEL.sub(self._unknown_if_odd, value)
            return name, _WORD_LABEL.sub(self._unknown_if_odd, value)

        def _unknown_if_odd(self, match: re.Match[str]) -> str:
            label = match.group(2)
            if _safe_in_headers(label) or _unknown_codec(label):
                return match.group(0)
            if self.oddities is not None:
                self.oddities.labels.append(label)
            return match.group(1) + "unknown-8bit"

    # Its messages are EmailMessages, as policy.default's are; the class cannot say so at run time.
    return cast("Callable[[_Oddities | None], EmailPolicy[EmailMessage]]", GuardedPolicy)


# Bytes the standard library may meet in a header value: a truncated UTF-16 unit, an unfinished UTF-7 shift, an
# ISO-2022 escape, a broken double-byte sequence. It decodes them with 'surrogateescape', which escapes bytes
# from 0x80 only: a codec failing on one of these makes it raise.
_HEADER_PROBES = (b"0", b"+\x80-", b"\x1b$B\x1b(", b"\x81\x20", b"\x8e\x20", b"\xa1\x20", b"\xff\xfe\x00")


@lru_cache(maxsize=256)
def _safe_in_headers(label: str) -> bool:
    """Can the standard library decode any header text labelled with this charset without raising?"""
    codec = usable_charset(label)
    if codec is None:
        return False
    try:
        for probe in _HEADER_PROBES:
            probe.decode(codec, "surrogateescape")
    except (UnicodeError, LookupError):
        return False
    return True


def _unknown_codec(label: str) -> bool:
    """Is `label` no codec's name (the standard library reads such text as ASCII)? A label that makes the
    lookup itself fail (a NUL in it) is not unknown: the standard library would raise on it."""
    try:
        codecs.lookup(label)
    except LookupError:
        return True
    except ValueError:
        return False
    return False


# What the standard library's email package may raise on a message it cannot make sense of.
EMAIL_FAILURES = (ValueError, LookupError, TypeError, AttributeError, IndexError, KeyError, RecursionError)


def read_invitation(data: bytes, source: str, selector: Selector, zone: ZoneInfo) -> ReadResult:
    import email  # only when there is an email to read

    from .read import read_calendar_data

    oddities = _Oddities()
    try:
        message = email.message_from_bytes(data, policy=bounded_policy(oddities))
        parts, body = _calendar_parts(message, oddities)
        message_id = _header(message, "Message-ID")
        subject = _header(message, "Subject")
    except EMAIL_FAILURES as exc:  # the email package's own failure: this email is lost, never another source
        if isinstance(exc, RecursionError):  # its parser recurses once per nested part
            return ReadResult(errors=(Problem(source, "nests MIME parts too deeply to be an invitation"),))
        name = type(exc).__name__
        return ReadResult(errors=(Problem(source, f"the email cannot be read (its MIME structure: {name})"),))
    warnings: list[Problem] = _odd_warnings(source, oddities)
    if not parts:
        missing = Problem(source, "the email has no calendar invitation (no text/calendar part)")
        return ReadResult(warnings=tuple(warnings), errors=(missing,))
    events: dict[tuple[Any, ...], Event] = {}
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
        warnings.extend(result.warnings)
        errors.extend(result.errors)
    # the same problem told once, in the order first told (a set of seen problems keeps this linear)
    return ReadResult(
        events=tuple(events.values()), warnings=tuple(dict.fromkeys(warnings)), errors=tuple(dict.fromkeys(errors))
    )


def _odd_warnings(source: str, oddities: _Oddities) -> list[Problem]:
    warnings = []
    if oddities.cut:
        names = ", ".join(sorted(set(oddities.cut)))
        warnings.append(
            Problem(source, f"a {names} header is longer than {MAX_HEADER} characters; only its start was read")
        )
    if oddities.labels:
        labels = ", ".join(repr(label[:40]) for label in dict.fromkeys(oddities.labels))
        warnings.append(
            Problem(source, f"the charset {labels} is unknown or cannot be read here; its text was read without it")
        )
    return warnings


def _header(message: Message, name: str) -> str | None:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header is treated as absent
        return None
    return " ".join(str(value).split()) if value else None


def _calendar_parts(message: Message, oddities: _Oddities) -> tuple[list[bytes], str]:
    """Calendar payloads (inline or attached) and the plain-text body, from any MIME layout."""
    parts: list[bytes] = []
    body: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        filename = (part.get_filename() or "").lower()
        if content_type in _CALENDAR_TYPES or filename.endswith((".ics", ".ical", ".ifb")):
            payload = _payload_bytes(part, oddities)
            if payload and b"BEGIN:V" in payload.upper():
                parts.append(payload)
        elif content_type == "text/plain" and not part.get_filename():
            body.append(_payload_text(part, oddities))
    return parts, "\n".join(body)


def _charset(part: Message, oddities: _Oddities) -> str | None:
    """The codec of the part's charset; None when it names none (noted when it names one that is no charset)."""
    label = part.get_content_charset()
    codec = usable_charset(label)
    if label and codec is None:
        oddities.labels.append(label)
    return codec


def _payload_bytes(part: Message, oddities: _Oddities) -> bytes:
    payload = _decoded(part)
    charset = _charset(part, oddities)
    if charset and charset not in ("utf-8", "ascii"):
        converted = payload.decode(charset, errors="replace").encode("utf-8")
        # A wrong label (an ASCII calendar called UTF-16) would turn it to noise: keep the bytes then.
        if b"BEGIN:V" in converted.upper() or b"BEGIN:V" not in payload.upper():
            return converted
    return payload


def _payload_text(part: Message, oddities: _Oddities) -> str:
    return _decoded(part).decode(_charset(part, oddities) or "utf-8", errors="replace")


def _decoded(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - broken transfer encoding: nothing usable
        return b""
    return payload if isinstance(payload, bytes) else b""
