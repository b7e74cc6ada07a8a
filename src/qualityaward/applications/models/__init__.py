"""The applications app's models, one module per part; import them from here."""

from .applicants import Applicant, Individual, Organisation
from .records import AnnualResult, Ban, ComplianceRecord, ListEntry, ListImport

__all__ = [
    "AnnualResult",
    "Applicant",
    "Ban",
    "ComplianceRecord",
    "Individual",
    "ListEntry",
    "ListImport",
    "Organisation",
]
