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


def test_no_bar_for_pipes_and_json_into_a_pipe(monkeypatch):
    from callfirst.cli import output as cli

    class Stream:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.setattr(sys, "stderr", Stream(True))
    monkeypatch.setattr(sys, "stdout", Stream(True))
    assert cli.progress_wanted(as_json=False) and cli.progress_wanted(as_json=True)
    monkeypatch.setattr(sys, "stdout", Stream(False))
    assert cli.progress_wanted(as_json=False) and not cli.progress_wanted(as_json=True)
    monkeypatch.setattr(sys, "stderr", Stream(False))
    assert not cli.progress_wanted(as_json=False)
    monkeypatch.setattr(sys, "stderr", Stream(True))
    monkeypatch.setenv("TERM", "dumb")
    assert not cli.progress_wanted(as_json=False)


def test_streamed_json_is_the_same_text_as_the_whole_array(tmp_path):
    import io
    import json

    from callfirst.cli.output import scan_json, write_scan_json

    path = tmp_path / "export.ics"
    path.write_text(generate(300, seed=2, start=datetime(2026, 10, 1), years=0.5))
    config = Config(profile=Profile(timezone="UTC"))
    for include_all in (True, False):
        result = api.scan(
            [str(path)], config, now=NOW, window=Window(NOW, NOW + timedelta(days=60)), include_all=include_all
        )
        stream = io.StringIO()
        write_scan_json(result, stream)
        assert stream.getvalue() == json.dumps(scan_json(result), indent=2, ensure_ascii=False) + "\n"
    empty = io.StringIO()
    write_scan_json(api.scan([str(path)], config, now=NOW, window=Window(NOW, NOW + timedelta(hours=1))), empty)
    assert empty.getvalue() == "[]\n"
