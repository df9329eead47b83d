"""The Explorer in a real browser (Debian's Chromium through Playwright): the tile map
renders all 52 jurisdictions from data the app ships, a click on a tile selects that
state (its ruling appears and the link follows), the hover text says which profiles are
unverified, and nothing is fetched from another host, on a laptop and a phone.

It runs ``app.py`` at ``/explorer`` once ``ui/navigation.py`` registers the page; before
that, a one-page app (written to the test's folder) serves the page at the same path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from engine import load_profiles
from tests.app.live import LOCAL_PREFIXES, ROOT, launch_chromium, streamlit_server
from ui.explorer_map import load_grid

pytestmark = pytest.mark.browser

WAIT_MS = 30_000  # every wait is for a condition; generous for a busy two-core CI machine
expect.set_options(timeout=WAIT_MS)
PAGE = "ui/pages/explorer.py"
REGISTERED = PAGE in (ROOT / "ui" / "navigation.py").read_text(encoding="utf-8")
ONE_PAGE_APP = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
start = st.Page(lambda: st.title("Start"), title="Start", default=True)
st.navigation([start, st.Page({page!r}, title="Explorer", url_path="explorer")]).run()
"""
CASE = "situation=threat_to_others&victim=identified&imminence=imminent&intent=stated"
MAP = '[data-testid="stPlotlyChart"]'


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("explorer")
    script = ROOT / "app.py"
    if not REGISTERED:
        script = folder / "one_page_app.py"
        script.write_text(
            ONE_PAGE_APP.format(root=str(ROOT), page=str(ROOT / PAGE)), encoding="utf-8"
        )
    env = {"DATABASE_URL": f"sqlite:///{folder}/explorer.db"}
    with streamlit_server(script, env, log=folder / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def watch(page: Page) -> tuple[list[str], list[str]]:
    """Page errors, and requests that leave this machine."""
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(LOCAL_PREFIXES) else outside.append(request.url)
        ),
    )
    return errors, outside


def settle(page: Page) -> None:
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0)


def tile(page: Page, label: str):  # noqa: ANN201 - a Locator
    return page.locator(f"{MAP} .bartext", has_text=label).first


def centre(page: Page, label: str) -> tuple[float, float]:
    box = tile(page, label).bounding_box()
    assert box is not None, label
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def unnamed_controls(page: Page) -> list[str]:
    """Controls without an accessible name, from Chromium's own accessibility tree."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    interactive = {"button", "radio", "combobox", "textbox", "checkbox", "link", "searchbox"}
    return [
        str(node.get("role", {}).get("value"))
        for node in nodes
        if not node.get("ignored")
        and node.get("role", {}).get("value") in interactive
        and not str(node.get("name", {}).get("value", "")).strip()
    ]


def test_map_renders_and_a_click_selects_a_state(
    live: str, browser: Browser, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    errors, outside = watch(page)
    page.goto(f"{live}/explorer?{CASE}&j=US-CA")
    expect(page.get_by_role("heading", name="California (US-CA)")).to_be_visible()
    expect(page.locator(f"{MAP} .main-svg").first).to_be_visible()
    settle(page)

    labels = {t.label for t in load_grid().values()}
    expect(page.locator(f"{MAP} .bartext")).to_have_count(len(labels))
    drawn = set(page.locator(f"{MAP} .bartext").evaluate_all("els => els.map(e => e.textContent)"))
    assert drawn == labels and len(drawn) == 52
    expect(page.locator(f"{MAP} .legend")).to_contain_text("Hatched: unverified profile")
    page.locator(MAP).screenshot(path=str(tmp_path / "map.png"))
    assert not unnamed_controls(page)

    # hover: an unverified profile says so in words, not only by its hatching
    unverified = next(code for code, p in load_profiles().items() if not p.verified)
    label = load_grid()[unverified].label
    tile(page, label).scroll_into_view_if_needed()
    page.mouse.move(*centre(page, label))
    expect(page.locator(f"{MAP} .hoverlayer")).to_contain_text("Unverified")

    # Plotly clicks the point it last hovered: point at Texas first, as a hand would
    tile(page, "TX").scroll_into_view_if_needed()
    page.mouse.move(*centre(page, "TX"))
    expect(page.locator(f"{MAP} .hoverlayer")).to_contain_text("Texas (US-TX)")
    page.mouse.click(*centre(page, "TX"))
    expect(page.get_by_role("heading", name="Texas (US-TX)")).to_be_visible()
    settle(page)
    page.wait_for_function("location.search.includes('j=US-TX')")
    assert "situation=threat_to_others" in page.evaluate("location.search")
    expect(page.get_by_text("What would change the answer")).to_be_visible()

    assert not errors, errors
    assert not outside, outside
    assert "Traceback" not in page.locator("body").inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_map_fits_a_phone(live: str, browser: Browser, tmp_path: Path) -> None:
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.set_default_timeout(WAIT_MS)
    errors, outside = watch(phone)
    phone.goto(f"{live}/explorer?{CASE}&j=US-NY")
    expect(phone.get_by_role("heading", name="New York (US-NY)")).to_be_visible()
    expect(phone.locator(f"{MAP} .main-svg").first).to_be_visible()
    settle(phone)
    phone.locator(MAP).screenshot(path=str(tmp_path / "phone_map.png"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    assert not errors and not outside, (errors, outside)
    phone.close()
