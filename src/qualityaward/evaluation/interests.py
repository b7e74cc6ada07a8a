"""Where applicants' declared interests come from.

Applicants declare their interests in the application (another part of the system
stores them). The conflict check takes them as plain `conflicts.DeclaredInterest`
records: pass them to `conflicts_refresh(interests=...)`, or register a source once
(in an AppConfig.ready) so every refresh reads them:

    from qualityaward.evaluation.interests import register_interest_source

    @register_interest_source
    def application_interests(applicant_ids: set[int] | None) -> Iterable[DeclaredInterest]:
        ...  # the interests of those applicants (of all when None)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .conflicts import DeclaredInterest

InterestSource = Callable[[set[int] | None], Iterable[DeclaredInterest]]

_sources: list[InterestSource] = []


def register_interest_source(source: InterestSource) -> InterestSource:
    if source not in _sources:
        _sources.append(source)
    return source


def unregister_interest_source(source: InterestSource) -> None:
    if source in _sources:
        _sources.remove(source)


def declared_interests(applicant_ids: set[int] | None) -> list[DeclaredInterest]:
    """The declared interests of those applicants (of all when None), from every source."""
    found: list[DeclaredInterest] = []
    for source in _sources:
        found.extend(
            interest
            for interest in source(applicant_ids)
            if applicant_ids is None or interest.applicant_id in applicant_ids
        )
    return found
