import rules

from qualityaward.accounts.rules import is_office

rules.add_perm("workdays.manage_calendar", is_office)
