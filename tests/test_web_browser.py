"""The web page in a real browser: Debian's Chromium driven by Playwright (never a downloaded browser).

The whole flow (open an invitation, check the facts, record the calls, download the draft and read it back,
see it in `callfirst status`), a hostile invitation staying inert, the keyboard alone, a phone-narrow screen,
labels and contrast. Screenshots go to tests/screenshots/."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from .helpers import run
from .web_page import INVITE, NOW, running_page

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
DATA = Path(__file__).parent / "data" / "web"
expect = None  # playwright's, once the browser fixture has imported it

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium); the browser tests need it"
)


@pytest.fixture(scope="module")
def browser():
    global expect
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is in the test extra: pip install -e '.[test]'"
    )
    expect = sync_api.expect
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


@pytest.fixture
def invite(tmp_path) -> Path:
    path = tmp_path / "invite.eml"
    shutil.copy(INVITE, path)
    return path


@pytest.fixture
def served(home):
    with running_page(home) as page:
        yield page


@pytest.fixture
def page(browser, served):
    """A signed-in tab; every dialog a page opens is recorded (and none should open)."""
    context = browser.new_context(
        viewport={"width": 1200, "height": 900}, accept_downloads=True, base_url=served.address
    )
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto(served.sign_in_address())
    yield tab
    context.close()


def shot(tab, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def open_invitation(tab, path: Path) -> None:
    """As a person does: choose the file (the page opens it at once)."""
    with tab.expect_navigation():
        tab.set_input_files("#invitation", str(path))
    tab.wait_for_load_state()


def unlabelled_controls(tab) -> list[str]:
    return tab.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')]
        .filter((el) => el.getClientRects().length)
        .filter((el) => (el.tagName === 'BUTTON' || el.tagName === 'A')
            ? !el.textContent.trim() && !el.getAttribute('aria-label')
            : !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
        .map((el) => el.outerHTML.slice(0, 100))"""
    )


# WCAG 2 contrast of every piece of visible text against the background it is drawn on.
CONTRAST = """() => {
  const parse = (text) => {
    const parts = (text.match(/rgba?\\(([^)]+)\\)/) || [null, ''])[1].split(',').map(parseFloat);
    return parts.length < 3 ? null : { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.clip === 'rect(0px, 0px, 0px, 0px)') continue;
    const fg = luminance(parse(style.color)), bg = luminance(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) failures.push(`${el.tagName} "${node.textContent.trim().slice(0, 40)}": ${ratio.toFixed(2)}`);
  }
  return failures;
}"""


def check_for_people(tab) -> None:
    """Labels on every control, contrast that passes WCAG AA, no dialog, no script but the page's own."""
    assert unlabelled_controls(tab) == []
    assert tab.evaluate(CONTRAST) == []
    assert tab.dialogs == []
    scripts = tab.evaluate("() => [...document.scripts].map((s) => new URL(s.src || 'inline:', location).pathname)")
    assert scripts == ["/static/page.js"]


@pytest.mark.slow
def test_the_whole_flow_in_the_browser(page, home, served):
    open_invitation(page, INVITE)
    assert page.url.startswith(served.address + "interview?")
    check_for_people(page)

    # The facts, each with where it came from; the number large, to dial or scan.
    facts = page.locator("#facts dl").inner_text()
    for expected in (
        "Northwind Analytics",
        "Senior Data Analyst",
        "priya.raman@northwind-analytics.com",
        "America/New_York",
    ):
        assert expected in facts
    assert "from the description" in facts
    number = page.locator("a.number")
    assert number.inner_text() == "+1 646-555-0198"
    assert number.get_attribute("href") == "tel:+16465550198"
    assert page.locator("figure.qr svg path").count() == 1
    assert page.locator(".tier").first.inner_text() == "Short notice"
    shot(page, "interview")

    # No answer first: recorded, with the next step.
    page.get_by_role("button", name="No answer").click()
    assert "Recorded: no answer." in page.locator(".messages").inner_text()
    assert "Try again at another time of day" in page.locator(".messages").inner_text()

    # Then reached, with the new time agreed in their zone (and yours shown beside it).
    page.get_by_role("link", name="I reached them").click()
    check_for_people(page)
    page.fill("#agreed", "2026-12-07T14:00")
    expect(page.locator("#agreed-yours")).to_have_text(
        "That is Monday, 7 December 2026 at 13:00 (Chicago time) for you."
    )
    page.get_by_role("button", name="Record the call").click()
    assert "Recorded: reached them." in page.locator(".messages").inner_text()
    assert "Monday, 7 December 2026 at 14:00 (New York time)" in page.locator("#call").inner_text()

    # The email confirms the agreed time; downloaded, it is a draft addressed as the preview says.
    page.get_by_role("link", name="Write the email").click()
    assert "confirms the new time you agreed" in page.content()
    preview = page.locator(".preview").inner_text()
    assert "Monday, December 7, 2:00–3:00 p.m. ET" in preview
    check_for_people(page)
    shot(page, "email")
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download the draft (.eml)").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".eml")
    message = email.message_from_bytes(Path(download.path()).read_bytes(), policy=email.policy.default)
    assert message["To"] == "Priya Raman <priya.raman@northwind-analytics.com>"
    assert message["From"] == "Alex Morgan <alex.morgan@example.com>"
    assert message["Subject"].startswith("Re: Invitation: Interview: Alex Morgan for Senior Data Analyst")
    assert message["X-Unsent"] == "1"
    assert message["In-Reply-To"] == "<0000000000001a2b3c4d5e6f@google.com>"
    body = message.get_body(("plain",)).get_content()
    assert "Monday, December 7, 2:00–3:00 p.m. ET" in body
    assert f"To: {message['To']}" in page.locator("#copy-text").input_value()

    # The command line sees both calls, the time agreed and the draft.
    code, out, err = run(_env(home), "status", "--json", "--now", NOW.isoformat())
    assert code == 0, err
    [entry] = json.loads(out)["acted_on"]
    assert [item["outcome"] for item in entry["attempts"]["items"]] == ["no-answer", "reached"]
    assert datetime.fromisoformat(entry["agreed"]) == datetime(2026, 12, 7, 19, 0, tzinfo=UTC)  # 14:00 in New York
    assert entry["drafts"][0]["kind"] == "file"

    # And the page's status says what the command says.
    page.get_by_role("link", name="What you have done").click()
    table = page.locator("table").inner_text()
    assert "2 calls" in table and "reached them" in table
    check_for_people(page)


@pytest.mark.slow
def test_from_an_empty_user_folder_to_a_signed_draft(browser, tmp_path):
    """The first day: no profile yet. Open the invitation, record the call, be told the name is missing, fill
    in Your details, come back to the email and download it signed with them."""
    from callfirst.integrations.home import local_zone_name

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    with running_page(fresh) as served:
        context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
        tab = context.new_page()
        tab.dialogs = []
        tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(served.sign_in_address())
        open_invitation(tab, INVITE)
        assert tab.locator("#script-missing-name").inner_text() == (
            "Your name is missing, so the script says [your name]: fill in Your details."
        )
        check_for_people(tab)
        tab.get_by_role("button", name="No answer").click()
        assert "Recorded: no answer." in tab.locator(".messages").inner_text()

        tab.get_by_role("link", name="Write the email").click()
        missing = tab.locator("#missing-details")
        assert missing.inner_text() == "Your name is missing, so the email cannot be signed: fill in Your details."
        assert tab.locator(".preview").count() == 0
        check_for_people(tab)
        missing.get_by_role("link", name="Your details").click()

        tab.wait_for_url("**/details?**")
        assert tab.locator("#details-zone").input_value() == local_zone_name()  # this computer's, to keep
        assert tab.locator("#details-hours-from").input_value() == "08:00"
        check_for_people(tab)
        tab.set_viewport_size({"width": 375, "height": 740})
        assert tab.evaluate("document.documentElement.scrollWidth") <= 375
        shot(tab, "details-375px")
        tab.set_viewport_size({"width": 1200, "height": 900})
        tab.fill("#details-phone", "555 0147")  # no country code: refused, nothing saved, what was typed stays
        tab.fill("#details-name", "Sam Lee")
        tab.fill("#details-email", "sam@example.org")
        tab.get_by_role("button", name="Save your details").click()
        error = tab.locator("#details-error").inner_text()
        assert error.startswith("Nothing was saved: '555 0147' is not a phone number with its country code")
        assert tab.locator("#details-name").input_value() == "Sam Lee"
        assert not (fresh / "config.toml").exists()
        check_for_people(tab)

        # The rest by keyboard alone: the phone, the zone, the hours, then Enter saves.
        tab.locator("#details-phone").focus()
        tab.keyboard.press("Control+A")
        tab.keyboard.type("+1 312 555 0147")
        tab.keyboard.press("Tab")
        tab.keyboard.press("Control+A")
        tab.keyboard.type("America/Chicago")
        tab.keyboard.press("Tab")
        tab.keyboard.type("0900AM")
        for _ in range(4):  # Tab steps through the time picker's own fields (hour, minute, AM/PM) first
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement.id") == "details-hours-until":
                break
        tab.keyboard.type("0600PM")
        typed = [
            tab.locator(f"#details-{name}").input_value() for name in ("phone", "zone", "hours-from", "hours-until")
        ]
        assert typed == ["+1 312 555 0147", "America/Chicago", "09:00", "18:00"]
        tab.keyboard.press("Enter")

        tab.wait_for_url("**/email?**")
        assert "Your details are saved." in tab.locator(".messages").inner_text()
        assert tab.locator("#missing-details").count() == 0
        assert "Sam Lee" in tab.locator(".preview").inner_text()
        tab.locator("main p").filter(has_text="About:").get_by_role("link").click()  # the script is signed too
        assert tab.locator("#script-missing-name").count() == 0 and "Sam Lee" in tab.locator("#call").inner_text()
        tab.go_back()
        check_for_people(tab)
        with tab.expect_download() as downloading:
            tab.get_by_role("button", name="Download the draft (.eml)").click()
        message = email.message_from_bytes(Path(downloading.value.path()).read_bytes(), policy=email.policy.default)
        assert message["From"] == "Sam Lee <sam@example.org>"
        assert message["To"] == "Priya Raman <priya.raman@northwind-analytics.com>"
        assert message["X-Unsent"] == "1"
        assert "Sam Lee" in message.get_body(("plain",)).get_content()
        context.close()

    code, out, err = run(_env(fresh), "status", "--json", "--now", NOW.isoformat())
    assert code == 0, err
    assert json.loads(out)["acted_on"][0]["drafts"][0]["kind"] == "file"
    import tomllib

    profile = tomllib.loads((fresh / "config.toml").read_text())["profile"]
    assert profile == {
        "name": "Sam Lee",
        "email": "sam@example.org",
        "phone": "+13125550147",
        "timezone": "America/Chicago",
        "hours": "09:00-18:00",
    }


def _env(home):
    from .helpers import make_env

    return make_env(home)


def test_the_start_page_lists_interviews_with_their_notice(browser, home, invite):
    with running_page(home, [invite]) as served:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        tab = context.new_page()
        tab.goto(served.sign_in_address())
        assert tab.url == served.address  # the token has left the address bar
        item = tab.locator(".interviews li").first
        assert item.locator(".tier").inner_text() == "Short notice"
        assert "Interview: Alex Morgan for Senior Data Analyst" in item.inner_text()
        assert "With Priya Raman" in item.inner_text()
        shot(tab, "start")
        tab.dialogs = []
        check_for_people(tab)
        context.close()


def test_a_hostile_invitation_runs_nothing_in_the_browser(page):
    open_invitation(page, DATA / "hostile_invitation.ics")
    heading = page.locator("h1").inner_text()
    assert heading == "Interview <script>alert('summary')</script><img src=x onerror=\"alert('img')\">"
    page.locator("#call").hover()
    page.mouse.move(10, 10)
    for target in ("/", "/status"):
        page.goto(target)
    page.go_back()
    assert page.dialogs == []
    assert page.evaluate("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
    links = page.evaluate("() => [...document.links].map((a) => a.getAttribute('href'))")
    assert not [link for link in links if link.strip().lower().startswith("javascript:")]
    check_for_people(page)


@pytest.mark.slow
def test_the_note_is_checked_as_it_is_typed(page, invite):
    open_invitation(page, invite)
    page.get_by_role("link", name="Write the email").click()
    page.locator("#note").press_sequentially("My kid has the flu")
    issues = page.locator("#note-issues li")
    expect(issues).to_have_count(2)
    expect(issues.first).to_contain_text("Health details")
    expect(issues.last).to_contain_text("Family details")
    page.locator("#note").fill("")
    page.locator("#note").press_sequentially("I look forward to it.")
    expect(issues).to_have_count(0)


def test_the_keyboard_alone_reaches_the_call_and_the_email(page, invite):
    open_invitation(page, invite)
    page.goto(page.url.split("/interview")[0] + "/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the page"

    def tab_to(name: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.textContent.trim()")
            if focused.startswith(name):
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", f"{name} shows no focus"
                return
        raise AssertionError(f"{name} cannot be reached with Tab")

    tab_to("Plan the call")
    page.keyboard.press("Enter")
    page.wait_for_url("**/interview?**")
    tab_to("No answer")
    page.keyboard.press("Enter")
    page.wait_for_selector(".messages")
    assert "Recorded: no answer." in page.locator(".messages").inner_text()
    tab_to("Write the email")
    page.keyboard.press("Enter")
    page.wait_for_url("**/email?**")
    tab_to("Download the draft")
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    assert downloading.value.suggested_filename.endswith(".eml")


def test_a_phone_narrow_screen_needs_no_sideways_scrolling(browser, home, invite):
    with running_page(home, [invite]) as served:
        context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
        tab = context.new_page()
        tab.goto(served.sign_in_address())
        for name in ("start", "interview", "email"):
            link = {"interview": "Plan the call", "email": "Write the email"}.get(name)
            if link:  # measured once the next page and its stylesheet have loaded, also on a busy machine
                with tab.expect_navigation(wait_until="load"):
                    tab.get_by_role("link", name=link).click()
            widest = tab.evaluate(
                "() => { let w = null; for (const e of document.body.querySelectorAll('*')) {"
                " if (!w || e.scrollWidth > w.scrollWidth) w = e; } return w ? w.outerHTML.slice(0, 300) : ''; }"
            )
            assert tab.evaluate("document.documentElement.scrollWidth") <= 375, (name, widest)
            shot(tab, f"{name}-375px")
        context.close()


def test_the_page_works_without_its_script(browser, home, invite):
    """Every step is a plain link or form: with JavaScript off, a call is still recorded and the email shown."""
    with running_page(home, [invite]) as served:
        context = browser.new_context(java_script_enabled=False)
        tab = context.new_page()
        tab.goto(served.sign_in_address())
        tab.get_by_role("link", name="Plan the call").click()
        tab.get_by_role("button", name="Voicemail").click()
        assert "Recorded: voicemail." in tab.locator(".messages").inner_text()
        tab.get_by_role("link", name="Write the email").click()
        tab.fill("#note", "I was sick")
        tab.get_by_role("button", name="Show the email").click()
        assert "Health details" in tab.locator("#note-issues").inner_text()
        assert "Your sentence was left out" in tab.content()
        context.close()


def test_the_qr_code_on_the_page_reads_back_as_the_number(page, invite, tmp_path):
    """The code drawn in the browser, photographed as a phone would see it, dials the number shown."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.skip("zbarimg is not installed (Debian: apt-get install zbar-tools); the QR code is not decoded")
    open_invitation(page, invite)
    picture = tmp_path / "qr.png"
    page.locator("figure.qr svg").screenshot(path=str(picture))
    done = subprocess.run([zbarimg, "--quiet", "--raw", str(picture)], capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == page.locator("a.number").get_attribute("href") == "tel:+16465550198"
