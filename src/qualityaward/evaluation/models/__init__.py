"""The evaluation app's models, one module per part; import them from here.

agency: the evaluation agency (A17) and its coordinators; experts: the expert pool;
conflicts: declarations, groups of companies and the conflicts found (A25)."""

from .agency import Agency, AgencyCoordinator, Procurement
from .conflicts import (
    Conflict,
    ConflictDeclaration,
    OrganisationGroup,
    OrganisationGroupMember,
    StaffConflict,
)
from .experts import Employment, Expert, Qualification

__all__ = [
    "Agency",
    "AgencyCoordinator",
    "Conflict",
    "ConflictDeclaration",
    "Employment",
    "Expert",
    "OrganisationGroup",
    "OrganisationGroupMember",
    "Procurement",
    "Qualification",
    "StaffConflict",
]
