"""What each role's dashboard shows, gathered in one place per role."""

from qualityaward.accounts.enums import Role
from qualityaward.cycles.selectors import open_cycles_with_timelines


def _office(user) -> dict:
    cycles = open_cycles_with_timelines()
    overdue = [(cycle, row) for cycle, rows in cycles for row in rows if row.is_overdue]
    return {"cycles": cycles, "overdue": overdue}


DASHBOARD_CONTEXT = {Role.OFFICE: _office}


def dashboard_context(role: Role, user) -> dict:
    build = DASHBOARD_CONTEXT.get(role)
    return build(user) if build else {}
