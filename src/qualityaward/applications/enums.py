"""Choices of the applications app. Values are stored; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantKind(models.TextChoices):
    """A2: the award goes to an organisation or to an individual."""

    ORGANISATION = "organisation", _("Organisation")
    INDIVIDUAL = "individual", _("Individual")


class OwnershipType(models.TextChoices):
    """A6: recorded so the office can report participation by ownership type."""

    STATE = "state", _("State-owned")  # 国有
    COLLECTIVE = "collective", _("Collective")  # 集体
    PRIVATE = "private", _("Private")  # 民营
    FOREIGN = "foreign", _("Foreign-invested")  # 外商投资
    HK_MACAO_TAIWAN = "hk_macao_taiwan", _("Hong Kong, Macao or Taiwan-invested")  # 港澳台投资
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    """行业: the sectors of the city's departments (A9). A department's RoleGrant.sector
    holds one of these values (its Chinese label is accepted too, see `Sector.of`)."""

    MANUFACTURING = "manufacturing", _("Manufacturing")  # 制造业
    TRADE_LOGISTICS = "trade_logistics", _("Trade and logistics")  # 商贸物流
    PORT_SERVICES = "port_services", _("Port services")  # 口岸服务
    AGRICULTURE = "agriculture", _("Farming and herding")  # 农牧业
    CONSTRUCTION = "construction", _("Construction")  # 建筑业
    TOURISM_CULTURE = "tourism_culture", _("Tourism and culture")  # 旅游文化
    ENERGY = "energy", _("Energy")  # 能源
    INFORMATION_TECHNOLOGY = "information_technology", _("Information technology")  # 信息技术
    PUBLIC_SERVICES = "public_services", _("Public services")  # 公共服务
    OTHER = "other", _("Other")  # 其他

    @classmethod
    def of(cls, text: str) -> str:
        """The value for a value or a Chinese name ("制造业" → "manufacturing"); "" if none."""
        text = (text or "").strip()
        if text in cls.values:
            return text
        return SECTOR_NAMES_ZH.get(text, "")


SECTOR_NAMES_ZH = {
    "制造业": Sector.MANUFACTURING,
    "商贸物流": Sector.TRADE_LOGISTICS,
    "口岸服务": Sector.PORT_SERVICES,
    "农牧业": Sector.AGRICULTURE,
    "建筑业": Sector.CONSTRUCTION,
    "旅游文化": Sector.TOURISM_CULTURE,
    "能源": Sector.ENERGY,
    "信息技术": Sector.INFORMATION_TECHNOLOGY,
    "公共服务": Sector.PUBLIC_SERVICES,
    "其他": Sector.OTHER,
}


class Area(models.TextChoices):
    """The area whose government mobilises applicants (A9: 苏木人民政府)."""

    URBAN = "urban", _("Urban area")  # 市区
    GERILEAODU_SUMU = "gerileaodu_sumu", _("Gerileaodu Sumu")  # 格日勒敖都苏木
    BORDER_ZONE = "border_zone", _("Border economic cooperation zone")  # 边境经济合作区

    @classmethod
    def of(cls, text: str) -> str:
        text = (text or "").strip()
        if text in cls.values:
            return text
        return AREA_NAMES_ZH.get(text, "")


AREA_NAMES_ZH = {
    "市区": Area.URBAN,
    "格日勒敖都苏木": Area.GERILEAODU_SUMU,
    "边境经济合作区": Area.BORDER_ZONE,
}


class ListKind(models.TextChoices):
    """A12(6): the two public lists an applicant must not be on."""

    ABNORMAL_OPERATIONS = "abnormal_operations", _("Abnormal-operations list")  # 经营异常名录
    SERIOUS_DISHONESTY = "serious_dishonesty", _("Serious-dishonesty list")  # 严重违法失信名单


class ComplianceKind(models.TextChoices):
    """What the office records against an applicant, by the clause it bears on."""

    POLICY = "policy", _("Non-compliance with national policy (A12.1)")
    LICENCE = "licence", _("Missing required licence (A12.2)")
    ACCIDENT = "accident", _("Larger-or-worse accident (A12.3)")  # 较大以上事故
    QUALITY_PROBLEM = "quality_problem", _("Major quality, service or labour problem (A12.3)")
    VIOLATION = "violation", _("Violation of law (A12.3)")
    AWARD_FRAUD = "award_fraud", _("Fraud in a government award (A12.4)")
    TAX_SOCIAL_INSURANCE = (
        "tax_social_insurance",
        _("Serious tax or social-insurance violation (A12.5)"),
    )
    ORGANISATION_INCIDENT = (
        "organisation_incident",
        _("Major accident or complaint of the organisation (A11.4)"),
    )


# --- calls, applications and the qualification review (A14–A16) -------------------------


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ApplicationState(models.TextChoices):
    """Where an application stands. Change it only through
    `services.applications.application_transition`, which reads `TRANSITIONS`."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    SUPPLEMENTED = "supplemented", _("Supplemented")
    QUALIFIED = "qualified", _("Qualified")
    REJECTED = "rejected", _("Not qualified")
    WITHDRAWN = "withdrawn", _("Withdrawn")


_S = ApplicationState

# The allowed moves, as data: {from: {to, ...}}. Anything not listed is refused.
# A supplement may be requested again after one was received only if the rule set allows
# more than one (`supplement_requests_max`); the review service checks that count.
TRANSITIONS: dict[str, frozenset[str]] = {
    _S.DRAFT: frozenset({_S.SUBMITTED, _S.WITHDRAWN}),
    _S.SUBMITTED: frozenset({_S.SUPPLEMENT_REQUESTED, _S.QUALIFIED, _S.REJECTED, _S.WITHDRAWN}),
    _S.SUPPLEMENT_REQUESTED: frozenset({_S.SUPPLEMENTED, _S.REJECTED, _S.WITHDRAWN}),
    _S.SUPPLEMENTED: frozenset({_S.SUPPLEMENT_REQUESTED, _S.QUALIFIED, _S.REJECTED, _S.WITHDRAWN}),
    _S.QUALIFIED: frozenset(),
    _S.REJECTED: frozenset(),
    _S.WITHDRAWN: frozenset(),
}

# Who may make a move into each state (a permission checked on the application).
TRANSITION_PERMISSIONS: dict[str, str] = {
    _S.SUBMITTED: "applications.act_for_application",
    _S.SUPPLEMENTED: "applications.act_for_application",
    _S.WITHDRAWN: "applications.act_for_application",
    _S.SUPPLEMENT_REQUESTED: "applications.review_application",
    _S.QUALIFIED: "applications.review_application",
    _S.REJECTED: "applications.review_application",
}

# States in which the office still has to decide (the A16 clock runs or is paused).
UNDER_REVIEW = frozenset({_S.SUBMITTED, _S.SUPPLEMENT_REQUESTED, _S.SUPPLEMENTED})


class FormSection(models.TextChoices):
    """The parts of the application form: saved one by one, and what a supplement
    request may list."""

    FORM = "form", _("Application form")
    SELF_EVALUATION = "self_evaluation", _("Self-evaluation")
    EVIDENCE = "evidence", _("Evidence")
    DECLARATIONS = "declarations", _("Declarations")
    INTERESTS = "interests", _("Declared interests")


class ReviewOutcome(models.TextChoices):
    PASS = "pass", _("Qualified")
    FAIL = "fail", _("Not qualified")
    SUPPLEMENT = "supplement", _("Supplement requested")


# Clauses an office may cite when an application fails the qualification review.
REJECTION_CLAUSES: list[tuple[str, str]] = [
    ("10.1", "第十条第（一）项"),
    ("10.2", "第十条第（二）项"),
    ("10.3", "第十条第（三）项"),
    ("11.1", "第十一条第（一）项"),
    ("11.2", "第十一条第（二）项"),
    ("11.3", "第十一条第（三）项"),
    ("11.4", "第十一条第（四）项"),
    ("12.1", "第十二条第（一）项"),
    ("12.2", "第十二条第（二）项"),
    ("12.3", "第十二条第（三）项"),
    ("12.4", "第十二条第（四）项"),
    ("12.5", "第十二条第（五）项"),
    ("12.6", "第十二条第（六）项"),
    ("16", "第十六条"),
    ("28", "第二十八条"),
]

# Bootstrap badge class of each state (pages show the state as a coloured badge).
STATE_BADGES: dict[str, str] = {
    _S.DRAFT: "text-bg-secondary",
    _S.SUBMITTED: "text-bg-primary",
    _S.SUPPLEMENT_REQUESTED: "text-bg-warning",
    _S.SUPPLEMENTED: "text-bg-info",
    _S.QUALIFIED: "text-bg-success",
    _S.REJECTED: "text-bg-danger",
    _S.WITHDRAWN: "text-bg-dark",
}


class HistoryKind(models.TextChoices):
    """What an office's history file holds (imported with `applications.history`)."""

    WINNERS = "winners", _("Past winners")
    REVOCATIONS = "revocations", _("Revocations")
    BANS = "bans", _("Fraud bans")
    DISHONESTY = "dishonesty", _("Serious-dishonesty list")
