from __future__ import annotations

import email
import email.policy
import os
from datetime import datetime
from pathlib import Path

import icalendar
import pytest

from callfirst.context import InterviewRef
from callfirst.drafts.note_check import check_note

from .helpers import context_for, run

NOW = "2026-12-01T08:30:00-06:00"
GOLDEN = Path(__file__).parent / "golden"
REASONS = ["conflict", "work", "emergency", "withdraw"]
CALLED = ["reached", "voicemail", "no-answer", "not-yet"]


def invite(data):
    return data / "google_invitation_multipart_with_attachment.eml"


def check_golden(name: str, text: str):
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text)
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 once and review it"
    assert text == path.read_text()


TIER_NOW = {"ok": "2026-11-20T09:00:00-06:00", "short": NOW, "urgent": "2026-12-02T07:30:00-06:00"}


@pytest.mark.parametrize("tier", list(TIER_NOW))
@pytest.mark.parametrize("reason", REASONS)
@pytest.mark.parametrize("called", CALLED)
def test_draft_golden(data, env, reason, called, tier):
    code, out, err = run(
        env,
        "draft",
        invite(data),
        "--now",
        TIER_NOW[tier],
        "--reason",
        reason,
        "--called",
        called,
        "--propose",
        "2026-12-07T14:00",
        "--propose",
        "2026-12-08T10:00-05:00",
        "--suggest",
        "0",
    )
    assert code == 0, err
    check_golden(f"draft-{reason}-{called}-{tier}.txt", out)
    if reason == "withdraw":
        assert "reschedule" not in out.lower() and "December 7" not in out
        assert "withdraw" in out and "hope our paths cross again" in out
    else:
        assert "Monday, December 7, 3:00–4:00 p.m. ET" in out
        assert "Tuesday, December 8, 10:00–11:00 a.m. ET" in out
        assert out.count("Chicago") == 1
        assert "very interested" in out
        assert ("short notice" in out) == (tier != "ok")


@pytest.mark.parametrize("reason", ["conflict", "withdraw"])
def test_plan_golden_call_first_then_email(data, env, reason):
    code, out, _ = run(env, "plan", invite(data), "--now", NOW, "--reason", reason, "--propose", "2026-12-07T14:00")
    assert code == 0
    check_golden(f"plan-{reason}.txt", out)
    assert out.index("NOTICE: SHORT") < out.index("1. CALL FIRST") < out.index("2. THEN THE EMAIL")
    assert "Never leave a voicemail" in out and "+1 646-555-0198" in out
    assert ("move the other commitment" in out) == (reason != "withdraw")


def test_plan_without_phone_says_where_to_look(data, env):
    code, out, _ = run(env, "plan", data / "unknown_tzid.ics", "--now", NOW)
    assert code == 0
    assert "none in the invitation" in out and "main line" in out


def test_plan_waits_for_office_hours(data, env):
    code, out, _ = run(env, "plan", invite(data), "--now", "2026-11-28T12:00:00-06:00")  # a Saturday
    assert "When:    Monday, 30 November 2026 at 08:00 CST, America/Chicago" in out
    assert "(Monday, 30 November 2026 at 09:00 EST, America/New_York), when their office opens" in out


def parse(path: Path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_eml_is_a_draft_with_one_recipient_and_counter(data, tmp_path, env):
    out = tmp_path / "reply.eml"
    code, _, err = run(
        env,
        "draft",
        invite(data),
        "--now",
        NOW,
        "--called",
        "reached",
        "--propose",
        "2026-12-07T14:00",
        "--ics",
        "--out",
        out,
    )
    assert code == 0, err
    message = parse(out)
    assert message["X-Unsent"] == "1"
    assert message["To"].addresses[0].addr_spec == "priya.raman@northwind-analytics.com"
    assert len(message["To"].addresses) == 1 and message.get_all("Cc") is None and message.get_all("Bcc") is None
    assert message["From"].addresses[0].addr_spec == "alex.morgan@example.com"
    assert message["Date"] and message["Message-ID"].endswith("@example.com>")
    assert message["In-Reply-To"] == "<0000000000001a2b3c4d5e6f@google.com>"
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1 and parts[0].get_param("method") == "COUNTER"
    calendar = icalendar.Calendar.from_ical(parts[0].get_content())
    assert calendar["METHOD"] == "COUNTER"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == "7kq2v9d0c1b3n5m7p9r1s3t5u7@google.com" and int(event["SEQUENCE"]) == 0
    assert event.start.isoformat() == "2026-12-07T20:00:00+00:00"
    assert "RECURRENCE-ID" not in event
    assert str(event["ORGANIZER"]) == "mailto:priya.raman@northwind-analytics.com"


def test_withdraw_ics_is_a_declining_reply(data, tmp_path, env):
    out = tmp_path / "withdraw.eml"
    code, _, _ = run(
        env,
        "draft",
        invite(data),
        "--now",
        NOW,
        "--called",
        "reached",
        "--reason",
        "withdraw",
        "--ics",
        "--out",
        out,
    )
    assert code == 0
    part = next(p for p in parse(out).walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REPLY"
    calendar = icalendar.Calendar.from_ical(part.get_content())
    assert calendar["METHOD"] == "REPLY"
    event = calendar.walk("VEVENT")[0]
    attendees = event.get("ATTENDEE")
    assert not isinstance(attendees, list)
    assert str(attendees) == "mailto:alex.morgan@example.com" and attendees.params["PARTSTAT"] == "DECLINED"
    assert event["DTSTAMP"].dt.year == 2026


def test_counter_needs_a_proposal(data, env):
    code, _, err = run(env, "draft", invite(data), "--now", NOW, "--called", "reached", "--ics", "--suggest", "0")
    assert code == 1 and "--propose" in err


def test_existing_file_is_never_overwritten_without_force(data, tmp_path, env):
    out = tmp_path / "reply.eml"
    out.write_text("mine")
    code, _, err = run(env, "draft", invite(data), "--now", NOW, "--called", "reached", "--out", out)
    assert code == 1 and "already exists" in err and out.read_text() == "mine"
    code, _, _ = run(env, "draft", invite(data), "--now", NOW, "--called", "reached", "--out", out, "--force")
    assert code == 0 and out.read_text().startswith("From:")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_mailto_link(data, env):
    code, out, _ = run(env, "draft", invite(data), "--now", NOW, "--called", "reached", "--mailto")
    assert code == 0
    # A reply to the invitation email keeps its subject, with "Re: ".
    assert out.startswith("mailto:priya.raman@northwind-analytics.com?subject=Re%3A%20Invitation%3A%20Interview")
    assert "&body=Dear%20Priya" in out


def test_without_called_or_a_logged_call_it_warns_call_first(data, env):
    code, out, err = run(env, "draft", invite(data), "--now", NOW)
    assert code == 0 and "call first" in err and "no call is logged" in err
    assert "I am writing about our interview" in out, "the not-yet email"


def test_note_is_checked_and_left_out(data, env):
    code, out, err = run(
        env,
        "draft",
        invite(data),
        "--now",
        NOW,
        "--called",
        "reached",
        "--note",
        "I overslept and my kid is SICK 😷",
    )
    assert code == 0
    assert "overslept" not in out and "kid" not in out
    for what in ("overslept", "family details", "health details", "shouting capitals", "emoji"):
        assert what in err
    code, out, _ = run(
        env, "draft", invite(data), "--now", NOW, "--called", "reached", "--note", "I overslept.", "--keep-note"
    )
    assert "I overslept." in out


def test_good_note_is_kept(data, env):
    _, out, err = run(
        env,
        "draft",
        invite(data),
        "--now",
        NOW,
        "--called",
        "reached",
        "--note",
        "I have enjoyed every conversation with your team so far.",
    )
    assert "I have enjoyed every conversation" in out and err == ""


@pytest.mark.parametrize(
    "note, what",
    [
        ("I have a doctor's appointment", "health details"),
        ("My wife needs the car", "family details"),
        ("bit of a hangover today", "hangover or partying"),
        ("I forgot about it", "forgot"),
        ("I have another interview then", "another interview or offer"),
        ("I accepted an offer elsewhere", "another interview or offer"),
        ("SORRY ABOUT THIS", "shouting capitals"),
        ("sorry 🙏", "emoji"),
    ],
)
def test_note_rules(note, what):
    assert what in [issue.what for issue in check_note(note)]


def test_several_interviews_need_event(data, env):
    code, _, err = run(env, "plan", data / "broken_event_between_good_ones.ics", "--now", NOW)
    assert code == 1 and "--event" in err and "good-1@example.com" in err
    code, out, err = run(
        env, "plan", data / "broken_event_between_good_ones.ics", "--now", NOW, "--event", "good-2@example.com"
    )
    # The plan is still printed, and the broken event is reported: one exit policy, the same as draft and slots.
    assert code == 1 and "Relecloud" in out and "broken_event_between_good_ones.ics:" in err


def test_plan_draft_and_slots_exit_alike_on_a_partly_broken_file(data, env):
    source = data / "broken_event_between_good_ones.ics"
    pick = ("--now", NOW, "--event", "good-2@example.com")
    codes = {
        "plan": run(env, "plan", source, *pick)[0],
        "draft": run(env, "draft", source, *pick, "--called", "reached")[0],
        "slots": run(env, "slots", source, *pick)[0],
        "scan": run(env, "scan", source, "--now", NOW)[0],
    }
    assert set(codes.values()) == {1}, codes


def test_a_missing_file_is_a_source_error_not_a_missing_event(home, env):
    from callfirst import api
    from callfirst.config import Config
    from callfirst.errors import SourceError

    with pytest.raises(SourceError, match="no such file"):
        api.choose_interview(
            context_for(Config(), datetime.fromisoformat(NOW)), InterviewRef(str(home / "missing.ics"))
        )
    code, _, err = run(env, "plan", home / "missing.ics", "--now", NOW)
    assert code == 1 and err.count("\n") == 1 and "missing.ics: no such file" in err


def test_user_template_overrides(home, data, env):
    (home / "templates").mkdir()
    (home / "templates" / "email_reschedule.txt.j2").write_text("Hi {{ greeting_name }}, custom body.\n")
    _, out, _ = run(env, "draft", invite(data), "--now", NOW, "--called", "reached")
    assert out.endswith("Hi Priya, custom body.\n")


def test_broken_user_template_is_one_line_error(home, data, env):
    (home / "templates").mkdir()
    (home / "templates" / "email_reschedule.txt.j2").write_text("Hi {{ nobody }}\n")
    code, _, err = run(env, "draft", invite(data), "--now", NOW, "--called", "reached")
    assert code == 1 and "template problem" in err and "nobody" in err and err.count("\n") == 1


# --- hostile events --------------------------------------------------------------------------


def test_event_text_is_never_template_source(data, env):
    code, out, _ = run(env, "plan", data / "hostile_invitation_header_injection.ics", "--now", NOW)
    assert code == 0
    assert "{{ 7*7 }}" in out and "49" not in out
    assert "Data{{ config }} Analyst" in out


@pytest.mark.parametrize("extra", [[], ["--ics", "--propose", "2026-12-07T14:00"]])
def test_hostile_headers_stay_single(data, tmp_path, env, extra):
    out = tmp_path / "x.eml"
    code, _, err = run(
        env,
        "draft",
        data / "hostile_invitation_header_injection.ics",
        "--now",
        NOW,
        "--called",
        "reached",
        "--out",
        out,
        *extra,
    )
    assert code == 0, err
    raw = out.read_bytes()
    head = raw.split(b"\n\n", 1)[0]
    assert b"\r" not in head.replace(b"\r\n", b"\n")
    message = parse(out)
    assert len(message.get_all("To")) == 1 and len(message.get_all("Subject")) == 1
    assert message.get_all("Bcc") is None and message.get_all("Cc") is None
    assert [a.addr_spec for a in message["To"].addresses] == ["eve@evil.example"]
    assert "=?" not in str(message["Subject"])  # no encoded-word passed through


def test_line_separator_and_control_characters_are_removed(data, env):
    source = data / "hostile_line_separator_and_bad_organizer.ics"
    code, out, err = run(env, "draft", source, "--now", NOW, "--called", "reached")
    assert code == 1 and not out and "no one to write to" in err and "--to ADDRESS" in err
    code, out, _ = run(env, "draft", source, "--now", NOW, "--called", "reached", "--to", "hr@contoso.example")
    assert code == 0 and "\u2028" not in out.split("\n\n")[0] and "To: hr@contoso.example" in out


def test_unusable_organizer_address_is_refused(data, tmp_path, env):
    out = tmp_path / "x.eml"
    code, _, err = run(
        env,
        "draft",
        data / "hostile_line_separator_and_bad_organizer.ics",
        "--now",
        NOW,
        "--called",
        "reached",
        "--out",
        out,
    )
    assert code == 1 and "hostile_line_separator_and_bad_organizer.ics" in err and "not-an-address" in err
    assert not out.exists()


# --- the notice tier and the recipient's country change the words: golden files for each ----------------

TIER_NOWS = {
    # The bundled invitation: Wed 2 Dec 2026, 10:00 New York (a US recipient).
    "us": (
        "google_invitation_multipart_with_attachment.eml",
        {"ok": "2026-11-20T09:00:00-06:00", "short": NOW, "urgent": "2026-12-02T07:30:00-06:00"},
    ),
    # A Berlin recruiter: Wed 9 Dec 2026, 15:00 Berlin (a European recipient).
    "europe": (
        "invitation_berlin_24_hour_recipient.ics",
        {
            "ok": "2026-11-30T09:00:00-06:00",
            "short": "2026-12-08T08:00:00-06:00",
            "urgent": "2026-12-09T05:00:00-06:00",
        },
    ),
}


@pytest.mark.parametrize("region", ["us", "europe"])
@pytest.mark.parametrize("tier", ["ok", "short", "urgent"])
@pytest.mark.parametrize("called", ["reached", "voicemail", "agreed"])
def test_draft_golden_by_tier_and_recipient(data, env, region, tier, called):
    name, nows = TIER_NOWS[region]
    if called == "agreed":
        extra = ("--called", "reached", "--agreed", "2026-12-14T09:00")
    else:
        extra = ("--called", called, "--propose", "2026-12-14T09:00")
    code, out, err = run(env, "draft", data / name, "--now", nows[tier], "--suggest", "0", *extra)
    assert code == 0, err
    check_golden(f"draft-{region}-{tier}-{called}.txt", out)
    assert ("short notice" in out) == (tier != "ok"), "the apology for short notice only when it is short"


@pytest.mark.parametrize("region", ["us", "europe"])
@pytest.mark.parametrize("tier", ["ok", "urgent"])
def test_plan_golden_by_tier_and_recipient(data, env, region, tier):
    name, nows = TIER_NOWS[region]
    code, out, err = run(
        env, "plan", data / name, "--now", nows[tier], "--suggest", "0", "--propose", "2026-12-14T09:00"
    )
    assert code == 0, err
    check_golden(f"plan-{region}-{tier}.txt", out)
    assert ("one short message" in out) == (tier == "urgent")


def test_a_time_ending_in_a_m_is_not_followed_by_a_second_full_stop(env):
    """'about your interview tomorrow at 9 a.m.': the sentence ends with the abbreviation's own stop."""
    invite = Path(__file__).parent.parent / "examples" / "invite.eml"
    code, out, err = run(env, "plan", invite, "--now", "2026-12-01T10:00:00-06:00", "--their-zone", "America/Chicago")
    assert code == 0, err
    assert "your interview tomorrow at 9 a.m." in out
    assert "a.m.." not in out and "p.m.." not in out
