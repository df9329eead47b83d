"""The Practice page and the calibration chart in a real browser: axe-core finds no
serious or critical WCAG 2.2 AA problem at laptop or phone width, the keyboard reaches
Submit from the last step in one Tab (then each "how sure" button), and a phone never
scrolls sideways."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from engine.practice.generate import draw
from storage import make_engine, new_learner_code
from storage.practice import PracticeAnswer, PracticeStore
from tests.app.live import launch_chromium, streamlit_server
from tests.app.test_accessibility import WIDTHS, focused_text, serious_violations, settled
from ui.calibration import MIN_ANSWERS

pytestmark = pytest.mark.browser
FOCUSED_BUTTON = (
    "name => { const e = document.activeElement;"
    " return !!e && e.tagName === 'BUTTON' && e.innerText.trim() === name; }"
)
APP = Path(__file__).parent / "practice_app.py"
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The two-page app on a fresh database, and a learner with enough stated
    confidence for the calibration chart."""
    folder = tmp_path_factory.mktemp("practice")
    url = f"sqlite:///{folder}/practice.db"
    learner = new_learner_code()
    practice = PracticeStore(make_engine(url))
    rng = random.Random(4)
    for n in range(MIN_ANSWERS + 4):
        item = draw(None, "US-CA", n)
        index = rng.randrange(len(item.labels))
        result = item.score(index, ())
        practice.record_practice(
            learner,
            PracticeAnswer(
                item_id=f"{n:032x}", template=item.template, seed=item.seed,
                side=item.skill.side, category=result.ruling.category, jurisdiction="US-CA",
                facts=item.facts, item=item.to_json(), choice_index=index,
                choice_label=item.labels[index], verdict=result.verdict, points=result.points,
                confidence=rng.choice([50, 70, 90]),
            ),
        )  # fmt: skip
    with streamlit_server(APP, {"DATABASE_URL": url}, log=folder / "streamlit.log") as base:
        yield base, learner


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def tab_from_the_last_step(page: Page, form: Locator, names: tuple[str, ...]) -> None:
    """Focus the checklist's last box, then each Tab must land on the next of ``names``.

    The form can be redrawn by a script run that finishes after the page first looks
    settled (a redraw drops focus to the page), so the sequence is tried again from a
    settled page, up to three times; the same wrong stop every time is a real failure.
    """
    seen: list[str] = []
    for _ in range(3):
        settled(page)
        last_step = form.get_by_role("checkbox").last
        try:  # focus it, again on each poll, until it holds focus
            page.wait_for_function(
                "e => { e.focus(); return document.activeElement === e; }",
                arg=last_step.element_handle(),
                timeout=WAIT_MS / 3,
            )
        except PlaywrightTimeout:
            seen.append(f"the last step would not take focus; focus on {focused_text(page)!r}")
            continue
        for name in names:
            page.keyboard.press("Tab")
            # the focused element itself, not the window's focus (another page may have it)
            try:
                page.wait_for_function(FOCUSED_BUTTON, arg=name, timeout=WAIT_MS / 3)
            except PlaywrightTimeout:
                seen.append(f"expected {name!r}, focus on {focused_text(page)!r}")
                break
        else:
            return
    raise AssertionError("; ".join(seen))


@pytest.mark.parametrize("width", list(WIDTHS))
def test_practice_and_calibration_are_accessible(
    served: tuple[str, str], browser: Browser, width: str
) -> None:
    base, learner = served
    page = browser.new_page(viewport=WIDTHS[width], is_mobile=width == "phone")
    page.set_default_timeout(WAIT_MS)
    page.bring_to_front()
    found: dict[str, list[str]] = {}
    page.goto(f"{base}/?learner={learner}&j=US-CA")  # Practice is this app's default page
    form = page.get_by_test_id("stForm")
    expect(page.get_by_role("button", name="Submit my decision")).to_be_visible()
    found["practice: item"] = serious_violations(page)

    # keyboard: from the last step, one Tab to Submit, then the "how sure" buttons
    tab_from_the_last_step(
        page, form, ("Submit my decision", "Submit, 50% sure", "Submit, 70% sure")
    )
    first_option = form.get_by_role("radio").first
    first_option.focus()  # by keyboard, as a learner would: a forced click on the hidden
    page.keyboard.press("Space")  # input can miss on a phone's layout
    expect(first_option).to_be_checked()
    page.get_by_role("button", name="Submit, 70% sure").click()
    expect(page.get_by_role("heading", name="Feedback on your decision")).to_be_visible()
    expect(page.get_by_text("How sure you were:")).to_be_visible()
    found["practice: feedback"] = serious_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]

    page.goto(f"{base}/progress?learner={learner}")
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has_text="How sure you were, and how often you were right"
    )
    expect(chart.locator(".main-svg").first).to_be_visible()
    expect(page.get_by_text("% of the time").first).to_be_visible()
    found["progress: calibration"] = serious_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    page.close()
    problems = [f"{where}: {p}" for where, ps in found.items() for p in ps]
    assert not problems, "\n".join(problems)
