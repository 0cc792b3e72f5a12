"""README and the tool agree: every command and option in --help is documented, the exit-code table is
the ExitStatus enum, and the library example runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from callfirst.cli.app import cli
from callfirst.errors import ExitStatus

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found += commands(command, f"{path} ")
    return found


COMMANDS = commands(cli)


@pytest.mark.parametrize("path, command", COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_command_and_option_is_in_the_readme(path, command):
    assert f"callfirst {path}" in README, f"README does not show `callfirst {path}`"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            longest = max(param.opts, key=len)
            assert longest in README, f"README does not mention {longest} of `callfirst {path}`"


def test_the_exit_code_table_is_the_exit_status_enum():
    section = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| `(\d+)` \|", section, re.MULTILINE)}
    assert documented == {status.value for status in ExitStatus}


def test_the_library_example_runs(tmp_path):
    example = README.split("Library use, without the command line:", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "invite.eml").write_bytes((ROOT / "examples" / "invite.eml").read_bytes())
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", example],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"CALLFIRST_HOME": str(home), "PATH": "/usr/bin:/bin", "TZ": "UTC"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "the example prints the interviews it found"
    assert "CALL" in done.stdout.upper() and "Subject:" in done.stdout, "and the plan of the one it holds"


def test_architecture_names_every_module():
    """ARCHITECTURE.md stays true when modules move: each one of the package is in its tables."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    package = ROOT / "callfirst"
    missing = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if (path.name == "__init__.py" and relative != "api/__init__.py") or relative == "__main__.py":
            continue
        if relative not in text and f"`{path.name}`" not in text and path.name not in text:
            missing.append(relative)
    assert not missing, f"ARCHITECTURE.md does not name {missing}"
