"""Hostile and broken input: every source ends in results or one-line errors, exit 1, never a traceback."""

from __future__ import annotations

import email.policy
import hashlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from hypothesis import HealthCheck, currently_in_test_context, given, note, settings
from hypothesis import strategies as st

from callfirst.drafts.message import build_message
from callfirst.errors import OutputError, UnsafeValue
from callfirst.model import Person

from .helpers import make_env, run

DATA = Path(__file__).parent / "data"
BROKEN = DATA / "broken"
FUZZ = DATA / "fuzz"  # inputs hypothesis found to break a scan, minimised; replayed by every run
NOW = "2026-12-01T00:00:00Z"
GOOD = ["good-1@example.com", "good-2@example.com"]


HOME: list[Path] = []  # the user folder of the running test (hypothesis calls scan() many times per test)


def scan(*args: str | Path, stdin: bytes | None = None) -> tuple[int, str, str]:
    """The CLI in-process in a fresh environment (usable inside hypothesis)."""
    return run(make_env(HOME[-1]), "scan", *args, stdin=stdin)


def assert_clean_failure_or_success(code: int, out: str, err: str) -> None:
    assert code in (0, 1), (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    for line in err.splitlines():
        assert line.startswith("callfirst: "), line
    if code == 0 and out.lstrip().startswith("["):
        json.loads(out)


@pytest.fixture(autouse=True)
def profile(home):
    HOME.append(home)
    yield home
    HOME.pop()


# --- named broken calendars ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, code, uids, message",
    [
        ("missing_end_vevent.ics", 1, GOOD, ":11: BEGIN:VEVENT has no END:VEVENT (a new BEGIN:VEVENT at line 16)"),
        ("mismatched_end.ics", 1, GOOD, ":16: END:VTODO without a matching BEGIN is ignored"),
        ("empty.ics", 1, [], ": is empty"),
        ("bad_dtstart.ics", 1, GOOD, ":14: DTSTART is broken"),
        ("bad_rrule.ics", 1, GOOD, ":16: RRULE is broken"),
        ("bad_duration.ics", 1, GOOD, ":15: DURATION is broken"),
        ("no_dtstart.ics", 1, GOOD, ":11: event has no DTSTART"),
        ("dtend_before_dtstart.ics", 1, GOOD, ":15: DTEND is before DTSTART"),
        ("date_datetime_mix.ics", 0, ["good-1@example.com", "mix@example.com", "good-2@example.com"], None),
        ("until_before_dtstart.ics", 0, GOOD, None),
        (
            "secondly_no_end.ics",
            0,
            GOOD,
            ":11: event 'secondly@example.com' repeats too often to expand (over 200,000 steps)",
        ),
        ("two_vcalendars.ics", 0, GOOD, None),
        ("lf_only.ics", 0, GOOD, None),
        ("utf8_bom.ics", 0, GOOD, None),
        ("utf16_le_bom.ics", 0, GOOD, None),
        ("latin1.ics", 0, ["good-1@example.com", "latin@example.com", "good-2@example.com"], None),
    ],
)
def test_broken_calendar_fixture(name, code, uids, message):
    got_code, out, err = scan(BROKEN / name, "--now", NOW, "--json")
    assert_clean_failure_or_success(got_code, out, err)
    assert got_code == code, err
    assert [item["uid"] for item in json.loads(out or "[]")] == uids
    if message:
        assert name + message in err
    else:
        assert err == ""


def test_latin1_text_is_read_not_mangled():
    _, out, _ = scan(BROKEN / "latin1.ics", "--now", NOW, "--json")
    summaries = [item["summary"] for item in json.loads(out)]
    assert "Entretien d'embauche - équipe Données" in summaries


def calendar_with(middle: str) -> bytes:
    good = (BROKEN / "lf_only.ics").read_text()
    head, _, tail = good.partition("BEGIN:VEVENT\nUID:good-2")
    return (head + middle + "BEGIN:VEVENT\nUID:good-2" + tail).encode()


@pytest.mark.slow
def test_a_ten_megabyte_field_is_read_and_the_rest_still_found(tmp_path):
    huge = "DESCRIPTION:" + "x" * 10_000_000
    path = tmp_path / "ten_megabyte_description.ics"
    path.write_bytes(
        calendar_with(
            f"BEGIN:VEVENT\nUID:big@example.com\nDTSTART:20261210T150000Z\n"
            f"SUMMARY:Interview with Big Data\n{huge}\nEND:VEVENT\n"
        )
    )
    code, out, err = scan(path, "--now", NOW, "--json")
    assert code == 0, err
    assert [item["uid"] for item in json.loads(out)] == ["good-1@example.com", "big@example.com", "good-2@example.com"]


def test_five_thousand_deep_nesting_is_refused_and_the_rest_still_found(tmp_path):
    deep = "".join(f"BEGIN:X-LEVEL{i}\n" for i in range(5000)) + "".join(
        f"END:X-LEVEL{i}\n" for i in reversed(range(5000))
    )
    path = tmp_path / "five_thousand_deep_nesting.ics"
    path.write_bytes(
        calendar_with(
            f"BEGIN:VEVENT\nUID:deep@example.com\nDTSTART:20261210T150000Z\n"
            f"SUMMARY:Interview in depth\n{deep}END:VEVENT\n"
        )
    )
    code, out, err = scan(path, "--now", NOW, "--json")
    assert code == 1
    assert [item["uid"] for item in json.loads(out)] == GOOD
    assert "nests components more than 20 deep" in err and len(err.splitlines()) == 1


# --- broken invitation emails ---------------------------------------------------------------

INVITE = (DATA / "google_invitation_multipart_with_attachment.eml").read_bytes()
CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:mail@example.com\r\nDTSTART:20261210T150000Z\r\n"
    b"DTEND:20261210T160000Z\r\nSUMMARY:Interview with Contoso\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def mail(content_type: str, body: bytes, encoding: str = "7bit") -> bytes:
    return (
        b"From: Recruiter <r@contoso.example>\r\nTo: alex.morgan@example.com\r\nSubject: Invitation\r\n"
        b"Message-ID: <m1@contoso.example>\r\nMIME-Version: 1.0\r\n"
        + f"Content-Type: {content_type}\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n".encode()
        + body
    )


@pytest.mark.parametrize(
    "name, raw, code, uids, message",
    [
        (
            "unknown_charset",
            mail('text/calendar; charset="x-klingon"; method=REQUEST', CALENDAR),
            0,
            ["mail@example.com"],
            None,
        ),
        (
            "wrong_charset",
            mail('text/calendar; charset="utf-16"; method=REQUEST', CALENDAR),
            0,
            ["mail@example.com"],
            None,
        ),
        (
            "bad_base64",
            mail("text/calendar; method=REQUEST", b"QkVHSU46VkNBTEVOREFS!!!not base64***\r\n", "base64"),
            1,
            [],
            "no text/calendar part",
        ),
        ("missing_boundary", mail("multipart/mixed", b"--nothing\r\n" + CALENDAR), 1, [], "no text/calendar part"),
        ("no_calendar_part", mail("text/plain", b"Looking forward to meeting you."), 1, [], "no text/calendar part"),
        (
            "two_calendar_parts",
            mail(
                'multipart/mixed; boundary="b"',
                b"--b\r\nContent-Type: text/calendar\r\n\r\n"
                + CALENDAR
                + b"--b\r\nContent-Type: text/calendar\r\n\r\n"
                + CALENDAR.replace(b"mail@", b"other@").replace(b"20261210", b"20261211")
                + b"--b--\r\n",
            ),
            0,
            ["mail@example.com", "other@example.com"],
            None,
        ),
    ],
)
def test_broken_invitation_email(tmp_path, name, raw, code, uids, message):
    path = tmp_path / f"{name}.eml"
    path.write_bytes(raw)
    got_code, out, err = scan(path, "--now", NOW, "--json")
    assert_clean_failure_or_success(got_code, out, err)
    assert got_code == code, err
    assert [item["uid"] for item in json.loads(out or "[]")] == uids
    if message:
        assert message in err and f"{name}.eml" in err


# --- fuzzing --------------------------------------------------------------------------------

SEEDS = [p.read_bytes() for p in sorted(DATA.glob("*.ics")) + sorted(BROKEN.glob("*.ics")) if p.stat().st_size < 50_000]
SEEDS.append(INVITE)
NASTY_LINES = [
    b"BEGIN:VEVENT",
    b"END:VEVENT",
    b"BEGIN:VCALENDAR",
    b"END:VCALENDAR",
    b"BEGIN:VTIMEZONE",
    b"DTSTART:99999999T999999Z",
    b"DTSTART;TZID=Nowhere/Else:20261210T100000",
    b"RRULE:FREQ=SECONDLY",
    b"RRULE:FREQ=MINUTELY;COUNT=100000000",
    b"DURATION:-P99999W",
    b"EXDATE:garbage",
    b"RECURRENCE-ID:20261210T150000Z",
    b" folded continuation",
    b"\x00\xff\xfe",
    b"SUMMARY:=?utf-8?q?=0D=0A?=",
    b'ORGANIZER;CN="a\r\nBcc: x@y":mailto:a@b.c',
    b"UID:",
    b"Content-Type: text/calendar",
    b"--boundary",
]


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "insert", "flip", "truncate", "duplicate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(NASTY_LINES)) + b"\r\n"
        elif kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 400))]
    return bytes(data)


IN_THE_WINDOW = ("--now", NOW, "--json")
EVERYTHING_SINCE_2000 = ("--now", NOW, "--all", "--json", "--from", "2000-01-01")
EVERYTHING = ("--now", NOW, "--all", "--json")


def scans_cleanly(raw: bytes, *scans: tuple[str, ...]) -> None:
    """Each scan of `raw` on stdin ends in success or one-line errors; a failing input found by hypothesis
    is saved in tests/data/fuzz/ (see kept_when_failing)."""
    with kept_when_failing(raw):
        for args in scans:
            assert_clean_failure_or_success(*scan("-", *args, stdin=raw))


@contextmanager
def kept_when_failing(raw: bytes) -> Iterator[None]:
    """Under hypothesis, a failure's input is written to tests/data/fuzz/<sha1>.ics, then the failure goes on.

    Only the final run is saved: after shrinking, hypothesis runs the minimised example once more.
    """
    try:
        yield
    except Exception:
        if _final_hypothesis_run():
            path = FUZZ / f"{hashlib.sha1(raw).hexdigest()}.ics"
            if not path.exists():
                path.write_bytes(raw)
            note(f"input saved as tests/data/fuzz/{path.name}; it is replayed by test_saved_fuzz_input_scans_cleanly")
        raise


def _final_hypothesis_run() -> bool:
    if not currently_in_test_context():
        return False  # a replay of a saved input, or a plain call
    from hypothesis.control import current_build_context

    # Not part of hypothesis's documented API: should it go, every failing run is saved instead of the last.
    return bool(getattr(current_build_context(), "is_final", True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=mutated())
def test_mutated_real_fixtures_never_crash(raw):
    scans_cleanly(raw, IN_THE_WINDOW, EVERYTHING_SINCE_2000)


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=4000) | st.text(max_size=2000).map(lambda t: ("BEGIN:VCALENDAR\n" + t).encode()))
def test_arbitrary_bytes_never_crash(raw):
    scans_cleanly(raw, EVERYTHING)


def saved_fuzz_inputs() -> list[Path]:
    return sorted(FUZZ.glob("*.ics"))


def test_the_fuzz_folder_holds_regressions():
    assert (FUZZ / "README.md").is_file()
    assert saved_fuzz_inputs(), "tests/data/fuzz/ keeps at least the inputs of past bugs"


@pytest.mark.parametrize("path", saved_fuzz_inputs(), ids=lambda p: p.name[:12])
def test_saved_fuzz_input_scans_cleanly(path):
    scans_cleanly(path.read_bytes(), IN_THE_WINDOW, EVERYTHING_SINCE_2000, EVERYTHING)


# --- the test corpora shipped inside icalendar and recurring-ical-events ----------------------


def corpus() -> list[Path]:
    roots = [Path(icalendar.__file__).parent / "tests", Path(recurring_ical_events.__file__).parent / "test"]
    return sorted(p for root in roots for p in root.rglob("*.ics"))


def test_the_library_corpora_are_present():
    assert len(corpus()) > 100, "the installed packages ship their test calendars"


@pytest.mark.slow
@pytest.mark.parametrize("path", corpus(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_library_corpus_file_scans_cleanly(path):
    code, out, err = scan(path, "--all", "--json", "--from", "1990-01-01", "--to", "2030-12-31", "--now", NOW)
    assert_clean_failure_or_success(code, out, err)


# --- mail headers (CVE-2024-6923 and friends) ----------------------------------------------

HOSTILE_PIECES = [
    "\r",
    "\n",
    "\r\n",
    "\x00",
    "\u2028",
    "\u2029",
    "=?utf-8?q?=0D=0ABcc:_eve@evil.example?=",
    ",",
    '"',
    "'",
    "<",
    ">",
    "Bcc: eve@evil.example",
    "\t",
    "x" * 300,
    "Ünïcödé",
    "\x85",
]
hostile_text = st.lists(st.sampled_from(HOSTILE_PIECES) | st.text(max_size=20), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(name=hostile_text, subject=hostile_text, local=hostile_text)
def test_generated_headers_stay_single_whatever_the_event_says(name, subject, local):
    to = Person(email=f"{local}@example.com" if local else "recruiter@example.com", name=name)
    try:
        message = build_message(
            sender=Person("alex.morgan@example.com", "Alex Morgan"),
            to=to,
            subject=subject,
            body="Hello",
            date=datetime(2026, 12, 1, 9, 0).astimezone(),
            in_reply_to=subject,
        )
    except UnsafeValue:
        return
    raw = bytes(message)
    head = raw.split(b"\n\n", 1)[0].replace(b"\r\n", b"\n")
    assert b"\r" not in head and b"\x00" not in head
    parsed = message_from_bytes(raw, policy=email.policy.default)
    assert len(parsed.get_all("To")) == 1 and len(parsed.get_all("Subject")) == 1
    assert len(parsed.get_all("From")) == 1
    assert parsed.get_all("Cc") is None and parsed.get_all("Bcc") is None
    assert len(parsed["To"].addresses) == 1
    names = {line.split(b":", 1)[0].lower() for line in head.split(b"\n") if line and line[:1] not in b" \t"}
    assert names <= {
        b"from",
        b"to",
        b"subject",
        b"date",
        b"message-id",
        b"in-reply-to",
        b"references",
        b"x-unsent",
        b"content-type",
        b"content-transfer-encoding",
        b"mime-version",
    }


# --- files: a crash mid-write leaves the old file intact -----------------------------------

CRASHING_WRITER = r"""
import os, sys, time
from pathlib import Path
from callfirst.integrations import atomic as userfiles
real_fsync = os.fsync
def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = slow_fsync
userfiles.write_atomic(Path(sys.argv[1]), b"NEW" * 1_000_000, force=True)
"""


def test_a_crash_mid_write_leaves_the_old_file_intact(tmp_path):
    target = tmp_path / "reply.eml"
    target.write_bytes(b"the draft you already had")
    child = subprocess.Popen([sys.executable, "-c", CRASHING_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "writing"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert target.read_bytes() == b"the draft you already had"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("reply.eml", "home")]
    assert all(name.startswith(".reply.eml.") and name.endswith(".tmp") for name in leftovers)


def test_an_error_mid_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    from callfirst.integrations import atomic as userfiles

    target = tmp_path / "google-token.json"
    target.write_text("old token")

    def disk_full(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError, match="No space left on device"):
        userfiles.write_atomic(target, b"new token", force=True, mode=0o600)
    assert target.read_text() == "old token"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["google-token.json", "home"]


@pytest.mark.parametrize(
    "rule, dtstart",
    [
        ("FREQ=SECONDLY", "20300101T000000Z"),  # starts after the window: nothing may be expanded up to it
        (
            "FREQ=DAILY;" + "BYSECOND=" + ",".join(map(str, range(60))) + ";BYMINUTE=" + ",".join(map(str, range(60))),
            "20261201T000000Z",
        ),  # daily in name, secondly in effect
        ("FREQ=MINUTELY;COUNT=100000000", "20261201T000000Z"),
    ],
)
def test_dense_rules_are_bounded_in_long_windows(tmp_path, rule, dtstart):
    path = tmp_path / "dense.ics"
    path.write_bytes(
        calendar_with(
            f"BEGIN:VEVENT\nUID:dense@example.com\nDTSTART:{dtstart}\nRRULE:{rule}\n"
            f"SUMMARY:Interview loop\nEND:VEVENT\n"
        )
    )
    code, out, err = scan(path, "--now", NOW, "--all", "--json", "--from", "2000-01-01", "--to", "2040-01-01")
    assert_clean_failure_or_success(code, out, err)
    dense = [item for item in json.loads(out) if item["uid"] == "dense@example.com"]
    assert len(dense) <= 500
    assert {"good-1@example.com", "good-2@example.com"} <= {item["uid"] for item in json.loads(out)}


@pytest.mark.parametrize(
    "rule",
    ["FREQ=WEEKLY;INTERVAL=0", "FREQ=YEARLY;INTERVAL=0;BYDAY=1MO", "FREQ=DAILY;INTERVAL=-2;COUNT=3"],
)
@pytest.mark.parametrize("moved", [False, True])
def test_an_rrule_that_steps_by_nothing_is_an_error_not_a_hang(tmp_path, rule, moved):
    """dateutil never leaves an INTERVAL of 0 (a moved occurrence with a rule of its own asks it too)."""
    extra = (
        "BEGIN:VEVENT\nUID:still@example.com\nRECURRENCE-ID:20261215T150000Z\nDTSTART:20261215T170000Z\n"
        "RRULE:FREQ=DAILY;COUNT=2\nSEQUENCE:0\nSUMMARY:Interview loop\nEND:VEVENT\n"
        if moved
        else ""
    )
    path = tmp_path / "still.ics"
    path.write_bytes(
        calendar_with(
            f"BEGIN:VEVENT\nUID:still@example.com\nDTSTART:20261208T150000Z\nRRULE:{rule}\nSEQUENCE:2\n"
            f"SUMMARY:Interview loop\nEND:VEVENT\n{extra}"
        )
    )
    code, out, err = scan(path, "--now", NOW, "--all", "--json", "--from", "2000-01-01", "--to", "2040-01-01")
    assert_clean_failure_or_success(code, out, err)
    assert code == 1 and "still.ics:14: RRULE has an INTERVAL below 1; event skipped" in err
    assert set(GOOD) <= {item["uid"] for item in json.loads(out)}  # and the moved occurrence, on its own


@pytest.mark.parametrize("name", ["." + "x" * 119, "a, b " + "y" * 100, "Priya (Talent), " + "z" * 90])
def test_a_long_display_name_with_specials_stays_one_quoted_recipient(name):
    message = build_message(
        sender=Person("alex.morgan@example.com", "Alex Morgan"),
        to=Person("recruiter@example.com", name),
        subject="Rescheduling",
        body="Hello",
        date=datetime(2026, 12, 1, 9, 0).astimezone(),
    )
    parsed = message_from_bytes(bytes(message), policy=email.policy.default)
    recipients = parsed["To"].addresses
    assert [r.addr_spec for r in recipients] == ["recruiter@example.com"]
    assert name.startswith(recipients[0].display_name.rstrip())


# --- bounded work: one recurrence budget per scan; parsing that grows linearly ------------------------


def _read(text: str, selector=None):
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from callfirst.ical.prefilter import Selector
    from callfirst.ical.read import read_calendar_data
    from callfirst.model import Window

    now = datetime(2026, 12, 1, tzinfo=UTC)
    selector = selector or Selector(Window(now, now + timedelta(days=90)), lambda _text: True, stems=("interview",))
    return read_calendar_data(text.encode(), "hostile.ics", selector, ZoneInfo("UTC")), selector


GOOD_EVENT = "BEGIN:VEVENT\nUID:good@example.com\nDTSTART:20261210T150000Z\nSUMMARY:Interview at Contoso\nEND:VEVENT\n"


@pytest.mark.parametrize(
    "events",
    [
        # one 330-byte event: yearly, every weekday, every hour, from the year 1600
        "BEGIN:VEVENT\nUID:dense@example.com\nDTSTART:16000101T100000\nDTEND:16000101T110000\n"
        "RRULE:FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=" + ",".join(map(str, range(24))) + "\n"
        "SUMMARY:Interview loop\nEND:VEVENT\n",
        # eight rules every three hours since 1970
        "".join(
            f"BEGIN:VEVENT\nUID:h{i}@example.com\nDTSTART:19700101T0{i}0000Z\nRRULE:FREQ=HOURLY;INTERVAL=3\n"
            "SUMMARY:Interview slot\nEND:VEVENT\n"
            for i in range(8)
        ),
        # the same with white space before the colon, which icalendar reads as a rule too
        "".join(
            f"BEGIN:VEVENT\nUID:s{i}@example.com\nDTSTART:15010101T0{i}0000Z\nDURATION:PT1H\nRRULE :FREQ=DAILY\n"
            "SUMMARY:Interview prep\nEND:VEVENT\n"
            for i in range(8)
        ),
    ],
)
def test_the_recurrence_budget_counts_instances_and_stops_with_a_warning(events):
    result, selector = _read("BEGIN:VCALENDAR\n" + events + GOOD_EVENT + "END:VCALENDAR\n")
    budget = selector.budget
    assert budget.exhausted
    assert budget.spent <= budget.base + budget.per_series * budget.series + 1
    assert any("recurrences cost too much to expand" in p.message for p in result.warnings)
    assert "good@example.com" in {e.uid for e in result.events}, "the rest of the file is still read"


# Rules that yield almost nothing but step through every day since DTSTART: a Friday the 13th at a second
# that moves back a second a day (the usual way: recurring-ical-events), or on a plain daily rule read directly.
SPARSE_RULES = {
    "secondly": "DTSTART:19000101T000000Z\nRRULE:FREQ=SECONDLY;INTERVAL=86399;BYSETPOS=-1;BYDAY=FR;BYMONTHDAY=13",
    "daily": "DTSTART:15000101T000000Z\nDTEND:15000101T010000Z\nRRULE:FREQ=DAILY;BYDAY=FR;BYMONTHDAY=13",
}


def _sparse_calendar(rule: str, size: int) -> str:
    events, count = [], 0
    while sum(map(len, events)) < size:
        events.append(f"BEGIN:VEVENT\nUID:sparse-{count}@example.com\n{rule}\nSUMMARY:Interview slot\nEND:VEVENT\n")
        count += 1
    return "BEGIN:VCALENDAR\n" + "".join(events) + GOOD_EVENT + "END:VCALENDAR\n"


def _dateutil_periods(function) -> int:
    """Periods dateutil's rrule steps through while `function` runs (it asks for one set of days for each),
    counted as they are stepped: the work the expansions do, whatever yields."""
    count = 0

    def profile(frame, event, _arg):
        nonlocal count
        code = frame.f_code
        if event == "call" and code.co_name in _DAY_SETS and code.co_filename.endswith("rrule.py"):
            count += 1

    sys.setprofile(profile)
    try:
        function()
    finally:
        sys.setprofile(None)
    return count


_DAY_SETS = frozenset(("ydayset", "mdayset", "wdayset", "ddayset"))


@pytest.mark.parametrize("rule", sorted(SPARSE_RULES))
def test_the_recurrence_budget_counts_the_steps_of_rules_that_yield_almost_nothing(rule):
    result, selector = _read(_sparse_calendar(SPARSE_RULES[rule], 40_000))
    budget = selector.budget
    assert budget.exhausted and budget.out_of_steps
    # a series is walked only when its steps up to the window's end are affordable
    assert budget.steps <= budget.step_base + budget.steps_per_series * budget.series
    (warning,) = [p for p in result.warnings if "recurrences cost too much" in p.message]
    assert (
        "steps through their rules" in warning.message
        and "and any later recurring event not expanded" in warning.message
    )
    uid = warning.message.split("event '")[1].split("'")[0]
    assert uid.startswith("sparse-") and warning.line == 2 + 6 * int(uid.split("-")[1].split("@")[0])
    assert budget.series < 10, "the rest of the file's series are never walked"
    assert {e.uid for e in result.events} == {"good@example.com"}, "the rest of the file is still read"


def test_the_walk_to_an_occurrence_moved_from_centuries_on_is_counted():
    """recurring-ical-events walks a series as far as a moved occurrence with RANGE=THISANDFUTURE starts before
    its RECURRENCE-ID: a rule stepping through every day up to the year 2500 is not expanded."""
    series = (
        "BEGIN:VEVENT\nUID:far@example.com\nDTSTART:20261101T000000Z\nDTEND:20261101T010000Z\n"
        "RRULE:FREQ=SECONDLY;INTERVAL=86399;BYDAY=FR;BYMONTHDAY=13\nSUMMARY:Interview slot\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:far@example.com\nRECURRENCE-ID;RANGE=THISANDFUTURE:25000113T000000Z\n"
        "DTSTART:20261210T100000Z\nDTEND:20261210T110000Z\nSUMMARY:Interview slot\nEND:VEVENT\n"
    )
    result, selector = _read("BEGIN:VCALENDAR\n" + series + GOOD_EVENT + "END:VCALENDAR\n")
    assert selector.budget.out_of_steps and selector.budget.steps == 0, "refused before any walk"
    assert [
        (p.line, "steps through their rules" in p.message, "'far@example.com'" in p.message) for p in result.warnings
    ] == [(2, True, True)]
    assert {e.uid for e in result.events} == {"good@example.com"}


def test_the_steps_counted_bound_the_steps_dateutil_takes():
    """A small budget, and dateutil's own periods counted as it steps them: never more than the budget counted,
    and nothing more once the budget is spent."""
    from datetime import UTC, datetime, timedelta

    from callfirst.ical.budget import Budget
    from callfirst.ical.prefilter import Selector
    from callfirst.model import Window

    now = datetime(2026, 12, 1, tzinfo=UTC)
    budget = Budget(step_base=100_000, steps_per_series=0)
    selector = Selector(Window(now, now + timedelta(days=90)), lambda _text: True, stems=("interview",), budget=budget)
    text = _sparse_calendar(SPARSE_RULES["secondly"].replace("19000101", "19900101"), 20_000)
    periods = _dateutil_periods(lambda: _read(text, selector))
    assert budget.out_of_steps and 0 < budget.steps <= budget.step_base
    # each walk of a series from 1990 steps through ~13,500 days (twice: the budget's walk and the expansion)
    assert 3 * 13_000 < periods <= budget.steps


def _work(function) -> int:
    """Lines of callfirst code run by `function`: a work counter that does not depend on the machine."""
    import sys

    count = 0

    def trace(frame, _event, _arg):
        nonlocal count
        if "callfirst" in frame.f_code.co_filename:
            count += 1
            return trace
        return None

    sys.settrace(trace)
    try:
        function()
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize(
    "make",
    [
        lambda n: _read(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x@example.com\nDTSTART:20261210T150000Z\nSUMMARY:Interview\n"
            + "".join(f"BEGIN:X-A{i}\n" for i in range(n))
            + "".join(f"END:X-A{i}\n" for i in reversed(range(n)))
            + "END:VEVENT\nEND:VCALENDAR\n"
        ),
        lambda n: _read(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x@example.com\nDTSTART:20261210T150000Z\nSUMMARY:Interview\n"
            + "".join(f"BEGIN:X-A{i}\n" for i in range(n))
            + "".join(f"END:X-B{i}\n" for i in range(n))
            + "END:VEVENT\nEND:VCALENDAR\n"
        ),
        lambda n: __import__("callfirst.config", fromlist=["parse_config"]).parse_config(
            "[profile]\n" + "".join(f"unknown_{i} = {i}\n" for i in range(n)), where="config.toml"
        ),
    ],
    ids=["nested components", "stray END lines", "config with unknown keys"],
)
def test_parsing_work_grows_linearly(make):
    small, large = _work(lambda: make(500)), _work(lambda: make(2000))
    assert large < 6 * small, (small, large)


_INVITATION_HEAD = (
    "From: jobs@contoso.com\r\nTo: alex@example.com\r\nSubject: Interview\r\nMIME-Version: 1.0\r\n"
    "Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\n"
)


@pytest.mark.parametrize("kind", ["ics", "eml"])
@pytest.mark.parametrize(
    ("stray", "told"),
    [
        (lambda i: f"END:{'VEVENT' if i % 2 else 'X-FOO'}", "more END lines without a matching BEGIN are ignored"),
        (lambda i: f"BEGIN:X-FOO{i}", "more BEGIN lines have no END"),
    ],
    ids=["END", "BEGIN"],
)
def test_twenty_thousand_stray_lines_are_told_in_a_few_warnings(tmp_path, kind, stray, told):
    """An invitation with 20,000 lines that close or open nothing: its event is read, the first five stray
    lines are named, the others told in one warning (not one each, which an email's parts then compare)."""
    lines = "".join(stray(i) + "\r\n" for i in range(20_000))
    event = (
        "BEGIN:VEVENT\r\nUID:good-1@example.com\r\nDTSTART:20261210T150000Z\r\nDTEND:20261210T160000Z\r\n"
        "SUMMARY:Interview with Contoso\r\nEND:VEVENT\r\n"
    )
    calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n" + lines + event + "END:VCALENDAR\r\n"
    path = tmp_path / f"stray.{kind}"
    path.write_text(_INVITATION_HEAD + calendar if kind == "eml" else calendar, newline="")
    code, out, err = scan(path, "--now", NOW, "--json")
    assert code == 0, err
    assert [item["uid"] for item in json.loads(out)] == ["good-1@example.com"]
    warnings = err.splitlines()
    assert len(warnings) == 6, warnings[:10]
    assert all(stray(0).split(":")[0] in warning for warning in warnings[:5])
    assert f"19,995 {told} (lines " in warnings[5]


def test_a_hundred_thousand_folded_lines_are_one_value():
    body = "DESCRIPTION:x" + "".join("\n  interview" for _ in range(100_000)) + "\n"
    result, _ = _read(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x@example.com\nDTSTART:20261210T150000Z\nSUMMARY:Interview\n"
        + body
        + "END:VEVENT\nEND:VCALENDAR\n"
    )
    assert [len(e.description) for e in result.events] == [1 + 100_000 * len(" interview")]


def test_a_nul_byte_early_in_a_valid_file_does_not_reject_it(tmp_path):
    path = tmp_path / "nul.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:nul@example.com\nDTSTART:20261210T150000Z\n"
        b"DTEND:20261210T160000Z\nSUMMARY:Interview with Contoso\nDESCRIPTION:a\x00b\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    code, out, err = scan(path, "--now", NOW, "--json")
    assert_clean_failure_or_success(code, out, err)
    assert [item["uid"] for item in json.loads(out)] == ["nul@example.com"]


def test_binary_files_are_still_refused():
    from callfirst.ical.invitation import sniff

    assert sniff(bytes(range(256)) * 8 + b"BEGIN:VCALENDAR") is None
    assert sniff(b"BEGIN:VCALENDAR\r\nX:\x00\r\n") == "ics"


def test_terminal_escape_sequences_leave_no_fragments():
    from callfirst.untrusted import printable

    assert printable("Priya \x1b[5mRaman\x1b[0m \x1b]8;;https://x.example\x07link\x1b]8;;\x07") == "Priya Raman link"


def test_a_deeply_nested_config_is_one_line():
    from callfirst.config import parse_config
    from callfirst.errors import ConfigError

    with pytest.raises(ConfigError, match="nested too deeply"):
        parse_config("a = " + "[" * 100_000 + "]" * 100_000)


def test_an_email_whose_events_each_warn_is_read_in_linear_work(monkeypatch):
    """Each event's warning is told once, found with a set, not a search of the list so far (8,000 events of
    an unknown zone took 10 s): the problems compared grow with the events, not with their square."""
    from callfirst.ical.invitation import read_invitation
    from callfirst.ical.prefilter import Selector
    from callfirst.model import Problem, Window

    def email(n: int) -> bytes:
        events = "".join(
            f"BEGIN:VEVENT\r\nUID:u{i}@x\r\nDTSTART;TZID=Nowhere/Zone{i}:20261210T150000\r\nSUMMARY:Interview {i}\r\n"
            "END:VEVENT\r\n"
            for i in range(n)
        )
        calendar = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n"
        return f"From: a@b.example\r\nContent-Type: text/calendar\r\n\r\n{calendar}".encode()

    compared = [0]
    equal = Problem.__eq__

    def counting(self, other):
        compared[0] += 1
        return equal(self, other)

    monkeypatch.setattr(Problem, "__eq__", counting)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    selector = Selector(Window(now, now + timedelta(days=90)), lambda _text: True)
    counts = []
    for n in (300, 1200):
        compared[0] = 0
        result = read_invitation(email(n), "many.eml", selector, ZoneInfo("UTC"))
        assert len(result.events) == n and len(result.warnings) >= n
        counts.append(compared[0])
    assert counts[1] <= 6 * max(counts[0], 10), counts
