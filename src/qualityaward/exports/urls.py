from django.urls import path

from . import views
from .enums import ExportKind

app_name = "exports"

urlpatterns = [
    path(
        "cycles/<int:cycle_pk>/score-sheets/",
        views.export_page,
        {"kind": ExportKind.SCORE_SHEETS.value},
        name=ExportKind.SCORE_SHEETS.value,
    ),
    path(
        "cycles/<int:cycle_pk>/archive/",
        views.export_page,
        {"kind": ExportKind.ARCHIVE.value},
        name=ExportKind.ARCHIVE.value,
    ),
    path(
        "cycles/<int:cycle_pk>/reports/",
        views.export_page,
        {"kind": ExportKind.REPORTS.value},
        name=ExportKind.REPORTS.value,
    ),
    path("<int:pk>/status/", views.export_status, name="status"),
    path("<int:pk>/download/", views.export_download, name="download"),
]
