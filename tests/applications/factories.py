# ruff: noqa: RUF001 (Chinese document numbers)
"""Factories for applicants and the office's records. Credit codes and identity
numbers are generated valid, with the check character computed by python-stdnum."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from stdnum.cn import ric, uscc

from qualityaward.accounts.enums import Role
from qualityaward.applications.enums import (
    Area,
    ComplianceKind,
    ListKind,
    OwnershipType,
    Sector,
)
from qualityaward.applications.models import (
    AnnualResult,
    Ban,
    ComplianceRecord,
    Individual,
    ListEntry,
    ListImport,
    Organisation,
)

from ..factories import UserFactory


def credit_code(serial: int) -> str:
    """A valid unified social credit code of an Erenhot (152501) company."""
    base = f"91152501MA{serial:07d}"
    return base + uscc.calc_check_digit(base)


def id_number(serial: int, birth: str = "19850312") -> str:
    """A valid resident identity number of a person born in Erenhot (152501)."""
    base = f"152501{birth}{serial % 1000:03d}"
    return base + ric.calc_check_digit(base + "0")  # stdnum expects a placeholder digit


def applicant_user(**kwargs):
    return UserFactory(roles=[Role.APPLICANT], **kwargs)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"二连浩特市测试商贸有限公司{n}")
    credit_code = factory.Sequence(credit_code)
    registered_address = "内蒙古自治区二连浩特市前进路1号"
    in_jurisdiction = True
    established_on = datetime.date(2015, 5, 20)
    ownership = OwnershipType.PRIVATE
    sector = Sector.TRADE_LOGISTICS
    area = Area.URBAN
    is_for_profit = True

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        for user in extracted or []:
            self.users.add(user)


class IndividualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Individual
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"巴特尔{n}")
    id_number = factory.Sequence(id_number)
    employer_name = "二连浩特市某口岸服务有限公司"
    position = "质量部经理"
    is_top_manager = False
    quality_work_since = 2010
    sector = Sector.PORT_SERVICES
    area = Area.URBAN

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        for user in extracted or []:
            self.users.add(user)


class ComplianceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceRecord

    applicant = factory.SubFactory(OrganisationFactory)
    kind = ComplianceKind.VIOLATION
    occurred_on = datetime.date(2024, 3, 1)
    description = "行政处罚"
    source_document = "二市监罚〔2024〕1号"


class ListImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListImport

    kind = ListKind.ABNORMAL_OPERATIONS
    row_count = 1
    created_count = 1
    updated_count = 0


class ListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListEntry

    kind = ListKind.ABNORMAL_OPERATIONS
    credit_code = factory.Sequence(lambda n: credit_code(900000 + n))
    name = "某公司"
    listed_on = datetime.date(2024, 1, 1)
    authority = "二连浩特市市场监督管理局"
    source_import = factory.SubFactory(ListImportFactory, kind=factory.SelfAttribute("..kind"))


class BanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ban

    applicant = factory.SubFactory(OrganisationFactory)
    started_on = datetime.date(2023, 1, 1)
    years = 5
    reason = "弄虚作假"
    revocation_reference = "二政发〔2023〕1号"


class AnnualResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualResult

    organisation = factory.SubFactory(OrganisationFactory)
    fiscal_year = 2024
    revenue = Decimal("10000000.00")
    profit = Decimal("500000.00")


# --- calls and applications (A14–A16) ----------------------------------------------------


def published_call(cycle, *, deadline=None, published_on=None, **kwargs):
    """A call published on the cycle's start date, open until `deadline` (by default 30
    days from today, so the call is open whenever the tests run)."""
    from django.utils import timezone

    from qualityaward.applications.enums import CallStatus
    from qualityaward.applications.models import Call

    return Call.objects.create(
        cycle=cycle,
        title=kwargs.pop("title", "第三届市长质量奖申报通知"),
        text=kwargs.pop("text", "申报通知正文"),
        where_to_submit=kwargs.pop("where_to_submit", "本平台在线申报"),
        deadline=deadline or timezone.localdate() + datetime.timedelta(days=30),
        status=CallStatus.PUBLISHED,
        published_on=published_on or cycle.start_date,
        **kwargs,
    )


def results_for(organisation, on: datetime.date) -> None:
    """Profitable figures for the three complete fiscal years before `on` (A10.3)."""
    for year in range(on.year - 3, on.year):
        AnnualResultFactory(organisation=organisation, fiscal_year=year)


def ready_application(call, *, user=None, organisation=None, percent: int = 50):
    """A draft that passes every check: results, form, 23 scores, attestations, pledge."""
    from qualityaward.applications.services import applications as services

    user = user or applicant_user()
    organisation = organisation or OrganisationFactory(users=[user])
    results_for(organisation, call.published_on)
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
            row.item_id: (f"{row.item.code} 自评", percent)
            for row in application.self_evaluations.select_related("item")
        },
    )
    codes = [f.code for f in services.attestations_for(application)]
    services.declarations_save(
        application=application, version=None, actor=user, pledge=True, attested=codes
    )
    application.refresh_from_db()
    return application, user
