from __future__ import annotations

import io
import json
import sys

from callfirst.cli import main


def run(capsys, *args, stdin: bytes | None = None, monkeypatch=None):
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args, **kwargs):
    code, out, err = run(capsys, *args, "--json", **kwargs)
    return code, json.loads(out), err
