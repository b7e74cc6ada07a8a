from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from qualityaward.decisions.models import Award


def user_fk(verbose_name, **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        **kwargs,
    )


def file_fk(verbose_name=_("file"), **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        "documents.StoredFile",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        **kwargs,
    )


def award_fk(related_name: str) -> models.ForeignKey[Award, Award]:
    return models.ForeignKey(
        "decisions.Award",
        verbose_name=_("award"),
        on_delete=models.PROTECT,
        related_name=related_name,
    )
