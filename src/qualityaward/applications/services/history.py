"""Importing the office's history (past winners, revocations, fraud bans, the
serious-dishonesty list): the whole file is checked, against itself and against what is
recorded, before anything is written; then everything is written in one transaction
with one audit record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append

from .. import history
from ..enums import HistoryKind, ListKind
from ..history import HistoryFileError, RowError
from ..lists import ListRow
from ..models import HistoryImport, PastAward, PastBan
from ..models.applicants import id_number_index
from ..validators import mask_id_number
from .records import list_rows_import


@dataclass
class HistoryPlan:
    """What importing the file would do: the records to create, and the rows already
    recorded exactly as in the file (left alone, so a file can be imported again)."""

    kind: str
    rows: list[dict[str, Any]]
    new: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    revoke: list[tuple[PastAward, dict[str, Any]]] = field(default_factory=list)

    @property
    def created(self) -> int:
        return len(self.new) + len(self.revoke)


def _identity(row: dict[str, Any]) -> dict[str, str]:
    if row.get("credit_code"):
        return {"credit_code": row["credit_code"], "id_number_index": ""}
    return {"credit_code": "", "id_number_index": id_number_index(row["id_number"])}


def _identified(row: dict[str, Any]) -> dict[str, str]:
    """The identity columns of a new record (the identity number only masked)."""
    masked = mask_id_number(row["id_number"]) if row.get("id_number") else ""
    return {**_identity(row), "id_number_masked": masked, "name": row["name"]}


def _key(identity: dict[str, str]) -> tuple[str, str]:
    return identity["credit_code"], identity["id_number_index"]


def _recorded(model, rows: list[dict[str, Any]], field_name: str, lock: bool) -> dict:
    """The recorded rows of `model` for the identities in `rows`, by (identity, field)."""
    codes = {row["credit_code"] for row in rows if row.get("credit_code")}
    indexes = {_identity(row)["id_number_index"] for row in rows if row.get("id_number")}
    queryset = model.objects.filter(credit_code__in=codes) | model.objects.filter(
        id_number_index__in=indexes
    )
    if lock:
        queryset = queryset.select_for_update()
    return {
        (record.credit_code, record.id_number_index, getattr(record, field_name)): record
        for record in queryset
    }


def _plan_winners(plan: HistoryPlan, errors: list[RowError], lock: bool) -> None:
    recorded = _recorded(PastAward, plan.rows, "award_year", lock)
    for row in plan.rows:
        record = recorded.get((*_key(_identity(row)), row["award_year"]))
        wanted = (row["award_name"], row["awarded_on"], row.get("document_number", ""))
        if record is None:
            plan.new.append(row)
        elif (record.award_name, record.awarded_on, record.document_number) == wanted:
            plan.unchanged += 1
        else:
            errors.append(
                RowError(
                    row["row"],
                    "",
                    _(
                        "the award of %(year)d to this winner is already recorded with a "
                        "different award, date or document (%(recorded)s)."
                    )
                    % {"year": row["award_year"], "recorded": record.awarded_on.isoformat()},
                )
            )


def _plan_revocations(plan: HistoryPlan, errors: list[RowError], lock: bool) -> None:
    recorded = _recorded(PastAward, plan.rows, "award_year", lock)
    for row in plan.rows:
        award = recorded.get((*_key(_identity(row)), row["award_year"]))
        if award is None:
            errors.append(
                RowError(
                    row["row"],
                    "",
                    _(
                        "no past winner with this code or identity number in %(year)d: import "
                        "the winners first."
                    )
                    % {"year": row["award_year"]},
                )
            )
        elif award.revoked_on is None:
            if row["revoked_on"] < award.awarded_on:
                errors.append(
                    RowError(
                        row["row"],
                        "",
                        _("the revocation is dated before the award (%(date)s).")
                        % {"date": award.awarded_on.isoformat()},
                    )
                )
            else:
                plan.revoke.append((award, row))
        elif (award.revoked_on, award.revocation_reference) == (
            row["revoked_on"],
            row["decision_number"],
        ):
            plan.unchanged += 1
        else:
            errors.append(
                RowError(
                    row["row"],
                    "",
                    _("this award is already recorded as revoked on %(date)s (%(reference)s).")
                    % {
                        "date": award.revoked_on.isoformat(),
                        "reference": award.revocation_reference,
                    },
                )
            )


def _plan_bans(plan: HistoryPlan, errors: list[RowError], lock: bool) -> None:
    recorded = _recorded(PastBan, plan.rows, "started_on", lock)
    for row in plan.rows:
        ban = recorded.get((*_key(_identity(row)), row["started_on"]))
        if ban is None:
            plan.new.append(row)
        elif (ban.years, ban.decision_number) == (row["years"], row["decision_number"]):
            plan.unchanged += 1
        else:
            errors.append(
                RowError(
                    row["row"],
                    "",
                    _(
                        "a ban from this date is already recorded with %(years)d years "
                        "(%(reference)s)."
                    )
                    % {"years": ban.years, "reference": ban.decision_number},
                )
            )


def _plan(kind: str, data: bytes, *, today: datetime.date, lock: bool) -> HistoryPlan:
    plan = HistoryPlan(kind=kind, rows=history.parse(kind, data, today=today))
    errors: list[RowError] = []
    if kind == HistoryKind.WINNERS:
        _plan_winners(plan, errors, lock)
    elif kind == HistoryKind.REVOCATIONS:
        _plan_revocations(plan, errors, lock)
    elif kind == HistoryKind.BANS:
        _plan_bans(plan, errors, lock)
    else:
        plan.new = plan.rows
    if errors:
        raise HistoryFileError(errors)
    return plan


def history_check(*, kind: str, data: bytes) -> HistoryPlan:
    """What importing the file would do, writing nothing; HistoryFileError lists every
    problem by row and column."""
    return _plan(kind, data, today=timezone.localdate(), lock=False)


@dataclass(frozen=True)
class HistoryResult:
    kind: str
    rows: int
    created: int
    unchanged: int


@transaction.atomic
def history_import(*, kind: str, data: bytes, filename: str = "", actor) -> HistoryResult:
    """Check the whole file and, only if every row is right, write it: all rows or none."""
    plan = _plan(kind, data, today=timezone.localdate(), lock=True)
    if kind == HistoryKind.DISHONESTY:
        rows = [
            ListRow(
                row["row"],
                row["credit_code"],
                row["name"],
                row["listed_on"],
                row.get("removed_on"),
                row["authority"],
            )
            for row in plan.rows
        ]
        list_batch = list_rows_import(
            kind=ListKind.SERIOUS_DISHONESTY, rows=rows, filename=filename, actor=actor
        )
        written = list_batch.created_count + list_batch.updated_count
        return HistoryResult(kind, list_batch.row_count, written, list_batch.row_count - written)
    batch = HistoryImport.record(
        filename=filename,
        actor=actor,
        kind=kind,
        row_count=len(plan.rows),
        created_count=plan.created,
        unchanged_count=plan.unchanged,
    )
    if kind == HistoryKind.WINNERS:
        PastAward.objects.bulk_create(
            PastAward(
                **_identified(row),
                award_year=row["award_year"],
                award_name=row["award_name"],
                awarded_on=row["awarded_on"],
                document_number=row.get("document_number", ""),
                source_import=batch,
            )
            for row in plan.new
        )
    elif kind == HistoryKind.BANS:
        PastBan.objects.bulk_create(
            PastBan(
                **_identified(row),
                started_on=row["started_on"],
                years=row["years"],
                reason=row["reason"],
                decision_number=row["decision_number"],
                source_import=batch,
            )
            for row in plan.new
        )
    for award, row in plan.revoke:
        award.revoked_on = row["revoked_on"]
        award.revocation_reason = row["reason"]
        award.revocation_reference = row["decision_number"]
        award.revocation_import = batch
    PastAward.objects.bulk_update(
        [award for award, _row in plan.revoke],
        ["revoked_on", "revocation_reason", "revocation_reference", "revocation_import"],
    )
    audit_append(
        actor=actor,
        action="applications.history_import",
        obj=batch,
        changes={
            "kind": kind,
            "filename": filename,
            "rows": batch.row_count,
            "created": batch.created_count,
            "unchanged": batch.unchanged_count,
        },
    )
    return HistoryResult(kind, batch.row_count, batch.created_count, batch.unchanged_count)
