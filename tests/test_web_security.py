"""The web page's promises, checked with a plain HTTP client that sets every header itself: who may come in,
from which address, what a change needs, what a page may load, and how errors read."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from .helpers import make_env, run
from .web_page import INVITE, NOW, Client, interview_links, running_page

DATA = Path(__file__).parent / "data" / "web"
REPO = Path(__file__).parent.parent


@pytest.fixture
def invite(tmp_path) -> Path:
    """The bundled invitation, copied where this test's call log can key it."""
    path = tmp_path / "invite.eml"
    shutil.copy(INVITE, path)
    return path


@pytest.fixture
def page(home, invite):
    with running_page(home, [invite]) as served:
        yield served


@pytest.fixture
def signed_in(page) -> Client:
    client = Client(page)
    client.sign_in()
    return client


def _record_form(client: Client) -> dict:
    link = interview_links(client.get("/").text)[0]
    query = dict(part.split("=", 1) for part in link.split("?", 1)[1].split("&"))
    from urllib.parse import unquote

    return {"source": query["source"], "event": unquote(query["event"]), "outcome": "no-answer"}


def _attempts(env) -> int:
    code, out, err = run(env, "status", "--json", "--now", NOW.isoformat())
    assert code == 0, err
    found = json.loads(out)
    return sum(entry["attempts"]["count"] for entry in found["acted_on"])


# --- who may come in ----------------------------------------------------------------------------------


def test_a_request_without_the_sign_in_is_refused(page):
    client = Client(page)
    for path in ("/", "/status", "/static/style.css", "/interview?source=a0&event=x"):
        reply = client.get(path)
        assert reply.status == 401, path
        assert "Open the address" in reply.text
        assert "Interview" not in reply.text
    reply = client.post("/open", {"pasted": INVITE.read_text()})
    assert reply.status in (401, 403)


def test_the_token_signs_in_once_becomes_a_strict_cookie_and_leaves_the_address(page):
    client = Client(page)
    token_address = page.sign_in_address()
    path = token_address.split(str(page.port), 1)[1]
    reply = client.get(path)
    assert reply.status == 303
    assert reply.header("Location") == "/"  # the token leaves the address bar
    cookie = reply.header("Set-Cookie")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Max-Age" not in cookie and "Expires" not in cookie  # gone when the browser closes
    assert client.get("/").status == 200

    stranger = Client(page)  # the same address, used a second time, lets no one else in
    again = stranger.get(path)
    assert again.status == 403
    assert "let a browser in already" in again.text
    assert stranger.get("/").status == 401


def test_a_forged_or_foreign_cookie_is_refused(page):
    client = Client(page)
    client.cookie = f"callfirst-{page.port}=eyJzaWduZWRfaW4iOnRydWV9.Zm9v.YmFy"  # {"signed_in": true}, not signed
    assert client.get("/").status == 401


def test_a_foreign_host_is_refused(signed_in):
    port = signed_in.port
    assert signed_in.get("/", host=f"localhost:{port}").status == 200
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", f"127.0.0.1.nip.io:{port}", ""):
        reply = signed_in.get("/", host=host)
        assert reply.status in (400, 403), host
        assert "Interview" not in reply.text


# --- what a change needs ------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(signed_in, env):
    form = _record_form(signed_in)
    reply = signed_in.post("/interview/call", form)
    assert reply.status == 400
    assert "did not come from this page" in reply.text
    wrong = signed_in.post("/interview/call", {**form, "csrf_token": "not-the-token"})
    assert wrong.status == 400
    assert _attempts(env) == 0


def test_a_post_from_another_origin_is_refused_and_changes_nothing(signed_in, env):
    form = {**_record_form(signed_in), "csrf_token": signed_in.csrf_token()}
    for origin in ("http://evil.example", f"http://localhost:{signed_in.port}", "null", None):
        reply = signed_in.post("/interview/call", form, origin=origin)
        assert reply.status == 403, origin
    assert _attempts(env) == 0
    # The same form from the page itself is recorded: the refusals above were about the origin alone.
    assert signed_in.post("/interview/call", form).status == 303
    assert _attempts(env) == 1


def test_the_script_asks_with_the_csrf_header(signed_in):
    token = signed_in.csrf_token()
    refused = signed_in.post("/note-check", {"note": "I was sick"})
    assert refused.status == 400
    reply = signed_in.post("/note-check", {"note": "I was sick"}, headers={"X-CSRFToken": token})
    assert reply.status == 200
    assert json.loads(reply.body)["issues"][0]["what"] == "health details"


# --- what a page may load and show ---------------------------------------------------------------------


def test_every_answer_allows_only_the_pages_own_files(signed_in):
    link = interview_links(signed_in.get("/").text)[0]
    for path in ("/", link, link.replace("/interview", "/email"), "/status", "/nowhere", "/static/style.css"):
        reply = signed_in.get(path)
        policy = reply.header("Content-Security-Policy")
        assert "default-src 'none'" in policy, path
        assert "script-src 'self';" in policy and "style-src 'self';" in policy
        assert "unsafe-inline" not in policy and "http" not in policy
        assert reply.header("X-Frame-Options") == "DENY"
        assert reply.header("X-Content-Type-Options") == "nosniff"
        if reply.header("Content-Type").startswith("text/html"):
            assert reply.header("Cache-Control") == "no-store"  # a page holds your interviews: never kept
            # Every file a page loads is its own: no address on another server, no inline script or style.
            assert not re.search(r'(?:src|href)="(?:https?:)?//', reply.text), path
            assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", reply.text), path
            assert " style=" not in reply.text and "<style" not in reply.text, path


def test_a_hostile_invitation_is_text_and_never_a_link(signed_in):
    reply = signed_in.post(
        "/open",
        {"pasted": (DATA / "hostile_invitation.ics").read_text(), "csrf_token": signed_in.csrf_token()},
    )
    assert reply.status == 303
    interview = signed_in.follow(reply)
    assert interview.status == 200
    html = interview.text
    assert "&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html and "<b onmouseover" not in html
    assert not re.search(r'href="\s*javascript:', html, re.IGNORECASE)
    assert 'href="tel:+16465550198"' in html
    for path in ("/", "/status"):
        listed = signed_in.get(path).text
        assert "<script>alert" not in listed
        assert not re.search(r'href="\s*javascript:', listed, re.IGNORECASE)


# --- errors read as one sentence -----------------------------------------------------------------------


def test_errors_are_one_sentence_never_a_stack_trace(signed_in):
    gone = signed_in.get("/interview?source=k-nothing&event=x")
    assert gone.status == 404
    assert "That invitation is no longer here; open it again from the start page." in gone.text
    missing = signed_in.get("/no-such-page")
    assert missing.status == 404
    assert "There is no such page here." in missing.text
    garbage = signed_in.post(
        "/open", {"pasted": "hello, this is not an invitation", "csrf_token": signed_in.csrf_token()}
    )
    assert garbage.status == 303
    assert "not an invitation email or a calendar file" in signed_in.get("/").text
    for reply in (gone, missing):
        assert "Traceback" not in reply.text and 'File "' not in reply.text


def test_a_wrong_fact_is_refused_in_one_sentence_and_nothing_changes(signed_in):
    form = _record_form(signed_in)
    del form["outcome"]
    token = signed_in.csrf_token()
    reply = signed_in.post("/interview/facts", {**form, "phone": "12", "csrf_token": token})
    assert reply.status == 303
    page = signed_in.follow(reply).text
    assert "Nothing was changed: &#39;12&#39; is not a phone number with a country code" in page
    good = signed_in.post(
        "/interview/facts", {**form, "phone": "+44 20 7946 0958", "company": "Acme", "csrf_token": token}
    )
    page = signed_in.follow(good).text
    assert 'href="tel:+442079460958"' in page  # the number you gave is the one to dial
    assert "you gave it" in page


def test_an_internal_error_is_one_sentence_and_one_line_in_the_terminal(home, invite, monkeypatch):
    import io

    from callfirst import api

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug\nwith two lines")

    monkeypatch.setattr(api, "scan", broken)
    stderr = io.StringIO()
    with running_page(home, [invite], stderr=stderr) as served:
        client = Client(served)
        client.sign_in()
        reply = client.get("/")
    assert reply.status == 500
    assert "Something went wrong on callfirst&#39;s side" in reply.text
    assert "RuntimeError" not in reply.text and "Traceback" not in reply.text
    assert stderr.getvalue() == "callfirst web: internal error: RuntimeError: a bug with two lines\n"


# --- the call log is the command line's ---------------------------------------------------------------


def test_a_call_recorded_on_the_command_line_shows_on_the_page_and_the_other_way_round(signed_in, env, invite):
    code, _, err = run(env, "call", invite, "--now", NOW.isoformat(), "--outcome", "voicemail")
    assert code == 0, err
    link = interview_links(signed_in.get("/").text)[0]
    assert "voicemail" in signed_in.get(link).text
    form = {**_record_form(signed_in), "csrf_token": signed_in.csrf_token()}
    assert signed_in.post("/interview/call", form).status == 303
    code, out, err = run(env, "status", "--json", "--now", NOW.isoformat())
    attempts = json.loads(out)["acted_on"][0]["attempts"]
    assert [item["outcome"] for item in attempts["items"]] == ["voicemail", "no-answer"]


def test_the_mail_app_button_records_the_link_and_hands_it_to_the_browser(signed_in, env):
    form = _record_form(signed_in)
    del form["outcome"]
    reply = signed_in.post("/email/mailto", {**form, "reason": "conflict", "csrf_token": signed_in.csrf_token()})
    assert reply.status == 303
    assert reply.header("Location").startswith("mailto:priya.raman@northwind-analytics.com?subject=")
    code, out, _ = run(env, "status", "--json", "--now", NOW.isoformat())
    assert json.loads(out)["acted_on"][0]["drafts"][0]["kind"] == "mailto"


# --- the server itself ------------------------------------------------------------------------------------


def test_the_server_listens_on_127_0_0_1_only(page):
    assert page.server.server_address[0] == "127.0.0.1"
    other = _other_address()
    if other is None:
        pytest.skip("this machine has no address but loopback")
    with pytest.raises(OSError), socket.create_connection((other, page.port), timeout=2):
        pass


def _other_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_the_command_prints_one_address_serves_it_and_stops_on_ctrl_c(home, invite):
    environ = {**os.environ, "CALLFIRST_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "callfirst", "web", "--no-browser", "--now", NOW.isoformat(), str(invite)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environ,
        cwd=REPO,
        text=True,
    )
    try:
        line = process.stdout.readline()
        found = re.fullmatch(
            r"callfirst is open at (http://127\.0\.0\.1:(\d+)/\?token=[A-Za-z0-9_-]{40,})  "
            r"\(this computer only; Enter: a new address; Ctrl-C stops it\)\n",
            line,
        )
        assert found, line
        port = int(found.group(2))

        class Started:
            pass

        served = Started()
        served.port = port
        served.sign_in_address = lambda: found.group(1)
        client = Client(served)
        assert client.sign_in().status == 303
        start = client.get("/")
        assert start.status == 200
        assert "Alex Morgan for Senior Data Analyst" in start.text

        second = Client(served)
        assert second.sign_in().status == 403, "an address lets one browser in"
        process.stdin.write("\n")
        process.stdin.flush()
        renewed = re.fullmatch(r"A new address, for one browser: (http://\S+)\n", process.stdout.readline())
        assert renewed and renewed.group(1) != found.group(1)
        served.sign_in_address = lambda: renewed.group(1)
        assert second.sign_in().status == 303 and second.get("/").status == 200
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 130
    assert "Interrupted." in process.stderr.read()
    process.stdin.close()
    process.stdout.close()
    process.stderr.close()


def test_a_port_in_use_is_one_line(env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        code, out, err = run(env, "web", "--no-browser", "--port", port)
    assert code == 2
    assert f"cannot listen on port {port}" in err
    assert time.monotonic() - started < 5


# --- Google, when signed in -----------------------------------------------------------------------------


def test_signed_in_to_google_the_page_lists_its_interviews_and_saves_a_gmail_draft_never_sent(home, google):
    from .test_google import CALENDAR, COMPOSE, INTERVIEW, write_token

    write_token(home, google, scopes=(CALENDAR, COMPOSE))
    google.events["primary"] = [INTERVIEW]
    with running_page(home, google_api_root=google.url) as served:
        client = Client(served)
        client.sign_in()
        start = client.get("/")
        assert "Google Calendar" in start.text
        [link] = interview_links(start.text)
        assert "source=google" in link
        email_page = client.get(link.replace("/interview", "/email"))
        assert "Save as a Gmail draft" in email_page.text
        form = {"source": "google", "event": "ev-interview", "reason": "conflict", "csrf_token": client.csrf_token()}
        saved = client.post("/email/gmail", form)
        assert saved.status == 303
        assert "Gmail draft created (nothing was sent)" in client.follow(saved).text
        again = client.post("/email/gmail", form)
        assert "Gmail draft updated (nothing was sent)" in client.follow(again).text
    [draft] = google.drafts.values()
    assert str(draft["parsed"]["To"]) == "Priya Raman <priya.raman@northwind-analytics.com>"
    assert not [r for r in google.requests if r.path.endswith("/send")]
    code, out, _ = run(make_env(home), "status", "--json", "--now", NOW.isoformat())
    assert [d["kind"] for d in json.loads(out)["acted_on"][0]["drafts"]] == ["gmail", "gmail"]


def test_a_new_time_that_cannot_be_agreed_is_refused_in_the_pages_words(signed_in, env):
    form = {**_record_form(signed_in), "outcome": "reached", "csrf_token": signed_in.csrf_token()}
    reply = signed_in.post("/interview/call", {**form, "agreed": "2026-11-30T10:00"})
    assert reply.status == 303
    page = signed_in.follow(reply).text
    assert "Nothing was recorded: the new time 2026-11-30T10:00-05:00 is in the past." in page  # in their zone
    assert "--agreed" not in page
    assert signed_in.post("/interview/call", {**form, "agreed": "next tuesday"}).status == 303
    assert _attempts(env) == 0


def test_the_browser_opens_on_the_address_printed(env):
    opened = []

    def opener(address: str) -> int:
        opened.append(address)
        raise KeyboardInterrupt  # as Ctrl-C would, once the browser is on its way

    code, out, err = run(env.but(opener=opener), "web")
    assert code == 130 and "Interrupted." in err
    [address] = opened
    assert out == f"callfirst is open at {address}  (this computer only; Enter: a new address; Ctrl-C stops it)\n"


def test_an_invitation_opened_on_the_page_keeps_its_call_log_from_one_run_to_the_next(home, env):
    def open_and_read(client: Client) -> tuple[str, str]:
        opened = client.post("/open", {"pasted": INVITE.read_text(), "csrf_token": client.csrf_token()})
        return opened.header("Location"), client.follow(opened).text

    with running_page(home) as first:
        client = Client(first)
        client.sign_in()
        where, page = open_and_read(client)
        assert "Called before" not in page
        form = {**_record_form(client), "csrf_token": client.csrf_token()}
        assert client.post("/interview/call", form).status == 303
        assert open_and_read(client)[0] == where  # the same invitation opened again is the same one
    kept = list((home / "invitations").iterdir())
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600
    assert (home / "invitations").stat().st_mode & 0o777 == 0o700
    with running_page(home) as second:
        client = Client(second)
        client.sign_in()
        [link] = interview_links(client.get("/").text)  # listed without being opened again
        assert "Called before" in client.get(link).text and "no answer" in client.get(link).text
    assert _attempts(env) == 1


def test_the_page_reads_out_the_same_call_script_as_the_command_line(signed_in, env, invite):
    """The script is sentences (never the data behind them), and it offers the times `callfirst call` offers."""
    import html

    page = signed_in.follow(signed_in.get(interview_links(signed_in.get("/").text)[0])).text
    script = html.unescape(re.search(r'<blockquote class="script">(.*?)</blockquote>', page, re.S).group(1))
    assert "CallScript(" not in page and '"Hello Priya' in script
    code, out, err = run(env, "call", invite, "--now", NOW.isoformat(), "--no-qr")
    assert code == 0, err
    spoken = " ".join(out.split("Script:", 1)[1].split("If they ask why")[0].split())
    for line in re.findall(r"<p>(.*?)</p>", script, re.S):
        assert " ".join(line.split()) in spoken


# --- your details ------------------------------------------------------------------------------------------


@pytest.fixture
def bare(tmp_path) -> Path:
    """A user folder with no config.toml yet, as on the first day."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    return folder


DETAILS = {
    "name": "Sam Lee",
    "email": "sam@example.org",
    "phone": "+49 30 1234567",
    "timezone": "Europe/Berlin",
    "hours_from": "07:30",
    "hours_until": "19:00",
}


def test_details_without_the_csrf_token_or_from_another_origin_are_refused_and_write_nothing(bare):
    with running_page(bare) as served:
        client = Client(served)
        client.sign_in()
        assert "Your details" in client.get("/").text  # the header links to the page
        refused = client.post("/details", DETAILS)
        assert refused.status == 400 and "did not come from this page" in refused.text
        assert client.post("/details", {**DETAILS, "csrf_token": "not-the-token"}).status == 400
        token = client.csrf_token("/details")
        assert client.post("/details", {**DETAILS, "csrf_token": token}, origin="http://evil.example").status == 403
        assert client.post("/details", {**DETAILS, "csrf_token": token}, origin=None).status == 403
        assert not (bare / "config.toml").exists()
        saved = client.post("/details", {**DETAILS, "csrf_token": token})  # the same form from the page itself
        assert saved.status == 303
        assert "Your details are saved." in client.follow(saved).text
    profile = tomllib.loads((bare / "config.toml").read_text())["profile"]
    assert profile == {
        "name": "Sam Lee",
        "email": "sam@example.org",
        "phone": "+49301234567",
        "timezone": "Europe/Berlin",
        "hours": "07:30-19:00",
    }
    assert (bare / "config.toml").stat().st_mode & 0o777 == 0o600


def test_a_wrong_detail_is_refused_in_one_sentence_and_nothing_is_written(bare):
    with running_page(bare) as served:
        client = Client(served)
        client.sign_in()
        token = client.csrf_token("/details")
        for wrong, words in (
            (
                {"phone": "555-0199"},
                "Nothing was saved: &#39;555-0199&#39; is not a phone number with its country code",
            ),
            ({"timezone": "Mars/Base"}, "Nothing was saved: &#39;Mars/Base&#39; is not a time zone:"),
            ({"hours_from": "20:00", "hours_until": "08:00"}, "Nothing was saved: the hours you can call"),
            ({"name": "  "}, "Nothing was saved: give your name, as you sign your emails."),
            ({"email": "sam at example"}, "is not an email address like alex@example.com."),
        ):
            reply = client.post("/details", {**DETAILS, **wrong, "csrf_token": token})
            assert reply.status == 400
            assert words in reply.text
            assert 'aria-invalid="true"' in reply.text
            assert "config.toml" not in reply.text and "--" not in reply.text.split("<main", 1)[1]
    assert not (bare / "config.toml").exists()


def test_saving_details_keeps_the_other_sections_of_config_toml(home):
    config = home / "config.toml"
    config.write_text(config.read_text() + '\n[notice]\nworkday_start = "08:00"\n\n[slots]\ncount = 2\n')
    with running_page(home) as served:
        client = Client(served)
        client.sign_in()
        form = client.get("/details").text
        assert 'value="Alex Morgan"' in form and 'value="America/Chicago"' in form  # the profile's, to change
        saved = client.post("/details", {**DETAILS, "csrf_token": client.csrf_token("/details")})
        assert saved.status == 303
    written = tomllib.loads(config.read_text())
    assert written["profile"]["name"] == "Sam Lee" and written["profile"]["timezone"] == "Europe/Berlin"
    assert written["notice"] == {"workday_start": "08:00"} and written["slots"] == {"count": 2}
    assert config.read_text().count("[profile]") == 1


def test_without_a_name_the_email_page_says_so_and_links_to_your_details(bare, invite):
    with running_page(bare, [invite]) as served:
        client = Client(served)
        client.sign_in()
        link = interview_links(client.get("/").text)[0]
        page = client.get(link.replace("/interview", "/email")).text
        assert "Your name is missing, so the email cannot be signed: fill in" in page
        assert re.search(r'<a href="/details\?source=a0&amp;event=[^"]+">Your details</a>', page)
        assert "callfirst init" not in page and "config.toml" not in page
        form = {**_record_form(client), "reason": "conflict", "csrf_token": client.csrf_token()}
        del form["outcome"]
        refused = client.post("/email/eml", form)  # the download, asked for anyway
        assert refused.status == 400
        assert "Your name is missing" in refused.text and 'href="/details"' in refused.text


def test_the_library_messages_the_page_shows_name_no_option_or_config_file(invite, home):
    """Each message the email and call pages can show, made by the library itself, in the page's words."""
    from dataclasses import replace
    from datetime import date, timedelta

    from callfirst import api
    from callfirst.config import Config, Profile
    from callfirst.drafts.compose import DraftRequest, as_message
    from callfirst.errors import CallfirstError
    from callfirst.web.words import plain_words

    from .helpers import context_for

    profile = Profile(name="Alex Morgan", email="alex.morgan@example.com", timezone="America/Chicago")
    ctx = context_for(Config(profile=profile), NOW, home)
    ref = api.InterviewRef(str(invite))
    item = api.choose_interview(ctx, ref).item
    made = api.draft(ctx, ref)
    past = NOW - timedelta(days=1)
    attempts = [
        lambda: api.record_call(ctx, item, api.Outcome.NO_ANSWER, agreed=past + timedelta(days=3)),
        lambda: api.record_call(ctx, item, api.Outcome.REACHED, agreed=past),
        lambda: api.draft(ctx, ref, DraftRequest(proposals=(past,))),
        lambda: api.draft(ctx, ref, DraftRequest(called=api.Outcome.REACHED, agreed=date(2026, 12, 7))),
        lambda: api.draft(context_for(Config(), NOW, home), ref),
        lambda: as_message(replace(made.draft, sender=None), now=NOW),
        lambda: as_message(replace(made.draft, to=None, to_missing="the invitation names no one"), now=NOW),
        lambda: api.call_sheet(ctx, api.InterviewRef(str(invite), "no-such-event")),
    ]
    messages = []
    for number, attempt in enumerate(attempts):
        with pytest.raises(CallfirstError) as raised:
            attempt()
            pytest.fail(f"attempt {number} raised nothing")
        messages.append(plain_words(raised.value.message))
    assert len(set(messages)) == len(attempts)
    for message in messages:
        assert not re.search(r"--\w|config\.toml|`callfirst|\[profile\]", message), message
