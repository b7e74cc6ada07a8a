"""Who applies: an organisation or an individual (A2), each a kind of Applicant.

`Applicant` is the common row the rest of the flow points to (applications, records,
bans, visibility); `Organisation` and `Individual` extend it (multi-table inheritance,
so `applicant.organisation` / `applicant.individual` reach the details).
Change them only through `applications.services.applicants`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityaward.core.crypto import blind_index
from qualityaward.core.fields import EncryptedTextField
from qualityaward.core.models import TimeStampedModel

from ..enums import ApplicantKind, Area, OwnershipType, Sector
from ..validators import NAME_MAX_LENGTH, mask_id_number


class Applicant(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=ApplicantKind.choices)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    area = models.CharField(_("area"), max_length=30, choices=Area.choices)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user accounts"),
        related_name="applicants",
        blank=True,
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        indexes = [
            models.Index(fields=["sector"], name="applicant_sector_idx"),
            models.Index(fields=["area"], name="applicant_area_idx"),
            # The applicants list's order, a page at a time.
            models.Index(fields=["name", "id"], name="applicant_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind == ApplicantKind.ORGANISATION

    @property
    def is_individual(self) -> bool:
        return self.kind == ApplicantKind.INDIVIDUAL

    @property
    def details(self) -> Organisation | Individual:
        """The Organisation or Individual row (select_related them to avoid a query)."""
        if isinstance(self, Organisation | Individual):
            return self
        return self.organisation if self.is_organisation else self.individual


class Organisation(Applicant):
    """A10: registered in the city, independent legal person."""

    applicant_ptr = models.OneToOneField(
        Applicant,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="organisation",
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    registered_address = models.CharField(_("registered address"), max_length=300)
    in_jurisdiction = models.BooleanField(
        _("registered in the city"),
        default=False,
        help_text=_("The applicant attests that it is registered in the city (Article 10(1))."),
    )
    established_on = models.DateField(_("date of establishment"))
    ownership = models.CharField(_("ownership type"), max_length=20, choices=OwnershipType.choices)
    is_for_profit = models.BooleanField(
        _("for-profit"),
        default=True,
        help_text=_(
            "For-profit organisations must have had no operating loss; non-profit "
            "organisations show their social contribution (Article 10(3))."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def save(self, *args, **kwargs):
        self.kind = ApplicantKind.ORGANISATION
        super().save(*args, **kwargs)


def id_number_index(number: str) -> str:
    """The blind index of a resident identity number: look individuals up by it."""
    return blind_index(number.upper(), purpose="applications.individual.id_number")


class Individual(Applicant):
    """A11: a person doing quality work in the city."""

    applicant_ptr = models.OneToOneField(
        Applicant,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="individual",
    )
    # Encrypted at rest (PIPL); found and kept unique through its blind index.
    id_number = EncryptedTextField(_("resident identity number"), max_length=18)
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    employer = models.ForeignKey(
        Organisation,
        verbose_name=_("employer (registered organisation)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    employer_name = models.CharField(_("employer"), max_length=NAME_MAX_LENGTH, blank=True)
    position = models.CharField(_("position"), max_length=100)
    is_top_manager = models.BooleanField(
        _("top manager of the employer"),
        default=False,
        help_text=_(
            "The top manager's organisation must have had no major accident, complaint or "
            "violation in the last years (Article 11(4))."
        ),
    )
    quality_work_since = models.PositiveSmallIntegerField(
        _("quality work in the city since (year)")
    )

    class Meta:
        verbose_name = _("individual")
        verbose_name_plural = _("individuals")

    def save(self, *args, **kwargs):
        self.kind = ApplicantKind.INDIVIDUAL
        self.id_number_index = id_number_index(self.id_number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "id_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "id_number_index"}
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def employer_display(self) -> str:
        return self.employer.name if self.employer is not None else self.employer_name
