"""What expanding recurrences may cost in one scan, and the walks that charge it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..model import Problem, Window

MAX_OCCURRENCES = 500  # per series within the window
PAD = timedelta(days=2)  # the window is searched this much wider on each side


@dataclass
class Budget:
    """What expanding recurrences may cost in one scan, counted in instances generated outside the window
    (before it, or past the occurrences shown): a fixed amount plus a little for each series read."""

    base: int = 100_000
    per_series: int = 1_000
    series: int = 0
    spent: int = 0
    exhausted: bool = False

    @property
    def left(self) -> int:
        return self.base + self.per_series * self.series - self.spent

    def refusal(self, source: str, uid: str, line: int) -> Problem | None:
        """The warning for the first series the budget cannot pay for (None for any later one: one is enough);
        from then on every recurring event is left unexpanded."""
        if self.exhausted:
            return None
        self.exhausted = True
        over = f"over a budget of {self.spent + max(self.left, 0):,} instances outside the window"
        return Problem(
            source,
            f"recurrences cost too much to expand ({over}): event {uid!r} and any later recurring event not expanded",
            line,
        )


def walk_rules(rules: list[tuple[date, str]], window: Window, budget: Budget) -> int | None:
    """Charge the budget with the instances the expansion generates outside the window; None when it cannot
    pay, else how many instances the rules give in the (padded) window, counted up to just over
    MAX_OCCURRENCES (a rule that cannot be read counts as over).

    Each (DTSTART, RRULE text) is walked as dateutil walks it for recurring-ical-events, from DTSTART up to
    the window's end, counting instances (not the rule's shape) and stopping as soon as the budget is spent.
    """
    if budget.exhausted:
        return None
    from dateutil.rrule import rrulestr

    budget.series += 1
    low, high = wall_time(window.start - PAD), wall_time(window.end + PAD)
    total = 0
    for start, rule in rules:
        try:
            parsed: Any = rrulestr(rule, dtstart=wall_time(start), ignoretz=True)
            outside, inside = _outside(parsed, low, high, budget.left)
        except Exception:  # noqa: BLE001 - recurring-ical-events reports a rule it cannot read
            total += MAX_OCCURRENCES + 1
            continue
        budget.spent += outside
        total += inside
        if budget.left < 0:
            return None
    return total


def charge_series(rules: list[tuple[date, str]], window: Window, budget: Budget) -> bool:
    """walk_rules when what the rules give inside the window is not wanted: False when the budget cannot pay.

    Instances are never before DTSTART, so rules that all start inside the (padded) window cost nothing
    and need no walk."""
    if budget.exhausted:
        return False
    low = wall_time(window.start - PAD)
    if all(wall_time(start) >= low for start, _ in rules):
        budget.series += 1
        return True
    return walk_rules(rules, window, budget) is not None


def _outside(instances: Any, low: datetime, high: datetime, limit: int) -> tuple[int, int]:
    """Instances before `low`, and from `low` up to `high` (stopping once over `limit` before, or once the
    window shows more than MAX_OCCURRENCES)."""
    inside = outside = 0
    for moment in instances:
        if moment > high:
            break
        if moment < low:
            outside += 1
            if outside > limit:
                break
        else:
            inside += 1
            if inside > MAX_OCCURRENCES:
                break
    return outside, inside


def wall_time(value: date) -> datetime:
    """A wall-clock datetime for counting (a date at midnight, an aware time in UTC)."""
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
