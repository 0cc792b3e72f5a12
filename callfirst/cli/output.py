"""Turn results into what a person or a program reads: JSON, rich tables, messages on stderr, a progress bar."""

from __future__ import annotations

import os
import sys
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

import click

from ..model import Assessment, ScanResult, Tier
from ..timetext import both_zones

TIER_STYLE = {
    Tier.PAST: "bold white on red",
    Tier.URGENT: "bold red",
    Tier.LATE: "bold yellow",
    Tier.SHORT: "yellow",
    Tier.OK: "green",
}


def assessment_json(item: Assessment, owner_zone: tzinfo) -> dict:
    event, notice = item.event, item.notice
    organizer = event.organizer
    return {
        "uid": event.uid,
        "summary": event.summary,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "timezone": event.timezone,
        "all_day": event.all_day,
        "is_interview": item.verdict.is_interview,
        "signals": list(item.verdict.signals),
        "organizer": {"name": organizer.name, "email": organizer.email} if organizer else None,
        "phones": [phone.e164 for phone in item.phones],
        "notice": {"hours": notice.hours, "business_hours": notice.business_hours, "tier": notice.tier.value},
        "call_at": notice.call_at.astimezone(event.start.tzinfo).isoformat(),
        "call_at_yours": notice.call_at.astimezone(owner_zone).isoformat(),
        "actionable": item.actionable,
        "not_actionable_because": item.not_actionable_because,
        "source": event.source,
    }


def scan_json(result: ScanResult) -> list[dict]:
    zone = ZoneInfo(result.owner_zone)
    return [assessment_json(item, zone) for item in result.assessments]


def write_scan_json(result: ScanResult, stream) -> None:
    """The JSON array of `scan_json`, the same text as json.dumps(indent=2), written one item at a time."""
    zone = ZoneInfo(result.owner_zone)
    if not result.assessments:
        stream.write("[]\n")
        return
    separator = "[\n  "
    for item in result.assessments:
        stream.write(separator + _indented(assessment_json(item, zone), "  "))
        separator = ",\n  "
    stream.write("\n]\n")


def _indented(value, pad: str) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False) at indentation `pad`, with the C string encoder."""
    from json.encoder import encode_basestring

    if isinstance(value, str):
        return encode_basestring(value)
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        return float.__repr__(value) if abs(value) != float("inf") else ("Infinity" if value > 0 else "-Infinity")
    inner = pad + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        body = ",\n".join(f"{inner}{encode_basestring(str(k))}: {_indented(v, inner)}" for k, v in value.items())
        return "{\n" + body + "\n" + pad + "}"
    if not value:
        return "[]"
    return "[\n" + ",\n".join(inner + _indented(v, inner) for v in value) + "\n" + pad + "]"


def notice_text(item: Assessment) -> str:
    notice = item.notice
    if notice.tier is Tier.PAST:
        return "PAST"
    return f"{notice.tier.value.upper()} · {notice.hours:.0f} h · {notice.business_hours:.1f} business h"


def call_text(item: Assessment, now: datetime, owner: tzinfo) -> str:
    if item.notice.tier is Tier.PAST:
        return "—"
    if item.notice.call_at <= now:
        return "now"
    return both_zones(item.notice.call_at, owner, item.event.start.tzinfo)


def scan_table(result: ScanResult, show_verdict: bool):
    from rich.table import Table
    from rich.text import Text

    owner = ZoneInfo(result.owner_zone)
    table = Table(title=f"Interviews (times in {result.owner_zone})", title_justify="left", expand=False)
    table.add_column("When")
    table.add_column("What", overflow="fold")
    table.add_column("With", overflow="fold")
    table.add_column("Notice")
    table.add_column("Call")
    table.add_column("Phone")
    if show_verdict:
        table.add_column("Verdict", overflow="fold")
    for item in result.assessments:
        event = item.event
        organizer = event.organizer.display if event.organizer else "—"
        row = [
            "all day " + event.start.strftime("%a %d %b")
            if event.all_day
            else both_zones(event.start, owner, event.start.tzinfo),
            Text(event.summary or "(no title)"),
            Text(organizer),
            Text(notice_text(item), style=TIER_STYLE[item.notice.tier]),
            call_text(item, result.now, owner),
            item.phones[0].display if item.phones else "—",
        ]
        if show_verdict:
            row.append(Text(verdict_text(item)))
        table.add_row(*row)
    return table


def verdict_text(item: Assessment) -> str:
    if not item.actionable:
        return f"not actionable: {item.not_actionable_because}"
    if item.verdict.is_interview:
        return "interview"
    vetoes = [s for s in item.verdict.signals if s.startswith("not yours")]
    return vetoes[0] if vetoes else "not an interview"


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def report_problems(result) -> None:
    """Warnings and errors on stderr, one line each."""
    for problem in result.warnings:
        click.echo(click.style("callfirst: warning: ", fg="yellow") + str(problem), err=True, color=color_allowed())
    for problem in result.errors:
        click.echo(click.style("callfirst: error: ", fg="red") + str(problem), err=True, color=color_allowed())


def color_allowed() -> bool | None:
    return False if os.environ.get("NO_COLOR") else None


def warn(text: str) -> None:
    click.echo(click.style("callfirst: warning: ", fg="yellow") + text, err=True, color=color_allowed())


def report_note(draft) -> None:
    for issue in draft.note_issues:
        warn(f"your note mentions {issue.what} ('{issue.found}'). {issue.suggestion}")
    if draft.note_dropped:
        warn("the note was left out of the email; reword it, or add --keep-note to include it as written")


def readable(composed) -> str:
    from ..drafts.message import clean_text

    to = composed.to
    lines = []
    if composed.sender:
        lines.append(f"From: {composed.sender.name + ' ' if composed.sender.name else ''}<{composed.sender.email}>")
    lines.append(
        f"To: {(clean_text(to.name or '', 120) + ' ') if to and to.name else ''}<{to.email}>"
        if to
        else "To: (no organizer)"
    )
    lines.append(f"Subject: {clean_text(composed.subject, 200)}")
    return "\n".join(lines) + "\n\n" + composed.body


def slots_text(found, theirs, zone) -> str:
    from ..timetext import slot_text

    slots = found.search.slots
    if not slots:
        return (
            f"No free slot in the interviewer's working hours between {found.search.earliest.astimezone(zone):%Y-%m-%d %H:%M} "
            f"and {found.search.latest.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key}). Try --days with a larger number.\n"
        )
    minutes = int((slots[0].end - slots[0].start).total_seconds() // 60)
    lines = [f"Free {minutes}-minute slots for: {found.chosen.item.event.summary}"]
    same_zone = all(s.start.astimezone(theirs).utcoffset() == s.start.astimezone(zone).utcoffset() for s in slots)
    for number, slot in enumerate(slots, start=1):
        lines.append(f"  {number}. {slot_text(slot, theirs)}")
        if not same_zone:
            lines.append(f"     {slot_text(slot, zone)} for you")
    return "\n".join(lines) + "\n"


def progress_wanted(as_json: bool) -> bool:
    """A bar only for a person watching: stderr is a terminal, and JSON is not headed into a pipe."""
    if os.environ.get("TERM") == "dumb" or not sys.stderr.isatty():
        return False
    return not (as_json and not sys.stdout.isatty())


class Progress:
    """A transient bar on stderr that appears only once reading has taken more than `delay` seconds."""

    def __init__(self, enabled: bool, delay: float = 1.0, clock=None, console=None):
        import time

        self.enabled, self.delay = enabled, delay
        self.clock = clock or time.monotonic
        self.started = self.clock()
        self.console = console
        self.bar = None
        self.tasks: dict[str, int] = {}

    def __call__(self, source: str, done: int, total: int) -> None:
        if not self.enabled or (self.bar is None and self.clock() - self.started < self.delay):
            return
        if self.bar is None:
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("reading {task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=self.console or console(stderr=True),
                transient=True,
            )
            self.bar.start()
        if source not in self.tasks:
            self.tasks[source] = self.bar.add_task(os.path.basename(source) or source, total=total)
        self.bar.update(self.tasks[source], completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
