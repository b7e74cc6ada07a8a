"""Steps of the flow used by several tests (plain functions over the services)."""

from __future__ import annotations

import datetime

from qualityaward.decisions.services import meetings as meeting_services
from qualityaward.decisions.services import publication as publication_services
from qualityaward.decisions.services import ranking as ranking_services

D = datetime.date
PUBLISHED = D(2026, 10, 20)  # comment period 2026-10-20 .. 2026-11-30
CLOSED = D(2026, 12, 1)


def publish_and_close(cycle, office):
    publication = publication_services.results_publish(cycle=cycle, on=PUBLISHED, actor=office)
    publication_services.results_close(publication=publication, on=CLOSED, actor=office)
    return publication


def hold_meeting(candidate_list, office, members, *, votes, held_on=CLOSED, present=None):
    """votes: {application: "for"|"against"|...} cast by every present member."""
    meeting = meeting_services.meeting_schedule(
        candidate_list=candidate_list, held_on=held_on, agenda="审议候选名单", actor=office
    )
    present = members if present is None else present
    meeting_services.attendance_record(meeting=meeting, present=present, actor=office)
    for member in present:
        for application, choice in votes.items():
            meeting_services.vote_cast(
                meeting=meeting, member=member, application=application, choice=choice, actor=member
            )
    meeting_services.minutes_record(meeting=meeting, minutes="会议纪要：表决通过。", actor=office)
    return meeting


def propose(cycle, office, applications, on=CLOSED):
    return ranking_services.candidate_list_propose(
        cycle=cycle, application_ids=[a.pk for a in applications], on=on, actor=office
    )
