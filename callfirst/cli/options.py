"""Arguments and options shared by commands, and what they turn into."""

from __future__ import annotations

import sys
from datetime import date, datetime, time, timedelta

import click


class Moment(click.ParamType):
    """ISO 8601 date or date-time; `Z` allowed."""

    name = "DATETIME"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime | date):
            return value
        text = value.strip()
        try:
            return datetime.fromisoformat(text) if ("T" in text or " " in text) else date.fromisoformat(text)
        except ValueError:
            self.fail(
                f"{value!r} is not an ISO 8601 date or date-time (e.g. 2026-12-01 or 2026-12-01T09:30Z)", param, ctx
            )


MOMENT = Moment()


def context():
    from ..api import owner_zone
    from ..integrations.files import load_config

    config = load_config()
    return config, owner_zone(config)


def as_datetime(value, zone, end_of_day: bool = False) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    moment = datetime.combine(value, time(), tzinfo=zone)
    return moment + timedelta(days=1) if end_of_day else moment


def resolve_now(value, zone) -> datetime:
    if value is None:
        return datetime.now(zone)
    return as_datetime(value, zone)


def one_interview_options(func):
    func = click.option("--now", type=MOMENT, help="Pretend it is this moment (ISO 8601).")(func)
    func = click.option(
        "--event", "uid", metavar="UID", help="The event's UID (optional when SOURCE holds one interview)."
    )(func)
    func = click.argument("source", metavar="SOURCE")(func)
    return func


def busy_option(func):
    return click.option(
        "--busy",
        "busy_sources",
        multiple=True,
        metavar="FILE.ics",
        help="Another calendar whose events make you busy (repeatable).",
    )(func)


def suggest_option(default: int | None, text: str):
    return click.option(
        "--suggest",
        type=click.IntRange(0, 20),
        default=default,
        metavar="N",
        show_default=default is not None,
        help=text,
    )


def request_from(reason, called, propose, note, keep_note):
    from ..drafts.compose import Called, DraftRequest, Reason

    return DraftRequest(
        reason=Reason(reason),
        called=Called(called),
        proposals=tuple(p if isinstance(p, datetime) else datetime.combine(p, time(9)) for p in propose),
        note=note or "",
        keep_note=keep_note,
    )


def user_templates():
    from ..integrations.files import user_dir

    return user_dir() / "templates"


def stdin_for(*sources: str):
    """Standard input's bytes, when one of the sources is `-`."""
    return sys.stdin.buffer if "-" in sources else None
