from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from click.testing import CliRunner

from callfirst.cli import main
from callfirst.cli.environment import Environment
from callfirst.integrations.home import Places


def make_env(home: Path, **changes) -> Environment:
    """A quiet, colourless, 200-column environment whose user folder is `home`."""
    google_api_root = changes.pop("google_api_root", "")
    base = Environment(
        stdin=io.BytesIO(),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        places=Places(home=Path(home), google_api_root=google_api_root),
        no_color=True,
        term="dumb",
        columns=200,
    )
    return base.but(**changes)


def run(env: Environment, *args, stdin: bytes | str | None = None):
    """Run the CLI in-process in `env`, with `stdin` as standard input (also for prompts);
    return (exit code, stdout, stderr)."""
    runner = CliRunner()
    with runner.isolation(input=stdin) as (out, err, _):
        bound = env.but(stdin=sys.stdin.buffer, stdout=sys.stdout, stderr=sys.stderr)
        code = main([str(a) for a in args], bound)
        sys.stdout.flush()
        sys.stderr.flush()
    return code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace")


def run_json(env: Environment, *args, **kwargs):
    code, out, err = run(env, *args, "--json", **kwargs)
    return code, json.loads(out), err


def context_for(config, now, home: Path | None = None, **changes):
    """A library Context for `config` at `now`; the user folder is `home` (a fresh temporary one if None)."""
    import tempfile

    from callfirst.api import load_context

    folder = Path(home) if home is not None else Path(tempfile.mkdtemp(prefix="callfirst-home-"))
    return load_context(Places(home=folder), config=config, now=now, **changes)
