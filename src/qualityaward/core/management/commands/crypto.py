"""manage.py crypto keygen | status | rotate | digests: the keys and algorithms of
core.crypto (GB/T 39786)."""

from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models.functions import Cast

from qualityaward.core import crypto
from qualityaward.core.audit import audit_append
from qualityaward.core.fields import encrypted_fields
from qualityaward.core.models import AuditRecord


class Command(BaseCommand):
    help = (
        "keygen: print new keys for QA_FIELD_KEYS; status: which keys and algorithms the "
        "data uses; rotate: re-encrypt every encrypted field with the current key; digests: "
        "add the SM3 digest to stored files that lack it."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["keygen", "status", "rotate", "digests"])

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")()

    def _keygen(self) -> None:
        self.stdout.write(
            "Put the new key first in QA_FIELD_KEYS (or the key file), keep the old ones "
            "after it, run `manage.py crypto rotate`, then remove the old keys. The index "
            "key is made once and never changes."
        )
        self.stdout.write(crypto.new_key_line())
        self.stdout.write(crypto.new_key_line(crypto.INDEX_KEY_ID) + "   (only for a new site)")

    def _status(self) -> None:
        ring = crypto.keyring()
        self.stdout.write(
            f"national cryptography: {'on' if settings.QA_NATIONAL_CRYPTO else 'off'}; "
            f"new values: {crypto.field_cipher()} with key {ring.current}; "
            f"new digests: {crypto.digest_algorithm()}"
        )
        for model, field in encrypted_fields():
            raw = model._default_manager.annotate(
                raw=Cast(field.name, output_field=models.TextField())
            ).values_list("raw", flat=True)
            counts = Counter(
                "{}/{}".format(*crypto.key_of(value)) if crypto.is_encrypted(value) else "clear"
                for value in raw
                if value
            )
            shown = ", ".join(f"{key} {n}" for key, n in sorted(counts.items())) or "empty"
            self.stdout.write(f"{field.crypto_context}: {shown}")
        algorithms = Counter(AuditRecord.objects.values_list("algorithm", flat=True))
        self.stdout.write(
            "audit records: "
            + (", ".join(f"{name} {n}" for name, n in sorted(algorithms.items())) or "none")
        )
        from qualityaward.documents.models import StoredFile

        self.stdout.write(f"stored files without SM3: {StoredFile.objects.filter(sm3='').count()}")

    def _rotate(self) -> None:
        ring = crypto.keyring()
        rows: dict[str, int] = {}
        with transaction.atomic():
            for model, field in encrypted_fields():
                total = model._default_manager.count()
                done = 0
                for row in model._default_manager.only("pk", field.name).iterator(chunk_size=500):
                    # Read in the clear, written sealed with the current key and cipher.
                    row.save(update_fields=[field.name])
                    done += 1
                    if done % 1000 == 0:
                        self.stdout.write(f"  {field.crypto_context}: {done}/{total}")
                rows[field.crypto_context] = done
            audit_append(
                actor="manage.py crypto rotate",
                action="core.field_keys_rotated",
                changes={"cipher": crypto.field_cipher(), "key": ring.current, "rows": rows},
            )
        for context, done in rows.items():
            self.stdout.write(f"{context}: {done} rows sealed with {ring.current}")

    def _digests(self) -> None:
        from qualityaward.documents.models import StoredFile

        missing = StoredFile.objects.filter(sm3="")
        total = missing.count()
        done = 0
        with transaction.atomic():
            for stored in missing.iterator(chunk_size=200):
                digest = crypto.new_digest(crypto.SM3)
                with stored.file.open("rb"):
                    for chunk in stored.file.chunks():
                        digest.update(chunk)
                StoredFile.objects.filter(pk=stored.pk).update(sm3=digest.hexdigest())
                done += 1
                if done % 100 == 0:
                    self.stdout.write(f"  {done}/{total}")
            if done:
                audit_append(
                    actor="manage.py crypto digests",
                    action="documents.sm3_digests_added",
                    changes={"files": done},
                )
        self.stdout.write(f"SM3 digest added to {done} stored files")
