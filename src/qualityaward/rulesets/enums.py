from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VersionStatus(models.TextChoices):
    """A rule set version is drafted, then activated; a later one may retire it."""

    DRAFT = "draft", pgettext_lazy("rule set version", "Draft")
    ACTIVE = "active", pgettext_lazy("rule set version", "Active")
    RETIRED = "retired", pgettext_lazy("rule set version", "Retired")


class CategoryKind(models.TextChoices):
    """GB/T 19580 scores process categories (4.1-4.6) and results (4.7) differently."""

    PROCESS = "process", _("Process")
    RESULTS = "results", _("Results")


class StageCode(models.TextChoices):
    """The evaluation stages of Article 18."""

    DOCUMENT_REVIEW = "document_review", _("Document review")
    SITE_VISIT = "site_visit", _("Site visit")
    PRESENTATION = "presentation", _("Presentation and defence")


class Aggregation(models.TextChoices):
    """How a panel's scores of one applicant are combined."""

    MEAN = "mean", _("Mean")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean")
    MEDIAN = "median", _("Median")


class AssignmentMethod(models.TextChoices):
    """How experts are assigned to applications."""

    OPTIMAL = "optimal", _("Optimal assignment")
    RANDOM_DRAW = "random_draw", _("Random draw")
