"""The export pages: ask for an export of a cycle, watch it being prepared, download it.

The page of a kind is a role page (403 without the kind's permission); an export is
its requester's alone (404 for anyone else, and for the requester once the
permission is gone)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.models import Cycle
from qualityaward.documents.downloads import private_download

from . import services
from .builders import CONTENT_TYPES
from .enums import ExportKind, ExportState
from .models import Export


@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest, cycle_pk: int, kind: str) -> HttpResponse:
    if not services.may_export(request.user, kind):
        raise PermissionDenied
    cycle = get_object_or_404(Cycle, pk=cycle_pk)
    if not services.may_export(request.user, kind, cycle):
        raise Http404
    if request.method == "POST":
        try:
            services.export_request(kind=kind, cycle=cycle, actor=request.user)
        except QualityAwardError as error:
            messages.error(request, error.message)
        return redirect("exports:" + kind, cycle.pk)
    export = Export.objects.filter(kind=kind, cycle=cycle, requested_by=request.user.pk).first()
    return render(
        request,
        "exports/export_page.html",
        {"cycle": cycle, "kind": ExportKind(kind), "export": export},
    )


def _own_export(request: HttpRequest, pk: int) -> Export:
    export = get_object_or_404(
        Export.objects.select_related("cycle"), pk=pk, requested_by=request.user.pk
    )
    if not services.may_export(request.user, export.kind, export.cycle):
        raise Http404
    return export


@require_GET
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status fragment the export page polls."""
    return render(request, "exports/_status.html", {"export": _own_export(request, pk)})


@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = _own_export(request, pk)
    if export.state != ExportState.DONE or not export.file:
        raise Http404
    return private_download(
        FileResponse(export.file.open("rb"), content_type=CONTENT_TYPES[ExportKind(export.kind)]),
        export.filename,
    )
