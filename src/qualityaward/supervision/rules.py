"""Who may do what after the award (django-rules). Object predicates take the Award.

Office staff manage everything; departments record visits to the winners of their
sector or area; a winner's users file its fund-use reports; the supervisor reads
everything and changes nothing. Views answer 404 for what a user may not see."""

from __future__ import annotations

import rules

from qualityaward.accounts.rules import is_department, is_office, is_supervisor
from qualityaward.applications.rules import is_department_of_applicant, is_own_applicant


@rules.predicate
def is_winner_user(user, award) -> bool:
    return award is not None and is_own_applicant(user, award.applicant)


@rules.predicate
def is_department_of_winner(user, award) -> bool:
    return (
        award is not None
        and is_department(user, award)
        and is_department_of_applicant(user, award.applicant)
    )


@rules.predicate
def is_not_revoked(user, award) -> bool:
    return award is not None and award.revoked_on is None


is_reader = is_office | is_supervisor

rules.add_perm("supervision.manage", is_office)
rules.add_perm("supervision.view_all", is_reader)
rules.add_perm("supervision.view_award", is_reader | is_winner_user | is_department_of_winner)
rules.add_perm("supervision.view_winner_list", is_reader | is_department)
rules.add_perm("supervision.view_funds", is_reader | is_winner_user)
rules.add_perm("supervision.file_fund_report", is_winner_user & is_not_revoked)
rules.add_perm("supervision.rate_performance", is_office)
rules.add_perm("supervision.view_visits", is_reader | is_department_of_winner)
rules.add_perm("supervision.record_visit", is_office | is_department_of_winner)
rules.add_perm("supervision.view_honour_page", is_reader | is_winner_user)
rules.add_perm("supervision.view_statistics", is_reader)
rules.add_perm("supervision.export_archive", is_reader)
