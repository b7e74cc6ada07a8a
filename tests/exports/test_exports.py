"""Score sheets and the cycle archive prepared in the background: who may ask, the
progress shown, the finished file, who may download it, and a failure shown as such."""

from __future__ import annotations

import datetime
import io
import threading
import zipfile

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from qualityaward.accounts.enums import Role
from qualityaward.applications.models import Application
from qualityaward.core.errors import NotAllowed
from qualityaward.core.models import AuditRecord
from qualityaward.documents.pdf import pdf_text
from qualityaward.documents.xlsx import workbook_bytes
from qualityaward.evaluation import report_pdfs
from qualityaward.evaluation.models import StaffConflict
from qualityaward.evaluation.selectors.reports import score_sheets
from qualityaward.exports import builders, services
from qualityaward.exports.enums import ExportState
from qualityaward.exports.models import Export
from qualityaward.exports.services import export_request, export_run
from qualityaward.supervision.archive import verify_archive

from ..evaluation.factories import qualified_application
from ..evaluation.outputs import STRENGTH, agreed_panel
from ..factories import UserFactory
from ..supervision.factories import awarded_expense


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def audit_actions(export: Export) -> list[str]:
    return list(
        AuditRecord.objects.filter(object_type="exports.export", object_id=str(export.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def rows_of(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


@pytest.fixture
def office(user_with_role):
    return user_with_role(Role.OFFICE)


@pytest.fixture
def scored(cycle):
    return agreed_panel(cycle)


@pytest.fixture
def expense(cycle, media_root):
    """An expense of the cycle's award with its evidence: a file in the archive."""
    return awarded_expense(cycle)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.EXPERT, "score_sheets"),
        (Role.SUPERVISOR, "score_sheets"),
        (Role.WORKING_GROUP, "archive"),
        (Role.WORKING_GROUP, "reports"),
        (Role.SUPERVISOR, "reports"),
    ],
)
def test_asking_without_the_permission_of_the_old_download_is_refused(
    cycle, user_with_role, role, kind
):
    user = user_with_role(role)
    with pytest.raises(NotAllowed):
        export_request(kind=kind, cycle=cycle, actor=user)
    assert not Export.objects.exists()
    assert client_for(user).post(reverse(f"exports:{kind}", args=[cycle.pk])).status_code == 403
    assert not Export.objects.exists()


@pytest.mark.django_db
def test_asking_again_while_it_is_prepared_returns_the_same_export(
    cycle, office, scored, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as started:
        first = export_request(kind="score_sheets", cycle=cycle, actor=office)
    assert len(started) == 1  # the background work starts once the request commits
    with django_capture_on_commit_callbacks() as started_again:
        again = export_request(kind="score_sheets", cycle=cycle, actor=office)
    assert again.pk == first.pk and started_again == []
    assert audit_actions(first) == ["exports.export_request"]
    # Another user, or another kind, is another export.
    other = export_request(kind="score_sheets", cycle=cycle, actor=UserFactory(roles=[Role.OFFICE]))
    archive = export_request(kind="archive", cycle=cycle, actor=office)
    assert len({first.pk, other.pk, archive.pk}) == 3
    # Once done, asking again prepares a new file; the earlier one is removed.
    done = export_run(export_id=first.pk)
    assert done.state == ExportState.DONE
    assert audit_actions(first) == [
        "exports.export_request",
        "exports.export_start",
        "exports.export_done",
    ]
    old_name = done.file.name
    assert done.file.storage.exists(old_name)
    second = export_request(kind="score_sheets", cycle=cycle, actor=office)
    assert second.pk != first.pk
    with django_capture_on_commit_callbacks(execute=True):
        export_run(export_id=second.pk)
    first.refresh_from_db()
    assert not first.file and not done.file.storage.exists(old_name)
    # A task run twice (a redelivered message) does the work once.
    assert export_run(export_id=second.pk) is None


@pytest.mark.django_db
def test_an_export_that_stopped_moving_is_replaced_when_asked_again(cycle, office):
    stalled = export_request(kind="score_sheets", cycle=cycle, actor=office)
    Export.objects.filter(pk=stalled.pk).update(
        state=ExportState.RUNNING, updated_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    with translation.override("en"):
        fresh = export_request(kind="score_sheets", cycle=cycle, actor=office)
    stalled.refresh_from_db()
    assert fresh.pk != stalled.pk and fresh.state == ExportState.QUEUED
    assert stalled.state == ExportState.FAILED and "interrupted" in stalled.error
    assert audit_actions(stalled)[-1] == "exports.export_fail"


@pytest.mark.django_db
def test_progress_counts_every_row_and_reaches_the_total(cycle, office, scored, monkeypatch):
    monkeypatch.setattr(builders, "ROWS_PER_STEP", 10)
    export = export_request(kind="score_sheets", cycle=cycle, actor=office)
    steps: list[tuple[int, int]] = []
    builders.build_score_sheets(
        export=export, out=io.BytesIO(), progress=lambda done, total: steps.append((done, total))
    )
    # One totals row and 2 members x 23 items.
    assert steps == [(n, 47) for n in (0, 10, 20, 30, 40)] + [(47, 47)]


@pytest.mark.django_db
def test_archive_progress_counts_its_models_files_and_audit_segment(cycle, office, expense):
    export = export_request(kind="archive", cycle=cycle, actor=office)
    steps: list[tuple[int, int]] = []
    out = io.BytesIO()
    builders.build_archive(export=export, out=out, progress=lambda *step: steps.append(step))
    total = steps[-1][1]
    assert steps == [(n, total) for n in range(1, total + 1)]
    with zipfile.ZipFile(out) as archive:
        records = [n for n in archive.namelist() if n.startswith("records/")]
        files = [n for n in archive.namelist() if n.startswith("files/")]
    assert total == len(records) + len(files) + 1


@pytest.mark.django_db
def test_progress_is_written_to_the_export_at_most_every_interval(cycle, office, monkeypatch):
    export = export_request(kind="score_sheets", cycle=cycle, actor=office)
    write = services._ProgressWriter(export)
    write(5, 100)
    export.refresh_from_db()
    assert (export.done, export.total, export.percent) == (5, 100, 5)
    write(6, 100)  # within the interval: not written
    export.refresh_from_db()
    assert export.done == 5
    write(100, 100)  # the last step always is
    export.refresh_from_db()
    assert export.done == 100


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "named"), [(Role.OFFICE, True), (Role.WORKING_GROUP, False)])
def test_the_finished_file_is_the_workbook_the_page_gave_before(
    cycle, scored, media_root, role, named
):
    user = UserFactory(roles=[role])
    with translation.override("en"):
        export = export_request(kind="score_sheets", cycle=cycle, actor=user)
    export = export_run(export_id=export.pk)
    with translation.override("en"):
        synchronous = workbook_bytes(
            sheets=score_sheets(cycle=cycle, with_names=named, hidden_applicant_ids=set())
        )
    response = client_for(user).get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200
    downloaded = response.getvalue()
    assert rows_of(downloaded) == rows_of(synchronous)
    assert len(rows_of(downloaded)["Item scores"]) == 1 + 2 * 23
    assert response["Content-Type"] == builders.CONTENT_TYPES["score_sheets"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    expected_name = f"scores-{cycle.pk}.xlsx" if named else f"scores-{cycle.pk}-wg.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    assert export.size == len(downloaded)


@pytest.mark.django_db
def test_an_export_is_its_requesters_alone(cycle, office, scored, media_root):
    export = export_run(export_id=export_request(kind="score_sheets", cycle=cycle, actor=office).pk)
    urls = [reverse(f"exports:{name}", args=[export.pk]) for name in ("status", "download")]
    # Another user with the same right, or another role: 404.
    for other in (UserFactory(roles=[Role.OFFICE]), UserFactory(roles=[Role.SUPERVISOR])):
        client = client_for(other)
        assert [client.get(url).status_code for url in urls] == [404, 404]
    # Another user's page of the cycle does not show it.
    colleague = client_for(UserFactory(roles=[Role.OFFICE]))
    page = colleague.get(reverse("exports:score_sheets", args=[cycle.pk]))
    assert page.status_code == 200 and export.filename not in page.content.decode()
    # A cycle that does not exist: 404.
    assert colleague.get(reverse("exports:score_sheets", args=[cycle.pk + 99])).status_code == 404
    # The requester who lost the right no longer gets it.
    office.role_grants.all().delete()
    client = client_for(type(office).objects.get(pk=office.pk))
    assert [client.get(url).status_code for url in urls] == [404, 404]


@pytest.mark.django_db
def test_the_page_shows_progress_live_then_the_download(cycle, office, scored, media_root):
    client = client_for(office)
    page_url = reverse("exports:score_sheets", args=[cycle.pk])
    empty = client.get(page_url).content.decode()
    assert "Prepare the file" in empty and "<progress" not in empty
    assert client.post(page_url).status_code == 302
    export = Export.objects.get(requested_by=office)
    Export.objects.filter(pk=export.pk).update(state=ExportState.RUNNING, done=10, total=47)
    page = client.get(page_url).content.decode()
    status_url = reverse("exports:status", args=[export.pk])
    assert 'aria-live="polite"' in page
    assert '<progress class="w-100" id="export-progress-' in page
    assert 'max="47" value="10"' in page and "10 of 47 steps (21%)" in page
    assert f'hx-get="{status_url}" hx-trigger="every 2s"' in page
    assert f'href="{page_url}">Refresh</a>' in page  # without JavaScript
    assert "Prepare the file" not in page  # while it runs, asking again is not offered
    Export.objects.filter(pk=export.pk).update(state=ExportState.QUEUED)
    export_run(export_id=export.pk)
    fragment = client.get(status_url).content.decode()
    assert "hx-get" not in fragment and "<progress" not in fragment  # polling stops
    assert f'href="{reverse("exports:download", args=[export.pk])}">scores-' in fragment


@pytest.mark.django_db
def test_a_failed_export_shows_its_error_and_keeps_no_file(cycle, office, expense, media_root):
    """The archive of a cycle whose evidence file went missing from the storage."""
    expense.evidence.file.storage.delete(expense.evidence.file.name)
    client = client_for(office)
    page_url = reverse("exports:archive", args=[cycle.pk])
    client.post(page_url)
    export = Export.objects.get(requested_by=office, kind="archive")
    export = export_run(export_id=export.pk)
    assert export.state == ExportState.FAILED
    assert export.error == (
        "The export failed because of an error in the system (FileNotFoundError)."
    )
    assert not export.file
    assert not (media_root / "exports").exists() or not any((media_root / "exports").iterdir())
    assert audit_actions(export)[-1] == "exports.export_fail"
    page = client.get(page_url).content.decode()
    assert "The export failed: The export failed because of an error in the system" in page
    assert "Prepare the file again" in page
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404


@pytest.mark.django_db
def test_a_requester_who_lost_the_right_before_it_ran_gets_a_refusal(cycle, office):
    with translation.override("en"):
        export = export_request(kind="score_sheets", cycle=cycle, actor=office)
    office.role_grants.all().delete()
    assert export_run(export_id=export.pk) is None
    export.refresh_from_db()
    assert export.state == ExportState.FAILED
    assert export.error == "You are not allowed to do this."


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_archive_is_prepared_in_a_thread_after_the_request(
    cycle, office, expense, media_root
):
    client = client_for(office)
    assert client.post(reverse("exports:archive", args=[cycle.pk])).status_code == 302
    # The test database (SQLite in memory) locks whole tables: wait for the thread before
    # reading anything, instead of polling the page while it writes.
    for thread in threading.enumerate():
        if thread.name.startswith("export-"):
            thread.join(timeout=60)
    export = Export.objects.get(requested_by=office)
    records = AuditRecord.objects.filter(object_type="exports.export").order_by("seq")
    asked, *prepared = records.values_list("action", "request_id")
    # Asked in the request; started and finished outside it (no request id).
    assert asked[0] == "exports.export_request" and asked[1] != ""
    assert prepared == [("exports.export_start", ""), ("exports.export_done", "")]
    export.refresh_from_db()
    assert export.state == ExportState.DONE, export.error
    assert (export.done, export.total) == (export.total, export.total) and export.total > 2
    fragment = client.get(reverse("exports:status", args=[export.pk])).content.decode()
    assert "hx-get" not in fragment and export.filename in fragment
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response["Content-Type"] == "application/zip"
    assert verify_archive(io.BytesIO(response.getvalue())).ok
    assert AuditRecord.objects.filter(action="supervision.archive_export").count() == 1


# --- the cycle's evaluation reports -------------------------------------------------------


@pytest.mark.django_db
def test_the_reports_zip_holds_one_report_per_application_except_the_recused(
    cycle, office, scored, media_root, settings
):
    settings.QA_REPORT_WORKERS = 1  # the test database lives in this process only
    application = scored[0]
    unscored = qualified_application(cycle)
    recused = qualified_application(cycle)
    StaffConflict.objects.create(
        user=office, applicant=recused.applicant, reason="亲属", recorded_by=office
    )
    export = export_request(kind="reports", cycle=cycle, actor=office)
    steps: list[tuple[int, int]] = []
    out = io.BytesIO()
    name = builders.build_reports(export=export, out=out, progress=lambda *s: steps.append(s))
    assert name == f"cycle-{cycle.number}-reports.zip"
    assert steps == [(0, 2), (1, 2), (2, 2)]
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == sorted(
            ["评审报告-ELHT-2026-0007.pdf", f"评审报告-application-{unscored.pk}.pdf"]
        )
        scored_text = pdf_text(archive.read("评审报告-ELHT-2026-0007.pdf"))
        unscored_text = pdf_text(archive.read(f"评审报告-application-{unscored.pk}.pdf"))
    assert application.applicant.name in scored_text
    assert STRENGTH in scored_text.replace("\n", "")
    assert unscored.applicant.name in unscored_text
    assert recused.applicant.name not in scored_text + unscored_text


@pytest.mark.django_db
def test_the_office_finds_the_reports_export_from_the_results_and_downloads_the_zip(
    cycle, office, scored, media_root, settings
):
    settings.QA_REPORT_WORKERS = 1
    results_page = reverse("evaluation:cycle_results", args=[cycle.pk])
    reports_page = reverse("exports:reports", args=[cycle.pk])
    assert f'href="{reports_page}"' in client_for(office).get(results_page).content.decode()
    working_group = client_for(UserFactory(roles=[Role.WORKING_GROUP]))
    assert f'href="{reports_page}"' not in working_group.get(results_page).content.decode()
    client = client_for(office)
    assert client.post(reports_page).status_code == 302
    export = export_run(export_id=Export.objects.get(requested_by=office, kind="reports").pk)
    assert export.state == ExportState.DONE, export.error
    assert (export.done, export.total) == (1, 1)
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.getvalue())) as archive:
        assert archive.namelist() == ["评审报告-ELHT-2026-0007.pdf"]


@pytest.mark.django_db(transaction=True)
def test_a_pool_of_two_renders_the_same_reports_in_order(cycle, scored, settings):
    """Worker processes read the database themselves: not the in-memory SQLite of the
    tests (run with DATABASE_URL on PostgreSQL)."""
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("worker processes cannot see an in-memory database")
    ids = [scored[0].pk, qualified_application(cycle).pk]
    settings.QA_REPORT_WORKERS = 2
    pooled = [pdf_text(pdf) for pdf in report_pdfs.report_pdfs(ids)]
    settings.QA_REPORT_WORKERS = 1
    alone = [pdf_text(pdf) for pdf in report_pdfs.report_pdfs(ids)]
    assert [t.split("生成于")[0] for t in pooled] == [t.split("生成于")[0] for t in alone]
    assert "ELHT-2026-0007" in pooled[0] and "ELHT-2026-0007" not in pooled[1]
    # A report that cannot be made fails the whole run, from the worker to the caller.
    settings.QA_REPORT_WORKERS = 2
    with pytest.raises(Application.DoesNotExist):
        list(report_pdfs.report_pdfs([ids[0], max(ids) + 1000, *ids * 4]))
