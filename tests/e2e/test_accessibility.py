"""Every page of the site passes axe-core in Chromium with no serious or critical
violation, in Chinese and in English (issue 16, docs/accessibility.md).

The pages are the authorization matrix's (tests/authz/): for each URL pattern the first
actor that opens it (anonymous first for public pages), in the matrix's scenario, plus the
403 and 404 pages. One browser, one profile per actor, logged in by its session cookie.
The pages do not depend on the database, so the sweep runs on SQLite only."""

from __future__ import annotations

import time
from pathlib import Path

import axe_playwright_python
import pytest
from django.db import connection
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from ..authz.matrix import MATRIX
from ..authz.scenario import ACTORS, build_scenario
from ..proof_counts import add
from ..urls_helpers import all_routes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

AXE_SCRIPT = Path(axe_playwright_python.__file__).parent / "axe.min.js"
BLOCKING = {"serious", "critical"}
LANGUAGES = ("zh-hans", "en")
# Error pages: an actor the matrix refuses or hides a page from.
ERROR_PAGES = [("workdays:calendar", "working_group"), ("applications:detail", "other_applicant")]


def pages_to_check(scenario) -> list[tuple[str, str, str]]:
    """(pattern name, path with query, actor) for each URL pattern someone may open."""
    from urllib.parse import urlencode

    chosen = []
    for route in all_routes():
        row = MATRIX[route.name]
        actor = next((a for a in ACTORS if row.expected[a] == 200), None)
        if actor is None:
            continue
        path = route.fill({key: scenario.value(ref) for key, ref in row.kwargs.items()})
        query = {key: scenario.value(ref) for key, ref in row.query.items()}
        chosen.append((route.name, path + ("?" + urlencode(query) if query else ""), actor))
    routes = {route.name: route for route in all_routes()}
    for name, actor in ERROR_PAGES:
        row = MATRIX[name]
        path = routes[name].fill({key: scenario.value(ref) for key, ref in row.kwargs.items()})
        chosen.append((f"{name} (refused)", path, actor))
    return chosen


def actor_context(browser, base_url, user):
    """A browser profile signed in as `user` (password and second factor done, notice
    accepted: tests/conftest.py's force_login), with axe-core loaded in every page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(AXE_SCRIPT))
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base_url}])
    return context


def open_html_page(page, url) -> bool:
    """Open `url`; False when it answers with something other than a whole HTML page (a
    PDF, a download, JSON, or an htmx fragment, checked within its page)."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:  # Chromium aborts navigations that become downloads
        if "Download is starting" in str(error) or "ERR_ABORTED" in str(error):
            return False
        raise
    if response is None or "text/html" not in response.headers.get("content-type", ""):
        return False
    return "<html" in response.text()[:200].lower()


def violations(page, language: str) -> list[dict]:
    """axe's serious and critical violations on the page. Contrast is checked in Chinese
    only: the colours come from the same CSS in both languages, and it is the slowest
    rule."""
    options = {"resultTypes": ["violations"], "reporter": "no-passes"}
    if language != LANGUAGES[0]:
        options["rules"] = {"color-contrast": {"enabled": False}}
    results = page.evaluate("options => axe.run(document, options)", options)
    return [found for found in results["violations"] if found["impact"] in BLOCKING]


def test_every_page_has_no_serious_accessibility_violation(
    browser, live_server, cycle, monkeypatch
):
    if connection.vendor != "sqlite":
        pytest.skip("the pages' markup does not depend on the database: checked on SQLite")
    started = time.monotonic()
    # The scenario prepares its export itself; the background thread a committed request
    # starts would race it for the table.
    monkeypatch.setattr("qualityaward.exports.services.export_start", lambda **kwargs: None)
    scenario = build_scenario(cycle)
    pages: dict[str, object] = {}
    problems: list[str] = []
    checked = 0
    for name, path, actor in pages_to_check(scenario):
        if actor not in pages:
            user = scenario.users.get(actor)
            pages[actor] = actor_context(browser, live_server.url, user).new_page()
        page = pages[actor]
        for language in LANGUAGES:
            page.set_extra_http_headers({"Accept-Language": language})
            if not open_html_page(page, live_server.url + path):
                break
            checked += 1
            for violation in violations(page, language):
                for node in violation["nodes"]:
                    summary = node.get("failureSummary", "").splitlines()[-1:]
                    problems.append(
                        f"{name} {path} as {actor} in {language}: {violation['id']} "
                        f"({violation['impact']}) at {node['target']}: {summary}"
                    )
    # A form with errors: each error in words, tied to its field.
    page = pages.get("anonymous") or actor_context(browser, live_server.url, None).new_page()
    pages["anonymous"] = page
    for language in LANGUAGES:
        page.set_extra_http_headers({"Accept-Language": language})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "nobody")
        page.fill("#id_password", "wrong password")
        with page.expect_navigation():
            page.press("#id_password", "Enter")
        assert page.locator("[aria-invalid=true], .alert-danger").count() > 0
        checked += 1
        problems += [
            f"login with errors in {language}: {violation['id']} at {node['target']}"
            for violation in violations(page, language)
            for node in violation["nodes"]
        ]
    for page in pages.values():
        page.context.close()
    add("axe_pages", checked)
    print(f"axe: {checked} pages in {time.monotonic() - started:.1f} s")
    assert checked > 2 * 60
    assert problems == [], "\n".join(problems)
