"""The applications app's models, one module per part; import them from here."""

from .applicants import Applicant, Individual, Organisation
from .applications import Application, DeclaredInterest, Evidence, SelfEvaluation
from .calls import Call, CallTemplate
from .records import AnnualResult, Ban, ComplianceRecord, ListEntry, ListImport
from .reviews import ReviewDecision, SupplementRequest

__all__ = [
    "AnnualResult",
    "Applicant",
    "Application",
    "Ban",
    "Call",
    "CallTemplate",
    "ComplianceRecord",
    "DeclaredInterest",
    "Evidence",
    "Individual",
    "ListEntry",
    "ListImport",
    "Organisation",
    "ReviewDecision",
    "SelfEvaluation",
    "SupplementRequest",
]
