from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .services import login_record


@receiver(user_logged_in)
def _record_login(sender, request, user, **kwargs):
    login_record(user=user)
