from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import QualityAwardError


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise QualityAwardError(_("Audit records cannot be changed."), code="append_only")

    def delete(self):
        raise QualityAwardError(_("Audit records cannot be deleted."), code="append_only")


class AuditRecord(models.Model):
    """One entry of the append-only, hash-chained audit trail.

    Written only by `core.audit.audit_append`, in the transaction of the change it
    records. `record_hash` covers every field and the previous record's hash, so a
    record changed or removed afterwards breaks the chain (`manage.py audit verify`).
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=200, editable=False)
    action = models.CharField(_("action"), max_length=100, editable=False, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, editable=False)
    object_repr = models.CharField(_("object"), max_length=300, blank=True, editable=False)
    changes = models.JSONField(_("changes"), default=dict, editable=False)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    record_hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    # The award (rule set id) the object belongs to, when it belongs to one: staff limited
    # to awards read their awards' records only (accounts.scoping).
    award_id = models.PositiveIntegerField(
        _("award"), null=True, blank=True, editable=False, db_index=True
    )
    # SM3 or SHA-256 (core.crypto): each record keeps the algorithm it was hashed with.
    algorithm = models.CharField(
        _("digest algorithm"), max_length=10, default="sha256", editable=False
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise QualityAwardError(_("Audit records cannot be changed."), code="append_only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise QualityAwardError(_("Audit records cannot be deleted."), code="append_only")


class AuditHead(models.Model):
    """A single row holding the chain's tip; locked while a record is appended so
    concurrent writers line up instead of forking the chain."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"
