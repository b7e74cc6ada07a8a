"""Personal data are kept only as long as QA_RETENTION says (PIPL art. 19)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from qualityaward.applications.models import Application
from qualityaward.core.audit import verify_chain
from qualityaward.core.models import AuditRecord
from qualityaward.decisions.models import Objection, PublicComment
from qualityaward.supervision.enums import CaseStatus
from qualityaward.supervision.models import RevocationCase
from qualityaward.supervision.retention import ANONYMOUS, retention_apply, retention_due
from qualityaward.supervision.services.archive import cycle_close

from ..authz.scenario import build_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(cycle, media_root):
    scenario = build_scenario(cycle)
    RevocationCase.objects.filter(award__cycle=cycle).update(status=CaseStatus.CLOSED)
    cycle_close(cycle=cycle, actor=scenario.users["office"])
    return scenario


def _later(years=0, days=0):
    return timezone.now() + datetime.timedelta(days=365 * years + days + 2)


def due(now) -> dict[str, int]:
    return {d.kind: d.rows for d in retention_due(now=now)}


def test_nothing_is_due_inside_the_periods(closed):
    counts = due(_later(years=2))
    assert counts["public_comment_contacts"] == 0
    assert counts["objection_contacts"] == 0
    assert counts["application_contacts"] == 0


def test_past_the_periods_contacts_are_anonymised_and_winners_kept(closed):
    assert PublicComment.objects.exclude(contact="").exists()
    winner_application = closed.objects["application_a"]
    before = Application.objects.get(pk=winner_application.pk).contact_phone
    done = {d.kind: d.rows for d in retention_apply(actor="test", now=_later(years=6))}
    assert done["public_comment_contacts"] == PublicComment.objects.count() > 0
    assert done["objection_contacts"] == Objection.objects.count() > 0
    assert set(PublicComment.objects.values_list("name", "contact")) == {(ANONYMOUS, "")}
    assert set(Objection.objects.values_list("name", "contact")) == {(ANONYMOUS, "")}
    # The winner's application keeps its contact; those that won nothing lose theirs.
    assert Application.objects.get(pk=winner_application.pk).contact_phone == before
    # (The scenario's second award runs a cycle still open: its applications keep theirs.)
    losers = Application.objects.filter(cycle=closed.objects["cycle"]).exclude(
        pk=winner_application.pk
    )
    assert set(losers.values_list("contact_person", "contact_phone")) <= {("", "")}
    record = AuditRecord.objects.get(action="supervision.retention_applied")
    assert record.changes["public_comment_contacts"] == done["public_comment_contacts"]
    assert verify_chain()[1] is None
    # Applying again finds nothing more.
    assert sum(due(_later(years=6)).values()) == 0


def test_old_login_records_are_deleted(closed):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="x",
        ip_address="10.0.0.1",
        user_agent="",
        http_accept="",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    assert due(_later(days=100))["failed_logins"] == 0
    assert due(_later(days=200))["failed_logins"] == 1


def test_the_command_is_a_dry_run_unless_told(closed, capsys):
    call_command("retention")
    out = capsys.readouterr().out
    assert "dry run" in out and "public_comment_contacts: 0 to anonymise" in out
    assert not AuditRecord.objects.filter(action="supervision.retention_applied").exists()
