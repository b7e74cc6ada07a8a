"""API of calls, applications and the qualification review (A14–A16).

Wire it in api/urls.py with ``*api_urlpatterns`` (paths start with "v1/")::

    GET  /api/v1/calls/                          open calls (public)
    GET  /api/v1/applications/                   applications the user may see
    GET  /api/v1/applications/<id>/              one application (404 if not visible)
    POST /api/v1/applications/<id>/submit/       the applicant submits
    POST /api/v1/applications/<id>/review/       office: pass, fail or supplement

Views call the same services as the pages.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityaward.core.errors import NotAllowed

from .enums import REJECTION_CLAUSES, ApplicationState, FormSection, ReviewOutcome
from .models import Application, Call
from .selectors.applications import applications_visible_to, review_deadline
from .selectors.calls import open_calls
from .services import applications as application_services
from .services import reviews as review_services

# --- output ---------------------------------------------------------------------------


class CallTemplateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, template) -> str:
        from django.urls import reverse

        return reverse("applications:call_template", args=[template.call_id, template.pk])


class CallOutputSerializer(serializers.ModelSerializer):
    cycle = serializers.CharField(source="cycle.name")
    templates = CallTemplateOutputSerializer(many=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "cycle",
            "title",
            "text",
            "where_to_submit",
            "published_on",
            "deadline",
            "templates",
        ]


class ApplicationListOutputSerializer(serializers.ModelSerializer):
    applicant = serializers.CharField(source="applicant.name")
    cycle = serializers.CharField(source="cycle.name")
    state = serializers.ChoiceField(choices=ApplicationState.choices)

    class Meta:
        model = Application
        fields = [
            "id",
            "applicant",
            "cycle",
            "state",
            "receipt_number",
            "submitted_at",
            "decided_at",
        ]


class ReasonSerializer(serializers.Serializer):
    clause = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)


class DecisionOutputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    decided_on = serializers.DateField()
    reasons = ReasonSerializer(many=True)
    note = serializers.CharField()


class SupplementItemSerializer(serializers.Serializer):
    section = serializers.ChoiceField(choices=FormSection.choices)
    note = serializers.CharField(max_length=2000)


class SupplementOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    requested_on = serializers.DateField()
    due_on = serializers.DateField()
    items = SupplementItemSerializer(many=True)
    received_on = serializers.DateField(allow_null=True)
    receipt_number = serializers.CharField()


class ApplicationDetailOutputSerializer(ApplicationListOutputSerializer):
    version = serializers.IntegerField()
    review_deadline = serializers.SerializerMethodField()
    decisions = DecisionOutputSerializer(many=True)
    supplement_requests = SupplementOutputSerializer(many=True)
    snapshot = serializers.JSONField()

    class Meta(ApplicationListOutputSerializer.Meta):
        fields = [
            *ApplicationListOutputSerializer.Meta.fields,
            "version",
            "contact_person",
            "contact_phone",
            "achievements",
            "key_figures",
            "review_deadline",
            "decisions",
            "supplement_requests",
            "snapshot",
        ]

    def get_review_deadline(self, application) -> str | None:
        try:
            deadline = review_deadline(application=application)
        except Exception:  # a missing calendar year: no deadline to show
            return None
        return deadline.isoformat() if deadline else None


# --- input ----------------------------------------------------------------------------


class SubmitInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="The draft's version (optimistic concurrency)."
    )


class ReviewInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reasons = serializers.ListField(
        child=ReasonSerializer(),
        required=False,
        default=list,
        help_text="For fail: clause keys " + ", ".join(k for k, _ in REJECTION_CLAUSES),
    )
    items = SupplementItemSerializer(many=True, required=False, default=list)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


# --- views ----------------------------------------------------------------------------


class CallListView(generics.ListAPIView):
    """Open calls for applications, with their deadline and templates (public)."""

    permission_classes = [AllowAny]
    serializer_class = CallOutputSerializer
    pagination_class = None

    def get_queryset(self):
        return open_calls()


class ApplicationListView(generics.ListAPIView):
    """The applications the user may see (own, department's, or all for the office)."""

    serializer_class = ApplicationListOutputSerializer

    def get_queryset(self):
        return applications_visible_to(user=self.request.user).order_by("-created_at", "-pk")


def _visible(request: Request, pk: int) -> Application:
    application = applications_visible_to(user=request.user).filter(pk=pk).first()
    if application is None or not request.user.has_perm(
        "applications.view_application", application
    ):
        raise Http404
    return application


class ApplicationDetailView(APIView):
    @extend_schema(responses=ApplicationDetailOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        application = _visible(request, pk)
        return Response(ApplicationDetailOutputSerializer(application).data)


class ApplicationSubmitView(APIView):
    @extend_schema(request=SubmitInputSerializer, responses=ApplicationDetailOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        application = _visible(request, pk)
        if not request.user.has_perm("applications.act_for_application", application):
            raise Http404
        data = SubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application_services.application_submit(
            application=application,
            actor=request.user,
            version=data.validated_data.get("version"),
        )
        return Response(ApplicationDetailOutputSerializer(_visible(request, pk)).data)


class ApplicationReviewView(APIView):
    @extend_schema(request=ReviewInputSerializer, responses=ApplicationDetailOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        application = _visible(request, pk)
        if not request.user.has_perm("applications.review_application", application):
            raise NotAllowed()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        outcome = values["outcome"]
        if outcome == ReviewOutcome.PASS:
            review_services.review_pass(
                application=application, actor=request.user, note=values["note"]
            )
        elif outcome == ReviewOutcome.FAIL:
            review_services.review_fail(
                application=application,
                actor=request.user,
                reasons=values["reasons"],
                note=values["note"],
            )
        else:
            if values["due_on"] is None:
                raise serializers.ValidationError({"due_on": ["Give the due date."]})
            review_services.supplement_request(
                application=application,
                actor=request.user,
                items=values["items"],
                due_on=values["due_on"],
            )
        return Response(ApplicationDetailOutputSerializer(_visible(request, pk)).data)


api_urlpatterns = [
    path("v1/calls/", CallListView.as_view(), name="calls"),
    path("v1/applications/", ApplicationListView.as_view(), name="applications"),
    path("v1/applications/<int:pk>/", ApplicationDetailView.as_view(), name="application"),
    path(
        "v1/applications/<int:pk>/submit/",
        ApplicationSubmitView.as_view(),
        name="application_submit",
    ),
    path(
        "v1/applications/<int:pk>/review/",
        ApplicationReviewView.as_view(),
        name="application_review",
    ),
]
