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
