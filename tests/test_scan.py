from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from .helpers import run, run_json

NOW = "2026-11-28T10:00:00Z"
DATA = Path(__file__).parent / "data"


def by_uid(items):
    return {item["uid"]: item for item in items}


def test_invitation_email_json_has_every_field(data, env):
    code, items, err = run_json(env, "scan", data / "google_invitation_multipart_with_attachment.eml", "--now", NOW)
    assert code == 0, err
    assert len(items) == 1, "the inline part and the attachment are the same event"
    item = items[0]
    assert set(item) >= {
        "uid",
        "summary",
        "start",
        "end",
        "timezone",
        "is_interview",
        "signals",
        "organizer",
        "phones",
        "notice",
        "call_at",
    }
    assert item["start"] == "2026-12-02T10:00:00-05:00"
    assert item["timezone"] == "America/New_York"
    assert item["organizer"] == {"name": "Priya Raman", "email": "priya.raman@northwind-analytics.com"}
    assert item["phones"] == ["+16465550198"], "the conference dial-in is not the interviewer's number"
    assert item["notice"]["tier"] == "ok"
    assert datetime.fromisoformat(item["call_at"]) == datetime.fromisoformat("2026-11-30T09:00:00-05:00")
    assert any("interview" in s for s in item["signals"])


def test_recurring_series_expands_within_window_with_exdate_and_override(data, env):
    code, items, _ = run_json(
        env,
        "scan",
        data / "recurring_series_with_exdate_and_moved_occurrence.ics",
        "--now",
        NOW,
        "--to",
        "2026-12-31",
    )
    assert code == 0
    starts = [i["start"] for i in items]
    assert starts == [
        "2026-11-30T10:00:00+01:00",
        "2026-12-01T10:00:00+01:00",
        "2026-12-03T15:00:00+01:00",  # moved by RECURRENCE-ID
        "2026-12-04T10:00:00+01:00",
    ]  # 2 December is an EXDATE; the standup is not an interview


def test_window_limits_expansion(data, env):
    _, items, _ = run_json(
        env,
        "scan",
        data / "recurring_series_with_exdate_and_moved_occurrence.ics",
        "--now",
        NOW,
        "--from",
        "2026-12-03",
        "--to",
        "2026-12-03",
    )
    assert [i["start"] for i in items] == ["2026-12-03T15:00:00+01:00"]


def test_all_lists_non_interviews_with_verdicts(data, env):
    _, items, _ = run_json(
        env,
        "scan",
        data / "recurring_series_with_exdate_and_moved_occurrence.ics",
        "--now",
        NOW,
        "--to",
        "2026-12-01",
        "--all",
    )
    standups = [i for i in items if i["summary"] == "Team standup"]
    assert len(standups) == 2 and not standups[0]["is_interview"]


def test_all_day_and_floating_events_use_the_profile_zone(data, env):
    _, items, _ = run_json(env, "scan", data / "all_day_and_floating.ics", "--now", NOW)
    found = by_uid(items)
    assert found["floating-screen@example.com"]["start"] == "2026-12-08T14:00:00-06:00"
    assert found["allday-onsite@example.com"]["all_day"] is True
    assert found["allday-onsite@example.com"]["start"] == "2026-12-10T00:00:00-06:00"
    assert "holiday@example.com" not in found


def test_windows_zone_names_are_mapped(data, env):
    _, items, _ = run_json(env, "scan", data / "windows_zone_names_outlook.ics", "--now", NOW)
    zones = {i["summary"][:8]: (i["timezone"], i["start"]) for i in items}
    assert zones["Vorstell"] == ("Europe/Berlin", "2026-12-09T14:00:00+01:00")
    assert zones["Entrevis"] == ("America/Los_Angeles", "2026-12-09T09:00:00-08:00")
    german = next(i for i in items if i["summary"].startswith("Vorstell"))
    assert german["phones"] == ["+498912345678"]


def test_x_wr_timezone_from_google_exports(data, env):
    _, items, _ = run_json(env, "scan", data / "google_export_x_wr_timezone.ics", "--now", NOW)
    # The export's X-WR-TIMEZONE is the calendar owner's zone, not the interviewer's: the time is right,
    # and the zone is said to be unknown (your own zone is used).
    assert datetime.fromisoformat(items[0]["start"]) == datetime.fromisoformat("2026-12-07T10:00:00-08:00")
    assert items[0]["timezone"] == "America/Chicago" and items[0]["timezone_source"].startswith("not stated")
    assert len(items) == 4  # the weekly series: 3 occurrences


@pytest.mark.parametrize(
    "written, warned",
    [
        ("W. Europe Standard Time", False),
        ("/America/Los_Angeles", False),
        ("Mars/Olympus", True),
        ("Z", True),
        ("A/" * 300, True),  # a name of many parts: zoneinfo's lookup recurses
    ],
)
def test_an_x_wr_timezone_zoneinfo_does_not_know_is_read_as_named_or_left_out(data, env, tmp_path, written, warned):
    text = (data / "google_export_x_wr_timezone.ics").read_text()
    path = tmp_path / "export.ics"
    path.write_text(text.replace("X-WR-TIMEZONE:America/Los_Angeles", f"X-WR-TIMEZONE:{written}"))
    code, items, err = run_json(env, "scan", path, "--now", NOW)
    assert code == 0 and len(items) == 4, err
    assert ("unknown X-WR-TIMEZONE" in err) == warned
    if warned:
        assert f"export.ics:7: unknown X-WR-TIMEZONE {written[:20]!r}"[:-1] in err and len(err) < 300


def test_custom_vtimezones_with_the_same_tzid_keep_their_own_offsets(data, env):
    _, items, _ = run_json(
        env,
        "scan",
        data / "custom_vtimezone_outlook.ics",
        data / "custom_vtimezone_same_tzid_other_offsets.ics",
        "--now",
        NOW,
    )
    offsets = sorted(i["start"][-6:] for i in items)
    assert offsets == ["+01:00", "+05:30"]
    # The CET/CEST rules match one region of the world, so they get its IANA name; +05:30 all year is
    # both India and Sri Lanka, so that zone keeps its own name (and offsets).
    assert {i["timezone"] for i in items} == {"Europe/Paris", "Customized Time Zone"}


def test_unknown_tzid_falls_back_to_profile_zone_with_a_warning(data, env):
    code, items, err = run_json(env, "scan", data / "unknown_tzid.ics", "--now", NOW)
    assert code == 0
    assert items[0]["start"] == "2026-12-09T10:00:00-06:00"
    assert "unknown_tzid.ics:6: unknown time zone 'Mars/Olympus_Mons'; read in your zone America/Chicago" in err
    assert err.count("unknown time zone") == 1


def test_cancelled_and_declined_are_not_listed(data, env):
    _, items, _ = run_json(env, "scan", data / "cancelled_and_declined.ics", "--now", NOW)
    assert [i["uid"] for i in items] == ["live@example.com"]
    _, everything, _ = run_json(env, "scan", data / "cancelled_and_declined.ics", "--now", NOW, "--all")
    reasons = {i["uid"]: i["not_actionable_because"] for i in everything}
    assert reasons == {
        "cancelled@example.com": "cancelled",
        "declined@example.com": "you declined it",
        "live@example.com": None,
    }


def test_broken_event_is_reported_with_line_and_others_listed(data, env):
    code, items, err = run_json(env, "scan", data / "broken_event_between_good_ones.ics", "--now", NOW)
    assert code == 1
    assert [i["uid"] for i in items] == ["good-1@example.com", "good-2@example.com"]
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "broken_event_between_good_ones.ics:12:" in lines[0] and "DTSTART" in lines[0]


@pytest.mark.parametrize(
    "name, message",
    [
        ("missing.ics", "no such file"),
        ("not_a_calendar.txt", "is not an iCalendar file or an invitation email"),
        ("html_page_saved_as.ics", "is an HTML page"),
    ],
)
def test_bad_sources_give_one_line_and_exit_1(data, env, name, message):
    code, out, err = run(env, "scan", data / name, "--now", NOW)
    assert code == 1
    assert err.count("\n") == 1 and name in err and message in err
    assert "Traceback" not in err


def test_good_source_still_listed_beside_a_missing_one(data, env):
    code, items, err = run_json(env, "scan", data / "missing.ics", data / "unknown_tzid.ics", "--now", NOW)
    assert code == 1 and len(items) == 1 and "missing.ics: no such file" in err


def test_stdin_is_sniffed(data, env):
    for name in ("unknown_tzid.ics", "google_invitation_multipart_with_attachment.eml"):
        code, out, err = run(env, "scan", "-", "--now", NOW, "--json", stdin=(data / name).read_bytes())
        assert code == 0, err
        assert '"uid"' in out


def test_table_output_shows_tier_and_phone(data, env):
    code, out, _ = run(
        env, "scan", data / "google_invitation_multipart_with_attachment.eml", "--now", "2026-12-01T14:30:00Z"
    )
    assert code == 0
    assert "Interview: Alex Morgan for Senior Data Analyst" in out
    assert "SHORT" in out and "+1 646-555-0198" in out
    assert "New York" in out  # the interviewer's zone beside yours, by its city


def test_usage_errors_exit_2(env):
    assert run(env, "scan")[0] == 2
    assert run(env, "scan", "x.ics", "--now", "tomorrow")[0] == 2
    assert run(env, "scan", "x.ics", "--from", "2026-12-02", "--to", "2026-12-01")[0] == 2


def test_empty_window_says_so(data, env):
    code, out, _ = run(env, "scan", data / "unknown_tzid.ics", "--now", "2027-01-01T00:00:00Z")
    assert code == 0 and "No interviews between" in out and "scan --all" in out


@pytest.mark.usefixtures("home")
def test_installed_command_runs(data):
    result = subprocess.run(
        [sys.executable, "-m", "callfirst", "scan", str(data / "unknown_tzid.ics"), "--now", NOW, "--json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "Final round interview" in result.stdout


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.usefixtures("home")
def test_a_terminal_that_cannot_write_every_character_gets_escapes_not_an_error(tmp_path, encoding):
    import os

    title = "面试 Interview 😀 café"
    path = tmp_path / "cjk.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:cjk@example.com\r\nDTSTART:20261210T150000Z\r\n"
        f"DTEND:20261210T160000Z\r\nSUMMARY:{title}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    environ = {**os.environ, "PYTHONIOENCODING": encoding}
    for as_json in (True, False):
        command = [sys.executable, "-m", "callfirst", "scan", str(path), "--now", NOW, *(["--json"] if as_json else [])]
        result = subprocess.run(command, capture_output=True, env=environ)
        assert result.returncode == 0 and not result.stderr, result.stderr
        out = result.stdout.decode(encoding)
        if as_json:
            assert json.loads(out)[0]["summary"] == title
        else:
            assert "\\u9762" in out and "Interview" in out


@pytest.mark.parametrize(
    "name, data, warning",
    [
        (  # lines ended by a carriage return alone, as old Mac programs wrote them
            "classic-mac.ics",
            b"BEGIN:VCALENDAR\rVERSION:2.0\rBEGIN:VEVENT\rUID:odd@example.com\rDTSTART:20261210T150000Z\r"
            b"DTEND:20261210T160000Z\rSUMMARY:Interview with Contoso\rEND:VEVENT\rEND:VCALENDAR\r",
            None,
        ),
        (  # the same, with one line ended the usual way
            "classic-mac-mixed.ics",
            b"BEGIN:VCALENDAR\rVERSION:2.0\rBEGIN:VEVENT\rUID:odd@example.com\rDTSTART:20261210T150000Z\r"
            b"DTEND:20261210T160000Z\rSUMMARY:Interview with Contoso\rEND:VEVENT\rEND:VCALENDAR\r\n",
            None,
        ),
        (  # white space after BEGIN:VEVENT
            "spaced.ics",
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT \r\nUID:odd@example.com\r\nDTSTART:20261210T150000Z\r\n"
            b"DTEND:20261210T160000Z\r\nSUMMARY:Interview with Contoso\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "spaced.ics:2: BEGIN:VEVENT had white space around its name; removed",
        ),
    ],
)
def test_odd_line_ends_and_padded_names_are_read(env, tmp_path, name, data, warning):
    path = tmp_path / name
    path.write_bytes(data)
    code, items, err = run_json(env, "scan", path, "--now", NOW)
    assert code == 0 and [item["uid"] for item in items] == ["odd@example.com"], err
    assert (warning in err) if warning else not err


# --- one occurrence of a recurring interview ---------------------------------------------------

SERIES = DATA / "recurring_series_with_exdate_and_moved_occurrence.ics"


def test_each_occurrence_is_listed_once_with_a_reference_to_paste_back(env):
    code, listed, err = run_json(env, "scan", SERIES, "--now", "2026-11-01", "--all")
    assert code == 0, err
    references = [item["event"] for item in listed]
    assert len(references) == len(set(references)), "every occurrence its own reference"
    series = [item for item in listed if item["uid"] == "series-1@example.com"]
    assert [item["event"] for item in series] == [f"series-1@example.com@{item['start'][:10]}" for item in series]


def test_the_choose_one_message_lists_pasteable_occurrences_and_one_is_picked_by_date(env):
    code, _, err = run(env, "plan", SERIES, "--now", "2026-11-01")
    assert code == 1 and "holds 4 interviews; choose one with --event:" in err
    offered = re.findall(r"(series-1@example\.com@\S+) \(", err)
    assert len(offered) == 4 == len(set(offered))
    moved = next(reference for reference in offered if reference.endswith("2026-12-03"))
    code, out, err = run(env, "plan", SERIES, "--now", "2026-11-01", "--event", moved)
    assert code == 0, err
    assert "Thursday, 3 December 2026 at 15:00 CET" in out, "the moved occurrence, at its new time"
    code, out, _ = run(env, "plan", SERIES, "--now", "2026-11-01", "--event", "series-1@example.com")
    assert "Monday, 30 November 2026" in out, "the UID alone still means the next occurrence"


def test_an_occurrence_that_does_not_exist_is_one_line(env):
    code, out, err = run(env, "plan", SERIES, "--now", "2026-11-01", "--event", "series-1@example.com@2026-12-02")
    assert code == 1 and out == ""
    assert "no event 'series-1@example.com@2026-12-02'" in err, "2 December is an EXDATE"


def test_occurrence_picks_one_day_of_a_series_and_refuses_a_day_it_does_not_meet(env):
    uid = "series-1@example.com"
    code, out, err = run(env, "plan", SERIES, "--now", "2026-11-01", "--event", uid, "--occurrence", "2026-12-03")
    assert code == 0, err
    assert "Thursday, 3 December 2026 at 15:00 CET" in out, "the moved occurrence, at its new time"
    code, out, err = run(env, "call", SERIES, "--now", "2026-11-01", "--event", uid, "--occurrence", "2026-12-02")
    assert code == 1 and out == ""
    assert "has no occurrence on 2026-12-02" in err and "2026-11-30, 2026-12-01, 2026-12-03, 2026-12-04" in err
    code, _, err = run(env, "plan", SERIES, "--now", "2026-11-01", "--occurrence", "2026-12-03")
    assert code == 2 and "--occurrence goes with --event UID" in err
    code, _, err = run(env, "plan", SERIES, "--now", "2026-11-01", "--event", uid, "--occurrence", "2026-12-03T10:00")
    assert code == 2 and "give the day alone" in err


def test_an_event_not_found_names_the_ones_the_source_holds(env):
    code, out, err = run(env, "plan", SERIES, "--now", "2026-11-01", "--event", "no-such-uid")
    assert code == 1 and out == ""
    assert "no event 'no-such-uid'" in err and "it holds: series-1@example.com@2026-11-30 (Interview loop day" in err
