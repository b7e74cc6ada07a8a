import base64
from typing import cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityaward.core.errors import QualityAwardError

from . import services
from .controls import is_verified, mfa_required
from .enums import Role
from .forms import (
    LoginForm,
    PasswordChangeForm,
    RoleGrantForm,
    SecurityLogFilterForm,
    TokenForm,
    UserSearchForm,
)
from .models import User
from .scoping import STAFF_ROLES
from .selectors import (
    KIND_OF_ACTION,
    SECURITY_KINDS,
    accounts_for_office,
    enrolled_user_ids,
    failed_attempts_by_username,
    security_events,
)

PER_PAGE = 50


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(lockout_limit=settings.AXES_FAILURE_LIMIT, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("portal:dashboard")

    def form_valid(self, form):
        services.password_change(
            user=form.user, password=form.cleaned_data["new_password1"], request=self.request
        )
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())


# --- two factors -------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    """The logged-in user (every page here requires a login)."""
    return cast(User, request.user)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _qr_data_uri(text: str) -> str:
    """The QR code as an inline SVG image, drawn here (no outside service sees the key)."""
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _after_failed_code(request: HttpRequest) -> None:
    """Too many wrong codes lock the account like wrong passwords: the half-finished
    login ends and django-axes answers with its lockout page."""
    if getattr(request, "axes_locked_out", False):
        logout(request)


def _recovery_codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return render(
        request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@never_cache
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: its key as a QR code and as text, confirmed by a code.
    A user who has one sees its state here."""
    user = _user(request)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        if not is_verified(user):
            return redirect(f"{reverse('accounts:mfa_verify')}?{request.GET.urlencode()}")
        remaining = StaticToken.objects.filter(device__user=user).count()
        return render(request, "accounts/mfa_status.html", {"remaining": remaining})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.mfa_enrol_confirm(
            user=user, token=form.cleaned_data["token"], request=request
        )
        if codes is not None:
            return _recovery_codes_page(request, codes)
        _after_failed_code(request)
        form.add_error("token", _("This code is not right. Enter the current code of the app."))
    device = services.mfa_enrol_start(user=user)
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr": _qr_data_uri(device.config_url),
        "required": mfa_required(user),
    }
    return render(request, "accounts/mfa_enrol.html", context)


@never_cache
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: a code of the authenticator or a recovery code."""
    user = _user(request)
    if is_verified(user) or not user_has_device(user):
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.mfa_verify(user=user, token=form.cleaned_data["token"], request=request)
        if device is not None:
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)s are left. Renew them when few are left.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
        _after_failed_code(request)
        form.add_error("token", _("This code is not right."))
    return render(request, "accounts/mfa_verify.html", {"form": form})


@require_POST
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once."""
    try:
        codes = services.mfa_recovery_codes_renew(user=_user(request))
    except QualityAwardError as error:
        messages.error(request, str(error))
        return redirect("accounts:mfa_enrol")
    return _recovery_codes_page(request, codes)


# --- the office: accounts' second factor and lockout -------------------------------------


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@require_GET
def user_security(request: HttpRequest) -> HttpResponse:
    _require(request, "accounts.manage_users")
    form = UserSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    accounts = accounts_for_office(query=query, office=request.user)
    page = Paginator(accounts, PER_PAGE).get_page(request.GET.get("page"))
    users = list(page.object_list)
    enrolled = enrolled_user_ids(users)
    failures = failed_attempts_by_username([u.username for u in users])
    rows = [
        {
            "user": u,
            "roles": [
                f"{grant.get_role_display()} ({grant.award or _('every award')})"
                if grant.role in STAFF_ROLES
                else grant.get_role_display()
                for grant in u.role_grants.all()
            ],
            "enrolled": u.pk in enrolled,
            "failures": failures.get(u.username, 0),
            "locked": failures.get(u.username, 0) >= settings.AXES_FAILURE_LIMIT,
        }
        for u in users
    ]
    return render(
        request,
        "accounts/user_security.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "grant_form": RoleGrantForm(office=request.user, auto_id="grant_%s"),
        },
    )


@require_POST
def role_grant(request: HttpRequest) -> HttpResponse:
    """Grant a role to an account; an award-limited office grants for its awards only."""
    _require(request, "accounts.manage_users")
    form = RoleGrantForm(request.POST, office=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("accounts:user_security")
    data = form.cleaned_data
    try:
        services.role_grant(
            user=data["username"],
            role=Role(data["role"]),
            award=data["award"],
            sector=data["sector"].strip(),
            area=data["area"].strip(),
            actor=request.user,
        )
    except QualityAwardError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(user)s holds the role %(role)s.")
            % {"user": data["username"].get_username(), "role": Role(data["role"]).label},
        )
    return redirect("accounts:user_security")


def _office_action(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    _require(request, "accounts.manage_users")
    user = get_object_or_404(accounts_for_office(office=request.user), pk=pk)
    try:
        service(user=user, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"user": user.get_username()})
    return redirect("accounts:user_security")


@require_POST
def mfa_reset(request: HttpRequest, pk: int) -> HttpResponse:
    return _office_action(
        request,
        pk,
        services.mfa_reset,
        _("The second factor of %(user)s was removed; the next login enrols a new one."),
    )


@require_POST
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _office_action(request, pk, services.account_unlock, _("%(user)s was unlocked."))


# --- the supervisor: security log --------------------------------------------------------


@require_GET
def security_log(request: HttpRequest) -> HttpResponse:
    """Logins, failed logins, lockouts and unlocks, two-factor events, accounts and
    permission changes, sessions and passwords: from the audit trail, read-only."""
    _require(request, "accounts.view_security_log")
    kinds = [(kind, label) for kind, (label, _actions) in SECURITY_KINDS.items()]
    form = SecurityLogFilterForm(request.GET or None, kinds=kinds)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = security_events(kind=filters.get("kind", ""), username=filters.get("user", "").strip())
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    labels = dict(kinds)
    for record in page.object_list:
        record.kind_label = labels[KIND_OF_ACTION[record.action]]
    return render(request, "accounts/security_log.html", {"form": form, "page": page})
