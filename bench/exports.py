"""Realistic calendar exports for benchmarks and tests: deterministic for a given seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata")
ORDINARY = (
    "Team standup",
    "1:1 with manager",
    "Sprint planning",
    "Lunch with Priya",
    "Dentist",
    "Gym",
    "Quarterly business review",
    "Design review",
    "All hands",
    "Coffee chat",
    "Flight to Berlin",
    "Customer call - Contoso",
    "Focus time",
    "Yoga class",
    "Parent-teacher meeting",
    "Book club",
)
# Events that mention interviews but are not the owner's own: as rare as the interviews.
LOOKALIKES = ("Mock interview with Sam", "User interview #4", "Podcast interview - The Data Show", "Interview debrief")
# A job seeker's own look-alikes: preparation, practice and talks about interviews.
SEEKER_LOOKALIKES = (
    "Interview prep with mentor",
    "Mock interview with Sam",
    "Interview debrief",
    "Practice interview - coding",
    "Podcast interview - The Data Show",
    "User interview #4",
    "Interview prep: system design",
)
# Interviews a hiring manager conducts, organized by the owner.
CANDIDATES = ("Maria Garcia", "Wei Chen", "Olu Adeyemi", "Sofia Rossi", "Arjun Patel", "Hannah Schmidt")
OPENINGS = ("Data Analyst", "Backend Engineer", "Product Designer", "Data Engineer")
OWNER = "ORGANIZER;CN=Alex Morgan:mailto:alex.morgan@example.com"
INTERVIEWS = (
    "Interview with Fabrikam",
    "Phone screen - Tailspin Toys",
    "Vorstellungsgespräch bei Siemens",
    "Final round - Northwind",
    "Entrevista de trabajo - Analista",
    "Technical interview round 2",
    "Entretien d'embauche – équipe Données",
)
# Long descriptions that fold in the middle of interview words.
INTERVIEW_NOTES = (
    "Dear Alex\\, thank you for your application. We would like to invite you to an interview for the "
    "position of Senior Data Analyst with our hiring manager. Please bring a photo ID.",
    "Hallo Alex\\, vielen Dank für Ihre Bewerbung. Wir laden Sie herzlich zu einem Vorstellungsgespräch ein; "
    "bitte melden Sie sich am Empfang.",
)
# Titles in other scripts: words an interview could contain only for users who configure them.
FOREIGN = ("面接 - 株式会社サンプル", "Встреча с командой", "Café avec Léa")
MEET = (
    "Join with Google Meet: https://meet.google.com/abc-defg-hij\\nJoin by phone (US) +1 402-555-0111 "
    "PIN: 123456789#\\nLearn more about Meet at: https://support.google.com/a/users/answer/9282720"
)
AGENDA = "Agenda: updates\\, blockers\\, next steps."
VTIMEZONES = {
    "Europe/Berlin": ("+0100", "+0200", "CET", "CEST", "-1SU;BYMONTH=10", "-1SU;BYMONTH=3"),
    "America/New_York": ("-0500", "-0400", "EST", "EDT", "1SU;BYMONTH=11", "2SU;BYMONTH=3"),
    "Asia/Kolkata": ("+0530", "+0530", "IST", "IST", None, None),
}


def _vtimezone(tzid: str) -> list[str]:
    std, dst, std_name, dst_name, std_rule, dst_rule = VTIMEZONES[tzid]
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    lines += (
        ["BEGIN:STANDARD", "DTSTART:19701025T030000", f"TZOFFSETFROM:{dst}", f"TZOFFSETTO:{std}", f"TZNAME:{std_name}"]
        + ([f"RRULE:FREQ=YEARLY;BYDAY={std_rule}"] if std_rule else [])
        + ["END:STANDARD"]
    )
    if dst_rule:
        lines += [
            "BEGIN:DAYLIGHT",
            "DTSTART:19700329T020000",
            f"TZOFFSETFROM:{std}",
            f"TZOFFSETTO:{dst}",
            f"TZNAME:{dst_name}",
            f"RRULE:FREQ=YEARLY;BYDAY={dst_rule}",
            "END:DAYLIGHT",
        ]
    return [*lines, "END:VTIMEZONE"]


def _fold(line: str) -> list[str]:
    data = line.encode()
    if len(data) <= 75:
        return [line]
    out, chunk = [], ""
    for ch in line:
        if len((chunk + ch).encode()) > (75 if not out else 74):
            out.append(chunk if not out else " " + chunk)
            chunk = ""
        chunk += ch
    out.append(chunk if not out else " " + chunk)
    return out


def generate(
    count: int,
    seed: int = 7,
    start: datetime = datetime(2022, 1, 3),
    years: float = 5.0,
    interview_share: float = 0.01,
    *,
    lookalike_share: float | None = None,
    lookalikes: tuple[str, ...] = LOOKALIKES,
    conducted_share: float = 0.0,
    moved_share: float = 0.3,
    moves: int = 1,
) -> str:
    """An export of `count` events like Google's: single, all-day and recurring events (with EXDATEs and
    moved occurrences), several zones, folded lines (some folding interview words), non-ASCII titles.

    `lookalike_share` of the events mention interviews but are not the owner's (as many as the interviews
    unless given); `conducted_share` are interviews the owner conducts and organizes; `moved_share` of the
    series have `moves` occurrences moved.
    """
    rng = random.Random(seed)
    lookalike_share = interview_share if lookalike_share is None else lookalike_share
    conducted_until = interview_share + lookalike_share + conducted_share
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:alex.morgan@example.com",
        "X-WR-TIMEZONE:Europe/Berlin",
    ]
    for tzid in ZONES:
        lines += _vtimezone(tzid)
    span_days = int(365 * years)
    later: list[str] = []
    for index in range(count):
        day = start + timedelta(
            days=rng.randrange(span_days),
            hours=rng.choice((8, 9, 10, 11, 13, 14, 15, 16)),
            minutes=rng.choice((0, 15, 30)),
        )
        kind = rng.random()
        roll = rng.random()
        interview = roll < interview_share
        conducted = interview_share + lookalike_share <= roll < conducted_until
        summary = (
            rng.choice(INTERVIEWS)
            if interview
            else rng.choice(lookalikes)
            if roll < interview_share + lookalike_share
            else f"Interview: {rng.choice(CANDIDATES)} - {rng.choice(OPENINGS)}"
            if conducted
            else rng.choice(FOREIGN)
            if roll < conducted_until + interview_share
            else rng.choice(ORDINARY)
        )
        uid = f"{index:08d}-{rng.getrandbits(40):010x}@google.com"
        zone = rng.choice(ZONES)
        event = ["BEGIN:VEVENT"]
        recurring = 0.06 <= kind < 0.14
        if kind < 0.06:  # all-day
            event += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}"]
        elif 0.14 <= kind < 0.55:  # UTC, as Google exports single events
            event += [f"DTSTART:{day:%Y%m%dT%H%M00}Z", f"DTEND:{day + timedelta(minutes=45):%Y%m%dT%H%M00}Z"]
        else:  # in a zone, as Google exports series and some single events
            event += [
                f"DTSTART;TZID={zone}:{day:%Y%m%dT%H%M00}",
                f"DTEND;TZID={zone}:{day + timedelta(minutes=30):%Y%m%dT%H%M00}",
            ]
        if recurring:
            weekly = rng.random() < 0.5
            if weekly:
                event.append(f"RRULE:FREQ=WEEKLY;COUNT={rng.randrange(4, 40)}")
            else:
                until = day + timedelta(days=rng.randrange(14, 200))
                event.append(f"RRULE:FREQ=DAILY;UNTIL={until:%Y%m%dT235959}Z;BYDAY=MO,TU,WE,TH,FR")
            if rng.random() < 0.5:
                skipped = day + timedelta(days=7)
                event.append(f"EXDATE;TZID={zone}:{skipped:%Y%m%dT%H%M00}")
        description = rng.choice(INTERVIEW_NOTES) if interview and rng.random() < 0.5 else None
        event += [
            f"DTSTAMP:{day:%Y%m%dT%H%M00}Z",
            f"UID:{uid}",
            f"CREATED:{day - timedelta(days=3):%Y%m%dT%H%M00}Z",
            f"SUMMARY:{summary}",
            "DESCRIPTION:" + (description or (MEET if rng.random() < 0.6 else AGENDA)),
            "LOCATION:" + rng.choice(("", "Room 4.12", "Google Meet", "Café Lola\\, Berlin")),
            OWNER if conducted else "ORGANIZER;CN=Priya Raman:mailto:priya.raman@example.com",
        ]
        for guest in range(rng.randrange(1, 6)):
            event.append(
                f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Guest {guest}"
                f";X-NUM-GUESTS=0:mailto:guest{guest}@example.com"
            )
        event += ["SEQUENCE:0", "STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT"]
        for line in event:
            lines += _fold(line)
        for move in range(moves if recurring and rng.random() < moved_share else 0):
            # an occurrence moved: same UID, RECURRENCE-ID
            moved = day + timedelta(days=14 + 7 * move)
            when = [
                f"DTSTART;TZID={zone}:{moved + timedelta(hours=2):%Y%m%dT%H%M00}",
                f"DTEND;TZID={zone}:{moved + timedelta(hours=2, minutes=30):%Y%m%dT%H%M00}",
                f"RECURRENCE-ID;TZID={zone}:{moved:%Y%m%dT%H%M00}",
            ]
            # Google writes a moved occurrence next to its series or anywhere later in the file.
            (lines if rng.random() < 0.5 else later).extend(
                [
                    "BEGIN:VEVENT",
                    *when,
                    f"UID:{uid}",
                    f"DTSTAMP:{day:%Y%m%dT%H%M00}Z",
                    f"SUMMARY:{summary} (moved)",
                    "SEQUENCE:1",
                    "END:VEVENT",
                ]
            )
    lines += later
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
