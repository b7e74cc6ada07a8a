from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from qualityaward.accounts import services as accounts_services
from qualityaward.accounts.enums import Role
from qualityaward.accounts.forms import PrivacyConsentForm
from qualityaward.accounts.models import User
from qualityaward.core.shared_cache import shared_with_anonymous
from qualityaward.documents.downloads import content_disposition
from qualityaward.documents.pdf import render_pdf

from .dashboards import dashboard_context
from .privacy import notice_context
from .public_documents import DOCUMENTS, document_context, version_for_public


@login_not_required
@require_GET
@shared_with_anonymous
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"documents": DOCUMENTS.values()})


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice in force, for everyone."""
    return render(request, "portal/privacy.html", notice_context())


@never_cache
@require_http_methods(["GET", "POST"])
def privacy_accept(request: HttpRequest) -> HttpResponse:
    """The privacy notice in force, to accept before going on (accounts.middleware)."""
    user = cast(User, request.user)
    form = PrivacyConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        accounts_services.privacy_accept(user=user)
        messages.success(request, _("Thank you: the privacy notice is accepted."))
        target = request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
        return redirect(target if safe else settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "portal/privacy_accept.html",
        {**notice_context(), "form": form, "accepted": user.privacy_version},
        status=400 if form.errors else 200,
    )


def _public_document(kind: str) -> dict:
    today = timezone.localdate()
    version = version_for_public(today=today) if kind in DOCUMENTS else None
    if version is None:
        raise Http404
    return document_context(kind=kind, version=version, today=today)


@login_not_required
@require_GET
def public_document(request: HttpRequest, kind: str) -> HttpResponse:
    """The guidance, the measures or the checklist, as a page of the portal."""
    return render(request, "portal/public/document.html", _public_document(kind))


@login_not_required
@require_GET
def public_document_pdf(request: HttpRequest, kind: str) -> HttpResponse:
    """The same document as a PDF to download (in the site's official language)."""
    context = _public_document(kind)
    pdf = render_pdf(template="portal/public/document_pdf.html", context=context)
    response = HttpResponse(pdf, content_type="application/pdf")
    with translation.override(settings.LANGUAGE_CODE):
        name = f"{context['version'].rule_set.award_name}{context['document'].title}.pdf"
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send the user to the dashboard of their first role, or explain they have none."""
    user = cast(User, request.user)  # login is required for this view
    for role in Role:
        if user.has_role(role):
            return redirect("portal:role_dashboard", role=role.value)
    return render(request, "portal/no_role.html")


@require_GET
def role_dashboard(request: HttpRequest, role: str) -> HttpResponse:
    if role not in Role.values:
        raise Http404
    if not request.user.has_perm(f"accounts.dashboard_{role}"):
        raise PermissionDenied
    return render(
        request,
        f"portal/dashboard/{role}.html",
        {"role": Role(role), **dashboard_context(Role(role), request.user)},
    )
