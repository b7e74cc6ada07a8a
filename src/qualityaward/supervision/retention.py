"""How long personal data are kept (PIPL art. 19): each kind has its period in
settings.QA_RETENTION, counted from the day its cycle closed (or, for login records,
from the day they were made). What is past it is anonymised or deleted by
`manage.py retention --apply`, which reports what it did and records it in the audit
trail. The award's own records (who applied, scores, decisions, awards) are public
records and are kept."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.utils import timezone

from qualityaward.applications.models import Application
from qualityaward.core.audit import audit_append
from qualityaward.core.models import AuditRecord
from qualityaward.decisions.models import Award, Objection, PublicComment

ANONYMOUS = "（已匿名）"


@dataclass(frozen=True)
class Due:
    """One kind of data: how many rows are past their period, and what happens to them."""

    kind: str
    rows: int
    action: str


def _closed_cycles_before(cutoff: datetime.datetime) -> list[int]:
    """Cycles closed before `cutoff`: the close is the audit record of cycle_close."""
    return [
        int(pk)
        for pk in AuditRecord.objects.filter(
            action="supervision.cycle_close", object_type="cycles.cycle", created_at__lt=cutoff
        ).values_list("object_id", flat=True)
    ]


def _years_ago(now: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def _querysets(now: datetime.datetime) -> dict[str, tuple[models.QuerySet, str]]:
    rules = settings.QA_RETENTION
    contact_cycles = _closed_cycles_before(_years_ago(now, rules["public_contacts_years"]))
    application_cycles = _closed_cycles_before(_years_ago(now, rules["application_contacts_years"]))
    winners = Award.objects.values("winner__application")
    login_cutoff = now - datetime.timedelta(days=rules["login_records_days"])
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return {
        "public_comment_contacts": (
            PublicComment.objects.filter(publication__cycle__in=contact_cycles).exclude(
                name=ANONYMOUS
            ),
            "anonymise",
        ),
        "objection_contacts": (
            Objection.objects.filter(publicity__cycle__in=contact_cycles).exclude(name=ANONYMOUS),
            "anonymise",
        ),
        "application_contacts": (
            Application.objects.filter(cycle__in=application_cycles)
            .exclude(pk__in=winners)
            .exclude(contact_person="", contact_phone=""),
            "anonymise",
        ),
        "failed_logins": (AccessAttempt.objects.filter(attempt_time__lt=login_cutoff), "delete"),
        "login_failure_log": (
            AccessFailureLog.objects.filter(attempt_time__lt=login_cutoff),
            "delete",
        ),
        "login_log": (AccessLog.objects.filter(attempt_time__lt=login_cutoff), "delete"),
        "expired_sessions": (Session.objects.filter(expire_date__lt=now), "delete"),
    }


def retention_due(*, now: datetime.datetime | None = None) -> list[Due]:
    """What is past its retention period now, per kind (nothing is changed)."""
    return [
        Due(kind, queryset.count(), action)
        for kind, (queryset, action) in _querysets(now or timezone.now()).items()
    ]


@transaction.atomic
def retention_apply(*, actor, now: datetime.datetime | None = None) -> list[Due]:
    """Anonymise or delete what is past its period, in one transaction, and record it."""
    now = now or timezone.now()
    done = []
    for kind, (queryset, action) in _querysets(now).items():
        if action == "delete":
            rows, _ = queryset.delete()
        elif kind == "application_contacts":
            rows = queryset.update(contact_person="", contact_phone="")
        else:
            rows = queryset.update(name=ANONYMOUS, contact="")
        done.append(Due(kind, rows, action))
    audit_append(
        actor=actor,
        action="supervision.retention_applied",
        changes={due.kind: due.rows for due in done},
    )
    return done
