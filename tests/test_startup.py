"""Start-up: commands import only what they use (Google's libraries only when Google is used)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = r"""
import json, sys
from callfirst.cli import main
code = main(sys.argv[1:])
heavy = sorted({m.split(".")[0] for m in sys.modules
                if m.split(".")[0] in ("google", "googleapiclient", "httplib2", "google_auth_oauthlib", "jinja2",
                                       "phonenumbers", "icalendar", "recurring_ical_events")})
reader = sorted(m for m in ("callfirst.ical.read", "callfirst.model", "callfirst.config") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy, "reader": reader}), file=sys.stderr)
"""


def loaded(home, *args) -> dict:
    env = dict(os.environ, CALLFIRST_HOME=str(home), NO_COLOR="1")
    done = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], capture_output=True, text=True, env=env)
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_help_imports_no_calendar_mail_or_google_library(home):
    result = loaded(home, "--help")
    assert result == {"code": 0, "heavy": [], "reader": []}, "nor callfirst's own reader, model or config"


def test_the_waking_hours_init_offers_are_the_ones_proposals_assume():
    from callfirst.profile import DEFAULT_HOURS
    from callfirst.proposals import DEFAULT_WAKING

    assert f"{DEFAULT_WAKING[0]:%H:%M}-{DEFAULT_WAKING[1]:%H:%M}" == DEFAULT_HOURS


def test_scanning_a_file_never_loads_google(home, data):
    result = loaded(
        home, "scan", data / "recurring_series_with_exdate_and_moved_occurrence.ics", "--now", "2026-12-01T09:00:00Z"
    )
    assert result["code"] == 0
    assert not {"google", "googleapiclient", "httplib2", "google_auth_oauthlib", "jinja2"} & set(result["heavy"])
    assert "icalendar" in result["heavy"], "the probe sees what a scan does load"


def test_a_small_calendar_file_loads_no_mail_or_phone_library(home, tmp_path):
    path = tmp_path / "plain.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a@example.com\nDTSTART:20261201T100000Z\nDTEND:20261201T110000Z\n"
        "SUMMARY:Dentist\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    probe = PROBE.replace('"phonenumbers", ', '"phonenumbers", "email", ')
    env = dict(os.environ, CALLFIRST_HOME=str(home), NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-c", probe, "scan", str(path), "--all", "--now", "2026-11-30T09:00:00Z"],
        capture_output=True,
        text=True,
        env=env,
    )
    result = json.loads(done.stderr.strip().splitlines()[-1])
    assert result["code"] == 0
    assert not {"email", "phonenumbers"} & set(result["heavy"])
