"""Filling a Context: the config, the user folder, the moment, the owner's zone, found once per run."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, BinaryIO
from zoneinfo import ZoneInfo

from ..config import Config
from ..context import Context, Progress
from ..timezones import zone_named

if TYPE_CHECKING:
    from ..integrations.home import Places


def load_context(
    places: Places | None = None,
    *,
    now: datetime | None = None,
    config: Config | None = None,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> Context:
    """The context of a run: `places` (default: $CALLFIRST_HOME or the platform's folder), its config.toml
    (unless `config` is given), and `now` (default: the clock) in the owner's zone."""
    from ..integrations.home import Places, load_config

    places = places or Places.from_environ()
    config = config if config is not None else load_config(places.config)
    zone = owner_zone(config)
    moment = (now or datetime.now(zone)).astimezone(zone) if (now is None or now.tzinfo) else now.replace(tzinfo=zone)
    return Context(config=config, places=places, now=moment, owner_zone=zone, stdin=stdin, progress=progress)


def owner_zone(config: Config) -> ZoneInfo:
    """The profile's zone, else the machine's, else UTC."""
    from ..integrations.home import local_zone_name

    return zone_named(config.profile.timezone) or zone_named(local_zone_name()) or ZoneInfo("UTC")
