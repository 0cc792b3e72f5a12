"""The library API: one function per job, used by the CLI and usable without it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import BinaryIO
from zoneinfo import ZoneInfo

from .assess import assess_events, interviews
from .config import Config
from .detection import build_detector
from .model import ScanResult, Window

DEFAULT_DAYS = 90


def owner_zone(config: Config) -> ZoneInfo:
    if config.profile.timezone:
        return ZoneInfo(config.profile.timezone)
    from .integrations.userfiles import local_zone_name

    return ZoneInfo(local_zone_name())


def default_window(now: datetime) -> Window:
    return Window(start=now, end=now + timedelta(days=DEFAULT_DAYS))


def scan(
    sources: Sequence[str],
    config: Config,
    *,
    now: datetime,
    window: Window | None = None,
    include_all: bool = False,
    stdin: BinaryIO | None = None,
) -> ScanResult:
    """Find interviews in the sources; with include_all, every event in the window with its verdict."""
    from .integrations.ics import Selector
    from .integrations.sources import read_source

    zone = owner_zone(config)
    window = window or default_window(now)
    detector = build_detector(config.detection)
    selector = Selector(window=window, could_be_interview=detector.could_be_interview, keep_all_in_window=include_all)
    events, warnings, errors = [], list(config.warnings), []
    for spec in sources:
        result = read_source(spec, selector, zone, stdin=stdin)
        events.extend(result.events)
        warnings.extend(result.warnings)
        errors.extend(result.errors)
    assessed = assess_events(events, now, config)
    chosen = assessed if include_all else interviews(assessed)
    return ScanResult(assessments=chosen, warnings=tuple(warnings), errors=tuple(errors), now=now, owner_zone=zone.key)
