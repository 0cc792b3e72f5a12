"""The streaming reader finds exactly what a full icalendar parse finds."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from callfirst import api
from callfirst.assess import assess_events, interviews
from callfirst.config import Config, Profile
from callfirst.integrations.ics import _to_event
from callfirst.model import Window

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
from exports import generate  # noqa: E402

NOW = datetime(2026, 11, 28, 10, tzinfo=ZoneInfo("UTC"))


def test_streaming_scan_matches_full_parse(tmp_path):
    path = tmp_path / "export.ics"
    path.write_text(generate(3000, seed=11, interview_share=0.05, start=datetime(2026, 6, 1), years=1))
    config = Config(profile=Profile(timezone="UTC"))
    window = Window(NOW, NOW + timedelta(days=90))

    streamed = api.scan([str(path)], config, now=NOW, window=window)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    occurrences = recurring_ical_events.of(calendar).between(window.start, window.end)
    full = interviews(assess_events([_to_event(c, str(path), 0, ZoneInfo("UTC"), {}, True) for c in occurrences],
                                    NOW, config))

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
    assert sorted((a.event.uid, a.event.start) for a in streamed.assessments) == \
        sorted((str(c["UID"]), _to_event(c, "", 0, ZoneInfo("UTC"), {}, True).start) for c in full)
