"""`scan --json` is written row by row, and the text is exactly what json.dumps writes of the whole array."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bench.exports import generate
from callfirst import api
from callfirst.config import Config, Profile
from callfirst.model import Window
from tests.helpers import context_for

NOW = datetime(2026, 11, 28, 10, tzinfo=ZoneInfo("UTC"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(
            st.text(max_size=4) | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False),
            inner,
            max_size=3,
        )
    ),
    max_leaves=12,
)


def test_streamed_json_is_the_same_text_as_the_whole_array(tmp_path):
    import io
    import json

    from callfirst.cli.output import scan_json, write_scan_json

    path = tmp_path / "export.ics"
    path.write_text(generate(300, seed=2, start=datetime(2026, 10, 1), years=0.5))
    config = Config(profile=Profile(timezone="UTC"))
    for include_all in (True, False):
        result = api.scan(
            context_for(config, NOW), [str(path)], window=Window(NOW, NOW + timedelta(days=60)), include_all=include_all
        )
        stream = io.StringIO()
        write_scan_json(result, stream)
        assert stream.getvalue() == json.dumps(scan_json(result), indent=2, ensure_ascii=False) + "\n"
    empty = io.StringIO()
    write_scan_json(
        api.scan(context_for(config, NOW), [str(path)], window=Window(NOW, NOW + timedelta(hours=1))), empty
    )
    assert empty.getvalue() == "[]\n"


def test_streamed_json_tells_apart_call_times_in_the_hour_clocks_repeat(tmp_path):
    """Calls at 01:00 EDT and 01:00 EST (one wall clock, an hour apart) are written with their own offsets."""
    import io
    import json

    from callfirst.cli.output import scan_json, write_scan_json
    from callfirst.config import NoticePolicy

    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{zone}@x\r\nDTSTART;TZID={zone}:20261104T100000\r\n"
        f"DTEND;TZID={zone}:20261104T110000\r\nSUMMARY:Sync\r\nEND:VEVENT\r\n"
        for zone in ("Asia/Dubai", "Europe/Moscow")
    )
    path = tmp_path / "fold.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n", newline="")
    owner = ZoneInfo("America/New_York")
    config = Config(profile=Profile(timezone="America/New_York"), notice=NoticePolicy(workdays=tuple(range(7))))
    now = datetime(2026, 10, 31, 20, tzinfo=owner)  # Sunday 1 November is a workday here, clocks go back at 2:00
    result = api.scan(
        context_for(config, now), [str(path)], window=Window(now, now + timedelta(days=10)), include_all=True
    )
    calls = sorted(item.notice.call_at for item in result.assessments)
    assert [call.utcoffset() for call in calls] == [timedelta(hours=-4), timedelta(hours=-5)]
    assert calls[0].replace(tzinfo=None) == calls[1].replace(tzinfo=None)
    stream = io.StringIO()
    write_scan_json(result, stream)
    assert stream.getvalue() == json.dumps(scan_json(result), indent=2, ensure_ascii=False) + "\n"


def test_streamed_json_of_interviews_declines_and_odd_text_is_the_whole_array_escaped(tmp_path):
    """Rows share their text by kind: facts, phones, reasons, and text that looks like a template."""
    import io
    import json

    from callfirst.cli.output import scan_json, write_scan_json
    from callfirst.untrusted import escaped_invisible

    series = (
        "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART;TZID=Europe/Berlin:20261201T{hour}0000\r\n"
        "DTEND;TZID=Europe/Berlin:20261201T{hour}3000\r\nRRULE:FREQ=DAILY;COUNT=4\r\nSUMMARY:{summary}\r\n"
        "DESCRIPTION:Call me on +49 30 1234567 for the interview\r\n"
        'ORGANIZER;CN="{organizer}":mailto:lena@northwind.example\r\n'
        "ATTENDEE;CN=Alex Morgan;PARTSTAT={partstat}:mailto:alex.morgan@example.com\r\n"
        "STATUS:{status}\r\nEND:VEVENT\r\n"
    )
    events = [
        dict(
            uid="a@x",
            hour="09",
            summary="Interview with Northwind {0} {}",
            organizer="Lena {0}}",
            partstat="ACCEPTED",
            status="CONFIRMED",
        ),
        dict(
            uid="b\x1b[31m\u2066@x",
            hour="11",
            summary="Entretien – équipe {x}",
            organizer="Lena",
            partstat="DECLINED",
            status="CONFIRMED",
        ),
        dict(
            uid="c@x",
            hour="13",
            summary="Team sync \u202e{{",
            organizer="Lena {",
            partstat="ACCEPTED",
            status="CANCELLED",
        ),
    ]
    body = "".join(series.format(**event) for event in events)
    path = tmp_path / "cal.ics"
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + body + "END:VCALENDAR\r\n", encoding="utf-8")
    config = Config(profile=Profile(timezone="America/Chicago", email="alex.morgan@example.com"))
    now = datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("UTC"))
    result = api.scan(
        context_for(config, now),
        [str(path)],
        window=Window(now - timedelta(days=3), now + timedelta(days=9)),
        include_all=True,
    )
    rows = scan_json(result)
    assert (
        len(rows) == 12
        and any(row["facts"] for row in rows)
        and {"cancelled", "you declined it"} <= {row["not_actionable_because"] for row in rows}
    )
    stream = io.StringIO()
    write_scan_json(result, stream)
    assert stream.getvalue() == escaped_invisible(json.dumps(rows, indent=2, ensure_ascii=False)) + "\n"


@given(json_values)
def test_the_json_writer_writes_what_json_dumps_writes(value):
    import json

    from callfirst.cli.output import _indented

    assert _indented(value, "") == json.dumps(value, indent=2, ensure_ascii=False)
