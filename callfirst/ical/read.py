"""Read events from iCalendar text, streaming: only candidate events reach icalendar.

The raw text is split into components line by line. VTIMEZONEs are kept; each VEVENT is
kept only if it can matter (`Selector`), so memory grows with the candidates, not the file.
Kept events are parsed by icalendar one UID at a time and expanded by recurring-ical-events
within the window, so one broken event never hides the others.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from ..model import Event, Problem, ReadResult
from .expand import read_group
from .prefilter import Selector, kept_lines
from .split import groups, logical_lines, split_components
from .zones import timezone_renames


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
    split = split_components(logical_lines(kept_lines(data, selector, skipped, progress)), source, selector)
    extra = dict(context_text=context_text, message_id=message_id, thread_subject=thread_subject)
    if not split.saw_calendar and not skipped[0]:
        return ReadResult(errors=(Problem(source, "not an iCalendar file (no BEGIN:VCALENDAR or BEGIN:VEVENT)"),))
    renames = timezone_renames(split, source)
    events: list[Event] = []
    for group in groups(split.blocks):
        events.extend(read_group(group, split, renames, source, selector.window, profile_zone, extra))
    return ReadResult(events=tuple(events), warnings=tuple(split.warnings), errors=tuple(split.errors))
