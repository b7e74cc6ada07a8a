"""Reads of rule sets and frameworks."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from qualityaward.accounts.scoping import VERSION_AWARD, scope
from qualityaward.core.errors import QualityAwardError

from .enums import VersionStatus
from .models import FrameworkCategory, FrameworkItem, RuleSet, RuleSetVersion, ScoringFramework


def version_in_effect(*, rule_set: RuleSet, on: datetime.date) -> RuleSetVersion | None:
    """The active version of `rule_set` whose effective period contains `on`, if any."""
    return (
        RuleSetVersion.objects.filter(
            rule_set=rule_set,
            status=VersionStatus.ACTIVE,
            effective_from__lte=on,
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .select_related("rule_set", "framework")
        .order_by("-effective_from", "-version")
        .first()
    )


def version_in_effect_problem(*, version: RuleSetVersion, on: datetime.date) -> str | None:
    """Why a cycle cannot run under `version` on `on` (a message for the user), or None."""
    params = {
        "version": version.version,
        "award": version.rule_set.award_name,
        "document": version.document_number or version.title,
        "on": on.isoformat(),
        "from": version.effective_from.isoformat(),
        "to": version.effective_to.isoformat() if version.effective_to else "",
    }
    if version.status == VersionStatus.DRAFT:
        return (
            gettext(
                "Version %(version)s of %(award)s is a draft: activate it before running a "
                "cycle under it."
            )
            % params
        )
    if version.status == VersionStatus.RETIRED:
        return (
            gettext(
                "Version %(version)s of %(award)s (%(document)s) is retired: use the version "
                "in effect."
            )
            % params
        )
    if on < version.effective_from:
        return (
            gettext(
                "Version %(version)s of %(award)s (%(document)s) takes effect on %(from)s, "
                "after %(on)s."
            )
            % params
        )
    if version.effective_to is not None and on > version.effective_to:
        return (
            gettext(
                "Version %(version)s of %(award)s (%(document)s) was in effect until %(to)s "
                "and has expired on %(on)s. Record and activate a new version of the rule set "
                "first (clone it on the rule set page)."
            )
            % params
        )
    return None


def version_check_in_effect(*, version: RuleSetVersion, on: datetime.date) -> None:
    """Raise QualityAwardError (code "ruleset_not_in_effect") unless `version` is in
    effect on `on`."""
    problem = version_in_effect_problem(version=version, on=on)
    if problem:
        raise QualityAwardError(problem, code="ruleset_not_in_effect")


def version_edit_problem(*, version: RuleSetVersion) -> str | None:
    """Why `version` cannot be edited (a message for the user), or None for an editable draft."""
    params = {
        "version": version.version,
        "award": version.rule_set.award_name,
        "status": str(version.get_status_display()).lower(),
    }
    if version.frozen_at is not None:
        return gettext(
            "Version %(version)s of %(award)s is frozen: a cycle was opened under it on "
            "%(when)s, so it can no longer change. Clone it to prepare a new version."
        ) % {**params, "when": timezone.localdate(version.frozen_at).isoformat()}
    if version.status != VersionStatus.DRAFT:
        return (
            gettext(
                "Version %(version)s of %(award)s is %(status)s: only a draft can be edited. "
                "Clone it to prepare a new version."
            )
            % params
        )
    return None


def rule_sets_with_versions() -> QuerySet[RuleSet]:
    """Every rule set with its versions (newest first) and their frameworks, in 2 queries."""
    return RuleSet.objects.prefetch_related(
        Prefetch(
            "versions",
            queryset=RuleSetVersion.objects.select_related("framework").order_by("-version"),
        )
    ).order_by("code")


def versions_visible_to(*, user) -> QuerySet[RuleSetVersion]:
    """All versions for office staff and supervisors; others see no drafts. Staff
    limited to an award see its versions only."""
    queryset = scope(
        RuleSetVersion.objects.select_related("rule_set", "framework"), user, VERSION_AWARD
    ).order_by("rule_set__code", "-version")
    if user.has_perm("rulesets.view"):
        return queryset
    return queryset.exclude(status=VersionStatus.DRAFT)


def framework_with_items(
    *, framework_id: int | None = None, code: str | None = None
) -> ScoringFramework:
    """A framework with its categories and items prefetched (raises DoesNotExist)."""
    queryset = ScoringFramework.objects.prefetch_related(
        Prefetch(
            "categories",
            queryset=FrameworkCategory.objects.order_by("order").prefetch_related(
                Prefetch("items", queryset=FrameworkItem.objects.order_by("order"))
            ),
        )
    )
    if code is not None:
        return queryset.get(code=code)
    if framework_id is None:
        raise ScoringFramework.DoesNotExist("give framework_id or code")
    return queryset.get(pk=framework_id)


def category_names(*, framework_id: int) -> dict[str, str]:
    """{category code: its name in the active language}, in the framework's order."""
    categories = FrameworkCategory.objects.filter(framework_id=framework_id).order_by("order")
    return {
        category.code: category.name for category in categories.only("code", "name_zh", "name_en")
    }
