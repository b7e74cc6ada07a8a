"""Who may do what in the decisions app (django-rules). The public pages need no
permission; everything else does, and views answer 404 for what a user may not see."""

from __future__ import annotations

import rules

from qualityaward.accounts.rules import is_applicant, is_office, is_supervisor, is_working_group
from qualityaward.applications.rules import is_own_applicant

from .enums import MeetingStatus

is_open_meeting = rules.predicate(
    lambda user, meeting: meeting is not None and meeting.status == MeetingStatus.SCHEDULED,
    name="is_open_meeting",
)

# A winner's users download the certificate of their own award while it stands; a
# revoked award's certificate is to be returned (Article 28).
is_holder_of_award = rules.predicate(
    lambda user, award: (
        award is not None and award.revoked_on is None and is_own_applicant(user, award.applicant)
    ),
    name="is_holder_of_award",
)

# Office staff run the steps; the working group reads and votes; the supervisor reads.
rules.add_perm("decisions.manage", is_office)
rules.add_perm("decisions.view_cycle", is_office | is_working_group | is_supervisor)
rules.add_perm("decisions.view_ranking", is_office | is_working_group | is_supervisor)
rules.add_perm("decisions.view_comments", is_office | is_working_group | is_supervisor)
rules.add_perm("decisions.view_contacts", is_office)
rules.add_perm("decisions.view_meeting", is_office | is_working_group | is_supervisor)
rules.add_perm("decisions.cast_own_vote", is_working_group & is_open_meeting)
rules.add_perm("decisions.record_votes", is_office & is_open_meeting)
rules.add_perm(
    "decisions.view_certificate",
    is_office | is_working_group | is_supervisor | (is_applicant & is_holder_of_award),
)
