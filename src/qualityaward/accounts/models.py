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
    def grants(self) -> tuple[tuple[str, int | None], ...]:
        """(role, award id or None) of each grant, read once per request (the user object
        lives that long): the roles and their award limits (accounts.scoping) in one query."""
        cached = self.__dict__.get("_grants")
        if cached is None:
            cached = tuple(self.role_grants.values_list("role", "award_id"))
            self.__dict__["_grants"] = cached
        return cached

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(role for role, _award in self.grants)

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.roles


class RoleGrant(models.Model):
    """One role held by one user. Departments carry the sector or area they serve.

    A staff role may be limited to one award (a rule set): its holder sees and acts on
    that award's cycles only (accounts.scoping). Without an award it covers every award
    on the site. A user may hold the same role for several awards, one grant each."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True)
    award = models.ForeignKey(
        "rulesets.RuleSet",
        verbose_name=_("award"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_grants",
        help_text=_("Empty: every award on the site."),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            # One site-wide grant per role, and one grant per role and award (NULLs are
            # distinct in a unique index, hence two conditional constraints).
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(award__isnull=True),
                name="one_grant_per_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "award"],
                condition=models.Q(award__isnull=False),
                name="one_grant_per_role_and_award",
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.user} · {self.get_role_display()}"
        return f"{label} · {self.award}" if self.award_id else label
