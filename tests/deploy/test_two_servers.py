"""Several servers on one PostgreSQL behind nginx, as deploy/README.md sets them up.

Two app servers start at the same moment on an empty database (the migrations run once,
under the database's lock); a learner plays through nginx in Chromium; the learner's
server is stopped; the same tab reconnects through nginx to the other server and shows
the same decision, with nothing lost, and the learner goes on there.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import text

from bench.load_server import AppServer
from engine.scenarios import Scenario, load_bank
from engine.words import STEP_LABELS
from storage import Store, make_engine, new_learner_code
from storage.cohorts import Cohorts
from storage.demo import fill
from storage.health import schema_head
from tests.app.live import ROOT, launch_chromium
from tests.deploy.conftest import INSTRUCTOR_PASSCODE, Proxy
from tests.deploy.vignettes import long_vignette
from tests.waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
WAIT_MS = 60_000
ASSIGNED = ["consent-mom-on-line-two", "consent-back-on-the-route"]
expect.set_options(timeout=WAIT_MS)


def readiness(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_servers_started_together_migrate_once_and_report_ready(
    app_servers: list[AppServer], database: str
) -> None:
    """Both servers came up on an empty database at the same moment; the schema is at
    the head once, and each server's /readyz says so (it waits out the migration)."""
    for server in app_servers:

        def ready(url: str = server.url) -> tuple[int, dict] | None:
            status, body = readiness(url)
            return (status, body) if status == 200 else None

        _, body = wait_until(ready, timeout=60, what=f"{server.url}/readyz answered 200")
        assert body["schema"] == schema_head() and body["backend"] == "postgresql"
    engine = make_engine(database)
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        engine.dispose()
    assert [row[0] for row in versions] == [schema_head()]


def first_line(text_: str) -> str:
    line = text_.strip().splitlines()[0]
    return re.sub(r"[*_>#`]", "", line).strip()[:50]


def decide(page: Page, scenario: Scenario, node_id: str, index: int) -> None:
    """Pick the option and tick the steps the law asks for, submit, wait until saved."""
    form = page.get_by_test_id("stForm")
    label = scenario.nodes[node_id].choices[index].label
    form.get_by_text(label, exact=True).click()
    for step in scenario.ideal_steps(node_id):
        form.get_by_text(STEP_LABELS[step], exact=True).click()
    page.get_by_role("button", name="Submit my decision").click()
    points = scenario.score_choice(node_id, index, None, scenario.ideal_steps(node_id)).points
    expect(page.get_by_text(f"({points} points)").last).to_be_visible()
    expect(
        page.get_by_role("button", name=re.compile("^(Continue|See the debrief)$"))
    ).to_be_visible()


def saved_path(database: str, code: str, attempt_id: str) -> tuple[tuple[str, int], ...]:
    store = Store(make_engine(database))
    try:
        attempt = store.get_attempt(attempt_id, code)
    finally:
        store.engine.dispose()
    assert attempt is not None
    return attempt.path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def compare_instructor_dashboards(
    servers: list[AppServer], proxy: Proxy, database: str, browser: Browser
) -> None:
    """The same class's dashboard, opened through each server directly (bypassing
    nginx), shows the same numbers: everything an instructor sees is read from the one
    database. Called with one server stopped, which is started again first."""
    del proxy  # each server is reached directly: nginx would pick one for us
    engine = make_engine(database)
    try:
        instructor = new_learner_code()
        cohort = Cohorts(engine).create_cohort(
            instructor, name="Two servers", jurisdiction="MODEL", assigned=ASSIGNED
        )
        bank = load_bank(ROOT / "scenarios")
        fill(engine, bank, learner_count=12, choice_count=240, cohort=cohort)
    finally:
        engine.dispose()
    for server in servers:
        if server.process is None:
            server.start()
    seen = []
    for server in servers:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(WAIT_MS)
        try:
            page.goto(f"{server.url}/instructor")
            page.get_by_label("Passcode", exact=True).fill(INSTRUCTOR_PASSCODE)
            page.get_by_role("button", name="Open the instructor pages").click()
            page.get_by_label("Instructor code", exact=True).fill(instructor)
            page.get_by_role("button", name="Use this code").click()
            expect(page.get_by_role("heading", name="Two servers")).to_be_visible()
            metrics = page.get_by_test_id("stMetric")
            expect(metrics).to_have_count(3)
            expect(page.locator(".gtitle", has_text="Completion by vignette")).to_be_visible()
            numbers = {
                metrics.nth(i).get_by_test_id("stMetricLabel").inner_text().strip(): metrics.nth(i)
                .get_by_test_id("stMetricValue")
                .inner_text()
                .strip()
                for i in range(3)
            }
            # the completion chart's title, bars and value labels, as drawn
            bars = page.get_by_test_id("stPlotlyChart").first.text_content()
            seen.append((numbers, bars))
        finally:
            page.close()
    assert seen[0] == seen[1], seen
    assert seen[0][0] == {
        "Members sharing": "12",
        "Complete": seen[0][0]["Complete"],
        "Choices shared": "240",
    }


def test_a_learner_resumes_on_the_other_server_when_theirs_stops(
    app_servers: list[AppServer], proxy: Proxy, database: str, browser: Browser
) -> None:
    scenario, path = long_vignette()
    code = new_learner_code()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{proxy.url}/?learner={code}&scenario={scenario.id}")
        page.get_by_role("button", name="Begin the vignette").click()
        for k in (0, 1):
            node_id, index, _ = path[k]
            expect(page.get_by_text(first_line(scenario.nodes[node_id].text)).first).to_be_visible()
            decide(page, scenario, node_id, index)
            if k == 0:
                page.get_by_role("button", name="Continue").click()
        attempt_id = page.evaluate("new URLSearchParams(location.search).get('attempt')")
        assert attempt_id, page.evaluate("location.href")
        # The second decision's feedback is on screen; stop the server holding the tab.
        first = proxy.upstream_of("/")
        [theirs] = [s for s in app_servers if first == f"127.0.0.1:{s.port}"]
        [other] = [s for s in app_servers if s is not theirs]
        theirs.stop()
        # The tab reconnects through nginx, now to the other server, which reads the
        # learner's place from the database: the third decision, both choices kept.
        expect(page.get_by_role("heading", name="Decision 3")).to_be_visible()
        node_id, index, _ = path[2]
        expect(page.get_by_text(first_line(scenario.nodes[node_id].text)).first).to_be_visible()
        assert saved_path(database, code, attempt_id) == tuple((n, i) for n, i, _ in path[:2])
        decide(page, scenario, node_id, index)  # and the learner goes on, on that server
        assert saved_path(database, code, attempt_id) == tuple((n, i) for n, i, _ in path[:3])
        assert other.process is not None and other.process.poll() is None
        compare_instructor_dashboards(app_servers, proxy, database, browser)
        assert not errors, errors
    finally:
        page.close()
