"""Which account controls apply to a user (reads only; the changes are in services)."""

import datetime
import time

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django_otp import user_has_device

from .models import User

LAST_SEEN_SESSION_KEY = "qa_last_seen"


def is_staff_account(user: User) -> bool:
    return bool(user.roles & set(settings.QA_STAFF_ROLES))


def mfa_required(user: User) -> bool:
    """A role of the user requires the second factor."""
    return bool(user.roles & set(settings.QA_MFA_REQUIRED_ROLES))


def is_verified(user: User) -> bool:
    """The session passed the second factor (django-otp's middleware sets otp_device)."""
    return getattr(user, "otp_device", None) is not None


def mfa_pending(user: User) -> bool:
    """Logged in with the password, but the second factor is still owed: the role
    requires it, or the user opted in by enrolling a device."""
    if is_verified(user):
        return False
    return mfa_required(user) or user_has_device(user)


def password_expired(user: User) -> bool:
    days = settings.QA_PASSWORD_MAX_AGE_DAYS
    if not days or not is_staff_account(user):
        return False
    return user.password_changed_at < timezone.now() - datetime.timedelta(days=days)


def privacy_acceptance_owed(user: User) -> bool:
    """The user has not accepted the privacy notice in force."""
    return user.privacy_version != settings.QA_PRIVACY_NOTICE_VERSION


def session_idle(request: HttpRequest) -> bool:
    """The session was not used for longer than the idle timeout."""
    minutes = settings.QA_IDLE_TIMEOUT_MINUTES
    last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
    return bool(minutes and last_seen and time.time() - last_seen > minutes * 60)


def touch_session(request: HttpRequest) -> None:
    """Record use of the session, at most once a minute (each write saves the session)."""
    now = time.time()
    if now - request.session.get(LAST_SEEN_SESSION_KEY, 0) > 60:
        request.session[LAST_SEEN_SESSION_KEY] = now
