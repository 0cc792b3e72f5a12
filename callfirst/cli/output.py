"""Turn results into what a person or a program reads: JSON, rich tables, messages on stderr, a progress bar."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from json.encoder import encode_basestring as _encode
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

import click

from ..untrusted import escaped_invisible, printable
from .environment import Environment, writes_all_of_unicode

if TYPE_CHECKING:
    from _typeshed import SupportsWrite
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..api import Suggestion
    from ..context import Context
    from ..drafts.compose import Draft
    from ..model import Assessment, Notice, Problem, ScanResult

TIER_STYLE = {  # by Tier value
    "past": "bold white on red",
    "urgent": "bold red",
    "late": "bold yellow",
    "short": "yellow",
    "ok": "green",
}


def assessment_json(item: Assessment, owner_zone: tzinfo) -> dict[str, Any]:
    shared, own = _shared_json(item), _own_json(item, owner_zone)
    return {key: own[key] if key in own else shared[key] for key in _ROW_KEYS}


# A row's keys in order. Those in _OWN are this event's own; the others many events share (the
# occurrences of a series, and events from one organizer that are not interviews), see write_scan_json.
_ROW_KEYS = (
    "uid",
    "summary",
    "start",
    "end",
    "timezone",
    "timezone_source",
    "facts",
    "all_day",
    "is_interview",
    "signals",
    "organizer",
    "phones",
    "notice",
    "call_at",
    "call_at_yours",
    "actionable",
    "not_actionable_because",
    "source",
)
_OWN = ("uid", "summary", "start", "end", "notice", "call_at", "call_at_yours", "actionable", "not_actionable_because")


def _notice_json(notice: Notice) -> dict[str, Any]:
    return {"hours": notice.hours, "business_hours": notice.business_hours, "tier": notice.tier.value}


def _shared_json(item: Assessment) -> dict[str, Any]:
    """What a row says that other rows may say too (see _shared_key)."""
    event = item.event
    organizer = event.organizer
    return {
        "timezone": event.timezone,
        "timezone_source": item.facts.their_zone.source if item.facts else "the event's own zone",
        "facts": _facts_json(item),
        "all_day": event.all_day,
        "is_interview": item.verdict.is_interview,
        "signals": list(item.verdict.signals),
        "organizer": {"name": organizer.name, "email": organizer.email} if organizer else None,
        "phones": [phone.e164 for phone in item.phones],
        "source": event.source,
    }


def _shared_key(item: Assessment) -> tuple[object, ...]:
    """Everything _shared_json reads. Facts and phones by identity: they are worked out once per text, and
    every assessment (so every one of them) is alive while rows are written."""
    event, verdict, organizer = item.event, item.verdict, item.event.organizer
    return (
        event.timezone,
        event.all_day,
        event.source,
        (organizer.name, organizer.email) if organizer else None,
        verdict.is_interview,
        verdict.signals,
        id(item.facts),
        id(item.phones),
    )


def _own_json(item: Assessment, owner_zone: tzinfo) -> dict[str, Any]:
    """What a row says of this event alone."""
    event, notice = item.event, item.notice
    return {
        "uid": event.uid,
        "summary": event.summary,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "notice": _notice_json(notice),
        "call_at": notice.call_at.astimezone(event.start.tzinfo).isoformat(),
        "call_at_yours": notice.call_at.astimezone(owner_zone).isoformat(),
        "actionable": item.actionable,
        "not_actionable_because": item.not_actionable_because,
    }


def _facts_json(item: Assessment) -> dict[str, Any] | None:
    """What callfirst read from an interview, each fact with where it came from."""
    facts = item.facts
    if facts is None:
        return None
    to = facts.recipient
    return {
        "company": {"value": facts.company.value, "source": facts.company.source},
        "role": {"value": facts.role.value, "source": facts.role.source},
        "their_zone": {
            "value": facts.their_zone.value,
            "source": facts.their_zone.source,
            "guessed": facts.their_zone.guessed,
        },
        "phone": {
            "value": facts.phone.e164 if facts.phone else None,
            "source": facts.phone_source,
            "backup": facts.backup_phone.e164 if facts.backup_phone else None,
        },
        "recipient": {
            "value": to.email if to else None,
            "name": to.name if to else None,
            "source": facts.recipient_source,
        },
    }


def scan_json(result: ScanResult) -> list[dict[str, Any]]:
    from ..api import event_references

    zone = ZoneInfo(result.owner_zone)
    references = event_references(result.assessments)
    return [
        {**assessment_json(item, zone), "event": reference}
        for item, reference in zip(result.assessments, references, strict=True)
    ]


def write_scan_json(result: ScanResult, stream: SupportsWrite[str]) -> None:
    """The JSON array of `scan_json`, the same text as json.dumps(indent=2), written one item at a time."""
    from ..api import event_references

    if not result.assessments:
        stream.write("[]\n")
        return
    separator = "[\n  "
    rows = _Rows(ZoneInfo(result.owner_zone))
    for item, reference in zip(result.assessments, event_references(result.assessments), strict=True):
        stream.write(separator + rows.text(item, reference))
        separator = ",\n  "
    stream.write("\n]\n")


_ROW_PAD = "    "  # a row's keys, inside the array


class _Rows:
    """Rows of the scan's JSON. What rows share is encoded once, as a template with a place for each of the
    row's own values (_template); texts a calendar repeats (a series' UID and title) and the moments to call
    (now, and a few openings) are encoded once each."""

    _LIMIT = 50_000  # texts kept before starting afresh (a bound on their number, not their size)

    def __init__(self, owner_zone: tzinfo) -> None:
        self.owner_zone = owner_zone
        self.templates: dict[tuple[object, ...], str] = {}
        self.texts: dict[str, str] = {}
        self.times: dict[tuple[datetime, int, tzinfo | None], str] = {}

    def text(self, item: Assessment, reference: str) -> str:
        key = _shared_key(item)
        template = self.templates.get(key)
        if template is None:
            template = self.templates[key] = _template(_shared_json(item))
        event, notice = item.event, item.notice
        reason = item.not_actionable_because
        return template.format(
            self._text(event.uid),
            self._text(event.summary),
            _encode(event.start.isoformat()),
            _encode(event.end.isoformat()),
            _notice_text(notice),
            self._time(notice.call_at, event.start.tzinfo),
            self._time(notice.call_at, self.owner_zone),
            "true" if item.actionable is True else _indented(item.actionable, _ROW_PAD),
            "null" if reason is None else self._text(reason),
            escaped_invisible(_encode(reference)),
        )

    def _text(self, value: str) -> str:
        """A text from the event as JSON, with nothing a terminal acts on."""
        text = self.texts.get(value)
        if text is None:
            if len(self.texts) >= self._LIMIT:
                self.texts.clear()
            text = self.texts[value] = escaped_invisible(_encode(value))
        return text

    def _time(self, moment: datetime, zone: tzinfo | None) -> str:
        """`moment` in `zone`, as JSON."""
        key = (moment, moment.fold, zone)  # equal wall clocks in one zone may be an hour apart (fold)
        text = self.times.get(key)
        if text is None:
            text = self.times[key] = _encode(moment.astimezone(zone).isoformat())
        return text


def _template(shared: dict[str, Any]) -> str:
    """A row's text as a str.format() template: what rows share written out, a place for each of the row's
    own values (_OWN, then the --event reference)."""
    text, first = "{{\n", True
    for key in (*_ROW_KEYS, "event"):
        text += ("" if first else ",\n") + _ROW_PAD + _encode(key) + ": "
        first = False
        if key in shared:
            written = escaped_invisible(_indented(shared[key], _ROW_PAD))
            text += written.replace("{", "{{").replace("}", "}}")
        else:
            text += "{}"
    return text + "\n  }}"


_NOTICE_PAD = _ROW_PAD + "  "
_NOTICE = (  # the notice's text for the usual numbers, as a str.format() template
    "{{\n"
    + _NOTICE_PAD
    + '"hours": {},\n'
    + _NOTICE_PAD
    + '"business_hours": {},\n'
    + _NOTICE_PAD
    + '"tier": {}\n'
    + _ROW_PAD
    + "}}"
)


def _notice_text(notice: Notice) -> str:
    hours, business = notice.hours, notice.business_hours
    if type(hours) is float and type(business) is float and hours - hours == 0 and business - business == 0:
        return _NOTICE.format(float.__repr__(hours), float.__repr__(business), _encode(notice.tier.value))
    return _indented(_notice_json(notice), _ROW_PAD)


def _indented(value: Any, pad: str) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False) at indentation `pad`, with the C string encoder.

    The common types are told apart by their exact type, a dict's plain values without a call each."""
    kind = type(value)
    if kind is str:
        return _encode(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = pad + "  "
        heads = _HEADS.get(inner)
        if heads is None:
            heads = _HEADS[inner] = {}
        items = []
        for key, item in value.items():
            head = heads.get(key)
            if head is None:
                head = f"{inner}{_key(key)}: "
                if type(key) is str:  # 1 and True are one dict key, but not one JSON key
                    heads[key] = head
            kind = type(item)
            if kind is str:
                items.append(head + _encode(item))
            elif item is None:
                items.append(head + "null")
            elif kind is bool:
                items.append(head + ("true" if item else "false"))
            elif kind is float and item - item == 0:  # finite
                items.append(head + float.__repr__(item))
            else:
                items.append(head + _indented(item, inner))
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = pad + "  "
        return "[\n" + ",\n".join(inner + _indented(item, inner) for item in value) + "\n" + pad + "]"
    return _other(value, pad)


def _other(value: Any, pad: str) -> str:
    """_indented for any other value (numbers, subclasses, tuples), in json's own order of tests."""
    if isinstance(value, str):
        return _encode(value)
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        return float.__repr__(value) if abs(value) != float("inf") else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return _indented(dict(value), pad)
    return _indented(list(value), pad)


def _key(key: object) -> str:
    """A dict key as json writes it: text, or a number, true, false or null written as text."""
    if isinstance(key, str):
        return _encode(key)
    if key is None or isinstance(key, bool):
        return _encode(_other(key, ""))
    return _encode(_other(key, "") if isinstance(key, int | float) else str(key))


_HEADS: dict[str, dict[str, str]] = {}  # indentation → key → its line's start (the output has few keys)


def notice_text(item: Assessment) -> str:
    notice = item.notice
    if notice.tier.value == "past":
        return "PAST"
    from ..notice import hours_text

    hours, business = hours_text(notice.hours), hours_text(notice.business_hours)
    return f"{notice.tier.value.upper()} · {hours} h ({business} working)"


def call_text(item: Assessment, now: datetime, owner: tzinfo, this_year: int | None = None) -> str:
    if item.notice.tier.value == "past":
        return "—"
    if item.notice.call_at <= now:
        return "now"
    from ..timetext import both_zones

    return both_zones(item.notice.call_at, owner, _zone_of(item.event.start), this_year)


def cell(value: str, style: str = "") -> Text:
    """A table cell from untrusted text: printable, and never read as Rich markup."""
    from rich.text import Text

    return Text(printable(value), style=style)


_HEADERS = ("When", "What", "With", "Notice", "Call", "Phone", "Verdict", "--event")
_FOLDED = frozenset(("When", "What", "With", "Call", "Verdict", "--event"))  # nothing cut off
CHUNK = 500  # rows of a long table printed at a time


def scan_table(result: ScanResult, show_verdict: bool) -> Table:
    from rich.table import Table

    table = Table(title=f"Interviews (times in {result.owner_zone})", title_justify="left", expand=False)
    for header in _HEADERS[: 8 if show_verdict else 6]:
        table.add_column(header, overflow="fold" if header in _FOLDED else "ellipsis")
    for row in scan_rows(result, show_verdict):
        table.add_row(*row)
    return table


def scan_rows(result: ScanResult, show_verdict: bool) -> Iterator[list[Text]]:
    """The cells of each row of the scan table, one row at a time."""
    from ..api import event_references

    owner = ZoneInfo(result.owner_zone)
    now = result.now
    assert now is not None, "a scan's result carries the moment it was made at"
    this_year = now.astimezone(owner).year
    for item, reference in zip(result.assessments, event_references(result.assessments), strict=True):
        event = item.event
        row = [
            cell(when_text(item, owner, this_year)),
            cell(event.summary or "(no title)"),
            cell(event.organizer.display if event.organizer else "—"),
            cell(notice_text(item), style=TIER_STYLE[item.notice.tier.value]),
            cell(call_text(item, now, owner, this_year)),
            cell(item.phones[0].display if item.phones else "—"),
        ]
        if show_verdict:
            row += [cell(verdict_text(item)), cell(reference)]
        yield row


def print_scan_table(out: Console, result: ScanResult, show_verdict: bool) -> None:
    """The scan table; a long one is printed CHUNK rows at a time with the same column widths (worked out
    from every cell first), so rows appear as they are laid out and no whole table is held."""
    if len(result.assessments) <= CHUNK:
        out.print(scan_table(result, show_verdict))
        return
    from rich import box
    from rich.table import Table

    headers = _HEADERS[: 8 if show_verdict else 6]
    widths = _fitted_widths(headers, scan_rows(result, show_verdict), out.width)
    chunk: list[list[Text]] = []

    def flush(first: bool) -> None:
        table = Table(
            title=f"Interviews (times in {result.owner_zone})" if first else None,
            title_justify="left",
            show_header=first,
            show_edge=False,
            box=box.SIMPLE_HEAD,
            expand=False,
        )
        for header, width in zip(headers, widths, strict=True):
            table.add_column(header, overflow="fold" if header in _FOLDED else "ellipsis", width=width)
        for row in chunk:
            table.add_row(*row)
        out.print(table)
        chunk.clear()

    first = True
    for row in scan_rows(result, show_verdict):
        chunk.append(row)
        if len(chunk) == CHUNK:
            flush(first)
            first = False
    if chunk:
        flush(first)


def _fitted_widths(headers: tuple[str, ...], rows: Iterator[list[Text]], room: int) -> list[int]:
    """Each column's widest line, the widest narrowed first until the table fits in `room` (as rich fits a
    table: cells wrap)."""
    widest = [len(header) for header in headers]
    for row in rows:
        for index, text in enumerate(row):
            widest[index] = max(widest[index], max((cell_len(line) for line in text.plain.split("\n")), default=0))
    spare = room - 3 * len(headers)  # a space either side and a rule between columns
    columns = range(len(headers))
    while sum(widest) > spare and any(widest[i] > _NARROWEST for i in columns):
        widest[max(columns, key=lambda i: widest[i])] -= 1
    return widest


_NARROWEST = 6


def cell_len(text: str) -> int:
    from rich.cells import cell_len as measured

    return measured(text)


def when_text(item: Assessment, owner: tzinfo, this_year: int | None = None) -> str:
    event = item.event
    if event.all_day:
        return "all day " + event.start.strftime("%a %d %b" if this_year in (None, event.start.year) else "%a %d %b %Y")
    from ..timetext import both_zones

    return both_zones(event.start, owner, _zone_of(event.start), this_year)


def _zone_of(moment: datetime) -> tzinfo:
    """The zone of an event's time (always aware; UTC as triage reads it otherwise)."""
    return moment.tzinfo or UTC


def verdict_text(item: Assessment) -> str:
    if not item.actionable:
        return f"not actionable: {item.not_actionable_because}"
    if item.verdict.is_interview:
        return "interview"
    vetoes = [s for s in item.verdict.signals if s.startswith("not yours")]
    return vetoes[0] if vetoes else "not an interview"


def console(env: Environment, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(
        file=env.stderr if stderr else env.stdout,
        highlight=False,
        soft_wrap=False,
        no_color=env.no_color,
        width=env.columns,
        force_terminal=(env.stderr_isatty if stderr else env.stdout_isatty) and env.term != "dumb",
    )


def echo(env: Environment, text: str, *, err: bool = False, nl: bool = True) -> None:
    click.echo(text, file=env.stderr if err else env.stdout, nl=nl, color=env.color)


def print_json(env: Environment, value: object) -> None:
    json_target(env.stdout).write(escaped_invisible(json.dumps(value, indent=2, ensure_ascii=False)) + "\n")


def json_target(stream: TextIO) -> SupportsWrite[str]:
    """`stream`, or one writing every character past ASCII as JSON's \\u escape when `stream` cannot write
    them all (an ASCII or Latin-1 terminal): the same JSON, still whole."""
    return stream if writes_all_of_unicode(stream) else _AsciiJson(stream)


class _AsciiJson:
    _PAST_ASCII = re.compile(r"[^\x00-\x7f]")

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(self._PAST_ASCII.sub(_json_escape, text))


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"  # a surrogate pair, as JSON has it


def _labelled(env: Environment, label: str, colour: str, text: str) -> None:
    echo(env, click.style(f"callfirst: {label}: ", fg=colour) + printable(text), err=True)


def warn(env: Environment, text: str) -> None:
    _labelled(env, "warning", "yellow", text)


def error(env: Environment, text: str) -> None:
    _labelled(env, "error", "red", text)


def report_problems(env: Environment, warnings: tuple[Problem, ...], errors: tuple[Problem, ...]) -> None:
    """Warnings and errors on stderr, one line each."""
    for problem in warnings:
        warn(env, str(problem))
    for problem in errors:
        error(env, str(problem))


def report_note(env: Environment, draft: Draft) -> None:
    for issue in draft.note_issues:
        warn(env, f"your note mentions {issue.what} ('{issue.found}'). {issue.suggestion}")
    if draft.note_dropped:
        warn(env, "the note was left out of the email; reword it, or add --keep-note to include it as written")


def slots_json(found: Suggestion) -> dict[str, Any]:
    """{"slots": [{"start", "end"}]}, in the interviewer's zone."""
    theirs = found.chosen.item.event.start.tzinfo
    return {
        "slots": [
            {"start": s.start.astimezone(theirs).isoformat(), "end": s.end.astimezone(theirs).isoformat()}
            for s in found.search.slots
        ]
    }


def slots_text(found: Suggestion, zone: ZoneInfo) -> str:
    from ..timetext import slot_text

    theirs = found.chosen.item.event.start.tzinfo or zone
    slots = found.search.slots
    if not slots:
        earliest, latest = found.search.earliest.astimezone(zone), found.search.latest.astimezone(zone)
        return (
            f"No free slot in the interviewer's working hours between {earliest:%Y-%m-%d %H:%M} "
            f"and {latest:%Y-%m-%d %H:%M} ({zone.key}). Try --days with a larger number.\n"
        )
    minutes = int((slots[0].end - slots[0].start).total_seconds() // 60)
    lines = [f"Free {minutes}-minute slots for: {printable(found.chosen.item.event.summary)}"]
    same_zone = all(s.start.astimezone(theirs).utcoffset() == s.start.astimezone(zone).utcoffset() for s in slots)
    for number, slot in enumerate(slots, start=1):
        lines.append(f"  {number}. {slot_text(slot, theirs)}")
        if not same_zone:
            lines.append(f"     {slot_text(slot, zone)} for you")
    return "\n".join(lines) + "\n"


def progress_wanted(env: Environment, as_json: bool) -> bool:
    """A bar only for a person watching: stderr is a terminal, and JSON is not headed into a pipe."""
    if not env.wants_progress:
        return False
    return not (as_json and not env.stdout_isatty)


@contextmanager
def progress_shown(env: Environment, ctx: Context, as_json: bool = False) -> Iterator[Context]:
    """`ctx` reporting its reading on a bar on stderr (see Progress), gone once the block ends."""
    from dataclasses import replace

    progress = Progress(enabled=progress_wanted(env, as_json), console=console(env, stderr=True))
    try:
        yield replace(ctx, progress=progress)
    finally:
        progress.close()


class Progress:
    """A transient bar on stderr that appears only once reading has taken more than `delay` seconds."""

    def __init__(
        self,
        enabled: bool,
        delay: float = 1.0,
        clock: Callable[[], float] | None = None,
        console: Console | None = None,
    ) -> None:
        import time

        self.enabled, self.delay = enabled, delay
        self.clock = clock or time.monotonic
        self.started = self.clock()
        self.console = console
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, source: str, done: int, total: int) -> None:
        if not self.enabled or (self.bar is None and self.clock() - self.started < self.delay):
            return
        if self.bar is None:
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("reading {task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.start()
        if source not in self.tasks:
            self.tasks[source] = self.bar.add_task(os.path.basename(source) or source, total=total)
        self.bar.update(self.tasks[source], completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def terminal_width(env: Environment) -> int:
    """The columns text may fill: COLUMNS, else the terminal's own; a character short of the edge."""
    return max(env.columns or console(env).width, 40) - 1


def wrapped(line: str, width: int, hanging: str) -> str:
    """One line wrapped at word boundaries, its own indentation kept, the lines after it indented `hanging`."""
    import textwrap

    indent = line[: len(line) - len(line.lstrip(" "))]
    return textwrap.fill(
        line.strip(),
        width=width,
        initial_indent=indent,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )


def fitted(env: Environment, text: str) -> str:
    """`text` wrapped at word boundaries to the terminal's width, each line's continuation indented under it
    (under the text of a `- ` item); as it is for a pipe or a file."""
    import re

    if not env.stdout_isatty:
        return text
    width = terminal_width(env)
    lines = []
    for line in text.split("\n"):
        lead = re.match(r"\s*(?:[-•*] |\d+\. |\")?", line)  # under an item's text, or a quotation's
        lines.append(line if len(line) <= width else wrapped(line, width, " " * (lead.end() if lead else 0)))
    return "\n".join(lines)
