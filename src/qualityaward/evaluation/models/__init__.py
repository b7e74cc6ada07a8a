"""The evaluation app's models, one module per part; import them from here.

agency: the evaluation agency (A17) and its coordinators; experts: the expert pool;
conflicts: declarations, groups of companies and the conflicts found (A25); panels:
panels and their members (A18); scoring: item scores, consensus, stage results (A13)."""

from .agency import Agency, AgencyCoordinator, Procurement
from .conflicts import (
    Conflict,
    ConflictDeclaration,
    OrganisationGroup,
    OrganisationGroupMember,
    StaffConflict,
)
from .experts import Employment, Expert, Qualification
from .feedback import ConductRating, ExpertMisconduct, RatingDirection
from .panels import AssignmentRun, MemberMethod, Panel, PanelMember, SiteVisitCheck
from .scoring import ApplicationStanding, ConsensusScore, ItemScore, StageResult

__all__ = [
    "Agency",
    "AgencyCoordinator",
    "ApplicationStanding",
    "AssignmentRun",
    "ConductRating",
    "Conflict",
    "ConflictDeclaration",
    "ConsensusScore",
    "Employment",
    "Expert",
    "ExpertMisconduct",
    "ItemScore",
    "MemberMethod",
    "OrganisationGroup",
    "OrganisationGroupMember",
    "Panel",
    "PanelMember",
    "Procurement",
    "Qualification",
    "RatingDirection",
    "SiteVisitCheck",
    "StaffConflict",
    "StageResult",
]
