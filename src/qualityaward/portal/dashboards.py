"""What each role's dashboard shows, gathered in one place per role."""

from qualityaward.accounts.enums import Role

DASHBOARD_CONTEXT: dict = {}


def dashboard_context(role: Role, user) -> dict:
    build = DASHBOARD_CONTEXT.get(role)
    return build(user) if build else {}
