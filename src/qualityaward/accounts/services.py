from collections.abc import Iterable
from importlib import import_module
from typing import TYPE_CHECKING, cast

import django_otp
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import NotAllowed

from .controls import is_staff_account, is_verified, mfa_pending, touch_session
from .enums import Role
from .models import RoleGrant, User
from .scoping import awards_of

if TYPE_CHECKING:
    from qualityaward.rulesets.models import RuleSet

# Sender of the failed-login signal for a wrong second factor: django-axes counts it
# like a wrong password; the failed-password audit receiver leaves it to mfa_verify.
MFA_SIGNAL_SENDER = "qualityaward.accounts.mfa"


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    display_name: str = "",
    email: str = "",
    roles: Iterable[Role] = (),
    actor: object = None,
) -> User:
    """A user account; with `password` None it cannot log in until a password is set."""
    user = User(username=username, display_name=display_name, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean()
    user.save()
    audit_append(
        actor=actor,
        action="accounts.user_create",
        obj=user,
        changes={"username": username, "display_name": display_name},
    )
    for role in roles:
        role_grant(user=user, role=role, actor=actor)
    return user


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: Role,
    actor: object = None,
    sector: str = "",
    area: str = "",
    award: "RuleSet | None" = None,
) -> RoleGrant:
    """Grant a role, for one award (a RuleSet) or, without one, for every award.

    An office member limited to some awards grants roles for those awards only."""
    office_awards = awards_of(actor, [Role.OFFICE]) if isinstance(actor, User) else None
    if office_awards is not None and (award is None or award.pk not in office_awards):
        raise NotAllowed(_("You may grant roles for your own award only."))
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, award=award, defaults={"sector": sector, "area": area}
    )
    if created:
        for cached in ("_grants", "_award_limits"):
            user.__dict__.pop(cached, None)
        audit_append(
            actor=actor,
            action="accounts.role_grant",
            obj=user,
            changes={
                "role": role.value,
                "sector": sector,
                "area": area,
                "award": award.code if award is not None else "",
            },
        )
    return grant


def _client_ip(request: HttpRequest | None) -> str:
    return getattr(request, "axes_ip_address", None) or ""


def _end_session(session_key: str) -> None:
    if session_key:
        import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key).delete()


def _remember_session(*, user: User, request: HttpRequest) -> bool:
    """A staff account keeps one session: remember this one and end the one before.
    Returns whether one was ended."""
    if not (settings.QA_SINGLE_SESSION and is_staff_account(user)):
        return False
    previous = user.session_key
    user.session_key = request.session.session_key or ""
    user.save(update_fields=["session_key"])
    if previous and previous != user.session_key:
        _end_session(previous)
        return True
    return False


def _login_complete(*, user: User, request: HttpRequest) -> None:
    """The whole login passed (password and any second factor owed): end the staff
    account's other session and forgive the failed attempts. Someone who has only the
    password can do neither."""
    if _remember_session(user=user, request=request):
        audit_append(
            actor=user, action="accounts.session_ended", obj=user, changes={"reason": "new_login"}
        )
    axes_reset(username=user.get_username())


@transaction.atomic
def login_record(*, user: User, request: HttpRequest) -> None:
    """After the password: audit the login and start the idle clock; the login is
    complete here unless a second factor is owed."""
    audit_append(actor=user, action="accounts.login", obj=user, changes={"ip": _client_ip(request)})
    touch_session(request)
    if not mfa_pending(user):
        _login_complete(user=user, request=request)


@transaction.atomic
def login_failed_record(*, username: str, request: HttpRequest | None) -> None:
    audit_append(
        actor=username or "anonymous",
        action="accounts.login_failed",
        obj=User.objects.filter(username=username).first(),
        changes={"ip": _client_ip(request)},
    )


@transaction.atomic
def lockout_record(*, username: str, ip_address: str) -> None:
    audit_append(
        actor=username or "anonymous",
        action="accounts.lockout",
        obj=User.objects.filter(username=username).first(),
        changes={"ip": ip_address or ""},
    )


@transaction.atomic
def session_timeout(*, request: HttpRequest) -> None:
    """End a session left unused past the idle timeout."""
    user = request.user
    audit_append(actor=user, action="accounts.session_timeout", obj=cast(User, user))
    logout(request)


@transaction.atomic
def password_change(*, user: User, password: str, request: HttpRequest) -> None:
    """The form has validated the new password; set it and restart its age. The session
    stays, under a new key."""
    user.set_password(password)
    user.save(update_fields=["password", "password_changed_at"])
    update_session_auth_hash(request, user)
    _remember_session(user=user, request=request)
    audit_append(actor=user, action="accounts.password_change", obj=user)


@transaction.atomic
def password_issue(*, user: User, password: str, actor: object) -> None:
    """Give an account a password chosen for its holder (the demo's accounts, on the day
    it is built); its age starts now."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password", "password_changed_at"])
    audit_append(actor=actor, action="accounts.password_issue", obj=user)


# --- two factors -------------------------------------------------------------------------


def _staff_guard(actor: User, user: User) -> None:
    if not actor.has_perm("accounts.manage_users"):
        raise NotAllowed(_("Only the award office may do this."))
    if actor.pk == user.pk:
        raise NotAllowed(_("Ask another member of the office to do this for your account."))


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes")
    codes = [StaticToken.random_token() for _ in range(settings.QA_MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def mfa_enrol_start(*, user: User) -> TOTPDevice:
    """The device the user is enrolling: kept until confirmed, so a reload shows the same
    secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        audit_append(actor=user, action="accounts.mfa_enrol_start", obj=user)
    return device


def _normalised(token: str) -> str:
    return "".join(token.split()).lower()


def _failed_code(*, user: User, request: HttpRequest, stage: str) -> None:
    audit_append(
        actor=user,
        action="accounts.mfa_failed",
        obj=user,
        changes={"stage": stage, "ip": _client_ip(request)},
    )
    user_login_failed.send(
        sender=MFA_SIGNAL_SENDER,
        credentials={"username": user.get_username()},
        request=request,
    )


@transaction.atomic
def mfa_enrol_confirm(*, user: User, token: str, request: HttpRequest) -> list[str] | None:
    """Confirm the enrolling device with a code from it. Returns the new recovery codes
    (to show once), or None for a wrong code."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_normalised(token)):
        _failed_code(user=user, request=request, stage="enrol")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit_append(
        actor=user,
        action="accounts.mfa_enrol",
        obj=user,
        changes={"recovery_codes": len(codes)},
    )
    django_otp.login(request, device)
    _login_complete(user=user, request=request)
    return codes


@transaction.atomic
def mfa_verify(*, user: User, token: str, request: HttpRequest) -> Device | None:
    """The second factor after the password: a code of the authenticator or one recovery
    code (used up). A wrong code is audited and counts toward the lockout."""
    token = _normalised(token)
    # Digits are an authenticator's code, anything else a recovery code: each kind is
    # tried only on its own device, so neither is throttled by the other's failures.
    model = TOTPDevice if token.isdigit() else StaticDevice
    devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
    device = next((d for d in devices if d.verify_token(token)), None)
    if device is None:
        _failed_code(user=user, request=request, stage="login")
        return None
    if isinstance(device, StaticDevice):
        audit_append(
            actor=user,
            action="accounts.mfa_recovery_code_used",
            obj=user,
            changes={"remaining": device.token_set.count()},
        )
    else:
        audit_append(actor=user, action="accounts.mfa_verify", obj=user)
    django_otp.login(request, device)
    _login_complete(user=user, request=request)
    return device


@transaction.atomic
def mfa_recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes for a verified user; the old ones stop working."""
    if not is_verified(user):
        raise NotAllowed(_("Confirm your second factor first."))
    codes = _new_recovery_codes(user)
    audit_append(
        actor=user,
        action="accounts.mfa_recovery_codes_renew",
        obj=user,
        changes={"recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic
def mfa_reset(*, user: User, actor: User) -> None:
    """The office removes the second factor of a user who lost it; the user's session
    ends and the next login enrols a new device."""
    _staff_guard(actor, user)
    devices = [*django_otp.devices_for_user(user, confirmed=None)]
    for device in devices:
        device.delete()
    _end_session(user.session_key)
    audit_append(
        actor=actor, action="accounts.mfa_reset", obj=user, changes={"devices": len(devices)}
    )


@transaction.atomic
def account_unlock(*, user: User, actor: User) -> None:
    """The office lifts a lockout before its cool-off ends."""
    _staff_guard(actor, user)
    attempts = axes_reset(username=user.get_username())
    audit_append(actor=actor, action="accounts.unlock", obj=user, changes={"attempts": attempts})


@transaction.atomic
def mfa_demo_device(*, user: User) -> TOTPDevice:
    """A confirmed authenticator for a demo account, whose key `manage.py demo` prints
    (base32 and otpauth:// URI) so a person can add it to an authenticator app."""
    for device in django_otp.devices_for_user(user, confirmed=None):
        device.delete()
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    audit_append(actor="demo", action="accounts.mfa_enrol", obj=user, changes={"demo": True})
    return device


@transaction.atomic
def privacy_accept(*, user: User, actor: object = None) -> None:
    """The user accepts the privacy notice in force (PIPL articles 14 and 17): its version
    and the time are kept on the account and in the audit trail. Accepting the version
    already accepted changes nothing."""
    version = settings.QA_PRIVACY_NOTICE_VERSION
    if user.privacy_version == version:
        return
    user.privacy_version = version
    user.privacy_accepted_at = timezone.now()
    user.save(update_fields=["privacy_version", "privacy_accepted_at"])
    audit_append(
        actor=user if actor is None else actor,
        action="accounts.privacy_accept",
        obj=user,
        changes={"version": version},
    )
