"""The app in a real browser: `streamlit run app.py` driven through Debian's Chromium.

Plays a vignette to its ending (one decision by keyboard only), reloads mid-vignette,
checks the debrief, the branch map and a progress chart, and that every control has a
name a screen reader can read. Fails on any page error, any traceback text and any
request that leaves this machine. Screenshots of each page, on a laptop and a phone-
sized window, go to the test's temporary folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from engine.scenarios import Scenario, load_bank
from engine.scenarios.paths import best_path
from engine.words import STEP_LABELS
from tests.app.live import LOCAL_PREFIXES, ROOT, launch_chromium, streamlit_server

pytestmark = pytest.mark.browser

INTERACTIVE = {"button", "radio", "combobox", "textbox", "checkbox", "link", "searchbox"}
# Generous, because CI's two cores may be busy: every wait below is for a condition, so a
# fast machine never waits this long, and a real failure still fails (after the wait).
WAIT_MS = 30_000
# expect() keeps its own 5 s default, which page.set_default_timeout does not reach.
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app's base URL and its server log."""
    folder = tmp_path_factory.mktemp("live")
    env = {"DATABASE_URL": f"sqlite:///{folder}/browser.db"}
    with streamlit_server(ROOT / "app.py", env, log=folder / "streamlit.log") as url:
        yield url, folder / "streamlit.log"


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
        page.on(
            "request",
            lambda request: (
                None if request.url.startswith(LOCAL_PREFIXES) else self.outside.append(request.url)
            ),
        )

    def check(self, page: Page) -> None:
        assert not self.errors, self.errors
        assert not self.outside, self.outside
        body = page.locator("body").inner_text()
        assert "Traceback" not in body
        assert page.locator('[data-testid="stException"]').count() == 0


def short_vignette() -> tuple[Scenario, list]:
    bank = load_bank(ROOT / "scenarios")
    scenario = min(bank.scenarios.values(), key=lambda s: (len(best_path(s)), s.id))
    return scenario, best_path(scenario)


def settle(page: Page) -> None:
    """Wait until Streamlit shows no run in progress (callers first wait for the element
    the run they started must draw, so the run has begun)."""
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0)


def shoot(page: Page, folder: Path, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the window first."""
    settle(page)
    size = page.viewport_size
    height = page.evaluate(
        "Math.max(window.innerHeight, ...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stMainBlockContainer]')].map(e => e.scrollHeight))"
    )
    tall = min(int(height) + 40, 6000)
    page.set_viewport_size({"width": size["width"], "height": tall})
    page.wait_for_function(f"window.innerHeight === {tall}")
    page.screenshot(path=str(folder / f"{name}.png"))
    page.set_viewport_size(size)


def unnamed_controls(page: Page) -> list[str]:
    """Controls without an accessible name, from Chromium's own accessibility tree."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    missing = []
    for node in nodes:
        role = node.get("role", {}).get("value")
        if node.get("ignored") or role not in INTERACTIVE:
            continue
        if not str(node.get("name", {}).get("value", "")).strip():
            missing.append(role)
    return missing


def address(page: Page) -> str:
    """The address bar (``page.url`` can trail Streamlit's history.replaceState)."""
    return page.evaluate("location.href")


def main(page: Page):  # noqa: ANN201 - a Locator
    return page.get_by_test_id("stMain")


def first_line(text: str) -> str:
    line = text.strip().splitlines()[0]
    return re.sub(r"[*_>#`]", "", line).strip()[:50]


def decide_by_keyboard(page: Page, label: str, wanted: set[str]) -> None:
    """Keyboard only: Space on the first option, arrows to ours, then Tab through the
    checklist ticking the wanted steps with Space, Tab to Submit, Enter."""
    radios = page.get_by_role("radio")
    expect(radios.first).to_be_visible()
    names = [radios.nth(i).get_attribute("aria-label") or "" for i in range(radios.count())]
    shown = [page.get_by_role("radio").nth(i) for i in range(len(names))]
    labels = [item.evaluate("e => e.closest('label').innerText").strip() for item in shown]
    shown[0].focus()
    page.keyboard.press("Space")
    for _ in range(labels.index(label)):
        page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name=label, exact=True)).to_be_checked()
    boxes = page.get_by_test_id("stForm").get_by_role("checkbox")
    for i in range(boxes.count()):
        page.keyboard.press("Tab")
        box = boxes.nth(i)
        expect(box).to_be_focused()
        name = box.evaluate("e => e.closest('label').innerText").strip()
        if any(STEP_LABELS[s] == name for s in wanted):
            page.keyboard.press("Space")
            expect(box).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Submit my decision")).to_be_focused()
    page.keyboard.press("Enter")


def test_play_reload_debrief_and_progress(
    live: tuple[str, Path], browser: Browser, tmp_path: Path
) -> None:
    app_url, log = live
    scenario, path = short_vignette()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    watch = Watch(page)

    page.goto(app_url + "/")
    expect(page.get_by_role("heading", name="Confidentiality Lab")).to_be_visible()
    expect(main(page).get_by_text("Education, not legal advice.")).to_be_visible()
    shoot(page, tmp_path, "home")
    assert not unnamed_controls(page)
    watch.check(page)

    page.get_by_role("combobox", name="Or go straight to any vignette").click()
    page.keyboard.type(scenario.title)
    page.get_by_role("option", name=scenario.title, exact=True).click()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_role("button", name="Begin the vignette")).to_be_visible()
    if scenario.content_note:
        expect(page.get_by_text("Content note.")).to_be_visible()
    shoot(page, tmp_path, "start")
    page.get_by_role("button", name="Begin the vignette").click()

    for step, (node_id, index, result) in enumerate(path):
        node = scenario.nodes[node_id]
        expect(page.get_by_text(first_line(node.text)).first).to_be_visible()
        label = node.choices[index].label
        wanted = set(scenario.ideal_steps(node_id))
        if step == 0:
            decide_by_keyboard(page, label, wanted)
        else:
            page.get_by_test_id("stForm").get_by_text(label, exact=True).click()
            expect(page.get_by_role("radio", name=label, exact=True)).to_be_checked()
            for step_name in sorted(wanted):
                box = STEP_LABELS[step_name]
                page.get_by_test_id("stForm").get_by_text(box, exact=True).click()
                expect(page.get_by_role("checkbox", name=box, exact=True)).to_be_checked()
            page.get_by_role("button", name="Submit my decision").click()
        # .last: a collapsed "previous decision" expander above holds older feedback
        expect(page.get_by_text(f"({result.points} points)").last).to_be_visible()
        expect(page.get_by_text("What the law required here").last).to_be_visible()
        if step == 0:
            shoot(page, tmp_path, "feedback")
            assert not unnamed_controls(page)
        last = step == len(path) - 1
        page.get_by_role("button", name="See the debrief" if last else "Continue").click()
        if step == 0:
            # reload mid-vignette: the same learner lands on the same node
            next_node = scenario.nodes[node.choices[index].next]
            expect(page.get_by_text(first_line(next_node.text)).first).to_be_visible()
            # the next part starts at the top, with the keyboard focus on its heading
            expect(page.get_by_role("heading", name=f"Decision {step + 2}")).to_be_focused()
            page.wait_for_function("document.querySelector('[data-testid=stMain]').scrollTop === 0")
            settle(page)
            url = address(page)
            assert "learner=" in url and "attempt=" in url
            page.reload()
            expect(page.get_by_text(first_line(next_node.text)).first).to_be_visible()
            for choice in next_node.choices:
                expect(page.get_by_role("radio", name=choice.label, exact=True)).to_be_visible()
            assert address(page) == url
            shoot(page, tmp_path, "after_reload")
            # away to Home and back: "continue where you left off" returns to this node
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Home").click()
            expect(main(page).get_by_text("Continue where you left off")).to_be_visible()
            page.get_by_role("button", name="Continue", exact=True).click()
            expect(page.get_by_text(first_line(next_node.text)).first).to_be_visible()
        watch.check(page)

    ending = scenario.nodes[scenario.nodes[path[-1][0]].choices[path[-1][1]].next]
    expect(page.get_by_role("heading", name="Debrief")).to_be_visible()
    expect(page.get_by_text(first_line(ending.debrief)).first).to_be_visible()
    expect(page.locator('[data-testid="stGraphVizChart"] svg')).to_be_visible()
    expect(page.get_by_role("heading", name="Paths not taken")).to_be_visible()
    shoot(page, tmp_path, "debrief")
    assert not unnamed_controls(page)
    watch.check(page)
    learner = re.search(r"learner=([^&]+)", address(page)).group(1)

    page.get_by_role("link", name="Progress").first.click()
    expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 4
    assert f"learner={learner}" in address(page), "the learner code survives page changes"
    shoot(page, tmp_path, "progress")
    watch.check(page)

    page.get_by_role("link", name="Library").first.click()
    expect(page.get_by_role("heading", name="Library")).to_be_visible()
    shoot(page, tmp_path, "library")
    assert not unnamed_controls(page)
    watch.check(page)

    # a phone-sized window: same learner, same pages, nothing cut off or broken
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.set_default_timeout(WAIT_MS)
    phone_watch = Watch(phone)
    phone.goto(f"{app_url}/?learner={learner}")
    expect(phone.get_by_role("heading", name="Confidentiality Lab")).to_be_visible()
    shoot(phone, tmp_path, "phone_home")
    phone.goto(f"{app_url}/progress?learner={learner}")
    expect(phone.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    shoot(phone, tmp_path, "phone_progress")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    phone_watch.check(phone)
    phone.close()
    page.close()
    # logs hold no learner text: not the code, not a choice
    logged = log.read_text(encoding="utf-8")
    assert learner not in logged and learner.replace("-", "") not in logged
    assert scenario.nodes[path[0][0]].choices[path[0][1]].label not in logged


def test_hostile_markup_is_text_in_the_browser(
    tmp_path_factory: pytest.TempPathFactory, browser: Browser, tmp_path: Path
) -> None:
    """The fixture vignette's <script> and <b> tags show as characters and never run."""
    folder = tmp_path_factory.mktemp("hostile")
    env = {
        "DATABASE_URL": f"sqlite:///{folder}/hostile.db",
        "CONFLAB_SCENARIOS": str(Path(__file__).parent / "fixtures" / "scenarios"),
    }
    with streamlit_server(ROOT / "app.py", env, log=folder / "streamlit.log") as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(WAIT_MS)
        watch = Watch(page)
        page.goto(f"{url}/play?scenario=fixture-hostile-intake")
        page.get_by_role("button", name="Begin the vignette").click()
        expect(page.get_by_text("<script>window.__pwned = 3</script>")).to_be_visible()
        expect(page.get_by_text("co-pay is $20 and $30", exact=False)).to_be_visible()
        assert page.locator("main b", has_text="raw").count() == 0
        assert page.evaluate("window.__pwned === undefined")
        shoot(page, tmp_path, "hostile")
        # the attempt in progress is offered by its (hostile) title on a button: the
        # Markdown image in the title stays text and is never fetched
        learner = re.search(r"learner=([^&]+)", address(page)).group(1)
        page.goto(f"{url}/play?learner={learner}")
        button = page.get_by_role("button", name=re.compile("^Continue"))
        expect(button).to_be_visible()
        assert "title.png" in button.inner_text()
        assert page.locator("img[src*='127.0.0.9']").count() == 0
        page.goto(f"{url}/library")
        expect(
            page.get_by_role("heading", name="Scenario files that failed validation")
        ).to_be_visible()
        assert page.evaluate("window.__pwned === undefined")
        watch.check(page)
        page.close()
