"""Concurrency and faults: two people changing the same thing at once get exactly one
change and one audit record, and the other a clear message; a failure halfway through a
multi-step change leaves nothing half-written.

The races run in threads, each with its own database connection, released together by a
barrier; the services' select_for_update (PostgreSQL) or IMMEDIATE transactions (SQLite)
make the second writer wait and then see the first one's change."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord

from ..factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def real_connections(transactional_db):
    """Skip on the in-memory SQLite test database: its threads share one cache, where a
    table lock fails at once ("database table is locked") instead of waiting, so races
    are meaningful on PostgreSQL (and on a SQLite file, as in production)."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and ("memory" in name or name == ":memory:"):
        pytest.skip("races need separate connections: run on PostgreSQL (DATABASE_URL)")


needs_real_connections = pytest.mark.usefixtures("real_connections")


def race(*calls) -> list[object]:
    """Run the calls at the same moment in threads; return each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            with translation.override("en"):
                results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _audits(action: str) -> int:
    return AuditRecord.objects.filter(action=action).count()


def _submitted(cycle):
    from qualityaward.applications.services.applications import application_submit

    from ..applications.factories import applicant_user, published_call, ready_application

    application, user = ready_application(published_call(cycle), user=applicant_user())
    application_submit(application=application, actor=user)
    return application


@needs_real_connections
def test_two_office_staff_starting_the_same_stage_make_one_change(cycle):
    from qualityaward.cycles.models import CycleStage
    from qualityaward.cycles.services import stage_start

    first, second = UserFactory(roles=[Role.OFFICE]), UserFactory(roles=[Role.OFFICE])
    on = datetime.date(2026, 9, 14)
    before = _audits("cycles.stage_start")
    results = race(
        lambda: stage_start(cycle=cycle, code="call", on=on, actor=first),
        lambda: stage_start(cycle=cycle, code="call", on=on, actor=second),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], QualityAwardError)
    assert "already started" in errors[0].message
    assert CycleStage.objects.get(cycle=cycle, code="call").started_on == on
    assert _audits("cycles.stage_start") == before + 1


@needs_real_connections
def test_a_double_clicked_submit_submits_once(cycle, media_root):
    from qualityaward.applications.models import Application
    from qualityaward.applications.services.applications import application_submit

    from ..applications.factories import applicant_user, published_call, ready_application

    application, user = ready_application(published_call(cycle), user=applicant_user())
    before = _audits("applications.application_transition")
    results = race(
        lambda: application_submit(application=application, actor=user),
        lambda: application_submit(application=application, actor=user),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert "already been submitted" in errors[0].message
    stored = Application.objects.get(pk=application.pk)
    assert stored.state == "submitted"
    assert stored.receipt_number.endswith("-0001")
    assert Application.objects.filter(cycle=cycle, receipt_seq__isnull=False).count() == 1
    assert _audits("applications.application_transition") - before == 1


@needs_real_connections
def test_two_office_staff_passing_the_same_application_pass_it_once(cycle, media_root):
    from qualityaward.applications.models import Application, ReviewDecision
    from qualityaward.applications.services.reviews import review_pass

    application = _submitted(cycle)
    first, second = UserFactory(roles=[Role.OFFICE]), UserFactory(roles=[Role.OFFICE])
    before = _audits("applications.review_pass")
    results = race(
        lambda: review_pass(application=application, actor=first),
        lambda: review_pass(application=application, actor=second),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], QualityAwardError)
    assert Application.objects.get(pk=application.pk).state == "qualified"
    assert ReviewDecision.objects.filter(application=application).count() == 1
    assert _audits("applications.review_pass") == before + 1


# --- a failure halfway leaves nothing half-written --------------------------------------


class Boom(Exception):
    pass


def test_review_pass_failing_at_its_audit_record_changes_nothing(cycle, media_root, monkeypatch):
    from qualityaward.applications.models import Application, ReviewDecision
    from qualityaward.applications.services import applications as app_services
    from qualityaward.applications.services.reviews import review_pass

    application = _submitted(cycle)
    office = UserFactory(roles=[Role.OFFICE])
    before = AuditRecord.objects.count()

    def fail(**kwargs):
        raise Boom("the audit trail is unavailable")

    # The decision is written and audited first; the state change's audit record fails.
    monkeypatch.setattr(app_services, "audit_append", fail)
    with pytest.raises(Boom):
        review_pass(application=application, actor=office)
    assert Application.objects.get(pk=application.pk).state == "submitted"
    assert ReviewDecision.objects.filter(application=application).count() == 0
    assert AuditRecord.objects.count() == before


def test_submit_failing_at_its_last_step_leaves_a_draft_without_receipt(
    cycle, media_root, monkeypatch
):
    from qualityaward.applications.models import Application
    from qualityaward.applications.services import applications as app_services
    from qualityaward.documents.models import StoredFile

    from ..applications.factories import applicant_user, published_call, ready_application

    application, user = ready_application(published_call(cycle), user=applicant_user())
    audits, files = AuditRecord.objects.count(), StoredFile.objects.count()

    def fail(**kwargs):
        raise Boom("the state change failed")

    # The snapshot and its PDF are stored before the state change, which fails.
    monkeypatch.setattr(app_services, "application_transition", fail)
    with pytest.raises(Boom):
        app_services.application_submit(application=application, actor=user)
    stored = Application.objects.get(pk=application.pk)
    assert (stored.state, stored.receipt_number, stored.snapshot_pdf_id) == ("draft", "", None)
    assert StoredFile.objects.count() == files
    assert AuditRecord.objects.count() == audits
