"""Facts from real invitations people published (tests/data/realworld, provenance in MANIFEST.tsv).

Every file goes through scan, plan and draft. Each fact callfirst states is compared with the label a
person gave it by reading the file (facts.json). A fact is right, honestly absent (callfirst names
nothing where the label has a value), or wrong. The summary at the end of `make test` prints, per field,
accuracy = (right + absent) / files, and found = right / labelled values.
"""

from __future__ import annotations

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

from .conftest import REPORTS
from .helpers import make_env, run

CORPUS = Path(__file__).parent / "data" / "realworld"
# The first set shaped the rules; "heldout/" was collected afterwards from other sources and only measured.
LABELS = json.loads((CORPUS / "facts.json").read_text(encoding="utf-8")) + [
    dict(label, file=f"heldout/{label['file']}")
    for label in json.loads((CORPUS / "heldout" / "facts.json").read_text(encoding="utf-8"))
]
FIELDS = ("interview", "start", "zone", "phone", "company", "role", "recipient")
MINIMUM_ACCURACY = 0.95
# A tool that names nothing would be "accurate": these floors keep it honest about finding facts.
MINIMUM_FOUND = {"start": 1.0, "zone": 0.9, "phone": 0.5, "company": 0.8, "role": 0.6, "recipient": 0.9}


def config_for(label: dict) -> Config:
    return Config(profile=Profile(name="", email=label["owner"] or "", timezone="UTC"))


def chosen(label: dict):
    now = datetime.fromisoformat(label["now"])
    return api.choose_interview(str(CORPUS / label["file"]), config_for(label), now=now, uid=label["uid"])


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


@dataclass
class Tally:
    right: Counter
    absent: Counter
    wrong: Counter
    labelled: Counter
    scored: Counter
    found: Counter
    misses: list


TALLY = Tally(Counter(), Counter(), Counter(), Counter(), Counter(), Counter(), [])


HELD_OUT = Counter()


def record(field: str, said, label, right: bool, file: str) -> None:
    TALLY.scored[field] += 1
    if file.startswith("heldout/"):
        HELD_OUT["scored"] += 1
    if label is not None:
        TALLY.labelled[field] += 1
    if (said is None and label is None) or (said is not None and label is not None and right):
        TALLY.right[field] += 1
        TALLY.found[field] += label is not None
    elif said is None:
        TALLY.absent[field] += 1
    else:
        TALLY.wrong[field] += 1
        HELD_OUT["wrong"] += file.startswith("heldout/")
        TALLY.misses.append(f"{field:9} {file}: said {said!r}, label {label!r}")


@pytest.mark.parametrize("label", LABELS, ids=[label["file"] for label in LABELS])
def test_facts_of_a_real_invitation(label):
    item = chosen(label).item
    facts = item.facts
    file = label["file"]
    if not label.get("interview_unsure"):
        record(
            "interview",
            item.verdict.is_interview,
            label["interview"],
            item.verdict.is_interview == label["interview"],
            file,
        )
    if not label["interview"]:
        return
    start = datetime.fromisoformat(label["start"])
    record("start", item.event.start.isoformat(), label["start"], item.event.start == start, file)
    zone = facts.their_zone.value
    record("zone", zone, label["zone"], bool(zone and label["zone"] and same_zone(zone, label["zone"], start)), file)
    phone = facts.phone.e164 if facts.phone else None
    record("phone", phone, label["phone"], phone == label["phone"], file)
    for field, value in (("company", facts.company.value), ("role", facts.role.value)):
        record(field, value, label[field], bool(value and label[field] and same_name(value, label[field])), file)
    to = facts.recipient.email if facts.recipient else None
    record(
        "recipient",
        to,
        label["recipient"],
        bool(to and label["recipient"] and to.lower() == label["recipient"].lower()),
        file,
    )


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
            assert (fact.value in plan and f"({fact.source}" in plan) or f"(from {fact.source}" in plan
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


def test_facts_accuracy_is_reported_and_high_enough():
    if not TALLY.scored:
        pytest.skip("runs after the per-file tests")
    failures = []
    REPORTS.append(f"real invitations: {len(LABELS)} files, {sum(1 for x in LABELS if x['interview'])} interviews")
    for field in FIELDS:
        scored = TALLY.scored[field]
        accuracy = (TALLY.right[field] + TALLY.absent[field]) / scored
        found = TALLY.found[field] / max(TALLY.labelled[field], 1)
        REPORTS.append(
            f"  {field:9} accuracy {accuracy:.3f}  found {found:.3f}  "
            f"(right {TALLY.right[field]}, absent {TALLY.absent[field]}, wrong {TALLY.wrong[field]} of {scored})"
        )
        if accuracy < MINIMUM_ACCURACY:
            failures.append(f"{field} accuracy {accuracy:.3f}")
        if field in MINIMUM_FOUND and found < MINIMUM_FOUND[field]:
            failures.append(f"{field} found {found:.3f}")
    REPORTS.append(
        f"  of these, the second set (collected after the first rules were written): {HELD_OUT['wrong']} wrong of {HELD_OUT['scored']} facts"
    )
    REPORTS.extend(f"  wrong: {miss}" for miss in TALLY.misses)
    assert not failures, failures
