# ruff: noqa: S311
"""A provincial-scale data set, generated in batches, seeded.

`generate(size=Size(...), seed=...)` fills an empty, migrated database (`scaled(n)` is
the full data set at n applications):

- the Erenhot rule set and its demo version (rulesets.services.preset_load and
  demo_version_create), one office user, one evaluation agency with `experts` experts;
  the staff have accepted the privacy notice and enrolled an authenticator;
- the current cycle (opened through cycles.services.cycle_open) with `applications`
  qualified applications, each with a complete self-evaluation (every item of the
  framework), a document-review panel of 5 experts where every member scored every
  item, the consensus and the stage result; those reaching the site-visit threshold
  also have site-visit and presentation panels with consensus and results (no
  individual item scores there), but the last `open_panels` presentation panels are
  left at the consensus; the results published for public comment with `comments`
  public comments;
- `past_cycles` closed cycles of `past_applications` applications each, evaluated the
  same way, with a working-group meeting, winners in a publicity, the approval and the
  awards.

Applicants are reused across cycles (the same organisations apply again). The big
tables are written with COPY on PostgreSQL (`insert_rows`). Used by `bench.measure`
at 200 to 20,000 applications and by tests/perf at tiny sizes (constant query
counts)."""

from __future__ import annotations

import datetime
import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import RoleGrant, User
from qualityaward.applications.enums import ApplicantKind, ApplicationState, CallStatus, Sector
from qualityaward.applications.models import (
    Applicant,
    Application,
    Call,
    Individual,
    Organisation,
    SelfEvaluation,
)
from qualityaward.applications.models.applicants import id_number_index
from qualityaward.cycles.enums import CycleStatus
from qualityaward.cycles.enums import StageCode as CycleStageCode
from qualityaward.cycles.models import Cycle, CycleStage
from qualityaward.cycles.services import cycle_open, stage_end, stage_start
from qualityaward.decisions.enums import (
    CommentOutcome,
    CommentStatus,
    MeetingStatus,
    WinnerStatus,
)
from qualityaward.decisions.models import (
    Approval,
    Award,
    Meeting,
    PublicComment,
    Publicity,
    ResultPublication,
    Winner,
)
from qualityaward.evaluation.enums import QualificationKind
from qualityaward.evaluation.models import (
    Agency,
    ConsensusScore,
    Employment,
    Expert,
    ItemScore,
    Panel,
    PanelMember,
    Qualification,
    StageResult,
)
from qualityaward.evaluation.models.panels import MemberMethod
from qualityaward.evaluation.scoring import ItemLine, category_totals, round_to_step, stage_total
from qualityaward.evaluation.services.standings import standings_rebuild
from qualityaward.rulesets.enums import StageCode
from qualityaward.rulesets.models import FrameworkItem, RuleSetVersion
from qualityaward.rulesets.services import demo_version_create, preset_load

BATCH = 5000
CONSENSUS_COLUMNS = [
    "panel_id",
    "item_id",
    "percent",
    "reason",
    "flagged",
    "recorded_by_id",
    "recorded_at",
]
PASSWORD = "bench-Password-2026"  # noqa: S105 - bench accounts in the bench database only
OFFICE_USERNAME = "bench-office"
CURRENT_START = datetime.date(2026, 9, 14)
SECTORS = [s for s in Sector.values if s != Sector.OTHER]
TEXTS = [
    "组织建立了以顾客为中心的质量管理体系，定期开展内部审核与管理评审，持续改进关键过程。",
    "领导层制定了质量方针和中长期质量目标，分解到各部门并按季度考核，结果与绩效挂钩。",
    "通过数字化平台收集顾客反馈，建立投诉快速响应机制，顾客满意度连续三年保持上升。",
    "开展全员质量培训和质量改进小组活动，近三年完成改进项目四十余项，节约成本显著。",
    "对供应商实施分级管理和现场审核，关键物料合格率稳定在百分之九十九以上。",
]
STRENGTHS = [
    "过程方法系统，数据支撑充分。",
    "领导作用突出，目标分解清晰。",
    "顾客导向明确，改进闭环。",
]
OPPORTUNITIES = ["对标分析不足。", "结果指标的趋势数据较少。", "创新成果的推广范围有限。"]


@dataclass(frozen=True)
class Size:
    applications: int = 2000
    experts: int = 300
    panel_size: int = 5
    comments: int = 300
    past_cycles: int = 10
    past_applications: int = 20
    # Presentation panels of the current cycle left without consensus and result, so a
    # bench can record one through the service (a real change) and time what follows.
    open_panels: int = 5


FULL = Size()


def scaled(applications: int) -> Size:
    """The full data set at another number of applications: experts and public comments
    in proportion (300 experts for 2,000 applications), so each expert's load and the
    share of commented applications stay as they are."""
    return Size(
        applications=applications,
        experts=max(30, applications * 3 // 20),
        comments=applications * 3 // 20,
    )


@dataclass
class Generated:
    cycle: Cycle
    office: User
    expert_users: list[User]
    applications: list[int]
    counts: dict[str, int]
    open_panels: list[Panel]
    publicity: Publicity | None
    award_serial: str


class Progress:
    """One line per step on the console, with a running count for the long ones."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.started = time.perf_counter()

    def step(self, text: str) -> None:
        if not self.quiet:
            elapsed = time.perf_counter() - self.started
            erase = "\r\033[K" if sys.stdout.isatty() else ""
            sys.stdout.write(f"{erase}  [{elapsed:6.1f}s] {text}\n")
            sys.stdout.flush()

    def count(self, text: str, done: int, total: int) -> None:
        if not self.quiet and sys.stdout.isatty():
            elapsed = time.perf_counter() - self.started
            sys.stdout.write(f"\r  [{elapsed:6.1f}s] {text}: {done:,}/{total:,}\033[K")
            sys.stdout.flush()


def batched(items: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(
    model, objects: Iterable[Any], progress: Progress | None = None, label: str = "", total: int = 0
) -> list[Any]:
    created: list[Any] = []
    for batch in batched(objects):
        created.extend(model.objects.bulk_create(batch, batch_size=BATCH))
        if progress and label:
            progress.count(label, len(created), total or len(created))
    if progress and label:
        progress.step(f"{label}: {len(created):,}")
    return created


def insert_rows(
    model,
    columns: list[str],
    rows: Iterable[tuple],
    progress: Progress,
    label: str,
    total: int,
) -> int:
    """Rows of plain values in `columns` order, inserted as fast as the database takes
    them: COPY on PostgreSQL, one prepared INSERT run over each batch on SQLite. For the
    tables of hundreds of thousands of rows whose objects nobody needs back (building
    a model instance per row and bulk_create's SQL took most of the generation time)."""
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(column) for column in columns)
    done = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    done += 1
                    if done % BATCH == 0:
                        progress.count(label, done, total)
        else:
            values = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({values})"  # noqa: S608 - our names
            for batch in batched(rows):
                cursor.executemany(sql, batch)
                done += len(batch)
                progress.count(label, done, total)
    progress.step(f"{label}: {done:,}")
    return done


def _credit_code(n: int) -> str:
    return f"9115250{n:010d}X"[:18]


def _id_number(n: int) -> str:
    return f"152501{19700101 + n % 300:08d}{n % 10000:04d}"[:18]


class Generator:
    def __init__(self, *, size: Size, seed: int, quiet: bool) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.progress = Progress(quiet)
        self.password = make_password(PASSWORD)
        self.now = timezone.now()
        # The time stamps of the rows inserted raw, as the database stores them.
        self.stamp = connection.ops.adapt_datetimefield_value(self.now)
        self.counts: dict[str, int] = {}
        self.open_panels: list[Panel] = []

    # --- the fixed part ------------------------------------------------------------------

    def rules(self) -> tuple[RuleSetVersion, RuleSetVersion]:
        preset = preset_load(name="erenhot-2021", actor="bench").version
        assert preset is not None
        demo = demo_version_create(actor="bench")
        self.items = list(
            FrameworkItem.objects.filter(category__framework=demo.framework)
            .select_related("category")
            .order_by("category__order", "order")
        )
        self.stages = {s.code: s for s in demo.rules.stages.value}
        return preset, demo

    def users(self) -> None:
        size = self.size
        # Staff as they stand after their first login: the privacy notice accepted and an
        # authenticator enrolled (the bench's sessions are verified with it).
        accepted = {
            "privacy_version": settings.QA_PRIVACY_NOTICE_VERSION,
            "privacy_accepted_at": self.now,
        }
        self.office = User.objects.create(
            username=OFFICE_USERNAME, display_name="基准 办公室", password=self.password, **accepted
        )
        users = [
            User(
                username=f"bench-expert-{n:03d}",
                display_name=f"专家{n:03d}",
                password=self.password,
                **accepted,
            )
            for n in range(1, size.experts + 1)
        ]
        self.expert_users = bulk(User, users)
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=self.office, role=Role.OFFICE)]
            + [RoleGrant(user=u, role=Role.EXPERT) for u in self.expert_users]
        )
        bulk(
            TOTPDevice,
            (
                TOTPDevice(user=user, name="bench", confirmed=True)
                for user in [self.office, *self.expert_users]
            ),
        )
        agency = Agency.objects.create(name="基准评审机构", credit_code="91152501BENCH0001A")
        experts = [
            Expert(
                user=user,
                agency=agency,
                name=user.display_name,
                expertise="质量管理",
                sectors=self.rng.sample(SECTORS, self.rng.choice([1, 2, 2, 3])),
            )
            for user in self.expert_users
        ]
        self.experts = bulk(Expert, experts)
        kinds = list(QualificationKind.values)
        bulk(
            Qualification,
            (
                Qualification(expert=e, kind=self.rng.choice(kinds), certificate_number=f"Q{e.pk}")
                for e in self.experts
            ),
        )
        bulk(
            Employment,
            (
                Employment(
                    expert=e,
                    organisation_name=f"咨询机构{e.pk % 40}",
                    start_date=datetime.date(2015, 1, 1),
                    position="质量顾问",
                )
                for e in self.experts
            ),
        )
        self.progress.step(f"users, agency and {len(self.experts)} experts")

    def applicants(self) -> None:
        total = max(self.size.applications, self.size.past_cycles * self.size.past_applications)
        rows = []
        for n in range(total):
            individual = n % 10 == 9
            rows.append(
                Applicant(
                    kind=ApplicantKind.INDIVIDUAL if individual else ApplicantKind.ORGANISATION,
                    name=(f"申报人{n:04d}" if individual else f"二连浩特市第{n:04d}号企业有限公司"),
                    sector=SECTORS[n % len(SECTORS)],
                    area="urban",
                )
            )
        self.applicant_rows = bulk(Applicant, rows)
        # Multi-table inheritance: the parent rows exist; bulk_create cannot insert the
        # child rows, so they are inserted raw in batches (their own columns only).
        children: dict[type, list[Any]] = {Individual: [], Organisation: []}
        for n, applicant in enumerate(self.applicant_rows):
            if applicant.kind == ApplicantKind.INDIVIDUAL:
                number = _id_number(n)
                children[Individual].append(
                    Individual(
                        applicant_ptr_id=applicant.pk,
                        id_number=number,
                        id_number_index=id_number_index(number),
                        employer_name="二连浩特市某公司",
                        position="质量经理",
                        quality_work_since=2010,
                    )
                )
            else:
                children[Organisation].append(
                    Organisation(
                        applicant_ptr_id=applicant.pk,
                        credit_code=_credit_code(n),
                        registered_address="二连浩特市前进路1号",
                        in_jurisdiction=True,
                        established_on=datetime.date(2005, 1, 1),
                        ownership="private",
                    )
                )
        with transaction.atomic():
            for model, objects in children.items():
                fields = model._meta.local_concrete_fields
                for batch in batched(objects, 1000):
                    model._base_manager._insert(batch, fields=fields, raw=True)
        self.progress.step(f"applicants: {len(self.applicant_rows):,}")

    # --- a cycle -------------------------------------------------------------------------

    def current_cycle(self, demo: RuleSetVersion) -> Cycle:
        number = self.size.past_cycles + 1
        cycle = cycle_open(
            version=demo,
            number=number,
            name=f"第{number}届二连浩特市市长质量奖（基准数据）",
            start_date=CURRENT_START,
            actor="bench",
        )
        d = datetime.date
        for code, start, end in [
            (CycleStageCode.CALL, d(2026, 9, 14), d(2026, 9, 30)),
            (CycleStageCode.QUALIFICATION_REVIEW, d(2026, 10, 8), d(2026, 10, 20)),
            (CycleStageCode.EVALUATION, d(2026, 10, 21), d(2026, 11, 10)),
            (CycleStageCode.PUBLIC_COMMENT, d(2026, 11, 11), None),
        ]:
            stage_start(cycle=cycle, code=code, on=start, actor="bench")
            if end is not None:
                stage_end(cycle=cycle, code=code, on=end, actor="bench")
        return cycle

    def past_cycle(self, preset: RuleSetVersion, number: int) -> Cycle:
        year = 2006 + 2 * (number - 1)
        cycle = Cycle.objects.create(
            rule_set_version=preset,
            number=number,
            name=f"第{number}届二连浩特市市长质量奖",
            start_date=datetime.date(year, 9, 1),
            status=CycleStatus.CLOSED,
        )
        CycleStage.objects.bulk_create(
            CycleStage(
                cycle=cycle,
                code=code,
                started_on=datetime.date(year, 9, 1) + datetime.timedelta(days=20 * i),
                ended_on=datetime.date(year, 9, 15) + datetime.timedelta(days=20 * i),
            )
            for i, code in enumerate(CycleStageCode.values)
        )
        return cycle

    def applications(
        self, cycle: Cycle, applicants: list[Applicant], label: str
    ) -> list[Application]:
        start = cycle.start_date
        call = Call.objects.create(
            cycle=cycle,
            title=f"关于开展{cycle.name}申报工作的通知",
            text="申报条件、程序和材料要求见附件。",
            where_to_submit="二连浩特市市场监督管理局",
            deadline=start + datetime.timedelta(days=16),
            status=CallStatus.PUBLISHED,
            published_on=start,
        )
        tz = datetime.UTC
        rows = []
        for seq, applicant in enumerate(applicants, start=1):
            submitted = datetime.datetime.combine(
                start + datetime.timedelta(days=seq % 15), datetime.time(1, seq % 60), tz
            )
            rows.append(
                Application(
                    call=call,
                    cycle=cycle,
                    applicant=applicant,
                    state=ApplicationState.QUALIFIED,
                    contact_person="张经理",
                    contact_phone="0479-7520000",
                    achievements=self.rng.choice(TEXTS) * 3,
                    key_figures="营业收入、利润、顾客满意度。",
                    pledge=True,
                    attested=[],
                    submitted_at=submitted,
                    receipt_seq=seq,
                    receipt_number=f"QA-{start.year}-{cycle.number:02d}-{seq:04d}",
                    decided_at=submitted + datetime.timedelta(days=10),
                    snapshot={"applicant": {"name": applicant.name}, "receipt_number": seq},
                )
            )
        created = bulk(Application, rows, self.progress, f"{label} applications", len(rows))
        insert_rows(
            SelfEvaluation,
            ["application_id", "item_id", "text", "percent"],
            (
                (application.pk, item.pk, self.rng.choice(TEXTS), self.rng.randrange(30, 95, 5))
                for application in created
                for item in self.items
            ),
            self.progress,
            f"{label} self-evaluations",
            len(created) * len(self.items),
        )
        return created

    def _members(self, count: int, cursor: list[int]) -> list[Expert]:
        """The next `count` experts in a shuffled round robin (balanced loads)."""
        chosen = []
        while len(chosen) < count:
            if not cursor:
                order = list(range(len(self.experts)))
                self.rng.shuffle(order)
                cursor.extend(order)
            index = cursor.pop()
            expert = self.experts[index]
            if expert not in chosen:
                chosen.append(expert)
        return chosen

    def evaluate(
        self, cycle: Cycle, applications: list[Application], label: str, open_panels: int = 0
    ) -> dict[int, Decimal]:
        """Document review for all (every member scores every item), site visit and
        presentation for those at or above the threshold; the last `open_panels`
        presentation panels are left at the consensus (`self.open_panels`). Returns
        weighted totals."""
        cursor: list[int] = []
        quality = {a.pk: self.rng.gauss(52, 10) for a in applications}
        totals: dict[int, dict[str, Decimal]] = {a.pk: {} for a in applications}
        n_items = len(self.items)
        threshold = self.stages[StageCode.SITE_VISIT].advance_threshold or 0
        plan = [(StageCode.DOCUMENT_REVIEW, applications, self.size.panel_size, True)]
        for code, apps, panel_size, with_scores in plan:
            self._stage(cycle, code, apps, panel_size, with_scores, quality, totals, cursor, label)
        passing = [a for a in applications if totals[a.pk][StageCode.DOCUMENT_REVIEW] >= threshold]
        left_open = {a.pk for a in passing[len(passing) - open_panels :]} if open_panels else set()
        for code in (StageCode.SITE_VISIT, StageCode.PRESENTATION):
            size = int(self.stages[code].panel_size)
            withheld = left_open if code == StageCode.PRESENTATION else set()
            self._stage(cycle, code, passing, size, False, quality, totals, cursor, label, withheld)
        weights = {code: Decimal(str(stage.weight)) for code, stage in self.stages.items()}
        weighted = {
            pk: sum((weights[c] * t for c, t in stage_totals.items()), Decimal(0)).quantize(
                Decimal("0.01")
            )
            for pk, stage_totals in totals.items()
        }
        self.counts[f"{label} items per application"] = n_items
        return weighted

    def _stage(
        self,
        cycle,
        code,
        applications,
        panel_size,
        with_scores,
        quality,
        totals,
        cursor,
        label,
        withheld=frozenset(),
    ):
        if not applications:
            return
        completed = self.now
        panels = bulk(
            Panel,
            (Panel(cycle=cycle, application=a, stage=code, lead=None) for a in applications),
        )
        members_of: dict[int, list[PanelMember]] = {}
        member_rows = []
        for panel in panels:
            experts = self._members(panel_size, cursor)
            panel.lead = experts[0]
            for expert in experts:
                member_rows.append(
                    PanelMember(
                        panel=panel,
                        expert=expert,
                        method=MemberMethod.OPTIMAL,
                        reasons={"sector_match": True, "qualification_level": 2, "score": 120},
                        confirmed_no_conflict_at=completed,
                        submitted_at=completed,
                    )
                )
        Panel.objects.bulk_update(panels, ["lead"], batch_size=BATCH)
        for member in bulk(PanelMember, member_rows):
            members_of.setdefault(member.panel_id, []).append(member)
        # Each member's percentages (scored: stored as item scores), then the consensus.
        percents: dict[int, list[list[int]]] = {}
        for panel in panels:
            base = quality[panel.application_id]
            percents[panel.pk] = [
                [max(0, min(100, round_to_step(base + self.rng.gauss(0, 8)))) for _ in self.items]
                for _ in members_of[panel.pk]
            ]
        if with_scores:
            total = sum(len(m) for m in members_of.values()) * len(self.items)

            def scores():
                for panel in panels:
                    for member, row in zip(members_of[panel.pk], percents[panel.pk], strict=True):
                        for item, percent in zip(self.items, row, strict=True):
                            yield (
                                member.pk,
                                item.pk,
                                percent,
                                self.rng.choice(STRENGTHS),
                                self.rng.choice(OPPORTUNITIES),
                                self.stamp,
                            )

            created = insert_rows(
                ItemScore,
                ["member_id", "item_id", "percent", "strengths", "opportunities", "updated_at"],
                scores(),
                self.progress,
                f"{label} {code} item scores",
                total,
            )
            self.counts[f"{label} item scores"] = (
                self.counts.get(f"{label} item scores", 0) + created
            )
        consensus = []
        results = []
        for panel in panels:
            if panel.application_id in withheld:
                self.open_panels.append(panel)
                continue
            lines = []
            for index, item in enumerate(self.items):
                column = sorted(row[index] for row in percents[panel.pk])
                kept = column[1:-1] if len(column) >= 3 else column
                agreed = round_to_step(sum(kept) / len(kept))
                consensus.append(
                    (
                        panel.pk,
                        item.pk,
                        agreed,
                        "合议一致。",
                        column[-1] - column[0] > 20,
                        self.office.pk,
                        self.stamp,
                    )
                )
                lines.append(ItemLine(item.category.code, item.points, agreed))
            categories = category_totals(lines)
            total_points = stage_total(categories)
            totals[panel.application_id][code] = total_points
            results.append(
                StageResult(
                    panel=panel,
                    total=total_points,
                    category_scores={k: str(v) for k, v in categories.items()},
                    completed_at=completed,
                )
            )
        insert_rows(
            ConsensusScore,
            CONSENSUS_COLUMNS,
            consensus,
            self.progress,
            f"{label} {code} consensus",
            len(consensus),
        )
        bulk(StageResult, results)
        self.counts[f"{label} panels"] = self.counts.get(f"{label} panels", 0) + len(panels)

    def publish(self, cycle: Cycle, applications: list[Application], comments: int) -> None:
        from qualityaward.decisions.selectors.ranking import cycle_ranking, public_entries

        fields = list(cycle.rule_set_version.rules.public_result_fields.value)
        entries = public_entries(cycle_ranking(cycle=cycle, with_comments=False), fields)
        published = cycle.start_date + datetime.timedelta(days=58)
        publication = ResultPublication.objects.create(
            cycle=cycle,
            published_on=published,
            first_day=published,
            last_day=published + datetime.timedelta(days=45),
            fields=fields,
            entries=entries,
            published_by=self.office,
            closed_on=None
            if cycle.status == CycleStatus.OPEN
            else published + datetime.timedelta(days=46),
        )
        statuses = [CommentStatus.PENDING, CommentStatus.ACCEPTED, CommentStatus.REJECTED_SPAM]
        rows = []
        for n in range(comments):
            status = statuses[n % len(statuses)]
            handled = status == CommentStatus.ACCEPTED and n % 2 == 0
            rows.append(
                PublicComment(
                    publication=publication,
                    application=self.rng.choice(applications),
                    name=f"群众{n:03d}",
                    contact=f"1390000{n:04d}",
                    text="该企业产品质量稳定，建议予以表彰。"
                    if n % 4
                    else "反映该企业曾有顾客投诉。",
                    status=status,
                    moderated_by=self.office if status != CommentStatus.PENDING else None,
                    moderated_at=self.now if status != CommentStatus.PENDING else None,
                    outcome=CommentOutcome.NO_EFFECT if handled else "",
                    outcome_text="经核实不影响评审结果。" if handled else "",
                )
            )
        bulk(PublicComment, rows)

    def awards(
        self, cycle: Cycle, applications: list[Application], weighted: dict[int, Decimal]
    ) -> tuple[Publicity, list[str]]:
        """The meeting, the winners in a publicity, the approval and the awards; returns
        the publicity and the certificate serials."""
        year = cycle.start_date.year
        held_on = datetime.date(year + 1, 3, 1)
        meeting = Meeting.objects.create(
            cycle=cycle,
            held_on=held_on,
            agenda="审议拟表彰名单",
            status=MeetingStatus.DECIDED,
            members_total=9,
            decided_at=self.now,
            decided_by=self.office,
            minutes="全体成员出席，表决通过。",
        )
        Approval.objects.create(
            cycle=cycle,
            document_number=f"二政发〔{year + 1}〕{cycle.number}号",  # noqa: RUF001
            approved_on=held_on,
        )
        publicity = Publicity.objects.create(
            cycle=cycle,
            published_on=datetime.date(year + 1, 3, 2),
            first_day=datetime.date(year + 1, 3, 2),
            last_day=datetime.date(year + 1, 3, 8),
            published_by=self.office,
        )
        serials = []
        for kind in (ApplicantKind.ORGANISATION, ApplicantKind.INDIVIDUAL):
            candidates = [a for a in applications if a.applicant.kind == kind]
            if not candidates:
                continue
            best = max(candidates, key=lambda a: (weighted[a.pk], -a.pk))
            winner = Winner.objects.create(
                cycle=cycle,
                application=best,
                kind=kind,
                rank=1,
                weighted_total=weighted[best.pk],
                status=WinnerStatus.APPROVED,
                decided_in=meeting,
            )
            publicity.winners.add(winner)
            awarded = datetime.date(year + 1, 4, 1)
            award = Award.objects.create(
                winner=winner,
                cycle=cycle,
                applicant=best.applicant,
                kind=kind,
                serial=f"EH{year + 1}-{cycle.number:02d}-{kind[0].upper()}01",
                awarded_on=awarded,
                valid_until=awarded.replace(year=awarded.year + 3),
                plaque_text=f"{cycle.name} 获奖{'组织' if kind == 'organisation' else '个人'}",
                prize_yuan=200000 if kind == ApplicantKind.ORGANISATION else 0,
                prize_budget_year=year + 2,
            )
            serials.append(award.serial)
        return publicity, serials


def generate(*, size: Size = FULL, seed: int = 20261125, quiet: bool = False) -> Generated:
    """Fill an empty, migrated database (see the module docstring)."""
    gen = Generator(size=size, seed=seed, quiet=quiet)
    preset, demo = gen.rules()
    gen.progress.step(f"rule set loaded: {len(gen.items)} items per self-evaluation")
    gen.users()
    gen.applicants()
    past = size.past_applications
    publicity, serials = None, [""]
    for number in range(1, size.past_cycles + 1):
        with transaction.atomic():
            cycle = gen.past_cycle(preset, number)
            applicants = gen.applicant_rows[(number - 1) * past : number * past]
            apps = gen.applications(cycle, applicants, f"cycle {number}")
            for app, applicant in zip(apps, applicants, strict=True):
                app.applicant = applicant
            weighted = gen.evaluate(cycle, apps, f"cycle {number}")
            standings_rebuild(cycle=cycle)  # the results were bulk-created, not scored
            gen.publish(cycle, apps, comments=5)
            publicity, serials = gen.awards(cycle, apps, weighted)
        gen.progress.step(f"past cycle {number}: {len(apps)} applications, 2 awards")
    with transaction.atomic():
        current = gen.current_cycle(demo)
        applicants = gen.applicant_rows[: size.applications]
        apps = gen.applications(current, applicants, "current")
        gen.evaluate(current, apps, "current", open_panels=size.open_panels)
        standings_rebuild(cycle=current)
        gen.publish(current, apps, comments=size.comments)
    gen.progress.step(f"current cycle: {len(apps):,} applications evaluated and published")
    counts = {
        "applications": Application.objects.count(),
        "current_applications": len(apps),
        "self_evaluations": SelfEvaluation.objects.count(),
        "experts": Expert.objects.count(),
        "panels": Panel.objects.count(),
        "panel_members": PanelMember.objects.count(),
        "item_scores": ItemScore.objects.count(),
        "consensus_scores": ConsensusScore.objects.count(),
        "stage_results": StageResult.objects.count(),
        "public_comments": PublicComment.objects.count(),
        "cycles": Cycle.objects.count(),
        "awards": Award.objects.count(),
    }
    # The rows were written without audit records, whose sequence number versions the
    # cached pages (a database made again starts the sequence again): drop what is cached.
    cache.clear()
    if connection.vendor == "postgresql":
        # What autovacuum does to a live database after a load: planner statistics, and
        # the visibility map and hint bits. Left to autovacuum, it ran during the timings
        # (p95 twice the p50 at 200 applications; the in-process ranking 1.0 s against
        # 0.66 s on the same rows vacuumed).
        # VACUUM cannot run inside a transaction (a test's): there, the statistics only.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return Generated(
        cycle=current,
        office=gen.office,
        expert_users=gen.expert_users,
        applications=[a.pk for a in apps],
        counts=counts,
        open_panels=gen.open_panels,
        publicity=publicity,
        award_serial=serials[0],
    )
