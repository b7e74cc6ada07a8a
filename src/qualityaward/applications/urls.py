from django.urls import path

from .views import applicants, calls, history, personal_data, records, reviews
from .views import applications as intake

app_name = "applications"

urlpatterns = [
    path("register/", applicants.register, name="register"),
    path("register/organisation/", applicants.register_organisation, name="register_organisation"),
    path("register/individual/", applicants.register_individual, name="register_individual"),
    path("profile/", applicants.profile, name="profile"),
    path("my-data/", personal_data.my_data, name="my_data"),
    path("my-data/download/", personal_data.my_data_download, name="my_data_download"),
    path("my-data/correction/", personal_data.my_data_correction, name="my_data_correction"),
    path("applicants/", applicants.applicant_list, name="list"),
    path("applicants/<int:pk>/", applicants.applicant_detail, name="detail"),
    path("applicants/<int:pk>/edit/", applicants.applicant_edit, name="edit"),
    path(
        "applicants/<int:pk>/reveal-id-number/",
        applicants.reveal_id_number,
        name="reveal_id_number",
    ),
    path("applicants/<int:pk>/users/", applicants.applicant_user_link, name="user_link"),
    path("applicants/<int:pk>/eligibility/", applicants.applicant_eligibility, name="eligibility"),
    path("applicants/<int:pk>/records/", records.applicant_records, name="records"),
    path("applicants/<int:pk>/results/", records.annual_results, name="results"),
    path("records/<int:pk>/withdraw/", records.record_withdraw, name="record_withdraw"),
    path("lists/", records.list_page, name="lists"),
    path("history/", history.history_page, name="history"),
    path(
        "history/templates/<str:kind>.<str:fmt>",
        history.history_template,
        name="history_template",
    ),
    # Calls for applications (A14)
    path("public/calls/", calls.public_call_list, name="public_calls"),
    path("public/calls/<int:pk>/", calls.public_call, name="public_call"),
    path(
        "public/calls/<int:pk>/templates/<int:template_pk>/",
        calls.call_template_download,
        name="call_template",
    ),
    path("calls/manage/", calls.call_manage, name="call_manage"),
    path("cycles/<int:cycle_pk>/call/", calls.call_create, name="call_create"),
    path("calls/<int:pk>/edit/", calls.call_edit, name="call_edit"),
    path("calls/<int:pk>/templates/", calls.call_template_upload, name="call_template_upload"),
    path("calls/<int:pk>/publish/", calls.call_publish, name="call_publish"),
    # Applications (A15)
    path("mine/", intake.my_applications, name="mine"),
    path("calls/<int:pk>/apply/", intake.application_start, name="apply"),
    path("applications/<int:pk>/", intake.application_page, name="application"),
    path("applications/<int:pk>/reveal-phone/", intake.reveal_phone, name="reveal_phone"),
    path(
        "applications/<int:pk>/sections/<str:section>/",
        intake.application_section,
        name="application_section",
    ),
    path("applications/<int:pk>/evidence/", intake.evidence_upload, name="evidence_upload"),
    path(
        "applications/<int:pk>/evidence/<int:evidence_pk>/",
        intake.evidence_download,
        name="evidence_download",
    ),
    path(
        "applications/<int:pk>/evidence/<int:evidence_pk>/remove/",
        intake.evidence_remove,
        name="evidence_remove",
    ),
    path("applications/<int:pk>/submit/", intake.application_submit, name="submit"),
    path("applications/<int:pk>/withdraw/", intake.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/pdf/", intake.application_pdf, name="application_pdf"),
    path(
        "applications/<int:pk>/supplements/<int:supplement>/pdf/",
        intake.application_pdf,
        name="supplement_pdf",
    ),
    path("applications/<int:pk>/supplement/", intake.application_supplement, name="supplement"),
    # Qualification review (A16)
    path("review/", reviews.review_list, name="review_list"),
    path("applications/<int:pk>/review/pass/", reviews.review_pass, name="review_pass"),
    path("applications/<int:pk>/review/fail/", reviews.review_fail, name="review_fail"),
    path(
        "applications/<int:pk>/review/supplement/",
        reviews.review_supplement,
        name="review_supplement",
    ),
]
