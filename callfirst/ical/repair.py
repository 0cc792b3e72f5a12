"""Repairs of real-world calendar output that are unambiguous, each reported as a warning.

Exchange and some ATS exports write lines a strict parser rejects: a long HTML or LOCATION value
continued on the next physical line without the folding space, or `BYDAY=MO, TU, WE` with spaces.
What can be read only one way is repaired; the event keeps its place in time.
"""

from __future__ import annotations

import re

_PROPERTY = re.compile(r"^[A-Za-z0-9-]+(;[^:]*)?:")
_CONTINUABLE = re.compile(r"^(DESCRIPTION|X-ALT-DESC|LOCATION|SUMMARY|COMMENT|X-[A-Za-z0-9-]+)[;:]", re.I)
_RULE = re.compile(r"^(RRULE|EXRULE)([;:])", re.I)
_SPACES = re.compile(r"\s+")


def repair_lines(lines: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """The lines with unambiguous faults repaired, and (line offset, what was repaired) for each."""
    repaired: list[str] = []
    notes: list[tuple[int, str]] = []
    for offset, line in enumerate(lines):
        if repaired and not _PROPERTY.match(line) and _CONTINUABLE.match(repaired[-1]):
            name = repaired[-1].split(":", 1)[0].split(";", 1)[0].upper()
            repaired[-1] += "\\n" + line if name != "LOCATION" else " " + line
            notes.append((offset, f"a line of {name} was not folded; joined to it"))
            continue
        if _RULE.match(line) and re.search(r"[,;=]\s+|\s+[,;=]", line.partition(":")[2]):
            head, _, value = line.partition(":")
            line = head + ":" + _SPACES.sub("", value)
            notes.append((offset, f"{head.split(';')[0].upper()} had spaces between its parts; removed"))
        repaired.append(line)
    return repaired, notes
