"""The applications app's models, one module per part; import them from here."""

from .applicants import Applicant, Individual, Organisation
from .applications import Application, DeclaredInterest, Evidence, SelfEvaluation
from .calls import Call, CallTemplate
from .history import HistoryImport, PastAward, PastBan
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
    "HistoryImport",
    "Individual",
    "ListEntry",
    "ListImport",
    "Organisation",
    "PastAward",
    "PastBan",
    "ReviewDecision",
    "SelfEvaluation",
    "SupplementRequest",
]
