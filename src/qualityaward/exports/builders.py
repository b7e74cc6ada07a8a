"""What each kind of export writes. A builder writes the file to `out`, reports
`progress(done, total)` as it goes, and returns the name the user downloads it as."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Sequence, Sized
from typing import IO, Any

from qualityaward.documents.xlsx import XLSX_CONTENT_TYPE, Sheet, workbook_bytes
from qualityaward.evaluation.report_pdfs import report_file_name, report_pdfs
from qualityaward.evaluation.selectors.conflicts import conflicted_applicant_ids
from qualityaward.evaluation.selectors.reports import score_sheets, submitted_item_scores
from qualityaward.evaluation.selectors.results import application_results
from qualityaward.supervision.services.archive import cycle_archive_export

from .enums import ExportKind
from .models import Export

Progress = Callable[[int, int], None]
# Report progress every this many rows of a score sheet.
ROWS_PER_STEP = 1000


def _counted(rows: Iterable[Sequence[Any]], on_row: Callable[[], None]):
    for row in rows:
        yield row
        on_row()


def build_score_sheets(*, export: Export, out: IO[bytes], progress: Progress) -> str:
    """The workbook the score sheets page always gave this user: expert names only for
    those allowed to see them, without the applicants the user must recuse from."""
    user = export.requested_by
    with_names = user.has_perm("evaluation.score_sheets_with_names")
    hidden = conflicted_applicant_ids(user=user)
    sheets = score_sheets(cycle=export.cycle, with_names=with_names, hidden_applicant_ids=hidden)
    total = sum(len(rows) for _, _, rows in sheets if isinstance(rows, Sized))
    total += submitted_item_scores(cycle=export.cycle, hidden_applicant_ids=hidden).count()
    progress(0, total)
    done = 0

    def on_row() -> None:
        nonlocal done
        done += 1
        if done % ROWS_PER_STEP == 0:
            progress(done, total)

    counted: list[Sheet] = [
        (title, header, _counted(rows, on_row)) for title, header, rows in sheets
    ]
    out.write(workbook_bytes(sheets=counted))
    progress(total, total)
    suffix = "" if with_names else "-wg"
    return f"scores-{export.cycle_id}{suffix}.xlsx"


def build_archive(*, export: Export, out: IO[bytes], progress: Progress) -> str:
    cycle_archive_export(cycle=export.cycle, out=out, actor=export.requested_by, progress=progress)
    return f"cycle-{export.cycle.number}-archive.zip"


def build_reports(*, export: Export, out: IO[bytes], progress: Progress) -> str:
    """The evaluation report (PDF) of every application of the cycle that has one (the
    qualified ones and any with a panel), without the applicants the user must recuse
    from; one step per report. Stored uncompressed: PDFs are compressed already."""
    hidden = conflicted_applicant_ids(user=export.requested_by)
    applications = sorted(
        (
            r.application
            for r in application_results(cycle=export.cycle)
            if r.application.applicant_id not in hidden
        ),
        key=lambda a: a.pk,
    )
    total = len(applications)
    progress(0, total)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        pdfs = report_pdfs([a.pk for a in applications])
        for done, (application, pdf) in enumerate(zip(applications, pdfs, strict=True), 1):
            archive.writestr(report_file_name(application), pdf)
            progress(done, total)
    return f"cycle-{export.cycle.number}-reports.zip"


BUILDERS: dict[str, Callable[..., str]] = {
    ExportKind.SCORE_SHEETS: build_score_sheets,
    ExportKind.ARCHIVE: build_archive,
    ExportKind.REPORTS: build_reports,
}
CONTENT_TYPES = {
    ExportKind.SCORE_SHEETS: XLSX_CONTENT_TYPE,
    ExportKind.ARCHIVE: "application/zip",
    ExportKind.REPORTS: "application/zip",
}
# Who may ask for each kind (and download it): the permission the old download had.
PERMISSIONS = {
    ExportKind.SCORE_SHEETS: "evaluation.download_score_sheets",
    ExportKind.ARCHIVE: "supervision.export_archive",
    ExportKind.REPORTS: "evaluation.export_reports",
}
