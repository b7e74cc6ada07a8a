"""API of the evaluation (A18): an expert's assignments and scores, the office's results.

Wire it in api/urls.py with ``*api_urlpatterns`` (paths start with "v1/")::

    GET  /api/v1/evaluation/assignments/               the expert's panel seats
    POST /api/v1/evaluation/members/<id>/scores/       save (and with "submit": true,
                                                       submit) the expert's item scores
    GET  /api/v1/evaluation/cycles/<id>/results/       office, supervisor: results per
                                                       application

A seat of an applicant the user must recuse from (A25) answers 404, as on the pages.
Views call the same services as the pages."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.cycles.models import Cycle

from .models import ItemScore, PanelMember
from .selectors.conflicts import conflicted_applicant_ids
from .selectors.panels import assignments_of
from .selectors.results import application_results
from .services import scoring as services


class AssignmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    panel = serializers.IntegerField(source="panel_id")
    application = serializers.IntegerField(source="panel.application_id")
    applicant = serializers.CharField(source="panel.application.applicant.name")
    stage = serializers.CharField(source="panel.stage")
    confirmed_no_conflict_at = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)


class ScoreInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    strengths = serializers.CharField(required=False, allow_blank=True, default="")
    opportunities = serializers.CharField(required=False, allow_blank=True, default="")


class ScoresInputSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True, required=False, default=list)
    submit = serializers.BooleanField(required=False, default=False)


class ScoreOutputSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    code = serializers.CharField(source="item.code")
    percent = serializers.IntegerField()
    strengths = serializers.CharField()
    opportunities = serializers.CharField()


class ScoresOutputSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    scores = ScoreOutputSerializer(many=True)


class ResultOutputSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application.pk")
    applicant = serializers.CharField(source="application.applicant.name")
    stage_totals = serializers.DictField(child=serializers.DecimalField(7, 2))
    weighted_total = serializers.DecimalField(7, 2, allow_null=True)
    category_scores = serializers.DictField(child=serializers.DecimalField(7, 2))
    advanced_to_site_visit = serializers.BooleanField()
    stopped_at = serializers.CharField(allow_null=True)


class AssignmentListView(APIView):
    @extend_schema(responses=AssignmentOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        members = assignments_of(user=request.user)
        return Response(AssignmentOutputSerializer(members, many=True).data)


class ScoresView(APIView):
    @extend_schema(request=ScoresInputSerializer, responses=ScoresOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        member = (
            PanelMember.objects.select_related("expert", "panel__application").filter(pk=pk).first()
        )
        if member is None or not request.user.has_perm("evaluation.act_as_member", member):
            raise Http404
        data = ScoresInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entries = {
            row["item"]: services.ScoreEntry(
                percent=row["percent"],
                strengths=row["strengths"],
                opportunities=row["opportunities"],
            )
            for row in data.validated_data["scores"]
        }
        errors = services.scores_save(member=member, entries=entries, actor=request.user)
        if errors:
            raise QualityAwardError(" ".join(sorted(set(errors.values()))), code="invalid_percent")
        if data.validated_data["submit"]:
            member = services.scores_submit(member=member, actor=request.user)
        member.refresh_from_db(fields=["submitted_at"])
        scores = ItemScore.objects.filter(member=member).select_related("item")
        return Response(
            ScoresOutputSerializer(
                {
                    "member": member.pk,
                    "submitted_at": member.submitted_at,
                    "scores": scores,
                }
            ).data
        )


class ResultsView(APIView):
    @extend_schema(responses=ResultOutputSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        if not request.user.has_perm("evaluation.view_results"):
            raise NotAllowed()
        cycle = get_object_or_404(Cycle, pk=pk)
        if not request.user.has_perm("evaluation.view_results", cycle):
            raise Http404
        hidden = conflicted_applicant_ids(user=request.user)
        rows = [
            r for r in application_results(cycle=cycle) if r.application.applicant_id not in hidden
        ]
        return Response(ResultOutputSerializer(rows, many=True).data)


api_urlpatterns = [
    path("v1/evaluation/assignments/", AssignmentListView.as_view(), name="evaluation_assignments"),
    path("v1/evaluation/members/<int:pk>/scores/", ScoresView.as_view(), name="evaluation_scores"),
    path(
        "v1/evaluation/cycles/<int:pk>/results/", ResultsView.as_view(), name="evaluation_results"
    ),
]
