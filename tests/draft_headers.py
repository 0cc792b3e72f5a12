"""What every draft the test suite makes must look like once read back: only the headers callfirst sets, one
From, one To with one address, one Subject, and message IDs written as the `<id>` they are."""

from __future__ import annotations

import email
import email.policy
import re

OWN_HEADERS = frozenset(
    {
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "x-unsent",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
    }
)
PART_HEADERS = frozenset({"content-type", "content-transfer-encoding", "content-disposition", "mime-version"})
# RFC 5322 msg-id: dot-atom-text '@' (dot-atom-text or a domain literal); never an encoded-word.
ATEXT = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~\-"
MESSAGE_ID = re.compile(rf"<[{ATEXT}.]+@(?:[{ATEXT}.]+|\[[!-Z^-~]*\])>")


def header_problems(raw: bytes) -> list[str]:
    """What is wrong with the headers of the draft `raw`; empty when nothing is."""
    problems: list[str] = []
    text = raw.replace(b"\r\n", b"\n")
    head = text.split(b"\n\n", 1)[0]
    if b"\r" in head or b"\x00" in head:
        problems.append("a bare CR or NUL in the header block")
    names = [line.split(b":", 1)[0].decode("ascii", "replace").lower() for line in _unfolded(head)]
    problems += [f"a header callfirst does not set: {name}" for name in names if name not in OWN_HEADERS]
    for name in ("from", "to", "subject"):
        if names.count(name) != 1:
            problems.append(f"{names.count(name)} {name} headers")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if message["To"] is not None and len(message["To"].addresses) != 1:
        problems.append(f"To holds {len(message['To'].addresses)} addresses")
    for line in _unfolded(head):
        name, _, value = line.decode("ascii", "replace").partition(":")
        if name.lower() in ("in-reply-to", "references", "message-id"):
            ids = value.split()
            if not ids or not all(MESSAGE_ID.fullmatch(one) and "=?" not in one for one in ids):
                problems.append(f"{name} is not a list of message IDs: {value.strip()[:120]!r}")
    for part in message.walk():
        if part is message:
            continue
        problems += [f"a part header callfirst does not set: {k}" for k in part if k.lower() not in PART_HEADERS]
    return problems


def _unfolded(head: bytes) -> list[bytes]:
    lines: list[bytes] = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and lines:
            lines[-1] += b" " + line.strip()
        elif line:
            lines.append(line)
    return lines
