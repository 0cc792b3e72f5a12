"""Turn results into what a person or a program reads: JSON objects and rich tables."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from .model import Assessment, ScanResult, Tier

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


def when(dt: datetime, zone: tzinfo, with_date: bool = True) -> str:
    local = dt.astimezone(zone)
    return local.strftime("%a %d %b %H:%M" if with_date else "%H:%M")


def zone_label(zone: tzinfo, at: datetime) -> str:
    return getattr(zone, "key", None) or at.astimezone(zone).tzname() or str(zone)


def both_zones(dt: datetime, owner: tzinfo, theirs: tzinfo) -> str:
    """'Tue 01 Dec 16:00 (10:00 America/New_York)' — yours first, theirs when it differs."""
    mine = when(dt, owner)
    if dt.astimezone(owner).utcoffset() == dt.astimezone(theirs).utcoffset() and zone_label(owner, dt) == zone_label(theirs, dt):
        return mine
    return f"{mine} ({when(dt, theirs, with_date=dt.astimezone(owner).date() != dt.astimezone(theirs).date())} {zone_label(theirs, dt)})"


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
            "all day " + event.start.strftime("%a %d %b") if event.all_day else both_zones(event.start, owner, event.start.tzinfo),
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
