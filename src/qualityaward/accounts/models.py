from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualityaward.core.fields import EncryptedTextField

from .enums import Role


class User(AbstractUser):
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    phone = EncryptedTextField(_("phone"), max_length=30, blank=True)
    password_changed_at = models.DateTimeField(_("password changed"), default=timezone.now)
    # The session of the latest login: staff hold one session at a time.
    session_key = models.CharField(_("current session"), max_length=64, blank=True)
    # The version of the privacy notice the user accepted last, and when.
    privacy_version = models.CharField(_("privacy notice accepted"), max_length=20, blank=True)
    privacy_accepted_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def roles(self) -> frozenset[str]:
        """The user's roles, read once per request (the user object lives that long)."""
        cached = self.__dict__.get("_roles")
        if cached is None:
            cached = frozenset(self.role_grants.values_list("role", flat=True))
            self.__dict__["_roles"] = cached
        return cached

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.roles


class RoleGrant(models.Model):
    """One role held by one user. Departments carry the sector or area they serve."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
