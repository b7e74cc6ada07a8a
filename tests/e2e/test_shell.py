import re

import pytest

from qualityaward.accounts.enums import Role

from ..factories import TEST_PASSWORD, UserFactory
from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_logs_in_and_lands_on_its_dashboard_in_chinese(page, shot, role):
    UserFactory(username=f"demo-{role.value}", roles=[role])
    login(page, f"demo-{role.value}", TEST_PASSWORD)
    assert page.url.endswith(f"/dashboard/{role.value}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    heading = page.locator("h1").inner_text().strip()
    assert re.fullmatch(r"[\u4e00-\u9fff（）]+", heading), heading
    shot(page, f"dashboard-{role.value}")


def test_language_switch_changes_the_page_to_english(page):
    UserFactory(username="wang", roles=[Role.OFFICE])
    login(page, "wang", TEST_PASSWORD)
    # Choosing changes nothing yet (a keyboard user moves through the options with the
    # arrow keys); the button switches.
    page.select_option("#qa-language", "en")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    with page.expect_navigation():
        page.click(".qa-lang button[type=submit]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().strip() == "Award office"


def test_pages_load_no_asset_from_outside_the_site(page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{page.base_url}/")
    page.wait_for_load_state("networkidle")
    assert requested
    assert all(url.startswith(page.base_url) for url in requested), requested
