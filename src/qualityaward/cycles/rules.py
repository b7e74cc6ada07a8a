import rules

from qualityaward.accounts.rules import is_agency, is_office, is_supervisor, is_working_group

rules.add_perm("cycles.manage", is_office)
rules.add_perm("cycles.view_timeline", is_office | is_working_group | is_agency | is_supervisor)
