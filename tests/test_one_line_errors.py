"""Input that used to end in "internal error": now results, or one line naming what and where."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from .helpers import run, run_json

DATA = Path(__file__).parent / "data"
INVITE = DATA / "google_invitation_multipart_with_attachment.eml"
INVITE_UID = "7kq2v9d0c1b3n5m7p9r1s3t5u7@google.com"
NOW = "2026-12-01T08:30:00-06:00"


def assert_one_line(err: str) -> None:
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err and "internal error" not in err, err


@pytest.mark.parametrize("moment", ["9999-12-31", "0001-01-01", "9999-12-31T23:59:59+00:00"])
@pytest.mark.parametrize("command", [("scan",), ("plan",), ("slots",), ("draft", "--called", "reached")])
def test_a_moment_at_the_ends_of_the_calendar_is_a_usage_error(env, command, moment):
    code, out, err = run(env, *command[:1], INVITE, *command[1:], "--now", moment)
    assert code == 2 and out == ""
    assert f"'{moment}' is outside the years 1900 to 2999" in err and "Traceback" not in err


def nested_multipart(depth: int) -> bytes:
    parts = "".join(f"--b{i}\r\nContent-Type: multipart/mixed; boundary=b{i + 1}\r\n\r\n" for i in range(depth))
    return (
        "From: r@contoso.example\r\nSubject: Invitation\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: multipart/mixed; boundary=b0\r\n\r\n{parts}"
    ).encode()


def test_an_email_nested_a_thousand_multiparts_deep_is_one_line(env, tmp_path):
    path = tmp_path / "deep.eml"
    path.write_bytes(nested_multipart(1000))
    code, out, err = run(env, "scan", path, "--now", NOW)
    assert code == 1 and out == ""
    assert_one_line(err)
    assert f"{path}: nests MIME parts too deeply" in err


def test_standard_input_named_twice_is_read_once(env):
    code, listed, err = run_json(env, "scan", "-", "-", "--now", NOW, stdin=INVITE.read_bytes())
    assert code == 0
    assert [item["uid"] for item in listed] == [INVITE_UID]
    assert err.strip() == "callfirst: warning: <stdin>: is named more than once; read once"


def feed_later(path: str, data: bytes) -> threading.Thread:
    """A writer on another thread, as a shell's <(...) or `cat > fifo` would be."""

    def write() -> None:
        with open(path, "wb") as pipe:
            pipe.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


def test_a_fifo_is_read_as_a_stream(env, tmp_path):
    fifo = tmp_path / "invite.eml"
    os.mkfifo(fifo)
    writer = feed_later(str(fifo), INVITE.read_bytes())
    code, listed, err = run_json(env, "scan", fifo, "--now", NOW)
    writer.join(timeout=10)
    assert code == 0, err
    assert [item["uid"] for item in listed] == [INVITE_UID]


def test_a_process_substitution_is_read_as_a_stream(env):
    read_end, write_end = os.pipe()

    def write() -> None:  # the other process of a shell's <(cat invite.eml)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(INVITE.read_bytes())

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        code, out, err = run(env, "scan", f"/dev/fd/{read_end}", "--now", NOW, "--json")
    finally:
        writer.join(timeout=10)
        os.close(read_end)
    assert code == 0, err
    assert [item["uid"] for item in json.loads(out)] == [INVITE_UID]
