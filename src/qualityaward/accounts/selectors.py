"""Reads for the account pages: the security log and the office's account list."""

from axes.models import AccessAttempt
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityaward.core.models import AuditRecord

from .enums import Role
from .models import RoleGrant, User
from .scoping import STAFF_ROLES, awards_of

# The security log's kinds: each is a set of audit actions.
SECURITY_KINDS = {
    "login": (_("Logins"), ["accounts.login"]),
    "login_failed": (_("Failed logins"), ["accounts.login_failed"]),
    "lockout": (_("Lockouts and unlocks"), ["accounts.lockout", "accounts.unlock"]),
    "mfa": (
        _("Two-factor events"),
        [
            "accounts.mfa_enrol_start",
            "accounts.mfa_enrol",
            "accounts.mfa_verify",
            "accounts.mfa_failed",
            "accounts.mfa_recovery_code_used",
            "accounts.mfa_recovery_codes_renew",
            "accounts.mfa_reset",
        ],
    ),
    "permission": (_("Accounts and permissions"), ["accounts.user_create", "accounts.role_grant"]),
    "session": (
        _("Sessions and passwords"),
        [
            "accounts.session_ended",
            "accounts.session_timeout",
            "accounts.password_change",
            "accounts.password_issue",
        ],
    ),
}
KIND_OF_ACTION = {
    action: kind for kind, (_l, actions) in SECURITY_KINDS.items() for action in actions
}


def security_events(*, kind: str = "", username: str = "") -> QuerySet[AuditRecord]:
    actions = SECURITY_KINDS[kind][1] if kind else list(KIND_OF_ACTION)
    records = AuditRecord.objects.filter(action__in=actions).order_by("-seq")
    if username:
        user_ids = [
            str(pk) for pk in User.objects.filter(username=username).values_list("pk", flat=True)
        ]
        records = records.filter(
            Q(actor_label=username) | Q(object_type="accounts.user", object_id__in=user_ids)
        )
    return records


def accounts_for_office(*, office, query: str = "") -> QuerySet[User]:
    """Every account for a site-wide office; an office limited to awards sees the staff of
    its awards and the accounts that hold no staff role (applicants, experts, new ones)."""
    users = User.objects.prefetch_related("role_grants__award").order_by("username")
    awards = awards_of(office, [Role.OFFICE])
    if awards is not None:
        staff = RoleGrant.objects.filter(role__in=STAFF_ROLES)
        users = users.filter(
            Q(pk__in=staff.filter(award__in=awards).values("user_id"))
            | ~Q(pk__in=staff.values("user_id"))
        )
    if query:
        users = users.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    return users


def enrolled_user_ids(users) -> set[int]:
    return set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )


def failed_attempts_by_username(usernames) -> dict[str, int]:
    """Failed logins counting toward a lockout, per username: the most from one address
    (django-axes locks a username at one address)."""
    rows = AccessAttempt.objects.filter(username__in=usernames).values("username")
    return dict(rows.annotate(most=Max("failures_since_start")).values_list("username", "most"))
