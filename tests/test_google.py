"""Google Calendar and Gmail through the real google-api-python-client, against a fake Google on loopback."""

from __future__ import annotations

import email
import email.policy
import json
import os
import stat
import subprocess
import sys
import threading
import urllib.request
import webbrowser
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from .google_fake import FakeGoogle
from .helpers import make_env, run, run_json

NOW = "2026-12-01T08:30:00-06:00"
CALENDAR = "https://www.googleapis.com/auth/calendar.readonly"
COMPOSE = "https://www.googleapis.com/auth/gmail.compose"
MODIFY = "https://www.googleapis.com/auth/gmail.modify"


@pytest.fixture
def env(home, google):
    """The command line's environment, with Google at the fake server."""
    return make_env(home, google_api_root=google.url)


def write_token(home: Path, google: FakeGoogle, scopes=(CALENDAR, COMPOSE), expired=False) -> Path:
    expiry = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=-1 if expired else 1)
    path = home / "google-token.json"
    path.write_text(
        json.dumps(
            {
                "token": "access-1",
                "refresh_token": "refresh-1",
                "token_uri": google.url + "token",
                "client_id": "client-1.apps.googleusercontent.com",
                "client_secret": "secret-1",
                "scopes": list(scopes),
                "expiry": expiry.isoformat() + "Z",
                "account": google.account,
            }
        )
    )
    path.chmod(0o600)
    return path


@pytest.fixture
def signed_in(home, google):
    return write_token(home, google)


def timed(event_id, summary, start, end, zone="America/New_York", **extra):
    return {
        "id": event_id,
        "status": "confirmed",
        "summary": summary,
        "start": {"dateTime": start, "timeZone": zone},
        "end": {"dateTime": end, "timeZone": zone},
        **extra,
    }


ORGANIZER = {"email": "priya.raman@northwind-analytics.com", "displayName": "Priya Raman"}
INTERVIEW = timed(
    "ev-interview",
    "Interview: Alex Morgan for Senior Data Analyst",
    "2026-12-02T10:00:00-05:00",
    "2026-12-02T11:00:00-05:00",
    organizer=ORGANIZER,
    description="Hiring manager interview.<br>Questions? Call me at (646) 555-0198.<br>Priya",
)
OTHERS = [
    timed("ev-standup", "Team standup", "2026-12-01T10:00:00-05:00", "2026-12-01T10:15:00-05:00"),
    timed(
        "ev-declined",
        "Phone screen with Contoso",
        "2026-12-03T10:00:00-05:00",
        "2026-12-03T10:30:00-05:00",
        attendees=[{"email": "alex@personal.example", "self": True, "responseStatus": "declined"}],
    ),
    {
        "id": "ev-allday",
        "status": "confirmed",
        "summary": "Offsite",
        "start": {"date": "2026-12-04"},
        "end": {"date": "2026-12-05"},
    },
    timed("ev-lunch", "Lunch", "2026-12-02T12:00:00-05:00", "2026-12-02T13:00:00-05:00"),
    {
        **timed("ev-cancelled", "Interview with Fabrikam", "2026-12-03T14:00:00-05:00", "2026-12-03T15:00:00-05:00"),
        "status": "cancelled",
    },
]


@pytest.mark.usefixtures("signed_in")
def test_scan_google_pages_through_events_and_finds_the_interview(google, env):
    google.events["primary"] = [OTHERS[0], INTERVIEW, *OTHERS[1:]]
    code, listed, err = run_json(env, "scan", "google", "--now", NOW)
    assert code == 0, err
    assert [item["uid"] for item in listed] == ["ev-interview"], "declined and ordinary events are not listed"
    item = listed[0]
    assert item["start"] == "2026-12-02T10:00:00-05:00" and item["timezone"] == "America/New_York"
    assert item["phones"] == ["+16465550198"]
    assert item["notice"]["tier"] == "short" and item["source"] == "google:primary"
    pages = google.calls("GET", "/calendar/v3/calendars/primary/events")
    assert len(pages) == 3, "six events, two a page"
    query = pages[0].query
    assert query["singleEvents"] == ["true"] and query["orderBy"] == ["startTime"]
    assert query["timeMin"][0].startswith("2026-12-01T08:30:00") and query["timeMax"][0].startswith("2027-03-01")
    assert "items(id" in query["fields"][0] and sorted(query["eventTypes"]) == ["default", "fromGmail"]
    assert pages[1].query["pageToken"] == ["2"] and pages[2].query["pageToken"] == ["4"]
    assert all(r.authorization == "Bearer access-1" for r in pages)


@pytest.mark.usefixtures("signed_in")
def test_scan_all_shows_why_declined_and_reads_all_day_in_your_zone(google, env):
    google.events["team@group.calendar.google.com"] = [INTERVIEW, *OTHERS]
    code, listed, _ = run_json(env, "scan", "google:team@group.calendar.google.com", "--now", NOW, "--all")
    assert code == 0
    by_id = {item["uid"]: item for item in listed}
    assert by_id["ev-declined"]["not_actionable_because"] == "you declined it"
    assert by_id["ev-cancelled"]["not_actionable_because"] == "cancelled"
    assert by_id["ev-allday"]["all_day"] and by_id["ev-allday"]["start"].startswith("2026-12-04T00:00:00-06:00")


@pytest.mark.usefixtures("signed_in")
def test_plan_reads_the_google_event_and_calls_first(google, env):
    google.events["primary"] = [INTERVIEW, *OTHERS]
    code, out, err = run(env, "plan", "google", "--event", "ev-interview", "--now", NOW)
    assert code == 0, err
    assert out.index("NOTICE: SHORT") < out.index("1. CALL FIRST") < out.index("2. THEN THE EMAIL")
    assert "+1 646-555-0198" in out and "Priya" in out


@pytest.mark.usefixtures("google", "signed_in")
def test_an_unknown_calendar_is_one_line_naming_it(env):
    code, out, err = run(env, "scan", "google:nope", "--now", NOW)
    assert code == 1 and "Traceback" not in err
    assert "nope" in err and "404" in err and len(err.strip().splitlines()) == 1


@pytest.mark.usefixtures("google")
def test_not_signed_in_says_what_to_run(env):
    code, _, err = run(env, "scan", "google", "--now", NOW)
    assert code == 1 and "callfirst auth google" in err


def test_an_expired_token_is_refreshed_and_saved_privately(home, google, env):
    path = write_token(home, google, expired=True)
    google.events["primary"] = [INTERVIEW]
    code, _, err = run(env, "scan", "google", "--now", NOW)
    assert code == 0, err
    assert google.calls("POST", "/token")
    assert google.calls("GET", "/calendar/v3/")[0].authorization == "Bearer access-refreshed"
    saved = json.loads(path.read_text())
    assert saved["token"] == "access-refreshed" and saved["refresh_token"] == "refresh-1"
    assert saved["scopes"] == [CALENDAR, COMPOSE] and saved["account"] == google.account
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "access-refreshed" not in err


def test_a_revoked_or_testing_app_token_says_sign_in_again(home, google, env):
    write_token(home, google, expired=True)
    google.refresh_fails = True
    code, out, err = run(env, "scan", "google", "--now", NOW)
    assert code == 1 and "Traceback" not in err
    assert "invalid_grant" in err and "7 days" in err and "callfirst auth google" in err


@pytest.mark.parametrize(
    "status, reason",
    [(429, "rateLimitExceeded"), (503, "backendError"), (403, "userRateLimitExceeded"), (500, "backendError")],
)
@pytest.mark.usefixtures("signed_in")
def test_rate_limits_and_server_errors_are_retried_with_backoff(google, sleeps, env, status, reason):
    google.events["primary"] = [INTERVIEW]
    google.fail("GET", "/calendar/v3/calendars/primary/events", status, reason, times=2)
    code, listed, err = run_json(env, "scan", "google", "--now", NOW)
    assert code == 0, err
    assert [item["uid"] for item in listed] == ["ev-interview"]
    assert len(google.calls("GET", "/calendar/v3/calendars/primary/events")) == 3
    assert len(sleeps) == 2 and sleeps[1] <= 4


@pytest.mark.usefixtures("signed_in", "sleeps")
def test_retries_are_bounded(google, env):
    google.events["primary"] = [INTERVIEW]
    google.fail("GET", "/calendar/v3/", 503, times=10)
    code, _, err = run(env, "scan", "google", "--now", NOW)
    assert code == 1 and "busy" in err and "Traceback" not in err
    assert len(google.calls("GET", "/calendar/v3/")) == 4, "one try and three retries"


@pytest.mark.usefixtures("signed_in")
def test_missing_permission_asks_to_sign_in_again(google, env):
    google.fail("GET", "/calendar/v3/", 403, "insufficientPermissions")
    code, _, err = run(env, "scan", "google", "--now", NOW)
    assert code == 1 and "run `callfirst auth google` again" in err
    assert len(google.calls("GET", "/calendar/v3/")) == 1, "not a rate limit: no retry"


def test_a_token_without_the_calendar_scope_is_refused_before_any_request(home, google, env):
    write_token(home, google, scopes=(COMPOSE,))
    code, _, err = run(env, "scan", "google", "--now", NOW)
    assert code == 1 and "read your calendars" in err and not google.requests


@pytest.mark.usefixtures("google", "signed_in", "sleeps")
def test_offline_is_a_clear_message(home):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = make_env(home, google_api_root=f"http://127.0.0.1:{port}/")
    code, _, err = run(env, "scan", "google", "--now", NOW)
    assert code == 1 and "cannot reach Google" in err and "connection" in err and "Traceback" not in err


# --- Gmail drafts --------------------------------------------------------------------------


def drafted(google: FakeGoogle):
    return [d["parsed"] for d in google.drafts.values()]


@pytest.mark.usefixtures("signed_in")
def test_draft_gmail_creates_then_updates_the_same_draft(google, env):
    google.events["primary"] = [INTERVIEW]
    args = ("draft", "google", "--now", NOW, "--called", "reached", "--gmail")
    code, out, err = run(env, *args, "--propose", "2026-12-07T14:00")
    assert code == 0, err
    assert (
        "Gmail draft created (nothing was sent): https://mail.google.com/mail/u/alex.morgan@example.com/#drafts?compose=m"
        in out
    )
    [message] = drafted(google)
    assert message.get_all("To") == ["Priya Raman <priya.raman@northwind-analytics.com>"]
    assert len(message.get_all("Subject")) == 1 and message["X-Unsent"] is None
    assert message["Cc"] is None and message["Bcc"] is None
    assert "December 7" in message.get_body().get_content()

    code, out, err = run(env, *args, "--propose", "2026-12-08T10:00")
    assert code == 0 and "Gmail draft updated" in out
    [message] = drafted(google)
    assert "December 8" in message.get_body().get_content() and "December 7" not in message.get_body().get_content()
    assert len(google.calls("PUT", "/gmail/v1/users/me/drafts/")) == 1

    code, out, _ = run(env, *args, "--new")
    assert code == 0 and "created" in out and len(google.drafts) == 2
    assert not [r for r in google.requests if r.path.endswith("/send")], "nothing is ever sent"


@pytest.mark.usefixtures("signed_in")
def test_a_draft_deleted_in_gmail_is_created_again(google, env):
    google.events["primary"] = [INTERVIEW]
    args = ("draft", "google", "--now", NOW, "--called", "voicemail", "--gmail")
    assert run(env, *args)[0] == 0
    google.drafts.clear()
    code, out, _ = run(env, *args)
    assert code == 0 and "created" in out and len(google.drafts) == 1


@pytest.mark.usefixtures("signed_in", "sleeps")
def test_a_lost_create_answer_does_not_duplicate_the_draft(google, env):
    google.events["primary"] = [INTERVIEW]
    google.fail("POST", "/gmail/v1/users/me/drafts", "lost")
    code, out, err = run(env, "draft", "google", "--now", NOW, "--called", "reached", "--gmail")
    assert code == 0, err
    assert len(google.drafts) == 1, "one draft, however often the create was sent"
    code, out, _ = run(env, "draft", "google", "--now", NOW, "--called", "reached", "--gmail")
    assert "updated" in out and len(google.drafts) == 1


@pytest.mark.usefixtures("signed_in", "sleeps")
def test_a_failed_create_is_retried_once_the_draft_is_known_absent(google, env):
    google.events["primary"] = [INTERVIEW]
    google.fail("POST", "/gmail/v1/users/me/drafts", 503)
    code, out, err = run(env, "draft", "google", "--now", NOW, "--called", "reached", "--gmail")
    assert code == 0, err
    assert len(google.calls("POST", "/gmail/v1/users/me/drafts")) == 2 and len(google.drafts) == 1
    assert google.calls("GET", "/gmail/v1/users/me/drafts"), "looked before trying again"


@pytest.mark.usefixtures("signed_in")
def test_an_invitation_eml_is_answered_in_its_thread(google, data, env):
    invite = data / "google_invitation_multipart_with_attachment.eml"
    code, out, err = run(env, "draft", invite, "--now", NOW, "--called", "reached", "--gmail")
    assert code == 0, err
    [message] = drafted(google)
    assert message["In-Reply-To"] == "<0000000000001a2b3c4d5e6f@google.com>"
    assert message["References"] == "<0000000000001a2b3c4d5e6f@google.com>"
    assert message["Subject"].startswith("Re: Invitation: Interview: Alex Morgan for Senior Data Analyst")


def test_thread_lookup_sets_the_thread_id_and_needs_the_modify_scope(home, google, data, env):
    invite = data / "google_invitation_multipart_with_attachment.eml"
    write_token(home, google)
    code, _, err = run(env, "draft", invite, "--now", NOW, "--called", "reached", "--gmail", "--thread")
    assert code == 1 and "auth google --thread" in err and not google.drafts
    write_token(home, google, scopes=(CALENDAR, COMPOSE, MODIFY))
    google.messages.append(
        {
            "id": "msg-7",
            "threadId": "thread-7",
            "from": ORGANIZER["email"],
            "headers": {
                "Message-ID": "<0000000000001a2b3c4d5e6f@google.com>",
                "Subject": "Invitation: Interview @ Wed Dec 2",
                "References": "<earlier@google.com>",
            },
        }
    )
    code, out, err = run(env, "draft", invite, "--now", NOW, "--called", "reached", "--gmail", "--thread")
    assert code == 0, err
    [stored] = google.drafts.values()
    assert stored["threadId"] == "thread-7"
    message = stored["parsed"]
    assert message["Subject"] == "Re: Invitation: Interview @ Wed Dec 2"
    assert message["References"] == "<earlier@google.com> <0000000000001a2b3c4d5e6f@google.com>"


def test_no_code_path_sends_mail():
    package = Path(__file__).parents[1] / "callfirst"
    for source in package.rglob("*.py"):
        text = source.read_text()
        assert ".send(" not in text and "send_message" not in text, source


# --- slots with a Google source ----------------------------------------------------------


@pytest.mark.usefixtures("signed_in")
def test_slots_for_a_google_source_use_freebusy(google, env):
    google.events["primary"] = [INTERVIEW]
    # Out-of-office all of Wednesday to Friday: events.list leaves it out, freeBusy has it.
    google.busy["primary"] = [{"start": "2026-12-02T00:00:00Z", "end": "2026-12-05T00:00:00Z"}]
    code, out, err = run(env, "slots", "google", "--now", NOW, "--count", "4", "--json")
    assert code == 0, err
    starts = [datetime.fromisoformat(s["start"]) for s in json.loads(out)["slots"]]
    assert len(starts) == 4
    assert not any(datetime(2026, 12, 2, tzinfo=UTC) <= s < datetime(2026, 12, 5, tzinfo=UTC) for s in starts)
    assert google.calls("POST", "/calendar/v3/freeBusy")


# --- signing in ----------------------------------------------------------------------------


def client_file(tmp_path: Path, google: FakeGoogle) -> Path:
    path = tmp_path / "client_secret.json"
    path.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": "client-1.apps.googleusercontent.com",
                    "client_secret": "secret-1",
                    "auth_uri": google.url + "auth",
                    "token_uri": google.url + "token",
                    "redirect_uris": ["http://localhost"],
                }
            }
        )
    )
    return path


class FakeBrowser:
    """Plays the user: approves at once by following the redirect with a code."""

    def __init__(self):
        self.opened: list[str] = []

    def open(self, url, *_args, **_kwargs):
        self.opened.append(url)
        threading.Thread(target=approve, args=(url,), daemon=True).start()
        return True


def approve(url: str, code: str = "good-code") -> None:
    query = parse_qs(urlsplit(url).query)
    redirect = query["redirect_uri"][0]
    answer = urlencode({"code": code, "state": query["state"][0], "scope": query["scope"][0]})
    urllib.request.urlopen(f"{redirect}?{answer}", timeout=10).read()


def test_auth_google_flow_saves_a_private_token_then_status_and_revoke(home, google, tmp_path, env, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake token endpoint is plain http on loopback
    browser = FakeBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda *_args, **_kwargs: browser)
    os.chmod(home, 0o755)
    code, out, err = run(env, "auth", "google", "--client-secret", client_file(tmp_path, google))
    assert code == 0, err
    assert "Signed in as alex.morgan@example.com" in out
    scope = parse_qs(urlsplit(browser.opened[0]).query)["scope"][0].split()
    assert scope == [CALENDAR, COMPOSE], "minimal scopes; gmail.modify only with --thread"
    token = home / "google-token.json"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600 and stat.S_IMODE(home.stat().st_mode) == 0o700
    saved = json.loads(token.read_text())
    assert saved["refresh_token"] == "refresh-1" and saved["account"] == google.account
    assert "refresh-1" not in out + err and "access-1" not in out + err

    code, out, _ = run(env, "auth", "status")
    assert code == 0 and "alex.morgan@example.com" in out and "read your calendars" in out
    assert "refresh-1" not in out and "access-1" not in out

    code, out, _ = run(env, "auth", "revoke")
    assert code == 0 and not token.exists()
    assert parse_qs(google.calls("POST", "/revoke")[0].body.decode())["token"] == ["refresh-1"]
    code, _, err = run(env, "auth", "status")
    assert code == 1 and "callfirst auth google" in err


def test_auth_google_thread_asks_for_gmail_modify_and_warns_about_unticked_boxes(
    home, google, tmp_path, env, monkeypatch
):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    browser = FakeBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda *_args, **_kwargs: browser)
    google.granted_scope = CALENDAR  # the user left the Gmail boxes unticked
    code, out, err = run(env, "auth", "google", "--thread", "--client-secret", client_file(tmp_path, google))
    assert code == 0, err
    assert MODIFY in parse_qs(urlsplit(browser.opened[0]).query)["scope"][0]
    assert "did not grant permission to create Gmail drafts" in err
    assert json.loads((home / "google-token.json").read_text())["scopes"] == [CALENDAR]


def test_auth_google_no_browser_prints_the_address_and_the_ssh_hint(home, google, tmp_path):
    env = dict(
        os.environ,
        CALLFIRST_HOME=str(home),
        CALLFIRST_GOOGLE_API_ROOT=google.url,
        OAUTHLIB_INSECURE_TRANSPORT="1",
        PYTHONUNBUFFERED="1",
        BROWSER="false",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "callfirst",
            "auth",
            "google",
            "--no-browser",
            "--client-secret",
            str(client_file(tmp_path, google)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    printed = []
    while True:
        line = process.stdout.readline()
        assert line, "the address was never printed"
        printed.append(line)
        if line.startswith(google.url + "auth?"):
            url = line.strip()
            break
    hint = "".join(printed)
    approve(url)
    out = process.stdout.read()
    err = process.stderr.read()
    process.wait(timeout=30)
    assert process.returncode == 0, err
    assert "Signed in as alex.morgan@example.com" in out
    port = parse_qs(urlsplit(url).query)["redirect_uri"][0].rsplit(":", 1)[1].strip("/")
    assert f"ssh -L {port}:localhost:{port}" in hint + out


def test_a_bad_client_file_is_named(tmp_path, env):
    bad = tmp_path / "client.json"
    bad.write_text('{"web": 1}')
    code, _, err = run(env, "auth", "google", "--client-secret", bad)
    assert code == 1 and "client.json" in err and "Traceback" not in err
    code, _, err = run(env, "auth", "google")
    assert code == 1 and "--client-secret" in err


# --- the API-root override never reaches the saved token -------------------------------------


def test_a_refresh_under_the_api_root_override_saves_googles_token_endpoint(home, google, env):
    path = write_token(home, google, expired=True)
    google.events["primary"] = [INTERVIEW]
    code, _, err = run(env, "scan", "google", "--now", NOW)
    assert code == 0, err
    assert google.calls("POST", "/token"), "the refresh went to the override while it is set"
    saved = json.loads(path.read_text())
    assert saved["token"] == "access-refreshed"
    assert saved["token_uri"] == "https://oauth2.googleapis.com/token"
    assert google.url not in path.read_text()


def test_a_saved_token_naming_another_endpoint_is_refused_without_the_override(home, google):
    write_token(home, google, expired=True)  # token_uri: the fake server, as an old refresh saved it
    env = make_env(home)  # no override now
    code, out, err = run(env, "scan", "google", "--now", NOW)
    assert code == 1 and out == ""
    assert "not Google's" in err and "callfirst auth google" in err and "Traceback" not in err
    assert not google.calls("POST", "/token"), "the refresh token and client secret were not sent"


# --- paging that does not end ------------------------------------------------------------------


@pytest.mark.usefixtures("signed_in")
def test_a_page_token_loop_is_reported_as_a_cut_listing(google, env):
    google.events["primary"] = [INTERVIEW]
    google.next_page = {"": "A", "A": "B", "B": "A"}
    code, listed, err = run_json(env, "scan", "google", "--now", NOW)
    assert code == 1, "an incomplete listing is an error"
    assert [item["uid"] for item in listed] == ["ev-interview"], "what was read is still shown"
    assert "google:primary: the listing was cut" in err and "repeated a page token" in err
    assert len(google.calls("GET", "/calendar/v3/calendars/primary/events")) == 3


@pytest.mark.usefixtures("signed_in")
def test_more_pages_than_the_limit_is_reported_as_a_cut_listing(google, env, monkeypatch):
    from callfirst.integrations import gcal

    monkeypatch.setattr(gcal, "MAX_PAGES", 2)
    google.page_size = 1
    google.events["primary"] = [INTERVIEW, *OTHERS]
    code, _, err = run_json(env, "scan", "google", "--now", NOW, "--all")
    assert code == 1
    assert "the listing was cut after 2 pages" in err
    assert len(google.calls("GET", "/calendar/v3/calendars/primary/events")) == 2


# --- one source failing never hides another ----------------------------------------------------


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.usefixtures("signed_in", "sleeps")
def test_scan_shows_the_file_when_google_is_unreachable(home, data):
    env = make_env(home, google_api_root=f"http://127.0.0.1:{closed_port()}/")
    invite = data / "google_invitation_multipart_with_attachment.eml"
    code, listed, err = run_json(env, "scan", invite, "google", "--now", NOW)
    assert code == 1
    assert [item["uid"] for item in listed] == ["7kq2v9d0c1b3n5m7p9r1s3t5u7@google.com"]
    assert "google:primary: cannot reach Google" in err and len(err.strip().splitlines()) == 1


@pytest.mark.usefixtures("signed_in")
def test_wrongly_typed_google_fields_are_read_as_absent_or_skip_one_event(google, env):
    odd = {
        **INTERVIEW,
        "organizer": {"email": ["priya@northwind.example"], "displayName": {"first": "Priya"}},
        "attendees": "everyone",
        "sequence": "seven",
        "location": 12,
    }
    unreadable = {**timed("ev-bad-start", "Interview with Fabrikam", "x", "y"), "start": {"dateTime": 20261202}}
    google.events["primary"] = [odd, unreadable, ["not", "an", "event"]]
    code, listed, err = run_json(env, "scan", "google", "--now", NOW)
    assert code == 0, err
    assert [item["uid"] for item in listed] == ["ev-interview"]
    assert listed[0]["organizer"] is None, "an address that is not a string is no address"
    assert "event ev-bad-start skipped" in err and "Traceback" not in err and "internal error" not in err


# --- one line, never "internal error" -----------------------------------------------------------


@pytest.mark.usefixtures("signed_in")
def test_ics_with_a_newline_in_the_organizer_uses_the_sanitised_organizer(google, env, tmp_path):
    organizer = {"email": "priya@northwind.example\nBcc: eve@evil.example", "displayName": "Priya\r\nX-EVIL:1"}
    google.events["primary"] = [{**INTERVIEW, "organizer": organizer}]
    out = tmp_path / "counter.eml"
    args = ("draft", "google", "--now", NOW, "--called", "reached", "--ics", "--propose", "2026-12-07T14:00")
    code, _, err = run(env, *args, "--out", out)
    assert code == 0, err
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    counter = next(part for part in message.walk() if part.get_content_type() == "text/calendar").get_content()
    organizer_lines = [line for line in counter.splitlines() if line.startswith("ORGANIZER")]
    assert organizer_lines == ['ORGANIZER;CN="Priya X-EVIL:1":mailto:priya@northwind.example']
    assert "eve@evil.example" not in out.read_text() and "\nX-EVIL" not in counter
    assert message["To"].addresses[0].addr_spec == "priya@northwind.example"


@pytest.mark.parametrize("saved", ["garbage", "[1, 2]", '{"scopes": 5}', b"\xff\xfe"])
def test_auth_revoke_deletes_a_token_that_cannot_be_read(home, google, env, saved):
    path = home / "google-token.json"
    path.write_bytes(saved if isinstance(saved, bytes) else saved.encode())
    code, out, err = run(env, "auth", "revoke")
    assert code == 0 and not path.exists()
    assert f"Deleted {path}." in out
    assert "could not be read, so Google was not asked" in err and len(err.splitlines()) == 1
    assert not google.calls("POST", "/revoke"), "nothing readable to send"


def test_auth_status_reads_scopes_saved_as_one_string(home, google, env):
    path = write_token(home, google)
    saved = json.loads(path.read_text())
    path.write_text(json.dumps({**saved, "scopes": f"{CALENDAR} {COMPOSE}", "account": ["not", "text"]}))
    code, out, err = run(env, "auth", "status")
    assert code == 0, err
    allowed = [line for line in out.splitlines() if line.startswith("allowed:")]
    assert allowed == [
        f"allowed: read your calendars  ({CALENDAR})",
        f"allowed: create Gmail drafts  ({COMPOSE})",
    ]
    assert "account: (unknown)" in out
    google.events["primary"] = [INTERVIEW]
    code, _, err = run(env, "scan", "google", "--now", NOW)
    assert code == 0, "the string's scopes count as granted"
