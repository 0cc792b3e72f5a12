"""The English email and the call script as a career coach reads them, on real invitations: one time per
line in date order, the owner's clock once, each country's English, the call's day, a missed interview,
withdrawing, oversharing; the script's order, spoken times and closing; holidays; typed times; wrapping."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from callfirst.drafts.note_check import check_note

from .helpers import make_env, run

DATA = Path(__file__).parent / "data"
REAL = DATA / "realworld"
DEMO = DATA / "google_invitation_multipart_with_attachment.eml"  # Wed 2 Dec 2026 10:00 New York
NOW = "2026-12-01T08:30:00-06:00"
KGL = REAL / "kgl_india_teams_exchange_ist_phone.ics"  # Fri 1 Sep 2023 14:30 India, organizer Ritu Kapoor
KGL_NOW = "2023-08-28T09:00:00+05:30"
TORONTO = REAL / "uoft_leader_circle_audition_toronto.ics"  # Tue 11 Oct 2022 19:00 Toronto
LONDON = REAL / "pento_phone_interview_london_icalendar_ruby.ics"  # Mon 3 May 2021 13:00 London


@pytest.fixture
def kolkata(tmp_path):
    """An owner in Kolkata whose number is written the Indian national way."""
    folder = tmp_path / "kolkata"
    folder.mkdir()
    (folder / "config.toml").write_text(
        '[profile]\nname = "Ananya Iyer"\nemail = "ananya.iyer@example.com"\n'
        'phone = "098450 12345"\ntimezone = "Asia/Kolkata"\n'
    )
    return make_env(folder)


def body_of(out: str) -> str:
    return out.split("\n\n", 1)[1]


def subject_of(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("Subject: "))


# --- the email ---------------------------------------------------------------------------------


def test_subject_says_interview_once(kolkata):
    code, out, err = run(kolkata, "draft", KGL, "--now", KGL_NOW, "--called", "reached")
    assert code == 0, err
    assert subject_of(out) == "Subject: Rescheduling our interview – Ananya Iyer, KGL India"


def test_after_a_call_without_a_time_the_email_proposes_and_with_one_it_confirms_it(env):
    code, out, _ = run(env, "draft", DEMO, "--now", NOW, "--called", "reached", "--propose", "2026-12-07T14:00")
    assert code == 0
    assert "To confirm" not in out and "confirm, I am available at any" not in out
    assert "these are the times I can offer" in out
    code, out, _ = run(env, "draft", DEMO, "--now", NOW, "--called", "reached", "--agreed", "2026-12-07T14:00")
    assert code == 0
    assert "As agreed on the phone, we will meet on Monday, December 7, 3:00–4:00 p.m. ET instead." in out
    assert out.count("December 7") == 1


def test_times_are_listed_in_date_order(env):
    code, out, _ = run(
        env,
        "draft",
        DEMO,
        "--now",
        NOW,
        "--called",
        "voicemail",
        "--suggest",
        "0",
        *("--propose", "2026-12-09T10:00", "--propose", "2026-12-04T10:00", "--propose", "2026-12-07T14:00"),
    )
    assert code == 0
    listed = [line for line in out.splitlines() if line.startswith("  - ")]
    assert [line.split(",")[1].strip() for line in listed] == ["December 4", "December 7", "December 9"]


def test_the_owners_clock_is_given_once_not_on_every_line(env):
    code, out, _ = run(
        env, "draft", DEMO, "--now", NOW, "--called", "voicemail", "--suggest", "0",
        "--propose", "2026-12-07T14:00", "--propose", "2026-12-08T10:00",
    )  # fmt: skip
    assert code == 0
    assert body_of(out).count("Chicago") == 1
    assert "I am based in Chicago: 3:00 p.m. ET is 2:00 p.m. my time." in out
    assert "(2:00 p.m. in Chicago)" not in out


def test_us_english_for_a_us_recipient(env):
    code, out, _ = run(env, "draft", DEMO, "--now", NOW, "--called", "voicemail", "--suggest", "0")
    assert code == 0
    assert "I apologize" in out and "apologise" not in out
    assert "on Wednesday, December 2, at 10:00 a.m. ET" in out


def test_british_english_for_a_uk_recipient(kolkata):
    code, out, _ = run(kolkata, "draft", LONDON, "--now", "2021-04-26T09:00:00+01:00", "--called", "voicemail", "--to", "hr@pento.example")  # fmt: skip
    assert code == 0
    assert "I apologise" in out and "on Monday, 3 May at 13:00 BST" in out


def test_indian_english_for_an_indian_recipient(kolkata):
    code, out, _ = run(kolkata, "draft", KGL, "--now", KGL_NOW, "--called", "voicemail")
    assert code == 0
    assert "on Friday, 1 September at 2:30 pm IST" in out and "I apologise" in out
    assert "098450 12345" in out, "a number at home is written the national way"


def test_canadian_recipient_reads_am_pm(kolkata):
    code, out, _ = run(kolkata, "draft", TORONTO, "--now", "2022-10-03T09:00:00-04:00", "--called", "voicemail", "--to", "hr@utoronto.example")  # fmt: skip
    assert code == 0
    assert "7:00 p.m. ET" in out and "19:00" not in out


def test_the_signature_number_is_international_across_borders(kolkata):
    code, out, _ = run(kolkata, "draft", LONDON, "--now", "2021-04-26T09:00:00+01:00", "--called", "voicemail", "--to", "hr@pento.example")  # fmt: skip
    assert code == 0
    assert "+91 98450 12345" in out and "098450 12345" not in out


def test_the_email_says_when_the_call_was(env):
    code, _, err = run(env, "call", DEMO, "--now", "2026-11-23T10:00:00-06:00", "--outcome", "no-answer")
    assert code == 0, err
    code, _, err = run(env, "call", DEMO, "--now", "2026-11-23T14:00:00-06:00", "--outcome", "voicemail")
    assert code == 0, err
    code, out, err = run(env, "draft", DEMO, "--now", "2026-11-25T09:00:00-06:00", "--suggest", "0")
    assert code == 0, err
    assert "I tried to reach you by phone on Monday but could not get through" in out
    assert "by phone today" not in out


def test_a_missed_interview_is_apologised_for(env):
    code, out, err = run(env, "draft", DEMO, "--now", "2026-12-02T09:30:00-06:00", "--called", "voicemail")
    assert code == 0, err
    assert "prevented me from attending our interview" in out
    assert "apologize for missing it" in out
    assert "unable to attend" not in out and "short notice" not in out


def test_withdrawal_is_from_consideration_and_plainly_thankful(kolkata):
    code, out, err = run(kolkata, "draft", KGL, "--now", KGL_NOW, "--reason", "withdraw", "--called", "not-yet")
    assert code == 0, err
    assert "withdraw from consideration for the position at KGL India" in out
    assert "withdraw my application at" not in out
    assert "care you have taken" not in out


@pytest.mark.parametrize(
    ("note", "what"),
    [
        ("I have a final round with Google the same afternoon", "another interview or offer"),
        ("I have a court hearing that morning", "legal or housing trouble"),
        ("My landlord is evicting me", "legal or housing trouble"),
        ("I have food poisoning", "health details"),
    ],
)
def test_oversharing_is_caught(note, what):
    found = [issue.what for issue in check_note(note)]
    assert found == [what]


def test_a_plain_note_passes():
    assert check_note("I look forward to our interview with you.") == ()


# --- the call script ------------------------------------------------------------------------------


def script_of(out: str) -> str:
    return out.split("Script:\n", 1)[1].split("\nTalk to a live person", 1)[0]


def test_the_script_says_why_one_calls_before_the_interest(env):
    code, out, _ = run(env, "call", DEMO, "--now", NOW)
    assert code == 0
    script = script_of(out)
    assert script.index("I'm calling about my interview") < script.index("need to reschedule")
    assert script.index("need to reschedule") < script.index("very interested")


def test_the_script_reads_times_as_they_are_said(kolkata):
    # The same day, an hour and a half before: "today at 2:30 pm", no 24-hour clock, no zone code.
    code, out, _ = run(kolkata, "call", KGL, "--now", "2023-09-01T13:00:00+05:30")
    assert code == 0
    script = script_of(out)
    assert "today at 2:30 pm" in script
    assert not re.search(r"\b1[3-9]:\d\d\b|\bIST\b|\(", script)


def test_the_script_closes_and_does_not_repeat_the_reason(env):
    code, out, _ = run(env, "call", DEMO, "--now", NOW, "--reason", "work")
    assert code == 0
    script = script_of(out)
    assert "I'll confirm the new time by email" in script
    said, why = script.split("If they ask why:")
    assert "mandatory meeting" in why and "mandatory meeting" not in said


def test_call_plan_and_draft_offer_the_same_times(env):
    times = ("--propose", "2026-12-07T14:00")
    code, out, _ = run(env, "call", DEMO, "--now", NOW, *times)
    assert code == 0
    offered = re.search(r"Would one of these times work for you[^:]*: (.*?)\?\"", script_of(out).replace("\n", " "))
    assert offered, script_of(out)
    spoken = offered.group(1)
    code, plan, _ = run(env, "plan", DEMO, "--now", NOW, *times)
    assert spoken in re.sub(r"\n +", " ", plan)
    code, draft, _ = run(env, "draft", DEMO, "--now", NOW, "--called", "voicemail", *times)
    days = re.findall(r"^  - (\w+day, \w+ \d+),", draft, re.M)
    assert len(days) == 3
    for day in days:
        assert day in spoken


# --- times and input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "now", "holiday"),
    [
        (DEMO, "2026-11-24T08:30:00-06:00", ("November", "26")),  # US Thanksgiving
        (TORONTO, "2022-10-06T09:00:00-04:00", ("October", "10")),  # Canadian Thanksgiving
    ],
)
def test_no_time_is_suggested_on_a_public_holiday(kolkata, env, source, now, holiday):
    who = kolkata if source == KGL else env
    code, out, err = run(who, "draft", source, "--now", now, "--called", "voicemail", "--suggest", "10", "--to", "hr@example.org")  # fmt: skip
    assert code == 0, err
    listed = [line for line in out.splitlines() if line.startswith("  - ")]
    assert len(listed) == 10, out
    month, day = holiday
    on_it = re.compile(rf"\b{month} {day}\b|\b{day} {month}\b")
    assert not any(on_it.search(line) for line in listed), listed


@pytest.mark.parametrize(
    ("zone", "now", "holiday"),
    [
        ("Asia/Kolkata", datetime(2025, 9, 30, 9, 0), date(2025, 10, 2)),  # Gandhi Jayanti
        ("America/New_York", datetime(2026, 12, 30, 9, 0), date(2027, 1, 1)),  # New Year's Day
    ],
)
def test_free_slots_keep_off_either_sides_holidays(zone, now, holiday):
    from callfirst.public_holidays import Holidays, place_of
    from callfirst.slots import free_slots

    theirs = ZoneInfo(zone)
    moment = now.replace(tzinfo=theirs)

    def days(holidays):
        found = free_slots(
            duration=timedelta(hours=1), busy=(), now=moment, zone=theirs, count=8, holidays=holidays
        ).slots
        return {slot.start.astimezone(theirs).date() for slot in found}

    assert holiday in days(None), "the day would be offered were it not a holiday"
    assert holiday not in days(Holidays(place_of(theirs), theirs))


def test_the_owners_holiday_counts_too():
    from callfirst.public_holidays import Holidays, place_of
    from callfirst.slots import free_slots

    london, kolkata = ZoneInfo("Europe/London"), ZoneInfo("Asia/Kolkata")
    now = datetime(2025, 9, 30, 9, 0, tzinfo=london)
    both = Holidays(place_of(london), london, place_of(kolkata), kolkata)
    found = free_slots(duration=timedelta(hours=1), busy=(), now=now, zone=london, count=8, holidays=both).slots
    assert found and date(2025, 10, 2) not in {slot.start.astimezone(london).date() for slot in found}
    assert both.on(found[0]) is None


def test_a_time_offered_on_a_holiday_is_warned_about(env):
    code, _, err = run(env, "draft", DEMO, "--now", "2026-11-24T08:30:00-06:00", "--called", "voicemail", "--propose", "2026-11-26T10:00")  # fmt: skip
    assert code == 0
    assert "public holiday: Thanksgiving Day (United States)" in err


def interactive(home: Path, **changes):
    return make_env(home, stdin_isatty=True, **changes)


@pytest.mark.parametrize(
    ("typed", "understood"),
    [
        ("Monday 11am", "Monday, 7 December 2026 at 11:00 CST"),
        ("tomorrow 3pm", "Wednesday, 2 December 2026 at 15:00 CST"),
        ("12/07 2:30 pm", "Monday, 7 December 2026 at 14:30 CST"),  # month first: a US user
    ],
)
def test_the_agreed_time_is_read_as_typed_and_echoed_on_both_clocks(home, typed, understood):
    code, out, err = run(interactive(home), "call", DEMO, "--now", NOW, "--no-qr", stdin=f"reached\n{typed}\n")
    assert code == 0, err
    assert f"Understood: {understood}" in out and "for them)" in out
    assert "Recorded: reached them" in out and "New time agreed:" in out


def test_an_unreadable_time_is_asked_again_and_the_call_is_recorded(home):
    code, out, err = run(interactive(home), "call", DEMO, "--now", NOW, "--no-qr", stdin="reached\nsoonish\n\n")
    assert code == 0, err
    assert "Could not read 'soonish'" in err
    assert "Recorded: reached them" in out


def test_a_time_in_the_past_is_asked_again_not_lost(home):
    stdin = "reached\n2026-11-01T10:00\nMonday 11am\n"
    code, out, err = run(interactive(home), "call", DEMO, "--now", NOW, "--no-qr", stdin=stdin)
    assert code == 0, err
    assert "in the past" in err and "Recorded: reached them" in out


# --- the terminal --------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [80, 120])
def test_the_call_sheet_wraps_at_word_boundaries(home, columns):
    env = make_env(home, columns=columns)
    code, out, _ = run(env, "call", DEMO, "--now", NOW, "--reason", "work", "--no-qr")
    assert code == 0
    lines = [line for line in out.splitlines() if len(line.split()) > 1]  # a long path alone cannot wrap
    assert all(len(line) <= columns for line in lines), max(lines, key=len)
    words = set(re.findall(r"[A-Za-z/_]+", out))
    assert "confl" not in words and "Kolkat" not in words and "America/New_Yor" not in words


def test_the_qr_code_is_compact_and_the_number_stays_in_view(home):
    env = interactive(home)
    code, out, _ = run(env, "call", DEMO, "--now", NOW, stdin="not-yet\n")
    assert code == 0
    qr_rows = [line for line in out.splitlines() if "▀" in line or "█" in line or "▄" in line]
    assert len(qr_rows) <= 18
    before_prompt = out.split("What happened?")[0].splitlines()
    assert any("+1 646-555-0198" in line for line in before_prompt[-4:])


def test_input_closed_after_reached_still_records_the_call(home):
    code, out, err = run(interactive(home), "call", DEMO, "--now", NOW, "--no-qr", stdin="reached\n")
    assert "Recorded: reached them" in out, (out, err)
    assert "No new time recorded" in err


def test_what_plan_offered_is_what_the_call_and_the_draft_offer(env):
    code, plan, _ = run(
        env, "plan", DEMO, "--now", NOW, "--propose", "2026-12-07T14:00", "--propose", "2026-12-08T10:00"
    )
    assert code == 0
    code, called, _ = run(env, "call", DEMO, "--now", NOW, "--outcome", "voicemail", "--no-qr")
    assert code == 0
    code, drafted, _ = run(env, "draft", DEMO, "--now", NOW)
    assert code == 0
    listed = [line.strip() for line in drafted.splitlines() if line.startswith("  - ")]
    assert listed == [line.strip() for line in plan.splitlines() if line.startswith("      - ")]
    assert any("December 7, 3:00–4:00 p.m." in line for line in listed)
    spoken = " ".join(called.split())
    assert "Monday, December 7, at 3 p.m." in spoken and "Tuesday, December 8, at 11 a.m." in spoken
    # Asking for others changes them, and they are what is offered from then on.
    code, other, _ = run(env, "draft", DEMO, "--now", NOW, "--propose", "2026-12-09T11:00")
    assert "December 7, 3:00–4:00 p.m." not in other and "December 9, 12:00–1:00 p.m." in other
    code, again, _ = run(env, "draft", DEMO, "--now", NOW)
    assert [line for line in again.splitlines() if line.startswith("  - ")] == [
        line for line in other.splitlines() if line.startswith("  - ")
    ]


def test_propose_and_agreed_take_times_as_people_type_them(env):
    code, out, err = run(env, "draft", DEMO, "--now", NOW, "--called", "voicemail", "--suggest", "0",
                         "--propose", "monday 2pm", "--propose", "2026-12-08T10:00")  # fmt: skip
    assert code == 0, err
    assert "--propose 'monday 2pm': Monday, 7 December 2026 at 14:00 CST, America/Chicago" in err
    assert "Monday, December 7, 3:00–4:00 p.m. ET" in out
    code, out, err = run(env, "call", DEMO, "--now", NOW, "--outcome", "reached", "--agreed", "tomorrow 4pm", "--no-qr")
    assert code == 0, err
    assert "New time agreed: Wednesday, 2 December 2026 at 17:00 EST" in out


def test_an_unreadable_typed_time_is_a_usage_error_naming_it(env):
    code, out, err = run(env, "draft", DEMO, "--now", NOW, "--propose", "soonish")
    assert code == 2 and not out
    assert "--propose" in err and "cannot read 'soonish'" in err


def test_a_script_sentence_ending_on_a_m_has_one_full_stop():
    from callfirst.calls import _quoted

    assert _quoted(["I'm calling about my interview on Friday at 10 a.m..", "Wait..."]) == (
        "\"I'm calling about my interview on Friday at 10 a.m.",
        'Wait..."',
    )


def test_times_offered_before_are_offered_again_without_warnings_about_themselves(env):
    """The next day a free time callfirst chose may be under a working day away: it is offered again as the
    phone offered it, with no warning naming it in ISO form."""
    code, plan, _ = run(env, "plan", DEMO, "--now", NOW)
    assert code == 0
    later = "2026-12-02T08:30:00-06:00"
    code, drafted, err = run(env, "draft", DEMO, "--now", later, "--called", "voicemail")
    assert code == 0, err
    assert "a time offered before" not in err
