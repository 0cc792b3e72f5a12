"""Each class of fact the plan and the email state: zone, company, role, number, recipient, detection gaps,
lenient parsing. Invitations are built here, each showing one class; real ones are in test_realworld."""

from __future__ import annotations

import email
import email.policy
import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callfirst import api
from callfirst.config import Config, Profile
from callfirst.context import InterviewRef
from callfirst.facts import company, greeting_name, recipient, role, their_zone
from callfirst.model import Attendee, Event, Person, Phone

from .helpers import context_for, run, run_json

NOW = "2026-12-01T08:00:00+00:00"
OWNER = Profile(
    name="Steve Freeland", email="steve.freeland@gmail.com", phone="+1 312 555 0147", timezone="America/Chicago"
)


def ics(*event_lines: str, head: str = "") -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//test//EN",
        *head.splitlines(),
        "BEGIN:VEVENT",
        "UID:fact-1@example.com",
        "DTSTAMP:20261120T000000Z",
        *event_lines,
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(line for line in lines if line) + "\r\n").encode()


def write(tmp_path: Path, data: bytes, name: str = "invite.ics") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def item_of(path: Path, profile: Profile = OWNER):
    config = Config(profile=profile)
    return api.choose_interview(context_for(config, datetime.fromisoformat(NOW)), InterviewRef(str(path))).item


def event(summary="Interview", description="", organizer=None, attendees=(), location="", **extra) -> Event:
    start = datetime.fromisoformat("2026-12-08T15:00:00+00:00")
    return Event(
        uid="e",
        summary=summary,
        description=description,
        location=location,
        start=start,
        end=start,
        timezone="UTC",
        organizer=organizer,
        attendees=tuple(attendees),
        **extra,
    )


FLE = """BEGIN:VTIMEZONE
TZID:FLE Standard Time
BEGIN:STANDARD
DTSTART:16010101T040000
TZOFFSETFROM:+0300
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0300
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE"""


# --- 1. Windows and Exchange zones ---------------------------------------------------------------


def kyiv_invite(tmp_path: Path) -> Path:
    """An Exchange invitation in 'FLE Standard Time' with its custom VTIMEZONE (Kyiv's rules)."""
    return write(
        tmp_path,
        ics(
            'DTSTART;TZID="FLE Standard Time":20261208T170000',
            'DTEND;TZID="FLE Standard Time":20261208T180000',
            "SUMMARY:Interview - Trainee Developer",
            "ORGANIZER;CN=Olena:mailto:olena@ascendix.com",
            head=FLE,
        ),
    )


def test_a_windows_zone_with_its_vtimezone_becomes_the_iana_zone(tmp_path, env):
    path = kyiv_invite(tmp_path)
    _, items, _ = run_json(env, "scan", path, "--now", NOW)
    assert items[0]["timezone"] == "Europe/Kyiv" and items[0]["start"] == "2026-12-08T17:00:00+02:00"
    assert items[0]["facts"]["their_zone"] == {
        "value": "Europe/Kyiv",
        "source": "the time zone the invitation names",
        "guessed": False,
    }
    _, plan, _ = run(env, "plan", path, "--now", NOW)
    assert "EET, Europe/Kyiv" in plan and "tzicalvtz" not in plan and "FLE Standard Time" not in plan


@pytest.mark.parametrize(
    "tzid, expected",
    [
        ("India Standard Time", "Asia/Kolkata"),
        ("(GMT+10:00) Canberra, Melbourne, Sydney", "Australia/Melbourne"),
        ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Amsterdam"),
        ("Asia/Calcutta", "Asia/Kolkata"),
    ],
)
def test_a_zone_named_without_its_vtimezone_is_read_in_that_zone_not_yours(tmp_path, env, tzid, expected):
    path = write(
        tmp_path,
        ics(
            f'DTSTART;TZID="{tzid}":20261208T100000',
            f'DTEND;TZID="{tzid}":20261208T110000',
            "SUMMARY:Interview with Contoso",
            "ORGANIZER:mailto:hr@contoso.com",
        ),
    )
    code, items, err = run_json(env, "scan", path, "--now", NOW)
    assert code == 0 and "unknown time zone" not in err
    assert items[0]["timezone"] == expected
    assert datetime.fromisoformat(items[0]["start"]).astimezone(icalendar.timezone.tzp.timezone(expected)).hour == 10


def test_slots_for_a_kyiv_interview_are_in_kyiv_working_hours(tmp_path, env):
    path = kyiv_invite(tmp_path)
    _, found, _ = run_json(env, "slots", path, "--now", NOW)
    starts = [datetime.fromisoformat(s["start"]) for s in found["slots"]]
    assert starts and all(s.utcoffset().total_seconds() == 7200 and 9 <= s.hour < 17 for s in starts)


def test_the_ics_reply_never_names_a_zone_it_does_not_carry(tmp_path, env):
    path = kyiv_invite(tmp_path)
    out = tmp_path / "reply.eml"
    code, _, err = run(
        env, "draft", path, "--now", NOW, "--called", "reached", "--reason", "withdraw", "--ics", "--out", out
    )
    assert code == 0, err
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar").get_content()
    parsed = icalendar.Calendar.from_ical(calendar)
    named = {
        str(p.params["TZID"])
        for c in parsed.walk("VEVENT")
        for p in c.values()
        if hasattr(p, "params") and "TZID" in p.params
    }
    carried = {str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")}
    assert named <= carried


# --- 2. the interviewer's zone when the file says UTC ------------------------------------------------


@pytest.mark.parametrize(
    "description, expected, basis",
    [
        ("This is a live interview scheduled for December 8 at 9 AM, CST.", "America/Chicago", "9 AM, CST"),
        ("Time: 4:00 PM - 4:45 PM (GMT+5:30)", "Asia/Kolkata", "GMT+5:30"),
        ("4:00 PM - 4:45 PM (Chennai, Kolkata, Mumbai, New Delhi)", "Asia/Kolkata", "Kolkata"),
    ],
)
def test_a_utc_invitation_takes_the_zone_its_text_states_as_a_guess(description, expected, basis):
    zone = their_zone(event(description=description), OWNER)
    assert zone.value == expected and zone.guessed and basis in zone.source


def test_a_stated_zone_that_contradicts_the_time_is_not_taken():
    assert their_zone(event(description="Your interview is at 11 AM CST."), OWNER).value is None


def test_the_country_of_the_number_to_call_is_a_guess_and_nothing_is_said_to_be_unknown():
    """The number to call rings in its country: its zone, as a guess. A domain's country says only where the
    company is from ('priceff.fi' may interview from anywhere): no zone."""
    ritu = event(organizer=Person("ritu@kwglobal.co.in"))
    indian = their_zone(ritu, OWNER, phones=[Phone("+919876543210", "98765 43210", "description", "IN")])
    assert indian.value == "Asia/Kolkata" and indian.guessed and "+91" in indian.source
    assert their_zone(ritu, OWNER).value is None
    nothing = their_zone(event(organizer=Person("hr@contoso.com")), OWNER)
    assert nothing.value is None and "not stated" in nothing.source
    owner_side = their_zone(event(description="https://calendar.google.com/x?ctz=Africa%2FNairobi"), OWNER)
    assert owner_side.value is None  # a zone inside a link is the viewer's, not the interviewer's


def test_unknown_zone_uses_yours_and_says_so_and_their_zone_overrides(tmp_path, env):
    path = write(
        tmp_path,
        ics(
            "DTSTART:20261208T150000Z",
            "DTEND:20261208T160000Z",
            "SUMMARY:Interview with Contoso",
            "ORGANIZER;CN=Jo Smith:mailto:jo@contoso.com",
        ),
    )
    _, plan, _ = run(env, "plan", path, "--now", NOW)
    assert "Their zone:  — (not stated in the invitation; your own zone (America/Chicago) is used)" in plan
    _, plan, _ = run(env, "plan", path, "--now", NOW, "--their-zone", "Europe/Berlin")
    assert "Their zone:  CET, Europe/Berlin (you gave it)" in plan
    code, _, err = run(env, "plan", path, "--now", NOW, "--their-zone", "Mars/Olympus")
    assert code == 2 and "--their-zone" in err


# --- 3. company and role --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "summary, description, organizer, expected",
    [
        ("Interview - Steve Freeland", "", Person("noreply@greenhouse.io", "Greenhouse"), None),
        ("Interview with Priya Raman", "", Person("priya@gmail.com", "Priya Raman"), None),
        ("Walk-in interview | Associate Engineer", "", Person("noreply@naukri.com"), None),
        ("Technical Round || Interview", "Learn more about Meet at: https://x", Person("hr@gmail.com"), None),
        ("Interview on November 14", "", Person("talent@smartrecruiters.com"), None),
        (
            "Campaign Operations Manager Interview - Mark Jennings",
            "",
            Person("Karen.Doyle@cmsenergy.com", "Karen Doyle"),
            "Cmsenergy",
        ),
        (
            "Interview Schedule | Editorial Services | Kavya | KGL India",
            "",
            Person("ritu@kwglobal.com", "Ritu"),
            "KGL India",
        ),
        ("Your in-person interview at Outback Steakhouse", "", Person("outback7@paradox.ai"), "Outback Steakhouse"),
        ("Walk-in interview", "", Person("noreply@naukri.com", "Primesoft Solutions"), "Primesoft Solutions"),
    ],
)
def test_company_comes_from_plain_statements_never_from_a_person(summary, description, organizer, expected):
    found = company(event(summary, description, organizer, attendees=[Attendee("kavya1999@gmail.com")]), OWNER)
    assert found.value == expected, found
    if expected:
        assert found.source


@pytest.mark.parametrize(
    "summary, description, expected",
    [
        ("Interview - Steve Freeland", "", None),
        ("Live Interview for 5581BR Academy Software Engineer with Laura", "", "Academy Software Engineer"),
        ("Walk-in interview | Associate Engineer (Java) in Mumbai (All Areas)", "", "Associate Engineer (Java)"),
        ("Interview", "As part of our evaluation for the Data Engineer (AGI) position", "Data Engineer (AGI)"),
        ("Data Analyst Intern || Round 1", "for the Data Engineer position", None),  # two different roles
        ("Technical Round || Interview Scheduled at Infogain", "", None),
        ("Interview", "Booked by\nPeter Kim\nPosition\nBackend Developer", "Backend Developer"),
    ],
)
def test_role_only_from_explicit_wording(summary, description, expected):
    assert role(event(summary, description), OWNER).value == expected


def test_the_email_names_nothing_rather_than_something_wrong(tmp_path, env):
    path = write(
        tmp_path,
        ics(
            "DTSTART:20261208T150000Z",
            "DTEND:20261208T160000Z",
            "SUMMARY:Interview - Alex Morgan",
            "ORGANIZER;CN=Priya Raman:mailto:priya.raman@gmail.com",
        ),
    )
    _, draft, _ = run(env, "draft", path, "--now", NOW, "--called", "reached")
    assert " at Alex" not in draft and " at Priya" not in draft and "the position" in draft
    _, draft, _ = run(
        env, "draft", path, "--now", NOW, "--called", "reached", "--company", "Contoso", "--role", "Data Analyst"
    )
    assert "Data Analyst role at Contoso" in draft


# --- 4. the number to call --------------------------------------------------------------------------


def test_numbers_without_a_country_code_are_read_in_the_interviewers_country(tmp_path, env):
    path = write(
        tmp_path,
        ics(
            'DTSTART;TZID="India Standard Time":20261208T150000',
            'DTEND;TZID="India Standard Time":20261208T160000',
            "SUMMARY:Interview - AI Engineer",
            "DESCRIPTION:Regards\\,\\nSwathi\\n7702916548\\nT.+02240985200/m.08391547286",
            "ORGANIZER;CN=Swathi:mailto:swathi@xcubelabs.com",
        ),
    )
    item = item_of(path)
    assert [p.e164 for p in item.facts.phones] == ["+917702916548", "+912240985200"]
    _, plan, _ = run(env, "plan", path, "--now", NOW)
    assert "Backup:" in plan and "+91 22 4098 5200" in plan


def test_the_owners_own_number_is_never_offered(tmp_path):
    path = write(
        tmp_path,
        ics(
            "DTSTART:20261208T150000Z",
            "DTEND:20261208T160000Z",
            "SUMMARY:Recruiter screen",
            "LOCATION:+234 (816) 471-9260",
            "DESCRIPTION:Your mobile phone:\\n+234 (816) 471-9260\\nCall us: +44 20 7946 0958\\nMe: +1 312 555 0147",
            "ORGANIZER:mailto:georgi@getdevcontracts.com",
        ),
    )
    assert [p.e164 for p in item_of(path).facts.phones] == ["+442079460958"]


def test_a_vendor_help_line_and_dial_ins_are_not_offered(tmp_path):
    path = write(
        tmp_path,
        ics(
            "DTSTART:20261208T160000Z",
            "DTEND:20261208T170000Z",
            "SUMMARY:Live Interview",
            "DESCRIPTION:If you have any problems please contact HireVue support\\n1-800-655-4106 (U.S.)\\n\\n"
            "Or iPhone one-tap:\\n US: +16468769923\\, 82087777877#\\n\\nOr dial: (US) +1 813-922-8075 PIN: 391116128#",
            "ORGANIZER:mailto:laura@cerner.com",
        ),
    )
    assert item_of(path).facts.phones == ()


def test_phone_overrides_and_is_checked(tmp_path, env):
    path = write(
        tmp_path,
        ics(
            "DTSTART:20261208T150000Z",
            "DTEND:20261208T160000Z",
            "SUMMARY:Interview with Contoso",
            "ORGANIZER;CN=Jo Smith:mailto:jo@contoso.com",
        ),
    )
    _, plan, _ = run(env, "plan", path, "--now", NOW, "--phone", "+44 20 7946 0958")
    assert "+442079460958" in plan or "+44 20 7946 0958" in plan
    code, _, err = run(env, "plan", path, "--now", NOW, "--phone", "12345")
    assert code == 2 and "--phone" in err


# --- 5. the recipient --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "noreply@naukri.com",
        "efcee126-d34f-400c-b70c-7ca5069df305@eu.calendar.smartrecruiters.com",
        "no-reply@internshala.com",
        "outback7@paradox.ai",
    ],
)
def test_no_reply_proxies_and_job_boards_are_not_written_to(address):
    person, why = recipient(event(organizer=Person(address)), OWNER)
    assert person is None and address in why


def test_a_human_address_in_the_text_is_used_instead():
    found, why = recipient(
        event(description="Contact: obs2039@Outback.com", organizer=Person("outback7@paradox.ai")), OWNER
    )
    assert found == Person("obs2039@Outback.com") and "paradox.ai" in why


def test_no_one_to_write_to_refuses_the_draft_until_to_is_given(tmp_path, env):
    path = write(
        tmp_path, ics("DTSTART:20261208T150000Z", "DTEND:20261208T160000Z", "SUMMARY:Interview - Java developer")
    )
    code, out, err = run(env, "draft", path, "--now", NOW, "--called", "reached")
    assert code == 1 and not out and "no organizer" in err and "--to ADDRESS" in err and err.count("\n") == 1
    code, out, _ = run(env, "draft", path, "--now", NOW, "--called", "reached", "--to", "hr@contoso.com")
    assert code == 0 and "To: hr@contoso.com" in out


# --- 6. detection gaps ------------------------------------------------------------------------------


def test_plan_on_an_event_that_is_not_an_interview_says_so_and_still_finds_its_numbers(tmp_path, env):
    path = write(
        tmp_path,
        ics(
            "DTSTART:20261208T150000Z",
            "DTEND:20261208T160000Z",
            "SUMMARY:Quarterly review",
            "DESCRIPTION:Call me on +44 20 7946 0958",
            "ORGANIZER:mailto:boss@contoso.com",
        ),
    )
    code, plan, err = run(env, "plan", path, "--now", NOW, "--event", "fact-1@example.com")
    assert code == 0 and "does not look like a job interview" in err and "+44 20 7946 0958" in plan


# --- 7. lenient parsing of real Exchange output -------------------------------------------------------


def test_spaces_in_byday_and_an_unfolded_html_line_are_repaired_with_warnings(tmp_path, env):
    path = write(
        tmp_path,
        ics(
            "DTSTART:20261208T150000Z",
            "DTEND:20261208T160000Z",
            "SUMMARY:Interview with Contoso",
            "RRULE:FREQ=WEEKLY;BYDAY=MO, TU, WE;COUNT=3",
            "X-ALT-DESC;FMTTYPE=text/html:<html><body>",
            "<p>Hello there, see you: soon</p></body></html>",
            "ORGANIZER;CN=Jo:mailto:jo@contoso.com",
        ),
    )
    code, items, err = run_json(env, "scan", path, "--now", NOW)
    assert code == 0 and len(items) == 3
    assert "RRULE had spaces" in err and "was not folded" in err and ":" in err.splitlines()[0]


def test_many_unfolded_lines_are_joined_at_once_and_spaced_rules_read_whole():
    """40,000 lines of one description, and a rule line padded with 20,000 spaces: each read in one pass."""
    from callfirst.ical.repair import repair_lines

    text = "a line of a long description without a colon in it"
    lines, notes = repair_lines(["DESCRIPTION:start", *[text] * 40_000, "SUMMARY:Interview"])
    assert lines == ["DESCRIPTION:start" + f"\\n{text}" * 40_000, "SUMMARY:Interview"]
    assert notes == [(1, "40,000 lines of DESCRIPTION were not folded; joined to it")]
    padded = "RRULE:FREQ=WEEKLY;COUNT=3" + " " * 20_000 + ";BYDAY=MO"
    assert repair_lines([padded])[0] == ["RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=MO"]


def test_an_event_that_cannot_be_placed_in_time_is_an_error(tmp_path, env):
    path = write(tmp_path, ics("DTSTART:2026-12-08 15:00", "SUMMARY:Interview with Contoso"))
    code, _, err = run(env, "scan", path, "--now", NOW)
    assert code == 1 and "DTSTART" in err and "invite.ics:" in err


def test_scan_json_names_every_fact_with_its_source(tmp_path, env):
    path = write(
        tmp_path,
        ics(
            'DTSTART;TZID="India Standard Time":20261208T150000',
            'DTEND;TZID="India Standard Time":20261208T160000',
            "SUMMARY:Interview of Rahul for AI Engineer at [x]cube LABS",
            "ORGANIZER;CN=Swathi Reddy:mailto:swathi.reddy@xcubelabs.com",
        ),
    )
    _, items, _ = run_json(env, "scan", path, "--now", NOW)
    facts = items[0]["facts"]
    assert facts["company"] == {"value": "[x]cube LABS", "source": "the title, matching the organizer's domain"}
    assert facts["role"]["value"] == "AI Engineer" and facts["recipient"]["value"] == "swathi.reddy@xcubelabs.com"
    assert json.dumps(items)


def test_scan_their_zone_overrides_every_interviews_zone(tmp_path, env):
    path = write(
        tmp_path,
        ics(
            "DTSTART:20261208T150000Z",
            "DTEND:20261208T160000Z",
            "SUMMARY:Interview with Contoso",
            "ORGANIZER;CN=Jo Smith:mailto:jo@contoso.com",
        ),
    )
    _, items, _ = run_json(env, "scan", path, "--now", NOW, "--their-zone", "Asia/Kolkata")
    assert items[0]["timezone"] == "Asia/Kolkata" and items[0]["start"] == "2026-12-08T20:30:00+05:30"
    assert items[0]["timezone_source"] == "you gave it"
    code, _, err = run(env, "scan", path, "--now", NOW, "--their-zone", "Nowhere/Land")
    assert code == 2 and "--their-zone" in err


def test_a_company_known_only_by_its_domain_is_shown_but_never_written_to_the_employer(tmp_path, env):
    path = write(
        tmp_path,
        ics(
            "DTSTART:20261208T150000Z",
            "DTEND:20261208T160000Z",
            "SUMMARY:Campaign Operations Manager Interview - Mark Jennings",
            "ORGANIZER;CN=Karen Doyle:mailto:karen.doyle@cmsenergy.com",
        ),
    )
    _, plan, _ = run(env, "plan", path, "--now", NOW)
    assert "Company:     Cmsenergy (guessed from the organizer's domain; its spelling is not in the invitation" in plan
    _, draft, _ = run(env, "draft", path, "--now", NOW, "--called", "reached")
    assert "Cmsenergy" not in draft and "Campaign Operations Manager role and look forward" in draft


def test_to_takes_one_address_and_the_profile_one_email(tmp_path, home, env):
    path = write(
        tmp_path,
        ics(
            "DTSTART:20261208T150000Z",
            "DTEND:20261208T160000Z",
            "SUMMARY:Interview with Contoso",
            "ORGANIZER;CN=Jo Smith:mailto:jo@contoso.com",
        ),
    )
    code, _, err = run(env, "draft", path, "--now", NOW, "--called", "reached", "--to", "a@x.example, b@y.example")
    assert code == 2 and "more than one address" in err
    (home / "config.toml").write_text('[profile]\nname = "Alex"\nemail = "a@x.example, b@y.example"\n')
    code, _, err = run(env, "draft", path, "--now", NOW, "--called", "reached")
    assert code == 1 and "profile.email" in err and "one email address" in err


# --- 6. long runs of white space (HTML full of &nbsp; and <br>) ----------------------------------------

RUN = 20_000  # long enough that a pattern splitting a run every way between its neighbours never ends


@pytest.mark.parametrize("blank", [" ", "\n", "\u00a0"])
def test_long_runs_of_white_space_are_read_once(blank):
    """Each pattern around white space takes a run whole: the facts come out, however long the run."""
    from callfirst.detection import build_detector

    run_of = blank * RUN
    described = event(
        summary="Interview",
        description=f"We will call at 10{run_of}.\ninterview between{run_of}x\nRole:{run_of}\nAustin, TX{run_of}x"
        f"\nabout{run_of}\nCandidate{run_of}\nHi{run_of}x\n" + "<" * RUN + "<3 " * RUN,
        organizer=Person("jobs@acme.com", "Acme" + " Team" * (RUN // 5)),
    )
    assert their_zone(described, OWNER).value is None
    assert role(described, OWNER).value is None
    company(described, OWNER)
    assert not build_detector().assess(described, ("steve.freeland@gmail.com",)).signals[0].startswith("you are")
    stated = event(description=f"Interview at 9 AM{run_of}CST\nRole:{run_of}Data Engineer\n")
    assert their_zone(stated, OWNER).value == "America/Chicago"
    assert role(stated, OWNER).value == "Data Engineer"


def test_a_greeting_to_an_initial_names_no_one():
    """'Hi Mr. K,' greets someone too briefly named to tell apart from the text: the role still counts."""
    assert role(event(description="Hi Mr. K,\n\nRole: Senior Backend Engineer\n"), OWNER).value == (
        "Senior Backend Engineer"
    )


def test_hiring_words_are_taken_off_the_end_of_a_name_only():
    from callfirst.facts import _tidy_name

    assert _tidy_name("Amaris Recruitment Process") == "Amaris"
    assert _tidy_name("Acme Talent Acquisition team") == "Acme"
    assert _tidy_name("Team Hawky") == "Hawky"
    assert _tidy_name("Hiring Team") == "Hiring"
    assert _tidy_name("Process Talent Acquisition") == "Process"
    assert _tidy_name("Talent Acquisition") == "Talent Acquisition"


def test_the_plan_marks_every_guessed_fact_as_guessed():
    from callfirst.drafts.compose import _fact_lines
    from callfirst.model import Fact, Facts

    facts = Facts(
        company=Fact("Cmsenergy", "the organizer's domain", guessed=True),
        role=Fact("Analyst", "the title"),
        their_zone=Fact("Europe/Helsinki", "the organizer's country (.fi)", guessed=True),
        recipient=None,
        recipient_source="no organizer",
        phones=(),
        phone_source="none in the invitation",
    )
    lines = _fact_lines(facts, datetime.fromisoformat(NOW))
    assert lines["fact_company"] == "Cmsenergy (guessed from the organizer's domain)"
    assert lines["fact_zone"].endswith("(guessed from the organizer's country (.fi))")
    assert "guessed" not in lines["fact_role"]
    said_so = Facts(**{**facts.__dict__, "their_zone": Fact("Asia/Kolkata", "guessed from the description", True)})
    assert _fact_lines(said_so, datetime.fromisoformat(NOW))["fact_zone"].count("guess") == 1


# --- facts that held on invitations the rules had not seen ----------------------------------------------

SE_ASIA = "DTSTART;TZID=SE Asia Standard Time:20261208T090000"


def test_a_zone_several_countries_share_is_read_in_the_country_the_invitation_points_to(tmp_path):
    """'SE Asia Standard Time' is Bangkok's by default; a Vietnamese company's numbers say Ho Chi Minh City,
    as a guess, and its national numbers are read as Vietnamese."""
    path = write(
        tmp_path,
        ics(
            SE_ASIA,
            "DTEND;TZID=SE Asia Standard Time:20261208T100000",
            "SUMMARY:Appointment for Job Interview at SHAREWORK",
            "DESCRIPTION:Contact person: Vy (Phone: 0353908415)\\nPhone: +84 28 3811 7742",
            "ORGANIZER;CN=Tuong Vy:mailto:vytt@upsharework.com",
        ),
    )
    facts = item_of(path).facts
    assert facts.their_zone.value == "Asia/Ho_Chi_Minh" and facts.their_zone.guessed
    assert [p.e164 for p in facts.phones] == ["+84353908415", "+842838117742"]
    assert facts.greeting_name == "Vy"  # a Vietnamese name is spoken to by its last given name


def test_the_zone_of_a_hiring_system_that_sent_the_invitation_is_the_employers(tmp_path):
    path = write(
        tmp_path,
        ics(
            "DTSTART:20261208T043000Z",
            "DTEND:20261208T053000Z",
            "SUMMARY:Interview with Tata Consultancy Services - Campus",
            "ORGANIZER;CN=Mumbai Campus:mailto:scheduler+3317476@mg.talview.com",
            head="X-WR-TIMEZONE:Asia/Kolkata",
        ),
    )
    facts = item_of(path).facts
    assert facts.their_zone.value == "Asia/Kolkata" and facts.their_zone.guessed
    assert facts.recipient is None and facts.greeting_name is None and facts.phones == ()
    assert facts.company.value == "Tata Consultancy Services"


@pytest.mark.parametrize(
    "address",
    [
        "c4e6b9upgd3ju@events.workablemail.com",
        "calendar-8b341286-5491-4995-b1b4-28c466ad991d@inbound.turbohire.co",
        "scheduler+3317476@mg.talview.com",
        "RecruitmentPageWizagKenyacom@creativebits.us",
    ],
)
def test_a_scheduling_relay_or_a_booking_mailbox_is_never_written_to_nor_the_employer(address):
    person, why = recipient(event(organizer=Person(address, "Recruitment Page")), OWNER)
    assert person is None and address in why
    assert company(event(summary="Interview", organizer=Person(address)), OWNER).value is None


def test_the_human_a_relay_speaks_for_is_written_to():
    relay = "calendar-8b341286-5491-4995-b1b4-28c466ad991d@inbound.turbohire.co"
    sent = Person(relay, "Deepa Ramaiah", sent_by="deepa.ramaiah@accolitedigital.com")
    person, _ = recipient(event(organizer=sent), OWNER)
    assert person == Person("deepa.ramaiah@accolitedigital.com", "Deepa Ramaiah")
    workable = event(
        summary="Call for Graduate Developer job at AND Digital",
        description="<p>Hi Steve</p><p>Imran will be your interviewer.</p><p>Thanks</p><p>Soph</p>",
        organizer=Person("c4f1bveuwemv-@events.workablemail.com", "AND Digital"),
        attendees=[
            Attendee("steve.freeland@gmail.com", "Steve Freeland"),
            Attendee("imalik@and.digital", "Imran Malik"),
            Attendee("sturnbull@and.digital", "Sophie Turnbull"),
        ],
    )
    person, why = recipient(workable, OWNER)
    assert person is not None and person.email == "sturnbull@and.digital" and "employer" in why
    assert company(workable, OWNER).value == "AND Digital"


@pytest.mark.parametrize(
    "name, description, expected",
    [
        ("Rohit4", "Contact Person: Rohit Verma", "Rohit"),
        ("suresh_k", "", None),
        ("CEO", "", None),
        ("Talent Dept", "", None),
        ("hawky", "", None),
        ("Skilled", "", None),
        ("ITFAQ", "", None),
        ("Mumbai Campus", "", None),
        ("Recruitment Page (WizagKenya.com)", "", None),
        ("PHAM Minh Tuan", "", "Tuan"),
        ("Lan Vu Thi", "", "Lan"),
        ("JOHN SMITH", "", "John"),
        ("Müller, Katrin", "", "Katrin"),
    ],
)
def test_only_a_persons_name_is_greeted(name, description, expected):
    from callfirst.facts import greeting_name

    assert greeting_name(Person("x@acme.com", name), event(description=description)) == expected


@pytest.mark.parametrize(
    "name, expected",
    [
        ("PRIYA", "Priya"),  # a known given name in capitals, written as a name
        ("priya", "Priya"),
        ("PHAM", None),  # a family name alone
        ("Pham Duc", None),  # a family name first, and no given name known after it
        ("hawky ai", None),  # an account's name in small letters
        ("Talent", None),
        ("Riddhi Parmar", "Riddhi"),  # not in the list, but written as a person writes a full name
        ("DUONG NHAT TECH", None),
    ],
)
def test_a_greeting_names_a_known_given_name_or_a_name_written_as_a_persons(name, expected):
    from callfirst.facts import greeting_name

    assert greeting_name(Person("x@acme.com", name), event()) == expected


def test_a_personal_free_mailbox_that_starts_with_a_given_name_names_its_person():
    from callfirst.facts import greeting_name

    assert greeting_name(Person("faithwanjirun93@gmail.com")) == "Faith"
    assert greeting_name(Person("erklabsindia@gmail.com")) is None
    assert greeting_name(Person("faithwanjirun93@acme.com")) is None  # a company's mailbox may be anyone's


def test_a_given_family_address_names_its_person_and_a_mailbox_does_not():
    from callfirst.facts import greeting_name

    assert greeting_name(Person("daniela.quintero@oktana.com")) == "Daniela"
    assert greeting_name(Person("talent.team@oktana.com")) is None
    assert greeting_name(Person("consulting@atdrive.com")) is None


@pytest.mark.parametrize(
    "summary, organizer, expected",
    [
        ("Interview at PSQUARE COMPANY", Person("hr@psquarecompany.com"), "Psquare Company"),
        ("QUBIQON - Interview", Person("hr@qubiqon.io"), "Qubiqon"),
        ("[INTERVIEW] Frontend", Person("ana@leadup.digital"), "Leadup"),
        ("Interview", Person("tomasz@global.komatsu"), "Komatsu"),
        ("Entrevista Leandro - WebMotors", Person("juliana@hands7.com.br"), "WebMotors"),
    ],
)
def test_company_names_are_written_as_names_and_never_a_hosts(summary, organizer, expected):
    assert company(event(summary=summary, organizer=organizer), OWNER).value == expected


def test_an_agencys_recruiter_names_the_company_the_interview_is_at():
    agency = event(
        summary="Phone Interview - Credera & Vik",
        description="You're set to speak with Robert Hayes at Credera on Tuesday.\nCheers,\nRachel with SpringbokIT",
        organizer=Person("rachel.whitman@springbokit.com", "Rachel Whitman"),
    )
    found = company(agency, OWNER)
    assert found.value == "Credera" and "springbokit" in found.source


@pytest.mark.parametrize(
    "summary, description, expected",
    [
        ("Full-stack Developer - first chat", "", "Full-stack Developer"),
        ("Interview", "This is an interview for our virtual assistant position", "virtual assistant"),
        (
            "VIZIO Initial Call",
            "Position you're being considered for: Senior Software Engineer",
            "Senior Software Engineer",
        ),
        ("Interview - Front-End (Thị Thanh Hương Trần)", "", "Front-End"),
        ("Ứng tuyển vị trí Fullstack Developer Internship - Bảo", "", "Fullstack Developer Internship"),
        ("זימון לראיון בחברת רימון לתפקיד חיבור ראשוני  מועמד: יהונתן", "", "חיבור ראשוני"),
        ("Interview", "the interview for the job position ReactJS Fresher.", "ReactJS Fresher"),
    ],
)
def test_roles_as_titles_and_texts_in_other_shapes_name_them(summary, description, expected):
    assert role(event(summary=summary, description=description), OWNER).value == expected


def test_a_booking_pages_host_and_event_name_are_the_company():
    calendly = "Event Name: India Today Interview\n\nNeed to make changes to this event?\nPowered by Calendly.com"
    found = company(event(summary="Aman Mishra and VKJ Aajtak", description=calendly), OWNER)
    assert found.value == "India Today"
    hosted = company(
        event(
            summary="Ankit Verma and Scorora", description="Event Name: Technical Interview\nPowered by Calendly.com"
        ),
        OWNER,
    )
    assert hosted.value == "Scorora"


def test_a_booking_pages_name_is_the_company_and_a_systems_codes_are_not_the_role():
    page = event(summary="Marcos | Cultura | Back-end", description="Booking page: Nave.rs\nBooking reference: DXAJ")
    assert company(page, OWNER).value == "Nave.rs"
    stated = event(description="Scheduled interview, candidate for Recruitment Care Professional Form_EastHerts_T007")
    assert role(stated, OWNER).value == "Care Professional"


@pytest.mark.parametrize(
    "text",
    [
        "Je vous confirme l'entretien pour le poste de Data Analyst chez Seine Analytics.",
        "Le confirmamos la entrevista para el puesto de Data Analyst con Seine Analytics.",
        "Confirmamos a entrevista para a vaga de Data Analyst com a Seine Analytics.",
    ],
)
def test_a_role_stated_in_another_language_stops_before_the_company(text):
    assert role(event(summary="Entretien", description=text), OWNER).value == "Data Analyst"


@pytest.mark.parametrize("fast", [True, False])
def test_the_organizers_sent_by_is_read_and_written_to_when_the_organizer_is_a_relay(fast):
    """A scheduling product's relay as ORGANIZER, the recruiter in SENT-BY: both readers keep SENT-BY, and
    the email goes to the recruiter."""
    from callfirst.ical.prefilter import Selector
    from callfirst.ical.read import read_calendar_data
    from callfirst.model import Window

    data = ics(
        "DTSTART:20261208T150000Z",
        "DTEND:20261208T160000Z",
        "SUMMARY:Interview - Java developer",
        'ORGANIZER;CN=Deepa Ramaiah;SENT-BY="mailto:deepa.ramaiah@accolitedigital.com":'
        "mailto:calendar-5f1c2d9e-8b7a-4c3d-9e8f-0a1b2c3d4e5f@inbound.turbohire.co",
    )
    now = datetime.fromisoformat(NOW)
    found = read_calendar_data(
        data, "x.ics", Selector(Window(now, now + timedelta(days=30)), lambda _t: True), ZoneInfo("UTC"), fast=fast
    )
    (read,) = found.events
    assert read.organizer is not None and read.organizer.sent_by == "deepa.ramaiah@accolitedigital.com"
    to, _ = recipient(read, OWNER)
    assert to is not None and to.email == "deepa.ramaiah@accolitedigital.com"


@pytest.mark.parametrize(
    "summary, expected",
    [
        # a hyphen between two capitalised words joins them; a job in parentheses is the role
        ("Interview-KMNR  Priya Raman (Front-End Developer)", "Front-End Developer"),
        ("Jobboard Interview (Web Developer)", "Web Developer"),
        (
            "Walk-in | Direct Walk-Interviews on 3rd May for Fresher To 1 Year Experience (Software Trainee)",
            "Software Trainee",
        ),
        # 'for the position X' in the languages of the drafts
        ("OGGETTO: Richiesta colloquio conoscitivo per posizione  Fullstack Web Developer", "Fullstack Web Developer"),
        ("Colloquio per la posizione di Data Analyst", "Data Analyst"),
        ("Gesprek voor de functie van Data Analyst", "Data Analyst"),
        ("Entrevista para el cargo de Data Analyst", "Data Analyst"),
        # a field alone, in capitals ('FE' for front-end), is the job's field
        ("Meeting Vòng cuối Hoàng Văn Nam FE", "FE"),
    ],
)
def test_a_role_in_parentheses_after_a_phrase_or_as_a_field_is_taken_whole(summary, expected):
    people = [Attendee("hoangvannam88@gmail.com"), Attendee("priya.raman@gmail.com", "Priya Raman")]
    found = role(
        event(summary=summary, organizer=Person("ana.lima@acme-soft.com", "Ana Lima"), attendees=people), OWNER
    )
    assert found.value == expected


@pytest.mark.parametrize(
    "summary",
    [
        "Acme - Backend Test",
        "Java coding session with Acme",
        "Java Training with Acme",
        # a framework alone is a skill, not a job title
        "Entrevista flutter",
        "Intro-call / Angular / Denis",
    ],
)
def test_the_subject_of_a_test_or_a_session_or_a_skill_alone_is_not_the_role(summary):
    assert role(event(summary=summary, organizer=Person("ana.lima@acme.com", "Ana Lima")), OWNER).value is None


def test_a_hyphenated_name_in_a_title_is_never_cut_into_a_company():
    found = company(
        event(
            summary="Staj-Up & Valentura Yazılım Stajı Ön Tanışma Görüşmeleri w/ Mariam Saleh",
            organizer=Person("stajups@gmail.com"),
            attendees=[Attendee("mariamsaleh05@gmail.com")],
        ),
        OWNER,
    )
    assert found.value != "Staj"


@pytest.mark.parametrize(
    "summary, organizer, expected",
    [
        (
            "SurveySparrow Invitation : SurveySparrow - SI S4 - Backend Test",
            Person("support@evalgator.com", "SurveySparrow"),
            "SurveySparrow",
        ),
        ("UST-Technical Assessment", Person("noreply@wecreateproblems.com", "ust"), "UST"),
    ],
)
def test_an_assessment_platform_is_not_the_employer_the_name_it_sends_as_is(summary, organizer, expected):
    test = event(
        summary=summary, description="You are invited to attend the assessment on the platform.", organizer=organizer
    )
    assert company(test, OWNER).value == expected
    to, why = recipient(test, OWNER)
    assert to is None and organizer.email in why


def test_a_sender_name_the_title_does_not_repeat_is_not_taken_for_the_employer():
    test = event(summary="Backend Test", organizer=Person("support@evalgator.com", "SurveySparrow"))
    assert company(test, OWNER).value is None


def test_a_person_at_the_employer_is_written_to_rather_than_a_shared_mailbox():
    invite = event(
        summary="ATLP Cohort 25 Interview <> Steve Freeland",
        organizer=Person("kigali.apply@andela.com"),
        attendees=[
            Attendee("steve.freeland@gmail.com"),
            Attendee("kevin.otieno@andela.com"),
            Attendee("jobs@andela.com"),
        ],
    )
    to, why = recipient(invite, OWNER)
    assert to is not None and to.email == "kevin.otieno@andela.com" and "shared mailbox" in why
    alone = event(organizer=Person("careers@acme.com"), attendees=[Attendee("steve.freeland@gmail.com")])
    assert recipient(alone, OWNER)[0] == Person("careers@acme.com")
    person = event(
        organizer=Person("maria.lopez@acme.com", "Maria Lopez"), attendees=[Attendee("kevin.otieno@acme.com")]
    )
    assert recipient(person, OWNER)[0] == Person("maria.lopez@acme.com", "Maria Lopez")


def test_a_free_mail_account_named_after_the_company_and_spelled_by_the_title_names_it():
    at = datetime.fromisoformat(NOW)

    def event(summary: str, organizer: str) -> Event:
        return Event(uid="x", summary=summary, start=at, end=at, timezone="UTC", organizer=Person(organizer, organizer))

    assert company(event("Incube Interview", "incube017@gmail.com"), Profile()).value == "Incube"
    assert company(event("Priya Interview", "priya2001@gmail.com"), Profile()).value is None, "a person's name"
    assert company(event("Interview", "incube017@gmail.com"), Profile()).value is None, "the title must spell it"


def test_an_offset_written_beside_the_time_names_no_zone_that_many_regions_keep_then():
    """'GMT -08:00' in winter is Los Angeles as much as Pitcairn: the offset alone names neither; the IANA
    name written beside the start does."""
    at = datetime.fromisoformat("2026-01-26T20:00:00+00:00")
    offset_only = replace(event(description="We talk on January 26 at 12:00 PM (GMT -08:00)."), start=at, end=at)
    assert their_zone(offset_only, OWNER).value is None
    named = replace(
        event(description="We talk on January 26 at 12:00 PM America/Los_Angeles (GMT -08:00)."), start=at, end=at
    )
    zone = their_zone(named, OWNER)
    assert zone.value == "America/Los_Angeles" and zone.guessed and "12:00 PM America/Los_Angeles" in zone.source
    elsewhere = replace(event(description="Sent at 09:00 AM Europe/Paris."), start=at, end=at)
    assert their_zone(elsewhere, OWNER).value is None  # a zone beside another time than the start


def test_the_organizers_own_attendee_line_names_a_person_not_the_company():
    """An organizer with no name on its line, named on its attendee line ('Daniel Moore'), is a person: never
    the company ('Call with Daniel Moore'), and the one greeted."""
    invite = event(
        summary="Call with Daniel Moore",
        description="Looking forward to chatting with you.\nThanks,\nDaniel Moore",
        organizer=Person("moored@acmecorp.com"),
        attendees=[
            Attendee("steve.freeland@gmail.com", "Steve Freeland"),
            Attendee("moored@acmecorp.com", "Daniel Moore"),
        ],
    )
    assert company(invite, OWNER).value != "Daniel Moore"
    to, _ = recipient(invite, OWNER)
    assert to == Person("moored@acmecorp.com", "Daniel Moore")
    assert greeting_name(to, invite) == "Daniel"


def test_a_domain_that_adds_a_word_to_the_name_is_spelled_as_the_text_spells_the_name():
    """'aurusit.com' signed 'Aurus Group of Companies' is Aurus; 'rattanindia.com' spelled 'RattanIndia' in the
    text is RattanIndia, not 'Rattan'; a name known only from 'techsurgeinc.com' is guessed without its 'inc'."""
    aurus = event(
        description="Regards,<br>Pooja<br><b>Aurus Group of Companies, India</b>", organizer=Person("pooja@aurusit.com")
    )
    assert company(aurus, OWNER).value == "Aurus"
    rattan = event(description="RattanIndia is not liable for errors.", organizer=Person("vikram@rattanIndia.com"))
    assert company(rattan, OWNER).value == "RattanIndia"
    guessed = company(event(organizer=Person("ana@techsurgeinc.com")), OWNER)
    assert guessed.value == "Techsurge" and guessed.guessed


def test_the_hiring_team_the_text_names_is_the_company_not_a_generic_word_in_a_domain():
    """A recruiter at 'suporte.love' (Portuguese for support) writing from the HR team of Leadlovers."""
    invite = event(
        summary="Agendamento: Processo seletivo leadlovers - entrevista!",
        description="<p>Me chamo Fernanda e integro o time de RH da Leadlovers, martech curitibana.</p>",
        attendees=[Attendee("fernanda.souza@suporte.love", "Fernanda"), Attendee("steve.freeland@gmail.com")],
    )
    assert company(invite, OWNER).value == "Leadlovers"
    english = event(
        description="I am with the HR team at Globex, and we'd like to meet.", organizer=Person("a@mail-relay.net")
    )
    assert company(english, OWNER).value == "Globex"


def test_a_shared_mailbox_named_in_the_plural_gives_way_to_the_person_beside_it():
    invite = event(
        organizer=Person("recruitments@aurusit.com", "Recruitments | Aurus"),
        attendees=[Attendee("amit.kulkarni@aurusit.com", "Amit Kulkarni"), Attendee("steve.freeland@gmail.com")],
    )
    to, why = recipient(invite, OWNER)
    assert to == Person("amit.kulkarni@aurusit.com", "Amit Kulkarni") and "shared mailbox" in why


@pytest.mark.parametrize(
    "person, expected",
    [
        (Person("rosa@ravebizz.com", "Rosa Villanueva - HR RaveBizz"), "Rosa"),
        (Person("bookings@encora.com", "Campus Recruitment | Daniela"), "Daniela"),
        (Person("vaishnavi@prograd.org", "vaishnavi@prograd.org"), "Vaishnavi"),
        (Person("linh@sntsolutions.io"), "Linh"),
        (Person("zeynep_nur.demir@daimler.com", "zeynep_nur.demir@daimler.com"), "Zeynep"),
        (Person("careers@acme.com"), None),
        (Person("support@acme.com", "Acme Support | Careers"), None),
        (Person("alex@gmail.com"), None),  # a free mailbox's bare name may be anyone's handle
        (Person("hr@acme.com", "Talent Team - Acme Labs"), None),
    ],
)
def test_the_person_greeted_is_found_in_a_sender_name_shared_with_a_team_or_a_bare_given_name_address(person, expected):
    assert greeting_name(person) == expected


@pytest.mark.parametrize(
    "summary, description, expected",
    [
        ("Final Interview - Content Moderator Advisor", "", "Content Moderator Advisor"),
        (
            "steve.freeland@gmail.com Full Time React JS Front End Developer Interview",
            "",
            "React JS Front End Developer",
        ),
        ("TA Interview I Steve Freeland  I Web Assistant - Auditing I Globex", "", "Web Assistant"),
        (
            "Entrevista",
            "Percebi que você se aplicou à nossa vaga Analista de Suporte I (Remoto) e",
            "Analista de Suporte I",
        ),
    ],
)
def test_a_role_behind_an_address_a_contract_a_capital_i_as_separator_or_a_vacancy_word(summary, description, expected):
    assert role(event(summary=summary, description=description), OWNER).value == expected


def test_an_attendees_organisation_the_text_spells_is_the_company_when_the_organizers_is_not_spelled():
    """A placement organisation (lifechoices.co.za) sends the invitation of an interview the text places at
    Creative Spark, whose person attends."""
    invite = event(
        summary="Interview Session - Steve Freeland",
        description="Topic: Interview Creative Spark - Steve Freeland\nTime: May 8, 2020 03:00 PM",
        organizer=Person("jason@lifechoices.co.za", "Jason Petersen"),
        attendees=[Attendee("pieter.botha@creativespark.co.za", "Pieter Botha"), Attendee("steve.freeland@gmail.com")],
    )
    found = company(invite, OWNER)
    assert found.value == "Creative Spark" and not found.guessed
    alone = event(summary="Interview", organizer=Person("jason@lifechoices.co.za", "Jason Petersen"))
    assert company(alone, OWNER).guessed


def test_an_address_written_right_after_chinese_text_is_read_without_it():
    invite = event(
        description="如有疑问，请联络chinachannel@paloaltonetworks.com。", organizer=Person("noreply@splashthat.com")
    )
    to, _ = recipient(invite, OWNER)
    assert to is not None and to.email == "chinachannel@paloaltonetworks.com"


def _spelled_as_written_before(label: str, text: str) -> str | None:
    """The domain's name as the text writes it, found phrase by phrase (each phrase's letters read anew)."""
    import re

    def letters(value: str) -> str:
        return re.sub(r"[\W_]+", "", value.casefold())

    target = letters(label)
    words = re.findall(r"[\w\[\]&.'-]+", text)
    for exact in (True, False):
        for size in (1, 2, 3, 4):
            for index in range(len(words) - size + 1):
                phrase = " ".join(words[index : index + size]).strip(".'-[]")
                found = letters(phrase)
                same = found == target if exact else found.startswith(target) and len(found) <= len(target) + 4
                if same and not phrase.islower() and "." not in phrase and "/" not in phrase:
                    return phrase
    return None


SPELLING_WORDS = (
    "CMS",
    "Energy",
    "cms",
    "energy.",
    "Acme",
    "Labs",
    "[Acme]",
    "A.C.M.E",
    "O'Neil",
    "-",
    "&",
    "ß",
    "STRASSE",
    "İstanbul",
    "Straße",
    "AcmeLabs2",
    "AcmeCo",
    "CMSEnergyX",
    "Énergie",
    "ΣΑΣ",
    "x_y",
    "__",
    "co.",
    "Inc",
    "'",
    "[",
    "]",
)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(SPELLING_WORDS), max_size=14),
    separators=st.lists(st.sampled_from((" ", "  ", "\n", ", ", "/", " (", ") ")), min_size=14, max_size=14),
    label=st.sampled_from(("cmsenergy", "acme", "acmelabs", "strasse", "istanbul", "oneil", "energie", "σασ", "xy")),
)
def test_a_domain_name_is_found_as_the_text_spells_it_word_by_word(words, separators, label):
    from callfirst.facts import _spelled_as_in_text

    text = "".join(w + s for w, s in zip(words, separators, strict=False))
    event = Event("u", text[:20], datetime(2026, 12, 1, 15), datetime(2026, 12, 1, 16), "UTC", description=text[20:])
    joined = " ".join((event.summary, event.description, event.location, event.context_text))
    assert _spelled_as_in_text(label, event) == _spelled_as_written_before(label, joined)


@pytest.mark.parametrize(
    "summary, expected",
    [
        ("[Noodra] Entretien Lina Haddad", "Noodra"),
        ("[BSS GROUP] Thực tập sinh NodeJS", "BSS Group"),
        ("[INTERVIEW] GABRIEL FRONTEND", None),
        ("[Candidate Invitation] Video Technical Interview of Rahul Varma", None),
        ("[EXTERNAL] Interview", None),
        ("[Lina Haddad] Entretien", None),
    ],
)
def test_a_tag_opening_the_title_names_the_company_unless_it_says_what_the_message_is(summary, expected):
    at = datetime.fromisoformat(NOW)
    event = Event(
        uid="x",
        summary=summary,
        start=at,
        end=at,
        timezone="UTC",
        organizer=Person("karim.amrani@gmail.com", "Karim Amrani"),
        attendees=(Attendee("l.linahaddad@gmail.com", "Lina Haddad"),),
    )
    assert company(event, Profile()).value == expected


@pytest.mark.parametrize("summary", ["React Native Interview", "Interview with Rahul <React Native>"])
def test_a_field_of_two_words_is_named_whole(summary):
    """'React Native' is one field: the email must not say 'the React position'."""
    at = datetime.fromisoformat(NOW)
    event = Event(uid="x", summary=summary, start=at, end=at, timezone="UTC", organizer=Person("hr@acme.example"))
    assert role(event, Profile()).value == "React Native"
