"""Gmail drafts: never duplicated, never another event's, and a thread only when it holds the invitation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import callfirst.integrations.google as google_module

from .google_fake import FakeGoogle
from .helpers import make_env, run
from .test_google import CALENDAR, COMPOSE, INTERVIEW, MODIFY, NOW, write_token

DRAFTS = "/gmail/v1/users/me/drafts"
UID = "shared-uid@example.com"


def pause(seconds: float) -> None:
    """A real wait, also while time.sleep is recorded."""
    threading.Event().wait(seconds)


@pytest.fixture
def env(home, google):
    write_token(home, google, scopes=(CALENDAR, COMPOSE, MODIFY))
    return make_env(home, google_api_root=google.url)


def ics(folder: Path, name: str, organizer: str, summary: str = "Interview: Alex Morgan for Data Analyst") -> Path:
    path = folder / name
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{UID}\r\nDTSTART;TZID=America/New_York:20261202T100000\r\n"
        "DTEND;TZID=America/New_York:20261202T110000\r\n"
        f"SUMMARY:{summary}\r\nORGANIZER;CN=Recruiter:mailto:{organizer}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return path


def draft_gmail(env, source, *extra):
    return run(env, "draft", source, "--now", NOW, "--called", "reached", "--gmail", *extra)


def recipients(google: FakeGoogle) -> list[str]:
    return sorted(str(d["parsed"]["To"]) for d in google.drafts.values())


# --- 6. a reused UID ---------------------------------------------------------------------------


def test_a_reused_uid_with_another_organizer_gets_its_own_draft(env, google, tmp_path):
    first = ics(tmp_path, "first.ics", "priya@northwind.example")
    second = ics(tmp_path, "second.ics", "sam@contoso.example")
    assert draft_gmail(env, first)[0] == 0
    code, out, err = draft_gmail(env, second)
    assert code == 0 and "created" in out, err
    assert recipients(google) == ["Recruiter <priya@northwind.example>", "Recruiter <sam@contoso.example>"]
    code, out, _ = draft_gmail(env, first)
    assert "updated" in out and len(google.drafts) == 2


# --- 5. duplicates -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.usefixtures("env")
def test_two_draft_commands_at_once_make_one_draft(home, google):
    google.events["primary"] = [INTERVIEW]
    google.fail("POST", DRAFTS, "slow", 3.0)  # the first create is slow: the second command arrives meanwhile
    environ = dict(os.environ, CALLFIRST_HOME=str(home), CALLFIRST_GOOGLE_API_ROOT=google.url, NO_COLOR="1")
    command = [sys.executable, "-m", "callfirst", "draft", "google", "--now", NOW, "--called", "reached", "--gmail"]
    runs = [
        subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in runs]
    assert [process.returncode for process in runs] == [0, 0], outputs
    assert len(google.drafts) == 1
    assert sorted("updated" in out for out, _ in outputs) == [False, True]


@pytest.mark.usefixtures("sleeps")
def test_a_create_whose_connection_drops_twice_is_sent_once(env, google):
    google.events["primary"] = [INTERVIEW]
    google.fail("POST", DRAFTS, "lost", times=2)
    code, out, err = draft_gmail(env, "google")
    assert code == 0, err
    assert len(google.calls("POST", DRAFTS)) == 1, "the transport does not send a create again"
    assert len(google.drafts) == 1 and "created" in out


@pytest.mark.slow
def test_a_create_slower_than_the_timeout_is_found_not_repeated(env, google, monkeypatch):
    monkeypatch.setattr(google_module, "TIMEOUT", 0.5)
    google.events["primary"] = [INTERVIEW]
    google.fail("POST", DRAFTS, "slow", 2.5)
    code, out, err = draft_gmail(env, "google")
    time.sleep(max(0.0, 3.0 - 0.5))  # until the slow create has surely landed
    assert len(google.drafts) == 1
    assert len(google.calls("POST", DRAFTS)) == 1
    assert code == 0, err


def test_a_create_that_never_answers_is_left_for_the_next_run(env, google, monkeypatch, sleeps):
    monkeypatch.setattr(google_module, "TIMEOUT", 0.3)
    google.events["primary"] = [INTERVIEW]
    google.fail("POST", DRAFTS, "slow", 1.0)
    code, _, err = draft_gmail(env, "google")
    assert code == 1 and "Run the same command again" in err and "Traceback" not in err
    assert sleeps == [1, 2, 4], "it looked for the draft a while before giving up"
    pause(1.0)
    code, out, err = draft_gmail(env, "google")
    assert code == 0 and "updated" in out, err
    assert len(google.drafts) == 1 and len(google.calls("POST", DRAFTS)) == 1


def test_a_truncated_drafts_file_is_kept_aside_with_a_warning(env, google, home):
    google.events["primary"] = [INTERVIEW]
    damaged = '{"version": 1, "drafts": {"ev-interview|": {"message_id": "<a@b>", "dra'
    (home / "gmail-drafts.json").write_text(damaged)
    code, out, err = draft_gmail(env, "google")
    assert code == 0 and "created" in out
    [aside] = home.glob("gmail-drafts.json.corrupt-*")
    assert aside.read_text() == damaged and not (home / "gmail-drafts.json").exists()
    assert "damaged" in err and aside.name in err


def test_the_old_drafts_file_is_moved_into_the_store_once(env, google, home):
    google.events["primary"] = [INTERVIEW]
    assert draft_gmail(env, "google")[0] == 0
    [draft_id] = google.drafts
    message_id = google.drafts[draft_id]["message_id"]
    (home / "state.sqlite3").unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(home / "state.sqlite3") + suffix).unlink(missing_ok=True)
    entry = {"message_id": message_id, "draft_id": draft_id}
    (home / "gmail-drafts.json").write_text(json.dumps({"version": 1, "drafts": {"ev-interview|": entry}}))
    code, out, err = draft_gmail(env, "google")
    assert code == 0 and "updated" in out, err
    assert len(google.drafts) == 1 and (home / "gmail-drafts.json.migrated").exists()
    assert not (home / "gmail-drafts.json").exists()


def test_an_old_entry_for_another_organizer_is_not_taken_over(env, google, home, tmp_path):
    first = ics(tmp_path, "first.ics", "priya@northwind.example")
    assert draft_gmail(env, first)[0] == 0
    [draft_id] = google.drafts
    (home / "state.sqlite3").unlink()
    entry = {"message_id": google.drafts[draft_id]["message_id"], "draft_id": draft_id}
    (home / "gmail-drafts.json").write_text(json.dumps({"version": 1, "drafts": {f"{UID}|": entry}}))
    code, out, _ = draft_gmail(env, ics(tmp_path, "second.ics", "sam@contoso.example"))
    assert code == 0 and "created" in out
    assert recipients(google) == ["Recruiter <priya@northwind.example>", "Recruiter <sam@contoso.example>"]


# --- 2. thread search ------------------------------------------------------------------------


UNRELATED = {
    "id": "msg-salary",
    "threadId": "thread-salary",
    "from": "hr@elsewhere.example",
    "headers": {"Message-ID": "<salary@elsewhere.example>", "Subject": "Salary offer for Alex Morgan Data Analyst"},
    "body": "Interview Alex Morgan for Data Analyst: our offer.",
}


def test_organizer_text_cannot_widen_the_thread_search(env, google, tmp_path):
    google.messages.append(UNRELATED)
    hostile = ics(tmp_path, "hostile.ics", "priya@northwind.example OR subject:(salary OR offer)")
    code, out, err = draft_gmail(env, hostile, "--thread")
    assert code == 0, err
    queries = [r.query["q"][0] for r in google.calls("GET", "/gmail/v1/users/me/messages") if "q" in r.query]
    assert not any("OR" in q or "subject:" in q for q in queries), queries
    [stored] = google.drafts.values()
    assert stored["threadId"] == "t-new" and stored["parsed"]["References"] is None
    assert "not found in Gmail" in err


def test_a_thread_is_used_only_when_it_holds_the_invitation(env, google, tmp_path):
    source = ics(tmp_path, "invite.ics", "priya@northwind.example")
    other_invitation = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:another@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    google.messages.append(
        {
            "id": "msg-other",
            "threadId": "thread-other",
            "from": "priya@northwind.example",
            "headers": {
                "Message-ID": "<other@northwind.example>",
                "Subject": "Interview: Alex Morgan for Data Analyst",
            },
            "ics": other_invitation,
        }
    )
    code, _, err = draft_gmail(env, source, "--thread")
    assert code == 0, err
    assert [d["threadId"] for d in google.drafts.values()] == ["t-new"], "same words, another event: not its thread"
    assert google.calls("GET", "/gmail/v1/users/me/messages/msg-other"), "the candidate was looked at"

    google.messages.append(
        {
            "id": "msg-invite",
            "threadId": "thread-invite",
            "from": "priya@northwind.example",
            "headers": {
                "Message-ID": "<invite@northwind.example>",
                "Subject": "Invitation: Interview: Alex Morgan for Data Analyst @ Wed Dec 2",
            },
            "ics": other_invitation.replace("another@example.com", UID),
        }
    )
    code, out, err = draft_gmail(env, source, "--thread")
    assert code == 0 and "updated" in out, err
    [stored] = google.drafts.values()
    assert stored["threadId"] == "thread-invite"
    assert stored["parsed"]["In-Reply-To"] == "<invite@northwind.example>"
