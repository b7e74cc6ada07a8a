"""Mounted at /decisions/. Pages under public/ need no login."""

from django.urls import path

from .views import office, public

app_name = "decisions"

public_urlpatterns = [
    path("public/results/<int:cycle_pk>/", public.results, name="public_results"),
    path("public/results/<int:cycle_pk>/comment/", public.comment, name="public_comment"),
    path("public/publicity/<int:pk>/", public.publicity, name="public_publicity"),
    path("public/publicity/<int:pk>/objection/", public.objection, name="public_objection"),
    path("public/archive/", public.archive_page, name="archive"),
    path("public/verify/", public.verify, name="verify_lookup"),
    path("public/verify/<str:serial>/", public.verify, name="verify"),
]

urlpatterns = [
    *public_urlpatterns,
    path("cycles/<int:cycle_pk>/", office.cycle_page, name="cycle"),
    path("cycles/<int:cycle_pk>/publish/", office.results_publish, name="results_publish"),
    path("cycles/<int:cycle_pk>/close/", office.results_close, name="results_close"),
    path("cycles/<int:cycle_pk>/propose/", office.candidates_propose, name="propose"),
    path("cycles/<int:cycle_pk>/publicity/", office.publicity_publish, name="publicity_publish"),
    path("cycles/<int:cycle_pk>/approval/", office.approval_record, name="approval"),
    path("cycles/<int:cycle_pk>/awards/", office.awards_issue, name="awards_issue"),
    path("comments/<int:pk>/moderate/", office.comment_moderate, name="comment_moderate"),
    path("comments/<int:pk>/evidence/", office.comment_evidence, name="comment_evidence"),
    path("lists/<int:list_pk>/meeting/", office.meeting_schedule, name="meeting_schedule"),
    path("meetings/<int:pk>/", office.meeting_page, name="meeting"),
    path("meetings/<int:pk>/attendance/", office.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/recusal/", office.meeting_recusal, name="meeting_recusal"),
    path("meetings/<int:pk>/vote/", office.meeting_vote, name="meeting_vote"),
    path("meetings/<int:pk>/minutes/", office.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/minutes/file/", office.meeting_minutes_file, name="minutes_file"),
    path("meetings/<int:pk>/decide/", office.meeting_decide, name="meeting_decide"),
    path("objections/<int:pk>/decide/", office.objection_decide, name="objection_decide"),
    path(
        "objections/<int:pk>/cancellation/",
        office.cancellation_schedule,
        name="cancellation_schedule",
    ),
    path(
        "objections/<int:pk>/evidence/<str:file_pk>/",
        office.objection_evidence,
        name="objection_evidence",
    ),
    path("awards/<int:pk>/plaque/", office.plaque_deliver, name="plaque_deliver"),
    path("awards/<int:pk>/certificate/", office.certificate, name="certificate"),
]
