"""The pages. Each reads the form, calls the `callfirst.api` function the matching command calls, and renders
what comes back; nothing here decides anything about an interview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, available_timezones

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from .. import api
from ..calls import OUTCOME_TEXT
from ..errors import CallfirstError, EventNotFound, FactError, ProposalError
from .site import Site, Source

if TYPE_CHECKING:
    from ..config import Config
    from ..drafts.compose import DraftRequest
    from ..model import Assessment, Problem

pages = Blueprint("pages", __name__)

REASONS = {
    "conflict": "A scheduling conflict",
    "work": "A mandatory meeting at my current job",
    "emergency": "An unexpected emergency",
    "withdraw": "I want to withdraw my application",
}
OUTCOME_WORDS = {"voicemail": "Voicemail", "no-answer": "No answer", "wrong-number": "Wrong number"}
DRAFT_WORDS = {"file": "Saved as a file", "mailto": "Opened in the mail app", "gmail": "Saved in Gmail"}
MORE_TIMES = 2  # empty pickers for times of your own
FIRST_YEAR, LAST_YEAR = 1900, 2999


def site() -> Site:
    found: Site = current_app.config["CALLFIRST_SITE"]
    return found


@dataclass(frozen=True)
class Setting:
    """What every page needs: the config, your zone and now."""

    config: Config
    zone: ZoneInfo
    now: datetime


def setting() -> Setting:
    here = site()
    config = here.config()
    zone = here.owner_zone(config)
    return Setting(config, zone, here.now(zone))


@dataclass(frozen=True)
class Row:
    """One event listed, with the source it came from and how to name it again."""

    source: Source
    item: Assessment
    event: str


# --- the start page and opening an invitation ---------------------------------------------------------


@pages.get("/")
def start() -> ResponseReturnValue:
    here, now = site(), setting()
    rows: list[Row] = []
    problems: list[Problem] = []
    for source in here.all_sources():
        result = api.scan([source.spec], now.config, now=now.now, places=here.places)
        references = api.event_references(result.assessments)
        rows += [Row(source, item, ref) for item, ref in zip(result.assessments, references, strict=True)]
        problems += [*result.errors, *result.warnings]
    rows.sort(key=lambda row: row.item.event.start)
    return render_template("start.html", rows=rows, problems=problems, zone=now.zone, sources=here.all_sources())


@pages.post("/open")
def open_invitation() -> ResponseReturnValue:
    """An invitation uploaded, dropped or pasted: kept in the user folder, then shown."""
    from ..ical.invitation import sniff

    upload = request.files.get("invitation")
    data = upload.read() if upload is not None and upload.filename else b""
    if not data:
        data = request.form.get("pasted", "").encode("utf-8")
    if not data.strip():
        flash("Choose an invitation file, drop one on the box, or paste the invitation's text first.", "error")
        return redirect(url_for("pages.start"), code=303)
    kind = sniff(data[:8192])
    if kind is None:
        flash(
            "That is not an invitation email or a calendar file. In your mail app, save the invitation email "
            "as a file (.eml), or download its calendar file (.ics), and open that.",
            "error",
        )
        return redirect(url_for("pages.start"), code=303)
    source = site().keep(data, "eml" if kind == "eml" else "ics")
    return redirect(url_for("pages.source", source_id=source.id), code=303)


@pages.get("/source/<source_id>")
def source(source_id: str) -> ResponseReturnValue:
    """The interviews in one source (straight to the interview when it holds one), and its other events."""
    from ..model import Window

    here, now = site(), setting()
    found = here.source(source_id)
    window = Window(now.now - timedelta(days=1), now.now + timedelta(days=366))
    result = api.scan([found.spec], now.config, now=now.now, window=window, include_all=True, places=here.places)
    rows = [
        Row(found, item, ref)
        for item, ref in zip(result.assessments, api.event_references(result.assessments), strict=True)
    ]
    interviews = [r for r in rows if r.item.verdict.is_interview and r.item.actionable and r.item.event.end > now.now]
    if len(interviews) == 1 and not result.errors:
        return redirect(interview_url(found.id, interviews[0].event), code=303)
    others = [r for r in rows if r not in interviews]
    problems = [*result.errors, *result.warnings]
    return render_template(
        "source.html", source=found, interviews=interviews, others=others, problems=problems, zone=now.zone
    )


@pages.post("/forget")
def forget() -> ResponseReturnValue:
    site().forget(request.form.get("source", ""))
    flash("The invitation was removed from this page. What you recorded about it stays.", "done")
    return redirect(url_for("pages.start"), code=303)


# --- one interview: the facts, the call ------------------------------------------------------------------


def interview_url(source_id: str, event: str, anchor: str = "", **more: str) -> str:
    query = urlencode({"source": source_id, "event": event, **{k: v for k, v in more.items() if v}})
    return f"{url_for('pages.interview')}?{query}{'#' + anchor if anchor else ''}"


def picked() -> tuple[Source, str]:
    """The source and event a page is about, from its query or form."""
    values = request.form if request.method == "POST" else request.args
    return site().source(values.get("source", "")), values.get("event", "")


def chosen_interview(found: Source, event: str, now: Setting) -> api.Chosen:
    """The interview with the facts the user corrected."""
    overrides = site().corrections(found.id, event)
    return api.choose_interview(
        found.spec, now.config, now=now.now, uid=event or None, places=site().places, overrides=overrides
    )


@pages.get("/interview")
def interview() -> ResponseReturnValue:
    from ..calls import advice, call_script

    found, event = picked()
    now = setting()
    reason = _reason(request.args.get("reason"))
    sheet = api.call_sheet(found.spec, now.config, now=now.now, uid=event or None, places=site().places)
    if not event:  # the source's only interview: name it, so its address stays the same
        return redirect(interview_url(found.id, api.event_references([sheet.chosen.item])[0]), code=303)
    corrected = site().corrections(found.id, event)
    chosen = chosen_interview(found, event, now) if corrected else sheet.chosen
    item = chosen.item
    theirs = _their_zone(item, now)
    numbers = _numbers(item, sheet.numbers, corrected is not None and corrected.phone is not None)
    return render_template(
        "interview.html",
        source=found,
        event_ref=event,
        item=item,
        facts=item.facts,
        corrected=corrected,
        problems=[*chosen.errors, *chosen.warnings],
        numbers=numbers,
        qr=_qr_svg(f"tel:{numbers[0].e164}") if numbers else None,
        their_now=sheet.their_now,
        theirs=theirs,
        zone=now.zone,
        now=now.now,
        logged=sheet.logged,
        advice=advice(sheet.next, now.zone, theirs),
        next=sheet.next,
        script=call_script(item, now.config.profile, reason, sheet.their_now),
        reason=reason,
        reasons=REASONS,
        outcomes=OUTCOME_WORDS,
        outcome_text=OUTCOME_TEXT,
        zones=sorted(available_timezones()),
    )


def _numbers(item: Assessment, found: tuple[Any, ...], corrected: bool) -> tuple[Any, ...]:
    """The numbers to dial: the one the user gave first (the facts hold it), else those the call sheet found."""
    if corrected and item.facts is not None:
        return item.facts.phones
    return found


def _their_zone(item: Assessment, now: Setting) -> tzinfo:
    return item.event.start.tzinfo or now.zone


def _qr_svg(data: str) -> str:
    """The QR code as inline SVG markup (segno writes attributes only: nothing the page's policy blocks)."""
    import segno

    code = segno.make(data, error="m")
    svg: str = code.svg_inline(scale=5, border=2, title="QR code of the number, to scan with your phone")
    return svg


def _reason(value: str | None) -> str:
    return value if value in REASONS else "conflict"


@pages.post("/interview/facts")
def correct_facts() -> ResponseReturnValue:
    from ..corrections import checked_overrides

    found, event = picked()
    if request.form.get("reset"):
        site().correct(found.id, event, None)
        flash("The facts are as the invitation says them again.", "done")
        return redirect(interview_url(found.id, event, "facts"), code=303)
    try:
        overrides = checked_overrides(
            company=request.form.get("company"),
            role=request.form.get("role"),
            their_zone=request.form.get("their_zone"),
            phone=request.form.get("phone"),
            to=request.form.get("to"),
        )
    except FactError as exc:
        flash(f"Nothing was changed: {exc.message}.", "error")
        return redirect(interview_url(found.id, event, "facts"), code=303)
    site().correct(found.id, event, overrides)
    flash("Your corrections are used in the call plan and the email.", "done")
    return redirect(interview_url(found.id, event, "facts"), code=303)


@pages.get("/interview/reached")
def reached() -> ResponseReturnValue:
    """After reaching them: the new time agreed, in their zone, then record."""
    found, event = picked()
    now = setting()
    chosen = chosen_interview(found, event, now)
    theirs = _their_zone(chosen.item, now)
    return render_template(
        "reached.html",
        source=found,
        event_ref=event,
        item=chosen.item,
        theirs=theirs,
        zone=now.zone,
        now=now.now,
        numbers=_numbers(chosen.item, chosen.item.phones, site().corrections(found.id, event) is not None),
    )


@pages.post("/interview/call")
def record_call() -> ResponseReturnValue:
    from ..calls import OUTCOME_TEXT, Outcome, advice
    from ..timezones import aware

    found, event = picked()
    now = setting()
    outcome_text = request.form.get("outcome", "")
    if outcome_text not in (*OUTCOME_WORDS, "reached"):
        flash("Choose what happened on the call.", "error")
        return redirect(interview_url(found.id, event, "call"), code=303)
    outcome = Outcome(outcome_text)
    chosen = chosen_interview(found, event, now)
    item = chosen.item
    theirs = _their_zone(item, now)
    agreed_text = request.form.get("agreed", "").strip() if outcome is Outcome.REACHED else ""
    try:
        agreed = aware(typed_moment(agreed_text, "the new time"), theirs) if agreed_text else None
        recorded = api.record_call(
            item,
            now.config,
            now=now.now,
            outcome=outcome,
            number=_dialled(request.form.get("number", ""), _numbers(item, item.phones, True)),
            agreed=agreed,
            places=site().places,
        )
    except ProposalError as exc:
        flash(f"Nothing was recorded: {exc.message}.", "error")
        target = url_for("pages.reached", source=found.id, event=event) if outcome is Outcome.REACHED else None
        return redirect(target or interview_url(found.id, event, "call"), code=303)
    flash(f"Recorded: {OUTCOME_TEXT[outcome]}.", "done")
    for problem in recorded.warnings:
        flash(f"About the new time: {problem.message}.", "warning")
    flash(advice(recorded.next, now.zone, theirs), "next")
    return redirect(interview_url(found.id, event, "call"), code=303)


def _dialled(given: str, numbers: tuple[Any, ...]) -> str:
    """The number chosen on the page when it is one of those shown; else the first one shown."""
    known = [phone.e164 for phone in numbers]
    return given if given in known else (known[0] if known else "")


def typed_moment(text: str, what: str) -> datetime:
    """A date and time from a picker (`2026-12-07T14:00`), without a zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ProposalError(f"{what} {text[:40]!r} is not a date and time") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR or moment.tzinfo is not None:
        raise ProposalError(f"{what} {text[:40]!r} is not a date and time between {FIRST_YEAR} and {LAST_YEAR}")
    return moment


@pages.get("/times")
def times() -> ResponseReturnValue:
    """A time typed in one zone, written in that zone and in yours (for the agreed-time picker)."""
    from ..timetext import when_text
    from ..timezones import aware, zone_named

    now = setting()
    zone = zone_named(request.args.get("zone", ""))
    try:
        moment = typed_moment(request.args.get("at", ""), "the time")
    except ProposalError as exc:
        return jsonify(error=exc.message), 400
    if zone is None:
        return jsonify(error="unknown time zone"), 400
    placed = aware(moment, zone)
    return jsonify(theirs=when_text(placed, zone), yours=when_text(placed, now.zone))


# --- the email -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmailForm:
    """The email page's choices, from its query (preview) or its form (the buttons)."""

    reason: str
    edited: bool  # the user has chosen times (else the free times found are offered, all ticked)
    ticked: tuple[str, ...]
    offered: tuple[str, ...]
    more: tuple[str, ...]
    note: str
    keep_note: bool

    @classmethod
    def read(cls) -> EmailForm:
        values = request.form if request.method == "POST" else request.args
        return cls(
            reason=_reason(values.get("reason")),
            edited=values.get("edited") == "1",
            ticked=tuple(values.getlist("time")),
            offered=tuple(values.getlist("offered")),
            more=tuple(v for v in values.getlist("more") if v.strip()),
            note=values.get("note", "")[:2000],
            keep_note=values.get("keep_note") == "1",
        )

    def request(self) -> DraftRequest:
        from ..drafts.compose import DraftRequest, Reason

        proposals: list[date | datetime] = [_aware_moment(text) for text in self.ticked]
        proposals += [typed_moment(text, "the time") for text in self.more]  # your time, as on the command line
        return DraftRequest(
            reason=Reason(self.reason), proposals=tuple(proposals), note=self.note, keep_note=self.keep_note
        )

    def hidden(self) -> list[tuple[str, str]]:
        """The choices as the action buttons send them again."""
        fields = [("reason", self.reason), ("edited", "1"), ("note", self.note)]
        fields += [("keep_note", "1")] if self.keep_note else []
        fields += [("time", t) for t in self.ticked] + [("offered", t) for t in self.offered]
        return fields + [("more", t) for t in self.more]


def _aware_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ProposalError(f"{text[:40]!r} is not a time") from None
    if moment.tzinfo is None:
        raise ProposalError(f"{text[:40]!r} is not a time with its zone")
    return moment


def drafted(found: Source, event: str, form: EmailForm, now: Setting) -> api.DraftResult:
    """The draft as `callfirst draft` makes it: the email the call log calls for, with the times chosen (or,
    before any choice, the free times found)."""
    from ..cli.commands import suggestions

    here = site()
    return api.draft(
        found.spec,
        now.config,
        now=now.now,
        uid=event or None,
        request=form.request(),
        user_templates=here.places.templates,
        suggest=0 if form.edited else suggestions(now.config, (), None, None),
        places=here.places,
        overrides=here.corrections(found.id, event),
        use_call_log=True,
    )


@pages.get("/email")
def email() -> ResponseReturnValue:
    from ..drafts.message import MAX_SUBJECT, clean_text, shown_recipient
    from ..untrusted import printable

    found, event = picked()
    now = setting()
    form = EmailForm.read()
    result, problem = None, None
    try:
        result = drafted(found, event, form, now)
    except CallfirstError as exc:  # a time that cannot be offered, no name to sign with, no one to write to
        problem = exc.message
    chosen = result.chosen if result else chosen_interview(found, event, now)
    logged = api.call_log(chosen.item, site().places)
    offered, ticked = form.offered, form.ticked
    if result is not None and not form.edited:  # first visit: every free time found is offered and ticked
        offered = ticked = tuple(slot.start.isoformat() for slot in result.draft.proposals)
    composed = result.draft if result else None
    return render_template(
        "email.html",
        source=found,
        event_ref=event,
        item=chosen.item,
        theirs=_their_zone(chosen.item, now),
        zone=now.zone,
        form=form,
        offered=[(text, _aware_moment(text)) for text in offered],
        ticked=set(ticked),
        more_pickers=max(MORE_TIMES - len(form.more), 1),
        draft=composed,
        sender=shown_recipient(composed.sender) if composed else None,
        to=shown_recipient(composed.to) if composed else None,
        subject=clean_text(composed.subject, MAX_SUBJECT) if composed else "",
        body=printable(composed.body, lines=True) if composed else "",
        text=_copy_text(composed) if composed else "",
        problem=_sentence(problem) if problem else None,
        problems=[*chosen.errors, *chosen.warnings],
        agreed=logged.agreed if logged and result and result.called_from_log == "reached" else None,
        called_from_log=result.called_from_log if result else None,
        hidden=EmailForm(form.reason, True, ticked, offered, form.more, form.note, form.keep_note).hidden(),
        reasons=REASONS,
        gmail=site().places.google_token.exists(),
    )


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _copy_text(composed: Any) -> str:
    from ..cli.output import readable

    text: str = readable(composed)
    return text


@pages.post("/email/eml")
def download_eml() -> ResponseReturnValue:
    """The draft as an .eml file: mail apps open it as a draft to send yourself (`X-Unsent: 1`)."""
    from flask import Response

    found, event = picked()
    now = setting()
    result = drafted(found, event, EmailForm.read(), now)
    message = api.draft_message(result.draft, now=now.now, event=result.chosen.item.event)
    name = "interview-email.eml"
    api.record_draft_made(result.chosen.item, "file", name, now=now.now, places=site().places)
    return Response(
        bytes(message),
        mimetype="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@pages.post("/email/mailto")
def open_mail_app() -> ResponseReturnValue:
    """The draft as a mailto: link, which the browser hands to the mail app."""
    from ..drafts.message import mailto_link

    found, event = picked()
    now = setting()
    result = drafted(found, event, EmailForm.read(), now)
    composed = result.draft
    if composed.to is None:
        raise EventNotFound("the invitation names no one to write to; add the address under The facts")
    link = mailto_link(composed.to, composed.subject, composed.body)
    api.record_draft_made(result.chosen.item, "mailto", link, now=now.now, places=site().places)
    return redirect(link, code=303)


@pages.post("/email/gmail")
def save_to_gmail() -> ResponseReturnValue:
    found, event = picked()
    now = setting()
    form = EmailForm.read()
    result = drafted(found, event, form, now)
    saved = api.save_to_gmail(result.chosen, result.draft, now=now.now, places=site().places)
    for text in saved.warnings:
        flash(text, "warning")
    verb = "updated" if saved.saved.updated else "saved"
    flash(f"The draft was {verb} in Gmail's Drafts. Nothing was sent.", "done")
    return redirect(f"{url_for('pages.email')}?{urlencode([('source', found.id), ('event', event), *form.hidden()])}")


@pages.post("/note-check")
def note_check() -> ResponseReturnValue:
    """The note checked as it is typed (the page's script asks); the preview shows the same without a script."""
    from ..drafts.note_check import check_note

    note = request.form.get("note", "")[:2000]
    issues = check_note(note, withdrawing=request.form.get("reason") == "withdraw") if note.strip() else ()
    return jsonify(issues=[{"what": i.what, "found": i.found, "suggestion": i.suggestion} for i in issues])


# --- what you have done ----------------------------------------------------------------------------------


@pages.get("/status")
def status() -> ResponseReturnValue:
    here, now = site(), setting()
    sources = here.all_sources()
    found = api.status([s.spec for s in sources], now.config, now=now.now, places=here.places)
    by_key = {**{s.spec: s for s in sources}, **{api.source_key(s.spec): s for s in sources}}
    return render_template(
        "status.html",
        found=found,
        zone=now.zone,
        sources=by_key,
        problems=[*found.errors, *found.warnings],
        outcome_text=OUTCOME_TEXT,
        draft_words=DRAFT_WORDS,
    )
