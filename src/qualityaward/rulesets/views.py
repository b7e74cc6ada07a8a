import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualityaward.accounts.scoping import VERSION_AWARD, scope, scoped_or_404
from qualityaward.core.errors import QualityAwardError

from .forms import RuleGroupForm, VersionGeneralForm
from .models import RuleSetVersion, ScoringFramework
from .schema import GROUPS, RuleValuesInvalid
from .selectors import framework_with_items, rule_sets_with_versions, version_edit_problem
from .services import ruleset_version_activate, ruleset_version_clone, ruleset_version_update

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
