"""A live session in real browsers, on two app servers sharing one database.

The facilitator runs the room on server A; five participants, each in their own browser
context (a phone each), are on server B, so everything they see travels through the
database. PostgreSQL (a fresh schema) when ``TEST_DATABASE_URL`` is set, else one SQLite
file both servers open. They join, vote (one changes their vote, one reloads), the
facilitator reveals, moves the room on and ends the session, a participant keeps their
choices, and the results CSV downloads. Fails on any page error, traceback, or request
that leaves this machine.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from engine.scenarios import load_bank
from storage import new_learner_code
from tests.app.live import LOCAL_PREFIXES, launch_chromium, streamlit_server
from tests.live.conftest import HOSTILE, PASSCODE, PASSCODE_HASH, PG_URL, fresh_pg_schema

pytestmark = [pytest.mark.browser] + ([pytest.mark.postgres] if PG_URL else [])

APP = Path(__file__).parent / "live_app.py"
WAIT_MS = 30_000  # every wait is for a condition; generous for a busy 2-core machine
expect.set_options(timeout=WAIT_MS)
PHONES = 5


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Two app servers on one database: (facilitator's, participants')."""
    folder = tmp_path_factory.mktemp("live_servers")
    if PG_URL:
        url, drop = fresh_pg_schema()
    else:
        url, drop = f"sqlite:///{folder}/shared.db", lambda: None
    env = {
        "DATABASE_URL": url,
        "CONFLAB_INSTRUCTOR_PASSCODE_HASH": PASSCODE_HASH,
        "CONFLAB_SCENARIOS": str(HOSTILE),
        "CONFLAB_LIVE_POLL_SECONDS": "1",
    }
    try:
        with (
            streamlit_server(APP, env, log=folder / "a.log") as a,
            streamlit_server(APP, env, log=folder / "b.log") as b,
        ):
            yield a, b
    finally:
        drop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


class Watch:
    """Page errors and outside requests seen by one page."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", self.on_request)

    def on_request(self, request) -> None:  # noqa: ANN001 - a Playwright Request
        if not request.url.startswith(LOCAL_PREFIXES):
            self.outside.append(request.url)

    def check(self, page: Page) -> None:
        assert not self.errors, self.errors
        assert not self.outside, self.outside
        assert "Traceback" not in page.locator("body").inner_text()
        assert page.locator('[data-testid="stException"]').count() == 0


def main(page: Page):  # noqa: ANN201 - a Locator
    return page.get_by_test_id("stMain")


def metric(page: Page, label: str):  # noqa: ANN201 - a Locator
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def open_door(page: Page, url: str) -> None:
    page.goto(f"{url}/facilitate")
    page.get_by_role("textbox", name="Passcode").fill(PASSCODE)
    page.get_by_role("button", name="Open the instructor pages").click()
    page.get_by_role("textbox", name="Instructor code").fill(new_learner_code())
    page.get_by_role("button", name="Use this code").click()
    expect(page.get_by_role("heading", name="Start a live session")).to_be_visible()


def test_a_room_of_phones_on_another_server(
    servers: tuple[str, str], browser: Browser, tmp_path: Path
) -> None:
    server_a, server_b = servers
    scenario = load_bank(HOSTILE).scenarios["fixture-two-step"]
    first = [
        f"{x} · {c.label}" for x, c in zip("ABC", scenario.nodes["intake"].choices, strict=True)
    ]
    second = [
        f"{x} · {c.label}"
        for x, c in zip("ABC", scenario.nodes["family-call"].choices, strict=True)
    ]

    fac_context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    fac = fac_context.new_page()
    fac.set_default_timeout(WAIT_MS)
    fac_watch = Watch(fac)
    open_door(fac, server_a)
    fac.get_by_role("combobox", name="Vignette").click()
    fac.get_by_role("option", name="Fixture two-step", exact=True).click()
    fac.get_by_role("button", name="Start the session").click()
    heading = main(fac).get_by_role("heading", name=re.compile("^Join with code"))
    expect(heading).to_be_visible()
    code = re.search(r"code ([A-Z0-9]{6})", heading.inner_text()).group(1)
    qr = main(fac).get_by_role("img").first
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 100  # the QR code, served by this app
    assert f"{server_a}/join?code={code}" in main(fac).inner_text()
    expect(metric(fac, "Joined")).to_have_text("0")

    phones: list[tuple[Page, Watch]] = []
    for _ in range(PHONES):
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        phone = context.new_page()
        phone.set_default_timeout(WAIT_MS)
        phones.append((phone, Watch(phone)))
        phone.goto(f"{server_b}/join?code={code.lower()}")
    for phone, _ in phones:
        expect(phone.get_by_role("heading", name="Decision 1")).to_be_visible()
        for label in first:
            expect(phone.get_by_role("radio", name=label, exact=True)).to_be_attached()
    expect(metric(fac, "Joined")).to_have_text(str(PHONES))

    picks = [0, 0, 0, 1, 2]  # three for A (the best), one B, one C
    for (phone, _), pick in zip(phones, picks, strict=True):
        phone.get_by_text(first[pick], exact=True).click()
        expect(phone.get_by_text(f"Your vote: {'ABC'[pick]}.")).to_be_visible()
    last = phones[-1][0]
    last.get_by_text(first[1], exact=True).click()  # changes C to B before the lock
    expect(last.get_by_text("Your vote: B.")).to_be_visible()
    expect(metric(fac, "Voted")).to_have_text(str(PHONES))

    reloaded = phones[1][0]  # a reload rejoins the same session with the vote kept
    url = reloaded.evaluate("location.href")
    assert "learner=" in url and f"code={code}" in url
    reloaded.reload()
    expect(reloaded.get_by_role("radio", name=first[0], exact=True)).to_be_checked()

    fac.get_by_role("button", name="Reveal").click()
    expect(fac.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    expect(main(fac).get_by_text("A · Best choice")).to_be_visible()
    expect(main(fac).get_by_text("Rules applied")).to_be_visible()
    fac.screenshot(path=str(tmp_path / "presenter_reveal.png"), full_page=True)
    for (phone, _), pick in zip(phones, [0, 0, 0, 1, 1], strict=True):
        expect(phone.get_by_role("heading", name=f"Your vote: {'ABC'[pick]}")).to_be_visible()
    # their own verdict: the best act, but the recommended step (document) left unticked
    expect(phones[0][0].get_by_text("(70 points)").first).to_be_visible()
    phones[0][0].screenshot(path=str(tmp_path / "phone_reveal.png"), full_page=True)

    fac.get_by_role("button", name=re.compile("^Next: follow the majority and the best")).click()
    for phone, _ in phones:
        expect(phone.get_by_role("heading", name="Decision 2")).to_be_visible()
    keeper = phones[0][0]
    keeper.get_by_text(second[0], exact=True).click()
    expect(keeper.get_by_text("Your vote: A.")).to_be_visible()
    expect(metric(fac, "Voted")).to_have_text("1")
    fac.get_by_role("button", name="Reveal").click()
    fac.get_by_role("button", name=re.compile("^Next: follow")).click()
    expect(main(fac).get_by_role("heading", name="The end of the vignette")).to_be_visible()
    for phone, _ in phones:
        expect(phone.get_by_role("heading", name="The end of the vignette")).to_be_visible()

    fac.get_by_role("button", name="End the session").click()
    fac.get_by_role("button", name="Yes, end the session").click()
    expect(main(fac).get_by_text("This session has ended.")).to_be_visible()
    expect(keeper.get_by_text("This live session has ended.").first).to_be_visible()
    keeper.get_by_role("button", name="Keep my choices in my progress").first.click()
    expect(keeper.get_by_text("saved in your progress")).to_be_visible()

    with fac.expect_download() as download:
        fac.get_by_role("button", name="Download the results (CSV)").click()
    rows = list(csv.DictReader(StringIO(Path(download.value.path()).read_text("utf-8"))))
    room = [r for r in rows if r["scored_under"] == "all"]
    assert [(r["node_id"], r["voters"], r["room_took"]) for r in room] == [
        ("intake", "5", "A"),
        ("family-call", "1", "A"),
        ("end", "0", ""),
    ]
    assert (room[0]["votes_A"], room[0]["votes_B"], room[0]["votes_C"]) == ("3", "2", "0")
    assert room[0]["share_best_act"] == "0.6"

    fac_watch.check(fac)
    for phone, watch in phones:
        watch.check(phone)
