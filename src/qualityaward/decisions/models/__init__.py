"""The decisions app's models (A19–A23), one module per part; import them from here."""

from .awards import Approval, Award
from .meetings import Meeting, MeetingCandidate, Recusal, Vote
from .publication import PublicComment, ResultPublication
from .publicity import Objection, Publicity
from .ranking import CandidateList, ListedCandidate, Winner

__all__ = [
    "Approval",
    "Award",
    "CandidateList",
    "ListedCandidate",
    "Meeting",
    "MeetingCandidate",
    "Objection",
    "PublicComment",
    "Publicity",
    "Recusal",
    "ResultPublication",
    "Vote",
    "Winner",
]
