"""Shared step of the evaluation app's update services."""

from __future__ import annotations

from typing import Any

from django.db import models


def save_changed_fields(obj: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set and save (with update_fields) only the fields of `obj` whose value differs.
    Returns {field: [old, new]} for the audit record; empty when nothing changed.
    Call inside the caller's transaction, on a row it has locked."""
    changes = {
        key: [getattr(obj, key), value]
        for key, value in values.items()
        if getattr(obj, key) != value
    }
    if changes:
        for key, (_old, new) in changes.items():
            setattr(obj, key, new)
        obj.save(update_fields=[*changes, "updated_at"])
    return changes
