"""The pages. Each reads the form, calls the `callfirst.api` function the matching command calls, and renders
what comes back; nothing here decides anything about an interview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from urllib.parse import urlencode
from zoneinfo import available_timezones

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from .. import api
from ..calls import OUTCOME_TEXT
from ..errors import CallfirstError, FactError, ProfileMissing, ProposalError
from ..outcome import Outcome
from .site import Site, Source
from .words import MISSING_WORDS, plain_words, sentence

if TYPE_CHECKING:
    from ..context import Context
    from ..drafts.compose import Draft, DraftRequest
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


def context() -> Context:
    return site().context()


@dataclass(frozen=True)
class Row:
    """One event listed, with the source it came from and how to name it again."""

    source: Source
    item: Assessment
    event: str


# --- the start page and opening an invitation ---------------------------------------------------------


@pages.get("/")
def start() -> ResponseReturnValue:
    here, ctx = site(), context()
    rows: list[Row] = []
    problems: list[Problem] = []
    sources = here.all_sources()
    for source in sources:  # one source at a time: each event is named again within its own source
        result = api.scan(ctx, [source.spec])
        references = api.event_references(result.assessments)
        rows += [Row(source, item, ref) for item, ref in zip(result.assessments, references, strict=True)]
        problems += [*result.errors, *result.warnings]
    rows.sort(key=lambda row: row.item.event.start)
    return render_template("start.html", rows=rows, problems=problems, zone=ctx.owner_zone, sources=sources)


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

    ctx = context()
    found = site().source(source_id)
    window = Window(ctx.now - timedelta(days=1), ctx.now + timedelta(days=366))  # as far as an interview is chosen
    result = api.scan(ctx, [found.spec], window=window, include_all=True)
    rows = [
        Row(found, item, ref)
        for item, ref in zip(result.assessments, api.event_references(result.assessments), strict=True)
    ]
    interviews = [r for r in rows if r.item.verdict.is_interview and r.item.actionable and r.item.event.end > ctx.now]
    if len(interviews) == 1 and not result.errors:
        return redirect(interview_url(found.id, interviews[0].event), code=303)
    others = [r for r in rows if r not in interviews]
    problems = [*result.errors, *result.warnings]
    return render_template(
        "source.html", source=found, interviews=interviews, others=others, problems=problems, zone=ctx.owner_zone
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


@pages.get("/interview")
def interview() -> ResponseReturnValue:
    from ..calls import advice

    found, event = picked()
    ctx = context()
    reason = _reason(request.args.get("reason"))
    sheet = api.call_sheet(ctx, site().ref(found.id, event), api.DraftRequest(reason=api.Reason(reason)))
    item = sheet.chosen.item
    if not event:  # the source's only interview: name it, so its address stays the same
        return redirect(interview_url(found.id, api.event_references([item])[0]), code=303)
    theirs = _their_zone(item, ctx)
    numbers = sheet.numbers
    return render_template(
        "interview.html",
        source=found,
        event_ref=event,
        item=item,
        facts=item.facts,
        corrected=site().corrections(found.id, event),
        problems=[*sheet.chosen.errors, *sheet.chosen.warnings],
        numbers=numbers,
        qr=_qr_svg(f"tel:{numbers[0].e164}") if numbers else None,
        their_now=sheet.their_now,
        theirs=theirs,
        zone=ctx.owner_zone,
        now=ctx.now,
        logged=sheet.logged,
        advice=advice(sheet.next, ctx.owner_zone, theirs),
        next=sheet.next,
        script=sheet.script,
        signed_by=ctx.config.profile.name.strip(),
        details_url=details_url(found.id, event, back="interview"),
        reason=reason,
        reasons=REASONS,
        outcomes=OUTCOME_WORDS,
        outcome_text=OUTCOME_TEXT,
        zones=sorted(available_timezones()),
    )


def _their_zone(item: Assessment, ctx: Context) -> tzinfo:
    return item.event.start.tzinfo or ctx.owner_zone


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
    ctx = context()
    chosen = api.choose_interview(ctx, site().ref(found.id, event))
    return render_template(
        "reached.html",
        source=found,
        event_ref=event,
        item=chosen.item,
        theirs=_their_zone(chosen.item, ctx),
        zone=ctx.owner_zone,
        now=ctx.now,
        numbers=chosen.item.phones,
    )


@pages.post("/interview/call")
def record_call() -> ResponseReturnValue:
    from ..calls import advice
    from ..timezones import aware

    found, event = picked()
    ctx = context()
    outcome_text = request.form.get("outcome", "")
    if outcome_text not in (*OUTCOME_WORDS, Outcome.REACHED.value):
        flash("Choose what happened on the call.", "error")
        return redirect(interview_url(found.id, event, "call"), code=303)
    outcome = Outcome(outcome_text)
    item = api.choose_interview(ctx, site().ref(found.id, event)).item
    theirs = _their_zone(item, ctx)
    agreed_text = request.form.get("agreed", "").strip() if outcome is Outcome.REACHED else ""
    try:
        agreed = aware(typed_moment(agreed_text, "the new time"), theirs) if agreed_text else None
        number = _dialled(request.form.get("number", ""), item)
        recorded = api.record_call(ctx, item, outcome, number=number, agreed=agreed)
    except ProposalError as exc:
        flash(f"Nothing was recorded: {plain_words(exc.message)}.", "error")
        back = url_for("pages.reached", source=found.id, event=event) if outcome is Outcome.REACHED else None
        return redirect(back or interview_url(found.id, event, "call"), code=303)
    flash(f"Recorded: {OUTCOME_TEXT[outcome]}.", "done")
    for problem in recorded.warnings:
        flash(f"About the new time: {plain_words(problem.message)}.", "warning")
    flash(advice(recorded.next, ctx.owner_zone, theirs), "next")
    return redirect(interview_url(found.id, event, "call"), code=303)


def _dialled(given: str, item: Assessment) -> str:
    """The number chosen on the page when it is one of those shown; else the first one shown."""
    known = [phone.e164 for phone in item.phones]
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
    from ..timetext import when_at_place
    from ..timezones import aware, zone_named

    ctx = context()
    zone = zone_named(request.args.get("zone", ""))
    try:
        moment = typed_moment(request.args.get("at", ""), "the time")
    except ProposalError as exc:
        return jsonify(error=exc.message), 400
    if zone is None:
        return jsonify(error="unknown time zone"), 400
    placed = aware(moment, zone)
    return jsonify(theirs=when_at_place(placed, zone), yours=when_at_place(placed, ctx.owner_zone))


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
        """What the email should say, as `callfirst draft` takes it: the call log decides which email; before
        any choice of times, the free times found are offered (the configured number of them)."""
        from ..drafts.compose import DraftRequest, Reason

        proposals: list[date | datetime] = [_aware_moment(text) for text in self.ticked]
        proposals += [typed_moment(text, "the time") for text in self.more]  # your time, as on the command line
        return DraftRequest(
            reason=Reason(self.reason),
            proposals=tuple(proposals),
            note=self.note,
            keep_note=self.keep_note,
            suggest=0 if self.edited else None,
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


def drafted(found: Source, event: str, form: EmailForm, ctx: Context, target: str | None = None) -> api.DraftResult:
    """The draft as `callfirst draft` makes it, handed to `target` when one is named."""
    from ..integrations.targets import TargetOptions

    ref = site().ref(found.id, event)
    return api.draft(ctx, ref, form.request(), target=target, options=TargetOptions() if target else None)


@pages.get("/email")
def email() -> ResponseReturnValue:
    from ..drafts.compose import readable
    from ..drafts.message import MAX_SUBJECT, clean_text, shown_recipient
    from ..untrusted import printable

    found, event = picked()
    ctx = context()
    form = EmailForm.read()
    result, problem, missing = None, None, None
    try:
        result = drafted(found, event, form, ctx)
    except ProfileMissing as exc:  # no name to sign with: the page says so and links to Your details
        missing = exc.detail
    except CallfirstError as exc:  # a time that cannot be offered, no one to write to
        problem = plain_words(exc.message)
    chosen = result.chosen if result else api.choose_interview(ctx, site().ref(found.id, event))
    logged = api.call_log(ctx, chosen.item)
    offered, ticked = form.offered, form.ticked
    if result is not None and not form.edited:  # first visit: every free time found is offered and ticked
        offered = ticked = tuple(slot.start.isoformat() for slot in result.draft.proposals)
    composed: Draft | None = result.draft if result else None
    if composed is not None and composed.sender is None:  # signed, but with no address to send it from
        missing = "email"
    reached = result is not None and result.email.called is Outcome.REACHED
    return render_template(
        "email.html",
        source=found,
        event_ref=event,
        item=chosen.item,
        theirs=_their_zone(chosen.item, ctx),
        zone=ctx.owner_zone,
        form=form,
        offered=[(text, _aware_moment(text)) for text in offered],
        ticked=set(ticked),
        more_pickers=max(MORE_TIMES - len(form.more), 1),
        draft=composed,
        email=result.email if result else None,
        sender=shown_recipient(composed.sender) if composed else None,
        to=shown_recipient(composed.to) if composed else None,
        subject=clean_text(composed.subject, MAX_SUBJECT) if composed else "",
        body=printable(composed.body, lines=True) if composed else "",
        text=readable(composed) if composed else "",
        problem=sentence(problem) if problem else None,
        missing=MISSING_WORDS.get(missing or ""),
        details_url=details_url(found.id, event),
        problems=[*chosen.errors, *chosen.warnings],
        agreed=logged.agreed if logged and reached else None,
        hidden=EmailForm(form.reason, True, ticked, offered, form.more, form.note, form.keep_note).hidden(),
        reasons=REASONS,
        gmail=site().places.google_token.exists(),
    )


@pages.post("/email/eml")
def download_eml() -> ResponseReturnValue:
    """The draft as an .eml file: mail apps open it as a draft to send yourself (`X-Unsent: 1`)."""
    from flask import Response

    from ..drafts.compose import as_message
    from ..integrations.state import DraftMade

    found, event = picked()
    ctx = context()
    result = drafted(found, event, EmailForm.read(), ctx)
    message = as_message(result.draft, now=ctx.now, calendar=result.calendar, event=result.chosen.item.event)
    name = "interview-email.eml"
    api.record_draft_made(ctx, result.chosen.item, DraftMade(ctx.now, "file", f"{name} (downloaded)"))
    return Response(
        bytes(message),
        mimetype="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@pages.post("/email/mailto")
def open_mail_app() -> ResponseReturnValue:
    """The draft as a mailto: link (the `mailto` target, as `draft --mailto`), which the browser hands to the
    mail app."""
    found, event = picked()
    result = drafted(found, event, EmailForm.read(), context(), target="mailto")
    assert result.delivered is not None
    return redirect(result.delivered.text, code=303)


@pages.post("/email/gmail")
def save_to_gmail() -> ResponseReturnValue:
    """The draft saved in Gmail's Drafts (the `gmail` target, as `draft --gmail`): never sent."""
    found, event = picked()
    form = EmailForm.read()
    result = drafted(found, event, form, context(), target="gmail")
    delivered = result.delivered
    assert delivered is not None
    for text in delivered.warnings:
        flash(sentence(text), "warning")
    flash(sentence(delivered.text), "done")
    return redirect(
        f"{url_for('pages.email')}?{urlencode([('source', found.id), ('event', event), *form.hidden()])}", code=303
    )


@pages.post("/note-check")
def note_check() -> ResponseReturnValue:
    """The note checked as it is typed (the page's script asks); the preview shows the same without a script."""
    from ..drafts.note_check import check_note

    note = request.form.get("note", "")[:2000]
    issues = check_note(note, withdrawing=request.form.get("reason") == "withdraw") if note.strip() else ()
    return jsonify(issues=[{"what": i.what, "found": i.found, "suggestion": i.suggestion} for i in issues])


# --- your details --------------------------------------------------------------------------------------


BACK_TO = {"email": "pages.email", "interview": "pages.interview"}  # where saving your details returns


def details_url(source_id: str = "", event: str = "", back: str = "email") -> str:
    """Your details, coming back to an interview's email (or its page) once saved when one is named."""
    query = urlencode({"source": source_id, "event": event, "back": back}) if source_id else ""
    return f"{url_for('pages.details')}{'?' + query if query else ''}"


@pages.get("/details")
def details() -> ResponseReturnValue:
    """Your details: the profile's, with this computer's zone and the default hours where it has none."""
    values = api.profile_details(context().config.profile)
    args = request.args
    return _details_page(values, args.get("source", ""), args.get("event", ""), _back(args.get("back")))


def _back(value: str | None) -> str:
    return value if value in BACK_TO else "email"


def _details_page(
    values: dict[str, str], source_id: str, event: str, back: str, wrong: str = "", error: str = ""
) -> str:
    start, _, end = values.get("hours", "").partition("-")
    return render_template(
        "details.html",
        values=values,
        hours_from=start,
        hours_until=end,
        wrong=wrong,
        error=error,
        source_id=source_id,
        event_ref=event,
        back=back,
        back_endpoint=BACK_TO[back],
        zones=sorted(available_timezones()),
    )


@pages.post("/details")
def save_details() -> ResponseReturnValue:
    """Your details saved as `callfirst init --force` saves them: the [profile] replaced, the rest kept."""
    from ..profile import FIELDS, ProfileError

    form = request.form
    answers = {key: form.get(key, "")[:200] for key in FIELDS if key != "hours"}
    start, end = form.get("hours_from", "")[:5], form.get("hours_until", "")[:5]
    answers["hours"] = f"{start}-{end}" if start or end else ""
    source_id, event, back = form.get("source", ""), form.get("event", ""), _back(form.get("back"))
    try:
        api.save_profile(site().places, answers, replace=True)
    except ProfileError as exc:  # the form again, as typed, with the one sentence
        error = sentence(f"Nothing was saved: {exc.message}")
        return _details_page(answers, source_id, event, back, wrong=exc.key, error=error), 400
    flash("Your details are saved.", "done")
    if source_id:
        found = site().source(source_id)
        return redirect(url_for(BACK_TO[back], source=found.id, event=event), code=303)
    return redirect(url_for("pages.details"), code=303)


# --- what you have done ----------------------------------------------------------------------------------


@pages.get("/status")
def status() -> ResponseReturnValue:
    from ..integrations.state import source_key

    ctx = context()
    sources = site().all_sources()
    found = api.status(ctx, [s.spec for s in sources])
    by_key = {**{s.spec: s for s in sources}, **{source_key(s.spec): s for s in sources}}
    return render_template(
        "status.html",
        found=found,
        zone=ctx.owner_zone,
        sources=by_key,
        problems=[*found.errors, *found.warnings],
        outcome_text=OUTCOME_TEXT,
        draft_words=DRAFT_WORDS,
    )
