"""Choices of the supervision app (A24, A28, A29, A31–A33). Values are stored; labels are
translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# A report of the prize money's use for budget year Y is due by this day of year Y + 1.
FUND_REPORT_DUE_MONTH = 3
FUND_REPORT_DUE_DAY = 31

TEXT_MAX = 5000


class FundReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class PerformanceRating(models.TextChoices):
    """A24: the office's performance evaluation of the money's use (绩效评价)."""

    EXCELLENT = "excellent", _("Excellent")  # 优秀
    GOOD = "good", _("Good")  # 良好
    ADEQUATE = "adequate", _("Adequate")  # 合格
    INADEQUATE = "inadequate", _("Inadequate")  # 不合格


class VisitStatus(models.TextChoices):
    """A33: what a follow-up visit found (动态管理)."""

    GOOD = "good", _("Good")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    SERIOUS_CONCERN = "serious_concern", _("Serious concern")


VISIT_BADGES = {
    VisitStatus.GOOD: "text-bg-success",
    VisitStatus.NEEDS_ATTENTION: "text-bg-warning",
    VisitStatus.SERIOUS_CONCERN: "text-bg-danger",
}


class RevocationKind(models.TextChoices):
    FRAUD = "fraud", _("Fraud in the application (Article 28)")  # 弄虚作假
    ACCIDENT_OR_VIOLATION = (
        "accident_or_violation",
        _("Larger-or-worse accident or serious violation (Article 29)"),
    )


# The article each kind rests on.
REVOCATION_ARTICLES = {RevocationKind.FRAUD: 28, RevocationKind.ACCIDENT_OR_VIOLATION: 29}


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Under investigation")
    REVOKED = "revoked", _("Award revoked; returns being tracked")
    DISMISSED = "dismissed", _("Dismissed by the working group")
    CLOSED = "closed", _("Closed")


class CaseDecision(models.TextChoices):
    REVOKE = "revoke", _("Revoke the award")
    DISMISS = "dismiss", _("Do not revoke")


class ReturnItemKind(models.TextChoices):
    """A28: certificate and plaque are taken back, the prize money recovered."""

    CERTIFICATE = "certificate", _("Return of the certificate")
    PLAQUE = "plaque", _("Return of the plaque")
    MONEY = "money", _("Recovery of the prize money")


class ReturnItemStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    WAIVED = "waived", _("Waived")


class MisuseKind(models.TextChoices):
    MISUSE = "misuse", _("Misuse of the title or emblem (Article 32)")  # 冒用 / 违规使用
    FORGERY = "forgery", _("Forgery of the certificate, plaque or emblem (Article 31)")  # 伪造


class MisuseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
