import rules

from qualityaward.accounts.rules import is_office, is_supervisor

rules.add_perm("rulesets.manage", is_office)
rules.add_perm("rulesets.view", is_office | is_supervisor)
