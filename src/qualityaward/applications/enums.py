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
