"""The office's history import: past winners, revocations, fraud bans and the
serious-dishonesty list from its spreadsheets, checked whole before anything is written."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qualityaward.documents.downloads import private_download
from qualityaward.documents.xlsx import workbook_response

from ..enums import HistoryKind
from ..forms.records import HistoryImportForm
from ..history import HistoryFileError, template_header
from ..selectors.records import history_imports
from ..services.history import history_check, history_import

CHECK = "check"


def _require_office(request: HttpRequest) -> None:
    if not request.user.has_perm("applications.manage_records"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def history_page(request: HttpRequest) -> HttpResponse:
    """Upload a file; "check" shows what it would do, "import" writes it (all or nothing)."""
    _require_office(request)
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    plan = None
    if request.method == "POST" and form.is_valid():
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        data = upload.read()
        try:
            if request.POST.get("action") == CHECK:
                plan = history_check(kind=kind, data=data)
            else:
                result = history_import(
                    kind=kind, data=data, filename=upload.name, actor=request.user
                )
        except HistoryFileError as error:
            errors = [str(problem) for problem in error.errors]
        else:
            if plan is None:
                messages.success(
                    request,
                    _(
                        "Imported %(rows)d rows of %(kind)s: %(new)d recorded, %(unchanged)d "
                        "already recorded."
                    )
                    % {
                        "rows": result.rows,
                        "kind": HistoryKind(kind).label,
                        "new": result.created,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect("applications:history")
    return render(
        request,
        "applications/history.html",
        {
            "form": form,
            "errors": errors,
            "plan": plan,
            "kinds": HistoryKind.choices,
            "imports": history_imports()[:10],
        },
        status=400 if errors or form.errors else 200,
    )


@require_GET
def history_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """An empty file with the columns of one kind, as .xlsx or as CSV (UTF-8 with BOM)."""
    _require_office(request)
    if kind not in HistoryKind.values or fmt not in ("xlsx", "csv"):
        raise Http404
    header = template_header(kind)
    filename = f"history-{kind}"
    if fmt == "xlsx":
        return workbook_response(
            filename=filename, sheets=[(str(HistoryKind(kind).label), header, [])]
        )
    text = io.StringIO()
    csv.writer(text).writerow(header)
    response = HttpResponse(("\ufeff" + text.getvalue()).encode(), content_type="text/csv")
    return private_download(response, f"{filename}.csv")
