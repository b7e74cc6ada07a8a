"""Choices of the evaluation app. Values are stored; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcurementMethod(models.TextChoices):
    """A17: how the agency was procured (政府采购法 art. 26 and the framework-agreement rules)."""

    OPEN_TENDER = "open_tender", _("Open tender")  # 公开招标
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("Competitive negotiation")  # 竞争性谈判
    COMPETITIVE_CONSULTATION = (
        "competitive_consultation",
        _("Competitive consultation"),
    )  # 竞争性磋商
    REQUEST_FOR_QUOTATION = "request_for_quotation", _("Request for quotation")  # 询价
    SINGLE_SOURCE = "single_source", _("Single-source procurement")  # 单一来源
    FRAMEWORK_AGREEMENT = "framework_agreement", _("Framework agreement")  # 框架协议


class ExpertStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class QualificationKind(models.TextChoices):
    NATIONAL_EXAMINER = (
        "national_examiner",
        _("National quality award examiner"),
    )  # 全国质量奖评审员
    PROVINCIAL_EXAMINER = (
        "provincial_examiner",
        _("Provincial quality award examiner"),
    )  # 省级质量奖评审员
    MUNICIPAL_EXAMINER = (
        "municipal_examiner",
        _("Municipal quality award examiner"),
    )  # 市级质量奖评审员
    REGISTERED_AUDITOR = "registered_auditor", _("Registered auditor")  # 注册审核员
    OTHER = "other", _("Other qualification")


# Higher is better; the assignment's score adds weights.qualification_level per level.
QUALIFICATION_LEVELS: dict[str, int] = {
    QualificationKind.NATIONAL_EXAMINER: 4,
    QualificationKind.PROVINCIAL_EXAMINER: 3,
    QualificationKind.MUNICIPAL_EXAMINER: 2,
    QualificationKind.REGISTERED_AUDITOR: 1,
    QualificationKind.OTHER: 0,
}


class ConflictKind(models.TextChoices):
    """Typed conflicts, as HotCRP types them, widened to organisations (Baldrige: an
    examiner may not assess the employer, a client, a main competitor, customer or
    supplier)."""

    EMPLOYMENT = "employment", _("Employment")
    GROUP = "group", _("Same group of companies")
    CONSULTING = "consulting", _("Consulting relation")
    CONTRACT = "contract", _("Contract relation")
    FINANCIAL = "financial", _("Financial interest")
    COMPETITOR = "competitor", _("Main competitor")
    CUSTOMER = "customer", _("Customer")
    SUPPLIER = "supplier", _("Supplier")
    RELATIVE = "relative", _("Relative")
    PERSONAL = "personal", _("Personal relation")
    OTHER = "other", _("Other interest")


class ConflictSource(models.TextChoices):
    DECLARED_BY_EXPERT = "declared_by_expert", _("Declared by the expert")
    DECLARED_BY_APPLICANT = "declared_by_applicant", _("Declared by the applicant")
    DERIVED = "derived", _("Derived from the records")
