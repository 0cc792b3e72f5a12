from __future__ import annotations

from datetime import UTC, datetime

from callfirst.model import Event
from callfirst.phones import find_phones, region_for

T = datetime(2026, 12, 2, 15, tzinfo=UTC)


def phones(description="", location="", region="US", context=""):
    event = Event(
        uid="x",
        summary="Interview",
        start=T,
        end=T,
        timezone="UTC",
        description=description,
        location=location,
        context_text=context,
    )
    return [p.e164 for p in find_phones(event, region)]


def test_national_numbers_use_the_profile_region():
    assert phones("Call Priya at (646) 555-0198") == ["+16465550198"]
    assert phones("Ruf an: 089 1234 5678", region="DE") == ["+498912345678"]
    assert phones("Call Priya at (646) 555-0198", region=None) == []


def test_international_numbers_need_no_region():
    assert phones(location="Tel. +49 89 1234 5678", region=None) == ["+498912345678"]


def test_conference_bridges_are_skipped():
    google = "Join with Google Meet\\nJoin by phone (US) +1 402-555-0111 PIN: 123456789#"
    zoom = (
        "One tap mobile\n+16465588656,,84512345678# US (New York)\n\nDial by your location\n"
        "        +1 646 558 8656 US (New York)\n        +1 669 900 9128 US (San Jose)\nMeeting ID: 845 1234 5678\n\n"
        "Recruiter: +1 415 555 0132"
    )
    assert phones(google.replace("\\n", "\n")) == []
    assert phones(zoom) == ["+14155550132"]


def test_signature_in_the_invitation_email_counts():
    assert phones(context="Best,\nPriya\nDirect: (646) 555-0198") == ["+16465550198"]


def test_region_from_profile():
    assert region_for("de", "") == "DE"
    assert region_for("", "+44 20 7946 0958") == "GB"
    assert region_for("", "") is None
