"""init, call, status, and the call log that tells draft and plan which email fits."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from callfirst.calls import Attempt, Step, called_from, next_step
from callfirst.config import NoticePolicy
from callfirst.integrations.state import SCHEMA_VERSION
from callfirst.model import Tier
from callfirst.outcome import Outcome

from .helpers import make_env, run

NOW = "2026-12-01T08:30:00-06:00"  # Tuesday; the interview is Wednesday 10:00 New York
LATER = "2026-12-01T11:30:00-06:00"
NEW_YORK, CHICAGO = ZoneInfo("America/New_York"), ZoneInfo("America/Chicago")


def invite(data: Path) -> Path:
    return data / "google_invitation_multipart_with_attachment.eml"


@pytest.fixture
def bare(tmp_path):
    """A user folder with no config.toml yet."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    return folder


def logged_attempts(home: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(home / "state.sqlite3") as db:
        return db.execute("SELECT outcome, number FROM attempts ORDER BY id").fetchall()


# --- init --------------------------------------------------------------------------------


def test_init_asks_on_a_terminal_and_writes_e164(bare):
    env = make_env(bare, stdin_isatty=True)
    answers = "Sam Lee\nsam@example.org\n030 1234567\n+49 30 1234567\nEurope/Berlin\n07:30-19:00\ny\n"
    code, out, err = run(env, "init", stdin=answers)
    assert code == 0, err
    assert "not a phone number with its country code" in out, "a bad answer is asked again"
    profile = tomllib.loads((bare / "config.toml").read_text())["profile"]
    assert profile == {
        "name": "Sam Lee",
        "email": "sam@example.org",
        "phone": "+49301234567",
        "timezone": "Europe/Berlin",
        "hours": "07:30-19:00",
    }
    assert f"Wrote your profile to {bare / 'config.toml'}" in out
    assert oct((bare / "config.toml").stat().st_mode & 0o777) == "0o600"


def test_init_by_options_asks_nothing_and_defaults_the_zone(bare, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    env = make_env(bare, stdin_isatty=True)
    code, out, err = run(env, "init", "--name", "Sam Lee", "--email", "sam@example.org", "--yes")
    assert code == 0, err
    assert "?" not in out, "no question with --yes"
    profile = tomllib.loads((bare / "config.toml").read_text())["profile"]
    assert profile == {"name": "Sam Lee", "email": "sam@example.org", "timezone": "Asia/Tokyo", "hours": "08:00-20:00"}


def test_init_never_replaces_a_config_without_force_and_keeps_other_sections(home):
    before = (home / "config.toml").read_text()
    code, _, err = run(make_env(home), "init", "--name", "Sam", "--email", "sam@example.org", "--yes")
    assert code == 1 and "--force" in err and len(err.strip().splitlines()) == 1
    assert (home / "config.toml").read_text() == before
    (home / "config.toml").write_text(before + '\n[notice]\nworkday_start = "08:00"\n')
    args = ("init", "--name", "Sam", "--email", "sam@example.org", "--phone", "+1 312 555 0199", "--yes", "--force")
    code, _, err = run(make_env(home), *args)
    assert code == 0, err
    saved = tomllib.loads((home / "config.toml").read_text())
    assert saved["profile"]["name"] == "Sam" and saved["profile"]["phone"] == "+13125550199"
    assert saved["notice"] == {"workday_start": "08:00"}, "the rest of the file stays"


@pytest.mark.parametrize(
    "option, value, words",
    [("--phone", "555-0199", "country code"), ("--timezone", "Mars/Base", "time zone"), ("--hours", "20-8", "08:00")],
)
def test_init_bad_options_are_named(bare, option, value, words):
    code, _, err = run(make_env(bare), "init", "--name", "Sam", "--email", "sam@example.org", option, value, "--yes")
    assert code == 2 and words in err and not (bare / "config.toml").exists()


@pytest.mark.parametrize(
    "zone, hours, saved_zone, saved_hours",
    [
        ("Chicago", "9am-6pm", "America/Chicago", "09:00-18:00"),
        ("são paulo", "9 to 17", "America/Sao_Paulo", "09:00-17:00"),
        ("Ho Chi Minh City", "9-5", "Asia/Ho_Chi_Minh", "09:00-17:00"),
        ("Central Standard Time", "7:30 am – 7 pm", "America/Chicago", "07:30-19:00"),
        ("america/new york", "08:00-20:00", "America/New_York", "08:00-20:00"),
    ],
)
def test_init_takes_a_city_and_hours_as_people_write_them(bare, zone, hours, saved_zone, saved_hours):
    args = ("init", "--name", "Sam", "--email", "sam@example.org", "--timezone", zone, "--hours", hours, "--yes")
    code, _, err = run(make_env(bare), *args)
    assert code == 0, err
    profile = tomllib.loads((bare / "config.toml").read_text())["profile"]
    assert (profile["timezone"], profile["hours"]) == (saved_zone, saved_hours)


def test_init_in_a_script_without_a_name_says_what_is_missing(bare):
    code, _, err = run(make_env(bare), "init", "--email", "sam@example.org")
    assert code == 2 and "--name" in err


def test_config_hours_are_checked(home):
    (home / "config.toml").write_text('[profile]\nname = "Sam"\nhours = "21:00-08:00"\n')
    code, _, err = run(make_env(home), "status")
    assert code == 1 and "profile.hours" in err and "config.toml:3" in err


def test_without_a_profile_plan_says_your_name_and_draft_refuses(bare, data):
    env = make_env(bare)
    code, out, err = run(env, "plan", invite(data), "--now", NOW)
    assert code == 0 and "this is [your name]" in out and "callfirst init" in err
    code, out, err = run(env, "draft", invite(data), "--now", NOW, "--called", "reached")
    assert code == 1 and out == ""
    assert "callfirst init" in err and len(err.strip().splitlines()) == 1


# --- call ---------------------------------------------------------------------------------


def test_call_shows_the_number_the_qr_their_time_and_the_script(env, data):
    code, out, err = run(env, "call", invite(data), "--now", NOW)
    assert code == 0, err
    assert "+1 646-555-0198" in out and "tel:+16465550198" in out
    assert "Their time now: Tuesday, 1 December 2026 at 09:30 EST, America/New_York" in out
    assert '"Hello Priya, this is Alex Morgan.' in out and "need to reschedule" in out
    assert "SHORT (24.5 hours before the interview)" in out
    _, plan, _ = run(env, "plan", invite(data), "--now", NOW)
    assert "SHORT — 24.5 hours" in plan, "the call sheet and the plan give the notice alike"
    assert "--outcome" in out, "off a terminal it says how to record the call"
    assert out.index("tel:") < out.index("\u2584") < out.index("Script:"), "the QR code follows the number"
    code, status, _ = run(env, "status", "--json", "--now", NOW)
    assert code == 0 and json.loads(status)["acted_on"] == [], "nothing is recorded without an outcome"


def test_call_by_option_records_the_attempt_and_says_when_to_try_again(env, home, data):
    code, out, err = run(env, "call", invite(data), "--now", NOW, "--outcome", "no-answer", "--no-qr")
    assert code == 0, err
    assert logged_attempts(home) == [("no-answer", "+16465550198")]
    assert "Recorded: no answer, +16465550198" in out
    # Last try 09:30 their time (morning): next in their afternoon, inside office hours.
    assert "Tuesday, 1 December 2026 at 12:00 EST, America/New_York for them" in out
    assert "Do not leave a voicemail" in out

    code, out, _ = run(env, "call", invite(data), "--now", LATER, "--outcome", "voicemail", "--no-qr")
    assert code == 0 and "2 real attempts" in out and "callfirst draft" in out
    assert "Called before" not in out.split("Recorded")[1]


def test_call_on_a_terminal_asks_what_happened_and_the_agreed_time(home, data):
    env = make_env(home, stdin_isatty=True)
    code, out, err = run(env, "call", invite(data), "--now", NOW, "--no-qr", stdin="reached\n2026-12-07T14:00\n")
    assert code == 0, err
    assert "What happened?" in out and "reached, voicemail, no-answer, wrong-number, not-yet" in out
    assert "New time agreed: Monday, 7 December 2026 at 15:00 EST, America/New_York" in out
    assert "confirmation email" in out
    assert logged_attempts(home) == [("reached", "+16465550198")]

    code, out, _ = run(env, "call", invite(data), "--now", NOW, "--no-qr", stdin="\n")
    assert code == 0 and "Nothing recorded." in out and len(logged_attempts(home)) == 1


def test_concurrent_calls_lose_no_attempt(home, data):
    """Two processes record ten attempts each at the same time: all twenty are in the log."""
    script = (
        "import sys\nfrom callfirst.cli import main\n"
        "for _ in range(10):\n"
        "    code = main(['call', sys.argv[1], '--now', sys.argv[2], '--outcome', 'no-answer', '--no-qr'])\n"
        "    assert code == 0, code\n"
    )
    environ = dict(os.environ, CALLFIRST_HOME=str(home), NO_COLOR="1")
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(invite(data)), NOW],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    errors = [process.communicate(timeout=120)[1] for process in runs]
    assert [process.returncode for process in runs] == [0, 0], errors
    assert len(logged_attempts(home)) == 20
    with sqlite3.connect(home / "state.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM interviews").fetchone()[0] == 1
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION, "migrated once, to the latest"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_log_from_a_newer_callfirst_is_one_line(env, home, data):
    with sqlite3.connect(home / "state.sqlite3") as db:
        db.execute("PRAGMA user_version = 99")
    code, _, err = run(env, "call", invite(data), "--now", NOW, "--outcome", "reached", "--no-qr")
    assert code == 1 and "newer callfirst" in err and "state.sqlite3" in err and "Traceback" not in err


def test_the_qr_code_decodes_to_the_tel_link(env, data, tmp_path):
    """What `call` prints is segno's code for tel:+16465550198, and that code reads back as the link."""
    import segno

    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.skip("zbarimg is not installed (Debian: apt-get install zbar-tools); the QR code is not decoded")
    code, out, _ = run(env, "call", invite(data), "--now", NOW)
    qr = segno.make("tel:+16465550198", error="m")
    printed = [line for line in out.splitlines() if line and set(line) <= set(" \u2580\u2584\u2588")]
    assert printed == _compact_rows(qr), "the printed code is this one, module for module"
    png = tmp_path / "number.png"
    qr.save(png, scale=6)
    done = subprocess.run([zbarimg, "--quiet", "--raw", str(png)], capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "tel:+16465550198"


def _compact_rows(qr) -> list[str]:
    """segno's half-block rows, built here from the matrix: a space is two dark modules."""
    size = len(qr.matrix) + 4
    rows = [[False] * size for _ in range(2)]
    rows += [[False, False, *map(bool, row), False, False] for row in qr.matrix]
    rows += [[False] * size for _ in range(2)]
    rows += [[True] * size] * (len(rows) % 2)  # segno fills an odd last row with dark modules
    blocks = {(True, True): " ", (False, True): "\u2580", (True, False): "\u2584", (False, False): "\u2588"}
    return [
        "".join(blocks[top, bottom] for top, bottom in zip(rows[i], rows[i + 1], strict=True))
        for i in range(0, len(rows) - 1, 2)
    ]


# --- draft and plan read the log -------------------------------------------------------------


def test_draft_picks_the_email_from_the_log(env, data):
    source = invite(data)
    code, out, err = run(env, "draft", source, "--now", NOW)
    assert code == 0 and "call first" in err and "I am writing about our interview" in out

    run(env, "call", source, "--now", NOW, "--outcome", "wrong-number", "--no-qr")
    code, out, err = run(env, "draft", source, "--now", NOW)
    assert "call first" in err, "a wrong number is not a real attempt"

    run(env, "call", source, "--now", NOW, "--outcome", "voicemail", "--no-qr")
    code, out, err = run(env, "draft", source, "--now", NOW)
    assert code == 0 and "call first" not in err
    assert "I tried to reach you by phone" in out

    code, out, _ = run(env, "draft", source, "--now", NOW, "--called", "reached")
    assert "Thank you for taking my call" in out, "--called still overrides the log"

    run(env, "call", source, "--now", LATER, "--outcome", "reached", "--no-qr")
    code, out, err = run(env, "draft", source, "--now", LATER)
    assert "Thank you for taking my call" in out and "call first" not in err


def test_plan_previews_the_email_the_log_calls_for(env, data):
    source = invite(data)
    _, out, _ = run(env, "plan", source, "--now", NOW)
    assert "Thank you for taking my call" in out, "before any call, the plan previews the confirmation"
    run(env, "call", source, "--now", NOW, "--outcome", "no-answer", "--no-qr")
    _, out, _ = run(env, "plan", source, "--now", NOW)
    assert "I tried to reach you by phone" in out


def test_the_log_keeps_interviews_apart_by_source(env, data, tmp_path):
    copy = tmp_path / "copy.eml"
    copy.write_bytes(invite(data).read_bytes())
    run(env, "call", copy, "--now", NOW, "--outcome", "voicemail", "--no-qr")
    code, _, err = run(env, "draft", invite(data), "--now", NOW)
    assert "call first" in err, "the same UID in another file is another interview"


def test_draft_open_opens_the_file_or_link_and_status_shows_it(home, data, tmp_path):
    opened: list[str] = []
    env = make_env(home, opener=lambda target: opened.append(target) or 0)
    out_file = tmp_path / "reply.eml"
    code, out, err = run(env, "draft", invite(data), "--now", NOW, "--called", "reached", "--out", out_file, "--open")
    assert code == 0, err
    assert opened == [str(out_file.resolve())] and out_file.exists()
    code, out, _ = run(env, "draft", invite(data), "--now", NOW, "--called", "reached", "--mailto", "--open")
    assert opened[1] == out.strip() and opened[1].startswith("mailto:priya.raman@")
    code, _, err = run(env, "draft", invite(data), "--now", NOW, "--open")
    assert code == 2 and "--open" in err and len(opened) == 2


# --- status -------------------------------------------------------------------------------------


def test_status_lists_what_was_done_and_what_was_not(env, data, tmp_path):
    code, out, _ = run(env, "status", "--now", NOW)
    assert code == 0 and "Nothing acted on yet" in out
    source = invite(data)
    run(env, "call", source, "--now", NOW, "--outcome", "voicemail", "--no-qr")
    run(env, "call", source, "--now", LATER, "--outcome", "reached", "--agreed", "2026-12-07T14:00", "--no-qr")
    run(env, "draft", source, "--now", LATER, "--out", tmp_path / "reply.eml")
    other = data / "unknown_tzid.ics"
    code, out, err = run(env, "status", other, "--now", LATER, "--json")
    assert code == 0, err
    listed = json.loads(out)
    [acted] = listed["acted_on"]
    assert acted["uid"] == "7kq2v9d0c1b3n5m7p9r1s3t5u7@google.com"
    assert acted["organizer"] == "priya.raman@northwind-analytics.com" and acted["with"] == "Priya Raman"
    assert acted["attempts"]["count"] == 2 and acted["attempts"]["last_outcome"] == "reached"
    assert acted["start"] == "2026-12-02T10:00:00-05:00" and acted["notice"]["tier"] in ("short", "late")
    assert acted["drafts"] == [
        {"at": "2026-12-01T17:30:00+00:00", "kind": "file", "location": str((tmp_path / "reply.eml").resolve())}
    ]
    assert datetime.fromisoformat(acted["agreed"]) == datetime(2026, 12, 7, 14, tzinfo=CHICAGO)
    assert [item["uid"] for item in listed["not_acted_on"]] == ["unknown-zone@example.com"]

    code, out, _ = run(env, "status", "--now", LATER)
    assert code == 0 and "Priya Raman" in out and "reached" in out and "reply.eml" in out


# --- the next step, pure --------------------------------------------------------------------


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


START = _at("2026-12-03T10:00:00-05:00")  # Thursday


def step(attempts, now, tier=Tier.OK, waking=None, start=START):
    return next_step(
        attempts,
        now=_at(now),
        start=start,
        tier=tier,
        their_zone=NEW_YORK,
        policy=NoticePolicy(),
        owner_zone=CHICAGO,
        waking=waking,
    )


def test_after_an_afternoon_try_the_retry_is_the_next_morning_in_their_hours():
    tried = [Attempt(_at("2026-12-01T15:30:00-05:00"), Outcome.NO_ANSWER)]
    found = step(tried, "2026-12-01T15:31:00-05:00")
    assert found.step is Step.RETRY and found.retry_at == _at("2026-12-02T09:00:00-05:00")


def test_the_retry_respects_your_waking_hours():
    tried = [Attempt(_at("2026-12-01T15:30:00-05:00"), Outcome.NO_ANSWER)]
    found = step(tried, "2026-12-01T15:31:00-05:00", waking=(time(9), time(21)))  # Chicago: 10:00 New York
    assert found.retry_at == _at("2026-12-02T10:00:00-05:00")


def test_email_takes_over_after_two_real_attempts_or_at_once_when_urgent():
    one = [Attempt(_at("2026-12-01T09:30:00-05:00"), Outcome.VOICEMAIL)]
    two = [*one, Attempt(_at("2026-12-01T14:00:00-05:00"), Outcome.NO_ANSWER)]
    assert step(two, "2026-12-01T14:01:00-05:00").step is Step.EMAIL
    urgent = step(one, "2026-12-01T09:31:00-05:00", tier=Tier.URGENT)
    assert urgent.step is Step.EMAIL and urgent.voicemail_ok
    assert step([], "2026-12-01T09:31:00-05:00", tier=Tier.URGENT).voicemail_ok
    assert not step([], "2026-12-01T09:31:00-05:00").voicemail_ok


def test_no_time_left_before_the_interview_means_email_now():
    tried = [Attempt(_at("2026-12-02T16:00:00-05:00"), Outcome.NO_ANSWER)]
    found = step(tried, "2026-12-02T16:01:00-05:00", tier=Tier.LATE, start=_at("2026-12-03T09:15:00-05:00"))
    assert found.step is Step.EMAIL and "office hours" in found.why


def test_a_wrong_number_asks_for_the_right_one_and_a_reached_call_is_final():
    wrong = [Attempt(_at("2026-12-01T09:30:00-05:00"), Outcome.WRONG_NUMBER)]
    assert step(wrong, "2026-12-01T09:31:00-05:00").step is Step.FIND_NUMBER
    assert called_from(wrong) is None
    reached = [Attempt(_at("2026-12-01T09:30:00-05:00"), Outcome.REACHED)]
    assert step(reached, "2026-12-01T09:31:00-05:00").step is Step.CONFIRM
    assert called_from([*reached, *wrong]) == "reached"
    assert called_from([Attempt(START - timedelta(days=1), Outcome.VOICEMAIL)]) == "voicemail"


def test_shell_completion_is_offered(home):
    environ = dict(os.environ, CALLFIRST_HOME=str(home), _CALLFIRST_COMPLETE="bash_source")
    done = subprocess.run([sys.executable, "-m", "callfirst"], capture_output=True, text=True, env=environ)
    assert done.returncode == 0 and "_CALLFIRST_COMPLETE=bash_complete" in done.stdout


def test_the_call_script_speaks_their_time_without_zone_names_or_years_and_is_ready_for_why(env, data):
    code, out, err = run(env, "call", invite(data), "--now", NOW, "--outcome", "no-answer", "--no-qr")
    assert code == 0, err
    script = out[out.index("Script:") : out.index("Talk to a live person.")]
    assert "tomorrow at 10 a.m. your time" in script
    assert "America/" not in script and "2026" not in script
    assert 'If they ask why: "A commitment came up' in script


@pytest.mark.parametrize(
    "value, says",
    [
        ("2026-12-07", "is a date without a time of day"),
        ("2027-03-14T02:30", "does not exist in"),
        ("2026-11-30T10:00", "is in the past"),
        ("2026-12-02T09:30", "falls inside the interview itself"),
    ],
)
def test_an_agreed_time_on_a_call_is_checked_as_draft_checks_it(env, data, value, says):
    code, _, err = run(env, "call", invite(data), "--now", NOW, "--outcome", "reached", "--agreed", value, "--no-qr")
    assert code == 1 and f"--agreed {value}" in err and says in err
    assert not (env.places.state).exists() or "reached" not in run(env, "status", "--json")[1], "nothing recorded"


def test_redialling_at_once_is_one_attempt_not_two():
    from datetime import timedelta

    from callfirst.calls import Attempt, real_attempts
    from callfirst.outcome import Outcome

    first = datetime(2026, 12, 1, 9, 0, tzinfo=CHICAGO)
    redial = [Attempt(first, Outcome.NO_ANSWER), Attempt(first + timedelta(minutes=1), Outcome.VOICEMAIL)]
    assert real_attempts(redial) == 1
    assert real_attempts([*redial, Attempt(first + timedelta(hours=2), Outcome.NO_ANSWER)]) == 2


def test_a_time_agreed_on_a_call_that_did_not_reach_them_is_refused_before_anything_is_recorded(env, tmp_path):
    invite = tmp_path / "invite.eml"
    invite.write_bytes((Path(__file__).resolve().parent.parent / "examples" / "invite.eml").read_bytes())
    now = "2026-12-01T08:30:00-06:00"
    code, _, err = run(env, "call", invite, "--now", now, "--outcome", "voicemail", "--agreed", "2026-12-07T14:00")
    assert code == 1 and "only be agreed on a call that reached them" in err
    code, out, _ = run(env, "status", "--json", "--now", now)
    assert code == 0 and '"attempts"' not in out


def test_correcting_their_zone_keeps_the_number_the_invitation_writes_without_a_country_code(env, data):
    """The invitation writes (646) 555-0198 as a US number; a corrected zone elsewhere does not unmake it."""
    code, out, err = run(env, "plan", invite(data), "--now", NOW, "--their-zone", "Asia/Ho_Chi_Minh")
    assert code == 0, err
    assert "Number:  +1 646-555-0198" in out


def test_the_plans_script_speaks_of_days_as_they_are_when_the_call_is_made(env, data):
    """Planned on Monday night for a call on Tuesday morning, a Wednesday interview is 'tomorrow' in the script."""
    code, out, err = run(env, "plan", invite(data), "--now", "2026-11-30T21:00:00-06:00")
    assert code == 0, err
    assert "When:    Tuesday, 1 December 2026 at 08:00" in out
    assert "your interview tomorrow at 10 a.m." in out


def test_times_offered_before_that_have_come_too_close_are_chosen_again(env, data):
    """A time offered on Monday for Tuesday is 'later today' by Tuesday: the times are chosen afresh, never two of
    three."""
    code, _, err = run(env, "plan", invite(data), "--now", "2026-11-30T08:00:00-06:00")
    assert code == 0, err
    code, out, err = run(env, "draft", invite(data), "--now", "2026-12-01T08:00:00-06:00")
    assert code == 0, err
    offered = [line for line in out.splitlines() if line.startswith("  - ")]
    assert len(offered) == 3 and not any("December 1," in line for line in offered), offered
