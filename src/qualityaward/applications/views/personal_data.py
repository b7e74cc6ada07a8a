"""A signed-in person's own data: what is held, a copy of it, a correction request."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityaward.core.errors import QualityAwardError
from qualityaward.documents.downloads import private_download

from ..personal_data import personal_data
from ..services.personal_data import correction_request, personal_data_export


@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    document, files = personal_data(request.user)
    return render(
        request,
        "applications/my_data.html",
        {"document": document, "file_count": len(files)},
    )


@require_POST
def my_data_download(request: HttpRequest) -> HttpResponse:
    data = personal_data_export(user=request.user)
    name = f"my-data-{request.user.get_username()}-{timezone.localdate():%Y%m%d}.zip"
    return private_download(HttpResponse(data, content_type="application/zip"), name)


@require_POST
def my_data_correction(request: HttpRequest) -> HttpResponse:
    try:
        correction_request(user=request.user, text=request.POST.get("text", ""))
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request was sent to the office."))
    return redirect("applications:my_data")
