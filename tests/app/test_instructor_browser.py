"""The instructor's dashboard in a real browser: through the passcode door, the class's
charts render (plotly draws its SVG), and the instructor and class pages have no serious
accessibility violation at laptop or phone width."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from engine.scenarios import load_bank
from storage import make_engine, new_learner_code
from storage.cohorts import Cohorts
from storage.demo import fill
from storage.passcode import hash_passcode
from tests.app.live import ROOT, launch_chromium, streamlit_server
from tests.app.test_accessibility import WIDTHS, serious_violations, settled

pytestmark = pytest.mark.browser

PASSCODE = "browser test passcode"
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A live app whose database holds one class of 30 learners, and its codes."""
    folder = tmp_path_factory.mktemp("instructor")
    url = f"sqlite:///{folder}/class.db"
    engine = make_engine(url)
    bank = load_bank(ROOT / "scenarios")
    instructor, member = new_learner_code(), new_learner_code()
    cohort = Cohorts(engine).create_cohort(
        instructor,
        name="PSY 610 Ethics",
        jurisdiction="US-CA",
        assigned=sorted(bank.scenarios)[:3],
    )
    fill(engine, bank, learner_count=30, choice_count=900, cohort=cohort)
    Cohorts(engine).join(member, cohort.join_code, consented=True, display_name=None)
    engine.dispose()
    env = {
        "DATABASE_URL": url,
        "CONFLAB_INSTRUCTOR_PASSCODE_HASH": hash_passcode(PASSCODE),
    }
    with streamlit_server(ROOT / "app.py", env, log=folder / "streamlit.log") as base:
        yield {"url": base, "instructor": instructor, "member": member}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def sign_in(page: Page, setting: dict[str, str]) -> None:
    page.goto(setting["url"] + "/instructor")
    page.get_by_label("Passcode", exact=True).fill(PASSCODE)
    page.get_by_role("button", name="Open the instructor pages").click()
    page.get_by_label("Instructor code", exact=True).fill(setting["instructor"])
    page.get_by_role("button", name="Use this code").click()
    expect(page.get_by_role("heading", name="PSY 610 Ethics")).to_be_visible()


def test_the_class_charts_render(browser: Browser, setting: dict[str, str]) -> None:
    page = browser.new_page(viewport=WIDTHS["desktop"])
    sign_in(page, setting)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts.first).to_be_visible()
    expect(charts).to_have_count(4)
    # plotly has drawn: the SVG with the chart's title and a bar per assigned vignette
    expect(page.locator(".gtitle", has_text="Completion by vignette (31 members)")).to_be_visible()
    expect(page.locator(".gtitle", has_text="Average points by category")).to_be_visible()
    assert page.locator('[data-testid="stPlotlyChart"] .main-svg').count() >= 4
    page.locator('[data-testid="stButtonGroup"]').get_by_text("Items", exact=True).click()
    expect(page.locator(".gtitle", has_text="How the class chose")).to_be_visible()
    page.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_instructor_and_class_pages_are_accessible(
    browser: Browser, setting: dict[str, str], width: str
) -> None:
    page = browser.new_page(viewport=WIDTHS[width])
    page.goto(setting["url"] + "/instructor")
    expect(page.get_by_label("Passcode", exact=True)).to_be_visible()
    problems = serious_violations(page)
    sign_in(page, setting)
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible()
    problems += serious_violations(page)
    page.goto(f"{setting['url']}/class?learner={setting['member']}")
    expect(page.get_by_role("heading", name="PSY 610 Ethics")).to_be_visible()
    settled(page)
    problems += serious_violations(page)
    assert problems == [], problems
    page.close()


def test_a_hostile_join_link_is_text(browser: Browser, setting: dict[str, str]) -> None:
    page = browser.new_page(viewport=WIDTHS["phone"])
    page.goto(setting["url"] + "/class?join=%3Cimg%20src%3Dx%3E")
    expect(page.get_by_text("A join code is 7 letters and digits")).to_be_visible()
    assert page.locator("img[src='x']").count() == 0
    page.close()
