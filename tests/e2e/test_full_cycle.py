# ruff: noqa: RUF001 (Chinese document numbers)
"""A whole cycle in the browser, each step done by the person who does it: the office
publishes the call; two organisations apply; the office asks one for a supplement and
qualifies both; the agency forms the panels; three experts score and the lead records
the consensus; the office publishes the results; the public comments; the office
handles the comment, ranks and proposes; the working group votes; the office publishes
the proposed winner; the public objects; the office dismisses the objection, records the
government's approval and issues the certificate; the public verifies it.

Accounts, the agency and its experts, and the working-day calendar are set up with the
factories. The rule set is the demo version with one evaluation stage (panels of three),
so the scoring stays short (six score sheets). Dates that lie in the future (the end of the
call, the 30 working days of comment, the 7 of publicity) are typed into the forms' date
fields, and the decisions app's clock is moved to the day each public form is used.
Screenshots: var/e2e/full-cycle-NN-<step>.png."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import User
from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application, Call
from qualityaward.decisions.enums import ObjectionStatus
from qualityaward.decisions.models import (
    Award,
    CandidateList,
    Meeting,
    Publicity,
    ResultPublication,
    Winner,
)
from qualityaward.evaluation.models import Expert, Panel, PanelMember
from qualityaward.workdays import calendar
from qualityaward.workdays.arrangements import SpecialDayRow
from qualityaward.workdays.services import calendar_year_import

from ..applications.factories import OrganisationFactory, applicant_user, results_for
from ..evaluation.factories import procured_agency, set_rule
from ..factories import UserFactory
from .conftest import expect_message, submit, zh

pytestmark = pytest.mark.django_db(transaction=True)

ORG_A = "二连浩特市甲口岸物流有限公司"
ORG_B = "二连浩特市乙商贸有限公司"
ONE_STAGE = [
    {
        "code": "document_review",
        "name_zh": "材料评审",
        "name_en": "Document review",
        "weight": "1",
        "panel_size": 3,
        "aggregation": "trimmed_mean",
        "advance_threshold": None,
    }
]


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


@pytest.fixture
def set_today(monkeypatch):
    """The day the decisions app takes for today (public forms, approval)."""

    def set_to(day: datetime.date) -> None:
        monkeypatch.setattr("qualityaward.decisions.clock.today", lambda: day)

    return set_to


def calendar_through(year: int) -> None:
    """Working-day data up to `year`: a year the holiday package does not carry yet gets
    a made-up arrangement (New Year's Day only), as the office would import it."""
    for each in range(timezone.localdate().year, year + 1):
        if not calendar.current_calendar().covers(each):
            calendar_year_import(
                year=each,
                rows=[SpecialDayRow(datetime.date(each, 1, 1), "holiday", "元旦")],
                notice="测试用安排（非正式）",
                actor="test",
            )


def small_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class Shots:
    """Full-page screenshots numbered in the order of the steps."""

    def __init__(self, shot):
        self.shot = shot
        self.n = 0

    def __call__(self, page, step: str) -> None:
        self.n += 1
        self.shot(page, f"full-cycle-{self.n:02d}-{step}")


def form(page, url: str):
    return page.locator(f'form[action="{url}"]')


def publish_call(office, base: str, cycle) -> Call:
    """The office drafts the cycle's call from its rule set and publishes it."""
    office.goto(f"{base}{reverse('applications:call_manage')}")
    submit(
        office, form(office, reverse("applications:call_create", args=[cycle.pk])).locator("button")
    )
    expect_message(office, zh("The call is drafted from the rule set. Check it and publish it."))
    call = Call.objects.get(cycle=cycle)
    submit(
        office, form(office, reverse("applications:call_publish", args=[call.pk])).locator("button")
    )
    expect_message(office, zh("The call is published on the portal and sent to every department."))
    return call


def apply(page, base: str, call: Call, *, percent: int, evidence: bool) -> Application:
    """The applicant starts, fills in and submits an application; returns it."""
    page.goto(f"{base}{reverse('applications:mine')}")
    submit(page, form(page, reverse("applications:apply", args=[call.pk])).locator("button"))
    page.fill("#contact_person", "王经理")
    page.fill("#contact_phone", "0479-7512345")
    page.fill("#achievements", "推行卓越绩效模式，建立覆盖口岸业务全过程的质量管理体系。")
    page.fill("#key_figures", "营业收入1.2亿元，客户满意度96%")
    page.locator("#key_figures").blur()
    # Each part saves by itself and bumps the draft's version: one save at a time.
    page.locator("#status-form .text-success").wait_for(timeout=15_000)
    selects = page.locator("main select[name$='-percent']")
    for index in range(selects.count()):
        selects.nth(index).select_option(str(percent))
    expect(page.locator("#score-total")).to_have_text(f"{percent * 10}.0", timeout=15_000)
    if evidence:
        page.fill("#evidence-title-input", "质量手册")
        page.set_input_files(
            "#evidence-file",
            files=[{"name": "质量手册.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}],
        )
        page.check("#evidence-secret")
        submit(page, "#evidence-upload")
        expect(page.locator("#evidence")).to_contain_text("质量手册.pdf")
    for box in page.locator("input[name=attested]").all():
        box.check()
    page.check("#pledge")
    page.locator("#status-declarations .text-success").wait_for(timeout=15_000)
    page.reload()
    submit(page, "#submit-application")
    application = Application.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert application.receipt_number
    expect_message(
        page,
        zh(
            "The application is submitted. Receipt number: %(receipt)s.",
            receipt=application.receipt_number,
        ),
    )
    expect(page.locator("#receipt-number")).to_have_text(application.receipt_number)
    return application


def score(page, percents: list[int]) -> None:
    """The expert confirms having no conflict, scores every item and submits."""
    submit(page, page.locator("main form button[type=submit]"))
    expect_message(page, zh("Thank you. The materials are open to you now."))
    selects = page.locator("main select[name$='-percent']")
    assert selects.count() == len(percents)
    for index, percent in enumerate(percents):
        selects.nth(index).select_option(str(percent))
    page.fill("main textarea[name$='-strengths'] >> nth=0", "质量方针明确，领导作用突出。")
    submit(page, page.locator("main form button[type=submit]"))
    expect_message(page, zh("Your scores are submitted."))


def test_full_cycle(sessions, shot, cycle, media, set_today):
    shots = Shots(shot)
    base = sessions.base_url
    cache.clear()  # the public forms' rate limit
    today = timezone.localdate()
    calendar_through(today.year + 1)
    set_rule(cycle.rule_set_version, "stages", ONE_STAGE)

    UserFactory(username="office", display_name="市场监管局 王办事员", roles=[Role.OFFICE])
    user_a = applicant_user(username="jia", display_name="甲公司 王经理")
    user_b = applicant_user(username="yi", display_name="乙公司 李经理")
    org_a = OrganisationFactory(name=ORG_A, users=[user_a])
    org_b = OrganisationFactory(name=ORG_B, users=[user_b])
    for organisation in (org_a, org_b):
        results_for(organisation, today)  # the office's figures of A10(3)
    _agency, coordinator, experts = procured_agency(cycle, experts=3)
    User.objects.filter(pk=coordinator.pk).update(display_name="评审机构 赵协调员")
    for expert, name in zip(experts, ["陈专家", "周专家", "吴专家"], strict=True):
        Expert.objects.filter(pk=expert.pk).update(name=name)
        User.objects.filter(pk=expert.user_id).update(display_name=f"评审专家 {name}")
    members = [
        UserFactory(username=f"wg{n}", display_name=name, roles=[Role.WORKING_GROUP])
        for n, name in enumerate(["专项工作组 李委员", "专项工作组 张委员", "专项工作组 赵委员"])
    ]
    office = sessions.of("office")
    cycle_url = f"{base}{reverse('decisions:cycle', args=[cycle.pk])}"

    # 1. The office drafts the call from the rule set and publishes it.
    call = publish_call(office, base, cycle)
    shots(office, "call")
    call.refresh_from_db()
    assert call.published_on == today

    # 2. Two organisations apply; the first attaches its quality manual as a trade secret.
    page_a = sessions.of("jia")
    application_a = apply(page_a, base, call, percent=80, evidence=True)
    shots(page_a, "application-a")
    page_b = sessions.of("yi")
    application_b = apply(page_b, base, call, percent=70, evidence=False)
    shots(page_b, "application-b")

    # 3. Qualification review: a supplement for the first, the second passes.
    office.goto(f"{base}{reverse('applications:review_list')}")
    expect(office.locator("main")).to_contain_text(application_a.receipt_number)
    expect(office.locator("main")).to_contain_text(application_b.receipt_number)
    office.goto(f"{base}{reverse('applications:application', args=[application_a.pk])}")
    office.fill("#id_due_on", calendar.action_deadline(today, 5).isoformat())
    office.fill("#id_note_self_evaluation", "请补充4.1.2条目的具体做法和成效")
    submit(office, "#review-supplement")
    expect_message(office, zh("The supplement is requested; the review clock is paused."))
    expect(office.locator("#application-state")).to_have_text(
        zh(ApplicationState.SUPPLEMENT_REQUESTED.label)
    )
    shots(office, "review-supplement-requested")
    office.goto(f"{base}{reverse('applications:application', args=[application_b.pk])}")
    submit(office, "#review-pass")
    expect_message(office, zh("The application passed the qualification review."))

    page_a.goto(f"{base}{reverse('applications:application', args=[application_a.pk])}")
    expect(page_a.locator("main")).to_contain_text("请补充4.1.2条目")
    page_a.locator("main textarea[name$='-text']").first.fill(
        "设立质量委员会，总经理任主任，每季度评审质量目标完成情况。"
    )
    page_a.locator("main textarea[name$='-text']").first.blur()
    page_a.locator("#status-self_evaluation .text-success").wait_for(timeout=15_000)
    submit(page_a, "#submit-supplement")
    expect_message(
        page_a,
        zh(
            "The supplement is submitted. Receipt number: %(receipt)s.",
            receipt=f"{application_a.receipt_number}-S1",
        ),
    )
    shots(page_a, "supplement")

    office.goto(f"{base}{reverse('applications:application', args=[application_a.pk])}")
    submit(office, "#review-pass")
    expect_message(office, zh("The application passed the qualification review."))
    expect(office.locator("#application-state")).to_have_text(zh(ApplicationState.QUALIFIED.label))
    shots(office, "qualified")

    # The office records the end of the call and of the qualification review.
    call_end = call.deadline
    review_end = calendar.action_deadline(call_end, 2)
    evaluation_end = calendar.action_deadline(review_end, 5)
    office.goto(f"{base}{reverse('cycles:detail', args=[cycle.pk])}")
    for code, on in [
        ("call", call_end),
        ("qualification_review", call_end),
        ("qualification_review", review_end),
        ("evaluation", review_end),
    ]:
        office.fill(f"#on-{code}", on.isoformat())
        submit(office, office.locator(f"form:has(#on-{code}) button"))
        expect_message(office, zh("The date is recorded."))

    # 4. The agency forms the panels.
    agency = sessions.of(coordinator.username)
    agency.goto(f"{base}{reverse('evaluation:cycle_panels', args=[cycle.pk])}")
    form(agency, reverse("evaluation:panels_assign", args=[cycle.pk])).locator("button").click()
    expect(agency.locator("#assign-document_review .alert-success")).to_contain_text(
        zh("%(n)d panels formed.", n=2)
    )
    agency.reload()
    shots(agency, "assignment")
    panels = {p.application_id: p for p in Panel.objects.filter(cycle=cycle)}
    assert {m.expert_id for m in panels[application_a.pk].members.all()} == {e.pk for e in experts}

    # 5. Each expert scores both applications; one sees the first item of A far lower.
    items = 23
    plans = {
        experts[0]: {ORG_A: [80] * items, ORG_B: [60] * items},
        experts[1]: {ORG_A: [80] * items, ORG_B: [65] * items},
        experts[2]: {ORG_A: [40] + [80] * (items - 1), ORG_B: [55] * items},
    }
    for expert, plan in plans.items():
        page = sessions.of(expert.user.username)
        for name, percents in plan.items():
            page.goto(f"{base}{reverse('evaluation:my_assignments')}")
            submit(page, page.get_by_role("link", name=name))
            score(page, percents)
    shots(page, "scoring")
    assert not PanelMember.objects.filter(panel__cycle=cycle, submitted_at=None).exists()

    # The lead records the consensus: the flagged item with its reason, the rest agreed.
    lead = sessions.of(panels[application_a.pk].lead.user.username)
    lead.goto(f"{base}{reverse('evaluation:consensus', args=[panels[application_a.pk].pk])}")
    flagged = lead.locator("main tr.table-warning")
    expect(flagged).to_have_count(1)
    flagged.locator("select").select_option("70")
    flagged.locator("textarea").fill("专家组讨论：方针已建立，但展开不够充分，合议取70%。")
    submit(lead, "main form button[name=complete]")
    result_a = Panel.objects.get(pk=panels[application_a.pk].pk).result
    expect(lead.locator("main .alert[role=status]")).to_have_text(
        zh(
            "The consensus is complete: %(total)s points of %(points)s.",
            total=result_a.total,
            points=1000,
        )
    )
    shots(lead, "consensus")
    lead.goto(f"{base}{reverse('evaluation:consensus', args=[panels[application_b.pk].pk])}")
    expect(lead.locator("main tr.table-warning")).to_have_count(0)
    submit(lead, "main form button[name=complete]")
    result_b = Panel.objects.get(pk=panels[application_b.pk].pk).result
    expect(lead.locator("main .alert[role=status]")).to_have_text(
        zh(
            "The consensus is complete: %(total)s points of %(points)s.",
            total=result_b.total,
            points=1000,
        )
    )
    assert result_a.total > result_b.total

    # 6. The office ends the evaluation and publishes the results for comment.
    office.goto(f"{base}{reverse('cycles:detail', args=[cycle.pk])}")
    office.fill("#on-evaluation", evaluation_end.isoformat())
    submit(office, office.locator("form:has(#on-evaluation) button"))
    expect_message(office, zh("The date is recorded."))
    office.goto(cycle_url)
    publish = form(office, reverse("decisions:results_publish", args=[cycle.pk]))
    publish.locator("input[name=on]").fill(evaluation_end.isoformat())
    submit(office, publish.locator("button"))
    expect_message(office, zh("The results are published for public comment."))
    publication = ResultPublication.objects.get(cycle=cycle)
    expect(office.locator("main")).to_contain_text(
        zh(
            "Published for comment from %(first)s to %(last)s.",
            first=publication.first_day.isoformat(),
            last=publication.last_day.isoformat(),
        )
    )
    shots(office, "publication")

    # 7. A member of the public comments on the second organisation.
    set_today(publication.first_day)
    public = sessions.public()
    public.goto(f"{base}/")
    submit(
        public, public.locator(f'a[href="{reverse("decisions:public_results", args=[cycle.pk])}"]')
    )
    expect(public.locator("main")).to_contain_text(ORG_A)
    submit(public, public.get_by_role("link", name=zh("Write a comment")))
    public.select_option("#id_application", str(application_b.pk))
    public.fill("#id_name", "张先生")
    public.fill("#id_contact", "13800000000")
    public.fill("#id_text", "该公司去年曾因货物延误被客户投诉，请评审时核实。")
    submit(public, public.locator("form:has(#id_text) button[type=submit]"))
    expect_message(
        public, zh("Thank you. Your comment was received; the office will look into it.")
    )
    shots(public, "comment")

    # The office accepts the comment, records how it was handled and closes the period.
    office.goto(cycle_url)
    moderate = reverse("decisions:comment_moderate", args=[publication.comments.get().pk])
    accept = form(office, moderate).filter(has=office.locator("select[name=status]"))
    accept.locator("select").select_option("accepted")
    submit(office, accept.locator("button"))
    expect_message(office, zh("The comment is moderated."))
    handle = form(office, moderate).filter(has=office.locator("select[name=outcome]"))
    handle.locator("select").select_option("not_verified")
    handle.locator("textarea").fill("经向客户核实，延误系口岸临时管控所致，非企业原因。")
    submit(office, handle.locator("button"))
    expect_message(office, zh("The outcome is recorded."))
    closed_on = calendar.action_deadline(publication.last_day, 1)
    set_today(closed_on)
    close = form(office, reverse("decisions:results_close", args=[cycle.pk]))
    close.locator("input[name=on]").fill(closed_on.isoformat())
    submit(office, close.locator("button"))
    expect_message(office, zh("The comment period is closed."))
    shots(office, "comments-handled")

    # 8. Ranking: A first, B second; the office proposes A to the working group.
    row_a = office.locator(f"tr:has(input[name=application][value='{application_a.pk}'])")
    row_b = office.locator(f"tr:has(input[name=application][value='{application_b.pk}'])")
    expect(row_a.locator("td").nth(1)).to_have_text("1")
    expect(row_b.locator("td").nth(1)).to_have_text("2")
    expect(row_b).to_contain_text(zh("Concern not verified"))
    row_a.locator("input[name=application]").check()
    propose = form(office, reverse("decisions:propose", args=[cycle.pk]))
    propose.locator("input[name=on]").fill(closed_on.isoformat())
    propose.locator("input[name=note]").fill("按得分排序推荐第一名")
    submit(office, propose.locator("button"))
    expect_message(office, zh("The candidate list is proposed to the working group."))
    candidate_list = CandidateList.objects.get(cycle=cycle)
    schedule = form(office, reverse("decisions:meeting_schedule", args=[candidate_list.pk]))
    schedule.locator("input[name=held_on]").fill(closed_on.isoformat())
    schedule.locator("input[name=location]").fill("市政府第三会议室")
    schedule.locator("textarea[name=agenda]").fill("审议第三届市长质量奖候选名单")
    submit(office, schedule.locator("button"))
    expect_message(office, zh("The meeting is scheduled."))
    shots(office, "ranking")

    # 9. The working group meets: attendance, each member's vote, minutes, decision.
    meeting = Meeting.objects.get(cycle=cycle)
    meeting_url = f"{base}{reverse('decisions:meeting', args=[meeting.pk])}"
    office.goto(meeting_url)
    for box in office.locator("input[name=present]").all():
        box.check()
    submit(
        office,
        form(office, reverse("decisions:meeting_attendance", args=[meeting.pk])).locator("button"),
    )
    expect_message(office, zh("Attendance is recorded."))
    vote_url = reverse("decisions:meeting_vote", args=[meeting.pk])
    for member, choice in zip(members, ["for", "for", "abstain"], strict=True):
        page = sessions.of(member.username)
        page.goto(meeting_url)
        vote = form(page, vote_url).filter(
            has=page.locator(f"input[name=application][value='{application_a.pk}']")
        )
        vote.locator("select[name=choice]").select_option(choice)
        submit(page, vote.locator("button"))
        expect_message(page, zh("The vote is recorded."))
    tally = page.locator("main table").filter(has_text=zh("Present / quorum"))
    cells = tally.locator("tbody tr td")
    expect(cells.nth(0)).to_have_text(ORG_A)
    expect(cells.nth(1)).to_have_text("2")  # for
    expect(cells.nth(3)).to_have_text("1")  # abstain
    expect(cells.nth(6)).to_have_text("✓")  # approved
    shots(page, "votes")
    office.goto(meeting_url)
    minutes = form(office, reverse("decisions:meeting_minutes", args=[meeting.pk]))
    minutes.locator("textarea[name=minutes]").fill(
        "应到3人，实到3人。甲公司2票赞成、1票弃权，通过。"
    )
    submit(office, minutes.locator("button"))
    expect_message(office, zh("The minutes are saved."))
    decide = form(office, reverse("decisions:meeting_decide", args=[meeting.pk]))
    decide.locator("input[name=on]").fill(closed_on.isoformat())
    submit(office, decide.locator("button"))
    expect_message(office, zh("The decision is recorded."))
    shots(office, "decision")
    winner = Winner.objects.get(cycle=cycle)
    assert winner.application_id == application_a.pk

    # 10. Publicity of the proposed winner; the public objects.
    publicity_on = calendar.action_deadline(closed_on, 1)
    set_today(publicity_on)
    office.goto(cycle_url)
    publish = form(office, reverse("decisions:publicity_publish", args=[cycle.pk]))
    publish.locator("input[name=on]").fill(publicity_on.isoformat())
    submit(office, publish.locator("button"))
    expect_message(office, zh("The proposed winners are published."))
    publicity = Publicity.objects.get(cycle=cycle)
    expect(office.locator("main")).to_contain_text(
        f"{publicity.first_day:%Y-%m-%d} – {publicity.last_day:%Y-%m-%d}"
    )
    public.goto(f"{base}/")
    submit(
        public,
        public.locator(f'a[href="{reverse("decisions:public_publicity", args=[publicity.pk])}"]'),
    )
    expect(public.locator("main")).to_contain_text(ORG_A)
    submit(public, public.get_by_role("link", name=zh("Write an objection")))
    public.select_option("#id_winner", str(winner.pk))
    public.fill("#id_name", "刘女士")
    public.fill("#id_contact", "liu@example.cn")
    public.fill("#id_text", "该公司的质量手册系照搬同行企业，请核查。")
    submit(public, public.locator("form:has(#id_text) button[type=submit]"))
    expect_message(
        public, zh("Your objection was received. The office investigates every objection.")
    )
    shots(public, "objection")

    # 11. The office dismisses the objection and records the government's approval.
    office.goto(cycle_url)
    objection = publicity.objections.get()
    decide = form(office, reverse("decisions:objection_decide", args=[objection.pk]))
    decide.locator("select[name=decision]").select_option("dismissed")
    decide.locator("textarea[name=findings]").fill(
        "经调阅原件并现场核查，质量手册系企业自行编制，异议不成立。"
    )
    submit(office, decide.locator("button"))
    expect_message(office, zh("The outcome of the investigation is recorded."))
    objection_row = office.locator("main tr").filter(has_text="刘女士")
    expect(objection_row).to_contain_text(zh(ObjectionStatus.DISMISSED.label))
    approved_on = calendar.action_deadline(publicity.last_day, 1)
    set_today(approved_on)
    office.goto(cycle_url)
    approval = form(office, reverse("decisions:approval", args=[cycle.pk]))
    approval.locator("input[name=document_number]").fill(f"二政字〔{approved_on.year}〕8号")
    approval.locator("input[name=approved_on]").fill(approved_on.isoformat())
    submit(office, approval.locator("button"))
    expect_message(office, zh("The government's approval is recorded."))
    expect(office.locator("main")).to_contain_text(
        zh(
            "Approved by %(number)s on %(date)s.",
            number=f"二政字〔{approved_on.year}〕8号",
            date=approved_on.isoformat(),
        )
    )
    shots(office, "approval")

    # 12. The certificate.
    issue = form(office, reverse("decisions:awards_issue", args=[cycle.pk]))
    issue.locator("input[name=on]").fill(approved_on.isoformat())
    submit(office, issue.locator("button"))
    expect_message(office, zh("The awards are issued."))
    award = Award.objects.get(cycle=cycle)
    link = office.get_by_role("link", name=award.serial)
    expect(link).to_be_visible()
    certificate = office.request.get(f"{base}{link.get_attribute('href')}")
    assert certificate.ok
    assert certificate.headers["content-type"] == "application/pdf"
    assert certificate.body().startswith(b"%PDF")
    shots(office, "certificate")

    # 13. Anyone verifies the certificate from the portal.
    public.goto(f"{base}/")
    public.fill("#qa-verify-serial", award.serial)
    submit(public, form(public, reverse("decisions:verify_lookup")).locator("button"))
    main = public.locator("main")
    expect(main.locator(".badge")).to_have_text(zh("Valid"))
    expect(main).to_contain_text(award.serial)
    expect(main).to_contain_text(ORG_A)
    shots(public, "verification")
