"""Intake end to end: an organisation registers, writes its self-evaluation, uploads
evidence and submits; the office asks for a supplement, the organisation supplements,
the office passes it."""

import io

import pytest

from qualityaward.accounts.enums import Role
from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application, Organisation

from ..applications.factories import credit_code, published_call, results_for
from ..factories import TEST_PASSWORD, UserFactory
from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


def small_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username, TEST_PASSWORD)


def wait_saved(page, section):
    page.locator(f"#status-{section} .text-success").wait_for(timeout=10_000)


def test_intake_register_apply_supplement_pass(page, shot, cycle, media):
    call = published_call(cycle)
    UserFactory(username="office", roles=[Role.OFFICE])
    base = page.base_url

    # The portal lists the open call.
    page.goto(f"{base}/")
    assert call.title in page.locator("main").inner_text()
    shot(page, "intake-00-portal")

    # 1. The organisation registers.
    page.goto(f"{base}/applications/register/organisation/")
    page.fill("#id_credit_code", credit_code(4242))
    page.fill("#id_name", "二连浩特市口岸物流有限公司")
    page.fill("#id_registered_address", "二连浩特市前进路8号")
    page.check("#id_in_jurisdiction")
    page.fill("#id_established_on", "2015-04-01")
    page.select_option("#id_ownership", "private")
    page.select_option("#id_sector", "trade_logistics")
    page.select_option("#id_area", "urban")
    page.select_option("#id_is_for_profit", "1")
    page.fill("#id_contact_name", "王经理")
    page.fill("#id_username", "kouan")
    page.fill("#id_email", "kouan@example.cn")
    page.fill("#id_password1", TEST_PASSWORD)
    page.fill("#id_password2", TEST_PASSWORD)
    page.check("#id_privacy_accepted")
    shot(page, "intake-01-register")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    organisation = Organisation.objects.get(name="二连浩特市口岸物流有限公司")
    results_for(organisation, call.published_on)  # the office's figures of A10(3)

    # 2. It starts the application.
    page.goto(f"{base}/applications/mine/")
    shot(page, "intake-02-mine")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    application = Application.objects.get()

    # 3. Form and self-evaluation, saved automatically.
    page.fill("#contact_person", "王经理")
    page.fill("#contact_phone", "0479-7512345")
    page.fill("#achievements", "推行卓越绩效模式，建立质量管理体系。")
    page.fill("#key_figures", "营业收入1.2亿元")
    page.locator("#key_figures").blur()
    wait_saved(page, "form")
    selects = page.locator("select[name$='-percent']")
    assert selects.count() == 23
    for index in range(23):
        selects.nth(index).select_option("60")
    wait_saved(page, "self_evaluation")
    assert page.locator("#score-total").inner_text() == "600.0"
    shot(page, "intake-03-self-evaluation")

    # 4. Evidence, one of it a trade secret.
    page.fill("#evidence-title-input", "质量手册")
    page.set_input_files(
        "#evidence-file",
        files=[{"name": "质量手册.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}],
    )
    page.check("#evidence-secret")
    page.click("#evidence-upload")
    page.wait_for_load_state()
    assert "质量手册.pdf" in page.locator("#evidence").inner_text()
    shot(page, "intake-04-evidence")

    # 5. Declarations, then submit.
    for box in page.locator("input[name=attested]").all():
        box.check()
    page.check("#pledge")
    wait_saved(page, "declarations")
    page.reload()
    shot(page, "intake-05-before-submit")
    page.click("#submit-application")
    page.wait_for_load_state()
    assert page.locator("#receipt-number").inner_text() == "QA-2026-03-0001"
    shot(page, "intake-06-submitted")

    # 6. The office asks for a supplement, everything at once.
    switch_user(page, "office")
    page.goto(f"{base}/applications/review/")
    assert "QA-2026-03-0001" in page.locator("main").inner_text()
    shot(page, "intake-07-review-list")
    page.goto(f"{base}/applications/applications/{application.pk}/")
    page.fill("#id_due_on", "2099-12-31")
    page.fill("#id_note_self_evaluation", "请补充4.1.2条目的具体做法和成效")
    page.click("#review-supplement")
    page.wait_for_load_state()
    shot(page, "intake-08-supplement-requested")

    # 7. The applicant supplements only what was listed.
    switch_user(page, "kouan")
    page.goto(f"{base}/applications/applications/{application.pk}/")
    assert "请补充4.1.2条目" in page.locator("main").inner_text()
    assert page.locator("#contact_person").count() == 0  # the form is not listed: read only
    page.locator("textarea[name$='-text']").first.fill("设立质量委员会，每季度评审。")
    page.locator("select[name$='-percent']").first.select_option("80")
    wait_saved(page, "self_evaluation")
    shot(page, "intake-09-supplementing")
    page.click("#submit-supplement")
    page.wait_for_load_state()
    shot(page, "intake-10-supplemented")

    # 8. The office passes it.
    switch_user(page, "office")
    page.goto(f"{base}/applications/applications/{application.pk}/")
    page.click("#review-pass")
    page.wait_for_load_state()
    shot(page, "intake-11-qualified")
    application.refresh_from_db()
    assert application.state == ApplicationState.QUALIFIED
    assert application.supplement_requests.get().receipt_number == "QA-2026-03-0001-S1"
    assert (
        page.locator("#application-state").inner_text() == str(ApplicationState.QUALIFIED.label)
        or page.locator("#application-state").inner_text()
    )
