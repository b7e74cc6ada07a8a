"""Read-only API of rule set versions and scoring frameworks.

Wire it in api/urls.py with ``*api_urlpatterns`` (paths start with "v1/")::

    GET /api/v1/rulesets/?rule_set=erenhot-mayor&in_effect_on=2026-09-01
    GET /api/v1/rulesets/<id>/          a version with every value and its article
    GET /api/v1/frameworks/<code>/      categories, items, points and bands
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from .enums import CategoryKind, VersionStatus
from .models import RuleSet, RuleSetVersion, ScoringFramework
from .schema import SCHEMA, Basis, RuleKey
from .selectors import framework_with_items, versions_visible_to


class RuleSetOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = RuleSet
        fields = [
            "id",
            "code",
            "award_name_zh",
            "award_name_en",
            "issuing_authority",
            "jurisdiction",
        ]


class RuleSetVersionListOutputSerializer(serializers.ModelSerializer):
    rule_set = RuleSetOutputSerializer()
    framework: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    status = serializers.ChoiceField(choices=VersionStatus.choices)

    class Meta:
        model = RuleSetVersion
        fields = [
            "id",
            "rule_set",
            "version",
            "title",
            "document_number",
            "effective_from",
            "effective_to",
            "status",
            "frozen_at",
            "is_demo",
            "framework",
        ]


def _rule_serializer(key: RuleKey) -> serializers.Serializer:
    """A serializer of one rule's entry whose `value` has the rule's own type."""
    camel = "".join(part.capitalize() for part in key.name.split("_"))
    fields: dict[str, Any] = {
        "value": key.type.api_field(),
        "article": serializers.IntegerField(help_text=_("Article of the measures.")),
        "clause": serializers.IntegerField(allow_null=True, help_text=_("Clause of the article.")),
        "source": serializers.CharField(help_text=_("The citation, e.g. 第十四条 / Article 14.")),
        "basis": serializers.ChoiceField(choices=Basis.CHOICES),
        "note": serializers.CharField(allow_blank=True),
        "label": serializers.CharField(),
        "display": serializers.CharField(),
        "unit": serializers.CharField(allow_blank=True),
    }
    serializer_class = type(f"Rule{camel}OutputSerializer", (serializers.Serializer,), fields)
    return serializer_class(help_text=str(key.label))


RuleValuesOutputSerializer = type(
    "RuleValuesOutputSerializer",
    (serializers.Serializer,),
    {name: _rule_serializer(key) for name, key in SCHEMA.items()},
)


class RuleSetVersionDetailOutputSerializer(RuleSetVersionListOutputSerializer):
    values = serializers.SerializerMethodField()
    notes = serializers.CharField()

    class Meta(RuleSetVersionListOutputSerializer.Meta):
        fields = [*RuleSetVersionListOutputSerializer.Meta.fields, "notes", "values"]

    @extend_schema_field(RuleValuesOutputSerializer)
    def get_values(self, version: RuleSetVersion) -> dict[str, Any]:
        entries = {
            rule.name: {
                "value": rule.stored,
                "article": rule.article,
                "clause": rule.clause,
                "source": rule.source,
                "basis": rule.basis,
                "note": rule.note,
                "label": rule.label,
                "display": rule.display(),
                "unit": rule.unit,
            }
            for rule in version.rules
        }
        return RuleValuesOutputSerializer(entries).data


class FrameworkItemOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    points = serializers.IntegerField()


class FrameworkCategoryOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    points = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CategoryKind.choices)
    items = FrameworkItemOutputSerializer(many=True, source="items.all")


class BandOutputSerializer(serializers.Serializer):
    min = serializers.IntegerField(help_text=_("Lowest percentage of the band."))
    max = serializers.IntegerField(help_text=_("Highest percentage of the band."))
    text_zh = serializers.CharField()
    text_en = serializers.CharField()


class DimensionOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


class KindBandsOutputSerializer(serializers.Serializer):
    dimensions = DimensionOutputSerializer(many=True)
    bands = BandOutputSerializer(many=True)


class BandsOutputSerializer(serializers.Serializer):
    process = KindBandsOutputSerializer(required=False)
    results = KindBandsOutputSerializer(required=False)


class FrameworkOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    edition = serializers.CharField()
    total_points = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True)
    bands = BandsOutputSerializer()
    categories = FrameworkCategoryOutputSerializer(many=True, source="categories.all")


class RuleSetVersionListView(generics.ListAPIView):
    """Rule set versions (drafts only for office staff and supervisors)."""

    serializer_class = RuleSetVersionListOutputSerializer

    def get_queryset(self):
        queryset = versions_visible_to(user=self.request.user)
        code = self.request.query_params.get("rule_set")
        if code:
            queryset = queryset.filter(rule_set__code=code)
        on = self.request.query_params.get("in_effect_on")
        if on:
            try:
                day = datetime.date.fromisoformat(on)
            except ValueError:
                raise ValidationError({"in_effect_on": _("Enter a date as YYYY-MM-DD.")}) from None
            queryset = queryset.filter(
                status=VersionStatus.ACTIVE, effective_from__lte=day
            ).exclude(effective_to__lt=day)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("rule_set", OpenApiTypes.STR, description="Rule set code."),
            OpenApiParameter(
                "in_effect_on",
                OpenApiTypes.DATE,
                description="Only the active version(s) in effect on this date.",
            ),
        ],
        responses=RuleSetVersionListOutputSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RuleSetVersionDetailView(generics.RetrieveAPIView):
    """One rule set version with every value, its article and its display text."""

    serializer_class = RuleSetVersionDetailOutputSerializer

    def get_queryset(self):
        return versions_visible_to(user=self.request.user)

    @extend_schema(responses=RuleSetVersionDetailOutputSerializer)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FrameworkDetailView(generics.RetrieveAPIView):
    """A scoring framework: categories, items, points and band descriptions."""

    serializer_class = FrameworkOutputSerializer
    lookup_field = "code"

    def get_object(self) -> ScoringFramework:
        try:
            return framework_with_items(code=self.kwargs["code"])
        except ScoringFramework.DoesNotExist:
            raise Http404 from None

    @extend_schema(responses=FrameworkOutputSerializer)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


api_urlpatterns = [
    path("v1/rulesets/", RuleSetVersionListView.as_view(), name="ruleset-version-list"),
    path(
        "v1/rulesets/<int:pk>/",
        RuleSetVersionDetailView.as_view(),
        name="ruleset-version-detail",
    ),
    path("v1/frameworks/<str:code>/", FrameworkDetailView.as_view(), name="framework-detail"),
]
