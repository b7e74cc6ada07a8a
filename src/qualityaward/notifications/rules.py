import rules

rules.add_perm("notifications.view_own", rules.is_authenticated)
