"""Everything the system holds on a person (PIPL art. 45): their account, the applicants
they act for and those applicants' applications with their files."""

import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from qualityaward.documents.models import StoredFile

from .models import Applicant, Application
from .selectors.applicants import applicants_of_user

# Internal bookkeeping that says nothing about the person.
SKIPPED_FIELDS = {"id_number_index", "applicant_ptr", "version"}


def _fields(row: models.Model) -> dict[str, Any]:
    values = {}
    for field in row._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS or field.is_relation:
            continue
        values[field.name] = field.value_from_object(row)
    return values


def _applicant(applicant: Applicant) -> dict[str, Any]:
    details = getattr(applicant, "organisation", None) or getattr(applicant, "individual", None)
    return _fields(details or applicant)


def _application(application: Application, files: list[StoredFile]) -> dict[str, Any]:
    evidence = []
    for item in application.evidence.select_related("stored_file"):
        files.append(item.stored_file)
        evidence.append(
            {
                "title": item.title,
                "file": f"files/{item.stored_file.pk}-{item.stored_file.original_name}",
                "sha256": item.stored_file.sha256,
                "is_trade_secret": item.is_trade_secret,
            }
        )
    return {
        **_fields(application),
        "call": application.call.title,
        "cycle": application.call.cycle.name,
        "evidence": evidence,
    }


def personal_data(user) -> tuple[dict[str, Any], list[StoredFile]]:
    """The person's data as one document, and the stored files it names."""
    files: list[StoredFile] = []
    applicants = []
    for applicant in applicants_of_user(user=user):
        applications = Application.objects.filter(applicant=applicant).select_related("call__cycle")
        applicants.append(
            {
                **_applicant(applicant),
                "applications": [_application(a, files) for a in applications],
            }
        )
    account = {
        "username": user.get_username(),
        "name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "joined": user.date_joined,
        "last_login": user.last_login,
        "roles": sorted(user.role_grants.values_list("role", flat=True)),
    }
    document = {
        "exported_at": timezone.now(),
        "account": account,
        "applicants": applicants,
    }
    return document, files


def personal_data_zip(user) -> bytes:
    """data.json and every file it names, in one zip."""
    document, files = personal_data(user)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        )
        for stored in files:
            with stored.file.open("rb") as handle:
                archive.writestr(f"files/{stored.pk}-{stored.original_name}", handle.read())
    return out.getvalue()
