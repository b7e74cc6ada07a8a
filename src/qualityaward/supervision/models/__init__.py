"""The supervision app's models (A24, A28, A29, A31–A33), one module per part."""

from .followup import FollowUpVisit
from .funds import Expense, FundReport, PerformanceReview
from .honour import MisuseReport
from .revocation import CaseEvidence, ReturnItem, RevocationCase

__all__ = [
    "CaseEvidence",
    "Expense",
    "FollowUpVisit",
    "FundReport",
    "MisuseReport",
    "PerformanceReview",
    "ReturnItem",
    "RevocationCase",
]
