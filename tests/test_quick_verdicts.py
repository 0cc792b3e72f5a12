"""Blocks whose own title rules them out are never parsed, and the interviews found stay exactly those of a
full parse; plan, slots and draft read busy times only in the days that matter."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.exports import SEEKER_LOOKALIKES, generate
from bench.peer import full_parse
from callfirst import api
from callfirst.config import Config, Profile
from callfirst.context import InterviewRef
from callfirst.detection import build_detector
from callfirst.drafts.compose import DraftRequest
from callfirst.ical.prefilter import own_title
from callfirst.model import Event, Window
from callfirst.outcome import Outcome
from callfirst.triage import assess_events, interviews
from tests.helpers import context_for

NOW = datetime(2026, 11, 28, 10, tzinfo=ZoneInfo("UTC"))
UTC = ZoneInfo("UTC")
CONFIG = Config(profile=Profile(timezone="UTC", name="Alex Morgan", email="alex.morgan@example.com"))

TITLES = (
    "Interview with Fabrikam",
    "Interview prep with mentor",
    "Invitation: Interview prep",
    "Mock interview\\, Sam",
    "Interview debrief",
    "Phone screen - Tailspin",
    "User interview #4",
    "Podcast interview",
    "Interview\\nprep",
    "Final round - Northwind",
    "Lunch",
    "Entrevista de trabajo",
    "Vorstellungsgespräch (Vorbereitung)",
    "Interview: Maria Garcia - Data Analyst",
)
# How a title line may be written: plainly, with parameters, in lower case, twice, or inside an alarm.
SHAPES = ("plain", "language", "quoted", "lower", "twice", "alarm", "none")


def _title_lines(title: str, shape: str, other: str) -> list[str]:
    return {
        "plain": [f"SUMMARY:{title}"],
        "language": [f"SUMMARY;LANGUAGE=en:{title}"],
        "quoted": [f'SUMMARY;ALTREP="cid:a:b":{title}'],
        "lower": [f"summary:{title}"],
        "twice": [f"SUMMARY:{title}", f"SUMMARY:{other}"],
        "alarm": ["BEGIN:VALARM", "ACTION:DISPLAY", f"SUMMARY:{other}", "TRIGGER:-PT5M", "END:VALARM"],
        "none": [],
    }[shape]


@st.composite
def calendars(draw: st.DrawFn) -> str:
    """Events and moved occurrences (sharing a UID, with titles of their own) whose titles mix interviews,
    look-alikes and words only in the description."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for index in range(draw(st.integers(1, 6))):
        title = draw(st.sampled_from(TITLES))
        other = draw(st.sampled_from(TITLES))
        shape = draw(st.sampled_from(SHAPES))
        day = NOW + timedelta(days=draw(st.integers(-3, 40)), hours=draw(st.integers(0, 8)))
        recurring = draw(st.booleans())
        description = draw(st.sampled_from(("", "We invite you to an interview.", "Agenda: prep")))
        lines += ["BEGIN:VEVENT", f"UID:e{index}@example.com", f"DTSTART:{day:%Y%m%dT%H%M%S}Z"]
        lines += [f"DTEND:{day + timedelta(hours=1):%Y%m%dT%H%M%S}Z"]
        lines += ["RRULE:FREQ=WEEKLY;COUNT=4"] if recurring else []
        lines += [f"DESCRIPTION:{description}"] if description else []
        lines += _title_lines(title, shape, other)
        lines += ["ORGANIZER;CN=Alex Morgan:mailto:alex.morgan@example.com"] if draw(st.booleans()) else []
        lines.append("END:VEVENT")
        if recurring and draw(st.booleans()):  # a moved occurrence with a title of its own
            moved = day + timedelta(days=7)
            lines += [
                "BEGIN:VEVENT",
                f"UID:e{index}@example.com",
                f"RECURRENCE-ID:{moved:%Y%m%dT%H%M%S}Z",
                f"DTSTART:{moved + timedelta(hours=2):%Y%m%dT%H%M%S}Z",
                f"DTEND:{moved + timedelta(hours=3):%Y%m%dT%H%M%S}Z",
                f"SUMMARY:{draw(st.sampled_from(TITLES))}",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _keys(items):
    return sorted((a.event.uid, a.event.start, a.event.end, a.event.summary, a.notice.tier) for a in items)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=calendars())
def test_titles_that_rule_events_out_leave_the_interviews_of_a_full_parse(tmp_path, text):
    path = tmp_path / "calendar.ics"
    path.write_text(text)
    window = Window(NOW - timedelta(days=5), NOW + timedelta(days=60))
    found = api.scan(context_for(CONFIG, NOW), [str(path)], window=window)
    expected = interviews(assess_events(full_parse(path, window, UTC), NOW, CONFIG, UTC))
    assert _keys(found.assessments) == _keys(expected)


def test_a_title_is_read_only_when_plainly_written():
    assert own_title("BEGIN:VEVENT\nSUMMARY;LANGUAGE=en:Interview prep\\, mentor \nEND:VEVENT") == (
        "Interview prep, mentor"
    )
    assert own_title("SUMMARY:Interview prep\r\nDTSTART:20261201T100000Z\r\n") == "Interview prep"
    assert own_title("BEGIN:VEVENT\nSUMMARY:a\nSUMMARY:b\nEND:VEVENT") is None  # twice
    assert own_title("BEGIN:VEVENT\nsummary:a\nEND:VEVENT") is None  # a name icalendar upper-cases
    assert own_title("BEGIN:VEVENT\nSUMMARY;VALUE=TEXT:a\nEND:VEVENT") is None
    assert own_title("BEGIN:VEVENT\nBEGIN:VALARM\nSUMMARY:prep\nEND:VALARM\nEND:VEVENT") is None  # none
    assert own_title("BEGIN:VEVENT\nSUMMARY:Lunch\nBEGIN:VALARM\nSUMMARY:prep\nEND:VALARM\nEND:VEVENT") == "Lunch"
    assert own_title("SUMMARY:a\nEND:VEVENT\nBEGIN:VTODO\nSUMMARY:x\nEND:VTODO\n") == "a"


def test_the_detector_rules_out_only_what_assess_rules_out():
    detector = build_detector()
    assert detector.title_rules_out("Invitation: Interview prep with mentor")
    assert detector.title_rules_out("Mock interview with Sam")
    assert not detector.title_rules_out("Interview with Fabrikam")
    assert not detector.title_rules_out("")


def test_look_alikes_are_never_read_as_events(tmp_path, monkeypatch):
    """Bounded work: the events read and assessed are the interviews (and their series' partners), not the
    look-alikes."""
    from callfirst.api import finding

    path = tmp_path / "seeker.ics"
    path.write_text(
        generate(3000, seed=13, start=datetime(2026, 6, 1), years=1, lookalike_share=0.2, lookalikes=SEEKER_LOOKALIKES)
    )
    assessed: list[int] = []
    original = finding.assess_events

    def counting(events, *args, **kwargs):
        events = list(events)
        assessed.append(len(events))
        return original(events, *args, **kwargs)

    monkeypatch.setattr(finding, "assess_events", counting)
    window = Window(datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    found = api.scan(context_for(CONFIG, NOW), [str(path)], window=window)
    monkeypatch.undo()
    expected = interviews(assess_events(full_parse(path, window, UTC), NOW, CONFIG, UTC))
    assert _keys(found.assessments) == _keys(expected)
    text = path.read_text()
    lookalikes = sum(text.count(f"SUMMARY:{title}") for title in SEEKER_LOOKALIKES)
    assert lookalikes > 400
    assert sum(assessed) < len(expected) + lookalikes / 10, "look-alike blocks were read"


def _busy_read(monkeypatch):
    """The windows every source is read in, while plan or draft runs."""
    from callfirst.api import finding

    windows: list[tuple[Window, bool]] = []
    original = finding.scan_selected

    def recording(ctx, sources, selector, **kwargs):
        windows.append((selector.window, selector.keep_all_in_window))
        return original(ctx, sources, selector, **kwargs)

    monkeypatch.setattr(finding, "scan_selected", recording)
    return windows


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "export.ics"
    path.write_text(generate(2000, seed=17, start=datetime(2026, 6, 1), years=1, interview_share=0.03))
    return path


def _upcoming_interview(path) -> str:
    window = Window(NOW, NOW + timedelta(days=366))
    assessed = assess_events(full_parse(path, window, UTC), NOW, CONFIG, UTC)
    uids = [a.event.uid for a in assessed]
    return next(a.event.uid for a in interviews(assessed) if uids.count(a.event.uid) == 1)


def _slots_from_whole_calendar(ctx, path, uid):
    """The free times offered when every event of the year is busy time (as before the narrow read)."""
    from callfirst.api.free_times import suggest
    from callfirst.model import ScanResult

    chosen = api.choose_interview(ctx, InterviewRef(str(path), event=uid))
    year = Window(NOW - timedelta(days=1), NOW + timedelta(days=366))
    calendar = api.scan(ctx, [str(path)], window=year, include_all=True).assessments
    from dataclasses import replace

    found = suggest(ctx, str(path), replace(chosen, calendar=calendar), (), ScanResult((), now=NOW), None)
    return [(s.start, s.end) for s in found.search.slots]


def test_plan_reads_only_the_days_of_its_free_times_and_offers_the_same(export, monkeypatch):
    ctx = context_for(CONFIG, NOW)
    uid = _upcoming_interview(export)
    expected = _slots_from_whole_calendar(ctx, export, uid)
    windows = _busy_read(monkeypatch)
    result = api.plan(ctx, InterviewRef(str(export), event=uid))
    assert result.chosen.item.event.uid == uid
    assert [(s.start, s.end) for s in result.plan.draft.proposals] == expected[: len(result.plan.draft.proposals)]
    assert result.plan.draft.proposals, "free times were offered"
    everything = [w for w, keep_all in windows if keep_all]
    assert everything and all(w.end - w.start <= timedelta(days=30) for w in everything), windows
    assert not any(keep_all and w.end - w.start > timedelta(days=30) for w, keep_all in windows)


def test_draft_reads_the_days_around_a_time_agreed_far_ahead(export, monkeypatch):
    ctx = context_for(CONFIG, NOW)
    uid = _upcoming_interview(export)
    agreed = datetime(2027, 5, 10, 15, tzinfo=UTC)
    windows = _busy_read(monkeypatch)
    api.draft(ctx, InterviewRef(str(export), event=uid), DraftRequest(called=Outcome.REACHED, agreed=agreed))
    read = [w for w, keep_all in windows if keep_all]
    assert any(w.start <= agreed < w.end for w in read), read
    assert all(w.end - w.start <= timedelta(days=30) for w in read), read


def test_without_event_the_one_interview_is_found_in_interview_mode(tmp_path, monkeypatch):
    path = tmp_path / "one.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
        + "".join(
            f"BEGIN:VEVENT\r\nUID:l{i}@x\r\nDTSTART:20261201T1{i}0000Z\r\nDTEND:20261201T1{i}3000Z\r\n"
            f"SUMMARY:{title}\r\nEND:VEVENT\r\n"
            for i, title in enumerate(("Lunch", "Interview prep", "Interview with Fabrikam", "Gym"))
        )
        + "END:VCALENDAR\r\n"
    )
    windows = _busy_read(monkeypatch)
    chosen = api.choose_interview(context_for(CONFIG, NOW), InterviewRef(str(path)))
    assert chosen.item.event.uid == "l2@x"
    assert [keep_all for _, keep_all in windows] == [False]


def test_plan_reports_its_reading_and_the_command_shows_a_bar_only_on_a_terminal(export, tmp_path):
    from callfirst.cli.output import progress_shown

    from .helpers import make_env

    seen: list[tuple[str, int, int]] = []
    ctx = context_for(CONFIG, NOW, progress=lambda *args: seen.append(args))
    api.plan(ctx, InterviewRef(str(export), event=_upcoming_interview(export)))
    size = export.stat().st_size
    assert seen and all(source == str(export) for source, _, _ in seen)
    assert (str(export), size, size) in seen, "the reading is reported up to the whole file"
    terminal = make_env(tmp_path, term="xterm-256color", stderr_isatty=True, stdout_isatty=True)
    with progress_shown(terminal, ctx) as shown:
        assert shown.progress is not None and shown.progress.enabled  # type: ignore[attr-defined]
    with progress_shown(terminal.but(stdout_isatty=False), ctx, as_json=True) as shown:
        assert not shown.progress.enabled  # type: ignore[union-attr]


DATE_LINES = (
    "DTSTART:{d:%Y%m%d}T100000Z",
    "DTSTART;TZID=Europe/Berlin:{d:%Y%m%d}T100000",
    "DTSTART;VALUE=DATE:{d:%Y%m%d}",
    "DTEND:{e:%Y%m%d}T110000Z",
    "DTEND;VALUE=DATE:{e:%Y%m%d}",
    "DTSTART:{d:%Y%m%d}T1\r\n 00000Z",
    "DURATION:PT1H",
    "BEGIN:VALARM\r\nDTSTART:{e:%Y%m%d}T100000Z\r\nEND:VALARM",
    "dtstart:{e:%Y%m%d}",
    "DTEND:2026-12-01",
)


@settings(max_examples=200, deadline=None)
@given(
    blocks=st.lists(
        st.tuples(st.lists(st.sampled_from(DATE_LINES), max_size=4), st.integers(-400, 400), st.integers(0, 800)),
        min_size=1,
        max_size=6,
    ),
    days=st.sampled_from([3, 90]),
)
def test_blocks_set_aside_by_their_dates_are_those_may_overlap_sets_aside(blocks, days):
    from callfirst.ical.prefilter import _all, _surely_elsewhere, may_overlap, searchable

    window = Window(NOW, NOW + timedelta(days=days))
    raws = []
    for lines, offset, length in blocks:
        start = NOW + timedelta(days=offset)
        text = "\r\n".join(line.format(d=start, e=start + timedelta(days=length)) for line in lines)
        raws.append(
            f"BEGIN:VEVENT\r\nUID:x\r\n{text}\r\nSUMMARY:Interview\r\nEND:VEVENT\r\n".replace("\r\n\r\n", "\r\n")
        )
    data = ("BEGIN:VCALENDAR\r\n" + "".join(raws) + "END:VCALENDAR\r\n").encode()
    copy = searchable(data)
    opens, closes = _all(copy, b"\nbegin:vevent\n"), _all(copy, b"\nend:vevent\n")
    assert len(opens) == len(raws)
    for index in _surely_elsewhere(copy, opens, closes, window):
        assert not may_overlap(raws[index], window), raws[index]


@pytest.mark.slow
def test_every_event_of_a_whole_export_is_expanded_within_the_budget(tmp_path):
    """Series ended by UNTIL or COUNT are charged the steps up to their end, not up to a far window's end."""
    path = tmp_path / "export.ics"
    path.write_text(generate(3000, seed=29, start=datetime(2026, 1, 1), years=1))
    window = Window(datetime(2000, 1, 1, tzinfo=UTC), datetime(2060, 1, 1, tzinfo=UTC))
    found = api.scan(context_for(CONFIG, NOW), [str(path)], window=window, include_all=True)
    assert found.warnings == ()
    expected = assess_events(full_parse(path, window, UTC), NOW, CONFIG, UTC)
    assert _keys(found.assessments) == _keys(expected)


def test_a_long_scan_table_is_printed_in_chunks_with_every_row_and_one_header(tmp_path):
    import io

    from rich.console import Console

    from callfirst.api import event_references
    from callfirst.cli.output import CHUNK, print_scan_table

    path = tmp_path / "export.ics"
    path.write_text(generate(1500, seed=31, start=datetime(2026, 11, 1), years=0.25))
    window = Window(NOW, NOW + timedelta(days=60))
    result = api.scan(context_for(CONFIG, NOW), [str(path)], window=window, include_all=True)
    assert len(result.assessments) > 2 * CHUNK
    screen = io.StringIO()
    print_scan_table(Console(file=screen, width=400, color_system=None), result, show_verdict=True)
    text = screen.getvalue()
    assert text.count("Interviews (times in") == 1 and text.count(" When ") == 1
    lines = text.splitlines()
    for reference in event_references(result.assessments):
        assert any(reference in line for line in lines), reference


# Blocks organized by the owner or by others, with guests or none, some speaking to the owner as the candidate.
OWNER_LINES = (
    "ORGANIZER;CN=Alex Morgan:mailto:alex.morgan@example.com",
    "ORGANIZER:MAILTO:Alex.Morgan@Example.com",
    'ORGANIZER;CN="Morgan, Alex";SENT-BY="mailto:coordinator@fabrikam.example":mailto:alex.morgan@example.com',
    'ORGANIZER;SENT-BY="mailto:alex.morgan@example.com":mailto:alex.morgan@example.com',
    "ORGANIZER;CN=Priya Raman:mailto:priya.raman@example.com",
    "organizer:mailto:alex.morgan@example.com",
    "ORGANIZER;CN=A^'B:mailto:alex.morgan@example.com",
)
GUESTS = (
    "ATTENDEE;CN=Maria Garcia;PARTSTAT=NEEDS-ACTION:mailto:maria.garcia@gmail.com",
    "ATTENDEE;CN=Alex Morgan;PARTSTAT=ACCEPTED:mailto:alex.morgan@example.com",
    'ATTENDEE;CN="Chen, Wei":mailto:wei.chen@example.com',
    "ATTENDEE:mailto:recruiter@fabrikam.example",
)
OWNED_TITLES = (
    "Interview: Maria Garcia - Data Analyst",
    "Interview with Fabrikam",
    "Phone screen - Tailspin",
    "Interview debrief",
    "Team standup",
    "Interview\\, Wei Chen (Backend Engineer)",
)
DESCRIPTIONS = (
    "",
    "Thank you for your application. We would like to invite you to an interview.",
    "Your interview with Fabrikam is scheduled.",
    "Candidate: Alex Morgan",
    "Candidate: Wei Chen\\nScorecard attached",
    "Agenda: updates\\, blockers",
)


@st.composite
def owned_blocks(draw: st.DrawFn) -> list[list[str]]:
    """VEVENT blocks (their lines) organized by the owner or others, titled and described in many ways."""
    blocks = []
    for index in range(draw(st.integers(1, 6))):
        day = NOW + timedelta(days=draw(st.integers(1, 40)), hours=draw(st.integers(0, 8)))
        lines = ["BEGIN:VEVENT", f"UID:o{index}@example.com", f"DTSTART:{day:%Y%m%dT%H%M%S}Z"]
        lines += [f"DTEND:{day + timedelta(hours=1):%Y%m%dT%H%M%S}Z", f"SUMMARY:{draw(st.sampled_from(OWNED_TITLES))}"]
        description = draw(st.sampled_from(DESCRIPTIONS))
        lines += [f"DESCRIPTION:{description}"] if description else []
        lines += draw(st.lists(st.sampled_from(OWNER_LINES), max_size=2))
        lines += draw(st.lists(st.sampled_from(GUESTS), max_size=3, unique=True))
        lines += ["RRULE:FREQ=WEEKLY;COUNT=3"] if draw(st.booleans()) else []
        lines.append("END:VEVENT")
        blocks.append(lines)
    return blocks


def _calendar(blocks: list[list[str]]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *(line for block in blocks for line in block)]
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blocks=owned_blocks())
def test_the_verdict_on_a_block_the_owner_organizes_is_the_full_parse_verdict(tmp_path, blocks):
    from callfirst.api.finding import _owned_rules_out
    from callfirst.ical.lines import own_fields

    path = tmp_path / "calendar.ics"
    path.write_text(_calendar(blocks))
    window = Window(NOW - timedelta(days=5), NOW + timedelta(days=60))
    assessed = assess_events(full_parse(path, window, UTC), NOW, CONFIG, UTC)
    verdicts = {a.event.uid: a.verdict.is_interview for a in assessed}
    rules_out = _owned_rules_out(build_detector(), CONFIG.profile)
    for index, block in enumerate(blocks):
        text = "\r\n".join(block)
        fields = own_fields(text)
        owned = fields is not None and fields.organizer is not None and fields.organizer.email.lower() == OWNER
        # the raw text decides exactly when it plainly names the owner as organizer, and is never wrong
        assert rules_out(text) == (owned and not verdicts[f"o{index}@example.com"]), text
    found = api.scan(context_for(CONFIG, NOW), [str(path)], window=window)
    assert _keys(found.assessments) == _keys(interviews(assessed))


OWNER = "alex.morgan@example.com"


def test_a_read_of_an_owned_block_is_what_icalendar_gives():
    from callfirst.ical.lines import own_fields

    fields = own_fields(
        'BEGIN:VEVENT\r\nSUMMARY:Interview\\, Wei\r\nORGANIZER;CN="Morgan, Alex":MAILTO:Alex@x.example\r\n'
        "ATTENDEE;CN=Wei;PARTSTAT=accepted:mailto:wei@y.example\r\nBEGIN:VALARM\r\nDESCRIPTION:x\r\nEND:VALARM\r\n"
        "DESCRIPTION: Candidate: Wei \r\nEND:VEVENT\r\nSUMMARY:after"
    )
    assert fields is not None
    assert (fields.summary, fields.description, fields.location) == ("Interview, Wei", "Candidate: Wei", "")
    assert fields.organizer is not None and (fields.organizer.email, fields.organizer.name) == (
        "Alex@x.example",
        "Morgan, Alex",
    )
    assert [(a.email, a.name, a.partstat) for a in fields.attendees] == [("wei@y.example", "Wei", "ACCEPTED")]
    assert own_fields("ORGANIZER:mailto:a@x\nORGANIZER:mailto:b@x\n") is None  # twice
    assert own_fields("description:x\nEND:VEVENT") is None  # a name icalendar upper-cases
    assert own_fields("SUMMARY;VALUE=TEXT:x\nEND:VEVENT") is None
    assert own_fields("ATTENDEE;CN=a^'b:mailto:a@x\nEND:VEVENT") is None


def test_the_interviews_the_owner_conducts_are_never_read_as_events(tmp_path, monkeypatch):
    """Bounded work: blocks the owner organizes for a candidate are judged from their text, never parsed (unless
    another block with their UID, a moved occurrence that is an interview, is read)."""
    from callfirst.api import finding

    path = tmp_path / "interviewer.ics"
    path.write_text(generate(3000, seed=19, start=datetime(2026, 6, 1), years=1, conducted_share=0.2))
    assessed: list[Event] = []
    original = finding.assess_events

    def counting(events, *args, **kwargs):
        events = list(events)
        assessed.extend(events)
        return original(events, *args, **kwargs)

    monkeypatch.setattr(finding, "assess_events", counting)
    window = Window(datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    found = api.scan(context_for(CONFIG, NOW), [str(path)], window=window)
    monkeypatch.undo()
    everything = assess_events(full_parse(path, window, UTC), NOW, CONFIG, UTC)
    expected = interviews(everything)
    assert _keys(found.assessments) == _keys(expected)
    conducted = [a.event for a in everything if "you organize it" in " ".join(a.verdict.signals)]
    assert len({e.uid for e in conducted}) > 400
    read = [e for e in assessed if e.organizer and e.organizer.email == OWNER]
    assert {e.uid for e in read} <= {a.event.uid for a in expected}, "the owner's own interviewing was read"
