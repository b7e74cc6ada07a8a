"""Every change to rule sets and frameworks, each audit-logged in its own transaction."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import QualityAwardError

from .enums import VersionStatus
from .files import check_file
from .frameworks import framework_as_data, framework_data_check
from .models import (
    DEMO_TITLE_PREFIX,
    FrameworkCategory,
    FrameworkItem,
    RuleSet,
    RuleSetVersion,
    ScoringFramework,
)
from .presets import ERENHOT_PRESET, ERENHOT_RULE_SET, preset_read
from .schema import RuleValuesInvalid, validate_values, with_defaults
from .selectors import version_edit_problem

_UNSET: Any = object()

DEMO_EFFECTIVE_FROM = datetime.date(2026, 9, 1)
DEMO_EFFECTIVE_TO = datetime.date(2031, 8, 31)


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock(version: RuleSetVersion) -> RuleSetVersion:
    return (
        RuleSetVersion.objects.select_for_update(of=("self",))
        .select_related("rule_set", "framework")
        .get(pk=version.pk)
    )


def _params(version: RuleSetVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "award": version.rule_set.award_name,
        "status": str(version.get_status_display()).lower(),
    }


def _refuse_unless_editable(version: RuleSetVersion) -> None:
    problem = version_edit_problem(version=version)
    if problem is not None:
        code = "ruleset_frozen" if version.frozen_at is not None else "ruleset_not_draft"
        raise QualityAwardError(problem, code=code)


def _check_period(effective_from: datetime.date | None, effective_to: datetime.date | None) -> None:
    if effective_from is None:
        raise QualityAwardError(gettext("Enter the date the version takes effect."), code="invalid")
    if effective_to is not None and effective_to < effective_from:
        raise QualityAwardError(
            gettext("The effective period ends (%(to)s) before it begins (%(from)s).")
            % {"to": effective_to.isoformat(), "from": effective_from.isoformat()},
            code="invalid",
        )


def _check_with_framework(values: Mapping[str, Any], framework: ScoringFramework) -> None:
    """Stage thresholds are points of the framework's total."""
    for stage in values["stages"]["value"]:
        threshold = stage["advance_threshold"]
        if threshold is not None and threshold > framework.total_points:
            raise RuleValuesInvalid(
                {
                    "stages": [
                        gettext(
                            "The threshold %(threshold)s of stage %(stage)s exceeds the "
                            "framework's %(total)s points."
                        )
                        % {
                            "threshold": threshold,
                            "stage": stage["code"],
                            "total": framework.total_points,
                        }
                    ]
                }
            )


# --- frameworks -----------------------------------------------------------------------


@transaction.atomic
def framework_load(*, data: Mapping[str, Any], actor: Any) -> tuple[ScoringFramework, bool]:
    """Store a framework from its data form (see `frameworks.py`). Returns (framework, created).

    Refuses data whose items do not add up to their category's points or whose
    categories do not add up to the declared total, naming the category. Loading the
    same data again changes nothing; different data under a recorded code is refused
    (frameworks are frozen: a correction gets a new code).
    """
    clean = framework_data_check({key: value for key, value in data.items() if key != "kind"})
    existing = ScoringFramework.objects.filter(code=clean["code"]).first()
    if existing is not None:
        if framework_as_data(existing) == clean:
            return existing, False
        raise QualityAwardError(
            gettext(
                "The framework %(code)s is already recorded with different data, and a recorded "
                "framework never changes. Give the corrected framework a new code."
            )
            % {"code": clean["code"]},
            code="framework_exists",
        )
    framework = ScoringFramework.objects.create(
        code=clean["code"],
        name_zh=clean["name_zh"],
        name_en=clean["name_en"],
        edition=clean["edition"],
        total_points=clean["total_points"],
        note=clean["note"],
        bands=clean["bands"],
        frozen=True,
    )
    item_count = 0
    for order, category_data in enumerate(clean["categories"], start=1):
        category = FrameworkCategory.objects.create(
            framework=framework,
            code=category_data["code"],
            name_zh=category_data["name_zh"],
            name_en=category_data["name_en"],
            points=category_data["points"],
            order=order,
            kind=category_data["kind"],
        )
        FrameworkItem.objects.bulk_create(
            FrameworkItem(category=category, order=item_order, **item)
            for item_order, item in enumerate(category_data["items"], start=1)
        )
        item_count += len(category_data["items"])
    audit_append(
        actor=actor,
        action="rulesets.framework_load",
        obj=framework,
        changes={
            "code": framework.code,
            "edition": framework.edition,
            "total_points": framework.total_points,
            "categories": len(clean["categories"]),
            "items": item_count,
        },
    )
    return framework, True


# --- rule set versions ----------------------------------------------------------------


@transaction.atomic
def ruleset_version_clone(*, version: RuleSetVersion, actor: Any) -> RuleSetVersion:
    """A new draft with the next version number and a copy of everything in `version`."""
    rule_set = RuleSet.objects.select_for_update().get(pk=version.rule_set_id)
    source = RuleSetVersion.objects.get(pk=version.pk)
    latest = RuleSetVersion.objects.filter(rule_set=rule_set).aggregate(Max("version"))
    clone = RuleSetVersion.objects.create(
        rule_set=rule_set,
        version=(latest["version__max"] or 0) + 1,
        title=source.title,
        document_number=source.document_number,
        effective_from=source.effective_from,
        effective_to=source.effective_to,
        status=VersionStatus.DRAFT,
        framework_id=source.framework_id,
        values=copy.deepcopy(source.values),
        is_demo=source.is_demo,
        created_by=_user_or_none(actor),
        notes=source.notes,
    )
    audit_append(
        actor=actor,
        action="rulesets.version_clone",
        obj=clone,
        changes={"from_version": source.version, "from_id": source.pk, "version": clone.version},
    )
    return clone


@transaction.atomic
def ruleset_version_update(
    *,
    version: RuleSetVersion,
    actor: Any,
    values: Mapping[str, Any] | None = None,
    title: str = _UNSET,
    document_number: str = _UNSET,
    effective_from: datetime.date = _UNSET,
    effective_to: datetime.date | None = _UNSET,
    framework: ScoringFramework = _UNSET,
    notes: str = _UNSET,
) -> RuleSetVersion:
    """Change a draft. `values` holds the entries to replace ({"key": {"value", "article", …}});
    the whole result is validated. Refused (QualityAwardError) when the version is frozen
    or not a draft; RuleValuesInvalid (a QualityAwardError) carries per-key errors.
    Arguments left out stay as they are. Returns the updated version."""
    locked = _lock(version)
    _refuse_unless_editable(locked)
    changes: dict[str, Any] = {}
    update_fields: list[str] = []
    plain = {
        "title": title,
        "document_number": document_number,
        "effective_from": effective_from,
        "effective_to": effective_to,
        "notes": notes,
    }
    for name, new in plain.items():
        if new is _UNSET:
            continue
        if isinstance(new, str):
            new = new.strip()
        old = getattr(locked, name)
        if new != old:
            setattr(locked, name, new)
            changes[name] = [old, new]
            update_fields.append(name)
    if not locked.title:
        raise QualityAwardError(gettext("Enter a title."), code="invalid")
    _check_period(locked.effective_from, locked.effective_to)
    if framework is not _UNSET and framework.pk != locked.framework_id:
        changes["framework"] = [locked.framework.code, framework.code]
        locked.framework = framework
        update_fields.append("framework")
    if values is not None:
        merged = {**locked.values, **values}
        cleaned = validate_values(merged)
        diff = {
            key: {"old": locked.values.get(key), "new": entry}
            for key, entry in cleaned.items()
            if locked.values.get(key) != entry
        }
        if diff:
            locked.values = cleaned
            changes["values"] = diff
            update_fields.append("values")
    _check_with_framework(validate_values(locked.values), locked.framework)
    if update_fields:
        locked.save(update_fields=[*update_fields, "updated_at"])
        audit_append(actor=actor, action="rulesets.version_update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def ruleset_version_import(*, text: str, actor: Any) -> RuleSetVersion:
    """A new draft version of the file's rule set from a rule-set file (see `files.py`),
    with the next version number; an existing version is never changed. RuleFileInvalid
    lists every problem of the file by key path and line."""
    checked = check_file(text)
    _check_with_framework(checked.values, checked.framework)
    rule_set = RuleSet.objects.select_for_update().get(pk=checked.rule_set.pk)
    latest = RuleSetVersion.objects.filter(rule_set=rule_set).aggregate(Max("version"))
    version = RuleSetVersion.objects.create(
        rule_set=rule_set,
        version=(latest["version__max"] or 0) + 1,
        title=checked.general["title"].strip(),
        document_number=checked.general["document_number"],
        effective_from=checked.general["effective_from"],
        effective_to=checked.general["effective_to"],
        status=VersionStatus.DRAFT,
        framework=checked.framework,
        values=checked.values,
        created_by=_user_or_none(actor),
        notes=checked.general["notes"],
    )
    audit_append(
        actor=actor,
        action="rulesets.version_import",
        obj=version,
        changes={"version": version.version, "framework": checked.framework.code},
    )
    return version


def _overlaps(a: RuleSetVersion, b: RuleSetVersion) -> bool:
    far = datetime.date.max
    return a.effective_from <= (b.effective_to or far) and b.effective_from <= (
        a.effective_to or far
    )


@transaction.atomic
def ruleset_version_activate(*, version: RuleSetVersion, actor: Any) -> RuleSetVersion:
    """Put a draft in force for its effective period. Refused when its period overlaps
    another active version of the same rule set, or its values are incomplete."""
    RuleSet.objects.select_for_update().get(pk=version.rule_set_id)
    locked = _lock(version)
    if locked.status != VersionStatus.DRAFT:
        raise QualityAwardError(
            gettext(
                "Version %(version)s of %(award)s is %(status)s: only a draft can be activated."
            )
            % _params(locked),
            code="ruleset_not_draft",
        )
    _check_period(locked.effective_from, locked.effective_to)
    cleaned = validate_values(locked.values)
    _check_with_framework(cleaned, locked.framework)
    for other in RuleSetVersion.objects.filter(
        rule_set_id=locked.rule_set_id, status=VersionStatus.ACTIVE
    ).exclude(pk=locked.pk):
        if _overlaps(locked, other):
            raise QualityAwardError(
                gettext(
                    "Its effective period (%(from)s to %(to)s) overlaps that of version "
                    "%(other)s (%(other_from)s to %(other_to)s), which is active. Change the "
                    "period or retire version %(other)s first."
                )
                % {
                    "from": locked.effective_from.isoformat(),
                    "to": locked.effective_to.isoformat() if locked.effective_to else "…",
                    "other": other.version,
                    "other_from": other.effective_from.isoformat(),
                    "other_to": other.effective_to.isoformat() if other.effective_to else "…",
                },
                code="ruleset_overlap",
            )
    locked.status = VersionStatus.ACTIVE
    locked.save(update_fields=["status", "updated_at"])
    audit_append(
        actor=actor,
        action="rulesets.version_activate",
        obj=locked,
        changes={"status": [VersionStatus.DRAFT, VersionStatus.ACTIVE]},
    )
    return locked


@transaction.atomic
def ruleset_version_retire(*, version: RuleSetVersion, actor: Any) -> RuleSetVersion:
    """Take an active version out of force (cycles already run under it keep it)."""
    locked = _lock(version)
    if locked.status != VersionStatus.ACTIVE:
        raise QualityAwardError(
            gettext(
                "Version %(version)s of %(award)s is %(status)s: only an active version can "
                "be retired."
            )
            % _params(locked),
            code="ruleset_not_active",
        )
    locked.status = VersionStatus.RETIRED
    locked.save(update_fields=["status", "updated_at"])
    audit_append(
        actor=actor,
        action="rulesets.version_retire",
        obj=locked,
        changes={"status": [VersionStatus.ACTIVE, VersionStatus.RETIRED]},
    )
    return locked


@transaction.atomic
def ruleset_version_freeze(*, version: RuleSetVersion, actor: Any) -> RuleSetVersion:
    """Freeze a version for good (the cycles app calls this when a cycle opens under it).
    Idempotent: freezing a frozen version changes nothing. A draft cannot be frozen."""
    locked = _lock(version)
    if locked.frozen_at is not None:
        return locked
    if locked.status == VersionStatus.DRAFT:
        raise QualityAwardError(
            gettext(
                "Version %(version)s of %(award)s is a draft: activate it before a cycle uses it."
            )
            % _params(locked),
            code="ruleset_not_active",
        )
    locked.frozen_at = timezone.now()
    locked.save(update_fields=["frozen_at", "updated_at"])
    audit_append(
        actor=actor,
        action="rulesets.version_freeze",
        obj=locked,
        changes={"frozen_at": locked.frozen_at},
    )
    return locked


# --- presets and the demo -----------------------------------------------------------


@dataclass
class PresetLoadResult:
    name: str
    framework: ScoringFramework
    rule_set: RuleSet | None = None
    version: RuleSetVersion | None = None
    created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _version_content(version: RuleSetVersion) -> dict[str, Any]:
    return {
        "title": version.title,
        "document_number": version.document_number,
        "effective_from": version.effective_from,
        "effective_to": version.effective_to,
        "framework": version.framework.code,
        "is_demo": version.is_demo,
        "notes": version.notes,
        "values": with_defaults(version.values),
    }


@transaction.atomic
def preset_load(*, name: str, actor: Any) -> PresetLoadResult:
    """Load a preset from rulesets/presets/<name>.json, with the framework it names.

    Idempotent: what is already recorded as in the preset is left alone. A recorded
    version that differs from the preset is refused, never overwritten."""
    data = preset_read(name)
    if data["kind"] == "framework":
        framework, created = framework_load(data=data, actor=actor)
        return PresetLoadResult(name, framework, created=[str(framework)] if created else [])
    framework_data = preset_read(data["framework"])
    framework, framework_created = framework_load(data=framework_data, actor=actor)
    result = PresetLoadResult(name, framework)
    if framework_created:
        result.created.append(str(framework))
    rs = data["rule_set"]
    rule_set, rule_set_created = RuleSet.objects.get_or_create(
        code=rs["code"],
        defaults={
            "award_name_zh": rs["award_name_zh"],
            "award_name_en": rs["award_name_en"],
            "issuing_authority": rs["issuing_authority"],
            "jurisdiction": rs["jurisdiction"],
            "serial_prefix": rs.get("serial_prefix", ""),
        },
    )
    result.rule_set = rule_set
    if rule_set_created:
        result.created.append(str(rule_set))
        audit_append(actor=actor, action="rulesets.rule_set_create", obj=rule_set, changes=rs)
    v = data["version"]
    wanted = {
        "title": v["title"],
        "document_number": v.get("document_number", ""),
        "effective_from": datetime.date.fromisoformat(v["effective_from"]),
        "effective_to": datetime.date.fromisoformat(v["effective_to"])
        if v.get("effective_to")
        else None,
        "framework": framework.code,
        "is_demo": bool(v.get("is_demo", False)),
        "notes": v.get("notes", ""),
        "values": validate_values(v["values"]),
    }
    _check_period(wanted["effective_from"], wanted["effective_to"])
    _check_with_framework(wanted["values"], framework)
    existing = RuleSetVersion.objects.filter(rule_set=rule_set, version=v["version"]).first()
    if existing is not None:
        current = _version_content(existing)
        if current != wanted:
            differing = sorted(key for key in wanted if current[key] != wanted[key])
            raise QualityAwardError(
                gettext(
                    "Version %(version)s of %(rule_set)s is already recorded and differs from the "
                    "preset %(name)s (%(fields)s). A preset never overwrites a recorded version."
                )
                % {
                    "version": existing.version,
                    "rule_set": rule_set.code,
                    "name": name,
                    "fields": ", ".join(differing),
                },
                code="preset_conflict",
            )
        result.version = existing
        return result
    status = v.get("status", VersionStatus.DRAFT)
    if status not in (VersionStatus.DRAFT, VersionStatus.ACTIVE):
        raise QualityAwardError(
            gettext("A preset version is a draft or active."), code="preset_invalid"
        )
    version = RuleSetVersion.objects.create(
        rule_set=rule_set,
        version=v["version"],
        title=wanted["title"],
        document_number=wanted["document_number"],
        effective_from=wanted["effective_from"],
        effective_to=wanted["effective_to"],
        status=status,
        framework=framework,
        values=wanted["values"],
        is_demo=wanted["is_demo"],
        created_by=_user_or_none(actor),
        notes=wanted["notes"],
    )
    audit_append(
        actor=actor,
        action="rulesets.preset_load",
        obj=version,
        changes={"preset": name, "version": version.version, "status": status},
    )
    result.version = version
    result.created.append(str(version))
    return result


@transaction.atomic
def demo_version_create(*, actor: Any) -> RuleSetVersion:
    """An active demo version of the Erenhot rule set, effective from 2026-09-01 (the 2021
    measures expired on 2026-08-31), so the demo can open a cycle. Clearly labelled as not
    official (is_demo, title starting with DEMO_TITLE_PREFIX). Returns the existing one if
    there is one; loads the preset first if needed."""
    existing = (
        RuleSetVersion.objects.filter(
            rule_set__code=ERENHOT_RULE_SET, is_demo=True, status=VersionStatus.ACTIVE
        )
        .order_by("-version")
        .first()
    )
    if existing is not None:
        return existing
    base = preset_load(name=ERENHOT_PRESET, actor=actor).version
    assert base is not None
    clone = ruleset_version_clone(version=base, actor=actor)
    clone.is_demo = True
    clone.save(update_fields=["is_demo", "updated_at"])
    audit_append(
        actor=actor, action="rulesets.version_mark_demo", obj=clone, changes={"is_demo": True}
    )
    clone = ruleset_version_update(
        version=clone,
        actor=actor,
        title=f"{DEMO_TITLE_PREFIX}{base.title}",
        effective_from=DEMO_EFFECTIVE_FROM,
        effective_to=DEMO_EFFECTIVE_TO,
        notes=(
            "演示数据，非正式文件：2021年版评审办法已于2026年8月31日期满，"
            "本版本仅供演示系统运行评审周期之用，数值沿用2021年版。"
        ),
    )
    return ruleset_version_activate(version=clone, actor=actor)
