"""The streaming reader finds exactly what a full icalendar parse finds."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bench.exports import generate
from bench.peer import full_parse
from callfirst import api
from callfirst.config import Config, Profile
from callfirst.ical.convert import Envelope
from callfirst.ical.convert import to_event as _to_event
from callfirst.model import Window
from callfirst.triage import assess_events, interviews
from tests.helpers import context_for

NOW = datetime(2026, 11, 28, 10, tzinfo=ZoneInfo("UTC"))


@pytest.mark.slow
def test_streaming_scan_matches_full_parse(tmp_path):
    path = tmp_path / "export.ics"
    path.write_text(generate(3000, seed=11, interview_share=0.05, start=datetime(2026, 6, 1), years=1))
    config = Config(profile=Profile(timezone="UTC"))
    window = Window(NOW, NOW + timedelta(days=90))

    streamed = api.scan(context_for(config, NOW), [str(path)], window=window)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    occurrences = recurring_ical_events.of(calendar).between(window.start, window.end)
    full = interviews(
        assess_events([_to_event(c, str(path), 0, ZoneInfo("UTC"), Envelope(), True) for c in occurrences], NOW, config)
    )

    def key(items):
        return sorted((a.event.uid, a.event.start, a.event.end, a.event.summary, a.notice.tier) for a in items)

    assert streamed.errors == ()
    assert len(full) > 5, "the generated export holds interviews in the window"
    assert key(streamed.assessments) == key(full)


@pytest.mark.slow
def test_all_mode_keeps_every_event_in_the_window(tmp_path):
    path = tmp_path / "export.ics"
    path.write_text(generate(1500, seed=5, start=datetime(2026, 6, 1), years=1))
    config = Config(profile=Profile(timezone="UTC"))
    window = Window(NOW, NOW + timedelta(days=30))
    streamed = api.scan(context_for(config, NOW), [str(path)], window=window, include_all=True)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    full = recurring_ical_events.of(calendar).between(window.start, window.end)
    assert sorted((a.event.uid, a.event.start) for a in streamed.assessments) == sorted(
        (str(c["UID"]), _to_event(c, "", 0, ZoneInfo("UTC"), Envelope(), True).start) for c in full
    )


# --- the fast paths give exactly what the usual way gives ------------------------------------------

WHOLE = Window(datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC")), datetime(2040, 1, 1, tzinfo=ZoneInfo("UTC")))


def _projection(events):
    """Everything an event says, except where it was read (the full parse has no line numbers)."""
    return sorted(
        (
            e.uid,
            e.start,
            e.end,
            e.start.utcoffset(),
            e.timezone,
            e.summary,
            e.description,
            e.location,
            e.organizer,
            e.attendees,
            e.status,
            e.all_day,
            e.transparent,
            e.language,
        )
        for e in events
    )


def _full_parse(path, window):
    return full_parse(path, window, ZoneInfo("UTC"))


def test_whole_file_scan_matches_full_parse_for_interviews_and_every_event(tmp_path):
    """Folded interview words, moved occurrences, EXDATEs, three zones, non-ASCII titles; any window."""
    path = tmp_path / "export.ics"
    path.write_text(generate(1200, seed=23, interview_share=0.05, start=datetime(2026, 1, 1), years=2))
    text = path.read_text()
    assert "RECURRENCE-ID" in text and "EXDATE" in text and "\n vite you" in text and "面接" in text
    config = Config(profile=Profile(timezone="UTC"))
    for window in (WHOLE, Window(NOW, NOW + timedelta(days=90))):
        full = _full_parse(path, window)
        every = api.scan(context_for(config, NOW), [str(path)], window=window, include_all=True)
        assert every.errors == ()
        # Both go through the same assessment: an interview's times are shown in the interviewer's zone.
        assessed = assess_events(full, NOW, config, ZoneInfo("UTC"))
        assert _projection(a.event for a in every.assessments) == _projection(a.event for a in assessed)
        found = api.scan(context_for(config, NOW), [str(path)], window=window)
        expected = interviews(assessed)
        assert len(expected) > 3
        assert _projection(a.event for a in found.assessments) == _projection(a.event for a in expected)


def _both_ways(data: bytes, window=WHOLE, profile_zone="America/Chicago"):
    """Events read with the fast paths, and read with every block going through icalendar."""
    from callfirst.ical.prefilter import Selector
    from callfirst.ical.read import read_calendar_data

    def read(fast: bool):
        selector = Selector(window, lambda _text: True, keep_all_in_window=True)
        result = read_calendar_data(data, "cal.ics", selector, ZoneInfo(profile_zone), fast=fast)
        problems = sorted(map(str, result.warnings)), sorted(map(str, result.errors))
        return _projection(result.events), *problems, selector.budget.spent

    return read(fast=True), read(fast=False)


def _calendar(*events: str, head: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{head}{body}END:VCALENDAR\r\n".replace("\n\r\n", "\r\n").encode()


_ONE = "UID:{uid}\r\nDTSTART:20300107T160000Z\r\nDTEND:20300107T170000Z\r\nSUMMARY:Phone interview with Acme\r\n"
ODD_CALENDARS = {
    # an end millennia after the start: one event's error, not the whole scan's
    "series lasting millennia": _calendar(
        _ONE.format(uid="good@x"),
        "UID:long@x\r\nDTSTART;TZID=Europe/Berlin:20300107T100000\r\nDTEND;TZID=Europe/Berlin:50000107T110000\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Interview loop",
    ),
    "one-off lasting millennia": _calendar("UID:long@x\r\nDTSTART:20300107T100000Z\r\nDTEND:70000107T110000Z"),
    "padded parameter": _calendar(
        _ONE.format(uid="pad@x") + "ATTENDEE;PARTSTAT=DECLINED ;CN=Alex Morgan :mailto:alex@example.com"
    ),
    "control character in a parameter": _calendar(
        _ONE.format(uid="ctl@x") + "ORGANIZER;CN=Evil\x1b[2JRecruiter:mailto:jobs@acme.com"
    ),
    "caret escapes": _calendar(_ONE.format(uid="car@x") + "ORGANIZER;CN=\"Jane ^'JJ^' Doe^n\":mailto:jobs@acme.com"),
    "angle brackets and padded mailto": _calendar(
        _ONE.format(uid="ang@x") + "ORGANIZER;CN=Recruiter:mailto:<jobs@acme.com>\r\n"
        "ATTENDEE;PARTSTAT=DECLINED:MAILTO: alex@example.com"
    ),
    "escaped uid shared by a one-off and a series": _calendar(
        "UID:a\\,b\r\nDTSTART:20300107T100000Z\r\nDTEND:20300107T110000Z\r\nSUMMARY:Interview one-off",
        "UID:a\\,b\r\nDTSTART:20300201T100000Z\r\nDTEND:20300201T110000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3",
    ),
    # a floating time the calendar's zone places: both ways walk the budget from the same clock
    "floating series in a calendar zone": _calendar(
        "UID:daily@x\r\nDTSTART:20230620T013000\r\nDTEND:20230620T023000\r\nRRULE:FREQ=DAILY\r\nSUMMARY:Prep",
        head="X-WR-TIMEZONE:Pacific/Kiritimati\r\n",
    ),
    # 06:30 UTC is the second 01:30 in New York that night
    "utc time in the hour a calendar zone repeats": _calendar(
        "UID:fold@x\r\nDTSTART:20261101T063000Z\r\nDTEND:20261101T064500Z\r\nRRULE:FREQ=WEEKLY;COUNT=2",
        "UID:fold-once@x\r\nDTSTART:20261101T063000Z\r\nDTEND:20261101T064500Z",
        head="X-WR-TIMEZONE:America/New_York\r\n",
    ),
    "sequence of thousands of digits": _calendar(_ONE.format(uid="digits@x") + "SEQUENCE:" + "9" * 5000),
    # week numbers, Easter and positions no day or step can meet
    "week numbers, Easter and positions that never come": _calendar(
        "UID:wk@x\r\nDTSTART:20300107T100000Z\r\nRRULE:FREQ=HOURLY;BYWEEKNO=1;BYMONTH=7\r\nSUMMARY:Interview",
        "UID:pos@x\r\nDTSTART:20300107T100000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=3\r\nSUMMARY:Interview",
        "UID:easter@x\r\nDTSTART:20300107T100000Z\r\nRRULE:FREQ=YEARLY;BYEASTER=0;BYMONTH=6\r\nSUMMARY:Interview",
    ),
    # text given another type: read as its text (a number as icalendar writes it), never as a Python repr
    "text given another type": _calendar(
        "UID;VALUE=INTEGER:00042\r\nDTSTART:20300107T160000Z\r\nDTEND:20300107T170000Z\r\n"
        "SUMMARY;VALUE=DATE:20300101\r\nLOCATION;VALUE=BINARY;ENCODING=BASE64:SW50ZXJ2aWV3\r\n"
        "DESCRIPTION;VALUE=RECUR:FREQ=DAILY\r\nORGANIZER;VALUE=TEXT:mailto:a\\,b@x.com"
    ),
    # a SEQUENCE past icalendar's integers counts as none, in a one-off and in a series
    "sequence past icalendar's integers": _calendar(
        _ONE.format(uid="seq@x") + "SEQUENCE:2147483648",
        "UID:seq-loop@x\r\nDTSTART:20300108T160000Z\r\nDTEND:20300108T170000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
        "SEQUENCE:99999999999999999999\r\nSUMMARY:Interview loop",
    ),
    # no day passes the rule: the first date only, with a warning, instead of a walk to the year 9999
    "rule that lets no day through": _calendar(
        "UID:never@x\r\nDTSTART:20300107T100000Z\r\nDTEND:20300107T110000Z\r\n"
        "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\nSUMMARY:Interview loop",
        "UID:never-monthly@x\r\nDTSTART;VALUE=DATE:20300131\r\nRRULE:FREQ=MONTHLY;BYMONTH=4\r\nSUMMARY:Interview day",
        "UID:never-until@x\r\nDTSTART:20300107T100000Z\r\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31;UNTIL=20310101T000000Z",
    ),
    # 23:00 UTC on a Monday is Tuesday in Tokyo, the calendar's zone, where the rule repeats from
    "utc start a calendar zone moves to another weekday": _calendar(
        "UID:tue@x\r\nDTSTART:20300107T230000Z\r\nDTEND:20300107T233000Z\r\n"
        "RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=TU;COUNT=3\r\nSUMMARY:Interview",
        "UID:feb@x\r\nDTSTART:20300131T230000Z\r\nDTEND:20300131T233000Z\r\nRRULE:FREQ=YEARLY;BYMONTH=2;COUNT=3",
        head="X-WR-TIMEZONE:Asia/Tokyo\r\n",
    ),
    # the language an event says it is written in: the title's, else the description's; any case, quoted or not
    "language parameters": _calendar(
        _ONE.format(uid="l1@x").replace("SUMMARY:", "SUMMARY;LANGUAGE=fr-FR:"),
        _ONE.format(uid="l2@x") + 'DESCRIPTION;LANGUAGE="pt-BR":Entrevista',
        _ONE.format(uid="l3@x").replace("SUMMARY:", "SUMMARY;language=de-DE:") + "DESCRIPTION;LANGUAGE=nl:x",
        _ONE.format(uid="l4@x").replace("SUMMARY:", "SUMMARY;LANGUAGE=e:"),
        "UID:l5@x\r\nDTSTART:20300107T100000Z\r\nDTEND:20300107T110000Z\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\n"
        "SUMMARY;LANGUAGE=vi-VN:Phỏng vấn",
    ),
    # each daily series gives far more than the most shown: both ways show the same first ones
    "many endless daily series": _calendar(
        *(
            f"UID:d{n}@x\r\nDTSTART;TZID=Europe/Berlin:200001{n + 5:02}T100000\r\nDTEND;TZID=Europe/Berlin:"
            f"200001{n + 5:02}T110000\r\nRRULE:FREQ=DAILY\r\nSUMMARY:Standup"
            for n in range(3)
        )
    ),
}


@pytest.mark.parametrize("name", sorted(ODD_CALENDARS))
def test_odd_lines_are_read_as_icalendar_reads_them(name):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fast, usual = _both_ways(ODD_CALENDARS[name])
    assert fast == usual


def test_both_ways_read_the_language_an_event_says_it_is_written_in():
    from callfirst.ical.prefilter import Selector
    from callfirst.ical.read import read_calendar_data

    for fast in (True, False):
        selector = Selector(WHOLE, lambda _text: True, keep_all_in_window=True)
        events = read_calendar_data(
            ODD_CALENDARS["language parameters"], "cal.ics", selector, ZoneInfo("UTC"), fast=fast
        )
        languages = {e.uid: e.language for e in events.events}
        assert languages == {"l1@x": "fr", "l2@x": "pt", "l3@x": "de", "l4@x": "", "l5@x": "vi"}, fast


def test_a_series_lasting_millennia_is_one_events_error():
    from callfirst.ical import read as reader
    from callfirst.ical.prefilter import Selector

    selector = Selector(WHOLE, lambda _text: True, keep_all_in_window=True)
    data = ODD_CALENDARS["series lasting millennia"]
    result = reader.read_calendar_data(data, "cal.ics", selector, ZoneInfo("UTC"))
    assert [event.uid for event in result.events] == ["good@x"]
    assert [str(error) for error in result.errors] == [
        "cal.ics:9: event 'long@x' cannot be expanded (date value out of range); skipped"
    ]


def test_a_declined_invitation_with_padded_parameters_is_not_yours_to_cancel(tmp_path):
    path = tmp_path / "declined.ics"
    path.write_bytes(ODD_CALENDARS["padded parameter"])
    config = Config(profile=Profile(timezone="UTC", email="alex@example.com"))
    window = Window(NOW, NOW + timedelta(days=5 * 366))
    assert api.scan(context_for(config, NOW), [str(path)], window=window).assessments == ()
    (every,) = api.scan(context_for(config, NOW), [str(path)], window=window, include_all=True).assessments
    assert every.event.attendees[0].partstat == "DECLINED" and every.not_actionable_because == "you declined it"


def test_a_rule_that_lets_no_day_through_keeps_its_first_date_and_says_so():
    from callfirst.ical import read as reader
    from callfirst.ical.prefilter import Selector

    selector = Selector(WHOLE, lambda _text: True, keep_all_in_window=True)
    result = reader.read_calendar_data(
        ODD_CALENDARS["rule that lets no day through"], "cal.ics", selector, ZoneInfo("UTC")
    )
    assert sorted((event.uid, event.start.date().isoformat()) for event in result.events) == [
        ("never-monthly@x", "2030-01-31"),
        ("never-until@x", "2030-01-07"),
        ("never@x", "2030-01-07"),
    ]
    assert [(str(p.line), p.message) for p in result.warnings] == [
        (
            line,
            "RRULE never repeats (its BY parts and INTERVAL leave out every date); the event is read without it",
        )
        for line in ("7", "13", "19")
    ]


def test_week_numbers_easter_and_positions_that_never_come_leave_their_rules_out():
    from callfirst.ical import read as reader
    from callfirst.ical.prefilter import Selector

    selector = Selector(WHOLE, lambda _text: True, keep_all_in_window=True)
    data = ODD_CALENDARS["week numbers, Easter and positions that never come"]
    result = reader.read_calendar_data(data, "cal.ics", selector, ZoneInfo("UTC"))
    assert sorted(event.uid for event in result.events) == ["easter@x", "pos@x", "wk@x"]
    assert len([p for p in result.warnings if "RRULE never repeats" in p.message]) == 3


@st.composite
def day_filters(draw):
    """A rule's filters: months, days of the month and of the year, week numbers, positions (some out of
    range), Easter, weekdays; yearly, monthly, weekly, or daily in whole weeks."""
    freq = draw(st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY"]))
    parts = [f"FREQ=DAILY;INTERVAL={7 * draw(st.integers(1, 3))}" if freq == "DAILY" else f"FREQ={freq}"]
    for name, values, most in (
        ("BYMONTH", st.integers(1, 13), 3),
        ("BYMONTHDAY", st.integers(-32, 32).filter(bool), 3),
        ("BYYEARDAY", st.integers(-367, 367).filter(bool), 2),
        ("BYWEEKNO", st.integers(-55, 55).filter(bool), 2),
        ("BYSETPOS", st.integers(-400, 400).filter(bool), 2),
        ("BYEASTER", st.sampled_from([-60, -3, -2, -1, 0, 1, 2, 3, 40, 200]), 1),
        ("BYDAY", st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU", "1MO", "-1FR"]), 3),
    ):
        if draw(st.integers(0, 2)) == 0:
            parts.append(f"{name}=" + ",".join(map(str, draw(st.sets(values, min_size=1, max_size=most)))))
    return ";".join(parts)


@settings(max_examples=300, deadline=None)
@given(rule=day_filters(), start=st.datetimes(datetime(9800, 1, 1), datetime(9970, 12, 31)))
@example(rule="FREQ=YEARLY;BYMONTHDAY=1;BYEASTER=0;BYDAY=SU", start=datetime(9800, 1, 1))  # Easter on 1 April
def test_a_rule_said_never_to_repeat_gives_dateutil_nothing(rule, start):
    """dateutil looks up to the year 9999: from 9800 on, a search that finds nothing ends soon, and the years
    left still hold all 14 kinds of year (but not every day Easter can fall on: Easter is on 1 April in 9855,
    never from 9972 to 9999). Where only months, days and weekdays filter, the answer is exact."""
    from itertools import islice

    from dateutil.rrule import rrulestr

    from callfirst.ical.steps import never_repeats

    try:
        instances = list(islice(rrulestr(rule, dtstart=start), 1))
    except ValueError:
        return  # dateutil refuses it outright: the usual way reports that
    if never_repeats(rule, start):
        assert not instances
    elif not any(part in rule for part in ("BYWEEKNO", "BYSETPOS", "1MO", "1FR", "BYEASTER")):
        assert instances


def test_text_given_another_type_is_read_as_text():
    from callfirst.ical import read as reader
    from callfirst.ical.prefilter import Selector

    selector = Selector(WHOLE, lambda _text: True, keep_all_in_window=True)
    data = ODD_CALENDARS["text given another type"]
    (event,) = reader.read_calendar_data(data, "cal.ics", selector, ZoneInfo("UTC")).events
    assert (event.uid, event.summary, event.location, event.description) == (
        "42",
        "20300101",
        "SW50ZXJ2aWV3",
        "FREQ=DAILY",
    )
    assert event.organizer is not None and event.organizer.email == "a,b@x.com"


def test_a_sequence_past_icalendars_integers_counts_as_none():
    from callfirst.ical import read as reader
    from callfirst.ical.prefilter import Selector

    selector = Selector(WHOLE, lambda _text: True, keep_all_in_window=True)
    data = ODD_CALENDARS["sequence past icalendar's integers"]
    result = reader.read_calendar_data(data, "cal.ics", selector, ZoneInfo("UTC"))
    assert result.errors == () and len(result.events) == 4
    assert {event.sequence for event in result.events} == {0}


@pytest.mark.parametrize("include_all", [False, True])
def test_two_versions_of_one_event_read_as_icalendar_reads_them_and_the_other_is_named(tmp_path, include_all):
    """A one-off and a series with one UID, neither a moved occurrence: recurring-ical-events reads the one
    with the highest SEQUENCE, the first of equals; the plain one-off is read the usual way too."""
    path = tmp_path / "versions.ics"
    one_off = "UID:abc\r\nDTSTART:20261207T100000Z\r\nDTEND:20261207T110000Z\r\nSUMMARY:Interview with Contoso"
    series = (
        "UID:abc\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
        "SUMMARY:Interview loop with Contoso"
    )
    config = Config(profile=Profile(timezone="UTC"))
    window = Window(NOW, NOW + timedelta(days=30))
    cases = (
        ((one_off, series), "Interview with Contoso", 9),
        ((series, one_off), "Interview loop with Contoso", 10),  # equal SEQUENCEs: the first
        ((one_off, series + "\r\nSEQUENCE:2"), "Interview loop with Contoso", 3),
    )
    for blocks, shown, hidden in cases:
        path.write_bytes(_calendar(*blocks))
        found = api.scan(context_for(config, NOW), [str(path)], window=window, include_all=include_all)
        assert {item.event.summary for item in found.assessments} == {shown}
        expected = assess_events(_full_parse(path, window), NOW, config, ZoneInfo("UTC"))
        assert _projection(_events(found)) == _projection(a.event for a in expected)
        assert [(p.line, "another version of the one at line" in p.message) for p in found.warnings] == [(hidden, True)]


MOVED_AWAY = (
    "UID:Moved@x\r\nSEQUENCE:0\r\nDTSTART:20261207T100000Z\r\nDTEND:20261207T110000Z\r\nSUMMARY:Interview with Contoso",
    "UID:Moved@x\r\nSEQUENCE:1\r\nDTSTART:20270315T100000Z\r\nDTEND:20270315T110000Z\r\n"
    "SUMMARY:Interview with Contoso (moved)",
    # renamed as well: no word an interview could hold, yet the newer version
    "UID:renamed@x\r\nSEQUENCE:0\r\nDTSTART:20261208T100000Z\r\nDTEND:20261208T110000Z\r\n"
    "SUMMARY:Phone screen with Fabrikam",
    "UID:renamed@x\r\nSEQUENCE:3\r\nDTSTART:20261209T100000Z\r\nDTEND:20261209T110000Z\r\nSUMMARY:Coffee with Dana",
    # the older version outside the window, the newer one in it
    "UID:back@x\r\nSEQUENCE:2\r\nDTSTART:20261210T100000Z\r\nDTEND:20261210T110000Z\r\n"
    "SUMMARY:Interview with Northwind",
    "UID:back@x\r\nSEQUENCE:1\r\nDTSTART:20250101T100000Z\r\nDTEND:20250101T110000Z\r\n"
    "SUMMARY:Interview with Northwind",
)


@pytest.mark.parametrize("include_all", [False, True])
@pytest.mark.parametrize("unusual", [False, True], ids=["usual file", "file read line by line"])
def test_a_newer_version_outside_the_window_or_without_interview_words_still_wins(tmp_path, include_all, unusual):
    """An interview moved out of the window (or renamed) is not shown at its old time: every version of an
    event is read with the others, wherever its dates are and whatever its words."""
    from callfirst.ical.prefilter import Selector, layout

    path = tmp_path / "moved.ics"
    # an event begun in lower case, which the bytes cannot vouch for, sends the whole file to the line reader
    odd = "begin:vevent\r\nUID:odd@x\r\nDTSTART:20200101T100000Z\r\nSUMMARY:Old\r\nend:vevent\r\n"
    path.write_bytes(_calendar(*MOVED_AWAY, head=odd if unusual else ""))
    selector = Selector(Window(NOW, NOW + timedelta(days=30)), lambda _text: True, keep_all_in_window=True)
    assert (layout(path.read_bytes(), selector) is None) == unusual
    config = Config(profile=Profile(timezone="UTC"))
    window = Window(NOW, NOW + timedelta(days=30))
    found = api.scan(context_for(config, NOW), [str(path)], window=window, include_all=include_all)
    shown = {(item.event.uid, item.event.summary) for item in found.assessments}
    if include_all:
        assert shown == {("renamed@x", "Coffee with Dana"), ("back@x", "Interview with Northwind")}
    else:
        assert shown == {("back@x", "Interview with Northwind")}
    expected = assess_events(_full_parse(path, window), NOW, config, ZoneInfo("UTC"))
    expected = expected if include_all else interviews(expected)
    assert _projection(_events(found)) == _projection(a.event for a in expected)
    hidden = sorted(p.line for p in found.warnings if "another version of the one at line" in p.message)
    assert hidden == ([8, 22, 43] if unusual else [3, 17, 38])


_APPLE_ALARM = "BEGIN:VALARM\r\nX-WR-ALARMUID:A1\r\nUID:A1\r\nTRIGGER:-PT15M\r\nACTION:AUDIO\r\nEND:VALARM"
_LOWER_CASE_EVENT = "begin:vevent\r\nUID:odd@x\r\nDTSTART:20200101T100000Z\r\nSUMMARY:Old\r\nend:vevent\r\n"
VERSIONS_AND_MOVES = {
    # an occurrence moved out of the window, its copy holding an alarm with a UID of its own (as Apple writes)
    "moved occurrence with an alarm's UID": _calendar(
        "UID:weekly@x\r\nDTSTART:20261201T150000Z\r\nDTEND:20261201T160000Z\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n"
        "SUMMARY:Interview with Contoso",
        "UID:weekly@x\r\nRECURRENCE-ID:20261208T150000Z\r\nDTSTART:20270301T150000Z\r\nDTEND:20270301T160000Z\r\n"
        "SUMMARY:Interview with Contoso\r\n" + _APPLE_ALARM,
    ),
    "newer series with an alarm's UID": _calendar(
        "UID:loop@x\r\nSEQUENCE:0\r\nDTSTART:20261201T150000Z\r\nDTEND:20261201T160000Z\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Interview loop with Contoso",
        "UID:loop@x\r\nSEQUENCE:1\r\nDTSTART:20270201T150000Z\r\nDTEND:20270201T160000Z\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Interview loop with Contoso\r\n" + _APPLE_ALARM,
    ),
    # every event's alarm with one UID: they are not one event
    "alarms sharing a UID": _calendar(
        *(
            f"UID:e{n}@x\r\nDTSTART:202612{n + 1:02}T150000Z\r\nDTEND:202612{n + 1:02}T160000Z\r\n"
            f"SUMMARY:{'Interview' if n % 2 else 'Lunch'}\r\n" + _APPLE_ALARM
            for n in range(6)
        )
    ),
    # the version shown is placed in UTC, the hidden one in Berlin: the event is placed as the one shown
    "versions placed in other zones": _calendar(
        "UID:v@x\r\nDTSTART;TZID=Europe/Berlin:20270310T070000\r\nDTEND;TZID=Europe/Berlin:20270310T080000\r\n"
        "SUMMARY:Phone screen with Acme\r\nSEQUENCE:0",
        "UID:v@x\r\nDTSTART:20261216T150000Z\r\nDTEND:20261216T160000Z\r\nSUMMARY:Phone screen with Acme\r\nSEQUENCE:1",
        "UID:w@x\r\nDTSTART;TZID=Europe/Berlin:20261210T070000\r\nDTEND;TZID=Europe/Berlin:20261210T080000\r\n"
        "SUMMARY:Phone screen\r\nSEQUENCE:1",
        "UID:w@x\r\nDTSTART:20261216T150000Z\r\nDTEND:20261216T160000Z\r\nSUMMARY:Phone screen",
    ),
    # a one-off version holding a component the bytes cannot vouch for, and a newer series before the window
    "odd one-off beside a newer series": _calendar(
        "UID:v@x\r\nSEQUENCE:0\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\n"
        "SUMMARY:Interview with Acme\r\nBEGIN:X-NOTE\r\nX-TEXT:hello\r\nEND:X-NOTE",
        "UID:v@x\r\nSEQUENCE:1\r\nDTSTART:20250101T100000Z\r\nDTEND:20250101T110000Z\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Interview with Acme",
    ),
    # read line by line: a newer version whose UID line is folded before its value
    "UID folded in its parameters": _calendar(
        "UID:v@x\r\nSEQUENCE:0\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Interview with Acme",
        "UID;X-A=1;\r\n X-B=2:v@x\r\nSEQUENCE:1\r\nDTSTART:20270301T100000Z\r\nDTEND:20270301T110000Z\r\nSUMMARY:Coffee",
        head=_LOWER_CASE_EVENT,
    ),
    "UID folded after its name": _calendar(
        "UID:v@x\r\nSEQUENCE:0\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Interview with Acme",
        "UID\r\n :v@x\r\nSEQUENCE:1\r\nDTSTART:20270301T100000Z\r\nDTEND:20270301T110000Z\r\nSUMMARY:Coffee",
        head=_LOWER_CASE_EVENT,
    ),
}


@pytest.mark.parametrize("include_all", [False, True])
@pytest.mark.parametrize("name", list(VERSIONS_AND_MOVES))
def test_moves_and_versions_are_read_as_icalendar_reads_them(tmp_path, name, include_all):
    path = tmp_path / "calendar.ics"
    path.write_bytes(VERSIONS_AND_MOVES[name])
    zone = ZoneInfo("America/New_York")
    config = Config(profile=Profile(timezone="America/New_York"))
    window = Window(NOW, NOW + timedelta(days=60))
    found = api.scan(context_for(config, NOW), [str(path)], window=window, include_all=include_all)
    expected = assess_events(full_parse(path, window, zone), NOW, config, zone)
    expected = expected if include_all else interviews(expected)
    assert _projection(_events(found)) == _projection(a.event for a in expected)
    assert sorted(e.zone_source for e in _events(found)) == sorted(a.event.zone_source for a in expected)


def test_a_version_that_cannot_be_read_costs_only_itself(tmp_path):
    path = tmp_path / "calendar.ics"
    path.write_bytes(
        _calendar(
            "UID:v@x\r\nSEQUENCE:1\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Interview with Acme",
            "UID:v@x\r\nSEQUENCE:0\r\nDTSTART:20250301T100000Z\r\nDTEND:20250301T110000Z\r\nSUMMARY:Interview\r\n"
            'BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nX-BROKEN;X="unterminated:value\r\nEND:VALARM',
        )
    )
    config = Config(profile=Profile(timezone="UTC"))
    found = api.scan(context_for(config, NOW), [str(path)], window=Window(NOW, NOW + timedelta(days=30)))
    assert [(item.event.uid, item.event.start.day) for item in found.assessments] == [("v@x", 1)]
    assert [(p.line, p.message.startswith("event 'v@x' cannot be read")) for p in found.errors] == [(10, True)]


def test_easter_matched_in_a_week_running_into_january_is_not_taken_for_never():
    """dateutil matches the days of a week that runs into January against the old year's Easter."""
    from dateutil.rrule import rrulestr

    from callfirst.ical.steps import never_repeats

    rule, start = "FREQ=WEEKLY;BYMONTH=1;BYEASTER=-116", datetime(2025, 12, 1, 10)
    assert next(iter(rrulestr(rule, dtstart=start))) == datetime(2026, 1, 1, 10)
    assert not never_repeats(rule, start)


def test_many_versions_of_one_event_are_named_a_few_at_a_time(tmp_path):
    path = tmp_path / "versions.ics"
    blocks = [
        f"UID:v@x\r\nSEQUENCE:{n}\r\nDTSTART:202612{n + 1:02}T100000Z\r\nDTEND:202612{n + 1:02}T110000Z\r\n"
        f"SUMMARY:Interview, version {n}"
        for n in range(12)
    ]
    path.write_bytes(_calendar(*blocks))
    config = Config(profile=Profile(timezone="UTC"))
    found = api.scan(context_for(config, NOW), [str(path)], window=Window(NOW, NOW + timedelta(days=30)))
    assert [item.event.summary for item in found.assessments] == ["Interview, version 11"]
    named = [p.line for p in found.warnings if "another version of the one at line 80," in p.message]
    rest = [p for p in found.warnings if "more versions" in p.message]
    assert named == [3, 10, 17, 24, 31]
    assert [(p.line, p.message) for p in rest] == [
        (38, "event 'v@x' has 6 more versions, up to line 73, of the one at line 80, which is read; they are not shown")
    ]


@st.composite
def versions(draw):
    """Events with a few UIDs between them (spelled in other cases, escaped, folded, repeated in an alarm),
    one-off or weekly, with or without SEQUENCE, in the window or out of it, interviews or not."""
    day = draw(st.datetimes(min_value=datetime(2026, 10, 1), max_value=datetime(2027, 3, 1))).replace(
        microsecond=0, second=0
    )
    uid = draw(st.sampled_from(["a@x", "A@x", "b@x", "a\\,b@x", "a,b@x", "a@\r\n x"]))
    lines = [f"UID:{uid}", f"DTSTART:{day:%Y%m%dT%H%M%S}Z", f"DTEND:{day + timedelta(hours=1):%Y%m%dT%H%M%S}Z"]
    titles = ["Interview with Contoso", "Coffee with Dana", "Phone screen", "Lunch", "面接"]
    lines.append("SUMMARY:" + draw(st.sampled_from(titles)))
    if draw(st.booleans()):
        lines.append(f"SEQUENCE:{draw(st.integers(0, 3))}")
    if draw(st.integers(0, 3)) == 0:
        lines.append(f"RRULE:FREQ=WEEKLY;COUNT={draw(st.integers(1, 4))}")
    if draw(st.integers(0, 4)) == 0:
        alarm = f"BEGIN:VALARM\r\nUID:{draw(st.sampled_from(['b@x', 'c@x']))}\r\nTRIGGER:-PT5M\r\nEND:VALARM"
        lines.insert(draw(st.integers(0, len(lines))), alarm)
    return "\r\n".join(lines)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(versions(), min_size=1, max_size=5), include_all=st.booleans(), days=st.sampled_from([10, 90]))
def test_versions_of_one_event_are_read_as_icalendar_reads_them(tmp_path, events, include_all, days):
    path = tmp_path / "versions.ics"
    path.write_bytes(_calendar(*events))
    config = Config(profile=Profile(timezone="UTC"))
    window = Window(NOW, NOW + timedelta(days=days))
    found = api.scan(context_for(config, NOW), [str(path)], window=window, include_all=include_all)
    expected = assess_events(_full_parse(path, window), NOW, config, ZoneInfo("UTC"))
    expected = expected if include_all else interviews(expected)
    assert _projection(_events(found)) == _projection(a.event for a in expected)


def test_many_endless_series_stop_at_the_most_shown():
    from callfirst.ical import read as reader
    from callfirst.ical.expand import MAX_OCCURRENCES
    from callfirst.ical.prefilter import Selector

    selector = Selector(WHOLE, lambda _text: True, keep_all_in_window=True)
    result = reader.read_calendar_data(ODD_CALENDARS["many endless daily series"], "cal.ics", selector, ZoneInfo("UTC"))
    assert len(result.events) == 3 * MAX_OCCURRENCES
    last = datetime(2000, 1, 7) + timedelta(days=MAX_OCCURRENCES - 1)  # the latest series' 500th day
    assert max(event.start for event in result.events).date() == last.date()
    assert len(result.warnings) == 3


def _corpus():
    roots = [
        Path(__file__).parent / "data",
        Path(icalendar.__file__).parent / "tests",
        Path(recurring_ical_events.__file__).parent / "test",
    ]
    return sorted(p for root in roots for p in root.rglob("*.ics"))


def test_occurrences_made_in_one_step_are_whole_events(tmp_path):
    """model.occurrence skips Event's __init__: every field is there, and the event equals one made by it."""
    from dataclasses import fields

    from callfirst.model import Event

    path = tmp_path / "export.ics"
    path.write_text(generate(300, seed=4, start=datetime(2026, 9, 1), years=0.5))
    result = api.scan(
        context_for(Config(profile=Profile(timezone="UTC")), NOW), [str(path)], window=WHOLE, include_all=True
    )
    names = {field.name for field in fields(Event)}
    assert len(result.assessments) > 300
    for item in result.assessments:
        event = item.event
        assert set(vars(event)) == names
        assert event == Event(**vars(event)) and hash(event) == hash(Event(**vars(event)))


def test_the_fast_path_matches_icalendar_on_the_peer_corpora():
    import warnings

    files = _corpus()
    assert len(files) > 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            fast, usual = _both_ways(path.read_bytes())
            assert fast == usual, path


def test_expansion_without_copies_matches_recurring_ical_events_copies(monkeypatch):
    """Occurrences are built from the component they come from; recurring-ical-events' own copies agree."""
    import warnings

    from callfirst.ical.prefilter import Selector
    from callfirst.ical.read import read_calendar_data

    original = recurring_ical_events.of

    class Public:  # only the public API: the copies
        def __init__(self, calendar):
            self.between = original(calendar).between

    def read(path):
        selector = Selector(WHOLE, lambda _text: True, keep_all_in_window=True)
        result = read_calendar_data(path.read_bytes(), "cal.ics", selector, ZoneInfo("Europe/Berlin"))
        return [(e, e.recurrence_id, e.sequence) for e in result.events]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in _corpus():
            direct = read(path)
            with monkeypatch.context() as patch:
                patch.setattr(recurring_ical_events, "of", Public)
                copies = read(path)
            assert sorted(direct, key=repr) == sorted(copies, key=repr), path


def _fold_at(line: str, width: int) -> str:
    return "\r\n ".join(line[i : i + width] for i in range(0, len(line), width)) if width else line


@st.composite
def plain_events(draw):
    """Plain one-off events and near misses (DURATION, bad dates, unknown zones, escapes, folds anywhere)."""
    day = draw(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31))).replace(microsecond=0)
    length = timedelta(minutes=draw(st.integers(-60, 3000)))
    kind = draw(st.sampled_from(["utc", "floating", "zone", "date", "unknown-zone", "mixed"]))
    zone = draw(st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Etc/GMT+5"]))
    if kind == "date":
        start, end = f";VALUE=DATE:{day:%Y%m%d}", f";VALUE=DATE:{day + abs(length) // 60 * 60 * 24:%Y%m%d}"
    elif kind == "utc":
        start, end = f":{day:%Y%m%dT%H%M%S}Z", f":{day + length:%Y%m%dT%H%M%S}Z"
    elif kind == "floating":
        start, end = f":{day:%Y%m%dT%H%M%S}", f":{day + length:%Y%m%dT%H%M%S}"
    elif kind == "mixed":
        start, end = f";TZID={zone}:{day:%Y%m%dT%H%M%S}", f":{day + length:%Y%m%dT%H%M%S}Z"
    else:
        tzid = zone if kind == "zone" else "Mars/Olympus_Mons"
        start, end = f";TZID={tzid}:{day:%Y%m%dT%H%M%S}", f";TZID={tzid}:{day + length:%Y%m%dT%H%M%S}"
    text = st.text(st.sampled_from(list("ab ,;:\\\\nNé面\"'^")), max_size=30)
    lines = [f"DTSTART{start}", f"DTEND{end}" if draw(st.booleans()) or kind == "date" else "DURATION:PT1H"]
    lines.append(f"UID:{draw(st.sampled_from(['u1', 'u2', 'u3']))}@example.com")
    for name in ("SUMMARY", "DESCRIPTION", "LOCATION", "STATUS", "TRANSP", "X-EXTRA", "CLASS"):
        if draw(st.booleans()):
            lines.append(f"{name}{draw(st.sampled_from(['', ';LANGUAGE=de']))}:{draw(text)}")
    if draw(st.booleans()):
        lines.append(f"SEQUENCE:{draw(st.sampled_from(['0', '3', '-1', 'x']))}")
    param = st.sampled_from(['CN="Doe, Jane"', "CN=Jane", "CN=", "PARTSTAT=declined", 'CN="a\\, b"', "ROLE=CHAIR"])
    for name in ["ORGANIZER"] + ["ATTENDEE"] * draw(st.integers(0, 3)):
        params = "".join(";" + p for p in draw(st.lists(param, max_size=2)))
        lines.append(f"{name}{params}:{draw(st.sampled_from(['mailto:a@x.example', 'MAILTO:b@x.example', 'c@x']))}")
    lines.append(draw(st.sampled_from(["DTSTAMP:20260101T000000Z", "DTSTAMP:garbage", "CREATED:20260101T000000Z"])))
    lines = draw(st.permutations(lines))
    width = draw(st.sampled_from([0, 0, 7, 30]))
    return "BEGIN:VEVENT\r\n" + "".join(_fold_at(line, width) + "\r\n" for line in lines) + "END:VEVENT\r\n"


@settings(max_examples=150, deadline=None)
@given(events=st.lists(plain_events(), min_size=1, max_size=4), calendar_zone=st.sampled_from([None, "Asia/Tokyo"]))
def test_the_fast_path_gives_what_icalendar_gives(events, calendar_zone):
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + (f"X-WR-TIMEZONE:{calendar_zone}\r\n" if calendar_zone else "")
    data = (head + "".join(events) + "END:VCALENDAR\r\n").encode()
    window = Window(datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")), datetime(2027, 1, 1, tzinfo=ZoneInfo("UTC")))
    fast, usual = _both_ways(data, window=window)
    assert fast == usual


_STAMP = "%Y%m%dT%H%M%S"


def _when(draw, moment: datetime, kind: str, zone: str) -> str:
    """A DTSTART-like value: mostly of the series' own kind, now and then of another."""
    kind = draw(st.sampled_from([kind] * 6 + ["utc", "date", "zone", "floating"]))
    if kind == "date":
        return f";VALUE=DATE:{moment:%Y%m%d}"
    if kind == "utc":
        return f":{moment:{_STAMP}}Z"
    if kind == "floating":
        return f":{moment:{_STAMP}}"
    return f";TZID={draw(st.sampled_from([zone] * 4 + ['Europe/Berlin', 'Mars/Olympus_Mons']))}:{moment:{_STAMP}}"


@st.composite
def plain_series(draw):
    """A series with EXDATEs and moved occurrences, around clock changes, and near misses of every part."""
    day = draw(
        st.sampled_from([datetime(2026, 3, 8), datetime(2026, 3, 29), datetime(2026, 10, 25), datetime(2026, 11, 1)])
    )
    day = day + timedelta(
        days=draw(st.integers(-9, 9)), hours=draw(st.integers(0, 23)), minutes=draw(st.sampled_from([0, 30]))
    )
    kind = draw(st.sampled_from(["zone", "zone", "utc", "date", "floating"]))
    zone = draw(st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Etc/GMT+5"]))
    length = timedelta(minutes=draw(st.sampled_from([0, 30, 90, 1440, 3000])))
    uid = f"UID:{draw(st.sampled_from(['s1', 's2']))}@example.com"
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "WEEKLY", "MONTHLY", "YEARLY", "weekly"]))
    parts = [f"FREQ={freq}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.sampled_from(['1', '2', '0']))}")
    ending = draw(st.sampled_from(["count", "until-utc", "until-date", "none", "both"]))
    until = day + timedelta(days=draw(st.integers(0, 120)))
    if ending in ("count", "both"):
        parts.append(f"COUNT={draw(st.integers(1, 30))}")
    if ending in ("until-utc", "both"):
        parts.append(f"UNTIL={until:{_STAMP}}Z")
    if ending == "until-date":
        parts.append(f"UNTIL={until:%Y%m%d}")
    if draw(st.booleans()):
        parts.append(
            "BYDAY="
            + ",".join(
                draw(
                    st.lists(
                        st.sampled_from(["MO", "TU", "FR", "SU", "1MO", "-1FR"]), min_size=1, max_size=3, unique=True
                    )
                )
            )
        )
    if draw(st.integers(0, 4)) == 0:
        parts.append(draw(st.sampled_from(["BYMONTHDAY=1,15", "WKST=SU", "BYMONTH=3,11", "BYSETPOS=1", "BYHOUR=9"])))
    parts = draw(st.permutations(parts))
    step = {"DAILY": timedelta(days=1), "HOURLY": timedelta(hours=1)}.get(freq, timedelta(days=7))
    master = [
        "BEGIN:VEVENT",
        uid,
        f"DTSTART{_when(draw, day, kind, zone)}",
        f"DTEND{_when(draw, day + length, kind, zone)}",
    ]
    master.append(f"RRULE{draw(st.sampled_from(['', '', '', ';X-A=1']))}:{';'.join(parts)}")
    master.append(f"SUMMARY:Weekly {draw(st.sampled_from(['sync', 'interview']))}")
    for _ in range(draw(st.integers(0, 2))):
        skipped = [day + step * draw(st.integers(0, 12)) for _ in range(draw(st.integers(1, 2)))]
        if draw(st.integers(0, 5)) == 0:
            skipped = [moment + timedelta(hours=1) for moment in skipped]
        value = _when(draw, skipped[0], kind, zone)
        master.append(
            "EXDATE" + value + "".join(f",{m:%Y%m%d}" if kind == "date" else f",{m:{_STAMP}}" for m in skipped[1:])
        )
    if draw(st.booleans()):
        master.append(f"SEQUENCE:{draw(st.sampled_from(['0', '2', 'x']))}")
    blocks = [[*master, "END:VEVENT"]]
    for _ in range(draw(st.integers(0, 3))):
        original = (
            day + step * draw(st.integers(0, 12)) + draw(st.sampled_from([timedelta(0)] * 4 + [timedelta(hours=1)]))
        )
        moved_to = original + timedelta(hours=draw(st.sampled_from([0, 2, -30, 200])))
        moved = [
            "BEGIN:VEVENT",
            uid,
            f"RECURRENCE-ID{draw(st.sampled_from(['', '', ';RANGE=THISANDFUTURE']))}{_when(draw, original, kind, zone)}",
        ]
        moved += [f"DTSTART{_when(draw, moved_to, kind, zone)}", f"DTEND{_when(draw, moved_to + length, kind, zone)}"]
        moved.append(f"SUMMARY:Moved {draw(st.sampled_from(['sync', 'interview']))}")
        if draw(st.booleans()):
            moved.append(f"SEQUENCE:{draw(st.sampled_from(['1', '3']))}")
        if draw(st.integers(0, 6)) == 0:
            moved.append(draw(st.sampled_from(["RRULE:FREQ=DAILY;COUNT=2", "EXDATE:20260101T000000Z"])))
        blocks.append([*moved, "END:VEVENT"])
    blocks = draw(st.permutations(blocks))
    return "".join(line + "\r\n" for block in blocks for line in block)


@settings(max_examples=40, deadline=None)
@given(
    series=st.lists(plain_series(), min_size=1, max_size=3),
    calendar_zone=st.sampled_from([None, "Asia/Tokyo", "America/New_York"]),
    window=st.sampled_from(
        [WHOLE, Window(datetime(2026, 3, 1, tzinfo=ZoneInfo("UTC")), datetime(2026, 3, 31, tzinfo=ZoneInfo("UTC")))]
    ),
)
def test_plain_series_read_directly_give_what_recurring_ical_events_gives(series, calendar_zone, window):
    """Every field of every occurrence (recurrence id, sequence, zone, line), and every warning and error."""
    from callfirst.ical.prefilter import Selector
    from callfirst.ical.read import read_calendar_data

    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + (f"X-WR-TIMEZONE:{calendar_zone}\r\n" if calendar_zone else "")
    data = (head + "".join(series) + "END:VCALENDAR\r\n").encode()

    def read(fast: bool):
        selector = Selector(window, lambda _text: True, keep_all_in_window=True)
        result = read_calendar_data(data, "cal.ics", selector, ZoneInfo("America/Chicago"), fast=fast)
        events = sorted((repr(e), e.start.utcoffset()) for e in result.events)
        return events, sorted(map(str, result.warnings)), sorted(map(str, result.errors)), selector.budget.spent

    assert read(fast=True) == read(fast=False)


_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_STEPPED_ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Havana", "UTC", None]


@st.composite
def stepped_rules(draw):
    """A rule of the shape steps.py steps, from a start near a clock change (a skipped or doubled hour
    included), with its UNTIL written as dateutil reads it."""
    zone_name = draw(st.sampled_from(_STEPPED_ZONES))
    day = draw(
        st.sampled_from([datetime(2026, 3, 8), datetime(2026, 3, 29), datetime(2026, 10, 4), datetime(2026, 11, 1)])
    )
    day += timedelta(days=draw(st.integers(-3, 3)))
    day = draw(st.sampled_from([day] * 4 + [datetime(2028, 2, 29), datetime(2026, 1, 31)]))  # days some months lack
    start = day + timedelta(hours=draw(st.sampled_from([0, 1, 2, 3, 9, 23])), minutes=30)
    if zone_name is None:  # a date series: midnight, no zone
        start = datetime(start.year, start.month, start.day)
    else:
        start = start.replace(tzinfo=ZoneInfo(zone_name), fold=draw(st.integers(0, 1)))
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = {"FREQ": freq}
    if draw(st.booleans()):
        parts["INTERVAL"] = str(draw(st.sampled_from([1, 2, 3, 7, 14])))
    if freq in ("DAILY", "WEEKLY") and draw(st.booleans()):
        parts["BYDAY"] = ",".join(draw(st.lists(st.sampled_from(list(_DAYS)), min_size=1, max_size=4, unique=True)))
    if draw(st.booleans()):
        parts["WKST"] = draw(st.sampled_from(list(_DAYS)))
    until = None
    ending = draw(st.sampled_from(["count", "until", "none"]))
    if ending == "count":
        parts["COUNT"] = str(draw(st.integers(1, 40)))
    elif ending == "until":
        last = day + timedelta(days=draw(st.integers(-5, 400)), hours=draw(st.integers(0, 23)))
        if zone_name is None:
            until = datetime(last.year, last.month, last.day)
            parts["UNTIL"] = f"{until:%Y%m%d}"
        else:
            until = last.replace(tzinfo=ZoneInfo("UTC"))
            parts["UNTIL"] = f"{last:%Y%m%dT%H%M%S}Z"
    return parts, start, until


@settings(max_examples=600, deadline=None)
@given(rule=stepped_rules(), span=st.tuples(st.integers(-30, 200), st.integers(0, 900)))
def test_stepped_rules_give_dateutils_instances(rule, span):
    """Every instance, with its zone, offset and fold, between two moments (as recurring-ical-events asks)."""
    from dateutil.rrule import rrulestr

    from callfirst.ical.steps import stepper

    parts, start, until = rule
    low = start + timedelta(days=span[0])
    high = low + timedelta(days=span[1])
    if start.tzinfo is not None:
        low, high = low.astimezone(ZoneInfo("UTC")), high.astimezone(ZoneInfo("UTC"))
    stepped = stepper(parts, start, until)
    assert stepped is not None, "every generated rule is of a stepped shape"

    def seen(moments):
        return [(m.replace(tzinfo=None), m.fold, m.utcoffset(), m.tzinfo) for m in moments]

    expected = rrulestr(";".join(f"{k}={v}" for k, v in parts.items()), dtstart=start).between(low, high, inc=True)
    assert seen(m for m in stepped(high) if m >= low) == seen(expected)


def test_a_year_that_starts_earlier_in_the_rules_zone_is_stepped_into():
    """1 January 07:00 in Tokyo is 31 December 22:00 UTC: an instance up to 23:00 UTC that evening."""
    from dateutil.rrule import rrulestr

    from callfirst.ical.steps import stepper

    start = datetime(2026, 1, 1, 7, tzinfo=ZoneInfo("Asia/Tokyo"))
    high = datetime(2030, 12, 31, 23, tzinfo=ZoneInfo("UTC"))
    for freq in ("MONTHLY", "YEARLY"):
        stepped = stepper({"FREQ": freq}, start, None)
        assert stepped is not None
        expected = rrulestr(f"FREQ={freq}", dtstart=start).between(start, high, inc=True)
        assert list(stepped(high)) == expected and expected[-1].year == 2031


def test_other_rules_are_left_to_dateutil():
    from callfirst.ical.steps import stepper

    start = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Berlin"))
    for parts in (
        {"FREQ": "MONTHLY", "BYDAY": "MO"},
        {"FREQ": "WEEKLY", "BYDAY": "1MO"},
        {"FREQ": "YEARLY", "BYMONTH": "3"},
    ):
        assert stepper({**parts}, start, None) is None


def test_words_of_your_own_in_other_scripts_are_found(tmp_path):
    from callfirst.config import DetectionSettings

    path = tmp_path / "jp.ics"
    path.write_bytes(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:jp@example.com\r\nDTSTART:20261210T010000Z\r\n"
        "DTEND:20261210T020000Z\r\nSUMMARY:面接 - 株式会社サンプル\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".encode()
    )
    config = Config(profile=Profile(timezone="UTC"), detection=DetectionSettings(extra_words=("面接",)))
    found = api.scan(context_for(config, NOW), [str(path)], window=Window(NOW, NOW + timedelta(days=90)))
    assert [a.event.uid for a in found.assessments] == ["jp@example.com"]


SERIES = (
    "BEGIN:VEVENT\r\nUID:loop@example.com\r\nDTSTART:20260105T150000Z\r\nDTEND:20260105T160000Z\r\n"
    "RRULE:FREQ=WEEKLY;COUNT=60\r\nSUMMARY:Interview loop with Contoso\r\n{alarm}END:VEVENT\r\n"
)


def test_a_fold_inside_recurrence_id_keeps_a_this_and_future_change(tmp_path):
    moved = (
        "BEGIN:VEVENT\r\nUID:loop@example.com\r\nRECURRENCE-\r\n ID;RANGE=THISANDFUTURE:20260302T150000Z\r\n"
        "DTSTART:20260302T170000Z\r\nDTEND:20260302T180000Z\r\nSUMMARY:Interview loop with Contoso\r\nEND:VEVENT\r\n"
    )
    path = tmp_path / "loop.ics"
    path.write_text("BEGIN:VCALENDAR\r\n" + moved + SERIES.format(alarm="") + "END:VCALENDAR\r\n", newline="")
    found = api.scan(
        context_for(Config(profile=Profile(timezone="UTC")), NOW),
        [str(path)],
        window=Window(NOW, NOW + timedelta(days=30)),
    )
    assert found.assessments and {a.event.start.hour for a in found.assessments} == {17}


def test_a_uid_inside_an_alarm_does_not_part_a_series_from_its_moved_occurrence(tmp_path):
    alarm = "BEGIN:VALARM\r\nUID:alarm-1@example.com\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n"
    series = (
        SERIES.format(alarm=alarm)
        .replace("UID:loop@example.com\r\n", "")
        .replace("END:VALARM\r\n", "END:VALARM\r\nUID:loop@example.com\r\n")
    )
    moved = (
        "BEGIN:VEVENT\r\nUID:loop@example.com\r\nRECURRENCE-ID:20261207T150000Z\r\n"
        "DTSTART:20261207T190000Z\r\nDTEND:20261207T200000Z\r\nSUMMARY:Interview loop with Contoso\r\nEND:VEVENT\r\n"
    )
    path = tmp_path / "loop.ics"
    path.write_text("BEGIN:VCALENDAR\r\n" + series + moved + "END:VCALENDAR\r\n", newline="")
    window = Window(datetime(2026, 12, 7, tzinfo=ZoneInfo("UTC")), datetime(2026, 12, 8, tzinfo=ZoneInfo("UTC")))
    found = api.scan(context_for(Config(profile=Profile(timezone="UTC")), NOW), [str(path)], window=window)
    assert [a.event.start.hour for a in found.assessments] == [19]


HIDDEN_DATES = (
    # an alarm's own DTSTART and DTEND are not the event's
    "UID:alarm@x\r\nDTSTART:20261208T150000Z\r\nDTEND:20261208T160000Z\r\nSUMMARY:Interview with Contoso\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDTSTART:19900101T000000Z\r\nDTEND:19900101T010000Z\r\n"
    "TRIGGER:-PT15M\r\nEND:VALARM",
    "UID:alarm-loop@x\r\nDTSTART:20261209T150000Z\r\nDTEND:20261209T160000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
    "SUMMARY:Interview loop\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDTSTART:19900101T000000Z\r\n"
    "TRIGGER:-PT15M\r\nEND:VALARM",
    # rules written with a parameter, or white space after the name, that began long before the window
    "UID:param@x\r\nDTSTART:20250106T160000Z\r\nDTEND:20250106T170000Z\r\nRRULE;X-NOTE=1:FREQ=WEEKLY\r\n"
    "SUMMARY:Weekly interview panel",
    "UID:space@x\r\nDTSTART:20250107T160000Z\r\nDTEND:20250107T170000Z\r\nSUMMARY:Phone interview with Contoso\r\n"
    "RRULE" + " " * 100 + ":FREQ=WEEKLY",  # right after a text, where an unfolded line of it would be
)


@pytest.mark.parametrize("include_all", [False, True])
def test_dates_in_alarms_and_rules_written_oddly_hide_no_interview(tmp_path, include_all):
    path = tmp_path / "odd.ics"
    path.write_bytes(_calendar(*HIDDEN_DATES))
    config = Config(profile=Profile(timezone="UTC"))
    window = Window(NOW, NOW + timedelta(days=30))
    found = api.scan(context_for(config, NOW), [str(path)], window=window, include_all=include_all)
    expected = assess_events(_full_parse(path, window), NOW, config, ZoneInfo("UTC"))
    expected = expected if include_all else interviews(expected)
    assert {e.uid for e in _events(found)} == {"alarm@x", "alarm-loop@x", "param@x", "space@x"}
    assert _projection(_events(found)) == _projection(a.event for a in expected)


def test_an_unfolded_line_that_reads_as_a_second_dtstart_is_an_error_in_any_window(tmp_path):
    path = tmp_path / "twice.ics"
    path.write_bytes(
        _calendar(
            "UID:twice@x\r\nDTSTART:20261210T150000Z\r\nDTEND:20261210T160000Z\r\nSUMMARY:Interview\r\n"
            "DESCRIPTION:Notes\r\nDtstart:20990101T000000Z"
        )
    )
    config = Config(profile=Profile(timezone="UTC"))
    for window in (Window(NOW, NOW + timedelta(days=30)), WHOLE):
        found = api.scan(context_for(config, NOW), [str(path)], window=window, include_all=True)
        assert [p.message for p in found.errors] == ["DTSTART appears 2 times; event skipped"]


def _events(result):
    return [item.event for item in result.assessments]


@settings(max_examples=300, deadline=None)
@given(
    words=st.sets(st.text("abcint.-\\ é面", min_size=1, max_size=6), min_size=1, max_size=12),
    text=st.text("abcint.-\\ \né面", max_size=80),
)
def test_the_tree_of_interview_words_finds_what_searching_each_word_finds(words, text):
    import re

    from callfirst.detection import any_of

    each = sorted({m.start() for w in words for m in re.finditer(re.escape(w), text)})
    tree = re.compile(any_of(words))
    assert [m.start() for m in _every_match(tree, text)] == each


def _every_match(pattern, haystack):
    """Every position where `pattern` matches, overlapping matches included."""
    position = 0
    while (match := pattern.search(haystack, position)) is not None:
        yield match
        position = match.start() + 1
