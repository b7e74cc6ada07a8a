"""Factories for agencies, experts and their histories."""

from __future__ import annotations

import datetime

import factory

from qualityaward.accounts.enums import Role
from qualityaward.evaluation.models import Agency, Employment, Expert, Qualification

from ..applications.factories import credit_code
from ..factories import UserFactory


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"内蒙古某质量评审中心{n}")
    credit_code = factory.Sequence(lambda n: credit_code(500000 + n))


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.LazyFunction(lambda: UserFactory(roles=[Role.EXPERT]))
    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"专家{n}")
    sectors = factory.LazyFunction(lambda: ["trade_logistics"])


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    expert = factory.SubFactory(ExpertFactory)
    organisation_name = factory.Sequence(lambda n: f"某单位{n}")
    start_date = datetime.date(2010, 1, 1)
    end_date = None


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    expert = factory.SubFactory(ExpertFactory)
    kind = "national_examiner"


# --- panels and scoring ---------------------------------------------------------------


def qualified_application(cycle, *, sector: str = "trade_logistics", percent: int = 50):
    """A qualified application of the cycle, created directly (its intake is tested in
    the applications app): an organisation of `sector`, a self-evaluation of every
    item at `percent`."""
    from django.utils import timezone

    from qualityaward.applications.enums import ApplicationState
    from qualityaward.applications.models import Application, Call, SelfEvaluation
    from qualityaward.rulesets.models import FrameworkItem

    from ..applications.factories import OrganisationFactory, published_call

    call = Call.objects.filter(cycle=cycle).first() or published_call(cycle)
    organisation = OrganisationFactory(sector=sector)
    application = Application.objects.create(
        call=call,
        cycle=cycle,
        applicant=organisation,
        state=ApplicationState.QUALIFIED,
        submitted_at=timezone.now(),
    )
    items = FrameworkItem.objects.filter(category__framework=cycle.rule_set_version.framework)
    SelfEvaluation.objects.bulk_create(
        SelfEvaluation(
            application=application, item=item, text=f"{item.code} 自评", percent=percent
        )
        for item in items
    )
    return application


def procured_agency(cycle, *, experts: int = 12, sectors=("trade_logistics",)):
    """An agency procured for the cycle, its coordinator and `experts` experts (every
    third a national examiner)."""
    import datetime as dt

    from qualityaward.evaluation.models import AgencyCoordinator, Procurement

    agency = AgencyFactory()
    Procurement.objects.create(
        agency=agency,
        cycle=cycle,
        method="open_tender",
        procured_on=dt.date(2026, 9, 1),
        contract_number=f"ELHT-{agency.pk}",
    )
    coordinator = UserFactory(roles=[Role.AGENCY])
    AgencyCoordinator.objects.create(agency=agency, user=coordinator)
    pool = []
    for n in range(experts):
        expert = ExpertFactory(agency=agency, sectors=list(sectors))
        if n % 3 == 0:
            QualificationFactory(expert=expert)
        pool.append(expert)
    return agency, coordinator, pool


def conflict_by_employment(expert, application):
    """Make `expert` an employee of the applicant (a derived conflict once refreshed)."""
    return EmploymentFactory(
        expert=expert,
        organisation_name=application.applicant.name,
        credit_code=application.applicant.organisation.credit_code,
    )


def set_rule(version, name: str, value) -> None:
    """Change one value of a rule set version in place (tests only: versions are frozen)."""
    values = dict(version.values)
    values[name] = {**values[name], "value": value}
    type(version).objects.filter(pk=version.pk).update(values=values)
    version.values = values
    version.__dict__.pop("rules", None)


def make_panel(application, experts, *, stage: str = "document_review", confirmed: bool = True):
    """A panel formed by hand (rows created directly), the first expert as lead."""
    from django.utils import timezone

    from qualityaward.evaluation.models import Panel, PanelMember

    panel = Panel.objects.create(
        cycle=application.cycle, application=application, stage=stage, lead=experts[0]
    )
    for expert in experts:
        PanelMember.objects.create(
            panel=panel,
            expert=expert,
            method="manual",
            reasons={"note": "test"},
            confirmed_no_conflict_at=timezone.now() if confirmed else None,
        )
    return panel


def score_member(member, percents=None, *, default: int = 50, submit: bool = True):
    """Score every item through the services (`percents`: {item code: percent})."""
    from qualityaward.evaluation.services import scoring

    percents = percents or {}
    items = scoring.framework_items(member.panel)
    errors = scoring.scores_save(
        member=member,
        entries={
            item.pk: scoring.ScoreEntry(percent=percents.get(item.code, default)) for item in items
        },
        actor=member.expert.user,
    )
    assert errors == {}
    if submit:
        scoring.scores_submit(member=member, actor=member.expert.user)
    return member
