# ruff: noqa: RUF001, RUF003 (Chinese notice numbers 〔〕 and date ranges with –)
"""Holiday arrangements entered or imported by the office. A year present here
overrides the `chinesecalendar` package for that whole year."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import DayKind


class CalendarYear(models.Model):
    """One year's holiday arrangement (the State Council's notice for that year)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source_notice = models.CharField(
        _("source notice"),
        max_length=200,
        help_text=_("The notice that publishes the arrangement, e.g. 国办发明电〔2025〕7号."),
    )
    imported_at = models.DateTimeField(_("imported"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} ({self.source_notice})"


class SpecialDay(models.Model):
    """A holiday, or a weekend day swapped into a working day, of one calendar year."""

    year = models.ForeignKey(
        CalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class CalendarState(models.Model):
    """One row whose token changes with every change of the arrangements, so that
    each process knows when to rebuild its cached calendar."""

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("calendar state")
        verbose_name_plural = _("calendar states")

    def __str__(self) -> str:
        return str(self.token)
