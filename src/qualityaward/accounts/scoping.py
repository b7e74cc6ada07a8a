"""Which awards a staff member works for: the one place that limits staff to their award.

Several awards (rule sets) may run on one site. A staff grant (office, working group,
agency, department, supervisor) may be limited to one award; without a limit it covers
every award. An award-limited staff member sees and acts on that award's cycles and
everything under them only: other awards' objects answer 404 and lists leave them out.

- The role predicates of accounts.rules check the award of the object a permission is
  asked about (`covers`), so every object rule is scoped per role.
- Lists and lookups by id go through `scope` (a queryset filter) or `cycles_for`.
- `award_of` finds the award of any object under a cycle; objects that belong to no
  award (applicants, agencies, experts, users) answer None and are not narrowed here.

Experts are limited to their seats and applicants to their own applications by their own
rules; the award limit narrows staff roles only."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .enums import Role

STAFF_ROLES = frozenset(
    {Role.OFFICE, Role.WORKING_GROUP, Role.AGENCY, Role.DEPARTMENT, Role.SUPERVISOR}
)
# The lookup from a cycle to its award, and from a rule set version to its award.
CYCLE_AWARD = "rule_set_version__rule_set"
VERSION_AWARD = "rule_set"

# Attributes that lead from an object to the object above it, towards its cycle.
_PARENTS = (
    "cycle",
    "application",
    "panel",
    "meeting",
    "publication",
    "publicity",
    "winner",
    "award",
    "report",
    "case",
)


def award_limits(user) -> dict[str, frozenset[int] | None]:
    """Per staff role the user holds: the awards it is limited to, None for every award.

    Read once per user object (a request)."""
    cached = user.__dict__.get("_award_limits")
    if cached is None:
        cached = {}
        if getattr(user, "is_authenticated", False):
            for role, award_id in user.grants:
                if role not in STAFF_ROLES:
                    continue
                held = cached.get(role, frozenset())
                if award_id is None or held is None:
                    cached[role] = None
                else:
                    cached[role] = held | {award_id}
        user.__dict__["_award_limits"] = cached
    return cached


def awards_of(user, roles=STAFF_ROLES) -> frozenset[int] | None:
    """The awards the user serves in any of `roles`; None when that is every award, or
    when the user holds none of them (their own rules decide what they see)."""
    limits = award_limits(user)
    held = [limits[role] for role in roles if role in limits]
    if not held:
        return None
    awards: frozenset[int] = frozenset()
    for limit in held:
        if limit is None:
            return None
        awards |= limit
    return awards


def award_of(obj) -> int | None:
    """The id of the award (rule set) the object belongs to; None for site-wide objects."""
    if obj is None or isinstance(obj, str | int):
        return None
    if isinstance(obj, apps.get_model("rulesets", "RuleSet")):
        return obj.pk
    if isinstance(obj, apps.get_model("rulesets", "RuleSetVersion")):
        return obj.rule_set_id
    if isinstance(obj, apps.get_model("cycles", "Cycle")):
        return obj.rule_set_version.rule_set_id
    for name in _PARENTS:
        if getattr(obj, f"{name}_id", None) is not None:
            return award_of(getattr(obj, name))
    return None


def covers(user, role: str, obj) -> bool:
    """The user's grant of `role` reaches the object's award (non-staff roles: always)."""
    if role not in STAFF_ROLES:
        return True
    award = award_of(obj)
    if award is None:
        return True
    limits = award_limits(user)
    if role not in limits:
        return False
    allowed = limits[role]
    return allowed is None or award in allowed


def in_scope(user, obj, roles=STAFF_ROLES) -> bool:
    awards = awards_of(user, roles)
    if awards is None:
        return True
    award = award_of(obj)
    return award is None or award in awards


def scope(queryset: QuerySet, user, award: str = f"cycle__{CYCLE_AWARD}", roles=STAFF_ROLES):
    """The rows of the awards the user serves; `award` is the lookup to the row's award."""
    return queryset.filter(award_filter(user, roles, award))


def cycles_for(user, roles=STAFF_ROLES) -> QuerySet:
    """The cycles of the awards the user serves."""
    return scope(apps.get_model("cycles", "Cycle").objects.all(), user, CYCLE_AWARD, roles)


def grantable_awards(user) -> QuerySet:
    """The awards for which an office member may grant roles: its own, or all."""
    rule_sets = apps.get_model("rulesets", "RuleSet").objects.order_by("code")
    awards = awards_of(user, [Role.OFFICE])
    return rule_sets if awards is None else rule_sets.filter(pk__in=awards)


def scoped_or_404(queryset: QuerySet, user, award: str = f"cycle__{CYCLE_AWARD}", **lookup):
    """The object found by `lookup` among the rows of the awards the user serves, or 404."""
    return get_object_or_404(scope(queryset, user, award), **lookup)


def cycle_or_404(user, pk, queryset: QuerySet | None = None):
    """A cycle of an award the user serves, or 404."""
    if queryset is None:
        queryset = apps.get_model("cycles", "Cycle").objects.all()
    return scoped_or_404(queryset, user, CYCLE_AWARD, pk=pk)


def award_filter(user, roles=STAFF_ROLES, award: str = f"cycle__{CYCLE_AWARD}") -> Q:
    """The condition `scope` applies, to combine with others (Q() when not narrowed)."""
    awards = awards_of(user, roles)
    return Q() if awards is None else Q(**{f"{award}__in": awards})


def holders(role: str, obj=None) -> QuerySet:
    """Active users holding `role` for the object's award (or for every award)."""
    condition = Q(role_grants__role=role)
    award = award_of(obj)
    if award is not None:
        condition &= Q(role_grants__award__isnull=True) | Q(role_grants__award=award)
    users = apps.get_model("accounts", "User").objects.filter(condition, is_active=True)
    return users.distinct()
