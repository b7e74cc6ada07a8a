"""API of the decision and award (A19–A23). Wire it in api/urls.py with
``*api_urlpatterns`` (paths start with "v1/")::

    GET  /api/v1/decisions/results/<cycle_id>/           published results (public)
    GET  /api/v1/decisions/verify/<serial>/              certificate status (public)
    GET  /api/v1/decisions/cycles/<cycle_id>/ranking/    the ranking (office, group, supervisor)
    GET  /api/v1/decisions/meetings/<id>/votes/          votes and tally (office, group, supervisor)
    POST /api/v1/decisions/meetings/<id>/votes/          cast a vote (member) or record one (office)

Views call the same selectors and services as the pages.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityaward.applications.models import Application
from qualityaward.cycles.models import Cycle

from . import clock
from .enums import AwardStatus, VoteChoice
from .models import Meeting, Vote
from .selectors.public import award_by_serial, result_publications
from .selectors.ranking import cycle_ranking
from .services import meetings as meeting_services


class PublicResultSerializer(serializers.Serializer):
    cycle = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    # DRF's metaclass pops declared fields from the class, so this does not shadow
    # Serializer.fields at runtime; the stubs cannot see that.
    fields = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]
    entries = serializers.ListField(
        child=serializers.DictField(),
        help_text="Per applicant: kind, application_id and only the published fields.",
    )


class VerificationSerializer(serializers.Serializer):
    serial = serializers.CharField()
    status = serializers.ChoiceField(choices=AwardStatus.choices)
    winner = serializers.CharField()
    kind = serializers.CharField()
    cycle = serializers.CharField()
    awarded_on = serializers.DateField()
    valid_until = serializers.DateField()
    revoked_on = serializers.DateField(allow_null=True)
    revocation_reason = serializers.CharField(allow_blank=True)


class RankingEntrySerializer(serializers.Serializer):
    application_id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    weighted_total = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    results_category = serializers.DecimalField(max_digits=7, decimal_places=2)
    site_visit = serializers.DecimalField(max_digits=7, decimal_places=2)
    tie_break = serializers.CharField(allow_blank=True)
    comment_outcomes = serializers.ListField(child=serializers.CharField())


class VoteSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    application = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=VoteChoice.choices)


class VoteInputSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    member = serializers.IntegerField(
        required=False, help_text="Office only: the member whose vote is recorded."
    )


class MeetingVotesSerializer(serializers.Serializer):
    votes = VoteSerializer(many=True)
    tally = serializers.ListField(child=serializers.DictField())


class PublicResultsView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=PublicResultSerializer, summary="Results published for comment")
    def get(self, request: Request, cycle_id: int) -> Response:
        publication = result_publications().filter(cycle_id=cycle_id).first()
        if publication is None:
            raise Http404
        return Response(
            PublicResultSerializer(
                {
                    "cycle": publication.cycle.name,
                    "first_day": publication.first_day,
                    "last_day": publication.last_day,
                    "fields": publication.fields,
                    "entries": publication.entries,
                }
            ).data
        )


class VerificationView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=VerificationSerializer, summary="Verify a certificate")
    def get(self, request: Request, serial: str) -> Response:
        award = award_by_serial(serial)
        if award is None:
            raise Http404
        return Response(
            VerificationSerializer(
                {
                    "serial": award.serial,
                    "status": award.status_on(clock.today()),
                    "winner": award.applicant.name,
                    "kind": award.kind,
                    "cycle": award.cycle.name,
                    "awarded_on": award.awarded_on,
                    "valid_until": award.valid_until,
                    "revoked_on": award.revoked_on,
                    "revocation_reason": award.revocation_reason,
                }
            ).data
        )


class RankingView(APIView):
    @extend_schema(responses=RankingEntrySerializer(many=True), summary="Ranking of a cycle")
    def get(self, request: Request, cycle_id: int) -> Response:
        if not request.user.has_perm("decisions.view_ranking"):
            raise Http404
        cycle = get_object_or_404(Cycle, pk=cycle_id)
        if not request.user.has_perm("decisions.view_ranking", cycle):
            raise Http404
        rows = [
            {
                "application_id": row.application.pk,
                "kind": kind,
                "name": row.application.applicant.name,
                "rank": row.rank,
                "weighted_total": row.result.weighted_total,
                "results_category": row.ranked.entry.results_category,
                "site_visit": row.ranked.entry.site_visit,
                "tie_break": row.ranked.tie_break,
                "comment_outcomes": list(row.ranked.entry.comment_outcomes),
            }
            for kind, kind_rows in cycle_ranking(cycle=cycle).items()
            for row in kind_rows
        ]
        return Response(RankingEntrySerializer(rows, many=True).data)


class MeetingVotesView(APIView):
    def _meeting(self, request: Request, pk: int) -> Meeting:
        if not request.user.has_perm("decisions.view_meeting"):
            raise Http404
        meeting = get_object_or_404(
            Meeting.objects.select_related("cycle__rule_set_version"), pk=pk
        )
        if not request.user.has_perm("decisions.view_meeting", meeting):
            raise Http404
        return meeting

    def _payload(self, meeting: Meeting) -> dict:
        votes = [
            {"member": v.member_id, "application": v.application_id, "choice": v.choice}
            for v in Vote.objects.filter(meeting=meeting).order_by("member_id", "application_id")
        ]
        tally = meeting.tally if meeting.is_decided else meeting_services.meeting_tally(meeting)
        return MeetingVotesSerializer({"votes": votes, "tally": tally}).data

    @extend_schema(responses=MeetingVotesSerializer, summary="Votes and tally of a meeting")
    def get(self, request: Request, pk: int) -> Response:
        return Response(self._payload(self._meeting(request, pk)))

    @extend_schema(
        request=VoteInputSerializer, responses=MeetingVotesSerializer, summary="Cast a vote"
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = self._meeting(request, pk)
        data = VoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member_id = data.validated_data.get("member")
        member = get_object_or_404(get_user_model(), pk=member_id) if member_id else request.user
        meeting_services.vote_cast(
            meeting=meeting,
            member=member,
            application=get_object_or_404(Application, pk=data.validated_data["application"]),
            choice=data.validated_data["choice"],
            actor=request.user,
        )
        return Response(self._payload(meeting))


api_urlpatterns = [
    path(
        "v1/decisions/results/<int:cycle_id>/",
        PublicResultsView.as_view(),
        name="decisions_public_results",
    ),
    path("v1/decisions/verify/<str:serial>/", VerificationView.as_view(), name="decisions_verify"),
    path(
        "v1/decisions/cycles/<int:cycle_id>/ranking/",
        RankingView.as_view(),
        name="decisions_ranking",
    ),
    path(
        "v1/decisions/meetings/<int:pk>/votes/",
        MeetingVotesView.as_view(),
        name="decisions_meeting_votes",
    ),
]
