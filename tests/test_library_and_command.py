"""The library and the command make the same email for the same interview, outcome and options: the call
log, the number of free times, the recipient and the sender are decided once, in the core."""

from __future__ import annotations

import email
import email.policy
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from callfirst import api
from callfirst.drafts.compose import DraftRequest, Reason
from callfirst.integrations.home import Places
from callfirst.outcome import Outcome

from .helpers import run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOW = "2026-12-01T08:30:00-06:00"


@pytest.fixture
def demo(tmp_path):
    invite = tmp_path / "invite.eml"
    shutil.copy(EXAMPLES / "invite.eml", invite)
    return invite


def parsed(path: Path) -> email.message.EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    del message["Message-ID"]  # a new one for every message, by design
    return message


def library_draft(env, invite: Path, out: Path, request: DraftRequest) -> None:
    ctx = api.load_context(Places(home=env.places.home), now=datetime.fromisoformat(NOW))
    result = api.draft(ctx, api.InterviewRef(str(invite)), request, target="file", options=api.TargetOptions(out=out))
    assert result.delivered is not None and result.delivered.made is not None


CASES = {
    "before any call": ([], DraftRequest()),
    "after the log's no answer": (["call", "--outcome", "no-answer"], DraftRequest()),
    "reached, as said": ([], DraftRequest(called=Outcome.REACHED)),
    "times of one's own": (
        [],
        DraftRequest(
            called=Outcome.VOICEMAIL,
            proposals=(datetime.fromisoformat("2026-12-07T14:00"), datetime.fromisoformat("2026-12-08T10:00")),
        ),
    ),
    "withdrawing": ([], DraftRequest(reason=Reason.WITHDRAW, called=Outcome.REACHED)),
}


def command_words(request: DraftRequest) -> list[str]:
    words = ["--reason", request.reason.value]
    if request.called is not None:
        words += ["--called", request.called.value]
    for moment in request.proposals:
        words += ["--propose", moment.isoformat()]
    return words


@pytest.mark.parametrize("case", list(CASES))
def test_the_library_and_the_command_draft_the_same_message(env, demo, tmp_path, case):
    before, request = CASES[case]
    if before:
        code, _, err = run(env, *before, demo, "--now", NOW)
        assert code == 0, err
    by_command, by_library = tmp_path / "command.eml", tmp_path / "library.eml"
    code, _, err = run(env, "draft", demo, "--now", NOW, *command_words(request), "--out", by_command)
    assert code == 0, err
    library_draft(env, demo, by_library, request)
    mine, theirs = parsed(by_command), parsed(by_library)
    assert mine.as_bytes() == theirs.as_bytes()
    body = mine.get_body(preferencelist=("plain",)).get_content()
    if request.reason is not Reason.WITHDRAW:
        assert body.count(" at ") >= 1  # free times were offered by both, not by the command alone


def test_both_drafts_are_remembered_for_status(env, demo, tmp_path):
    library_draft(env, demo, tmp_path / "library.eml", DraftRequest())
    code, out, err = run(env, "status", "--json", "--now", NOW)
    assert code == 0, err
    assert '"kind": "file"' in out and "library.eml" in out
