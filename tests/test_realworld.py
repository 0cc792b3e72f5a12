"""Facts from real invitations people published (tests/data/realworld, provenance in MANIFEST.tsv).

Every file goes through scan, plan and draft. Each fact callfirst states is compared with the label a
person gave it by reading the file (facts.json). A fact is right, honestly absent (callfirst names
nothing where the label has a value), or wrong. The summary at the end of `make test` prints, per field,
accuracy = (right + absent) / files, and found = right / labelled values.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from callfirst import api
from callfirst.config import Config, Profile
from callfirst.context import InterviewRef

from .helpers import context_for, make_env, run

CORPUS = Path(__file__).parent / "data" / "realworld"
# The first set shaped the rules; "heldout/" was collected afterwards from other sources and only measured;
# "heldout2/" is a third set of 50, labelled before the rules met it (its first score is in its MANIFEST's set);
# "heldout3/" a fourth of 32, labelled before the rules met it (first contact: every fact right on 6 of its 20
# sure interviews, no look-alike listed; see its README.md); "heldout4/" a fifth of 29, the same way (9 of 18);
# "heldout5/" a sixth of 24 (3 of 13, and one look-alike listed).
SETS = ("", "heldout/", "heldout2/", "heldout3/", "heldout4/", "heldout5/")
LABELS = [
    dict(label, file=f"{folder}{label['file']}")
    for folder in SETS
    for label in json.loads((CORPUS / folder / "facts.json").read_text(encoding="utf-8"))
]
FIELDS = ("interview", "start", "zone", "phone", "company", "role", "recipient")
MINIMUM_ACCURACY = 0.95
# Interviews with every scored fact right, over all sets.
MINIMUM_ALL_RIGHT = 0.9
# A tool that names nothing would be "accurate": these floors keep it honest about finding facts.
MINIMUM_FOUND = {"start": 1.0, "zone": 0.9, "phone": 0.5, "company": 0.8, "role": 0.6, "recipient": 0.9}


def config_for(label: dict) -> Config:
    return Config(profile=Profile(name="", email=label["owner"] or "", timezone="UTC"))


def chosen(label: dict):
    now = datetime.fromisoformat(label["now"])
    return api.choose_interview(
        context_for(config_for(label), now), InterviewRef(str(CORPUS / label["file"]), label["uid"])
    )


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def same_name(said: str, label: str) -> bool:
    """Spelling, spacing and case aside; a shorter form of the same name ('Qubiqon') is the same name."""
    a, b = words(said), words(label)
    joined_a, joined_b = "".join(a), "".join(b)
    if joined_a == joined_b or SequenceMatcher(None, joined_a, joined_b).ratio() >= 0.9:
        return True
    shorter, longer = sorted((a, b), key=len)
    return bool(shorter) and longer[: len(shorter)] == shorter


def same_zone(said: str, label: str, around: datetime) -> bool:
    if said == label:
        return True
    a, b = ZoneInfo(said), ZoneInfo(label)
    probes = [around + timedelta(days=d) for d in range(-180, 181, 5)]
    return all(p.astimezone(a).utcoffset() == p.astimezone(b).utcoffset() for p in probes)


@dataclass(frozen=True)
class Mark:
    """One labelled fact as callfirst read it."""

    field: str
    said: object
    label: object
    right: bool
    file: str

    @property
    def outcome(self) -> str:
        """right (or rightly absent), absent (said nothing where the label says something), or wrong."""
        if (self.said is None and self.label is None) or (
            self.said is not None and self.label is not None and self.right
        ):
            return "right"
        return "absent" if self.said is None else "wrong"


@functools.cache
def marks_of(index: int) -> tuple[Mark, ...]:
    """Every labelled fact of one invitation, read once per run whichever test asks first."""
    label = LABELS[index]
    item = chosen(label).item
    facts, file = item.facts, label["file"]
    marks = []
    if not label.get("interview_unsure"):
        is_interview = item.verdict.is_interview
        marks.append(Mark("interview", is_interview, label["interview"], is_interview == label["interview"], file))
    if not label["interview"]:
        return tuple(marks)
    start = datetime.fromisoformat(label["start"])
    marks.append(Mark("start", item.event.start.isoformat(), label["start"], item.event.start == start, file))
    zone = facts.their_zone.value
    marks.append(
        Mark("zone", zone, label["zone"], bool(zone and label["zone"] and same_zone(zone, label["zone"], start)), file)
    )
    phone = facts.phone.e164 if facts.phone else None
    marks.append(Mark("phone", phone, label["phone"], phone == label["phone"], file))
    for field, value in (("company", facts.company.value), ("role", facts.role.value)):
        marks.append(
            Mark(field, value, label[field], bool(value and label[field] and same_name(value, label[field])), file)
        )
    to = facts.recipient.email if facts.recipient else None
    wanted = label["recipient"]
    marks.append(Mark("recipient", to, wanted, bool(to and wanted and to.lower() == wanted.lower()), file))
    if "greeting" in label:
        greet = facts.greeting_name
        same = bool(greet and label["greeting"] and greet.casefold() == label["greeting"].casefold())
        marks.append(Mark("greeting", greet, label["greeting"], same, file))
    return tuple(marks)


def set_of(file: str) -> str:
    return next(folder for folder in reversed(SETS) if file.startswith(folder)) or "first"


@pytest.mark.parametrize("index", range(len(LABELS)), ids=[label["file"] for label in LABELS])
def test_facts_of_a_real_invitation(index):
    """Each invitation reads without error; its start time is never wrong (the other facts are scored by the
    accuracy gate below, which allows a few misses)."""
    marks = marks_of(index)
    assert marks or LABELS[index].get("interview_unsure")
    assert [m for m in marks if m.field == "start" and m.outcome != "right"] == []


@pytest.mark.parametrize("label", LABELS, ids=[label["file"] for label in LABELS])
def test_scan_plan_and_draft_run_cleanly_on_a_real_invitation(label, tmp_path):
    owner = label["owner"] or "candidate@example.org"
    (tmp_path / "config.toml").write_text(f'[profile]\nname = "Sam Candidate"\nemail = "{owner}"\n')
    env = make_env(tmp_path)
    path, now = CORPUS / label["file"], label["now"]
    code, out, err = run(env, "scan", path, "--now", now, "--all", "--json")
    assert code in (0, 1) and "Traceback" not in err and "internal error" not in err, err
    assert any(row["uid"] == label["uid"] for row in json.loads(out))
    code, plan, err = run(env, "plan", path, "--now", now, "--event", label["uid"])
    assert code in (0, 1) and "internal error" not in err, err
    assert plan.index("1. CALL FIRST") < plan.index("2. THEN THE EMAIL")
    facts = chosen(label).item.facts
    for fact in (facts.company, facts.role):
        if fact.value:
            said = f"({'guessed from' if fact.guessed and 'guess' not in fact.source else 'from'} {fact.source}"
            assert (fact.value in plan and f"({fact.source}" in plan) or said in plan
    code, draft, err = run(env, "draft", path, "--now", now, "--event", label["uid"], "--called", "reached")
    if facts.recipient is None:
        assert code == 1 and "no one to write to" in err and "--to ADDRESS" in err and not draft, (code, err)
        code, draft, err = run(
            env,
            "draft",
            path,
            "--now",
            now,
            "--event",
            label["uid"],
            "--called",
            "reached",
            "--to",
            "someone@example.org",
        )
        assert code == 0 and "To: someone@example.org" in draft, err
    else:
        assert code == 0 and facts.recipient.email in draft, err
        if facts.company.value is None:
            assert " at Steve" not in draft


def test_facts_accuracy_is_reported_and_high_enough(report):
    """The accuracy gate: reads every labelled invitation itself (or takes what the per-file tests read)."""
    marks = [mark for index in range(len(LABELS)) for mark in marks_of(index)]
    failures = []
    report(f"real invitations: {len(LABELS)} files, {sum(1 for x in LABELS if x['interview'])} interviews")
    for field in FIELDS:
        mine = [m for m in marks if m.field == field]
        tally = Counter(m.outcome for m in mine)
        labelled = [m for m in mine if m.label is not None]
        accuracy = (tally["right"] + tally["absent"]) / len(mine)
        found = sum(1 for m in labelled if m.outcome == "right") / max(len(labelled), 1)
        report(
            f"  {field:9} accuracy {accuracy:.3f}  found {found:.3f}  "
            f"(right {tally['right']}, absent {tally['absent']}, wrong {tally['wrong']} of {len(mine)})"
        )
        if accuracy < MINIMUM_ACCURACY:
            failures.append(f"{field} accuracy {accuracy:.3f}")
        if field in MINIMUM_FOUND and found < MINIMUM_FOUND[field]:
            failures.append(f"{field} found {found:.3f}")
    greetings = [m for m in marks if m.field == "greeting"]
    tally = Counter(m.outcome for m in greetings)
    report(
        f"  greeting  (where labelled) right {tally['right']}, absent {tally['absent']}, wrong {tally['wrong']}"
        f" of {len(greetings)}"
    )
    if tally["wrong"]:
        failures.append(f"{tally['wrong']} greetings name no one the label names")
    listed = [m.file for m in marks if m.field == "interview" and m.said and not m.label]
    if listed:
        failures.append(f"look-alikes listed as interviews: {listed}")
    everything_right = 0
    sure = 0
    for folder in SETS:
        files = [
            label["file"]
            for label in LABELS
            if label["interview"] and not label.get("interview_unsure") and set_of(label["file"]) == (folder or "first")
        ]
        right = [f for f in files if all(m.outcome == "right" for m in marks if m.file == f and m.field in FIELDS)]
        wrong = sum(m.outcome == "wrong" for m in marks if m.file in files)
        report(
            f"  set {folder or 'first/':9} interviews with every fact right: {len(right)} of {len(files)}"
            f" ({len(right) / max(len(files), 1):.2f}); wrong facts: {wrong}"
        )
        everything_right += len(right)
        sure += len(files)
    if everything_right / sure < MINIMUM_ALL_RIGHT:
        failures.append(f"every fact right on {everything_right / sure:.2f} of the interviews")
    for m in marks:
        if m.outcome == "wrong":
            report(f"  wrong: {m.field:9} {m.file}: said {m.said!r}, label {m.label!r}")
    assert not failures, failures
