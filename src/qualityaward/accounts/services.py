from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from qualityaward.core.audit import audit_append

from .enums import Role
from .models import RoleGrant, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    display_name: str = "",
    email: str = "",
    roles: Iterable[Role] = (),
    actor: object = None,
) -> User:
    """A user account; with `password` None it cannot log in until a password is set."""
    user = User(username=username, display_name=display_name, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean()
    user.save()
    audit_append(
        actor=actor,
        action="accounts.user_create",
        obj=user,
        changes={"username": username, "display_name": display_name},
    )
    for role in roles:
        role_grant(user=user, role=role, actor=actor)
    return user


@transaction.atomic
def role_grant(
    *, user: User, role: Role, actor: object = None, sector: str = "", area: str = ""
) -> RoleGrant:
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, defaults={"sector": sector, "area": area}
    )
    if created:
        user.__dict__.pop("_roles", None)
        audit_append(
            actor=actor,
            action="accounts.role_grant",
            obj=user,
            changes={"role": role.value, "sector": sector, "area": area},
        )
    return grant


@transaction.atomic
def login_record(*, user: User) -> None:
    audit_append(actor=user, action="accounts.login", obj=user)
