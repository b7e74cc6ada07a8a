"""Who holds which role. Object rules of later apps build on these predicates.

Asked about an object, a role predicate also checks that the user's grant of the role
reaches the object's award (accounts.scoping): an office member limited to award A is
not office staff for award B's objects."""

import rules

from .enums import Role
from .scoping import covers


def _has_role(role: Role) -> rules.Predicate:
    @rules.predicate(name=f"has_role_{role.value}")
    def predicate(user, target=None) -> bool:
        if not (user and user.is_authenticated and user.has_role(role)):
            return False
        return target is None or covers(user, role, target)

    return predicate


is_office = _has_role(Role.OFFICE)
is_working_group = _has_role(Role.WORKING_GROUP)
is_agency = _has_role(Role.AGENCY)
is_expert = _has_role(Role.EXPERT)
is_applicant = _has_role(Role.APPLICANT)
is_department = _has_role(Role.DEPARTMENT)
is_supervisor = _has_role(Role.SUPERVISOR)

ROLE_PREDICATES = {
    Role.OFFICE: is_office,
    Role.WORKING_GROUP: is_working_group,
    Role.AGENCY: is_agency,
    Role.EXPERT: is_expert,
    Role.APPLICANT: is_applicant,
    Role.DEPARTMENT: is_department,
    Role.SUPERVISOR: is_supervisor,
}

for _role, _predicate in ROLE_PREDICATES.items():
    rules.add_perm(f"accounts.dashboard_{_role.value}", _predicate)

rules.add_perm("accounts.manage_users", is_office)
rules.add_perm("core.view_audit_trail", is_office | is_supervisor)
# The security log (logins, lockouts, two factors, permission changes): the supervisor.
rules.add_perm("accounts.view_security_log", is_supervisor)
