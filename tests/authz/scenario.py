"""One world with an object for every URL parameter, built through the services.

Two organisations in different sectors and areas, each with a submitted application
(A's with evidence and a supplement), an agency with a coordinator and two experts, one of
them conflicted with A (declared, A25), departments of both sectors, and the office's
records (a compliance record, a group of companies, a staff interest, a procurement).

After the evaluation, A goes through the decisions (A19-A23) and the supervision
(A24-A33): results published with a public comment and its evidence, a working-group
meeting with a vote and signed minutes, publicity with an objection and its evidence, an
award with its certificate, a fund-use expense with its evidence, a department's visit
and a revocation case with evidence. Steps whose service needs the cycle's earlier stages
recorded as ended (publishing, the meeting's schedule and decision, the publicity, the
award) are written as rows; everything done on those rows goes through the services."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualityaward.accounts.enums import Role
from qualityaward.accounts.services import role_grant, user_create

from ..factories import TEST_PASSWORD

# The actors of the matrix, in its column order.
ACTORS = (
    "anonymous",
    "office",
    "working_group",
    "agency",
    "expert",
    "conflicted_expert",
    "applicant",
    "other_applicant",
    "department",
    "other_department",
    "supervisor",
    # Staff of a second award (B) on the same site: each holds the role of the actor it
    # is named after, limited to award B. The staff actors above are limited to award A.
    "office_b",
    "working_group_b",
    "agency_b",
    "department_b",
    "supervisor_b",
)
# Award B's actor -> the award-A actor with the same role.
AWARD_B_ACTORS = {name: name.removesuffix("_b") for name in ACTORS if name.endswith("_b")}

# The objects of the scenario that belong to award A (its cycle and everything under it,
# its rule set version, and applicant A, which applied to award A only). Award B's staff
# get 404 on every URL that names one of them.
AWARD_A_OBJECTS = frozenset(
    {
        "cycle",
        "version",
        "call",
        "call_template",
        "applicant_a",
        "application_a",
        "evidence",
        "supplement_number",
        "compliance_record",
        "procurement",
        "procurement_file",
        "run",
        "panel_a",
        "member_a",
        "conflicted_member_a",
        "publication",
        "comment",
        "candidate_list",
        "meeting",
        "winner",
        "publicity",
        "objection",
        "objection_file",
        "award",
        "fund_report",
        "expense_file",
        "case",
        "export",
    }
)

SECTOR_A, SECTOR_B = "trade_logistics", "manufacturing"
AREA_A, AREA_B = "urban", "border_zone"


def make_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class Scenario:
    users: dict[str, object] = field(default_factory=dict)  # actor name -> User (no anonymous)
    objects: dict[str, object] = field(default_factory=dict)  # name -> model object or value

    def value(self, ref: object) -> object:
        """A row's kwarg: the pk of a named object, or a literal (int, or "=text")."""
        if isinstance(ref, str) and ref.startswith("="):
            return ref[1:]
        if isinstance(ref, str):
            obj = self.objects[ref]
            return getattr(obj, "pk", obj)
        return ref


def _user(name: str, *roles: Role, sector: str = "", award=None) -> object:
    user = user_create(
        username=name, password=TEST_PASSWORD, display_name=name, email=f"{name}@example.cn"
    )
    for role in roles:
        role_grant(
            user=user,
            role=role,
            sector=sector if role == Role.DEPARTMENT else "",
            award=None if role == Role.EXPERT else award,
        )
    return user


def _organisation(user, *, serial: int, sector: str, area: str):
    from stdnum.cn import uscc

    from qualityaward.applications.services.applicants import organisation_create

    base = f"91152501MA{serial:07d}"
    return organisation_create(
        user=user,
        credit_code=base + uscc.calc_check_digit(base),
        name=f"二连浩特市权限测试有限公司{serial}",
        registered_address="内蒙古自治区二连浩特市前进路1号",
        in_jurisdiction=True,
        established_on=datetime.date(2015, 5, 20),
        ownership="private",
        sector=sector,
        area=area,
        is_for_profit=True,
    )


def _draft(call, organisation, user):
    """A draft that passes every check (results, form, self-evaluation, declarations)."""
    from qualityaward.applications.services import applications as services
    from qualityaward.applications.services.records import annual_result_set

    for year in range(call.published_on.year - 3, call.published_on.year):
        annual_result_set(
            organisation=organisation,
            fiscal_year=year,
            revenue=Decimal("10000000.00"),
            profit=Decimal("500000.00"),
            actor=user,
        )
    application = services.application_start(call=call, applicant=organisation, actor=user)
    services.application_form_save(
        application=application,
        version=None,
        actor=user,
        contact_person="王经理",
        contact_phone="0479-7512345",
        achievements="推行卓越绩效模式",
        key_figures="营业收入1亿元",
    )
    services.self_evaluation_save(
        application=application,
        version=None,
        actor=user,
        entries={
            row.item_id: (f"{row.item.code} 自评", 50)
            for row in application.self_evaluations.select_related("item")
        },
    )
    codes = [f.code for f in services.attestations_for(application)]
    services.declarations_save(
        application=application, version=None, actor=user, pledge=True, attested=codes
    )
    application.refresh_from_db()
    return application


def build_scenario(cycle) -> Scenario:
    from qualityaward.applications.services import applications as app_services
    from qualityaward.applications.services import calls as call_services
    from qualityaward.applications.services import reviews
    from qualityaward.applications.services.records import compliance_record_add
    from qualityaward.evaluation.services import agency as agency_services
    from qualityaward.evaluation.services import conflicts as conflict_services
    from qualityaward.evaluation.services import experts as expert_services
    from qualityaward.evaluation.services import panels as panel_services
    from qualityaward.notifications.services import notify

    s = Scenario()
    u = s.users
    award_a = cycle.rule_set_version.rule_set
    u["office"] = _user("office", Role.OFFICE, award=award_a)
    u["working_group"] = _user("working_group", Role.WORKING_GROUP, award=award_a)
    u["agency"] = _user("agency", Role.AGENCY, award=award_a)
    u["expert"] = _user("expert", Role.EXPERT)
    u["conflicted_expert"] = _user("conflicted_expert", Role.EXPERT)
    u["applicant"] = _user("applicant")  # organisation_create grants the applicant role
    u["other_applicant"] = _user("other_applicant")
    u["department"] = _user("department", Role.DEPARTMENT, sector=SECTOR_A, award=award_a)
    u["other_department"] = _user(
        "other_department", Role.DEPARTMENT, sector=SECTOR_B, award=award_a
    )
    u["supervisor"] = _user("supervisor", Role.SUPERVISOR, award=award_a)
    staff = _user("recused_staff", Role.OFFICE, award=award_a)
    office = u["office"]
    o = s.objects
    o["cycle"] = cycle
    o["version"] = cycle.rule_set_version
    o["framework"] = cycle.rule_set_version.framework
    o["framework_code"] = cycle.rule_set_version.framework.code

    # The call (A14), with a template, published today and open for 30 days.
    today = timezone.localdate()
    call = call_services.call_draft(
        cycle=cycle, actor=office, deadline=today + datetime.timedelta(days=30)
    )
    o["call_template"] = call_services.call_template_add(
        call=call,
        upload=SimpleUploadedFile("申报书模板.pdf", make_pdf()),
        title="模板",
        actor=office,
    )
    o["call"] = call_services.call_publish(call=call, actor=office, on=today)

    # Applicants in two sectors and areas, each with a submitted application (A15).
    org_a = _organisation(u["applicant"], serial=7001, sector=SECTOR_A, area=AREA_A)
    org_b = _organisation(u["other_applicant"], serial=7002, sector=SECTOR_B, area=AREA_B)
    o["applicant_a"], o["applicant_b"] = org_a, org_b
    draft_a = _draft(o["call"], org_a, u["applicant"])
    o["evidence"] = app_services.evidence_add(
        application=draft_a,
        version=None,
        actor=u["applicant"],
        upload=SimpleUploadedFile("质量手册.pdf", make_pdf()),
        title="质量手册",
        is_trade_secret=False,
    )
    o["application_a"] = app_services.application_submit(application=draft_a, actor=u["applicant"])
    draft_b = _draft(o["call"], org_b, u["other_applicant"])
    o["application_b"] = app_services.application_submit(
        application=draft_b, actor=u["other_applicant"]
    )
    # The office asks A for a supplement once (A16) and A hands it in.
    reviews.supplement_request(
        application=o["application_a"],
        actor=office,
        items=[{"section": "form", "note": "补充近三年质量损失率"}],
        due_on=today + datetime.timedelta(days=10),
        on=today,
    )
    o["supplement"] = reviews.supplement_submit(
        application=o["application_a"], actor=u["applicant"]
    )
    o["supplement_number"] = o["supplement"].number

    o["compliance_record"] = compliance_record_add(
        applicant=org_a,
        kind="violation",
        occurred_on=datetime.date(2024, 3, 1),
        description="行政处罚",
        source_document="二市监罚〔2024〕1号",  # noqa: RUF001
        actor=office,
    )

    # The agency (A17) with its coordinator, procurement and two experts.
    agency = agency_services.agency_create(
        actor=office, name="内蒙古某质量评审中心", credit_code="91150100MA0000001X"
    )
    o["agency_obj"] = agency
    o["coordinator"] = agency_services.coordinator_add(
        agency=agency, user=u["agency"], actor=office
    )
    o["procurement"] = agency_services.procurement_record(
        agency=agency,
        method="open_tender",
        procured_on=today,
        contract_number="HT-2026-001",
        cycle=cycle,
        uploads=[SimpleUploadedFile("合同.pdf", make_pdf())],
        actor=office,
    )
    o["procurement_file"] = o["procurement"].documents.get().pk
    o["expert_obj"] = expert_services.expert_create(
        agency=agency, user=u["expert"], name="专家甲", sectors=[SECTOR_A], actor=office
    )
    o["conflicted_expert_obj"] = expert_services.expert_create(
        agency=agency, user=u["conflicted_expert"], name="专家乙", sectors=[SECTOR_A], actor=office
    )
    o["qualification"] = expert_services.qualification_add(
        expert=o["expert_obj"], kind="national_examiner", actor=office
    )
    o["employment"] = expert_services.employment_add(
        expert=o["expert_obj"],
        organisation_name="某大学",
        start_date=datetime.date(2010, 1, 1),
        actor=office,
    )
    o["group"] = conflict_services.group_create(name="某集团", actor=office)
    o["group_member"] = conflict_services.group_member_add(
        group=o["group"], credit_code="91150100MA0000002Y", name="某集团子公司", actor=office
    )
    o["staff_conflict"] = conflict_services.staff_conflict_record(
        user=staff, applicant=org_b, reason="亲属任职", actor=office
    )
    # Both applications pass the qualification review (A16); the agency's coordinator forms
    # the document-review panels (A18) from the five experts of the pool.
    for extra in range(1, 4):
        pool_user = _user(f"pool_expert{extra}", Role.EXPERT)
        expert_services.expert_create(
            agency=agency, user=pool_user, name=f"专家{extra}", sectors=[SECTOR_A], actor=office
        )
    reviews.review_pass(application=o["application_a"], actor=office)
    reviews.review_pass(application=o["application_b"], actor=office)
    outcome = panel_services.panels_assign(
        cycle=cycle, stage_code="document_review", actor=u["agency"]
    )
    o["run"] = outcome.run
    o["panel_a"] = next(p for p in outcome.panels if p.application_id == o["application_a"].pk)
    o["member_a"] = o["panel_a"].members.get(expert=o["expert_obj"])
    o["conflicted_member_a"] = o["panel_a"].members.get(expert=o["conflicted_expert_obj"])
    panel_services.member_confirm_no_conflict(member=o["member_a"], actor=u["expert"])
    # After the assignment the second expert declares a consulting relation with A (A25):
    # seated on A's panel, it must now get 404 on everything of A.
    o["declaration"] = conflict_services.declaration_add(
        expert=o["conflicted_expert_obj"],
        kind="consulting",
        applicant=org_a,
        description="曾为该企业提供咨询",
        actor=u["conflicted_expert"],
    )
    o["notification"] = notify(
        recipients=[u["applicant"]], kind="test", subject="测试通知", url="/"
    )[0]
    _decisions(s, today)
    _supervision(s, today)
    _exports(s)
    _award_b(s, today)
    return s


def _award_b(s: Scenario, today: datetime.date) -> None:
    """A second award on the site with its own staff, cycle, published call and an
    application of a third organisation. Built from the Erenhot demo version under another
    rule set code (until a second preset ships)."""
    from qualityaward.applications.services import applications as app_services
    from qualityaward.applications.services import calls as call_services
    from qualityaward.cycles.services import cycle_open
    from qualityaward.evaluation.services import agency as agency_services
    from qualityaward.rulesets.models import RuleSet, RuleSetVersion

    u, o = s.users, s.objects
    award_b = RuleSet.objects.create(
        code="test-award-b",
        award_name_zh="测试乙奖",
        award_name_en="Test award B",
        issuing_authority="测试市人民政府",
        jurisdiction="测试市",
    )
    version_b = RuleSetVersion.objects.get(pk=o["version"].pk)
    version_b.pk = None
    version_b.rule_set = award_b
    version_b.version = 1
    version_b.frozen_at = None
    version_b.save(force_insert=True)
    u["office_b"] = _user("office_b", Role.OFFICE, award=award_b)
    u["working_group_b"] = _user("working_group_b", Role.WORKING_GROUP, award=award_b)
    u["agency_b"] = _user("agency_b", Role.AGENCY, award=award_b)
    # The department of sector A and the coordinator of A's agency, for award B: only the
    # award limit keeps A's objects from them.
    u["department_b"] = _user("department_b", Role.DEPARTMENT, sector=SECTOR_A, award=award_b)
    u["supervisor_b"] = _user("supervisor_b", Role.SUPERVISOR, award=award_b)
    agency_services.coordinator_add(agency=o["agency_obj"], user=u["agency_b"], actor=u["office"])
    o["award_b"] = award_b
    o["cycle_b"] = cycle_open(
        version=version_b,
        number=1,
        name="测试乙奖第一届",
        start_date=o["cycle"].start_date,
        actor=u["office_b"],
    )
    o["version_b"] = o["cycle_b"].rule_set_version
    call = call_services.call_draft(
        cycle=o["cycle_b"], actor=u["office_b"], deadline=today + datetime.timedelta(days=30)
    )
    o["call_b"] = call_services.call_publish(call=call, actor=u["office_b"], on=today)
    applicant_c = _user("applicant_c")
    o["applicant_c"] = _organisation(applicant_c, serial=7003, sector=SECTOR_A, area=AREA_A)
    draft = _draft(o["call_b"], o["applicant_c"], applicant_c)
    o["application_c"] = app_services.application_submit(application=draft, actor=applicant_c)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(), "application/pdf")


def _decisions(s: Scenario, today: datetime.date) -> None:
    from qualityaward.decisions.enums import MeetingPurpose
    from qualityaward.decisions.models import (
        CandidateList,
        ListedCandidate,
        Meeting,
        MeetingCandidate,
        Publicity,
        ResultPublication,
        Winner,
    )
    from qualityaward.decisions.services import meetings, publication, publicity

    u, o = s.users, s.objects
    cycle, office, application = o["cycle"], u["office"], o["application_a"]
    # Results open for comment today (A19); a member of the public comments on A.
    o["publication"] = ResultPublication.objects.create(
        cycle=cycle,
        published_on=today,
        first_day=today,
        last_day=today + datetime.timedelta(days=14),
        fields=["name", "sector", "total", "rank"],
        entries=[
            {
                "application_id": app.pk,
                "kind": "organisation",
                "name": app.applicant.name,
                "sector": app.applicant.sector,
                "total": total,
                "rank": rank,
            }
            for rank, (app, total) in enumerate(
                [(application, "812.40"), (o["application_b"], "790.10")], start=1
            )
        ],
        published_by=office,
    )
    o["comment"] = publication.comment_submit(
        publication=o["publication"],
        application_id=application.pk,
        name="张三",
        contact="13800000000",
        text="该企业去年发生过质量投诉。",
        evidence=_pdf("投诉记录.pdf"),
    )
    # The office proposes A (A20); the working group meets, A's vote and the signed
    # minutes are recorded (A21), and A becomes the proposed winner.
    candidates = CandidateList.objects.create(
        cycle=cycle, number=1, proposed_on=today, proposed_by=office
    )
    ListedCandidate.objects.create(
        candidate_list=candidates,
        application=application,
        kind="organisation",
        rank=1,
        weighted_total=Decimal("812.40"),
    )
    o["candidate_list"] = candidates
    meeting = Meeting.objects.create(
        cycle=cycle,
        purpose=MeetingPurpose.AWARD,
        candidate_list=candidates,
        held_on=today,
        agenda="审议候选名单",
    )
    MeetingCandidate.objects.create(
        meeting=meeting,
        application=application,
        kind="organisation",
        rank=1,
        weighted_total=Decimal("812.40"),
    )
    member = u["working_group"]
    meetings.attendance_record(meeting=meeting, present=[member], actor=office)
    meetings.vote_cast(
        meeting=meeting, member=member, application=application, choice="for", actor=member
    )
    o["meeting"] = meetings.minutes_record(
        meeting=meeting, minutes="会议纪要：表决通过。", upload=_pdf("纪要.pdf"), actor=office
    )
    winner = Winner.objects.create(
        cycle=cycle,
        application=application,
        kind="organisation",
        rank=1,
        weighted_total=Decimal("812.40"),
        decided_in=meeting,
    )
    o["winner"] = winner
    # Publicity (A22): someone objects with evidence; the office dismisses it.
    item = Publicity.objects.create(
        cycle=cycle,
        published_on=today,
        first_day=today,
        last_day=today + datetime.timedelta(days=10),
        published_by=office,
    )
    item.winners.set([winner])
    o["publicity"] = item
    objection = publicity.objection_submit(
        publicity=item,
        winner_id=winner.pk,
        name="李四",
        contact="13900000000",
        text="该企业申报材料与事实不符。",
        files=[_pdf("举报材料.pdf")],
    )
    o["objection_file"] = objection.evidence.get()
    o["objection"] = publicity.objection_decide(
        objection=objection, substantiated=False, findings="经核查，反映情况不属实。", actor=office
    )


def _supervision(s: Scenario, today: datetime.date) -> None:
    from qualityaward.decisions.enums import WinnerStatus
    from qualityaward.decisions.models import Award
    from qualityaward.decisions.services.awards import certificate_pdf, valid_until
    from qualityaward.documents.enums import PDF_ONLY
    from qualityaward.documents.services import stored_file_create
    from qualityaward.supervision.enums import RevocationKind, VisitStatus
    from qualityaward.supervision.services import followup, funds, revocation

    u, o = s.users, s.objects
    office, winner = u["office"], o["winner"]
    # The government approves A and the office issues its award today (A22, A23). The
    # prize is budgeted this year so that its first fund-use report can be filed.
    winner.status = WinnerStatus.APPROVED
    winner.save(update_fields=["status"])
    award = Award.objects.create(
        winner=winner,
        cycle=o["cycle"],
        applicant=o["applicant_a"],
        kind="organisation",
        serial=f"EHQA-{today.year}-O-01",
        awarded_on=today,
        valid_until=valid_until(today, 3),
        plaque_text=f"二连浩特市市长质量奖（{today.year}年）",
        prize_yuan=200000,
        prize_budget_year=today.year,
    )
    award.certificate = stored_file_create(
        upload=SimpleUploadedFile(f"{award.serial}.pdf", certificate_pdf(award), "application/pdf"),
        allowed=set(PDF_ONLY),
        uploaded_by=office,
        owner=award,
    )
    award.save(update_fields=["certificate"])
    o["award"] = award
    # A reports a use of the prize money (A24), its sector's department visits it (A33),
    # and the office opens a revocation case with evidence (A28).
    report = funds.fund_report_open(award=award, budget_year=today.year, actor=u["applicant"])
    o["fund_report"] = report
    o["budget_year"] = today.year
    o["expense_file"] = funds.expense_add(
        report=report,
        use_code=next(iter(funds.fund_uses(award))),
        amount="5000.00",
        spent_on=today,
        description="质量管理培训",
        upload=_pdf("发票.pdf"),
        actor=u["applicant"],
    ).evidence
    followup.visit_record(
        award=award,
        visited_on=today,
        findings="质量管理体系运行正常。",
        status=VisitStatus.GOOD,
        actor=u["department"],
    )
    o["case"] = revocation.case_open(
        award=award,
        kind=RevocationKind.FRAUD,
        event_on=today,
        summary="申报材料涉嫌弄虚作假。",
        actor=office,
    )
    revocation.case_evidence_add(
        case=o["case"], title="事故调查报告", upload=_pdf("调查报告.pdf"), actor=office
    )


def _exports(s: Scenario) -> None:
    """The office's score sheets of the cycle, prepared (as the background task does)."""
    from qualityaward.exports.services import export_request, export_run

    export = export_request(kind="score_sheets", cycle=s.objects["cycle"], actor=s.users["office"])
    s.objects["export"] = export_run(export_id=export.pk)
