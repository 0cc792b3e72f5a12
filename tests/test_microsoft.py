"""Microsoft Graph through httpx and MSAL's own code, against a fake Microsoft on 127.0.0.1 (graph_fake.py)."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from callfirst.config import MicrosoftSettings
from callfirst.errors import MicrosoftAuthError, MicrosoftError
from callfirst.integrations import microsoft, outlook
from callfirst.integrations.gmail import Invitation
from callfirst.integrations.home import Places
from callfirst.integrations.state import InterviewFacts, InterviewKey, open_store
from callfirst.model import Window

from .graph_fake import CLIENT_ID, FakeMicrosoft, event, invitation
from .raw_servers import closed_port, listening

CHICAGO = ZoneInfo("America/Chicago")
WINDOW = Window(datetime(2026, 12, 1, 8, 30, tzinfo=CHICAGO), datetime(2027, 3, 1, 8, 30, tzinfo=CHICAGO))
SETTINGS = MicrosoftSettings(client_id=CLIENT_ID)
ORGANIZER = {"emailAddress": {"name": "Priya Raman", "address": "priya.raman@northwind-analytics.com"}}
INTERVIEW = event(
    "Interview",
    "Interview: Alex Morgan for Senior Data Analyst",
    "2026-12-02T10:00:00-05:00",
    "2026-12-02T11:00:00-05:00",
    organizer=ORGANIZER,
    body={
        "contentType": "html",
        "content": "<p>Hiring manager interview.</p><p>Questions? Call me at (646) 555-0198.<br>Priya</p>",
    },
    location={
        "displayName": "Northwind HQ",
        "address": {
            "street": "1 Main St",
            "city": "Albany",
            "state": "NY",
            "postalCode": "12207",
            "countryOrRegion": "United States",
        },
    },
    attendees=[
        {
            "type": "required",
            "status": {"response": "accepted"},
            "emailAddress": {"name": "Alex Morgan", "address": "alex.morgan@contoso.example"},
        },
        {
            "type": "required",
            "status": {"response": "none"},
            "emailAddress": {"name": "Sam Lee", "address": "sam.lee@northwind-analytics.com"},
        },
    ],
    responseStatus={"response": "accepted"},
    isOnlineMeeting=True,
    onlineMeeting={
        "joinUrl": "https://teams.microsoft.com/l/meetup-join/19%3ameeting",
        "conferenceId": "123456789",
        "tollNumber": "+1 323-555-0100",
    },
)
OTHERS = [
    event(
        "Standup",
        "Team standup",
        "2026-12-01T10:00:00-05:00",
        "2026-12-01T10:15:00-05:00",
        zone="Pacific Standard Time",
    ),
    event(
        "Declined",
        "Phone screen with Contoso",
        "2026-12-03T10:00:00-05:00",
        "2026-12-03T10:30:00-05:00",
        responseStatus={"response": "declined"},
    ),
    {
        **event("Offsite", "Offsite", "2026-12-04T00:00:00+00:00", "2026-12-05T00:00:00+00:00"),
        "isAllDay": True,
        "showAs": "oof",
    },
    {
        **event("Cancelled", "Interview with Fabrikam", "2026-12-03T14:00:00-05:00", "2026-12-03T15:00:00-05:00"),
        "isCancelled": True,
    },
    event(
        "Custom",
        "Lunch",
        "2026-12-02T12:00:00-05:00",
        "2026-12-02T13:00:00-05:00",
        zone="tzone://Microsoft/Custom",
        showAs="free",
    ),
]


@pytest.fixture
def fake():
    server = FakeMicrosoft().start()
    yield server
    server.stop()


@pytest.fixture
def places(tmp_path, fake):
    return Places(home=tmp_path / "home", microsoft_api_root=fake.url, microsoft_login_root=fake.url)


@pytest.fixture
def signed_in(places, sleeps, fake):
    microsoft.sign_in(SETTINGS, places, lambda _text: None)
    fake.requests.clear()
    sleeps.clear()
    return places


# --- signing in ---------------------------------------------------------------------------------


def test_the_device_code_flow_runs_msal_against_the_login_endpoint_and_saves_a_private_cache(places, fake, sleeps):
    shown = []
    signed = microsoft.sign_in(SETTINGS, places, shown.append)
    assert signed.account == "alex.morgan@contoso.example" and signed.missing == ()
    assert "https://microsoft.com/devicelogin" in shown[0] and "FAKE-CODE" in shown[0]
    devicecode = fake.calls("POST", "/common/oauth2/v2.0/devicecode")[0]
    scopes = json.dumps(devicecode.body.decode())
    assert "Calendars.Read" in scopes and "Mail.ReadWrite" in scopes and "offline_access" in scopes
    assert "Mail.Send" not in scopes and "Calendars.ReadWrite" not in scopes
    assert len(fake.calls("POST", "/common/oauth2/v2.0/token")) == 2, "pending once, then the tokens"
    assert sleeps, "MSAL waited between polls"
    cache = places.microsoft_token
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600 and stat.S_IMODE(cache.parent.stat().st_mode) == 0o700
    text = cache.read_text()
    assert "refresh-1" in text and "127.0.0.1" not in text, "the login override is never saved"
    assert "login.microsoftonline.com" in text


@pytest.mark.usefixtures("fake")
def test_a_refused_app_is_one_line(places):
    with pytest.raises(MicrosoftAuthError) as caught:
        microsoft.sign_in(MicrosoftSettings(client_id="11111111-2222-3333-4444-555555555555"), places, print)
    assert "unauthorized_client" in str(caught.value) and "\n" not in str(caught.value)
    assert not places.microsoft_token.exists()


def test_no_client_id_says_how_to_get_one(places):
    with pytest.raises(MicrosoftAuthError, match=r"set \[microsoft\] client_id"):
        microsoft.sign_in(MicrosoftSettings(), places, print)


@pytest.mark.usefixtures("sleeps")
def test_an_expiring_token_is_refreshed_through_msal_and_saved(places, fake):
    fake.expires_in = 60  # MSAL renews a token that expires within five minutes
    microsoft.sign_in(SETTINGS, places, lambda _text: None)
    fake.events["default"] = [INTERVIEW]
    microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, places)
    assert fake.calls("POST", "/common/oauth2/v2.0/token")[-1].body.decode().count("grant_type=refresh_token") == 1
    assert fake.calls("GET", "/v1.0/me/calendarView")[0].authorization == "Bearer access-refreshed"
    assert "access-refreshed" in places.microsoft_token.read_text()


@pytest.mark.usefixtures("sleeps")
def test_a_revoked_refresh_token_says_sign_in_again(places, fake):
    fake.expires_in = 60
    microsoft.sign_in(SETTINGS, places, lambda _text: None)
    fake.refresh_fails = True
    with pytest.raises(MicrosoftAuthError) as caught:
        microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, places)
    assert "invalid_grant" in str(caught.value) and "callfirst auth microsoft" in str(caught.value)
    assert not fake.calls("GET", "/v1.0/")


def test_not_signed_in_says_what_to_run(places, fake):
    with pytest.raises(MicrosoftAuthError, match="run `callfirst auth microsoft` first"):
        microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, places)
    assert not fake.requests


def test_a_damaged_cache_is_named(places):
    places.home.mkdir()
    places.microsoft_token.write_text("[1, 2")
    with pytest.raises(MicrosoftAuthError) as caught:
        microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, places)
    assert str(caught.value).startswith(str(places.microsoft_token))


def test_the_access_token_variable_is_used_as_is_and_never_written(places, fake, monkeypatch):
    monkeypatch.setenv("CALLFIRST_MICROSOFT_ACCESS_TOKEN", "token-from-the-environment")
    fake.events["default"] = [INTERVIEW]
    read = microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, MicrosoftSettings(), places)
    assert [e.summary for e in read.events] == [INTERVIEW["subject"]]
    assert {r.authorization for r in fake.requests} == {"Bearer token-from-the-environment"}
    assert not places.home.exists(), "nothing is written"


def test_revoke_forgets_the_sign_in(signed_in):
    assert microsoft.revoke(signed_in) is True and not signed_in.microsoft_token.exists()
    assert microsoft.revoke(signed_in) is False


# --- the calendar -------------------------------------------------------------------------------


def test_calendar_view_is_read_page_by_page_and_converted_like_a_file(signed_in, fake):
    fake.events["default"] = [OTHERS[0], INTERVIEW, *OTHERS[1:]]
    read = microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, signed_in)
    assert read.errors == () and read.warnings == ()
    pages = fake.calls("GET", "/v1.0/me/calendarView")
    assert len(pages) == 3, "six events, two a page, through @odata.nextLink"
    first = pages[0].query
    assert first["startDateTime"] == ["2026-12-01T14:30:00Z"] and first["endDateTime"] == ["2027-03-01T14:30:00Z"]
    assert "originalStartTimeZone" in first["$select"][0] and 'outlook.body-content-type="text"' in pages[0].prefer
    assert all(r.authorization == "Bearer access-1" for r in pages)
    by_subject = {e.summary: e for e in read.events}
    interview = by_subject[INTERVIEW["subject"]]
    assert interview.timezone == "America/New_York" and interview.zone_source == "tzid"
    assert (
        interview.start == datetime(2026, 12, 2, 15, tzinfo=UTC)
        and interview.start.utcoffset().total_seconds() == -5 * 3600
    )
    assert interview.uid == INTERVIEW["iCalUId"] and interview.source == "microsoft"
    assert (
        interview.organizer.email == "priya.raman@northwind-analytics.com" and interview.organizer.name == "Priya Raman"
    )
    assert "Questions? Call me at (646) 555-0198." in interview.description and "<p>" not in interview.description
    assert "Dial-in: +1 323-555-0100 (conference ID 123456789)" in interview.description
    assert interview.location == "Northwind HQ, 1 Main St, Albany, NY 12207, United States"
    [me] = [a for a in interview.attendees if a.is_self]
    assert me.email == "alex.morgan@contoso.example" and me.partstat == "ACCEPTED"
    assert by_subject["Team standup"].timezone == "America/Los_Angeles"
    declined = by_subject["Phone screen with Contoso"]
    assert [(a.is_self, a.partstat) for a in declined.attendees] == [(True, "DECLINED")]
    offsite = by_subject["Offsite"]
    assert offsite.all_day and offsite.start == datetime(2026, 12, 4, tzinfo=CHICAGO) and not offsite.transparent
    assert by_subject["Interview with Fabrikam"].status == "CANCELLED"
    lunch = by_subject["Lunch"]
    assert lunch.transparent and lunch.zone_source == "calendar" and lunch.timezone == "America/Chicago"


def test_a_calendar_by_its_name(signed_in, fake):
    fake.calendars["AAMkWork"] = "Bewerbungen"
    fake.events["AAMkWork"] = [INTERVIEW]
    read = microsoft.read_microsoft("microsoft:bewerbungen", WINDOW, CHICAGO, SETTINGS, signed_in)
    assert [e.source for e in read.events] == ["microsoft:bewerbungen"]
    assert fake.calls("GET", "/v1.0/me/calendars/AAMkWork/calendarView")


def test_a_missing_calendar_names_the_ones_there_are(signed_in, fake):
    fake.calendars["AAMkWork"] = "Work"
    with pytest.raises(MicrosoftError) as caught:
        microsoft.read_microsoft("microsoft:Jobs", WINDOW, CHICAGO, SETTINGS, signed_in)
    assert str(caught.value) == "your Microsoft account has no calendar named 'Jobs' (it has: Calendar, Work)"


def test_429_with_retry_after_is_honoured(signed_in, fake, sleeps):
    fake.events["default"] = [INTERVIEW]
    fake.fail("GET", "/v1.0/me/calendarView", 429, Retry_After="7")
    fake.fail("GET", "/v1.0/me/calendarView", 503, Retry_After="2")
    read = microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, signed_in)
    assert [e.summary for e in read.events] == [INTERVIEW["subject"]]
    assert sleeps == [7.0, 2.0]


def test_retries_are_bounded(signed_in, fake, sleeps):
    fake.fail("GET", "/v1.0/me/calendarView", 503, times=10)
    with pytest.raises(MicrosoftError) as caught:
        microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, signed_in)
    assert "busy (HTTP 503)" in str(caught.value) and "3 retries" in str(caught.value)
    assert len(fake.calls("GET", "/v1.0/me/calendarView")) == 4 and sleeps == [2.0, 4.0, 8.0]


def test_a_retry_after_longer_than_the_limit_is_not_waited_for(signed_in, fake, sleeps):
    fake.fail("GET", "/v1.0/me/calendarView", 429, Retry_After="3600")
    with pytest.raises(MicrosoftError, match=r"busy \(HTTP 429\)"):
        microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, signed_in)
    assert sleeps == []


def test_an_answer_that_is_not_json_is_one_line(signed_in, fake):
    fake.fail("GET", "/v1.0/me/calendarView", "garbage")
    with pytest.raises(MicrosoftError, match="something that is not JSON"):
        microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, signed_in)


def test_a_next_page_on_another_server_is_not_followed(signed_in, fake):
    fake.events["default"] = [INTERVIEW, *OTHERS]
    fake.next_link_root = "https://graph.example.net/"
    with pytest.raises(MicrosoftError, match=r"another server \(https://graph.example.net\); not followed"):
        microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, signed_in)
    assert len(fake.calls("GET", "/v1.0/me/calendarView")) == 1


def test_a_next_page_on_graphs_own_host_is_read_through_the_api_root(signed_in, fake):
    fake.events["default"] = [INTERVIEW, *OTHERS]
    fake.next_link_root = "https://graph.microsoft.com/"
    read = microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, signed_in)
    assert len(read.events) == 6 and len(fake.calls("GET", "/v1.0/me/calendarView")) == 3


def test_a_server_that_never_answers_times_out(signed_in, monkeypatch):
    monkeypatch.setattr(microsoft, "TIMEOUT", 0.5)
    monkeypatch.setenv("CALLFIRST_MICROSOFT_ACCESS_TOKEN", "t")
    with listening(None) as port:
        hung = Places(home=signed_in.home, microsoft_api_root=f"http://127.0.0.1:{port}/")
        with pytest.raises(MicrosoftError, match="did not answer in time"):
            microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, hung)


@pytest.mark.usefixtures("sleeps")
def test_a_login_server_that_is_down(tmp_path):
    places = Places(home=tmp_path, microsoft_login_root=f"http://127.0.0.1:{closed_port()}/")
    with pytest.raises(MicrosoftError) as caught:
        microsoft.sign_in(SETTINGS, places, print)
    assert "cannot reach Microsoft's sign-in" in str(caught.value) and "\n" not in str(caught.value)


# --- Outlook drafts -------------------------------------------------------------------------------

KEY = InterviewKey(INTERVIEW["iCalUId"], "priya.raman@northwind-analytics.com", "microsoft")
FACTS = InterviewFacts(
    INTERVIEW["subject"],
    "Priya Raman",
    datetime(2026, 12, 2, 9, tzinfo=CHICAGO),
    datetime(2026, 12, 2, 10, tzinfo=CHICAGO),
    "America/New_York",
)
DRAFT = outlook.OutlookDraft(
    "Rescheduling our interview",
    "Hello Priya,\n\nCould we move it?\n",
    "priya.raman@northwind-analytics.com",
    "Priya Raman",
)
ON_CALENDAR = Invitation(
    uid=INTERVIEW["iCalUId"],
    message_id=None,
    organizer="priya.raman@northwind-analytics.com",
    summary=INTERVIEW["subject"],
)


def save(places, draft=DRAFT, invitation_=ON_CALENDAR, new=False):
    with microsoft.Graph(SETTINGS, places) as graph, open_store(places) as store:
        return outlook.save_draft(graph, store, draft, KEY, FACTS, invitation_, new=new, domain="contoso.example")


def test_a_draft_is_created_in_drafts_then_updated_never_duplicated(signed_in, fake):
    first = save(signed_in)
    assert not first.updated and not first.threaded
    [stored] = fake.drafts()
    assert stored["internetMessageId"] == first.message_id and first.message_id.endswith("@contoso.example>")
    assert stored["body"] == {"contentType": "Text", "content": DRAFT.body}
    assert stored["toRecipients"] == [
        {"emailAddress": {"address": "priya.raman@northwind-analytics.com", "name": "Priya Raman"}}
    ]
    assert first.link.startswith("https://outlook.office365.com/owa/?ItemID=")
    second = save(signed_in, outlook.OutlookDraft(DRAFT.subject, "Second version\n", DRAFT.to_address, DRAFT.to_name))
    assert second.updated and second.draft_id == first.draft_id
    [stored] = fake.drafts()
    assert stored["body"]["content"] == "Second version\n"
    assert (
        len(fake.calls("PATCH", "/v1.0/me/messages/")) == 1
        and len(fake.calls("POST", "/v1.0/me/mailFolders/drafts/messages")) == 1
    )
    third = save(signed_in, new=True)
    assert not third.updated and len(fake.drafts()) == 2
    assert not [r for r in fake.requests if r.path.endswith("/send")], "nothing is ever sent"


def test_the_invitation_in_the_mailbox_is_answered_with_create_reply(signed_in, fake):
    fake.messages["AAMkOther"] = invitation(
        "AAMkOther", "<other@northwind>", ORGANIZER["emailAddress"]["address"], "Lunch?", None
    )
    fake.messages["AAMkInvite"] = invitation(
        "AAMkInvite",
        "<invite@northwind>",
        ORGANIZER["emailAddress"]["address"],
        INTERVIEW["subject"],
        {"id": "e1", "iCalUId": INTERVIEW["iCalUId"]},
    )
    saved = save(signed_in)
    assert saved.threaded
    [reply] = fake.calls("POST", "/v1.0/me/messages/AAMkInvite/createReply")
    assert json.loads(reply.body)["message"]["internetMessageId"] == saved.message_id
    [stored] = fake.drafts()
    assert stored["conversationId"] == "conversation-AAMkInvite" and stored["subject"] == DRAFT.subject
    filters = [r.query["$filter"][0] for r in fake.calls("GET", "/v1.0/me/messages") if "$filter" in r.query]
    assert filters == ["from/emailAddress/address eq 'priya.raman@northwind-analytics.com'"]


def test_an_invitation_found_by_its_message_id(signed_in, fake):
    fake.messages["AAMkInvite"] = invitation(
        "AAMkInvite", "<it's@northwind>", "someone@else.example", "Invitation", None
    )
    saved = save(signed_in, invitation_=Invitation("uid-from-eml", "<it's@northwind>", None, "Interview"))
    assert saved.threaded
    [query] = [r.query["$filter"][0] for r in fake.calls("GET", "/v1.0/me/messages") if "$filter" in r.query]
    assert query == "internetMessageId eq '<it''s@northwind>'", "the quote is doubled, not left to end the literal"


def test_a_draft_deleted_in_outlook_is_created_again(signed_in, fake):
    save(signed_in)
    fake.messages.clear()
    saved = save(signed_in)
    assert not saved.updated and len(fake.drafts()) == 1


@pytest.mark.usefixtures("sleeps")
def test_a_lost_create_answer_does_not_duplicate_the_draft(signed_in, fake):
    fake.fail("POST", "/v1.0/me/mailFolders/drafts/messages", "lost")
    first = save(signed_in)
    assert len(fake.drafts()) == 1 and len(fake.calls("POST", "/v1.0/me/mailFolders/drafts/messages")) == 1
    second = save(signed_in)
    assert second.updated and second.draft_id == first.draft_id and len(fake.drafts()) == 1


@pytest.mark.usefixtures("sleeps")
def test_a_lost_create_reply_answer_does_not_duplicate_the_draft(signed_in, fake):
    fake.messages["AAMkInvite"] = invitation(
        "AAMkInvite",
        "<invite@northwind>",
        ORGANIZER["emailAddress"]["address"],
        "x",
        {"id": "e1", "iCalUId": INTERVIEW["iCalUId"]},
    )
    fake.fail("POST", "/v1.0/me/messages/AAMkInvite/createReply", "lost")
    save(signed_in)
    assert len(fake.drafts()) == 1 and len(fake.calls("POST", "/v1.0/me/messages/AAMkInvite/createReply")) == 1


def test_a_create_that_never_answers_is_left_for_the_next_run(signed_in, fake, sleeps, monkeypatch):
    monkeypatch.setattr(microsoft, "TIMEOUT", 0.3)
    fake.fail("POST", "/v1.0/me/mailFolders/drafts/messages", "slow", seconds=1.0)
    with pytest.raises(MicrosoftError) as caught:
        save(signed_in)
    assert "Run the same command again" in str(caught.value)
    assert sleeps == [1, 2, 4], "it looked for the draft a while before giving up"
    import threading

    threading.Event().wait(1.0)
    saved = save(signed_in)
    assert saved.updated and len(fake.drafts()) == 1
    assert len(fake.calls("POST", "/v1.0/me/mailFolders/drafts/messages")) == 1


def test_a_busy_create_is_retried_after_looking_and_as_retry_after_asks(signed_in, fake, sleeps):
    fake.fail("POST", "/v1.0/me/mailFolders/drafts/messages", 429, Retry_After="5")
    save(signed_in)
    assert sleeps == [5.0] and len(fake.drafts()) == 1
    assert len(fake.calls("POST", "/v1.0/me/mailFolders/drafts/messages")) == 2
    assert fake.calls("GET", "/v1.0/me/mailFolders/drafts/messages"), "looked before trying again"


def test_the_draft_fields_come_from_the_built_message():
    from callfirst.drafts.message import build_message
    from callfirst.model import Person

    built = build_message(
        sender=Person("alex@contoso.example"),
        to=Person("priya@northwind.example\r\nBcc: eve@evil.example", "Priya\r\nX-Evil: 1"),
        subject="Re: Interview\r\nBcc: eve@evil.example",
        body="Hello\n",
        date=datetime(2026, 12, 1, tzinfo=UTC),
        calendar=(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "COUNTER"),
    )
    draft = outlook.from_message(built)
    assert draft.to_address == "priya@northwind.example" and "\n" not in draft.to_name and "\n" not in draft.subject
    assert draft.body == "Hello\n" and draft.calendar_part


def test_a_redirect_is_followed_only_on_the_same_server(signed_in, fake):
    fake.events["default"] = [INTERVIEW]
    fake.fail(
        "GET",
        "/v1.0/me/calendarView",
        302,
        Location=f"{fake.url}v1.0/me/calendarView?startDateTime=2026-12-01T14:30:00Z&endDateTime=2027-03-01T14:30:00Z",
    )
    read = microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, signed_in)
    assert [e.summary for e in read.events] == [INTERVIEW["subject"]]
    fake.fail("GET", "/v1.0/me/calendarView", 302, Location="https://attacker.example/v1.0/me/calendarView")
    with pytest.raises(
        MicrosoftError, match=r"redirected .* to another server \(https://attacker.example\); not followed"
    ):
        microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, signed_in)


# --- the command line ------------------------------------------------------------------------------

NOW = "2026-12-01T08:30:00-06:00"
TEXT_BODY = "Hiring manager interview.\nQuestions? Call me at (646) 555-0198.\nPriya"
CLI_INTERVIEW = {**INTERVIEW, "body": {"contentType": "text", "content": TEXT_BODY}, "isOnlineMeeting": False}
CLI_INTERVIEW.pop("onlineMeeting")
ESCAPED_BODY = TEXT_BODY.replace("\n", "\\n")
SAME_AS_A_FILE = f"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:{INTERVIEW["iCalUId"]}\r
DTSTART;TZID=Eastern Standard Time:20261202T100000\r
DTEND;TZID=Eastern Standard Time:20261202T110000\r
SUMMARY:{INTERVIEW["subject"]}\r
DESCRIPTION:{ESCAPED_BODY}\r
LOCATION:Northwind HQ\\, 1 Main St\\, Albany\\, NY 12207\\, United States\r
ORGANIZER;CN=Priya Raman:mailto:priya.raman@northwind-analytics.com\r
ATTENDEE;CN=Alex Morgan;PARTSTAT=ACCEPTED:mailto:alex.morgan@contoso.example\r
ATTENDEE;CN=Sam Lee;PARTSTAT=NEEDS-ACTION:mailto:sam.lee@northwind-analytics.com\r
END:VEVENT\r
END:VCALENDAR\r
"""
COMPARED = ("start", "end", "timezone", "timezone_source", "facts", "phones", "notice", "call_at", "organizer")


@pytest.fixture
def env(home, fake):
    from .helpers import make_env

    with open(home / "config.toml", "a") as config:
        config.write(f'\n[microsoft]\nclient_id = "{CLIENT_ID}"\n')
    return make_env(home, microsoft_api_root=fake.url, microsoft_login_root=fake.url)


@pytest.fixture
def cli_signed_in(env, sleeps, fake):
    from .helpers import run

    code, out, err = run(env, "auth", "microsoft")
    assert code == 0, err
    fake.requests.clear()
    sleeps.clear()
    return env


@pytest.mark.usefixtures("fake", "sleeps")
def test_auth_microsoft_then_status_then_revoke(env, home):
    from .helpers import run

    code, out, err = run(env, "auth", "microsoft")
    assert code == 0, err
    assert "open https://microsoft.com/devicelogin" in out and "FAKE-CODE" in out
    assert "Signed in as alex.morgan@contoso.example" in out and "(mode 0600)" in out
    assert "refresh-1" not in out + err and "access-1" not in out + err
    code, out, _ = run(env, "auth", "status", "microsoft")
    assert code == 0 and "account: alex.morgan@contoso.example" in out
    assert "allowed: read your calendars  (Calendars.Read)" in out and "access-1" not in out
    code, out, err = run(env, "auth", "revoke", "microsoft")
    assert code == 0 and f"Deleted {home / 'microsoft-token.json'}." in out and "account.live.com" in err
    assert not (home / "microsoft-token.json").exists()
    code, _, err = run(env, "auth", "status", "microsoft")
    assert code == 1 and "callfirst auth microsoft" in err


def test_scan_microsoft_gives_the_facts_and_notice_the_same_invitation_as_a_file_gives(cli_signed_in, fake, tmp_path):
    from .helpers import run_json

    fake.events["default"] = [OTHERS[0], CLI_INTERVIEW, *OTHERS[1:]]
    code, listed, err = run_json(cli_signed_in, "scan", "microsoft", "--now", NOW)
    assert code == 0, err
    assert [item["uid"] for item in listed] == [INTERVIEW["iCalUId"]], (
        "declined, cancelled and ordinary ones are not listed"
    )
    path = tmp_path / "same.ics"
    path.write_text(SAME_AS_A_FILE)
    code, from_file, err = run_json(cli_signed_in, "scan", path, "--now", NOW)
    assert code == 0, err
    assert {key: listed[0][key] for key in COMPARED} == {key: from_file[0][key] for key in COMPARED}
    assert listed[0]["notice"]["tier"] == "short" and listed[0]["phones"] == ["+16465550198"]
    assert listed[0]["facts"]["their_zone"]["value"] == "America/New_York" and listed[0]["source"] == "microsoft"


def test_plan_and_slots_read_the_outlook_calendar(cli_signed_in, fake):
    from .helpers import run

    offsite = OTHERS[2]
    fake.events["default"] = [CLI_INTERVIEW, offsite]
    code, out, err = run(cli_signed_in, "plan", "microsoft", "--event", INTERVIEW["iCalUId"], "--now", NOW)
    assert code == 0, err
    assert out.index("1. CALL FIRST") < out.index("2. THEN THE EMAIL") and "+1 646-555-0198" in out
    code, out, err = run(cli_signed_in, "slots", "microsoft", "--now", NOW, "--count", "4", "--json")
    assert code == 0, err
    starts = [datetime.fromisoformat(s["start"]).astimezone(CHICAGO).date() for s in json.loads(out)["slots"]]
    assert len(starts) == 4 and datetime(2026, 12, 4).date() not in starts, "the all-day offsite is busy"


def test_draft_outlook_creates_then_updates_one_draft(cli_signed_in, fake):
    from .helpers import run

    fake.events["default"] = [CLI_INTERVIEW]
    args = ("draft", "microsoft", "--now", NOW, "--called", "reached", "--outlook")
    code, out, err = run(cli_signed_in, *args, "--propose", "2026-12-07T14:00")
    assert code == 0, err
    assert "Outlook draft created (nothing was sent): https://outlook.office365.com/owa/?ItemID=" in out
    [stored] = fake.drafts()
    assert "December 7" in stored["body"]["content"] and stored["toRecipients"][0]["emailAddress"]["address"] == (
        "priya.raman@northwind-analytics.com"
    )
    code, out, err = run(cli_signed_in, *args, "--propose", "2026-12-08T10:00")
    assert code == 0 and "Outlook draft updated" in out, err
    [stored] = fake.drafts()
    assert "December 8" in stored["body"]["content"] and "December 7" not in stored["body"]["content"]
    code, out, _ = run(cli_signed_in, *args, "--new")
    assert code == 0 and "created" in out and len(fake.drafts()) == 2
    code, out, _ = run(cli_signed_in, "status", "microsoft", "--now", NOW)
    assert code == 0 and "Outlook" in out
    code, out, _ = run(cli_signed_in, "status", "microsoft", "--now", NOW, "--json")
    drafts = [d for entry in json.loads(out)["acted_on"] for d in entry["drafts"]]
    assert [d["kind"] for d in drafts] == ["outlook"] * 3
    assert all(d["location"].startswith("https://outlook.office365.com/owa/?ItemID=") for d in drafts)
    assert not [r for r in fake.requests if "/send" in r.path], "nothing is ever sent"


def test_draft_outlook_for_an_invitation_email_replies_in_its_thread(cli_signed_in, fake, data):
    from .helpers import run

    invite = data / "google_invitation_multipart_with_attachment.eml"
    fake.messages["AAMkInvite"] = invitation(
        "AAMkInvite", "<0000000000001a2b3c4d5e6f@google.com>", "priya.raman@northwind-analytics.com", "Invitation", None
    )
    code, out, err = run(cli_signed_in, "draft", invite, "--now", NOW, "--called", "reached", "--outlook")
    assert code == 0, err
    assert "Outlook draft created as a reply to the invitation" in out
    [stored] = fake.drafts()
    assert stored["conversationId"] == "conversation-AAMkInvite"
    assert stored["subject"].startswith("Re: Invitation: Interview: Alex Morgan for Senior Data Analyst")


@pytest.mark.usefixtures("sleeps")
def test_a_failing_outlook_is_one_line_and_nothing_is_lost(cli_signed_in, fake):
    from .helpers import run

    fake.events["default"] = [CLI_INTERVIEW]
    fake.fail("POST", "/v1.0/me/mailFolders/drafts/messages", 500, times=5)
    code, out, err = run(cli_signed_in, "draft", "microsoft", "--now", NOW, "--called", "reached", "--outlook")
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "Microsoft is busy (HTTP 500)" in err and not fake.drafts()


@pytest.mark.usefixtures("cli_signed_in")
def test_scan_shows_the_file_when_microsoft_is_unreachable(home, data, monkeypatch):
    from .helpers import make_env, run_json

    monkeypatch.setenv("CALLFIRST_MICROSOFT_ACCESS_TOKEN", "t")
    env = make_env(home, microsoft_api_root=f"http://127.0.0.1:{closed_port()}/")
    invite = data / "google_invitation_multipart_with_attachment.eml"
    code, listed, err = run_json(env, "scan", invite, "microsoft", "--now", NOW)
    assert code == 1 and [item["uid"] for item in listed] == ["7kq2v9d0c1b3n5m7p9r1s3t5u7@google.com"]
    assert "microsoft: cannot reach Microsoft while reading Outlook calendar 'microsoft'" in err
    assert len(err.strip().splitlines()) == 1


def test_outlook_and_gmail_are_one_choice(cli_signed_in):
    from .helpers import run

    code, _, err = run(cli_signed_in, "draft", "microsoft", "--outlook", "--gmail", "--now", NOW)
    assert code == 2 and "choose one of" in err and "--outlook" in err
    code, _, err = run(cli_signed_in, "draft", "microsoft", "--outlook", "--thread", "--now", NOW)
    assert code == 2 and "--thread goes with --gmail" in err


@pytest.mark.slow
@pytest.mark.usefixtures("cli_signed_in")
def test_two_draft_commands_at_once_make_one_outlook_draft(home, fake):
    import os
    import subprocess
    import sys

    fake.events["default"] = [CLI_INTERVIEW]
    fake.fail("POST", "/v1.0/me/mailFolders/drafts/messages", "slow", seconds=3.0)
    environ = dict(
        os.environ,
        CALLFIRST_HOME=str(home),
        CALLFIRST_MICROSOFT_API_ROOT=fake.url,
        CALLFIRST_MICROSOFT_LOGIN_ROOT=fake.url,
        NO_COLOR="1",
    )
    command = [
        sys.executable,
        "-m",
        "callfirst",
        "draft",
        "microsoft",
        "--now",
        NOW,
        "--called",
        "reached",
        "--outlook",
    ]
    runs = [
        subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in runs]
    assert [process.returncode for process in runs] == [0, 0], outputs
    assert len(fake.drafts()) == 1
    assert sorted("updated" in out for out, _ in outputs) == [False, True]


def test_a_refused_update_of_a_draft_that_is_still_there_makes_no_second_draft(signed_in, fake):
    first = save(signed_in)
    fake.fail("PATCH", f"/v1.0/me/messages/{first.draft_id}", 400)
    with pytest.raises(MicrosoftError, match="HTTP 400"):
        save(signed_in)
    assert len(fake.drafts()) == 1


def test_a_sent_draft_is_followed_by_a_new_one_with_its_own_message_id(signed_in, fake):
    first = save(signed_in)
    fake.messages[first.draft_id]["isDraft"] = False  # sent: Outlook keeps it, no longer a draft
    second = save(signed_in)
    assert not second.updated and second.message_id != first.message_id and len(fake.drafts()) == 1


def test_a_rejected_token_says_sign_in_again(signed_in, fake):
    fake.fail("GET", "/v1.0/me/calendarView", 401)
    with pytest.raises(MicrosoftAuthError, match=r"rejected the saved sign-in .* run `callfirst auth microsoft` again"):
        microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, signed_in)


@pytest.mark.usefixtures("sleeps", "fake")
def test_signing_in_again_replaces_a_damaged_cache(places):
    places.home.mkdir()
    places.microsoft_token.write_text("{not json")
    signed = microsoft.sign_in(SETTINGS, places, lambda _text: None)
    assert signed.account == "alex.morgan@contoso.example" and "refresh-1" in places.microsoft_token.read_text()


@pytest.mark.usefixtures("sleeps")
def test_a_token_endpoint_echoing_the_request_puts_no_secret_in_the_message(places, fake):
    fake.expires_in = 60
    microsoft.sign_in(SETTINGS, places, lambda _text: None)
    fake.refresh_fails = fake.echo_refusals = True
    with pytest.raises(MicrosoftAuthError) as caught:
        microsoft.read_microsoft("microsoft", WINDOW, CHICAGO, SETTINGS, places)
    assert "invalid_grant (AADSTS700082)" in str(caught.value)
    assert "refresh-1" not in str(caught.value) and "request was" not in str(caught.value)
