"""Read events from iCalendar text, streaming: only candidate events reach icalendar.

The raw text is split into components line by line. VTIMEZONEs are kept; each VEVENT is
kept only if it can matter (`Selector`), so memory grows with the candidates, not the file.
Kept events are parsed by icalendar one UID at a time and expanded by recurring-ical-events
within the window, so one broken event never hides the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from ..model import Event, Problem, ReadResult
from .context import ReadContext
from .convert import Envelope
from .expand import read_group
from .lines import Seen, Zones
from .plain import plain_group
from .prefilter import Data, Layout, Selector, block_uids, kept_lines, layout, region_lines, repeated_uids, searchable
from .simple import simple_event
from .split import Split, groups, logical_lines, split_components, uid_of
from .zones import settle_calendar_zone, timezone_renames


def read_calendar_data(
    data: Data,
    source: str,
    selector: Selector,
    profile_zone: ZoneInfo,
    *,
    context_text: str = "",
    message_id: str | None = None,
    thread_subject: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    fast: bool = True,
) -> ReadResult:
    """Events in the window from iCalendar bytes or an mmap; events that cannot matter are never split into lines.

    `progress(done, total)` is called now and then with the bytes read so far. With `fast` False, no event is
    read straight from its lines: every one kept goes through icalendar and recurring-ical-events (the same
    events, more slowly; see ReadContext.fast).
    """
    skipped = [0]
    data = _with_newlines(data)
    text = searchable(data, progress)
    plan = layout(data, selector, progress, text)
    repeated = repeated_uids(text) if plan is None else plan.repeated
    del text  # a copy of the whole file: not kept while the events are read
    if plan is None:
        lines = kept_lines(data, selector, skipped, progress, repeated)
    else:
        lines = region_lines(data, plan.regions)
        skipped[0] = plan.skipped
    split = split_components(logical_lines(lines), source, selector, out=Split(repeated=repeated))
    if not split.saw_calendar and not skipped[0] and not (plan and plan.simple):
        return ReadResult(errors=(Problem(source, "not an iCalendar file (no BEGIN:VCALENDAR or BEGIN:VEVENT)"),))
    settle_calendar_zone(split, source, profile_zone)
    renames = timezone_renames(split, source)
    context = ReadContext(
        source=source,
        selector=selector,
        profile_zone=profile_zone,
        envelope=Envelope(context_text, message_id, thread_subject),
        split=split,
        renames=renames,
        zones=Zones(set(renames), split.calendar_props.get("X-WR-TIMEZONE")),
        seen=Seen(),
        fast=fast,
    )
    events: list[Event] = []
    if plan is not None and plan.simple:
        events = _simple_events(data, plan, context)
    for group in groups(split.blocks):
        found = plain_group(group, context) if fast else None
        if found is None:
            found = read_group(group, context)
        events.extend(found)
    return ReadResult(events=tuple(events), warnings=tuple(split.warnings), errors=tuple(split.errors))


def _with_newlines(data: Data) -> Data:
    """`data` with its lines ended by newlines: a file whose lines end mostly in a carriage return alone (as
    old Mac programs wrote them) gets every line end made a newline; any other file is left as it is, not
    copied."""
    head = bytes(data[:65536])
    bare = head.count(b"\r") - head.count(b"\r\n")
    if bare < 2 or bare <= head.count(b"\n"):
        return data
    return re.sub(rb"\r\n?", b"\n", bytes(data))


def _simple_events(data: Data, plan: Layout, context: ReadContext) -> list[Event]:
    """The plain one-off blocks read directly; the others, and any whose UID is not its own, read the usual way
    (all of them, when the context is not `fast`)."""
    split = context.split
    taken = {block.uid for block in split.blocks}
    read: dict[str, tuple[Event, tuple[int, int]]] = {}
    others: list[tuple[int, int]] = []
    for start, stop, line in plan.simple:
        raw = data[start:stop]
        event = simple_event(raw, line, context) if context.fast else None
        if event is None:  # read the usual way, and so are the plain blocks sharing its UID
            others.append((start, stop))
            taken.update(uid_of(uid.decode("utf-8", "replace")) for uid in block_uids(raw))
        elif event.uid in read:  # one UID on several blocks: icalendar reads them together
            others.append((start, stop))
            taken.add(event.uid)
        else:
            read[event.uid] = (event, (start, stop))
    for uid in taken & read.keys():
        others.append(read.pop(uid)[1])
    if others:
        split_components(logical_lines(region_lines(data, sorted(others))), context.source, context.selector, out=split)
    return [event for event, _ in read.values() if context.shows(event.start, event.end)]
