"""Read events from iCalendar text, streaming: only candidate events reach icalendar.

The raw text is split into components line by line. VTIMEZONEs are kept; each VEVENT is
kept only if it can matter (`Selector`), so memory grows with the candidates, not the file.
Kept events are parsed by icalendar one UID at a time and expanded by recurring-ical-events
within the window, so one broken event never hides the others.
"""

from __future__ import annotations

import hashlib
import re
import warnings as pywarnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..model import Attendee, Event, Person, Problem, ReadResult, Window

MAX_NESTING = 20
MAX_OCCURRENCES = 500  # per series within the window
# Seconds per period of each FREQ, to estimate how many steps an expansion takes.
_PERIOD = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600, "DAILY": 86_400, "WEEKLY": 604_800,
           "MONTHLY": 2_678_400, "YEARLY": 31_622_400}
_EXPANDING = ("BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")
_MAX_STEPS = 200_000


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
        return not recurring and not _may_overlap(text, self.window)

    def matches(self, text: str) -> bool:
        return self.keep_all_in_window or self.could_be_interview(text)


@dataclass
class _Block:
    lines: list[str]
    line: int
    uid: str
    recurring: bool
    wanted: bool


@dataclass
class _Split:
    timezones: list[tuple[int, list[str]]] = field(default_factory=list)
    calendar_props: dict[str, str] = field(default_factory=dict)
    blocks: list[_Block] = field(default_factory=list)
    saw_calendar: bool = False
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def read_calendar_data(
    data,
    source: str,
    selector: Selector,
    profile_zone: ZoneInfo,
    *,
    context_text: str = "",
    message_id: str | None = None,
    thread_subject: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReadResult:
    """Events in the window from iCalendar bytes or an mmap; events that cannot matter are never split into lines.

    `progress(done, total)` is called now and then with the bytes read so far.
    """
    skipped = [0]
    split = _split(_logical_lines(_kept_lines(data, selector, skipped, progress)), source, selector)
    extra = dict(context_text=context_text, message_id=message_id, thread_subject=thread_subject)
    if not split.saw_calendar and not skipped[0]:
        return ReadResult(errors=(Problem(source, "not an iCalendar file (no BEGIN:VCALENDAR or BEGIN:VEVENT)"),))
    renames = _timezone_renames(split, source)
    events: list[Event] = []
    for group in _groups(split.blocks):
        events.extend(_read_group(group, split, renames, source, selector.window, profile_zone, extra))
    return ReadResult(events=tuple(events), warnings=tuple(split.warnings), errors=tuple(split.errors))


# --- the fast path: whole VEVENT blocks that cannot matter are skipped as bytes -----------------

_BEGIN_EVENT = b"BEGIN:VEVENT"
_END_EVENT = b"\nEND:VEVENT"
_RECURRING = re.compile(r"^(RRULE|RDATE|RECURRENCE-ID)[;:]", re.MULTILINE | re.IGNORECASE)
_RECURRING_BYTES = re.compile(_RECURRING.pattern.encode(), re.MULTILINE | re.IGNORECASE)


def _kept_lines(data, selector: Selector, skipped: list[int],
                progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[int, bytes]]:
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
        for number, line in _lines(data, position, begin, number):
            yield number, line
        number += 1 if position < begin else 0
        number += _count_newlines(data, begin, block_end)
        position = search = block_end
        skipped[0] += 1
    for numbered in _lines(data, position, size, number):
        yield numbered
    if progress is not None:
        progress(size, size)


def _skippable_block(data, begin: int, size: int, selector: Selector) -> int | None:
    """The offset just past the block starting at `begin` when it can be skipped, else None."""
    if begin and data[begin - 1:begin] != b"\n":
        return None
    after = data[begin + 12:begin + 14]
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
    if data[end + 11:line_end].strip() or data[line_end:line_end + 1] in (b" ", b"\t"):
        return None
    raw = data[begin:end + 11]
    lowered = b"\n" + raw.lower()
    if lowered.count(b"\nbegin:") != 1 + lowered.count(b"\nbegin:valarm") or \
            lowered.count(b"\nend:") != 1 + lowered.count(b"\nend:valarm"):
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
    return sum(data[i:min(i + chunk, stop)].count(b"\n") for i in range(start, stop, chunk))


# --- splitting -------------------------------------------------------------------------------

def _logical_lines(numbered_lines: Iterable[tuple[int, bytes]]) -> Iterator[tuple[int, str]]:
    """Unfold continuation lines (as bytes, so split UTF-8 sequences join up) and decode."""
    pending: bytes | None = None
    pending_number = 0
    for number, raw in numbered_lines:
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        raw = raw.rstrip(b"\r\n")
        if pending is not None and raw[:1] in (b" ", b"\t"):
            pending += raw[1:]
            continue
        if pending is not None:
            yield pending_number, _decode(pending)
        pending, pending_number = raw, number
    if pending is not None:
        yield pending_number, _decode(pending)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


_NAME = re.compile(r"^([A-Za-z0-9-]+)")


def _split(lines: Iterator[tuple[int, str]], source: str, selector: Selector) -> _Split:
    out = _Split()
    stack: list[tuple[str, int]] = []
    capture: list[str] | None = None
    capture_kind, capture_line, capture_depth = "", 0, 0
    too_deep = False

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
                del stack[capture_depth - 1:]
            stack.append((value, number))
            if value in ("VCALENDAR", "VEVENT"):
                out.saw_calendar = True
            if capture is None and value in ("VEVENT", "VTIMEZONE"):
                capture, capture_kind, capture_line, capture_depth = [], value, number, len(stack)
                too_deep = False
            elif capture is not None and len(stack) - capture_depth > MAX_NESTING:
                too_deep = True
        elif name == "END":
            if not any(open_name == value for open_name, _ in stack):
                out.warnings.append(Problem(source, f"END:{value} without a matching BEGIN is ignored", number))
                continue
            while stack[-1][0] != value:
                unclosed, began = stack.pop()
                if capture is not None and len(stack) < capture_depth:
                    abandon(f"BEGIN:{capture_kind} has no END:{capture_kind} (found END:{value} at line {number}); event skipped")
                else:
                    out.warnings.append(Problem(source, f"BEGIN:{unclosed} has no END:{unclosed}", began))
            stack.pop()
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
            continue
        if capture is not None and not too_deep:
            capture.append(text)
    if capture is not None:
        abandon(f"BEGIN:{capture_kind} has no END:{capture_kind} before the end of the file; event skipped")
    for unclosed, began in stack:
        if unclosed == "VCALENDAR":
            out.warnings.append(Problem(source, "BEGIN:VCALENDAR has no END:VCALENDAR", began))
    return out


def _finish(out: _Split, kind: str, lines: list[str], line: int, selector: Selector) -> None:
    if kind == "VTIMEZONE":
        out.timezones.append((line, lines))
        return
    body = "\n".join(lines)
    recurring = bool(_RECURRING.search(body))
    wanted = selector.wants(body, recurring)
    if not wanted and not recurring:
        return  # cannot matter: never parsed, never kept
    uid_match = re.search(r"^UID(?:;[^:]*)?:(.*)$", body, re.MULTILINE | re.IGNORECASE)
    uid = uid_match.group(1).strip() if uid_match else f"line-{line}"
    out.blocks.append(_Block(lines=lines, line=line, uid=uid, recurring=recurring, wanted=wanted))


_DTVALUE = re.compile(r"^(DTSTART|DTEND)(?:;[^:]*)?:(\d{4})(\d{2})(\d{2})", re.MULTILINE | re.IGNORECASE)
_DTVALUE_BYTES = re.compile(_DTVALUE.pattern.encode(), re.MULTILINE | re.IGNORECASE)
_DURATION = re.compile(r"^DURATION", re.MULTILINE | re.IGNORECASE)
_DURATION_BYTES = re.compile(rb"^DURATION", re.MULTILINE | re.IGNORECASE)


def _may_overlap(text: str | bytes, window: Window) -> bool:
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


def _groups(blocks: list[_Block]) -> Iterator[list[_Block]]:
    """Blocks sharing a UID belong together (a series and its moved occurrences)."""
    by_uid: dict[str, list[_Block]] = {}
    for block in blocks:
        by_uid.setdefault(block.uid, []).append(block)
    for group in by_uid.values():
        if any(block.wanted for block in group):
            yield group


# --- time zones ------------------------------------------------------------------------------

def _timezone_renames(split: _Split, source: str) -> dict[str, str]:
    """Give each custom VTIMEZONE an id of its own, so files with the same TZID do not share one."""
    from icalendar import Calendar

    renames: dict[str, str] = {}
    for line, lines in split.timezones:
        tzid = next((t.partition(":")[2].strip() for t in lines if t.upper().startswith("TZID")), "")
        if not tzid or _is_iana(tzid):
            continue
        digest = hashlib.sha1("\n".join(lines).encode()).hexdigest()[:10]
        new_id = f"{tzid}#{digest}"
        renames[tzid] = new_id
        text = "\r\n".join(_rename_tzid(t, tzid, new_id) for t in lines)
        try:
            Calendar.from_ical(f"BEGIN:VCALENDAR\r\n{text}\r\nEND:VCALENDAR\r\n")
        except Exception as exc:  # noqa: BLE001 - any parse failure is reported, never raised
            split.warnings.append(Problem(source, f"VTIMEZONE {tzid!r} is broken ({_short(exc)})", line))
            renames.pop(tzid, None)
    return renames


def _is_iana(tzid: str) -> bool:
    try:
        ZoneInfo(tzid.strip("/"))
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


def _rename_tzid(text: str, old: str, new: str) -> str:
    if text.upper().startswith("TZID:") and text.partition(":")[2].strip() == old:
        return f"TZID:{new}"
    if "TZID=" not in text.upper():
        return text
    return re.sub(r'(?i)(TZID=)("?)' + re.escape(old) + r'\2(?=[;:])', lambda m: f'{m.group(1)}"{new}"', text)


def _display_zone(tz: tzinfo | None, fallback: str) -> str:
    if tz is None:
        return fallback
    key = getattr(tz, "key", None)
    if key:
        return key
    name = getattr(tz, "_tzid", None) or str(tz)
    name = name.partition("#")[0]
    return "UTC" if name in ("UTC", "utc") or tz is UTC else name


# --- parsing one UID ---------------------------------------------------------------------------

def _read_group(group, split, renames, source, window, profile_zone, extra) -> list[Event]:
    import recurring_ical_events
    from icalendar import Calendar, Component

    first = group[0]
    lines = [t for block in group for t in block.lines]
    if renames:
        lines = [_rename_all(t, renames) for t in lines]
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            components = Component.from_ical("\r\n".join(lines) + "\r\n", multiple=True)
    except Exception as exc:  # noqa: BLE001 - report and go on with the next event
        return _fail(split, source, first.line, f"event {first.uid!r} cannot be read ({_short(exc)}); skipped")
    calendar = Calendar()
    if "X-WR-TIMEZONE" in split.calendar_props:
        calendar.add("X-WR-TIMEZONE", split.calendar_props["X-WR-TIMEZONE"])
    for component, block in zip(components, group, strict=False):
        problem = _check_component(component, block, source, profile_zone, split)
        if problem:
            split.errors.append(problem)
            continue
        calendar.add_component(component)
    if not calendar.subcomponents:
        return []
    if _too_dense(calendar, window):
        split.warnings.append(Problem(source, f"event {first.uid!r} repeats too often to expand (over {_MAX_STEPS:,} steps); not expanded", first.line))
        return []
    recurring = any(block.recurring for block in group)
    try:
        occurrences = _occurrences(recurring_ical_events.of(calendar), window, profile_zone)
        result = []
        for index, occurrence in enumerate(occurrences):
            if index >= MAX_OCCURRENCES:
                split.warnings.append(Problem(source, f"event {first.uid!r} has more than {MAX_OCCURRENCES} occurrences in the window; showing the first {MAX_OCCURRENCES}", first.line))
                break
            result.append(_to_event(occurrence, source, first.line, profile_zone, extra, recurring))
        return result
    except Exception as exc:  # noqa: BLE001
        return _fail(split, source, first.line, f"event {first.uid!r} cannot be expanded ({_short(exc)}); skipped")


def _rename_all(text: str, renames: dict[str, str]) -> str:
    if "TZID=" not in text.upper():
        return text
    for old, new in renames.items():
        text = _rename_tzid(text, old, new)
    return text


def _fail(split, source, line, message) -> list[Event]:
    split.errors.append(Problem(source, message, line))
    return []


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _check_component(component, block: _Block, source: str, profile_zone: ZoneInfo, split: _Split) -> Problem | None:
    """Reject what cannot be placed in time; pin unknown zones to the profile zone, with a warning."""
    if component.name != "VEVENT":
        return Problem(source, f"unexpected {component.name} where an event was expected", block.line)
    for name, message in getattr(component, "errors", []):
        if name in (None, "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"):
            return Problem(source, f"{name or 'a line'} is broken: {_short(Exception(message))}; event skipped",
                           _line_in_block(block, name))
    if "DTSTART" not in component:
        return Problem(source, "event has no DTSTART; skipped", block.line)
    for name in ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID"):
        if isinstance(component.get(name), list):
            return Problem(source, f"{name} appears {len(component.get(name))} times; event skipped",
                           _line_in_block(block, name))
    unknown: dict[str, str] = {}
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"):
        for prop in _as_list(component.get(name)):
            tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
            if tzid and _naive(prop):
                unknown.setdefault(str(tzid), name)
                _pin_zone(prop, profile_zone)
    for tzid, name in unknown.items():
        split.warnings.append(Problem(
            source, f"unknown time zone {tzid!r}; read in your zone {profile_zone.key}", _line_in_block(block, name)))
    start, end = component.get("DTSTART").dt, component.get("DTEND")
    if end is not None and _comparable(end.dt, start) and end.dt < start:
        return Problem(source, "DTEND is before DTSTART; event skipped", _line_in_block(block, "DTEND"))
    return None


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _naive(prop) -> bool:
    values = [d.dt if hasattr(d, "dt") else d for d in getattr(prop, "dts", [prop])]
    return any(isinstance(v, datetime) and v.tzinfo is None for v in values)


def _pin_zone(prop, zone: ZoneInfo) -> None:
    for item in getattr(prop, "dts", [prop]):
        if isinstance(item.dt, datetime) and item.dt.tzinfo is None:
            item.dt = item.dt.replace(tzinfo=zone)
    prop.params.pop("TZID", None)


def _comparable(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, datetime):
        return (a.tzinfo is None) == (b.tzinfo is None)
    return True


def _line_in_block(block: _Block, name: str | None) -> int:
    if name:
        for offset, text in enumerate(block.lines):
            if text.upper().startswith(name.upper()) and text[len(name):len(name) + 1] in (":", ";"):
                return block.line + offset
    return block.line


def _too_dense(calendar, window: Window) -> bool:
    """True when any RRULE's expansion up to the window's end would be huge (see _dense_rule)."""
    for component in calendar.subcomponents:
        for rule in _as_list(component.get("RRULE")):
            if _dense_rule(component, rule, window):
                return True
    return False


def _dense_rule(component, rule, window: Window) -> bool:
    """Would expanding this rule up to the window's end take more than _MAX_STEPS steps?

    The estimate counts periods from DTSTART (where the expansion begins) times the BY-lists'
    sizes, so a daily rule with sixty BYSECOND values counts as dense as a secondly one.
    """
    start = component.get("DTSTART")
    if not rule or not hasattr(rule, "get") or not hasattr(start, "dt"):
        return False
    freq = str(_as_list(rule.get("FREQ"))[0]).upper() if rule.get("FREQ") else ""
    if freq not in _PERIOD:
        return False
    interval = int(_as_list(rule.get("INTERVAL") or [1])[0] or 1)
    per_period = 1
    for name in _EXPANDING:
        per_period *= max(len(_as_list(rule.get(name))), 1)
    periods = max((window.end - _aware(start.dt, UTC)).total_seconds(), 0) / (_PERIOD[freq] * max(interval, 1))
    count = int(_as_list(rule.get("COUNT"))[0]) if rule.get("COUNT") else None
    steps = periods * per_period if count is None else min(periods * per_period, count)
    return steps > _MAX_STEPS or per_period > _MAX_STEPS


def _occurrences(query, window: Window, profile_zone: ZoneInfo) -> Iterator:
    """Occurrences overlapping the window, in start order, lazily (the caller caps the count).

    The window is walked in spans that grow while sparse and shrink when crowded, never past its end.
    """
    pad = timedelta(days=2)
    low, high = window.start - pad, window.end + pad
    span, seen = timedelta(days=7), set()
    while low < high:
        upto = min(low + span, high)
        found = sorted(query.between(low, upto), key=lambda c: _span(c, profile_zone)[0])
        for occurrence in found:
            start, end = _span(occurrence, profile_zone)
            key = (str(occurrence.get("UID", "")), start, str(occurrence.get("RECURRENCE-ID", "")))
            if key in seen:
                continue
            seen.add(key)
            if start < window.end and (end > window.start or start >= window.start):
                yield occurrence
        if len(found) > 100:
            span = max(span / 2, timedelta(hours=1))
        elif len(found) < 20:
            span *= 2
        low = upto


def _aware(value, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return datetime.combine(value, datetime.min.time(), tzinfo=zone)


def _span(component, profile_zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = component.start
    try:
        end = component.end
    except Exception:  # noqa: BLE001 - icalendar raises when neither DTEND nor DURATION is usable
        end = start
    return _aware(start, profile_zone), _aware(end, profile_zone)


def _to_event(component, source: str, line: int, profile_zone: ZoneInfo, extra: dict, recurring: bool) -> Event:
    raw_start = component.start
    all_day = not isinstance(raw_start, datetime)
    start, end = _span(component, profile_zone)
    if end < start:
        end = start
    floating = isinstance(raw_start, datetime) and raw_start.tzinfo is None
    zone_name = profile_zone.key if (all_day or floating) else _display_zone(start.tzinfo, profile_zone.key)
    recurrence = component.get("RECURRENCE-ID") if recurring else None
    return Event(
        uid=_text(component.get("UID")) or f"line-{line}",
        summary=_text(component.get("SUMMARY")),
        description=_text(component.get("DESCRIPTION")),
        location=_text(component.get("LOCATION")),
        start=start,
        end=end,
        timezone=zone_name,
        organizer=_person(component.get("ORGANIZER")),
        attendees=tuple(_attendee(a) for a in _as_list(component.get("ATTENDEE"))),
        status=_text(component.get("STATUS")).upper() or None,
        all_day=all_day,
        transparent=_text(component.get("TRANSP")).upper() == "TRANSPARENT",
        sequence=_int(component.get("SEQUENCE")),
        recurrence_id=_aware(recurrence.dt, profile_zone) if recurrence is not None and hasattr(recurrence, "dt") else None,
        source=source,
        line=line,
        **extra,
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _address(value) -> str:
    text = str(value).strip()
    return text[7:] if text.lower().startswith("mailto:") else text


def _person(value) -> Person | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0] if value else None
        if value is None:
            return None
    email = _address(value)
    name = value.params.get("CN") if hasattr(value, "params") else None
    return Person(email=email, name=str(name).strip() if name else None) if email or name else None


def _attendee(value) -> Attendee:
    params = getattr(value, "params", {})
    name = params.get("CN")
    return Attendee(email=_address(value), name=str(name) if name else None,
                    partstat=str(params.get("PARTSTAT", "")).upper() or None)
