"""`draft --out`: a new path is created exclusively, only a regular file is ever replaced, and no
temporary file is left behind; every failure is one line."""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from callfirst.errors import OutputError
from callfirst.integrations.atomic import write_atomic

from .helpers import run

NOW = "2026-12-01T08:30:00-06:00"


def draft_to(env, data: Path, out, *extra):
    invite = data / "google_invitation_multipart_with_attachment.eml"
    return run(env, "draft", invite, "--now", NOW, "--called", "reached", "--out", out, *extra)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- two writers, one new path ----------------------------------------------------------------


def _write_after(barrier, path: str, data: bytes) -> None:
    barrier.wait()
    try:
        write_atomic(Path(path), data)
    except OutputError:
        os._exit(1)
    os._exit(0)


def test_two_writers_of_one_new_path_never_both_succeed(tmp_path):
    forked = multiprocessing.get_context("fork")
    for trial in range(60):
        target = tmp_path / f"reply-{trial}.eml"
        barrier = forked.Barrier(2)
        writers = [
            forked.Process(target=_write_after, args=(barrier, str(target), f"writer {n}".encode())) for n in (0, 1)
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=30)
        succeeded = [n for n, writer in enumerate(writers) if writer.exitcode == 0]
        assert len(succeeded) == 1, f"trial {trial}: writers {succeeded} both claimed the new file"
        assert target.read_bytes() == f"writer {succeeded[0]}".encode()
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_kept_without_force(data, env, tmp_path):
    target = tmp_path / "reply.eml"
    target.write_text("the draft you already had")
    code, out, err = draft_to(env, data, target)
    assert code == 1 and out == ""
    assert "reply.eml: already exists; use --force" in err
    assert target.read_text() == "the draft you already had" and leftovers(tmp_path) == []
    code, _, err = draft_to(env, data, target, "--force")
    assert code == 0, err
    assert "X-Unsent: 1" in target.read_text()


# --- only a regular file or a new path ----------------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_a_dangling_symlink_is_refused_and_its_target_not_created(data, env, tmp_path, force):
    link, pointed_at = tmp_path / "reply.eml", tmp_path / "elsewhere.eml"
    link.symlink_to(pointed_at)
    code, _, err = draft_to(env, data, link, *(["--force"] if force else []))
    assert code == 1 and "reply.eml: is a symbolic link" in err
    assert link.is_symlink() and os.readlink(link) == str(pointed_at) and not pointed_at.exists()


def special_files(folder: Path) -> list[Path]:
    fifo = folder / "pipe.eml"
    os.mkfifo(fifo)
    made = [fifo]
    if os.geteuid() == 0:  # a character device with /dev/null's numbers, made in the test's own folder
        device = folder / "null.eml"
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))
        made.append(device)
    return made


def test_force_never_replaces_a_fifo_or_a_device(data, env, tmp_path):
    for special in special_files(tmp_path):
        kind = stat.S_IFMT(os.lstat(special).st_mode)
        code, _, err = draft_to(env, data, special, "--force")
        assert code == 1 and f"{special.name}: is not a regular file" in err
        assert stat.S_IFMT(os.lstat(special).st_mode) == kind, "still what it was"
    assert leftovers(tmp_path) == []


# --- failures are one line and leave nothing behind ---------------------------------------------


def fail_with(number: int):
    def failing(*_args, **_kwargs):
        raise OSError(number, os.strerror(number))

    return failing


@pytest.mark.parametrize(
    "where, number, shown",
    [
        ("mkstemp", errno.EROFS, "Read-only file system"),  # the folder cannot take a new file
        ("mkstemp", errno.EACCES, "Permission denied"),
        ("fsync", errno.ENOSPC, "No space left on device"),  # the disk fills while writing
    ],
)
def test_a_folder_or_disk_that_refuses_the_write_is_one_line(data, env, tmp_path, monkeypatch, where, number, shown):
    monkeypatch.setattr(tempfile if where == "mkstemp" else os, where, fail_with(number))
    target = tmp_path / "reply.eml"
    code, out, err = draft_to(env, data, target)
    assert code == 1 and out == ""
    assert err.strip() == f"callfirst: error: {target}: cannot write ({shown})"
    assert not target.exists() and leftovers(tmp_path) == []


def test_a_read_only_folder_is_one_line(data, env, tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    if os.access(folder, os.W_OK):
        pytest.skip("this user writes into read-only folders (root); simulated above")
    code, _, err = draft_to(env, data, folder / "reply.eml")
    assert code == 1 and "cannot write (Permission denied)" in err and len(err.splitlines()) == 1


def test_a_name_too_long_for_the_file_system_is_one_line(data, env, tmp_path):
    target = tmp_path / ("x" * 300 + ".eml")
    code, _, err = draft_to(env, data, target)
    assert code == 1 and "cannot write (File name too long)" in err and len(err.splitlines()) == 1
    assert leftovers(tmp_path) == []


def test_a_long_name_that_fits_gets_a_temporary_name_that_fits_too(data, env, tmp_path):
    target = tmp_path / ("x" * 240 + ".eml")
    code, _, err = draft_to(env, data, target)
    assert code == 0, err
    assert target.exists() and leftovers(tmp_path) == []


def test_an_empty_out_is_one_line_not_a_draft_on_stdout(data, env):
    code, stdout, err = draft_to(env, data, "")
    assert code == 1 and stdout == ""
    assert "is not a file name" in err and len(err.splitlines()) == 1


# --- killed while writing -----------------------------------------------------------------------

TERMINATED_WRITER = r"""
import os, sys, time
from pathlib import Path
from callfirst.integrations import atomic as files
def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = slow_fsync
files.write_atomic(Path(sys.argv[1]), b"NEW" * 1_000_000)
"""


def test_sigterm_while_writing_removes_the_temporary_file_and_still_ends_the_process(tmp_path):
    target = tmp_path / "reply.eml"
    child = subprocess.Popen([sys.executable, "-c", TERMINATED_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "writing"
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=10) == -signal.SIGTERM
    assert not target.exists()
    assert leftovers(tmp_path) == []
