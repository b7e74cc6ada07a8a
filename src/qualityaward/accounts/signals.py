from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .services import MFA_SIGNAL_SENDER, lockout_record, login_failed_record, login_record


@receiver(user_logged_in)
def _record_login(sender, request, user, **kwargs):
    login_record(user=user, request=request)


@receiver(user_login_failed)
def _record_failed_login(sender, credentials, request=None, **kwargs):
    if sender != MFA_SIGNAL_SENDER:  # a wrong code is audited by mfa_verify itself
        login_failed_record(username=str(credentials.get("username") or ""), request=request)


@receiver(user_locked_out)
def _record_lockout(sender, request, username, ip_address, **kwargs):
    lockout_record(username=str(username or ""), ip_address=str(ip_address or ""))
