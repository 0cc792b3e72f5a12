"""The fast path: decide from raw bytes which VEVENT blocks can matter, without parsing them.

Well-formed one-off blocks whose dates miss the window, or whose text holds no interview word,
are skipped as bytes; everything unusual is left for the line reader (`split`) to handle and report.
"""

from __future__ import annotations

import mmap
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from ..model import Window
from .budget import Budget, last_instance_bound

Data = bytes | mmap.mmap  # a calendar's bytes, or a file mapped into memory


@dataclass
class Selector:
    """Which raw events are worth parsing: could be an interview, or lies in the window."""

    window: Window
    could_be_interview: Callable[[str], bool]
    keep_all_in_window: bool = False
    # Lower-case words of which every text `could_be_interview` accepts holds one (searched in the raw bytes).
    # Empty: the bytes are not searched, every block is tested one by one.
    stems: tuple[str, ...] = ()
    budget: Budget = field(default_factory=Budget)  # the scan's, for every source it reads
    # A title that alone rules an event out (the detector's exclusions): such a block is never parsed.
    title_rules_out: Callable[[str], bool] | None = None
    # The owner's addresses (lower case), and whether a block's own text, when one of them is in it, says it is
    # no interview (the verdict on an event the owner organizes): such a block is never parsed either.
    owner_addresses: tuple[str, ...] = ()
    owned_rules_out: Callable[[str], bool] | None = None
    _titles: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def wants(self, text: str, recurring: bool) -> bool:
        return not self.outside_window(text, recurring) and self.matches(text)

    def outside_window(self, text: str | bytes, recurring: bool) -> bool:
        """A one-off event whose dates surely miss the window (recurring ones are never ruled out here)."""
        return not recurring and not may_overlap(text, self.window)

    def matches(self, text: str) -> bool:
        if self.keep_all_in_window:
            return True
        return self.could_be_interview(text) and not self.ruled_out(text)

    def ruled_out(self, text: str) -> bool:
        """Does the block's own text say it is no interview? Its title (once per distinct title), else, when it
        holds an address of the owner's, `owned_rules_out`."""
        if self._by_title(text):
            return True
        if self.owned_rules_out is None or not self.owner_addresses:
            return False
        lowered = text.lower()
        return any(address in lowered for address in self.owner_addresses) and self.owned_rules_out(text)

    def _by_title(self, text: str) -> bool:
        if self.title_rules_out is None:
            return False
        title = own_title(text)
        if title is None:
            return False
        verdict = self._titles.get(title)
        if verdict is None:
            if len(self._titles) >= _TITLES_KEPT:
                self._titles.clear()
            verdict = self._titles[title] = self.title_rules_out(title)
        return verdict


# A content line as icalendar reads it plainly (the shape simple.py and own_title accept).
_CONTENT = re.compile(r"([A-Z][A-Z0-9-]*)((?:;[A-Z][A-Z0-9-]*=(?:\"[^\"]*\"|[^\";:,^]*))*):(.*)", re.DOTALL)
_PARAM = re.compile(r";([A-Z][A-Z0-9-]*)=(\"[^\"]*\"|[^\";:,^]*)")
_TIMES = frozenset(("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"))
_UNESCAPE = re.compile(r"\\([\\,;:nN])")


def unescape(value: str) -> str:
    """A TEXT value with its backslash escapes read."""
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value) if "\\" in value else value


def content_line(line: str) -> tuple[str, dict[str, str], str] | None:
    """A content line's name, parameters (each once, unquoted) and value, when plainly written."""
    match = _CONTENT.fullmatch(line)
    if match is None:
        return None
    name, raw_params, value = match.groups()
    if "\\" in raw_params:
        return None  # icalendar unescapes inside parameters too
    params: dict[str, str] = {}
    for key, param in _PARAM.findall(raw_params):
        if key in params:
            return None
        params[key] = param[1:-1] if param[:1] == '"' else param
        if "^" in param or not param.isprintable() or param != param.strip():
            return None  # caret escapes, controls, padding: icalendar reads these its own way
    if "VALUE" in params and name not in _TIMES:
        return None  # text given another type (SUMMARY;VALUE=INTEGER:0042): icalendar reads it as that type
    return name, params, value


_TITLES_KEPT = 50_000
_LINE_NAME = re.compile(r"([A-Za-z0-9-]+)[ \t]*([;:]?)")


def own_title(text: str) -> str | None:
    """The SUMMARY of one raw VEVENT block (unfolded; its BEGIN line may be left out), unescaped and stripped
    as icalendar gives it; None when the text leaves any doubt (no title or two, another event inside, a
    title not plainly written), so the block is parsed."""
    lines = own_lines(text)
    if lines is None:
        return None
    found = None
    for name, line in lines:
        if name == "SUMMARY":
            if found is not None:
                return None  # written twice: icalendar reads the first, the line reader may warn
            content = content_line(line)
            if content is None or content[0] != "SUMMARY":
                return None
            found = unescape(content[2]).strip()
    return found


def own_lines(text: str) -> list[tuple[str, str]] | None:
    """The content lines of one raw VEVENT block (unfolded; its BEGIN line may be left out) that are its own,
    not a nested component's, each with its name in upper case; None when another event is inside or an END
    has no BEGIN. What follows the block's END is not its own."""
    nested, events = 0, 0
    found: list[tuple[str, str]] = []
    for raw_line in text.split("\n"):
        line = raw_line.rstrip("\r")
        match = _LINE_NAME.match(line)
        if match is None:
            continue
        name = match.group(1).upper()
        if name in ("BEGIN", "END"):
            component = line[match.end() :].strip().upper()
            if component == "VEVENT":
                if name == "END":
                    break
                events += 1
            else:
                nested += 1 if name == "BEGIN" else -1
            if events > 1 or nested < 0:
                return None
        elif nested == 0:
            found.append((name, line))
    return found


# Searched in the text with a newline put before it: a line start is then always after a newline, and a
# pattern that begins with one is searched for far faster than one that begins with ^.
_DTVALUE_BYTES = re.compile(rb"\n(DTSTART|DTEND)(?:;[^:]*)?:(\d{4})(\d{2})(\d{2})", re.IGNORECASE)


_DURATION_BYTES = re.compile(rb"\nDURATION", re.IGNORECASE)


def _dates(raw: bytes) -> dict[bytes, tuple[bytes, ...]]:
    """The year, month and day digits of the event's own DTSTART and DTEND lines (none inside an alarm), by
    upper-case name; none at all when an alarm has no end or either line is written twice."""
    text = b"\n" + raw
    alarms = _alarms(text)
    if alarms is None:
        return {}
    found: dict[bytes, tuple[bytes, ...]] = {}
    for match in _DTVALUE_BYTES.finditer(text):
        if any(start < match.start() < stop for start, stop in alarms):
            continue
        name = match.group(1).upper()
        if name in found:
            return {}  # written twice (an unfolded line that reads like one): the line reader says so
        found[name] = match.groups()[1:]
    return found


def _alarms(text: bytes) -> list[tuple[int, int]] | None:
    """Where the alarms nested in an event's text are, or None when one has no end."""
    lowered = text.lower()
    spans = []
    start = lowered.find(b"\nbegin:valarm")
    while start >= 0:
        stop = lowered.find(b"\nend:valarm", start)
        if stop < 0:
            return None
        spans.append((start, stop))
        start = lowered.find(b"\nbegin:valarm", stop)
    return spans


def may_overlap(text: str | bytes, window: Window) -> bool:
    """Cheap date test on raw text (str or bytes); True whenever it cannot tell for sure."""
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    found = _dates(raw)
    start_key, end_key = b"DTSTART", b"DTEND"
    if start_key not in found or _DURATION_BYTES.search(b"\n" + raw):
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


# white space after the name as icalendar allows it ("RRULE :FREQ=DAILY" is a rule there too)
RECURRING = re.compile(r"^(RRULE|RDATE|RECURRENCE-ID)[ \t]*[;:]", re.MULTILINE | re.IGNORECASE)


_RECURRING_BYTES = re.compile(RECURRING.pattern.encode(), re.MULTILINE | re.IGNORECASE)


def kept_lines(
    data: Data,
    selector: Selector,
    skipped: list[int],
    progress: Callable[[int, int], None] | None = None,
    repeated: frozenset[bytes] = frozenset(),
) -> Iterator[tuple[int, bytes]]:
    """Numbered raw lines of `data`, minus well-formed VEVENT blocks the line reader would drop unparsed.

    Anything unusual (lower-case names, nested components other than VALARM, a missing END,
    non-UTF-8 text, recurrence) is left in, for the line reader to handle and report; so is every block
    holding a UID in `repeated` (see `uid_key`), to be read with the others that hold it.
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
        block_end = _skippable_block(data, begin, size, selector, repeated)
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


def _skippable_block(data: Data, begin: int, size: int, selector: Selector, repeated: frozenset[bytes]) -> int | None:
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
    unfolded = raw.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").replace(b"\n ", b"").replace(b"\n\t", b"")
    if _RECURRING_BYTES.search(unfolded):  # unfolded: a fold inside RECURRENCE-ID must not hide it
        return None
    if repeated and any(uid_key(uid) in repeated for uid in block_uids(unfolded)):
        return None  # read with the other blocks holding its UID
    if selector.outside_window(raw, False):
        return line_end
    try:
        text = unfolded.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if selector.matches(text.partition("\n")[2]) else line_end


def _lines(data: Data, start: int, stop: int, first_number: int) -> Iterator[tuple[int, bytes]]:
    number = first_number
    position = start
    while position < stop:
        newline = data.find(b"\n", position, stop)
        end = stop if newline < 0 else newline + 1
        yield number, data[position:end]
        number += 1
        position = end


def _count_newlines(data: Data, start: int, stop: int, chunk: int = 1 << 20) -> int:
    """Newlines in data[start:stop], a chunk at a time (an mmap has no count())."""
    return sum(data[i : min(i + chunk, stop)].count(b"\n") for i in range(start, stop, chunk))


# --- the whole buffer at once --------------------------------------------------------------------
#
# One searchable copy of the file (ASCII lower-cased, other bytes as 0x80, no CR, folded lines joined)
# is searched with a few compiled patterns: where the VEVENT blocks are, which hold a word an
# interview could contain, which recur, which hold other components. Only the blocks that matter are
# then looked at one by one. Anything the copy cannot vouch for falls back to `kept_lines`.


@dataclass
class Layout:
    """Which raw byte ranges to read line by line, and which plain one-off blocks to read directly."""

    regions: list[tuple[int, int]]
    simple: list[tuple[int, int, int]]  # (start, stop, line) of one-off blocks in the window (scan --all)
    skipped: int
    repeated: frozenset[bytes] = frozenset()  # `uid_key`s more than one block holds


_SEARCHABLE = bytes(i + 32 if 65 <= i <= 90 else 0x80 if i >= 0x80 else i for i in range(256))
_CHUNK = 1 << 20
_OPEN, _CLOSE = b"\nbegin:vevent\n", b"\nend:vevent\n"
_OTHER = re.compile(rb"\n(?:begin|end)(?![a-z0-9\-])(?!:vevent\n)")
_ALARM = (b"\nbegin:valarm\n", b"\nend:valarm\n")
_RECURRENCE = (b"\nrrule", b"\nrdate", b"\nrecurrence-id")
_AFTER_NAME = re.compile(rb"[ \t]*[;:]")  # what may follow a property's name, as icalendar reads it
_UID = re.compile(rb"^UID(?:;[^:\r\n]*)?:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)", re.MULTILINE | re.IGNORECASE)


def searchable(data: Data, progress: Callable[[int, int], None] | None = None) -> bytearray:
    """The copy every whole-buffer search runs on; a newline before and after, so every line starts with one."""
    out = bytearray(b"\n")
    size, position = len(data), 0
    while position < size:
        stop = min(position + _CHUNK, size)
        while stop < size:  # cut after a newline that no continuation line follows
            newline = data.find(b"\n", stop)
            if newline < 0:
                stop = size
            elif data[newline + 1 : newline + 2] in (b" ", b"\t"):
                stop = newline + 1
                continue
            else:
                stop = newline + 1
            break
        out += data[position:stop].translate(_SEARCHABLE, b"\r").replace(b"\n ", b"").replace(b"\n\t", b"")
        position = stop
        if progress is not None:
            progress(position, size)
    out += b"\n"
    return out


def _all(haystack: bytes | bytearray, needle: bytes, start: int = 0) -> list[int]:
    found = []
    position = haystack.find(needle, start)
    while position >= 0:
        found.append(position)
        position = haystack.find(needle, position + len(needle) - 1)
    return found


def _raw_begins(data: Data) -> list[int]:
    """Offsets of BEGIN:VEVENT lines, in upper case, at a line start, with no continuation line."""
    found = []
    position = data.find(_BEGIN_EVENT)
    while position >= 0:
        after = data[position + 12 : position + 15]
        ends_line = after[:2] == b"\r\n" or after[:1] == b"\n"
        follower = after[2:3] if after[:1] == b"\r" else after[1:2]
        if (position == 0 or data[position - 1 : position] == b"\n") and ends_line and follower not in (b" ", b"\t"):
            found.append(position)
        position = data.find(_BEGIN_EVENT, position + 12)
    return found


def layout(
    data: Data, selector: Selector, progress: Callable[[int, int], None] | None = None, text: bytearray | None = None
) -> Layout | None:
    """The plan for reading `data` (whose searchable copy is `text`, made here when not given), or None when
    the file is unusual (then `kept_lines` reads it)."""
    if not selector.keep_all_in_window and not selector.stems:
        return None
    size = len(data)
    text = searchable(data, progress) if text is None else text
    opens, closes = _all(text, _OPEN), _all(text, _CLOSE)
    count = len(opens)
    if not count or len(closes) != count:
        return None
    if any(c < o for o, c in zip(opens, closes, strict=True)) or any(
        o < c for c, o in zip(closes, opens[1:], strict=False)
    ):
        return None  # an END missing or out of place: the line reader says where
    begins = _raw_begins(data)
    if len(begins) != count:
        return None  # a BEGIN:VEVENT the raw bytes and the copy disagree on (lower case, folded)
    irregular: set[int] = set()
    for match in _OTHER.finditer(text):
        at = match.start()
        index = bisect_right(opens, at) - 1
        if index >= 0 and at < closes[index] and not text.startswith(_ALARM, at):
            irregular.add(index)
    holding = {
        needle: {
            index
            for at in _all(text, needle)
            if _AFTER_NAME.match(text, at + len(needle))
            and (index := bisect_right(opens, at) - 1) >= 0
            and at < closes[index]
        }
        for needle in _RECURRENCE
    }
    recurring = set().union(*holding.values())

    def stop_of(index: int) -> int:
        return begins[index + 1] if index + 1 < count else size

    def raw(index: int) -> bytes:
        return data[begins[index] : stop_of(index)]

    keep: set[int] = set(irregular)
    simple: list[int] = []
    if selector.keep_all_in_window:
        for index in range(count):
            if index in keep:
                continue
            if index in recurring:
                keep.add(index)
            elif not selector.outside_window(raw(index), False):
                simple.append(index)
    else:
        # A moved occurrence is looked at by its own dates: its series, when read, brings it back (_partners).
        moved = _moved_only(holding, text, opens, closes)
        elsewhere = _surely_elsewhere(text, opens, closes, selector.window) - (recurring - moved) - irregular
        for index in sorted(_candidates(text, opens, closes, selector, raw, elsewhere)):
            if (index in recurring or not selector.outside_window(raw(index), False)) and not _titled_out(
                raw(index), selector
            ):
                keep.add(index)
    holders = _uid_holders(text, opens, closes)
    keep |= _partners(keep | set(simple), holders) - set(simple)
    keep -= _series_outside(keep, irregular, recurring, text, opens, closes, selector.window, simple)
    regions: list[tuple[int, int]] = [(0, begins[0])]
    simple_spans: list[tuple[int, int, int]] = []
    simple_set = set(simple)
    lines_before, counted = 1, 0
    for index in range(count):
        if (
            index not in keep
            and index not in simple_set
            and closes[index] + 11 == (opens[index + 1] if index + 1 < count else -1)
        ):
            continue  # skipped, and nothing between it and the next block
        start, stop = begins[index], stop_of(index)
        if index in keep:
            regions.append((start, stop))
            continue
        end = _raw_end(data, start, stop)
        if end is None:
            regions.append((start, stop))
            simple_set.discard(index)
            continue
        if index in simple_set:
            lines_before += _count_newlines(data, counted, start)
            counted = start
            simple_spans.append((start, end, lines_before))
        if end < stop:
            regions.append((end, stop))
    if progress is not None:
        progress(size, size)
    merged: list[tuple[int, int]] = []
    for start, stop in regions:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], stop)
        elif stop > start:
            merged.append((start, stop))
    return Layout(
        regions=merged,
        simple=simple_spans,
        skipped=count - len(keep) - len(simple_spans),
        repeated=frozenset(holders),
    )


def _series_outside(
    kept: set[int],
    irregular: set[int],
    recurring: set[int],
    text: bytearray,
    opens: list[int],
    closes: list[int],
    window: Window,
    simple: list[int],
) -> set[int]:
    """The blocks of recurring events in `kept` (series with their moved occurrences) that surely miss the
    window, read from their text: they are never parsed, never expanded. Blocks are taken together by
    their own UID (an alarm's does not join events), and dropped only all together: a one-off block with
    the UID (another version of the event, or a block the copy cannot vouch for) keeps them all."""

    def own(index: int) -> bytes | None:
        return _own_key(text, opens[index], closes[index])

    series: dict[bytes | None, list[int]] = {}
    for index in kept:
        series.setdefault(own(index), []).append(index)
    outside = {
        uid
        for uid, members in series.items()
        if uid
        and all(index in recurring and index not in irregular for index in members)
        and all(_surely_outside(bytes(text[opens[i] : closes[i] + 1]), window) for i in members)
    }
    if outside and simple:  # a one-off block with the same UID is read together with the series
        outside -= {own(index) for index in simple}
    return {index for uid in outside for index in series[uid]}


def _own_key(text: bytearray, start: int, stop: int) -> bytes | None:
    """The `uid_key` of a block's own UID (not one inside an alarm), from the searchable copy."""
    depth = 0
    for line in bytes(text[start:stop]).split(b"\n"):
        if line.startswith(b"begin:"):
            depth += 1
        elif line.startswith(b"end:"):
            depth -= 1
        elif depth == 1 and line.startswith(b"uid") and line[3:4] in (b";", b":"):
            return _uid_keys([line.partition(b":")[2]])[0]
    return None


_RRULE_LINE = re.compile(rb"\nrrule:([^\n]*)")


def _surely_outside(block: bytes, window: Window) -> bool:
    """Does every instance of this series, or this moved occurrence, miss the window? (From the searchable
    copy of its block; False whenever the text leaves any doubt.)"""
    if b"\nrdate" in block or b"\nexrule" in block or b"range=" in block or b"\nduration" in block:
        return False
    rules = _RRULE_LINE.findall(block)
    if len(rules) != block.count(b"\nrrule"):
        return False  # a rule line with parameters or white space: read the usual way
    if not rules:
        return not may_overlap(block, window)  # a moved occurrence: its own dates
    if len(rules) != 1:
        return False
    found = _dates(block)
    if b"DTSTART" not in found:
        return False
    try:
        start = date(*map(int, found[b"DTSTART"]))
        length = date(*map(int, found.get(b"DTEND", found[b"DTSTART"]))) - start
    except ValueError:
        return False
    slack = timedelta(days=3)
    if start > window.end.date() + slack:
        return True  # begins after the window
    last = last_instance_bound(rules[0], start)
    return last is not None and last + max(length, timedelta()) + slack < window.start.date()


def _raw_end(data: Data, start: int, stop: int) -> int | None:
    """Just past the END:VEVENT line of the block at `start` (the copy vouches there is exactly one)."""
    at = data.find(_END_EVENT, start, stop)
    if at < 0:
        return None
    line_end = data.find(b"\n", at + 1, stop)
    end = stop if line_end < 0 else line_end + 1
    return end if not data[at + 11 : end].strip() else None


def block_uids(raw: bytes) -> set[bytes]:
    """Every UID value in a block, nested components' too (a superset is safe where this is used)."""
    return {re.sub(rb"\r?\n[ \t]", b"", m.group(1)).strip() for m in _UID.finditer(raw)}


# Blocks sharing a UID are read together: a series with its moved occurrences, and two versions of one
# event, of which recurring-ical-events shows the one with the highest SEQUENCE. So no block is left out for
# its dates or its words while another with its UID is read. UIDs are compared by `uid_key`, which any two
# spellings icalendar takes for one UID share: a few blocks too many may be read, never one too few.
_UID_LINE = re.compile(rb"\nuid(?:;[^:\n]*)?:([^\n]*)")  # the value after the first colon, as split reads it
_NON_ASCII_RUN = re.compile(rb"\x80+")
_KEY_EDGES = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x80"


def uid_key(value: bytes | str) -> bytes:
    """A UID value (after its colon) with ASCII case, backslashes, carriage returns and the white space
    around it set aside, and each run of non-ASCII bytes as one 0x80 (as in the searchable copy)."""
    raw = value.encode("utf-8", "replace") if isinstance(value, str) else value
    return _NON_ASCII_RUN.sub(b"\x80", raw.translate(_SEARCHABLE, b"\r\\")).strip(_KEY_EDGES)


def _uid_keys(values: list[bytes]) -> list[bytes]:
    """`uid_key` of each value of the searchable copy (lower case already, no carriage return), at once."""
    joined = b"\n".join(values).translate(None, b"\\")
    if b"\x80" in joined:
        joined = _NON_ASCII_RUN.sub(b"\x80", joined)
    return [key.strip(_KEY_EDGES) for key in joined.split(b"\n")] if values else []


def _uid_holders(text: bytearray, opens: list[int], closes: list[int]) -> dict[bytes, set[int]]:
    """The VEVENT blocks holding each UID (by `uid_key`) that more than one block holds, read from the
    searchable copy. A UID inside an alarm (Apple writes one in each) joins no events; one inside another
    nested component counts for its event (a superset)."""
    alarms = _all(text, _ALARM[0]), _all(text, _ALARM[1])
    found = [
        (match.start(), match.group(1)) for match in _UID_LINE.finditer(text) if not _in_alarm(match.start(), *alarms)
    ]
    keys = _uid_keys([value for _, value in found])
    repeated = {key for key, seen in Counter(keys).items() if seen > 1}
    holders: dict[bytes, set[int]] = {}
    for (at, _), key in zip(found, keys, strict=True):
        if key in repeated:
            index = bisect_right(opens, at) - 1
            if index >= 0 and at < closes[index]:
                holders.setdefault(key, set()).add(index)
    return {key: blocks for key, blocks in holders.items() if len(blocks) > 1}


def _in_alarm(at: int, begins: list[int], ends: list[int]) -> bool:
    """Is `at` inside an alarm (its last BEGIN:VALARM before `at` has no END:VALARM before `at`)?"""
    begun, ended = bisect_right(begins, at), bisect_right(ends, at)
    return begun > 0 and (ended == 0 or ends[ended - 1] < begins[begun - 1])


def repeated_uids(text: bytearray) -> frozenset[bytes]:
    """The `uid_key`s more than one VEVENT block holds, from the searchable copy of a file."""
    opens, closes = _all(text, _OPEN), _all(text, _CLOSE)
    if len(opens) != len(closes):
        # blocks the copy cannot delimit: every UID written twice, wherever it is (a superset)
        return frozenset(key for key, seen in Counter(_uid_keys(_UID_LINE.findall(text))).items() if seen > 1)
    return frozenset(_uid_holders(text, opens, closes))


def _partners(blocks: set[int], holders: dict[bytes, set[int]]) -> set[int]:
    """Every block sharing a UID with one of `blocks`, or with one of those, and so on (each UID looked at
    once: linear in the blocks however many share one UID)."""
    if not holders:
        return set()
    held_by: dict[int, list[bytes]] = {}
    for key, indices in holders.items():
        for index in indices:
            held_by.setdefault(index, []).append(key)
    found: set[int] = set()
    done: set[bytes] = set()
    pending = [index for index in blocks if index in held_by]
    while pending:
        for key in held_by[pending.pop()]:
            if key in done:
                continue
            done.add(key)
            for other in holders[key]:
                if other not in blocks and other not in found:
                    found.add(other)
                    pending.append(other)
    return found


# A plainly written date line of the searchable copy: DTSTART or DTEND, a date or a time, nothing folded.
_DATE_LINE = re.compile(rb"\n(dtstart|dtend)(?:;[^:\n]*)?:(\d{4})(\d{2})(\d{2})(?:t\d{6}z?)?(?=\n)")


def _moved_only(holding: dict[bytes, set[int]], text: bytearray, opens: list[int], closes: list[int]) -> set[int]:
    """Blocks that recur only by a RECURRENCE-ID (moved occurrences), none changing later ones (RANGE)."""
    ranged = {
        index for at in _all(text, b"range=") if (index := bisect_right(opens, at) - 1) >= 0 and at < closes[index]
    }
    return holding[b"\nrecurrence-id"] - holding[b"\nrrule"] - holding[b"\nrdate"] - ranged


def _surely_elsewhere(text: bytearray, opens: list[int], closes: list[int], window: Window) -> set[int]:
    """Blocks whose one DTSTART (and at most one DTEND), plainly written, put them outside the window as
    `may_overlap` would, found in one search of the whole copy; blocks with alarms or a DURATION are never
    among them. (Recurring blocks are the caller's to set aside.)"""
    # per block: [DTSTARTs seen, DTENDs seen, the first DTSTART as YYYYMMDD, the first DTEND] (small: ints)
    dates: dict[int, list[int]] = {}
    for match in _DATE_LINE.finditer(text):
        index = bisect_right(opens, match.start()) - 1
        if index >= 0 and match.start() < closes[index]:
            seen = dates.setdefault(index, [0, 0, 0, 0])
            which = 0 if match.group(1) == b"dtstart" else 1
            seen[which] += 1
            seen[which + 2] = int(match.group(2) + match.group(3) + match.group(4))
    unsure = {
        index
        for needle in (_ALARM[0], b"\nduration")
        for at in _all(text, needle)
        if (index := bisect_right(opens, at) - 1) >= 0 and at < closes[index]
    }
    slack = timedelta(days=2)
    first, last = window.start.date() - slack, window.end.date() + slack
    outside = set()
    for index, (starts, ends, start_day, end_day) in dates.items():
        if starts != 1 or ends > 1 or index in unsure:
            continue
        try:
            start = _day(start_day)
            end = _day(end_day if ends else start_day)
        except ValueError:
            continue
        if not (start <= last and max(start, end) >= first):
            outside.add(index)
    return outside


def _day(digits: int) -> date:
    """YYYYMMDD as a date (ValueError when there is none such)."""
    return date(digits // 10000, digits // 100 % 100, digits % 100)


def _candidates(
    text: bytearray,
    opens: list[int],
    closes: list[int],
    selector: Selector,
    raw: Callable[[int], bytes],
    elsewhere: frozenset[int] | set[int] = frozenset(),
) -> set[int]:
    """Blocks whose text may hold a word an interview could contain: one search per first letter of a word,
    then, for blocks with non-ASCII text and no such word, the exact test on their decoded text. Blocks
    `elsewhere` (surely outside the window) are not looked at; when they are most, the others are searched
    one by one."""
    if len(elsewhere) * 2 > len(opens):
        return _candidates_among(
            [i for i in range(len(opens)) if i not in elsewhere], text, opens, closes, selector, raw
        )
    found: set[int] = set()
    for pattern in _stem_patterns(tuple(selector.stems)):
        for match in pattern.finditer(text):
            index = bisect_right(opens, match.start()) - 1
            if index >= 0:
                found.add(index)
    position = text.find(b"\x80")
    while position >= 0:
        index = bisect_right(opens, position) - 1
        if index < 0 or position > closes[index]:  # between blocks: on to the next block
            if index + 1 >= len(opens):
                break
            position = text.find(b"\x80", opens[index + 1])
            continue
        if index not in found and _maybe(raw(index), selector):
            found.add(index)
        position = text.find(b"\x80", closes[index])
    return found


def _candidates_among(
    indices: list[int],
    text: bytearray,
    opens: list[int],
    closes: list[int],
    selector: Selector,
    raw: Callable[[int], bytes],
) -> set[int]:
    """`_candidates`, block by block: each of `indices` searched for any word, then the non-ASCII test."""
    words = _stem_search(tuple(selector.stems))
    found: set[int] = set()
    count = len(opens)
    for index in indices:
        start, stop = opens[index], opens[index + 1] if index + 1 < count else len(text)
        has_word = words is not None and words.search(text, start, stop) is not None
        if has_word or (text.find(b"\x80", start, closes[index]) >= 0 and _maybe(raw(index), selector)):
            found.add(index)
    return found


@lru_cache(maxsize=8)
def _stem_search(stems: tuple[str, ...]) -> re.Pattern[bytes] | None:
    """One search for every ASCII word (None when there is none)."""
    from ..detection import any_of

    lowered = {s.lower() for s in stems if s.isascii() and s}
    return re.compile(any_of(lowered).encode()) if lowered else None


def _titled_out(raw: bytes, selector: Selector) -> bool:
    """Is this block's own text enough to say it is no interview (its title, or the verdict on an event the
    owner organizes)? (Another block with its UID, a moved occurrence or another version, brings it back:
    see `_partners`.)"""
    if selector.title_rules_out is None and selector.owned_rules_out is None:
        return False
    try:
        text = _unfold(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False  # the line reader decides
    return selector.ruled_out(text)


def _unfold(raw: bytes) -> bytes:
    return raw.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").replace(b"\n ", b"").replace(b"\n\t", b"")


def _maybe(raw: bytes, selector: Selector) -> bool:
    """The exact test, on the logical lines of a block that hold non-ASCII text (a word on an ASCII-only
    line would have been found in the searchable copy already)."""
    unfolded = raw.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").replace(b"\n ", b"").replace(b"\n\t", b"")
    try:
        lines = [line for line in unfolded.decode("utf-8").split("\n") if not line.isascii()]
    except UnicodeDecodeError:
        return True  # the line reader decides
    return selector.could_be_interview("\n".join(lines))


@lru_cache(maxsize=8)
def _stem_patterns(stems: tuple[str, ...]) -> tuple[re.Pattern[bytes], ...]:
    from ..detection import any_of  # the words as a tree of their shared beginnings

    by_letter: dict[str, set[str]] = {}
    for stem in stems:
        if stem.isascii() and stem:
            lowered = stem.lower()
            by_letter.setdefault(lowered[:1], set()).add(lowered)
    return tuple(re.compile(any_of(group).encode()) for group in by_letter.values())


def region_lines(data: Data, regions: list[tuple[int, int]]) -> Iterator[tuple[int, bytes]]:
    """Numbered raw lines of the given (start, stop) ranges of `data`, in order."""
    number, counted = 1, 0
    for start, stop in regions:
        number += _count_newlines(data, counted, start)
        counted = start
        yield from _lines(data, start, stop, number)
        number += _count_newlines(data, start, stop)
        counted = stop
