"""CalDAV calendars against a real Radicale on 127.0.0.1, read as files are; and servers that misbehave."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import keyring
import pytest

from callfirst.config import CaldavSettings
from callfirst.errors import CaldavAuthError, CaldavError
from callfirst.ical.prefilter import Selector
from callfirst.integrations import caldav
from callfirst.integrations.local import read_file as read_source
from callfirst.model import Window

from .memory_keyring import MemoryKeyring
from .radicale_server import start_radicale
from .raw_servers import closed_port, listening

CHICAGO = ZoneInfo("America/Chicago")
WINDOW = Window(datetime(2026, 12, 1, 8, 30, tzinfo=CHICAGO), datetime(2027, 3, 1, 8, 30, tzinfo=CHICAGO))

INTERVIEW = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Example Corp//Calendar//EN\r
BEGIN:VEVENT\r
UID:interview-7@northwind.example\r
DTSTAMP:20261120T120000Z\r
DTSTART;TZID=America/New_York:20261202T100000\r
DTEND;TZID=America/New_York:20261202T110000\r
SUMMARY:Interview: Alex Morgan for Senior Data Analyst\r
DESCRIPTION:Hiring manager interview. Questions? Call me at (646) 555-0198.\\nPriya\r
ORGANIZER;CN=Priya Raman:mailto:priya.raman@northwind-analytics.com\r
ATTENDEE;CN=Alex Morgan;PARTSTAT=ACCEPTED:mailto:alex.morgan@example.com\r
END:VEVENT\r
END:VCALENDAR\r
"""
SERIES = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Example Corp//Calendar//EN\r
BEGIN:VEVENT\r
UID:series-1@example.com\r
DTSTAMP:20261120T120000Z\r
DTSTART;TZID=Europe/Berlin:20261130T100000\r
DTEND;TZID=Europe/Berlin:20261130T110000\r
RRULE:FREQ=DAILY;COUNT=5\r
EXDATE;TZID=Europe/Berlin:20261202T100000\r
SUMMARY:Interview loop day - Contoso (technical interview)\r
ORGANIZER;CN=Lena Vogel:mailto:lena.vogel@contoso.example\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:series-1@example.com\r
DTSTAMP:20261120T120000Z\r
RECURRENCE-ID;TZID=Europe/Berlin:20261203T100000\r
DTSTART;TZID=Europe/Berlin:20261203T150000\r
DTEND;TZID=Europe/Berlin:20261203T160000\r
SUMMARY:Interview loop day - Contoso (technical interview)\r
ORGANIZER;CN=Lena Vogel:mailto:lena.vogel@contoso.example\r
END:VEVENT\r
END:VCALENDAR\r
"""
STANDUP = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Example Corp//Calendar//EN\r
BEGIN:VEVENT\r
UID:weekly-standup@example.com\r
DTSTAMP:20261120T120000Z\r
DTSTART;TZID=Europe/Berlin:20261130T093000\r
DTEND;TZID=Europe/Berlin:20261130T094500\r
RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10\r
SUMMARY:Team standup\r
END:VEVENT\r
END:VCALENDAR\r
"""
DENTIST = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Example Corp//Calendar//EN\r
BEGIN:VEVENT\r
UID:dentist@example.com\r
DTSTAMP:20261120T120000Z\r
DTSTART;TZID=America/New_York:20261203T080000\r
DTEND;TZID=America/New_York:20261204T180000\r
SUMMARY:Dentist and recovery\r
END:VEVENT\r
END:VCALENDAR\r
"""
LAST_YEAR = INTERVIEW.replace("20261202T", "20251202T").replace("interview-7@", "interview-old@")
USERS = {"alex": "pw-alex", "sam": "pw-sam"}


def _calendars(server) -> None:
    server.add_calendar("alex", "Bewerbungen – Arbeit", INTERVIEW, SERIES, LAST_YEAR)
    server.add_calendar("alex", "Personal", STANDUP)
    server.add_calendar("alex", "Termine", DENTIST)


@pytest.fixture(scope="module")
def radicale(tmp_path_factory):
    server = start_radicale(tmp_path_factory.mktemp("caldav-tls"), USERS, tls=True)
    try:
        _calendars(server)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def plain_radicale(tmp_path_factory):
    server = start_radicale(tmp_path_factory.mktemp("caldav-plain"), USERS, tls=False)
    try:
        _calendars(server)
        yield server
    finally:
        server.stop()


@pytest.fixture
def keyring_memory():
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("CALLFIRST_CALDAV_PASSWORD", "pw-alex")


def settings(server, **changes) -> CaldavSettings:
    values = dict(url=server.url, username="alex", cafile=str(server.certificates.ca) if server.tls else "")
    values.update(changes)
    return CaldavSettings(**values)


def selector(everything: bool = False) -> Selector:
    from callfirst.config import DetectionSettings
    from callfirst.detection import build_detector

    detector = build_detector(DetectionSettings())
    return Selector(
        window=WINDOW,
        could_be_interview=detector.could_be_interview,
        keep_all_in_window=everything,
        stems=detector.stems,
    )


def comparable(events):
    return sorted((replace(e, source="", line=None) for e in events), key=lambda e: (e.start, e.uid))


@pytest.mark.usefixtures("password")
def test_every_calendar_is_read_as_the_same_files_would_be(radicale, tmp_path):
    read = caldav.read_caldav("caldav", selector(everything=True), CHICAGO, settings(radicale))
    assert read.errors == ()
    files = []
    for index, text in enumerate((INTERVIEW, SERIES, STANDUP, DENTIST)):
        path = tmp_path / f"{index}.ics"
        path.write_text(text)
        files.extend(read_source(str(path), selector(everything=True), CHICAGO).events)
    assert comparable(read.events) == comparable(files)
    interview = next(e for e in read.events if e.uid == "interview-7@northwind.example")
    assert interview.timezone == "America/New_York" and interview.zone_source == "tzid"
    assert interview.start == datetime(2026, 12, 2, 15, tzinfo=UTC)
    assert interview.source == "caldav:Bewerbungen – Arbeit"
    assert "(646) 555-0198" in interview.description
    moved = [e for e in read.events if e.uid == "series-1@example.com"]
    # 1 December is over by now (8:30 in Chicago), the 2nd is excluded, the 3rd moved to the afternoon.
    assert [e.start.astimezone(UTC) for e in moved] == [
        datetime(2026, 12, 3, 14, tzinfo=UTC),
        datetime(2026, 12, 4, 9, tzinfo=UTC),
    ]
    assert not [e for e in read.events if e.uid == "interview-old@northwind.example"], "outside the window"


@pytest.mark.usefixtures("password")
def test_one_calendar_by_its_name(radicale):
    read = caldav.read_caldav("caldav:Personal", selector(everything=True), CHICAGO, settings(radicale))
    assert {e.uid for e in read.events} == {"weekly-standup@example.com"}
    assert {e.source for e in read.events} == {"caldav:Personal"}
    read = caldav.read_caldav("caldav:personal", selector(everything=True), CHICAGO, settings(radicale))
    assert {e.uid for e in read.events} == {"weekly-standup@example.com"}, "a name in other case, when unique"


@pytest.mark.usefixtures("password")
def test_the_interview_filter_applies_as_for_files(radicale):
    """Each calendar object goes through the file reader's own selection: the same events come back."""
    from callfirst.ical.read import read_calendar_data

    read = caldav.read_caldav("caldav", selector(), CHICAGO, settings(radicale))
    as_files = set()
    for text in (INTERVIEW, SERIES, STANDUP, DENTIST):
        found = read_calendar_data(text.encode(), "file.ics", selector(), CHICAGO)
        as_files |= {e.uid for e in found.events}
    assert {e.uid for e in read.events} == as_files
    assert {
        e.uid for e in caldav.read_caldav("caldav", selector(everything=True), CHICAGO, settings(radicale)).events
    } >= as_files


@pytest.mark.usefixtures("password")
def test_a_missing_calendar_names_the_ones_there_are(radicale):
    with pytest.raises(CaldavError) as caught:
        caldav.read_caldav("caldav:Work", selector(), CHICAGO, settings(radicale))
    assert str(caught.value) == (
        "alex at 127.0.0.1 has no calendar named 'Work' (it has: Bewerbungen – Arbeit, Personal, Termine)"
    )


@pytest.mark.usefixtures("password")
def test_busy_times_come_from_every_event(radicale):
    busy = caldav.busy_caldav("caldav:Personal", WINDOW, "alex.morgan@example.com", CHICAGO, settings(radicale))
    # Ten weekday standups from Monday 30 November; the first two are over by 8:30 on 1 December in Chicago.
    assert len(busy) == 8
    assert busy[0] == Window(datetime(2026, 12, 2, 8, 30, tzinfo=UTC), datetime(2026, 12, 2, 8, 45, tzinfo=UTC))


def test_the_password_comes_from_the_keyring(radicale, keyring_memory, monkeypatch):
    monkeypatch.delenv("CALLFIRST_CALDAV_PASSWORD", raising=False)
    with pytest.raises(CaldavAuthError, match=r"run `callfirst auth caldav`, or set CALLFIRST_CALDAV_PASSWORD"):
        caldav.read_caldav("caldav", selector(), CHICAGO, settings(radicale))
    keyring_memory.entries[("callfirst", "caldav:alex@127.0.0.1")] = "pw-alex"
    read = caldav.read_caldav("caldav", selector(), CHICAGO, settings(radicale))
    assert "interview-7@northwind.example" in {e.uid for e in read.events}


def test_a_wrong_password_is_one_line(radicale, monkeypatch):
    monkeypatch.setenv("CALLFIRST_CALDAV_PASSWORD", "wrong")
    with pytest.raises(CaldavAuthError) as caught:
        caldav.read_caldav("caldav", selector(), CHICAGO, settings(radicale))
    assert "refused the login for alex" in str(caught.value) and "\n" not in str(caught.value)


def test_another_users_calendars_are_not_readable(radicale, monkeypatch):
    monkeypatch.setenv("CALLFIRST_CALDAV_PASSWORD", "pw-sam")
    read = caldav.read_caldav("caldav", selector(), CHICAGO, settings(radicale, username="sam"))
    assert read.events == ()


@pytest.mark.usefixtures("password")
def test_a_certificate_from_another_authority_is_refused(radicale):
    with pytest.raises(CaldavError, match="could not be verified"):
        caldav.read_caldav(
            "caldav", selector(), CHICAGO, settings(radicale, cafile=str(radicale.certificates.other_ca))
        )
    with pytest.raises(CaldavError, match="could not be verified"):
        caldav.read_caldav("caldav", selector(), CHICAGO, settings(radicale, cafile=""))


@pytest.mark.usefixtures("password")
def test_a_server_that_is_down():
    with pytest.raises(CaldavError) as caught:
        caldav.read_caldav(
            "caldav", selector(), CHICAGO, CaldavSettings(url=f"http://127.0.0.1:{closed_port()}/", username="alex")
        )
    assert "cannot reach the CalDAV server 127.0.0.1" in str(caught.value)


@pytest.mark.usefixtures("password")
def test_a_server_that_never_answers_times_out(monkeypatch):
    monkeypatch.setattr(caldav, "TIMEOUT", 1)
    with listening(None) as port, pytest.raises(CaldavError) as caught:
        caldav.read_caldav(
            "caldav", selector(), CHICAGO, CaldavSettings(url=f"http://127.0.0.1:{port}/", username="alex")
        )
    assert "did not answer in time" in str(caught.value)


@pytest.mark.parametrize(
    "garbage",
    [b"\x00\xff not http at all\r\n\r\n", b"HTTP/1.1 207 Multi-Status\r\nContent-Length: 12\r\n\r\n<not-xml><<<"],
)
@pytest.mark.usefixtures("password")
def test_a_server_that_sends_garbage_is_one_line(garbage):
    with listening(garbage) as port, pytest.raises(CaldavError) as caught:
        caldav.read_caldav(
            "caldav", selector(), CHICAGO, CaldavSettings(url=f"http://127.0.0.1:{port}/", username="alex")
        )
    text = str(caught.value)
    assert "127.0.0.1" in text and "\n" not in text


@pytest.mark.usefixtures("password")
def test_429_with_retry_after_is_waited_out(plain_radicale, sleeps):
    from .http_proxy import FaultyProxy

    proxy = FaultyProxy(plain_radicale.port)
    try:
        proxy.fail("REPORT", 429, Retry_After="7")
        proxy.fail("PROPFIND", 503, Retry_After="3")
        read = caldav.read_caldav("caldav", selector(), CHICAGO, CaldavSettings(url=proxy.url, username="alex"))
    finally:
        proxy.close()
    assert "interview-7@northwind.example" in {e.uid for e in read.events}
    assert sorted(sleeps) == [3, 7]


@pytest.mark.usefixtures("password")
def test_a_server_that_stays_busy_is_given_up_on(plain_radicale, sleeps):
    from .http_proxy import FaultyProxy

    proxy = FaultyProxy(plain_radicale.port)
    try:
        proxy.fail("*", 429, times=100, Retry_After="20")
        with pytest.raises(CaldavError) as caught:
            caldav.read_caldav("caldav", selector(), CHICAGO, CaldavSettings(url=proxy.url, username="alex"))
    finally:
        proxy.close()
    assert "busy (HTTP 429)" in str(caught.value)
    assert max(sleeps) <= caldav.RATE_LIMIT_WAIT and sum(sleeps) <= 2 * caldav.RATE_LIMIT_WAIT
    assert len(proxy.requests) < 10


def test_no_account_configured_says_what_to_set():
    with pytest.raises(CaldavError, match=r"set url and username under \[caldav\]"):
        caldav.account_from(CaldavSettings())


# --- the command line ------------------------------------------------------------------------------

NOW = "2026-12-01T08:30:00-06:00"
COMPARED = ("start", "end", "timezone", "timezone_source", "facts", "phones", "notice", "call_at", "organizer", "uid")


def caldav_env(home, server, **changes):
    from .helpers import make_env

    values = dict(url=server.url, username="alex", cafile=str(server.certificates.ca) if server.tls else "")
    values.update(changes)
    with open(home / "config.toml", "a") as config:
        config.write("\n[caldav]\n" + "".join(f'{key} = "{value}"\n' for key, value in values.items()))
    return make_env(home)


@pytest.mark.usefixtures("password")
def test_scan_caldav_gives_what_the_same_file_gives(radicale, home, tmp_path):
    from .helpers import run_json

    env = caldav_env(home, radicale)
    code, listed, err = run_json(env, "scan", "caldav", "--now", NOW)
    assert code == 0, err
    from_file = []
    for index, text in enumerate((INTERVIEW, SERIES)):
        single = tmp_path / f"{index}.ics"
        single.write_text(text)
        from_file += run_json(env, "scan", single, "--now", NOW)[1]
    assert sorted((item["uid"], item["start"]) for item in listed) == sorted(
        (item["uid"], item["start"]) for item in from_file
    )
    key = lambda item: (item["uid"], item["start"])  # noqa: E731
    assert [{k: i[k] for k in COMPARED} for i in sorted(listed, key=key)] == [
        {k: i[k] for k in COMPARED} for i in sorted(from_file, key=key)
    ]
    interview = next(item for item in listed if item["uid"] == "interview-7@northwind.example")
    assert interview["source"] == "caldav:Bewerbungen – Arbeit" and interview["notice"]["tier"] == "short"


@pytest.mark.usefixtures("password")
def test_plan_and_slots_for_a_caldav_calendar(radicale, home):
    from .helpers import run

    env = caldav_env(home, radicale)
    source = "caldav:Bewerbungen – Arbeit"
    code, out, err = run(env, "plan", source, "--event", "interview-7@northwind.example", "--now", NOW)
    assert code == 0, err
    assert "+1 646-555-0198" in out and "NOTICE: SHORT" in out
    pick = ("--event", "interview-7@northwind.example", "--now", NOW, "--count", "6", "--json")
    code, out, err = run(env, "slots", source, *pick)
    assert code == 0, err
    days = {datetime.fromisoformat(slot["start"]).date() for slot in json.loads(out)["slots"]}
    assert date(2026, 12, 3) in days, "without the busy calendar, Thursday is free"
    code, out, err = run(env, "slots", source, *pick, "--busy", "caldav:Termine")
    assert code == 0, err
    days = {datetime.fromisoformat(slot["start"]).date() for slot in json.loads(out)["slots"]}
    assert len(days) >= 2 and not days & {date(2026, 12, 3), date(2026, 12, 4)}, "the dentist's days are busy"


def test_auth_caldav_logs_in_lists_the_calendars_and_keeps_the_password(radicale, home, keyring_memory):
    from .helpers import run

    env = caldav_env(home, radicale)
    code, out, err = run(env, "auth", "caldav", stdin="pw-alex\n")
    assert code == 0, err
    assert "calendars: Bewerbungen – Arbeit, Personal, Termine" in out
    assert keyring_memory.entries == {("callfirst", "caldav:alex@127.0.0.1"): "pw-alex"}
    code, out, _ = run(env, "auth", "status", "caldav")
    assert code == 0 and "password: in the system keyring" in out
    code, _, err = run(env, "scan", "caldav", "--now", NOW)
    assert code == 0, err
    code, out, _ = run(env, "auth", "revoke", "caldav")
    assert code == 0 and not keyring_memory.entries
    code, _, err = run(env, "auth", "caldav", stdin="wrong\n")
    assert code == 1 and "refused the login for alex" in err and not keyring_memory.entries


@pytest.mark.usefixtures("password")
def test_a_caldav_server_that_is_down_hides_no_other_source(home, data):
    from .helpers import run_json

    env = caldav_env(home, type("Down", (), {"url": f"http://127.0.0.1:{closed_port()}/", "tls": False})())
    invite = data / "google_invitation_multipart_with_attachment.eml"
    code, listed, err = run_json(env, "scan", invite, "caldav", "--now", NOW)
    assert code == 1 and [item["uid"] for item in listed] == ["7kq2v9d0c1b3n5m7p9r1s3t5u7@google.com"]
    assert "caldav: cannot reach the CalDAV server 127.0.0.1" in err and len(err.strip().splitlines()) == 1


def test_a_caldav_url_over_plain_http_to_another_computer_is_a_config_error(home):
    from .helpers import make_env, run

    with open(home / "config.toml", "a") as config:
        config.write('\n[caldav]\nurl = "http://dav.example.com/"\nusername = "alex"\n')
    code, _, err = run(make_env(home), "scan", "caldav", "--now", NOW)
    line = (home / "config.toml").read_text().splitlines().index('url = "http://dav.example.com/"') + 1
    assert code == 1 and f"config.toml:{line}: caldav.url: must be an https:// address" in err
