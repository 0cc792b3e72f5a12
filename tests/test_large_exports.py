"""The streaming reader finds exactly what a full icalendar parse finds."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from callfirst import api
from callfirst.config import Config, Profile
from callfirst.ical.convert import to_event as _to_event
from callfirst.model import Window
from callfirst.triage import assess_events, interviews

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
from exports import generate

NOW = datetime(2026, 11, 28, 10, tzinfo=ZoneInfo("UTC"))


def test_streaming_scan_matches_full_parse(tmp_path):
    path = tmp_path / "export.ics"
    path.write_text(generate(3000, seed=11, interview_share=0.05, start=datetime(2026, 6, 1), years=1))
    config = Config(profile=Profile(timezone="UTC"))
    window = Window(NOW, NOW + timedelta(days=90))

    streamed = api.scan([str(path)], config, now=NOW, window=window)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    occurrences = recurring_ical_events.of(calendar).between(window.start, window.end)
    full = interviews(
        assess_events([_to_event(c, str(path), 0, ZoneInfo("UTC"), {}, True) for c in occurrences], NOW, config)
    )

    def key(items):
        return sorted((a.event.uid, a.event.start, a.event.end, a.event.summary, a.notice.tier) for a in items)

    assert streamed.errors == ()
    assert len(full) > 5, "the generated export holds interviews in the window"
    assert key(streamed.assessments) == key(full)


def test_all_mode_keeps_every_event_in_the_window(tmp_path):
    path = tmp_path / "export.ics"
    path.write_text(generate(1500, seed=5, start=datetime(2026, 6, 1), years=1))
    config = Config(profile=Profile(timezone="UTC"))
    window = Window(NOW, NOW + timedelta(days=30))
    streamed = api.scan([str(path)], config, now=NOW, window=window, include_all=True)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    full = recurring_ical_events.of(calendar).between(window.start, window.end)
    assert sorted((a.event.uid, a.event.start) for a in streamed.assessments) == sorted(
        (str(c["UID"]), _to_event(c, "", 0, ZoneInfo("UTC"), {}, True).start) for c in full
    )


def test_progress_is_reported_up_to_the_whole_file(tmp_path):
    path = tmp_path / "export.ics"
    path.write_text(generate(5000, seed=3))
    seen: list[tuple[str, int, int]] = []
    api.scan(
        [str(path)],
        Config(profile=Profile(timezone="UTC")),
        now=NOW,
        window=Window(NOW, NOW + timedelta(days=90)),
        progress=lambda *args: seen.append(args),
    )
    size = path.stat().st_size
    assert len(seen) >= 4 and all(source == str(path) and total == size for source, _, total in seen)
    done = [d for _, d, _ in seen]
    assert done == sorted(done) and done[-1] == size


def test_the_bar_appears_only_after_a_second_and_only_when_enabled():
    import io

    from rich.console import Console

    from callfirst.cli.output import Progress as _Progress

    now = [0.0]
    screen = io.StringIO()
    bar = _Progress(enabled=True, clock=lambda: now[0], console=Console(file=screen, force_terminal=True, width=80))
    bar("cal.ics", 10, 100)
    assert bar.bar is None and screen.getvalue() == "", "quick scans show nothing"
    now[0] = 1.5
    bar("cal.ics", 50, 100)
    assert bar.bar is not None and bar.bar.tasks[0].completed == 50
    bar.close()
    assert "reading cal.ics" in screen.getvalue()
    quiet = _Progress(enabled=False, clock=lambda: now[0] + 10)
    quiet("cal.ics", 1, 2)
    assert quiet.bar is None


def test_no_bar_for_pipes_and_json_into_a_pipe(tmp_path):
    from callfirst.cli.output import progress_wanted

    from .helpers import make_env

    terminal = make_env(tmp_path, term="xterm-256color", stderr_isatty=True, stdout_isatty=True)
    assert progress_wanted(terminal, as_json=False) and progress_wanted(terminal, as_json=True)
    into_pipe = terminal.but(stdout_isatty=False)
    assert progress_wanted(into_pipe, as_json=False) and not progress_wanted(into_pipe, as_json=True)
    assert not progress_wanted(terminal.but(stderr_isatty=False), as_json=False)
    assert not progress_wanted(terminal.but(term="dumb"), as_json=False)
