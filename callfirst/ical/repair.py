"""Repairs of real-world calendar output that are unambiguous, each reported as a warning.

Exchange and some ATS exports write lines a strict parser rejects: a long HTML or LOCATION value
continued on the next physical line without the folding space, `BYDAY=MO, TU, WE` with spaces, or
`BEGIN:VEVENT ` with a space after the name.
What can be read only one way is repaired; the event keeps its place in time.
"""

from __future__ import annotations

import re

# a property's name; the names of recurrence may be followed by white space, as icalendar reads them
_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+|(?:RRULE|EXRULE|RDATE|EXDATE|RECURRENCE-ID)[ \t]+)(;[^:]*)?:", re.I)
_CONTINUABLE = re.compile(r"^(DESCRIPTION|X-ALT-DESC|LOCATION|SUMMARY|COMMENT|X-[A-Za-z0-9-]+)[;:]", re.I)
_RULE = re.compile(r"^(RRULE|EXRULE)[ \t]*([;:])", re.I)
_SPACES = re.compile(r"\s+")
_SPACED_PART = re.compile(r"[,;=]\s|\s[,;=]")  # white space beside a delimiter (one character tells)


def repair_lines(lines: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """The lines with unambiguous faults repaired, and (line offset, what was repaired) for each repair."""
    repaired: list[str] = []
    notes: list[tuple[int, str]] = []
    joined: list[str] = []  # lines that continue the last repaired one, joined to it at once (not one by one)
    for offset, line in enumerate(lines):
        if repaired and not _PROPERTY.match(line) and _CONTINUABLE.match(repaired[-1]):
            if not joined:
                notes.append((offset, ""))
            joined.append(line)
            continue
        if joined:
            _join(repaired, joined, notes)
        head, colon, value = line.partition(":")
        if colon and head.upper() in ("BEGIN", "END") and value != value.strip():
            line = f"{head}:{value.strip()}"
            notes.append((offset, f"{head.upper()}:{value.strip().upper()} had white space around its name; removed"))
        if _RULE.match(line) and _SPACED_PART.search(line.partition(":")[2]):
            head, _, value = line.partition(":")
            line = head + ":" + _SPACES.sub("", value)
            notes.append((offset, f"{head.split(';')[0].strip().upper()} had spaces between its parts; removed"))
        repaired.append(line)
    if joined:
        _join(repaired, joined, notes)
    return repaired, notes


def _join(repaired: list[str], joined: list[str], notes: list[tuple[int, str]]) -> None:
    """Join the lines that continue the last repaired one to it, and say so in the note left for them."""
    name = repaired[-1].split(":", 1)[0].split(";", 1)[0].upper()
    separator = " " if name == "LOCATION" else "\\n"
    repaired[-1] += separator + separator.join(joined)
    lines = "a line" if len(joined) == 1 else f"{len(joined):,} lines"
    notes[-1] = (notes[-1][0], f"{lines} of {name} {'was' if len(joined) == 1 else 'were'} not folded; joined to it")
    joined.clear()
