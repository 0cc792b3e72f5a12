"""Free alternative times: working hours, busy calendars, zones, DST, spread; CLI, plan and draft."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from callfirst.config import NoticePolicy, SlotSettings
from callfirst.model import Attendee, Event, Window
from callfirst.slots import busy_times, free_slots, search_range

from .helpers import run

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
KOLKATA = ZoneInfo("Asia/Kolkata")
CHICAGO = ZoneInfo("America/Chicago")
HOUR = timedelta(hours=1)


def event(uid, start, end, **fields) -> Event:
    return Event(uid=uid, summary=uid, start=start, end=end, timezone=str(start.tzinfo), **fields)


def in_working_hours(slot: Window, zone, policy=NoticePolicy()) -> bool:
    start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
    return (
        start.date() == end.date()
        and start.weekday() in policy.workdays
        and policy.workday_start <= start.time()
        and end.time() <= policy.workday_end
    )


def overlaps(slot: Window, busy) -> bool:
    return any(b.start < slot.end and b.end > slot.start for b in busy)


def test_slots_are_in_working_hours_after_the_lead_and_spread_over_days():
    now = datetime(2026, 12, 1, 9, 30, tzinfo=NY)  # Tuesday
    found = free_slots(duration=HOUR, busy=(), now=now, zone=NY)
    assert len(found.slots) == 3
    assert all(in_working_hours(s, NY) for s in found.slots)
    assert found.slots[0].start >= now + 2 * HOUR  # the default lead: two working hours
    days = [s.start.astimezone(NY).date() for s in found.slots]
    assert len(set(days)) == 3, "one slot a day"
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(days)), "not neighbouring days when there is room"
    parts = {s.start.astimezone(NY).hour < 12 for s in found.slots}
    assert parts == {True, False}, "mornings and afternoons both offered"


def test_the_lead_counts_working_time_not_clock_time():
    friday_evening = datetime(2026, 12, 4, 16, 30, tzinfo=NY)
    search = search_range(friday_evening, NY, NoticePolicy(), SlotSettings())
    # 30 minutes left on Friday, then 90 minutes on Monday morning.
    assert search.start == datetime(2026, 12, 7, 10, 30, tzinfo=NY)
    settings = SlotSettings(days=2)
    assert search_range(friday_evening, NY, NoticePolicy(), settings).end == datetime(2026, 12, 8, 17, 0, tzinfo=NY)


def test_busy_events_are_avoided_but_transparent_cancelled_and_declined_ones_are_not():
    now = datetime(2026, 12, 7, 8, 0, tzinfo=NY)  # Monday
    day = lambda d, h: datetime(2026, 12, d, h, tzinfo=NY)  # noqa: E731
    events = [
        event("meeting", day(7, 9), day(7, 17)),
        event("free-marker", day(8, 9), day(8, 17), transparent=True),
        event("cancelled", day(9, 9), day(9, 17), status="CANCELLED"),
        event("declined", day(10, 9), day(10, 17), attendees=(Attendee("me@example.com", partstat="DECLINED"),)),
    ]
    busy = busy_times(events, "ME@example.com")
    assert [b.start for b in busy] == [day(7, 9)]
    found = free_slots(duration=HOUR, busy=busy, now=now, zone=NY, settings=SlotSettings(count=4, days=4))
    # Today (the 7th) is never offered: suggestions start on the next working day.
    assert not any(s.start.astimezone(NY).day == 7 for s in found.slots)
    assert {s.start.astimezone(NY).day for s in found.slots} == {8, 9, 10, 11}


def test_all_day_events_block_the_whole_day_even_when_marked_free():
    now = datetime(2026, 12, 7, 8, 0, tzinfo=NY)
    offsite = event(
        "offsite", datetime(2026, 12, 8, tzinfo=NY), datetime(2026, 12, 10, tzinfo=NY), all_day=True, transparent=True
    )
    busy = busy_times([offsite])
    found = free_slots(duration=HOUR, busy=busy, now=now, zone=NY, settings=SlotSettings(count=10, days=5))
    assert found.slots and not overlaps_any_day(found.slots, {8, 9})


def overlaps_any_day(slots, days) -> bool:
    return any(s.start.astimezone(NY).day in days for s in slots)


def test_a_full_week_pushes_slots_into_the_next():
    now = datetime(2026, 12, 7, 8, 0, tzinfo=NY)
    week = [
        event(f"busy{d}", datetime(2026, 12, d, 8, tzinfo=NY), datetime(2026, 12, d, 18, tzinfo=NY))
        for d in range(7, 12)
    ]
    found = free_slots(duration=HOUR, busy=busy_times(week), now=now, zone=NY)
    assert len(found.slots) == 3
    assert all(s.start >= datetime(2026, 12, 14, tzinfo=NY) for s in found.slots)
    nothing = free_slots(duration=HOUR, busy=busy_times(week), now=now, zone=NY, settings=SlotSettings(days=4))
    assert nothing.slots == ()


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 3, 5, 12, 0, tzinfo=NY),  # a Thursday before the US springs forward (8 March)
        datetime(2026, 10, 29, 12, 0, tzinfo=NY),  # a Thursday before it falls back (1 November)
    ],
)
def test_dst_weeks_keep_local_working_hours_and_length(now):
    found = free_slots(
        duration=timedelta(minutes=45), busy=(), now=now, zone=NY, settings=SlotSettings(count=6, days=6)
    )
    assert len(found.slots) == 6
    for slot in found.slots:
        assert in_working_hours(slot, NY)
        assert slot.end - slot.start == timedelta(minutes=45)
        assert slot.start.astimezone(NY).minute in (0, 30)
    offsets = {s.start.astimezone(NY).utcoffset() for s in found.slots}
    assert len(offsets) == 2, "the slots straddle the change"


def test_zones_a_day_apart_kolkata_owner_los_angeles_interviewer():
    # Owner in Kolkata (UTC+5:30); interviewer in Los Angeles (UTC-8): 13.5 hours apart.
    now = datetime(2026, 12, 8, 20, 0, tzinfo=KOLKATA)  # Tuesday evening in Kolkata = Tuesday 06:30 in LA
    owner_holiday = event(
        "holiday", datetime(2026, 12, 10, tzinfo=KOLKATA), datetime(2026, 12, 11, tzinfo=KOLKATA), all_day=True
    )
    found = free_slots(
        duration=HOUR, busy=busy_times([owner_holiday]), now=now, zone=LA, settings=SlotSettings(count=8, days=6)
    )
    assert len(found.slots) == 8
    assert all(in_working_hours(s, LA) for s in found.slots)
    # The Kolkata holiday covers Wed 10:30 to Thu 10:30 in Los Angeles.
    blocked = Window(datetime(2026, 12, 9, 10, 30, tzinfo=LA), datetime(2026, 12, 10, 10, 30, tzinfo=LA))
    assert not any(overlaps(s, [blocked]) for s in found.slots)
    assert any(s.start.astimezone(LA).day == 10 for s in found.slots), "Thursday afternoon is free again"
    assert found.slots[0].start >= datetime(2026, 12, 8, 11, 0, tzinfo=LA)  # 09:00 + the two-hour lead


def test_no_working_days_gives_no_slots_rather_than_a_hang():
    policy = NoticePolicy(workday_start=time(9), workday_end=time(9))
    now = datetime(2026, 12, 7, 8, 0, tzinfo=NY)
    assert free_slots(duration=HOUR, busy=(), now=now, zone=NY, policy=policy).slots == ()


# --- through the CLI ---------------------------------------------------------------------


def calendar_file(path, *events: str):
    body = "".join(events)
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n")
    return path


def vevent(uid, start, end, summary, extra=""):
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;TZID=America/New_York:{start}\r\n"
        f"DTEND;TZID=America/New_York:{end}\r\nSUMMARY:{summary}\r\n{extra}END:VEVENT\r\n"
    )


INTERVIEW = vevent(
    "iv-1",
    "20261209T100000",
    "20261209T110000",
    "Interview with Northwind Analytics",
    "ORGANIZER;CN=Priya Raman:mailto:priya@northwind-analytics.com\r\n",
)


def test_slots_cli_json_avoids_the_source_and_busy_files(tmp_path, env):
    source = calendar_file(
        tmp_path / "cal.ics", INTERVIEW, vevent("dentist", "20261208T090000", "20261208T170000", "Blocked")
    )
    other = calendar_file(tmp_path / "work.ics", vevent("work", "20261210T090000", "20261211T170000", "Release"))
    code, out, err = run(
        env, "slots", source, "--now", "2026-12-07T08:00:00-05:00", "--busy", other, "--count", "5", "--json"
    )
    assert code == 0, err
    slots = json.loads(out)["slots"]
    assert len(slots) == 5 and set(slots[0]) == {"start", "end"}
    for slot in slots:
        start, end = datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"])
        assert start.utcoffset() == timedelta(hours=-5), "written in the interviewer's zone"
        assert end - start == HOUR
        assert start.astimezone(NY).day not in (8, 10, 11)
        assert not (start < datetime(2026, 12, 9, 11, tzinfo=NY) and end > datetime(2026, 12, 9, 10, tzinfo=NY))


def test_slots_cli_text_names_both_zones_and_reports_a_missing_busy_file(tmp_path, env):
    source = calendar_file(tmp_path / "cal.ics", INTERVIEW)
    code, out, err = run(env, "slots", source, "--now", "2026-12-07T08:00:00-05:00")
    assert code == 0, err
    assert out.count(", America/New_York") == 3 and out.count(", America/Chicago for you") == 3
    code, out, err = run(env, "slots", source, "--now", "2026-12-07T08:00:00-05:00", "--busy", tmp_path / "nope.ics")
    assert code == 1 and "nope.ics" in err and "Traceback" not in err


def test_plan_offers_free_slots_and_draft_suggest_adds_them_after_propose(tmp_path, env):
    source = calendar_file(tmp_path / "cal.ics", INTERVIEW)
    code, out, err = run(env, "plan", source, "--now", "2026-12-07T08:00:00-05:00")
    assert code == 0, err
    script = out[out.index("Would one of these times work for you") : out.index("If they ask why")]
    assert script.count(" a.m.") + script.count(" p.m.") == 3 and "America/" not in script
    code, out, err = run(
        env,
        "draft",
        source,
        "--now",
        "2026-12-07T08:00:00-05:00",
        "--called",
        "reached",
        "--propose",
        "2026-12-14T10:00-05:00",
        "--suggest",
        "2",
    )
    assert code == 0, err
    times = [line.strip() for line in out.splitlines() if line.strip().startswith("- ")]
    assert len(times) == 3 and any(t.startswith("- Monday, December 14, 10:00–11:00 a.m. ET") for t in times)
    # plan and draft share one default: the email previewed is the email drafted.
    _, plan, _ = run(env, "plan", source, "--now", "2026-12-07T08:00:00-05:00", "--called", "reached")
    _, out, _ = run(env, "draft", source, "--now", "2026-12-07T08:00:00-05:00", "--called", "reached")
    drafted = [line.strip() for line in out.splitlines() if line.strip().startswith("- ")]
    assert len(drafted) == 3 and all(line in plan for line in drafted)
    _, out, _ = run(env, "draft", source, "--now", "2026-12-07T08:00:00-05:00", "--called", "reached", "--suggest", "0")
    assert not any(line.strip().startswith("- ") for line in out.splitlines()), "--suggest 0: no invented times"
    code, out, _ = run(env, "plan", source, "--now", "2026-12-07T08:00:00-05:00", "--suggest", "0")
    assert "What times would work for you?" in out


def test_times_already_offered_are_busy_and_their_days_are_spread_away_from():
    now = datetime(2026, 12, 7, 8, 0, tzinfo=NY)  # Monday
    offered = (Window(datetime(2026, 12, 8, 10, tzinfo=NY), datetime(2026, 12, 8, 11, tzinfo=NY)),)
    found = free_slots(duration=HOUR, busy=(), now=now, zone=NY, settings=SlotSettings(count=2), taken=offered)
    days = {s.start.astimezone(NY).day for s in found.slots}
    assert len(found.slots) == 2 and not days & {7, 8, 9}, "not the offered day, nor its neighbours"


@pytest.mark.parametrize(
    "command",
    [
        ("slots",),
        ("plan",),
        ("draft", "--called", "reached", "--suggest", "2"),
    ],
)
def test_an_unreadable_busy_calendar_stops_before_any_suggestion(tmp_path, env, command):
    source = calendar_file(tmp_path / "cal.ics", INTERVIEW)
    missing = tmp_path / "missing.ics"
    code, out, err = run(
        env, *command[:1], source, *command[1:], "--now", "2026-12-07T08:00:00-05:00", "--busy", missing
    )
    assert code == 1
    assert out == "", "no times are offered that ignore the busy calendar"
    assert f"{missing}: no such file; no free times are offered without this busy calendar" in err
    assert len(err.strip().splitlines()) == 1
