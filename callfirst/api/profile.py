"""Your details (the [profile] of config.toml): read for a form, checked and saved. `callfirst init` and the
web page's "Your details" both save through `save_profile`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Profile
    from ..integrations.home import Places


@dataclass(frozen=True)
class SavedProfile:
    path: Path  # config.toml
    details: dict[str, str]  # as written: name, email, phone (E.164 or ''), timezone, hours


def save_profile(places: Places, answers: Mapping[str, str], *, replace: bool = False) -> SavedProfile:
    """Check `answers` (name, email, phone, timezone, hours) and write them as the [profile] of config.toml,
    atomically, keeping the file's other tables as they were. A blank zone is this computer's, blank hours
    the default ones. An existing config.toml is replaced only with `replace`; nothing is written when any
    detail is refused (ProfileError names it)."""
    from ..integrations.home import local_zone_name, read_config_text, write_config
    from ..profile import checked_profile, config_with_profile

    details = checked_profile(answers, default_zone=local_zone_name())
    path = places.config
    if path.exists() and not replace:
        from ..errors import OutputError

        raise OutputError("already exists; its [profile] is replaced only when asked to", where=str(path))
    text = config_with_profile(read_config_text(path), details, where=str(path))
    write_config(path, text, replace=replace)
    return SavedProfile(path, details)


def profile_details(profile: Profile) -> dict[str, str]:
    """The details a form shows: the profile's, with this computer's zone and the default hours where it sets
    none."""
    from ..integrations.home import local_zone_name
    from ..profile import DEFAULT_HOURS

    return {
        "name": profile.name,
        "email": profile.email,
        "phone": profile.phone,
        "timezone": profile.timezone or local_zone_name(),
        "hours": profile.hours or DEFAULT_HOURS,
    }
