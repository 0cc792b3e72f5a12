"""The progress of a long read: reported up to the whole file, shown after a second on a terminal only."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.exports import generate
from callfirst import api
from callfirst.config import Config, Profile
from callfirst.model import Window
from tests.helpers import context_for

NOW = datetime(2026, 11, 28, 10, tzinfo=ZoneInfo("UTC"))


def test_progress_is_reported_up_to_the_whole_file(tmp_path):
    path = tmp_path / "export.ics"
    path.write_text(generate(5000, seed=3))
    seen: list[tuple[str, int, int]] = []
    api.scan(
        context_for(Config(profile=Profile(timezone="UTC")), NOW, progress=lambda *args: seen.append(args)),
        [str(path)],
        window=Window(NOW, NOW + timedelta(days=90)),
    )
    size = path.stat().st_size
    assert len(seen) >= 4 and all(source == str(path) and total == size for source, _, total in seen)
    done = [d for _, d, _ in seen]
    assert done == sorted(done) and done[-1] == size


def test_the_bar_appears_only_after_a_second_and_only_when_enabled():
    import io

    from rich.console import Console

    from callfirst.cli.output import Progress as _Progress

    now = [0.0]
    screen = io.StringIO()
    bar = _Progress(enabled=True, clock=lambda: now[0], console=Console(file=screen, force_terminal=True, width=80))
    bar("cal.ics", 10, 100)
    assert bar.bar is None and screen.getvalue() == "", "quick scans show nothing"
    now[0] = 1.5
    bar("cal.ics", 50, 100)
    assert bar.bar is not None and bar.bar.tasks[0].completed == 50
    bar.close()
    assert "reading cal.ics" in screen.getvalue()
    quiet = _Progress(enabled=False, clock=lambda: now[0] + 10)
    quiet("cal.ics", 1, 2)
    assert quiet.bar is None


def test_no_bar_for_pipes_and_json_into_a_pipe(tmp_path):
    from callfirst.cli.output import progress_wanted

    from .helpers import make_env

    terminal = make_env(tmp_path, term="xterm-256color", stderr_isatty=True, stdout_isatty=True)
    assert progress_wanted(terminal, as_json=False) and progress_wanted(terminal, as_json=True)
    into_pipe = terminal.but(stdout_isatty=False)
    assert progress_wanted(into_pipe, as_json=False) and not progress_wanted(into_pipe, as_json=True)
    assert not progress_wanted(terminal.but(stderr_isatty=False), as_json=False)
    assert not progress_wanted(terminal.but(term="dumb"), as_json=False)
