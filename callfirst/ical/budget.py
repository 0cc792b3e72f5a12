"""What expanding recurrences may cost in one scan, and the walks that charge it.

Two things are counted, across every series a scan reads: the instances a rule generates outside the window
(before it, or past the occurrences shown), and the steps it takes through its periods (a second, a day, a
week, ... times INTERVAL) from DTSTART up to where its walk stopped. Steps are what a sparse rule costs
(FREQ=SECONDLY;INTERVAL=86399 with day filters that let a day through once a month yields almost nothing
but steps through every day since DTSTART), instances what a dense one costs. When either runs out, the
series at hand and every later recurring event are left unexpanded, with one warning naming where.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..model import Problem, Window

MAX_OCCURRENCES = 500  # per series within the window
PAD = timedelta(days=2)  # the window is searched this much wider on each side

# dateutil's FREQ constants, in order (dateutil.rrule.YEARLY is 0, SECONDLY 6)
_FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
_SECONDS = {"WEEKLY": 604_800, "DAILY": 86_400, "HOURLY": 3_600, "MINUTELY": 60, "SECONDLY": 1}
# What one period costs, in steps: dateutil checks each day of a week, a month or a year against the rule's
# filters, so a year takes about as long as fifteen days do, a month three, a week two.
_STEP_COST = {"YEARLY": 15, "MONTHLY": 3, "WEEKLY": 2}
_LAST = datetime(9999, 12, 31)  # dateutil stops there


@dataclass
class Budget:
    """What expanding recurrences may cost in one scan: a fixed amount plus a little for each series read, in
    instances generated outside the window and in steps through rules' periods (see the module)."""

    base: int = 100_000
    per_series: int = 1_000
    step_base: int = 300_000
    steps_per_series: int = 3_000
    series: int = 0
    spent: int = 0
    steps: int = 0
    exhausted: bool = False
    out_of_steps: bool = False  # what ran out, for the warning: steps, or else instances

    @property
    def left(self) -> int:
        return self.base + self.per_series * self.series - self.spent

    @property
    def steps_left(self) -> int:
        return self.step_base + self.steps_per_series * self.series - self.steps

    def can_step(self, steps: int) -> bool:
        """Is there room for `steps` more? (False also remembers that steps ran out.)"""
        if steps <= self.steps_left:
            return True
        self.out_of_steps = True
        return False

    def pay_steps(self, steps: int) -> bool:
        """Charge `steps`; False when they were more than was left."""
        affordable = self.can_step(steps)
        self.steps += steps
        return affordable

    def refusal(self, source: str, uid: str, line: int) -> Problem | None:
        """The warning for the first series the budget cannot pay for (None for any later one: one is enough);
        from then on every recurring event is left unexpanded."""
        if self.exhausted:
            return None
        self.exhausted = True
        if self.out_of_steps:
            over = (
                f"over a budget of {self.step_base + self.steps_per_series * self.series:,} steps through their rules"
            )
        else:
            over = f"over a budget of {self.spent + max(self.left, 0):,} instances outside the window"
        return Problem(
            source,
            f"recurrences cost too much to expand ({over}): event {uid!r} and any later recurring event not expanded",
            line,
        )


def rule_steps(freq: str, interval: int, start: datetime, end: datetime) -> int:
    """The steps a rule of FREQ `freq` takes from `start` to `end` (both wall-clock times): the periods it
    passes, each at its cost."""
    interval = max(interval, 1)
    if end <= start:
        periods = 1
    elif freq == "YEARLY":
        periods = (end.year - start.year) // interval + 1
    elif freq == "MONTHLY":
        periods = ((end.year - start.year) * 12 + end.month - start.month) // interval + 1
    else:
        periods = int((end - start).total_seconds()) // (_SECONDS.get(freq, 1) * interval) + 1
    return periods * _STEP_COST.get(freq, 1)


def walk_rules(
    rules: list[tuple[date, str]], window: Window, budget: Budget, further: tuple[timedelta, int] = (timedelta(), 1)
) -> int | None:
    """Charge the budget with what expanding the rules costs; None when it cannot pay, else how many instances
    the rules give in the (padded) window, counted up to just over MAX_OCCURRENCES (a rule that cannot be read
    counts as over).

    Each (DTSTART, RRULE text) is walked as dateutil walks it for the expansion: from DTSTART up to the
    window's end, counting the instances it generates outside the window and stopping as soon as they are more
    than the budget holds; then on as far as the expansion looks (`further`: a time past the window's end, and
    the instances it takes past that, the first included). A walk is begun only when the steps up to the
    window's end are affordable, and is charged the steps it took twice: for itself, and for the expansion
    that walks the rule again."""
    if budget.exhausted:
        return None
    from dateutil.rrule import rrulestr

    budget.series += 1
    low, high = wall_time(window.start - PAD), wall_time(window.end + PAD)
    total = 0
    for start, rule in rules:
        try:
            parsed: Any = rrulestr(rule, dtstart=wall_time(start), ignoretz=True)
            shape = _Shape.of(vars(parsed))
            if not budget.can_step(2 * shape.steps_to(high + further[0])):
                return None
            outside, inside, reached = _walk(iter(parsed), low, high, budget.left, further, shape)
        except Exception:  # noqa: BLE001 - recurring-ical-events reports a rule it cannot read
            total += MAX_OCCURRENCES + 1
            continue
        budget.spent += outside
        total += inside
        if not budget.pay_steps(2 * shape.steps_to(reached)) or budget.left < 0:
            return None
    return total


def charge_series(rules: list[tuple[date, str]], window: Window, budget: Budget, stepped: bool = False) -> bool:
    """walk_rules when what the rules give inside the window is not wanted: False when the budget cannot pay.

    Instances are never before DTSTART, so rules that all start inside the (padded) window generate none
    outside it; when they are `stepped` (steps.py, which stops at the window's end), they are charged the
    steps up to the window's end without a walk."""
    if budget.exhausted:
        return False
    low = wall_time(window.start - PAD)
    if stepped and all(wall_time(start) >= low for start, _ in rules):
        budget.series += 1
        high = wall_time(window.end + PAD)
        return budget.pay_steps(sum(_Shape.of_text(rule, wall_time(start)).steps_to(high) for start, rule in rules))
    return walk_rules(rules, window, budget) is not None


@dataclass(frozen=True)
class _Shape:
    """What the steps of a rule depend on: its FREQ, INTERVAL, DTSTART and where it ends."""

    freq: str
    interval: int
    start: datetime
    until: datetime | None = None
    counted: bool = False  # a COUNT ends it

    @classmethod
    def of(cls, read: dict[str, Any]) -> _Shape:
        """From dateutil's reading of a rule (vars() of its rrule)."""
        until = read["_until"]
        return cls(
            freq=_FREQUENCIES[read["_freq"]],
            interval=read["_interval"],
            start=read["_dtstart"],
            until=None if until is None else wall_time(until),
            counted=read["_count"] is not None,
        )

    @classmethod
    def of_text(cls, rule: str, start: datetime) -> _Shape:
        """From a plainly written rule's text (its FREQ and INTERVAL, and a day its UNTIL or COUNT surely
        ends it by: an upper bound of the steps)."""
        parts: dict[str, str] = {}
        for part in rule.upper().split(";"):
            name, _, value = part.partition("=")
            parts[name.strip()] = value.strip()
        last = last_instance_bound(rule.lower().encode(), start.date())
        until = None if last is None else datetime.combine(last + timedelta(days=2), datetime.min.time())
        return cls(freq=parts.get("FREQ", ""), interval=int(parts.get("INTERVAL") or 1), start=start, until=until)

    def steps_to(self, moment: datetime) -> int:
        """From DTSTART to `moment`, or to UNTIL when that comes first."""
        end = moment if self.until is None else min(moment, self.until)
        return rule_steps(self.freq, self.interval, self.start, end)

    def natural_end(self, last: datetime | None) -> datetime:
        """How far dateutil stepped once the rule gave no more instances: to its last one when a COUNT ended
        it, to UNTIL, or else to the year 9999."""
        if self.counted:
            return last or self.start
        return self.until if self.until is not None else _LAST


def _walk(
    instances: Iterator[datetime],
    low: datetime,
    high: datetime,
    limit: int,
    further: tuple[timedelta, int],
    shape: _Shape,
) -> tuple[int, int, datetime]:
    """Instances before `low`, and from `low` up to `high` (stopping once over `limit` before, or once the
    window shows more than MAX_OCCURRENCES), and the moment the walk reached: once it stopped counting, it
    goes on as the expansion does, `further` (a time past where it stopped, and how many instances past that)."""
    inside = outside = 0
    moment: datetime | None = None
    for moment in instances:
        if moment > high:
            break
        if moment < low:
            outside += 1
            if outside > limit:
                return outside, inside, moment  # over budget: nothing is expanded
        else:
            inside += 1
            if inside > MAX_OCCURRENCES:
                break
    else:
        return outside, inside, shape.natural_end(moment)
    beyond, ahead = further
    stop = min(moment, high) + beyond
    taken = int(moment > stop)
    while taken < ahead:
        following = next(instances, None)
        if following is None:
            return outside, inside, shape.natural_end(moment)
        moment = following
        if moment > stop:
            taken += 1
    return outside, inside, moment


def wall_time(value: date) -> datetime:
    """A wall-clock datetime for counting (a date at midnight, an aware time in UTC)."""
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


_PLAIN_DAYS = re.compile(rb"(?:mo|tu|we|th|fr|sa|su)(?:,(?:mo|tu|we|th|fr|sa|su))*")


def last_instance_bound(rule: bytes, start: date) -> date | None:
    """A date no instance of the rule comes after, when the rule's text makes one plain; else None."""
    parts: dict[bytes, bytes] = {}
    for part in rule.split(b";"):
        key, _, value = part.partition(b"=")
        parts[key.strip()] = value.strip()
    try:
        if b"until" in parts:
            until = parts[b"until"]
            return date(int(until[:4]), int(until[4:6]), int(until[6:8])) + timedelta(days=1)
        if b"count" not in parts or set(parts) - {b"freq", b"count", b"interval", b"byday", b"wkst"}:
            return None
        count, interval = int(parts[b"count"]), int(parts.get(b"interval", b"1"))
        if count < 1 or interval < 1 or (b"byday" in parts and not _PLAIN_DAYS.fullmatch(parts[b"byday"])):
            return None
        if parts.get(b"freq") == b"daily" and b"byday" not in parts:
            return start + timedelta(days=(count - 1) * interval)
        if parts.get(b"freq") == b"daily" and interval == 1:
            return start + timedelta(days=7 * count)  # every week holds at least one of its days
        if parts.get(b"freq") == b"weekly":
            return start + timedelta(days=7 * (count + 1) * interval)
    except (ValueError, OverflowError):
        return None
    return None
