"""One cycle as one zip: its records, its files, its segment of the audit trail, and a
manifest of SHA-256 hashes; and the check of such a zip.

What is in it
- ``records/<app>.<model>.json``: Django's JSON serialisation of every row that belongs
  to the cycle. A model belongs to a cycle when a chain of foreign keys leads from it to
  ``cycles.Cycle`` (found from the models themselves, so panels, scores and awards are
  included once those apps have them); rows those rows point to in the award's apps are
  added (applicants with their organisation or individual details, the rule set
  version, bans). Users are not exported (only their ids, as the rows hold them).
- ``files/<id><ext>``: the content of every stored file one of those rows points to or
  owns (``StoredFile.owner``), with the StoredFile rows in ``records/``.
- ``audit/segment.json``: every audit record whose object is one of the exported rows or
  files (selected by ``object_type`` = the model's ``app.model`` label and ``object_id``
  in the exported primary keys), in sequence order, with all hashed fields, its
  ``prev_hash`` and ``record_hash``.
- ``manifest.json``: the cycle, the time of export and ``{name, sha256, size}`` of every
  other member (with ``sm3`` too when national cryptography is on, see core.crypto);
  ``manifest.sha256``: the SHA-256 of manifest.json, and ``manifest.sm3`` its SM3.

The check (``verify_archive``) reads the manifest's own hash, then every member's hash,
refuses members the manifest does not list, recomputes ``record_digest`` of every audit
record and, where two exported records are consecutive in the chain, checks that the
later one's ``prev_hash`` is the earlier one's ``record_hash``; and compares each file
with the SHA-256 (and SM3) its StoredFile row records. Every digest present is checked,
so an archive written with either algorithm verifies. The first problem is reported by the name
of the member it was found in.
"""

from __future__ import annotations

import datetime
import json
import zipfile
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any, cast

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from qualityaward.core.audit import record_digest
from qualityaward.core.crypto import SHA256, SM3, digest_hex
from qualityaward.core.models import AuditRecord
from qualityaward.cycles.models import Cycle
from qualityaward.documents.models import StoredFile

FORMAT = "qualityaward-cycle-archive/1"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
MANIFEST_SM3 = "manifest.sm3"
AUDIT_MEMBER = "audit/segment.json"
# The apps whose rows may belong to a cycle, in the order of the flow.
CYCLE_APPS = ("cycles", "applications", "evaluation", "decisions", "supervision")
# Rows of these apps are added when an exported row points to them.
REFERENCED_APPS = (*CYCLE_APPS, "rulesets")
MAX_DEPTH = 4
CHUNK = 500


def _related(f: models.Field) -> type[models.Model]:
    """The model a relation field points to; resolved to a class once the apps are loaded."""
    return cast(type[models.Model], f.related_model)


def _cycle_path(model: type[models.Model]) -> str | None:
    """The shortest lookup from `model` to its cycle ("application__cycle"), or None."""
    if model is Cycle:
        return "pk"
    queue: deque[tuple[type[models.Model], str, int]] = deque([(model, "", 0)])
    seen = {model}
    while queue:
        current, prefix, depth = queue.popleft()
        for f in current._meta.concrete_fields:
            if not f.is_relation or not (f.many_to_one or f.one_to_one):
                continue
            target = _related(f)
            lookup = f"{prefix}{f.name}"
            if target is Cycle:
                return lookup
            if (
                depth + 1 < MAX_DEPTH
                and target not in seen
                and target._meta.app_label in CYCLE_APPS
            ):
                seen.add(target)
                queue.append((target, f"{lookup}__", depth + 1))
    return None


def cycle_models() -> list[tuple[type[models.Model], str]]:
    """Each concrete model of the award's apps with its lookup to the cycle."""
    found = []
    for label in CYCLE_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            if model._meta.proxy or model._meta.abstract:
                continue
            path = _cycle_path(model)
            if path is not None:
                found.append((model, path))
    return found


@dataclass
class Collection:
    """Primary keys of the rows to export, by model."""

    rows: dict[type[models.Model], set[Any]] = field(default_factory=dict)

    def add(self, model: type[models.Model], pks: Iterable[Any]) -> set[Any]:
        known = self.rows.setdefault(model, set())
        new = {pk for pk in pks if pk is not None} - known
        known |= new
        return new


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = sorted(values, key=str)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def collect(cycle: Cycle) -> Collection:
    collection = Collection()
    for model, path in cycle_models():
        lookup = {path: cycle.pk} if path != "pk" else {"pk": cycle.pk}
        collection.add(model, model._default_manager.filter(**lookup).values_list("pk", flat=True))
    # Rows the cycle's rows point to (applicants, the rule set version, bans …).
    pending = deque(list(collection.rows))
    while pending:
        model = pending.popleft()
        for f in model._meta.concrete_fields:
            if not (f.is_relation and (f.many_to_one or f.one_to_one)):
                continue
            target = _related(f)
            if target._meta.app_label not in REFERENCED_APPS or target is StoredFile:
                continue
            ids: set[Any] = set()
            for chunk in _chunks(collection.rows[model]):
                ids.update(
                    model._default_manager.filter(pk__in=chunk).values_list(f.attname, flat=True)
                )
            if collection.add(target, ids) and target not in pending:
                pending.append(target)
    # An applicant's details live in its Organisation or Individual row.
    applicant_model = apps.get_model("applications", "Applicant")
    applicant_ids = collection.rows.get(applicant_model, set())
    for child in (apps.get_model("applications", name) for name in ("Organisation", "Individual")):
        for chunk in _chunks(applicant_ids):
            collection.add(
                child, child._default_manager.filter(pk__in=chunk).values_list("pk", flat=True)
            )
    # Files: pointed to by a row, or owned by one.
    file_ids: set[Any] = set()
    for model, pks in list(collection.rows.items()):
        file_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is StoredFile
        ]
        for chunk in _chunks(pks):
            for attname in file_fields:
                file_ids.update(
                    model._default_manager.filter(pk__in=chunk).values_list(attname, flat=True)
                )
            owner_type = ContentType.objects.get_for_model(model)
            file_ids.update(
                StoredFile.objects.filter(
                    owner_type=owner_type, owner_id__in=[str(pk) for pk in chunk]
                ).values_list("pk", flat=True)
            )
    collection.add(StoredFile, file_ids)
    return collection


def _audit_segment(collection: Collection) -> list[dict]:
    records: dict[int, AuditRecord] = {}
    for model, pks in collection.rows.items():
        for chunk in _chunks(pks):
            for record in AuditRecord.objects.filter(
                object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in chunk]
            ):
                records[record.seq] = record
    return [
        {
            "seq": r.seq,
            "created_at": r.created_at.isoformat(),
            "actor_id": r.actor_id,
            "actor_label": r.actor_label,
            "action": r.action,
            "object_type": r.object_type,
            "object_id": r.object_id,
            "object_repr": r.object_repr,
            "changes": r.changes,
            "request_id": r.request_id,
            "prev_hash": r.prev_hash,
            "record_hash": r.record_hash,
            "algorithm": r.algorithm,
            "award_id": r.award_id,
        }
        for _seq, r in sorted(records.items())
    ]


def _member_digests(data: bytes) -> dict[str, str]:
    """SHA-256 of a member, and its SM3 with national cryptography on."""
    digests = {"sha256": digest_hex(data, SHA256)}
    if settings.QA_NATIONAL_CRYPTO:
        digests["sm3"] = digest_hex(data, SM3)
    return digests


def _digests_differ(data: bytes, recorded: dict[str, Any]) -> bool:
    """Whether any digest the manifest records for `data` does not match it."""
    return any(key in recorded and digest_hex(data, key) != recorded[key] for key in (SHA256, SM3))


def _file_member(stored: StoredFile) -> str:
    ext = PurePosixPath(stored.file.name or "").suffix.lower()[:8]
    return f"files/{stored.pk}{ext}"


def _dump(value: Any) -> bytes:
    return json.dumps(
        value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1, sort_keys=True
    ).encode()


@dataclass(frozen=True)
class ExportSummary:
    members: int
    records: int
    files: int
    audit_records: int
    manifest_sha256: str


def export_cycle(
    *, cycle: Cycle, out: IO[bytes], progress: Callable[[int, int], None] | None = None
) -> ExportSummary:
    """Write the cycle's archive to `out` (a binary file object). `progress(done, total)`
    is called after each step: one per model, one per file, one for the audit segment."""
    collection = collect(cycle)
    members: list[dict] = []
    row_count = 0
    steps = sum(1 for pks in collection.rows.values() if pks)
    total = steps + len(collection.rows.get(StoredFile, set())) + 1
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, data: bytes) -> None:
            archive.writestr(name, data)
            members.append({"name": name, **_member_digests(data), "size": len(data)})

        ordered = sorted(collection.rows.items(), key=lambda item: item[0]._meta.label_lower)
        for model, pks in ordered:
            if not pks:
                continue
            rows: list[models.Model] = []
            for chunk in _chunks(pks):
                rows.extend(model._default_manager.filter(pk__in=chunk))
            rows.sort(key=lambda row: str(row.pk))
            row_count += len(rows)
            put(
                f"records/{model._meta.label_lower}.json",
                serializers.serialize("json", rows, indent=1, ensure_ascii=False).encode(),
            )
            step()
        stored_files: list[StoredFile] = []
        for chunk in _chunks(collection.rows.get(StoredFile, set())):
            stored_files.extend(StoredFile.objects.filter(pk__in=chunk))
        for stored in sorted(stored_files, key=lambda s: str(s.pk)):
            with stored.file.open("rb") as handle:
                put(_file_member(stored), handle.read())
            step()
        segment = _audit_segment(collection)
        put(AUDIT_MEMBER, _dump(segment))
        step()
        manifest = _dump(
            {
                "format": FORMAT,
                "cycle": {
                    "id": cycle.pk,
                    "number": cycle.number,
                    "name": cycle.name,
                    "status": cycle.status,
                },
                "exported_at": timezone.now(),
                "audit_selection": (
                    "audit records whose object_type and object_id name an exported row or file"
                ),
                "members": members,
            }
        )
        manifest_hash = digest_hex(manifest, SHA256)
        archive.writestr(MANIFEST, manifest)
        archive.writestr(MANIFEST_HASH, f"{manifest_hash}  {MANIFEST}\n")
        if settings.QA_NATIONAL_CRYPTO:
            archive.writestr(MANIFEST_SM3, f"{digest_hex(manifest, SM3)}  {MANIFEST}\n")
    return ExportSummary(
        members=len(members) + 2,
        records=row_count,
        files=len(stored_files),
        audit_records=len(segment),
        manifest_sha256=manifest_hash,
    )


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    member: str = ""
    problem: str = ""
    checked_members: int = 0
    checked_audit_records: int = 0

    @property
    def message(self) -> str:
        if self.ok:
            return (
                f"OK: {self.checked_members} members and {self.checked_audit_records} "
                "audit records check out."
            )
        return f"{self.member}: {self.problem}"


def _fail(member: str, problem: str, **counts) -> VerifyResult:
    return VerifyResult(ok=False, member=member, problem=problem, **counts)


def _audit_problem(data: bytes) -> str | None:
    try:
        segment = json.loads(data)
    except ValueError:
        return "not valid JSON"
    previous: dict | None = None
    for entry in segment:
        try:
            record = AuditRecord(
                seq=entry["seq"],
                created_at=datetime.datetime.fromisoformat(entry["created_at"]),
                actor_id=entry["actor_id"],
                actor_label=entry["actor_label"],
                action=entry["action"],
                object_type=entry["object_type"],
                object_id=entry["object_id"],
                object_repr=entry["object_repr"],
                changes=entry["changes"],
                request_id=entry["request_id"],
                prev_hash=entry["prev_hash"],
                algorithm=entry.get("algorithm", SHA256),
                award_id=entry.get("award_id"),
            )
            digest = record_digest(record)
        except (KeyError, TypeError, ValueError):
            return "an audit record is incomplete"
        if digest != entry["record_hash"]:
            return f"audit record #{entry['seq']} does not match its hash"
        if previous is not None:
            if entry["seq"] <= previous["seq"]:
                return f"audit record #{entry['seq']} is out of order"
            if (
                entry["seq"] == previous["seq"] + 1
                and entry["prev_hash"] != previous["record_hash"]
            ):
                return f"audit record #{entry['seq']} does not link to #{previous['seq']}"
        previous = entry
    return None


def verify_archive(source: str | IO[bytes]) -> VerifyResult:
    """Check a cycle archive (a path or a binary file object)."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        return _fail(str(getattr(source, "name", source)), f"not a readable zip file ({error})")
    with archive:
        names = set(archive.namelist())
        for required in (MANIFEST_HASH, MANIFEST):
            if required not in names:
                return _fail(required, "missing")
        try:
            manifest_bytes = archive.read(MANIFEST)
            recorded = archive.read(MANIFEST_HASH).decode().split()[0]
        except (zipfile.BadZipFile, UnicodeDecodeError, IndexError, OSError) as error:
            return _fail(MANIFEST_HASH, f"unreadable ({error})")
        if digest_hex(manifest_bytes, SHA256) != recorded:
            return _fail(MANIFEST, "does not match the hash in manifest.sha256")
        if MANIFEST_SM3 in names:
            recorded_sm3 = archive.read(MANIFEST_SM3).decode().split()[:1]
            if recorded_sm3 != [digest_hex(manifest_bytes, SM3)]:
                return _fail(MANIFEST, "does not match the hash in manifest.sm3")
        try:
            manifest = json.loads(manifest_bytes)
            members = manifest["members"]
        except (ValueError, KeyError):
            return _fail(MANIFEST, "not a manifest of this format")
        checked = 0
        contents: dict[str, bytes] = {}
        for member in members:
            name = member["name"]
            if name not in names:
                return _fail(name, "missing", checked_members=checked)
            try:
                data = archive.read(name)
            except (zipfile.BadZipFile, OSError) as error:  # a CRC error: changed bytes
                return _fail(name, f"unreadable ({error})", checked_members=checked)
            if _digests_differ(data, member) or len(data) != member["size"]:
                return _fail(
                    name, "does not match its hash in the manifest", checked_members=checked
                )
            checked += 1
            if name == AUDIT_MEMBER or name == "records/documents.storedfile.json":
                contents[name] = data
        unlisted = sorted(
            names - {m["name"] for m in members} - {MANIFEST, MANIFEST_HASH, MANIFEST_SM3}
        )
        if unlisted:
            return _fail(unlisted[0], "not listed in the manifest", checked_members=checked)
        if AUDIT_MEMBER not in contents:
            return _fail(AUDIT_MEMBER, "missing", checked_members=checked)
        problem = _audit_problem(contents[AUDIT_MEMBER])
        if problem:
            return _fail(AUDIT_MEMBER, problem, checked_members=checked)
        audit_count = len(json.loads(contents[AUDIT_MEMBER]))
        files = {m["name"]: m for m in members if m["name"].startswith("files/")}
        rows = json.loads(contents.get("records/documents.storedfile.json", b"[]"))
        by_id = {str(row["pk"]): row["fields"] for row in rows}
        for name, member in sorted(files.items()):
            recorded_row = by_id.get(PurePosixPath(name).stem, {})
            sm3_recorded, sm3_read = recorded_row.get("sm3"), member.get("sm3")
            if recorded_row.get("sha256") != member["sha256"] or (
                sm3_recorded and sm3_read and sm3_recorded != sm3_read
            ):
                return _fail(
                    name,
                    "does not match the SHA-256 recorded when it was uploaded",
                    checked_members=checked,
                )
        own = len(names & {MANIFEST, MANIFEST_HASH, MANIFEST_SM3})
        return VerifyResult(
            ok=True, checked_members=checked + own, checked_audit_records=audit_count
        )
