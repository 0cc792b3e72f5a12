"""The fast path: decide from raw bytes which VEVENT blocks can matter, without parsing them.

Well-formed one-off blocks whose dates miss the window, or whose text holds no interview word,
are skipped as bytes; everything unusual is left for the line reader (`split`) to handle and report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Window


@dataclass
class Selector:
    """Which raw events are worth parsing: could be an interview, or lies in the window."""

    window: Window
    could_be_interview: Callable[[str], bool]
    keep_all_in_window: bool = False

    def wants(self, text: str, recurring: bool) -> bool:
        return not self.outside_window(text, recurring) and self.matches(text)

    def outside_window(self, text: str | bytes, recurring: bool) -> bool:
        """A one-off event whose dates surely miss the window (recurring ones are never ruled out here)."""
        return not recurring and not may_overlap(text, self.window)

    def matches(self, text: str) -> bool:
        return self.keep_all_in_window or self.could_be_interview(text)


_DTVALUE = re.compile(r"^(DTSTART|DTEND)(?:;[^:]*)?:(\d{4})(\d{2})(\d{2})", re.MULTILINE | re.IGNORECASE)


_DTVALUE_BYTES = re.compile(_DTVALUE.pattern.encode(), re.MULTILINE | re.IGNORECASE)


_DURATION = re.compile(r"^DURATION", re.MULTILINE | re.IGNORECASE)


_DURATION_BYTES = re.compile(rb"^DURATION", re.MULTILINE | re.IGNORECASE)


def may_overlap(text: str | bytes, window: Window) -> bool:
    """Cheap date test on raw text (str or bytes); True whenever it cannot tell for sure."""
    binary = isinstance(text, bytes)
    dtvalue, duration = (_DTVALUE_BYTES, _DURATION_BYTES) if binary else (_DTVALUE, _DURATION)
    found = {m.group(1).upper(): m.groups()[1:] for m in dtvalue.finditer(text)}
    start_key, end_key = (b"DTSTART", b"DTEND") if binary else ("DTSTART", "DTEND")
    if start_key not in found or duration.search(text):
        return True
    try:
        start = date(*map(int, found[start_key]))
        end = date(*map(int, found.get(end_key, found[start_key])))
    except ValueError:
        return True
    slack = timedelta(days=2)
    return start <= window.end.date() + slack and max(start, end) >= window.start.date() - slack


_BEGIN_EVENT = b"BEGIN:VEVENT"


_END_EVENT = b"\nEND:VEVENT"


RECURRING = re.compile(r"^(RRULE|RDATE|RECURRENCE-ID)[;:]", re.MULTILINE | re.IGNORECASE)


_RECURRING_BYTES = re.compile(RECURRING.pattern.encode(), re.MULTILINE | re.IGNORECASE)


def kept_lines(
    data, selector: Selector, skipped: list[int], progress: Callable[[int, int], None] | None = None
) -> Iterator[tuple[int, bytes]]:
    """Numbered raw lines of `data`, minus well-formed VEVENT blocks the line reader would drop unparsed.

    Anything unusual (lower-case names, nested components other than VALARM, a missing END,
    non-UTF-8 text, recurrence) is left in, for the line reader to handle and report.
    """
    position, number = 0, 1
    search = seen = 0
    size = len(data)
    while True:
        begin = data.find(_BEGIN_EVENT, search)
        if begin < 0:
            break
        search = begin + len(_BEGIN_EVENT)
        seen += 1
        if progress is not None and seen % 1024 == 0:
            progress(begin, size)
        block_end = _skippable_block(data, begin, size, selector)
        if block_end is None:
            continue
        for numbered in _lines(data, position, begin, number):
            yield numbered
            number = numbered[0]
        number += 1 if position < begin else 0
        number += _count_newlines(data, begin, block_end)
        position = search = block_end
        skipped[0] += 1
    yield from _lines(data, position, size, number)
    if progress is not None:
        progress(size, size)


def _skippable_block(data, begin: int, size: int, selector: Selector) -> int | None:
    """The offset just past the block starting at `begin` when it can be skipped, else None."""
    if begin and data[begin - 1 : begin] != b"\n":
        return None
    after = data[begin + 12 : begin + 14]
    if not (after == b"\r\n" or after[:1] == b"\n"):
        return None
    end = data.find(_END_EVENT, begin)
    if end < 0:
        return None
    following = data.find(_BEGIN_EVENT, begin + 12)
    if 0 <= following < end:
        return None  # this block has no END of its own
    line_end = data.find(b"\n", end + 1)
    line_end = size if line_end < 0 else line_end + 1
    if data[end + 11 : line_end].strip() or data[line_end : line_end + 1] in (b" ", b"\t"):
        return None
    raw = data[begin : end + 11]
    lowered = b"\n" + raw.lower()
    if lowered.count(b"\nbegin:") != 1 + lowered.count(b"\nbegin:valarm") or lowered.count(
        b"\nend:"
    ) != 1 + lowered.count(b"\nend:valarm"):
        return None  # other nested components: the line reader decides
    if _RECURRING_BYTES.search(raw):
        return None
    if selector.outside_window(raw, False):
        return line_end
    unfolded = raw.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").replace(b"\n ", b"").replace(b"\n\t", b"")
    try:
        text = unfolded.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if selector.matches(text.partition("\n")[2]) else line_end


def _lines(data, start: int, stop: int, first_number: int) -> Iterator[tuple[int, bytes]]:
    number = first_number
    position = start
    while position < stop:
        newline = data.find(b"\n", position, stop)
        end = stop if newline < 0 else newline + 1
        yield number, data[position:end]
        number += 1
        position = end


def _count_newlines(data, start: int, stop: int, chunk: int = 1 << 20) -> int:
    """Newlines in data[start:stop], a chunk at a time (an mmap has no count())."""
    return sum(data[i : min(i + chunk, stop)].count(b"\n") for i in range(start, stop, chunk))
