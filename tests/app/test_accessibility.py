"""Accessibility in a real browser: axe-core on every learner page at laptop and phone
width, and a vignette finished by keyboard alone with the focus where it belongs.

axe-core comes from npm (``tests/a11y``, pinned) and is injected from disk, so nothing is
fetched at run time. The pages run on the fixture bank (small, stable vignettes) so the
test does not depend on the real bank's wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.app.live import ROOT, launch_chromium, streamlit_server

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DECISION_1 = "Tell her what stays private and the times it would not"
DECISION_2 = "Say nothing about her, not even that she comes here"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("a11y")
    env = {"DATABASE_URL": f"sqlite:///{folder}/a11y.db", "CONFLAB_SCENARIOS": str(FIXTURES)}
    with streamlit_server(ROOT / "app.py", env, log=folder / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def settled(page: Page) -> None:
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical WCAG 2.2 AA findings on the page as it is now."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE}; run tests/setup.sh")
    settled(page)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async (tags) => (await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: tags}})).violations",
        RULES,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:4])
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


def check(page: Page, where: str, found: dict[str, list[str]]) -> None:
    problems = serious_violations(page)
    if problems:
        found[where] = problems


def test_the_checker_finds_what_it_should(browser: Browser) -> None:
    """Grey on white (2.3:1) is reported: the harness injects axe and reads its findings."""
    page = browser.new_page(viewport=WIDTHS["desktop"])
    page.set_content(
        "<!doctype html><html lang='en'><title>t</title><main><h1>Check</h1>"
        "<p style='color:#aaaaaa;background:#ffffff'>Faint words</p></main></html>"
    )
    found = serious_violations(page)
    assert any(v.startswith("color-contrast") for v in found), found
    page.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_serious_or_critical_violation_on_any_learner_page(
    live: str, browser: Browser, width: str
) -> None:
    page = browser.new_page(viewport=WIDTHS[width], is_mobile=width == "phone")
    page.set_default_timeout(WAIT_MS)
    found: dict[str, list[str]] = {}

    page.goto(live + "/")
    expect(page.get_by_role("heading", name="Confidentiality Lab")).to_be_visible()
    check(page, "home", found)

    learner = re.search(r"learner=([^&]+)", page.evaluate("location.href")).group(1)
    page.goto(f"{live}/play?scenario=fixture-two-step&learner={learner}")
    page.get_by_role("button", name="Begin the vignette").click()
    expect(page.get_by_role("radio", name=DECISION_1)).to_be_visible()
    check(page, "play: decision", found)

    page.get_by_test_id("stForm").get_by_text(DECISION_1, exact=True).click()
    page.get_by_test_id("stForm").get_by_text("Document what you did and why", exact=True).click()
    expect(page.get_by_role("checkbox", name="Document what you did and why")).to_be_checked()
    page.get_by_role("button", name="Submit my decision").click()
    expect(page.get_by_role("heading", name="Feedback on your decision")).to_be_visible()
    check(page, "play: feedback", found)

    page.get_by_role("button", name="Continue").click()
    page.get_by_test_id("stForm").get_by_text(DECISION_2, exact=True).click()
    page.get_by_role("button", name="Submit my decision").click()
    page.get_by_role("button", name="See the debrief").click()
    expect(page.get_by_role("heading", name="Debrief")).to_be_visible()
    check(page, "play: debrief", found)

    page.goto(f"{live}/progress?learner={learner}")  # a phone hides the sidebar's links
    expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    check(page, "progress", found)

    page.goto(f"{live}/library?learner={learner}")
    expect(page.get_by_role("heading", name="Library")).to_be_visible()
    check(page, "library", found)
    page.close()
    assert not found, "\n".join(f"{where}: {p}" for where, ps in found.items() for p in ps)


def focused_text(page: Page) -> str:
    """The focused control's name as a screen reader would read it."""
    return page.evaluate(
        "(() => { const e = document.activeElement; if (!e) return '';"
        " const label = e.closest('label');"
        " return e.getAttribute('aria-label') || (label && label.innerText) || e.innerText || ''; })()"
    )


def at_the_top(page: Page) -> None:
    """Wait until the main area is scrolled to its top (the focus script scrolls it), and
    fail with the offset seen if it never gets there."""
    scroll_top = "document.querySelector('[data-testid=stMain]').scrollTop"
    try:
        page.wait_for_function(f"{scroll_top} === 0")
    except PlaywrightTimeout:
        pass  # the assertion says how far down the page stayed
    assert page.evaluate(scroll_top) == 0


def tab_to(page: Page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused control's text is ``name`` (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        # a button's text also holds its icon's ligature ("arrow_forward"): match a line
        if name in [line.strip() for line in focused_text(page).splitlines()]:
            return
    raise AssertionError(f"{name!r} was not reached with Tab; focus is on {focused_text(page)!r}")


def choose_by_keyboard(page: Page, label: str, ticks: set[str]) -> None:
    """From the decision heading: Tab into the options, arrows to ``label``, Space, then
    Tab through the checklist ticking ``ticks`` with Space, and Enter on Submit."""
    radios = page.get_by_role("radio")
    expect(radios.first).to_be_visible()
    labels = [
        radios.nth(i).evaluate("e => e.closest('label').innerText").strip()
        for i in range(radios.count())
    ]
    tab_to(page, labels[0])
    page.keyboard.press("Space")
    for _ in range(labels.index(label)):
        page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name=label, exact=True)).to_be_checked()
    boxes = page.get_by_test_id("stForm").get_by_role("checkbox")
    for i in range(boxes.count()):
        page.keyboard.press("Tab")
        box = boxes.nth(i)
        expect(box).to_be_focused()
        if box.evaluate("e => e.closest('label').innerText").strip() in ticks:
            page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Submit my decision")).to_be_focused()
    page.keyboard.press("Enter")


def test_a_vignette_by_keyboard_alone_with_focus_following(live: str, browser: Browser) -> None:
    page = browser.new_page(viewport=WIDTHS["phone"], is_mobile=True)
    page.set_default_timeout(WAIT_MS)
    page.goto(live + "/play?scenario=fixture-two-step")
    begin = page.get_by_role("button", name="Begin the vignette")
    expect(begin).to_be_visible()
    begin.focus()
    page.keyboard.press("Enter")

    # the first decision opens at the top, its heading focused
    decision = page.get_by_role("heading", name="Decision 1")
    expect(decision).to_be_focused()
    at_the_top(page)
    choose_by_keyboard(page, DECISION_1, {"Document what you did and why"})

    # after Submit the focus is on the feedback, which says the verdict
    feedback = page.get_by_role("heading", name="Feedback on your decision")
    expect(feedback).to_be_focused()
    expect(page.get_by_text("(100 points)")).to_be_visible()
    tab_to(page, "Continue")
    page.keyboard.press("Enter")

    # after Continue: the top of the page, the next decision's heading focused
    expect(page.get_by_role("heading", name="Decision 2")).to_be_focused()
    at_the_top(page)
    choose_by_keyboard(page, DECISION_2, {"Document what you did and why"})
    expect(page.get_by_role("heading", name="Feedback on your decision")).to_be_focused()
    tab_to(page, "See the debrief")
    page.keyboard.press("Enter")

    # the debrief opens at its own top, not 900 px down past its text
    expect(page.get_by_role("heading", name="Debrief")).to_be_focused()
    at_the_top(page)
    page.close()


def test_a_focused_menu_link_is_clearly_marked(live: str, browser: Browser) -> None:
    """WCAG 2.2 2.4.7: the menu link that has keyboard focus shows a solid outline, not
    only Streamlit's faint grey background."""
    page = browser.new_page(viewport=WIDTHS["desktop"])
    page.goto(live + "/")
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
    settled(page)
    # the app's style sheet arrives with the script run, which may start after the
    # first render on a busy machine: wait for it rather than race it
    page.wait_for_function(
        "() => [...document.querySelectorAll('style')]"
        ".some(s => s.textContent.includes('stSidebarNavLink'))"
    )
    tab_to(page, "Home")
    style_of_focus = (
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    try:
        page.wait_for_function(
            f"() => {{ const [st, w] = ({style_of_focus})(); return st === 'solid' && w >= 2; }}"
        )
    except PlaywrightTimeout:
        pass  # the assertion below says what the focused link looks like instead
    style = page.evaluate(style_of_focus)
    assert style[0] == "solid" and style[1] >= 2, style
    page.close()
