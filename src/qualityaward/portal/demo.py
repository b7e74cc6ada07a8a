# ruff: noqa: RUF001 (Chinese document numbers)
"""The demo that `make run` loads: four cycles dated from the day it runs, built through
the same services the screens call, so that the data and the audit trail are what real
use would have left.

1. open for applications: the call is published today;
2. in expert evaluation: panels formed, the demo expert scored one application, has
   another to score and declared a conflict with a third;
3. in publicity: the proposed winners are published, a member of the public objected;
4. finished: winners approved, certificates issued, a fund-use report and a follow-up
   visit recorded.

Each cycle is a timeline (a generator) that yields the day of its next step; the steps
of all timelines run in date order with the clock moved to their day (time-machine),
so every "today" a service checks, every timestamp and the audit trail's order are
those of an office that did the work on those days."""

from __future__ import annotations

import datetime
import heapq
import io
import secrets
import string
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter
from stdnum.cn import ric, uscc

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import User
from qualityaward.accounts.services import (
    password_issue,
    privacy_accept,
    role_grant,
    user_create,
)
from qualityaward.applications.enums import Area, OwnershipType, Sector
from qualityaward.applications.models import (
    AnnualResult,
    Applicant,
    Application,
    Call,
    Individual,
    Organisation,
)
from qualityaward.applications.services import applicants as applicant_services
from qualityaward.applications.services import applications as application_services
from qualityaward.applications.services import calls as call_services
from qualityaward.applications.services import records as record_services
from qualityaward.applications.services import reviews as review_services
from qualityaward.core.audit import audit_append
from qualityaward.core.models import AuditRecord
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.models import Cycle
from qualityaward.cycles.services import cycle_open, stage_end, stage_start
from qualityaward.decisions.models import Publicity, Winner
from qualityaward.decisions.selectors.ranking import cycle_ranking
from qualityaward.decisions.services import awards as award_services
from qualityaward.decisions.services import meetings as meeting_services
from qualityaward.decisions.services import publication as publication_services
from qualityaward.decisions.services import publicity as publicity_services
from qualityaward.decisions.services import ranking as ranking_services
from qualityaward.evaluation.enums import ConflictKind, ProcurementMethod, QualificationKind
from qualityaward.evaluation.models import Agency, Expert, Panel, PanelMember
from qualityaward.evaluation.services import agency as agency_services
from qualityaward.evaluation.services import conflicts as conflict_services
from qualityaward.evaluation.services import experts as expert_services
from qualityaward.evaluation.services import panels as panel_services
from qualityaward.evaluation.services import scoring
from qualityaward.rulesets.models import RuleSetVersion
from qualityaward.rulesets.selectors import version_in_effect_problem
from qualityaward.rulesets.services import demo_version_create, preset_load
from qualityaward.supervision.enums import VisitStatus
from qualityaward.supervision.services import followup, funds
from qualityaward.workdays import calendar
from qualityaward.workdays.arrangements import SpecialDayRow
from qualityaward.workdays.services import calendar_year_import

ACTOR = "demo"
BUILT_ACTION = "portal.demo_built"
# Extra people the demo needs (panel members, other applicants' contacts): no password.
EXTRA_PREFIX = "demo-"
DEMO_CALENDAR_NOTICE = "演示用安排（非正式）：仅含元旦，请在工作日历页导入国务院办公厅正式通知"

ACCOUNTS = [
    ("office", "市场监管局 王办事员", Role.OFFICE, "各届总览；第四届申报中"),
    ("workgroup", "专项工作组 李委员", Role.WORKING_GROUP, "第二届：公示中（已表决）"),
    ("agency", "评审机构 赵协调员", Role.AGENCY, "第三届：专家评审"),
    ("expert", "评审专家 陈专家", Role.EXPERT, "第三届：我的评审任务"),
    ("applicant", "二连浩特示例有限公司 王经理", Role.APPLICANT, "第四届：申报草稿；第一届：获奖"),
    ("person", "申报个人 刘质量", Role.APPLICANT, "第四届：已提交的个人申报"),
    ("department", "工业和信息化局 孙科长", Role.DEPARTMENT, "第一届：制造业获奖单位回访"),
    ("supervisor", "纪检监督 周监督员", Role.SUPERVISOR, "审计记录"),
]
DEPARTMENT_SECTOR = Sector.MANUFACTURING


def demo_password() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(14))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def is_built() -> bool:
    return AuditRecord.objects.filter(action=BUILT_ACTION).exists()


def is_empty() -> bool:
    """Nothing but what the migrations create: the demo can be built here."""
    return not User.objects.exists() and not AuditRecord.objects.exists()


def reset_blockers() -> list[str]:
    """Why the database holds more than the demo (empty when it may be wiped)."""
    demo_names = {username for username, *_ in ACCOUNTS}
    others = [
        name
        for name in User.objects.values_list("username", flat=True)
        if name not in demo_names and not name.startswith(EXTRA_PREFIX)
    ]
    problems = []
    if others:
        problems.append(f"user accounts that are not demo accounts: {', '.join(sorted(others))}")
    foreign = (
        AuditRecord.objects.filter(actor__isnull=True)
        .exclude(actor_label__in=[ACTOR, "system", "public"])
        .values_list("actor_label", flat=True)
        .distinct()
    )
    if foreign:
        problems.append(f"changes recorded by: {', '.join(sorted(foreign))}")
    return problems


# --- dates -------------------------------------------------------------------------------


def after(day: datetime.date, n: int) -> datetime.date:
    """The nth working day after `day`."""
    return calendar.action_deadline(day, n)


def before(day: datetime.date, n: int) -> datetime.date:
    """The nth working day before `day`."""
    while n:
        day -= datetime.timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


def on_or_after(day: datetime.date) -> datetime.date:
    return day if calendar.is_working_day(day) else after(day, 1)


@dataclass(frozen=True)
class Milestones:
    """The days of one cycle's steps when its call is published on `start`."""

    start: datetime.date
    call_days: int = 10
    comment_days: int = 30

    @property
    def deadline(self) -> datetime.date:
        return calendar.publication_period(self.start, self.call_days)[1]

    @property
    def reviewed(self) -> datetime.date:
        return after(self.deadline, 1)

    @property
    def evaluation(self) -> datetime.date:
        return after(self.deadline, 2)

    def evaluation_day(self, n: int) -> datetime.date:
        return after(self.evaluation, n)

    @property
    def evaluation_end(self) -> datetime.date:
        return self.evaluation_day(6)

    @property
    def comment_closed(self) -> datetime.date:
        return after(calendar.publication_period(self.evaluation_end, self.comment_days)[1], 1)

    @property
    def publicity(self) -> datetime.date:
        return after(self.comment_closed, 1)


def plan_reaching(milestone, target: datetime.date) -> Milestones:
    """The plan of the latest start whose `milestone` falls on or before `target`
    (milestones grow with the start): a bisection over the days of the year before."""
    low, high = 0, 400  # days before the target
    while high - low > 1:
        middle = (low + high) // 2
        if milestone(Milestones(on_or_after(target - datetime.timedelta(days=middle)))) <= target:
            high = middle
        else:
            low = middle
    return Milestones(on_or_after(target - datetime.timedelta(days=high)))


def ensure_calendar(first_year: int, last_year: int) -> None:
    """A year the holiday data does not carry yet gets a labelled stand-in (New Year's
    Day only), so that the demo's deadlines can be counted; the office replaces it by
    importing the State Council's notice."""
    for year in range(first_year, last_year + 1):
        if not calendar.current_calendar().covers(year):
            calendar_year_import(
                year=year,
                rows=[SpecialDayRow(datetime.date(year, 1, 1), "holiday", "元旦")],
                notice=DEMO_CALENDAR_NOTICE,
                actor=ACTOR,
            )


# --- the people ------------------------------------------------------------------------


@dataclass
class Cast:
    users: dict[str, User]
    agency: Agency
    expert: Expert
    experts: list[Expert]
    organisation: Organisation
    individual: Individual

    @property
    def office(self) -> User:
        return self.users["office"]


def blank_pdf() -> bytes:
    """A one-page PDF standing in for a scanned receipt."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def credit_code(serial: int) -> str:
    base = f"91152501MA{serial:07d}"
    return base + uscc.calc_check_digit(base)


def id_number(serial: int, birth: str) -> str:
    base = f"152501{birth}{serial:03d}"
    return base + ric.calc_check_digit(base + "0")


def extra_user(name: str, display_name: str, roles=()) -> User:
    """Someone the demo needs but nobody logs in as (no password)."""
    return user_create(
        username=f"{EXTRA_PREFIX}{name}",
        password=None,
        display_name=display_name,
        roles=roles,
        actor=ACTOR,
    )


def organisation(serial: int, user: User, name: str, sector: str) -> Organisation:
    return applicant_services.organisation_create(
        user=user,
        credit_code=credit_code(serial),
        name=name,
        registered_address=f"内蒙古自治区二连浩特市前进路{serial}号",
        in_jurisdiction=True,
        established_on=datetime.date(2012, 5, 20),
        ownership=OwnershipType.PRIVATE,
        sector=sector,
        area=Area.URBAN,
        is_for_profit=True,
        actor=ACTOR,
    )


def annual_results(applicant: Applicant, today: datetime.date) -> None:
    """The office records an organisation's last three fiscal years (A10(3))."""
    if not isinstance(applicant, Organisation):
        return
    recorded = set(
        AnnualResult.objects.filter(organisation=applicant).values_list("fiscal_year", flat=True)
    )
    for year in range(today.year - 3, today.year):
        if year not in recorded:
            record_services.annual_result_set(
                organisation=applicant,
                fiscal_year=year,
                revenue=Decimal("120000000"),
                profit=Decimal("6000000"),
                actor=ACTOR,
            )


def individual(serial: int, user: User, name: str, employer: str) -> Individual:
    return applicant_services.individual_create(
        user=user,
        id_number=id_number(serial, "19800315"),
        name=name,
        position="质量总监",
        quality_work_since=2008,
        sector=Sector.PORT_SERVICES,
        area=Area.URBAN,
        employer_name=employer,
        actor=ACTOR,
    )


def cast_create() -> Cast:
    users = {}
    for username, name, role, _where in ACCOUNTS:
        # The passwords are issued on the day the demo is built, so that none has expired.
        users[username] = user_create(
            username=username, password=None, display_name=name, actor=ACTOR
        )
        # The printed accounts open on their dashboards: their made-up people accepted
        # the notice in force (a real account accepts it at registration or first login).
        privacy_accept(user=users[username], actor=ACTOR)
        sector = DEPARTMENT_SECTOR if role == Role.DEPARTMENT else ""
        role_grant(user=users[username], role=role, actor=ACTOR, sector=sector)
    agency = agency_services.agency_create(
        actor=ACTOR,
        name="内蒙古卓越质量评审中心",
        credit_code=credit_code(900001),
        contact_person="赵协调员",
        phone="0471-6912345",
        address="呼和浩特市新城区新华大街1号",
    )
    agency_services.coordinator_add(agency=agency, user=users["agency"], actor=ACTOR)
    experts = []
    names = ["陈专家", "周专家", "吴专家", "郑专家", "孙专家", "钱专家"]
    for n, name in enumerate(names):
        user = (
            users["expert"]
            if n == 0
            else extra_user(f"expert{n}", f"评审专家 {name}", roles=[Role.EXPERT])
        )
        expert = expert_services.expert_create(
            agency=agency,
            user=user,
            name=name,
            expertise="卓越绩效评价",
            # The demo expert knows every sector of the demo's applicants, so the optimal
            # assignment seats him wherever he has no conflict.
            sectors=[Sector.MANUFACTURING, Sector.TRADE_LOGISTICS, Sector.PORT_SERVICES]
            if n == 0
            else [Sector.TRADE_LOGISTICS],
            actor=ACTOR,
        )
        kind = (
            QualificationKind.NATIONAL_EXAMINER if n == 0 else QualificationKind.PROVINCIAL_EXAMINER
        )
        expert_services.qualification_add(expert=expert, kind=kind, actor=ACTOR)
        experts.append(expert)
    own = organisation(1, users["applicant"], "二连浩特示例有限公司", Sector.MANUFACTURING)
    person = individual(1, users["person"], "刘质量", "二连浩特市口岸服务有限公司")
    return Cast(
        users=users,
        agency=agency,
        expert=experts[0],
        experts=experts,
        organisation=own,
        individual=person,
    )


# --- the steps every cycle shares ---------------------------------------------------------


def version_for(day: datetime.date) -> RuleSetVersion:
    """The Erenhot version in effect on `day`: the 2021 measures until they expired, the
    demo version after."""
    official = preset_load(name="erenhot-2021", actor=ACTOR).version
    assert official is not None
    if version_in_effect_problem(version=official, on=day) is None:
        return official
    return demo_version_create(actor=ACTOR)


def open_and_call(number: int, start: datetime.date, cast: Cast) -> tuple[Cycle, Call]:
    cycle = cycle_open(
        version=version_for(start),
        number=number,
        name=f"第{'一二三四五六'[number - 1]}届二连浩特市市长质量奖（演示）",
        start_date=start,
        actor=ACTOR,
    )
    agency_services.procurement_record(
        agency=cast.agency,
        method=ProcurementMethod.OPEN_TENDER,
        procured_on=start,
        contract_number=f"ELHT-ZLJ-{start.year}-{number:02d}",
        cycle=cycle,
        actor=cast.office,
    )
    call = call_services.call_draft(cycle=cycle, actor=cast.office)
    return cycle, call_services.call_publish(call=call, actor=cast.office)


def draft(call: Call, applicant: Applicant, user: User, *, percent: int) -> Application:
    annual_results(applicant, timezone.localdate())
    application = application_services.application_start(call=call, applicant=applicant, actor=user)
    application_services.application_form_save(
        application=application,
        version=None,
        actor=user,
        contact_person=user.display_name[-3:],
        contact_phone="0479-7512345",
        achievements="推行卓越绩效模式，建立覆盖业务全过程的质量管理体系。",
        key_figures="营业收入1.2亿元，客户满意度96%",
    )
    application_services.self_evaluation_save(
        application=application,
        version=None,
        actor=user,
        entries={
            row.item_id: (f"{row.item.code}：做法、成效与改进方向。", percent)
            for row in application.self_evaluations.select_related("item")
        },
    )
    return application


def submitted(call: Call, applicant: Applicant, user: User, *, percent: int) -> Application:
    application = draft(call, applicant, user, percent=percent)
    codes = [f.code for f in application_services.attestations_for(application)]
    application_services.declarations_save(
        application=application, version=None, actor=user, pledge=True, attested=codes
    )
    return application_services.application_submit(application=application, actor=user)


def applicants_of(number: int) -> list[tuple[Applicant, User]]:
    """The other organisations of a cycle, each with its contact (no login)."""
    names = {
        2: ["二连浩特市远通国际货运有限公司", "二连浩特市蒙源建材有限公司"],
        3: [
            "二连浩特市北疆商贸有限公司",
            "二连浩特市恒达木材加工有限公司",
            "二连浩特市宏运汽车服务有限公司",
        ],
    }[number]
    result: list[tuple[Applicant, User]] = []
    for n, name in enumerate(names):
        serial = number * 10 + n
        user = extra_user(f"contact{serial}", f"{name} 联系人")
        result.append((organisation(serial, user, name, Sector.TRADE_LOGISTICS), user))
    return result


def record_stage(cycle: Cycle, code: str, *, end: datetime.date | None = None, start=None) -> None:
    if start is not None:
        stage_start(cycle=cycle, code=code, on=start, actor=ACTOR)
    if end is not None:
        stage_end(cycle=cycle, code=code, on=end, actor=ACTOR)


def score(member: PanelMember, percent: int, *, submit: bool = True) -> None:
    user = member.expert.user
    panel_services.member_confirm_no_conflict(member=member, actor=user)
    items = scoring.framework_items(member.panel)
    entries = {
        item.pk: scoring.ScoreEntry(
            percent=percent,
            strengths="方针目标明确，过程管理规范。" if n == 0 else "",
        )
        for n, item in enumerate(items)
    }
    errors = scoring.scores_save(member=member, entries=entries, actor=user)
    assert not errors, errors
    if submit:
        scoring.scores_submit(member=member, actor=user)


def evaluate_stage(cycle: Cycle, stage: str, percents: dict[int, int], cast: Cast) -> None:
    """Panels formed by the agency, every member scores, the lead agrees the consensus."""
    panel_services.panels_assign(cycle=cycle, stage_code=stage, actor=cast.users["agency"])
    for panel in Panel.objects.filter(cycle=cycle, stage=stage).select_related("lead__user"):
        percent = percents[panel.application_id]
        for member in panel.members.select_related("expert__user", "panel"):
            score(member, percent)
        assert panel.lead is not None  # the assignment names a lead for every panel
        scoring.consensus_save(
            panel=panel,
            entries={
                row.item.pk: scoring.ConsensusEntry(percent=row.default)
                for row in scoring.consensus_rows(panel=panel)
            },
            actor=panel.lead.user,
            complete=True,
        )


# --- the four timelines ---------------------------------------------------------------------


def to_evaluation(
    cycle: Cycle, applications: list[Application], plan: Milestones, cast: Cast
) -> Iterator[datetime.date]:
    """The call ends, every application passes the qualification review, and the expert
    evaluation starts."""
    yield plan.deadline
    record_stage(cycle, StageCode.CALL, end=plan.deadline)
    record_stage(cycle, StageCode.QUALIFICATION_REVIEW, start=plan.deadline)
    yield plan.reviewed
    for application in applications:
        review_services.review_pass(application=application, actor=cast.office)
    yield plan.evaluation
    record_stage(cycle, StageCode.QUALIFICATION_REVIEW, end=plan.evaluation)
    record_stage(cycle, StageCode.EVALUATION, start=plan.evaluation)


def through_evaluation(
    cycle: Cycle, call: Call, plan: Milestones, cast: Cast, entrants
) -> Generator[datetime.date, None, list[Application]]:
    """From the applications to the end of the expert evaluation (all three stages)."""
    applications = [submitted(call, a, u, percent=p) for a, u, p in entrants]
    yield from to_evaluation(cycle, applications, plan, cast)
    percents = {a.pk: p for a, (_, _, p) in zip(applications, entrants, strict=True)}
    for n, stage in enumerate(["document_review", "site_visit", "presentation"]):
        yield plan.evaluation_day(1 + 2 * n)
        evaluate_stage(cycle, stage, percents, cast)
    yield plan.evaluation_end
    record_stage(cycle, StageCode.EVALUATION, end=plan.evaluation_end)
    return applications


def to_publicity(
    cycle: Cycle, plan: Milestones, cast: Cast, *, objection: bool
) -> Generator[datetime.date, None, Publicity]:
    """Results published for comment, the ranking, the working group's decision and the
    publicity of the proposed winners (with an objection from the public)."""
    publication = publication_services.results_publish(
        cycle=cycle, on=plan.evaluation_end, actor=cast.office
    )
    closed = plan.comment_closed
    yield closed
    publication_services.results_close(publication=publication, on=closed, actor=cast.office)
    # The first of each kind (the quotas are one organisation and one individual).
    ranked = [
        rows[0].application.pk
        for rows in cycle_ranking(cycle=cycle, with_comments=False).values()
        if rows
    ]
    candidates = ranking_services.candidate_list_propose(
        cycle=cycle, application_ids=ranked, on=closed, actor=cast.office, note="按得分排序推荐"
    )
    member = cast.users["workgroup"]
    meeting = meeting_services.meeting_schedule(
        candidate_list=candidates,
        held_on=closed,
        agenda="审议市长质量奖候选名单",
        location="市政府第三会议室",
        actor=cast.office,
    )
    meeting_services.attendance_record(meeting=meeting, present=[member], actor=cast.office)
    for candidate in candidates.candidates.select_related("application"):
        meeting_services.vote_cast(
            meeting=meeting,
            member=member,
            application=candidate.application,
            choice="for",
            actor=member,
        )
    meeting_services.minutes_record(
        meeting=meeting, minutes="应到1人，实到1人，候选名单全票通过。", actor=cast.office
    )
    meeting_services.meeting_decide(meeting=meeting, on=closed, actor=cast.office)
    published = plan.publicity
    yield published
    publicity = publicity_services.publicity_publish(cycle=cycle, on=published, actor=cast.office)
    if objection:
        yield after(published, 1)
        publicity_services.objection_submit(
            publicity=publicity,
            winner_id=Winner.objects.filter(cycle=cycle).earliest("pk").pk,
            name="刘女士",
            contact="13800000000",
            text="该公司的质量手册系照搬同行企业，请核查。",
        )
    return publicity


def finished_cycle(number: int, cast: Cast, plan: Milestones, today) -> Iterator:
    """Finished: the applicant's organisation and the person won; the winner's
    fund-use report (a draft the winner still adds expenses to) and the department's
    visit are on record."""
    yield plan.start
    cycle, call = open_and_call(number, plan.start, cast)
    yield after(plan.start, 1)
    entrants = [
        (cast.organisation, cast.users["applicant"], 85),
        (cast.individual, cast.users["person"], 80),
    ]
    yield from through_evaluation(cycle, call, plan, cast, entrants)
    publicity = yield from to_publicity(cycle, plan, cast, objection=False)
    approved = after(publicity.last_day, 1)
    yield approved
    award_services.approval_record(
        cycle=cycle,
        document_number=f"二政字〔{approved.year}〕8号",
        approved_on=approved,
        actor=cast.office,
    )
    awards = award_services.awards_issue(cycle=cycle, on=approved, actor=cast.office)
    own = next(a for a in awards if a.applicant_id == cast.organisation.pk)
    visited = on_or_after(approved + datetime.timedelta(days=90))
    yield visited
    followup.visit_record(
        award=own,
        visited_on=visited,
        findings="质量管理体系运行有效，奖金使用台账清楚。",
        status=VisitStatus.GOOD,
        actor=cast.users["department"],
    )
    if own.prize_budget_year and own.prize_budget_year <= today.year:
        yield min(on_or_after(max(datetime.date(own.prize_budget_year, 1, 1), visited)), today)
        user = cast.users["applicant"]
        report = funds.fund_report_open(award=own, budget_year=own.prize_budget_year, actor=user)
        funds.expense_add(
            report=report,
            use_code="training",
            amount=Decimal("30000"),
            spent_on=timezone.localdate(),
            description="卓越绩效自评师培训",
            upload=SimpleUploadedFile("培训费发票.pdf", blank_pdf(), "application/pdf"),
            actor=user,
        )


def publicity_cycle(number: int, cast: Cast, plan: Milestones) -> Iterator:
    """In publicity with an objection lodged."""
    yield plan.start
    cycle, call = open_and_call(number, plan.start, cast)
    yield after(plan.start, 1)
    (first, first_user), (second, second_user) = applicants_of(number)
    entrants = [(first, first_user, 80), (second, second_user, 70)]
    yield from through_evaluation(cycle, call, plan, cast, entrants)
    yield from to_publicity(cycle, plan, cast, objection=True)


def evaluation_cycle(number: int, cast: Cast, plan: Milestones) -> Iterator:
    """Panels of the document review formed; the demo expert scored one application,
    has one to score and declared a conflict with the third."""
    yield plan.start
    cycle, call = open_and_call(number, plan.start, cast)
    yield after(plan.start, 1)
    entrants = applicants_of(number)
    applications = [submitted(call, a, u, percent=70) for a, u in entrants]
    conflicted = entrants[-1][0]
    conflict_services.declaration_add(
        expert=cast.expert,
        kind=ConflictKind.CONSULTING,
        applicant=conflicted,
        description="近三年为该公司提供过质量管理咨询服务。",
        actor=cast.expert.user,
    )
    yield from to_evaluation(cycle, applications, plan, cast)
    panel_services.panels_assign(
        cycle=cycle, stage_code="document_review", actor=cast.users["agency"]
    )
    yield plan.evaluation_day(1)
    seats = PanelMember.objects.filter(panel__cycle=cycle, expert=cast.expert).order_by("pk")
    scored, *_ = seats.select_related("expert__user", "panel")
    score(scored, 80)
    others = PanelMember.objects.filter(panel=scored.panel).exclude(pk=scored.pk)
    for n, member in enumerate(others.select_related("expert__user", "panel").order_by("pk")):
        score(member, 75, submit=n % 2 == 0)


def open_cycle(number: int, cast: Cast, today: datetime.date) -> Iterator:
    """Open for applications: the call is published today; the person has submitted, the
    applicant's organisation has a draft."""
    yield today
    _, call = open_and_call(number, today, cast)
    submitted(call, cast.individual, cast.users["person"], percent=75)
    draft(call, cast.organisation, cast.users["applicant"], percent=80)


# --- running it -----------------------------------------------------------------------------


def run_in_date_order(timelines: list[Iterator[datetime.date]], today: datetime.date) -> None:
    """Run the timelines' steps in date order, each on its day (today without moving)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    queue = [(next(timeline), n, timeline) for n, timeline in enumerate(timelines)]
    heapq.heapify(queue)
    while queue:
        day, n, timeline = heapq.heappop(queue)
        assert day <= today, (n, day)
        if day < today:
            traveller = time_machine.travel(datetime.datetime.combine(day, datetime.time(10), zone))
        else:
            traveller = None
        try:
            if traveller is not None:
                traveller.start()
            following = next(timeline)
        except StopIteration:
            continue
        finally:
            if traveller is not None:
                traveller.stop()
        heapq.heappush(queue, (max(following, day), n, timeline))


@transaction.atomic
def build() -> list[tuple[str, str, str, str]]:
    """Build the demo; returns (username, password, role, where to look) per account."""
    today = timezone.localdate()
    # The office set the system up in the first days of last year.
    setup = datetime.datetime(today.year - 1, 1, 5, 9, tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(setup):
        ensure_calendar(today.year - 1, today.year + 1)
        preset_load(name="erenhot-2021", actor=ACTOR)
        cast = cast_create()
    finished = Milestones(on_or_after(datetime.date(today.year - 1, 3, 1)))
    publicity_plan = plan_reaching(lambda m: m.publicity, before(today, 2))
    evaluation_plan = plan_reaching(lambda m: m.evaluation, before(today, 3))
    run_in_date_order(
        [
            finished_cycle(1, cast, finished, today),
            publicity_cycle(2, cast, publicity_plan),
            evaluation_cycle(3, cast, evaluation_plan),
            open_cycle(4, cast, today),
        ],
        today,
    )
    passwords = []
    for username, _name, role, where in ACCOUNTS:
        password = demo_password()
        password_issue(user=cast.users[username], password=password, actor=ACTOR)
        passwords.append((username, password, str(role.label), where))
    audit_append(actor=ACTOR, action=BUILT_ACTION, changes={"today": today})
    return passwords
