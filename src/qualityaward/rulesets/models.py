"""Rule sets (the measures as versioned data) and scoring frameworks (GB/T 19580 as data).

Change them only through `rulesets.services`; read them through `rulesets.selectors`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from .enums import CategoryKind, VersionStatus
from .schema import Rules, localized


class ScoringFramework(TimeStampedModel):
    """A scoring standard: categories, items, points and the band descriptions.

    Frozen once loaded: a correction is a new framework with a new code that a new
    rule set version points to, so scores already given keep their meaning.
    """

    code = models.CharField(_("code"), max_length=50, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    edition = models.CharField(_("edition"), max_length=100)
    total_points = models.PositiveIntegerField(_("total points"), default=1000)
    note = models.TextField(_("note"), blank=True)
    bands = models.JSONField(
        _("scoring bands"),
        default=dict,
        help_text=_("Per kind (process, results): the dimensions and the percentage bands."),
    )
    frozen = models.BooleanField(_("frozen"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("scoring framework")
        verbose_name_plural = _("scoring frameworks")

    def __str__(self) -> str:
        return f"{self.edition} {self.name_zh}"

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)


class FrameworkCategory(models.Model):
    framework = models.ForeignKey(
        ScoringFramework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="categories",
    )
    code = models.CharField(_("code"), max_length=20)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    points = models.PositiveIntegerField(pgettext_lazy("maximum score", "points"))
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=CategoryKind.choices)

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("framework category")
        verbose_name_plural = _("framework categories")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="rulesets_category_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)


class FrameworkItem(models.Model):
    category = models.ForeignKey(
        FrameworkCategory,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    code = models.CharField(_("code"), max_length=20)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    points = models.PositiveIntegerField(pgettext_lazy("maximum score", "points"))
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["category__order", "order"]
        verbose_name = _("framework item")
        verbose_name_plural = _("framework items")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="rulesets_item_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def name(self) -> str:
        return localized(self.name_zh, self.name_en)

    @property
    def kind(self) -> str:
        return self.category.kind


class RuleSet(TimeStampedModel):
    """One award programme (a city's, county's or province's quality award)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    award_name_zh = models.CharField(_("award name (Chinese)"), max_length=200)
    award_name_en = models.CharField(_("award name (English)"), max_length=200)
    issuing_authority = models.CharField(_("issuing authority"), max_length=200)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=200)
    # Receipt and certificate numbers are unique across awards: every award after the
    # first needs its own prefix. Blank: the platform's (QA, and the certificate prefix).
    serial_prefix = models.CharField(
        _("prefix of receipt and certificate numbers"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]{1,9}$")],
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(
                fields=["serial_prefix"],
                condition=~Q(serial_prefix=""),
                name="rulesets_serial_prefix_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.award_name_zh

    @property
    def award_name(self) -> str:
        return localized(self.award_name_zh, self.award_name_en)


DEMO_TITLE_PREFIX = "演示版本\uff08非正式\uff09"  # 演示版本(非正式) in full-width brackets


class RuleSetVersion(TimeStampedModel):
    """One version of the measures: its effective period, its framework and every value.

    `values` holds {"key": {"value": …, "article": 14, "clause": null, "note": ""}};
    read them typed through `version.rules.<key>` (see `rulesets.schema`).
    """

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("effective to"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    frozen_at = models.DateTimeField(
        _("frozen"),
        null=True,
        blank=True,
        help_text=_("Set when a cycle opens under this version; a frozen version never changes."),
    )
    framework = models.ForeignKey(
        ScoringFramework,
        verbose_name=_("scoring framework"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    values = models.JSONField(_("values"), default=dict)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["rule_set", "-version"]
        verbose_name = _("rule set version")
        verbose_name_plural = _("rule set versions")
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "version"], name="rulesets_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="rulesets_version_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set.award_name_zh} {self.version_label}"

    @property
    def version_label(self) -> str:
        """“version 2”, in Chinese “第2版”."""
        return gettext("version %(number)s") % {"number": self.version}

    @property
    def measures_title(self) -> str:
        """The title of the measures themselves, for official texts: without the demo mark."""
        return self.title.removeprefix(DEMO_TITLE_PREFIX)

    @cached_property
    def rules(self) -> Rules:
        return Rules(self.values)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT and self.frozen_at is None

    def covers(self, on: datetime.date) -> bool:
        """Whether `on` falls in the effective period (whatever the status)."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def is_in_effect(self, on: datetime.date) -> bool:
        """Active and `on` within the effective period: a cycle may be opened under it."""
        return self.status == VersionStatus.ACTIVE and self.covers(on)
