"""Account controls on every request of a logged-in user: the idle timeout, the second
factor owed after the password, an expired password, and a privacy notice not accepted.
Token-authenticated API calls carry no session and are not concerned (docs/security.md)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device
from rest_framework.views import APIView

from .controls import (
    mfa_pending,
    password_expired,
    privacy_acceptance_owed,
    session_idle,
    touch_session,
)
from .services import session_timeout

# What a user may open while the second factor is owed, or the password has expired.
MFA_PAGES = {"accounts:mfa_verify", "accounts:mfa_enrol", "accounts:logout", "set_language"}
PASSWORD_PAGES = {"accounts:password_change", "accounts:logout", "set_language"}
PRIVACY_PAGES = {"portal:privacy_accept", "portal:privacy", "accounts:logout", "set_language"}


def _is_api(view_func) -> bool:
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


class AccountControlsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        is_api = _is_api(view_func)
        if session_idle(request):
            session_timeout(request=request)
            if is_api:
                return None  # now anonymous: the API refuses as it does for anyone
            messages.info(request, _("Your session ended after a time without activity."))
            return redirect_to_login(request.get_full_path())
        touch_session(request)
        name = request.resolver_match.view_name if request.resolver_match else ""
        if mfa_pending(user):
            if name in MFA_PAGES:
                return None
            if is_api:
                message = _("Confirm your second factor on the website first.")
                return JsonResponse({"detail": message, "code": "mfa_required"}, status=403)
            page = "accounts:mfa_verify" if user_has_device(user) else "accounts:mfa_enrol"
            return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        if password_expired(user) and name not in PASSWORD_PAGES:
            if is_api:
                message = _("Your password has expired: change it on the website.")
                return JsonResponse({"detail": message, "code": "password_expired"}, status=403)
            messages.warning(request, _("Your password has expired. Choose a new one."))
            return redirect("accounts:password_change")
        if privacy_acceptance_owed(user) and name not in PRIVACY_PAGES:
            if is_api:
                message = _("Accept the privacy notice on the website first.")
                return JsonResponse({"detail": message, "code": "privacy_notice"}, status=403)
            page = reverse("portal:privacy_accept")
            return redirect(f"{page}?{urlencode({'next': request.get_full_path()})}")
        return None
