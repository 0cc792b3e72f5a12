"""Times and words a careful professional would use: proposed and agreed times checked, slots of the
interview's real length, the recipient's clock, and wording that fits the notice and the reason."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callfirst.model import Event
from callfirst.proposals import interview_length, slot_at

from .helpers import run

DATA = Path(__file__).parent / "data"
INVITE = DATA / "google_invitation_multipart_with_attachment.eml"  # Wed 2 Dec 2026, 10:00–11:00 New York
NOW = "2026-12-01T08:30:00-06:00"  # your zone (the profile) is America/Chicago


def draft(env, *args, source=INVITE, now=NOW):
    return run(env, "draft", source, "--now", now, "--called", "reached", "--suggest", "0", *args)


# --- times that cannot be offered: one line naming the value, exit 1 -----------------------------------


@pytest.mark.parametrize(
    "value, says",
    [
        ("2026-12-09", "is a date without a time of day"),
        ("2026-11-30T10:00", "is in the past"),
        ("2026-12-02T09:30", "falls inside the interview itself"),  # 10:30 in New York
        ("2027-03-14T02:30", "does not exist in America/Chicago"),  # the clocks skip 02:00–03:00
    ],
)
def test_a_time_that_cannot_be_offered_is_refused_naming_it(env, value, says):
    code, out, err = draft(env, "--propose", value)
    assert code == 1 and not out
    assert err.count("\n") == 1 and f"--propose {value}" in err and says in err


def test_an_agreed_time_is_checked_the_same_way(env):
    code, _, err = draft(env, "--agreed", "2026-12-09")
    assert code == 1 and "--agreed 2026-12-09 is a date without a time of day" in err


# --- times that may not suit: a warning, and the draft is still written ---------------------------


@pytest.mark.parametrize(
    "value, says",
    [
        ("2026-12-05T10:00", "is a weekend day"),  # Saturday
        ("2026-12-08T17:30", "is outside the interviewer's working hours"),  # 18:30 in New York
        ("2026-12-08T06:30", "is outside your waking hours"),  # 07:30 in New York: early for them, earlier for you
        ("2026-12-01T14:00", "is less than one working day away"),
    ],
)
def test_a_time_that_may_not_suit_is_a_warning(env, value, says):
    code, out, err = draft(env, "--propose", value)
    assert code == 0 and out
    assert f"--propose {value}: {says}" in err


def test_a_clash_with_your_calendar_or_a_busy_file_is_a_warning(env, tmp_path):
    busy = tmp_path / "work.ics"
    busy.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:standup@example.com\r\n"
        "DTSTART:20261208T150000Z\r\nDTEND:20261208T160000Z\r\nSUMMARY:Quarterly review\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    code, _, err = draft(env, "--propose", "2026-12-08T09:30", "--busy", busy)
    assert code == 0 and "clashes with 'Quarterly review' in your calendar" in err


# --- slots of the interview's real length ------------------------------------------------------------


ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "America/Santiago", "Asia/Kolkata"]


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)),
    minutes=st.integers(min_value=1, max_value=8 * 60),
)
def test_a_slot_keeps_the_interviews_length_across_clock_changes(zone, start, minutes):
    where = ZoneInfo(zone)
    length = timedelta(minutes=minutes)
    slot = slot_at(start.replace(tzinfo=where), length)
    assert slot.end.astimezone(UTC) - slot.start.astimezone(UTC) == length


@settings(max_examples=100, deadline=None)
@given(
    zone=st.sampled_from(ZONES), start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31))
)
def test_an_interview_with_no_length_gets_the_default_and_never_zero(zone, start):
    moment = start.replace(tzinfo=ZoneInfo(zone))
    for event in (
        Event(uid="x", summary="Interview", start=moment, end=moment, timezone=zone),
        Event(uid="x", summary="Interview", start=moment, end=moment + timedelta(days=1), timezone=zone, all_day=True),
    ):
        assert interview_length(event) == timedelta(minutes=60)


def test_the_counter_for_an_all_day_interview_never_starts_where_it_ends(env, tmp_path):
    source = tmp_path / "allday.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:allday@example.com\r\nDTSTART;VALUE=DATE:20261209\r\n"
        "DTEND;VALUE=DATE:20261210\r\nSUMMARY:Interview day at Contoso\r\nORGANIZER;CN=Jo Smith:mailto:jo@contoso.com\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    out = tmp_path / "counter.eml"
    code, _, err = draft(env, "--propose", "2026-12-14T10:00", "--ics", "--out", out, source=source)
    assert code == 0, err
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    counter = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    assert counter["DTEND"].dt - counter["DTSTART"].dt == timedelta(minutes=60)


def test_a_proposal_across_the_clock_change_keeps_its_length_in_the_email(env, tmp_path):
    source = tmp_path / "fall.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:fall@example.com\r\n"
        "DTSTART;TZID=America/New_York:20261028T100000\r\nDTEND;TZID=America/New_York:20261028T110000\r\n"
        "SUMMARY:Interview with Contoso\r\nORGANIZER;CN=Jo Smith:mailto:jo@contoso.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    # 00:30 Chicago on 1 November: the hour after it is repeated; the slot is one real hour.
    code, out, err = draft(env, "--propose", "2026-11-01T00:30", source=source, now="2026-10-26T09:00:00-05:00")
    assert code == 0, err
    assert "1:30–1:30" not in out and "1:30–2:30" not in out
    assert "Sunday, November 1, 1:30 a.m. EDT–1:30 a.m. EST" in out


# --- the email confirms the time agreed on the call -------------------------------------------------


def test_agreed_confirms_the_one_new_time_and_the_counter_proposes_it(env, tmp_path):
    code, out, err = draft(env, "--agreed", "2026-12-08T09:00")
    assert code == 0, err
    assert "As agreed on the phone, we will meet on Tuesday, December 8, 10:00–11:00 a.m. ET instead." in out
    assert "available at any of these times" not in out
    path = tmp_path / "agreed.eml"
    run(
        env,
        "draft",
        INVITE,
        "--now",
        NOW,
        "--called",
        "reached",
        "--agreed",
        "2026-12-08T09:00",
        "--ics",
        "--out",
        path,
    )
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    counter = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    assert counter["DTSTART"].dt == datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
    _, plan, _ = run(env, "plan", INVITE, "--now", NOW, "--agreed", "2026-12-08T09:00")
    assert "As agreed on the phone, we will meet on Tuesday, December 8," in plan


def test_a_reached_call_logged_with_an_agreed_time_drafts_its_confirmation(env):
    code, _, err = run(
        env, "call", INVITE, "--now", NOW, "--outcome", "reached", "--agreed", "2026-12-08T09:00", "--no-qr"
    )
    assert code == 0, err
    _, out, _ = run(env, "draft", INVITE, "--now", NOW)
    assert "As agreed on the phone, we will meet on Tuesday, December 8," in out


# --- words -------------------------------------------------------------------------------------------


def test_the_apology_for_short_notice_only_when_the_notice_is_short(env):
    _, short, _ = run(env, "draft", INVITE, "--now", NOW, "--called", "voicemail", "--suggest", "0")
    _, early, _ = run(
        env, "draft", INVITE, "--now", "2026-11-20T09:00:00-06:00", "--called", "voicemail", "--suggest", "0"
    )
    assert "short notice" in short and "short notice" not in early and "apologize for any inconvenience" in early
    _, reached, _ = run(
        env, "draft", INVITE, "--now", "2026-11-20T09:00:00-06:00", "--called", "reached", "--suggest", "0"
    )
    assert reached.count("apologize") == 1, "the after-call email has one brief apology line"


def test_us_recipients_read_am_pm_and_et_and_the_script_has_no_zone_names_or_years(env):
    _, out, _ = draft(env)
    assert "Wednesday, December 2, at 10:00 a.m. ET" in out and "2026" not in out.split("\n\n", 1)[1]
    _, plan, _ = run(env, "plan", INVITE, "--now", NOW, "--suggest", "0")
    script = plan[plan.index("Script:") : plan.index("Rules:")]
    assert "America/" not in script and "2026" not in script and "tomorrow at 10 a.m. your time" in script


def european_invite(tmp_path: Path) -> Path:
    path = tmp_path / "berlin.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:berlin@example.com\r\n"
        "DTSTART;TZID=Europe/Berlin:20261209T150000\r\nDTEND;TZID=Europe/Berlin:20261209T160000\r\n"
        "SUMMARY:Vorstellungsgespräch - Data Engineer\r\nDESCRIPTION:Tel. +49 30 901820\r\n"
        "ORGANIZER;CN=Katrin Müller:mailto:katrin.mueller@contoso.de\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return path


def test_european_recipients_read_24_hours_and_your_number_in_international_form(env, tmp_path):
    _, out, _ = draft(env, "--propose", "2026-12-14T09:00", source=european_invite(tmp_path))
    assert "Wednesday, 9 December at 15:00 CET" in out
    assert "Monday, 14 December, 16:00–17:00 CET" in out and "I am based in Chicago: 16:00 CET is 09:00 my time." in out
    assert "+1 312-555-0147" in out, "abroad, your number with its country code"
    _, home_out, _ = draft(env)
    assert "(312) 555-0147" in home_out, "at home, the national form"


def test_emergency_does_not_ask_to_move_the_other_commitment(env):
    _, conflict, _ = run(env, "plan", INVITE, "--now", NOW, "--reason", "conflict")
    _, emergency, _ = run(env, "plan", INVITE, "--now", NOW, "--reason", "emergency")
    assert "can you move the other commitment instead?" in conflict
    assert "move the other commitment" not in emergency


def test_accepting_another_offer_is_fine_when_withdrawing_not_when_rescheduling(env):
    note = "I have accepted another offer."
    _, withdraw, err = run(
        env, "draft", INVITE, "--now", NOW, "--called", "reached", "--reason", "withdraw", "--note", note
    )
    assert note in withdraw and "another interview or offer" not in err
    _, reschedule, err = run(env, "draft", INVITE, "--now", NOW, "--called", "reached", "--note", note)
    assert note not in reschedule and "another interview or offer" in err


@pytest.mark.parametrize(
    "reason, answer",
    [
        ("conflict", "can't move"),
        ("work", "mandatory meeting at my current job"),
        ("emergency", "rather not go into details"),
        ("withdraw", "another opportunity"),
    ],
)
def test_the_script_has_an_answer_ready_for_may_i_ask_why(env, reason, answer):
    _, plan, _ = run(env, "plan", INVITE, "--now", NOW, "--reason", reason)
    why = plan[plan.index("If they ask why:") : plan.index("If a receptionist answers")]
    assert answer in why
    assert "ask for Priya Raman by name" in plan and "If voicemail answers: hang up" in plan


def test_under_four_hours_one_short_voicemail_then_the_email_at_once(env):
    _, plan, _ = run(env, "plan", INVITE, "--now", "2026-12-02T07:30:00-06:00")  # 08:30 in New York
    assert "NOTICE: URGENT" in plan
    assert "leave one short message" in plan and "then send the email at once" in plan
    assert "Never leave a voicemail" not in plan


def test_a_reply_to_the_invitation_keeps_its_subject_in_the_file_too(env, tmp_path):
    out = tmp_path / "reply.eml"
    code, _, err = draft(env, "--out", out)
    assert code == 0, err
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    assert message["Subject"].startswith("Re: Invitation: Interview: Alex Morgan")
    assert message["In-Reply-To"]


def test_a_time_that_happens_twice_on_your_clock_is_a_warning(env):
    code, out, err = draft(env, "--propose", "2027-11-07T01:30")  # Chicago falls back at 02:00 that night
    assert code == 0 and "--propose 2027-11-07T01:30: happens twice on your clock" in err
