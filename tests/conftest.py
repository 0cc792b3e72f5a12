from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

DATA = Path(__file__).parent / "data"
REPORTS: list[str] = []


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def home(tmp_path) -> Path:
    """An empty user directory with a profile, isolated from the real one."""
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "config.toml").write_text(
        '[profile]\nname = "Alex Morgan"\nemail = "alex.morgan@example.com"\n'
        'phone = "+1 312 555 0147"\ntimezone = "America/Chicago"\n'
    )
    return folder


@pytest.fixture
def env(home):
    """The command line's environment for a test: the `home` folder, no colour, 200 columns."""
    from .helpers import make_env

    return make_env(home)


@pytest.fixture
def google():
    """A fake Google on 127.0.0.1 that speaks the real REST paths."""
    from .google_fake import FakeGoogle

    fake = FakeGoogle().start()
    yield fake
    fake.stop()
    assert not fake.header_problems, (
        f"a draft sent to Gmail carries headers callfirst did not set: {fake.header_problems}"
    )


@pytest.fixture(autouse=True)
def drafts_carry_only_their_own_headers(monkeypatch):
    """Every draft a test builds is read back: only the headers callfirst sets, and message IDs as written."""
    from callfirst.drafts import message

    from .draft_headers import header_problems

    build = message.build_message

    def checked(**fields):
        built = build(**fields)
        problems = header_problems(bytes(built))
        assert not problems, f"the draft carries headers callfirst did not set: {problems}"
        return built

    monkeypatch.setattr(message, "build_message", checked)


@pytest.fixture
def sleeps(monkeypatch):
    """Backoff sleeps are recorded instead of slept."""
    import time

    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


@pytest.fixture
def report(record_property):
    """Lines for the summary at the end of the run (measurements the suite prints): kept with the test's
    report, so they reach the summary also when the tests run in several processes."""
    return lambda line: record_property("summary", line)


def pytest_runtest_logreport(report):
    if report.when == "call":
        REPORTS.extend(str(value) for key, value in report.user_properties if key == "summary")


def pytest_terminal_summary(terminalreporter):
    if REPORTS:
        terminalreporter.section("interview detection and facts")
        for line in REPORTS:
            terminalreporter.write_line(line)


os.environ.setdefault("CALLFIRST_DEBUG", "")

# In CI the property tests run the same examples every time, so a red build points at a change, not at luck;
# the edit-test loop keeps exploring (and saves what it finds under tests/data/fuzz/).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


# A test that needs a Debian package skips where it is missing and says which (`apt-get install …`); in CI,
# where .ci/run installs every such package, that skip is a failure: CI must run the test.
NEEDS_A_PACKAGE = "apt-get install"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport():  # pluggy passes only the arguments named
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and os.environ.get("CI") and isinstance(report.longrepr, tuple)):
        return
    reason = str(report.longrepr[2])
    if NEEDS_A_PACKAGE in reason:
        report.outcome = "failed"
        report.longrepr = f"CI must run this test, but it skipped: {reason} (.ci/run installs the package)"
