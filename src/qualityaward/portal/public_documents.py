"""The award's public documents, built from the rule set in force: the application
guidance (申报指南), the measures (评审办法) and the material checklist (材料清单).
They can be read and downloaded whether or not a call is open."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qualityaward.applications.enums import FormSection
from qualityaward.applications.selectors.calls import open_calls
from qualityaward.cycles.enums import STAGE_LIMITS, StageCode, stage_article
from qualityaward.documents.enums import EVIDENCE_KINDS
from qualityaward.rulesets.enums import VersionStatus
from qualityaward.rulesets.models import FrameworkCategory, RuleSetVersion
from qualityaward.rulesets.schema import citation


@dataclass(frozen=True)
class PublicDocument:
    kind: str
    title: object  # a lazy translation
    template: str


DOCUMENTS = {
    document.kind: document
    for document in (
        PublicDocument("guide", _("Application guidance"), "portal/public/_guide.html"),
        PublicDocument("measures", _("The measures"), "portal/public/_measures.html"),
        PublicDocument("checklist", _("Material checklist"), "portal/public/_checklist.html"),
    )
}


# What each part of the application asks for (the material checklist).
SECTION_CONTENTS = {
    FormSection.FORM: _(
        "The applicant's details and the answers of the application form, filled in online."
    ),
    FormSection.SELF_EVALUATION: _(
        "A self-evaluation against every category of the scoring framework, with the points "
        "you claim and why."
    ),
    FormSection.EVIDENCE: _(
        "Evidence for each condition (Articles 10 to 12) and for the self-evaluation, for "
        "example the business licence and the financial statements of the last years."
    ),
    FormSection.DECLARATIONS: _(
        "Your declaration that the information is true and that you meet the conditions."
    ),
    FormSection.INTERESTS: _(
        "Any interest you have with an expert or a member of the working group, so that they "
        "recuse themselves (Article 25)."
    ),
}


def version_for_public(*, today: datetime.date) -> RuleSetVersion | None:
    """The active version in effect today, else the newest active one."""
    versions = list(
        RuleSetVersion.objects.filter(status=VersionStatus.ACTIVE)
        .select_related("rule_set", "framework")
        .order_by("-effective_from", "-version")
    )
    in_effect = [version for version in versions if version.covers(today)]
    return next(iter(in_effect or versions), None)


def _stages(version: RuleSetVersion) -> list[dict]:
    rules = version.rules
    stages = []
    for code in StageCode:
        key = STAGE_LIMITS.get(code, (None, None))[0]
        stages.append(
            {
                "label": code.label,
                "limit": getattr(rules, key).with_source() if key else "",
                "source": citation(stage_article(rules, code)),
            }
        )
    return stages


def document_context(*, kind: str, version: RuleSetVersion, today: datetime.date) -> dict:
    """What the document's template needs."""
    document = DOCUMENTS[kind]
    context: dict = {"document": document, "version": version, "rules": version.rules}
    if kind == "guide":
        context["stages"] = _stages(version)
        context["open_calls"] = open_calls()
    elif kind == "measures":
        context["groups"] = version.rules.grouped()
    else:
        context["sections"] = [
            (FormSection(code).label, text) for code, text in SECTION_CONTENTS.items()
        ]
        context["categories"] = FrameworkCategory.objects.filter(
            framework_id=version.framework_id
        ).order_by("order")
        context["file_types"] = sorted(str(file_kind.label) for file_kind in EVIDENCE_KINDS)
        context["max_megabytes"] = settings.QA_UPLOAD_MAX_BYTES // (1024 * 1024)
    return context
