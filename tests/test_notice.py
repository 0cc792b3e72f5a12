from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callfirst.config import NoticePolicy
from callfirst.model import Tier
from callfirst.notice import assess_notice, business_hours_between, call_at

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
UTC = ZoneInfo("UTC")


def at(zone, *parts):
    return datetime(*parts, tzinfo=zone)


# 2026-11-30 is a Monday.
@pytest.mark.parametrize(
    "now, start, tier",
    [
        (at(NY, 2026, 11, 30, 10), at(NY, 2026, 11, 30, 10), Tier.PAST),
        (at(NY, 2026, 11, 30, 11), at(NY, 2026, 11, 30, 10), Tier.PAST),
        (at(NY, 2026, 11, 30, 22, 1), at(NY, 2026, 12, 1, 2), Tier.URGENT),  # 3 h 59 min, next day
        (at(NY, 2026, 11, 30, 22, 0), at(NY, 2026, 12, 1, 2), Tier.LATE),  # exactly 4 h, next day
        (at(NY, 2026, 11, 30, 7), at(NY, 2026, 11, 30, 17), Tier.URGENT),  # 10 h, but the same day
        (at(NY, 2026, 11, 30, 9, 1), at(NY, 2026, 12, 1, 9), Tier.LATE),  # 23 h 59 min
        (at(NY, 2026, 11, 30, 9), at(NY, 2026, 12, 1, 9), Tier.SHORT),  # 24 h and 8 business h
        (at(NY, 2026, 12, 4, 17), at(NY, 2026, 12, 7, 10), Tier.LATE),  # Fri 17:00 → Mon 10:00: 65 h, 1 business h
        (at(NY, 2026, 12, 4, 9), at(NY, 2026, 12, 7, 17), Tier.OK),  # Fri → Mon: 80 h, exactly 16 business h
        (at(NY, 2026, 12, 4, 9), at(NY, 2026, 12, 7, 16), Tier.SHORT),  # 79 h, 15 business h
        (at(NY, 2026, 11, 30, 9, 1), at(NY, 2026, 12, 2, 9), Tier.SHORT),  # 47 h 59 min
        (at(NY, 2026, 11, 30, 9), at(NY, 2026, 12, 2, 9), Tier.OK),  # 48 h and 16 business h
    ],
)
def test_tier_boundaries(now, start, tier):
    assert assess_notice(now, start, NY).tier is tier


def test_business_hours_are_counted_in_the_event_zone():
    now = at(UTC, 2026, 11, 30, 0)  # Monday 09:00 in Tokyo
    start = at(TOKYO, 2026, 12, 1, 12)  # Tuesday noon in Tokyo
    assert business_hours_between(now, start, TOKYO) == pytest.approx(8 + 3)
    assert business_hours_between(now, start, NY) == pytest.approx(8)  # Mon 09–17 New York ends before


def test_spring_forward_counts_real_hours():
    notice = assess_notice(at(NY, 2026, 3, 7, 12), at(NY, 2026, 3, 9, 12), NY)
    assert notice.hours == 47.0
    assert notice.business_hours == 3.0
    assert notice.tier is Tier.LATE


def test_fall_back_counts_real_hours():
    notice = assess_notice(at(NY, 2026, 10, 31, 12), at(NY, 2026, 11, 2, 12), NY)
    assert notice.hours == 49.0
    assert notice.business_hours == 3.0


def test_business_day_across_a_dst_change_is_still_eight_hours():
    # Europe switches on 2026-03-29 (Sunday); Monday 30th is a full working day.
    assert business_hours_between(at(BERLIN, 2026, 3, 27, 17), at(BERLIN, 2026, 3, 31, 9), BERLIN) == 8.0


def test_call_now_inside_business_hours():
    now = at(NY, 2026, 11, 30, 10)
    assert call_at(now, at(NY, 2026, 12, 3, 10), NY) == now


def test_call_at_next_opening_after_a_weekend():
    now = at(NY, 2026, 12, 5, 11)  # Saturday
    assert call_at(now, at(NY, 2026, 12, 9, 10), NY) == at(NY, 2026, 12, 7, 9)


def test_call_at_opening_in_the_interviewers_zone():
    now = at(NY, 2026, 11, 30, 20)  # 02:00 Tuesday in Berlin
    assert call_at(now, at(BERLIN, 2026, 12, 3, 10), BERLIN) == at(BERLIN, 2026, 12, 1, 9)


def test_call_now_when_no_business_hours_remain():
    now = at(NY, 2026, 11, 30, 18)
    assert call_at(now, at(NY, 2026, 12, 1, 8), NY) == now  # before Tuesday's opening
    assert call_at(now, at(NY, 2026, 12, 5, 10), NY) != now  # Tuesday 09:00 comes first
    assert call_at(at(NY, 2026, 12, 4, 18), at(NY, 2026, 12, 6, 10), NY) == at(NY, 2026, 12, 4, 18)  # Sunday interview


def test_custom_policy_hours_and_days():
    policy = NoticePolicy(
        workdays=(6, 0, 1, 2, 3), workday_start=datetime(1, 1, 1, 8).time(), workday_end=datetime(1, 1, 1, 16).time()
    )
    now = at(BERLIN, 2026, 12, 5, 12)  # Saturday
    assert call_at(now, at(BERLIN, 2026, 12, 9, 10), BERLIN, policy) == at(BERLIN, 2026, 12, 6, 8)


@settings(deadline=None)
@given(
    offset_minutes=st.integers(min_value=-600, max_value=60 * 24 * 20),
    length=st.integers(min_value=1, max_value=60 * 24 * 20),
)
def test_notice_properties(offset_minutes, length):
    now = at(UTC, 2026, 3, 1) + timedelta(minutes=offset_minutes)
    start = now + timedelta(minutes=length)
    notice = assess_notice(now, start, NY)
    assert 0 <= notice.business_hours <= notice.hours + 1e-9
    assert now <= notice.call_at < start or notice.call_at == now
    assert notice.tier is not Tier.PAST


@settings(deadline=None, max_examples=60)
@given(
    zone=st.sampled_from([NY, BERLIN, TOKYO, ZoneInfo("Australia/Lord_Howe"), ZoneInfo("Asia/Kolkata")]),
    offset_minutes=st.integers(min_value=0, max_value=60 * 24 * 365),
    days=st.integers(min_value=0, max_value=900),
    minutes=st.integers(min_value=0, max_value=60 * 24),
)
def test_long_spans_count_the_same_as_window_by_window(zone, offset_minutes, days, minutes):
    from callfirst.notice import _overlap_hours, business_windows

    now = at(UTC, 2025, 1, 1) + timedelta(minutes=offset_minutes)
    start = now + timedelta(days=days, minutes=minutes)
    first, last = now.astimezone(zone).date(), start.astimezone(zone).date()
    exact = _overlap_hours(now, start, business_windows(first, last, zone, NoticePolicy()))
    assert business_hours_between(now, start, zone) == pytest.approx(exact, abs=1e-6)


def test_an_interview_years_away_is_quick_even_in_a_slow_zone():
    from dateutil import tz

    slow = tz.gettz("America/New_York")  # dateutil zones, as icalendar builds for custom VTIMEZONEs
    hours = business_hours_between(at(UTC, 2026, 1, 1), datetime(2030, 1, 1, tzinfo=slow), slow)
    assert hours == pytest.approx(8 * 1043, abs=8)  # about 1043 working days in four years


def test_notice_takes_a_policy_given_lists():
    from callfirst.config import NoticePolicy
    from callfirst.notice import assess_notice

    now = datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("UTC"))
    zone = ZoneInfo("Europe/Berlin")
    listed = assess_notice(now, now + timedelta(days=3), zone, NoticePolicy(workdays=[0, 1, 2, 3, 4]))  # type: ignore[arg-type]
    assert listed == assess_notice(now, now + timedelta(days=3), zone, NoticePolicy(workdays=(0, 1, 2, 3, 4)))


@pytest.mark.parametrize("hours, text", [(24.5, "24.5"), (3.0, "3"), (0.25, "0.2"), (99.96, "100"), (2846.4, "2846")])
def test_hours_of_notice_are_written_one_way_everywhere(hours, text):
    from callfirst.notice import hours_text

    assert hours_text(hours) == text


ZONES_FOR_PAST = tuple(
    ZoneInfo(z) for z in ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe")
)


@settings(max_examples=300, deadline=None)
@given(
    now=st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1), timezones=st.sampled_from(ZONES_FOR_PAST)),
    before=st.timedeltas(timedelta(0), timedelta(days=3000)),
    zone=st.sampled_from(ZONES_FOR_PAST),
)
def test_the_notice_of_a_past_event_from_its_time_since_the_epoch_is_assess_notices(now, before, zone):
    from datetime import UTC

    from callfirst.notice import past_notice

    start = (now - before).astimezone(zone)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert start <= now
    assert past_notice(now, (start - epoch) - (now - epoch)) == assess_notice(now, start, zone)
