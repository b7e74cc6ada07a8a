"""End-to-end tests: Playwright driving Debian's Chromium against a live server."""

import os
import shutil
from pathlib import Path

import pytest

from qualityaward.documents.fonts import fontconfig_file

from ..factories import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    """Mark browser tests and run them last: while the browser runs, Playwright keeps an
    event loop in the test thread, and Django refuses ORM calls there unless told."""
    browser_tests = [item for item in items if "tests/e2e/" in str(item.fspath)]
    for item in browser_tests:
        item.add_marker(pytest.mark.e2e)
        items.remove(item)
    items.extend(browser_tests)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian's chromium is missing: sudo bash scripts/install-system-packages.sh")
    from playwright.sync_api import sync_playwright

    # The tests' own ORM calls are synchronous even though Playwright's loop is running.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        # Date and file inputs speak the language Chromium finds in the environment.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            env={
                **os.environ,
                "LANG": "zh_CN.UTF-8",
                "LANGUAGE": "zh_CN",
                # Screenshots show Chinese in the project's own fonts, not missing-glyph boxes.
                "FONTCONFIG_FILE": str(fontconfig_file(tmp_path_factory.mktemp("fonts"))),
            },
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def new_context(browser):
    """A fresh browser profile that asks for Chinese pages."""
    return browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-hans"},
    )


@pytest.fixture
def page(browser, live_server):
    context = new_context(browser)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def shot():
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def second_factor(page, username):
    """After the password, as a person with an authenticator app: enrol it from the key
    the page shows (and pass the recovery codes), or type its current code."""
    import base64

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ..factories import totp_code

    path = page.url.removeprefix(page.base_url).split("?")[0]
    if path == "/accounts/two-factor/":
        key = base64.b32decode(page.locator("#qa-mfa-secret").inner_text().replace(" ", ""))
        page.fill("#id_token", f"{TOTP(key).token():06d}")
        submit(page, "main form button[type=submit]")
        submit(page, "main a.btn-primary")  # "I have kept them: continue"
    elif path == "/accounts/two-factor/verify/":
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("#id_token", totp_code(device))
        submit(page, "main form button[type=submit]")


def login(page, username, password):
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    second_factor(page, username)


class Sessions:
    """One browser profile per user, logged in once: a flow with many people can go back
    to any of them without logging in again. `public()` is a visitor without an account."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.pages = {}

    def _new_page(self):
        page = new_context(self.browser).new_page()
        page.base_url = self.base_url
        return page

    def public(self):
        if None not in self.pages:
            self.pages[None] = self._new_page()
        return self.pages[None]

    def of(self, username):
        if username not in self.pages:
            page = self._new_page()
            page.goto(f"{self.base_url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", TEST_PASSWORD)
            submit(page, "main form button[type=submit]")
            second_factor(page, username)
            assert "/accounts/login/" not in page.url, f"{username} could not log in"
            self.pages[username] = page
        return self.pages[username]

    def close(self):
        for page in self.pages.values():
            page.context.close()


@pytest.fixture
def sessions(browser, live_server):
    sessions = Sessions(browser, live_server.url)
    yield sessions
    sessions.close()


def submit(page, target):
    """Click a button that posts a form (or follows a link) and wait for the page it
    leads to. `target` is a selector or a locator."""
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation():
        locator.click()


def zh(message, **params):
    """A message (a msgid or a lazy label) as a Chinese reader sees it, in the site's
    own translation."""
    from django.utils import translation

    with translation.override("zh-hans"):
        text = translation.gettext(message) if isinstance(message, str) else str(message)
    return text % params if params else text


def expect_message(page, text):
    """The page shows `text` among its messages (success or error alike, so a failure
    shows what the page said instead)."""
    from playwright.sync_api import expect

    expect(page.locator(".qa-messages")).to_contain_text(text)
