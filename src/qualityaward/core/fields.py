"""Model fields that keep personal data encrypted at rest (core.crypto)."""

from typing import Any

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text stored sealed with SM4-GCM (or AES-256-GCM, see core.crypto) and read back
    in the clear. The database never holds the plaintext, so it cannot be searched or
    compared there: look a value up through a blind index (crypto.blind_index) kept in
    a field of its own. An empty value stays empty."""

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.crypto_context = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return crypto.decrypt(value, context=self.crypto_context)

    def value_to_string(self, obj: models.Model) -> str:
        """Serialised (backups, archives, dumpdata) sealed, never in the clear; loading it
        back stores the sealed value as it is."""
        return self.get_prep_value(self.value_from_object(obj)) or ""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value or crypto.is_encrypted(value):
            return value
        return crypto.encrypt(value, context=self.crypto_context)


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted field of every installed model (for rotation and reports)."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.local_fields
        if isinstance(field, EncryptedTextField)
    ]


def seal_stored_values(model: type[models.Model], *field_names: str) -> int:
    """Encrypt the values of `field_names` still stored in the clear (rows written before
    the fields were encrypted); for data migrations. Returns the rows sealed."""
    sealed = 0
    names = list(field_names)
    for row in model._default_manager.only("pk", *names).iterator(chunk_size=500):
        # Reading returns plaintext as it is; saving seals it.
        if any(getattr(row, name) for name in names):
            row.save(update_fields=names)
            sealed += 1
    return sealed
