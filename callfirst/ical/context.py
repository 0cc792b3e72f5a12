"""What every reader of one read needs, in one value made once per read (`ReadContext`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ..model import Problem, Window
from .budget import Budget
from .convert import Envelope
from .lines import Seen, Zones
from .prefilter import Selector
from .split import Split


@dataclass(frozen=True)
class ReadContext:
    """One read of one calendar, as every reader sees it: made once the file is split into components, and
    handed down whole instead of its parts.

    The fields are fixed for the read. What they point to that changes is the read's own and only it adds to
    it: `split` (the components found, and the warnings and errors so far), `seen` and `zones` (what the
    file repeats, and the zones its TZIDs name, each worked out once) and the scan's `budget`."""

    source: str
    selector: Selector  # the window and what could be an interview
    profile_zone: ZoneInfo  # the owner's: a time without a zone is read in it
    envelope: Envelope  # what an invitation email adds to its events
    split: Split
    renames: Mapping[str, str]  # custom VTIMEZONE ids to the ids of their own they are given
    zones: Zones
    seen: Seen
    # False: no event is read straight from its lines (simple.py, plain.py, steps.py); every one kept goes
    # through icalendar and recurring-ical-events. Which blocks are kept is decided as with True.
    fast: bool = True

    @property
    def window(self) -> Window:
        return self.selector.window

    @property
    def budget(self) -> Budget:
        return self.selector.budget

    @property
    def calendar_zone(self) -> str | None:
        """The calendar's X-WR-TIMEZONE, once settled (see zones.settle_calendar_zone)."""
        return self.split.calendar_props.get("X-WR-TIMEZONE")

    def warn(self, message: str, line: int | None) -> None:
        self.split.warnings.append(Problem(self.source, message, line))

    def fail(self, message: str, line: int | None) -> None:
        self.split.errors.append(Problem(self.source, message, line))

    def shows(self, start: datetime, end: datetime) -> bool:
        """Does an occurrence from `start` to `end` belong in the window: overlapping it, or of no length
        and starting in it?"""
        window = self.window
        return start < window.end and (end > window.start or start >= window.start)
