"""The audit trail: append in the change's own transaction, verify the chain."""

import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .crypto import SHA256, digest_algorithm, digest_hex
from .models import AuditHead, AuditRecord
from .request_context import current_request_id

GENESIS_HASH = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)


def record_digest(record: AuditRecord) -> str:
    payload = {
        "seq": record.seq,
        "created_at": record.created_at.isoformat(),
        "actor_id": record.actor_id,
        "actor_label": record.actor_label,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "object_repr": record.object_repr,
        "changes": record.changes,
        "request_id": record.request_id,
        "prev_hash": record.prev_hash,
    }
    if record.algorithm != SHA256:
        # Hashed too, so a record cannot be passed off as hashed with another algorithm;
        # left out for SHA-256 so the records written before SM3 keep their hashes.
        payload["algorithm"] = record.algorithm
    if record.award_id is not None:
        # Hashed when set; records of no award (and those written before) keep their hashes.
        payload["award_id"] = record.award_id
    return digest_hex(_canonical(payload).encode(), record.algorithm)


def audit_append(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one record. Must run inside the transaction of the change it records."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit_append must be called inside transaction.atomic()")
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS_HASH)
    from qualityaward.accounts.scoping import award_of

    is_user = getattr(actor, "is_authenticated", False)
    record = AuditRecord(
        seq=head.last_seq + 1,
        created_at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else str(actor or "system"))[:200],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        award_id=award_of(obj),
        # Round-trip through JSON so what is hashed is exactly what the database returns.
        changes=json.loads(_canonical(changes or {})),
        request_id=current_request_id(),
        prev_hash=head.last_hash,
        algorithm=digest_algorithm(),
    )
    record.record_hash = record_digest(record)
    record.save()
    AuditHead.objects.filter(pk=1).update(last_seq=record.seq, last_hash=record.record_hash)
    return record


def audit_sequence() -> int:
    """The number of the last audit record. Every change of state appends one in its own
    transaction, so this is a version of all the data: caches key on it."""
    return AuditHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Walk the chain in order. Returns (records checked, first break or None)."""
    records = AuditRecord.objects.order_by("seq").iterator(chunk_size=2000)
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for record in records:
        if record.seq != expected_seq:
            return checked, ChainBreak(expected_seq, "missing")
        if record.prev_hash != expected_prev:
            return checked, ChainBreak(record.seq, "previous hash does not match")
        try:
            digest = record_digest(record)
        except ValueError:
            return checked, ChainBreak(record.seq, f"unknown digest algorithm {record.algorithm}")
        if digest != record.record_hash:
            return checked, ChainBreak(record.seq, "content does not match its hash")
        expected_prev = record.record_hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != checked:
        return checked, ChainBreak(checked + 1, "missing")
    return checked, None
