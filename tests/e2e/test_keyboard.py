"""Keyboard only (issue 16, docs/accessibility.md): an applicant completes and submits
the application form, and an expert the scoring form, with Tab, Shift+Tab, Enter, Space,
End and typing, no clicks; whatever takes the focus shows it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from qualityaward.applications.models import Application
from qualityaward.evaluation.models import ItemScore

from ..applications.factories import (
    OrganisationFactory,
    applicant_user,
    published_call,
    results_for,
)
from ..evaluation.factories import ExpertFactory, make_panel, qualified_application
from .conftest import zh

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

MAX_TABS = 200


FOCUS = """target => {
    const element = document.activeElement, style = getComputedStyle(element);
    return {
        reached: element === target,
        shown: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
            || style.boxShadow !== "none",
        element: element.outerHTML.slice(0, 120),
    };
}"""


def tab_to(page, selector: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element `selector` has the focus; every element
    passed on the way must show its focus (an outline or a focus ring)."""
    target = page.locator(selector)
    expect(target).to_have_count(1)
    handle = target.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = page.evaluate(FOCUS, handle)
        assert now["shown"], f"no visible focus on {now['element']}"
        if now["reached"]:
            return
    raise AssertionError(f"{selector} cannot be reached with the keyboard")


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("focus and keys do not depend on the database: checked on SQLite")


def test_an_applicant_applies_with_the_keyboard_only(sessions, cycle):
    call = published_call(cycle)
    user = applicant_user(username="jia", display_name="甲公司 王经理")
    organisation = OrganisationFactory(users=[user])
    results_for(organisation, timezone.localdate())
    page = sessions.of("jia")
    page.goto(f"{sessions.base_url}/applications/mine/")

    # Start: the call's "apply" button.
    tab_to(page, f'form[action$="/calls/{call.pk}/apply/"] button')
    with page.expect_navigation():
        page.keyboard.press("Enter")

    for field, text in (
        ("#contact_person", "王经理"),
        ("#contact_phone", "0479-7512345"),
        ("#achievements", "推行卓越绩效模式。"),
        ("#key_figures", "营业收入1.2亿元"),
    ):
        tab_to(page, field)
        page.keyboard.type(text)
    page.keyboard.press("Tab")  # leaving the last field saves the part
    page.locator("#status-form .text-success").wait_for(timeout=15_000)

    # The self-evaluation: each item's percent chosen with the arrow keys.
    selects = page.locator("main select[name$='-percent']")
    for index in range(selects.count()):
        tab_to(page, f"#{selects.nth(index).get_attribute('id')}")
        page.keyboard.press("End")  # the highest percent
    page.keyboard.press("Tab")
    expect(page.locator("#score-total")).not_to_have_text("0.0", timeout=15_000)

    # Declarations: checkboxes ticked with Space; one step back with Shift+Tab works too.
    boxes = page.locator("input[name=attested]")
    for index in range(boxes.count()):
        tab_to(page, f"#{boxes.nth(index).get_attribute('id')}")
        page.keyboard.press("Space")
    tab_to(page, "#pledge")
    page.keyboard.press("Space")
    tab_to(page, f"#{boxes.nth(0).get_attribute('id')}", backwards=True)
    expect(boxes.nth(0)).to_be_checked()
    page.locator("#status-declarations .text-success").wait_for(timeout=15_000)

    page.reload()
    tab_to(page, "#submit-application")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    application = Application.objects.get(applicant=organisation)
    assert application.receipt_number
    expect(page.locator(".qa-messages")).to_contain_text(
        zh(
            "The application is submitted. Receipt number: %(receipt)s.",
            receipt=application.receipt_number,
        )
    )


def test_an_expert_scores_with_the_keyboard_only(sessions, cycle):
    panel = make_panel(qualified_application(cycle), [ExpertFactory()], confirmed=False)
    member = panel.members.get()
    page = sessions.of(member.expert.user.username)
    page.goto(f"{sessions.base_url}/evaluation/assignments/")

    tab_to(page, f'main a[href$="/members/{member.pk}/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "main form button[type=submit]")  # "I have no conflict of interest"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".qa-messages")).to_contain_text(
        zh("Thank you. The materials are open to you now.")
    )

    selects = page.locator("main select[name$='-percent']")
    for index in range(selects.count()):
        tab_to(page, f"#{selects.nth(index).get_attribute('id')}")
        page.keyboard.press("End")  # 100%
    strengths = page.locator("main textarea[name$='-strengths']").first
    tab_to(page, f"#{strengths.get_attribute('id')}", backwards=True)
    page.keyboard.type("质量方针明确，领导作用突出。")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".qa-messages")).to_contain_text(zh("Your scores are submitted."))
    member.refresh_from_db()
    assert member.submitted_at is not None
    scores = ItemScore.objects.filter(member=member)
    assert scores.count() == selects.count()
    assert set(scores.values_list("percent", flat=True)) == {100}
