"""Regression tests for the findings of a security and robustness review: hostile invitations, a damaged
call log, a full disk, and a Google that answers as it should not."""

from __future__ import annotations

import base64
import email
import email.policy
import errno
import json
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .draft_headers import header_problems
from .google_fake import FakeGoogle
from .helpers import make_env, run
from .test_google import CALENDAR, COMPOSE, INTERVIEW, MODIFY, NOW, write_token

DATA = Path(__file__).parent / "data"
INVITE = DATA / "google_invitation_multipart_with_attachment.eml"
INVITE_ID = "<0000000000001a2b3c4d5e6f@google.com>"
# A Message-ID that the standard library decodes into new header lines when it is copied into an
# unstructured header (CVE-2024-6923).
ENCODED_ID = "<=?utf-8?q?x=0D=0ABcc=3A=20attacker=40evil.example=0D=0AX-A=3A?=@google.com>"
OUTLOOK_ID = "<BN8PR12MB3412C0A1B2C3D4E5F60718293A4B5C6D7E8F9A0B1C2D3E4F5@BN8PR12MB3412.namprd12.prod.outlook.com>"


def invitation_with_id(folder: Path, message_id: str) -> Path:
    path = folder / "invite.eml"
    path.write_bytes(INVITE.read_bytes().replace(INVITE_ID.encode(), message_id.encode()))
    return path


def read_message(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def head_of(raw: bytes) -> str:
    return raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode()


# --- 1. message IDs reach the draft's headers only as message IDs ------------------------------------


def test_an_encoded_word_message_id_adds_no_header_to_the_eml(env, tmp_path):
    source = invitation_with_id(tmp_path, ENCODED_ID)
    out = tmp_path / "reply.eml"
    code, _, err = run(env, "draft", source, "--now", NOW, "--called", "reached", "--out", out)
    assert code == 0, err
    raw = out.read_bytes()
    assert b"attacker" not in raw and b"X-A" not in raw
    assert header_problems(raw) == []
    assert read_message(raw)["In-Reply-To"] is None, "an ID that is an encoded-word is no ID to reply to"


@pytest.fixture
def gmail_env(home, google):
    write_token(home, google, scopes=(CALENDAR, COMPOSE, MODIFY))
    return make_env(home, google_api_root=google.url)


def test_an_encoded_word_message_id_adds_no_header_to_the_gmail_draft(gmail_env, google, tmp_path):
    source = invitation_with_id(tmp_path, ENCODED_ID)
    code, _, err = run(gmail_env, "draft", source, "--now", NOW, "--called", "reached", "--gmail")
    assert code == 0, err
    [stored] = google.drafts.values()
    assert b"attacker" not in stored["raw"] and stored["parsed"]["Bcc"] is None
    assert header_problems(stored["raw"]) == []


def gmail_copy(message_id: str, references: str, uid: str) -> dict:
    """The invitation as Gmail's format=raw gives it, byte for byte, with the event's UID in its calendar."""
    raw = (
        "From: Priya Raman <priya.raman@northwind-analytics.com>\r\nTo: alex.morgan@example.com\r\n"
        f"Subject: Invitation: Interview\r\nMessage-ID: {message_id}\r\nReferences: {references}\r\n"
        'MIME-Version: 1.0\r\nContent-Type: text/calendar; charset="utf-8"; method=REQUEST\r\n\r\n'
        f"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    return {
        "id": "msg-1",
        "threadId": "thread-1",
        "from": "priya.raman@northwind-analytics.com",
        "headers": {"Message-ID": message_id, "Subject": "Invitation: Interview Alex Morgan for Data Analyst"},
        "raw": raw,
    }


def ics_invitation(folder: Path, uid: str = "thread-uid@example.com") -> Path:
    path = folder / "invite.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTART;TZID=America/New_York:20261202T100000\r\n"
        "DTEND;TZID=America/New_York:20261202T110000\r\nSUMMARY:Interview: Alex Morgan for Data Analyst\r\n"
        "ORGANIZER;CN=Priya Raman:mailto:priya.raman@northwind-analytics.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return path


@pytest.mark.parametrize(
    "message_id, references",
    [(ENCODED_ID, "<earlier@google.com>"), ("<copy@google.com>", ENCODED_ID), ("<copy@google.com>", "a " + ENCODED_ID)],
    ids=["message-id", "references", "references-after-text"],
)
def test_an_encoded_word_in_gmails_copy_adds_no_header(gmail_env, google, tmp_path, message_id, references):
    google.messages.append(gmail_copy(message_id, references, "thread-uid@example.com"))
    code, _, err = run(
        gmail_env, "draft", ics_invitation(tmp_path), "--now", NOW, "--called", "reached", "--gmail", "--thread"
    )
    assert code == 0, err
    [stored] = google.drafts.values()
    assert stored["threadId"] == "thread-1", "the thread is still the invitation's"
    assert b"attacker" not in stored["raw"] and stored["parsed"]["Bcc"] is None
    assert header_problems(stored["raw"]) == []


def test_a_long_outlook_message_id_is_written_as_it_is(env, tmp_path):
    source = invitation_with_id(tmp_path, OUTLOOK_ID)
    out = tmp_path / "reply.eml"
    code, _, err = run(env, "draft", source, "--now", NOW, "--called", "reached", "--out", out)
    assert code == 0, err
    head = head_of(out.read_bytes())
    assert f"\nIn-Reply-To: {OUTLOOK_ID}\n" in head and f"\nReferences: {OUTLOOK_ID}\n" in head
    assert header_problems(out.read_bytes()) == []
    message = read_message(out.read_bytes())
    assert message["In-Reply-To"] == OUTLOOK_ID


def test_a_long_references_chain_is_folded_between_ids_never_encoded(gmail_env, google, tmp_path):
    chain = " ".join(OUTLOOK_ID.replace("BN8PR", f"BN{i}PR") for i in range(4))
    google.messages.append(gmail_copy("<copy@google.com>", chain, "thread-uid@example.com"))
    code, _, err = run(
        gmail_env, "draft", ics_invitation(tmp_path), "--now", NOW, "--called", "reached", "--gmail", "--thread"
    )
    assert code == 0, err
    [stored] = google.drafts.values()
    assert header_problems(stored["raw"]) == [], "each ID written whole, on a line of its own when folded"
    assert all(len(line) < 200 for line in head_of(stored["raw"]).splitlines())
    assert stored["parsed"]["References"].split() == [*chain.split(), "<copy@google.com>"]
    assert stored["parsed"]["In-Reply-To"] == "<copy@google.com>"


# --- 3, 8, 9. odd charsets and huge MIME headers: a warning, never an internal error ----------------------

ODD_CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:odd@example.com\r\nDTSTART:20261210T150000Z\r\n"
    b"DTEND:20261210T160000Z\r\nSUMMARY:Interview with Contoso\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def mail(content_type: str, body: bytes = ODD_CALENDAR, extra: str = "") -> bytes:
    return (
        "From: Recruiter <r@contoso.example>\r\nTo: alex.morgan@example.com\r\nSubject: Invitation\r\n"
        f"Message-ID: <m1@contoso.example>\r\nMIME-Version: 1.0\r\n{extra}Content-Type: {content_type}\r\n\r\n"
    ).encode() + body


def with_text_part(charset: str, text: bytes) -> bytes:
    return mail(
        'multipart/mixed; boundary="b"',
        b'--b\r\nContent-Type: text/plain; charset="' + charset.encode() + b'"\r\n\r\n' + text + b"\r\n"
        b"--b\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n" + ODD_CALENDAR + b"--b--\r\n",
    )


ODD_CHARSETS = {
    "idna": mail('text/calendar; charset="idna"; method=REQUEST'),
    "undefined": mail('text/calendar; charset="undefined"; method=REQUEST'),
    "rfc2231-idna": mail("text/calendar; charset*=idna''utf-8; method=REQUEST"),
    "rfc2231-name-idna": mail("application/octet-stream; name*=idna'en'invite.ics"),
    "rfc2231-name-undefined": mail("application/octet-stream; name*=undefined'en'invite.ics"),
    "disposition-idna": mail(
        "application/octet-stream", extra="Content-Disposition: attachment; filename*=idna''x.ics\r\n"
    ),
    "punycode-text": with_text_part("punycode", b"Hello Alex"),
    "idna-text": with_text_part("idna", b"\xff\xfe"),
    "encoded-word-idna": mail("text/calendar", extra="Subject: =?idna?q?=FF?=\r\n"),
}


@pytest.mark.parametrize("raw", ODD_CHARSETS.values(), ids=ODD_CHARSETS.keys())
def test_an_odd_charset_is_a_warning_and_never_costs_another_source(env, tmp_path, raw):
    good = tmp_path / "good.eml"
    good.write_bytes(INVITE.read_bytes())
    odd = tmp_path / "odd.eml"
    odd.write_bytes(raw)
    code, out, err = run(env, "scan", good, odd, "--now", NOW, "--json")
    assert "internal error" not in err and "Traceback" not in err, err
    assert code == 0, err
    assert sorted(item["uid"] for item in json.loads(out)) == [
        "7kq2v9d0c1b3n5m7p9r1s3t5u7@google.com",
        "odd@example.com",
    ]
    assert all(line.startswith("callfirst: ") for line in err.splitlines()), err


@pytest.mark.parametrize("label", ["idna", "undefined", "punycode", "x-klingon"])
def test_the_warning_names_the_charset_and_the_file(env, tmp_path, label):
    odd = tmp_path / "odd.eml"
    odd.write_bytes(mail(f'text/calendar; charset="{label}"; method=REQUEST'))
    code, _, err = run(env, "scan", odd, "--now", NOW)
    assert code == 0 and f"'{label}'" in err and "odd.eml" in err and "charset" in err, err


# Work counted, not timed: the lines of Python run (callfirst's and the standard library's), plus the characters
# handed to the `re` module's functions (whose search runs in C). Machine-independent; a quadratic path shows
# as ×16 for ×4 the input.


class TooMuchWork(Exception):
    pass


_REGEX_CALLS = {f.__code__ for f in (re.search, re.match, re.fullmatch, re.findall, re.finditer, re.sub, re.split)}


def work(function, limit: int | None = None) -> int:
    """The work `function` does; past `limit` it is stopped (a quadratic path need not run to its end)."""
    count = 0

    def trace(frame, event, _arg):
        nonlocal count
        count += 1
        if event == "call" and frame.f_code in _REGEX_CALLS:
            count += len(frame.f_locals.get("string") or "")
        if limit is not None and count > limit:
            raise TooMuchWork(count)
        return trace

    sys.settrace(trace)
    try:
        function()
    finally:
        sys.settrace(None)
    return count


def grows_linearly(make, n: int) -> tuple[int, int]:
    """(work at n, work at 4n, or where it was stopped past 6 times the first)."""
    small = work(lambda: make(n))
    try:
        large = work(lambda: make(4 * n), limit=6 * small)
    except TooMuchWork as stopped:
        large = stopped.args[0]
    return small, large


def read_mail(raw: bytes):
    from callfirst.ical.invitation import read_invitation
    from callfirst.ical.prefilter import Selector
    from callfirst.model import Window

    now = datetime(2026, 12, 1, tzinfo=UTC)
    selector = Selector(Window(now, now + timedelta(days=90)), lambda _text: True, stems=("interview",))
    return read_invitation(raw, "hostile.eml", selector, ZoneInfo("UTC"))


HUGE_HEADERS = {
    "quoted-semicolons": lambda n: mail('text/calendar; method=REQUEST; name="' + ";" * n + '"'),
    "continuations": lambda n: mail(
        "text/calendar; method=REQUEST" + "".join(f'; name*{i}="a;b"' for i in range(n // 12))
    ),
    "disposition": lambda n: mail(
        "text/calendar",
        extra="Content-Disposition: attachment" + "".join(f"; filename*{i}*=x" for i in range(n // 16)) + "\r\n",
    ),
}


@pytest.mark.parametrize("make", HUGE_HEADERS.values(), ids=HUGE_HEADERS.keys())
def test_a_huge_mime_header_is_read_in_linear_time_with_a_warning(make):
    small, large = grows_linearly(make, 8_000)
    assert large < 6 * small, (small, large)
    result = read_mail(make(32_000))
    assert [e.uid for e in result.events] == ["odd@example.com"]
    assert any("longer than 4096 characters" in p.message for p in result.warnings), result.warnings


PUNYCODE_AND_IDNA = {
    "text-part": with_text_part("punycode", b"-" + b"a" * 300_000),
    "calendar-part": mail('text/calendar; charset="punycode"'),
    "parameter": mail("text/calendar; charset*=punycode''utf-8"),
    "filename": mail("application/octet-stream; name*=punycode'en'invite.ics"),
    "encoded-word": mail("text/calendar", extra="Subject: =?punycode?q?-" + "a" * 3000 + "?=\r\n"),
    "idna-calendar-part": mail('text/calendar; charset="idna"'),
    "idna-encoded-word": mail("text/calendar", extra="Subject: =?idna?q?xn--a?=\r\n"),
}


@pytest.mark.parametrize("raw", PUNYCODE_AND_IDNA.values(), ids=PUNYCODE_AND_IDNA.keys())
def test_nothing_is_ever_decoded_as_punycode_or_idna(monkeypatch, raw):
    """Python's punycode decoder takes time quadratic in its input (300 KB: minutes); idna's raises."""
    import encodings.idna
    import encodings.punycode

    decoded: list[str] = []
    monkeypatch.setattr(encodings.punycode, "punycode_decode", lambda _text, _errors: decoded.append("punycode") or "")
    monkeypatch.setattr(encodings.idna, "ToUnicode", lambda _label: decoded.append("idna") or "")
    result = read_mail(raw)
    assert decoded == []
    assert [e.uid for e in result.events] == ["odd@example.com"] and not result.errors
    assert any("cannot be read here" in p.message for p in result.warnings), result.warnings


# --- 6, 7. facts in linear time ---------------------------------------------------------------------------


def interview(**fields):
    from callfirst.model import Event

    start = datetime(2026, 12, 10, 15, tzinfo=UTC)
    return Event(uid="u@example.com", start=start, end=start + timedelta(hours=1), timezone="UTC", **fields)


def test_the_recipient_search_without_an_organizer_is_linear():
    from callfirst.config import Profile
    from callfirst.facts import recipient

    def addresses(n: int) -> None:
        text = "\n".join(f"please write to person{i}@company{i}.example" for i in range(n))
        assert recipient(interview(summary="Interview", description=text), Profile(name="Alex Morgan"))[0]

    small, large = grows_linearly(addresses, 500)
    assert large < 6 * small, (small, large)


def test_the_company_and_role_checks_against_many_people_are_linear():
    from callfirst.config import Profile
    from callfirst.facts import company, role
    from callfirst.model import Attendee, Person

    def crowd(n: int) -> None:
        event = interview(
            summary="Interview | " + " | ".join(f"Segment{i} Word" for i in range(n)),
            description="\n".join(f"Interview with Someone{i} Co" for i in range(n)),
            organizer=Person("recruiter@acme.example", "Recruiter"),
            attendees=tuple(Attendee(f"p{i}@acme.example", f"Person{i} Surname{i}") for i in range(n)),
        )
        company(event, Profile(name="Alex Morgan"))
        role(event, Profile(name="Alex Morgan"))

    small, large = grows_linearly(crowd, 100)
    assert large < 6 * small, (small, large)


def test_a_name_past_the_crowd_limit_is_still_never_taken_for_the_company():
    from callfirst.config import Profile
    from callfirst.facts import MAX_PEOPLE, company
    from callfirst.model import Attendee, Person

    organizer = Person("recruiter@gmail.com", "Recruiter")
    crowd = tuple(Attendee(f"p{i}@acme.example", f"Person{i} Surname{i}") for i in range(MAX_PEOPLE + 5))
    whitfield = Attendee("dana@acme.example", "Dana Whitfield")
    title = "Interview at Whitfield"
    alone = company(interview(summary=title, organizer=organizer), Profile(name="Alex Morgan"))
    assert alone.value == "Whitfield", "the test's title names a company when no one is called so"
    for attendees in ((whitfield,), (*crowd, whitfield)):
        found = company(interview(summary=title, organizer=organizer, attendees=attendees), Profile(name="Alex Morgan"))
        assert found.value != "Whitfield", found


# --- 2. a pay number is never the first to dial ---------------------------------------------------------


def calendar_file(folder: Path, name: str = "invite.ics", organizer: str = "", **lines: str) -> Path:
    """An interview in New York on 2 December 2026, 10:00, with the lines given (LOCATION=…, DESCRIPTION=…)."""
    extra = "".join(f"{key.upper()}:{value}\r\n" for key, value in lines.items())
    path = folder / name
    path.write_bytes(
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:pay@example.com\r\n"
            "DTSTART;TZID=America/New_York:20261202T100000\r\nDTEND;TZID=America/New_York:20261202T110000\r\n"
            "SUMMARY:Interview: Alex Morgan for Data Analyst\r\n"
            f"{organizer or 'ORGANIZER;CN=Priya Raman:mailto:priya.raman@northwind-analytics.com'}\r\n"
            f"{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()
    )
    return path


def test_a_premium_rate_number_is_never_the_first_to_dial(env, tmp_path):
    source = calendar_file(
        tmp_path, location="Phone: +44 909 879 0000", description="Questions? Call me at (646) 555-0198.\\nPriya"
    )
    code, out, err = run(env, "scan", source, "--now", NOW, "--json")
    assert code == 0, err
    [item] = json.loads(out)
    assert item["phones"] == ["+16465550198", "+449098790000"]

    code, out, err = run(env, "plan", source, "--now", NOW)
    assert code == 0, err
    number = next(line for line in out.splitlines() if line.startswith("  Number:"))
    backup = next(line for line in out.splitlines() if line.startswith("  Backup:"))
    assert "+1 646-555-0198" in number and "909" not in number
    assert "+44 909 879 0000 (premium-rate: a pay number" in backup

    code, out, err = run(env, "call", source, "--now", NOW, "--no-qr")
    assert code == 0, err
    assert out.index("tel:+16465550198") < out.index("Backup: +44 909 879 0000 (premium-rate: a pay number")


def test_a_lone_pay_number_is_still_shown_as_one(env, tmp_path):
    source = calendar_file(tmp_path, location="Phone: +44 909 879 0000")
    code, out, err = run(env, "call", source, "--now", NOW, "--no-qr")
    assert code == 0, err
    assert "+44 909 879 0000 (premium-rate: a pay number, calls cost extra)" in out


# --- 13, 16. the To and the iTIP organizer are the address mail goes to ------------------------------------


def test_a_fullwidth_at_sign_in_the_name_never_poses_as_the_address(env, tmp_path):
    organizer = (
        "ORGANIZER;CN=priya.raman\uff20northwind-analytics.com:mailto:priya.raman@northwind-analytics.com.evil.example"
    )
    source = calendar_file(tmp_path, organizer=organizer)
    code, out, err = run(env, "plan", source, "--now", NOW)
    assert code == 0, err
    to = next(line for line in out.splitlines() if line.startswith("  To:"))
    assert to == "  To:      priya.raman@northwind-analytics.com.evil.example"
    assert "\uff20" not in out, "the look-alike name is shown nowhere: not in the To, the Who or the greeting"
    reply = tmp_path / "reply.eml"
    code, _, err = run(env, "draft", source, "--now", NOW, "--called", "reached", "--out", reply)
    assert code == 0, err
    [address] = read_message(reply.read_bytes())["To"].addresses
    assert (address.display_name, address.addr_spec) == ("", "priya.raman@northwind-analytics.com.evil.example")


def test_an_escaped_newline_in_the_organizer_gives_one_address_to_the_eml_and_the_counter(env, tmp_path):
    source = calendar_file(tmp_path, organizer=r"ORGANIZER;CN=Priya:mailto:priya@acme.example\nBcc: evil@x.com")
    reply = tmp_path / "counter.eml"
    args = ("--now", NOW, "--called", "reached", "--ics", "--propose", "2026-12-07T14:00", "--out", reply)
    code, _, err = run(env, "draft", source, *args)
    assert code == 0, err
    message = read_message(reply.read_bytes())
    counter = next(p for p in message.walk() if p.get_content_type() == "text/calendar").get_content()
    assert [line for line in counter.splitlines() if line.startswith("ORGANIZER")] == [
        "ORGANIZER;CN=Priya:mailto:priya@acme.example"
    ]
    assert message["To"].addresses[0].addr_spec == "priya@acme.example"
    assert "evil" not in counter and b"evil" not in reply.read_bytes()


# --- 4. a damaged row of the call log: read what can be read, name the record -----------------------------

LATER = "2026-12-01T12:30:00-06:00"


def damage(home: Path, *statements: str) -> None:
    import sqlite3

    with sqlite3.connect(home / "state.sqlite3") as db:
        for statement in statements:
            db.execute(statement)
    db.close()


def test_a_damaged_call_log_row_is_named_in_one_warning_and_the_rest_is_read(env, home, tmp_path):
    copy = tmp_path / "copy.eml"
    copy.write_bytes(INVITE.read_bytes())
    for source in (INVITE, copy):
        assert run(env, "call", source, "--now", NOW, "--outcome", "no-answer", "--no-qr")[0] == 0
        assert run(env, "call", source, "--now", LATER, "--outcome", "voicemail", "--no-qr")[0] == 0
    damage(
        home,
        "UPDATE attempts SET outcome = 'exploded' WHERE id = 1",
        f"UPDATE interviews SET start = 'garbage' WHERE source = '{copy.resolve()}'",
    )
    code, out, err = run(env, "status", "--now", LATER, "--json")
    assert code == 0 and "internal error" not in err, err
    [acted] = json.loads(out)["acted_on"]
    assert acted["attempts"]["count"] == 1 and acted["attempts"]["last_outcome"] == "voicemail"
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert any("state.sqlite3" in line and "'exploded' is unknown" in line for line in lines), err
    assert any("'garbage' is not a time" in line and "left out" in line for line in lines), err

    code, out, err = run(env, "draft", INVITE, "--now", LATER)
    assert code == 0 and "internal error" not in err, err
    assert "I tried to reach you by phone" in out, "the attempt that could be read is used"
    assert "'exploded' is unknown" in err
    code, out, err = run(env, "draft", copy, "--now", LATER)
    assert code == 0 and "internal error" not in err, err
    assert "I tried to reach you by phone" in out and "'garbage' is not a time (the invitation's is used)" in err


def test_a_damaged_log_file_is_the_one_thing_to_move_aside(env, home):
    (home / "state.sqlite3").write_bytes(b"this is not a database" * 100)
    code, _, err = run(env, "status", "--now", NOW)
    assert code == 1 and "damaged" in err and "move it aside" in err and len(err.splitlines()) == 1


# --- 10. a full disk: reading needs no room, and the advice names the cause ---------------------------------

# callfirst in a process whose files may not grow past LIMIT bytes (RLIMIT_FSIZE): the kernel refuses each write
# that would, as a full disk does (with EFBIG rather than ENOSPC).
LIMITED = r"""
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), resource.RLIM_INFINITY))
from callfirst.cli import main
sys.exit(int(main(sys.argv[2:])))
"""


def limited(home: Path, *args: str | Path, limit: int = 4096) -> tuple[int, str, str]:
    import subprocess

    environ = dict(os.environ, CALLFIRST_HOME=str(home), NO_COLOR="1", COLUMNS="200")
    done = subprocess.run(
        [sys.executable, "-c", LIMITED, str(limit), *map(str, args)], capture_output=True, text=True, env=environ
    )
    return done.returncode, done.stdout, done.stderr


def log_bytes(home: Path) -> bytes:
    return (home / "state.sqlite3").read_bytes()


def assert_reads_work_and_writes_say_why(env, home, *, cause: str, run_there) -> None:
    assert run(env, "call", INVITE, "--now", NOW, "--outcome", "voicemail", "--no-qr")[0] == 0
    saved = log_bytes(home)
    code, out, err = run_there("status", "--now", LATER, "--json")
    assert code == 0 and "internal error" not in err, err
    assert json.loads(out)["acted_on"][0]["attempts"]["count"] == 1
    code, out, err = run_there("draft", INVITE, "--now", LATER)
    assert code == 0 and "I tried to reach you by phone" in out, err
    code, out, err = run_there("call", INVITE, "--now", LATER, "--outcome", "reached", "--no-qr")
    assert code == 1 and "Traceback" not in err and "internal error" not in err, err
    [line] = [line for line in err.splitlines() if line.startswith("callfirst: ")]
    assert cause in line and "intact" in line and "move it aside" not in line, line
    assert log_bytes(home) == saved, "the log is left as it was"


def test_when_files_cannot_grow_reads_work_and_a_write_says_the_log_is_intact(env, home):
    assert_reads_work_and_writes_say_why(env, home, cause="may not grow", run_there=lambda *args: limited(home, *args))
    code, out, err = run(env, "call", INVITE, "--now", LATER, "--outcome", "reached", "--no-qr")
    assert code == 0, err
    code, out, _ = run(env, "status", "--now", LATER, "--json")
    assert json.loads(out)["acted_on"][0]["attempts"]["count"] == 2, "with room again, the log goes on"


@pytest.fixture
def small_disk(tmp_path):
    """A 512 KB tmpfs (as root, where mounting is allowed)."""
    import subprocess

    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"no tmpfs can be mounted here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_on_a_full_disk_reads_work_and_a_write_says_the_disk_is_full(small_disk):
    home = small_disk / "home"
    home.mkdir()
    (home / "config.toml").write_text(
        '[profile]\nname = "Alex Morgan"\nemail = "alex.morgan@example.com"\ntimezone = "America/Chicago"\n'
    )
    env = make_env(home)

    def on_the_full_disk(*args):
        filler = small_disk / "filler"
        handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(handle, b"\0" * 4096):
                pass
        except OSError as full:
            assert full.errno == errno.ENOSPC
        finally:
            os.close(handle)
        try:
            return run(env, *args)
        finally:
            filler.unlink()

    assert_reads_work_and_writes_say_why(env, home, cause="the disk is full", run_there=on_the_full_disk)


# --- 11. what a token endpoint says about a secret request is never printed -------------------------------

SECRETS = ("refresh-1", "secret-1", "access-1")


@pytest.mark.parametrize("echo", ["text", "json"])
def test_a_token_endpoint_echoing_the_request_puts_no_secret_on_the_terminal(home, google, echo):
    write_token(home, google, expired=True)
    google.events["primary"] = [INTERVIEW]
    google.token_echo = echo
    code, out, err = run(make_env(home, google_api_root=google.url), "scan", "google", "--now", NOW)
    assert code == 1 and "Traceback" not in err
    assert google.calls("POST", "/token"), "the endpoint was asked, and said it all back"
    assert not any(secret in out + err for secret in SECRETS), err
    assert "callfirst auth google" in err and ("invalid_grant" in err) == (echo == "json")


def test_a_sign_in_refused_with_an_echo_puts_no_secret_on_the_terminal(home, google, tmp_path, monkeypatch):
    import webbrowser

    from .test_google import FakeBrowser, client_file

    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    browser = FakeBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda *_args, **_kwargs: browser)
    google.token_echo = "json"
    env = make_env(home, google_api_root=google.url)
    code, out, err = run(env, "auth", "google", "--client-secret", client_file(tmp_path, google))
    assert code == 1 and "Traceback" not in err
    assert "good-code" in google.calls("POST", "/token")[0].body.decode(), "the code and secret were sent"
    assert not any(secret in out + err for secret in (*SECRETS, "good-code", "code_verifier")), err
    assert "bad request" not in err, "nothing the endpoint wrote is printed but its error code"
    assert "invalid_grant" in err


# --- 12. requests go only where the user said -------------------------------------------------------------


def test_a_redirect_to_another_host_is_refused_and_nothing_is_sent_there(home, google, signed_in_elsewhere):
    other = signed_in_elsewhere
    other.events["primary"] = [INTERVIEW]
    google.fail(
        "GET", "/calendar/v3/calendars/primary/events", "redirect", other.url + "calendar/v3/calendars/primary/events"
    )
    code, out, err = run(make_env(home, google_api_root=google.url), "scan", "google", "--now", NOW, "--json")
    assert code == 1 and "Traceback" not in err
    assert not other.requests, "nothing reached the other server"
    assert "another server" in err and f"127.0.0.1:{other.server.server_address[1]}" in err
    assert len(err.splitlines()) == 1 and json.loads(out or "[]") == []


def test_a_revoke_redirected_elsewhere_sends_the_token_nowhere_else(home, google, signed_in_elsewhere):
    other = signed_in_elsewhere
    google.fail("POST", "/revoke", "redirect", other.url + "revoke")
    code, _, err = run(make_env(home, google_api_root=google.url), "auth", "revoke")
    assert code == 0 and not (home / "google-token.json").exists(), "the saved token is deleted all the same"
    assert not other.requests and "another server" in err


@pytest.fixture
def signed_in_elsewhere(home, google):
    """The token saved for `google`, and another server on loopback that a redirect could point to."""
    write_token(home, google)
    other = FakeGoogle().start()
    yield other
    other.stop()


# --- 17. Gmail's raw message with or without its base64 padding -------------------------------------------


def test_gmails_raw_message_without_padding_is_still_the_invitation(gmail_env, google, tmp_path):
    copy = gmail_copy("<copy@google.com>", "<earlier@google.com>", "thread-uid@example.com")
    if len(copy["raw"]) % 3 == 0:  # a length base64 pads
        copy["raw"] += b" "
    assert base64.urlsafe_b64encode(copy["raw"]).endswith(b"=")
    google.messages.append(copy)
    google.raw_padding = False
    code, _, err = run(
        gmail_env, "draft", ics_invitation(tmp_path), "--now", NOW, "--called", "reached", "--gmail", "--thread"
    )
    assert code == 0 and "not found in Gmail" not in err, err
    [stored] = google.drafts.values()
    assert stored["threadId"] == "thread-1" and stored["parsed"]["In-Reply-To"] == "<copy@google.com>"


# --- 18. out-of-range values from Google and a corrupt token file -----------------------------------------


@pytest.mark.parametrize("start", ["9999-12-31T20:00:00Z", "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"])
def test_a_google_event_in_the_year_9999_is_skipped_with_a_warning(home, google, start):
    from .test_google import write_token as save

    save(home, google)
    late = {**INTERVIEW, "id": "ev-9999", "start": {"dateTime": start}, "end": {"dateTime": start}}
    google.events["primary"] = [late, INTERVIEW]
    env = make_env(home, google_api_root=google.url)
    for command in ("scan", "plan"):
        code, out, err = run(
            env, command, "google", "--now", NOW, *(["--event", "ev-interview"] if command == "plan" else [])
        )
        assert code == 0 and "internal error" not in err, err
        assert "ev-9999 skipped" in err and ("ev-interview" in out or "Interview" in out)


@pytest.mark.parametrize(
    "saved",
    ["[" * 100_000 + "]" * 100_000, '{"refresh_token": ' + "9" * 5_000 + "}", '{"a": ' * 50_000 + "1" + "}" * 50_000],
)
def test_auth_revoke_and_status_on_a_corrupt_token_file_are_one_line(home, google, saved):
    path = home / "google-token.json"
    path.write_text(saved)
    env = make_env(home, google_api_root=google.url)
    code, _, err = run(env, "auth", "status")
    assert code == 1 and "internal error" not in err and len(err.splitlines()) == 1, err
    code, out, err = run(env, "auth", "revoke")
    assert code == 0 and "internal error" not in err and not path.exists(), err
    assert not google.calls("POST", "/revoke")


# --- fuzzing: .eml parameters, RFC 2231 forms and charset names -------------------------------------------

CHARSETS = st.sampled_from(
    ["idna", "punycode", "undefined", "utf-7", "utf-8", "us-ascii", "latin-1", "utf-16", "utf-32", "x-klingon", "hex",
     "rot13", "base64", "zlib", "unicode-escape", "raw-unicode-escape", "cp1252", "iso-2022-jp", "gb18030",
     "unknown-8bit", "", "UTF8", " utf-8 ", "utf_8"]
) | st.text(st.characters(codec="ascii", exclude_characters="\r\n\"';\\"), max_size=20)  # fmt: skip
TOKEN = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-_."), min_size=1, max_size=12)
VALUE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)


def _percent(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


@st.composite
def parameter(draw, name=None):
    """One MIME parameter in any of its written forms, well formed: plain, quoted, RFC 2231 (with a charset and a
    language), or RFC 2231 continuations, plain or encoded."""
    name = name or draw(st.sampled_from(["charset", "name", "method", "filename", "format", "x-" + draw(TOKEN)]))
    value = draw(VALUE)
    form = draw(st.sampled_from(["plain", "quoted", "2231", "continued", "continued-encoded"]))
    if form == "plain":
        return f"{name}={draw(TOKEN)}"
    if form == "quoted":
        return f'{name}="{value.replace(chr(92), "").replace(chr(34), "")}"'
    charset, language = draw(CHARSETS), draw(st.sampled_from(["", "en", "de-DE", "x"]))
    if form == "2231":
        return f"{name}*={charset}'{language}'{_percent(value)}"
    pieces = draw(st.lists(VALUE, min_size=1, max_size=6))
    if form == "continued":
        return "; ".join(f'{name}*{i}="{p.replace(chr(92), "").replace(chr(34), "")}"' for i, p in enumerate(pieces))
    first = f"{name}*0*={charset}'{language}'{_percent(pieces[0])}"
    return "; ".join([first, *(f"{name}*{i}*={_percent(p)}" for i, p in enumerate(pieces[1:], 1))])


@st.composite
def odd_invitation(draw):
    """An invitation whose calendar part is text/calendar, with parameters and charsets of every kind, in a
    message of one part or with a text part before it, and a Subject in an encoded-word of any charset."""
    charset = draw(parameter("charset"))
    others = draw(st.lists(parameter(), max_size=4))
    content_type = "; ".join(["text/calendar", *draw(st.permutations([charset, *others]))])
    subject = f"=?{draw(CHARSETS)}?{draw(st.sampled_from('qQbB'))}?{draw(TOKEN)}?="
    if draw(st.booleans()):
        return mail(content_type, extra=f"Subject: {subject}\r\n")
    text_type = "; ".join(["text/plain", draw(parameter("charset")), *draw(st.lists(parameter(), max_size=2))])
    body = draw(st.binary(max_size=200)).replace(b"--b", b"")
    return mail(
        'multipart/mixed; boundary="b"',
        b"--b\r\nContent-Type: " + text_type.encode() + b"\r\n\r\n" + body + b"\r\n"
        b"--b\r\nContent-Type: " + content_type.encode() + b"\r\n\r\n" + ODD_CALENDAR + b"--b--\r\n",
        extra=f"Subject: {subject}\r\n",
    )


def scans_cleanly(home: Path, raw: bytes) -> tuple[int, str, str]:
    code, out, err = run(make_env(home), "scan", "-", "--now", NOW, "--json", stdin=raw)
    assert code in (0, 1) and "internal error" not in err and "Traceback" not in err, err
    assert all(line.startswith("callfirst: ") for line in err.splitlines()), err
    return code, out, err


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=odd_invitation())
def test_any_parameters_and_charsets_still_give_the_calendar(home, raw):
    result = read_mail(raw)  # no exception: only CallfirstError-derived problems are reported
    assert [e.uid for e in result.events] == ["odd@example.com"], (result.warnings, result.errors)
    code, out, _ = scans_cleanly(home, raw)
    assert code == 0 and [item["uid"] for item in json.loads(out)] == ["odd@example.com"]


JUNK = st.text(st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=60)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content_type=st.sampled_from(
        ["text/calendar", "application/ics", "application/octet-stream", "multipart/mixed", ""]
    ),
    params=st.lists(parameter() | JUNK, max_size=5),
    disposition=st.lists(parameter("filename") | JUNK, max_size=3),
    encoding=st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "binary", "x-uuencode", "bogus"]),
)
def test_junk_in_any_mime_header_is_never_an_internal_error(home, content_type, params, disposition, encoding):
    extra = (
        f"Content-Transfer-Encoding: {encoding}\r\nContent-Disposition: {'; '.join(['attachment', *disposition])}\r\n"
    )
    raw = mail("; ".join([content_type, *params]), extra=extra)
    try:
        read_mail(raw)
    except Exception as exc:  # the property: nothing but callfirst's own errors
        from callfirst.errors import CallfirstError

        assert isinstance(exc, CallfirstError), repr(exc)
    scans_cleanly(home, raw)


def test_a_charset_label_of_control_characters_is_read_as_unknown(home):
    """`charset*=\\x1f\\x00''0`: Python's `\\s` takes \\x1f for white space, so the label was missed and the
    email package raised on its NUL (found by the fuzzing below)."""
    from .helpers import make_env, run

    raw = (
        b"From: Recruiter <r@contoso.example>\r\nTo: alex.morgan@example.com\r\nSubject: Invitation\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain; charset*=\x1f\x00''0\r\n\r\nHello\r\n--b\r\nContent-Type: text/calendar\r\n\r\n"
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:odd@example.com\r\nDTSTART:20261210T150000Z\r\n"
        b"DTEND:20261210T160000Z\r\nSUMMARY:Interview with Contoso\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n--b--\r\n"
    )
    path = home / "odd.eml"
    path.write_bytes(raw)
    code, out, err = run(make_env(home), "scan", path, "--now", "2026-12-01T09:00:00Z", "--json")
    assert code == 0 and '"odd@example.com"' in out, err
