"""Split numbered raw lines into components: VTIMEZONEs kept, VEVENTs kept only when they can matter."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..model import Problem
from .prefilter import RECURRING, Selector, uid_key, unescape

MAX_NESTING = 20
_STRAYS_NAMED = 5  # stray lines of one kind named one by one; the rest told in one warning


@dataclass
class Block:
    lines: list[str]
    line: int
    uid: str
    recurring: bool
    wanted: bool


@dataclass
class Split:
    timezones: list[tuple[int, list[str]]] = field(default_factory=list)
    calendar_props: dict[str, str] = field(default_factory=dict)
    calendar_lines: dict[str, int] = field(default_factory=dict)  # where each of calendar_props was read
    blocks: list[Block] = field(default_factory=list)
    saw_calendar: bool = False
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # `uid_key`s more than one block of the file holds: such a block is kept even when it cannot matter
    # itself, as another version of an event that can
    repeated: frozenset[bytes] = frozenset()


def logical_lines(numbered_lines: Iterable[tuple[int, bytes]]) -> Iterator[tuple[int, str]]:
    """Unfold continuation lines (as bytes, so split UTF-8 sequences join up) and decode."""
    pending: list[bytes] | None = None
    pending_number = 0
    for number, raw in numbered_lines:
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        raw = raw.rstrip(b"\r\n")
        if pending is not None and raw[:1] in (b" ", b"\t"):
            pending.append(raw[1:])  # joined once at the end: linear however many continuation lines
            continue
        if pending is not None:
            yield pending_number, _decode(b"".join(pending))
        pending, pending_number = [raw], number
    if pending is not None:
        yield pending_number, _decode(b"".join(pending))


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


_NAME = re.compile(r"^([A-Za-z0-9-]+)")


def split_components(
    lines: Iterator[tuple[int, str]], source: str, selector: Selector, out: Split | None = None
) -> Split:
    """Components from logical lines; with `out`, added to what an earlier call found."""
    out = out or Split()
    stack: list[tuple[str, int]] = []
    open_names: dict[str, int] = {}  # how often each name is on the stack: no scan of the stack per END
    capture: list[str] | None = None
    capture_kind, capture_line, capture_depth = "", 0, 0
    too_deep = False
    stray_ends = _Strays(out, source, "END lines without a matching BEGIN are ignored")
    lost_ends = _Strays(out, source, "BEGIN lines have no END")

    def abandon(reason: str) -> None:
        nonlocal capture
        out.errors.append(Problem(source, reason, capture_line))
        capture = None

    for number, text in lines:
        if not text.strip():
            continue
        match = _NAME.match(text)
        name = match.group(1).upper() if match else ""
        value = text.partition(":")[2].strip().upper()
        if name == "BEGIN":
            if value == "VEVENT" and capture is not None and capture_kind == "VEVENT":
                # An event cannot hold another: the open one lost its END. Close it, read on.
                abandon(f"BEGIN:VEVENT has no END:VEVENT (a new BEGIN:VEVENT at line {number}); event skipped")
                for dropped, _ in stack[capture_depth - 1 :]:
                    open_names[dropped] -= 1
                del stack[capture_depth - 1 :]
            stack.append((value, number))
            open_names[value] = open_names.get(value, 0) + 1
            if value in ("VCALENDAR", "VEVENT"):
                out.saw_calendar = True
            if capture is None and value in ("VEVENT", "VTIMEZONE"):
                capture, capture_kind, capture_line, capture_depth = [], value, number, len(stack)
                too_deep = False
            elif capture is not None and len(stack) - capture_depth > MAX_NESTING:
                too_deep = True
        elif name == "END":
            if not open_names.get(value):
                stray_ends.add(f"END:{value} without a matching BEGIN is ignored", number)
                continue
            while stack[-1][0] != value:
                unclosed, began = stack.pop()
                open_names[unclosed] -= 1
                if capture is not None and len(stack) < capture_depth:
                    abandon(
                        f"BEGIN:{capture_kind} has no END:{capture_kind} (found END:{value} at line {number}); event skipped"
                    )
                else:
                    lost_ends.add(f"BEGIN:{unclosed} has no END:{unclosed}", began)
            stack.pop()
            open_names[value] -= 1
            if capture is not None and not too_deep:
                capture.append(text)
            if capture is not None and len(stack) < capture_depth:
                if too_deep:
                    abandon(f"{capture_kind} nests components more than {MAX_NESTING} deep; skipped")
                else:
                    _finish(out, capture_kind, capture, capture_line, selector)
                    capture = None
            continue
        elif capture is None:
            if len(stack) == 1 and stack[0][0] == "VCALENDAR" and name in ("X-WR-TIMEZONE", "METHOD", "X-WR-CALNAME"):
                out.calendar_props[name] = text.partition(":")[2].strip()
                out.calendar_lines[name] = number
            continue
        if capture is not None and not too_deep:
            capture.append(text)
    stray_ends.close()
    lost_ends.close()
    if capture is not None:
        abandon(f"BEGIN:{capture_kind} has no END:{capture_kind} before the end of the file; event skipped")
    for unclosed, began in stack:
        if unclosed == "VCALENDAR":
            out.warnings.append(Problem(source, "BEGIN:VCALENDAR has no END:VCALENDAR", began))
    return out


class _Strays:
    """Lines of one kind that are set aside (an END without a BEGIN, a BEGIN without an END): the first few
    named one by one, the rest told in one warning, so that a file of thousands costs a few warnings."""

    def __init__(self, out: Split, source: str, told: str) -> None:
        self.out, self.source, self.told = out, source, told
        self.named = self.more = 0
        self.first = self.last = 0  # the lines of those not named, from the first to the last

    def add(self, message: str, line: int) -> None:
        if self.named < _STRAYS_NAMED:
            self.named += 1
            self.out.warnings.append(Problem(self.source, message, line))
            return
        self.first = min(self.first, line) if self.more else line
        self.last = max(self.last, line)
        self.more += 1

    def close(self) -> None:
        """The warning for those not named, if any."""
        if self.more:
            lines = f"line {self.first}" if self.first == self.last else f"lines {self.first} to {self.last}"
            self.out.warnings.append(Problem(self.source, f"{self.more:,} more {self.told} ({lines})", self.first))


def _finish(out: Split, kind: str, lines: list[str], line: int, selector: Selector) -> None:
    if kind == "VTIMEZONE":
        out.timezones.append((line, lines))
        return
    body = "\n".join(lines)
    recurring = bool(RECURRING.search(body))
    wanted = selector.wants(body, recurring)
    written = _own_uid(lines) if wanted or recurring or out.repeated else None
    if not wanted and not recurring and (written is None or uid_key(written) not in out.repeated):
        return  # cannot matter: never parsed, never kept
    uid = (uid_of(written) if written is not None else "") or f"line-{line}"
    out.blocks.append(Block(lines=lines, line=line, uid=uid, recurring=recurring, wanted=wanted))


def _own_uid(lines: list[str]) -> str | None:
    """The event's UID as written, never one of a component inside it (an alarm may have a UID of its own)."""
    depth = 0
    for text in lines:
        match = _NAME.match(text)
        name = match.group(1).upper() if match else ""
        if name == "BEGIN":
            depth += 1
        elif name == "END":
            depth -= 1
        elif name == "UID" and depth == 1 and text[3:4] in (":", ";"):
            return text.partition(":")[2]
    return None


def uid_of(value: str) -> str:
    """A UID as written (after its colon) as icalendar reads it: unescaped (a\\,b is a,b), and stripped."""
    return unescape(value).strip()


def groups(blocks: list[Block]) -> Iterator[list[Block]]:
    """Blocks sharing a UID belong together (a series and its moved occurrences)."""
    by_uid: dict[str, list[Block]] = {}
    for block in blocks:
        by_uid.setdefault(block.uid, []).append(block)
    for group in by_uid.values():
        if any(block.wanted for block in group):
            # in the file's order, whatever order they were split in: which of two versions of an event
            # is read depends on it, as it does in icalendar
            yield sorted(group, key=lambda block: block.line) if len(group) > 1 else group
