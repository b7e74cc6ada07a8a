"""The demo walked as people walk it: `manage.py demo` builds it, nothing else is set up;
each of the eight printed accounts logs in with its printed password (and the code of
its printed authenticator key), reaches its main screen from its dashboard in at most
three clicks, and does its main action; the public, without an account, objects to the
proposed winner and verifies a certificate. After the login page no URL is typed: every
step is a click on a link or a button of the page.

Screenshots: var/e2e/walk-NN-<account>-<step>.png at 1366 x 900."""

from __future__ import annotations

import base64
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django_otp.oath import TOTP
from playwright.sync_api import expect

from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application
from qualityaward.decisions.models import Award, Publicity, Winner
from qualityaward.evaluation.models import PanelMember
from qualityaward.supervision.models import Expense

from .conftest import SHOTS, expect_message, zh
from .test_full_cycle import small_pdf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

ACCOUNT_LINE = re.compile(r"^  (\S+)\s+(\S+)\s+", flags=re.MULTILINE)
TOTP_KEY = re.compile(r"^  (\S+) .*\n    TOTP key (\S+)$", flags=re.MULTILINE)
MAX_CLICKS = 3


class Walk:
    """One browser profile per person; counts the clicks from the dashboard and takes the
    numbered screenshots."""

    def __init__(self, browser, base_url: str, passwords: dict, keys: dict):
        self.browser = browser
        self.base_url = base_url
        self.passwords = passwords
        self.keys = keys
        self.shots = 0
        self.clicks = 0
        self.contexts = []

    def _page(self):
        context = self.browser.new_context(
            viewport={"width": 1366, "height": 900},
            locale="zh-CN",
            extra_http_headers={"Accept-Language": "zh-hans"},
        )
        self.contexts.append(context)
        return context.new_page()

    def login(self, username: str):
        """The login page, the password and, for staff, the authenticator's code: the
        dashboard of the role."""
        page = self._page()
        page.goto(f"{self.base_url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", self.passwords[username])
        self.submit(page, page.locator("main form button[type=submit]"))
        if username in self.keys:
            expect(page).to_have_url(re.compile("/accounts/two-factor/verify/"))
            key = base64.b32decode(self.keys[username])
            page.fill("#id_token", f"{TOTP(key).token():06d}")
            self.submit(page, page.locator("main form button[type=submit]"))
        expect(page).to_have_url(re.compile("/dashboard/"))
        self.clicks = 0
        self.shot(page, username, "dashboard")
        return page

    def visitor(self):
        page = self._page()
        page.goto(f"{self.base_url}/")
        self.clicks = 0
        return page

    def submit(self, page, locator) -> None:
        with page.expect_navigation():
            locator.click()

    def click(self, page, locator) -> None:
        """A click on the way to the main screen: counted."""
        self.clicks += 1
        assert self.clicks <= MAX_CLICKS, "the main screen is more than three clicks away"
        self.submit(page, locator)

    def dashboard(self, page) -> None:
        """Back to the dashboard through the navigation; the count starts again."""
        self.submit(page, page.locator(".qa-nav a[href^='/dashboard/']").first)
        self.clicks = 0

    def shot(self, page, account: str, step: str) -> None:
        self.shots += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"walk-{self.shots:02d}-{account}-{step}.png"
        page.screenshot(path=str(path), full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def next_step(page, text: str):
    """The button of the dashboard's next step that says `text`."""
    step = page.locator(".qa-next-steps li, .qa-next-steps .list-group-item").filter(has_text=text)
    return step.locator("a.btn").first


@pytest.fixture
def walk(browser, live_server):
    out = StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    walk = Walk(
        browser,
        live_server.url,
        passwords=dict(ACCOUNT_LINE.findall(printed)),
        keys=dict(TOTP_KEY.findall(printed)),
    )
    assert len(walk.passwords) == 8
    cache.clear()  # the public forms' rate limit
    yield walk
    walk.close()


def test_walk_the_demo(walk):
    # The office: its first step is the qualification review of the person's application.
    page = walk.login("office")
    waiting = Application.objects.get(state=ApplicationState.SUBMITTED)
    first = page.locator(".qa-next-steps a.btn").first
    expect(first).to_have_text(zh("Review"))
    walk.click(page, first)
    walk.click(page, page.get_by_role("link", name=waiting.receipt_number))
    walk.shot(page, "office", "application")
    walk.submit(page, page.locator("#review-pass"))
    expect_message(page, zh("The application passed the qualification review."))
    expect(page.locator("main")).to_contain_text(zh(ApplicationState.QUALIFIED.label))
    walk.shot(page, "office", "qualified")

    # The applicant continues the draft: one item's self-evaluation, one piece of evidence.
    page = walk.login("applicant")
    walk.click(page, page.locator(".qa-next-steps a.btn").first)
    page.fill("#evidence-title-input", "质量手册")
    page.set_input_files(
        "#evidence-file",
        files=[{"name": "质量手册.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}],
    )
    walk.submit(page, page.locator("#evidence-upload"))
    expect_message(page, zh("The evidence is uploaded."))
    expect(page.locator("#evidence")).to_contain_text("质量手册.pdf")
    item = page.locator("textarea[name$='-text']").first
    item.fill("设立质量委员会，每季度评审质量目标的完成情况。")
    page.locator("select[name$='-percent']").first.select_option("90")
    expect(page.locator("#status-self_evaluation .text-success")).to_be_visible(timeout=15_000)
    page.reload()
    expect(page.locator("textarea[name$='-text']").first).to_have_value(
        "设立质量委员会，每季度评审质量目标的完成情况。"
    )
    expect(page.locator("select[name$='-percent']").first).to_have_value("90")
    walk.shot(page, "applicant", "draft")

    # The same applicant won the finished cycle: one more expense on its fund-use report.
    walk.dashboard(page)
    walk.click(page, page.get_by_role("link", name=zh("Awards, fund use and honour usage")))
    award = Award.objects.get(applicant__name="二连浩特示例有限公司")
    walk.click(page, page.get_by_role("link", name=award.serial))
    walk.click(page, page.get_by_role("link", name=zh("Use of the prize money")))
    page.select_option("#id_use_code", label="实验室建设")
    page.fill("#id_amount", "12000")
    page.fill("#id_spent_on", f"{Expense.objects.get().spent_on:%Y-%m-%d}")
    page.fill("#id_description", "质量检测实验室设备购置")
    page.set_input_files(
        "#id_evidence",
        files=[{"name": "设备发票.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}],
    )
    walk.submit(page, page.locator("main form:has(#id_evidence) button[type=submit]"))
    expect_message(page, zh("The expense is recorded."))
    expect(page.locator("main")).to_contain_text("质量检测实验室设备购置")
    expect(page.locator("main")).to_contain_text("42000.00")
    walk.shot(page, "applicant", "fund-report")

    # The person: the submitted application, now qualified by the office.
    page = walk.login("person")
    walk.click(page, page.get_by_role("link", name=zh("My applications")).last)
    walk.click(page, page.get_by_role("link", name=waiting.call.cycle.name, exact=True))
    expect(page.locator("#receipt-number")).to_have_text(waiting.receipt_number)
    expect(page.locator("main")).to_contain_text(zh(ApplicationState.QUALIFIED.label))
    walk.shot(page, "person", "application")

    # The expert: a seat not yet scored; confirm no conflict, score the first item.
    page = walk.login("expert")
    walk.click(page, page.locator(".qa-next-steps a.btn").first)
    walk.shot(page, "expert", "confirm")
    walk.click(page, page.locator("main form button[type=submit]").first)
    expect_message(page, zh("Thank you. The materials are open to you now."))
    page.locator("main select[name$='-percent']").first.select_option("70")
    expect(page.locator("#scores-status .text-success")).to_be_visible(timeout=15_000)
    walk.shot(page, "expert", "scored")
    page.reload()
    expect(page.locator("main select[name$='-percent']").first).to_have_value("70")
    seat = PanelMember.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert seat.submitted_at is None
    assert seat.scores.filter(percent=70).exists()

    # The agency: the panels of the cycle in evaluation, the demo expert leading two.
    page = walk.login("agency")
    walk.click(page, page.locator(".qa-next-steps a.btn").first)
    panels = page.locator("main")
    expect(panels).to_contain_text(zh("Evaluation panels"))
    expect(panels).to_contain_text("陈专家")
    walk.shot(page, "agency", "panels")

    # The working group: no meeting now; the decisions of the cycle in publicity.
    page = walk.login("workgroup")
    publicity = Publicity.objects.select_related("cycle").get(cycle__number=2)
    walk.click(page, page.get_by_role("link", name=zh("Cycles and timelines")))
    walk.click(page, page.get_by_role("link", name=publicity.cycle.name))
    walk.click(page, page.locator(f"main a[href$='/decisions/cycles/{publicity.cycle.pk}/']"))
    winner = Winner.objects.select_related("application__applicant").get(cycle=publicity.cycle)
    expect(page.locator("main")).to_contain_text(winner.application.applicant.name)
    walk.shot(page, "workgroup", "decisions")

    # The department: the applicants of its sector.
    page = walk.login("department")
    walk.click(page, page.locator(".qa-next-steps a.btn").first)
    expect(page.locator("main")).to_contain_text("二连浩特示例有限公司")
    walk.shot(page, "department", "applicants")

    # The supervisor: the audit trail, its chain verified, and the security log.
    page = walk.login("supervisor")
    walk.click(page, page.locator(".qa-next-steps a.btn").first)
    expect(page.locator("main table")).to_contain_text("applications.review_pass")
    walk.shot(page, "supervisor", "audit")
    walk.click(page, page.get_by_role("link", name=zh("Security log")))
    expect(page.locator("main table")).to_contain_text("supervisor")
    walk.shot(page, "supervisor", "security-log")

    # The public: an objection to the proposed winner, then the certificate's serial.
    page = walk.visitor()
    walk.click(page, page.locator(f"main a[href$='/decisions/public/publicity/{publicity.pk}/']"))
    walk.click(page, page.get_by_role("link", name=zh("Write an objection")))
    page.select_option("#id_winner", str(winner.pk))
    page.fill("#id_name", "张先生")
    page.fill("#id_contact", "zhang@example.cn")
    page.fill("#id_text", "该公司去年发生过产品质量投诉，请核实。")
    walk.submit(page, page.locator("form:has(#id_text) button[type=submit]"))
    expect_message(
        page, zh("Your objection was received. The office investigates every objection.")
    )
    walk.shot(page, "public", "objection")
    page.locator(".qa-brand").click()
    page.fill("#qa-verify-serial", award.serial)
    walk.submit(page, page.locator("form:has(#qa-verify-serial) button"))
    main = page.locator("main")
    expect(main.locator(".badge")).to_have_text(zh("Valid"))
    expect(main).to_contain_text("二连浩特示例有限公司")
    walk.shot(page, "public", "certificate")
