"""Where events come from. A source kind is one module exposing `SOURCE` and one line in SOURCE_MODULES;
a spec `KIND` or `KIND:NAME` goes to that kind, anything else is a file (or `-`, standard input)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..context import Context
    from ..ical.prefilter import Selector
    from ..model import ReadResult, Window

# The kinds, by the word a spec starts with; each module is imported only when a spec names it.
SOURCE_MODULES: dict[str, str] = {
    "google": "callfirst.integrations.gcal",
}
FILES = "callfirst.integrations.local"


class Source(Protocol):
    """One kind of calendar."""

    def read(self, spec: str, selector: Selector, ctx: Context, /) -> ReadResult:
        """The events in `selector.window`; a failure of the whole source raises a CallfirstError."""
        ...

    def busy(self, spec: str, window: Window, ctx: Context, /) -> tuple[Window, ...]:
        """Busy times the provider knows beyond the events read (free/busy); () when none."""
        ...

    def label(self, spec: str, /) -> str:
        """How problems name the source (`google:primary`, a file's path, `<stdin>`)."""
        ...


def kind_of(spec: str) -> str | None:
    """The provider a spec names (`google`, `google:work` → google); None for a file or `-`."""
    word = spec.partition(":")[0]
    return word if word in SOURCE_MODULES else None


def source_for(spec: str) -> Source:
    kind = kind_of(spec)
    module = importlib.import_module(SOURCE_MODULES[kind] if kind else FILES)
    found: Source = module.SOURCE
    return found


def read_source(spec: str, selector: Selector, ctx: Context) -> ReadResult:
    return source_for(spec).read(spec, selector, ctx)


def busy_from(spec: str, window: Window, ctx: Context) -> tuple[Window, ...]:
    return source_for(spec).busy(spec, window, ctx)


def label(spec: str) -> str:
    return source_for(spec).label(spec)


def is_provider(spec: str) -> bool:
    """A calendar account rather than a file: its events are not keyed by a path."""
    return kind_of(spec) is not None
