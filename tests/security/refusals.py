"""What the bad-input tests send and what they watch: the inputs, the messages Django
shows for them, and the rows and files that must stay as they were after a refusal."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps

SCRIPT = "<script>alert(1)</script>"
HUGE = "质" * (1024 * 1024 // 3 + 1)  # a little over 1 MB of UTF-8 text
REQUIRED = "This field is required."
BAD_DATE = "Enter a valid date."
WHOLE_NUMBER = "Enter a whole number."
CHOICE = "Select a valid choice"
# Models whose rows must not change when a form is refused.
WATCHED = [
    "accounts.User",
    "accounts.RoleGrant",
    "core.AuditRecord",
    "documents.StoredFile",
    "workdays.CalendarYear",
    "workdays.SpecialDay",
    "rulesets.RuleSetVersion",
    "cycles.Cycle",
    "applications.Applicant",
    "applications.Call",
    "applications.CallTemplate",
    "applications.Application",
    "applications.Evidence",
    "applications.ComplianceRecord",
    "applications.Ban",
    "evaluation.Agency",
    "evaluation.Expert",
    "evaluation.Employment",
    "decisions.ResultPublication",
    "decisions.PublicComment",
    "decisions.CandidateList",
    "decisions.Meeting",
    "decisions.Recusal",
    "decisions.Vote",
    "decisions.Winner",
    "decisions.Publicity",
    "decisions.Objection",
    "decisions.Approval",
    "decisions.Award",
    "supervision.FundReport",
    "supervision.Expense",
    "supervision.PerformanceReview",
    "supervision.FollowUpVisit",
    "supervision.RevocationCase",
    "supervision.CaseEvidence",
    "supervision.ReturnItem",
    "supervision.MisuseReport",
]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in WATCHED}


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
