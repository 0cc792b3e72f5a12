"""What reaches a terminal from an event is printable, never Rich markup, and the To shown is the To sent."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callfirst.drafts.compose import Draft, Reason, readable
from callfirst.drafts.message import build_message
from callfirst.errors import UnsafeValue
from callfirst.model import Person
from callfirst.outcome import Outcome

from .helpers import run
from .test_hostile import hostile_text

NOW = "2026-12-01T08:30:00-06:00"
ESCAPES = "\x1b[2J\x1b]8;;https://evil.example\x07\x9b31m\u202e"
MARKUP = "[link=https://evil.example]click[/link] [bold]loud[/bold]"


def calendar(path: Path, organizer: str, summary: str = "Interview with Northwind", zone_name: str = "EST") -> Path:
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Custom Office Time\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        f"TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0500\r\nTZNAME:{zone_name}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VEVENT\r\nUID:iv-1@example.com\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART;TZID=Custom Office Time:20261209T100000\r\nDTEND;TZID=Custom Office Time:20261209T110000\r\n"
        f"SUMMARY:{summary}\r\n{organizer}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    return path


PRIYA = "ORGANIZER;CN=Priya Raman:mailto:priya@northwind.example"


def assert_nothing_a_terminal_acts_on(text: str) -> None:
    assert not any(ch in text for ch in "\x1b\x07\x9b\u202e"), repr(text)


# --- escape sequences and markup ------------------------------------------------------------------


def test_scan_table_shows_markup_and_zone_names_literally_and_drops_escape_sequences(env, tmp_path):
    source = calendar(tmp_path / "cal.ics", PRIYA, summary=f"Interview {ESCAPES} {MARKUP}", zone_name="[/]")
    code, out, err = run(env, "scan", source, "--now", NOW)
    assert code == 0, err
    assert_nothing_a_terminal_acts_on(out)
    assert "[link=https://evil.example]click[/link]" in "".join(out.replace("│", "").split())
    assert "[/]" in out, "the zone name is shown as written, not read as markup"


def test_scan_json_escapes_what_a_terminal_would_act_on_and_keeps_the_data(env, tmp_path):
    source = calendar(tmp_path / "cal.ics", PRIYA, summary=f"Interview {ESCAPES}")
    code, out, err = run(env, "scan", source, "--now", NOW, "--json")
    assert code == 0, err
    assert_nothing_a_terminal_acts_on(out)
    assert json.loads(out)[0]["summary"] == f"Interview {ESCAPES}"


def test_json_escaping_takes_exactly_the_control_format_and_separator_characters_of_every_code_point():
    import unicodedata

    from callfirst.untrusted import escaped_invisible

    text = "".join(map(chr, range(0x110000)))
    hidden = {"Cc", "Cf", "Zl", "Zp"}
    expected = "".join(f"\\u{ord(ch):04x}" if ch != "\n" and unicodedata.category(ch) in hidden else ch for ch in text)
    assert escaped_invisible(text) == expected


@pytest.mark.parametrize("command", [("plan",), ("draft", "--called", "reached"), ("slots",)])
def test_plan_draft_and_slots_print_no_escape_sequence(env, tmp_path, command):
    source = calendar(tmp_path / "cal.ics", PRIYA, summary=f"Interview {ESCAPES} {MARKUP}")
    code, out, err = run(env, *command[:1], source, *command[1:], "--now", NOW)
    assert code == 0, err
    assert_nothing_a_terminal_acts_on(out + err)
    assert out.strip()


def test_an_error_listing_event_text_prints_no_escape_sequence(env, tmp_path):
    series = f"{PRIYA}\r\nRRULE:FREQ=DAILY;COUNT=2"
    source = calendar(tmp_path / "cal.ics", series, summary=f"Interview {ESCAPES}")
    code, _, err = run(env, "plan", source, "--now", NOW)
    assert code == 1 and "holds 2 interviews" in err
    assert_nothing_a_terminal_acts_on(err)


# --- the To shown is the To the draft gets --------------------------------------------------------

ORGANIZERS = {
    "name_with_another_address": 'ORGANIZER;CN="Priya <evil@x.example>":mailto:priya@northwind.example',
    "two_addresses": "ORGANIZER;CN=Priya Raman:mailto:priya@northwind.example,evil@x.example",
    "quoted_comma": 'ORGANIZER;CN="Raman, Priya":mailto:priya@northwind.example',
}


def eml_to(env, source: Path, out: Path) -> str:
    code, _, err = run(env, "draft", source, "--now", NOW, "--called", "reached", "--out", out)
    assert code == 0, err
    return str(email.message_from_bytes(out.read_bytes(), policy=email.policy.default)["To"])


@pytest.mark.parametrize("organizer", ORGANIZERS.values(), ids=ORGANIZERS.keys())
def test_draft_on_stdout_and_plan_show_the_to_the_eml_gets(env, tmp_path, organizer):
    source = calendar(tmp_path / "cal.ics", organizer)
    sent_to = eml_to(env, source, tmp_path / "reply.eml")
    assert "evil" not in sent_to
    code, out, err = run(env, "draft", source, "--now", NOW, "--called", "reached")
    assert code == 0, err
    assert [line for line in out.splitlines() if line.startswith("To:")] == [f"To: {sent_to}"]
    code, out, err = run(env, "plan", source, "--now", NOW)
    assert code == 0, err
    assert f"  To:      {sent_to}\n" in out and "evil" not in out


def draft_to(person: Person) -> Draft:
    return Draft(
        to=person,
        sender=Person("alex.morgan@example.com", "Alex Morgan"),
        subject="Rescheduling",
        body="Hello\n",
        reason=Reason.CONFLICT,
        called=Outcome.REACHED,
    )


@settings(max_examples=200, deadline=None)
@given(name=hostile_text, local=hostile_text, tail=st.sampled_from(["", ",evil@x.example", "\nBcc: evil@x.example"]))
def test_whatever_the_organizer_says_the_to_shown_is_the_to_built(name, local, tail):
    person = Person(email=f"{local or 'priya'}@northwind.example{tail}", name=name)
    shown = readable(draft_to(person))
    head = shown.split("\n\n", 1)[0].split("\n")
    assert len(head) == 3 and head[1].startswith("To: "), "one From, one To, one Subject line"
    try:
        message = build_message(
            sender=Person("alex.morgan@example.com"), to=person, subject="s", body="b", date=datetime.now(UTC)
        )
    except UnsafeValue:
        assert head[1] == "To: (no usable organizer address)"
        return
    parsed = email.message_from_bytes(bytes(message), policy=email.policy.default)
    # compared without white space: decoding RFC 2047 words may add a space where a long name was split
    assert "".join(head[1].split()) == "".join(f"To: {parsed['To']}".split())


@pytest.mark.parametrize("columns", [80, 120])
def test_the_plan_wraps_at_word_boundaries_to_the_terminal(env, columns):
    """At 80 columns the script broke mid-word ('confl' / 'ict'); each line now fits, no word is cut, and a
    pipe gets the lines whole."""
    from pathlib import Path

    invite = Path(__file__).resolve().parent.parent / "examples" / "invite.eml"
    now = "2026-12-01T08:30:00-06:00"
    code, out, err = run(env.but(columns=columns, stdout_isatty=True), "plan", invite, "--now", now)
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) < columns
    code, whole, _ = run(env.but(columns=columns), "plan", invite, "--now", now)
    assert " ".join(out.split()) == " ".join(whole.split()), "the same words, only the line breaks differ"
    assert max(len(line) for line in whole.splitlines()) >= columns or columns == 120


def test_the_plans_script_is_wrapped_once_to_the_terminal_not_wrapped_again(tmp_path):
    """At 80 columns each sentence of the script is one paragraph wrapped at word boundaries, with no short
    fragments left by a second wrapping."""
    import shutil
    import textwrap

    from .helpers import make_env, run

    home = tmp_path / "home"
    shutil.copytree(Path(__file__).parent.parent / "examples" / "home", home)
    env = make_env(home, stdout_isatty=True).but(columns=80)
    invite = Path(__file__).parent.parent / "examples" / "invite.eml"
    code, out, err = run(env, "plan", invite, "--now", "2026-12-01T08:30:00-06:00")
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 79
    sentence = (
        "I'm afraid I have a scheduling conflict, and I need to reschedule. I'm very sorry for the inconvenience."
    )
    expected = textwrap.fill(sentence, 79, initial_indent=" " * 5, subsequent_indent=" " * 5, break_on_hyphens=False)
    assert expected in out
