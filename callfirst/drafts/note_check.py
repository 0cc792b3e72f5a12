"""Check the owner's own sentence for oversharing and unprofessional tone."""

from __future__ import annotations

import re
from dataclasses import dataclass

VAGUE = "I have a scheduling conflict that I cannot move."

_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "health details",
        r"\b(sick|ill|illness|doctor|hospital|flu|covid|fever|migraine|surgery|pregnan\w*|therapy|therapist"
        r"|dentist|injur\w*|diarrh\w*|vomit\w*|medication|diagnos\w*|mental health|food poisoning|poison\w*"
        r"|stomach|nause\w*|infection)\b",
        "Health is private; 'an unexpected matter' or 'a scheduling conflict' is enough.",
    ),
    (
        "family details",
        r"\b(mom|mum|dad|mother|father|kids?|child(ren)?|son|daughter|wife|husband|partner|divorce"
        r"|babysitter|nanny|grandm\w*|grandp\w*|funeral|wedding)\b",
        "Family matters are private; 'a personal commitment I cannot move' is enough.",
    ),
    (
        "legal or housing trouble",
        r"\b(court|hearing|lawyer|attorney|solicitor|lawsuit|sued|trial|police|arrest\w*|evict\w*|landlord"
        r"|custody|bail|immigration|deport\w*)\b",
        "Legal and housing matters are private; 'a personal matter I cannot move' is enough.",
    ),
    (
        "hangover or partying",
        r"\b(hangover|hung ?over|drunk|party|partying|wasted|beers?)\b",
        "Never mention this; say you have a scheduling conflict.",
    ),
    (
        "overslept",
        r"\b(overslept|oversleep|slept in|woke up late|alarm)\b",
        "Say you have a scheduling conflict, and offer alternative times.",
    ),
    (
        "forgot",
        r"\b(forgot|forget|forgotten|slipped my mind|double[- ]?booked)\b",
        "Say you have a scheduling conflict; an employer reads 'forgot' as disinterest.",
    ),
    (
        "another interview or offer",
        r"\b(another|other|different|competing|second|better)\s+(interview|offer|company|job|position)s?\b"
        r"|\b(received|accepted|got) an? (offer|job)\b"
        r"|\b(final|first|second|third|next|technical|onsite|on-site)\s+(round|interview|stage)\b"
        r"|\b(interview|round|onsite|on-site|assessment)\s+(with|at)\s+(?-i:[A-Z])\w*",
        "Do not mention other interviews or offers when rescheduling; 'a scheduling conflict' is enough.",
    ),
)
_SHOUTING = re.compile(r"\b[A-Z]{4,}\b")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")
_ALLOWED_CAPS = {"ASAP", "HTML", "JSON", "NASA", "SQL", "CEST", "PST", "EST", "UTC", "GMT"}


@dataclass(frozen=True)
class NoteIssue:
    what: str
    found: str
    suggestion: str


# When withdrawing, "I have accepted another offer" is the courteous, normal reason.
_FINE_WHEN_WITHDRAWING = {"another interview or offer"}


def check_note(note: str, *, withdrawing: bool = False) -> tuple[NoteIssue, ...]:
    issues = []
    for what, pattern, suggestion in _RULES:
        if withdrawing and what in _FINE_WHEN_WITHDRAWING:
            continue
        match = re.search(pattern, note, re.IGNORECASE)
        if match:
            issues.append(NoteIssue(what, match.group(0), suggestion))
    shouted = [w for w in _SHOUTING.findall(note) if w not in _ALLOWED_CAPS]
    if shouted:
        issues.append(NoteIssue("shouting capitals", shouted[0], "Write in normal sentence case."))
    emoji = _EMOJI.search(note)
    if emoji:
        issues.append(NoteIssue("emoji", emoji.group(0), "Leave emoji out of a message to an employer."))
    if note.count("!") >= 2:
        issues.append(NoteIssue("exclamation marks", "!" * note.count("!"), "One calm sentence reads better."))
    return tuple(issues)
