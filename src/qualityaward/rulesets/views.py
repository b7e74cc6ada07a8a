import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualityaward.accounts.scoping import VERSION_AWARD, scope, scoped_or_404
from qualityaward.core.errors import QualityAwardError
from qualityaward.documents.downloads import private_download

from .files import RuleFileInvalid, check_file, file_json_schema, version_as_yaml, versions_diff
from .forms import RuleFileForm, RuleGroupForm, VersionGeneralForm
from .models import RuleSetVersion, ScoringFramework
from .schema import GROUPS, RuleValuesInvalid
from .selectors import framework_with_items, rule_sets_with_versions, version_edit_problem
from .services import (
    ruleset_version_activate,
    ruleset_version_clone,
    ruleset_version_import,
    ruleset_version_update,
)

GENERAL = "general"


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _version(request: HttpRequest, pk: int) -> RuleSetVersion:
    """A version of an award the user serves, or 404."""
    return scoped_or_404(
        RuleSetVersion.objects.select_related("rule_set", "framework", "created_by"),
        request.user,
        VERSION_AWARD,
        pk=pk,
    )


def _today() -> datetime.date:
    return timezone.localdate()


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require(request, "rulesets.view")
    return render(
        request,
        "rulesets/index.html",
        {
            "rule_sets": scope(rule_sets_with_versions(), request.user, "pk"),
            "frameworks": ScoringFramework.objects.order_by("code"),
            "today": _today(),
            "can_manage": request.user.has_perm("rulesets.manage"),
        },
    )


@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "rulesets.view")
    version = _version(request, pk)
    return render(
        request,
        "rulesets/version_detail.html",
        {
            "version": version,
            "framework": framework_with_items(framework_id=version.framework_id),
            "groups": version.rules.grouped(),
            "in_effect_today": version.is_in_effect(_today()),
            "today": _today(),
            "can_manage": request.user.has_perm("rulesets.manage"),
            "edit_problem": version_edit_problem(version=version),
            "other_versions": RuleSetVersion.objects.filter(rule_set_id=version.rule_set_id)
            .exclude(pk=version.pk)
            .order_by("version")
            .only("pk", "version"),
        },
    )


@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "rulesets.manage")
    version = _version(request, pk)
    group = request.GET.get("group", GENERAL)
    if group != GENERAL and group not in GROUPS:
        raise Http404
    problem = version_edit_problem(version=version)
    if problem:
        messages.error(request, problem)
        return redirect("rulesets:version_detail", pk=version.pk)
    form: VersionGeneralForm | RuleGroupForm
    if group == GENERAL:
        form = VersionGeneralForm(
            request.POST or None, initial=VersionGeneralForm.initial_for(version)
        )
    else:
        form = RuleGroupForm(request.POST or None, group=group, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(form, VersionGeneralForm):
                ruleset_version_update(version=version, actor=request.user, **form.cleaned_data)
            else:
                ruleset_version_update(version=version, actor=request.user, values=form.entries())
        except RuleValuesInvalid as error:
            if isinstance(form, RuleGroupForm):
                form.add_schema_errors(error.errors)
            else:
                form.add_error(None, error.message)
        except QualityAwardError as error:
            messages.error(request, error.message)
            return redirect("rulesets:version_detail", pk=version.pk)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                f"{reverse('rulesets:version_detail', args=[version.pk])}#group-{group}"
            )
    tabs = [(GENERAL, _("General"))] + [(code, str(label)) for code, label in GROUPS.items()]
    return render(
        request,
        "rulesets/version_edit.html",
        {"version": version, "form": form, "group": group, "tabs": tabs},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def version_clone(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "rulesets.manage")
    version = _version(request, pk)
    clone = ruleset_version_clone(version=version, actor=request.user)
    messages.success(
        request,
        _("Version %(new)s created as a draft copy of version %(old)s. Edit it, then activate it.")
        % {"new": clone.version, "old": version.version},
    )
    return redirect("rulesets:version_detail", pk=clone.pk)


@require_POST
def version_activate(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "rulesets.manage")
    version = _version(request, pk)
    try:
        ruleset_version_activate(version=version, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Version %(version)s is active.") % {"version": version.version}
        )
    return redirect("rulesets:version_detail", pk=version.pk)


@require_GET
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "rulesets.view")
    try:
        framework = framework_with_items(framework_id=pk)
    except ScoringFramework.DoesNotExist:
        raise Http404 from None
    kinds = []
    for kind, entry in framework.bands.items():
        categories = [c for c in framework.categories.all() if c.kind == kind]
        kinds.append(
            {
                "kind": kind,
                "dimensions": entry["dimensions"],
                "bands": entry["bands"],
                "categories": categories,
            }
        )
    return render(
        request,
        "rulesets/framework_detail.html",
        {"framework": framework, "kinds": kinds},
    )


@require_GET
def version_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The version as a YAML file to edit and import as a new draft."""
    _require(request, "rulesets.manage")
    version = _version(request, pk)
    response = HttpResponse(
        version_as_yaml(version), content_type="application/yaml; charset=utf-8"
    )
    return private_download(response, f"{version.rule_set.code}-v{version.version}.yaml")


@require_GET
def file_schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema that rule-set files are checked against."""
    _require(request, "rulesets.manage")
    response = JsonResponse(
        file_json_schema(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    return private_download(response, "ruleset.schema.json")


@require_http_methods(["GET", "POST"])
def version_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Check an edited file ("validate", nothing written) or import it as a new draft of
    this version's rule set."""
    _require(request, "rulesets.manage")
    version = _version(request, pk)
    form = RuleFileForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    valid = False
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"]
        try:
            checked = check_file(text)
            if checked.rule_set.pk != version.rule_set_id:
                raise QualityAwardError(
                    _("The file is of the rule set %(code)s, not of this one.")
                    % {"code": checked.rule_set.code}
                )
            if request.POST.get("action") == "import":
                imported = ruleset_version_import(text=text, actor=request.user)
                messages.success(
                    request,
                    _("Imported as version %(version)s, a draft. Check it, then activate it.")
                    % {"version": imported.version},
                )
                return redirect("rulesets:version_detail", pk=imported.pk)
            valid = True
        except RuleFileInvalid as error:
            problems = [str(problem) for problem in error.problems]
        except QualityAwardError as error:
            problems = [error.message]
    return render(
        request,
        "rulesets/version_upload.html",
        {"version": version, "form": form, "problems": problems, "valid": valid},
        status=400 if problems or form.errors else 200,
    )


@require_GET
def version_diff(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """What changed between two versions of the same rule set, the earlier one first."""
    _require(request, "rulesets.manage")
    old, new = sorted((_version(request, pk), _version(request, other)), key=lambda v: v.version)
    if old.rule_set_id != new.rule_set_id:
        raise Http404
    siblings = (
        RuleSetVersion.objects.filter(rule_set_id=old.rule_set_id)
        .exclude(pk__in=[old.pk, new.pk])
        .order_by("version")
    )
    return render(
        request,
        "rulesets/version_diff.html",
        {"old": old, "new": new, "changes": versions_diff(old, new), "siblings": siblings},
    )
